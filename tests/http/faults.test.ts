// Failures end in a status, promptly, with nothing thrown into the frame loop: refused and unresolvable hosts, resets,
// early closes, stalls, unsolicited bytes, and caller mistakes that must never reach the server.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import '../../engine-module/node.js';
import { memoryPlatform } from './fake-platform.js';
import { Driver, listen, scriptedServer, shut } from './loopback-server.js';
import { throwingPeer } from './memory-client.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A scripted server on loopback; closed after the test. */
async function serve(script: (socket: Socket) => void) {
  const s = scriptedServer(script);
  const port = await listen(s.server);
  cleanups.push(() => shut(s.server, s.sockets));
  return { port, sockets: s.sockets };
}

/** Read the request head, then run `reply`. */
const afterRequest = (reply: (socket: Socket) => void) => (socket: Socket) => {
  let seen = '';
  const onData = (d: Buffer) => {
    seen += d.toString('latin1');
    if (seen.includes('\r\n\r\n')) {
      socket.off('data', onData);
      reply(socket);
    }
  };
  socket.on('data', onData);
};

describe('connection faults', () => {
  it('a refused port ends in CANT_CONNECT', async () => {
    const { port } = await serve(() => {});
    await cleanups.pop()!(); // closed again: nothing listens on the port now
    const d = new Driver();
    expect(await d.connect('127.0.0.1', port)).toBe(Status.CANT_CONNECT);
    expect(d.client.poll()).toBe(Err.ERR_CANT_CONNECT);
    expect(d.client.getLastError()).toBe(`could not connect to 127.0.0.1:${port}`);
  });

  it('an unresolvable name (*.invalid) ends in CANT_RESOLVE', async () => {
    const d = new Driver();
    expect(d.client.connectToHost('nosuchhost.invalid', 80)).toBe(Err.OK);
    expect(d.client.getStatus()).toBe(Status.RESOLVING);
    await d.stepper.until(() => d.client.getStatus() !== Status.RESOLVING, 100);
    expect(d.client.getStatus()).toBe(Status.CANT_RESOLVE);
    expect(d.client.poll()).toBe(Err.ERR_CANT_RESOLVE);
    expect(d.client.getLastError()).toBe('could not resolve "nosuchhost.invalid"');
  });

  it('a server reset mid-body ends in CONNECTION_ERROR after the bytes that did arrive', async () => {
    const { port } = await serve(afterRequest((s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n' + 'x'.repeat(1000), () => setTimeout(() => s.resetAndDestroy(), 20));
    }));
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    const x = await d.exchange(Method.GET, '/');
    expect({ status: x.status, code: x.code, got: x.body.length }).toEqual({ status: Status.CONNECTION_ERROR, code: 200, got: 1000 });
    expect(d.client.getLastError()).toBe('connection reset before the 100000-byte body was complete');
  });

  it('a close before any response ends in CONNECTION_ERROR', async () => {
    const { port } = await serve(afterRequest((s) => s.end()));
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    const x = await d.exchange(Method.GET, '/');
    expect({ status: x.status, has: d.client.hasResponse() }).toEqual({ status: Status.CONNECTION_ERROR, has: false });
    expect(d.client.poll()).toBe(Err.ERR_CONNECTION_ERROR);
    expect(d.client.getLastError()).toBe('connection closed before the response head arrived (if the server speaks TLS, use https://)');
  });

  it('a body cut short of its Content-Length is an error, never a short success', async () => {
    const { port } = await serve(afterRequest((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345')));
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    const x = await d.exchange(Method.GET, '/');
    expect({ status: x.status, body: x.body.toString() }).toEqual({ status: Status.CONNECTION_ERROR, body: '12345' });
    expect(d.client.getLastError()).toBe('connection closed before the 10-byte body was complete');
  });

  it('a stalled server leaves the client REQUESTING; every poll returns, the test deadline ends it', async () => {
    const { port } = await serve(() => {});
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    expect(d.client.request(Method.GET, '/', [])).toBe(Err.OK);
    for (let tick = 0; tick < 200; tick++) {
      expect(d.client.poll()).toBe(Err.OK);
      expect(d.client.readResponseBodyChunk().length).toBe(0);
      await new Promise((r) => setImmediate(r));
    }
    expect(d.client.getStatus()).toBe(Status.REQUESTING);
    d.client.close();
    expect(d.client.getStatus()).toBe(Status.DISCONNECTED);
  });

  it('exact bytes one write at a time (scripted server) parse as a whole', async () => {
    const response = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n5;ext=1\r\nhello\r\n0\r\nT: x\r\n\r\n';
    const { port } = await serve(afterRequest((s) => {
      let i = 0;
      const next = () => (i < response.length ? s.write(response[i++], () => setImmediate(next)) : undefined);
      next();
    }));
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    const x = await d.exchange(Method.GET, '/');
    expect({ body: x.body.toString(), status: x.status, headers: x.headers }).toEqual({ body: 'hello', status: Status.CONNECTED, headers: { 'Transfer-Encoding': 'chunked', 'X-A': '1' } });
  });

  it('bytes arriving on an idle kept-alive connection close it (never read as the next response)', async () => {
    const { port } = await serve(afterRequest((s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      setTimeout(() => s.write('HTTP/1.1 200 OK\r\nX-Poison: 1\r\nContent-Length: 0\r\n\r\n'), 30);
    }));
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    expect((await d.exchange(Method.GET, '/')).status).toBe(Status.CONNECTED);
    await d.stepper.until(() => d.client.getStatus() !== Status.CONNECTED, 100_000);
    expect(d.client.getStatus()).toBe(Status.DISCONNECTED);
  });

  it('a server closing an idle kept-alive connection gives DISCONNECTED', async () => {
    const { port } = await serve(afterRequest((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', () => setTimeout(() => s.end(), 10))));
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    expect((await d.exchange(Method.GET, '/')).status).toBe(Status.CONNECTED);
    await d.stepper.until(() => d.client.getStatus() !== Status.CONNECTED, 100_000);
    expect(d.client.getStatus()).toBe(Status.DISCONNECTED);
  });
});

describe('caller mistakes', () => {
  it('connectToHost refuses bad hosts and ports, and a trustedChain without a certificate, dialing nothing', () => {
    const { platform, dialed } = memoryPlatform();
    const c = new HTTPClient({ platform });
    for (const [host, port] of [['', 80], ['abc', 80], ['exa mple.com', 80], ['a\r\nb.com', 80], ['example.com/x', 80], ['example.com', 0], ['example.com', 65536], ['example.com', 1.5]] as const) {
      expect(c.connectToHost(host, port), `${host}:${port}`).toBe(Err.ERR_INVALID_PARAMETER);
      expect(c.getStatus()).toBe(Status.DISCONNECTED);
    }
    const unterminated = '-----BEGIN CERTIFICATE-----\nMIIB';
    for (const trustedChain of ['not a certificate', unterminated, '-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----']) {
      expect(c.connectToHost('example.com', 443, true, true, { trustedChain }), trustedChain).toBe(Err.ERR_INVALID_PARAMETER);
      expect(c.connectToHost('https://example.com', -1, false, true, { trustedChain }), trustedChain).toBe(Err.ERR_INVALID_PARAMETER);
      expect(c.getStatus()).toBe(Status.DISCONNECTED);
    }
    expect(dialed).toEqual([]);
    // TLS needs no extra layer: the default one starts, and a plain connection ignores TLS options.
    expect(c.connectToHost('example.com', 443, true)).toBe(Err.OK);
    expect(c.connectToHost('example.com', 80, false, true, { trustedChain: 'not a certificate' })).toBe(Err.OK);
    expect(c.getTlsError()).toBeNull();
    c.close();
  });

  it('connectToHost refuses TLS limits that are not positive integers, dialing nothing', () => {
    const { platform, dialed } = memoryPlatform();
    const c = new HTTPClient({ platform });
    for (const limit of ['maxHandshakeMessageSize', 'maxChainLength'] as const) {
      for (const value of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(c.connectToHost('example.com', 443, true, true, { [limit]: value }), `${limit}=${value}`).toBe(Err.ERR_INVALID_PARAMETER);
        expect(c.getStatus()).toBe(Status.DISCONNECTED);
      }
    }
    expect(dialed).toEqual([]);
    expect(c.connectToHost('example.com', 443, true, true, { maxHandshakeMessageSize: 1, maxChainLength: 1 })).toBe(Err.OK);
    c.close();
    // A plain connection ignores TLS options.
    expect(c.connectToHost('example.com', 80, false, true, { maxChainLength: 0 })).toBe(Err.OK);
    c.close();
  });

  it('request() needs a connection and refuses a second request while one is pending', () => {
    const c = new HTTPClient();
    expect(c.request(Method.GET, '/', [])).toBe(Err.ERR_INVALID_PARAMETER);
    expect(c.poll()).toBe(Err.ERR_UNCONFIGURED);
    const idle: StreamPeer = { getStatus: () => PeerStatus.CONNECTED, getAvailableBytes: () => 0, getPartialData: () => new Uint8Array(0), putPartialData: (d) => d.length, disconnectFromHost: () => {} };
    c.setConnection(idle);
    expect(c.getStatus()).toBe(Status.CONNECTED);
    expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
    expect(c.request(Method.GET, '/', [])).toBe(Err.ERR_BUSY);
  });

  it('refused requests send nothing to a real server', async () => {
    let received = 0;
    const { port } = await serve((s) => s.on('data', (d) => (received += d.length)));
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    expect(d.client.request(Method.GET, '/\r\nX: y', [])).toBe(Err.ERR_INVALID_PARAMETER);
    expect(d.client.request(Method.GET, '/', ['X: a\nb'])).toBe(Err.ERR_INVALID_PARAMETER);
    expect(d.client.request(Method.GET, '/', ['X\0: a'])).toBe(Err.ERR_INVALID_PARAMETER);
    expect(d.client.request(Method.POST, '/', ['Content-Length: 3'], 'hello')).toBe(Err.ERR_INVALID_PARAMETER);
    await d.stepper.advance(20);
    expect(received).toBe(0);
    expect(d.client.getStatus()).toBe(Status.CONNECTED);
    d.client.close();
  });

  it('poll() never throws: a transport that throws becomes CONNECTION_ERROR', () => {
    const c = new HTTPClient();
    c.setConnection(throwingPeer('transport bug'));
    expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
    expect(c.poll()).toBe(Err.ERR_CONNECTION_ERROR);
    expect(c.getStatus()).toBe(Status.CONNECTION_ERROR);
    expect(c.getLastError()).toBe('transport bug');
  });
});
