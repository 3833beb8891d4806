// The ECS system ticked by a real 60 Hz timer (16.67 ms per tick) with default options (no budget configured): the
// body rate and the distribution of tick durations of
// - ecs60hz:            one plain download into memory;
// - ecs60hz_100dl:      100 plain downloads started together (six run at a time, the rest wait in the pool's queue);
// - ecs60hz_https_node: one HTTPS download with the node provider, beside Node's https on the same body;
// - ecs60hz_pure:       one HTTPS download with the pure provider (ChaCha20-Poly1305), beside the bare cipher's rate;
// - ecs60hz_https_node_share40: as ecs60hz_https_node with the platform's arrivalShare at 0.4 instead of its default
//                       0.25: what giving TLS more of the time between frames buys, beside the same Node https runs.
// Scenarios are interleaved run by run. Per scenario: MB/s, the longest tick and the 99th percentile (medians over
// runs, min and max beside them), the ticks over 8 ms counted over all runs, how late ticks started (work outside
// the ticks, such as socket callbacks landing bytes, delays them), and the work done outside ticks as bytes arrive
// (the longest socket-watcher call or later run, and their time per second: the TLS layer decrypting records), and
// the process's CPU time per MB and per millisecond of the download (its share of a core), for the HTTPS downloads
// beside Node's https: a rate ratio is the ratio of core shares over the ratio of CPU per MB.
// Beside them, what storing a body costs on this machine: writing 64 KiB pieces into never-touched memory (what a
// memory sink does) and into touched memory, and the rate at 60 Hz that the default budget would allow if a tick did
// nothing but write body bytes into fresh memory: the bound of a body the ticks store themselves (TLS, chunked,
// decoded); a plain body of stated length lands in its storage from the socket's reads instead, outside the ticks.
import { nodeHttpsClient } from '../peers/node-http.mjs';
import { mbps, ratio, summarize } from '../stats.mjs';
import { putSummary } from '../report.mjs';
import { tryLoad } from './tickhttp.mjs';

/** A rate for a tick to be over (a frame at 60 Hz has 16.7 ms for everything). */
const OVER_MS = 8;

function scenarios(ctx) {
  const { settings, ports, chains } = ctx;
  const size = settings.ecs60Bytes;
  const tls = (provider) => ({ rootPem: chains.rsa.root, provider });
  return [
    { key: 'ecs60hz', port: ports.http, bytes: size, count: 1 },
    { key: 'ecs60hz_100dl', port: ports.http, bytes: size / 32, count: 100 },
    { key: 'ecs60hz_https_node', port: ports.httpsRsa, bytes: size / 2, count: 1, tls: tls('node'), native: true },
    { key: 'ecs60hz_pure', port: ports.httpsRsa, bytes: size / 8, count: 1, tls: tls('pure') },
    { key: 'ecs60hz_https_node_share40', port: ports.httpsRsa, bytes: size / 2, count: 1, tls: tls('node'), arrivalShare: 0.4 },
  ];
}

/** MB/s of writing `bytes` in 64 KiB pieces into `storage` (fresh or touched), median of `runs`. */
function writeMbps(storage, runs) {
  const piece = new Uint8Array(64 * 1024).fill(1);
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const into = storage();
    const t0 = performance.now();
    for (let at = 0; at + piece.length <= into.length; at += piece.length) into.set(piece, at);
    rates.push(mbps(into.length, performance.now() - t0));
  }
  return summarize(rates);
}

function memoryRows(ctx, tickMs) {
  const { results } = ctx;
  const size = 64 << 20;
  const fresh = writeMbps(() => new Uint8Array(size), 5);
  const touched = new Uint8Array(size);
  const again = writeMbps(() => touched, 5);
  putSummary(results, 'memory_fresh_write_mbps', fresh);
  putSummary(results, 'memory_touched_write_mbps', again);
  results.memory_fresh_vs_touched = ratio(fresh, again);
  results.ecs60hz_fresh_memory_bound_mbps = fresh ? (fresh.median * tickMs * 60) / 1000 : null;
}

export async function run(ctx) {
  const { settings, ports, results, chains } = ctx;
  const ecs = await tryLoad(ctx, 'ecs');
  if (!ecs) return;
  const list = scenarios(ctx);
  const native = nodeHttpsClient(ports.httpsRsa, chains.rsa.root);
  const runs = new Map(list.map((s) => [s.key, []]));
  const nativeMbps = [];
  const nativeCpu = [];
  const nativeShare = [];
  try {
    await native.get(`/body?size=${list[2].bytes >> 3}`);
    for (let i = 0; i < settings.ecs60Runs; i++) {
      for (const s of i % 2 ? [...list].reverse() : list) {
        runs.get(s.key).push(await ecs.pacedDownload({ port: s.port, path: `/body?size=${s.bytes}`, hz: 60,
          capMs: settings.ecs60CapMs, count: s.count, tls: s.tls, arrivalShare: s.arrivalShare }));
        if (s.native) {
          const t0 = performance.now();
          const cpu0 = process.cpuUsage();
          const n = await native.get(`/body?size=${s.bytes}`);
          const ms = performance.now() - t0;
          const cpu = process.cpuUsage(cpu0);
          const cpuMs = (cpu.user + cpu.system) / 1000;
          nativeMbps.push(mbps(n, ms));
          nativeCpu.push(cpuMs / (n / 1e6));
          nativeShare.push(cpuMs / ms);
        }
      }
    }
  } finally {
    native.close();
  }
  for (const s of list) {
    const r = runs.get(s.key);
    putSummary(results, `${s.key}_mbps`, summarize(r.map((x) => x.mbps)));
    putSummary(results, `${s.key}_max_tick_ms`, summarize(r.map((x) => x.maxTickMs)));
    putSummary(results, `${s.key}_max_tick_cpu_ms`, summarize(r.map((x) => x.maxTickCpuMs)));
    putSummary(results, `${s.key}_p99_tick_ms`, summarize(r.map((x) => x.p99TickMs)));
    putSummary(results, `${s.key}_mib_per_tick`, summarize(r.map((x) => x.mibPerTick)));
    putSummary(results, `${s.key}_max_late_ms`, summarize(r.map((x) => x.maxLateMs)));
    putSummary(results, `${s.key}_cpu_ms_per_mb`, summarize(r.map((x) => x.cpuMsPerMb)));
    putSummary(results, `${s.key}_core_share`, summarize(r.map((x) => x.coreShare)));
    putSummary(results, `${s.key}_max_arrival_ms`, summarize(r.map((x) => x.maxArrivalMs)));
    putSummary(results, `${s.key}_arrival_ms_per_s`, summarize(r.map((x) => x.arrivalMsPerS)));
    putSummary(results, `${s.key}_max_tick_gc_ms`, summarize(r.map((x) => x.maxTickGcMs)));
    putSummary(results, `${s.key}_max_tick_faults`, summarize(r.map((x) => x.maxTickFaults)));
    putSummary(results, `${s.key}_max_tick_wait_ms`, summarize(r.map((x) => x.maxTickWaitMs)));
    putSummary(results, `${s.key}_max_tick_own_ms`, summarize(r.map((x) => x.maxTickOwnMs)));
    results[`${s.key}_ticks_over_4ms`] = r.reduce((sum, x) => sum + x.ticksOver4Ms, 0);
    results[`${s.key}_ticks_over_4ms_own`] = r.reduce((sum, x) => sum + x.ticksOver4MsOwn, 0);
    results[`${s.key}_ticks_over_${OVER_MS}ms`] = r.reduce((sum, x) => sum + x.ticksOver8Ms, 0);
    results[`${s.key}_late_ticks`] = r.reduce((sum, x) => sum + x.lateTicks, 0);
    results[`${s.key}_late_ticks_own`] = r.reduce((sum, x) => sum + x.lateTicksOwn, 0);
    results[`${s.key}_ticks`] = r.reduce((sum, x) => sum + x.ticks, 0);
    results[`${s.key}_body_mib`] = (s.bytes * s.count) / (1 << 20);
  }
  putSummary(results, 'ecs60hz_https_native_mbps', summarize(nativeMbps));
  putSummary(results, 'ecs60hz_https_native_cpu_ms_per_mb', summarize(nativeCpu));
  putSummary(results, 'ecs60hz_https_native_core_share', summarize(nativeShare));
  for (const key of ['ecs60hz_https_node', 'ecs60hz_https_node_share40']) {
    results[`${key}_vs_native`] = ratio(summarize(runs.get(key).map((x) => x.mbps)), summarize(nativeMbps));
    results[`${key}_cpu_vs_native`] = ratio(summarize(runs.get(key).map((x) => x.cpuMsPerMb)), summarize(nativeCpu));
    results[`${key}_core_share_vs_native`] = ratio(summarize(runs.get(key).map((x) => x.coreShare)),
      summarize(nativeShare));
  }
  // The pure provider's bound: its cipher alone opening 16 KiB records, measured after the downloads.
  const polled = await tryLoad(ctx, 'polled');
  const cipher = polled ? summarize(polled.openRecordsMbps('chacha20-poly1305', 32 << 20, 3)) : null;
  putSummary(results, 'chacha20poly1305_pure_mbps', cipher);
  results.ecs60hz_pure_vs_cipher = ratio(summarize(runs.get('ecs60hz_pure').map((x) => x.mbps)), cipher);
  memoryRows(ctx, ecs.DEFAULT_TICK_MS);
}
