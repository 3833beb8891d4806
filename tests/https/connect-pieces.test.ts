// How a connection's first steps are cut into pieces, against real loopback servers: connectToHost leaves the TCP
// socket to the first poll, so the two never share a call; with the platform's runLater, the TLS key share and the
// provider's warm-up are made between frames, one piece per later run, and without it the handshake makes its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import type { Platform } from '../../engine-module/platform/platform.js';
import type { CryptoProvider, KeyShare } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { LATER_RUN_MS, MAX_WAITING } from '../../engine-module/http/work-ahead.js';
import { timeWorkBetweenFrames } from '../../engine-module/testing.js';
import { certificateWarmUp, WARM_UP_STEPS, warmUpOf } from '../../engine-module/tls/warm-up.js';
import { Driver } from '../http/loopback-server.js';
import { makeHttpsPki, startHttpsServer, type HttpsPki, type HttpsTestServer } from './fixtures.js';

let pki: HttpsPki;
let server: HttpsTestServer;

beforeAll(async () => {
  pki = makeHttpsPki();
  server = await startHttpsServer(pki.server, (_req, res) => res.end('ok'));
});

afterAll(async () => {
  await server?.close();
  pki?.pki.cleanup();
});

/** `base` with its TCP connections counted. */
function countingSockets(base: Platform): Platform & { sockets: number } {
  const counted = { ...base, sockets: 0 };
  counted.connectTcp = (address, port) => {
    counted.sockets++;
    return base.connectTcp(address, port);
  };
  return counted;
}

describe.each([
  { name: 'node', crypto: undefined },
  { name: 'pure', crypto: pureCrypto },
])('a connection\'s first pieces, $name provider', ({ crypto }) => {
  it('connectToHost is CONNECTING without a socket; the first poll opens it, and the handshake completes', async () => {
    const platform = countingSockets(createNodePlatform({ crypto }));
    const d = new Driver(new HTTPClient({ platform }));
    expect(d.client.connectToHost('127.0.0.1', server.port, true, true, { trustedChain: pki.rootPem })).toBe(Err.OK);
    expect([d.client.getStatus(), platform.sockets]).toEqual([Status.CONNECTING, 0]);
    d.client.poll();
    expect([d.client.getStatus(), platform.sockets]).toEqual([Status.CONNECTING, 1]);
    await d.stepper.until(() => d.client.getStatus() !== Status.CONNECTING);
    expect([d.client.getStatus(), platform.sockets]).toEqual([Status.CONNECTED, 1]);
    const x = await d.exchange(Method.GET, '/');
    expect([x.code, x.body.toString()]).toEqual([200, 'ok']);
    d.client.close();
  });
});

/**
 * `base` with `crypto` counted (key shares made, and whether inside a later run; AEAD and HMAC calls made inside later
 * runs), a runLater whose callbacks wait until the test runs them, one at a time, and a clock on which each counted
 * call inside a later run takes LATER_RUN_MS (so a run stops taking pieces after one).
 */
function laterByHand(base: Platform, baseCrypto: CryptoProvider) {
  const waiting: Array<() => void> = [];
  const counts = { laterRuns: 0, sharesInPolls: 0, sharesLater: 0, primitivesLater: 0, mostPerRun: 0 };
  const shares: KeyShare[] = [];
  let inLater = false;
  let thisRun = 0;
  let spent = 0;
  const countLater = () => {
    counts.primitivesLater++;
    thisRun++;
    spent += LATER_RUN_MS;
  };
  const later = <A extends unknown[], R>(f: (...a: A) => R) => (...a: A): R => {
    if (inLater) countLater();
    return f(...a);
  };
  const crypto: CryptoProvider = {
    ...baseCrypto,
    generateKeyShare(group, random) {
      const share = baseCrypto.generateKeyShare(group, random);
      shares.push(share);
      if (inLater) {
        counts.sharesLater++;
        countLater();
      } else counts.sharesInPolls++;
      return share;
    },
    aead(alg, key) {
      const aead = baseCrypto.aead(alg, key);
      return { seal: later(aead.seal.bind(aead)), open: later(aead.open.bind(aead)) };
    },
    hmac: later(baseCrypto.hmac),
  };
  const platform: Platform = {
    ...base,
    crypto,
    now: () => base.now() + spent,
    runLater: (callback) => void waiting.push(callback),
  };
  /** Run the callbacks waiting now (not those they ask for); how many ran. */
  const runLater = (most = Infinity): number => {
    const now = waiting.splice(0, Math.min(most, waiting.length));
    for (const callback of now) {
      inLater = true;
      thisRun = 0;
      try {
        callback();
      } finally {
        inLater = false;
        counts.laterRuns++;
        counts.mostPerRun = Math.max(counts.mostPerRun, thisRun);
      }
    }
    return now.length;
  };
  return { platform, counts, shares, runLater, waiting };
}

async function handshakeAndGet(d: Driver): Promise<void> {
  await d.stepper.until(() => d.client.getStatus() !== Status.CONNECTING);
  expect(d.client.getStatus()).toBe(Status.CONNECTED);
  const x = await d.exchange(Method.GET, '/');
  expect([x.code, x.body.toString()]).toEqual([200, 'ok']);
  d.client.close();
}

describe.each([
  { name: 'node', crypto: createNodePlatform().crypto! },
  { name: 'pure', crypto: pureCrypto },
])('work done ahead between frames, $name provider', ({ crypto }) => {
  const connect = (d: Driver) =>
    expect(d.client.connectToHost('127.0.0.1', server.port, true, true, { trustedChain: pki.rootPem })).toBe(Err.OK);

  it('the key share is made in a later run before TCP opens, and the handshake uses it instead of making one', async () => {
    const later = laterByHand(createNodePlatform(), crypto);
    const d = new Driver(new HTTPClient({ platform: later.platform }));
    connect(d);
    expect(later.runLater(1)).toBe(1);
    expect(later.counts).toMatchObject({ sharesLater: 1, sharesInPolls: 0 });
    await handshakeAndGet(d);
    expect(later.counts).toMatchObject({ sharesLater: 1, sharesInPolls: 0 });
  });

  it('each connection gets a share of its own, made once; a later run does one piece of work', async () => {
    const later = laterByHand(createNodePlatform(), crypto);
    const a = new Driver(new HTTPClient({ platform: later.platform }));
    const b = new Driver(new HTTPClient({ platform: later.platform }));
    connect(a);
    connect(b);
    expect(later.runLater()).toBe(1);
    expect(later.counts.sharesLater).toBe(1);
    expect(later.runLater()).toBe(1);
    expect(later.counts.sharesLater).toBe(2);
    await Promise.all([handshakeAndGet(a), handshakeAndGet(b)]);
    expect(later.counts).toMatchObject({ sharesLater: 2, sharesInPolls: 0, mostPerRun: 1 });
    expect(later.shares[0].publicKey).not.toEqual(later.shares[1].publicKey);
  });

  it('a share not made before the handshake needs it is made by the handshake, and never later', async () => {
    const later = laterByHand(createNodePlatform(), crypto);
    const d = new Driver(new HTTPClient({ platform: later.platform }));
    connect(d);
    await handshakeAndGet(d);
    expect(later.counts).toMatchObject({ sharesLater: 0, sharesInPolls: 1 });
    while (later.runLater() > 0);
    expect(later.counts).toMatchObject({ sharesLater: 0, sharesInPolls: 1 });
  });

  it('later runs then step the provider\'s warm-up and the certificate path\'s, a run stopping once LATER_RUN_MS passed', async () => {
    const later = laterByHand(createNodePlatform(), crypto);
    const d = new Driver(new HTTPClient({ platform: later.platform }));
    connect(d);
    let runs = 0;
    while (later.runLater() > 0) runs++;
    // The key share, the warm-up's primitive calls (and an RSA root's self-signature check, when there is one).
    expect(later.counts.primitivesLater).toBeGreaterThanOrEqual(1 + WARM_UP_STEPS);
    expect(later.counts.mostPerRun).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(later.counts.primitivesLater);
    expect(warmUpOf(later.platform.crypto!).step()).toBe(false);
    expect(certificateWarmUp(later.platform.crypto!, () => []).step()).toBe(false);
    await handshakeAndGet(d);
  });

  it('a runtime that does not call back holds one callback and at most MAX_WAITING pieces; the rest make their own', async () => {
    const later = laterByHand(createNodePlatform(), crypto);
    const clients = Array.from({ length: MAX_WAITING + 6 }, () => new Driver(new HTTPClient({ platform: later.platform })));
    clients.forEach(connect);
    expect(later.waiting).toHaveLength(1);
    while (later.runLater() > 0);
    // A piece of each warm-up waited beside the key shares.
    expect(later.counts.sharesLater).toBe(MAX_WAITING - 2);
    for (const d of clients) d.client.close();
  });

  it('without runLater nothing is done ahead: the handshake makes its share', async () => {
    const later = laterByHand(createNodePlatform(), crypto);
    const d = new Driver(new HTTPClient({ platform: { ...later.platform, runLater: undefined } }));
    connect(d);
    expect(later.waiting).toHaveLength(0);
    await handshakeAndGet(d);
    expect(later.counts).toMatchObject({ sharesLater: 0, sharesInPolls: 1, laterRuns: 0 });
  });
});

describe('timeWorkBetweenFrames', () => {
  it('times each runLater callback and socket event of a real handshake, and changes nothing else', async () => {
    const pieces: number[] = [];
    const base = createNodePlatform({ crypto: pureCrypto });
    let laterRuns = 0;
    const counted: Platform = { ...base, runLater: (callback, ms) => base.runLater!(() => (laterRuns++, callback()), ms) };
    const platform = timeWorkBetweenFrames(counted, (ms) => pieces.push(ms));
    expect(platform.crypto).toBe(pureCrypto);
    const d = new Driver(new HTTPClient({ platform }));
    expect(d.client.connectToHost('127.0.0.1', server.port, true, true, { trustedChain: pki.rootPem })).toBe(Err.OK);
    await handshakeAndGet(d);
    // Every later run was timed, and the socket's events besides.
    expect(laterRuns).toBeGreaterThan(0);
    expect(pieces.length).toBeGreaterThan(laterRuns);
    expect(pieces.every((ms) => ms >= 0 && Number.isFinite(ms))).toBe(true);
  });
});
