// A request's state, grouped by what it is about: the attempt on the wire, getting a connection, the clocks, the
// response being read, a response being drained. The public face is phase, progress and outcome.
import type { CacheEntry } from './cache.js';
import type { Connection, OriginTarget } from './connection.js';
import type { Cell } from './file-store.js';
import type { BodyPipeline } from './body-pipeline.js';
import type { Lease, Waiter } from './pool.js';
import type { Hop } from './redirects.js';
import type { NormalizedSpec } from './request-spec.js';
import type { Result, TimeoutKind } from './result.js';
import type { ResumePoint } from './resume.js';

/**
 * Where a request stands. `preparing`: reading a partial download's resume point (files that answer later);
 * `finishing`: the body is complete and its file is being closed (the outcome comes once it is).
 */
export type RequestPhase =
  | 'preparing'
  | 'queued'
  | 'connecting'
  | 'waiting'
  | 'body'
  | 'draining'
  | 'backoff'
  | 'finishing'
  | 'done';

/** Progress of the current attempt (a redirect or retry starts it again). */
export interface RequestProgress {
  /** Body bytes received as sent by the server (before decoding), including a resumed file's existing part. */
  received: number;
  /** Expected body size (Content-Length, or the full size of a resumed file), -1 when unknown. */
  total: number;
  /** Bytes of this request the connection took: head and body (a browser's fetch: the body once handed over). */
  sent: number;
}

/** How a request ended. */
export interface RequestOutcome {
  result: Result;
  /** Which timeout, when `result` is TIMEOUT. */
  timeout: TimeoutKind;
  /** The final response's status code (the cached one when answered from the cache); 0 without a response. */
  code: number;
  /** The final response's header lines, "Name: value". */
  headers: string[];
  /** The decoded body, or null when it went to a file (or there was no response). */
  body: Uint8Array | null;
  /** The file the body was written to, or null. */
  path: string | null;
  /** True when a 304 was answered from the revalidation cache. */
  fromCache: boolean;
  /** URL of the final response (in a browser, after the redirects fetch followed), else of the last request. */
  url: string;
  redirects: number;
  retries: number;
  /** Why it failed, in words; empty on success. */
  error: string;
}

/** The request on the wire now, and what earlier attempts left it. */
export interface Attempt {
  hop: Hop;
  redirects: number;
  retries: number;
  /** The partial file this attempt continues (Range + If-Range), or null. */
  resume: ResumePoint | null;
  /** Resume and cache validators are off for the rest of this request (the server did not honour them). */
  plain: boolean;
  /** The stored response this attempt revalidates, or null. */
  cacheEntry: CacheEntry | null;
}

/** Getting a connection for the attempt. */
export interface Acquisition {
  waiter: Waiter<Connection, OriginTarget> | null;
  lease: Lease<Connection> | null;
  /** The next lease must be a new connection (set after a stale reused one failed). */
  fresh: boolean;
  /** The one repeat on a fresh connection after a reused one went stale has been spent. */
  staleRetried: boolean;
  connectStart: number;
}

/** The request's times, on the tick clock. */
export interface JobClock {
  readonly start: number;
  /** The tick being stepped. */
  now: number;
  /** Last progress (a byte written or read, a head, a file write settled): the stall timeout counts from it. */
  lastProgress: number;
  /** When a backoff ends. */
  retryAt: number;
}

/** The final response being read. */
export interface ResponseState {
  code: number;
  url: string;
  /** The head's header lines, made once from its fields (the outcome's form). */
  headers: string[];
  /** Where its body goes; null until the body phase (and while the response is drained). */
  pipeline: BodyPipeline | null;
  /** Answered from the revalidation cache (a 304 with the stored body). */
  fromCache: boolean;
  /** The resume validator being saved beside the file, which removing it on completion waits for. */
  validatorSaved: Cell<void> | null;
  /** The file sink's unstored bytes when last looked at: shrinking counts as progress while reading waits on it. */
  backlogSeen: number;
}

/** Why an attempt or the request failed: the result, the timeout when it is one, and the words. */
export interface Failure {
  result: Result;
  words: string;
  timeout?: TimeoutKind;
}

/** A response read and dropped to keep its connection, then `then` on a released connection. */
export interface Drain {
  drained: number;
  then: () => void;
}

/** A request in flight. Read {@link phase}, {@link progress} and {@link outcome}; the rest is internal state. */
export interface RequestJob {
  readonly spec: NormalizedSpec;
  phase: RequestPhase;
  progress: RequestProgress;
  outcome: RequestOutcome | null;
  readonly attempt: Attempt;
  readonly acquisition: Acquisition;
  readonly clock: JobClock;
  response: ResponseState | null;
  drain: Drain | null;
  /** The resume point being read while `preparing`. */
  preparing: Cell<ResumePoint | null> | null;
  /**
   * Parked in the pool's queue: nothing to do until {@link onWake} is called, so a driver may stop
   * stepping it meanwhile (stepping it anyway is harmless).
   */
  asleep: boolean;
  /** Set by the driver: called when a parked job has work again. */
  onWake: (() => void) | null;
  /** Its place in the requester's deadline heap (-1: not in it), and the deadline it is kept under. */
  parkedAt: number;
  parkedUntil: number;
}

/** A job at tick time `now`, before its first hop. */
export function newJob(spec: NormalizedSpec, now: number): RequestJob {
  return {
    spec,
    phase: 'queued',
    progress: { received: 0, total: -1, sent: 0 },
    outcome: null,
    attempt: { hop: spec.hop, redirects: 0, retries: 0, resume: null, plain: false, cacheEntry: null },
    acquisition: { waiter: null, lease: null, fresh: false, staleRetried: false, connectStart: now },
    clock: { start: now, now, lastProgress: now, retryAt: 0 },
    response: null,
    drain: null,
    preparing: null,
    asleep: false,
    onWake: null,
    parkedAt: -1,
    parkedUntil: 0,
  };
}

/** An outcome with the attempt's counts. */
export function outcomeOf(
  job: RequestJob,
  result: Result,
  timeout: TimeoutKind,
  error: string,
  rest: Pick<RequestOutcome, 'code' | 'url' | 'headers' | 'body' | 'path'> & { fromCache?: boolean },
): RequestOutcome {
  const { redirects, retries } = job.attempt;
  return { result, timeout, error, fromCache: false, redirects, retries, ...rest };
}
