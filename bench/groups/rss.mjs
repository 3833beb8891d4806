// A 1 GiB download (256 MiB with --quick) to a file through the request layer's file sink, in a fresh child
// process whose resident set is sampled while it runs: growth = peak RSS - RSS before the download.
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClient } from '../build-clients.mjs';
import { runChild } from '../child.mjs';

export async function run(ctx) {
  const { settings, ports, results } = ctx;
  let script;
  try {
    script = await buildClient('file-download');
  } catch (e) {
    ctx.note(`tickhttp file-download client unavailable, rss_growth_mb_1gib is null: ${String(e.message).split('\n')[0]}`);
    return;
  }
  const file = join(tmpdir(), `tickhttp-bench-${process.pid}.bin`);
  try {
    const r = await runChild(script, [String(ports.http), `/body?size=${settings.rssBytes}`, file]);
    if (r.error) throw new Error(r.error);
    const written = statSync(file).size;
    if (written !== settings.rssBytes) throw new Error(`file has ${written} bytes, expected ${settings.rssBytes}`);
    results.rss_growth_mb_1gib = (r.peakRss - r.baselineRss) / 1e6;
    results.rss_download_mib = settings.rssBytes / (1 << 20);
    results.rss_download_mbps = settings.rssBytes / 1e6 / (r.ms / 1000);
  } finally {
    rmSync(file, { force: true });
  }
}
