// RSA verification beyond Wycheproof: hand-built PKCS#1 v1.5 forgeries signed with a real private key (so only
// the encoding is wrong), PSS edge cases from OpenSSL-made signatures, and the key rules.

import { constants, createHash, generateKeyPairSync, privateEncrypt, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex } from '../../engine-module/bytes/bytes.js';
import { HASH_LENGTH } from '../../engine-module/tls/crypto/hash-lengths.js';
import type { HashName, PublicKey, SignatureAlgorithm } from '../../engine-module/tls/crypto/provider.js';
import { rsaKeyProblem } from '../../engine-module/tls/crypto/rsa.js';
import { PROVIDERS } from './providers.js';

interface TestKey {
  privateKey: KeyObject;
  publicKey: Extract<PublicKey, { kind: 'rsa' }>;
  k: number;
}

function makeKey(bits: number): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  const modulus = new Uint8Array(Buffer.from(jwk.n as string, 'base64url'));
  return {
    privateKey,
    publicKey: {
      kind: 'rsa',
      spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
      modulus,
      exponent: new Uint8Array(Buffer.from(jwk.e as string, 'base64url')),
      bits,
    },
    k: modulus.length,
  };
}

/** The raw private-key operation on a whole block: a "signature" of any encoding we care to build. */
function signBlock(key: TestKey, block: Uint8Array): Uint8Array {
  expect(block.length).toBe(key.k);
  return new Uint8Array(privateEncrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, block));
}

/** 00 01 FF.. 00 || t, as long as the modulus. */
function pkcs1Block(k: number, t: Uint8Array): Uint8Array {
  const block = new Uint8Array(k).fill(0xff);
  block[0] = 0;
  block[1] = 1;
  block[k - t.length - 1] = 0;
  block.set(t, k - t.length);
  return block;
}

const SHA256_DIGEST_INFO = fromHex('3031300d060960864801650304020105000420');
const message = new Uint8Array([1, 2, 3, 4, 5]);
const digest = (alg: HashName, data: Uint8Array) => new Uint8Array(createHash(alg).update(data).digest());

describe('RSA PKCS#1 v1.5: only the one correct encoding verifies', () => {
  const key = makeKey(2048);
  const h = digest('sha256', message);
  const sha256Pkcs1 = { kind: 'rsa-pkcs1', hash: 'sha256' } as const;

  const forgeries: [string, Uint8Array][] = [
    // The SHA-384 OID with a SHA-256 length digest: parsers that trust the length and ignore the OID pass it.
    ['wrong hash OID', pkcs1Block(key.k, concatBytes(fromHex('3031300d060960864801650304020205000420'), h))],
    [
      'DigestInfo and digest of SHA-512 while SHA-256 is asked',
      pkcs1Block(key.k, concatBytes(fromHex('3051300d060960864801650304020305000440'), digest('sha512', message))),
    ],
    ['trailing garbage after the digest', pkcs1Block(key.k, concatBytes(SHA256_DIGEST_INFO, h, fromHex('deadbeef')))],
    [
      'garbage in the AlgorithmIdentifier parameters',
      pkcs1Block(key.k, concatBytes(fromHex('3035301106096086480165030402010404deadbeef0420'), h)),
    ],
    [
      'DigestInfo without NULL parameters',
      pkcs1Block(key.k, concatBytes(fromHex('302f300b0609608648016503040201'), h)),
    ],
    ['digest without DigestInfo', pkcs1Block(key.k, h)],
    [
      'block type 02',
      (() => {
        const b = pkcs1Block(key.k, concatBytes(SHA256_DIGEST_INFO, h));
        b[1] = 2;
        return b;
      })(),
    ],
    [
      'a padding byte that is not FF',
      (() => {
        const b = pkcs1Block(key.k, concatBytes(SHA256_DIGEST_INFO, h));
        b[20] = 0xfe;
        return b;
      })(),
    ],
    [
      'padding shorter than 8 bytes (zeros in front)',
      (() => {
        const t = concatBytes(SHA256_DIGEST_INFO, h);
        const b = new Uint8Array(key.k);
        b.set([0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0], key.k - t.length - 10);
        b.set(t, key.k - t.length);
        return b;
      })(),
    ],
  ];

  for (const provider of PROVIDERS) {
    it(`${provider.name}: the correctly built block verifies (the harness itself is sound)`, () => {
      const signature = signBlock(key, pkcs1Block(key.k, concatBytes(SHA256_DIGEST_INFO, h)));
      expect(provider.verify(sha256Pkcs1, key.publicKey, message, signature)).toBe(true);
      const nodeSigned = new Uint8Array(sign('sha256', message, key.privateKey));
      expect(provider.verify(sha256Pkcs1, key.publicKey, message, nodeSigned)).toBe(true);
    });

    for (const [what, block] of forgeries) {
      it(`${provider.name}: refuses ${what}`, () => {
        expect(provider.verify(sha256Pkcs1, key.publicKey, message, signBlock(key, block))).toBe(false);
      });
    }

    it(`${provider.name}: refuses a signature of the wrong length or not below the modulus`, () => {
      const good = new Uint8Array(sign('sha256', message, key.privateKey));
      expect(provider.verify(sha256Pkcs1, key.publicKey, message, concatBytes(new Uint8Array(1), good))).toBe(false);
      expect(provider.verify(sha256Pkcs1, key.publicKey, message, good.subarray(1))).toBe(false);
      const n = key.publicKey.modulus.subarray(key.publicKey.modulus.length - key.k);
      expect(provider.verify(sha256Pkcs1, key.publicKey, message, n)).toBe(false);
      expect(provider.verify(sha256Pkcs1, key.publicKey, message, new Uint8Array(key.k).fill(0xff))).toBe(false);
    });
  }
});

describe('RSA-PSS and odd modulus sizes', () => {
  const keys = [makeKey(2048), makeKey(2049), makeKey(3071)];

  for (const provider of PROVIDERS) {
    for (const key of keys) {
      it(`${provider.name}: ${key.publicKey.bits}-bit key, PSS with several salt lengths and PKCS#1`, () => {
        for (const [hash, salt] of [
          ['sha256', 32],
          ['sha384', 48],
          ['sha256', 0],
          ['sha512', 64],
        ] as const) {
          const signature = new Uint8Array(
            sign(hash, message, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: salt }),
          );
          const verifies = (alg: SignatureAlgorithm, data = message) =>
            provider.verify(alg, key.publicKey, data, signature);
          expect(verifies({ kind: 'rsa-pss', hash, saltLength: salt })).toBe(true);
          // Without a saltLength the salt is as long as the hash.
          expect(verifies({ kind: 'rsa-pss', hash })).toBe(salt === HASH_LENGTH[hash]);
          expect(verifies({ kind: 'rsa-pss', hash, saltLength: salt + 1 })).toBe(false);
          expect(verifies({ kind: 'rsa-pss', hash, saltLength: salt }, message.subarray(1))).toBe(false);
          expect(verifies({ kind: 'rsa-pkcs1', hash })).toBe(false);
        }
        const pkcs1 = new Uint8Array(sign('sha384', message, key.privateKey));
        expect(provider.verify({ kind: 'rsa-pkcs1', hash: 'sha384' }, key.publicKey, message, pkcs1)).toBe(true);
        expect(provider.verify({ kind: 'rsa-pss', hash: 'sha384' }, key.publicKey, message, pkcs1)).toBe(false);
      });
    }
  }
});

describe('RSA key rules', () => {
  it('refuses moduli under 1024 bits and even or tiny exponents, accepts 1024 bits with e = 3 or 65537', () => {
    const n1024 = new Uint8Array(128).fill(0xff);
    const n1023 = new Uint8Array(128).fill(0xff);
    n1023[0] = 0x7f;
    expect(rsaKeyProblem({ modulus: n1024, exponent: fromHex('010001') })).toBeNull();
    expect(rsaKeyProblem({ modulus: concatBytes(new Uint8Array(1), n1024), exponent: fromHex('03') })).toBeNull();
    expect(rsaKeyProblem({ modulus: n1023, exponent: fromHex('010001') })).toMatch(/1023 bits/);
    for (const e of ['', '00', '01', '02', '010000']) {
      expect(rsaKeyProblem({ modulus: n1024, exponent: fromHex(e) })).toMatch(/exponent/);
    }
  });

  for (const provider of PROVIDERS) {
    it(`${provider.name}: a real signature by a 768-bit key is refused, by a 1024-bit key accepted`, () => {
      for (const [bits, accepted] of [
        [768, false],
        [1024, true],
      ] as const) {
        const key = makeKey(bits);
        const signature = new Uint8Array(sign('sha256', message, key.privateKey));
        const alg = { kind: 'rsa-pkcs1', hash: 'sha256' } as const;
        expect(provider.verify(alg, key.publicKey, message, signature)).toBe(accepted);
      }
    });
  }
});
