// What the TLS engine relies on beyond the vectors: incremental hashes that fork, AEAD refusals that return null,
// key shares drawn from the injected random source (the same bytes give the same share in both providers), and
// peer values refused the same way by both.

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asciiEncode, bytesEqual, concatBytes } from '../../engine-module/bytes/bytes.js';
import type { AeadName, GroupName } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import { PROVIDERS } from './providers.js';

const AEADS: [AeadName, number][] = [
  ['aes-128-gcm', 16],
  ['aes-256-gcm', 32],
  ['chacha20-poly1305', 32],
];
const GROUPS: GroupName[] = ['x25519', 'secp256r1', 'secp384r1'];

/** A deterministic random source: the same stream for both providers. */
function seededRandom(seed: number): (n: number) => Uint8Array {
  let state = seed >>> 0 || 1;
  return (n) =>
    Uint8Array.from({ length: n }, () => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state & 0xff;
    });
}

const isPlainArray = (b: Uint8Array) => Object.getPrototypeOf(b) === Uint8Array.prototype;

describe('both providers compute the same thing', () => {
  it('hash, incremental hash, HMAC and AEAD outputs are identical', () => {
    for (const size of [0, 1, 55, 56, 64, 1000, 16384 + 256]) {
      const data = new Uint8Array(randomBytes(size));
      for (const alg of ['sha256', 'sha384', 'sha512'] as const) {
        expect(nodeCrypto.hash(alg, data)).toEqual(pureCrypto.hash(alg, data));
        const key = data.subarray(0, 200);
        expect(nodeCrypto.hmac(alg, key, data)).toEqual(pureCrypto.hmac(alg, key, data));
      }
      for (const [alg, keyLength] of AEADS) {
        const key = new Uint8Array(randomBytes(keyLength));
        const nonce = new Uint8Array(randomBytes(12));
        const aad = data.subarray(0, 13);
        const sealed = pureCrypto.aead(alg, key).seal(nonce, aad, data);
        expect(nodeCrypto.aead(alg, key).seal(nonce, aad, data)).toEqual(sealed);
        expect(nodeCrypto.aead(alg, key).open(nonce, aad, sealed)).toEqual(data);
      }
    }
  });

  it('the same random bytes give the same key share, and either side can finish the exchange', () => {
    for (const group of GROUPS) {
      for (const seed of [1, 2, 3]) {
        const a = pureCrypto.generateKeyShare(group, seededRandom(seed));
        const b = nodeCrypto.generateKeyShare(group, seededRandom(seed));
        expect(b).toEqual(a);
        const peer = nodeCrypto.generateKeyShare(group, seededRandom(seed + 100));
        const secret = pureCrypto.ecdh(a, peer.publicKey);
        expect(secret).not.toBeNull();
        expect(nodeCrypto.ecdh(peer, a.publicKey)).toEqual(secret);
        expect(pureCrypto.ecdh(peer, b.publicKey)).toEqual(secret);
      }
    }
  });

  it('extreme random bytes still give valid NIST scalars (all zero gives 1, all 0xff stays below the order)', () => {
    for (const group of ['secp256r1', 'secp384r1'] as const) {
      for (const fill of [0x00, 0xff]) {
        const random = (n: number) => new Uint8Array(n).fill(fill);
        const share = pureCrypto.generateKeyShare(group, random);
        expect(nodeCrypto.generateKeyShare(group, random)).toEqual(share);
        const peer = pureCrypto.generateKeyShare(group, seededRandom(9));
        expect(pureCrypto.ecdh(share, peer.publicKey)).toEqual(nodeCrypto.ecdh(peer, share.publicKey));
      }
    }
  });
});

for (const provider of PROVIDERS) {
  describe(`${provider.name} provider: contract details`, () => {
    it('digestSoFar does not end the hash, and can be asked at any point', () => {
      for (const alg of ['sha256', 'sha384', 'sha512'] as const) {
        const state = provider.createHash(alg);
        expect(state.digestSoFar()).toEqual(provider.hash(alg, new Uint8Array(0)));
        state.update(asciiEncode('client hello'));
        const first = state.digestSoFar();
        expect(state.digestSoFar()).toEqual(first);
        expect(first).toEqual(provider.hash(alg, asciiEncode('client hello')));
        state.update(asciiEncode(' server hello'));
        expect(state.digestSoFar()).toEqual(provider.hash(alg, asciiEncode('client hello server hello')));
        expect(isPlainArray(state.digestSoFar())).toBe(true);
      }
    });

    it('AEAD: tampering gives null, caller mistakes throw RangeError', () => {
      for (const [alg, keyLength] of AEADS) {
        const key = new Uint8Array(randomBytes(keyLength));
        const aead = provider.aead(alg, key);
        const nonce = new Uint8Array(12).fill(7);
        const aad = asciiEncode('header');
        const plaintext = asciiEncode('application data');
        const sealed = aead.seal(nonce, aad, plaintext);
        expect(isPlainArray(sealed)).toBe(true);
        key.fill(0); // the instance keeps its own copy
        const opened = aead.open(nonce, aad, sealed);
        expect(opened).toEqual(plaintext);
        expect(isPlainArray(opened as Uint8Array)).toBe(true);
        for (let i = 0; i < sealed.length; i++) {
          const tampered = sealed.slice();
          tampered[i] ^= 0x80;
          expect(aead.open(nonce, aad, tampered)).toBeNull();
        }
        expect(aead.open(nonce, asciiEncode('headeR'), sealed)).toBeNull();
        expect(aead.open(new Uint8Array(12), aad, sealed)).toBeNull();
        expect(aead.open(nonce, aad, sealed.subarray(0, 15))).toBeNull();
        expect(aead.open(new Uint8Array(8), aad, sealed)).toBeNull();
        expect(aead.open(nonce, aad, new Uint8Array(16))).toBeNull();
        expect(aead.seal(nonce, aad, new Uint8Array(0)).length).toBe(16);
        expect(() => aead.seal(new Uint8Array(16), aad, plaintext)).toThrow(RangeError);
        expect(() => provider.aead(alg, new Uint8Array(keyLength + 1))).toThrow(RangeError);
      }
    });

    it('key shares: sizes on the wire, random source honoured and checked', () => {
      for (const [group, length] of [
        ['x25519', 32],
        ['secp256r1', 65],
        ['secp384r1', 97],
      ] as const) {
        const share = provider.generateKeyShare(group, (n) => new Uint8Array(randomBytes(n)));
        expect(share.group).toBe(group);
        expect(share.publicKey.length).toBe(length);
        expect(isPlainArray(share.publicKey)).toBe(true);
        expect(() => provider.generateKeyShare(group, () => new Uint8Array(4))).toThrow(/random source/);
      }
      const x = provider.generateKeyShare('x25519', () => new Uint8Array(32).fill(0x42));
      expect(x.privateKey).toEqual(new Uint8Array(32).fill(0x42));
    });

    it('ECDH refuses malformed, compressed, off-curve and small-order peer values', () => {
      const random = seededRandom(5);
      const p256 = provider.generateKeyShare('secp256r1', random);
      const p384 = provider.generateKeyShare('secp384r1', random);
      const x = provider.generateKeyShare('x25519', random);
      const peer256 = provider.generateKeyShare('secp256r1', random).publicKey;
      expect(provider.ecdh(p256, peer256)).not.toBeNull();
      const compressed = concatBytes(new Uint8Array([2 + (peer256[64] & 1)]), peer256.subarray(1, 33));
      expect(provider.ecdh(p256, compressed)).toBeNull();
      const offCurve = peer256.slice();
      offCurve[64] ^= 1;
      expect(provider.ecdh(p256, offCurve)).toBeNull();
      expect(provider.ecdh(p256, new Uint8Array([0]))).toBeNull();
      expect(provider.ecdh(p256, new Uint8Array(65))).toBeNull();
      expect(provider.ecdh(p384, peer256)).toBeNull();
      expect(provider.ecdh(p256, concatBytes(peer256, new Uint8Array(1)))).toBeNull();
      expect(provider.ecdh(x, new Uint8Array(32))).toBeNull();
      expect(provider.ecdh(x, new Uint8Array(31).fill(9))).toBeNull();
      const one = new Uint8Array(32);
      one[0] = 1;
      expect(provider.ecdh(x, one)).toBeNull();
      expect(bytesEqual(provider.ecdh(x, x.publicKey) as Uint8Array, new Uint8Array(32))).toBe(false);
    });
  });
}
