// The body of a response, read a unit of work at a time into its pipeline (or drained), then finished: the decoder's
// rest stored, the sink closed, the cache entry committed. Reading waits while the file sink opens or holds too much
// unstored (that is not a stall while the backlog shrinks), and the outcome comes only once the file is closed.
import { Status } from '../http/constants.js';
import type { Exchange } from '../http/exchange.js';
import type { ResponseHead } from '../http/response-head.js';
import { releaseConnection } from './acquisition.js';
import { spend, type TickBudget } from './budget.js';
import { backlogOf, filePipeline, finishStep, memoryPipeline, sinkState, storePieces, type BodyPipeline } from './body-pipeline.js';
import { cacheEntryFor, type CacheEntry } from './cache.js';
import { connectionFailureWords, statusOf } from './connection.js';
import { createDecoder, type BodyDecoder } from './decoding.js';
import { fileStoreOf, type FileStore } from './file-store.js';
import { fieldValue, withoutHeaders } from './headers.js';
import { cacheOf, end, fail, finishDrain } from './endings.js';
import { outcomeOf, type RequestJob } from './job.js';
import type { Requester } from './requester.js';
import { Result, TimeoutKind } from './result.js';
import { dropValidator, rangeValidator, saveValidator } from './resume.js';
import { formatUrl } from './url.js';

/** Body bytes read and dropped to keep a connection after a redirect or a retried response; beyond, it is closed. */
const DRAIN_LIMIT = 64 * 1024;
const EMPTY = new Uint8Array(0);

/** Bytes written for this request; writing counts as progress for the stall timeout. */
export function trackSent(job: RequestJob, exchange: Exchange): void {
  const sent = exchange.requestBytesSent();
  if (sent !== job.progress.sent) {
    job.progress.sent = sent;
    job.clock.lastProgress = job.clock.now;
  }
}

/** Fail the attempt when nothing moved for stallMs; true when it did. */
export function stalled(r: Requester, job: RequestJob): boolean {
  const { stallMs } = job.spec.timeouts;
  if (stallMs <= 0 || job.clock.now - job.clock.lastProgress < stallMs) return false;
  fail(r, job, { result: Result.TIMEOUT, timeout: TimeoutKind.STALL, words: `no progress for ${stallMs} ms` });
  return true;
}

/** The files a download goes to; without any, the request ends saying why (null returned). */
function downloadStore(r: Requester, job: RequestJob, path: string): FileStore | null {
  const store = fileStoreOf(r.platform);
  if (!store) {
    const missing = r.platform.filesMissing ?? 'this platform has no file access';
    end(r, job, { result: Result.REQUEST_FAILED, words: `cannot download to ${path}: ${missing} (download to memory instead)` });
  }
  return store;
}

/** Start reading the body the head decision chose: its pipeline, its cache entry and its expected size. */
export function beginBody(r: Requester, job: RequestJob, exchange: Exchange, head: ResponseHead, offset: number, total: number): void {
  const { spec } = job;
  const resp = job.response!;
  const length = exchange.bodyLength();
  const limit = spec.bodySizeLimit;
  // An exchange that decodes bodies itself (a browser) hands over decoded bytes, whatever Content-Encoding says.
  const decoder = spec.decompress && !exchange.decodesBodies ? createDecoder(fieldValue(head.headers, 'content-encoding')) : null;
  if (limit >= 0 && !decoder && length > limit) {
    return end(r, job, { result: Result.BODY_SIZE_LIMIT_EXCEEDED, words: `body of ${length} bytes is over the limit` });
  }
  const download = spec.download;
  if (download && resp.code >= 200 && resp.code < 300) {
    const store = downloadStore(r, job, download.path);
    if (!store) return;
    resp.pipeline = filePipeline(store, download.path, offset > 0, decoder, limit);
    const opened = sinkState(resp.pipeline);
    if (typeof opened === 'object') return end(r, job, opened);
    if (download.resume && offset === 0) {
      const validator = rangeValidator(head.headers);
      if (validator) resp.validatorSaved = saveValidator(store, download.path, validator);
      else dropValidator(store, download.path, null);
    }
  } else {
    // An encoded body's Content-Length says nothing of its decoded size.
    resp.pipeline = memoryPipeline(decoder, limit, decoder ? -1 : length);
  }
  const cache = cacheOf(r, job);
  const entry = cache && offset === 0 ? cacheEntryFor(formatUrl(job.attempt.hop.url), resp.code, resp.headers) : null;
  if (cache && entry) {
    // The cache keeps the decoded body, so the stored head must not claim an encoding.
    if (decoder) entry.headers = withoutHeaders(entry.headers, ['content-encoding', 'content-length']);
    resp.pipeline.cacheWriter = cache.begin(entry);
  }
  job.progress.received = offset;
  job.progress.total = total >= 0 ? total : length >= 0 ? offset + length : -1;
  job.phase = 'body';
  if (exchange.status !== Status.BODY) bodyEnded(r, job);
  else land(job, exchange, resp.pipeline);
}

/**
 * One unit of body work, polling first on the request's first unit of the tick: decode one slice when encoded bytes
 * are queued, else read one chunk (and decode a first slice of it). Returns true when another unit would make
 * progress now: the system then shares the rest of the tick's budget round-robin.
 */
export function bodyUnit(r: Requester, job: RequestJob, budget: TickBudget, first: boolean): boolean {
  const exchange = job.acquisition.lease!.conn.exchange!;
  // Once the body has arrived whole (its decoding may take a few more ticks), the connection is left alone: polling
  // an idle connection could see the server close it, which is no failure of this complete response.
  if (first && exchange.status === Status.BODY) exchange.poll();
  trackSent(job, exchange);
  const pipeline = job.phase === 'body' ? job.response!.pipeline! : null;
  const decoder = pipeline?.decoder ?? null;
  if (pipeline) {
    const state = sinkState(pipeline);
    if (typeof state === 'object') return void end(r, job, state), false;
    if (state === 'wait') {
      // Nothing can be stored now; a body that has arrived whole goes on to finishing, which waits for the sink.
      if (exchange.status !== Status.BODY && !(decoder && decoder.pending() > 0)) bodyEnded(r, job);
      else sinkBehind(r, job);
      return false;
    }
  }
  if (decoder && decoder.pending() > 0) {
    if (!decodeStep(r, job, budget, decoder)) return false;
    return bodyGoesOn(r, job, true);
  }
  const chunk = exchange.status === Status.BODY ? exchange.readBody() : EMPTY;
  if (chunk.length > 0) {
    spend(budget, chunk.length);
    job.clock.lastProgress = job.clock.now;
    const drain = job.drain;
    if (drain) {
      drain.drained += chunk.length;
      if (drain.drained > DRAIN_LIMIT) return void finishDrain(r, job, false), false;
    } else {
      job.progress.received += chunk.length;
      if (decoder) decoder.write(chunk);
      const failed = decoder ? !decodeStep(r, job, budget, decoder) : store(r, job, [chunk]);
      if (failed) return false;
    }
  }
  // Counted after the read: a read over TLS may open a record whose data lands. Bytes landed by the tick's own reads
  // are work of the tick; those landed between ticks (a socket's reads, records opened on arrival) are not.
  const landed = pipeline ? land(job, exchange, pipeline) : 0;
  if (!first) spend(budget, landed);
  return bodyGoesOn(r, job, chunk.length > 0 || landed > 0);
}

/**
 * A body that goes to memory as it arrives (no decoding, no cache copy) is received straight into the sink's storage
 * where the exchange can land it: the bytes landed since the last look are counted, and a landing begins when none
 * is under way. Returns the bytes counted.
 */
function land(job: RequestJob, exchange: Exchange, pipeline: BodyPipeline): number {
  const { memory } = pipeline;
  if (!memory || !exchange.landBody || pipeline.decoder || pipeline.cacheWriter || job.drain) return 0;
  const n = exchange.takeLandedBody!();
  if (n > 0) {
    memory.landed(n);
    pipeline.decoded += n;
    job.progress.received += n;
    job.clock.lastProgress = job.clock.now;
  }
  if (exchange.status === Status.BODY) exchange.landBody((held, rest) => memory.landingSpace(held, rest));
  return n;
}

/** Waiting on the file sink (reading, or finishing): its backlog shrinking is progress; a sink that does not move stalls. */
function sinkBehind(r: Requester, job: RequestJob): void {
  const resp = job.response!;
  const backlog = backlogOf(resp.pipeline!);
  if (backlog < resp.backlogSeen) job.clock.lastProgress = job.clock.now;
  resp.backlogSeen = backlog;
  stalled(r, job);
}

/**
 * After a unit of body work: true when more units are due (the body is still arriving, or the decoder still has
 * queued bytes of a body that arrived whole); otherwise the body is settled and false returned.
 */
function bodyGoesOn(r: Requester, job: RequestJob, progressed: boolean): boolean {
  const status = statusOf(job.acquisition.lease!.conn);
  if (status === Status.BODY) {
    if (!progressed) stalled(r, job);
    return progressed;
  }
  const queued = job.phase === 'body' ? (job.response!.pipeline!.decoder?.pending() ?? 0) : 0;
  if (queued > 0 && (status === Status.CONNECTED || status === Status.DISCONNECTED)) return true;
  bodyEnded(r, job);
  return false;
}

/** The exchange left BODY: the response is complete (CONNECTED, or DISCONNECTED when not reusable) or was cut short. */
export function bodyEnded(r: Requester, job: RequestJob): void {
  const { conn } = job.acquisition.lease!;
  const status = statusOf(conn);
  if (status !== Status.CONNECTED && status !== Status.DISCONNECTED) {
    const why = connectionFailureWords(conn);
    fail(r, job, { result: Result.CONNECTION_ERROR, words: `connection lost during the body${why ? `: ${why}` : ''}` });
  } else if (job.drain) finishDrain(r, job, status === Status.CONNECTED);
  else completeBody(r, job, status === Status.CONNECTED);
}

/** Decode one slice of queued encoded bytes and store it, counting the output as work; false when the request ended. */
function decodeStep(r: Requester, job: RequestJob, budget: TickBudget, decoder: BodyDecoder): boolean {
  const pieces = decoder.step();
  if (!pieces) {
    end(r, job, { result: Result.BODY_DECOMPRESS_FAILED, words: 'corrupt compressed body' });
    return false;
  }
  job.clock.lastProgress = job.clock.now;
  for (const piece of pieces) spend(budget, piece.length);
  return !store(r, job, pieces);
}

/** Store pieces in the pipeline; true when that failed (the request has ended). */
function store(r: Requester, job: RequestJob, pieces: readonly Uint8Array[]): boolean {
  const failed = storePieces(job.response!.pipeline!, pieces);
  if (failed) end(r, job, failed);
  return failed !== null;
}

/** All of the body arrived: the connection goes back, the decoder's rest is queued, and the sink is finished. */
function completeBody(r: Requester, job: RequestJob, keepAlive: boolean): void {
  const pipeline = job.response!.pipeline!;
  const rest = pipeline.decoder ? pipeline.decoder.end() : [];
  if (!rest) return end(r, job, { result: Result.BODY_DECOMPRESS_FAILED, words: 'truncated compressed body' });
  pipeline.tail.push(...rest);
  releaseConnection(r, job, keepAlive);
  job.phase = 'finishing';
  finishing(r, job);
}

/** One look at a finishing body: success once the sink is closed (at once for memory and synchronous files). */
export function finishing(r: Requester, job: RequestJob): void {
  const resp = job.response!;
  const pipeline = resp.pipeline!;
  const step = finishStep(pipeline);
  if (step === 'wait') return sinkBehind(r, job);
  if (step !== 'closed') return end(r, job, step);
  pipeline.cacheWriter?.commit();
  pipeline.cacheWriter = null;
  const store = fileStoreOf(r.platform);
  if (pipeline.path && job.spec.download?.resume && store) dropValidator(store, pipeline.path, resp.validatorSaved);
  job.phase = 'done';
  job.outcome = outcomeOf(job, Result.SUCCESS, TimeoutKind.NONE, '', {
    code: resp.code,
    url: resp.url,
    headers: resp.headers,
    body: pipeline.memory ? pipeline.memory.bytes() : null,
    path: pipeline.path,
    fromCache: resp.fromCache,
  });
}

/** A 304 with the stored body: the outcome at once, or once a download's file is written and closed. */
export function answerFromCache(r: Requester, job: RequestJob, entry: CacheEntry, body: Uint8Array): void {
  const download = job.spec.download;
  const base = { code: entry.code, url: entry.url, headers: entry.headers, fromCache: true, validatorSaved: null, backlogSeen: 0 };
  if (!download) {
    job.phase = 'done';
    job.outcome = outcomeOf(job, Result.SUCCESS, TimeoutKind.NONE, '', { ...base, body, path: null });
    return;
  }
  const store = downloadStore(r, job, download.path);
  if (!store) return;
  const pipeline = filePipeline(store, download.path, false, null, -1);
  pipeline.tail = [body];
  job.response = { ...base, pipeline };
  job.phase = 'finishing';
  finishing(r, job);
}
