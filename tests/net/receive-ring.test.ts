// The ring a socket reads into: views that stay intact until the next read, the space handed to the next receive,
// growth up to its largest size, and bytes copied in from elsewhere, across wraps.
import { describe, expect, it } from 'vitest';
import { NO_BYTES } from '../../engine-module/net/chunk-queue.js';
import { ReceiveRing } from '../../engine-module/net/receive-ring.js';

/** Receive `data` the way Node does: into the space the ring names, as much as fits; returns how much went in. */
function receive(ring: ReceiveRing, data: Uint8Array): number {
  const space = ring.space();
  const n = Math.min(space.length, data.length);
  space.set(data.subarray(0, n));
  ring.commit(n);
  return n;
}

const seq = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('ReceiveRing', () => {
  it('reads nothing as the shared empty array, and holds no block until it is given bytes', () => {
    const ring = new ReceiveRing(16, 64);
    expect(ring.read(10)).toBe(NO_BYTES);
    expect(ring.length).toBe(0);
    expect(ring.started).toBe(false);
    ring.put(seq(0, 3));
    expect(ring.started).toBe(true);
    expect(ring.read(10)).toEqual(seq(0, 3));
    // The view lent last still holds three bytes; once released, the whole block is space again.
    expect(ring.space().length).toBe(13);
    expect(ring.read(10)).toBe(NO_BYTES);
    expect(ring.space().length).toBe(16);
  });

  it('consecutive receives lie side by side and read as one view', () => {
    const ring = new ReceiveRing(16, 16);
    receive(ring, seq(0, 3));
    receive(ring, seq(3, 4));
    const view = ring.read(100);
    expect(view).toEqual(seq(0, 7));
    expect(ring.length).toBe(0);
  });

  it('never names the last view as space, so it is intact until the next read; then its bytes are reused', () => {
    const ring = new ReceiveRing(8, 8);
    expect(receive(ring, seq(0, 8))).toBe(8);
    const view = ring.read(6);
    expect(view).toEqual(seq(0, 6));
    // Full but for the lent view: no space to receive into.
    expect(ring.space().length).toBe(0);
    expect(ring.full).toBe(true);
    expect(ring.read(2)).toEqual(seq(6, 2));
    // The second read released the first view: its six bytes are the space now.
    expect(ring.space().length).toBe(6);
    expect(receive(ring, seq(100, 6))).toBe(6);
    expect(view).toEqual(seq(100, 6));
  });

  it('wraps around its end: a read stops there, and the next continues from the start', () => {
    const ring = new ReceiveRing(8, 8);
    receive(ring, seq(0, 6));
    expect(ring.read(5)).toEqual(seq(0, 5));
    ring.read(1);
    // Bytes 0..5 are free (the last view, byte 5, is lent): two bytes to the end, then from the start.
    expect(receive(ring, seq(6, 4))).toBe(2);
    expect(receive(ring, seq(8, 4))).toBe(4);
    expect(ring.length).toBe(6);
    expect(ring.read(100)).toEqual(seq(6, 2));
    expect(ring.read(100)).toEqual(seq(8, 4));
  });

  it('doubles while more than half is in use, up to its largest size, keeping the bytes in order', () => {
    const ring = new ReceiveRing(8, 32);
    receive(ring, seq(0, 8));
    ring.read(2);
    expect(ring.space().length).toBe(16 - 6);
    receive(ring, seq(8, 10));
    expect(ring.read(100)).toEqual(seq(2, 16));
    receive(ring, seq(18, 32));
    expect(ring.space().length).toBe(0);
    expect(ring.length).toBe(32);
  });

  it('reads a byte anywhere, and joins bytes that wrap around its end in one copy (a view otherwise)', () => {
    const ring = new ReceiveRing(8, 8);
    ring.put(seq(0, 6));
    ring.read(6);
    ring.read(0);
    ring.put(seq(6, 5));
    expect([0, 1, 2, 3, 4].map((i) => ring.at(i))).toEqual([6, 7, 8, 9, 10]);
    expect(() => ring.at(5)).toThrow(RangeError);
    const joined = ring.readJoined(4);
    expect(joined).toEqual(seq(6, 4));
    expect(ring.readJoined(100)).toEqual(seq(10, 1));
    ring.put(seq(11, 3));
    const view = ring.readJoined(2);
    expect(view).toEqual(seq(11, 2));
    expect(view.buffer).toBe(ring.readJoined(1).buffer);
  });

  it('copies in bytes received elsewhere, across the wrap, growing past its largest size only as far as they need', () => {
    const ring = new ReceiveRing(8, 8);
    receive(ring, seq(0, 6));
    ring.read(6);
    ring.read(0);
    ring.put(seq(6, 5));
    expect(ring.read(100)).toEqual(seq(6, 2));
    expect(ring.read(100)).toEqual(seq(8, 3));
    // Three bytes are lent, so five fit; six more arrive elsewhere and the block grows to eleven, not sixteen.
    expect(receive(ring, seq(11, 8))).toBe(5);
    ring.put(seq(16, 6));
    expect(ring.length).toBe(11);
    expect(ring.space().length).toBe(0);
    const all: number[] = [];
    for (let v = ring.read(100); v.length > 0; v = ring.read(100)) all.push(...v);
    expect(Uint8Array.from(all)).toEqual(seq(11, 11));
  });
});
