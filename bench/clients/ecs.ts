// tickhttp's ECS layer as a game uses it: a bitecs world with the HTTP system, a request component on an entity,
// and updateHttp(world) once per tick, either free-running (next tick as soon as Node has delivered socket data)
// or paced by a real 60 Hz timer.
import '../../engine-module/node.js';
import { addEntity, createWorld, removeEntity, type World } from 'bitecs';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Status } from '../../engine-module/http/constants.js';
import { attachClient } from '../../engine-module/ecs/client-system.js';
import { createHttpSystem, destroyHttpSystem, getHttp, updateHttp } from '../../engine-module/ecs/http-system.js';
import { addRequest, getResponse } from '../../engine-module/ecs/request-system.js';
import { Result } from '../../engine-module/request/result.js';
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import type { RequestSpec } from '../../engine-module/request/request-spec.js';

export { DEFAULT_TICK_MS } from '../../engine-module/request/budget.js';
import { timedPlatform, type BenchClient, type ProviderName } from './polled.js';
import { connectionCounts } from '../../engine-module/testing.js';

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

function origin(port: number): string {
  return `http://127.0.0.1:${port}`;
}

function start(world: World, eid: number, spec: RequestSpec): void {
  const err = addRequest(world, eid, spec);
  if (err !== 0) throw new Error(`addRequest refused ${spec.url}: Err ${err}`);
}

/** The outcome of the entity's request once it ended; throws unless it succeeded. */
function finished(world: World, eid: number): { bytes: number } | null {
  const outcome = getResponse(world, eid);
  if (!outcome) return null;
  if (outcome.result !== Result.SUCCESS || outcome.code !== 200) {
    throw new Error(`tickhttp ecs: result ${outcome.result}, code ${outcome.code}: ${outcome.error}`);
  }
  return { bytes: getHttp(world).Progress.received[eid] };
}

/** A request component per GET on one entity; the world's pool keeps the connection alive between GETs. */
export function ecsClient(opts: { port: number }): BenchClient {
  const world = createWorld();
  createHttpSystem(world);
  const eid = addEntity(world);
  return {
    name: 'tickhttp ecs',
    async get(path) {
      start(world, eid, { url: origin(opts.port) + path, decompress: false });
      for (;;) {
        updateHttp(world);
        const done = finished(world, eid);
        if (done) return done.bytes;
        await yieldToIo();
      }
    },
    close: () => destroyHttpSystem(world),
  };
}

export interface PacedOptions {
  port: number;
  path: string;
  hz: number;
  /** Stop after this long even if the bodies are not complete (the figure is bytes over elapsed time). */
  capMs: number;
  /** Downloads started together (default 1); the pool runs six at a time per origin, the rest wait in its queue. */
  count?: number;
  /** HTTPS: trust `rootPem` only, with the named crypto provider. */
  tls?: { rootPem: string; provider: ProviderName };
  /** The platform's share of real time for decrypting TLS records between frames (its default when left out). */
  arrivalShare?: number;
}

/** What a paced run measured: the body rate and the distribution of tick durations. */
export interface PacedResult {
  mbps: number;
  ticks: number;
  maxTickMs: number;
  /** CPU time of the process during the longest-CPU tick: wall time above it is time spent waiting for a core. */
  maxTickCpuMs: number;
  p99TickMs: number;
  ticksOver8Ms: number;
  /**
   * Longest delay of a tick's start after its slot on the grid: what work outside the ticks (socket callbacks that
   * land or decrypt bytes) and the machine cost the game's frames.
   */
  maxLateMs: number;
  /** Ticks that started more than one period after their slot (a frame the game would have dropped). */
  lateTicks: number;
  /**
   * Of those, the ones still a period late when the ticks are replayed without the collector's pauses and the
   * thread's waits for a core (a tick pushed back only by a pause before an earlier tick is not counted): lateness that
   * work in the process outside the ticks (arrivals, later runs) made.
   */
  lateTicksOwn: number;
  /** Median body bytes read per tick, in MiB, between the first tick and the last. */
  mibPerTick: number;
  /**
   * The process's CPU time over the download (ticks, work between them, the runtime's own threads), per MB of body
   * and per millisecond of the download's wall time: how much a core's time the download took, and how well it used it.
   */
  cpuMsPerMb: number;
  coreShare: number;
  /**
   * The longest call of a socket's watcher or of a later run (the work a transport's layers do as bytes arrive,
   * outside ticks: the TLS layer decrypting records), and their total over the run per second of it.
   */
  maxArrivalMs: number;
  arrivalMsPerS: number;
  /**
   * What the longest tick held besides tickhttp's own work: the garbage collector's pauses inside it (ms, from the
   * runtime's performance timeline) and the memory pages touched for the first time (minor page faults, each a trip
   * into the kernel that also clears the page).
   */
  maxTickGcMs: number;
  maxTickFaults: number;
  /** Time the longest tick's thread was ready to run but waited for a core (Linux's schedstat; 0 elsewhere). */
  maxTickWaitMs: number;
  /** The longest tick with the collector's pauses and the waits for a core taken out: tickhttp's own work. */
  maxTickOwnMs: number;
  /** Ticks over 4 ms, and how many of them were over 4 ms of tickhttp's own work (as in maxTickOwnMs). */
  ticksOver4Ms: number;
  ticksOver4MsOwn: number;
}

/** The garbage collector's pauses from now until stop(), as the runtime's performance timeline reports them. */
function collectorPauses() {
  const pauses: { start: number; ms: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, ms: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    /** Milliseconds of pause between `from` and `to`. */
    within: (from: number, to: number) =>
      pauses.reduce((sum, p) => sum + Math.max(0, Math.min(to, p.start + p.ms) - Math.max(from, p.start)), 0),
    stop: () => observer.disconnect(),
  };
}

/** Milliseconds this thread has waited, ready to run, for a core (Linux's per-thread schedstat); 0 elsewhere. */
function waitedForCoreMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[1]) / 1e6;
  } catch {
    return 0;
  }
}

/** The value at quantile `q` (0..1) of a list of numbers. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}

/**
 * Downloads ticked by a timer at `hz` (ticks scheduled on an absolute grid, so late ticks do not drift the rate),
 * with the system's default budget. `mbps` is body bytes over the time from the first tick to the end of the tick
 * that completed the last request (or the cap).
 */
export async function pacedDownload(opts: PacedOptions): Promise<PacedResult> {
  const world = createWorld();
  const tls = opts.tls;
  const { platform, arrival } = timedPlatform(tls?.provider, opts.arrivalShare);
  createHttpSystem(world, { platform });
  const base = `${tls ? 'https' : 'http'}://127.0.0.1:${opts.port}`;
  const spec = (path: string): RequestSpec => ({ url: base + path, decompress: false,
    tls: tls ? { trustedChain: tls.rootPem } : undefined });
  const period = 1000 / opts.hz;
  // Connect first (six connections, as many as the pool keeps per origin), so the figure is the body rate and not
  // the connection setup.
  const warm = Array.from({ length: Math.min(6, opts.count ?? 1) }, () => addEntity(world));
  for (const eid of warm) start(world, eid, spec('/small'));
  while (!warm.every((eid) => finished(world, eid))) {
    updateHttp(world);
    await yieldToIo();
  }
  const eids = Array.from({ length: opts.count ?? 1 }, () => addEntity(world));
  for (const eid of eids) start(world, eid, spec(opts.path));
  const received = () => eids.reduce((sum, eid) => sum + getHttp(world).Progress.received[eid], 0);
  const t0 = performance.now();
  const tickMs: number[] = [];
  const tickStarts: number[] = [];
  const tickFaults: number[] = [];
  const tickWait: number[] = [];
  const waitStarts: number[] = [];
  const lateMs: number[] = [];
  let maxTickCpuMs = 0;
  const perTick: number[] = [];
  let seen = 0;
  let elapsed = 0;
  const gc = collectorPauses();
  // Only the download's own arrival work counts, not the connection's warm-up.
  arrival.maxMs = arrival.totalMs = 0;
  const cpuAtStart = process.cpuUsage();
  // Over the same span as `elapsed`: from the first tick to the end of the last, not the teardown after it.
  let cpuMs = 0;
  try {
    for (;;) {
      const cpuStart = process.cpuUsage();
      const faultsStart = process.resourceUsage().minorPageFault;
      const waitStart = waitedForCoreMs();
      waitStarts.push(waitStart);
      const tickStart = performance.now();
      lateMs.push(tickStart - (t0 + tickMs.length * period));
      updateHttp(world);
      const tickEnd = performance.now();
      const cpu = process.cpuUsage(cpuStart);
      tickFaults.push(process.resourceUsage().minorPageFault - faultsStart);
      tickWait.push(waitedForCoreMs() - waitStart);
      tickStarts.push(tickStart);
      tickMs.push(tickEnd - tickStart);
      maxTickCpuMs = Math.max(maxTickCpuMs, (cpu.user + cpu.system) / 1000);
      const now = received();
      perTick.push(now - seen);
      seen = now;
      elapsed = tickEnd - t0;
      if (eids.every((eid) => finished(world, eid)) || elapsed >= opts.capMs) break;
      await sleep(t0 + tickMs.length * period - performance.now());
    }
    const cpuUsed = process.cpuUsage(cpuAtStart);
    cpuMs = (cpuUsed.user + cpuUsed.system) / 1000;
  } finally {
    destroyHttpSystem(world);
  }
  // The timeline delivers collector entries a little after the fact.
  await sleep(20);
  gc.stop();
  const tickGc = tickMs.map((ms, i) => gc.within(tickStarts[i], tickStarts[i] + ms));
  const own = tickMs.map((ms, i) => ms - tickGc[i] - tickWait[i]);
  const longest = tickMs.indexOf(Math.max(...tickMs));
  // The ticks replayed without the collector's pauses and the thread's waits for a core: each starts when its slot
  // and the replayed tick before allow, plus the part of its real delay (past its slot and the tick before's end)
  // that those do not explain. So a tick pushed back by a pause before an earlier tick is not counted late again.
  let ownEnd = -Infinity;
  const lateOwn = tickStarts.map((start, i) => {
    const slot = t0 + i * period;
    const from = i === 0 ? slot : Math.max(slot, tickStarts[i - 1] + tickMs[i - 1]);
    const delay = Math.max(0, start - from);
    const waits = i === 0 ? 0 : waitStarts[i] - waitStarts[i - 1] - tickWait[i - 1];
    const ownStart = Math.max(slot, ownEnd) + delay - Math.min(delay, gc.within(from, start) + waits);
    ownEnd = ownStart + own[i];
    return ownStart - slot;
  });
  const over4 = tickMs.flatMap((ms, i) => (ms > 4 ? [i] : []));
  return { mbps: seen / 1e6 / (elapsed / 1000), ticks: tickMs.length, maxTickMs: tickMs[longest], maxTickCpuMs,
    p99TickMs: quantile(tickMs, 0.99), ticksOver8Ms: tickMs.filter((t) => t > 8).length,
    maxLateMs: Math.max(...lateMs), lateTicks: lateMs.filter((t) => t > period).length,
    lateTicksOwn: lateOwn.filter((t) => t > period).length,
    mibPerTick: quantile(perTick.slice(1, -1), 0.5) / (1 << 20), cpuMsPerMb: cpuMs / (seen / 1e6),
    coreShare: cpuMs / elapsed, maxArrivalMs: arrival.maxMs,
    arrivalMsPerS: arrival.totalMs / (elapsed / 1000), maxTickGcMs: tickGc[longest], maxTickFaults: tickFaults[longest],
    maxTickWaitMs: tickWait[longest], maxTickOwnMs: Math.max(...own), ticksOver4Ms: over4.length,
    ticksOver4MsOwn: over4.filter((i) => own[i] > 4).length };
}

/**
 * `entities` client entities with nothing to do (HTTPClients attached to the system, no request): the duration of
 * each of `ticks` ticks in ms. With `port`, every client first connects to 127.0.0.1:port and then sits idle on its
 * keep-alive connection; without, the clients are not connected at all.
 */
export async function idleTickMs(opts: { entities: number; ticks: number; port?: number }): Promise<number[]> {
  const world = createWorld();
  createHttpSystem(world);
  const clients: HTTPClient[] = [];
  try {
    for (let i = 0; i < opts.entities; i++) {
      const client = new HTTPClient();
      clients.push(client);
      attachClient(world, addEntity(world), client);
    }
    if (opts.port !== undefined) await connectAll(world, clients, opts.port);
    const out: number[] = [];
    for (let i = 0; i < opts.ticks + 10; i++) {
      const t0 = performance.now();
      updateHttp(world);
      if (i >= 10) out.push(performance.now() - t0);
      if (opts.port !== undefined && clients.some((c) => c.getStatus() !== Status.CONNECTED)) {
        throw new Error('an idle client lost its connection');
      }
    }
    return out;
  } finally {
    destroyHttpSystem(world);
  }
}

/**
 * `entities` requests to one origin started together, all behind the pool's six connections, whose requests the
 * server holds for a minute: the duration of each of `ticks` ticks in ms, once the six are waiting for their answers.
 */
export async function queuedTickMs(opts: { entities: number; ticks: number; port: number }): Promise<number[]> {
  const world = createWorld();
  const http = createHttpSystem(world);
  try {
    const eids = Array.from({ length: opts.entities }, () => addEntity(world));
    for (const eid of eids) start(world, eid, { url: `${origin(opts.port)}/delay?ms=60000` });
    const deadline = performance.now() + 30_000;
    while (eids.filter((eid) => http.Progress.sent[eid] > 0).length < 6) {
      if (performance.now() > deadline) throw new Error('six requests were not sent within 30 s');
      updateHttp(world);
      await yieldToIo();
    }
    const out: number[] = [];
    for (let i = 0; i < opts.ticks + 10; i++) {
      const t0 = performance.now();
      updateHttp(world);
      if (i >= 10) out.push(performance.now() - t0);
      await yieldToIo();
    }
    if (connectionCounts(http).queued !== opts.entities - 6) throw new Error('queued requests did not stay queued');
    return out;
  } finally {
    destroyHttpSystem(world);
  }
}

/** Connect the clients in batches (a burst of 10,000 SYNs would overflow the server's accept backlog). */
async function connectAll(world: World, clients: HTTPClient[], port: number): Promise<void> {
  const BATCH = 250;
  for (let at = 0; at < clients.length; at += BATCH) {
    const batch = clients.slice(at, at + BATCH);
    for (const c of batch) c.connectToHost('127.0.0.1', port);
    const deadline = performance.now() + 30_000;
    while (batch.some((c) => c.getStatus() !== Status.CONNECTED)) {
      const bad = batch.find((c) => c.getStatus() !== Status.CONNECTED && c.getStatus() !== Status.RESOLVING
        && c.getStatus() !== Status.CONNECTING);
      if (bad) throw new Error(`an idle client could not connect: status ${bad.getStatus()}`);
      if (performance.now() > deadline) throw new Error('connecting the idle clients timed out');
      updateHttp(world);
      await yieldToIo();
    }
  }
}

/** Download `path` to `file` through a request component's file sink, ticking free-running. */
export async function downloadToFile(opts: { port: number; path: string; file: string }): Promise<void> {
  const world = createWorld();
  createHttpSystem(world);
  const eid = addEntity(world);
  start(world, eid, { url: origin(opts.port) + opts.path, decompress: false, download: opts.file });
  try {
    while (!finished(world, eid)) {
      updateHttp(world);
      await yieldToIo();
    }
  } finally {
    removeEntity(world, eid);
    destroyHttpSystem(world);
  }
}
