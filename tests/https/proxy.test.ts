// Proxies with real TLS: setHttpsProxy opens a CONNECT tunnel through a forward proxy on loopback and TLS runs end to
// end to the origin inside it, verified against the test root; setHttpProxy keeps carrying plain http.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Method, Status } from '../../engine-module/http/constants.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import { StreamPeerTLS } from '../../engine-module/tls/stream-peer-tls.js';
import { pattern } from '../ecs/helpers.js';
import { forwardProxy } from '../http/forward-proxy.js';
import { Driver, httpServer, listen, shut } from '../http/loopback-server.js';
import { connectTls, makeHttpsPki, sha256, startHttpsServer, type HttpsPki, type HttpsTestServer } from './fixtures.js';

const platform = createNodePlatform();
const ASSET = Buffer.from(pattern(1024 * 1024, 5));

let pki: HttpsPki;
let origin: HttpsTestServer;
let plainOrigin: Server;
let plainPort: number;
const proxy = forwardProxy();
let proxyPort: number;

beforeAll(async () => {
  pki = makeHttpsPki();
  origin = await startHttpsServer(pki.server, (req, res, connection) => {
    if (req.url === '/asset') return res.writeHead(200, { 'Content-Length': ASSET.length }).end(ASSET);
    res.end(`tls origin saw ${req.url} host=${req.headers.host} on connection ${connection}`);
  });
  plainOrigin = httpServer((req, res) => res.end(`plain origin saw ${req.url} host=${req.headers.host}`));
  plainPort = await listen(plainOrigin);
  proxyPort = await listen(proxy.server);
});

afterAll(async () => {
  await shut(proxy.server, proxy.sockets);
  if (plainOrigin) await shut(plainOrigin);
  await origin?.close();
  pki?.pki.cleanup();
});

function proxiedClient(): Driver {
  const d = new Driver(new HTTPClient({ platform }));
  d.client.setHttpsProxy('127.0.0.1', proxyPort);
  d.client.setHttpProxy('127.0.0.1', proxyPort);
  return d;
}

describe('HTTPS proxy (CONNECT) with real TLS to the origin', () => {
  it('tunnels, verifies the origin against the test root, and downloads byte-exact on one kept-alive connection', async () => {
    const d = proxiedClient();
    const connectionsBefore = origin.tlsConnections;
    expect(await connectTls(d, '127.0.0.1', origin.port, { tls: { trustedChain: pki.rootPem } })).toBe(Status.CONNECTED);
    expect(d.client.getConnection()).toBeInstanceOf(StreamPeerTLS);
    expect(proxy.proxied).toContain(`CONNECT 127.0.0.1:${origin.port} HTTP/1.1`);

    const asset = await d.exchange(Method.GET, '/asset');
    expect([asset.code, asset.body.length, asset.status]).toEqual([200, ASSET.length, Status.CONNECTED]);
    expect(sha256(asset.body)).toBe(sha256(ASSET));
    const hello = await d.exchange(Method.GET, '/hello');
    const connection = origin.tlsConnections;
    expect(hello.body.toString()).toBe(`tls origin saw /hello host=127.0.0.1:${origin.port} on connection ${connection}`);
    expect(connection).toBe(connectionsBefore + 1);
    // Only the CONNECT went to the proxy in the clear; the requests travelled inside the tunnel.
    expect(proxy.proxied.filter((line) => line.includes('/asset') || line.includes('/hello'))).toEqual([]);
    d.client.close();
  });

  it('the origin certificate is still verified through the tunnel', async () => {
    const d = proxiedClient();
    expect(await connectTls(d, '127.0.0.1', origin.port)).toBe(Status.SSL_HANDSHAKE_ERROR);
    expect(d.client.getTlsError()).toMatch(/untrusted root/);
  });

  it('a plain http request on the same client still goes through the HTTP proxy in absolute form', async () => {
    const d = proxiedClient();
    expect(await d.connect('127.0.0.1', plainPort)).toBe(Status.CONNECTED);
    expect(d.client.getConnection()).not.toBeInstanceOf(StreamPeerTLS);
    const x = await d.exchange(Method.GET, '/plain?q=1');
    expect(x.body.toString()).toBe(`plain origin saw /plain?q=1 host=127.0.0.1:${plainPort}`);
    expect(proxy.proxied).toContain(`GET http://127.0.0.1:${plainPort}/plain?q=1 HTTP/1.1`);
    expect(proxy.proxied).not.toContain(`CONNECT 127.0.0.1:${plainPort} HTTP/1.1`);
    d.client.close();
  });
});
