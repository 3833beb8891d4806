// Big-endian conversions between bytes and BigInt, for the arithmetic the providers do themselves (RSA, scalars).

/** The unsigned big-endian integer the bytes spell (empty bytes: 0). */
export function bytesToBigInt(b: Uint8Array): bigint {
  let hex = '';
  for (let i = 0; i < b.length; i++) hex += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return hex === '' ? 0n : BigInt('0x' + hex);
}

/** `n` as exactly `length` big-endian bytes; null when it does not fit. */
export function bigIntToBytes(n: bigint, length: number): Uint8Array | null {
  const hex = n.toString(16);
  if (n < 0n || hex.length > length * 2) return null;
  const padded = hex.padStart(length * 2, '0');
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(padded.substr(i * 2, 2), 16);
  return out;
}
