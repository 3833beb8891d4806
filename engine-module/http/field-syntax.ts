// Byte classes of RFC 9110 field syntax, shared by the response parser and the request writer.

const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

/** True when every byte of `b` from `start` to `end` (at least one) is a token character. */
export function isToken(b: Uint8Array, start = 0, end = b.length): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) if (!TCHAR[b[i]]) return false;
  return true;
}

/** True when the chars of `s` from `start` to `end` (at least one) are all token characters. */
export function isTokenString(s: string, start = 0, end = s.length): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
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

/** Index past the SP/HTAB that start at `start` in `s` (stopping at `end`). */
export function skipOws(s: string, start: number, end: number): number {
  while (start < end && isWhitespace(s.charCodeAt(start))) start++;
  return start;
}

/** Index of the end of `s` from `start` to `end` once trailing SP/HTAB are dropped. */
export function trimOwsEnd(s: string, start: number, end: number): number {
  while (end > start && isWhitespace(s.charCodeAt(end - 1))) end--;
  return end;
}

/**
 * True when a member of the comma-separated list `value` (members trimmed of SP/HTAB) equals `member`, which is
 * lower case, ignoring ASCII case. No member strings are made: this runs on every response.
 */
export function listHas(value: string, member: string): boolean {
  for (let start = 0; start <= value.length; ) {
    let end = value.indexOf(',', start);
    if (end < 0) end = value.length;
    const from = skipOws(value, start, end);
    if (equalsLower(value, from, trimOwsEnd(value, from, end), member)) return true;
    start = end + 1;
  }
  return false;
}

/** The last non-empty member of the comma-separated list `value`, trimmed and lower-cased; "" when it has none. */
export function lastListMember(value: string): string {
  for (let end = value.length; end > 0; ) {
    const comma = value.lastIndexOf(',', end - 1);
    const from = skipOws(value, comma + 1, end);
    const to = trimOwsEnd(value, from, end);
    if (to > from) return value.slice(from, to).toLowerCase();
    end = comma;
  }
  return '';
}

/** True when the field name `name` is `lower` (lower case), ignoring ASCII case. */
export function isNamed(name: string, lower: string): boolean {
  return equalsLower(name, 0, name.length, lower);
}

/** True when `s` from `start` to `end` equals `lower` (lower case) ignoring ASCII case. */
export function equalsLower(s: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = s.charCodeAt(start + i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}
