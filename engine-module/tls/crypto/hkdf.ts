// HKDF (RFC 5869) over any provider's HMAC: the TLS 1.3 key schedule is built from these two steps.

import type { CryptoProvider, HashName } from './provider.js';
import { HASH_LENGTH } from './hash-lengths.js';

/** HKDF-Extract: PRK = HMAC-Hash(salt, IKM). An empty salt means a string of HashLen zeros (RFC 5869 §2.2). */
export function hkdfExtract(provider: CryptoProvider, hash: HashName, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return provider.hmac(hash, salt.length === 0 ? new Uint8Array(HASH_LENGTH[hash]) : salt, ikm);
}

/**
 * HKDF-Expand: `length` bytes of output keying material from `prk` and `info`.
 * Throws a RangeError when `length` exceeds 255 * HashLen (a caller mistake: TLS asks for fixed, small sizes).
 */
export function hkdfExpand(
  provider: CryptoProvider,
  hash: HashName,
  prk: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  const hashLength = HASH_LENGTH[hash];
  if (!Number.isInteger(length) || length < 0 || length > 255 * hashLength) {
    throw new RangeError(`HKDF-Expand: length ${length} is outside 0..${255 * hashLength}`);
  }
  const okm = new Uint8Array(length);
  const input = new Uint8Array(hashLength + info.length + 1);
  input.set(info, hashLength);
  for (let i = 1, at = 0; at < length; i++) {
    // T(i) = HMAC(PRK, T(i-1) | info | i); T(0) is empty, so the first input starts after the T slot.
    input[input.length - 1] = i;
    const block = provider.hmac(hash, prk, input.subarray(i === 1 ? hashLength : 0));
    okm.set(block.subarray(0, Math.min(hashLength, length - at)), at);
    at += hashLength;
    input.set(block, 0);
  }
  return okm;
}
