// tickhttp's HTTPClient driven the Godot way, as fast as a game loop could: poll() and readResponseBodyChunk() in a
// tight loop, yielding to Node's event loop only when there is nothing to read (that is when sockets deliver data).
import '../../engine-module/node.js';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Method, Status } from '../../engine-module/http/constants.js';
import { startTls } from '../../engine-module/http/tls-layer.js';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import { timeWorkBetweenFrames } from '../../engine-module/testing.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';

/** The interface every bench client has (see bench/measure.mjs). */
export interface BenchClient {
  name: string;
  /** GET `path`, read the whole body, resolve with its length. */
  get(path: string): Promise<number>;
  close(): void;
}

/** `pure-aes128gcm`: the pure provider preferring AES-128-GCM (the bench servers follow the client's order). */
export type ProviderName = 'node' | 'pure' | 'pure-aes128gcm';

export interface PolledOptions {
  port: number;
  readChunkSize: number;
  /** HTTPS: trust `rootPem` only, with the named crypto provider. */
  tls?: { rootPem: string; provider: ProviderName };
  /** Shown in the results instead of the default name. */
  name?: string;
}

/** The crypto providers by bench name. */
export const PROVIDERS: Record<ProviderName, CryptoProvider> = {
  node: nodeCrypto,
  pure: pureCrypto,
  'pure-aes128gcm': { ...pureCrypto, aeadPreference: ['aes-128-gcm'] },
};

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Node's platform whose sockets' watchers and later runs (runLater) are timed: what arrival-side work costs, seen
 * from outside. `arrivalShare`: the platform's (its default when left out).
 */
export function timedPlatform(crypto: ProviderName | undefined, arrivalShare?: number) {
  const arrival = { maxMs: 0, totalMs: 0 };
  const options = { arrivalShare, ...(crypto ? { crypto: PROVIDERS[crypto] } : {}) };
  const platform = timeWorkBetweenFrames(createNodePlatform(options), (ms) => {
    arrival.totalMs += ms;
    arrival.maxMs = Math.max(arrival.maxMs, ms);
  });
  return { platform, arrival };
}

/** Plain: the installed Node platform. HTTPS: a Node platform with the chosen provider, HTTPClient's own TLS layer. */
function newClient(opts: { tls?: PolledOptions['tls'] }): HTTPClient {
  return opts.tls ? new HTTPClient({ platform: createNodePlatform({ crypto: PROVIDERS[opts.tls.provider] }) }) : new HTTPClient();
}

function connect(client: HTTPClient, port: number, tls: PolledOptions['tls']): void {
  const err = tls
    ? client.connectToHost('127.0.0.1', port, true, true, { trustedChain: tls.rootPem })
    : client.connectToHost('127.0.0.1', port);
  if (err !== 0) throw new Error(`connectToHost failed: Err ${err}`);
}

function failure(client: HTTPClient, what: string): Error {
  const tlsError = client.getTlsError();
  return new Error(`tickhttp ${what}: status ${client.getStatus()}${tlsError ? ` (${tlsError})` : ''}`);
}

/** Poll until the status leaves the connecting states; throws unless CONNECTED. */
async function untilConnected(client: HTTPClient): Promise<void> {
  for (;;) {
    client.poll();
    const s = client.getStatus();
    if (s === Status.CONNECTED) return;
    if (s !== Status.RESOLVING && s !== Status.CONNECTING) throw failure(client, 'connect');
    await yieldToIo();
  }
}

/** An HTTPClient on one keep-alive connection to 127.0.0.1:port, reconnecting when the server closed it. */
export function polledClient(opts: PolledOptions): BenchClient {
  const client = newClient(opts);
  client.setReadChunkSize(opts.readChunkSize);
  return {
    name: opts.name ?? `tickhttp polled${opts.tls ? ` tls ${opts.tls.provider}` : ''}`,
    async get(path) {
      if (client.getStatus() !== Status.CONNECTED) {
        connect(client, opts.port, opts.tls);
        await untilConnected(client);
      }
      if (client.request(Method.GET, path, []) !== 0) throw failure(client, 'request');
      while (client.getStatus() === Status.REQUESTING) {
        client.poll();
        if (client.getStatus() === Status.REQUESTING) await yieldToIo();
      }
      let n = 0;
      while (client.getStatus() === Status.BODY) {
        client.poll();
        const chunk = client.readResponseBodyChunk();
        n += chunk.length;
        if (chunk.length === 0 && client.getStatus() === Status.BODY) await yieldToIo();
      }
      const s = client.getStatus();
      if (s !== Status.CONNECTED && s !== Status.DISCONNECTED) throw failure(client, `GET ${path}`);
      if (client.getResponseCode() !== 200) throw new Error(`tickhttp: status code ${client.getResponseCode()}`);
      return n;
    },
    close: () => client.close(),
  };
}

/** What {@link timedGet} measured of one download. */
export interface TimedGet {
  bytes: number;
  ms: number;
  /** CPU time of the whole process meanwhile (its helper threads' too: the garbage collector's), in µs. */
  cpuUs: number;
  /** Minor page faults of the process meanwhile (first touches of memory). */
  faults: number;
}

/**
 * One download with `client`, measured: besides the wall time, the process's CPU time and its minor page faults,
 * which a busy machine does not inflate the way it does wall time.
 */
export async function timedGet(client: Pick<BenchClient, 'get'>, path: string): Promise<TimedGet> {
  const faults0 = process.resourceUsage().minorPageFault;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes = await client.get(path);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { bytes, ms, cpuUs: cpu.user + cpu.system, faults: process.resourceUsage().minorPageFault - faults0 };
}

export interface HandshakeOptions {
  port: number;
  rootPem: string;
  provider: ProviderName;
}

/**
 * One TLS handshake on a new connection: `pollMs` is the time spent inside connectToHost() and poll() until
 * CONNECTED (the client's own CPU work, not the waits on the network in between), `maxPollMs` the longest call,
 * `polls` the calls that did work (over 0.05 ms), connectToHost() first. `maxPollCpuMs` is the most process CPU time
 * one call used (a loaded machine adds wall time on top, while the process waits for a core; the process's other
 * threads, V8's compiler and GC helpers, are counted in). `maxLaterMs` is the longest piece of its work done outside
 * the polls, from the event loop: a socket watcher's call or a later run (the platform's runLater: the key share
 * and warm-ups made ahead).
 */
export async function handshake(opts: HandshakeOptions):
  Promise<{ pollMs: number; maxPollMs: number; maxPollCpuMs: number; maxLaterMs: number; polls: number[] }> {
  const { platform, arrival } = timedPlatform(opts.provider);
  const client = new HTTPClient({ platform });
  let maxPollMs = 0;
  let maxPollCpuMs = 0;
  let pollMs = 0;
  const polls: number[] = [];
  const timed = (call: () => void): void => {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    call();
    const dt = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    pollMs += dt;
    maxPollMs = Math.max(maxPollMs, dt);
    maxPollCpuMs = Math.max(maxPollCpuMs, (used.user + used.system) / 1000);
    if (dt > 0.05 || polls.length === 0) polls.push(dt);
  };
  timed(() => connect(client, opts.port, { rootPem: opts.rootPem, provider: opts.provider }));
  try {
    for (;;) {
      timed(() => client.poll());
      const s = client.getStatus();
      if (s === Status.CONNECTED) return { pollMs, maxPollMs, maxPollCpuMs, maxLaterMs: arrival.maxMs, polls };
      if (s !== Status.RESOLVING && s !== Status.CONNECTING) throw failure(client, 'handshake');
      await yieldToIo();
    }
  } finally {
    client.close();
  }
}

/**
 * The TLS handshake alone, as HTTPClient's TLS layer runs it: a TCP connection is opened first (not timed), then
 * `pollMs` is the time spent starting the TLS layer and inside its poll() until CONNECTED, `maxPollMs` the longest.
 */
export async function tlsHandshake(opts: HandshakeOptions): Promise<{ pollMs: number; maxPollMs: number }> {
  const platform = createNodePlatform({ crypto: PROVIDERS[opts.provider] });
  const tcp = platform.connectTcp('127.0.0.1', opts.port);
  let tls: StreamPeer | null = null;
  try {
    while (tcp.getStatus() === PeerStatus.CONNECTING) await yieldToIo();
    if (tcp.getStatus() !== PeerStatus.CONNECTED) throw new Error('tickhttp bench: TCP connect failed');
    let t0 = performance.now();
    const peer = startTls(tcp, { host: '127.0.0.1', verifyHost: true, trustedChain: opts.rootPem, platform });
    tls = peer;
    let pollMs = performance.now() - t0;
    let maxPollMs = pollMs;
    for (;;) {
      t0 = performance.now();
      peer.poll?.();
      const dt = performance.now() - t0;
      pollMs += dt;
      if (dt > maxPollMs) maxPollMs = dt;
      const s = peer.getStatus();
      if (s === PeerStatus.CONNECTED) return { pollMs, maxPollMs };
      if (s !== PeerStatus.CONNECTING) throw new Error(`tickhttp TLS handshake failed: ${peer.getTlsError()}`);
      await yieldToIo();
    }
  } finally {
    (tls ?? tcp).disconnectFromHost();
  }
}

/**
 * The pure provider's AEAD alone: `runs` times, open `bytes` of full 16 KiB TLS records (sealed beforehand) with
 * `aead`; MB/s of plaintext per run. What the pure provider's HTTPS download rate is bounded by.
 */
export function openRecordsMbps(aead: 'chacha20-poly1305' | 'aes-128-gcm', bytes: number, runs: number): number[] {
  const RECORD = 16384;
  const key = new Uint8Array(aead === 'aes-128-gcm' ? 16 : 32).fill(7);
  const cipher = pureCrypto.aead(aead, key);
  const nonce = new Uint8Array(12);
  const aad = new Uint8Array(5);
  const sealed = cipher.seal(nonce, aad, new Uint8Array(RECORD).fill(1));
  const out: number[] = [];
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    for (let n = 0; n < bytes; n += RECORD) {
      if (!cipher.open(nonce, aad, sealed)) throw new Error(`${aead}: a record did not open`);
    }
    out.push(bytes / 1e6 / ((performance.now() - t0) / 1000));
  }
  return out;
}
