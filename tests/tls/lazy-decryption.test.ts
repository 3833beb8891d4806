// Lazy decryption in StreamPeerTLS: poll() takes a record at a time from the transport and decrypts at most one
// record ahead of the reader, reads decrypt what they return, and what came before the transport ended (data, a
// close_notify, or nothing) is still seen once the reader gets to it. Real Node TLS servers on loopback; the
// server's TCP socket is held raw so a test can end it with a FIN or a reset. These connections get no clock, so
// nothing is decrypted as it arrives (arrival-decryption.test.ts covers that).

import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import { StreamPeerTLS, type TlsClientOptions } from '../../engine-module/tls/stream-peer-tls.js';
import { connectTls, nodePlatform, type Driven } from './helpers/drive.js';
import { countingOpens, rawServerSuite, type Ending } from './helpers/raw-server.js';

/** Largest TLS 1.3 record on the wire plus the next header: what one read from the transport may add. */
const RECORD_READ = 5 + (1 << 14) + 256 + 5;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const suite = rawServerSuite();
const rawServer = suite.server;

/** Poll without reading until `bytes` received bytes wait, in the TLS layer or its transport. */
async function pollUntilHeld(c: Driven, bytes: number): Promise<void> {
  await c.until(() => c.received() >= bytes);
}

/**
 * A TCP connection to 127.0.0.1:`port` that takes in everything its socket received at each poll, copied, and
 * hands it out as it is read: a transport already holding all the bytes when it learns of the end, so a test sees
 * what the TLS layer does with data that came before an end (the Node peer reports its end only once drained).
 */
function bufferingTcp(port: number): { peer: StreamPeer; received: () => number; ended: () => boolean } {
  const tcp = nodePlatform.connectTcp('127.0.0.1', port);
  const held: Uint8Array[] = [];
  let length = 0;
  let received = 0;
  const peer: StreamPeer = {
    getStatus: () => (length > 0 ? PeerStatus.CONNECTED : tcp.getStatus()),
    poll() {
      tcp.poll?.();
      for (let got = tcp.getPartialData(1 << 20); got.length > 0; got = tcp.getPartialData(1 << 20)) {
        held.push(got.slice());
        length += got.length;
        received += got.length;
      }
    },
    getAvailableBytes: () => length,
    getPartialData(max) {
      if (held.length === 0) return new Uint8Array(0);
      const first = held[0];
      const n = Math.min(max, first.length);
      if (n === first.length) held.shift();
      else held[0] = first.subarray(n);
      length -= n;
      return first.subarray(0, n);
    },
    putPartialData: (d) => tcp.putPartialData(d),
    disconnectFromHost: () => tcp.disconnectFromHost(),
  };
  const gone = [PeerStatus.NONE, PeerStatus.ERROR] as number[];
  return { peer, received: () => received, ended: () => gone.includes(tcp.getStatus()) };
}

describe('StreamPeerTLS decrypts lazily', () => {
  it('poll() decrypts at most one record ahead; each read at most one more', async () => {
    const data = new Uint8Array(randomBytes(2 << 20));
    const srv = await rawServer(data, { maxVersion: 'TLSv1.2' });
    const { crypto, opens } = countingOpens();
    const c = connectTls(srv.port, { roots: [suite.pki().rootDer], crypto });
    expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
    await pollUntilHeld(c, 1 << 20);
    // Many polls with a megabyte of records waiting, and two records opened: the server's Finished and one data
    // record, decrypted ahead of the reader.
    expect(c.stats.polls).toBeGreaterThan(10);
    expect(opens()).toBe(2);
    expect(c.tls.getAvailableBytes()).toBe(16384);
    // Each read returns one record's data (a view) and opens at most one record: the first takes the record
    // decrypted ahead, each later one decrypts the next.
    const parts: Uint8Array[] = [];
    for (let i = 0; i < 4; i++) {
      const before = opens();
      parts.push(c.tls.getPartialData(65536));
      expect([parts[i].length, opens() - before]).toEqual([16384, i === 0 ? 0 : 1]);
    }
    parts.push(...c.drain());
    const got = Buffer.concat(parts);
    expect(got.length).toBeGreaterThanOrEqual((1 << 20) - 64 * 1024);
    expect(sha(got)).toBe(sha(data.subarray(0, got.length)));
    c.tls.disconnectFromHost();
  });

  it('getAvailableBytes() decrypts the next record when nothing is decrypted but a whole record waits', async () => {
    const srv = await rawServer(new Uint8Array(200_000).fill(7));
    const { crypto, opens } = countingOpens();
    const c = connectTls(srv.port, { roots: [suite.pki().rootDer], crypto });
    expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
    await pollUntilHeld(c, 200_000);
    const first = c.tls.getAvailableBytes();
    expect(first).toBeGreaterThan(0);
    expect(c.tls.getPartialData(first).length).toBe(first);
    const before = opens();
    // No poll in between: the answer comes from decrypting one more record.
    expect(c.tls.getAvailableBytes()).toBeGreaterThan(0);
    expect(opens() - before).toBe(1);
    c.tls.disconnectFromHost();
  });

  it('polls take a record at a time from the transport: the rest waits there; the data arrives whole once read', async () => {
    const data = new Uint8Array(randomBytes(1 << 20));
    const srv = await rawServer(data);
    const c = connectTls(srv.port, { roots: [suite.pki().rootDer] });
    expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
    await pollUntilHeld(c, 512 * 1024);
    let most = 0;
    for (let i = 0; i < 200; i++) {
      c.poll();
      most = Math.max(most, c.tls.getBufferedBytes());
      await new Promise((r) => setImmediate(r));
    }
    // One record decrypted ahead and the next one received, each with its header.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2 * RECORD_READ);
    const got = await c.read((parts) => parts.reduce((n, p) => n + p.length, 0) >= data.length);
    expect(sha(got)).toBe(sha(data));
    c.tls.disconnectFromHost();
  });

  it('refuses limits that are not positive integers before anything is sent', () => {
    const idle: StreamPeer = {
      getStatus: () => PeerStatus.CONNECTING,
      getAvailableBytes: () => 0,
      getPartialData: () => new Uint8Array(0),
      putPartialData: () => 0,
      disconnectFromHost() {},
    };
    const base = { hostname: 'x', roots: [], randomBytes: nodePlatform.randomBytes, now: nodePlatform.wallClock };
    const make = (o: Partial<TlsClientOptions>) => () => new StreamPeerTLS(idle, { ...base, ...o });
    expect(make({ maxBufferedInput: 1, maxChainLength: 1, maxHandshakeMessageSize: 1 })).not.toThrow();
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(make({ maxBufferedInput: bad })).toThrow('StreamPeerTLS: maxBufferedInput must be a positive integer');
      expect(make({ maxChainLength: bad })).toThrow('StreamPeerTLS: maxChainLength must be a positive integer');
      expect(make({ maxHandshakeMessageSize: bad })).toThrow('TLS: maxHandshakeMessageSize must be a positive integer');
    }
  });
});

describe('what came before the transport ended is seen once the reader gets to it', () => {
  const SIZE = 300_000;

  /** Connect, let the server write SIZE bytes and end as `ending` says; poll (never reading) until all is in. */
  async function endedUnread(ending: Ending) {
    const data = new Uint8Array(randomBytes(SIZE));
    const srv = await rawServer(data);
    const tcp = bufferingTcp(srv.port);
    const c = connectTls(srv.port, { roots: [suite.pki().rootDer], inner: tcp.peer });
    expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
    // Every byte the server sent has been received before the server ends the connection.
    await c.until(() => srv.sent() !== null && tcp.received() === srv.sent());
    srv.end(ending);
    await c.until(() => tcp.ended());
    c.poll();
    // Everything came and the transport is gone, but the data is unread: still CONNECTED, nothing failed yet.
    expect([c.tls.getStatus(), c.tls.getTlsError()]).toEqual([PeerStatus.CONNECTED, null]);
    // One pass of reads takes everything: no poll runs after the read that reaches the end.
    const got = Buffer.concat(c.drain());
    expect(sha(got)).toBe(sha(data));
    return c;
  }

  it('a close_notify behind unread data: NONE once the data is read, no error', async () => {
    const c = await endedUnread('close_notify');
    expect([c.tls.getStatus(), c.tls.getTlsError(), c.tls.closedWithoutCloseNotify()]).toEqual([PeerStatus.NONE, null, false]);
  });

  it('a TCP FIN without close_notify behind unread data: ERROR once read, closedWithoutCloseNotify() true', async () => {
    const c = await endedUnread('fin');
    expect(c.tls.getStatus()).toBe(PeerStatus.ERROR);
    expect(c.tls.getTlsError()).toBe('connection closed without close_notify: the data may be truncated');
    expect(c.tls.closedWithoutCloseNotify()).toBe(true);
  });

  it('a TCP reset behind unread data: ERROR once read, closedWithoutCloseNotify() false', async () => {
    const c = await endedUnread('reset');
    expect(c.tls.getStatus()).toBe(PeerStatus.ERROR);
    expect(c.tls.getTlsError()).toBe('connection failed without close_notify: the data may be truncated');
    expect(c.tls.closedWithoutCloseNotify()).toBe(false);
  });
});
