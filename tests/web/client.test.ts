// HTTPClient in real Chromium: the Godot API over fetch, stepped once per animation frame, against Node servers on
// loopback (the API on another origin than the page, so every request is a CORS request).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { listen } from '../http/loopback-server.js';
import type { ExchangeArgs, ExchangeReport, ReadingReport } from './page-client.js';
import { openSuitePage, type SuitePage } from './suite-page.js';
import { until } from '../helpers/frame-stepper.js';

let suite: SuitePage;
const MiB = 1024 * 1024;

beforeAll(async () => {
  suite = await openSuitePage(new URL('./page-client.ts', import.meta.url).pathname);
});
afterAll(() => suite?.close());

function exchange(args: Omit<ExchangeArgs, 'port'>): Promise<ExchangeReport> {
  return suite.call<ExchangeReport>('exchange', { port: suite.server.apiPort, ...args });
}

describe('HTTPClient over fetch', () => {
  it('sends each method with its headers and body, and reads the answer', async () => {
    for (const method of [Method.GET, Method.POST, Method.PUT, Method.DELETE, Method.PATCH]) {
      const body = method === Method.GET ? '' : `body of ${Method[method]} \u00e9`;
      const r = await exchange({ method, path: `/echo?m=${method}`, headers: ['X-Game: dodge', 'Content-Type: text/plain'], body });
      expect(r.connectErr).toBe(Err.OK);
      expect(r.requestErr).toBe(Err.OK);
      expect(r.code).toBe(200);
      expect(r.status).toBe(Status.CONNECTED);
      const echo = JSON.parse(r.text);
      expect(echo.method).toBe(Method[method]);
      expect(echo.headers['x-game']).toBe('dodge');
      expect(echo.length).toBe(Buffer.byteLength(body));
      expect(r.headers['x-method']).toBe(Method[method]);
    }
    const seen = suite.server.seen.filter((s) => s.url.startsWith('/echo?m='));
    expect(seen.map((s) => s.method)).toEqual(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
    expect(seen[1].body.toString()).toBe('body of POST \u00e9');
  });

  it('HEAD has a head and no body', async () => {
    const r = await exchange({ method: Method.HEAD, path: '/echo' });
    expect(r.code).toBe(200);
    expect(r.headers['x-method']).toBe('HEAD');
    expect(r.received).toBe(0);
    expect(r.status).toBe(Status.CONNECTED);
  });

  it.each(['length', 'chunked'])('reads a 16 MiB %s body byte-exact', async (mode) => {
    const id = `big-${mode}`;
    const r = await exchange({ method: Method.GET, path: `/bytes?n=${16 * MiB}&mode=${mode}&id=${id}`, maxFrames: 20_000 });
    expect(r.code).toBe(200);
    expect(r.status).toBe(Status.CONNECTED);
    expect(r.received).toBe(16 * MiB);
    expect(r.sha256).toBe(suite.server.sentSha256.get(id));
    expect(r.bodyLength).toBe(mode === 'length' ? 16 * MiB : -1);
  });

  it('keeps one stream read in flight and pauses reading while maxBufferedBytes wait unread', async () => {
    const r = await suite.call<ReadingReport>('pacedReading', suite.server.apiPort, `/bytes?n=${4 * MiB}&id=paced`, MiB, 30);
    expect(r.status).toBe(Status.CONNECTED);
    expect(r.received).toBe(4 * MiB);
    expect(r.sha256).toBe(suite.server.sentSha256.get('paced'));
    expect(r.maxInFlight).toBe(1);
    // Reading stops once the limit is reached: at most one more delivered chunk lies beyond it (the browser sizes
    // chunks by its data pipe, so the bound is the limit plus the largest chunk it delivered).
    expect(r.maxBuffered).toBeGreaterThanOrEqual(MiB);
    expect(r.maxBuffered).toBeLessThan(MiB + r.maxChunk);
    expect(r.maxBuffered).toBeLessThan(4 * MiB);
  });

  it('hands out at most readChunkSize bytes per read', async () => {
    const r = await exchange({ method: Method.GET, path: `/bytes?n=${300_000}&id=small`, readChunkSize: 4096 });
    expect(r.received).toBe(300_000);
    expect(r.largestChunk).toBe(4096);
    expect(r.sha256).toBe(suite.server.sentSha256.get('small'));
  });

  it('a resume (Range with If-Range) reaches the server even when the browser holds the whole body fresh', async () => {
    // Fetch sends a request with If-Range past the HTTP cache (as it does any conditional request in the default
    // cache mode), so the server checks the validator against its current file. A Range alone may be answered from
    // the cache: nothing tickhttp sends for a resume is.
    const path = `/file?id=ranged&n=${MiB}&maxAge=600`;
    const whole = await exchange({ method: Method.GET, path });
    expect(whole.code).toBe(200);
    const part = await exchange({ method: Method.GET, path, headers: ['Range: bytes=1000-', 'If-Range: "ranged-1"'] });
    expect(part.code).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-${MiB - 1}/${MiB}`);
    expect(part.bodyLength).toBe(MiB - 1000);
    const data = suite.server.files.get('ranged:1')!;
    expect(part.sha256).toBe(createHash('sha256').update(data.subarray(1000)).digest('hex'));
    const seen = suite.server.seen.filter((s) => s.url === path);
    expect(seen.map((s) => s.headers.range)).toEqual([undefined, 'bytes=1000-']);
  });

  it('reports a 404 as a response, the connection still usable', async () => {
    const r = await exchange({ method: Method.GET, path: '/missing' });
    expect(r.code).toBe(404);
    expect(r.text).toBe('not found');
    expect(r.status).toBe(Status.CONNECTED);
  });

  it('a reset in the middle of the body is a connection error, never a short success', async () => {
    const r = await exchange({ method: Method.GET, path: `/reset?n=${4 * MiB}` });
    expect(r.code).toBe(200);
    expect(r.status).toBe(Status.CONNECTION_ERROR);
    expect(r.received).toBeLessThan(4 * MiB);
    expect(r.lastError).toContain('fetch failed during the body');
  });

  it('a CORS refusal and a refused connection are STATUS_CANT_CONNECT with the reason', async () => {
    const cors = await exchange({ method: Method.GET, path: '/nocors' });
    expect(cors.status).toBe(Status.CANT_CONNECT);
    expect(cors.lastError).toContain('fetch failed: network error, CORS refusal or refused connection');
    // A port that was just free: nothing listens there.
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    const refused = await suite.call<ExchangeReport>('exchange', { port, method: Method.GET, path: '/' });
    expect(refused.status).toBe(Status.CANT_CONNECT);
    expect(refused.lastError).toContain('fetch failed: network error, CORS refusal or refused connection');
  });

  it('reports the final URL when the browser followed a redirect', async () => {
    const to = `${suite.server.apiOrigin}/echo?after=redirect`;
    const r = await exchange({ method: Method.GET, path: `/redirect?to=${encodeURIComponent(to)}` });
    expect(r.code).toBe(200);
    expect(r.responseUrl).toBe(to);
  });

  it('close() aborts the fetch: the server sees its connection end', async () => {
    suite.server.stalled.clear();
    const r = await exchange({ method: Method.GET, path: '/stall?n=5000', closeAfter: 5000 });
    expect(r.received).toBe(5000);
    expect(r.status).toBe(Status.DISCONNECTED);
    const [res] = [...suite.server.stalled];
    // The browser closes the aborted connection in its own time: a bound in milliseconds.
    await until(() => res.destroyed || !!res.socket?.destroyed, 'the server to see the fetch aborted', { ms: 2000 });
  });

  it('refuses what a browser cannot do with ERR_UNAVAILABLE and a reason, sending nothing', async () => {
    const before = suite.server.seen.length;
    const out = await suite.call<Record<string, { err: Err; reason: string | null }>>('refusals', suite.server.apiPort);
    const reason = (name: string): string => {
      expect(out[name].err, name).toBe(Err.ERR_UNAVAILABLE);
      return out[name].reason ?? '';
    };
    expect(reason('verifyHost')).toContain('verifyHost = false');
    expect(reason('trustedChain')).toContain('trustedChain');
    expect(reason('proxy')).toContain('proxies');
    expect(reason('blockingBeforeConnect')).toContain('blocking mode');
    expect(reason('blockingWhileConnected')).toContain('blocking mode');
    expect(reason('hostHeader')).toContain('request header Host ');
    expect(reason('severalHeaders')).toContain('request headers Connection, Content-Length ');
    expect(reason('secHeader')).toContain('Sec-Fetch-Mode');
    expect(reason('trace')).toContain('method TRACE');
    expect(reason('connect')).toContain('method CONNECT');
    expect(reason('getWithBody')).toContain('a body with GET');
    expect(out.statusAfter.err as number).toBe(Status.CONNECTED);
    expect(suite.server.seen.length).toBe(before);
  });
});
