// A TLS server that closes the TCP connection without close_notify (as many do): HTTP framing decides. A response
// whose Content-Length was met is complete; a shorter body, or a body delimited by the close itself, may have been
// cut by an attacker and is a CONNECTION_ERROR, never a silent success. With close_notify, read-until-close is fine.
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Method, Status } from '../../engine-module/http/constants.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import { Driver, listen, shut } from '../http/loopback-server.js';
import { connectTls, makeHttpsPki, type HttpsPki } from './fixtures.js';

const platform = createNodePlatform();
const BODY = 'x'.repeat(20_000);

/** How the server answers the next request. */
let reply: { head: string; body: string; close: 'close_notify' | 'abrupt' };

let pki: HttpsPki;
let server: Server;
let port: number;
const sockets = new Set<TLSSocket>();

beforeAll(async () => {
  pki = makeHttpsPki();
  server = createServer({ key: pki.server.key, cert: pki.server.cert }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    let seen = '';
    s.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      const { head, body, close } = reply;
      // end() sends close_notify first; destroy() closes the socket with no alert.
      s.write(head + body, () => (close === 'abrupt' ? s.destroy() : s.end()));
    });
  });
  port = await listen(server);
});

afterAll(async () => {
  if (server) await shut(server, sockets);
  pki?.pki.cleanup();
});

async function exchange() {
  const d = new Driver(new HTTPClient({ platform }));
  expect(await connectTls(d, '127.0.0.1', port, { tls: { trustedChain: pki.rootPem } })).toBe(Status.CONNECTED);
  const x = await d.exchange(Method.GET, '/');
  d.client.close();
  return { code: x.code, status: x.status, body: x.body.toString() };
}

describe('closing without close_notify', () => {
  it('after a complete Content-Length body (Connection: close): a success', async () => {
    reply = { head: `HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: ${BODY.length}\r\n\r\n`, body: BODY, close: 'abrupt' };
    expect(await exchange()).toEqual({ code: 200, status: Status.DISCONNECTED, body: BODY });
  });

  it('after a complete Content-Length body on a kept-alive connection: a success', async () => {
    reply = { head: `HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\n\r\n`, body: BODY, close: 'abrupt' };
    expect(await exchange()).toEqual({ code: 200, status: Status.CONNECTED, body: BODY });
  });

  it('after a complete chunked body: a success', async () => {
    const body = `${BODY.length.toString(16)}\r\n${BODY}\r\n0\r\n\r\n`;
    reply = { head: 'HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n', body, close: 'abrupt' };
    expect(await exchange()).toEqual({ code: 200, status: Status.DISCONNECTED, body: BODY });
  });

  it('before the Content-Length is met: CONNECTION_ERROR, with the bytes that came handed out', async () => {
    reply = { head: `HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\n\r\n`, body: BODY.slice(0, 5000), close: 'abrupt' };
    expect(await exchange()).toEqual({ code: 200, status: Status.CONNECTION_ERROR, body: BODY.slice(0, 5000) });
  });

  it('ending a read-until-close body: CONNECTION_ERROR (a truncation cannot be told apart)', async () => {
    reply = { head: 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n', body: BODY, close: 'abrupt' };
    const x = await exchange();
    expect([x.code, x.status]).toEqual([200, Status.CONNECTION_ERROR]);
  });
});

describe('closing with close_notify', () => {
  it('ends a read-until-close body cleanly', async () => {
    reply = { head: 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n', body: BODY, close: 'close_notify' };
    expect(await exchange()).toEqual({ code: 200, status: Status.DISCONNECTED, body: BODY });
  });

  it('before the Content-Length is met: still CONNECTION_ERROR', async () => {
    reply = { head: `HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\n\r\n`, body: BODY.slice(0, 5000), close: 'close_notify' };
    expect(await exchange()).toEqual({ code: 200, status: Status.CONNECTION_ERROR, body: BODY.slice(0, 5000) });
  });
});
