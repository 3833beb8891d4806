// Requests queued behind a full pool are parked: not stepped per tick, woken by the grant of a connection or by their
// total timeout. Real loopback server; the ECS world's list of requests to step shows what a tick works on.
import { afterEach, describe, expect, it } from 'vitest';
import { addEntity, hasComponent, removeComponent } from 'bitecs';
import { addRequest, getResponse } from '../../engine-module/ecs/request-system.js';
import { requesterOf, stateOf } from '../../engine-module/ecs/http-state.js';
import { Result, TimeoutKind } from '../../engine-module/request/result.js';
import { connectionCounts } from '../../engine-module/testing.js';
import { startServer, testWorld, type TestServer, type TestWorld } from '../ecs/helpers.js';

let server: TestServer;
let tw: TestWorld;
afterEach(async () => {
  tw?.destroy();
  await server?.close();
});

/** A server that answers /held only when `release()` is called, everything else at once. */
async function heldServer() {
  const held: (() => void)[] = [];
  server = await startServer((req, res) => {
    const answer = () => res.writeHead(200, { 'Content-Length': 2 }).end('ok');
    if (req.url === '/held') held.push(answer);
    else answer();
  });
  return { release: () => held.splice(0).forEach((f) => f()), held: () => held.length };
}

function start(url: string, totalMs = 0): number {
  const eid = addEntity(tw.world);
  addRequest(tw.world, eid, { url, timeouts: { totalMs } });
  return eid;
}

const stepped = () => stateOf(tw.world).running.length;
/** Parked requests kept under a total timeout. */
const deadlines = () => requesterOf(tw.http).deadlines.jobs.length;

describe('requests queued for a connection', () => {
  it('are not stepped while they wait, and each is woken when a connection is granted', async () => {
    const srv = await heldServer();
    tw = testWorld({ pool: { maxPerOrigin: 1 } });
    const first = start(server.url('/held'));
    const queued = Array.from({ length: 200 }, () => start(server.url('/next')));
    await tw.until(() => srv.held() === 1);
    await tw.tick();
    await tw.tick();
    expect(connectionCounts(tw.http).queued).toBe(200);
    expect(stepped()).toBe(1); // only the request on the connection
    srv.release();
    await tw.until(() => queued.every((eid) => hasComponent(tw.world, eid, tw.http.Done)));
    for (const eid of [first, ...queued]) expect(getResponse(tw.world, eid)?.result).toBe(Result.SUCCESS);
    expect(deadlines()).toBe(0);
  });

  it('still end at their total timeout, in the tick it runs out', async () => {
    await heldServer();
    tw = testWorld({ pool: { maxPerOrigin: 1 } }, 10);
    start(server.url('/held'));
    const late = start(server.url('/next'), 1000);
    const early = start(server.url('/next'), 300);
    await tw.until(() => hasComponent(tw.world, early, tw.http.Done));
    expect(tw.clock.now).toBe(300);
    expect(getResponse(tw.world, early)).toMatchObject({ result: Result.TIMEOUT, timeout: TimeoutKind.TOTAL });
    expect(hasComponent(tw.world, late, tw.http.Done)).toBe(false);
    await tw.until(() => hasComponent(tw.world, late, tw.http.Done));
    expect(tw.clock.now).toBe(1000);
    expect(connectionCounts(tw.http).queued).toBe(0);
    expect(deadlines()).toBe(0);
  });

  it('leave the queue and their deadline when the Request component goes', async () => {
    await heldServer();
    tw = testWorld({ pool: { maxPerOrigin: 1 } });
    start(server.url('/held'));
    const eids = Array.from({ length: 20 }, () => start(server.url('/next'), 60_000));
    await tw.tick();
    await tw.tick();
    expect(deadlines()).toBe(20);
    // Removing the component cancels the request (the system's observer).
    for (const eid of eids) removeComponent(tw.world, eid, tw.http.Request);
    expect([connectionCounts(tw.http).queued, deadlines()]).toEqual([0, 0]);
  });
});
