// The ECS systems and the request layer in real Chromium: addRequest specs as on Node, the world updated once per
// animation frame, HTTP over fetch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Result, TimeoutKind } from '../../engine-module/request/result.js';
import type { RequestSpec } from '../../engine-module/request/request-spec.js';
import type { RequestReport } from './page-ecs.js';
import { openSuitePage, type SuitePage } from './suite-page.js';
import { GZIP_TEXT } from './web-server.js';
import { until } from '../helpers/frame-stepper.js';

let suite: SuitePage;

beforeAll(async () => {
  suite = await openSuitePage(new URL('./page-ecs.ts', import.meta.url).pathname);
});
afterAll(() => suite?.close());

const api = (path: string): string => `${suite.server.apiOrigin}${path}`;
const run = (specs: RequestSpec[]): Promise<RequestReport[]> => suite.call<RequestReport[]>('runRequests', specs);

describe('requests through a bitecs world on requestAnimationFrame', () => {
  it('runs 200 requests to their ends byte-exact, progress never going back', async () => {
    const specs: RequestSpec[] = Array.from({ length: 200 }, (_, i) => ({
      url: api(`/bytes?n=${1000 + ((i * 7919) % 300_000)}&id=r${i}${i % 2 ? '&mode=chunked' : ''}`),
    }));
    const reports = await run(specs);
    reports.forEach((r, i) => {
      expect(r.result, r.error).toBe(Result.SUCCESS);
      expect(r.code).toBe(200);
      expect(r.sha256).toBe(suite.server.sentSha256.get(`r${i}`));
      for (let k = 1; k < r.received.length; k++) expect(r.received[k]).toBeGreaterThanOrEqual(r.received[k - 1]);
      const n = 1000 + ((i * 7919) % 300_000);
      expect(r.received.at(-1)).toBe(n);
      // Content-Length is exposed for the non-chunked half: the total is known from the head on.
      if (i % 2 === 0) expect(r.total.at(-1)).toBe(n);
    });
  });

  it('sends bodies and headers, and reports CORS refusals and refusals of forbidden headers with reasons', async () => {
    const [post, refused, forbidden, verifyOff] = await run([
      { url: api('/echo'), method: 'POST', headers: { 'X-Score': '42' }, body: 'score=42' },
      { url: api('/nocors') },
      { url: api('/echo'), headers: { Cookie: 'a=b' } },
      { url: 'https://127.0.0.1:1/', tls: { verifyHost: false } },
    ]);
    expect(post.result).toBe(Result.SUCCESS);
    const echo = JSON.parse(post.text);
    expect([echo.method, echo.headers['x-score'], echo.length]).toEqual(['POST', '42', 8]);
    expect(post.sent).toBe(8); // handed to fetch counts as sent
    expect(refused.result).toBe(Result.CANT_CONNECT);
    expect(refused.error).toContain('fetch failed: network error, CORS refusal or refused connection');
    expect(forbidden.result).toBe(Result.REQUEST_FAILED);
    expect(forbidden.error).toContain('request header Cookie');
    expect(verifyOff.result).toBe(Result.REQUEST_FAILED);
    expect(verifyOff.error).toContain('verifyHost = false');
  });

  it('lets the browser follow redirects and decode gzip, reporting the final URL', async () => {
    const to = api('/echo?landed=1');
    const [redirected, gzip] = await run([{ url: api(`/redirect?to=${encodeURIComponent(to)}`) }, { url: api('/gzip') }]);
    expect(redirected.result).toBe(Result.SUCCESS);
    expect(redirected.url).toBe(to);
    expect(gzip.result, gzip.error).toBe(Result.SUCCESS);
    expect(gzip.text).toBe(GZIP_TEXT);
    // The browser does not ask for compression when told not to be asked: no Accept-Encoding of ours went out.
    const seen = suite.server.seen.filter((s) => s.url === '/gzip');
    expect(seen.at(-1)?.headers['accept-encoding']).not.toBe('gzip, deflate');
  });

  it('revalidates through the cache: the second request is a 304 answered from it', async () => {
    const [first] = await run([{ url: api('/etag?id=one'), cache: true }]);
    expect(first.result).toBe(Result.SUCCESS);
    expect(first.fromCache).toBe(false);
    // A world has its own cache: both requests go through one world here.
    const [a, b] = await suite.call<RequestReport[]>('runInSequence', [{ url: api('/etag?id=two'), cache: true }, { url: api('/etag?id=two'), cache: true }]);
    expect(a.fromCache).toBe(false);
    expect(b.result).toBe(Result.SUCCESS);
    expect(b.fromCache).toBe(true);
    expect(b.text).toBe('cached body two');
    const seen = suite.server.seen.filter((s) => s.url === '/etag?id=two');
    expect(seen.map((s) => s.headers['if-none-match'])).toEqual([undefined, '"v1"']);
  });

  it('a stalled body ends in a stall timeout; a body cut short in a connection error', async () => {
    const [stalled, reset] = await run([
      { url: api('/stall?n=3000'), timeouts: { stallMs: 400 } },
      { url: api(`/reset?n=${2 * 1024 * 1024}`) },
    ]);
    expect(stalled.result).toBe(Result.TIMEOUT);
    expect(stalled.timeout).toBe(TimeoutKind.STALL);
    expect(reset.result).toBe(Result.CONNECTION_ERROR);
    expect(reset.error).toContain('fetch failed during the body');
  });

  it('retries a refused fetch with backoff, then reports it', async () => {
    const [r] = await run([{ url: api('/nocors'), retry: { retries: 2, baseDelayMs: 10 } }]);
    expect(r.result).toBe(Result.CANT_CONNECT);
    expect(suite.server.seen.filter((s) => s.url === '/nocors').length).toBeGreaterThanOrEqual(3);
  });

  it('removing the Request component aborts the fetch', async () => {
    suite.server.stalled.clear();
    const out = await suite.call<{ received: number; cancelled: boolean }>('cancelAfter', { url: api('/stall?n=2000') }, 2000);
    expect(out.cancelled).toBe(true);
    expect(out.received).toBe(2000);
    const [res] = [...suite.server.stalled];
    // The browser closes the aborted connection in its own time: a bound in milliseconds.
    await until(() => res.destroyed || !!res.socket?.destroyed, 'the server to see the fetch aborted', { ms: 3000 });
  });

  it("a download to a file goes to the page's Origin Private File System: the body is not kept in memory", async () => {
    const [r] = await run([{ url: api('/bytes?n=10&id=file'), download: 'saved.bin' }]);
    expect([r.result, r.code, r.text, r.received.at(-1)]).toEqual([Result.SUCCESS, 200, '', 10]);
  });
});
