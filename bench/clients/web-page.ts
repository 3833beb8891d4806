// Runs in Chromium (bench/groups/browser.mjs): one download through tickhttp's web HTTPClient polled once per
// animation frame, and the same download by the page's own fetch read loop.
import { HTTPClient, Method, Status } from '../../engine-module/web.js';

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
