import { ProtocolError } from './protocol-error.js';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Bytes received and not yet parsed, kept as the chunks they arrived in (no concatenation on arrival). It is the only
 * place that scans for line ends; body bytes are handed out as views of the received chunks whenever they fit in one.
 * Work stays linear however the bytes were split: consumed chunks are dropped by index, not shifted one by one, and
 * chunks already searched for a line end are not searched again.
 */
export class ReceiveBuffer {
  private chunks: Uint8Array[] = [];
  /** Index of the first live chunk in `chunks`. */
  private first = 0;
  private total = 0;
  /** Live chunks (from `first`) already searched for LF in full, and their byte count. */
  private scannedChunks = 0;
  private scannedBytes = 0;

  /** Bytes held. */
  get length(): number {
    return this.total;
  }

  /** Keep `data` (not copied: the caller hands over ownership). */
  append(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.total += data.length;
  }

  /** Drop everything. */
  clear(): void {
    this.chunks = [];
    this.first = 0;
    this.total = 0;
    this.resetScan();
  }

  /**
   * Remove and return the next line without its terminator (LF, or CRLF: bare LF is accepted). Null when no LF has
   * arrived yet. A line longer than `maxLength` bytes (terminator included) is a {@link ProtocolError}.
   */
  extractLine(maxLength: number): Uint8Array | null {
    const lf = this.indexOfLF(maxLength);
    if (lf < 0) {
      if (this.total >= maxLength) throw new ProtocolError(`line longer than ${maxLength} bytes`);
      return null;
    }
    const line = this.take(lf + 1);
    const end = line.length >= 2 && line[line.length - 2] === CR ? line.length - 2 : line.length - 1;
    return line.subarray(0, end);
  }

  /** The byte at `index` from the front (index < length). */
  peek(index: number): number {
    for (let i = this.first; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (index < c.length) return c[index];
      index -= c.length;
    }
    throw new RangeError('peek past the end of the receive buffer');
  }

  /** Remove and return up to `max` bytes: a view of the first chunk when it holds them, else one copy. */
  takeAtMost(max: number): Uint8Array {
    return this.take(Math.min(max, this.total));
  }

  /** Remove and return exactly `n` bytes (n <= length). */
  private take(n: number): Uint8Array {
    this.resetScan();
    if (n === 0) return new Uint8Array(0);
    const head = this.chunks[this.first];
    if (head.length >= n) {
      this.consume(head, n);
      this.total -= n;
      return head.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const c = this.chunks[this.first];
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
      this.consume(c, k);
    }
    this.total -= n;
    return out;
  }

  /** Drop `k` bytes of the first live chunk `c`. */
  private consume(c: Uint8Array, k: number): void {
    if (k < c.length) {
      this.chunks[this.first] = c.subarray(k);
      return;
    }
    this.first++;
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
    } else if (this.first >= 64 && this.first * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }

  private resetScan(): void {
    this.scannedChunks = 0;
    this.scannedBytes = 0;
  }

  /** Offset of the first LF from the front, or -1; searches no further than `limit` bytes. */
  private indexOfLF(limit: number): number {
    const stop = Math.min(this.total, limit);
    let base = this.scannedBytes;
    for (let i = this.first + this.scannedChunks; i < this.chunks.length && base < stop; i++) {
      const c = this.chunks[i];
      const to = Math.min(c.length, stop - base);
      const at = (to === c.length ? c : c.subarray(0, to)).indexOf(LF);
      if (at >= 0) return base + at;
      if (to < c.length) break;
      this.scannedChunks++;
      this.scannedBytes += c.length;
      base += c.length;
    }
    return -1;
  }
}
