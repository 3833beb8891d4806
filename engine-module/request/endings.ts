// How an attempt ends when it does not go on: released, its response dropped, then a backoff before another
// attempt, an outcome, or the continuation a drained response was read for. Shared by the job's state machine
// (http-request.ts) and its body phase (body-phase.ts), which both end attempts.
import { releaseConnection } from './acquisition.js';
import { abortPipeline } from './body-pipeline.js';
import type { RevalidationCache } from './cache.js';
import { outcomeOf, type Failure, type RequestJob } from './job.js';
import { sharedCache, type Requester } from './requester.js';
import { TimeoutKind } from './result.js';
import { isTransientFailure, nextAttemptDelay, randomUnit } from './retry.js';
import { formatUrl } from './url.js';

/** The revalidation cache a request uses, or null. */
export function cacheOf(r: Requester, job: RequestJob): RevalidationCache | null {
  const c = job.spec.cache;
  return c === false ? null : c === true ? sharedCache(r) : c;
}

/** A drained response is over: the connection goes back (kept when `keepAlive`), then the continuation runs. */
export function finishDrain(r: Requester, job: RequestJob, keepAlive: boolean): void {
  releaseConnection(r, job, keepAlive);
  const { then } = job.drain!;
  job.drain = null;
  job.response = null;
  then();
}

/** Wait `delay` ms of tick time before the next attempt. */
export function backoff(job: RequestJob, delay: number): void {
  job.attempt.retries++;
  job.clock.retryAt = job.clock.now + delay;
  job.phase = 'backoff';
}

/** An attempt failed: another attempt after a backoff when the failure is transient and the policy allows, else end. */
export function fail(r: Requester, job: RequestJob, failure: Failure): void {
  const { hop, retries } = job.attempt;
  const random = () => randomUnit((n) => r.platform.randomBytes(n));
  const delay = isTransientFailure(failure.result, failure.timeout ?? TimeoutKind.NONE)
    ? nextAttemptDelay(job.spec.retry, hop.method, retries, random)
    : null;
  if (delay === null) return end(r, job, failure);
  releaseConnection(r, job, false);
  abortResponse(job);
  backoff(job, delay);
}

/** End with a failure outcome, closing whatever the request held. */
export function end(r: Requester, job: RequestJob, { result, timeout = TimeoutKind.NONE, words }: Failure): void {
  releaseConnection(r, job, false);
  const resp = job.response;
  abortResponse(job);
  job.phase = 'done';
  const url = resp?.url ?? formatUrl(job.attempt.hop.url);
  job.outcome = outcomeOf(job, result, timeout, words, { code: resp?.code ?? 0, url, headers: resp?.headers ?? [], body: null, path: null });
}

/** Drop the response being read: its sink and cache writer are let go (a partial file stays for a resume). */
export function abortResponse(job: RequestJob): void {
  const pipeline = job.response?.pipeline;
  if (pipeline) abortPipeline(pipeline);
  job.response = null;
}
