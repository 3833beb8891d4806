// Runs in Chromium (bench/groups/browser.mjs): one download through tickhttp's web HTTPClient polled once per
// animation frame, the same download by the page's own fetch read loop, and one through the ECS request system into
// the page's Origin Private File System.
import { addEntity, createWorld, hasComponent } from 'bitecs';
import {
  HTTPClient,
  Method,
  Result,
  Status,
  addRequest,
  createHttpSystem,
  destroyHttpSystem,
  getPlatform,
  getResponse,
  updateHttp,
} from '../../engine-module/web.js';

const page = globalThis as unknown as { requestAnimationFrame(callback: (time: number) => void): number };
const frame = (): Promise<number> => new Promise((resolve) => page.requestAnimationFrame(resolve));

export interface Timed {
  ms: number;
  bytes: number;
  /** Longest frame's work (poll and every read of that frame), ms; 0 for the fetch loop. */
  maxTickMs: number;
  ticks: number;
}

/** GET `path` from the page's own origin with HTTPClient: each frame polls once and reads whatever has arrived. */
export async function tickDownload(port: number, path: string, readChunkSize: number): Promise<Timed> {
  const client = new HTTPClient();
  client.setReadChunkSize(readChunkSize);
  client.connectToHost('127.0.0.1', port);
  let start = 0;
  let bytes = 0;
  let maxTickMs = 0;
  let ticks = 0;
  for (;;) {
    await frame();
    const t0 = performance.now();
    client.poll();
    const status = client.getStatus();
    if (status === Status.CONNECTED && start === 0) {
      start = performance.now();
      client.request(Method.GET, path, []);
    } else if (status === Status.BODY) {
      for (let c = client.readResponseBodyChunk(); c.length > 0; c = client.readResponseBodyChunk()) bytes += c.length;
    }
    const t1 = performance.now();
    if (start > 0) {
      ticks++;
      maxTickMs = Math.max(maxTickMs, t1 - t0);
    }
    const now = client.getStatus();
    if (start > 0 && now !== Status.REQUESTING && now !== Status.BODY) {
      client.close();
      if (now !== Status.CONNECTED) throw new Error(`download failed: ${client.getLastError()}`);
      return { ms: t1 - start, bytes, maxTickMs, ticks };
    }
  }
}

/** The same GET by the page's own fetch read loop, reading as fast as the stream delivers. */
export async function fetchLoop(port: number, path: string): Promise<Timed> {
  const start = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  const reader = response.body!.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
  }
  return { ms: performance.now() - start, bytes, maxTickMs: 0, ticks: 0 };
}

/** GET `path` to the file `file` of the Origin Private File System through the ECS request system, updated per frame. */
export async function opfsDownload(port: number, path: string, file: string): Promise<Timed> {
  const world = createWorld();
  const http = createHttpSystem(world);
  const eid = addEntity(world);
  const start = performance.now();
  addRequest(world, eid, { url: `http://127.0.0.1:${port}${path}`, download: file });
  let maxTickMs = 0;
  let ticks = 0;
  try {
    for (;;) {
      await frame();
      const t0 = performance.now();
      updateHttp(world);
      const t1 = performance.now();
      ticks++;
      maxTickMs = Math.max(maxTickMs, t1 - t0);
      if (!hasComponent(world, eid, http.Done)) continue;
      const outcome = getResponse(world, eid)!;
      if (outcome.result !== Result.SUCCESS) throw new Error(`download to ${file} failed: ${outcome.error}`);
      return { ms: t1 - start, bytes: await getPlatform().asyncFiles!.size(file), maxTickMs, ticks };
    }
  } finally {
    destroyHttpSystem(world);
  }
}
