// tickhttp in Chromium: a download through the web HTTPClient polled once per animation frame (60 Hz) vs the page's
// own fetch read loop, in the same browser and run, interleaved; and the longest frame's work while downloading. Then
// the same body through the ECS request system into the Origin Private File System (MB/s to the closed file).
// The page and the body come from one loopback server in this process (same origin: no CORS in the way).
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { summarize, ratio, mbps } from '../stats.mjs';
import { putSummary } from '../report.mjs';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const BLOCK = Buffer.alloc(1 << 20, 0x5a);
/** 64 MiB in both the full and the quick run; at most five interleaved pairs. */
const BODY_BYTES = 64 << 20;

function bodyServer(script) {
  return createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') return res.end('<!doctype html><script type="module">import * as b from "/page.js"; window.bench = b;</script>');
    if (url.pathname === '/page.js') return res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    let left = Number(url.searchParams.get('size'));
    res.writeHead(200, { 'Content-Length': left, 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' });
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, BLOCK.length);
        left -= n;
        if (!res.write(n === BLOCK.length ? BLOCK : BLOCK.subarray(0, n))) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
}

export async function run(ctx) {
  const { settings, results, note } = ctx;
  results.browser_body_mib = BODY_BYTES / (1 << 20);
  if (!existsSync(CHROMIUM)) return note(`browser rows are null: ${CHROMIUM} is not installed`);
  const { chromium } = await import('playwright-core');
  const entry = fileURLToPath(new URL('../clients/web-page.ts', import.meta.url));
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', write: false,
    target: 'es2020', logLevel: 'silent' });
  const server = bodyServer(bundle.outputFiles[0].contents);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => window.bench !== undefined);
    const path = `/body?size=${BODY_BYTES}`;
    const call = (fn, ...args) => page.evaluate(([f, a]) => window.bench[f](...a), [fn, args]);
    await call('fetchLoop', port, '/body?size=4194304'); // warm-up: connection, code caches
    const tick = [];
    const own = [];
    for (let i = 0; i < Math.min(settings.runs, 5); i++) {
      const order = i % 2 ? ['fetch', 'tick'] : ['tick', 'fetch'];
      for (const which of order) {
        const r = which === 'tick' ? await call('tickDownload', port, path, 65536) : await call('fetchLoop', port, path);
        if (r.bytes !== BODY_BYTES) throw new Error(`${which}: ${r.bytes} of ${BODY_BYTES} bytes`);
        (which === 'tick' ? tick : own).push(r);
      }
    }
    const tickMbps = summarize(tick.map((r) => mbps(r.bytes, r.ms)));
    const fetchMbps = summarize(own.map((r) => mbps(r.bytes, r.ms)));
    putSummary(results, 'browser_tick_mbps', tickMbps);
    putSummary(results, 'browser_fetch_mbps', fetchMbps);
    results.browser_tick_vs_fetch = ratio(tickMbps, fetchMbps);
    putSummary(results, 'browser_max_tick_ms', summarize(tick.map((r) => r.maxTickMs)));
    putSummary(results, 'browser_frames', summarize(tick.map((r) => r.ticks)));
    const opfs = [];
    for (let i = 0; i < Math.min(settings.runs, 3); i++) {
      const r = await call('opfsDownload', port, path, 'bench/body.bin');
      if (r.bytes !== BODY_BYTES) throw new Error(`opfs: ${r.bytes} of ${BODY_BYTES} bytes in the file`);
      opfs.push(r);
    }
    putSummary(results, 'browser_opfs_mbps', summarize(opfs.map((r) => mbps(r.bytes, r.ms))));
    putSummary(results, 'browser_opfs_max_tick_ms', summarize(opfs.map((r) => r.maxTickMs)));
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
