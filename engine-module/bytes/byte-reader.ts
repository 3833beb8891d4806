/** Thrown by {@link ByteReader} when a message is shorter or longer than its lengths say. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

/**
 * A length-checked cursor over bytes. Every parser reads through one, so no parser counts offsets by hand and a
 * short or malformed message is always a {@link DecodeError}, never an out-of-range read.
 */
export class ByteReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  /** Bytes not yet read. */
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** Current offset from the start. */
  get offset(): number {
    return this.pos;
  }

  /** True when every byte was read. */
  atEnd(): boolean {
    return this.pos === this.buf.length;
  }

  /** Throw unless every byte was read (trailing garbage is an error in every TLS structure). */
  expectEnd(what: string): void {
    if (!this.atEnd()) throw new DecodeError(`${what}: ${this.remaining} unexpected trailing bytes`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  u16(): number {
    this.need(2);
    const v = (this.buf[this.pos] << 8) | this.buf[this.pos + 1];
    this.pos += 2;
    return v;
  }

  u24(): number {
    this.need(3);
    const v = (this.buf[this.pos] << 16) | (this.buf[this.pos + 1] << 8) | this.buf[this.pos + 2];
    this.pos += 3;
    return v;
  }

  u32(): number {
    this.need(4);
    const v =
      this.buf[this.pos] * 0x1000000 + ((this.buf[this.pos + 1] << 16) | (this.buf[this.pos + 2] << 8) | this.buf[this.pos + 3]);
    this.pos += 4;
    return v;
  }

  /** The next `n` bytes (a view, not a copy). */
  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A vector with a 1-byte length prefix. */
  vec8(): Uint8Array {
    return this.bytes(this.u8());
  }

  /** A vector with a 2-byte length prefix. */
  vec16(): Uint8Array {
    return this.bytes(this.u16());
  }

  /** A vector with a 3-byte length prefix. */
  vec24(): Uint8Array {
    return this.bytes(this.u24());
  }

  /** Everything left. */
  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  private need(n: number): void {
    if (n > this.buf.length - this.pos) {
      throw new DecodeError(`truncated: need ${n} bytes at offset ${this.pos}, have ${this.buf.length - this.pos}`);
    }
  }
}
