// One high-level request as a state machine stepped once per tick: queue for a pooled connection, connect, send,
// read the head, then follow redirects, retry, answer from the cache, resume a download, or read and decode the
// body into its sink. Nothing here blocks, throws or calls back: every ending is an outcome on the job.
import { Err, METHOD_NAMES, Status, type Method } from '../http/constants.js';
import { cacheEntryFor, validatorHeaders, type CacheEntry, type CacheWriter, type RevalidationCache } from './cache.js';
import { poolKey, proxyFor, type Connection } from './connection.js';
import { ACCEPT_ENCODING, createDecoder, type BodyDecoder } from './decoding.js';
import { findHeader, hasHeader, withoutHeaders } from './headers.js';
import { isIdempotent } from './method.js';
import { dequeue, enqueue, release, type Lease, type Waiter } from './pool.js';
import { isRedirect, redirectHop, type Hop } from './redirects.js';
import { spend, type TickBudget } from './budget.js';
import { normalizeSpec, type NormalizedSpec } from './request-spec.js';
import { sharedCache, type Requester } from './requester.js';
import { Result, TimeoutKind } from './result.js';
import { dropValidator, loadValidator, parseContentRange, rangeValidator, saveValidator } from './resume.js';
import { backoffDelay, isTransientFailure, mayRetry, parseRetryAfter, randomUnit } from './retry.js';
import { fileSink, memorySink, type BodySink, type MemorySink } from './sinks.js';
import { formatUrl } from './url.js';

/** Body bytes read and dropped to keep a connection after a redirect or a retried response; beyond, it is closed. */
const DRAIN_LIMIT = 64 * 1024;
const EMPTY = new Uint8Array(0);

/** Where a request stands. */
export type RequestPhase = 'queued' | 'connecting' | 'waiting' | 'body' | 'draining' | 'backoff' | 'done';

/** Progress of the current attempt (a redirect or retry starts it again). */
export interface RequestProgress {
  /** Body bytes received as sent by the server (before decoding), including a resumed file's existing part. */
  received: number;
  /** Expected body size (Content-Length, or the full size of a resumed file), -1 when unknown. */
  total: number;
  /** Bytes written to the connection for this request: head and body, with TLS framing when over TLS. */
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

interface ResponseState {
  code: number;
  url: string;
  headers: string[];
  decoder: BodyDecoder | null;
  sink: BodySink;
  memory: MemorySink | null;
  path: string | null;
  cacheWriter: CacheWriter | null;
  decoded: number;
}

/** A request in flight. Read {@link phase}, {@link progress} and {@link outcome}; the rest is internal state. */
export interface RequestJob {
  readonly spec: NormalizedSpec;
  readonly start: number;
  phase: RequestPhase;
  progress: RequestProgress;
  outcome: RequestOutcome | null;
  hop: Hop;
  redirects: number;
  retries: number;
  waiter: Waiter<Connection> | null;
  lease: Lease<Connection> | null;
  /** The next lease must be a new connection (set after a stale reused one failed). */
  fresh: boolean;
  staleRetried: boolean;
  connectStart: number;
  lastProgress: number;
  retryAt: number;
  writtenAtSend: number;
  resume: { offset: number; validator: string } | null;
  /** Resume and cache validators are off for the rest of this request (the server did not honour them). */
  plain: boolean;
  cacheEntry: CacheEntry | null;
  response: ResponseState | null;
  drained: number;
  afterDrain: ((now: number) => void) | null;
}

/** Start a request at tick time `now`; it joins the pool's queue at once. */
export function startRequest(r: Requester, spec: NormalizedSpec, now: number): RequestJob {
  const job = newJob(spec, now);
  startHop(r, job, now);
  return job;
}

/**
 * A request refused before it started (its spec broke a rule): already done, REQUEST_FAILED with the reason, so a
 * caller that waits for outcomes sees it end like any other request.
 */
export function refusedRequest(url: string, reason: string, now: number): RequestJob {
  const job = newJob(REFUSED_SPEC, now);
  job.phase = 'done';
  job.outcome = outcome(job, Result.REQUEST_FAILED, TimeoutKind.NONE, reason, { code: 0, url, headers: [], body: null, path: null });
  return job;
}

/** The spec of a refused request: never read, since a refused request never runs. */
const REFUSED_SPEC = normalizeSpec({ url: 'http://refused.invalid/' });

function newJob(spec: NormalizedSpec, now: number): RequestJob {
  return {
    spec,
    start: now,
    phase: 'queued',
    progress: { received: 0, total: -1, sent: 0 },
    outcome: null,
    hop: spec.hop,
    redirects: 0,
    retries: 0,
    waiter: null,
    lease: null,
    fresh: false,
    staleRetried: false,
    connectStart: now,
    lastProgress: now,
    retryAt: 0,
    writtenAtSend: 0,
    resume: null,
    plain: false,
    cacheEntry: null,
    response: null,
    drained: 0,
    afterDrain: null,
  };
}

/**
 * Advance a request. `first` is its guaranteed step of the tick (poll, and as many phases as are ready at once, the
 * body phase doing one unit of work); later calls in the same tick do one more unit of body work each: a chunk read,
 * or a slice decoded. Returns true when another unit would make progress now.
 */
export function stepRequest(r: Requester, job: RequestJob, now: number, budget: TickBudget, first: boolean): boolean {
  if (job.phase === 'done') return false;
  const { totalMs } = job.spec.timeouts;
  if (totalMs > 0 && now - job.start >= totalMs) {
    fail(r, job, now, Result.TIMEOUT, TimeoutKind.TOTAL, `no outcome within ${totalMs} ms`);
    return false;
  }
  if (!first) return job.phase === 'body' || job.phase === 'draining' ? readBody(r, job, now, budget, false) : false;
  // Phases that are ready at once run in the same tick (a reused connection sends in the tick it is granted).
  for (;;) {
    const before: RequestPhase = job.phase;
    const more = advance(r, job, now, budget);
    const after = job.phase as RequestPhase;
    if (after === before || after === 'done') return more;
  }
}

/**
 * End a request with RESULT_REQUEST_FAILED because something it called threw (a host file API, a custom cache):
 * the system turns such an exception into an outcome rather than letting it reach the game loop.
 */
export function failRequest(r: Requester, job: RequestJob, now: number, error: unknown): void {
  if (job.phase !== 'done') end(r, job, now, Result.REQUEST_FAILED, TimeoutKind.NONE, `internal error: ${String(error)}`);
}

/** Abort a request: leave the queue or close its connection (a half-read response cannot be reused). */
export function cancelRequest(r: Requester, job: RequestJob, now: number): void {
  if (job.phase === 'done') return;
  releaseConnection(r, job, now, false);
  abortResponse(job);
  job.phase = 'done';
}

function advance(r: Requester, job: RequestJob, now: number, budget: TickBudget): boolean {
  switch (job.phase) {
    case 'backoff':
      if (now >= job.retryAt) startHop(r, job, now);
      return false;
    case 'queued':
      takeLease(r, job, now);
      return false;
    case 'connecting':
      pollConnecting(r, job, now);
      return false;
    case 'waiting':
      pollWaiting(r, job, now);
      return false;
    case 'body':
    case 'draining':
      return readBody(r, job, now, budget, true);
    case 'done':
      return false;
  }
}

function startHop(r: Requester, job: RequestJob, now: number): void {
  const { spec } = job;
  job.response = null;
  job.progress = { received: 0, total: -1, sent: 0 };
  job.resume = null;
  job.cacheEntry = null;
  const files = r.platform.files;
  if (spec.download?.resume && !job.plain && files && job.hop.method === 'GET') {
    const size = files.size(spec.download.path);
    const validator = size > 0 ? loadValidator(files, spec.download.path) : null;
    if (validator) job.resume = { offset: size, validator };
  }
  const cache = cacheOf(r, job);
  if (cache && !job.plain && !job.resume) job.cacheEntry = cache.lookup(formatUrl(job.hop.url));
  const target = { url: job.hop.url, tls: spec.tls, proxy: proxyFor(spec.proxy, job.hop.url) };
  const key = poolKey(target);
  if (!r.targets.has(key)) r.targets.set(key, target);
  job.waiter = enqueue(r.pool, key, job.fresh);
  job.phase = 'queued';
  if (!job.waiter) end(r, job, now, Result.QUEUE_FULL, TimeoutKind.NONE, 'connection queue is full');
}

function cacheOf(r: Requester, job: RequestJob): RevalidationCache | null {
  const c = job.spec.cache;
  return c === false ? null : c === true ? sharedCache(r) : c;
}

function takeLease(r: Requester, job: RequestJob, now: number): void {
  const lease = job.waiter?.lease;
  if (!lease) return;
  job.waiter = null;
  job.lease = lease;
  job.fresh = false;
  if (lease.conn.connectErr !== Err.OK) {
    const why = lease.conn.client.getLastError() ?? Err[lease.conn.connectErr];
    return end(r, job, now, Result.REQUEST_FAILED, TimeoutKind.NONE, `cannot connect: ${why}`);
  }
  if (lease.conn.client.getStatus() === Status.CONNECTED) return send(r, job, now);
  job.connectStart = now;
  job.phase = 'connecting';
}

function pollConnecting(r: Requester, job: RequestJob, now: number): void {
  const client = job.lease!.conn.client;
  client.poll();
  switch (client.getStatus()) {
    case Status.RESOLVING:
    case Status.CONNECTING: {
      const { connectMs } = job.spec.timeouts;
      if (connectMs > 0 && now - job.connectStart >= connectMs) {
        fail(r, job, now, Result.TIMEOUT, TimeoutKind.CONNECT, `not connected within ${connectMs} ms`);
      }
      return;
    }
    case Status.CONNECTED:
      return send(r, job, now);
    case Status.CANT_RESOLVE:
      return fail(r, job, now, Result.CANT_RESOLVE, TimeoutKind.NONE, connectionWords(client));
    case Status.SSL_HANDSHAKE_ERROR:
      return fail(r, job, now, Result.SSL_HANDSHAKE_ERROR, TimeoutKind.NONE, client.getTlsError() ?? 'TLS handshake failed');
    case Status.CONNECTION_ERROR:
      return fail(r, job, now, Result.CONNECTION_ERROR, TimeoutKind.NONE, connectionWords(client));
    default:
      return fail(r, job, now, Result.CANT_CONNECT, TimeoutKind.NONE, connectionWords(client));
  }
}

/**
 * The hop's headers plus what this layer adds: Accept-Encoding, Range/If-Range, cache validators. A transport that
 * decodes bodies itself (a browser) chooses the encodings it accepts: no Accept-Encoding is added.
 */
function hopHeaders(r: Requester, job: RequestJob): string[] {
  const headers = [...job.hop.headers];
  const hasAcceptEncoding = hasHeader(headers, 'accept-encoding') || !!r.platform.http?.decodes;
  if (job.resume) {
    // Ranges count bytes of the encoded representation: ask for none, so offsets are file offsets.
    if (!hasAcceptEncoding) headers.push('Accept-Encoding: identity');
    headers.push(`Range: bytes=${job.resume.offset}-`, `If-Range: ${job.resume.validator}`);
  } else if (job.spec.decompress && !hasAcceptEncoding) headers.push(`Accept-Encoding: ${ACCEPT_ENCODING}`);
  if (job.cacheEntry) headers.push(...validatorHeaders(job.cacheEntry));
  return headers;
}

function send(r: Requester, job: RequestJob, now: number): void {
  const { conn } = job.lease!;
  const method = METHOD_NAMES.indexOf(job.hop.method) as Method;
  conn.client.setReadChunkSize(job.spec.readChunkSize);
  const body = job.hop.body ?? EMPTY;
  const err = conn.client.requestRaw(method, job.hop.url.target, hopHeaders(r, job), body);
  if (err !== Err.OK) {
    const why = err === Err.ERR_UNAVAILABLE ? (conn.client.getLastError() ?? Err[err]) : Err[err];
    return end(r, job, now, Result.REQUEST_FAILED, TimeoutKind.NONE, `request refused: ${why}`);
  }
  job.writtenAtSend = conn.written;
  // The runtime's own HTTP reports no upload progress: its body counts as sent once handed over.
  if (r.platform.http) conn.written += body.length;
  job.lastProgress = now;
  job.phase = 'waiting';
}

/** Bytes written for this request; writing counts as progress for the stall timeout. */
function trackSent(job: RequestJob, now: number): void {
  const sent = job.lease!.conn.written - job.writtenAtSend;
  if (sent !== job.progress.sent) {
    job.progress.sent = sent;
    job.lastProgress = now;
  }
}

function stalled(r: Requester, job: RequestJob, now: number): boolean {
  const { stallMs } = job.spec.timeouts;
  if (stallMs <= 0 || now - job.lastProgress < stallMs) return false;
  fail(r, job, now, Result.TIMEOUT, TimeoutKind.STALL, `no progress for ${stallMs} ms`);
  return true;
}

function pollWaiting(r: Requester, job: RequestJob, now: number): void {
  const { client } = job.lease!.conn;
  client.poll();
  trackSent(job, now);
  const status = client.getStatus();
  if (status === Status.REQUESTING) {
    stalled(r, job, now);
    return;
  }
  if (client.hasResponse()) return onHead(r, job, now);
  // Carried by the runtime's HTTP (fetch): it connects per request, and says only that no response came.
  if (status === Status.CANT_CONNECT) {
    return fail(r, job, now, Result.CANT_CONNECT, TimeoutKind.NONE, client.getLastError() ?? `cannot connect to ${job.hop.url.host}`);
  }
  // The connection failed before any response byte. On a reused connection that is the server having closed it
  // while idle: safe to repeat on a fresh connection when the method is idempotent.
  if (job.lease!.reused && !job.staleRetried && isIdempotent(job.hop.method)) {
    job.staleRetried = true;
    job.fresh = true;
    releaseConnection(r, job, now, false);
    return startHop(r, job, now);
  }
  fail(r, job, now, Result.NO_RESPONSE, TimeoutKind.NONE, 'connection closed before a response arrived');
}

function onHead(r: Requester, job: RequestJob, now: number): void {
  const { client } = job.lease!.conn;
  const { spec } = job;
  const code = client.getResponseCode();
  const headers = client.getResponseHeaders();
  job.lastProgress = now;
  const url = client.getResponseUrl() ?? formatUrl(job.hop.url);
  job.response = { code, url, headers, decoder: null, sink: memorySink(), memory: null, path: null, cacheWriter: null, decoded: 0 };

  if (isRedirect(code)) {
    const next = redirectHop(job.hop, code, findHeader(headers, 'location'));
    if (next) {
      if (job.redirects >= spec.maxRedirects) {
        return end(r, job, now, Result.REDIRECT_LIMIT_REACHED, TimeoutKind.NONE, `more than ${spec.maxRedirects} redirects`);
      }
      return drainThen(r, job, now, (t) => {
        job.redirects++;
        job.hop = next;
        startHop(r, job, t);
      });
    }
  }

  if (spec.retry.statusCodes.includes(code) && mayRetry(spec.retry, job.hop.method, job.retries + 1)) {
    const after = parseRetryAfter(findHeader(headers, 'retry-after'), r.platform.wallClock().getTime());
    // A server asking for a longer wait than the policy allows gets its answer reported instead.
    if (after === null || after <= spec.retry.maxDelayMs) {
      const delay = after ?? backoffDelay(spec.retry, job.retries + 1, randomUnit((n) => r.platform.randomBytes(n)));
      return drainThen(r, job, now, (t) => backoff(job, t, delay));
    }
  }

  if (code === 304 && job.cacheEntry) {
    const entry = job.cacheEntry;
    const body = cacheOf(r, job)!.body(entry);
    return drainThen(r, job, now, (t) => {
      if (body) return answerFromCache(r, job, t, entry, body);
      job.plain = true; // the stored body is gone: ask again without validators
      startHop(r, job, t);
    });
  }

  let offset = 0;
  if (job.resume) {
    const range = code === 206 ? parseContentRange(findHeader(headers, 'content-range')) : null;
    if (code === 416 || (code === 206 && range?.first !== job.resume.offset)) {
      return drainThen(r, job, now, (t) => {
        job.plain = true; // the server cannot continue this file: download it whole
        startHop(r, job, t);
      });
    }
    if (code === 206) {
      offset = job.resume.offset;
      job.progress.total = range!.complete;
    }
  }
  beginBody(r, job, now, offset);
}

function beginBody(r: Requester, job: RequestJob, now: number, offset: number): void {
  const { spec } = job;
  const resp = job.response!;
  const { client } = job.lease!.conn;
  const length = client.getResponseBodyLength();
  // A runtime that decodes bodies itself (a browser) hands over decoded bytes, whatever Content-Encoding says.
  const decodes = spec.decompress && !r.platform.http?.decodes;
  resp.decoder = decodes ? createDecoder(findHeader(resp.headers, 'content-encoding')) : null;
  if (spec.bodySizeLimit >= 0 && !resp.decoder && length > spec.bodySizeLimit) {
    return end(r, job, now, Result.BODY_SIZE_LIMIT_EXCEEDED, TimeoutKind.NONE, `body of ${length} bytes is over the limit`);
  }
  const download = spec.download;
  if (download && resp.code >= 200 && resp.code < 300) {
    const files = r.platform.files;
    if (!files) {
      const why = `cannot download to ${download.path}: this platform has no file access (download to memory instead)`;
      return end(r, job, now, Result.REQUEST_FAILED, TimeoutKind.NONE, why);
    }
    const sink = fileSink(files, download.path, offset > 0);
    if (!sink) {
      return end(r, job, now, Result.DOWNLOAD_FILE_CANT_OPEN, TimeoutKind.NONE, `cannot open ${download.path}`);
    }
    resp.sink = sink;
    resp.path = download.path;
    if (download.resume && offset === 0) {
      const validator = rangeValidator(resp.headers);
      if (validator) saveValidator(files, download.path, validator);
      else dropValidator(files, download.path);
    }
  } else {
    // An encoded body's Content-Length says nothing of its decoded size.
    resp.memory = memorySink(resp.decoder ? -1 : length, spec.bodySizeLimit);
    resp.sink = resp.memory;
  }
  const cache = cacheOf(r, job);
  const entry = cache && offset === 0 ? cacheEntryFor(formatUrl(job.hop.url), resp.code, resp.headers) : null;
  if (cache && entry) {
    // The cache keeps the decoded body, so the stored head must not claim an encoding.
    if (resp.decoder) entry.headers = withoutHeaders(entry.headers, ['content-encoding', 'content-length']);
    resp.cacheWriter = cache.begin(entry);
  }
  job.progress.received = offset;
  if (job.progress.total < 0) job.progress.total = length >= 0 ? offset + length : -1;
  job.phase = 'body';
  if (client.getStatus() !== Status.BODY) bodyEnded(r, job, now);
}

/**
 * One unit of body work, polling first on the request's first unit of the tick: decode one slice when encoded bytes
 * are queued, else read one chunk (and decode a first slice of it). Returns true when another unit would make
 * progress now: the system then shares the rest of the tick's budget round-robin.
 */
function readBody(r: Requester, job: RequestJob, now: number, budget: TickBudget, first: boolean): boolean {
  const { client } = job.lease!.conn;
  // Once the body has arrived whole (its decoding may take a few more ticks), the connection is left alone: polling
  // an idle connection could see the server close it, which is no failure of this complete response.
  if (first && client.getStatus() === Status.BODY) client.poll();
  trackSent(job, now);
  const decoder = job.phase === 'body' ? job.response!.decoder : null;
  if (decoder && decoder.pending() > 0) {
    if (!decodeStep(r, job, now, budget, decoder)) return false;
    return bodyGoesOn(r, job, now, true);
  }
  const chunk = client.getStatus() === Status.BODY ? client.readResponseBodyChunk() : EMPTY;
  if (chunk.length > 0) {
    spend(budget, chunk.length);
    job.lastProgress = now;
    if (job.phase === 'draining') {
      job.drained += chunk.length;
      if (job.drained > DRAIN_LIMIT) {
        finishDrain(r, job, now, false);
        return false;
      }
    } else {
      job.progress.received += chunk.length;
      if (decoder) decoder.write(chunk);
      const stored = decoder ? decodeStep(r, job, now, budget, decoder) : store(r, job, now, [chunk]);
      if (!stored) return false;
    }
  }
  return bodyGoesOn(r, job, now, chunk.length > 0);
}

/**
 * After a unit of body work: true when more units are due (the body is still arriving, or the decoder still has
 * queued bytes of a body that arrived whole); otherwise the body is settled and false returned.
 */
function bodyGoesOn(r: Requester, job: RequestJob, now: number, progressed: boolean): boolean {
  const status = job.lease!.conn.client.getStatus();
  if (status === Status.BODY) {
    if (!progressed) stalled(r, job, now);
    return progressed;
  }
  const queued = job.phase === 'body' ? (job.response!.decoder?.pending() ?? 0) : 0;
  if (queued > 0 && (status === Status.CONNECTED || status === Status.DISCONNECTED)) return true;
  bodyEnded(r, job, now);
  return false;
}

/** The client left BODY: the response is complete (CONNECTED, or DISCONNECTED when not reusable) or was cut short. */
function bodyEnded(r: Requester, job: RequestJob, now: number): void {
  const status = job.lease!.conn.client.getStatus();
  if (status !== Status.CONNECTED && status !== Status.DISCONNECTED) {
    const why = job.lease!.conn.client.getLastError();
    fail(r, job, now, Result.CONNECTION_ERROR, TimeoutKind.NONE, `connection lost during the body${why ? `: ${why}` : ''}`);
  } else if (job.phase === 'draining') finishDrain(r, job, now, status === Status.CONNECTED);
  else completeBody(r, job, now);
}

/** Decode one slice of queued encoded bytes and store it, counting the output as work; false when the request ended. */
function decodeStep(r: Requester, job: RequestJob, now: number, budget: TickBudget, decoder: BodyDecoder): boolean {
  const pieces = decoder.step();
  if (!pieces) {
    end(r, job, now, Result.BODY_DECOMPRESS_FAILED, TimeoutKind.NONE, 'corrupt compressed body');
    return false;
  }
  job.lastProgress = now;
  for (const piece of pieces) spend(budget, piece.length);
  return store(r, job, now, pieces);
}

function store(r: Requester, job: RequestJob, now: number, pieces: Uint8Array[]): boolean {
  const resp = job.response!;
  const limit = job.spec.bodySizeLimit;
  for (const piece of pieces) {
    resp.decoded += piece.length;
    if (limit >= 0 && resp.decoded > limit) {
      end(r, job, now, Result.BODY_SIZE_LIMIT_EXCEEDED, TimeoutKind.NONE, `body is over ${limit} bytes`);
      return false;
    }
    if (!resp.sink.write(piece)) {
      end(r, job, now, Result.DOWNLOAD_FILE_WRITE_ERROR, TimeoutKind.NONE, `cannot write ${resp.path}`);
      return false;
    }
    resp.cacheWriter?.write(piece);
  }
  return true;
}

function completeBody(r: Requester, job: RequestJob, now: number): void {
  const resp = job.response!;
  const rest = resp.decoder ? resp.decoder.end() : [];
  if (!rest) return end(r, job, now, Result.BODY_DECOMPRESS_FAILED, TimeoutKind.NONE, 'truncated compressed body');
  if (!store(r, job, now, rest)) return;
  if (!resp.sink.finish()) {
    return end(r, job, now, Result.DOWNLOAD_FILE_WRITE_ERROR, TimeoutKind.NONE, `cannot complete ${resp.path}`);
  }
  resp.cacheWriter?.commit();
  resp.cacheWriter = null;
  const files = r.platform.files;
  if (resp.path && job.spec.download?.resume && files) dropValidator(files, resp.path);
  const keepAlive = job.lease!.conn.client.getStatus() === Status.CONNECTED;
  releaseConnection(r, job, now, keepAlive);
  job.phase = 'done';
  job.outcome = outcome(job, Result.SUCCESS, TimeoutKind.NONE, '', {
    code: resp.code,
    url: resp.url,
    headers: resp.headers,
    body: resp.memory ? resp.memory.bytes() : null,
    path: resp.path,
  });
}

function answerFromCache(r: Requester, job: RequestJob, now: number, entry: CacheEntry, body: Uint8Array): void {
  const download = job.spec.download;
  let path: string | null = null;
  if (download) {
    const files = r.platform.files;
    const sink = files && fileSink(files, download.path, false);
    if (!sink) return end(r, job, now, Result.DOWNLOAD_FILE_CANT_OPEN, TimeoutKind.NONE, `cannot open ${download.path}`);
    const written = sink.write(body);
    if (!sink.finish() || !written) {
      return end(r, job, now, Result.DOWNLOAD_FILE_WRITE_ERROR, TimeoutKind.NONE, `cannot write ${download.path}`);
    }
    path = download.path;
  }
  job.phase = 'done';
  job.outcome = outcome(job, Result.SUCCESS, TimeoutKind.NONE, '', {
    code: entry.code,
    url: entry.url,
    headers: entry.headers,
    body: download ? null : body,
    path,
    fromCache: true,
  });
}

/** Read and drop the rest of a response we will not use, then continue with `then` on a released connection. */
function drainThen(r: Requester, job: RequestJob, now: number, then: (now: number) => void): void {
  job.afterDrain = then;
  job.drained = 0;
  job.phase = 'draining';
  if (job.lease!.conn.client.getStatus() !== Status.BODY) bodyEnded(r, job, now);
}

function finishDrain(r: Requester, job: RequestJob, now: number, keepAlive: boolean): void {
  releaseConnection(r, job, now, keepAlive);
  const then = job.afterDrain!;
  job.afterDrain = null;
  job.response = null;
  then(now);
}

function backoff(job: RequestJob, now: number, delay: number): void {
  job.retries++;
  job.retryAt = now + delay;
  job.phase = 'backoff';
}

/** An attempt failed: retry when the policy allows and the failure is transient, else end with it. */
function fail(r: Requester, job: RequestJob, now: number, result: Result, timeout: TimeoutKind, error: string): void {
  const { retry } = job.spec;
  if (isTransientFailure(result, timeout) && mayRetry(retry, job.hop.method, job.retries + 1)) {
    releaseConnection(r, job, now, false);
    abortResponse(job);
    const random = randomUnit((n) => r.platform.randomBytes(n));
    return backoff(job, now, backoffDelay(retry, job.retries + 1, random));
  }
  end(r, job, now, result, timeout, error);
}

/** End with a failure outcome, closing whatever the request held. */
function end(r: Requester, job: RequestJob, now: number, result: Result, timeout: TimeoutKind, error: string): void {
  releaseConnection(r, job, now, false);
  const resp = job.response;
  abortResponse(job);
  job.phase = 'done';
  const url = resp?.url ?? formatUrl(job.hop.url);
  job.outcome = outcome(job, result, timeout, error, { code: resp?.code ?? 0, url, headers: resp?.headers ?? [], body: null, path: null });
}

function outcome(
  job: RequestJob,
  result: Result,
  timeout: TimeoutKind,
  error: string,
  rest: Pick<RequestOutcome, 'code' | 'url' | 'headers' | 'body' | 'path'> & { fromCache?: boolean },
): RequestOutcome {
  return { result, timeout, error, fromCache: false, redirects: job.redirects, retries: job.retries, ...rest };
}

function abortResponse(job: RequestJob): void {
  const resp = job.response;
  if (!resp) return;
  resp.sink.abort();
  resp.cacheWriter?.abort();
  resp.cacheWriter = null;
  job.response = null;
}

/** A connection's failure in the words HTTPClient.getLastError() uses, so both layers say the same. */
function connectionWords(client: Connection['client']): string {
  return client.getLastError() ?? 'connection failed';
}

function releaseConnection(r: Requester, job: RequestJob, now: number, keepAlive: boolean): void {
  if (job.waiter) {
    dequeue(r.pool, job.waiter);
    job.waiter = null;
  }
  if (job.lease) {
    release(r.pool, job.lease, keepAlive, now);
    job.lease = null;
  }
}
