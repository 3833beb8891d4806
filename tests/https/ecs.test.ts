// Requests on entities over HTTPS: the ECS system drives the default TLS layer tick by tick, trusting the test root
// given as tls.trustedChain, the world's pool keeps TLS connections alive between requests, and handshakes opened
// together share each tick's budget.
import { LATER_RUN_MS } from '../../engine-module/http/work-ahead.js';
import type { ServerResponse } from 'node:http';
import { addEntity, hasComponent } from 'bitecs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addRequest, getResponse } from '../../engine-module/ecs/request-system.js';
import { Err } from '../../engine-module/http/constants.js';
import type { RequestSpec } from '../../engine-module/request/request-spec.js';
import { Result } from '../../engine-module/request/result.js';
import { attachClient } from '../../engine-module/ecs/client-system.js';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Method, Status } from '../../engine-module/http/constants.js';
import { countingPlatform, pattern, testWorld, type TestWorld } from '../ecs/helpers.js';
import { makeHttpsPki, providerPlatforms, sha256, startHttpsServer, type HttpsPki, type HttpsTestServer } from './fixtures.js';
import { connectionCounts } from '../../engine-module/testing.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';

const ASSET = Buffer.from(pattern(3 * 1024 * 1024, 11));
const PIECE = 256 * 1024;

/** Send the asset a piece at a time, each after the previous one was handed to the socket, so it spans ticks. */
function trickleAsset(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Length': ASSET.length, 'Content-Type': 'application/octet-stream' });
  let at = 0;
  const next = () => {
    if (at >= ASSET.length) return void res.end();
    const piece = ASSET.subarray(at, (at += PIECE));
    res.write(piece, () => setImmediate(next));
  };
  next();
}

let pki: HttpsPki;
let server: HttpsTestServer;
let tw: TestWorld | undefined;

beforeAll(async () => {
  pki = makeHttpsPki();
  server = await startHttpsServer(pki.server, (req, res, connection) => {
    if (req.url === '/asset') return trickleAsset(res);
    // Answer, then close the connection once it has sat idle for a moment.
    if (req.url === '/close-when-idle') return void res.end('bye', () => setTimeout(() => req.socket.destroy(), 50));
    res.end(`${req.url} on connection ${connection}`);
  });
});
afterEach(() => {
  tw?.destroy();
  tw = undefined;
});
afterAll(async () => {
  await server?.close();
  pki?.pki.cleanup();
});

const trusted = (path: string, extra: Partial<RequestSpec> = {}): RequestSpec => ({
  url: server.url(path),
  tls: { trustedChain: pki.rootPem },
  ...extra,
});

async function run(world: TestWorld, spec: RequestSpec) {
  const eid = addEntity(world.world);
  expect(addRequest(world.world, eid, spec)).toBe(Err.OK);
  await world.until(() => hasComponent(world.world, eid, world.http.Done));
  return getResponse(world.world, eid)!;
}

describe.each(providerPlatforms())('ECS download over HTTPS, $name provider', ({ platform, crypto }) => {
  it('progress rises tick by tick and the body matches byte for byte', async () => {
    tw = testWorld({ platform });
    const world = tw;
    const { Progress, Done } = world.http;
    const keysBefore = crypto.aeadKeys;
    const eid = addEntity(world.world);
    expect(addRequest(world.world, eid, trusted('/asset'))).toBe(Err.OK);
    let last = 0;
    let ticksWithProgress = 0;
    await world.until(() => {
      const received = Progress.received[eid];
      expect(received).toBeGreaterThanOrEqual(last);
      if (received > last) ticksWithProgress++;
      last = received;
      if (Progress.total[eid] !== -1) expect(Progress.total[eid]).toBe(ASSET.length);
      return hasComponent(world.world, eid, Done);
    });
    expect(ticksWithProgress).toBeGreaterThan(1);
    expect([Progress.received[eid], Progress.total[eid]]).toEqual([ASSET.length, ASSET.length]);
    const r = getResponse(world.world, eid)!;
    expect([r.result, r.code, r.error]).toEqual([Result.SUCCESS, 200, '']);
    expect(sha256(r.body!)).toBe(sha256(ASSET));
    expect(crypto.aeadKeys).toBeGreaterThan(keysBefore);
  });
});

describe('pooled TLS connections', () => {
  it('two sequential requests reuse one kept-alive TLS connection; other TLS settings get their own', async () => {
    tw = testWorld();
    const before = server.tlsConnections;
    const first = await run(tw, trusted('/one'));
    const second = await run(tw, trusted('/two'));
    const id = before + 1;
    expect([first.result, second.result]).toEqual([Result.SUCCESS, Result.SUCCESS]);
    expect([Buffer.from(first.body!).toString(), Buffer.from(second.body!).toString()]).toEqual([
      `/one on connection ${id}`,
      `/two on connection ${id}`,
    ]);
    expect(server.tlsConnections).toBe(id);
    // A connection verified against one trust setting is never lent to a request asking for another.
    const unverified = await run(tw, { url: server.url('/three'), tls: { verifyHost: false } });
    expect(Buffer.from(unverified.body!).toString()).toBe(`/three on connection ${id + 1}`);
  });

  it('without the test root the request ends in RESULT_SSL_HANDSHAKE_ERROR naming the problem', async () => {
    tw = testWorld();
    const r = await run(tw, { url: server.url('/untrusted') });
    expect(r.result).toBe(Result.SSL_HANDSHAKE_ERROR);
    expect(r.error).toMatch(/untrusted root/);
    expect(connectionCounts(tw.http).leased).toBe(0);
  });
});

describe('an HTTPClient attached over TLS', () => {
  it('is left unpolled while idle on its connection, and the server closing it is still reported', async () => {
    tw = testWorld();
    const world = tw;
    const counting = countingPlatform(true);
    const client = new HTTPClient({ platform: counting.platform });
    expect(client.connectToHost('127.0.0.1', server.port, true, true, { trustedChain: pki.rootPem })).toBe(Err.OK);
    const eid = addEntity(world.world);
    attachClient(world.world, eid, client);
    const { Client } = world.http;
    await world.until(() => Client.status[eid] === Status.CONNECTED);
    // The server's session tickets arrive after the handshake: they wake it, once.
    for (let i = 0; i < 30; i++) await world.tick();
    const looks = counting.looks();
    for (let i = 0; i < 30; i++) await world.tick();
    expect(counting.looks()).toBe(looks);

    // The script's request wakes it; the response comes; then the server closes the idle connection.
    expect(client.request(Method.GET, '/close-when-idle', [])).toBe(Err.OK);
    const statuses: number[] = [];
    await world.until(() => {
      for (const e of world.http.events) if (e.type === 'status' && e.eid === eid) statuses.push(e.status);
      return Client.status[eid] === Status.DISCONNECTED;
    });
    expect(statuses[0]).toBe(Status.REQUESTING);
    expect(statuses.slice(-2)).toEqual([Status.CONNECTED, Status.DISCONNECTED]);
    expect(Client.code[eid]).toBe(200);
  });
});

/** Connections opened together in the handshake test. */
const CONNECTIONS = 4;

/**
 * A Node platform whose provider records its asymmetric operations (each one unit of handshake work) at the tick time
 * `now()`, or, made between ticks by a runLater callback (a key share made ahead), in `laterRuns` per callback; on
 * its clock each of those takes LATER_RUN_MS, so a callback that goes on after one shows.
 */
function recordingPlatform(base: CryptoProvider, now: () => number) {
  const at: number[] = [];
  const laterRuns: number[] = [];
  let inLater = false;
  let spent = 0;
  const record = () => {
    if (!inLater) return at.push(now());
    laterRuns[laterRuns.length - 1]++;
    spent += LATER_RUN_MS;
  };
  const crypto: CryptoProvider = {
    ...base,
    generateKeyShare: (group, random) => (record(), base.generateKeyShare(group, random)),
    ecdh: (share, peer) => (record(), base.ecdh(share, peer)),
    verify: (alg, key, data, signature) => (record(), base.verify(alg, key, data, signature)),
  };
  const platform = createNodePlatform({ crypto });
  const clock = platform.now;
  platform.now = () => clock() + spent;
  const runLater = platform.runLater!;
  platform.runLater = (callback, ms) => runLater(() => {
    inLater = true;
    laterRuns.push(0);
    try {
      callback();
    } finally {
      inLater = false;
    }
  }, ms);
  return { platform, at, laterRuns };
}

/** How many recorded operations each tick ran. */
function perTick(at: number[]): number[] {
  const counts = new Map<number, number>();
  for (const t of at) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.values()];
}

// Connections opened in the same tick share the tick's budget for their handshake steps: with no budget beyond the
// tick's first unit, no tick runs more than one key share, key exchange or signature check; key shares made ahead
// between ticks come one per runLater callback.
describe.each([
  { name: 'node', base: createNodePlatform().crypto! },
  { name: 'pure', base: pureCrypto },
])('handshakes opened together, $name provider', ({ base }) => {
  it('with no budget left after the first unit, each tick runs one handshake step; all requests complete', async () => {
    let world: TestWorld | null = null;
    const { platform, at, laterRuns } = recordingPlatform(base, () => world!.clock.now);
    world = tw = testWorld({ platform, budget: { ms: 0 } });
    const eids = Array.from({ length: CONNECTIONS }, (_, i) => {
      const eid = addEntity(world.world);
      expect(addRequest(world.world, eid, trusted(`/${i}`))).toBe(Err.OK);
      return eid;
    });
    await world.until(() => eids.every((eid) => hasComponent(world!.world, eid, world.http.Done)), 'every request done');
    eids.forEach((eid, i) => {
      const r = getResponse(world.world, eid)!;
      expect(r.result).toBe(Result.SUCCESS);
      expect(Buffer.from(r.body!).toString()).toMatch(new RegExp(`^/${i} on connection`));
    });
    expect(server.tlsConnections).toBeGreaterThanOrEqual(CONNECTIONS);
    // Key share, key exchange, chain signatures, CertificateVerify: several per connection, never two in a tick.
    expect(at.length + laterRuns.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(CONNECTIONS * 3);
    expect(Math.max(...perTick(at))).toBe(1);
    expect(Math.max(0, ...laterRuns)).toBeLessThanOrEqual(1);
  });
});
