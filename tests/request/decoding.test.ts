import { describe, expect, it } from 'vitest';
import { deflateSync, gzipSync, zlibSync } from 'fflate';
import { createDecoder, type BodyDecoder } from '../../engine-module/request/decoding.js';
import { bytesEqual, concatBytes } from '../../engine-module/bytes/bytes.js';

const data = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7 + (i >> 9)) % 251);

/** Feed in pieces of `step` bytes; the decoded body, or null on failure. */
function decode(d: BodyDecoder, encoded: Uint8Array, step: number): Uint8Array | null {
  const out: Uint8Array[] = [];
  for (let i = 0; i < encoded.length; i += step) {
    const got = d.push(encoded.subarray(i, i + step));
    if (!got) return null;
    out.push(...got);
  }
  const last = d.end();
  return last ? concatBytes(...out, ...last) : null;
}

describe('content decoding', () => {
  it('passes identity and unknown codings through (no decoder)', () => {
    for (const c of [null, '', 'identity', 'br', 'gzip, br']) expect(createDecoder(c)).toBeNull();
  });

  it('decodes gzip, x-gzip, zlib deflate and raw deflate in any split', () => {
    const cases: [string, Uint8Array][] = [
      ['gzip', gzipSync(data)],
      ['X-GZIP', gzipSync(data)],
      ['deflate', zlibSync(data)],
      ['deflate', deflateSync(data)],
    ];
    for (const [coding, encoded] of cases) {
      for (const step of [1000, 65536, 1 << 20]) {
        const got = decode(createDecoder(coding)!, encoded, step);
        expect(got && bytesEqual(got, data), `${coding}/${step}`).toBe(true);
      }
    }
  });

  it('decodes input fed one byte at a time (the zlib/raw choice waits for two bytes)', () => {
    const small = data.subarray(0, 2000);
    for (const [coding, encoded] of [['gzip', gzipSync(small)], ['deflate', zlibSync(small)], ['deflate', deflateSync(small)]] as const) {
      expect(decode(createDecoder(coding)!, encoded, 1), coding).toEqual(small);
    }
  });

  it('decodes a concatenated multi-member gzip body', () => {
    const two = concatBytes(gzipSync(data.subarray(0, 10)), gzipSync(data.subarray(10, 30)));
    expect(decode(createDecoder('gzip')!, two, 7)).toEqual(data.subarray(0, 30));
  });

  it('reports a corrupt or truncated stream as a failure, not an exception', () => {
    const bad = gzipSync(data).slice();
    bad[20] ^= 0xff;
    bad[30] ^= 0x55;
    expect(decode(createDecoder('gzip')!, bad, 4096)).toBeNull();
    expect(decode(createDecoder('gzip')!, new TextEncoder().encode('plainly not gzip at all'), 5)).toBeNull();
    expect(decode(createDecoder('gzip')!, gzipSync(data).subarray(0, 500), 100)).toBeNull();
    expect(decode(createDecoder('deflate')!, zlibSync(data).subarray(0, 300), 100)).toBeNull();
  });

  it('an empty body labelled with an encoding is empty', () => {
    expect(decode(createDecoder('gzip')!, new Uint8Array(0), 1)).toEqual(new Uint8Array(0));
    expect(decode(createDecoder('deflate')!, new Uint8Array(0), 1)).toEqual(new Uint8Array(0));
  });
});
