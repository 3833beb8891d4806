import { afterEach, describe, expect, it } from 'vitest';
import { addEntity, hasComponent, query, removeComponent, removeEntity } from 'bitecs';
import { Err } from '../../engine-module/http/constants.js';
import { addRequest, getResponse, requestSpecError, responseText } from '../../engine-module/ecs/request-system.js';
import { Result } from '../../engine-module/request/result.js';
import { pattern, startServer, testWorld, type TestServer, type TestWorld } from './helpers.js';
import { connectionCounts } from '../../engine-module/testing.js';

let server: TestServer;
let tw: TestWorld;
afterEach(async () => {
  tw?.destroy();
  await server?.close();
});

const body = pattern(1_000_000);

/** A server that sends `data` in pieces with a pause between them, so a download spans many ticks. */
function trickle(data: Uint8Array, pieces: number) {
  return (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'Content-Length': data.length });
    let i = 0;
    const step = Math.ceil(data.length / pieces);
    const next = () => {
      if (res.destroyed) return;
      res.write(Buffer.from(data.subarray(i, i + step)));
      i += step;
      if (i < data.length) setTimeout(next, 2);
      else res.end();
    };
    next();
  };
}

describe('requests on entities', () => {
  it('progress rises every tick and the outcome arrives in the tick the last byte is read', async () => {
    server = await startServer(trickle(body, 20));
    tw = testWorld();
    const { Progress, Outcome, Done, Request } = tw.http;
    const eid = addEntity(tw.world);
    expect(addRequest(tw.world, eid, { url: server.url('/asset.bin') })).toBe(Err.OK);
    expect(Outcome.result[eid]).toBe(-1);
    let last = 0;
    let ticksWithProgress = 0;
    await tw.until(() => {
      const received = Progress.received[eid];
      expect(received).toBeGreaterThanOrEqual(last);
      if (received > last) ticksWithProgress++;
      last = received;
      const done = hasComponent(tw.world, eid, Done);
      // Never a tick with every byte read but no outcome yet.
      expect(done).toBe(received === body.length);
      if (Progress.total[eid] !== -1) expect(Progress.total[eid]).toBe(body.length);
      return done;
    });
    expect(ticksWithProgress).toBeGreaterThan(1);
    expect(query(tw.world, [Request, Done])).toEqual([eid]);
    expect(Outcome.result[eid]).toBe(Result.SUCCESS);
    expect(Outcome.code[eid]).toBe(200);
    const r = getResponse(tw.world, eid)!;
    expect(Buffer.from(r.body!).equals(Buffer.from(body))).toBe(true);
    expect(r).toMatchObject({ result: Result.SUCCESS, code: 200, path: null, fromCache: false, redirects: 0, error: '' });
    expect(r.headers).toContain(`Content-Length: ${body.length}`);
    expect(tw.http.events).toEqual([{ type: 'done', eid, result: Result.SUCCESS }]);
  });

  it('POSTs a body with headers and reports bytes sent', async () => {
    let seen: { method?: string; type?: string; body: string } = { body: '' };
    server = await startServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        seen = { method: req.method, type: req.headers['content-type'], body: data };
        res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"rank":3}');
      });
    });
    tw = testWorld();
    const eid = addEntity(tw.world);
    const score = JSON.stringify({ player: 'ünïcode', score: 12345 });
    addRequest(tw.world, eid, {
      url: server.url('/scores'),
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: score,
    });
    await tw.until(() => hasComponent(tw.world, eid, tw.http.Done));
    expect(seen).toEqual({ method: 'POST', type: 'application/json', body: score });
    expect(tw.http.Outcome.code[eid]).toBe(201);
    expect(responseText(tw.world, eid)).toBe('{"rank":3}');
    expect(tw.http.Progress.sent[eid]).toBeGreaterThan(Buffer.byteLength(score));
  });

  it('refuses an invalid spec before anything is sent; the refusal still ends as data with its reason', async () => {
    tw = testWorld();
    const eid = addEntity(tw.world);
    for (const spec of [
      { url: 'http://h.test/', method: 'POST' as const, headers: ['Transfer-Encoding: chunked'], body: 'x' },
      { url: 'http://h.test/', method: 'POST' as const, headers: ['Content-Length: 3'], body: 'hello' },
      { url: 'ftp://x/' },
      { url: 'http://h.test/', method: 'GETT' as never },
      { url: 'http://h.test/', headers: ['X-A: 1\r\nX-B: 2'] },
      { url: 'http://h.test/', headers: ['no colon'] },
      { url: 'http://h.test/', timeouts: { stallMs: -1 } },
      { url: 'http://h.test/', maxRedirects: 1.5 },
      { url: 'http://h.test/', download: '' },
      { url: 'http://h.test/', method: 'POST' as const, cache: true },
    ]) {
      expect(addRequest(tw.world, eid, spec), JSON.stringify(spec)).toBe(Err.ERR_INVALID_PARAMETER);
      const reason = requestSpecError(spec);
      expect(reason).toBeTypeOf('string');
      expect(hasComponent(tw.world, eid, tw.http.Request)).toBe(true);
      await tw.tick();
      expect(hasComponent(tw.world, eid, tw.http.Done)).toBe(true);
      expect(getResponse(tw.world, eid)).toMatchObject({ result: Result.REQUEST_FAILED, error: reason, code: 0 });
    }
    expect(requestSpecError({ url: 'http://h.test/' })).toBeNull();
    expect(requestSpecError({ url: 'http://h.test/', method: 'post' })).toBeNull();
    expect(requestSpecError({ url: 'http://h.test/', method: 'GETT' as never })).toBe(
      'unsupported method "GETT" (GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE or PATCH, any case)',
    );
    expect(requestSpecError({ url: 'http://h.test/', method: 'POST', headers: ['Content-Length: 3'], body: 'hello' })).toBe(
      'Content-Length "3" is not the body\'s length (5 bytes)',
    );
  });

  it('takes method names in any case', async () => {
    server = await startServer((req, res) => res.end(req.method));
    tw = testWorld();
    const { eid } = await tw.run({ url: server.url('/'), method: 'post', body: 'x' });
    expect(responseText(tw.world, eid)).toBe('POST');
  });

  it('cancels on Request removal: connection closed, nothing published afterwards', async () => {
    server = await startServer(trickle(body, 50));
    tw = testWorld();
    const eid = addEntity(tw.world);
    addRequest(tw.world, eid, { url: server.url('/slow') });
    await tw.until(() => tw.http.Progress.received[eid] > 0);
    removeComponent(tw.world, eid, tw.http.Request);
    expect(connectionCounts(tw.http).leased).toBe(0);
    expect(connectionCounts(tw.http).open).toBe(0);
    await tw.until(() => server.live.size === 0);
    for (let i = 0; i < 20; i++) {
      await tw.tick();
      expect(tw.http.events).toEqual([]);
      expect(hasComponent(tw.world, eid, tw.http.Done)).toBe(false);
      expect(getResponse(tw.world, eid)).toBeNull();
    }
  });

  it('never lets a late result land on a new entity that reused the id', async () => {
    let slowRes: import('node:http').ServerResponse | null = null;
    server = await startServer((req, res) => {
      if (req.url === '/slow') slowRes = res; // answered later, after the entity is gone
      else res.end('new');
    });
    tw = testWorld();
    const old = addEntity(tw.world);
    addRequest(tw.world, old, { url: server.url('/slow') });
    await tw.until(() => slowRes !== null);
    removeEntity(tw.world, old);
    const reused = addEntity(tw.world);
    expect(reused).toBe(old); // bitecs recycles at once
    slowRes!.end('old');
    for (let i = 0; i < 10; i++) {
      await tw.tick();
      expect(hasComponent(tw.world, reused, tw.http.Done)).toBe(false);
      expect(tw.http.Outcome.result[reused]).toBe(-1);
    }
    addRequest(tw.world, reused, { url: server.url('/new') });
    await tw.until(() => hasComponent(tw.world, reused, tw.http.Done));
    expect(responseText(tw.world, reused)).toBe('new');
  });

  it('a second addRequest on the same entity replaces the first', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/first') return; // never answered
      res.end('second');
    });
    tw = testWorld();
    const eid = addEntity(tw.world);
    addRequest(tw.world, eid, { url: server.url('/first') });
    await tw.until(() => server.live.size === 1);
    addRequest(tw.world, eid, { url: server.url('/second') });
    await tw.until(() => hasComponent(tw.world, eid, tw.http.Done));
    expect(responseText(tw.world, eid)).toBe('second');
    expect(tw.http.events.filter((e) => e.type === 'done')).toHaveLength(1);
  });
});
