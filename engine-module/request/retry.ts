// When a failed attempt is tried again, and after how long: exponential backoff with jitter, or the server's
// Retry-After. Retries are opt-in; the default policy never retries.
import { parseHttpDate } from './http-date.js';
import { isIdempotent, type HttpMethod } from './method.js';
import { Result, TimeoutKind } from './result.js';

/** Retry options of a request. */
export interface RetryOptions {
  /** Attempts after the first one (default 0: no retry). */
  retries?: number;
  /** Delay before the first retry; each later one doubles it (default 250 ms). */
  baseDelayMs?: number;
  /** Ceiling of the backoff delay, and the longest Retry-After honoured (default 30 000 ms). */
  maxDelayMs?: number;
  /** Response codes that are retried (default 429 and 503). */
  statusCodes?: readonly number[];
  /** Also retry POST and PATCH, which a server may act on twice (default false). */
  nonIdempotent?: boolean;
}

/** Retry options with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** The policy for the given options. */
export function retryPolicy(options: RetryOptions | undefined): RetryPolicy {
  return {
    retries: Math.max(0, Math.floor(options?.retries ?? 0)),
    baseDelayMs: Math.max(0, options?.baseDelayMs ?? 250),
    maxDelayMs: Math.max(0, options?.maxDelayMs ?? 30_000),
    statusCodes: options?.statusCodes ?? [429, 503],
    nonIdempotent: options?.nonIdempotent ?? false,
  };
}

/** Network outcomes worth another attempt. A total timeout is final: the caller's whole budget is spent. */
export function isTransientFailure(result: Result, timeout: TimeoutKind): boolean {
  switch (result) {
    case Result.CANT_CONNECT:
    case Result.CANT_RESOLVE:
    case Result.CONNECTION_ERROR:
    case Result.NO_RESPONSE:
      return true;
    case Result.TIMEOUT:
      return timeout !== TimeoutKind.TOTAL;
    default:
      return false;
  }
}

/** True when attempt number `attempt` (1 = the first retry) is allowed for this method. */
export function mayRetry(policy: RetryPolicy, method: HttpMethod, attempt: number): boolean {
  return attempt <= policy.retries && (policy.nonIdempotent || isIdempotent(method));
}

/**
 * The wait before the next attempt after `retries` retries, or null when the policy allows no other attempt. The
 * one place a retry is decided: a failed attempt and a retried status code both ask it. `serverDelay` is the
 * response's Retry-After in milliseconds: honoured when within maxDelayMs; a longer one is refused (the response is
 * reported instead). Without it the delay is the jittered backoff, `random01` giving the jitter.
 */
export function nextAttemptDelay(
  policy: RetryPolicy,
  method: HttpMethod,
  retries: number,
  random01: () => number,
  serverDelay: number | null = null,
): number | null {
  if (!mayRetry(policy, method, retries + 1)) return null;
  if (serverDelay !== null) return serverDelay <= policy.maxDelayMs ? serverDelay : null;
  return backoffDelay(policy, retries + 1, random01());
}

/**
 * Backoff before retry number `attempt` (1-based): base·2^(attempt-1) capped at maxDelayMs, of which the upper half
 * is random ("equal jitter"), so clients that failed together do not come back together. `random01` is in [0, 1).
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random01: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(ceiling / 2 + (ceiling / 2) * random01);
}

/**
 * A Retry-After value (delay-seconds or an HTTP-date) as milliseconds from `wallNowMs`; null when absent or
 * malformed. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null, wallNowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = parseHttpDate(v);
  return at === null ? null : Math.max(0, at - wallNowMs);
}

/** A uniform number in [0, 1) from 32 bits of the platform's secure random source. */
export function randomUnit(randomBytes: (n: number) => Uint8Array): number {
  const b = randomBytes(4);
  return (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) / 2 ** 32;
}
