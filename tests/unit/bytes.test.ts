import { describe, expect, it } from 'vitest';
import { ByteReader, DecodeError } from '../../engine-module/bytes/byte-reader.js';
import { ByteWriter } from '../../engine-module/bytes/byte-writer.js';
import { utf8Decode, utf8Encode, fromHex, toHex, constantTimeEqual } from '../../engine-module/bytes/bytes.js';

describe('bytes', () => {
  it('utf8 round-trips against Node for mixed scripts and astral characters', () => {
    const s = 'héllo wörld — 日本語 🎮 \u0000 end';
    const enc = utf8Encode(s);
    expect(Buffer.from(enc).equals(Buffer.from(s, 'utf8'))).toBe(true);
    expect(utf8Decode(enc)).toBe(s);
  });

  it('utf8 decoding replaces invalid sequences like Node does', () => {
    for (const hex of ['c0af', 'ed a0 80', 'f8 88 80 80 80', 'e2 82', '80', 'f4 90 80 80']) {
      const b = fromHex(hex);
      expect(utf8Decode(b)).toBe(Buffer.from(b).toString('utf8'));
    }
  });

  it('writer back-fills nested length prefixes and the reader checks them', () => {
    const w = new ByteWriter(2);
    w.u8(1).vec16((x) => x.u24(0x010203).vec8((y) => y.bytes(fromHex('aabb'))));
    const out = w.finish();
    expect(toHex(out)).toBe('01' + '0006' + '010203' + '02aabb');
    const r = new ByteReader(out);
    expect(r.u8()).toBe(1);
    const inner = new ByteReader(r.vec16());
    expect(inner.u24()).toBe(0x010203);
    expect(toHex(inner.vec8())).toBe('aabb');
    inner.expectEnd('inner');
    expect(r.atEnd()).toBe(true);
  });

  it('reader refuses to read past the end', () => {
    const r = new ByteReader(fromHex('0005aabb'));
    expect(() => r.vec16()).toThrow(DecodeError);
  });

  it('writer refuses a vector longer than its prefix allows', () => {
    expect(() => new ByteWriter().vec8((w) => w.bytes(new Uint8Array(256)))).toThrow(RangeError);
  });

  it('constant-time equality', () => {
    expect(constantTimeEqual(fromHex('0102'), fromHex('0102'))).toBe(true);
    expect(constantTimeEqual(fromHex('0102'), fromHex('0103'))).toBe(false);
    expect(constantTimeEqual(fromHex('0102'), fromHex('01'))).toBe(false);
  });
});
