// Byte-level mutations as plain data, so the same list can come from a seeded PRNG (the fuzz runner) or from
// fast-check arbitraries (the property tests, which then shrink them), and be printed with a finding.

import { asciiEncode } from '../engine-module/bytes/bytes.js';
import type { Rng } from './rng.js';

/**
 * One edit. Positions are taken modulo the current length (plus one for insertions), so any number is valid for any
 * input and a shrunk list stays applicable.
 */
export type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'insert'; at: number; bytes: number[] }
  | { op: 'delete'; at: number; length: number }
  | { op: 'repeat'; at: number; length: number; times: number }
  | { op: 'splice'; at: number; length: number; token: number }
  | { op: 'truncate'; at: number };

/** Fragments that matter to HTTP/1.1 and TLS parsers: line ends, separators, framing words, boundary numbers. */
export const TOKENS: readonly Uint8Array[] = [
  '\r\n',
  '\n',
  '\r',
  '\0',
  ':',
  ' ',
  '\t',
  ';',
  '\r\n\r\n',
  '0\r\n\r\n',
  'chunked',
  'Transfer-Encoding: chunked\r\n',
  'Content-Length: 5\r\n',
  'Content-Length: 9007199254740993\r\n',
  'Connection: close\r\n',
  'HTTP/1.1 100 Continue\r\n\r\n',
  'HTTP/1.1 200 OK\r\n',
  'HTTP/1.0 204 No Content\r\n\r\n',
  'FFFFFFFFFFFFFFFF',
  '1fffffffffffff',
  '9007199254740991',
  '-1',
  ' \r\n folded',
  '\x16\x03\x03',
  '\x17\x03\x03\x40\x01',
  '\x15\x03\x03\x00\x02\x02\x28',
  '\x14\x03\x03\x00\x01\x01',
  '\xff\xff\xff',
  '\x00\x00\x00\x00',
].map(asciiEncode);

/** The input with every mutation applied in order (the input itself is not changed). */
export function applyMutations(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = input;
  for (const m of mutations) b = applyOne(b, m);
  return b;
}

function applyOne(b: Uint8Array, m: Mutation): Uint8Array {
  if (m.op === 'insert') return replace(b, m.at % (b.length + 1), 0, Uint8Array.from(m.bytes, (x) => x & 0xff));
  if (b.length === 0) return b;
  const at = m.at % b.length;
  switch (m.op) {
    case 'flip': {
      const out = b.slice();
      out[at] ^= 1 << (m.bit & 7);
      return out;
    }
    case 'set': {
      const out = b.slice();
      out[at] = m.value & 0xff;
      return out;
    }
    case 'delete':
      return replace(b, at, m.length, new Uint8Array(0));
    case 'repeat': {
      const piece = b.subarray(at, at + m.length);
      const copies = new Uint8Array(piece.length * m.times);
      for (let i = 0; i < m.times; i++) copies.set(piece, i * piece.length);
      return replace(b, at, 0, copies);
    }
    case 'splice':
      return replace(b, at, m.length, TOKENS[m.token % TOKENS.length]);
    case 'truncate':
      return b.subarray(0, at);
  }
}

function replace(b: Uint8Array, at: number, removed: number, added: Uint8Array): Uint8Array {
  const end = Math.min(b.length, at + removed);
  const out = new Uint8Array(b.length - (end - at) + added.length);
  out.set(b.subarray(0, at));
  out.set(added, at);
  out.set(b.subarray(end), at + added.length);
  return out;
}

/** Between `min` and `max` random mutations. */
export function randomMutations(rng: Rng, min: number, max: number): Mutation[] {
  const out: Mutation[] = [];
  const n = min + rng.int(max - min + 1);
  for (let i = 0; i < n; i++) out.push(randomMutation(rng));
  return out;
}

function randomMutation(rng: Rng): Mutation {
  const at = rng.int(1 << 30);
  switch (rng.int(8)) {
    case 0:
    case 1:
      return { op: 'flip', at, bit: rng.int(8) };
    case 2:
      return { op: 'set', at, value: rng.pick([0, 0x0a, 0x0d, 0x20, 0x30, 0x7f, 0x80, 0xff, rng.int(256)]) };
    case 3:
      return { op: 'insert', at, bytes: Array.from(rng.bytes(1 + rng.int(8))) };
    case 4:
      return { op: 'delete', at, length: 1 + rng.int(16) };
    case 5:
      return { op: 'repeat', at, length: 1 + rng.int(32), times: 1 + rng.int(64) };
    case 6:
      return { op: 'splice', at, length: rng.int(4), token: rng.int(TOKENS.length) };
    default:
      return { op: 'truncate', at };
  }
}

/** Up to `max` sorted cut offsets inside a message of `length` bytes. */
export function randomCuts(rng: Rng, length: number, max: number): number[] {
  if (length < 2) return [];
  const cuts = new Set<number>();
  const n = rng.int(max + 1);
  for (let i = 0; i < n; i++) cuts.add(1 + rng.int(length - 1));
  return [...cuts].sort((a, b) => a - b);
}
