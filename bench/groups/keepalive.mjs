// Small GETs one after another on one keep-alive connection: requests per second.
import { undiciClient } from '../peers/undici.mjs';
import { nodeHttpClient } from '../peers/node-http.mjs';
import { compareRequestRate } from '../measure.mjs';
import { ratio } from '../stats.mjs';
import { putSummary } from '../report.mjs';
import { tryLoad } from './tickhttp.mjs';

const SMALL_BYTES = 12;

export async function run(ctx) {
  const { settings, ports, results } = ctx;
  const polled = await tryLoad(ctx, 'polled');
  const clients = [undiciClient(`http://127.0.0.1:${ports.http}`), nodeHttpClient(ports.http)];
  if (polled) clients.push(polled.polledClient({ port: ports.http, readChunkSize: 65536 }));
  try {
    const by = await compareRequestRate(clients, '/small', SMALL_BYTES, settings.keepAliveCount,
      settings.keepAliveRuns);
    putSummary(results, 'keepalive_undici_rps', by.get('undici'));
    putSummary(results, 'keepalive_node_http_rps', by.get('node http'));
    putSummary(results, 'keepalive_rps', by.get('tickhttp polled') ?? null);
    results.keepalive_rps_vs_undici = ratio(by.get('tickhttp polled'), by.get('undici'));
    results.keepalive_rps_vs_node_http = ratio(by.get('tickhttp polled'), by.get('node http'));
  } finally {
    for (const c of clients) await c.close();
  }
}
