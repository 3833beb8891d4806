// Byte classes of RFC 9110 field syntax, shared by the response parser and the request writer.

const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

/** True when every byte of `b` (at least one) is a token character. */
export function isToken(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  for (let i = 0; i < b.length; i++) if (!TCHAR[b[i]]) return false;
  return true;
}

/** True for a string made only of token characters (at least one). */
export function isTokenString(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || !TCHAR[c]) return false;
  }
  return true;
}

/** Control characters a field value must not hold: everything below SP except HTAB, and DEL. */
export function isForbiddenInValue(c: number): boolean {
  return (c < 0x20 && c !== 0x09) || c === 0x7f;
}

/** SP or HTAB. */
export function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Strip leading and trailing SP/HTAB (optional whitespace around a field value). */
export function trimOws(b: Uint8Array): Uint8Array {
  let start = 0;
  let end = b.length;
  while (start < end && isWhitespace(b[start])) start++;
  while (end > start && isWhitespace(b[end - 1])) end--;
  return b.subarray(start, end);
}

/** Split a field value on commas into trimmed, non-empty, lower-cased list members. */
export function lowerList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
}
