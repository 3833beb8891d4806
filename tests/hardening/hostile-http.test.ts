// Hostile plain-HTTP servers over real loopback sockets. Each case names the status the client must end in; time is
// counted in ticks (the test's own deadline), never in wall-clock time.

import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Status } from '../../engine-module/http/constants.js';
import { listen, scriptedServer, TickedClient, writeForever, type Listening } from './hostile.js';
import { until } from '../helpers/frame-stepper.js';

let server: Listening | null = null;
let ticked: TickedClient | null = null;
afterEach(async () => {
  ticked?.client.close();
  await server?.close();
  server = null;
  ticked = null;
});

async function against(script: (socket: Socket) => void, options: ConstructorParameters<typeof TickedClient>[0] = {}) {
  server = await scriptedServer(script);
  ticked = new TickedClient(options);
  await ticked.get(server.port);
  return ticked;
}

const OK_HEAD = 'HTTP/1.1 200 OK\r\n';

describe('hostile HTTP servers', () => {
  it('a head sent one byte per tick ends at the head limit: CONNECTION_ERROR', async () => {
    let socket: Socket | null = null;
    const c = await against((s) => (socket = s), { maxHeadBytes: 1024 });
    const head = Buffer.from(`${OK_HEAD}X-Slow: ${'a'.repeat(4096)}`);
    let sent = 0;
    c.onTick = () => {
      if (socket && sent < head.length) socket.write(head.subarray(sent, ++sent));
    };
    expect(await c.settle(3000)).toBe(Status.CONNECTION_ERROR);
    expect(sent).toBeGreaterThanOrEqual(1024);
  });

  it('a well-formed head sent one byte per tick is still pending at the tick deadline; close() ends it: DISCONNECTED', async () => {
    let socket: Socket | null = null;
    const c = await against((s) => (socket = s));
    const head = Buffer.from(`${OK_HEAD}X-Slow: ${'a'.repeat(4096)}`);
    let sent = 0;
    c.onTick = () => {
      if (socket && sent < head.length) socket.write(head.subarray(sent, ++sent));
    };
    expect(await c.settle(400)).toBe(Status.REQUESTING);
    c.client.close();
    expect(c.status).toBe(Status.DISCONNECTED);
  });

  it('endless short header lines end at the header count limit: CONNECTION_ERROR', async () => {
    const c = await against((s) => {
      s.write(OK_HEAD);
      writeForever(s, Buffer.from('a: b\r\n'.repeat(1000)));
    });
    expect(await c.settle()).toBe(Status.CONNECTION_ERROR);
  });

  it('endless long header lines end at the head size limit: CONNECTION_ERROR', async () => {
    const c = await against((s) => {
      s.write(OK_HEAD);
      writeForever(s, Buffer.from(`X-Long: ${'v'.repeat(4000)}\r\n`));
    }, { maxHeaderCount: 1_000_000 });
    expect(await c.settle()).toBe(Status.CONNECTION_ERROR);
  });

  it('an endless chunk-size line ends at the line limit: CONNECTION_ERROR', async () => {
    const c = await against((s) => {
      s.write(`${OK_HEAD}Transfer-Encoding: chunked\r\n\r\n`);
      writeForever(s, Buffer.from('0'.repeat(8192)));
    });
    expect(await c.settle()).toBe(Status.CONNECTION_ERROR);
    expect(c.body.length).toBe(0);
  });

  it('an endless chunk extension ends at the line limit: CONNECTION_ERROR', async () => {
    const c = await against((s) => {
      s.write(`${OK_HEAD}Transfer-Encoding: chunked\r\n\r\n5;ext=`);
      writeForever(s, Buffer.from('x'.repeat(8192)));
    });
    expect(await c.settle()).toBe(Status.CONNECTION_ERROR);
  });

  it('a chunk size past 2^53 is refused: CONNECTION_ERROR', async () => {
    const c = await against((s) => s.write(`${OK_HEAD}Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nabc`));
    expect(await c.settle()).toBe(Status.CONNECTION_ERROR);
    expect(c.body.length).toBe(0);
  });

  it('a huge but representable chunk size cut short by a close: CONNECTION_ERROR, never a short success', async () => {
    const c = await against((s) => s.end(`${OK_HEAD}Transfer-Encoding: chunked\r\n\r\n1fffffffffffff\r\n${'d'.repeat(5000)}`));
    expect(await c.settle()).toBe(Status.CONNECTION_ERROR);
    expect(c.body.length).toBe(5000);
  });

  it('Content-Length past 2^53 is refused: CONNECTION_ERROR', async () => {
    const c = await against((s) => s.write(`${OK_HEAD}Content-Length: 9007199254740993\r\n\r\nabc`));
    expect(await c.settle()).toBe(Status.CONNECTION_ERROR);
    expect(c.client.hasResponse()).toBe(false);
  });

  it('Content-Length 2^53-1 is taken at its word; a close after 3 bytes: CONNECTION_ERROR', async () => {
    const c = await against((s) => s.end(`${OK_HEAD}Content-Length: 9007199254740991\r\n\r\nabc`));
    await c.stepper.until(() => c.client.hasResponse() || c.status === Status.CONNECTION_ERROR, 2000);
    expect(c.client.getResponseBodyLength()).toBe(Number.MAX_SAFE_INTEGER);
    expect(await c.settle()).toBe(Status.CONNECTION_ERROR);
  });

  it('bytes after a complete keep-alive response close the connection: DISCONNECTED, never a response', async () => {
    const c = await against((s) => s.write(`${OK_HEAD}Content-Length: 2\r\n\r\nok${OK_HEAD}Content-Length: 5\r\n\r\nevil!`));
    // At the end of the response when they came with it, else at the next idle poll.
    expect([Status.CONNECTED, Status.DISCONNECTED]).toContain(await c.settle());
    expect(Buffer.from(c.body).toString()).toBe('ok');
    await c.stepper.advance(3);
    expect(c.status).toBe(Status.DISCONNECTED);
  });

  it('bytes after a complete keep-alive response are never taken as the next response', async () => {
    let requests = 0;
    server = await scriptedServer((s) => {
      s.on('data', () => s.write(`${OK_HEAD}Content-Length: 4\r\n\r\ngood`));
      requests++;
      s.write(`${OK_HEAD}Content-Length: 2\r\n\r\nok${OK_HEAD}Content-Length: 5\r\n\r\nevil!`);
    });
    const c = (ticked = new TickedClient());
    await c.get(server.port);
    // Seen with the response: the connection is closed at once; seen later, before the next request goes out.
    if ((await c.settle()) === Status.CONNECTED) {
      c.request('/second');
      expect(await c.settle()).toBe(Status.CONNECTION_ERROR);
    } else expect(c.status).toBe(Status.DISCONNECTED);
    expect(requests).toBe(1);
    expect(Buffer.from(c.body).toString()).not.toContain('evil!');
  });

  // Interim heads share the head limit with the final one, so their number is bounded.
  it('endless interim (100 Continue) responses end at the head limit: CONNECTION_ERROR', async () => {
    const c = await against((s) => writeForever(s, Buffer.from('HTTP/1.1 100 Continue\r\n\r\n'.repeat(1000))));
    expect(await c.settle(300)).toBe(Status.CONNECTION_ERROR);
  });

  it('a response nobody asked for, on an idle connection: DISCONNECTED', async () => {
    server = await listenUnsolicited();
    const c = (ticked = new TickedClient());
    expect(c.client.connectToHost('127.0.0.1', server.port)).toBe(0);
    await c.stepper.until(() => c.status !== Status.RESOLVING && c.status !== Status.CONNECTING, 2000);
    await c.stepper.until(() => c.status !== Status.CONNECTED, 2000);
    expect(c.status).toBe(Status.DISCONNECTED);
    expect(c.client.hasResponse()).toBe(false);
  });

  // Bytes that arrived before the request was written answer no request of ours: the connection is out of step.
  it('a response to a request never sent is not taken as the answer to the next request', async () => {
    server = await listenUnsolicited();
    const c = (ticked = new TickedClient());
    c.client.connectToHost('127.0.0.1', server.port);
    await c.stepper.until(() => c.status === Status.CONNECTED, 2000);
    // Let the unsolicited bytes land in the transport without an idle poll noticing them, then ask.
    await until(() => (c.client.getConnection()?.getAvailableBytes() ?? 0) > 0, 'the unasked bytes to arrive', { frames: 2000 });
    c.request('/');
    await c.settle();
    expect(Buffer.from(c.body).toString()).not.toContain('unasked');
  });
});

/** A server that sends a complete response as soon as a client connects. */
function listenUnsolicited(): Promise<Listening> {
  return listen(createServer((s) => s.write(`${OK_HEAD}Content-Length: 7\r\n\r\nunasked`)));
}

