// HTTPRequest against real Node servers on loopback, stepped frame by frame.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { Result, godot4Result } from '../../engine-module/request/result.js';
import { HTTPRequest } from '../../engine-module/scene/http-request.js';
import { pattern, startServer, type TestServer } from '../ecs/helpers.js';
import { same, testScene, text } from './helpers.js';
import { until } from '../helpers/frame-stepper.js';

let server: TestServer;
const seen: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
const big = pattern(3 * 1024 * 1024);
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tickhttp-scene-'));
  server = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const url = new URL(req.url!, 'http://x');
      switch (url.pathname) {
        case '/hello':
          res.setHeader('Content-Type', 'text/plain');
          return res.end('hello');
        case '/echo':
          return res.end(`${req.method} ${Buffer.concat(chunks).toString()}`);
        case '/missing':
          res.statusCode = 404;
          return res.end('not here');
        case '/big':
          res.setHeader('Content-Length', big.length);
          return res.end(Buffer.from(big));
        case '/gzip':
          res.setHeader('Content-Encoding', 'gzip');
          return res.end(gzipSync('decoded text'));
        case '/relative':
          res.statusCode = 307;
          res.setHeader('Location', 'hello?from=relative#frag');
          return res.end();
        case '/loop':
          res.statusCode = 302;
          res.setHeader('Location', '/loop');
          return res.end();
        case '/silent':
          return; // never answers
        case '/slow':
          res.setHeader('Content-Length', 1 << 20);
          return res.write(Buffer.alloc(1000)); // then nothing
      }
    });
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTPRequest', () => {
  it('emits requestCompleted with result, code, headers and body inside the frame step', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    expect(http.request(server.url('/hello'))).toBe(Err.OK);
    expect(http.getHttpClientStatus()).not.toBe(Status.DISCONNECTED);
    await t.until(() => completed.length > 0);
    const [result, code, headers, body] = completed[0];
    expect(result).toBe(Result.SUCCESS);
    expect(code).toBe(200);
    expect(headers).toContain('Content-Type: text/plain');
    expect(text(body)).toBe('hello');
    expect(http.getDownloadedBytes()).toBe(5);
    expect(http.getBodySize()).toBe(5);
    expect(http.getHttpClientStatus()).toBe(Status.DISCONNECTED);
    expect(http.getLastError()).toBe('');
  });

  it('resolves `await node.requestCompleted` with the arguments as an array (Godot 4)', async () => {
    const t = testScene();
    const { http } = t.node();
    const done = http.requestCompleted.then((args) => args);
    http.request(server.url('/missing'));
    let args: unknown[] | null = null;
    void done.then((a) => (args = a));
    await t.until(() => args !== null);
    expect(args![0]).toBe(Result.SUCCESS);
    expect(args![1]).toBe(404);
    expect(text(args![3] as Uint8Array)).toBe('not here');
  });

  it('refuses a second request while one runs, and bad input with a reason, sending nothing', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    const before = seen.length;
    expect(http.request('ftp://127.0.0.1/x')).toBe(Err.ERR_INVALID_PARAMETER);
    expect(http.getLastError()).toMatch(/not an absolute http\(s\) URL/);
    expect(http.request(server.url('/hello'), ['Bad\r\nHeader: x'])).toBe(Err.ERR_INVALID_PARAMETER);
    expect(http.getLastError()).toMatch(/CR, LF or NUL/);
    expect(http.request(server.url('/hello'), [], true, Method.CONNECT)).toBe(Err.ERR_INVALID_PARAMETER);
    http.maxRedirects = -1;
    expect(http.request(server.url('/hello'))).toBe(Err.ERR_INVALID_PARAMETER);
    http.maxRedirects = 8;
    http.timeout = Number.NaN;
    expect(http.request(server.url('/hello'))).toBe(Err.ERR_INVALID_PARAMETER);
    http.timeout = 0;
    http.downloadChunkSize = 10;
    expect(http.request(server.url('/hello'))).toBe(Err.ERR_INVALID_PARAMETER);
    expect(http.getLastError()).toMatch(/readChunkSize/);
    http.downloadChunkSize = 65536;
    expect(http.request(server.url('/hello'))).toBe(Err.OK);
    expect(http.request(server.url('/hello'))).toBe(Err.ERR_BUSY);
    expect(http.getLastError()).toMatch(/already running/);
    await t.until(() => completed.length > 0);
    expect(completed).toHaveLength(1);
    expect(seen.length).toBe(before + 1);
  });

  it("takes Godot 3's (url, headers, ssl, method, data) and Godot 4's (url, headers, method, data)", async () => {
    const t = testScene();
    const { http, completed } = t.node();
    http.request(server.url('/echo'), ['Content-Type: text/plain'], true, Method.PUT, 'three');
    await t.until(() => completed.length === 1);
    expect(text(completed[0][3])).toBe('PUT three');
    http.request(server.url('/echo'), [], Method.POST, 'four');
    await t.until(() => completed.length === 2);
    expect(text(completed[1][3])).toBe('POST four');
    http.requestRaw(server.url('/echo'), [], Method.PATCH, new TextEncoder().encode('raw'));
    await t.until(() => completed.length === 3);
    expect(text(completed[2][3])).toBe('PATCH raw');
    expect(seen.at(-1)!.headers['content-length']).toBe('3');
  });

  it('reuses one node for several requests over one kept-alive connection', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    const accepted = server.accepted;
    for (let i = 1; i <= 3; i++) {
      expect(http.request(server.url('/hello'))).toBe(Err.OK);
      await t.until(() => completed.length === i);
    }
    expect(completed.map((c) => c[0])).toEqual([0, 0, 0]);
    expect(server.accepted - accepted).toBe(1);
  });

  it('lets a listener start the next request from inside the signal', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    let chained = Err.FAILED;
    http.requestCompleted.connect(() => {
      if (completed.length === 1) chained = http.request(server.url('/echo'), [], Method.POST, 'next');
    });
    http.request(server.url('/hello'));
    await t.until(() => completed.length === 2);
    expect(chained).toBe(Err.OK);
    expect(text(completed[1][3])).toBe('POST next');
  });

  it('keeps going when a listener throws: other listeners and other nodes still complete', async () => {
    const errors: unknown[] = [];
    const t = testScene({ onListenerError: (e) => errors.push(e) });
    const a = t.node();
    const b = t.node();
    const thrower = () => {
      throw new Error('listener bug');
    };
    a.http.requestCompleted.connect(thrower);
    const aDone: number[] = [];
    a.http.requestCompleted.connect((r) => aDone.push(r));
    a.http.request(server.url('/hello'));
    b.http.request(server.url('/big'));
    await t.until(() => b.completed.length > 0 && aDone.length > 0);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('listener bug');
    expect(aDone).toEqual([Result.SUCCESS]);
    expect(same(b.completed[0][3], big)).toBe(true);
  });

  it('cancels mid-download without a signal; the node can request again', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    http.request(server.url('/slow'));
    await t.until(() => http.getDownloadedBytes() >= 1000);
    expect(http.getHttpClientStatus()).toBe(Status.BODY);
    http.cancelRequest();
    expect(http.getHttpClientStatus()).toBe(Status.DISCONNECTED);
    expect(t.scene.live.size).toBe(0);
    await t.frame();
    expect(completed).toHaveLength(0);
    expect(http.request(server.url('/hello'))).toBe(Err.OK);
    await t.until(() => completed.length > 0);
    expect(text(completed[0][3])).toBe('hello');
  });

  it('writes downloadFile and gives an empty body; a 404 is not written to the file', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    http.downloadFile = path.join(dir, 'big.bin');
    http.request(server.url('/big'));
    await t.until(() => completed.length === 1);
    expect(completed[0][0]).toBe(Result.SUCCESS);
    expect(completed[0][3]).toHaveLength(0);
    expect(same(readFileSync(http.downloadFile), big)).toBe(true);
    http.downloadFile = path.join(dir, 'missing.bin');
    http.request(server.url('/missing'));
    await t.until(() => completed.length === 2);
    expect(completed[1][1]).toBe(404);
    expect(text(completed[1][3])).toBe('not here');
    http.downloadFile = path.join(dir, 'no-such-dir', 'x.bin');
    http.request(server.url('/hello'));
    await t.until(() => completed.length === 3);
    expect(completed[2][0]).toBe(Result.DOWNLOAD_FILE_CANT_OPEN);
    expect(http.getLastError()).toMatch(/cannot open/);
  });

  it('ends with RESULT_TIMEOUT once `timeout` seconds of frame time have passed', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    http.timeout = 0.5;
    http.request(server.url('/silent'));
    await t.until(() => completed.length > 0);
    expect(completed[0][0]).toBe(Result.TIMEOUT);
    expect(t.clock.now).toBeGreaterThanOrEqual(500);
    expect(http.getLastError()).toMatch(/within 500 ms/);
  });

  it('limits the body size, follows a relative 307 without the fragment, and stops at maxRedirects', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    http.bodySizeLimit = 1000;
    http.request(server.url('/big'));
    await t.until(() => completed.length === 1);
    expect(completed[0].slice(0, 2)).toEqual([Result.BODY_SIZE_LIMIT_EXCEEDED, 200]);
    http.bodySizeLimit = -1;
    http.request(server.url('/relative'));
    await t.until(() => completed.length === 2);
    expect(completed[1].slice(0, 2)).toEqual([Result.SUCCESS, 200]);
    expect(seen.at(-1)!.url).toBe('/hello?from=relative');
    http.maxRedirects = 2;
    http.request(server.url('/loop'));
    await t.until(() => completed.length === 3);
    expect(completed[2].slice(0, 2)).toEqual([Result.REDIRECT_LIMIT_REACHED, 302]);
  });

  it('decodes gzip unless acceptGzip is off', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    http.request(server.url('/gzip'));
    await t.until(() => completed.length === 1);
    expect(text(completed[0][3])).toBe('decoded text');
    expect(seen.at(-1)!.headers['accept-encoding']).toBe('gzip, deflate');
    http.acceptGzip = false;
    http.request(server.url('/gzip'));
    await t.until(() => completed.length === 2);
    expect(Buffer.from(completed[1][3])).toEqual(gzipSync('decoded text'));
    expect(seen.at(-1)!.headers['accept-encoding']).toBeUndefined();
  });

  it('poll() steps one node; updateHttpRequests() steps every live node of the scene', async () => {
    const t = testScene();
    const a = t.node();
    const b = t.node();
    a.http.request(server.url('/hello'));
    b.http.request(server.url('/hello'));
    await until(() => a.completed.length > 0, 'node a to complete', { frames: 2000 }, () => a.http.poll());
    expect(a.completed).toHaveLength(1);
    expect(b.completed).toHaveLength(0);
    expect(b.http.getHttpClientStatus()).toBe(Status.RESOLVING);
    await t.until(() => b.completed.length > 0);
    expect(t.scene.live.size).toBe(0);
  });

  it('reports connection failures as results with reasons', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    const closed = await startServer(() => {});
    const port = closed.port;
    await closed.close();
    http.request(`http://127.0.0.1:${port}/`);
    await t.until(() => completed.length === 1);
    expect(completed[0].slice(0, 2)).toEqual([Result.CANT_CONNECT, 0]);
    http.request('http://no-such-host.invalid/');
    await t.until(() => completed.length === 2);
    expect(completed[1][0]).toBe(Result.CANT_RESOLVE);
    expect(http.getLastError()).toMatch(/no-such-host\.invalid/);
  });

  it("keeps Godot 3's result numbers and maps them to Godot 4's", () => {
    expect(HTTPRequest.RESULT_TIMEOUT).toBe(12);
    expect(HTTPRequest.RESULT_TLS_HANDSHAKE_ERROR).toBe(HTTPRequest.RESULT_SSL_HANDSHAKE_ERROR);
    expect(godot4Result(Result.SUCCESS)).toBe(0);
    expect(godot4Result(Result.BODY_SIZE_LIMIT_EXCEEDED)).toBe(7);
    expect(godot4Result(Result.BODY_DECOMPRESS_FAILED)).toBe(8);
    expect(godot4Result(Result.REQUEST_FAILED)).toBe(9);
    expect(godot4Result(Result.TIMEOUT)).toBe(13);
    expect(godot4Result(Result.QUEUE_FULL)).toBe(-1);
  });
});
