// An opt-in revalidation cache for assets: a stored response is revalidated with its ETag / Last-Modified, and a 304
// is answered with the stored body. No freshness heuristics: every use asks the server, which is what asset
// downloads want (cheap when unchanged, never stale).
import { ownedCopy, utf8Decode, utf8Encode } from '../bytes/bytes.js';
import type { FileAccess } from '../platform/platform.js';
import { findHeader } from './headers.js';

/** What is kept about a cached response. */
export interface CacheEntry {
  url: string;
  etag: string | null;
  lastModified: string | null;
  /** The stored response's head: status code and "Name: value" lines. */
  code: number;
  headers: string[];
  /** Decoded body size in bytes. */
  size: number;
}

/** Writes one body into the cache; nothing is visible to lookups until {@link commit}. */
export interface CacheWriter {
  /** Store the next piece; it is valid only during the call (it may be a view of a buffer that is reused). */
  write(data: Uint8Array): void;
  commit(): void;
  abort(): void;
}

/** A store of revalidatable responses, keyed by URL. */
export interface RevalidationCache {
  /** The stored entry for this URL, or null. */
  lookup(url: string): CacheEntry | null;
  /** The stored body of an entry, or null when it has gone missing (the entry is then dropped). */
  body(entry: CacheEntry): Uint8Array | null;
  /** Begin storing a response: any entry for its URL is dropped now, the new one is visible once committed. */
  begin(entry: CacheEntry): CacheWriter;
  /** Forget a URL. */
  remove(url: string): void;
}

/** The conditional request headers for a stored entry. */
export function validatorHeaders(entry: CacheEntry): string[] {
  const out: string[] = [];
  if (entry.etag !== null) out.push(`If-None-Match: ${entry.etag}`);
  if (entry.lastModified !== null) out.push(`If-Modified-Since: ${entry.lastModified}`);
  return out;
}

/** The cache entry a 200 response to a GET may be stored as, or null when it has no validator or says no-store. */
export function cacheEntryFor(url: string, code: number, headers: string[]): CacheEntry | null {
  if (code !== 200) return null;
  const control = (findHeader(headers, 'cache-control') ?? '').toLowerCase();
  if (/(^|[\s,])no-store([\s,]|$)/.test(control)) return null;
  const etag = findHeader(headers, 'etag');
  const lastModified = findHeader(headers, 'last-modified');
  if (etag === null && lastModified === null) return null;
  return { url, etag, lastModified, code, headers, size: 0 };
}

/** Options of the memory-backed cache. */
export interface MemoryCacheOptions {
  /** Total body bytes kept; the least recently used entries go first (default 32 MiB). */
  maxBytes?: number;
}

/** A cache held in memory (lost when the game exits). */
export function createMemoryCache(options: MemoryCacheOptions = {}): RevalidationCache {
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const entries = new Map<string, { entry: CacheEntry; body: Uint8Array }>();
  let total = 0;
  const remove = (url: string) => {
    const had = entries.get(url);
    if (had) total -= had.body.length;
    entries.delete(url);
  };
  return {
    lookup(url) {
      const hit = entries.get(url);
      if (!hit) return null;
      entries.delete(url); // re-insert: Map order is the recency order
      entries.set(url, hit);
      return hit.entry;
    },
    body: (entry) => entries.get(entry.url)?.body ?? null,
    begin(entry) {
      remove(entry.url);
      const parts: Uint8Array[] = [];
      let size = 0;
      let overflow = false;
      return {
        write(data) {
          size += data.length;
          if (size > maxBytes) overflow = true;
          else parts.push(ownedCopy(data));
        },
        commit() {
          if (overflow) return;
          const body = new Uint8Array(size);
          let at = 0;
          for (const p of parts) (body.set(p, at), (at += p.length));
          entries.set(entry.url, { entry: { ...entry, size }, body });
          total += size;
          for (const [url] of entries) {
            if (total <= maxBytes) break;
            remove(url);
          }
        },
        abort() {
          parts.length = 0;
        },
      };
    },
    remove,
  };
}

/**
 * A cache kept in a directory through the platform's file access (which must offer `read` and `remove`). Each URL
 * has a body file and a metadata file; the metadata is written last, so a body cut short is never served.
 * The directory must exist.
 */
export function createFileCache(files: FileAccess, dir: string): RevalidationCache {
  const { read, remove } = files;
  if (!read || !remove) throw new Error('tickhttp: a file-backed cache needs FileAccess.read and FileAccess.remove');
  const base = (url: string) => `${dir.replace(/\/+$/, '')}/${urlHash(url)}`;
  const forget = (url: string) => {
    remove.call(files, base(url) + '.meta');
    remove.call(files, base(url) + '.body');
  };
  return {
    lookup(url) {
      const meta = read.call(files, base(url) + '.meta');
      if (!meta) return null;
      try {
        const entry = JSON.parse(utf8Decode(meta)) as CacheEntry;
        return entry.url === url ? entry : null;
      } catch {
        return null;
      }
    },
    body(entry) {
      const body = read.call(files, base(entry.url) + '.body');
      if (body && body.length === entry.size) return body;
      forget(entry.url);
      return null;
    },
    begin(entry) {
      remove.call(files, base(entry.url) + '.meta');
      const sink = files.open(base(entry.url) + '.body', false);
      let size = 0;
      let ok = sink !== null;
      return {
        write(data) {
          size += data.length;
          if (ok) ok = sink!.write(data);
        },
        commit() {
          sink?.close();
          if (!ok) return forget(entry.url);
          const meta = files.open(base(entry.url) + '.meta', false);
          if (!meta) return forget(entry.url);
          const written = meta.write(utf8Encode(JSON.stringify({ ...entry, size })));
          meta.close();
          if (!written) forget(entry.url);
        },
        abort() {
          sink?.close();
          forget(entry.url);
        },
      };
    },
    remove: forget,
  };
}

/** A 64-bit FNV-1a hash of the URL as 16 hex digits: a file name that needs no escaping. */
function urlHash(url: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of utf8Encode(url)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}
