import { describe, expect, it } from 'vitest';
import { p256 } from '@noble/curves/nist.js';
import { ByteReader } from '../../engine-module/bytes/byte-reader.js';
import { toHex } from '../../engine-module/bytes/bytes.js';
import type { CryptoProvider, GroupName, KeyShare } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { TlsClientEngine } from '../../engine-module/tls/engine.js';
import type { Extension } from '../../engine-module/tls/extensions.js';
import { KeySchedule } from '../../engine-module/tls/key-schedule.js';
import { trace } from './helpers/rfc8448.js';

/** Random bytes served in order, each call taking exactly the next value. */
function scriptedRandom(values: Uint8Array[]) {
  return (n: number) => {
    const v = values.shift();
    if (!v || v.length !== n) throw new Error(`unexpected random request of ${n} bytes`);
    return v;
  };
}

/** The extensions of a ClientHello message, in order. */
function helloExtensions(ch: Uint8Array): Extension[] {
  const r = new ByteReader(ch.subarray(4));
  r.bytes(2 + 32);
  r.vec8();
  r.vec16();
  r.vec8();
  const list = new ByteReader(r.vec16());
  const out: Extension[] = [];
  while (!list.atEnd()) out.push({ type: list.u16(), data: list.vec16() });
  return out;
}

/**
 * The RFC's client offers more than this one (ffdhe groups, more signature schemes, session tickets, PSK modes,
 * record_size_limit). The engine's own server_name, key_share and supported_versions are kept and must equal the
 * RFC's; the rest of the list is taken from the RFC's hello, in its order.
 */
function asInRfc(rfcHello: Uint8Array) {
  const own = new Set([0, 43, 51]);
  return (ours: Extension[]) =>
    helloExtensions(rfcHello).map((e) => {
      if (!own.has(e.type)) return e;
      const mine = ours.find((x) => x.type === e.type)!;
      expect(toHex(mine.data)).toBe(toHex(e.data));
      return mine;
    });
}

/** Counts asymmetric operations so a test can check that each pump() does at most one. */
function counting(base: CryptoProvider, override: Partial<CryptoProvider> = {}) {
  const c = { ops: 0 };
  const provider: CryptoProvider = {
    ...base,
    ...override,
    generateKeyShare(g, r) {
      c.ops++;
      return (override.generateKeyShare ?? base.generateKeyShare)(g, r);
    },
    ecdh(s, p) {
      c.ops++;
      return base.ecdh(s, p);
    },
    verify(a, k, d, s) {
      c.ops++;
      return base.verify(a, k, d, s);
    },
  };
  return { provider, c };
}

/** Pump until the handshake waits for input (each unit of work takes a pump of its own). */
function pumpUntilIdle(engine: TlsClientEngine) {
  for (let i = 0; i < 20; i++) {
    engine.pump();
    if (!engine.hasPendingWork) return;
  }
}

function pumpAll(engine: TlsClientEngine, c: { ops: number }) {
  for (let i = 0; i < 20; i++) {
    const before = c.ops;
    engine.pump();
    expect(c.ops - before).toBeLessThanOrEqual(1);
    if (!engine.hasPendingWork) return;
  }
}

const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_256_GCM_SHA384'];

/** A client engine that replays RFC 8448 §3's client: its random, its key share and its ClientHello extensions. */
function section3Engine(t: ReturnType<typeof trace>, crypto: CryptoProvider = pureCrypto): TlsClientEngine {
  const ch = t.value('client', 'construct a ClientHello', 'ClientHello');
  return new TlsClientEngine({
    hostname: 'server',
    crypto,
    randomBytes: scriptedRandom([ch.slice(6, 38), t.value('client', 'create an ephemeral x25519', 'private key')]),
    verifyChain: null,
    versions: ['TLSv1.3'],
    suites: SUITES,
    alpn: [],
    customizeClientHelloExtensions: asInRfc(ch),
  });
}

describe('RFC 8448 §3 simple 1-RTT handshake', () => {
  const t = trace('3');
  const hex = (b: Uint8Array | null) => toHex(b ?? new Uint8Array(0));

  it('reproduces every client record byte for byte and reads the server records', () => {
    const { provider, c } = counting(pureCrypto);
    const engine = section3Engine(t, provider);
    pumpAll(engine, c);
    expect(hex(engine.takeOutput())).toBe(hex(t.value('client', 'send handshake record', 'complete record')));

    engine.feed(t.value('server', 'send handshake record', 'complete record', 0));
    pumpAll(engine, c);
    expect(engine.status).toBe('handshaking');
    engine.feed(t.value('server', 'send handshake record', 'complete record', 1));
    pumpAll(engine, c);
    expect(engine.error).toBeNull();
    expect(engine.status).toBe('connected');
    expect(hex(engine.takeOutput())).toBe(hex(t.value('client', 'send handshake record', 'complete record', 1)));
    expect(engine.negotiated).toEqual({ version: 'TLSv1.3', suite: 'TLS_AES_128_GCM_SHA256', group: 'x25519', alpn: null });

    // NewSessionTicket: accepted and dropped.
    engine.feed(t.value('server', 'send handshake record', 'complete record', 2));
    engine.pump();
    expect(engine.status).toBe('connected');
    expect(engine.takeOutput()).toBeNull();

    const clientPayload = t.value('client', 'send application_data', 'payload');
    expect(engine.writeApplicationData(clientPayload)).toBe(true);
    expect(hex(engine.takeOutput())).toBe(hex(t.value('client', 'send application_data', 'complete record')));

    engine.feed(t.value('server', 'send application_data', 'complete record'));
    engine.pump();
    expect(hex(engine.readApplicationData(1000))).toBe(hex(t.value('server', 'send application_data', 'payload')));

    engine.close();
    expect(hex(engine.takeOutput())).toBe(hex(t.value('client', 'send alert', 'complete record')));
    expect(engine.status).toBe('closed');
  });

  it('takes the server flight one byte at a time', () => {
    const engine = section3Engine(t);
    pumpUntilIdle(engine);
    engine.takeOutput();
    const flight = [0, 1].map((i) => t.value('server', 'send handshake record', 'complete record', i));
    for (const rec of flight) for (const b of rec) {
      engine.feed(Uint8Array.of(b));
      pumpUntilIdle(engine);
    }
    expect(engine.error).toBeNull();
    expect(engine.status).toBe('connected');
    expect(hex(engine.takeOutput())).toBe(hex(t.value('client', 'send handshake record', 'complete record', 1)));
  });

  it('server close_notify behind unread data: seen once the data is read, never dropped with it', () => {
    const engine = section3Engine(t);
    pumpUntilIdle(engine);
    // Ticket and data precede the alert: the server's record sequence numbers count them.
    for (let i = 0; i < 3; i++) engine.feed(t.value('server', 'send handshake record', 'complete record', i));
    engine.feed(t.value('server', 'send application_data', 'complete record'));
    engine.feed(t.value('server', 'send alert', 'complete record'));
    pumpUntilIdle(engine);
    engine.takeOutput();
    // pump() decrypts one data record ahead and stops there: the alert waits behind the unread data.
    expect(engine.status).toBe('connected');
    expect(engine.availableBytes).toBe(50);
    expect(engine.hasWholeRecord).toBe(true);
    expect(hex(engine.readApplicationData(1000))).toBe(hex(t.value('server', 'send application_data', 'payload')));
    expect(engine.status).toBe('closed');
    expect(engine.bufferedInput).toBe(0);
    // The close_notify answer: one encrypted alert record (2 bytes + type + 16-byte tag).
    expect(hex(engine.takeOutput()?.subarray(0, 5) ?? null)).toBe('1703030013');
    engine.close();
    expect(engine.takeOutput()).toBeNull();
  });

  it('a read that takes exactly the data leaves the close_notify for the next pump', () => {
    const engine = section3Engine(t);
    pumpUntilIdle(engine);
    for (let i = 0; i < 3; i++) engine.feed(t.value('server', 'send handshake record', 'complete record', i));
    engine.feed(t.value('server', 'send application_data', 'complete record'));
    engine.feed(t.value('server', 'send alert', 'complete record'));
    pumpUntilIdle(engine);
    expect(engine.readApplicationData(50).length).toBe(50);
    expect(engine.status).toBe('connected');
    engine.pump();
    expect(engine.status).toBe('closed');
  });

  it('answers the server close_notify with its own', () => {
    const engine = section3Engine(t);
    pumpUntilIdle(engine);
    for (let i = 0; i < 3; i++) engine.feed(t.value('server', 'send handshake record', 'complete record', i));
    engine.feed(t.value('server', 'send application_data', 'complete record'));
    pumpUntilIdle(engine);
    engine.takeOutput();
    expect(engine.readApplicationData(1000).length).toBe(50);
    // The client's alert record is the first after the handshake, as the RFC's is after one data record: write
    // that record first so the sequence numbers agree.
    engine.writeApplicationData(t.value('client', 'send application_data', 'payload'));
    engine.takeOutput();
    engine.feed(t.value('server', 'send alert', 'complete record'));
    engine.pump();
    expect(engine.status).toBe('closed');
    expect(hex(engine.takeOutput())).toBe(hex(t.value('client', 'send alert', 'complete record')));
  });

  it('key schedule reproduces the traffic secrets, keys and Finished keys', () => {
    const ks = new KeySchedule(pureCrypto, 'sha256');
    const ikm = t.value('server', 'extract secret "handshake"', 'IKM');
    const helloHash = pureCrypto.hash(
      'sha256',
      new Uint8Array([...t.value('client', 'construct a ClientHello', 'ClientHello'), ...t.value('server', 'construct a ServerHello', 'ServerHello')]),
    );
    const [c, s] = ks.handshakeSecrets(ikm, helloHash);
    expect(toHex(c)).toBe(toHex(t.value('server', 'derive secret "tls13 c hs traffic"', 'expanded')));
    expect(toHex(s)).toBe(toHex(t.value('server', 'derive secret "tls13 s hs traffic"', 'expanded')));
    const keys = ks.trafficKeys(s, 16);
    expect(toHex(keys.key)).toBe(toHex(t.value('server', 'derive write traffic keys for handshake', 'key expanded')));
    expect(toHex(keys.iv)).toBe(toHex(t.value('server', 'derive write traffic keys for handshake', 'iv expanded')));
  });
});

describe('RFC 8448 §5 HelloRetryRequest (X25519 refused, P-256 asked)', () => {
  const t = trace('5');
  const hex = (b: Uint8Array | null) => toHex(b ?? new Uint8Array(0));

  it('reproduces both ClientHellos and the client Finished byte for byte', () => {
    const ch1 = t.value('client', 'construct a ClientHello', 'ClientHello', 0);
    const ch2 = t.value('client', 'construct a ClientHello', 'ClientHello', 1);
    const p256Private = t.value('client', 'create an ephemeral P-256', 'private key');
    // The RFC's P-256 private key cannot come out of the random source (keys are reduced from 48 bytes), so the
    // provider hands it out directly.
    const generateKeyShare = (group: GroupName, random: (n: number) => Uint8Array): KeyShare =>
      group === 'secp256r1'
        ? { group, privateKey: p256Private, publicKey: p256.getPublicKey(p256Private, false) }
        : pureCrypto.generateKeyShare(group, random);
    const { provider, c } = counting(pureCrypto, { generateKeyShare });
    let hello = 0;
    const engine = new TlsClientEngine({
      hostname: 'server',
      crypto: provider,
      randomBytes: scriptedRandom([ch1.slice(6, 38), t.value('client', 'create an ephemeral x25519', 'private key')]),
      verifyChain: null,
      versions: ['TLSv1.3'],
      suites: SUITES,
      groups: ['x25519', 'secp256r1'],
      alpn: [],
      customizeClientHelloExtensions: (ours) => asInRfc(hello++ === 0 ? ch1 : ch2)(ours),
    });
    pumpAll(engine, c);
    expect(hex(engine.takeOutput())).toBe(hex(t.value('client', 'send handshake record', 'complete record', 0)));
    engine.feed(t.value('server', 'send handshake record', 'complete record', 0));
    pumpAll(engine, c);
    expect(hex(engine.takeOutput())).toBe(hex(t.value('client', 'send handshake record', 'complete record', 1)));
    engine.feed(t.value('server', 'send handshake record', 'complete record', 1));
    engine.feed(t.value('server', 'send handshake record', 'complete record', 2));
    pumpAll(engine, c);
    expect(engine.error).toBeNull();
    expect(engine.status).toBe('connected');
    expect(engine.negotiated?.group).toBe('secp256r1');
    expect(hex(engine.takeOutput())).toBe(hex(t.value('client', 'send handshake record', 'complete record', 2)));
    engine.close();
    expect(hex(engine.takeOutput())).toBe(hex(t.value('client', 'send alert', 'complete record')));
  });
});
