// Frame-stepped test harness: real Node http servers on loopback, a world stepped tick by tick on a test clock.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { addEntity, createWorld, hasComponent, type World } from 'bitecs';
import { addRequest, getResponse } from '../../engine-module/ecs/request-system.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import { createHttpSystem, destroyHttpSystem, updateHttp, type HttpSystemOptions } from '../../engine-module/ecs/http-system.js';
import type { HttpWorld } from '../../engine-module/ecs/http-state.js';
import type { RequestOutcome } from '../../engine-module/request/http-request.js';
import type { RequestSpec } from '../../engine-module/request/request-spec.js';
import type { StreamPeer } from '../../engine-module/net/stream-peer.js';
import type { Platform } from '../../engine-module/platform/platform.js';
import { nextTick, until } from '../helpers/frame-stepper.js';

export const platform = createNodePlatform();

/** The Node platform with each TCP peer's reads counted; `watching: false` hides the peers' watch (see StreamPeer). */
export function countingPlatform(watching: boolean): { platform: Platform; looks: () => number } {
  let looks = 0;
  const counted: Platform = Object.create(platform);
  counted.connectTcp = (address, port) => {
    const peer = platform.connectTcp(address, port);
    const wrapped: StreamPeer = {
      getStatus: () => peer.getStatus(),
      getAvailableBytes: () => (looks++, peer.getAvailableBytes()),
      getPartialData: (max) => peer.getPartialData(max),
      putPartialData: (data) => peer.putPartialData(data),
      disconnectFromHost: () => peer.disconnectFromHost(),
    };
    if (watching) wrapped.watch = (wake) => peer.watch!(wake);
    return wrapped;
  };
  return { platform: counted, looks: () => looks };
}


export interface TestServer {
  server: Server;
  port: number;
  url(path: string): string;
  /** Sockets open right now. */
  live: Set<Socket>;
  /** Sockets ever accepted. */
  accepted: number;
  close(): Promise<void>;
}

export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const server = createServer(handler);
  server.keepAliveTimeout = 60_000;
  const live = new Set<Socket>();
  const t: TestServer = {
    server,
    port: 0,
    url: (path) => `http://127.0.0.1:${t.port}${path}`,
    live,
    accepted: 0,
    close: () =>
      new Promise((resolve) => {
        for (const s of live) s.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket: Socket) => {
    t.accepted++;
    live.add(socket);
    socket.on('close', () => live.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.port = (server.address() as { port: number }).port;
  return t;
}

/** A world with HTTP set up on a test clock that advances `tickMs` per tick. */
export interface TestWorld {
  world: World;
  http: HttpWorld;
  clock: { now: number };
  /** Let Node's event loop deliver I/O, advance the clock, run one tick. */
  tick(): Promise<void>;
  /**
   * Tick until `done()` holds, at least once (what `done` reads is then this tick's); fails after `max` ticks, saying
   * `what` was awaited. Returns the number of ticks taken.
   */
  until(done: () => boolean, what?: string, max?: number): Promise<number>;
  /** Attach a request to a new entity and tick until it is done: the entity and its response. */
  run(spec: RequestSpec): Promise<{ eid: number; r: RequestOutcome }>;
  destroy(): void;
}

export function testWorld(options: HttpSystemOptions = {}, tickMs = 16): TestWorld {
  const world = createWorld();
  const clock = { now: 0 };
  const http = createHttpSystem(world, { platform, clock: () => clock.now, ...options });
  const frame = () => {
    clock.now += tickMs;
    updateHttp(world);
  };
  const tw: TestWorld = {
    world,
    http,
    clock,
    async tick() {
      await nextTick();
      frame();
    },
    async until(done, what, max = 5000) {
      await tw.tick();
      return 1 + (await until(done, what, { frames: max - 1 }, frame));
    },
    async run(spec) {
      const eid = addEntity(world);
      addRequest(world, eid, spec);
      await tw.until(() => hasComponent(world, eid, http.Done));
      return { eid, r: getResponse(world, eid)! };
    },
    destroy: () => destroyHttpSystem(world),
  };
  return tw;
}

/** Deterministic test bytes. */
export function pattern(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
