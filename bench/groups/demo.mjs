// The demo as a new user runs it (`--ci`, its own HTTPS server, default options), both crypto providers, runs
// interleaved: the frame statistics it prints. demo_max_tick_ms is the median over runs of the longest tick, and
// demo_max_tick_wait_ms of how much of it the game's thread waited for a core (where Linux tells);
// late frames (ticks that started more than a period late) and ticks over 8 ms are counted over all runs;
// demo_max_between_ms is the median of the longest piece of tickhttp's work done between ticks (its runLater
// callbacks and socket events), so work moved out of the ticks still shows.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { summarize } from '../stats.mjs';
import { putSummary } from '../report.mjs';

const DEMO = fileURLToPath(new URL('../../build/demo.js', import.meta.url));
const FRAMES = /frames: (\d+) ticks, longest ([\d.]+) ms \(tick \d+(?:, ([\d.]+) ms of it waiting for a core)?\), p99 ([\d.]+) ms, .* over 8 ms (\d+), .* late starts (\d+)/;
const BETWEEN = /between ticks: longest ([\d.]+) ms/;

function runDemo(provider) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [DEMO, '--ci', '--seed', '1', '--provider', provider], { timeout: 120_000 },
      (error, stdout) => {
        const m = FRAMES.exec(stdout);
        const between = BETWEEN.exec(stdout);
        if (error || !m || !between) {
          reject(new Error(`demo --provider ${provider}: ${error?.message ?? 'no frames line'}\n${stdout.slice(-500)}`));
          return;
        }
        resolve({ ticks: +m[1], longestMs: +m[2], longestWaitMs: m[3] === undefined ? null : +m[3], p99Ms: +m[4],
          slow: +m[5], late: +m[6], betweenMs: +between[1] });
      });
  });
}

export async function run(ctx) {
  const { settings, results } = ctx;
  if (!existsSync(DEMO)) {
    ctx.note('build/demo.js not built (npm run bench builds it): the demo figures are null');
    return;
  }
  const providers = ['node', 'pure'];
  const runs = new Map(providers.map((p) => [p, []]));
  for (let i = 0; i < settings.demoRuns; i++) {
    for (const p of i % 2 ? [...providers].reverse() : providers) runs.get(p).push(await runDemo(p));
  }
  for (const p of providers) {
    const suffix = p === 'node' ? '' : '_pure';
    const r = runs.get(p);
    putSummary(results, `demo_max_tick_ms${suffix}`, summarize(r.map((x) => x.longestMs)));
    const waits = r.map((x) => x.longestWaitMs).filter((w) => w !== null);
    putSummary(results, `demo_max_tick_wait_ms${suffix}`, waits.length === r.length ? summarize(waits) : null);
    putSummary(results, `demo_p99_tick_ms${suffix}`, summarize(r.map((x) => x.p99Ms)));
    putSummary(results, `demo_max_between_ms${suffix}`, summarize(r.map((x) => x.betweenMs)));
    results[`demo_ticks_over_8ms${suffix}`] = r.reduce((n, x) => n + x.slow, 0);
    results[`demo_late_frames${suffix}`] = r.reduce((n, x) => n + x.late, 0);
    results[`demo_ticks${suffix}`] = r.reduce((n, x) => n + x.ticks, 0);
  }
}
