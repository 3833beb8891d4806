// Decrypting on arrival in StreamPeerTLS: records are opened from the inner peer's watcher as bytes arrive, with no
// poll or read, a few per callback, within the decrypted-bytes limit and the time share; delivered in order; a
// tampered record fails the connection with bad_record_mac after the data before it; a close_notify or KeyUpdate
// met on the way takes effect in record order. Real Node TLS servers and openssl s_server on loopback.

import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { ArrivalAllowance } from '../../engine-module/tls/arrival-allowance.js';
import { RECORDS_PER_UNIT, type StreamPeerTLS, type TlsClientOptions } from '../../engine-module/tls/stream-peer-tls.js';
import { startTls } from '../../engine-module/http/tls-layer.js';
import type { Platform } from '../../engine-module/platform/platform.js';
import { until } from '../helpers/frame-stepper.js';
import { serverCertArgs } from './helpers/certs.js';
import { connectTls, Driven, nodePlatform, text } from './helpers/drive.js';
import { startOpenssl } from './helpers/openssl-server.js';
import { startProxy } from './helpers/proxy.js';
import { countingOpens, rawServerSuite } from './helpers/raw-server.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const RECORD = 1 << 14;

const suite = rawServerSuite();
const server = suite.server;

/** Let the event loop run (sockets read, watchers called) without polling or reading, until `done()`. */
const idleUntil = (done: () => boolean, what: string) => until(done, what, { ms: 20_000 });

/**
 * A TCP connection whose watcher calls are observed: `opens` per call of the watcher (what the TLS layer decrypted
 * inside it), and the bytes the socket holds that nobody has taken yet.
 */
function observedTcp(port: number, opens: () => number) {
  const tcp = nodePlatform.connectTcp('127.0.0.1', port);
  const perCall: number[] = [];
  const peer: StreamPeer = {
    getStatus: () => tcp.getStatus(),
    poll: () => tcp.poll?.(),
    getAvailableBytes: () => tcp.getAvailableBytes(),
    getPartialData: (max) => tcp.getPartialData(max),
    putPartialData: (d) => tcp.putPartialData(d),
    disconnectFromHost: () => tcp.disconnectFromHost(),
    holdAtMost: (bytes) => tcp.holdAtMost!(bytes),
    watch: (wake) =>
      tcp.watch!(
        wake &&
          (() => {
            const before = opens();
            wake();
            perCall.push(opens() - before);
          }),
      ),
  };
  return { peer, perCall, held: () => tcp.getAvailableBytes() };
}

/**
 * Connect with a counting provider and an observed socket; handshake by polling. The clock stands still unless the
 * test gives one, so arrival work is held back by records and bytes only, not by its time share on a busy machine
 * (the share is tested with a clock of its own).
 */
async function connect(port: number, options: Partial<TlsClientOptions> = {}, crypto = countingOpens()) {
  const tcp = observedTcp(port, crypto.opens);
  const c = connectTls(port, { roots: [suite.pki().rootDer], crypto: crypto.crypto, clock: () => 0, inner: tcp.peer, ...options });
  expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
  return { c, tcp, opens: crypto.opens };
}

type Connected = Awaited<ReturnType<typeof connect>>;

/** Read everything until `bytes` arrived or the connection ended. */
const readAll = (c: Driven, bytes: number) => c.read((parts) => parts.reduce((n, p) => n + p.length, 0) >= bytes);

describe('records are decrypted as they arrive', () => {
  it('with no poll or read, a few records per watcher call, and read back whole and in order', async () => {
    const data = new Uint8Array(randomBytes(4 << 20));
    const srv = await server(data);
    const { c, tcp, opens } = await connect(srv.port, { maxBufferedInput: 2 << 20 });
    const polls = c.stats.polls;
    const atConnect = opens();
    await idleUntil(() => opens() - atConnect >= 64, 'a megabyte decrypted on arrival');
    expect(c.stats.polls).toBe(polls);
    // The server's session tickets may be among the records opened.
    expect(c.tls.getAvailableBytes()).toBeGreaterThanOrEqual(60 * RECORD);
    // Each watcher call opened at most RECORDS_PER_UNIT records, however much one socket read brought.
    expect(Math.max(...tcp.perCall)).toBeLessThanOrEqual(RECORDS_PER_UNIT);
    expect(tcp.perCall.filter((n) => n > 0).length).toBeGreaterThanOrEqual(64 / RECORDS_PER_UNIT);
    const got = await readAll(c, data.length);
    expect(sha(got)).toBe(sha(data));
    c.tls.disconnectFromHost();
  });

  it('lands what is opened after landInto, once the data decrypted before is read, a unit of records at a time', async () => {
    const data = new Uint8Array(randomBytes(3 << 20));
    const srv = await server(data);
    const { c, opens } = await connect(srv.port, { maxBufferedInput: 4 << 20 });
    await idleUntil(() => c.tls.getAvailableBytes() >= 8 * RECORD, 'records decrypted on arrival');
    const held = c.tls.getAvailableBytes();
    const target = new Uint8Array(data.length - held);
    expect(c.tls.landInto!(target)).toBe(true);
    expect(c.tls.getAvailableBytes()).toBe(held);
    const atLanding = opens();
    await idleUntil(() => opens() - atLanding >= 64, 'records opened after the landing began');
    // Nothing moves while the data decrypted before the landing is unread.
    expect(c.tls.takeLanded!()).toBe(0);
    const before: Uint8Array[] = [];
    for (let n = 0; n < held; ) {
      const piece = c.tls.getPartialData(held - n).slice();
      before.push(piece);
      n += piece.length;
    }
    expect(sha(Buffer.concat(before))).toBe(sha(data.subarray(0, held)));
    // The backlog opened meanwhile moves a unit at a time.
    const first = c.tls.takeLanded!();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(RECORDS_PER_UNIT * RECORD);
    let landed = first;
    await until(() => {
      expect(c.tls.getPartialData(65536)).toHaveLength(0);
      return (landed += c.tls.takeLanded!()) === target.length;
    }, 'the rest landed', { ms: 20_000 });
    expect(sha(target)).toBe(sha(data.subarray(held)));
    c.tls.disconnectFromHost();
  });

  it('stops at maxBufferedInput decrypted bytes; the rest waits in the socket, then arrives whole once read', async () => {
    const data = new Uint8Array(randomBytes(2 << 20));
    const srv = await server(data);
    const limit = 64 * 1024;
    const { c, tcp } = await connect(srv.port, { maxBufferedInput: limit });
    // Everything else the server sent stays where the socket put it.
    await idleUntil(() => srv.sent() !== null && tcp.held() > 1 << 20, 'a megabyte waiting in the socket');
    expect(c.tls.getAvailableBytes()).toBeGreaterThanOrEqual(limit);
    expect(c.tls.getBufferedBytes()).toBeLessThan(limit + 2 * RECORD);
    const got = await readAll(c, data.length);
    expect(sha(got)).toBe(sha(data));
    c.tls.disconnectFromHost();
  });

  it('asks the socket to hold 2 MiB at most: the rest of what the server sent waits in the kernel', async () => {
    // Node's socket holds 8 MiB by default; with nothing read or decrypted, it stops at the TLS layer's ask.
    const data = new Uint8Array(randomBytes(8 << 20));
    const srv = await server(data);
    const { c, tcp } = await connect(srv.port, { arrivalShare: 0 });
    await idleUntil(() => tcp.held() >= 2 << 20, '2 MiB waiting in the socket');
    await new Promise((r) => setTimeout(r, 300));
    // The mark, and the one read of at most 64 KiB that passes it.
    expect(tcp.held()).toBeLessThanOrEqual((2 << 20) + 64 * 1024);
    expect(sha(await readAll(c, data.length))).toBe(sha(data));
    c.tls.disconnectFromHost();
  });

  it('does nothing with arrivalShare 0 or without a clock: records wait for a read', async () => {
    for (const options of [{ arrivalShare: 0 }, { clock: undefined }]) {
      const data = new Uint8Array(randomBytes(1 << 20));
      const srv = await server(data);
      const { c, tcp, opens } = await connect(srv.port, options);
      const atConnect = opens();
      await idleUntil(() => tcp.held() >= 512 * 1024, 'half a megabyte waiting in the socket');
      expect(opens()).toBe(atConnect);
      expect(tcp.perCall.every((n) => n === 0)).toBe(true);
      const got = await readAll(c, data.length);
      expect(sha(got)).toBe(sha(data));
      c.tls.disconnectFromHost();
    }
  });

  it('stays within its share of the clock: with the clock standing still, one burst and no more', async () => {
    // The clock moves only when a record is opened, by 1 ms: arrival work is then exactly 1 ms per record, and no
    // time passes between arrivals to earn more.
    let now = 0;
    const counting = countingOpens(() => (now += 1));
    const data = new Uint8Array(randomBytes(1 << 20));
    const srv = await server(data);
    const { c, tcp, opens } = await connect(srv.port, { arrivalShare: 0.25, clock: () => now }, counting);
    const atConnect = opens();
    await idleUntil(() => tcp.held() >= 512 * 1024, 'half a megabyte waiting in the socket');
    // A 1 ms burst, then a quarter of the 1 ms that burst took: two records, however many arrivals came.
    const onArrival = opens() - atConnect;
    expect(onArrival).toBe(2);
    // Forty milliseconds later a burst is allowed again (the share would give 10 ms; a burst stays 1 ms).
    now += 40;
    srv.write(new Uint8Array(RECORD));
    await idleUntil(() => opens() - atConnect > onArrival, 'one more record opened on arrival');
    await new Promise((r) => setTimeout(r, 50));
    expect(opens() - atConnect - onArrival).toBeLessThanOrEqual(2);
    const got = await readAll(c, data.length + RECORD);
    expect(sha(got.subarray(0, data.length))).toBe(sha(data));
    c.tls.disconnectFromHost();
  });
  /**
   * Two connections opened by `open` (each given the servers' port and a clock of 1 ms per record opened and none
   * otherwise), after their handshakes and a burst earned again, with 1 MiB sent on each: the records opened on
   * arrival in all. One connection alone would open two.
   */
  type Open = (port: number, counting: ReturnType<typeof countingOpens>, now: () => number) => Promise<Connected>;
  async function opensOnArrivalOfTwo(open: Open): Promise<number> {
    let now = 0;
    const counting = countingOpens(() => (now += 1));
    const servers = [await server(new Uint8Array(0)), await server(new Uint8Array(0))];
    const both: Connected[] = [];
    for (const srv of servers) both.push(await open(srv.port, counting, () => now));
    // Whatever follows the handshakes (session tickets) comes in and takes from the allowance; then a burst is
    // earned again, and the data sent.
    await new Promise((r) => setTimeout(r, 100));
    now += 40;
    const before = counting.opens();
    const data = new Uint8Array(randomBytes(1 << 20));
    for (const srv of servers) srv.write(data);
    await idleUntil(() => both.every(({ tcp }) => tcp.held() >= 512 * 1024), 'half a megabyte waiting in each socket');
    const opened = counting.opens() - before;
    for (const { c } of both) {
      expect(sha(await readAll(c, data.length))).toBe(sha(data));
      c.tls.disconnectFromHost();
    }
    return opened;
  }

  it('connections given one allowance stay within its share together: two open what one alone would', async () => {
    let allowance: ArrivalAllowance | null = null;
    const opened = await opensOnArrivalOfTwo((port, counting, now) => {
      allowance ??= new ArrivalAllowance(0.25, now);
      return connect(port, { arrivalAllowance: allowance, clock: now }, counting);
    });
    expect(opened).toBe(2);
  });

  it("HTTPClient's TLS layer gives the connections on one platform one allowance", async () => {
    // One platform for both (its clock the test's, no later runs), as the requests of a world have.
    let platform: Platform | null = null;
    const opened = await opensOnArrivalOfTwo(async (port, counting, now) => {
      platform ??= { ...createNodePlatform({ crypto: counting.crypto }), now, runLater: undefined,
        trustedRoots: () => [suite.pki().rootDer] };
      const tcp = observedTcp(port, counting.opens);
      const c = new Driven(startTls(tcp.peer, { host: 'localhost', verifyHost: true, platform }) as StreamPeerTLS, tcp.peer);
      expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
      return { c, tcp, opens: counting.opens };
    });
    expect(opened).toBe(2);
  });

  it('a record whose time includes a long pause (a garbage collection) leaves a debt of one burst at most', async () => {
    // The first record opened on arrival takes 100 ms of the clock, the rest none.
    let now = 0;
    let pause = 0;
    const counting = countingOpens(() => {
      now += pause;
      pause = 0;
    });
    const data = new Uint8Array(randomBytes(1 << 20));
    const srv = await server(data);
    const { c, opens } = await connect(srv.port, { arrivalShare: 0.25, clock: () => now }, counting);
    pause = 100;
    const atConnect = opens();
    // The 100 ms earn a quarter of themselves (25 ms) by the next arrival; a debt of 99 ms would still stop arrivals
    // for 300 ms of the clock, a debt of one burst does not.
    await idleUntil(() => opens() - atConnect > RECORDS_PER_UNIT, 'arrivals going on after the pause');
    const got = await readAll(c, data.length);
    expect(sha(got)).toBe(sha(data));
    c.tls.disconnectFromHost();
  });
});

describe('arrival work goes on later when arrivals stop (runLater)', () => {
  /**
   * A socket that pauses past 128 KiB, and a clock that runs with real time plus 1 ms for every record opened: each
   * record then takes up a whole burst, so arrivals stop for time after a record or two while the socket holds more.
   */
  const paused = createNodePlatform({ highWaterMark: 128 * 1024 });

  async function pausedAndSlow(runLater: TlsClientOptions['runLater']) {
    let extra = 0;
    const counting = countingOpens(() => (extra += 1));
    const data = new Uint8Array(randomBytes(1 << 20));
    const srv = await server(data);
    const inner = paused.connectTcp('127.0.0.1', srv.port);
    const clock = () => performance.now() + extra;
    const c = connectTls(srv.port, { roots: [suite.pki().rootDer], crypto: counting.crypto, clock, inner, runLater });
    expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
    return { c, data, inner, opens: counting.opens };
  }

  it('with runLater, every record is opened with no poll or read, within the share, though the socket paused', async () => {
    const later: number[] = [];
    const { c, data, opens } = await pausedAndSlow((callback, ms) => {
      later.push(ms);
      paused.runLater!(callback, ms);
    });
    const polls = c.stats.polls;
    await idleUntil(() => c.tls.getAvailableBytes() >= data.length, 'the whole body decrypted on arrival');
    expect(c.stats.polls).toBe(polls);
    // Records went on being opened after the socket paused: far more later runs than reads could explain, each asked
    // for when the allowance would hold a burst again (1 ms at a quarter of real time: up to 8 ms with a debt).
    expect(later.length).toBeGreaterThanOrEqual(16);
    expect(Math.max(...later)).toBeLessThanOrEqual(8);
    expect(opens()).toBeGreaterThanOrEqual(data.length / RECORD);
    const got = await readAll(c, data.length);
    expect(sha(got)).toBe(sha(data));
    c.tls.disconnectFromHost();
  });

  it('without it, records stay in the paused socket until read', async () => {
    const { c, data, inner, opens } = await pausedAndSlow(undefined);
    await idleUntil(() => inner.getAvailableBytes() >= 128 * 1024, 'the socket holding its high-water mark');
    const held = opens();
    await new Promise((r) => setTimeout(r, 200));
    expect(opens()).toBe(held);
    expect(held).toBeLessThan(data.length / RECORD / 2);
    const got = await readAll(c, data.length);
    expect(sha(got)).toBe(sha(data));
    c.tls.disconnectFromHost();
  });
});

describe('what follows data decrypted on arrival keeps its order', () => {
  it('a close_notify after the data: all data read, then NONE with no error', async () => {
    const data = new Uint8Array(randomBytes(300_000));
    const srv = await server(data);
    const { c, tcp, opens } = await connect(srv.port);
    const atConnect = opens();
    await idleUntil(() => srv.sent() !== null, 'the data written');
    srv.end('close_notify');
    await idleUntil(() => c.tls.getBufferedBytes() + tcp.held() >= data.length, 'the data in');
    expect(opens()).toBeGreaterThan(atConnect);
    // Reads take what was decrypted on arrival, then decrypt the rest and meet the close_notify: no poll needed.
    const got = Buffer.concat(c.drain());
    expect(sha(got)).toBe(sha(data));
    await c.until(() => c.tls.getStatus() !== PeerStatus.CONNECTED);
    expect([c.tls.getStatus(), c.tls.getTlsError()]).toEqual([PeerStatus.NONE, null]);
  });

  it('a tampered record: the data before it is delivered intact, then ERROR with bad-record-mac', async () => {
    const data = new Uint8Array(randomBytes(40 * RECORD));
    const srv = await server(data);
    let dataRecords = 0;
    const proxy = await startProxy(srv.port, (rec) => {
      if (rec[0] !== 23 || ++dataRecords !== 20) return rec;
      const bad = Buffer.from(rec);
      bad[bad.length - 1] ^= 1;
      return bad;
    });
    try {
      const { c } = await connect(proxy.port);
      await idleUntil(() => c.tls.getTlsFailure() !== null, 'the tampered record to be opened on arrival');
      expect(c.tls.getTlsFailure()?.code).toBe('bad-record-mac');
      // Data decrypted before the bad record stays readable: the server's Finished..ticket records came first, so
      // a prefix of the data, whole records, byte for byte.
      const got = Buffer.concat(c.drain());
      expect(got.length % RECORD).toBe(0);
      expect(got.length).toBeGreaterThan(0);
      expect(sha(got)).toBe(sha(data.subarray(0, got.length)));
      expect(c.tls.getStatus()).toBe(PeerStatus.ERROR);
      c.tls.disconnectFromHost();
    } finally {
      await proxy.close();
    }
  });

  it('a KeyUpdate between data records (openssl s_server): followed on arrival, data after it readable', async () => {
    const srv = await startOpenssl([...serverCertArgs(suite.pki().leaf.p256), '-tls1_3']);
    let keys = 0;
    const crypto: CryptoProvider = { ...nodeCrypto, aead: (alg, key) => (keys++, nodeCrypto.aead(alg, key)) };
    const tcp = observedTcp(srv.port, () => keys);
    const c = connectTls(srv.port, { roots: [suite.pki().rootDer], crypto, clock: () => 0, inner: tcp.peer });
    try {
      expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
      // A first exchange, so s_server has its client and the session tickets have been processed.
      srv.send('before');
      expect((await c.read((p) => Buffer.concat(p).includes('before\n'))).toString()).toContain('before');
      const before = keys;
      // No poll and no read while the KeyUpdate and the data after it arrive: the arrival follows it (a new read
      // key) before it opens the record after it.
      srv.send('k');
      await idleUntil(() => keys === before + 1, 'the KeyUpdate followed on arrival');
      srv.send('after');
      await idleUntil(() => c.tls.getBufferedBytes() >= 6, 'the line under the new key decrypted on arrival');
      expect(Buffer.concat(c.drain()).toString()).toBe('after\n');
      await c.write(text('from client\n'));
      await c.until(() => srv.output().includes('from client'));
      expect(c.tls.getTlsError()).toBeNull();
      expect(srv.output()).not.toMatch(/error|alert/i);
    } finally {
      c.tls.disconnectFromHost();
      await srv.stop();
    }
  });
});
