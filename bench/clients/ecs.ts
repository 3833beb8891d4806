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
import type { BenchClient } from './polled.js';

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

function origin(port: number): string {
  return `http://127.0.0.1:${port}`;
}

function start(world: World, eid: number, url: string, download?: string): void {
  const err = addRequest(world, eid, { url, decompress: false, download });
  if (err !== 0) throw new Error(`addRequest refused ${url}: Err ${err}`);
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
      start(world, eid, origin(opts.port) + path);
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
  /** Stop after this long even if the body is not complete (the figure is bytes over elapsed time). */
  capMs: number;
}

/**
 * One download ticked by a timer at `hz` (ticks scheduled on an absolute grid, so late ticks do not drift the rate).
 * `mbps` is body bytes over the time from the first tick to the end of the tick that completed the request (or the
 * cap); `maxTickMs` the longest tick; `mibPerTick` the median body read per tick between the first and the last.
 */
export async function pacedDownload(
  opts: PacedOptions,
): Promise<{ mbps: number; maxTickMs: number; ticks: number; mibPerTick: number }> {
  const world = createWorld();
  createHttpSystem(world);
  const eid = addEntity(world);
  const period = 1000 / opts.hz;
  // Connect first, so the figure is the body rate and not the connection setup.
  const warm = addEntity(world);
  start(world, warm, `${origin(opts.port)}/small`);
  while (!finished(world, warm)) {
    updateHttp(world);
    await yieldToIo();
  }
  start(world, eid, origin(opts.port) + opts.path);
  const t0 = performance.now();
  let maxTickMs = 0;
  const perTick: number[] = [];
  let seen = 0;
  try {
    for (;;) {
      const tickStart = performance.now();
      updateHttp(world);
      const tickEnd = performance.now();
      maxTickMs = Math.max(maxTickMs, tickEnd - tickStart);
      const received = getHttp(world).Progress.received[eid];
      perTick.push(received - seen);
      seen = received;
      const elapsed = tickEnd - t0;
      const bytes = finished(world, eid)?.bytes ?? (elapsed >= opts.capMs ? received : -1);
      if (bytes >= 0) {
        const middle = perTick.slice(1, -1).sort((a, b) => a - b);
        const mibPerTick = middle.length ? middle[middle.length >> 1] / (1 << 20) : 0;
        return { mbps: bytes / 1e6 / (elapsed / 1000), maxTickMs, ticks: perTick.length, mibPerTick };
      }
      await sleep(t0 + perTick.length * period - performance.now());
    }
  } finally {
    destroyHttpSystem(world);
  }
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
  start(world, eid, origin(opts.port) + opts.path, opts.file);
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
