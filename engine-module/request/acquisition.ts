// Getting a connection for a request's attempt: join the pool's queue with the origin's target, take the lease the
// pool grants, wait for the exchange to connect (within connectMs), and give the connection back. A failure before
// any response byte on a reused connection is the server having closed it while idle: the attempt is repeated once
// on a fresh connection when that is safe.
import { platformCrypto } from '../http/tls-layer.js';
import { Status } from '../http/constants.js';
import { connectionFailureWords, poolKey, proxyFor, statusOf, type Connection } from './connection.js';
import type { Failure, RequestJob } from './job.js';
import { isIdempotent } from './method.js';
import { wake } from './parking.js';
import { dequeue, enqueue, release } from './pool.js';
import type { Requester } from './requester.js';
import { Result, TimeoutKind } from './result.js';

/** Join the pool's queue for the attempt's origin; false when the queue is full. */
export function joinQueue(r: Requester, job: RequestJob): boolean {
  const { hop } = job.attempt;
  const a = job.acquisition;
  const target = { url: hop.url, tls: job.spec.tls, proxy: proxyFor(job.spec.proxy, hop.url) };
  const crypto = platformCrypto(r.platform);
  const waiter = enqueue(r.pool, poolKey(target, (data) => crypto.hash('sha256', data)), a.fresh, target);
  if (waiter) waiter.onGrant = () => wake(r.deadlines, job);
  a.waiter = waiter;
  return waiter !== null;
}

/**
 * Take the lease the pool granted, if any: 'queued' while there is none, 'connected' when the connection can carry
 * the request now, 'connecting' while it dials, or why it never opened (final: nothing was sent).
 */
export function takeLease(job: RequestJob): 'queued' | 'connecting' | 'connected' | Failure {
  const a = job.acquisition;
  const lease = a.waiter?.lease;
  if (!lease) return 'queued';
  a.waiter = null;
  a.lease = lease;
  a.fresh = false;
  const { conn } = lease;
  if (!conn.exchange) return { result: Result.REQUEST_FAILED, words: `cannot connect: ${conn.refusal}` };
  if (conn.exchange.status === Status.CONNECTED) return 'connected';
  a.connectStart = job.clock.now;
  return 'connecting';
}

/** One poll of a dialing connection: 'connecting', 'connected', or the failure (connectMs running out included). */
export function pollConnecting(job: RequestJob): 'connecting' | 'connected' | Failure {
  const { conn } = job.acquisition.lease!;
  conn.exchange!.poll();
  const status = statusOf(conn);
  if (status === Status.CONNECTED) return 'connected';
  if (status !== Status.RESOLVING && status !== Status.CONNECTING) return connectFailure(conn);
  const { connectMs } = job.spec.timeouts;
  if (connectMs > 0 && job.clock.now - job.acquisition.connectStart >= connectMs) {
    return { result: Result.TIMEOUT, timeout: TimeoutKind.CONNECT, words: `not connected within ${connectMs} ms` };
  }
  return 'connecting';
}

/** The failure of a connection that left its connecting statuses (or, carried by a runtime, failed a request). */
export function connectFailure(conn: Connection): Failure {
  const words = connectionFailureWords(conn) ?? 'connection failed';
  switch (statusOf(conn)) {
    case Status.CANT_RESOLVE:
      return { result: Result.CANT_RESOLVE, words };
    case Status.SSL_HANDSHAKE_ERROR:
      return { result: Result.SSL_HANDSHAKE_ERROR, words: conn.exchange?.tlsError() ?? 'TLS handshake failed' };
    case Status.CONNECTION_ERROR:
      return { result: Result.CONNECTION_ERROR, words };
    default:
      return { result: Result.CANT_CONNECT, words };
  }
}

/**
 * The connection ended before a response head. An exchange that connects per request (a runtime's own HTTP) says
 * so with CANT_CONNECT; otherwise, on a reused connection, it went stale while idle: true when the attempt may run
 * again on a fresh connection (once, idempotent methods only), the connection then already given back.
 */
export function noResponse(r: Requester, job: RequestJob): Failure | 'again' {
  const a = job.acquisition;
  const { conn, reused } = a.lease!;
  if (statusOf(conn) === Status.CANT_CONNECT) return connectFailure(conn);
  if (reused && !a.staleRetried && isIdempotent(job.attempt.hop.method)) {
    a.staleRetried = true;
    a.fresh = true;
    releaseConnection(r, job, false);
    return 'again';
  }
  const why = connectionFailureWords(conn);
  return { result: Result.NO_RESPONSE, words: `no response${why ? `: ${why}` : ': the connection closed before one arrived'}` };
}

/** Leave the queue, or give the connection back (kept for reuse when `keepAlive`). */
export function releaseConnection(r: Requester, job: RequestJob, keepAlive: boolean): void {
  const a = job.acquisition;
  if (a.waiter) {
    dequeue(r.pool, a.waiter);
    a.waiter = null;
  }
  if (a.lease) {
    release(r.pool, a.lease, keepAlive, job.clock.now);
    a.lease = null;
  }
}
