// HTTPClient against real Node http servers on loopback, frame by frame.
import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import '../../engine-module/node.js';
import { Driver, httpServer, listen, shut } from './loopback-server.js';
import { until } from '../helpers/frame-stepper.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const BIG = randomBytes(16 * 1024 * 1024);
const BIG_SHA = sha256(BIG);

describe('HTTPClient over loopback', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = httpServer((req, res, socketId) => {
      const parts: Buffer[] = [];
      req.on('data', (d) => parts.push(d));
      req.on('end', () => {
        const body = Buffer.concat(parts);
        const url = req.url ?? '/';
        if (url === '/big') {
          res.setHeader('Content-Length', BIG.length);
          res.end(BIG);
        } else if (url === '/big-chunked') {
          for (let at = 0; at < BIG.length; at += 1 << 20) res.write(BIG.subarray(at, at + (1 << 20)));
          res.end();
        } else if (url === '/chunked') {
          res.write('hello ');
          res.write('chunked ');
          res.end('world');
        } else if (url === '/close') {
          res.setHeader('Connection', 'close');
          res.end('bye');
        } else {
          const info = JSON.stringify({ method: req.method, url, socketId, host: req.headers.host, ua: req.headers['user-agent'], accept: req.headers.accept, length: req.headers['content-length'] ?? null, bodySha: sha256(body), bodyLength: body.length });
          res.setHeader('Content-Type', 'application/json');
          res.setHeader('Content-Length', Buffer.byteLength(info));
          res.end(info);
        }
      });
    });
    port = await listen(server);
  });
  afterAll(() => shut(server));

  it('sends every method on one kept-alive connection (the server sees one socket)', async () => {
    const d = new Driver();
    expect(await d.connect('127.0.0.1', port)).toBe(Status.CONNECTED);
    const seen = [];
    for (const m of [Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.DELETE, Method.OPTIONS, Method.PATCH]) {
      const x = await d.exchange(m, `/m${m}?q=1`, ['X-Test: yes'], m === Method.POST || m === Method.PATCH ? 'payload' : '');
      expect(x.err).toBe(Err.OK);
      expect(x.code).toBe(200);
      expect(x.status).toBe(Status.CONNECTED);
      if (m === Method.HEAD) {
        expect(x.body.length).toBe(0);
        expect(x.length).toBe(0);
        continue;
      }
      const info = JSON.parse(x.body.toString());
      expect(x.length).toBe(x.body.length);
      seen.push(info);
      expect(info.url).toBe(`/m${m}?q=1`);
      expect(info.host).toBe(`127.0.0.1:${port}`);
      expect(info.ua).toBe('tickhttp/0.1.0');
      expect(info.accept).toBe('*/*');
    }
    expect(seen.map((i) => i.method)).toEqual(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);
    expect(seen.map((i) => i.bodyLength)).toEqual([0, 7, 0, 0, 0, 7]);
    expect(seen.find((i) => i.method === 'PUT').length).toBe('0');
    expect(new Set(seen.map((i) => i.socketId)).size).toBe(1);
    d.client.close();
  });

  it('reads chunked bodies (length unknown) and content-length bodies', async () => {
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    const c = await d.exchange(Method.GET, '/chunked');
    expect({ body: c.body.toString(), chunked: c.chunked, length: c.length, status: c.status }).toEqual({
      body: 'hello chunked world',
      chunked: true,
      length: -1,
      status: Status.CONNECTED,
    });
    const l = await d.exchange(Method.GET, '/');
    expect({ chunked: l.chunked, length: l.length }).toEqual({ chunked: false, length: l.body.length });
    d.client.close();
  });

  it('honours Connection: close (DISCONNECTED after the response, reconnect works)', async () => {
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    const x = await d.exchange(Method.GET, '/close');
    expect({ body: x.body.toString(), status: x.status, has: d.client.hasResponse() }).toEqual({ body: 'bye', status: Status.DISCONNECTED, has: true });
    expect(d.client.request(Method.GET, '/', [])).toBe(Err.ERR_INVALID_PARAMETER);
    expect(await d.connect('127.0.0.1', port)).toBe(Status.CONNECTED);
    expect((await d.exchange(Method.GET, '/')).code).toBe(200);
    d.client.close();
  });

  it('downloads 16 MiB byte-exact, content-length and chunked', async () => {
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    const a = await d.exchange(Method.GET, '/big');
    expect({ n: a.body.length, sha: sha256(a.body), length: a.length }).toEqual({ n: BIG.length, sha: BIG_SHA, length: BIG.length });
    d.client.setReadChunkSize(1 << 20);
    const b = await d.exchange(Method.GET, '/big-chunked');
    expect({ n: b.body.length, sha: sha256(b.body), chunked: b.chunked, status: b.status }).toEqual({ n: BIG.length, sha: BIG_SHA, chunked: true, status: Status.CONNECTED });
    d.client.close();
  });

  it('uploads 16 MiB byte-exact', async () => {
    const d = new Driver();
    await d.connect('127.0.0.1', port);
    const x = await d.exchange(Method.POST, '/upload', ['Content-Type: application/octet-stream'], BIG);
    const info = JSON.parse(x.body.toString());
    expect({ n: info.bodyLength, sha: info.bodySha, length: info.length }).toEqual({ n: BIG.length, sha: BIG_SHA, length: String(BIG.length) });
    d.client.close();
  });

  it('keeps memory bounded when the game does not read: the socket is paused past the high-water mark', async () => {
    const highWaterMark = 1 << 20;
    const client = new HTTPClient({ platform: createNodePlatform({ highWaterMark }) });
    const d = new Driver(client);
    await d.connect('127.0.0.1', port);
    expect(client.request(Method.GET, '/big', [])).toBe(Err.OK);
    // Polled by hand: the Driver's frame would read the body.
    await until(() => client.getStatus() === Status.BODY, 'the body to start', { frames: 10_000 }, () => client.poll());
    // Tick without reading the body: only the transport's queue grows, and it stops near the mark.
    let most = 0;
    for (let i = 0; i < 300; i++) {
      client.poll();
      most = Math.max(most, client.getConnection()!.getAvailableBytes());
      await new Promise((r) => setImmediate(r));
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThan(highWaterMark + 512 * 1024);
    const parts: Buffer[] = [];
    for (let tick = 0; client.getStatus() === Status.BODY && tick < 100_000; tick++) {
      for (let chunk = client.readResponseBodyChunk(); chunk.length; chunk = client.readResponseBodyChunk()) parts.push(Buffer.from(chunk));
      await new Promise((r) => setImmediate(r));
    }
    expect(sha256(Buffer.concat(parts))).toBe(BIG_SHA);
    client.close();
  });

  it('resolves host names through the platform (localhost)', async () => {
    const local = httpServer((_req, res) => res.end('named'));
    const localPort = await listen(local, 'localhost');
    const d = new Driver();
    expect(d.client.connectToHost('localhost', localPort)).toBe(Err.OK);
    expect(d.client.getStatus()).toBe(Status.RESOLVING);
    await d.stepper.until(() => d.client.getStatus() === Status.CONNECTED);
    expect((await d.exchange(Method.GET, '/')).body.toString()).toBe('named');
    d.client.close();
    await shut(local);
  });
});
