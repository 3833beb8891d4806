// A strict DER reader: definite, minimally encoded lengths and single-byte tags only. Certificates are signed over
// their exact bytes, so accepting a second encoding of the same value would only widen what an attacker can feed us.

import { ByteReader, DecodeError } from '../../bytes/byte-reader.js';
import { latin1Decode, utf8Decode } from '../../bytes/bytes.js';

/** Identifier octets of the universal types X.509 uses (constructed bit included for SEQUENCE and SET). */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Identifier octet of a context-specific tag `[n]`, primitive (IMPLICIT on a primitive type) or constructed. */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

/** One TLV. */
export interface DerElement {
  /** The identifier octet (class, constructed bit, tag number). */
  tag: number;
  /** The contents octets. */
  value: Uint8Array;
  /** The whole encoding, header included (what signatures and name comparisons cover). */
  raw: Uint8Array;
}

/** Reads consecutive TLVs from one buffer (a whole document or the contents of a constructed element). */
export class DerReader {
  private readonly r: ByteReader;

  constructor(private readonly buf: Uint8Array) {
    this.r = new ByteReader(buf);
  }

  atEnd(): boolean {
    return this.r.atEnd();
  }

  /** The identifier octet of the next element, or -1 at the end. */
  peekTag(): number {
    return this.r.atEnd() ? -1 : this.buf[this.r.offset];
  }

  /** The next element, whatever its tag. */
  read(): DerElement {
    const start = this.r.offset;
    const tag = this.r.u8();
    if ((tag & 0x1f) === 0x1f) throw new DecodeError('DER: multi-byte tags are not used in X.509');
    const value = this.r.bytes(this.readLength());
    return { tag, value, raw: this.buf.subarray(start, this.r.offset) };
  }

  /** The next element, which must carry `tag`; `what` names it in the error. */
  expect(tag: number, what: string): DerElement {
    const found = this.peekTag();
    if (found !== tag) {
      const seen = found < 0 ? 'end of data' : `tag 0x${hex2(found)}`;
      throw new DecodeError(`DER: expected ${what} (tag 0x${hex2(tag)}), found ${seen}`);
    }
    return this.read();
  }

  /** The next element if it carries `tag`, else undefined (for OPTIONAL and DEFAULT fields). */
  optional(tag: number): DerElement | undefined {
    return this.peekTag() === tag ? this.read() : undefined;
  }

  /** A reader over the contents of the next element, which must be a SEQUENCE (or `tag`). */
  enter(what: string, tag: number = Tag.SEQUENCE): DerReader {
    return new DerReader(this.expect(tag, what).value);
  }

  /** Throw unless every element was read. */
  expectEnd(what: string): void {
    if (!this.r.atEnd()) throw new DecodeError(`DER: unexpected data after ${what}`);
  }

  private readLength(): number {
    const first = this.r.u8();
    if (first < 0x80) return first;
    if (first === 0x80) throw new DecodeError('DER: indefinite length is not allowed');
    const count = first & 0x7f;
    if (count > 4) throw new DecodeError('DER: length too large');
    let len = 0;
    for (let i = 0; i < count; i++) {
      const b = this.r.u8();
      if (i === 0 && b === 0) throw new DecodeError('DER: length has leading zero bytes');
      len = len * 256 + b;
    }
    if (len < 0x80) throw new DecodeError('DER: short length in long form');
    return len;
  }
}

/** Parse one complete DER element that must fill `bytes` exactly. */
export function readSingle(bytes: Uint8Array, tag: number, what: string): DerElement {
  const r = new DerReader(bytes);
  const el = r.expect(tag, what);
  r.expectEnd(what);
  return el;
}

/** A reader over the contents of `el`, which must carry `tag` (SEQUENCE by default). */
export function contents(el: DerElement, what: string, tag: number = Tag.SEQUENCE): DerReader {
  if (el.tag !== tag) throw new DecodeError(`DER: ${what} has tag 0x${hex2(el.tag)}, expected 0x${hex2(tag)}`);
  return new DerReader(el.value);
}

/** Dotted-decimal OBJECT IDENTIFIER. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0) throw new DecodeError('DER: empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let acc = 0;
  let fresh = true;
  for (let i = 0; i < value.length; i++) {
    const b = value[i];
    if (fresh && b === 0x80) throw new DecodeError('DER: OBJECT IDENTIFIER arc has a leading zero');
    if (acc > 0x1fffffffffff) throw new DecodeError('DER: OBJECT IDENTIFIER arc too large');
    acc = acc * 128 + (b & 0x7f);
    fresh = (b & 0x80) === 0;
    if (fresh) {
      if (arcs.length === 0) {
        const top = acc < 40 ? 0 : acc < 80 ? 1 : 2;
        arcs.push(top, acc - top * 40);
      } else arcs.push(acc);
      acc = 0;
    }
  }
  if (!fresh) throw new DecodeError('DER: truncated OBJECT IDENTIFIER');
  return arcs.join('.');
}

/** The contents of an INTEGER after checking it is minimally encoded (two's complement, big-endian). */
export function checkInteger(value: Uint8Array): Uint8Array {
  if (value.length === 0) throw new DecodeError('DER: empty INTEGER');
  if (value.length > 1 && ((value[0] === 0 && value[1] < 0x80) || (value[0] === 0xff && value[1] >= 0x80))) {
    throw new DecodeError('DER: INTEGER is not minimally encoded');
  }
  return value;
}

/** A non-negative INTEGER that fits comfortably in a number (versions, path lengths, salt lengths). */
export function decodeSmallInteger(value: Uint8Array): number {
  checkInteger(value);
  if (value[0] & 0x80) throw new DecodeError('DER: negative INTEGER where a count was expected');
  if (value.length > 4) throw new DecodeError('DER: INTEGER too large');
  let n = 0;
  for (const b of value) n = n * 256 + b;
  return n;
}

/** A positive INTEGER as an unsigned big-endian magnitude without leading zeros (RSA modulus and exponent). */
export function decodePositiveInteger(value: Uint8Array, what: string): Uint8Array {
  checkInteger(value);
  if (value[0] & 0x80) throw new DecodeError(`DER: ${what} is negative`);
  const magnitude = value[0] === 0 ? value.subarray(1) : value;
  if (magnitude.length === 0) throw new DecodeError(`DER: ${what} is zero`);
  return magnitude;
}

/** BOOLEAN: DER allows only 0x00 and 0xff. */
export function decodeBoolean(value: Uint8Array): boolean {
  if (value.length !== 1 || (value[0] !== 0 && value[0] !== 0xff)) throw new DecodeError('DER: invalid BOOLEAN');
  return value[0] === 0xff;
}

/** BIT STRING contents: the bytes and the number of unused bits in the last one (which must be zero bits). */
export function decodeBitString(value: Uint8Array): { bytes: Uint8Array; unusedBits: number } {
  if (value.length === 0) throw new DecodeError('DER: empty BIT STRING');
  const unusedBits = value[0];
  const bytes = value.subarray(1);
  if (unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) throw new DecodeError('DER: invalid BIT STRING');
  if (bytes.length > 0 && (bytes[bytes.length - 1] & ((1 << unusedBits) - 1)) !== 0) {
    throw new DecodeError('DER: BIT STRING has non-zero unused bits');
  }
  return { bytes, unusedBits };
}

/** A BIT STRING that must hold whole bytes (keys and signatures). */
export function decodeOctetAlignedBitString(value: Uint8Array, what: string): Uint8Array {
  const { bytes, unusedBits } = decodeBitString(value);
  if (unusedBits !== 0) throw new DecodeError(`DER: ${what} is not a whole number of bytes`);
  return bytes;
}

/** UTCTime (YYMMDDHHMMSSZ, years 1950-2049) or GeneralizedTime (YYYYMMDDHHMMSSZ), as RFC 5280 profiles them. */
export function decodeTime(el: DerElement): Date {
  const s = latin1Decode(el.value);
  let year: number;
  let rest: string;
  if (el.tag === Tag.UTC_TIME && /^\d{12}Z$/.test(s)) {
    const yy = Number(s.slice(0, 2));
    year = yy < 50 ? 2000 + yy : 1900 + yy;
    rest = s.slice(2);
  } else if (el.tag === Tag.GENERALIZED_TIME && /^\d{14}Z$/.test(s)) {
    year = Number(s.slice(0, 4));
    rest = s.slice(4);
  } else throw new DecodeError(`DER: invalid time "${s}"`);
  const [month, day, hour, minute, second] = [0, 2, 4, 6, 8].map((i) => Number(rest.slice(i, i + 2)));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    throw new DecodeError(`DER: invalid time "${s}"`);
  }
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year); // Date.UTC maps years 0-99 to 19xx
  return d;
}

/** The text of a directory string (for display only, so undecodable input becomes U+FFFD, never an error). */
export function decodeDirectoryString(el: DerElement): string {
  switch (el.tag) {
    case Tag.UTF8_STRING:
      return utf8Decode(el.value);
    case Tag.BMP_STRING:
      return decodeWide(el.value, 2);
    case Tag.UNIVERSAL_STRING:
      return decodeWide(el.value, 4);
    case Tag.PRINTABLE_STRING:
    case Tag.IA5_STRING:
    case Tag.TELETEX_STRING:
    case Tag.VISIBLE_STRING:
    case Tag.NUMERIC_STRING:
      return latin1Decode(el.value);
    default:
      return '#' + Array.from(el.raw, hex2).join('');
  }
}

function decodeWide(value: Uint8Array, width: 2 | 4): string {
  let s = '';
  for (let i = 0; i + width <= value.length; i += width) {
    let cp = 0;
    for (let j = 0; j < width; j++) cp = cp * 256 + value[i + j];
    s += cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff || width === 2) ? String.fromCodePoint(cp) : '\ufffd';
  }
  return s;
}

function hex2(n: number): string {
  return (n < 16 ? '0' : '') + n.toString(16);
}
