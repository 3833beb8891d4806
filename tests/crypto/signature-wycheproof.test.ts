import { describe, expect, it } from 'vitest';
import type { PublicKey, SignatureAlgorithm } from '../../engine-module/tls/crypto/provider.js';
import { PROVIDERS } from './providers.js';
import { Tally, eachTest, hashName, hexField, loadVectors, type VectorGroup } from './wycheproof.js';

interface SignatureFile {
  name: string;
  key(group: VectorGroup): PublicKey;
  alg(group: VectorGroup): SignatureAlgorithm;
  counts: Record<string, number>;
}

function ecKey(group: VectorGroup): PublicKey {
  const fields = group.publicKey as { curve: string; uncompressed: string };
  const curve = ({ secp256r1: 'P-256', secp384r1: 'P-384' } as const)[fields.curve as 'secp256r1' | 'secp384r1'];
  return { kind: 'ec', curve, spki: hexField(group, 'publicKeyDer'), point: hexField(fields, 'uncompressed') };
}

/** The X.509 layer hands over the numbers as DER INTEGER contents (a leading zero byte included) plus the SPKI. */
function rsaKey(group: VectorGroup): PublicKey {
  const fields = group.publicKey as { modulus: string; publicExponent: string };
  return {
    kind: 'rsa',
    spki: hexField(group, 'publicKeyDer'),
    modulus: hexField(fields, 'modulus'),
    exponent: hexField(fields, 'publicExponent'),
    bits: group.keySize as number,
  };
}

const FILES: SignatureFile[] = [
  {
    name: 'ecdsa_secp256r1_sha256_test.json',
    key: ecKey,
    alg: (g) => ({ kind: 'ecdsa', hash: hashName(g.sha) }),
    counts: { valid: 174, invalid: 310 },
  },
  {
    name: 'ecdsa_secp384r1_sha384_test.json',
    key: ecKey,
    alg: (g) => ({ kind: 'ecdsa', hash: hashName(g.sha) }),
    counts: { valid: 194, invalid: 310 },
  },
  {
    name: 'rsa_signature_2048_sha256_test.json',
    key: rsaKey,
    alg: (g) => ({ kind: 'rsa-pkcs1', hash: hashName(g.sha) }),
    counts: { valid: 9, invalid: 249, 'acceptable, refused': 1 },
  },
  {
    name: 'rsa_signature_3072_sha384_test.json',
    key: rsaKey,
    alg: (g) => ({ kind: 'rsa-pkcs1', hash: hashName(g.sha) }),
    counts: { valid: 7, invalid: 251, 'acceptable, refused': 1 },
  },
  {
    name: 'rsa_pss_2048_sha256_mgf1_32_test.json',
    key: rsaKey,
    alg: (g) => {
      expect([g.mgf, g.mgfSha]).toEqual(['MGF1', g.sha]);
      return { kind: 'rsa-pss', hash: hashName(g.sha), saltLength: g.sLen as number };
    },
    counts: { valid: 63, invalid: 45 },
  },
];

for (const provider of PROVIDERS) {
  describe(`${provider.name} provider: Wycheproof signatures`, () => {
    // "acceptable" here is only the PKCS#1 DigestInfo without the NULL parameters. RFC 8017 §9.2 has one
    // encoding, the one with NULL, and both providers accept that one alone.
    for (const file of FILES) {
      it(file.name, async () => {
        const vectors = loadVectors(file.name);
        const tally = new Tally();
        await eachTest(vectors, (group, test) => {
          const ok = provider.verify(file.alg(group), file.key(group), hexField(test, 'msg'), hexField(test, 'sig'));
          tally.count(test.result === 'acceptable' ? 'acceptable, refused' : test.result);
          if (ok !== (test.result === 'valid')) tally.fail(test, ok ? 'accepted' : 'rejected');
        });
        expect(tally.failures).toEqual([]);
        expect(tally.counts).toEqual(file.counts);
        expect(tally.total).toBe(vectors.numberOfTests);
      });
    }
  });
}
