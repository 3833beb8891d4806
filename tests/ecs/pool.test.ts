import { afterEach, describe, expect, it } from 'vitest';
import { addEntity, hasComponent, query, removeEntity } from 'bitecs';
import { addRequest, getResponse } from '../../engine-module/ecs/request-system.js';
import { Result } from '../../engine-module/request/result.js';
import { pattern, startServer, testWorld, type TestServer, type TestWorld } from './helpers.js';
import { connectionCounts } from '../../engine-module/testing.js';

let server: TestServer;
let tw: TestWorld;
afterEach(async () => {
  tw?.destroy();
  await server?.close();
});

/** Body of /n: distinct per path, sizes from 1 byte to ~40 KB. */
const bodyFor = (n: number) => pattern(1 + ((n * 7919) % 40_000), n + 1);

describe('connection pool', () => {
  it('500 concurrent requests to one origin with a cap of 6 all complete byte-exact over at most 6 sockets', async () => {
    let maxLive = 0;
    server = await startServer((req, res) => {
      maxLive = Math.max(maxLive, server.live.size);
      res.end(Buffer.from(bodyFor(Number(req.url!.slice(1)))));
    });
    tw = testWorld({ pool: { maxPerOrigin: 6 } });
    const eids = Array.from({ length: 500 }, (_, n) => {
      const eid = addEntity(tw.world);
      addRequest(tw.world, eid, { url: server.url(`/${n}`) });
      return eid;
    });
    await tw.until(() => {
      expect(connectionCounts(tw.http).open).toBeLessThanOrEqual(6);
      return query(tw.world, [tw.http.Done]).length === 500;
    });
    eids.forEach((eid, n) => {
      const r = getResponse(tw.world, eid)!;
      expect(r.result).toBe(Result.SUCCESS);
      expect(Buffer.from(r.body!).equals(Buffer.from(bodyFor(n))), `body ${n}`).toBe(true);
    });
    expect(server.accepted).toBeLessThanOrEqual(6);
    expect(maxLive).toBeLessThanOrEqual(6);
    const counts = connectionCounts(tw.http);
    expect([counts.leased, counts.queued, counts.open]).toEqual([0, 0, counts.idle]);
  });

  it('removing 100 entities mid-flight leaks no connection', async () => {
    server = await startServer((_req, res) => {
      // Half the body now, the rest never: every request is mid-response when its entity goes.
      res.writeHead(200, { 'Content-Length': 2000 });
      res.write(Buffer.alloc(1000, 1));
    });
    tw = testWorld({ pool: { maxPerOrigin: 10 } });
    const eids = Array.from({ length: 100 }, () => {
      const eid = addEntity(tw.world);
      addRequest(tw.world, eid, { url: server.url('/') });
      return eid;
    });
    await tw.until(() => eids.filter((e) => tw.http.Progress.received[e] > 0).length === 10);
    for (const eid of eids) removeEntity(tw.world, eid);
    const counts = connectionCounts(tw.http);
    expect([counts.leased, counts.queued, counts.open]).toEqual([0, 0, 0]);
    await tw.until(() => server.live.size === 0);
    await tw.tick();
    expect(tw.http.events).toEqual([]);
  });

  it('reuses a keep-alive connection and closes it after the idle timeout', async () => {
    server = await startServer((_req, res) => res.end('ok'));
    tw = testWorld({ pool: { idleTimeoutMs: 1000 } });
    for (let i = 0; i < 3; i++) {
      const eid = addEntity(tw.world);
      addRequest(tw.world, eid, { url: server.url('/') });
      await tw.until(() => hasComponent(tw.world, eid, tw.http.Done));
    }
    expect(server.accepted).toBe(1);
    expect(connectionCounts(tw.http).idle).toBe(1);
    const idleSince = tw.clock.now;
    await tw.until(() => connectionCounts(tw.http).open === 0);
    expect(tw.clock.now - idleSince).toBeGreaterThanOrEqual(1000);
    await tw.until(() => server.live.size === 0);
  });

  it('queues FIFO beyond the cap and refuses past maxQueue with RESULT_QUEUE_FULL', async () => {
    const order: string[] = [];
    server = await startServer((req, res) => {
      order.push(req.url!);
      res.end('ok');
    });
    tw = testWorld({ pool: { maxPerOrigin: 1, maxQueue: 3 } });
    const eids = [0, 1, 2, 3].map((n) => {
      const eid = addEntity(tw.world);
      addRequest(tw.world, eid, { url: server.url(`/${n}`) });
      return eid;
    });
    await tw.until(() => eids.slice(0, 3).every((e) => hasComponent(tw.world, e, tw.http.Done)));
    expect(order).toEqual(['/0', '/1', '/2']);
    expect(getResponse(tw.world, eids[3])).toMatchObject({ result: Result.QUEUE_FULL, code: 0 });
  });

  it('retries an idempotent request on a fresh connection when a reused one turns out stale', async () => {
    const perSocket = new Map<object, number>();
    server = await startServer((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      // The server drops a kept-alive connection just as the next request arrives on it.
      if (n === 2) req.socket.destroy();
      else res.end(`ok ${req.method}`);
    });
    tw = testWorld();
    const first = addEntity(tw.world);
    addRequest(tw.world, first, { url: server.url('/') });
    await tw.until(() => hasComponent(tw.world, first, tw.http.Done));

    const second = addEntity(tw.world);
    addRequest(tw.world, second, { url: server.url('/') });
    await tw.until(() => hasComponent(tw.world, second, tw.http.Done));
    expect(getResponse(tw.world, second)).toMatchObject({ result: Result.SUCCESS, retries: 0 });
    expect(server.accepted).toBe(2);

    // Not for POST: it may have been acted on.
    const post = addEntity(tw.world);
    addRequest(tw.world, post, { url: server.url('/'), method: 'POST', body: 'x' });
    await tw.until(() => hasComponent(tw.world, post, tw.http.Done));
    expect(getResponse(tw.world, post)!.result).toBe(Result.NO_RESPONSE);
  });
});
