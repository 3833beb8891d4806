// The results table: what each row compares, its target, and how it is printed and saved.
import { writeFileSync } from 'node:fs';
import { EMBEDDED_ROWS } from './groups/embedded.mjs';

// value: the figure's key; peer/ratio: the same-run peer and the ratio key; target applies to the ratio when the
// row has one, else to the value. Rows without a target are shown for context. of: a count's total, shown beside it.
/**
 * A 60 Hz download's rate row, then its tick distribution: the longest tick (target), the process CPU time of the
 * tick that used most (wall time above it was spent waiting for a core), the garbage collector's pauses, the waits
 * for a core and the first-touched memory pages inside the longest tick, the longest tick with the pauses and waits
 * taken out (tickhttp's own work), p99, ticks over 4 ms (and how many of them were so by tickhttp's own work), ticks
 * over 8 ms; then what work outside the ticks cost the frames: the longest delay of a tick's start, the ticks that
 * started a period late (and how many were still late with the pauses and waits since the tick before taken out),
 * the longest socket-watcher call or later run (work done as bytes arrive, such as decrypting TLS records) and their
 * time per second.
 */
function tickRows(prefix, rate) {
  return [
    rate,
    { value: `${prefix}_max_tick_ms`, unit: 'ms', target: ['<=', 4] },
    { value: `${prefix}_max_tick_cpu_ms`, unit: 'ms' },
    { value: `${prefix}_max_tick_gc_ms`, unit: 'ms' },
    { value: `${prefix}_max_tick_wait_ms`, unit: 'ms' },
    { value: `${prefix}_max_tick_faults`, unit: 'faults' },
    { value: `${prefix}_max_tick_own_ms`, unit: 'ms' },
    { value: `${prefix}_p99_tick_ms`, unit: 'ms' },
    { value: `${prefix}_ticks_over_4ms`, unit: 'ticks', of: `${prefix}_ticks` },
    { value: `${prefix}_ticks_over_4ms_own`, unit: 'ticks', of: `${prefix}_ticks_over_4ms` },
    { value: `${prefix}_ticks_over_8ms`, unit: 'ticks', of: `${prefix}_ticks` },
    { value: `${prefix}_max_late_ms`, unit: 'ms' },
    { value: `${prefix}_late_ticks`, unit: 'ticks', of: `${prefix}_ticks`, target: ['<=', 0] },
    { value: `${prefix}_late_ticks_own`, unit: 'ticks', of: `${prefix}_late_ticks` },
    { value: `${prefix}_max_arrival_ms`, unit: 'ms' },
    { value: `${prefix}_arrival_ms_per_s`, unit: 'ms/s' },
  ];
}

/** A 60 Hz HTTPS download's process CPU time per MB and share of a core, beside Node's https on the same body. */
function cpuRows(prefix) {
  return [
    { value: `${prefix}_cpu_ms_per_mb`, unit: 'ms/MB', peer: 'ecs60hz_https_native_cpu_ms_per_mb', peerName: 'node https',
      ratio: `${prefix}_cpu_vs_native` },
    { value: `${prefix}_core_share`, unit: 'of a core', peer: 'ecs60hz_https_native_core_share', peerName: 'node https',
      ratio: `${prefix}_core_share_vs_native` },
  ];
}

/** The demo's frame statistics for one provider: longest tick and late frames (targets), p99, ticks over 8 ms. */
function demoRows(suffix) {
  return [
    { value: `demo_max_tick_ms${suffix}`, unit: 'ms', target: ['<=', 8] },
    { value: `demo_max_tick_wait_ms${suffix}`, unit: 'ms' },
    { value: `demo_p99_tick_ms${suffix}`, unit: 'ms' },
    { value: `demo_ticks_over_8ms${suffix}`, unit: 'ticks', of: `demo_ticks${suffix}` },
    { value: `demo_late_frames${suffix}`, unit: 'frames', of: `demo_ticks${suffix}`, target: ['<=', 0] },
    { value: `demo_max_between_ms${suffix}`, unit: 'ms' },
  ];
}

const ROWS = [
  { value: 'plain_mbps', unit: 'MB/s', peer: 'undici_mbps', peerName: 'undici', ratio: 'plain_vs_undici', target: ['>=', 1.0] },
  { value: 'plain_mbps', unit: 'MB/s', peer: 'node_http_mbps', peerName: 'node http', ratio: 'plain_vs_node_http' },
  { value: 'ecs_free_mbps', unit: 'MB/s', peer: 'undici_mbps', peerName: 'undici', ratio: 'ecs_free_vs_undici' },
  ...tickRows('ecs60hz', { value: 'ecs60hz_mbps', unit: 'MB/s', target: ['>=', 250] }),
  ...tickRows('ecs60hz_100dl', { value: 'ecs60hz_100dl_mbps', unit: 'MB/s', target: ['>=', 250] }),
  ...tickRows('ecs60hz_https_node', { value: 'ecs60hz_https_node_mbps', unit: 'MB/s', peer: 'ecs60hz_https_native_mbps',
    peerName: 'node https', ratio: 'ecs60hz_https_node_vs_native', target: ['>=', 0.5] }),
  // What the HTTPS rate ratio is made of: CPU per MB, and how much of a core the download took (the default budget
  // gives ticks and arrivals part of the thread's time; Node's https takes what it needs).
  ...cpuRows('ecs60hz_https_node'),
  ...tickRows('ecs60hz_pure', { value: 'ecs60hz_pure_mbps', unit: 'MB/s', peer: 'chacha20poly1305_pure_mbps',
    peerName: 'its cipher', ratio: 'ecs60hz_pure_vs_cipher' }),
  // The same HTTPS download with createNodePlatform({ arrivalShare: 0.4 }): a setting, so shown without targets.
  { value: 'ecs60hz_https_node_share40_mbps', unit: 'MB/s', peer: 'ecs60hz_https_native_mbps', peerName: 'node https',
    ratio: 'ecs60hz_https_node_share40_vs_native' },
  { value: 'ecs60hz_https_node_share40_max_tick_ms', unit: 'ms' },
  { value: 'ecs60hz_https_node_share40_max_tick_own_ms', unit: 'ms' },
  { value: 'ecs60hz_https_node_share40_late_ticks', unit: 'ticks', of: 'ecs60hz_https_node_share40_ticks' },
  { value: 'ecs60hz_https_node_share40_late_ticks_own', unit: 'ticks', of: 'ecs60hz_https_node_share40_late_ticks' },
  { value: 'ecs60hz_https_node_share40_arrival_ms_per_s', unit: 'ms/s' },
  ...cpuRows('ecs60hz_https_node_share40'),
  { value: 'memory_fresh_write_mbps', unit: 'MB/s', peer: 'memory_touched_write_mbps', peerName: 'touched memory',
    ratio: 'memory_fresh_vs_touched' },
  { value: 'ecs60hz_fresh_memory_bound_mbps', unit: 'MB/s' },
  { value: 'plain_4m_mbps', unit: 'MB/s', peer: 'undici_mbps', peerName: 'undici', ratio: 'plain_4m_vs_undici' },
  { value: 'chunked_mbps', unit: 'MB/s', peer: 'chunked_undici_mbps', peerName: 'undici', ratio: 'chunked_vs_undici', target: ['>=', 1.0] },
  { value: 'chunked_4m_mbps', unit: 'MB/s', peer: 'chunked_undici_mbps', peerName: 'undici', ratio: 'chunked_4m_vs_undici' },
  { value: 'keepalive_rps', unit: 'req/s', peer: 'keepalive_undici_rps', peerName: 'undici', ratio: 'keepalive_rps_vs_undici', target: ['>=', 1.0] },
  { value: 'keepalive_rps', unit: 'req/s', peer: 'keepalive_node_http_rps', peerName: 'node http', ratio: 'keepalive_rps_vs_node_http' },
  { value: 'https_node_mbps', unit: 'MB/s', peer: 'https_native_mbps', peerName: 'node https', ratio: 'https_node_vs_native', target: ['>=', 0.5] },
  { value: 'https_pure_mbps', unit: 'MB/s', peer: 'https_native_mbps', peerName: 'node https', ratio: 'https_pure_vs_native', target: ['>=', 139, 'value'] },
  { value: 'https_pure_aes128gcm_mbps', unit: 'MB/s' },
  { value: 'godot_run_plain_mbps', unit: 'MB/s', peer: 'godot_plain_mbps', peerName: 'godot', ratio: 'plain_vs_godot', target: ['>=', 1.0] },
  { value: 'godot_run_plain_mbps', unit: 'MB/s', peer: 'node_socket_copy_mbps', peerName: 'node socket copy',
    ratio: 'plain_vs_node_socket_copy' },
  { value: 'godot_run_plain_own_process_mbps', unit: 'MB/s', peer: 'godot_plain_mbps', peerName: 'godot',
    ratio: 'plain_own_process_vs_godot' },
  { value: 'node_socket_floor_mbps', unit: 'MB/s', peer: 'godot_plain_mbps', peerName: 'godot', ratio: 'node_socket_floor_vs_godot' },
  { value: 'node_socket_copy_mbps', unit: 'MB/s', peer: 'godot_plain_mbps', peerName: 'godot', ratio: 'node_socket_copy_vs_godot' },
  ...['godot_run_plain', 'godot_run_plain_own_process', 'node_socket_floor', 'node_socket_copy'].flatMap((p) => [
    { value: `${p}_cpu_us_per_mb`, unit: 'us CPU/MB' },
    { value: `${p}_faults_per_mb`, unit: 'faults/MB' },
  ]),
  { value: 'godot_run_https_node_mbps', unit: 'MB/s', peer: 'godot_https_mbps', peerName: 'godot tls1.2', ratio: 'https_node_vs_godot', target: ['>=', 1.0] },
  { value: 'godot_run_https_pure_mbps', unit: 'MB/s', peer: 'godot_https_mbps', peerName: 'godot tls1.2', ratio: 'https_pure_vs_godot' },
  { value: 'handshake_ms_rsa', unit: 'ms', target: ['<=', 5] },
  { value: 'handshake_ms_ecdsa', unit: 'ms', target: ['<=', 15] },
  { value: 'max_poll_ms_handshake', unit: 'ms', target: ['<=', 4] },
  { value: 'max_later_ms_handshake', unit: 'ms' },
  { value: 'handshake_ms_rsa_client', unit: 'ms' },
  { value: 'handshake_ms_ecdsa_client', unit: 'ms' },
  { value: 'handshake_ms_rsa_pure', unit: 'ms' },
  { value: 'handshake_ms_ecdsa_pure', unit: 'ms' },
  { value: 'max_poll_ms_handshake_pure', unit: 'ms', target: ['<=', 4] },
  { value: 'max_later_ms_handshake_pure', unit: 'ms' },
  { value: 'first_handshake_max_poll_ms', unit: 'ms', target: ['<=', 4] },
  { value: 'first_handshake_max_poll_ms_pure', unit: 'ms', target: ['<=', 4] },
  { value: 'first_handshake_max_poll_ms_ecdsa', unit: 'ms' },
  { value: 'first_handshake_max_poll_ms_ecdsa_pure', unit: 'ms' },
  ...['', '_pure', '_ecdsa', '_ecdsa_pure'].map((s) => ({ value: `first_handshake_max_poll_cpu_ms${s}`, unit: 'ms' })),
  ...['', '_pure', '_ecdsa', '_ecdsa_pure'].map((s) => ({ value: `first_handshake_max_later_ms${s}`, unit: 'ms' })),
  { value: 'idle_tick_ms_10k', unit: 'ms', target: ['<', 0.5] },
  { value: 'idle_tick_ms_10k_unconnected', unit: 'ms' },
  { value: 'queued_tick_ms_10k', unit: 'ms', target: ['<', 2] },
  { value: 'rss_growth_mb_1gib', unit: 'MB', target: ['<', 64] },
  { value: 'bundle_kb_gz', unit: 'KB', target: ['<=', 150] },
  ...demoRows(''),
  ...demoRows('_pure'),
  { value: 'browser_tick_mbps', unit: 'MB/s', peer: 'browser_fetch_mbps', peerName: 'page fetch', ratio: 'browser_tick_vs_fetch', target: ['>=', 0.9] },
  { value: 'browser_max_tick_ms', unit: 'ms' },
  { value: 'browser_opfs_mbps', unit: 'MB/s' },
  { value: 'browser_opfs_max_tick_ms', unit: 'ms' },
  ...EMBEDDED_ROWS,
];

/** Every key results.json always carries (null until its layer exists). */
export const REQUIRED_KEYS = [
  'plain_mbps', 'undici_mbps', 'plain_vs_undici', 'ecs60hz_mbps', 'chunked_vs_undici', 'keepalive_rps_vs_undici',
  'https_node_mbps', 'https_native_mbps', 'https_node_vs_native', 'https_pure_mbps', 'handshake_ms_rsa',
  'handshake_ms_ecdsa', 'max_poll_ms_handshake', 'idle_tick_ms_10k', 'rss_growth_mb_1gib', 'bundle_kb_gz',
];

const COMPARE = { '>=': (a, b) => a >= b, '<=': (a, b) => a <= b, '<': (a, b) => a < b };

/** Store a summary as `key` (median), `key_min`, `key_max`; nulls when absent. */
export function putSummary(results, key, summary) {
  results[key] = summary ? summary.median : null;
  results[`${key}_min`] = summary ? summary.min : null;
  results[`${key}_max`] = summary ? summary.max : null;
}

function fmt(n) {
  if (n === null || n === undefined) return '—';
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(n < 0.1 ? 4 : 2);
}

function spread(results, key) {
  const v = results[key];
  if (v === null || v === undefined) return 'null';
  const lo = results[`${key}_min`];
  const hi = results[`${key}_max`];
  return lo === null || lo === undefined || lo === hi ? fmt(v) : `${fmt(v)} [${fmt(lo)}–${fmt(hi)}]`;
}

function row(results, r) {
  const onRatio = r.ratio && r.target && r.target[2] !== 'value';
  const checked = r.target ? results[onRatio ? r.ratio : r.value] : null;
  const verdict = !r.target ? '' : checked === null || checked === undefined ? 'n/a'
    : COMPARE[r.target[0]](checked, r.target[1]) ? 'pass' : 'FAIL';
  return [
    r.value,
    `${spread(results, r.value)}${r.of ? ` of ${fmt(results[r.of])}` : ''} ${r.unit}`,
    r.target ? `${onRatio ? 'ratio ' : ''}${r.target[0]} ${r.target[1]}` : '',
    r.peer ? `${r.peerName} ${spread(results, r.peer)}` : '',
    r.ratio ? fmt(results[r.ratio]) : '',
    verdict,
  ];
}

/** The table as text: name, value (median [min–max]), target, peer, ratio, pass/fail. */
export function formatTable(results) {
  const lines = [['name', 'value', 'target', 'peer', 'ratio', 'pass'], ...ROWS.map((r) => row(results, r))];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** Write results.json with the required keys first (nulls where a layer is missing), extra keys after. */
export function writeResults(path, results) {
  const ordered = {};
  for (const k of REQUIRED_KEYS) ordered[k] = results[k] ?? null;
  for (const [k, v] of Object.entries(results)) if (!(k in ordered)) ordered[k] = v ?? null;
  writeFileSync(path, JSON.stringify(ordered, null, 2) + '\n');
}
