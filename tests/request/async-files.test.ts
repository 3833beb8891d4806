// Downloads through asynchronous files (Platform.asyncFiles, as a browser's Origin Private File System offers them),
// here a real AsyncFileAccess over node:fs/promises in a temp directory, against a real loopback server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addEntity, hasComponent, removeComponent } from 'bitecs';
import { addRequest, getResponse } from '../../engine-module/ecs/request-system.js';
import type { AsyncFileAccess, Platform } from '../../engine-module/platform/platform.js';
import { SINK_BACKLOG_LIMIT } from '../../engine-module/request/body-pipeline.js';
import { Result, TimeoutKind } from '../../engine-module/request/result.js';
import { pattern, platform, startServer, testWorld, type TestServer, type TestWorld } from '../ecs/helpers.js';
import { connectionCounts } from '../../engine-module/testing.js';

let server: TestServer;
let tw: TestWorld;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tickhttp-async-'));
});
afterEach(async () => {
  tw?.destroy();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const asset = Buffer.from(pattern(3_000_000, 11));
const ETAG = '"async-v1"';

/** A gate a file operation waits at until the test opens it. */
function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

interface Knobs {
  /** Opening waits for this. */
  openGate?: Promise<void>;
  /** Closing waits for this. */
  closeGate?: Promise<void>;
  /** Each write waits for this (opened by the test to let writes land). */
  writeGate?: () => Promise<void>;
  /** Writes reject once this many bytes were stored. */
  failAfter?: number;
}

/** Files over node:fs/promises, counting open handles and the bytes stored. */
function asyncFiles(knobs: Knobs = {}) {
  const state = { openHandles: 0, stored: new Map<string, number>() };
  const files: AsyncFileAccess = {
    size: async (path) => (await stat(path).catch(() => null))?.size ?? -1,
    read: async (path) => readFile(path).then((b) => new Uint8Array(b), () => null),
    remove: (path) => rm(path, { force: true }),
    async open(path, append) {
      await knobs.openGate;
      const handle = await open(path, append ? 'a' : 'w');
      let stored = 0;
      state.openHandles++;
      return {
        async write(data) {
          await knobs.writeGate?.();
          if (knobs.failAfter !== undefined && stored + data.length > knobs.failAfter) throw new Error('disk full');
          await handle.write(data);
          state.stored.set(path, (stored += data.length));
        },
        async close() {
          await knobs.closeGate;
          await handle.close();
          state.openHandles--;
        },
      };
    },
  };
  const p: Platform = Object.create(platform);
  p.files = undefined;
  p.asyncFiles = files;
  return { platform: p, state };
}

/** Serves the asset with an ETag and Range support; the first response can be cut short. */
async function assetServer(cutAfter?: number) {
  const seen: { range?: string; ifRange?: string }[] = [];
  let cut = cutAfter;
  server = await startServer((req, res) => {
    seen.push({ range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined });
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && req.headers['if-range'] === ETAG) {
      const from = Number(m[1]);
      res.writeHead(206, { ETag: ETAG, 'Content-Range': `bytes ${from}-${asset.length - 1}/${asset.length}`, 'Content-Length': asset.length - from });
      return res.end(asset.subarray(from));
    }
    res.writeHead(200, { ETag: ETAG, 'Content-Length': asset.length });
    if (cut === undefined) return res.end(asset);
    res.write(asset.subarray(0, cut));
    cut = undefined;
    setTimeout(() => req.socket.destroy(), 20);
  });
  return seen;
}

function start(spec: Parameters<typeof addRequest>[2]): number {
  const eid = addEntity(tw.world);
  addRequest(tw.world, eid, spec);
  return eid;
}

const done = (eid: number) => () => hasComponent(tw.world, eid, tw.http.Done);

describe('downloads through asynchronous files', () => {
  it('writes the body and succeeds only once the file is closed', async () => {
    await assetServer();
    const closeGate = gate();
    const files = asyncFiles({ closeGate: closeGate.wait });
    tw = testWorld({ platform: files.platform });
    const path = join(dir, 'asset.bin');
    const eid = start({ url: server.url('/asset'), download: path });
    await tw.until(() => tw.http.Progress.received[eid] === asset.length);
    for (let i = 0; i < 20; i++) await tw.tick();
    expect(hasComponent(tw.world, eid, tw.http.Done)).toBe(false); // the close has not settled
    closeGate.open();
    await tw.until(done(eid));
    expect(getResponse(tw.world, eid)).toMatchObject({ result: Result.SUCCESS, code: 200, body: null, path });
    expect(readFileSync(path).equals(asset)).toBe(true);
    expect(files.state.openHandles).toBe(0);
    expect(connectionCounts(tw.http).leased).toBe(0); // the connection went back before the file was closed
  });

  it('resumes a partial file with Range and If-Range, reading the size and validator asynchronously', async () => {
    const seen = await assetServer(1_000_000);
    const files = asyncFiles();
    tw = testWorld({ platform: files.platform });
    const path = join(dir, 'asset.bin');
    const first = await tw.run({ url: server.url('/asset'), download: { path, resume: true } });
    expect(first.r.result).toBe(Result.CONNECTION_ERROR);
    await tw.until(() => files.state.openHandles === 0);
    expect(readFileSync(path).length).toBe(1_000_000);
    expect(readFileSync(`${path}.validator`, 'utf8')).toBe(ETAG);

    const { eid, r } = await tw.run({ url: server.url('/asset'), download: { path, resume: true } });
    expect(r).toMatchObject({ result: Result.SUCCESS, code: 206, path });
    expect(seen[1]).toEqual({ range: 'bytes=1000000-', ifRange: ETAG });
    expect(readFileSync(path).equals(asset)).toBe(true);
    expect([tw.http.Progress.received[eid], tw.http.Progress.total[eid]]).toEqual([asset.length, asset.length]);
    await tw.until(() => !existsSync(`${path}.validator`));
  });

  it('a write that fails ends the request with DOWNLOAD_FILE_WRITE_ERROR and the reason', async () => {
    await assetServer();
    const files = asyncFiles({ failAfter: 500_000 });
    tw = testWorld({ platform: files.platform });
    const path = join(dir, 'asset.bin');
    const { r } = await tw.run({ url: server.url('/asset'), download: path });
    expect(r.result).toBe(Result.DOWNLOAD_FILE_WRITE_ERROR);
    expect(r.error).toBe(`cannot write ${path}: disk full`);
    await tw.until(() => files.state.openHandles === 0); // closed, the part written kept
    expect(readFileSync(path).length).toBeLessThanOrEqual(500_000);
  });

  it('a file that cannot be opened is DOWNLOAD_FILE_CANT_OPEN with the reason', async () => {
    await assetServer();
    tw = testWorld({ platform: asyncFiles().platform });
    const path = join(dir, 'no-such-dir', 'asset.bin');
    const { r } = await tw.run({ url: server.url('/asset'), download: path });
    expect(r.result).toBe(Result.DOWNLOAD_FILE_CANT_OPEN);
    expect(r.error).toMatch(/^cannot open .*asset\.bin: .*ENOENT/);
  });

  it('cancelling mid-download closes the file and keeps the part written for a resume', async () => {
    const writes = { gate: gate() };
    await assetServer();
    const files = asyncFiles({ writeGate: () => writes.gate.wait });
    tw = testWorld({ platform: files.platform });
    const path = join(dir, 'asset.bin');
    const eid = start({ url: server.url('/asset'), download: { path, resume: true } });
    await tw.until(() => files.state.openHandles >= 1 && tw.http.Progress.received[eid] > 0);
    removeComponent(tw.world, eid, tw.http.Request);
    writes.gate.open();
    await tw.until(() => files.state.openHandles === 0);
    expect(readFileSync(path).length).toBe(files.state.stored.get(path));
    expect(files.state.stored.get(path)).toBeGreaterThan(0);
    expect(readFileSync(`${path}.validator`, 'utf8')).toBe(ETAG);
  });

  it('holds no more than the backlog bound of unstored bytes, and a slow file is no stall', async () => {
    const big = Buffer.from(pattern(8_000_000, 5));
    server = await startServer((_req, res) => res.writeHead(200, { 'Content-Length': big.length }).end(big));
    let release = gate();
    // Writes land only when the test lets them: a file much slower than the network.
    const files = asyncFiles({ writeGate: () => release.wait });
    tw = testWorld({ platform: files.platform });
    const path = join(dir, 'big.bin');
    const eid = start({ url: server.url('/big'), download: path, timeouts: { stallMs: 200 } });
    let ahead = 0;
    const stored = () => files.state.stored.get(path) ?? 0;
    for (let n = 0; !hasComponent(tw.world, eid, tw.http.Done) && n < 5000; n++) {
      await tw.tick();
      ahead = Math.max(ahead, tw.http.Progress.received[eid] - stored());
      // Ticks come faster than the file system opens a file: the stall clock is the ticks', so they wait for it.
      while (tw.http.Progress.total[eid] > 0 && files.state.openHandles === 0 && stored() === 0) {
        await new Promise((r) => setTimeout(r, 1));
      }
      if (n % 5 === 4 && files.state.openHandles > 0) {
        // One write lands every 5 ticks (80 ms of tick clock): waited for in real time, so the file system's own
        // speed does not decide how slow the file looks.
        const before = stored();
        release.open();
        release = gate();
        while (stored() === before && files.state.openHandles > 0) await new Promise((r) => setTimeout(r, 1));
      }
    }
    release.open();
    expect(getResponse(tw.world, eid)?.result).toBe(Result.SUCCESS);
    // Read ahead of the file up to the bound, not the whole body: the rest waited in the connection.
    expect(ahead).toBeGreaterThan(SINK_BACKLOG_LIMIT);
    expect(ahead).toBeLessThanOrEqual(SINK_BACKLOG_LIMIT + 2 * 65536);
    expect(readFileSync(path).equals(big)).toBe(true);
  });

  it('the total timeout ends a request whose file does not open, and the file is closed once it does', async () => {
    await assetServer();
    const opening = gate();
    const files = asyncFiles({ openGate: opening.wait });
    tw = testWorld({ platform: files.platform });
    const path = join(dir, 'asset.bin');
    const { r } = await tw.run({ url: server.url('/asset'), download: path, timeouts: { totalMs: 500 } });
    expect([r.result, r.timeout]).toEqual([Result.TIMEOUT, TimeoutKind.TOTAL]);
    expect(connectionCounts(tw.http).leased).toBe(0);
    opening.open();
    await tw.until(() => files.state.openHandles === 0 && existsSync(path));
  });

  it('a 304 answered from the cache is written to the download file through the same files', async () => {
    await assetServer();
    const files = asyncFiles();
    tw = testWorld({ platform: files.platform });
    const cached = { url: server.url('/asset'), cache: true };
    expect((await tw.run(cached)).r.result).toBe(Result.SUCCESS);
    server.server.removeAllListeners('request');
    server.server.on('request', (_req, res) => res.writeHead(304, { ETag: ETAG }).end());
    const path = join(dir, 'from-cache.bin');
    writeFileSync(path, 'old');
    const { r } = await tw.run({ ...cached, download: path });
    expect(r).toMatchObject({ result: Result.SUCCESS, fromCache: true, path, body: null });
    expect(readFileSync(path).equals(asset)).toBe(true);
    expect(files.state.openHandles).toBe(0);
  });
});
