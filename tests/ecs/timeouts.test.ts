import { afterEach, describe, expect, it } from 'vitest';
import type { RequestSpec } from '../../engine-module/request/request-spec.js';
import { Result, TimeoutKind } from '../../engine-module/request/result.js';
import type { Platform } from '../../engine-module/platform/platform.js';
import { platform, startServer, testWorld, type TestServer, type TestWorld } from './helpers.js';
import { connectionCounts } from '../../engine-module/testing.js';

let server: TestServer | undefined;
let tw: TestWorld;
afterEach(async () => {
  tw?.destroy();
  await server?.close();
  server = undefined;
});

/** Run a request, also measuring the tick-clock time it took. */
async function run(spec: RequestSpec) {
  const start = tw.clock.now;
  const done = await tw.run(spec);
  return { ...done, elapsed: tw.clock.now - start };
}

describe('timeouts on the tick clock', () => {
  it('a server that stalls mid-body triggers the stall timeout, not the total one', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': 1000 });
      res.write(Buffer.alloc(10)); // then nothing
    });
    tw = testWorld();
    const { eid, r, elapsed } = await run({ url: server.url('/'), timeouts: { stallMs: 500, totalMs: 60_000 } });
    expect(r).toMatchObject({ result: Result.TIMEOUT, timeout: TimeoutKind.STALL, code: 200 });
    expect(tw.http.Outcome.timeout[eid]).toBe(TimeoutKind.STALL);
    expect(elapsed).toBeGreaterThanOrEqual(500);
    expect(elapsed).toBeLessThan(60_000);
    expect(connectionCounts(tw.http).open).toBe(0);
  });

  it('a server that never answers hits the total timeout when no stall limit is set', async () => {
    server = await startServer(() => {});
    tw = testWorld();
    const { r, elapsed } = await run({ url: server.url('/'), timeouts: { totalMs: 800 } });
    expect(r).toMatchObject({ result: Result.TIMEOUT, timeout: TimeoutKind.TOTAL, code: 0 });
    expect(elapsed).toBeGreaterThanOrEqual(800);
  });

  it('a connection that never completes hits the connect timeout', async () => {
    // A resolver that never answers keeps the connection in RESOLVING, which the connect timeout covers.
    const slowDns: Platform = Object.create(platform);
    slowDns.resolveHost = () => ({ status: () => 'pending', address: () => null });
    tw = testWorld({ platform: slowDns });
    const { r, elapsed } = await run({ url: 'http://never.example/', timeouts: { connectMs: 300, totalMs: 5000 } });
    expect(r).toMatchObject({ result: Result.TIMEOUT, timeout: TimeoutKind.CONNECT });
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(5000);
  });

  it('reports an unresolvable host as RESULT_CANT_RESOLVE and a closed port as RESULT_CANT_CONNECT', async () => {
    tw = testWorld();
    expect((await run({ url: 'http://nothing.invalid/' })).r.result).toBe(Result.CANT_RESOLVE);
    const closed = await startServer(() => {});
    const port = closed.port;
    await closed.close();
    expect((await run({ url: `http://127.0.0.1:${port}/` })).r.result).toBe(Result.CANT_CONNECT);
  });
});
