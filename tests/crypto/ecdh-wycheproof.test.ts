import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../../engine-module/bytes/bytes.js';
import type { CryptoProvider, GroupName } from '../../engine-module/tls/crypto/provider.js';
import { PROVIDERS } from './providers.js';
import { Tally, eachTest, hexField, loadVectors, type VectorTest } from './wycheproof.js';

/** Wycheproof scalars are minimal big-endian integers (sometimes with a sign byte); a key share holds fixed width. */
function fixedWidth(scalar: Uint8Array, length: number): Uint8Array {
  let start = 0;
  while (start < scalar.length - length && scalar[start] === 0) start++;
  const out = new Uint8Array(length);
  out.set(scalar.subarray(start), length - (scalar.length - start));
  return out;
}

function sharedSecret(provider: CryptoProvider, group: GroupName, test: VectorTest, width: number) {
  const privateKey = fixedWidth(hexField(test, 'private'), width);
  return provider.ecdh({ group, privateKey, publicKey: new Uint8Array(0) }, hexField(test, 'public'));
}

const NIST_FILES: [string, GroupName, number, Record<string, number>][] = [
  ['ecdh_secp256r1_ecpoint_test.json', 'secp256r1', 32, { valid: 330, invalid: 24, 'acceptable, refused': 1 }],
  ['ecdh_secp384r1_ecpoint_test.json', 'secp384r1', 48, { valid: 771, invalid: 18, 'acceptable, refused': 1 }],
];

for (const provider of PROVIDERS) {
  describe(`${provider.name} provider: Wycheproof key exchange`, () => {
    // The only "acceptable" NIST vectors use a compressed public key. TLS sends uncompressed points only
    // (RFC 8446 §4.2.8.2; RFC 8422 for 1.2 with the uncompressed-only point format we advertise), so both
    // providers refuse them.
    for (const [name, group, width, expected] of NIST_FILES) {
      it(`${name} (compressed points refused)`, async () => {
        const file = loadVectors(name);
        const tally = new Tally();
        await eachTest(file, (_group, test) => {
          const secret = sharedSecret(provider, group, test, width);
          if (test.result === 'valid') {
            tally.count('valid');
            if (secret === null || !bytesEqual(secret, hexField(test, 'shared'))) tally.fail(test, 'wrong secret');
          } else {
            tally.count(test.result === 'invalid' ? 'invalid' : 'acceptable, refused');
            if (test.result === 'acceptable') expect(test.flags).toContain('CompressedPoint');
            if (secret !== null) tally.fail(test, 'accepted');
          }
        });
        expect(tally.failures).toEqual([]);
        expect(tally.counts).toEqual(expected);
        expect(tally.total).toBe(file.numberOfTests);
      });
    }

    // X25519 "acceptable" vectors are twist points, non-canonical encodings and low-order points. RFC 7748 says to
    // compute them; RFC 8446 §7.4.2 requires refusing an all-zero result. So: a non-zero expected secret must be
    // produced exactly, an all-zero one must be refused.
    it('x25519_test.json (all-zero results refused, the rest computed)', async () => {
      const file = loadVectors('x25519_test.json');
      const tally = new Tally();
      await eachTest(file, (_group, test) => {
        const secret = sharedSecret(provider, 'x25519', test, 32);
        const expectedSecret = hexField(test, 'shared');
        if (expectedSecret.every((b) => b === 0)) {
          tally.count(`${test.result}, zero secret refused`);
          if (secret !== null) tally.fail(test, 'accepted an all-zero secret');
          return;
        }
        tally.count(test.result);
        if (secret === null || !bytesEqual(secret, expectedSecret)) tally.fail(test, 'wrong secret');
      });
      expect(tally.failures).toEqual([]);
      expect(tally.counts).toEqual({ valid: 264, acceptable: 223, 'acceptable, zero secret refused': 31 });
      expect(tally.total).toBe(file.numberOfTests);
    });
  });
}
