import { utf8Encode } from '../bytes/bytes.js';

/** A value in a query dictionary: null gives a bare key, an array repeats the key once per element. */
export type QueryScalar = string | number | boolean | null | undefined;
export type QueryValue = QueryScalar | readonly QueryScalar[];

const HEX = '0123456789ABCDEF';

/** Godot's String.uri_encode: UTF-8, every byte but A-Z a-z 0-9 - . _ ~ percent-encoded in upper-case hex. */
export function uriEncode(s: string): string {
  const bytes = utf8Encode(s);
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    const unreserved =
      (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
    out += unreserved ? String.fromCharCode(c) : '%' + HEX[c >> 4] + HEX[c & 15];
  }
  return out;
}

/**
 * Godot's HTTPClient.query_string_from_dict: "key=value" pairs joined by "&" in insertion order, keys and values
 * uri-encoded; a null (or undefined) value gives the bare key; an array gives one pair per element.
 */
export function queryStringFromDict(fields: Readonly<Record<string, QueryValue>>): string {
  const pairs: string[] = [];
  for (const key of Object.keys(fields)) {
    const k = uriEncode(key);
    const value = fields[key];
    const values: readonly QueryScalar[] = Array.isArray(value) ? value : [value as QueryScalar];
    for (const v of values) pairs.push(v === null || v === undefined ? k : `${k}=${uriEncode(String(v))}`);
  }
  return pairs.join('&');
}
