import { describe, expect, it } from 'vitest';
import { bytesEqual, concatBytes } from '../../engine-module/bytes/bytes.js';
import type { AeadName, CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { PROVIDERS } from './providers.js';
import { Tally, eachTest, hexField, loadVectors, type VectorGroup, type VectorTest } from './wycheproof.js';

const AES_NAMES: Record<number, AeadName | undefined> = { 128: 'aes-128-gcm', 256: 'aes-256-gcm' };

/** Seal must reproduce ct||tag and open must give the message back; an invalid vector must not open. */
function checkAead(provider: CryptoProvider, alg: AeadName, test: VectorTest, tally: Tally): void {
  const key = hexField(test, 'key');
  const iv = hexField(test, 'iv');
  const aad = hexField(test, 'aad');
  const msg = hexField(test, 'msg');
  const sealed = concatBytes(hexField(test, 'ct'), hexField(test, 'tag'));
  const aead = provider.aead(alg, key);
  const opened = aead.open(iv, aad, sealed);
  if (test.result === 'valid') {
    tally.count('valid');
    if (opened === null || !bytesEqual(opened, msg)) tally.fail(test, 'open failed');
    if (!bytesEqual(aead.seal(iv, aad, msg), sealed)) tally.fail(test, 'seal differs');
    return;
  }
  tally.count('invalid');
  if (opened !== null) tally.fail(test, 'opened an invalid ciphertext');
  if (iv.length !== 12 && !throwsRangeError(() => aead.seal(iv, aad, msg))) tally.fail(test, 'sealed with a bad nonce');
}

function throwsRangeError(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch (e) {
    return e instanceof RangeError;
  }
}

for (const provider of PROVIDERS) {
  describe(`${provider.name} provider: Wycheproof AEAD`, () => {
    it('aes_gcm_test.json (96-bit IVs; TLS uses no other)', async () => {
      const file = loadVectors('aes_gcm_test.json');
      const tally = new Tally();
      await eachTest(file, (group: VectorGroup, test) => {
        const alg = AES_NAMES[group.keySize as number];
        // AES-192 is in no TLS suite; other IV sizes never occur in TLS and the providers refuse them.
        if (alg === undefined) return tally.count('skipped: AES-192');
        if (group.ivSize !== 96) return tally.count('skipped: IV not 96 bits');
        expect(group.tagSize).toBe(128);
        checkAead(provider, alg, test, tally);
      });
      expect(tally.failures).toEqual([]);
      expect(tally.counts).toEqual({
        valid: 79,
        invalid: 54,
        'skipped: AES-192': 103,
        'skipped: IV not 96 bits': 80,
      });
      expect(tally.total).toBe(file.numberOfTests);
    });

    it('chacha20_poly1305_test.json (bad nonce sizes must not open)', async () => {
      const file = loadVectors('chacha20_poly1305_test.json');
      const tally = new Tally();
      await eachTest(file, (group, test) => {
        expect([group.keySize, group.tagSize]).toEqual([256, 128]);
        checkAead(provider, 'chacha20-poly1305', test, tally);
      });
      expect(tally.failures).toEqual([]);
      expect(tally.counts).toEqual({ valid: 256, invalid: 69 });
      expect(tally.total).toBe(file.numberOfTests);
    });
  });
}
