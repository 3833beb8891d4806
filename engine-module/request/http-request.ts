// One high-level request as a state machine stepped once per tick (the phases are listed in docs/ARCHITECTURE.md):
// prepare a resume, queue for a pooled connection, connect, send, decide on the head (head-decision.ts), then read the
// body into its pipeline (body-phase.ts) or drain it and follow the decision. Nothing here blocks, throws or calls
// back: every ending is an outcome on the job.
import { Err, Method, Status } from '../http/constants.js';
import type { Exchange } from '../http/exchange.js';
import { fieldLines, type ResponseHead } from '../http/response-head.js';
import { tlsPeerOf } from '../http/tls-layer.js';
import { joinQueue, noResponse, pollConnecting, releaseConnection, takeLease } from './acquisition.js';
import { answerFromCache, beginBody, bodyEnded, bodyUnit, finishing, stalled, trackSent } from './body-phase.js';
import { statusOf } from './connection.js';
import { fileStoreOf } from './file-store.js';
import { abortResponse, backoff, cacheOf, end, fail } from './endings.js';
import { decideHead } from './head-decision.js';
import { decoderWarmUp } from './decoding.js';
import { hopHeaders } from './hop-headers.js';
import { newJob, outcomeOf, type RequestJob, type RequestPhase } from './job.js';
import type { TickBudget } from './budget.js';
import { park, unpark } from './parking.js';
import { normalizeSpec, type NormalizedSpec } from './request-spec.js';
import { startWarmUp, type Requester } from './requester.js';
import { Result, TimeoutKind } from './result.js';
import { resumePoint } from './resume.js';
import { randomUnit } from './retry.js';
import { formatUrl } from './url.js';

export type { RequestJob, RequestOutcome, RequestPhase, RequestProgress } from './job.js';

const EMPTY = new Uint8Array(0);

/** Start a request at tick time `now`; it joins the pool's queue at once (after reading a resume point, if any). */
export function startRequest(r: Requester, spec: NormalizedSpec, now: number): RequestJob {
  const job = newJob(spec, now);
  // Bodies it may decode are decoded here unless the runtime's own HTTP does it (a browser's fetch).
  if (spec.decompress && !r.platform.http) startWarmUp(r, decoderWarmUp());
  startHop(r, job);
  return job;
}

/**
 * A request refused before it started (its spec broke a rule): already done, REQUEST_FAILED with the reason, so a
 * caller that waits for outcomes sees it end like any other request.
 */
export function refusedRequest(url: string, reason: string, now: number): RequestJob {
  const job = newJob(REFUSED_SPEC, now);
  job.phase = 'done';
  job.outcome = outcomeOf(job, Result.REQUEST_FAILED, TimeoutKind.NONE, reason, { code: 0, url, headers: [], body: null, path: null });
  return job;
}

/** The spec of a refused request: never read, since a refused request never runs. */
const REFUSED_SPEC = normalizeSpec({ url: 'http://refused.invalid/' });

/**
 * Advance a request. `first` is its guaranteed step of the tick (poll, and as many phases as are ready at once, the
 * body phase doing one unit of work); later calls in the same tick do one more unit of body work each: a chunk read,
 * or a slice decoded. Returns true when another unit would make progress now.
 */
export function stepRequest(r: Requester, job: RequestJob, now: number, budget: TickBudget, first: boolean): boolean {
  if (job.phase === 'done') return false;
  job.clock.now = now;
  const { totalMs } = job.spec.timeouts;
  if (totalMs > 0 && now - job.clock.start >= totalMs) {
    fail(r, job, { result: Result.TIMEOUT, timeout: TimeoutKind.TOTAL, words: `no outcome within ${totalMs} ms` });
    return false;
  }
  if (!first) return job.phase === 'body' || job.phase === 'draining' ? bodyUnit(r, job, budget, false) : false;
  // Phases that are ready at once run in the same tick (a reused connection sends in the tick it is granted).
  for (;;) {
    const before: RequestPhase = job.phase;
    const more = advance(r, job, budget);
    const after = job.phase as RequestPhase;
    if (after === before || after === 'done') {
      if (after === 'queued' && !job.acquisition.waiter?.lease) park(r.deadlines, job);
      return more;
    }
  }
}

/**
 * End a request with RESULT_REQUEST_FAILED because something it called threw (a host file API, a custom cache):
 * the system turns such an exception into an outcome rather than letting it reach the game loop.
 */
export function failRequest(r: Requester, job: RequestJob, now: number, error: unknown): void {
  job.clock.now = now;
  if (job.phase !== 'done') end(r, job, { result: Result.REQUEST_FAILED, words: `internal error: ${String(error)}` });
}

/** Abort a request: leave the queue or close its connection (a half-read response cannot be reused). */
export function cancelRequest(r: Requester, job: RequestJob, now: number): void {
  if (job.phase === 'done') return;
  job.clock.now = now;
  unpark(r.deadlines, job);
  releaseConnection(r, job, false);
  abortResponse(job);
  job.phase = 'done';
}

/** The status of the connection the request holds, or null while it holds none (queued, backing off, done). */
export function connectionStatus(job: RequestJob): Status | null {
  const lease = job.acquisition.lease;
  return lease ? statusOf(lease.conn) : null;
}

function advance(r: Requester, job: RequestJob, budget: TickBudget): boolean {
  switch (job.phase) {
    case 'preparing':
      prepared(r, job);
      return false;
    case 'backoff':
      if (job.clock.now >= job.clock.retryAt) startHop(r, job);
      return false;
    case 'queued':
      granted(r, job);
      return false;
    case 'connecting': {
      const got = pollConnecting(job);
      if (got === 'connected') send(r, job);
      else if (got !== 'connecting') fail(r, job, got);
      return false;
    }
    case 'waiting':
      waiting(r, job);
      return false;
    case 'body':
    case 'draining':
      return bodyUnit(r, job, budget, true);
    case 'finishing':
      finishing(r, job);
      return false;
    case 'done':
      return false;
  }
}

/** Begin an attempt: the resume point of a download first (files may answer later), then the queue. */
export function startHop(r: Requester, job: RequestJob): void {
  const { spec, attempt } = job;
  job.response = null;
  job.progress = { received: 0, total: -1, sent: 0 };
  attempt.resume = null;
  attempt.cacheEntry = null;
  const store = fileStoreOf(r.platform);
  if (spec.download?.resume && !attempt.plain && store && attempt.hop.method === 'GET') {
    job.preparing = resumePoint(store, spec.download.path);
    job.phase = 'preparing';
    return prepared(r, job);
  }
  queue(r, job);
}

function prepared(r: Requester, job: RequestJob): void {
  const point = job.preparing!;
  if (point.state === 'pending') return;
  job.preparing = null;
  // A size or validator that cannot be read means there is nothing to resume.
  job.attempt.resume = point.state === 'done' ? point.value! : null;
  queue(r, job);
}

function queue(r: Requester, job: RequestJob): void {
  const { attempt } = job;
  const cache = cacheOf(r, job);
  if (cache && !attempt.plain && !attempt.resume) attempt.cacheEntry = cache.lookup(formatUrl(attempt.hop.url));
  job.phase = 'queued';
  if (!joinQueue(r, job)) end(r, job, { result: Result.QUEUE_FULL, words: 'connection queue is full' });
}

function granted(r: Requester, job: RequestJob): void {
  const got = takeLease(job);
  if (got === 'connected') send(r, job);
  else if (got === 'connecting') job.phase = 'connecting';
  else if (got !== 'queued') end(r, job, got);
}

function send(r: Requester, job: RequestJob): void {
  const { conn } = job.acquisition.lease!;
  const exchange = conn.exchange!;
  const { hop } = job.attempt;
  conn.settings.readChunkSize = job.spec.readChunkSize;
  const refused = exchange.send({ method: Method[hop.method], url: hop.url.target, headers: hopHeaders(job, exchange), body: hop.body ?? EMPTY });
  if (refused) {
    const why = refused.err === Err.ERR_UNAVAILABLE ? refused.reason : Err[refused.err];
    return end(r, job, { result: Result.REQUEST_FAILED, words: `request refused: ${why}` });
  }
  job.clock.lastProgress = job.clock.now;
  job.phase = 'waiting';
  takeHeadOnArrival(r, job, exchange);
}

/**
 * On a transport that can land bytes (a Node socket, and TLS over it), the head of a plain success is taken as soon
 * as it arrives, outside the ticks, instead of at the next tick: a body of stated length then lands in its storage
 * from its first bytes, instead of piling up in the transport's buffer for the ticks to copy, and the storage is
 * taken (and the garbage collection that taking much memory brings on runs) between frames. Only a head after which
 * the body is still to come, and that needs no decision on the tick's clock (a 2xx, no resume, no stored copy), is
 * taken so; all else waits for the tick. The watch ends once the request has moved on.
 *
 * Over TLS the watcher is called from inside the socket's callback, where the TLS layer leaves writes to the polls;
 * taking the head polls the connection, which may write, so there it is taken from a later run of the event loop
 * (the platform's runLater), and waits for the tick on a platform without one.
 */
function takeHeadOnArrival(r: Requester, job: RequestJob, exchange: Exchange): void {
  const transport = exchange.transport();
  if (!transport?.landInto || !transport.watch) return;
  const { platform } = r;
  const deferred = tlsPeerOf(transport) !== null;
  if (deferred && !platform.runLater) return;
  // A later run may come after the job has moved on to another hop, waiting again on another lease.
  const lease = job.acquisition.lease;
  const take = (): void => {
    if (job.phase !== 'waiting' || job.acquisition.lease !== lease) return;
    try {
      headOnArrival(r, job, exchange);
    } catch (e) {
      failRequest(r, job, job.clock.now, e);
    }
  };
  let due = false;
  const takeLater = (): void => {
    due = false;
    take();
  };
  transport.watch(() => {
    if (job.phase === 'waiting') {
      if (!deferred) take();
      else if (!due) {
        due = true;
        platform.runLater!(takeLater, 0);
      }
    }
    // Only the watcher itself ends the watch: by the time a later run takes the head, another may have taken its place.
    if (job.phase !== 'waiting') transport.watch!(null);
  });
}

function headOnArrival(r: Requester, job: RequestJob, exchange: Exchange): void {
  exchange.poll();
  trackSent(job, exchange);
  const head = exchange.head();
  if (!head || exchange.status !== Status.BODY || head.status < 200 || head.status > 299) return;
  if (job.attempt.resume || job.attempt.cacheEntry) return;
  onHead(r, job, exchange, head);
}

function waiting(r: Requester, job: RequestJob): void {
  const exchange = job.acquisition.lease!.conn.exchange!;
  exchange.poll();
  trackSent(job, exchange);
  const head = exchange.head();
  if (head) return onHead(r, job, exchange, head);
  if (exchange.status === Status.REQUESTING) return void stalled(r, job);
  const why = noResponse(r, job);
  if (why === 'again') startHop(r, job);
  else fail(r, job, why);
}

/** Carry out the decision on a final head. */
function onHead(r: Requester, job: RequestJob, exchange: Exchange, head: ResponseHead): void {
  const { spec, attempt } = job;
  job.clock.lastProgress = job.clock.now;
  const url = exchange.responseUrl() ?? formatUrl(attempt.hop.url);
  job.response = { code: head.status, url, headers: fieldLines(head.headers), pipeline: null, fromCache: false, validatorSaved: null, backlogSeen: 0 };
  const entry = attempt.cacheEntry;
  const decision = decideHead({
    code: head.status,
    fields: head.headers,
    hop: attempt.hop,
    redirects: attempt.redirects,
    maxRedirects: spec.maxRedirects,
    retry: spec.retry,
    retries: attempt.retries,
    revalidating: entry !== null,
    storedBody: head.status === 304 && entry ? cacheOf(r, job)!.body(entry) : null,
    resume: attempt.resume,
    wallNow: r.platform.wallClock().getTime(),
    random01: () => randomUnit((n) => r.platform.randomBytes(n)),
  });
  switch (decision.kind) {
    case 'redirect':
      return drainThen(r, job, () => {
        attempt.redirects++;
        attempt.hop = decision.hop;
        startHop(r, job);
      });
    case 'redirect-limit':
      return end(r, job, { result: Result.REDIRECT_LIMIT_REACHED, words: `more than ${decision.max} redirects` });
    case 'retry':
      return drainThen(r, job, () => backoff(job, decision.delay));
    case 'from-cache':
      return drainThen(r, job, () => answerFromCache(r, job, entry!, decision.body));
    case 'restart-whole':
      return drainThen(r, job, () => {
        attempt.plain = true;
        startHop(r, job);
      });
    case 'body':
      return beginBody(r, job, exchange, head, decision.offset, decision.total);
  }
}

/** Read and drop the rest of a response we will not use, then continue with `then` on a released connection. */
function drainThen(r: Requester, job: RequestJob, then: () => void): void {
  job.drain = { drained: 0, then };
  job.phase = 'draining';
  if (statusOf(job.acquisition.lease!.conn) !== Status.BODY) bodyEnded(r, job);
}
