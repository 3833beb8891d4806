import { afterEach, describe, expect, it } from 'vitest';
import { responseText } from '../../engine-module/ecs/request-system.js';
import { Result } from '../../engine-module/request/result.js';
import { startServer, testWorld, type TestServer, type TestWorld } from './helpers.js';

let servers: TestServer[] = [];
let tw: TestWorld;
afterEach(async () => {
  tw?.destroy();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

interface Seen {
  method: string;
  url: string;
  body: string;
  auth?: string;
  cookie?: string;
}

async function recordingServer(route: (req: Seen, res: import('node:http').ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = await startServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const s = { method: req.method!, url: req.url!, body, auth: req.headers.authorization, cookie: req.headers.cookie };
      seen.push(s);
      route(s, res);
    });
  });
  servers.push(server);
  return { server, seen };
}

describe('redirects', () => {
  it('follows a relative chain, turning POST into GET on 303 and keeping it on 307', async () => {
    const { server, seen } = await recordingServer((req, res) => {
      if (req.url === '/a/start') res.writeHead(303, { Location: 'next?x=1' }).end('see other');
      else if (req.url === '/a/next?x=1') res.writeHead(200).end('final');
      else if (req.url === '/keep') res.writeHead(307, { Location: '/kept' }).end();
      else res.end(`kept ${req.method} ${req.body}`);
    });
    tw = testWorld();
    const { eid, r } = await tw.run({ url: server.url('/a/start'), method: 'POST', body: 'score=1' });
    expect(r).toMatchObject({ result: Result.SUCCESS, code: 200, redirects: 1 });
    expect(responseText(tw.world, eid)).toBe('final');
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ['POST', '/a/start', 'score=1'],
      ['GET', '/a/next?x=1', ''],
    ]);
    const kept = await tw.run({ url: server.url('/keep'), method: 'POST', body: 'b' });
    expect(responseText(tw.world, kept.eid)).toBe('kept POST b');
    expect(server.accepted).toBe(1); // redirect bodies drained, connection kept
  });

  it('turns POST into GET on 301/302, and drops Authorization and Cookie only across origins', async () => {
    const other = await recordingServer((_req, res) => res.end('elsewhere'));
    const { server, seen } = await recordingServer((req, res) => {
      if (req.url === '/moved') res.writeHead(301, { Location: '/same' }).end();
      else if (req.url === '/same') res.writeHead(302, { Location: other.server.url('/x') }).end();
      else res.end();
    });
    tw = testWorld();
    const { r } = await tw.run({
      url: server.url('/moved'),
      method: 'POST',
      body: 'x',
      headers: ['Authorization: Bearer secret', 'Cookie: s=1'],
    });
    expect(r).toMatchObject({ result: Result.SUCCESS, redirects: 2 });
    expect(seen.map((s) => [s.method, s.auth, s.cookie])).toEqual([
      ['POST', 'Bearer secret', 's=1'],
      ['GET', 'Bearer secret', 's=1'],
    ]);
    expect(other.seen).toEqual([{ method: 'GET', url: '/x', body: '', auth: undefined, cookie: undefined }]);
  });

  it('a redirect loop ends with RESULT_REDIRECT_LIMIT_REACHED at the limit', async () => {
    const { server, seen } = await recordingServer((req, res) => {
      res.writeHead(302, { Location: req.url === '/ping' ? '/pong' : '/ping' }).end();
    });
    tw = testWorld();
    const { r } = await tw.run({ url: server.url('/ping'), maxRedirects: 5 });
    expect(r).toMatchObject({ result: Result.REDIRECT_LIMIT_REACHED, code: 302, redirects: 5 });
    expect(seen).toHaveLength(6);
    const none = await tw.run({ url: server.url('/ping'), maxRedirects: 0 });
    expect(none.r).toMatchObject({ result: Result.REDIRECT_LIMIT_REACHED, redirects: 0 });
  });

  it('a redirect without Location is the final response', async () => {
    const { server } = await recordingServer((_req, res) => res.writeHead(302).end('no location'));
    tw = testWorld();
    const { eid, r } = await tw.run({ url: server.url('/') });
    expect(r).toMatchObject({ result: Result.SUCCESS, code: 302 });
    expect(responseText(tw.world, eid)).toBe('no location');
  });
});
