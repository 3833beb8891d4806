// ECDSA and Ed25519 beyond Wycheproof: OpenSSL-made signatures, high-S forms, a hash other than the curve's, and
// the RFC 8032 vector.

import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex } from '../../engine-module/bytes/bytes.js';
import { bigIntToBytes, bytesToBigInt } from '../../engine-module/tls/crypto/bigint-bytes.js';
import type { PublicKey } from '../../engine-module/tls/crypto/provider.js';
import { PROVIDERS } from './providers.js';

const ORDER = {
  'P-256': BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
  'P-384': BigInt(
    '0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
  ),
};

type EcPublicKey = Extract<PublicKey, { kind: 'ec' }>;

function ecKey(curve: 'P-256' | 'P-384'): { privateKey: KeyObject; publicKey: EcPublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = concatBytes(
    new Uint8Array([4]),
    Buffer.from(jwk.x as string, 'base64url'),
    Buffer.from(jwk.y as string, 'base64url'),
  );
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  return { privateKey, publicKey: { kind: 'ec', curve, point, spki } };
}

/** Minimal DER INTEGER encoding of r and s, the Ecdsa-Sig-Value a TLS peer sends. */
function derSignature(r: bigint, s: bigint): Uint8Array {
  const int = (v: bigint) => {
    let bytes = bigIntToBytes(v, Math.max(1, Math.ceil(v.toString(16).length / 2))) as Uint8Array;
    if (bytes[0] & 0x80) bytes = concatBytes(new Uint8Array(1), bytes);
    return concatBytes(new Uint8Array([2, bytes.length]), bytes);
  };
  const body = concatBytes(int(r), int(s));
  const header = body.length < 128 ? [0x30, body.length] : [0x30, 0x81, body.length];
  return concatBytes(new Uint8Array(header), body);
}

const message = new Uint8Array(300).map((_, i) => i);

for (const provider of PROVIDERS) {
  describe(`${provider.name} provider: ECDSA`, () => {
    for (const curve of ['P-256', 'P-384'] as const) {
      it(`${curve}: OpenSSL signatures with each hash verify, in low-S and high-S form`, () => {
        const key = ecKey(curve);
        for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
          const signature = new Uint8Array(sign(hash, message, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }));
          const half = signature.length / 2;
          const r = bytesToBigInt(signature.subarray(0, half));
          const s = bytesToBigInt(signature.subarray(half));
          // Both (r, s) and (r, n - s) are valid; TLS and X.509 do not demand low S.
          for (const sig of [derSignature(r, s), derSignature(r, ORDER[curve] - s)]) {
            expect(provider.verify({ kind: 'ecdsa', hash }, key.publicKey, message, sig)).toBe(true);
          }
          const otherMessage = message.subarray(1);
          expect(provider.verify({ kind: 'ecdsa', hash }, key.publicKey, otherMessage, derSignature(r, s))).toBe(false);
          // The P1363 form is not what TLS sends.
          expect(provider.verify({ kind: 'ecdsa', hash }, key.publicKey, message, signature)).toBe(false);
        }
        const other = ecKey(curve);
        const sig = new Uint8Array(sign('sha256', message, key.privateKey));
        expect(provider.verify({ kind: 'ecdsa', hash: 'sha256' }, other.publicKey, message, sig)).toBe(false);
        expect(provider.verify({ kind: 'ecdsa', hash: 'sha384' }, key.publicKey, message, sig)).toBe(false);
      });
    }

    it('refuses a key of the wrong kind or a garbage SPKI without throwing', () => {
      const key = ecKey('P-256');
      const sig = new Uint8Array(sign('sha256', message, key.privateKey));
      expect(provider.verify({ kind: 'rsa-pkcs1', hash: 'sha256' }, key.publicKey, message, sig)).toBe(false);
      expect(provider.verify({ kind: 'ed25519' }, key.publicKey, message, sig)).toBe(false);
      const garbage: EcPublicKey = { ...key.publicKey, spki: fromHex('3003010203'), point: new Uint8Array(3) };
      expect(provider.verify({ kind: 'ecdsa', hash: 'sha256' }, garbage, message, sig)).toBe(false);
      expect(provider.verify({ kind: 'ecdsa', hash: 'sha256' }, key.publicKey, message, new Uint8Array(0))).toBe(false);
    });
  });

  describe(`${provider.name} provider: Ed25519`, () => {
    it('RFC 8032 §7.1 test 1, an OpenSSL signature, and refusals', () => {
      const raw = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
      const spki = concatBytes(fromHex('302a300506032b6570032100'), raw);
      const rfcKey: PublicKey = { kind: 'ed25519', key: raw, spki };
      const rfcSig = fromHex(
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155' +
          '5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
      );
      expect(provider.verify({ kind: 'ed25519' }, rfcKey, new Uint8Array(0), rfcSig)).toBe(true);
      expect(provider.verify({ kind: 'ed25519' }, rfcKey, new Uint8Array(1), rfcSig)).toBe(false);
      // S + L encodes the same scalar but is non-canonical: RFC 8032 §5.1.7 requires refusing it.
      const L = 2n ** 252n + 27742317777372353535851937790883648493n;
      const s = bytesToBigInt(rfcSig.subarray(32).slice().reverse()) + L;
      const nonCanonical = concatBytes(rfcSig.subarray(0, 32), (bigIntToBytes(s, 32) as Uint8Array).reverse());
      expect(provider.verify({ kind: 'ed25519' }, rfcKey, new Uint8Array(0), nonCanonical)).toBe(false);

      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const der = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
      const key: PublicKey = { kind: 'ed25519', spki: der, key: der.subarray(12) };
      const sig = new Uint8Array(sign(null, message, privateKey));
      expect(provider.verify({ kind: 'ed25519' }, key, message, sig)).toBe(true);
      sig[5] ^= 1;
      expect(provider.verify({ kind: 'ed25519' }, key, message, sig)).toBe(false);
    });
  });
}
