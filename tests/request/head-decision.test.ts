// The decision on a response head, without any server: each row of the table in docs/ARCHITECTURE.md.
import { describe, expect, it } from 'vitest';
import { decideHead, type HeadFacts } from '../../engine-module/request/head-decision.js';
import { retryPolicy } from '../../engine-module/request/retry.js';
import { parseUrl } from '../../engine-module/request/url.js';

const hop = { method: 'GET' as const, url: parseUrl('http://a.test/file')!, headers: ['Authorization: x'], body: null };
const stored = new Uint8Array([1, 2, 3]);

function facts(over: Partial<HeadFacts>): HeadFacts {
  return {
    code: 200,
    fields: [],
    hop,
    redirects: 0,
    maxRedirects: 8,
    retry: retryPolicy({ retries: 2, baseDelayMs: 100 }),
    retries: 0,
    revalidating: false,
    storedBody: null,
    resume: null,
    wallNow: Date.UTC(2026, 0, 1),
    random01: () => 0.5,
    ...over,
  };
}

describe('the decision on a response head', () => {
  it('follows a redirect with a usable Location, dropping credentials across origins', () => {
    const d = decideHead(facts({ code: 302, fields: [['Location', 'http://b.test/x']] }));
    expect(d.kind).toBe('redirect');
    if (d.kind === 'redirect') expect([d.hop.url.host, d.hop.headers]).toEqual(['b.test', []]);
  });

  it('reads the first Location of several (a repeated field is not joined)', () => {
    const d = decideHead(facts({ code: 301, fields: [['location', '/one'], ['Location', '/two']] }));
    expect(d.kind === 'redirect' && d.hop.url.target).toBe('/one');
  });

  it('stops at the redirect limit, and treats a redirect without Location as the body', () => {
    expect(decideHead(facts({ code: 307, fields: [['Location', '/x']], redirects: 8 }))).toEqual({ kind: 'redirect-limit', max: 8 });
    expect(decideHead(facts({ code: 302 }))).toEqual({ kind: 'body', offset: 0, total: -1 });
  });

  it('retries a listed status after the jittered backoff, or after a Retry-After within maxDelayMs', () => {
    expect(decideHead(facts({ code: 503 }))).toEqual({ kind: 'retry', delay: 75 });
    expect(decideHead(facts({ code: 429, fields: [['Retry-After', '2']] }))).toEqual({ kind: 'retry', delay: 2000 });
    const date = 'Thu, 01 Jan 2026 00:00:05 GMT';
    expect(decideHead(facts({ code: 503, fields: [['Retry-After', date]] }))).toEqual({ kind: 'retry', delay: 5000 });
  });

  it('reports the response when retries are spent, the method is not idempotent, or Retry-After is too long', () => {
    expect(decideHead(facts({ code: 503, retries: 2 })).kind).toBe('body');
    expect(decideHead(facts({ code: 503, hop: { ...hop, method: 'POST' } })).kind).toBe('body');
    expect(decideHead(facts({ code: 503, fields: [['Retry-After', '3600']] })).kind).toBe('body');
  });

  it('answers a 304 to a revalidation from the cache; a stored body gone means asking again whole', () => {
    expect(decideHead(facts({ code: 304, revalidating: true, storedBody: stored }))).toEqual({ kind: 'from-cache', body: stored });
    expect(decideHead(facts({ code: 304, revalidating: true, storedBody: null }))).toEqual({ kind: 'restart-whole' });
    expect(decideHead(facts({ code: 304 })).kind).toBe('body');
  });

  it('continues a partial file on a 206 at its offset, with the complete size', () => {
    const resume = { offset: 1000, validator: '"v"' };
    const fields: [string, string][] = [['Content-Range', 'bytes 1000-4999/5000']];
    expect(decideHead(facts({ code: 206, fields, resume }))).toEqual({ kind: 'body', offset: 1000, total: 5000 });
    const unknown: [string, string][] = [['Content-Range', 'bytes 1000-4999/*']];
    expect(decideHead(facts({ code: 206, fields: unknown, resume }))).toEqual({ kind: 'body', offset: 1000, total: -1 });
  });

  it('restarts whole on 416, on a Content-Range elsewhere or malformed; a 200 to a range rewrites from zero', () => {
    const resume = { offset: 1000, validator: '"v"' };
    expect(decideHead(facts({ code: 416, resume }))).toEqual({ kind: 'restart-whole' });
    expect(decideHead(facts({ code: 206, fields: [['Content-Range', 'bytes 0-4999/5000']], resume }))).toEqual({ kind: 'restart-whole' });
    expect(decideHead(facts({ code: 206, fields: [['Content-Range', 'nonsense']], resume }))).toEqual({ kind: 'restart-whole' });
    expect(decideHead(facts({ code: 200, resume }))).toEqual({ kind: 'body', offset: 0, total: -1 });
  });

  it('a redirect comes before a retry, a retry before the cache', () => {
    const retry = retryPolicy({ retries: 1, statusCodes: [301, 304] });
    expect(decideHead(facts({ code: 301, fields: [['Location', '/x']], retry })).kind).toBe('redirect');
    expect(decideHead(facts({ code: 304, retry, revalidating: true, storedBody: stored })).kind).toBe('retry');
  });
});
