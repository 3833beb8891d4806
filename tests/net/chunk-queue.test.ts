// The received-bytes queue the transports share: views of received chunks, copies only where asked for.
import { describe, expect, it } from 'vitest';
import { ChunkQueue, NO_BYTES } from '../../engine-module/net/chunk-queue.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('ChunkQueue', () => {
  it('reads nothing as the one shared empty array, which cannot be changed', () => {
    const q = new ChunkQueue();
    expect(q.read(10)).toBe(NO_BYTES);
    expect(q.readJoined(10)).toBe(NO_BYTES);
    q.push(bytes(1));
    expect(q.read(0)).toBe(NO_BYTES);
    expect(q.read(-1)).toBe(NO_BYTES);
    expect(q.readJoined(0)).toBe(NO_BYTES);
    expect(q.length).toBe(1);
    expect(NO_BYTES.length).toBe(0);
    expect(Object.isFrozen(NO_BYTES)).toBe(true);
  });

  it('ignores empty chunks', () => {
    const q = new ChunkQueue();
    q.push(new Uint8Array(0));
    expect(q.length).toBe(0);
    q.push(bytes(7));
    q.push(new Uint8Array(0));
    q.push(bytes(8));
    expect(Array.from(q.read(10))).toEqual([7]);
    expect(Array.from(q.read(10))).toEqual([8]);
    expect(q.length).toBe(0);
  });

  it('read() hands out views of the first chunk only, never joining chunks', () => {
    const q = new ChunkQueue();
    const a = bytes(1, 2, 3, 4, 5);
    const b = bytes(6, 7);
    q.push(a);
    q.push(b);
    expect(q.length).toBe(7);
    const first = q.read(2);
    expect(Array.from(first)).toEqual([1, 2]);
    expect(first.buffer).toBe(a.buffer);
    const rest = q.read(100);
    expect(Array.from(rest)).toEqual([3, 4, 5]);
    expect(rest.buffer).toBe(a.buffer);
    expect(rest.byteOffset).toBe(a.byteOffset + 2);
    expect(q.length).toBe(2);
    const second = q.read(100);
    expect(second.buffer).toBe(b.buffer);
    expect(Array.from(second)).toEqual([6, 7]);
    expect(q.length).toBe(0);
    expect(q.read(100)).toBe(NO_BYTES);
  });

  it('readJoined() returns min(max, length) bytes: a view within one chunk, one copy across several', () => {
    const q = new ChunkQueue();
    const a = bytes(1, 2, 3);
    q.push(a);
    q.push(bytes(4));
    q.push(bytes(5, 6, 7));
    const inFirst = q.readJoined(2);
    expect(inFirst.buffer).toBe(a.buffer);
    expect(Array.from(inFirst)).toEqual([1, 2]);
    const across = q.readJoined(4);
    expect(across.buffer).not.toBe(a.buffer);
    expect(Array.from(across)).toEqual([3, 4, 5, 6]);
    expect(q.length).toBe(1);
    expect(Array.from(q.readJoined(100))).toEqual([7]);
    expect(q.length).toBe(0);
  });

  it('clear() drops everything', () => {
    const q = new ChunkQueue();
    q.push(bytes(1, 2));
    q.read(1);
    q.push(bytes(3));
    q.clear();
    expect(q.length).toBe(0);
    expect(q.read(10)).toBe(NO_BYTES);
    q.push(bytes(9));
    expect(Array.from(q.read(10))).toEqual([9]);
  });

  it('keeps byte order and count through many chunks read in uneven steps', () => {
    const q = new ChunkQueue();
    const expected: number[] = [];
    const got: number[] = [];
    let next = 0;
    for (let round = 0; round < 300; round++) {
      // Pushing more than is read keeps hundreds of chunks queued, so the front is compacted while reading.
      for (let i = 0; i < (round % 5) + 1; i++) {
        const chunk = Uint8Array.from({ length: (round * 7 + i) % 13 }, () => next++ & 0xff);
        expected.push(...chunk);
        q.push(chunk);
      }
      const max = (round % 11) + 1;
      const piece = round % 2 ? q.read(max) : q.readJoined(max);
      expect(piece.length).toBeLessThanOrEqual(max);
      got.push(...piece);
      expect(q.length).toBe(expected.length - got.length);
    }
    while (q.length > 0) got.push(...q.readJoined(17));
    expect(got).toEqual(expected);
  });

  it('read() hands out a chunk read in full as itself', () => {
    const q = new ChunkQueue();
    const a = bytes(1, 2, 3);
    q.push(a);
    expect(q.read(3)).toBe(a);
  });

  it('at() finds every byte from the front and from the back, past a partly read first chunk', () => {
    const q = new ChunkQueue();
    for (const c of [[1, 2, 3], [4], [5, 6, 7, 8], [9, 10]]) q.push(Uint8Array.from(c));
    q.read(2);
    expect(Array.from({ length: q.length }, (_, i) => q.at(i))).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(() => q.at(8)).toThrow(RangeError);
    expect(() => q.at(-1)).toThrow(RangeError);
  });

  it('indexOf() finds a byte across chunks, within the limit, and again after reads and pushes', () => {
    const q = new ChunkQueue();
    q.push(bytes(1, 2));
    q.push(bytes(3));
    expect(q.indexOf(9, 100)).toBe(-1);
    q.push(bytes(4, 9, 5));
    expect(q.indexOf(9, 4)).toBe(-1);
    expect(q.indexOf(9, 5)).toBe(4);
    expect(q.indexOf(3, 100)).toBe(2);
    expect(q.indexOf(9, 100)).toBe(4);
    q.read(1);
    expect(q.indexOf(9, 100)).toBe(3);
    q.readJoined(4);
    expect(q.indexOf(9, 100)).toBe(-1);
    q.push(bytes(9));
    expect(q.indexOf(9, 100)).toBe(1);
    q.clear();
    expect(q.indexOf(9, 100)).toBe(-1);
  });

  it('indexOf() agrees with a plain search over every split of the bytes', () => {
    const data = bytes(5, 0, 7, 10, 3, 10, 10, 1);
    for (let cut1 = 0; cut1 <= data.length; cut1++) {
      for (let cut2 = cut1; cut2 <= data.length; cut2++) {
        const q = new ChunkQueue();
        for (const [from, to] of [[0, cut1], [cut1, cut2], [cut2, data.length]]) {
          q.push(data.slice(from, to));
          const seen = Array.from(data.subarray(0, to));
          for (const limit of [2, 4, 100]) expect(q.indexOf(10, limit)).toBe(seen.slice(0, limit).indexOf(10));
        }
      }
    }
  });
});
