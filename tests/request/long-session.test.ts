// A long game session: 100,000 requests across 10,000 origins in one world (10,000 host names a test resolver maps to
// one loopback server), each entity removed when its request is done. Nothing the request layer keeps per origin or
// per request may stay behind: the heap after garbage collection ends within a few MiB of where it started. (About
// half a minute on a quiet two-core machine; the test yields every tick, so a busy one only makes it slower.)
import { afterEach, describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { addEntity, hasComponent, removeEntity } from 'bitecs';
import { addRequest, getResponse } from '../../engine-module/ecs/request-system.js';
import { requesterOf } from '../../engine-module/ecs/http-state.js';
import type { Platform } from '../../engine-module/platform/platform.js';
import { Result } from '../../engine-module/request/result.js';
import { platform, startServer, testWorld, type TestServer, type TestWorld } from '../ecs/helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: TestServer;
let tw: TestWorld;
afterEach(async () => {
  tw?.destroy();
  await server?.close();
});

const ORIGINS = 10_000;
const PER_ORIGIN = 10;
/** Requests in flight: 200 origins at a time, each origin's requests sharing its one keep-alive connection in turn. */
const IN_FLIGHT = 200 * PER_ORIGIN;
/** Origins served before the heap is first measured; the other 8,000 must leave nothing behind. */
const WARM_UP = 2000;

/** Every host name resolves to the loopback server. */
const anyNameIsLoopback: Platform = Object.create(platform);
anyNameIsLoopback.resolveHost = () => ({ status: () => 'done', address: () => '127.0.0.1' });

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('a long session', () => {
  it('runs 100,000 requests across 10,000 origins with the heap flat', async () => {
    server = await startServer((_req, res) => res.writeHead(200, { 'Content-Length': 2 }).end('ok'));
    tw = testWorld({ platform: anyNameIsLoopback, pool: { maxPerOrigin: 1, maxTotal: 256 } });
    const url = (k: number) => `http://o${Math.floor(k / PER_ORIGIN)}.test:${server.port}/r${k}`;
    const inFlight = new Set<number>();
    let started = 0;
    let succeeded = 0;
    /** Run requests until `until` of them have started and all of those have ended. */
    const runUntil = async (until: number) => {
      while (started < until || inFlight.size > 0) {
        while (started < until && inFlight.size < IN_FLIGHT) {
          const eid = addEntity(tw.world);
          addRequest(tw.world, eid, { url: url(started++) });
          inFlight.add(eid);
        }
        await tw.tick(); // yields to the event loop each tick, so the worker never blocks
        for (const eid of inFlight) {
          if (!hasComponent(tw.world, eid, tw.http.Done)) continue;
          if (getResponse(tw.world, eid)?.result === Result.SUCCESS) succeeded++;
          inFlight.delete(eid);
          removeEntity(tw.world, eid);
        }
      }
    };

    await runUntil(WARM_UP * PER_ORIGIN); // the first origins: warm code, pools of the size they keep
    const before = heapAfterGc();
    await runUntil(ORIGINS * PER_ORIGIN);
    const after = heapAfterGc();

    expect(succeeded).toBe(ORIGINS * PER_ORIGIN);
    expect(server.accepted).toBeLessThanOrEqual(ORIGINS + 256); // one connection per origin, reused for its requests
    const { pool, deadlines } = requesterOf(tw.http);
    expect([pool.queue.length, pool.leased, deadlines.jobs.length]).toEqual([0, 0, 0]);
    expect(pool.origins.size).toBeLessThanOrEqual(256); // keys with an idle connection; the others forgotten
    console.log(`heap after GC: ${(before / 2 ** 20).toFixed(1)} MiB after ${WARM_UP * PER_ORIGIN} requests, ${(after / 2 ** 20).toFixed(1)} MiB after ${ORIGINS * PER_ORIGIN}`);
    // A few hundred bytes kept per origin would be over 2 MiB by now.
    expect(after - before).toBeLessThan(2 * 2 ** 20);
  }, 300_000);
});
