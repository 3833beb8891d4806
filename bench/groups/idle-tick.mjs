// 10,000 client entities with nothing to do: the time of one ECS tick (median over many ticks). The figure is for
// clients idle on open keep-alive connections; clients that are not connected at all are measured as well.
// Then 10,000 requests to one origin, six on the pool's connections waiting for answers and the rest queued.
import { putSummary } from '../report.mjs';
import { summarize } from '../stats.mjs';
import { tryLoad } from './tickhttp.mjs';

const ENTITIES = 10_000;

export async function run(ctx) {
  const ecs = await tryLoad(ctx, 'ecs');
  if (!ecs) return;
  const ticks = ctx.settings.idleTicks;
  putSummary(ctx.results, 'idle_tick_ms_10k_unconnected', summarize(await ecs.idleTickMs({ entities: ENTITIES, ticks })));
  putSummary(ctx.results, 'idle_tick_ms_10k', summarize(await ecs.idleTickMs({ entities: ENTITIES, ticks,
    port: ctx.ports.http })));
  putSummary(ctx.results, 'queued_tick_ms_10k', summarize(await ecs.queuedTickMs({ entities: ENTITIES, ticks,
    port: ctx.ports.http })));
}
