// Lazy decryption in StreamPeerTLS: poll() moves bytes and decrypts at most one record ahead of the reader, reads
// decrypt what they return, received bytes stop being pulled past maxBufferedInput, and what came before the
// transport ended (data, a close_notify, or nothing) is still seen once the reader gets to it. Real Node TLS servers
// on loopback; the server's TCP socket is held raw so a test can end it with a FIN or a reset.

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { DEFAULT_MAX_BUFFERED_INPUT, StreamPeerTLS, type TlsClientOptions } from '../../engine-module/tls/stream-peer-tls.js';
import { makeTestPki, type TestPki } from './helpers/certs.js';
import { connectTls, nodePlatform, type Driven } from './helpers/drive.js';

/** Largest TLS 1.3 record on the wire plus the next header: what one read from the transport may add. */
const RECORD_READ = 5 + (1 << 14) + 256 + 5;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki(['p256']);
});
afterAll(() => pki?.cleanup());

/** The node provider, counting the records its AEADs opened. */
function countingOpens(): { crypto: CryptoProvider; opens: () => number } {
  let opens = 0;
  const crypto: CryptoProvider = {
    ...nodeCrypto,
    aead(alg, key) {
      const aead = nodeCrypto.aead(alg, key);
      return {
        seal: (n, a, p) => aead.seal(n, a, p),
        open(n, a, c) {
          opens++;
          return aead.open(n, a, c);
        },
      };
    },
  };
  return { crypto, opens: () => opens };
}

/** How the server's side of the TCP connection ends after it wrote its data. */
type Ending = 'close_notify' | 'fin' | 'reset' | 'open';

interface RawServer {
  port: number;
  /** Bytes the current connection's TCP socket has been given to send, once `data` is written; null before. */
  sent(): number | null;
  /** End the current connection as `ending` says. */
  end(ending: Ending): void;
  close(): Promise<void>;
}

let servers: RawServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});

/**
 * A TLS server over a raw TCP socket it keeps: once the handshake is done it writes `data` (it never reads
 * application data), then waits for the test to end the connection.
 */
async function rawServer(data: Uint8Array, options: tls.TlsOptions = {}): Promise<RawServer> {
  const context = tls.createSecureContext({ key: pki.leaf.p256.key, cert: pki.leaf.p256.chain, ...options });
  const raws = new Set<Socket>();
  let current: { raw: Socket; secure: tls.TLSSocket; sent: number | null } | null = null;
  const server: Server = createServer((raw) => {
    raws.add(raw);
    raw.on('close', () => raws.delete(raw));
    raw.on('error', () => {});
    const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: context });
    secure.on('error', () => {});
    const connection = { raw, secure, sent: null as number | null };
    secure.on('secure', () => secure.write(data, () => (connection.sent = raw.bytesWritten)));
    current = connection;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const s: RawServer = {
    port: (server.address() as { port: number }).port,
    sent: () => current?.sent ?? null,
    end(ending) {
      const c = current!;
      if (ending === 'close_notify') c.secure.end();
      else if (ending === 'fin') c.raw.end();
      else if (ending === 'reset') c.raw.resetAndDestroy();
    },
    close: () =>
      new Promise<void>((r) => {
        raws.forEach((raw) => raw.destroy());
        server.close(() => r());
      }),
  };
  servers.push(s);
  return s;
}

/** Poll without reading until the connection holds `bytes` received bytes. */
async function pollUntilHeld(c: Driven, bytes: number): Promise<void> {
  await c.until(() => c.tls.getBufferedBytes() >= bytes);
}

/** A TCP connection to 127.0.0.1:`port` that counts the bytes read from it. */
function countedTcp(port: number): { peer: StreamPeer; received: () => number } {
  const tcp = nodePlatform.connectTcp('127.0.0.1', port);
  let received = 0;
  const peer: StreamPeer = {
    getStatus: () => tcp.getStatus(),
    poll: () => tcp.poll?.(),
    getAvailableBytes: () => tcp.getAvailableBytes(),
    getPartialData(max) {
      const got = tcp.getPartialData(max);
      received += got.length;
      return got;
    },
    putPartialData: (d) => tcp.putPartialData(d),
    disconnectFromHost: () => tcp.disconnectFromHost(),
  };
  return { peer, received: () => received };
}

describe('StreamPeerTLS decrypts lazily', () => {
  it('poll() decrypts at most one record ahead; each read at most one more', async () => {
    const data = new Uint8Array(randomBytes(2 << 20));
    const srv = await rawServer(data, { maxVersion: 'TLSv1.2' });
    const { crypto, opens } = countingOpens();
    const c = connectTls(srv.port, { roots: [pki.rootDer], crypto });
    expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
    await pollUntilHeld(c, DEFAULT_MAX_BUFFERED_INPUT);
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
    expect(got.length).toBeGreaterThanOrEqual(DEFAULT_MAX_BUFFERED_INPUT - 64 * 1024);
    expect(sha(got)).toBe(sha(data.subarray(0, got.length)));
    c.tls.disconnectFromHost();
  });

  it('getAvailableBytes() decrypts the next record when nothing is decrypted but a whole record waits', async () => {
    const srv = await rawServer(new Uint8Array(200_000).fill(7));
    const { crypto, opens } = countingOpens();
    const c = connectTls(srv.port, { roots: [pki.rootDer], crypto });
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

  it.each([64 * 1024, 1])('stops reading the transport past maxBufferedInput %i; the data arrives whole once read', async (limit) => {
    const data = new Uint8Array(randomBytes(1 << 20));
    const srv = await rawServer(data);
    const c = connectTls(srv.port, { roots: [pki.rootDer], maxBufferedInput: limit });
    expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
    await pollUntilHeld(c, limit);
    let most = 0;
    for (let i = 0; i < 200; i++) {
      c.poll();
      most = Math.max(most, c.tls.getBufferedBytes());
      await new Promise((r) => setImmediate(r));
    }
    expect(most).toBeGreaterThanOrEqual(limit);
    expect(most).toBeLessThanOrEqual(limit + RECORD_READ);
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
    const tcp = countedTcp(srv.port);
    const c = connectTls(srv.port, { roots: [pki.rootDer], inner: tcp.peer });
    expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
    // Every byte the server sent is inside the TLS layer before the server ends the connection.
    await c.until(() => srv.sent() !== null && tcp.received() === srv.sent());
    srv.end(ending);
    const gone = [PeerStatus.NONE, PeerStatus.ERROR] as number[];
    await c.until(() => gone.includes(tcp.peer.getStatus()));
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
