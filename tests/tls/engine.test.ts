// The sans-I/O engine against hand-made server messages: every out-of-order or malformed answer ends in `failed`
// with a readable reason and a fatal alert to the server; caller mistakes throw before anything is sent.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../engine-module/bytes/byte-writer.js';
import { fromHex, toHex } from '../../engine-module/bytes/bytes.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { TlsClientEngine, type TlsEngineConfig } from '../../engine-module/tls/engine.js';
import { StreamPeerTLS } from '../../engine-module/tls/stream-peer-tls.js';
import type { TlsFailure } from '../../engine-module/tls/tls-failure.js';

const random = (n: number) => new Uint8Array(randomBytes(n));

function engine(config: Partial<TlsEngineConfig> = {}) {
  const e = new TlsClientEngine({ hostname: 'example.test', crypto: pureCrypto, randomBytes: random, verifyChain: null, ...config });
  while (e.hasPendingWork) e.pump();
  return { e, hello: e.takeOutput()! };
}

/** A ServerHello record; `extensions` are [type, body] pairs. */
function serverHello(o: { version?: number; random?: Uint8Array; suite?: number; extensions?: [number, Uint8Array][] }) {
  const w = new ByteWriter();
  w.u8(22).u16(0x0303).vec16((w) =>
    w.u8(2).vec24((w) => {
      w.u16(o.version ?? 0x0303).bytes(o.random ?? new Uint8Array(32).fill(7));
      w.vec8(() => {});
      w.u16(o.suite ?? 0xc02f).u8(0);
      if (o.extensions) w.vec16((w) => o.extensions!.forEach(([t, d]) => w.u16(t).vec16((w) => w.bytes(d))));
    }),
  );
  return w.finish();
}

function failsWith(o: { e: TlsClientEngine }, input: Uint8Array, failure: Partial<TlsFailure>, alert: number) {
  o.e.feed(input);
  o.e.pump();
  expect(o.e.status).toBe('failed');
  expect(o.e.failure).toMatchObject(failure);
  // The fatal alert goes out in plaintext before keys exist: 15 0303 0002 02 <alert>.
  expect(toHex(o.e.takeOutput()!)).toBe(toHex(Uint8Array.of(21, 3, 3, 0, 2, 2, alert)));
}

const EMS: [number, Uint8Array] = [23, new Uint8Array(0)];

describe('TlsClientEngine', () => {
  it('a closed work gate leaves the unit pending: nothing is computed or sent until it opens', () => {
    let open = false;
    let shares = 0;
    const crypto = { ...pureCrypto, generateKeyShare: (...a: Parameters<typeof pureCrypto.generateKeyShare>) => (shares++, pureCrypto.generateKeyShare(...a)) };
    const e = new TlsClientEngine({ hostname: 'example.test', crypto, randomBytes: random, verifyChain: null, workGate: () => open });
    for (let i = 0; i < 3; i++) e.pump();
    expect([e.hasPendingWork, shares, e.pendingOutput, e.status]).toEqual([true, 0, 0, 'handshaking']);
    open = true;
    e.pump(); // the key share
    expect([shares, e.pendingOutput]).toEqual([1, 0]);
    e.pump(); // the ClientHello
    expect(e.hasPendingWork).toBe(false);
    expect(e.takeOutput()![0]).toBe(22);
  });

  it('a closed work gate also leaves received handshake messages unhandled until it opens', () => {
    let open = true;
    let asked = 0;
    const e = new TlsClientEngine({ hostname: 'example.test', crypto: pureCrypto, randomBytes: random, verifyChain: null,
      workGate: () => (asked++, open) });
    e.pump();
    e.pump();
    e.takeOutput();
    open = false;
    e.feed(serverHello({ version: 0x0302 })); // a message that fails the handshake once handled
    for (let i = 0; i < 3; i++) e.pump();
    expect([e.status, e.hasPendingWork]).toEqual(['handshaking', true]);
    const before = asked;
    open = true;
    e.pump();
    expect(asked).toBe(before + 1);
    expect(e.failure).toMatchObject({ code: 'protocol-version' });
  });

  it('sends SNI for names but not for IP literals, and offers suites in the provider order', () => {
    const named = engine().hello;
    expect(toHex(named)).toContain(toHex(new TextEncoder().encode('example.test')));
    const ip = engine({ hostname: '127.0.0.1' }).hello;
    expect(toHex(ip)).not.toContain('0000000e'); // no server_name extension
    // Pure provider: ChaCha20 first among TLS 1.3 suites.
    expect(toHex(named.subarray(5 + 4 + 2 + 32 + 1 + 2, 5 + 4 + 2 + 32 + 1 + 8))).toBe('130313011302');
  });

  it('a TLS 1.1 ServerHello is refused with protocol_version', () => {
    failsWith(engine(), serverHello({ version: 0x0302 }), { code: 'protocol-version', detail: 'server chose TLS 1.1; this client supports TLS 1.3, TLS 1.2' }, 70);
  });

  it('the downgrade sentinel is refused when TLS 1.3 was offered', () => {
    const sentinel = new Uint8Array(32);
    sentinel.set(fromHex('444f574e47524401'), 24);
    failsWith(engine(), serverHello({ random: sentinel, extensions: [EMS] }), { code: 'downgrade-detected' }, 47);
  });

  it('TLS 1.2 without the extended master secret is refused only with requireExtendedMasterSecret', () => {
    failsWith(engine({ requireExtendedMasterSecret: true }), serverHello({}), { code: 'ems-required' }, 40);
    const o = engine();
    o.e.feed(serverHello({}));
    o.e.pump();
    expect([o.e.status, o.e.error]).toEqual(['handshaking', null]);
  });

  it('an extension that was not offered is refused', () => {
    failsWith(engine(), serverHello({ extensions: [EMS, [0x1234, new Uint8Array(0)]] }), { code: 'unsupported-extension', detail: '4660 in ServerHello (TLS 1.2)' }, 110);
  });

  // RFC 8446 §4.2: an extension this client knows, in a message it does not belong to, is illegal_parameter.
  const x25519Share = (() => {
    const w = new ByteWriter();
    w.u16(0x001d).vec16((w) => w.bytes(new Uint8Array(32).fill(9)));
    return w.finish();
  })();
  const TLS13: [number, Uint8Array] = [43, Uint8Array.of(3, 4)];
  const ALPN: [number, Uint8Array] = [16, Uint8Array.of(0, 9, 8, ...new TextEncoder().encode('http/1.1'))];
  it.each([
    ['ALPN in a TLS 1.3 ServerHello', 0x1301, [TLS13, [51, x25519Share], ALPN], 'extension alpn (16) is not allowed in ServerHello'],
    ['extended_master_secret in a TLS 1.3 ServerHello', 0x1301, [TLS13, [51, x25519Share], EMS], 'extension extended_master_secret (23) is not allowed in ServerHello'],
    ['key_share in a TLS 1.2 ServerHello', 0xc02b, [EMS, [51, x25519Share]], 'extension key_share (51) is not allowed in ServerHello (TLS 1.2)'],
  ] as [string, number, [number, Uint8Array][], string][])('%s is illegal_parameter', (_what, suite, extensions, detail) => {
    const random = new Uint8Array(32).fill(7);
    failsWith(engine(), serverHello({ suite, random, extensions }), { code: 'illegal-parameter', detail }, 47);
  });

  it('ALPN in a HelloRetryRequest is illegal_parameter', () => {
    const hrr = fromHex('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c');
    failsWith(engine(), serverHello({ suite: 0x1301, random: hrr, extensions: [TLS13, [51, Uint8Array.of(0, 0x17)], ALPN] }), { code: 'illegal-parameter', detail: 'extension alpn (16) is not allowed in HelloRetryRequest' }, 47);
  });

  it('a message out of order is unexpected_message', () => {
    failsWith(engine(), Uint8Array.of(22, 3, 3, 0, 4, 11, 0, 0, 0), { code: 'unexpected-message', detail: 'certificate (expected ServerHello)' }, 10);
    failsWith(engine(), Uint8Array.of(23, 3, 3, 0, 1, 0), { code: 'unexpected-message' }, 10);
  });

  it('a handshake message over the size limit is refused before it is buffered', () => {
    failsWith(engine({ maxHandshakeMessageSize: 1000 }), Uint8Array.of(22, 3, 3, 0, 4, 11, 0, 0x10, 0), { code: 'message-too-large', detail: '4096 bytes, the limit is 1000' }, 50);
  });

  it('a malformed ServerHello is decode_error', () => {
    failsWith(engine(), Uint8Array.of(22, 3, 3, 0, 6, 2, 0, 0, 2, 3, 3), { code: 'decode-error' }, 50);
  });

  it('a server alert is reported by name', () => {
    const o = engine();
    o.e.feed(Uint8Array.of(21, 3, 3, 0, 2, 2, 40));
    o.e.pump();
    expect(o.e.failure).toEqual({ code: 'alert-received', description: 40, expecting: 'ServerHello' });
    expect(o.e.takeOutput()).toBeNull();
  });

  it('a transport end mid-handshake is reported', () => {
    const o = engine();
    o.e.transportClosed();
    expect(o.e.failure).toEqual({ code: 'transport-ended', how: 'closed', expecting: 'ServerHello' });
  });

  it('caller mistakes throw before anything is sent', () => {
    expect(() => new TlsClientEngine({ hostname: '', crypto: pureCrypto, randomBytes: random, verifyChain: null })).toThrow(/host name/);
    expect(
      () => new TlsClientEngine({ hostname: 'a', crypto: pureCrypto, randomBytes: undefined as never, verifyChain: null }),
    ).toThrow('TLS: no secure random source configured');
    expect(() => engine({ suites: ['TLS_RSA_WITH_RC4_128_MD5'] })).toThrow(/unknown cipher suite/);
    expect(() => engine({ versions: ['TLSv1.3'], suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] })).toThrow(/unknown cipher suite/);
  });

  it('StreamPeerTLS refuses to start without a random source', () => {
    const inner = { getStatus: () => 1, getAvailableBytes: () => 0, getPartialData: () => new Uint8Array(0), putPartialData: () => 0, disconnectFromHost() {} };
    expect(() => new StreamPeerTLS(inner, { hostname: 'x', verify: false })).toThrow('StreamPeerTLS: no random source given');
  });
});
