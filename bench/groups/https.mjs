// HTTPS download (TLS 1.3, RSA-2048 chain) on one keep-alive connection: tickhttp with the node and the pure
// crypto provider next to Node's https module. Each client gets its preferred suite (pure: ChaCha20-Poly1305);
// the pure provider is also measured on AES-128-GCM.
import { nodeHttpsClient } from '../peers/node-http.mjs';
import { compareThroughput } from '../measure.mjs';
import { ratio } from '../stats.mjs';
import { putSummary } from '../report.mjs';
import { tryLoad } from './tickhttp.mjs';

/** The pure provider on AES-128-GCM (what a server that insists on AES-GCM, like Node's default, gives it). */
async function pureAesGcm(ctx, polled) {
  const { settings, ports, results, chains } = ctx;
  const client = polled.polledClient({ port: ports.httpsRsa, readChunkSize: settings.readChunk,
    tls: { rootPem: chains.rsa.root, provider: 'pure-aes128gcm' } });
  try {
    const size = settings.bodyBytes >> 2;
    const by = await compareThroughput([client], '/body', size, 3);
    putSummary(results, 'https_pure_aes128gcm_mbps', by.get(client.name));
  } finally {
    client.close();
  }
}

export async function run(ctx) {
  const { settings, ports, results, chains } = ctx;
  const port = ports.httpsRsa;
  const polled = await tryLoad(ctx, 'polled');
  const clients = [nodeHttpsClient(port, chains.rsa.root)];
  if (polled) {
    for (const provider of ['node', 'pure']) {
      clients.push(polled.polledClient({ port, readChunkSize: settings.readChunk,
        tls: { rootPem: chains.rsa.root, provider } }));
    }
  }
  try {
    const size = settings.bodyBytes;
    const by = await compareThroughput(clients, '/body', size, settings.runs);
    putSummary(results, 'https_native_mbps', by.get('node https'));
    putSummary(results, 'https_node_mbps', by.get('tickhttp polled tls node') ?? null);
    putSummary(results, 'https_pure_mbps', by.get('tickhttp polled tls pure') ?? null);
    results.https_node_vs_native = ratio(by.get('tickhttp polled tls node'), by.get('node https'));
    results.https_pure_vs_native = ratio(by.get('tickhttp polled tls pure'), by.get('node https'));
  } finally {
    for (const c of clients) await c.close();
  }
  if (polled) await pureAesGcm(ctx, polled);
}
