// What all requests of one world share: the platform, the connection pool and the default revalidation cache.
import type { HTTPClientOptions } from '../http/client-options.js';
import { getPlatform, type Platform } from '../platform/platform.js';
import { warmUpBetweenFrames } from '../http/work-ahead.js';
import { platformCrypto } from '../http/tls-layer.js';
import { warmUpOf, type WarmUp } from '../tls/warm-up.js';
import { takeSetupUnit, type TickBudget } from './budget.js';
import { createMemoryCache, type RevalidationCache } from './cache.js';
import { connectionHooks, type Connection, type OriginTarget } from './connection.js';
import { createDeadlines, type Deadlines } from './parking.js';
import { createPool, type Pool, type PoolOptions } from './pool.js';

/** Options shared by every request of a world. */
export interface RequesterOptions {
  /** Default: the installed platform. */
  platform?: Platform;
  pool?: PoolOptions;
  /** The cache of requests made with `cache: true` (default: a 32 MiB memory cache, created on first use). */
  cache?: RevalidationCache;
  /** Connection options of pooled connections (head limits; for https: the `tls` layer), as HTTPClient takes them. */
  client?: Omit<HTTPClientOptions, 'platform'>;
}

/** The shared state of a world's requests. */
export interface Requester {
  readonly platform: Platform;
  readonly pool: Pool<Connection, OriginTarget>;
  /** Parked jobs' total timeouts. */
  readonly deadlines: Deadlines;
  cache: RevalidationCache | null;
  /**
   * The budget of the tick being run (set by runTick), which the pool's connections draw their handshake steps
   * from; null before the first tick, when nothing limits them.
   */
  tick: TickBudget | null;
  /**
   * Warm-ups started by what the requests need (see {@link WarmUp}): the TLS one when the pool first opens a TLS
   * connection (ahead of the others), the decoder's when a request that decompresses starts. runTick runs their
   * pieces, first to last, in the time a tick's work leaves over; on a platform with runLater they run between
   * frames instead ({@link warmUpBetweenFrames}), since a first piece can take milliseconds, and this list stays empty.
   */
  warmUps: WarmUp[];
}

/** Shared request state for one world. */
export function createRequester(options: RequesterOptions = {}): Requester {
  const platform = options.platform ?? getPlatform();
  const r: Requester = {
    platform,
    pool: createPool(connectionHooks(platform, options.client ?? {}, {
      workGate: () => r.tick === null || takeSetupUnit(r.tick),
      // The provider the default TLS layer uses; a connection's first records come before any body is decoded, so
      // this warm-up goes first.
      opening: () => startWarmUp(r, warmUpOf(platformCrypto(platform)), true),
    }), options.pool),
    deadlines: createDeadlines(),
    cache: options.cache ?? null,
    tick: null,
    warmUps: [],
  };
  return r;
}

/**
 * Run `warmUp`'s pieces between frames when the platform can (see {@link Requester.warmUps}), else in the ticks to
 * come, after those already listed or, `first`, before them (once: a warm-up already listed is not listed again).
 */
export function startWarmUp(r: Requester, warmUp: WarmUp, first = false): void {
  if (warmUpBetweenFrames(r.platform, warmUp) || r.warmUps.includes(warmUp)) return;
  if (first) r.warmUps.unshift(warmUp);
  else r.warmUps.push(warmUp);
}

/** The cache behind `cache: true`, created on first use. */
export function sharedCache(r: Requester): RevalidationCache {
  return (r.cache ??= createMemoryCache());
}
