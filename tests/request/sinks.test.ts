import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../../engine-module/bytes/bytes.js';
import { LANDING_MOST, memorySink, PREALLOCATE_LIMIT, type MemorySink } from '../../engine-module/request/sinks.js';

const body = Uint8Array.from({ length: 300_001 }, (_, i) => (i * 13 + (i >> 8)) & 0xff);

/** Write `data` in pieces of `step` bytes; every distinct storage buffer seen after a write, in order. */
function writeAll(sink: MemorySink, data: Uint8Array, step: number): ArrayBufferLike[] {
  const buffers: ArrayBufferLike[] = [];
  for (let i = 0; i < data.length; i += step) {
    expect(sink.write(data.subarray(i, i + step))).toBe(true);
    const b = sink.bytes().buffer;
    if (buffers[buffers.length - 1] !== b) buffers.push(b);
  }
  return buffers;
}

describe('memory sink', () => {
  it('with a known length, takes its storage once and writes in place: the body is that storage, not a copy', () => {
    const sink = memorySink(body.length);
    const buffers = writeAll(sink, body, 4099);
    expect(buffers).toHaveLength(1);
    expect(sink.finish()).toBe(true);
    const out = sink.bytes();
    expect(out.buffer).toBe(buffers[0]);
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(body.length);
    expect(bytesEqual(out, body)).toBe(true);
  });

  it('with an unknown length, doubles its storage (a logarithmic number of moves) and returns the exact bytes', () => {
    const sink = memorySink();
    const buffers = writeAll(sink, body, 1000);
    expect(buffers.length).toBeLessThanOrEqual(Math.ceil(Math.log2(body.length / 65536)) + 1);
    const out = sink.bytes();
    expect(out.length).toBe(body.length);
    expect(out.buffer).toBe(buffers[buffers.length - 1]);
    expect(bytesEqual(out, body)).toBe(true);
  });

  it('carries earlier bytes over into grown storage a slice per write, and the body ends whole wherever it stops', () => {
    // Lengths just past each growth (64 KiB, 128 KiB, 256 KiB of storage), where the least has been carried over.
    for (const length of [65_537, 131_073, 262_145, 300_001]) {
      for (const step of [1000, 65_536]) {
        const sink = memorySink();
        for (let i = 0; i < length; i += step) sink.write(body.subarray(i, Math.min(length, i + step)));
        expect(bytesEqual(sink.bytes(), body.subarray(0, length)), `${length} bytes in pieces of ${step}`).toBe(true);
      }
    }
  });

  it('grows past a Content-Length that was too small, keeping every byte', () => {
    const sink = memorySink(1000);
    writeAll(sink, body, 777);
    expect(bytesEqual(sink.bytes(), body)).toBe(true);
  });

  it('sets aside at most PREALLOCATE_LIMIT for a huge announced length', () => {
    const sink = memorySink(2 ** 40);
    sink.write(body.subarray(0, 10));
    expect(sink.bytes().buffer.byteLength).toBe(PREALLOCATE_LIMIT);
    expect(bytesEqual(sink.bytes(), body.subarray(0, 10))).toBe(true);
  });

  it('grows in place past PREALLOCATE_LIMIT up to the announced length: one storage, nothing moved', () => {
    const MiB = 1 << 20;
    const length = PREALLOCATE_LIMIT + 3 * MiB + 5;
    const piece = Uint8Array.from({ length: MiB }, (_, i) => (i * 7) & 0xff);
    const sink = memorySink(length);
    const seen = new Set<ArrayBufferLike>();
    for (let at = 0; at < length; at += MiB) {
      const n = Math.min(MiB, length - at);
      expect(sink.write(piece.subarray(0, n))).toBe(true);
      seen.add(sink.bytes().buffer);
    }
    expect(seen.size).toBe(1);
    const out = sink.bytes();
    expect(out.length).toBe(length);
    for (const at of [0, PREALLOCATE_LIMIT - 1, PREALLOCATE_LIMIT, length - 5]) {
      expect(out[at], `byte ${at}`).toBe(piece[at % MiB]);
    }
  });

  it('never grows its storage past the body size limit', () => {
    const sink = memorySink(-1, 100_000);
    writeAll(sink, body.subarray(0, 100_000), 1000);
    expect(sink.bytes().buffer.byteLength).toBe(100_000);
    expect(bytesEqual(sink.bytes(), body.subarray(0, 100_000))).toBe(true);
  });

  it('lands bytes after the held ones: written bytes fill the gap before them, then both are one body', () => {
    const sink = memorySink(body.length);
    sink.write(body.subarray(0, 1000));
    // 5000 bytes are held by the transport (still to be written); the rest lands after them.
    const space = sink.landingSpace(5000, body.length - 6000)!;
    expect(space.length).toBe(body.length - 6000);
    expect(space.buffer).toBe(sink.bytes().buffer);
    space.set(body.subarray(6000, 106_000));
    sink.landed(100_000);
    // No second landing while the first is not joined to the written bytes.
    expect(sink.landingSpace(0, 10)).toBeNull();
    expect(sink.bytes().length).toBe(1000);
    sink.write(body.subarray(1000, 6000));
    expect(sink.bytes().length).toBe(106_000);
    space.set(body.subarray(106_000), 100_000);
    sink.landed(body.length - 106_000);
    expect(bytesEqual(sink.bytes(), body)).toBe(true);
    expect(sink.bytes().buffer.byteLength).toBe(body.length);
  });

  it('a landing with nothing held needs no joining, and takes its storage on the spot', () => {
    const sink = memorySink(body.length);
    const space = sink.landingSpace(0, body.length)!;
    space.set(body);
    sink.landed(body.length);
    expect(bytesEqual(sink.bytes(), body)).toBe(true);
  });

  it('lands past PREALLOCATE_LIMIT by growing in place, at most LANDING_MOST at a time', () => {
    const length = 2 * LANDING_MOST + 12_345;
    const sink = memorySink(length);
    const first = sink.landingSpace(0, length)!;
    expect(first.length).toBe(LANDING_MOST);
    first[LANDING_MOST - 1] = 7;
    sink.landed(LANDING_MOST);
    const second = sink.landingSpace(0, length - LANDING_MOST)!;
    expect(second.length).toBe(LANDING_MOST);
    expect(second.buffer).toBe(first.buffer);
    second[0] = 8;
    sink.landed(LANDING_MOST);
    const last = sink.landingSpace(0, 12_345)!;
    expect(last.length).toBe(12_345);
    sink.landed(12_345);
    const out = sink.bytes();
    expect(out.length).toBe(length);
    expect([out[LANDING_MOST - 1], out[LANDING_MOST]]).toEqual([7, 8]);
  });

  it('without storage that can grow in place, lands only within the storage it has', () => {
    const sink = memorySink(-1);
    sink.write(body.subarray(0, 10));
    const space = sink.landingSpace(0, 1 << 20)!;
    expect(space.length).toBe(sink.bytes().buffer.byteLength - 10);
  });

  it('an empty body is empty, and abort releases what was written', () => {
    expect(memorySink(0).bytes()).toEqual(new Uint8Array(0));
    expect(memorySink().bytes()).toEqual(new Uint8Array(0));
    const sink = memorySink(body.length);
    sink.write(body);
    sink.abort();
    expect(sink.bytes()).toHaveLength(0);
  });
});
