// RSA signature verification (RFC 8017) on BigInt: the public-key operation, EMSA-PKCS1-v1_5 and EMSA-PSS.
// PKCS#1 v1.5 is checked by building the one correct encoding and comparing every byte, never by parsing the
// recovered block: lenient DigestInfo parsing is how forged signatures get accepted.

import { bigIntToBytes, bytesToBigInt } from './bigint-bytes.js';
import { bytesEqual, concatBytes, fromHex } from '../../bytes/bytes.js';
import { HASH_LENGTH } from './hash-lengths.js';
import type { HashName, SignatureAlgorithm } from './provider.js';

/** The public numbers of an RSA key, big-endian (leading zero bytes allowed). */
export interface RsaPublicNumbers {
  modulus: Uint8Array;
  exponent: Uint8Array;
}

/** A hash function over whole inputs (PSS needs it for MGF1 and for H'). */
export type Digest = (data: Uint8Array) => Uint8Array;

const MIN_MODULUS_BITS = 1024;

// DER of DigestInfo up to the digest itself (RFC 8017 §9.2 note 1).
const DIGEST_INFO_PREFIX: Readonly<Record<HashName, Uint8Array>> = {
  sha256: fromHex('3031300d060960864801650304020105000420'),
  sha384: fromHex('3041300d060960864801650304020205000430'),
  sha512: fromHex('3051300d060960864801650304020305000440'),
};

/**
 * Why the key cannot be used for verification, or null when it can. Refused: moduli under 1024 bits, even
 * exponents, exponents below 3. Stricter size policy belongs to the certificate layer.
 */
export function rsaKeyProblem(key: RsaPublicNumbers): string | null {
  const n = bytesToBigInt(key.modulus);
  const e = bytesToBigInt(key.exponent);
  if (bitLength(n) < MIN_MODULUS_BITS) return `RSA modulus of ${bitLength(n)} bits is under ${MIN_MODULUS_BITS}`;
  if (e < 3n || (e & 1n) === 0n) return 'RSA public exponent must be odd and at least 3';
  return null;
}

/** RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2) of `messageHash`, the `hash` digest of the signed data. */
export function rsaVerifyPkcs1v15(
  key: RsaPublicNumbers,
  hash: HashName,
  messageHash: Uint8Array,
  signature: Uint8Array,
): boolean {
  const em = rsaPublicOperation(key, signature);
  if (em === null) return false;
  const t = concatBytes(DIGEST_INFO_PREFIX[hash], messageHash);
  const psLength = em.length - t.length - 3;
  if (psLength < 8) return false;
  const expected = new Uint8Array(em.length).fill(0xff);
  expected[0] = 0x00;
  expected[1] = 0x01;
  expected[2 + psLength] = 0x00;
  expected.set(t, 3 + psLength);
  return bytesEqual(em, expected);
}

/**
 * RSASSA-PSS verification (RFC 8017 §8.1.2 and §9.1.2) of `messageHash`, with MGF1 over the same `digest`.
 * `saltLength` is the exact salt length required.
 */
export function rsaVerifyPss(
  key: RsaPublicNumbers,
  digest: Digest,
  messageHash: Uint8Array,
  signature: Uint8Array,
  saltLength: number,
): boolean {
  const block = rsaPublicOperation(key, signature);
  if (block === null) return false;
  const modBits = bitLength(bytesToBigInt(key.modulus));
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  // I2OSP(m, emLen): when emBits is a multiple of 8 the k-byte block has one more leading byte, which must be 0.
  if (block.length > emLen && block[0] !== 0) return false;
  const em = block.subarray(block.length - emLen);
  const hLen = messageHash.length;
  if (!Number.isInteger(saltLength) || saltLength < 0 || emLen < hLen + saltLength + 2) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const dbLen = emLen - hLen - 1;
  const maskedDb = em.subarray(0, dbLen);
  const h = em.subarray(dbLen, dbLen + hLen);
  const unusedBits = 8 * emLen - emBits;
  const topMask = 0xff >> unusedBits;
  if ((maskedDb[0] & ~topMask & 0xff) !== 0) return false;
  const db = mgf1(digest, h, dbLen);
  for (let i = 0; i < dbLen; i++) db[i] ^= maskedDb[i];
  db[0] &= topMask;
  const psLength = dbLen - saltLength - 1;
  for (let i = 0; i < psLength; i++) if (db[i] !== 0) return false;
  if (db[psLength] !== 0x01) return false;
  const salt = db.subarray(dbLen - saltLength);
  const mPrime = concatBytes(new Uint8Array(8), messageHash, salt);
  return bytesEqual(digest(mPrime), h);
}

/** The exact salt length a PSS signature must have: the algorithm's own, else the hash length (RFC 8446 §4.2.3). */
export function pssSaltLength(alg: Extract<SignatureAlgorithm, { kind: 'rsa-pss' }>): number {
  return alg.saltLength ?? HASH_LENGTH[alg.hash];
}

/**
 * RSAVP1 with the checks around it: key acceptable, signature exactly as long as the modulus, s < n.
 * Returns m = s^e mod n as a modulus-length block, or null.
 */
function rsaPublicOperation(key: RsaPublicNumbers, signature: Uint8Array): Uint8Array | null {
  if (rsaKeyProblem(key) !== null) return null;
  const n = bytesToBigInt(key.modulus);
  const k = Math.ceil(bitLength(n) / 8);
  if (signature.length !== k) return null;
  const s = bytesToBigInt(signature);
  if (s >= n) return null;
  return bigIntToBytes(modPow(s, bytesToBigInt(key.exponent), n), k);
}

/** Left-to-right square-and-multiply: for e = 65537 that is 17 squarings and one multiplication. */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  const bits = exponent.toString(2);
  let result = 1n;
  for (let i = 0; i < bits.length; i++) {
    result = (result * result) % modulus;
    if (bits.charCodeAt(i) === 49 /* '1' */) result = (result * base) % modulus;
  }
  return result;
}

/** MGF1 (RFC 8017 §B.2.1): `length` bytes of mask from `seed`. */
function mgf1(digest: Digest, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const input = new Uint8Array(seed.length + 4);
  input.set(seed, 0);
  for (let counter = 0, at = 0; at < length; counter++) {
    input[seed.length] = counter >>> 24;
    input[seed.length + 1] = (counter >>> 16) & 0xff;
    input[seed.length + 2] = (counter >>> 8) & 0xff;
    input[seed.length + 3] = counter & 0xff;
    const block = digest(input);
    out.set(block.subarray(0, Math.min(block.length, length - at)), at);
    at += block.length;
  }
  return out;
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}
