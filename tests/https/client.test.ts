// HTTPS end to end: HTTPClient with its default TLS layer against Node's https server on loopback, verified against
// the test root, with node:crypto (the Node platform's default) and with the pure JavaScript provider.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Method, Status } from '../../engine-module/http/constants.js';
import { StreamPeerTLS } from '../../engine-module/tls/stream-peer-tls.js';
import { pattern } from '../ecs/helpers.js';
import { Driver } from '../http/loopback-server.js';
import { connectTls, makeHttpsPki, providerPlatforms, sha256, startHttpsServer, type HttpsPki, type HttpsTestServer } from './fixtures.js';

const BIG = Buffer.from(pattern(4 * 1024 * 1024, 9));

let pki: HttpsPki;
let server: HttpsTestServer;

beforeAll(async () => {
  pki = makeHttpsPki();
  server = await startHttpsServer(pki.server, (req, res, connection) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      if (req.url === '/big') return res.writeHead(200, { 'Content-Length': BIG.length }).end(BIG);
      if (req.url === '/chunked') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        for (const piece of ['first ', 'second ', 'third']) res.write(piece);
        return res.end();
      }
      if (req.url === '/echo') return res.end(`${req.method} ${body.length} ${sha256(body)}`);
      res.setHeader('X-Connection', String(connection));
      res.end(`${req.method} ${req.url} host=${req.headers.host}`);
    });
  });
});

afterAll(async () => {
  await server?.close();
  pki?.pki.cleanup();
});

describe.each(providerPlatforms())('HTTPS through HTTPClient, $name provider', ({ platform, crypto }) => {
  async function connected(): Promise<Driver> {
    const d = new Driver(new HTTPClient({ platform }));
    expect(await connectTls(d, '127.0.0.1', server.port, { tls: { trustedChain: pki.rootPem } })).toBe(Status.CONNECTED);
    expect(d.client.getConnection()).toBeInstanceOf(StreamPeerTLS);
    return d;
  }

  it('GET: status, headers and body; the provider protected the records', async () => {
    const before = crypto.aeadKeys;
    const d = await connected();
    const x = await d.exchange(Method.GET, '/hello?x=1');
    expect([x.code, x.status, x.body.toString()]).toEqual([200, Status.CONNECTED, `GET /hello?x=1 host=127.0.0.1:${server.port}`]);
    expect(x.headers['X-Connection']).toMatch(/^\d+$/);
    expect(crypto.aeadKeys).toBeGreaterThan(before);
    expect((d.client.getConnection() as StreamPeerTLS).getNegotiated()).toMatchObject({ version: 'TLSv1.3', alpn: 'http/1.1' });
    d.client.close();
  });

  it('POST with a body', async () => {
    const d = await connected();
    const body = Buffer.from(pattern(300_000, 3));
    const x = await d.exchange(Method.POST, '/echo', ['Content-Type: application/octet-stream'], new Uint8Array(body));
    expect([x.code, x.body.toString()]).toEqual([200, `POST ${body.length} ${sha256(body)}`]);
    d.client.close();
  });

  it('chunked response', async () => {
    const d = await connected();
    const x = await d.exchange(Method.GET, '/chunked');
    expect([x.code, x.chunked, x.length, x.body.toString(), x.status]).toEqual([200, true, -1, 'first second third', Status.CONNECTED]);
    d.client.close();
  });

  it('keep-alive: several requests share one TLS connection', async () => {
    const d = await connected();
    const before = server.tlsConnections;
    const seen: string[] = [];
    for (const path of ['/a', '/b', '/c', '/d']) {
      const x = await d.exchange(Method.GET, path);
      expect([x.body.toString(), x.status]).toEqual([`GET ${path} host=127.0.0.1:${server.port}`, Status.CONNECTED]);
      seen.push(x.headers['X-Connection']);
    }
    expect(new Set(seen).size).toBe(1);
    expect(server.tlsConnections).toBe(before);
    d.client.close();
  });

  it('a 4 MiB download arrives byte-exact', async () => {
    const d = await connected();
    const x = await d.exchange(Method.GET, '/big');
    expect([x.code, x.length, x.body.length, x.status]).toEqual([200, BIG.length, BIG.length, Status.CONNECTED]);
    expect(sha256(x.body)).toBe(sha256(BIG));
    d.client.close();
  });
});
