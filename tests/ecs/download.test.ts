import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileCache } from '../../engine-module/request/cache.js';
import { Result } from '../../engine-module/request/result.js';
import { pattern, platform, startServer, testWorld, type TestServer, type TestWorld } from './helpers.js';

let server: TestServer;
let tw: TestWorld;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tickhttp-dl-'));
});
afterEach(async () => {
  tw?.destroy();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const asset = Buffer.from(pattern(700_000, 7));
const ETAG = '"asset-v1"';

interface Seen {
  range?: string;
  ifRange?: string;
  ifNoneMatch?: string;
}

/** Serves the asset with an ETag; honours Range (with If-Range) unless `ranges` is off; can cut the body short. */
async function assetServer(opts: { ranges: boolean; cutAfter?: number }) {
  const seen: Seen[] = [];
  let cut = opts.cutAfter;
  server = await startServer((req, res) => {
    const h = req.headers;
    seen.push({ range: h.range, ifRange: h['if-range'] as string, ifNoneMatch: h['if-none-match'] });
    if (h['if-none-match'] === ETAG) return res.writeHead(304, { ETag: ETAG }).end();
    const m = /^bytes=(\d+)-$/.exec(h.range ?? '');
    if (opts.ranges && m && h['if-range'] === ETAG) {
      const from = Number(m[1]);
      res.writeHead(206, {
        ETag: ETAG,
        'Content-Range': `bytes ${from}-${asset.length - 1}/${asset.length}`,
        'Content-Length': asset.length - from,
      });
      return res.end(asset.subarray(from));
    }
    res.writeHead(200, { ETag: ETAG, 'Content-Length': asset.length });
    if (cut !== undefined) {
      res.write(asset.subarray(0, cut));
      cut = undefined;
      return setTimeout(() => req.socket.destroy(), 20);
    }
    res.end(asset);
  });
  return seen;
}

describe('downloads to a file', () => {
  it('writes the body to the file as it arrives, not to memory', async () => {
    await assetServer({ ranges: true });
    tw = testWorld();
    const path = join(dir, 'asset.bin');
    const { eid, r } = await tw.run({ url: server.url('/asset'), download: path });
    expect(r).toMatchObject({ result: Result.SUCCESS, code: 200, body: null, path });
    expect(readFileSync(path).equals(asset)).toBe(true);
    expect(tw.http.Progress.received[eid]).toBe(asset.length);
  });

  it('resumes a partial file with Range and If-Range (206)', async () => {
    const seen = await assetServer({ ranges: true, cutAfter: 300_000 });
    tw = testWorld();
    const path = join(dir, 'asset.bin');
    const first = await tw.run({ url: server.url('/asset'), download: { path, resume: true } });
    expect(first.r.result).toBe(Result.CONNECTION_ERROR);
    expect(readFileSync(path).length).toBe(300_000);
    expect(readFileSync(`${path}.validator`, 'utf8')).toBe(ETAG);

    const { eid, r } = await tw.run({ url: server.url('/asset'), download: { path, resume: true } });
    expect(r).toMatchObject({ result: Result.SUCCESS, code: 206, path });
    expect(seen[1]).toEqual({ range: 'bytes=300000-', ifRange: ETAG, ifNoneMatch: undefined });
    expect(readFileSync(path).equals(asset)).toBe(true);
    expect(existsSync(`${path}.validator`)).toBe(false);
    expect([tw.http.Progress.received[eid], tw.http.Progress.total[eid]]).toEqual([asset.length, asset.length]);
  });

  it('a retried download picks up where the failed attempt stopped', async () => {
    const seen = await assetServer({ ranges: true, cutAfter: 200_000 });
    tw = testWorld();
    const path = join(dir, 'asset.bin');
    const { r } = await tw.run({ url: server.url('/asset'), download: { path, resume: true }, retry: { retries: 1, baseDelayMs: 10 } });
    expect(r).toMatchObject({ result: Result.SUCCESS, code: 206, retries: 1 });
    expect(seen.map((s) => s.range)).toEqual([undefined, 'bytes=200000-']);
    expect(readFileSync(path).equals(asset)).toBe(true);
  });

  it('falls back to a full download when the server answers the range with 200', async () => {
    const seen = await assetServer({ ranges: false });
    tw = testWorld();
    const path = join(dir, 'asset.bin');
    writeFileSync(path, Buffer.alloc(123_456, 0xee));
    writeFileSync(`${path}.validator`, ETAG);
    const { r } = await tw.run({ url: server.url('/asset'), download: { path, resume: true } });
    expect(seen[0].range).toBe('bytes=123456-');
    expect(r).toMatchObject({ result: Result.SUCCESS, code: 200 });
    expect(readFileSync(path).equals(asset)).toBe(true);
  });

  it('without resume, an existing file is rewritten; a file that cannot be opened is DOWNLOAD_FILE_CANT_OPEN', async () => {
    const seen = await assetServer({ ranges: true });
    tw = testWorld();
    const path = join(dir, 'asset.bin');
    writeFileSync(path, Buffer.alloc(10));
    writeFileSync(`${path}.validator`, ETAG);
    await tw.run({ url: server.url('/asset'), download: path });
    expect(seen[0].range).toBeUndefined();
    expect(readFileSync(path).equals(asset)).toBe(true);
    const bad = await tw.run({ url: server.url('/asset'), download: join(dir, 'no', 'such', 'dir.bin') });
    expect(bad.r.result).toBe(Result.DOWNLOAD_FILE_CANT_OPEN);
  });
});

describe('revalidation cache', () => {
  it('answers a 304 from the memory cache and reports it as from-cache', async () => {
    const seen = await assetServer({ ranges: true });
    tw = testWorld();
    const first = await tw.run({ url: server.url('/asset'), cache: true });
    expect(first.r).toMatchObject({ result: Result.SUCCESS, code: 200, fromCache: false });
    const again = await tw.run({ url: server.url('/asset'), cache: true });
    expect(seen[1].ifNoneMatch).toBe(ETAG);
    expect(again.r).toMatchObject({ result: Result.SUCCESS, code: 200, fromCache: true });
    expect(tw.http.Outcome.fromCache[again.eid]).toBe(1);
    expect(Buffer.from(again.r.body!).equals(asset)).toBe(true);
    expect(again.r.headers).toContain(`ETag: ${ETAG}`);
  });

  it('a file-backed cache survives the world and fills a download from a 304', async () => {
    await assetServer({ ranges: true });
    const cacheDir = join(dir, 'cache');
    mkdirSync(cacheDir);
    tw = testWorld({ cache: createFileCache(platform.files!, cacheDir) });
    await tw.run({ url: server.url('/asset'), cache: true });
    tw.destroy();
    tw = testWorld({ cache: createFileCache(platform.files!, cacheDir) });
    const path = join(dir, 'copy.bin');
    const { r } = await tw.run({ url: server.url('/asset'), cache: true, download: path });
    expect(r).toMatchObject({ result: Result.SUCCESS, fromCache: true, path, body: null });
    expect(readFileSync(path).equals(asset)).toBe(true);
  });

  it('a download answered from the cache on a platform without files says why, as one answered by the server does', async () => {
    await assetServer({ ranges: true });
    const noFiles = { ...platform, files: undefined, filesMissing: 'no disk in this test' };
    tw = testWorld({ platform: noFiles });
    await tw.run({ url: server.url('/asset'), cache: true });
    const fromCache = await tw.run({ url: server.url('/asset'), cache: true, download: 'copy.bin' });
    const fromServer = await tw.run({ url: server.url('/asset'), download: 'copy.bin' });
    const words = 'cannot download to copy.bin: no disk in this test (download to memory instead)';
    expect(fromCache.r).toMatchObject({ result: Result.REQUEST_FAILED, error: words });
    expect(fromServer.r).toMatchObject({ result: Result.REQUEST_FAILED, error: words });
  });
});
