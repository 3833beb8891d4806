// Plain HTTP, one Content-Length body on a keep-alive connection: tickhttp's HTTPClient polled in a tight loop and
// the ECS system at free-running ticks, next to undici and Node's http.
import { undiciClient } from '../peers/undici.mjs';
import { nodeHttpClient } from '../peers/node-http.mjs';
import { compareThroughput } from '../measure.mjs';
import { ratio } from '../stats.mjs';
import { putSummary } from '../report.mjs';
import { polledPair, tryLoad } from './tickhttp.mjs';

export async function run(ctx) {
  const { settings, ports, results } = ctx;
  const polled = await tryLoad(ctx, 'polled');
  const ecs = await tryLoad(ctx, 'ecs');
  const clients = [undiciClient(`http://127.0.0.1:${ports.http}`), nodeHttpClient(ports.http)];
  if (polled) clients.push(...polledPair(polled, ports.http, settings.readChunk));
  if (ecs) clients.push(ecs.ecsClient({ port: ports.http }));
  try {
    const size = settings.bodyBytes;
    const by = await compareThroughput(clients, '/body', size, settings.runs);
    putSummary(results, 'undici_mbps', by.get('undici'));
    putSummary(results, 'node_http_mbps', by.get('node http'));
    putSummary(results, 'plain_mbps', by.get('tickhttp polled') ?? null);
    putSummary(results, 'plain_4m_mbps', by.get('tickhttp polled 4m') ?? null);
    putSummary(results, 'ecs_free_mbps', by.get('tickhttp ecs') ?? null);
    results.plain_vs_undici = ratio(by.get('tickhttp polled'), by.get('undici'));
    results.plain_4m_vs_undici = ratio(by.get('tickhttp polled 4m'), by.get('undici'));
    results.plain_vs_node_http = ratio(by.get('tickhttp polled'), by.get('node http'));
    results.ecs_free_vs_undici = ratio(by.get('tickhttp ecs'), by.get('undici'));
  } finally {
    for (const c of clients) await c.close();
  }
}
