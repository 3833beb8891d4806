import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDodge, playDodge, stepDodge } from '../../demo/game/dodge.js';
import { generateAssets, type ManifestEntry } from '../../demo/server/assets.js';
import { startDemoServer, type DemoServer } from '../../demo/server/server.js';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function fetchRaw(server: DemoServer, path: string, init: { method?: string; body?: string;
  headers?: Record<string, string>; ca?: string | null } = {}): Promise<Reply> {
  const url = new URL(path, server.url);
  const secure = url.protocol === 'https:';
  const options = { method: init.method ?? 'GET', headers: init.headers ?? {}, ca: init.ca === undefined ? server.caPem ?? undefined : init.ca ?? undefined, agent: false as const };
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(url, options, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (p: Buffer) => parts.push(p));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const json = (reply: Reply): any => JSON.parse(reply.body.toString('utf8'));

describe('demo server over HTTPS with its generated CA', () => {
  let server: DemoServer;
  beforeAll(async () => {
    server = await startDemoServer();
  });
  afterAll(() => server.close());

  it('serves on loopback over https and hands out the CA', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.caPem).toContain('BEGIN CERTIFICATE');
  });

  it('is refused by a client that does not trust the CA', async () => {
    await expect(fetchRaw(server, '/manifest', { ca: null })).rejects.toThrow(/certificate/i);
  });

  it('lists every asset with size and sha256, and each download matches', async () => {
    const manifest = json(await fetchRaw(server, '/manifest')).assets as ManifestEntry[];
    expect(manifest.map((a) => a.delivery).sort()).toEqual(['chunked', 'gzip', 'length', 'length', 'length']);
    expect(Math.max(...manifest.map((a) => a.size))).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    expect(new Set(manifest.map((a) => a.kind)).size).toBeGreaterThanOrEqual(4);
    for (const entry of manifest) {
      const reply = await fetchRaw(server, `/assets/${entry.name}`, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(reply.status).toBe(200);
      const body = reply.headers['content-encoding'] === 'gzip' ? gunzipSync(reply.body) : reply.body;
      expect(body.length).toBe(entry.size);
      expect(sha256(body)).toBe(entry.sha256);
    }
  });

  it('sends the chunked asset chunked, without Content-Length', async () => {
    const reply = await fetchRaw(server, '/assets/level-01.map');
    expect(reply.headers['transfer-encoding']).toBe('chunked');
    expect(reply.headers['content-length']).toBeUndefined();
  });

  it('gzip-encodes the dialogue only when the client accepts gzip', async () => {
    const zipped = await fetchRaw(server, '/assets/dialogue.json', { headers: { 'Accept-Encoding': 'gzip, deflate' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(Number(zipped.headers['content-length'])).toBe(zipped.body.length);
    const plain = await fetchRaw(server, '/assets/dialogue.json', { headers: { 'Accept-Encoding': 'gzip;q=0' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
  });

  it('takes a genuine score and ranks it on the leaderboard', async () => {
    const seed = 1234;
    const result = playDodge(seed);
    const submission = { player: 'tester', seed, ...result };
    const posted = await fetchRaw(server, '/scores', { method: 'POST', body: JSON.stringify(submission),
      headers: { 'Content-Type': 'application/json' } });
    expect(posted.status).toBe(201);
    const { entry } = json(posted);
    expect(entry).toMatchObject(submission);
    const board = json(await fetchRaw(server, '/leaderboard?top=100'));
    expect(board.total).toBe(board.entries.length);
    expect(board.entries.find((e: { id: number }) => e.id === entry.id)).toMatchObject({ ...submission, rank: entry.rank });
    const scores = board.entries.map((e: { score: number }) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('limits the leaderboard to top N and refuses a bad N', async () => {
    expect(json(await fetchRaw(server, '/leaderboard?top=3')).entries).toHaveLength(3);
    expect(json(await fetchRaw(server, '/leaderboard')).entries.length).toBeGreaterThan(3);
    for (const top of ['0', '-1', 'x', '2.5', '101']) {
      const reply = await fetchRaw(server, `/leaderboard?top=${top}`);
      expect(reply.status).toBe(400);
      expect(json(reply).error).toMatch(/top/);
    }
  });

  it('refuses bad submissions with 400 and a reason', async () => {
    const good = { player: 'ok', seed: 7, ...playDodge(7) };
    const cases: [string, RegExp][] = [
      ['{"player":', /not valid JSON/],
      ['[1,2]', /JSON object/],
      [JSON.stringify({ ...good, player: '' }), /player/],
      [JSON.stringify({ ...good, player: 'a\nb' }), /player/],
      [JSON.stringify({ ...good, player: 'x'.repeat(17) }), /player/],
      [JSON.stringify({ ...good, score: '10' }), /score/],
      [JSON.stringify({ ...good, score: 1.5 }), /score/],
      [JSON.stringify({ ...good, seed: -1 }), /seed/],
      [JSON.stringify({ ...good, ticks: 0 }), /ticks/],
      [JSON.stringify({ ...good, score: good.score + 10 }), /does not match a replay/],
    ];
    for (const [body, reason] of cases) {
      const reply = await fetchRaw(server, '/scores', { method: 'POST', body });
      expect(reply.status, body).toBe(400);
      expect(json(reply).error).toMatch(reason);
    }
    const huge = await fetchRaw(server, '/scores', { method: 'POST', body: ' '.repeat(10_000) });
    expect(huge.status).toBe(413);
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    expect((await fetchRaw(server, '/assets/nope')).status).toBe(404);
    expect((await fetchRaw(server, '/')).status).toBe(404);
    const wrong = await fetchRaw(server, '/scores');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    expect((await fetchRaw(server, '/manifest', { method: 'DELETE' })).status).toBe(405);
  });
});

describe('demo server over plain HTTP', () => {
  it('serves the same manifest without TLS', async () => {
    const server = await startDemoServer({ secure: false });
    try {
      expect(server.url).toMatch(/^http:\/\//);
      expect(server.caPem).toBeNull();
      const manifest = json(await fetchRaw(server, '/manifest')).assets as ManifestEntry[];
      expect(manifest.map((a) => a.sha256)).toEqual(generateAssets().map((a) => a.sha256));
    } finally {
      await server.close();
    }
  });
});

describe('demo server with CORS for a page origin', () => {
  const origin = 'http://127.0.0.1:9';
  let server: DemoServer;
  beforeAll(async () => {
    server = await startDemoServer({ secure: false, corsOrigin: origin });
  });
  afterAll(() => server.close());

  it('lets that origin read replies and answers its preflight for a JSON POST', async () => {
    const manifest = await fetchRaw(server, '/manifest', { headers: { Origin: origin } });
    expect(manifest.headers['access-control-allow-origin']).toBe(origin);
    expect(manifest.headers.vary).toMatch(/Origin/);
    const preflight = await fetchRaw(server, '/scores', { method: 'OPTIONS', headers: { Origin: origin,
      'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/content-type/i);
    const zipped = await fetchRaw(server, '/assets/dialogue.json', { headers: { Origin: origin, 'Accept-Encoding': 'gzip' } });
    expect(zipped.headers['access-control-allow-origin']).toBe(origin);
    expect(zipped.headers.vary).toMatch(/Origin.*Accept-Encoding/);
  });

  it('gives another origin no CORS headers, so its browser refuses the reply', async () => {
    const other = await fetchRaw(server, '/manifest', { headers: { Origin: 'http://evil.test' } });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await fetchRaw(server, '/scores', { method: 'OPTIONS', headers: { Origin: 'http://evil.test',
      'Access-Control-Request-Method': 'POST' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.status).toBe(405);
  });

  it('checks a person\'s game by replaying its recorded moves', async () => {
    const seed = 31;
    const game = createDodge(seed, 'keys');
    // A person who holds left for a while, then right, then stays.
    while (!game.over) {
      game.keys!.held = game.tick < 90 ? -1 : game.tick < 200 ? 1 : 0;
      stepDodge(game);
    }
    const submission = { player: 'person', seed, score: game.score, ticks: game.tick, moves: game.keys!.moves };
    const posted = await fetchRaw(server, '/scores', { method: 'POST', body: JSON.stringify(submission) });
    expect(posted.status, posted.body.toString()).toBe(201);
    expect(json(posted).entry).toEqual({ id: expect.any(Number), rank: expect.any(Number), player: 'person', seed,
      score: game.score, ticks: game.tick });
    const flipped = game.keys!.moves.replace(/[LR]/g, (m) => (m === 'L' ? 'R' : 'L'));
    for (const [moves, reason] of [[flipped, /with the posted moves/], [game.keys!.moves.slice(1), /moves must be/],
      ['x'.repeat(game.keys!.moves.length), /moves must be/]] as const) {
      const reply = await fetchRaw(server, '/scores', { method: 'POST', body: JSON.stringify({ ...submission, moves }) });
      expect(reply.status).toBe(400);
      expect(json(reply).error).toMatch(reason);
    }
  });
});
