import { afterEach, describe, expect, it } from 'vitest';
import { addEntity, hasComponent } from 'bitecs';
import { addRequest, getResponse } from '../../engine-module/ecs/request-system.js';
import { Result } from '../../engine-module/request/result.js';
import { DEFAULT_TICK_MS } from '../../engine-module/request/budget.js';
import { pattern, platform, startServer, testWorld, type TestServer, type TestWorld } from './helpers.js';

let server: TestServer;
let tw: TestWorld;
afterEach(async () => {
  tw?.destroy();
  await server?.close();
});

const CHUNK = 65536; // HTTPClient's default read chunk size
const big = Buffer.from(pattern(3_000_000, 3));

/**
 * Start `n` downloads of `big` and wait (real time) until the server has written everything, so it is buffered.
 * Chunked unless `length`: a body of stated length is received straight into memory, outside the ticks (see
 * tests/request/landing.test.ts), so the tick's read budget is shown on bodies read through ticks.
 */
async function buffered(n: number, length = false) {
  let finished = 0;
  server = await startServer((_req, res) => {
    res.writeHead(200, length ? { 'Content-Length': big.length } : {});
    res.end(big, () => finished++);
  });
  const eids = Array.from({ length: n }, () => {
    const eid = addEntity(tw.world);
    addRequest(tw.world, eid, { url: server.url('/big') });
    return eid;
  });
  // Until every head has arrived: a chunked body shows it by its first bytes read.
  await tw.until(() => eids.every((e) => (length ? tw.http.Progress.total[e] === big.length : tw.http.Progress.received[e] > 0)));
  while (finished < n) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 100));
  return eids;
}

/**
 * Tick until every request is done, checking each tick that every unfinished request advanced and that the tick read
 * at most one chunk per request plus `extraChunks`; the ticks taken, and how many read more than one chunk each.
 */
async function tickBounded(eids: number[], extraChunks: number) {
  let ticks = 0;
  let multiUnitTicks = 0;
  while (!eids.every((e) => hasComponent(tw.world, e, tw.http.Done))) {
    const before = eids.map((e) => tw.http.Progress.received[e]);
    await tw.tick();
    ticks++;
    const deltas = eids.map((e, i) => tw.http.Progress.received[e] - before[i]);
    const total = deltas.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual((eids.length + extraChunks) * CHUNK);
    if (total > eids.length * CHUNK) multiUnitTicks++;
    deltas.forEach((delta, i) => {
      if (before[i] < big.length) expect(delta, `request ${i} advanced`).toBeGreaterThan(0);
    });
  }
  return { ticks, multiUnitTicks };
}

describe('per-tick budget', () => {
  it('without a time limit a tick reads everything buffered: a download is not capped at one chunk per frame', async () => {
    tw = testWorld({ budget: { ms: Infinity } });
    const [eid] = await buffered(1, true);
    const before = tw.http.Progress.received[eid];
    await tw.tick();
    expect(tw.http.Progress.received[eid] - before).toBeGreaterThan(4 * CHUNK);
    await tw.until(() => hasComponent(tw.world, eid, tw.http.Done));
    const body = getResponse(tw.world, eid)!.body!;
    expect(Buffer.from(body).equals(big)).toBe(true);
    // Stored in place as it arrived (the Content-Length sized the storage): the body is that storage, never a join.
    expect(body.byteOffset).toBe(0);
    expect(body.buffer.byteLength).toBe(big.length);
  });

  it('with no budget set, a tick starts extra units only for DEFAULT_TICK_MS, yet every request advances every tick', async () => {
    // The budget clock moves 1 ms each time it is read: a tick may then start about DEFAULT_TICK_MS extra units.
    const clock = { ms: 0 };
    tw = testWorld({ platform: { ...platform, now: () => (clock.ms += 1) } });
    const eids = await buffered(3);
    const { multiUnitTicks } = await tickBounded(eids, DEFAULT_TICK_MS);
    expect(multiUnitTicks).toBeGreaterThan(0);
    for (const e of eids) expect(Buffer.from(getResponse(tw.world, e)!.body!).equals(big)).toBe(true);
  });

  it('one request does at most its per-request share of work in a tick', async () => {
    tw = testWorld({ budget: { perRequestBytes: 256 * 1024 } });
    const [eid] = await buffered(1);
    while (!hasComponent(tw.world, eid, tw.http.Done)) {
      const before = tw.http.Progress.received[eid];
      await tw.tick();
      expect(tw.http.Progress.received[eid] - before).toBeLessThan(256 * 1024 + CHUNK);
    }
    expect(Buffer.from(getResponse(tw.world, eid)!.body!).equals(big)).toBe(true);
  });

  it('a byte budget caps a tick, yet every active request advances every tick', async () => {
    tw = testWorld({ budget: { bytes: 2 * CHUNK } });
    const eids = await buffered(3);
    const { ticks } = await tickBounded(eids, 2);
    expect(ticks).toBeGreaterThanOrEqual(Math.ceil((3 * big.length) / (2 * CHUNK + 3 * CHUNK)));
    for (const e of eids) expect(getResponse(tw.world, e)!.result).toBe(Result.SUCCESS);
  });
});
