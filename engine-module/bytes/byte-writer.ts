/**
 * A growable byte builder with length-prefixed nesting: `w.vec16(() => { ... })` writes the body and back-fills its
 * length, so encoders never compute lengths by hand.
 */
export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }

  get length(): number {
    return this.len;
  }

  u8(v: number): this {
    this.reserve(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.reserve(2);
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u24(v: number): this {
    this.reserve(3);
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    this.reserve(4);
    this.buf[this.len++] = (v >>> 24) & 0xff;
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** Write `body` behind a 1-byte length prefix. */
  vec8(body: (w: this) => void): this {
    return this.prefixed(1, 0xff, body);
  }

  /** Write `body` behind a 2-byte length prefix. */
  vec16(body: (w: this) => void): this {
    return this.prefixed(2, 0xffff, body);
  }

  /** Write `body` behind a 3-byte length prefix. */
  vec24(body: (w: this) => void): this {
    return this.prefixed(3, 0xffffff, body);
  }

  /** The written bytes (a copy sized exactly). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  private prefixed(size: number, max: number, body: (w: this) => void): this {
    this.reserve(size);
    const at = this.len;
    this.len += size;
    body(this);
    const n = this.len - at - size;
    if (n > max) throw new RangeError(`vector of ${n} bytes does not fit a ${size}-byte length`);
    for (let i = 0; i < size; i++) this.buf[at + i] = (n >>> (8 * (size - 1 - i))) & 0xff;
    return this;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
