// TLS 1.3 handshakes, each on a new connection, medians over many after a warm-up:
// - handshake_ms_*: CPU time of the TLS layer HTTPClient uses (startTls over an open TCP connection): its start and
//   every poll() until connected; the waits for the server in between are not counted.
// - handshake_ms_*_client: the same through HTTPClient from connectToHost() to STATUS_CONNECTED (adds the TCP
//   socket setup and HTTPClient's own polling).
// - max_poll_ms_handshake*: the longest single HTTPClient.poll() of each handshake (what a frame would feel).
// - first_handshake_max_poll_ms*: the same longest poll for the first handshake of a fresh process (median over a
//   few processes), where whatever is built or compiled lazily lands; first_handshake_max_poll_cpu_ms* the most
//   process CPU time one of its polls used (what a loaded machine's waits for a core do not inflate).
// - max_later_ms_handshake*, first_handshake_max_later_ms*: beside the poll figures, the longest piece of the
//   handshake's work done outside the polls, from the event loop (a socket watcher's call, or a later run of the
//   platform's runLater: the key share and the warm-up made ahead), which a game pays between its frames.
import { summarize } from '../stats.mjs';
import { putSummary } from '../report.mjs';
import { buildClient } from '../build-clients.mjs';
import { runChild } from '../child.mjs';
import { tryLoad } from './tickhttp.mjs';

/** Longest poll of the first handshake in each of `processes` fresh processes: wall time, and process CPU time. */
async function firstHandshakes(script, port, provider, rootPem, processes) {
  const maxPoll = [];
  const maxPollCpu = [];
  const maxLater = [];
  for (let i = 0; i < processes; i++) {
    const r = await runChild(script, [String(port), provider, rootPem]);
    if (r.error) throw new Error(`first handshake (${provider}): ${r.error}`);
    maxPoll.push(r.maxPollMs);
    maxPollCpu.push(r.maxPollCpuMs);
    maxLater.push(r.maxLaterMs);
  }
  return { wall: summarize(maxPoll), cpu: summarize(maxPollCpu), later: summarize(maxLater) };
}

async function measure(polled, settings, opts) {
  for (let i = 0; i < settings.handshakeWarmup; i++) {
    await polled.tlsHandshake(opts);
    await polled.handshake(opts);
  }
  const tls = [];
  const client = [];
  const maxPoll = [];
  const maxLater = [];
  for (let i = 0; i < settings.handshakes; i++) {
    tls.push((await polled.tlsHandshake(opts)).pollMs);
    const h = await polled.handshake(opts);
    client.push(h.pollMs);
    maxPoll.push(h.maxPollMs);
    maxLater.push(h.maxLaterMs);
  }
  return { tls: summarize(tls), client: summarize(client), maxPoll: summarize(maxPoll), maxLater: summarize(maxLater) };
}

export async function run(ctx) {
  const { settings, ports, results, chains } = ctx;
  const polled = await tryLoad(ctx, 'polled');
  if (!polled) return;
  for (const provider of ['node', 'pure']) {
    const suffix = provider === 'node' ? '' : '_pure';
    const rsa = await measure(polled, settings, { port: ports.httpsRsa, rootPem: chains.rsa.root, provider });
    const ecdsa = await measure(polled, settings, { port: ports.httpsEcdsa, rootPem: chains.ecdsa.root, provider });
    putSummary(results, `handshake_ms_rsa${suffix}`, rsa.tls);
    putSummary(results, `handshake_ms_ecdsa${suffix}`, ecdsa.tls);
    putSummary(results, `handshake_ms_rsa${suffix}_client`, rsa.client);
    putSummary(results, `handshake_ms_ecdsa${suffix}_client`, ecdsa.client);
    putSummary(results, `max_poll_ms_handshake${suffix}`,
      summarize([...rsa.maxPoll.runs, ...ecdsa.maxPoll.runs]));
    putSummary(results, `max_later_ms_handshake${suffix}`,
      summarize([...rsa.maxLater.runs, ...ecdsa.maxLater.runs]));
  }
  const script = await buildClient('first-handshake');
  for (const provider of ['node', 'pure']) {
    const suffix = provider === 'node' ? '' : '_pure';
    const n = settings.firstHandshakes;
    for (const [kind, port, root] of [['', ports.httpsRsa, chains.rsa.root], ['_ecdsa', ports.httpsEcdsa, chains.ecdsa.root]]) {
      const first = await firstHandshakes(script, port, provider, root, n);
      putSummary(results, `first_handshake_max_poll_ms${kind}${suffix}`, first.wall);
      putSummary(results, `first_handshake_max_poll_cpu_ms${kind}${suffix}`, first.cpu);
      putSummary(results, `first_handshake_max_later_ms${kind}${suffix}`, first.later);
    }
  }
}
