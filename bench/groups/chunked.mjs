// Plain HTTP, the same body with Transfer-Encoding: chunked (64 KiB chunks): tickhttp polled vs undici.
import { undiciClient } from '../peers/undici.mjs';
import { nodeHttpClient } from '../peers/node-http.mjs';
import { compareThroughput } from '../measure.mjs';
import { ratio } from '../stats.mjs';
import { putSummary } from '../report.mjs';
import { polledPair, tryLoad } from './tickhttp.mjs';

export async function run(ctx) {
  const { settings, ports, results } = ctx;
  const polled = await tryLoad(ctx, 'polled');
  const clients = [undiciClient(`http://127.0.0.1:${ports.http}`), nodeHttpClient(ports.http)];
  if (polled) clients.push(...polledPair(polled, ports.http, settings.readChunk));
  try {
    const size = settings.bodyBytes;
    const by = await compareThroughput(clients, '/chunked', size, settings.runs);
    putSummary(results, 'chunked_undici_mbps', by.get('undici'));
    putSummary(results, 'chunked_node_http_mbps', by.get('node http'));
    putSummary(results, 'chunked_mbps', by.get('tickhttp polled') ?? null);
    putSummary(results, 'chunked_4m_mbps', by.get('tickhttp polled 4m') ?? null);
    results.chunked_vs_undici = ratio(by.get('tickhttp polled'), by.get('undici'));
    results.chunked_4m_vs_undici = ratio(by.get('tickhttp polled 4m'), by.get('undici'));
  } finally {
    for (const c of clients) await c.close();
  }
}
