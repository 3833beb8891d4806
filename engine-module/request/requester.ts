// What all requests of one world share: the platform, the connection pool and the default revalidation cache.
import type { HTTPClientOptions } from '../http/client-options.js';
import { getPlatform, type Platform } from '../platform/platform.js';
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
}

/** Shared request state for one world. */
export function createRequester(options: RequesterOptions = {}): Requester {
  const platform = options.platform ?? getPlatform();
  return {
    platform,
    pool: createPool(connectionHooks(platform, options.client ?? {}), options.pool),
    deadlines: createDeadlines(),
    cache: options.cache ?? null,
  };
}

/** The cache behind `cache: true`, created on first use. */
export function sharedCache(r: Requester): RevalidationCache {
  return (r.cache ??= createMemoryCache());
}
