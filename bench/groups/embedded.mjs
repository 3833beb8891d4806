// Embedded runtimes, where games run scripts without a JIT: tickhttp inside QuickJS over the host bridge (frames
// stepped from Node, a new connection with a full TLS 1.3 handshake per download, RSA chain, the server following the
// client's cipher order), with the pure provider and with host crypto backed by Node's crypto; the same pure client
// under `node --jitless`. noble's ChaCha20-Poly1305 alone is measured in the same interpreter, so the end-to-end pure
// figure is a share of what the primitive allows; a timed-AEAD download splits the time between the AEAD and the rest.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mbps, ratio, summarize } from '../stats.mjs';
import { putSummary } from '../report.mjs';
import { tryLoad } from './tickhttp.mjs';

/** The rows of the results table for this group (bench/report.mjs shows them after its own). */
export const EMBEDDED_ROWS = [
  { value: 'qjs_host_aead_mbps', unit: 'MB/s', target: ['>=', 20] },
  { value: 'qjs_host_all_mbps', unit: 'MB/s' },
  { value: 'qjs_pure_mbps', unit: 'MB/s', target: ['>=', 1] },
  { value: 'qjs_pure_mbps', unit: 'MB/s', peer: 'qjs_noble_chacha_mbps', peerName: 'noble alone',
    ratio: 'qjs_pure_vs_noble', target: ['>=', 0.85] },
  { value: 'qjs_pure_aead_ms_per_mb', unit: 'ms/MB' },
  { value: 'qjs_pure_other_ms_per_mb', unit: 'ms/MB' },
  { value: 'qjs_host_aead_bridge_ms_per_mb', unit: 'ms/MB' },
  { value: 'qjs_host_aead_other_ms_per_mb', unit: 'ms/MB' },
  { value: 'qjs_handshake_ms_pure', unit: 'ms' },
  { value: 'qjs_handshake_frames_pure', unit: 'frames' },
  { value: 'qjs_handshake_ms_host_aead', unit: 'ms' },
  { value: 'qjs_handshake_frames_host_aead', unit: 'frames' },
  { value: 'qjs_handshake_ms_host_all', unit: 'ms' },
  { value: 'qjs_handshake_frames_host_all', unit: 'frames' },
  { value: 'qjs_bundle_load_ms', unit: 'ms' },
  { value: 'jitless_https_pure_mbps', unit: 'MB/s', peer: 'jitless_noble_chacha_mbps', peerName: 'noble alone',
    ratio: 'jitless_pure_vs_noble', target: ['>=', 0.85] },
  { value: 'jitless_handshake_ms_pure', unit: 'ms' },
];

const MiB = 1 << 20;
const SIZES = {
  quick: { hostBody: 8 * MiB, pureBody: MiB, runs: 3, handshakes: 3, jitlessBody: 2 * MiB, jitlessHandshakes: 5 },
  full: { hostBody: 16 * MiB, pureBody: 2 * MiB, runs: 5, handshakes: 5, jitlessBody: 8 * MiB, jitlessHandshakes: 20 },
};

/**
 * MB/s of `runs` downloads of `bytes` (body phase: request to last byte) and the handshake of each; with `between`,
 * a figure taken after each download (interleaved, so both see the same machine).
 */
async function downloads(session, bytes, runs, between = null) {
  await session.fetch(`/body?size=${bytes >> 3}`);
  const rates = [];
  const handshakeMs = [];
  const frames = [];
  const others = [];
  for (let i = 0; i < runs; i++) {
    const r = await session.fetch(`/body?size=${bytes}`);
    rates.push(mbps(bytes, r.bodyMs));
    handshakeMs.push(r.handshakeMs);
    frames.push(r.handshakeFrames);
    if (between) others.push(between());
  }
  return { rate: summarize(rates), handshakeMs, frames, other: summarize(others) };
}

/** One more download with the AEAD calls timed: ms per MB in the AEAD (or the bridge to it) and in everything else. */
async function split(session, bytes) {
  session.timeAead();
  const r = await session.fetch(`/body?size=${bytes}`);
  const aead = session.aeadMs();
  return { aead: aead / (bytes / 1e6), other: (r.bodyMs - aead) / (bytes / 1e6) };
}

async function quickjs(ctx, embedded, size) {
  const { ports, chains, results } = ctx;
  const open = (mode) => embedded.EmbeddedSession.open({ port: ports.httpsRsa, rootPem: chains.rsa.root, mode });
  const loads = [];
  for (const mode of ['pure', 'aead', 'all']) {
    const session = await open(mode);
    try {
      loads.push(session.bundleLoadMs);
      const body = mode === 'pure' ? size.pureBody : size.hostBody;
      // noble alone on as many 16 KiB records as the pure download decrypts.
      const nobleAlone = mode === 'pure' ? () => session.nobleChachaMbps(Math.ceil(body / 16384)) : null;
      const { rate, handshakeMs, frames, other } = await downloads(session, body, size.runs, nobleAlone);
      for (let i = handshakeMs.length; i < size.handshakes; i++) {
        const r = await session.fetch('/small');
        handshakeMs.push(r.handshakeMs);
        frames.push(r.handshakeFrames);
      }
      const key = mode === 'pure' ? 'pure' : `host_${mode}`;
      putSummary(results, `qjs_${key}_mbps`, rate);
      putSummary(results, `qjs_handshake_ms_${key}`, summarize(handshakeMs));
      putSummary(results, `qjs_handshake_frames_${key}`, summarize(frames));
      if (mode === 'pure') {
        putSummary(results, 'qjs_noble_chacha_mbps', other);
        results.qjs_pure_vs_noble = ratio(rate, other);
        const s = await split(session, size.pureBody);
        results.qjs_pure_aead_ms_per_mb = s.aead;
        results.qjs_pure_other_ms_per_mb = s.other;
      } else if (mode === 'aead') {
        const s = await split(session, size.hostBody);
        results.qjs_host_aead_bridge_ms_per_mb = s.aead;
        results.qjs_host_aead_other_ms_per_mb = s.other;
      }
      ctx.note(`embedded: QuickJS on ${session.providerName}`);
    } finally {
      session.close();
    }
  }
  putSummary(results, 'qjs_bundle_load_ms', summarize(loads));
}

function jitless(ctx, size) {
  const { ports, chains, results } = ctx;
  const child = fileURLToPath(new URL('./embedded-jitless.mjs', import.meta.url));
  const args = JSON.stringify({ port: ports.httpsRsa, rootPem: chains.rsa.root, bodyBytes: size.jitlessBody,
    runs: size.runs, handshakes: size.jitlessHandshakes });
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--jitless', child, args], { maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) return reject(err);
      const { download, handshake, noble } = JSON.parse(stdout.trim().split('\n').at(-1));
      putSummary(results, 'jitless_https_pure_mbps', download);
      putSummary(results, 'jitless_handshake_ms_pure', handshake);
      putSummary(results, 'jitless_noble_chacha_mbps', noble);
      results.jitless_pure_vs_noble = ratio(download, noble);
      resolve();
    });
  });
}

export async function run(ctx) {
  const size = ctx.results.quick ? SIZES.quick : SIZES.full;
  const embedded = await tryLoad(ctx, 'embedded');
  if (embedded) await quickjs(ctx, embedded, size);
  await jitless(ctx, size);
}
