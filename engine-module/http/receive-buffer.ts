import { NO_BYTES } from '../net/chunk-queue.js';
import { ProtocolError } from './protocol-error.js';

const LF = 0x0a;
const CR = 0x0d;

/** Consumed slots at the front of the chunk list that are worth compacting away (amortised, like a ring). */
const COMPACT_AFTER = 64;

/**
 * Bytes received and not yet parsed, kept as the chunks they arrived in (no concatenation on arrival). It is the only
 * place that scans for line ends; body bytes are handed out as views of the received chunks whenever they fit in one.
 * Work stays linear however the bytes were split: consumed chunks are dropped by index, not shifted one by one, the
 * first chunk is read through an offset rather than re-sliced, and chunks already searched for a line end are not
 * searched again.
 */
export class ReceiveBuffer {
  private chunks: Uint8Array[] = [];
  /** Index of the first live chunk in `chunks`. */
  private first = 0;
  /** Bytes of the first live chunk already taken. */
  private offset = 0;
  private total = 0;
  /** Live chunks (from `first`) already searched for LF in full, and their live byte count. */
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
    this.offset = 0;
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
    const head = this.chunks[this.first];
    const start = this.offset;
    if (head.length - start > lf) {
      // The usual case, the line within the first chunk: one view of it, terminator left out.
      const at = start + lf;
      this.resetScan();
      this.consume(lf + 1);
      return head.subarray(start, lf > 0 && head[at - 1] === CR ? at - 1 : at);
    }
    const line = this.take(lf + 1);
    return line.subarray(0, line.length >= 2 && line[line.length - 2] === CR ? line.length - 2 : line.length - 1);
  }

  /** The byte at `index` from the front (index < length). */
  peek(index: number): number {
    index += this.offset;
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

  /**
   * Remove and return up to `max` bytes of the first chunk only: always a view (never a copy), so fewer than `max`
   * when the first chunk holds fewer; empty when nothing is held.
   */
  takeView(max: number): Uint8Array {
    if (this.total === 0 || !(max > 0)) return NO_BYTES;
    this.resetScan();
    const head = this.chunks[this.first];
    const start = this.offset;
    const n = Math.min(max, head.length - start);
    this.consume(n);
    return start === 0 && n === head.length ? head : head.subarray(start, start + n);
  }

  /** Remove and return exactly `n` bytes (n <= length). */
  private take(n: number): Uint8Array {
    this.resetScan();
    if (n === 0) return NO_BYTES;
    const head = this.chunks[this.first];
    const start = this.offset;
    if (head.length - start >= n) {
      this.consume(n);
      return head.subarray(start, start + n);
    }
    const out = new Uint8Array(n);
    for (let at = 0; at < n; ) {
      const c = this.chunks[this.first];
      const from = this.offset;
      const k = Math.min(c.length - from, n - at);
      out.set(c.subarray(from, from + k), at);
      at += k;
      this.consume(k);
    }
    return out;
  }

  /** Mark `k` bytes of the first live chunk as taken (k <= what is left of it). */
  private consume(k: number): void {
    this.total -= k;
    this.offset += k;
    if (this.offset < this.chunks[this.first].length) return;
    this.offset = 0;
    // Released at once: a long-lived buffer must not keep taken chunks alive until the next compaction.
    this.chunks[this.first++] = NO_BYTES;
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
    } else if (this.first >= COMPACT_AFTER && this.first * 2 >= this.chunks.length) {
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
      const from = i === this.first ? this.offset : 0;
      const live = c.length - from;
      const to = from + Math.min(live, stop - base);
      const at = to === c.length ? c.indexOf(LF, from) : indexIn(c.subarray(from, to), from);
      if (at >= 0) return base + at - from;
      if (to < c.length) break;
      this.scannedChunks++;
      this.scannedBytes += live;
      base += live;
    }
    return -1;
  }
}

/** Index of LF in `part` (which starts at `from` in its chunk), as an index into the chunk; -1 when absent. */
function indexIn(part: Uint8Array, from: number): number {
  const at = part.indexOf(LF);
  return at < 0 ? -1 : from + at;
}
