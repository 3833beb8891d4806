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
}

interface IdleConn<C> {
  conn: C;
  since: number;
}

/** The pool's state. Counters are public so tests and debug overlays can read them. */
export interface Pool<C, T = unknown> {
  readonly options: Required<PoolOptions>;
  readonly hooks: PoolHooks<C, T>;
  /** Open connections per key (leased + idle). */
  readonly openPerKey: Map<string, number>;
  /** Idle connections per key, most recently used last. */
  readonly idle: Map<string, IdleConn<C>[]>;
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
    openPerKey: new Map(),
    idle: new Map(),
    queue: [],
    open: 0,
    leased: 0,
    changed: false,
  };
}

/** Idle connections across all keys. */
export function idleCount<C, T>(pool: Pool<C, T>): number {
  let n = 0;
  for (const list of pool.idle.values()) n += list.length;
  return n;
}

/** Join the queue for a connection to `key`; null when the queue is full (the caller reports RESULT_QUEUE_FULL). */
export function enqueue<C, T>(pool: Pool<C, T>, key: string, fresh = false, target?: T): Waiter<C, T> | null {
  if (pool.queue.length >= pool.options.maxQueue) return null;
  const waiter: Waiter<C, T> = { key, target: target as T, fresh, lease: null, onGrant: null };
  pool.queue.push(waiter);
  pool.changed = true;
  return waiter;
}

/** Leave the queue without a connection (a cancelled request). */
export function dequeue<C, T>(pool: Pool<C, T>, waiter: Waiter<C, T>): void {
  const at = pool.queue.indexOf(waiter);
  if (at >= 0) pool.queue.splice(at, 1);
}

/** The keys {@link grant} found nothing for in its current pass, kept so that a pass allocates nothing. */
const blockedKeys = new Set<string>();

/**
 * Hand connections to waiters in FIFO order: an idle one for the same key first, else a new one within the caps
 * (closing another key's idle connection when only the overall cap is in the way). A waiter whose key is at its cap
 * does not block waiters for other keys behind it.
 */
export function grant<C, T>(pool: Pool<C, T>, now: number): void {
  // A key a waiter could get nothing for (no idle connection, no room for a new one) stays so for the rest of this
  // pass, which only takes connections: its later waiters are passed over at once, so a long queue behind a full
  // origin costs one lookup per waiter.
  if (!pool.changed) return;
  pool.changed = false;
  const blocked = blockedKeys;
  blocked.clear();
  for (let i = 0; i < pool.queue.length; ) {
    const waiter = pool.queue[i];
    const lease = blocked.has(waiter.key) ? null
      : (waiter.fresh ? null : takeIdle(pool, waiter.key)) ?? openNew(pool, waiter, now);
    if (!lease) {
      if (!waiter.fresh) blocked.add(waiter.key);
      i++;
      continue;
    }
    pool.queue.splice(i, 1);
    waiter.lease = lease;
    pool.leased++;
    waiter.onGrant?.();
  }
}

function takeIdle<C, T>(pool: Pool<C, T>, key: string): Lease<C> | null {
  const list = pool.idle.get(key);
  while (list && list.length > 0) {
    const { conn } = list.pop()!;
    if (pool.hooks.usable(conn)) return { conn, key, reused: true };
    closeConn(pool, key, conn);
  }
  return null;
}

function openNew<C, T>(pool: Pool<C, T>, { key, target }: Waiter<C, T>, now: number): Lease<C> | null {
  if ((pool.openPerKey.get(key) ?? 0) >= pool.options.maxPerOrigin) return null;
  if (pool.open >= pool.options.maxTotal && !closeOldestIdle(pool, now)) return null;
  pool.openPerKey.set(key, (pool.openPerKey.get(key) ?? 0) + 1);
  pool.open++;
  return { conn: pool.hooks.open(key, target), key, reused: false };
}

function closeOldestIdle<C, T>(pool: Pool<C, T>, now: number): boolean {
  let oldest: { key: string; since: number } | null = null;
  for (const [key, list] of pool.idle) {
    if (list.length > 0 && list[0].since <= (oldest?.since ?? now)) oldest = { key, since: list[0].since };
  }
  if (!oldest) return false;
  closeConn(pool, oldest.key, pool.idle.get(oldest.key)!.shift()!.conn);
  return true;
}

/**
 * Give a leased connection back. `keepAlive` says whether it can carry another request (a complete response on a
 * connection the server keeps open); otherwise it is closed and its slot freed.
 */
export function release<C, T>(pool: Pool<C, T>, lease: Lease<C>, keepAlive: boolean, now: number): void {
  pool.leased--;
  pool.changed = true;
  if (keepAlive && pool.hooks.usable(lease.conn)) {
    const list = pool.idle.get(lease.key) ?? [];
    list.push({ conn: lease.conn, since: now });
    pool.idle.set(lease.key, list);
  } else closeConn(pool, lease.key, lease.conn);
}

/** Close idle connections unused for longer than the idle timeout, or closed by their server meanwhile. */
export function sweepIdle<C, T>(pool: Pool<C, T>, now: number): void {
  for (const [key, list] of pool.idle) {
    const keep = list.filter(({ conn, since }) => {
      if (now - since < pool.options.idleTimeoutMs && pool.hooks.usable(conn)) return true;
      closeConn(pool, key, conn);
      return false;
    });
    if (keep.length > 0) pool.idle.set(key, keep);
    else pool.idle.delete(key);
  }
}

/** Close every idle connection (leased ones belong to their requests). */
export function closeIdle<C, T>(pool: Pool<C, T>): void {
  for (const [key, list] of pool.idle) for (const { conn } of list) closeConn(pool, key, conn);
  pool.idle.clear();
}

function closeConn<C, T>(pool: Pool<C, T>, key: string, conn: C): void {
  pool.hooks.close(conn);
  pool.open--;
  pool.changed = true;
  const n = (pool.openPerKey.get(key) ?? 1) - 1;
  if (n > 0) pool.openPerKey.set(key, n);
  else pool.openPerKey.delete(key);
}
