// What each key-exchange group requires of its values, shared by every provider so they all accept and refuse the
// same peers and derive the same private key from the same random bytes.

import { bigIntToBytes, bytesToBigInt } from './bigint-bytes.js';
import type { GroupName } from './provider.js';

/** Length of a public value on the wire (X25519: the u-coordinate; NIST: an uncompressed point). */
export const PUBLIC_KEY_LENGTH: Readonly<Record<GroupName, number>> = { x25519: 32, secp256r1: 65, secp384r1: 97 };

/** Length of the shared secret (X25519: 32; NIST: the x-coordinate). */
export const SHARED_SECRET_LENGTH: Readonly<Record<GroupName, number>> = { x25519: 32, secp256r1: 32, secp384r1: 48 };

const NIST_ORDER = {
  secp256r1: BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
  secp384r1: BigInt(
    '0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
  ),
};

/**
 * True when the peer's value has the only form TLS allows: 32 bytes for X25519, an uncompressed point (0x04 || X
 * || Y) for the NIST curves (RFC 8446 §4.2.8.2; compressed points are refused). Curve membership is the provider's
 * check.
 */
export function isWellFormedPublic(group: GroupName, value: Uint8Array): boolean {
  if (value.length !== PUBLIC_KEY_LENGTH[group]) return false;
  return group === 'x25519' || value[0] === 0x04;
}

/** True when every byte is zero (an X25519 result from a small-order point, RFC 8446 §7.4.2). */
export function isAllZero(b: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < b.length; i++) acc |= b[i];
  return acc === 0;
}

/**
 * A private key for `group` from `random`: X25519 takes 32 random bytes as they are (clamping happens in the
 * scalar multiplication); a NIST curve takes 1.5x the order's length of random bytes reduced into [1, n-1]
 * (FIPS 186-5 A.2.1), so the bias is negligible and the scalar is never 0.
 */
export function privateKeyFromRandom(group: GroupName, random: (n: number) => Uint8Array): Uint8Array {
  if (group === 'x25519') return takeRandom(random, 32);
  const order = NIST_ORDER[group];
  const length = group === 'secp256r1' ? 32 : 48;
  const scalar = (bytesToBigInt(takeRandom(random, length + length / 2)) % (order - 1n)) + 1n;
  return bigIntToBytes(scalar, length) as Uint8Array;
}

function takeRandom(random: (n: number) => Uint8Array, n: number): Uint8Array {
  const bytes = random(n);
  if (bytes.length !== n) throw new Error(`random source returned ${bytes.length} bytes instead of ${n}`);
  return bytes;
}
