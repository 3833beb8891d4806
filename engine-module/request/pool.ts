// The connection pool shared by every request of a world: keep-alive reuse per origin, caps per origin and overall,
// a FIFO queue beyond the caps, and idle connections closed after a while. Plain data and functions; the pool does
// not know HTTP: it is handed how to open, check and close a connection.

/** Pool limits. */
export interface PoolOptions {
  /** Open connections per origin (default 6, as browsers). */
  maxPerOrigin?: number;
  /** Open connections overall (default 64). */
  maxTotal?: number;
  /** Requests waiting for a connection; one more is refused with RESULT_QUEUE_FULL (default: unbounded). */
  maxQueue?: number;
  /** An idle connection is closed after this long unused, in milliseconds (default 30 000). */
  idleTimeoutMs?: number;
}

/** How the pool opens, checks and closes a connection. */
export interface PoolHooks<C, T = unknown> {
  /**
   * Open a connection to the target the waiter brought (its state advances later, as the request drives it). The
   * pool keeps no table of targets: a key's target lives only as long as its waiters do.
   */
  open(key: string, target: T): C;
  /** Whether an idle connection can still carry a request (the server may have closed it while idle). */
  usable(conn: C): boolean;
  close(conn: C): void;
}

/** A connection handed to a request. */
export interface Lease<C> {
  conn: C;
  key: string;
  /** True when the connection has carried a request before: a failure before any response byte may be staleness. */
  reused: boolean;
}

/** A request's place in the queue; {@link lease} is set once a connection is granted. */
export interface Waiter<C, T = unknown> {
  key: string;
  /** Where a new connection for this waiter goes. */
  target: T;
  /** Only a newly opened connection will do (the request failed on a reused one that had gone stale). */
  fresh: boolean;
  lease: Lease<C> | null;
  /** Called when {@link lease} is set (a parked request wakes). */
  onGrant: (() => void) | null;
  /** Its key's record (kept while the key has waiters or connections). */
  readonly origin: Origin<C>;
}

interface IdleConn<C> {
  conn: C;
  since: number;
}

/** What the pool keeps per key, from its first waiter until it has neither waiters nor connections. */
export interface Origin<C> {
  readonly key: string;
  /** Open connections (leased + idle). */
  open: number;
  /** Idle connections, most recently used last. */
  readonly idle: IdleConn<C>[];
  /** Waiters in the queue. */
  waiting: number;
  /** The grant pass that found nothing for this key (its later waiters in that pass are passed over). */
  blockedIn: number;
}

/** The pool's state. Counters are public so tests and debug overlays can read them. */
export interface Pool<C, T = unknown> {
  readonly options: Required<PoolOptions>;
  readonly hooks: PoolHooks<C, T>;
  /** The keys with waiters or open connections; a key with neither is forgotten, so a long session keeps no trail. */
  readonly origins: Map<string, Origin<C>>;
  readonly queue: Waiter<C, T>[];
  /** All open connections. */
  open: number;
  /** Connections leased to requests. */
  leased: number;
  /**
   * Something a grant pass depends on changed since the last pass (a waiter joined, a connection was given back or
   * closed). A pass that granted nothing changes nothing, so until then another pass would grant nothing either and
   * is skipped: a long queue behind busy connections costs a tick nothing.
   */
  changed: boolean;
  /** Grant passes so far. */
  passes: number;
}

/** A pool with these limits. */
export function createPool<C, T>(hooks: PoolHooks<C, T>, options: PoolOptions = {}): Pool<C, T> {
  return {
    options: {
      maxPerOrigin: Math.max(1, options.maxPerOrigin ?? 6),
      maxTotal: Math.max(1, options.maxTotal ?? 64),
      maxQueue: options.maxQueue ?? Infinity,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    },
    hooks,
    origins: new Map(),
    queue: [],
    open: 0,
    leased: 0,
    changed: false,
    passes: 0,
  };
}

/** Idle connections across all keys. */
export function idleCount<C, T>(pool: Pool<C, T>): number {
  let n = 0;
  for (const o of pool.origins.values()) n += o.idle.length;
  return n;
}

/** Join the queue for a connection to `key`; null when the queue is full (the caller reports RESULT_QUEUE_FULL). */
export function enqueue<C, T>(pool: Pool<C, T>, key: string, fresh = false, target?: T): Waiter<C, T> | null {
  if (pool.queue.length >= pool.options.maxQueue) return null;
  let origin = pool.origins.get(key);
  if (!origin) pool.origins.set(key, (origin = { key, open: 0, idle: [], waiting: 0, blockedIn: -1 }));
  origin.waiting++;
  const waiter: Waiter<C, T> = { key, target: target as T, fresh, lease: null, onGrant: null, origin };
  pool.queue.push(waiter);
  pool.changed = true;
  return waiter;
}

/** Leave the queue without a connection (a cancelled request). */
export function dequeue<C, T>(pool: Pool<C, T>, waiter: Waiter<C, T>): void {
  const at = pool.queue.indexOf(waiter);
  if (at < 0) return;
  pool.queue.splice(at, 1);
  waiter.origin.waiting--;
  forgetIfUnused(pool, waiter.origin);
}

/**
 * Hand connections to waiters in FIFO order: an idle one for the same key first, else a new one within the caps
 * (closing another key's idle connection when only the overall cap is in the way). A waiter whose key is at its cap
 * does not block waiters for other keys behind it.
 */
export function grant<C, T>(pool: Pool<C, T>, now: number): void {
  if (!pool.changed) return;
  pool.changed = false;
  // A key a waiter could get nothing for (no idle connection, no room for a new one) stays so for the rest of this
  // pass, which only takes connections: its later waiters are passed over at once (one field read each). The waiters
  // left are moved up in place, so granting many costs one pass, not one move each.
  const pass = ++pool.passes;
  const { queue } = pool;
  let kept = 0;
  for (const waiter of queue) {
    const { origin } = waiter;
    const lease = origin.blockedIn === pass ? null
      : (waiter.fresh ? null : takeIdle(pool, origin)) ?? openNew(pool, waiter, now);
    if (!lease) {
      if (!waiter.fresh) origin.blockedIn = pass;
      queue[kept++] = waiter;
      continue;
    }
    origin.waiting--;
    waiter.lease = lease;
    pool.leased++;
    waiter.onGrant?.();
  }
  queue.length = kept;
}

function takeIdle<C, T>(pool: Pool<C, T>, origin: Origin<C>): Lease<C> | null {
  while (origin.idle.length > 0) {
    const { conn } = origin.idle.pop()!;
    if (pool.hooks.usable(conn)) return { conn, key: origin.key, reused: true };
    closeConn(pool, origin, conn);
  }
  return null;
}

function openNew<C, T>(pool: Pool<C, T>, { origin, target }: Waiter<C, T>, now: number): Lease<C> | null {
  if (origin.open >= pool.options.maxPerOrigin) return null;
  if (pool.open >= pool.options.maxTotal && !closeOldestIdle(pool, now)) return null;
  origin.open++;
  pool.open++;
  return { conn: pool.hooks.open(origin.key, target), key: origin.key, reused: false };
}

function closeOldestIdle<C, T>(pool: Pool<C, T>, now: number): boolean {
  let oldest: Origin<C> | null = null;
  for (const o of pool.origins.values()) {
    if (o.idle.length > 0 && o.idle[0].since <= (oldest ? oldest.idle[0].since : now)) oldest = o;
  }
  if (!oldest) return false;
  closeConn(pool, oldest, oldest.idle.shift()!.conn);
  return true;
}

/**
 * Give a leased connection back. `keepAlive` says whether it can carry another request (a complete response on a
 * connection the server keeps open); otherwise it is closed and its slot freed.
 */
export function release<C, T>(pool: Pool<C, T>, lease: Lease<C>, keepAlive: boolean, now: number): void {
  pool.leased--;
  pool.changed = true;
  const origin = pool.origins.get(lease.key)!;
  if (keepAlive && pool.hooks.usable(lease.conn)) origin.idle.push({ conn: lease.conn, since: now });
  else closeConn(pool, origin, lease.conn);
}

/** Close idle connections unused for longer than the idle timeout, or closed by their server meanwhile. */
export function sweepIdle<C, T>(pool: Pool<C, T>, now: number): void {
  for (const origin of pool.origins.values()) {
    const { idle } = origin;
    let kept = 0;
    for (const entry of idle) {
      if (now - entry.since < pool.options.idleTimeoutMs && pool.hooks.usable(entry.conn)) idle[kept++] = entry;
      else closeConn(pool, origin, entry.conn, false);
    }
    idle.length = kept;
    forgetIfUnused(pool, origin);
  }
}

/** Close every idle connection (leased ones belong to their requests). */
export function closeIdle<C, T>(pool: Pool<C, T>): void {
  for (const origin of pool.origins.values()) {
    for (const { conn } of origin.idle.splice(0)) closeConn(pool, origin, conn, false);
    forgetIfUnused(pool, origin);
  }
}

/** Close a connection of `origin` (`forget`: drop the key if that was its last use; a sweep does it once at the end). */
function closeConn<C, T>(pool: Pool<C, T>, origin: Origin<C>, conn: C, forget = true): void {
  pool.hooks.close(conn);
  pool.open--;
  origin.open--;
  pool.changed = true;
  if (forget) forgetIfUnused(pool, origin);
}

function forgetIfUnused<C, T>(pool: Pool<C, T>, origin: Origin<C>): void {
  if (origin.open === 0 && origin.waiting === 0) pool.origins.delete(origin.key);
}
