// Godot 3.2.3 (godot3-server, headless) as a peer, in the same run as tickhttp and interleaved with it: one body
// downloaded with Godot's HTTPClient polled in a tight loop with 64 KiB reads, and with tickhttp's HTTPClient
// polled the same way (64 KiB reads), plain and over TLS 1.2 (Godot 3's mbedTLS has no TLS 1.3; both trust the
// bench CA only). Beside them, in the same runs, what Node itself reaches on the same body with the cheapest read
// loop there is (a net.Socket reading into one reused buffer), and with each read copied into a new array of its own
// (the least an API handing out arrays the caller owns must do, Godot's as tickhttp's): the ratios to Godot read
// against what the runtime allows. Without godot3-server every Godot figure here is null, with the reason in the notes.
import { buildClient } from '../build-clients.mjs';
import { runChild } from '../child.mjs';
import { godotClient, godotMissing } from '../peers/godot.mjs';
import { nodeSocketClient } from '../peers/node-socket.mjs';
import { mbps, ratio, summarize } from '../stats.mjs';
import { putSummary } from '../report.mjs';
import { tryLoad } from './tickhttp.mjs';

const KEYS = ['godot_plain_mbps', 'godot_https_mbps', 'godot_run_plain_mbps', 'godot_run_https_node_mbps',
  'godot_run_https_pure_mbps', 'node_socket_floor_mbps', 'node_socket_copy_mbps', 'godot_run_plain_own_process_mbps'];
const RATIOS = ['plain_vs_godot', 'https_node_vs_godot', 'https_pure_vs_godot', 'node_socket_floor_vs_godot',
  'node_socket_copy_vs_godot', 'plain_vs_node_socket_copy', 'plain_own_process_vs_godot'];

/** `godot_run_plain_mbps` -> `godot_run_plain_cpu_us_per_mb` (or `_faults_per_mb`). */
const perMbKey = (key, what) => key.replace(/_mbps$/, `_${what}_per_mb`);

export async function run(ctx) {
  const { settings, ports, results, chains } = ctx;
  for (const k of [...KEYS, ...RATIOS]) results[k] = null;
  const missing = godotMissing();
  if (missing) {
    ctx.note(`Godot rows are null: ${missing}`);
    return;
  }
  const polled = await tryLoad(ctx, 'polled');
  if (!polled) return;
  const size = settings.bodyBytes;
  const path = `/body?size=${size}`;
  const warmPath = `/body?size=${size >> 3}`;
  const tls = (provider) => ({ rootPem: chains.rsa.root, provider });
  const godot = (tlsOn) => godotClient({ port: tlsOn ? ports.httpsRsa12 : ports.http, tls: tlsOn,
    rootPem: chains.rsa.root, warmPath });
  // name -> how one download is made and timed
  const timedClient = (key, c) => ({ key, close: () => c.close(), once: async () => { await c.get(warmPath); },
    download: () => polled.timedGet(c, path) });
  const tick = (key, port, t) => timedClient(key, polled.polledClient({ port, readChunkSize: 65536, tls: t }));
  // tickhttp's polled client the way Godot's runs: a process of its own per download (warm-up GET, then the timed one).
  const ownProcess = await buildClient('polled-once');
  const clients = [
    { key: 'godot_plain_mbps', download: () => godot(false).download(path) },
    tick('godot_run_plain_mbps', ports.http),
    {
      key: 'godot_run_plain_own_process_mbps',
      download: async () => {
        const r = await runChild(ownProcess, [String(ports.http), path, warmPath]);
        if (r.error) throw new Error(`tickhttp in its own process: ${r.error}`);
        return r;
      },
    },
    timedClient('node_socket_floor_mbps', nodeSocketClient({ port: ports.http, copy: false })),
    timedClient('node_socket_copy_mbps', nodeSocketClient({ port: ports.http, copy: true })),
    { key: 'godot_https_mbps', download: () => godot(true).download(path) },
    tick('godot_run_https_node_mbps', ports.httpsRsa12, tls('node')),
    tick('godot_run_https_pure_mbps', ports.httpsRsa12, tls('pure')),
  ];
  const rates = new Map(clients.map((c) => [c.key, []]));
  // Per MB of body, for the downloads made in this process (Godot's run in its own).
  const costs = new Map();
  const addCost = (key, value) => costs.set(key, [...(costs.get(key) ?? []), value]);
  try {
    for (const c of clients) await c.once?.();
    for (let run = 0; run < settings.godotRuns; run++) {
      for (const c of run % 2 ? [...clients].reverse() : clients) {
        const { bytes, ms, cpuUs, faults } = await c.download();
        if (bytes !== size) throw new Error(`${c.key}: ${bytes} bytes, expected ${size}`);
        rates.get(c.key).push(mbps(bytes, ms));
        if (cpuUs === undefined) continue;
        addCost(perMbKey(c.key, 'cpu_us'), cpuUs / (bytes / 1e6));
        addCost(perMbKey(c.key, 'faults'), faults / (bytes / 1e6));
      }
    }
  } finally {
    for (const c of clients) c.close?.();
  }
  const by = new Map([...rates].map(([k, v]) => [k, summarize(v)]));
  for (const k of KEYS) putSummary(results, k, by.get(k));
  for (const [k, v] of costs) putSummary(results, k, summarize(v));
  results.plain_vs_godot = ratio(by.get('godot_run_plain_mbps'), by.get('godot_plain_mbps'));
  results.https_node_vs_godot = ratio(by.get('godot_run_https_node_mbps'), by.get('godot_https_mbps'));
  results.https_pure_vs_godot = ratio(by.get('godot_run_https_pure_mbps'), by.get('godot_https_mbps'));
  results.plain_own_process_vs_godot = ratio(by.get('godot_run_plain_own_process_mbps'), by.get('godot_plain_mbps'));
  results.node_socket_floor_vs_godot = ratio(by.get('node_socket_floor_mbps'), by.get('godot_plain_mbps'));
  results.node_socket_copy_vs_godot = ratio(by.get('node_socket_copy_mbps'), by.get('godot_plain_mbps'));
  results.plain_vs_node_socket_copy = ratio(by.get('godot_run_plain_mbps'), by.get('node_socket_copy_mbps'));
}
