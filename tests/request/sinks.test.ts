import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../../engine-module/bytes/bytes.js';
import { memorySink, PREALLOCATE_LIMIT, type MemorySink } from '../../engine-module/request/sinks.js';

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

  it('an empty body is empty, and abort releases what was written', () => {
    expect(memorySink(0).bytes()).toEqual(new Uint8Array(0));
    expect(memorySink().bytes()).toEqual(new Uint8Array(0));
    const sink = memorySink(body.length);
    sink.write(body);
    sink.abort();
    expect(sink.bytes()).toHaveLength(0);
  });
});
