import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  isTransientFailure,
  mayRetry,
  parseRetryAfter,
  randomUnit,
  retryPolicy,
} from '../../engine-module/request/retry.js';
import { parseHttpDate } from '../../engine-module/request/http-date.js';
import { Result, TimeoutKind } from '../../engine-module/request/result.js';

describe('retry policy', () => {
  it('is off by default and opt-in for idempotent methods only', () => {
    expect(mayRetry(retryPolicy(undefined), 'GET', 1)).toBe(false);
    const p = retryPolicy({ retries: 2 });
    expect(mayRetry(p, 'GET', 1)).toBe(true);
    expect(mayRetry(p, 'PUT', 2)).toBe(true);
    expect(mayRetry(p, 'GET', 3)).toBe(false);
    expect(mayRetry(p, 'POST', 1)).toBe(false);
    expect(mayRetry(retryPolicy({ retries: 1, nonIdempotent: true }), 'POST', 1)).toBe(true);
    expect(p.statusCodes).toEqual([429, 503]);
  });

  it('backs off exponentially with the upper half jittered, capped', () => {
    const p = retryPolicy({ retries: 10, baseDelayMs: 100, maxDelayMs: 1000 });
    expect(backoffDelay(p, 1, 0)).toBe(50);
    expect(backoffDelay(p, 1, 0.999999)).toBe(99);
    expect(backoffDelay(p, 2, 0)).toBe(100);
    expect(backoffDelay(p, 3, 0.5)).toBe(300);
    expect(backoffDelay(p, 9, 0)).toBe(500);
    expect(backoffDelay(p, 60, 0.999999)).toBeLessThanOrEqual(1000);
  });

  it('retries network failures but not a total timeout, TLS failure or body problem', () => {
    expect(isTransientFailure(Result.CONNECTION_ERROR, TimeoutKind.NONE)).toBe(true);
    expect(isTransientFailure(Result.CANT_CONNECT, TimeoutKind.NONE)).toBe(true);
    expect(isTransientFailure(Result.TIMEOUT, TimeoutKind.STALL)).toBe(true);
    expect(isTransientFailure(Result.TIMEOUT, TimeoutKind.TOTAL)).toBe(false);
    expect(isTransientFailure(Result.SSL_HANDSHAKE_ERROR, TimeoutKind.NONE)).toBe(false);
    expect(isTransientFailure(Result.BODY_SIZE_LIMIT_EXCEEDED, TimeoutKind.NONE)).toBe(false);
  });

  it('reads Retry-After as seconds or an HTTP-date', () => {
    const now = Date.UTC(1994, 10, 6, 8, 49, 30);
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-1', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('parses the three HTTP-date forms', () => {
    const t = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(t);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(t);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(t);
    expect(parseHttpDate('Sun, 06 Foo 1994 08:49:37 GMT')).toBeNull();
    expect(parseHttpDate('yesterday')).toBeNull();
  });

  it('draws jitter from the given secure source, in [0, 1)', () => {
    expect(randomUnit(() => new Uint8Array([0, 0, 0, 0]))).toBe(0);
    expect(randomUnit(() => new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toBeLessThan(1);
    expect(randomUnit(() => new Uint8Array([0x80, 0, 0, 0]))).toBe(0.5);
  });
});
