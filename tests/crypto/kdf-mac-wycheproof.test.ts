import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../../engine-module/bytes/bytes.js';
import { hkdfExpand, hkdfExtract } from '../../engine-module/tls/crypto/hkdf.js';
import type { HashName } from '../../engine-module/tls/crypto/provider.js';
import { PROVIDERS } from './providers.js';
import { Tally, eachTest, hexField, loadVectors } from './wycheproof.js';

const HKDF_FILES: [string, HashName, Record<string, number>][] = [
  ['hkdf_sha256_test.json', 'sha256', { valid: 83, invalid: 3 }],
  ['hkdf_sha384_test.json', 'sha384', { valid: 80, invalid: 3 }],
];

const HMAC_FILES: [string, HashName, Record<string, number>][] = [
  ['hmac_sha256_test.json', 'sha256', { valid: 66, invalid: 108 }],
  ['hmac_sha384_test.json', 'sha384', { valid: 66, invalid: 108 }],
];

for (const provider of PROVIDERS) {
  describe(`${provider.name} provider: Wycheproof HKDF and HMAC`, () => {
    // The invalid HKDF vectors ask for more than 255 * HashLen bytes: a RangeError, since only a caller asks that.
    for (const [name, hash, expected] of HKDF_FILES) {
      it(name, async () => {
        const file = loadVectors(name);
        const tally = new Tally();
        await eachTest(file, (_group, test) => {
          tally.count(test.result);
          const derive = () => {
            const prk = hkdfExtract(provider, hash, hexField(test, 'salt'), hexField(test, 'ikm'));
            return hkdfExpand(provider, hash, prk, hexField(test, 'info'), test.size as number);
          };
          if (test.result === 'invalid') {
            expect(derive).toThrow(RangeError);
          } else if (!bytesEqual(derive(), hexField(test, 'okm'))) tally.fail(test, 'wrong okm');
        });
        expect(tally.failures).toEqual([]);
        expect(tally.counts).toEqual(expected);
        expect(tally.total).toBe(file.numberOfTests);
      });
    }

    // Groups with a truncated tagSize compare the leftmost tagSize/8 bytes.
    for (const [name, hash, expected] of HMAC_FILES) {
      it(name, async () => {
        const file = loadVectors(name);
        const tally = new Tally();
        await eachTest(file, (group, test) => {
          tally.count(test.result);
          const mac = provider.hmac(hash, hexField(test, 'key'), hexField(test, 'msg'));
          const matches = bytesEqual(mac.subarray(0, (group.tagSize as number) / 8), hexField(test, 'tag'));
          if (matches !== (test.result === 'valid')) tally.fail(test, matches ? 'matched' : 'did not match');
        });
        expect(tally.failures).toEqual([]);
        expect(tally.counts).toEqual(expected);
        expect(tally.total).toBe(file.numberOfTests);
      });
    }
  });
}
