// The ECS system ticked by a real 60 Hz timer (16.67 ms per tick): MB/s of one download into memory, each run
// capped in time. Also the longest tick (the completing tick hands the whole body over) and the body read per tick.
import { summarize } from '../stats.mjs';
import { putSummary } from '../report.mjs';
import { tryLoad } from './tickhttp.mjs';

export async function run(ctx) {
  const { settings, ports, results } = ctx;
  const ecs = await tryLoad(ctx, 'ecs');
  if (!ecs) return;
  const runs = [];
  for (let i = 0; i < settings.ecs60Runs; i++) {
    runs.push(await ecs.pacedDownload({ port: ports.http, path: `/body?size=${settings.ecs60Bytes}`, hz: 60,
      capMs: settings.ecs60CapMs }));
  }
  putSummary(results, 'ecs60hz_mbps', summarize(runs.map((r) => r.mbps)));
  putSummary(results, 'ecs60hz_max_tick_ms', summarize(runs.map((r) => r.maxTickMs)));
  putSummary(results, 'ecs60hz_mib_per_tick', summarize(runs.map((r) => r.mibPerTick)));
  results.ecs60hz_body_mib = settings.ecs60Bytes / (1 << 20);
}
