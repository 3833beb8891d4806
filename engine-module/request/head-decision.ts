// What a request does with a final response head, decided without I/O from the head and the attempt's state: follow
// a redirect, retry after a delay, answer from the revalidation cache, start the download again whole, or read the
// body. The caller carries the decision out (draining the unused body first where it keeps the connection).
import { fieldValue, type FieldPairs } from './headers.js';
import { isRedirect, redirectHop, type Hop } from './redirects.js';
import { parseContentRange, type ResumePoint } from './resume.js';
import { nextAttemptDelay, parseRetryAfter, type RetryPolicy } from './retry.js';

/** Everything the decision reads. */
export interface HeadFacts {
  code: number;
  fields: FieldPairs;
  hop: Hop;
  redirects: number;
  maxRedirects: number;
  retry: RetryPolicy;
  retries: number;
  /** The request carried cache validators (a 304 then means "use the stored body"). */
  revalidating: boolean;
  /** The stored body when the code is 304 and the request was revalidating; null when it has gone missing. */
  storedBody: Uint8Array | null;
  /** The request asked for the rest of a partial file. */
  resume: ResumePoint | null;
  /** Wall-clock milliseconds, for a Retry-After date. */
  wallNow: number;
  /** A uniform number in [0, 1), for the backoff's jitter; called only when a backoff is computed. */
  random01: () => number;
}

/** The decision on one head. */
export type HeadDecision =
  | { kind: 'redirect'; hop: Hop }
  | { kind: 'redirect-limit'; max: number }
  | { kind: 'retry'; delay: number }
  | { kind: 'from-cache'; body: Uint8Array }
  /** Ask again without Range or cache validators: 416, a Content-Range not at the offset, or the stored body gone. */
  | { kind: 'restart-whole' }
  /** Read the body, written from `offset` on; `total` is the whole size a 206 announced, else -1. */
  | { kind: 'body'; offset: number; total: number };

/**
 * The decision table, in order: a redirect with a usable Location; a retried status code the policy allows (and
 * whose Retry-After it accepts); a 304 to a revalidation; the answer to a range request; the body.
 */
export function decideHead(f: HeadFacts): HeadDecision {
  if (isRedirect(f.code)) {
    const hop = redirectHop(f.hop, f.code, fieldValue(f.fields, 'location'));
    if (hop) return f.redirects >= f.maxRedirects ? { kind: 'redirect-limit', max: f.maxRedirects } : { kind: 'redirect', hop };
  }
  if (f.retry.statusCodes.includes(f.code)) {
    const after = parseRetryAfter(fieldValue(f.fields, 'retry-after'), f.wallNow);
    const delay = nextAttemptDelay(f.retry, f.hop.method, f.retries, f.random01, after);
    if (delay !== null) return { kind: 'retry', delay };
  }
  if (f.code === 304 && f.revalidating) return f.storedBody ? { kind: 'from-cache', body: f.storedBody } : { kind: 'restart-whole' };
  if (f.resume && (f.code === 416 || f.code === 206)) {
    const range = f.code === 206 ? parseContentRange(fieldValue(f.fields, 'content-range')) : null;
    // The server cannot continue this file from where it stops: download it whole.
    if (!range || range.first !== f.resume.offset) return { kind: 'restart-whole' };
    return { kind: 'body', offset: f.resume.offset, total: range.complete };
  }
  return { kind: 'body', offset: 0, total: -1 };
}
