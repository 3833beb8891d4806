import { describe, expect, it } from 'vitest';
import {
  cacheEntryFor,
  createFileCache,
  createMemoryCache,
  validatorHeaders,
  type RevalidationCache,
} from '../../engine-module/request/cache.js';
import { memoryFiles } from './memory-files.js';

const url = 'http://assets.test/a.png';
const headers = ['ETag: "v1"', 'Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT', 'Content-Type: image/png'];

function store(cache: RevalidationCache, body: Uint8Array) {
  const w = cache.begin(cacheEntryFor(url, 200, headers)!);
  w.write(body.subarray(0, 2));
  w.write(body.subarray(2));
  w.commit();
}

describe('cache validators', () => {
  it('stores only 200 responses with a validator and without no-store', () => {
    expect(cacheEntryFor(url, 200, headers)).toMatchObject({ etag: '"v1"', code: 200 });
    expect(cacheEntryFor(url, 200, ['Last-Modified: x'])).toMatchObject({ etag: null, lastModified: 'x' });
    expect(cacheEntryFor(url, 200, ['Content-Type: a/b'])).toBeNull();
    expect(cacheEntryFor(url, 206, headers)).toBeNull();
    expect(cacheEntryFor(url, 200, [...headers, 'Cache-Control: private, no-store'])).toBeNull();
    expect(cacheEntryFor(url, 200, [...headers, 'Cache-Control: no-store-ish'])).not.toBeNull();
  });

  it('asks with If-None-Match and If-Modified-Since', () => {
    expect(validatorHeaders(cacheEntryFor(url, 200, headers)!)).toEqual([
      'If-None-Match: "v1"',
      'If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT',
    ]);
  });
});

for (const [name, make] of [
  ['memory', () => createMemoryCache()],
  ['file', () => createFileCache(memoryFiles(), '/cache/')],
] as const) {
  describe(`${name} cache`, () => {
    it('returns nothing until a body is committed, then the entry and body', () => {
      const cache = make();
      const w = cache.begin(cacheEntryFor(url, 200, headers)!);
      w.write(new Uint8Array([1, 2, 3]));
      expect(cache.lookup(url)).toBeNull();
      w.commit();
      const entry = cache.lookup(url)!;
      expect(entry).toMatchObject({ url, etag: '"v1"', size: 3, headers });
      expect(cache.body(entry)).toEqual(new Uint8Array([1, 2, 3]));
      expect(cache.lookup('http://assets.test/other')).toBeNull();
    });

    it('a new write drops the old entry, an aborted one leaves none; remove forgets', () => {
      const cache = make();
      store(cache, new Uint8Array([9, 9, 9]));
      const w = cache.begin(cacheEntryFor(url, 200, headers)!);
      w.write(new Uint8Array([1]));
      w.abort();
      expect(cache.lookup(url)).toBeNull();
      store(cache, new Uint8Array([4, 5, 6]));
      cache.remove(url);
      expect(cache.lookup(url)).toBeNull();
    });
  });
}

describe('memory cache bound', () => {
  it('evicts least recently used entries beyond maxBytes and skips bodies larger than it', () => {
    const cache = createMemoryCache({ maxBytes: 10 });
    const put = (u: string, n: number) => {
      const w = cache.begin(cacheEntryFor(u, 200, headers)!);
      w.write(new Uint8Array(n));
      w.commit();
    };
    put('http://h/a', 4);
    put('http://h/b', 4);
    cache.lookup('http://h/a');
    put('http://h/c', 4);
    expect(cache.lookup('http://h/b')).toBeNull();
    expect(cache.lookup('http://h/a')).not.toBeNull();
    put('http://h/big', 11);
    expect(cache.lookup('http://h/big')).toBeNull();
  });
});

describe('file cache', () => {
  it('drops an entry whose body file went missing or short', () => {
    const files = memoryFiles();
    const cache = createFileCache(files, '/cache');
    store(cache, new Uint8Array([1, 2, 3, 4]));
    const bodyPath = [...files.data.keys()].find((k) => k.endsWith('.body'))!;
    files.data.set(bodyPath, new Uint8Array([1, 2]));
    const entry = cache.lookup(url)!;
    expect(cache.body(entry)).toBeNull();
    expect(cache.lookup(url)).toBeNull();
  });

  it('is refused without read/remove', () => {
    const { size, open } = memoryFiles();
    expect(() => createFileCache({ size, open }, '/c')).toThrow(/read/);
  });
});
