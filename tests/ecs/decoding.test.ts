import { afterEach, describe, expect, it } from 'vitest';
import { gzipSync, deflateSync } from 'node:zlib';
import { addEntity, hasComponent } from 'bitecs';
import { addRequest, getResponse } from '../../engine-module/ecs/request-system.js';
import type { RequestSpec } from '../../engine-module/request/request-spec.js';
import { Result } from '../../engine-module/request/result.js';
import { pattern, startServer, testWorld, type TestServer, type TestWorld } from './helpers.js';
import { connectionCounts } from '../../engine-module/testing.js';

let server: TestServer;
let tw: TestWorld;
afterEach(async () => {
  tw?.destroy();
  await server?.close();
});

const text = Buffer.from(pattern(50_000).map((b) => 97 + (b % 4))); // compressible
const zeros = Buffer.alloc(1_000_000);

/** The response of a request run to its end. */
const run = async (spec: RequestSpec) => (await tw.run(spec)).r;

describe('content decoding and body limits', () => {
  let acceptEncoding: string | undefined;
  const routes = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    acceptEncoding = req.headers['accept-encoding'];
    switch (req.url) {
      case '/gzip':
        return res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipSync(text));
      case '/deflate':
        return res.writeHead(200, { 'Content-Encoding': 'deflate' }).end(deflateSync(text));
      case '/bad': {
        const bad = gzipSync(text);
        bad.fill(0x55, 20, 60);
        return res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(bad);
      }
      case '/bomb':
        return res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipSync(zeros));
      default:
        return res.end(zeros);
    }
  };

  it('asks for gzip and deflate and decodes both, streaming', async () => {
    server = await startServer(routes);
    tw = testWorld();
    for (const path of ['/gzip', '/deflate']) {
      const r = await run({ url: server.url(path) });
      expect(acceptEncoding).toBe('gzip, deflate');
      expect(r.result).toBe(Result.SUCCESS);
      expect(Buffer.from(r.body!).equals(text), path).toBe(true);
    }
    const raw = await run({ url: server.url('/gzip'), decompress: false });
    expect(acceptEncoding).toBeUndefined();
    expect(Buffer.from(raw.body!).equals(gzipSync(text))).toBe(true);
  });

  it('a corrupt gzip body ends with RESULT_BODY_DECOMPRESS_FAILED', async () => {
    server = await startServer(routes);
    tw = testWorld();
    expect(await run({ url: server.url('/bad') })).toMatchObject({ result: Result.BODY_DECOMPRESS_FAILED, code: 200, body: null });
  });

  it('the body size limit applies to the decoded size, and to a declared length up front', async () => {
    server = await startServer(routes);
    tw = testWorld();
    expect(await run({ url: server.url('/bomb'), bodySizeLimit: 100_000 })).toMatchObject({
      result: Result.BODY_SIZE_LIMIT_EXCEEDED,
    });
    expect((await run({ url: server.url('/bomb'), bodySizeLimit: 1_000_000 })).result).toBe(Result.SUCCESS);
    expect(await run({ url: server.url('/plain'), bodySizeLimit: 999_999 })).toMatchObject({
      result: Result.BODY_SIZE_LIMIT_EXCEEDED,
      code: 200,
    });
    expect(connectionCounts(tw.http).leased).toBe(0);
  });

  it('under a byte budget a gzip body keeps decoding for ticks after its last byte arrived, and ends byte-exact', async () => {
    const lines = Array.from({ length: 12_000 }, (_, i) => `{"id":${i},"line":"hello ${(i * 7919) % 1000}"}`);
    const dialogue = Buffer.from(lines.join('\n'));
    const encoded = gzipSync(dialogue);
    let written = false;
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': encoded.length }).end(encoded, () => (written = true));
    });
    tw = testWorld({ budget: { bytes: 16 * 1024 } });
    const eid = addEntity(tw.world);
    addRequest(tw.world, eid, { url: server.url('/dialogue') });
    await tw.until(() => written && tw.http.Progress.total[eid] === encoded.length);
    let ticksAfterArrival = 0;
    while (!hasComponent(tw.world, eid, tw.http.Done)) {
      await tw.tick();
      if (tw.http.Progress.received[eid] === encoded.length) ticksAfterArrival++;
    }
    expect(ticksAfterArrival).toBeGreaterThan(5);
    const r = getResponse(tw.world, eid)!;
    expect(r.result).toBe(Result.SUCCESS);
    expect(Buffer.from(r.body!).equals(dialogue)).toBe(true);
  });
});
