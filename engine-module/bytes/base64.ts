// Base64 decoding without atob/Buffer, which embedded runtimes may lack.

import { DecodeError } from './byte-reader.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/**
 * Decode standard base64 (RFC 4648 §4). ASCII whitespace is skipped; padding is required and only at the end.
 * Throws {@link DecodeError} on any other character or a length that is not a multiple of four.
 */
export function base64Decode(text: string): Uint8Array {
  const digits: number[] = [];
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c === 0x3d) {
      padding++;
      continue;
    }
    const v = c < 128 ? VALUES[c] : -1;
    if (v < 0 || padding > 0) throw new DecodeError(`base64: unexpected character at ${i}`);
    digits.push(v);
  }
  if ((digits.length + padding) % 4 !== 0 || padding > 2 || (padding > 0 && digits.length % 4 === 0)) {
    throw new DecodeError('base64: bad length or padding');
  }
  const out = new Uint8Array(Math.floor((digits.length * 3) / 4));
  let at = 0;
  for (let i = 0; i < digits.length; i += 4) {
    const n = (digits[i] << 18) | (digits[i + 1] << 12) | ((digits[i + 2] ?? 0) << 6) | (digits[i + 3] ?? 0);
    out[at++] = n >>> 16;
    if (at < out.length) out[at++] = (n >>> 8) & 0xff;
    if (at < out.length) out[at++] = n & 0xff;
  }
  return out;
}
