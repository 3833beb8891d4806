import { afterEach, describe, expect, it } from 'vitest';
import { responseText } from '../../engine-module/ecs/request-system.js';
import { Result } from '../../engine-module/request/result.js';
import { startServer, testWorld, type TestServer, type TestWorld } from './helpers.js';

let server: TestServer;
let tw: TestWorld;
afterEach(async () => {
  tw?.destroy();
  await server?.close();
});

describe('retries', () => {
  it('retries a 503 after its Retry-After, then succeeds', async () => {
    const arrivals: number[] = [];
    server = await startServer((_req, res) => {
      arrivals.push(tw.clock.now);
      if (arrivals.length === 1) res.writeHead(503, { 'Retry-After': '2' }).end('busy');
      else res.end('ready');
    });
    tw = testWorld();
    const { eid, r } = await tw.run({ url: server.url('/'), retry: { retries: 2 } });
    expect(r).toMatchObject({ result: Result.SUCCESS, code: 200, retries: 1 });
    expect(responseText(tw.world, eid)).toBe('ready');
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(2000);
  });

  it('backs off after connection failures of an idempotent request', async () => {
    let n = 0;
    server = await startServer((req, res) => {
      if (++n <= 2) req.socket.destroy();
      else res.end('third time');
    });
    tw = testWorld();
    const { r } = await tw.run({ url: server.url('/'), retry: { retries: 3, baseDelayMs: 100 } });
    expect(r).toMatchObject({ result: Result.SUCCESS, retries: 2 });
  });

  it('gives up after the allowed retries and reports the last response', async () => {
    let n = 0;
    server = await startServer((_req, res) => (n++, res.writeHead(429).end()));
    tw = testWorld();
    const { r } = await tw.run({ url: server.url('/'), retry: { retries: 2, baseDelayMs: 10 } });
    expect(r).toMatchObject({ result: Result.SUCCESS, code: 429, retries: 2 });
    expect(n).toBe(3);
  });

  it('does not retry without opt-in, a POST, or a Retry-After beyond maxDelayMs', async () => {
    let n = 0;
    server = await startServer((_req, res) => (n++, res.writeHead(503, { 'Retry-After': '120' }).end()));
    tw = testWorld();
    expect((await tw.run({ url: server.url('/') })).r).toMatchObject({ code: 503, retries: 0 });
    expect((await tw.run({ url: server.url('/'), method: 'POST', retry: { retries: 3 } })).r).toMatchObject({ code: 503, retries: 0 });
    expect((await tw.run({ url: server.url('/'), retry: { retries: 3 } })).r).toMatchObject({ code: 503, retries: 0 });
    expect(n).toBe(3);
  });
});
