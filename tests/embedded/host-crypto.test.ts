// The host crypto contract run directly in Node: per-primitive fallback, the checks made before a host call, host
// faults as clear errors, and the suite order a provider states, against a real server that follows the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { hostCryptoProvider } from '../../engine-module/platform/host-crypto.js';
import { createHostPlatform } from '../../engine-module/platform/host.js';
import type { HostCrypto } from '../../engine-module/platform/host-bridge.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { decodePublicKey } from '../../engine-module/tls/x509/algorithms.js';
import { readSingle, Tag } from '../../engine-module/tls/x509/der.js';
import { PeerStatus } from '../../engine-module/net/stream-peer.js';
import type { AeadName, CryptoProvider, PublicKey } from '../../engine-module/tls/crypto/provider.js';
import { nodeHostCrypto } from './node-host-crypto.js';
import { NodeSocketHost } from './node-socket-host.js';
import { makeTestPki, type TestPki } from '../tls/helpers/certs.js';
import { nodeServer, type NodeTlsServer } from '../tls/helpers/node-server.js';
import { connectTls } from '../tls/helpers/drive.js';

/** Every call a host function gets: its name and its arguments. */
type Call = { fn: string; args: unknown[] };

/** A host over Node's crypto whose calls are recorded, with some members replaced. */
function recorded(base: HostCrypto, replace: Partial<HostCrypto> = {}): { host: HostCrypto; calls: Call[] } {
  const calls: Call[] = [];
  const host: HostCrypto = { ...base, ...replace };
  for (const [fn, value] of Object.entries(host)) {
    if (typeof value !== 'function') continue;
    Object.assign(host, {
      [fn]: (...args: unknown[]) => {
        calls.push({ fn, args });
        return (value as (...a: unknown[]) => unknown)(...args);
      },
    });
  }
  return { host, calls };
}

const random = (n: number) => new Uint8Array(randomBytes(n));
const names = (calls: Call[]) => [...new Set(calls.map((c) => c.fn))].sort();

describe('a host provider, primitive by primitive', () => {
  it('is the pure provider when the host gives no primitive', () => {
    expect(hostCryptoProvider({})).toBe(pureCrypto);
    expect(createHostPlatform(new NodeSocketHost().bridge({ crypto: {} })).crypto).toBe(pureCrypto);
  });

  it('with AEAD only: the host seals and opens, everything else runs in JavaScript with the same results', () => {
    const { host, calls } = recorded(nodeHostCrypto('aead'));
    const p = hostCryptoProvider(host);
    expect(p.name).toBe('host(aead)');
    const key = random(32);
    const nonce = random(12);
    const aad = random(13);
    const data = random(3000);
    const sealed = p.aead('chacha20-poly1305', key).seal(nonce, aad, data);
    expect(sealed).toEqual(pureCrypto.aead('chacha20-poly1305', key).seal(nonce, aad, data));
    expect(p.aead('chacha20-poly1305', key).open(nonce, aad, sealed)).toEqual(data);
    expect(names(calls)).toEqual(['aeadOpen', 'aeadSeal']);

    expect(p.hash('sha384', data)).toEqual(new Uint8Array(createHash('sha384').update(data).digest()));
    expect(p.hmac('sha256', key, data)).toEqual(new Uint8Array(createHmac('sha256', key).update(data).digest()));
    const share = p.generateKeyShare('x25519', random);
    const peer = pureCrypto.generateKeyShare('x25519', random);
    expect(p.ecdh(share, peer.publicKey)).toEqual(pureCrypto.ecdh(peer, share.publicKey));
    expect(names(calls)).toEqual(['aeadOpen', 'aeadSeal']);
  });

  it('with every primitive: each goes to the host and agrees with the pure provider', () => {
    const { host, calls } = recorded(nodeHostCrypto('all'));
    const p = hostCryptoProvider(host);
    expect(p.name).toBe('host(aead+hash+hmac+ecdh+verify)');
    const data = random(1000);
    for (const alg of ['sha256', 'sha384', 'sha512'] as const) {
      expect(p.hash(alg, data)).toEqual(pureCrypto.hash(alg, data));
      expect(p.hmac(alg, data.subarray(0, 40), data)).toEqual(pureCrypto.hmac(alg, data.subarray(0, 40), data));
    }
    for (const alg of ['aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305'] as const) {
      const key = random(alg === 'aes-128-gcm' ? 16 : 32);
      const nonce = random(12);
      const sealed = p.aead(alg, key).seal(nonce, data.subarray(0, 5), data);
      expect(pureCrypto.aead(alg, key).open(nonce, data.subarray(0, 5), sealed)).toEqual(data);
    }
    for (const group of ['x25519', 'secp256r1', 'secp384r1'] as const) {
      // The same random bytes make the same key pair in the host and in JavaScript.
      const entropy = random({ x25519: 32, secp256r1: 48, secp384r1: 72 }[group]);
      const ours = p.generateKeyShare(group, () => entropy.slice());
      expect(ours.publicKey).toEqual(pureCrypto.generateKeyShare(group, () => entropy.slice()).publicKey);
      const theirs = pureCrypto.generateKeyShare(group, random);
      const secret = p.ecdh(ours, theirs.publicKey);
      expect(secret).not.toBeNull();
      expect(secret).toEqual(pureCrypto.ecdh(theirs, ours.publicKey));
    }
    expect(names(calls)).toEqual(['aeadSeal', 'ecdh', 'hash', 'hmac', 'keySharePublic']);
  });

  it('checks signatures with the host, from the SubjectPublicKeyInfo, for each key kind', () => {
    const { host, calls } = recorded(nodeHostCrypto('all'));
    const p = hostCryptoProvider(host);
    const data = random(200);
    const cases = [
      { pair: generateKeyPairSync('ec', { namedCurve: 'P-256' }), alg: { kind: 'ecdsa', hash: 'sha256' } as const, opts: {} },
      { pair: generateKeyPairSync('rsa', { modulusLength: 2048 }), alg: { kind: 'rsa-pkcs1', hash: 'sha384' } as const, opts: {} },
      {
        pair: generateKeyPairSync('rsa', { modulusLength: 2048 }),
        alg: { kind: 'rsa-pss', hash: 'sha256' } as const,
        opts: { padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 },
      },
      { pair: generateKeyPairSync('ed25519'), alg: { kind: 'ed25519' } as const, opts: {} },
    ];
    for (const { pair, alg, opts } of cases) {
      const hash = 'hash' in alg ? alg.hash : null;
      const signature = new Uint8Array(sign(hash, data, { key: pair.privateKey, ...opts }));
      const key = publicKeyOf(pair.publicKey.export({ format: 'der', type: 'spki' }));
      expect(p.verify(alg, key, data, signature)).toBe(true);
      signature[signature.length - 1] ^= 1;
      expect(p.verify(alg, key, data, signature)).toBe(false);
    }
    expect(calls.map((c) => c.args[0])).toEqual([
      'ecdsa-sha256', 'ecdsa-sha256', 'rsa-pkcs1-sha384', 'rsa-pkcs1-sha384', 'rsa-pss-sha256', 'rsa-pss-sha256',
      'ed25519', 'ed25519',
    ]);
  });

  it('refuses bad input itself, so the host only sees well-formed calls', () => {
    const { host, calls } = recorded(nodeHostCrypto('all'));
    const p = hostCryptoProvider(host);
    const aead = p.aead('aes-128-gcm', random(16));
    expect(() => aead.seal(random(8), random(5), random(10))).toThrow('nonce must be 12 bytes');
    expect(aead.open(random(12), random(5), random(15))).toBeNull();
    expect(() => p.aead('aes-256-gcm', random(16))).toThrow('key must be 32 bytes');
    const share = p.generateKeyShare('secp256r1', random);
    calls.length = 0;
    expect(p.ecdh(share, random(33))).toBeNull(); // a compressed point is not the wire form TLS allows
    const x = p.generateKeyShare('x25519', random);
    calls.length = 0;
    expect(p.ecdh(x, new Uint8Array(32))).toBeNull(); // the zero point: the host answers, tickhttp refuses all-zero
    expect(names(calls)).toEqual(['ecdh']);
    calls.length = 0;
    const small = generateKeyPairSync('rsa', { modulusLength: 512 });
    const weak = publicKeyOf(small.publicKey.export({ format: 'der', type: 'spki' }));
    const sig = new Uint8Array(sign('sha256', Buffer.from('x'), small.privateKey));
    expect(p.verify({ kind: 'rsa-pkcs1', hash: 'sha256' }, weak, Buffer.from('x'), sig)).toBe(false);
    expect(p.verify({ kind: 'ecdsa', hash: 'sha256' }, weak, Buffer.from('x'), sig)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('hands every byte argument over as a view of its whole buffer', () => {
    const { host, calls } = recorded(nodeHostCrypto('all'));
    const p = hostCryptoProvider(host);
    const big = random(4096);
    const sealed = p.aead('aes-128-gcm', big.subarray(1, 17)).seal(big.subarray(20, 32), big.subarray(40, 45), big.subarray(100, 900));
    p.aead('aes-128-gcm', big.subarray(1, 17)).open(big.subarray(20, 32), big.subarray(40, 45), sealed);
    p.hmac('sha256', big.subarray(3, 35), big.subarray(50, 500));
    p.hash('sha512', big.subarray(7));
    for (const { args } of calls) {
      for (const a of args) {
        if (typeof a === 'string') continue;
        const bytes = a as Uint8Array;
        expect(bytes).toBeInstanceOf(Uint8Array);
        expect([bytes.byteOffset, bytes.byteLength]).toEqual([0, bytes.buffer.byteLength]);
      }
    }
  });

  it('turns a host fault into an error naming the function; never uses a result of the wrong size', () => {
    const base = nodeHostCrypto('all');
    const faulty = (replace: Partial<HostCrypto>) => hostCryptoProvider({ ...base, ...replace });
    const key = random(16);
    const nonce = random(12);
    const throwing = faulty({ aeadOpen: () => { throw new Error('device lost'); } });
    const sealed = throwing.aead('aes-128-gcm', key).seal(nonce, random(5), random(100));
    expect(() => throwing.aead('aes-128-gcm', key).open(nonce, random(5), sealed)).toThrow(
      "tickhttp: the host's aeadOpen failed: device lost",
    );
    expect(() => faulty({ aeadSeal: () => new Uint8Array(10) }).aead('aes-128-gcm', key).seal(nonce, random(5), random(100))).toThrow(
      "tickhttp: the host's aeadSeal returned 10 bytes instead of 116",
    );
    expect(() => faulty({ hash: () => 32 as unknown as Uint8Array }).hash('sha256', random(3))).toThrow(
      "tickhttp: the host's hash returned number, not bytes",
    );
    expect(faulty({ hmac: () => new ArrayBuffer(32) }).hmac('sha256', key, key)).toEqual(new Uint8Array(32));
    const p256 = pureCrypto.generateKeyShare('secp256r1', random);
    expect(() => faulty({ ecdh: () => new Uint8Array(31) }).ecdh(p256, p256.publicKey)).toThrow(
      "tickhttp: the host's ecdh returned 31 bytes instead of 32",
    );
  });

  it('refuses half a pair and unknown names at start-up', () => {
    const host = new NodeSocketHost();
    const base = nodeHostCrypto('all');
    expect(() => createHostPlatform(host.bridge({ crypto: { aeadSeal: base.aeadSeal } }))).toThrow(
      'tickhttp: the host crypto needs both aeadSeal and aeadOpen, or neither',
    );
    expect(() => createHostPlatform(host.bridge({ crypto: { ecdh: base.ecdh } }))).toThrow(
      'tickhttp: the host crypto needs both keySharePublic and ecdh, or neither',
    );
    expect(() => hostCryptoProvider({ ...base, aeads: ['aes-128-gcm', 'aes-128-cbc' as AeadName] })).toThrow(
      'tickhttp: the host crypto lists unknown AEADs: aes-128-cbc',
    );
  });

  it('runs AEADs and groups the host does not list in JavaScript', () => {
    const { host, calls } = recorded(nodeHostCrypto('all', { aeads: ['aes-256-gcm'], groups: ['secp256r1'] }));
    const p = hostCryptoProvider(host);
    p.aead('chacha20-poly1305', random(32)).seal(random(12), random(5), random(10));
    const x = p.generateKeyShare('x25519', random);
    p.ecdh(x, pureCrypto.generateKeyShare('x25519', random).publicKey);
    expect(calls).toEqual([]);
    p.aead('aes-256-gcm', random(32)).seal(random(12), random(5), random(10));
    p.generateKeyShare('secp256r1', random);
    expect(names(calls)).toEqual(['aeadSeal', 'keySharePublic']);
    expect(p.aeadPreference).toEqual(['aes-256-gcm', 'chacha20-poly1305', 'aes-128-gcm']);
  });
});

function publicKeyOf(spki: Buffer): PublicKey {
  return decodePublicKey(readSingle(new Uint8Array(spki), Tag.SEQUENCE, 'SubjectPublicKeyInfo')).key!;
}

describe('the cipher suites offered follow the provider in use', () => {
  // Servers that enable every suite and follow the client's order (as nginx does), TLS 1.3 and TLS 1.2.
  let pki: TestPki;
  let tls13: NodeTlsServer;
  let tls12: NodeTlsServer;
  beforeAll(async () => {
    pki = makeTestPki(['p256']);
    const all = { honorCipherOrder: false, ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305' };
    tls13 = await nodeServer(pki, 'p256', { ...all, minVersion: 'TLSv1.3' }, () => {});
    tls12 = await nodeServer(pki, 'p256', { ...all, maxVersion: 'TLSv1.2' }, () => {});
  });
  afterAll(async () => {
    await Promise.all([tls13.close(), tls12.close()]);
    pki.cleanup();
  });

  async function negotiatedSuite(port: number, crypto: CryptoProvider): Promise<string | undefined> {
    const driven = connectTls(port, { crypto, roots: [pki.rootDer] });
    expect(await driven.handshake()).toBe(PeerStatus.CONNECTED);
    const suite = driven.tls.getNegotiated()?.suite;
    driven.tls.disconnectFromHost();
    return suite;
  }

  it.each([
    ['pure (in an interpreter ChaCha20 is the fast one)', {}, 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
    ['host AEAD, default order (native AES first)', nodeHostCrypto('aead'), 'TLS_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
    ['host AEAD stating ChaCha20 first', nodeHostCrypto('aead', { aeads: ['chacha20-poly1305', 'aes-128-gcm'] }), 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
    ['host AES-256-GCM only', nodeHostCrypto('aead', { aeads: ['aes-256-gcm'] }), 'TLS_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  ])('%s', async (_name, host, suite13, suite12) => {
    const crypto = hostCryptoProvider(host as HostCrypto);
    expect(await negotiatedSuite(tls13.port, crypto)).toBe(suite13);
    expect(await negotiatedSuite(tls12.port, crypto)).toBe(suite12);
  });
});
