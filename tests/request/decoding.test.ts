import { describe, expect, it } from 'vitest';
import { deflateSync, gzipSync, inflateSync, zlibSync } from 'fflate';
import {
  createDecoder, decoderWarmUp, INFLATE_WARM_UP_STEPS, MAX_STEP_INPUT, MIN_STEP_INPUT, STEP_OUTPUT, stepInputSize,
  WARM_UP_DEFLATE, type BodyDecoder,
} from '../../engine-module/request/decoding.js';
import { base64Decode } from '../../engine-module/bytes/base64.js';
import { bytesEqual, concatBytes } from '../../engine-module/bytes/bytes.js';

const data = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7 + (i >> 9)) % 251);

/** Queue in pieces of `step` bytes, decoding a slice after each; the decoded body, or null on failure. */
function decode(d: BodyDecoder, encoded: Uint8Array, step: number): Uint8Array | null {
  const out: Uint8Array[] = [];
  for (let i = 0; i < encoded.length; i += step) {
    d.write(encoded.subarray(i, i + step));
    const got = d.step();
    if (!got) return null;
    out.push(...got);
  }
  while (d.pending() > 0) {
    const got = d.step();
    if (!got) return null;
    out.push(...got);
  }
  const last = d.end();
  return last ? concatBytes(...out, ...last) : null;
}

/** Queue everything, then step until nothing is pending; the decoded size of each step. */
function stepSizes(d: BodyDecoder, encoded: Uint8Array): number[] {
  d.write(encoded);
  const sizes: number[] = [];
  while (d.pending() > 0) sizes.push(d.step()!.reduce((n, p) => n + p.length, 0));
  return sizes;
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

  it('decodes a slice per step: nothing at write, bounded input per step, the output near the step target', () => {
    const lines = Array.from({ length: 8000 }, (_, i) => `{"id":${i},"speaker":"npc${i % 13}","line":"hello ${(i * 7919) % 1000}"}`);
    const text = new TextEncoder().encode(`[${lines.join(',')}]`);
    const encoded = gzipSync(text);
    const d = createDecoder('gzip')!;
    d.write(encoded);
    expect(d.pending()).toBe(encoded.length);
    const out: Uint8Array[] = [];
    while (d.pending() > 0) {
      const before = d.pending();
      const pieces = d.step()!;
      expect(before - d.pending()).toBeLessThanOrEqual(MAX_STEP_INPUT);
      expect(pieces.reduce((n, p) => n + p.length, 0)).toBeLessThanOrEqual(4 * STEP_OUTPUT);
      out.push(...pieces);
    }
    expect(out.length).toBeGreaterThan(text.length / (4 * STEP_OUTPUT));
    expect(bytesEqual(concatBytes(...out, ...d.end()!), text)).toBe(true);
  });

  it('slices a highly compressed body finely: no step decodes more than the smallest slice can expand to', () => {
    const zeros = new Uint8Array(8 << 20);
    const sizes = stepSizes(createDecoder('deflate')!, zlibSync(zeros));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(zeros.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MIN_STEP_INPUT * 1032 + 2 * STEP_OUTPUT);
    expect(sizes.length).toBeGreaterThan(4);
  });

  it('sizes a step by the expansion ratio, starting small and at most doubling', () => {
    expect(stepInputSize(0, 0)).toBe(MIN_STEP_INPUT);
    expect(stepInputSize(1, 0)).toBe(MIN_STEP_INPUT);
    expect(stepInputSize(1, MIN_STEP_INPUT)).toBe(2 * MIN_STEP_INPUT);
    expect(stepInputSize(1, MAX_STEP_INPUT)).toBe(STEP_OUTPUT);
    expect(stepInputSize(0.25, MAX_STEP_INPUT)).toBe(MAX_STEP_INPUT);
    expect(stepInputSize(4, MAX_STEP_INPUT)).toBe(STEP_OUTPUT / 4);
    expect(stepInputSize(1000, MAX_STEP_INPUT)).toBe(MIN_STEP_INPUT);
  });

  it('has nothing pending for deflate until the two bytes that tell zlib from raw deflate are queued', () => {
    const encoded = zlibSync(data.subarray(0, 100));
    const d = createDecoder('deflate')!;
    d.write(encoded.subarray(0, 1));
    expect(d.pending()).toBe(0);
    expect(d.step()).toEqual([]);
    d.write(encoded.subarray(1));
    expect(d.pending()).toBe(encoded.length);
  });
});

describe("the decoder's warm-up", () => {
  it('inflates a valid stream with a dynamic Huffman block, as gzip bodies carry, a bounded number of times', () => {
    const stream = base64Decode(WARM_UP_DEFLATE);
    expect((stream[0] >> 1) & 3).toBe(2); // BTYPE of the first block: dynamic Huffman codes (RFC 1951 §3.2.3)
    const text = new TextDecoder().decode(inflateSync(stream));
    expect(text.length).toBe(1273);
    expect(text.split('\n').every((line) => JSON.parse(line).line.startsWith('the coins fall'))).toBe(true);
    const warmUp = decoderWarmUp();
    expect(decoderWarmUp()).toBe(warmUp); // one per process
    let steps = 0;
    while (warmUp.step()) steps++;
    expect(steps + 1).toBe(INFLATE_WARM_UP_STEPS); // the last step says it was the last
    expect(warmUp.step()).toBe(false);
  });
});
