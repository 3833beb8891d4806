import { ownedCopy } from '../bytes/bytes.js';

/**
 * The array every read that finds nothing returns. It holds no bytes, so one instance serves every caller: an idle
 * connection polled each tick allocates nothing.
 */
export const NO_BYTES: Uint8Array = Object.freeze(new Uint8Array(0)) as Uint8Array;

/** Consumed slots at the front of the chunk list that are worth compacting away (amortised, like a ring). */
const COMPACT_AFTER = 64;

/**
 * Received bytes waiting to be read, kept as the chunks they arrived in: nothing is concatenated on arrival, and reads
 * hand out views of those chunks. The queue keeps a reference to each pushed chunk, so whoever pushes hands over
 * ownership: the chunk must not be changed or reused afterwards.
 */
export class ChunkQueue {
  private chunks: Uint8Array[] = [];
  /** Index of the first live chunk in `chunks`. */
  private first = 0;
  /** Bytes of the first live chunk already read. */
  private offset = 0;
  private size = 0;
  /**
   * Memo of the last {@link indexOf}: live chunks (from `first`) already searched in full for `searchedFor`, and their
   * live byte count. Any read resets it; pushes only add chunks after it.
   */
  private searchedFor = -1;
  private searchedChunks = 0;
  private searchedBytes = 0;

  /** Bytes queued. */
  get length(): number {
    return this.size;
  }

  /** Queue `chunk` (kept, not copied); an empty chunk is ignored. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /**
   * Remove and return at most `max` bytes from the first chunk only, as a view of it (never a copy); {@link NO_BYTES}
   * when the queue is empty or `max` is not positive.
   */
  read(max: number): Uint8Array {
    if (this.size === 0 || !(max > 0)) return NO_BYTES;
    const head = this.chunks[this.first];
    const start = this.offset;
    const n = Math.min(max, head.length - start);
    this.consume(n);
    return start === 0 && n === head.length ? head : head.subarray(start, start + n);
  }

  /** The byte at `i` from the front (0 <= i < length), found from whichever end is nearer. */
  at(i: number): number {
    if (!(i >= 0 && i < this.size)) throw new RangeError(`byte ${i} is past the end of the queue`);
    if (i < this.size / 2) {
      i += this.offset;
      for (let k = this.first; ; k++) {
        const c = this.chunks[k];
        if (i < c.length) return c[i];
        i -= c.length;
      }
    }
    let fromEnd = this.size - i;
    for (let k = this.chunks.length - 1; ; k--) {
      const c = this.chunks[k];
      if (fromEnd <= c.length) return c[c.length - fromEnd];
      fromEnd -= c.length;
    }
  }

  /**
   * Offset from the front of the first byte equal to `value`, or -1; searches no further than `limit` bytes. Work
   * stays linear however the bytes were split: chunks already searched in full for the same value are not searched
   * again until something is read.
   */
  indexOf(value: number, limit: number): number {
    if (value !== this.searchedFor) {
      this.resetSearch();
      this.searchedFor = value;
    }
    const stop = Math.min(this.size, limit);
    let base = this.searchedBytes;
    for (let k = this.first + this.searchedChunks; k < this.chunks.length && base < stop; k++) {
      const c = this.chunks[k];
      const from = k === this.first ? this.offset : 0;
      const live = c.length - from;
      const to = from + Math.min(live, stop - base);
      const at = to === c.length ? c.indexOf(value, from) : indexWithin(c, value, from, to);
      if (at >= 0) return base + at - from;
      if (to < c.length) break;
      this.searchedChunks++;
      this.searchedBytes += live;
      base += live;
    }
    return -1;
  }

  /**
   * Remove and return `min(max, length)` bytes: a view when they lie in the first chunk, else one copy joining the
   * chunks they span; {@link NO_BYTES} when that is nothing.
   */
  readJoined(max: number): Uint8Array {
    const n = Math.min(max, this.size);
    if (!(n > 0)) return NO_BYTES;
    const head = this.chunks[this.first];
    if (head.length - this.offset >= n) return this.read(n);
    const out = new Uint8Array(n);
    for (let at = 0; at < n; ) {
      const piece = this.read(n - at);
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }

  /**
   * Replace what is unread of the newest chunk with a copy of it, for a chunk whose storage is only lent (see
   * {@link ReceiveBuffer.fill}); nothing when the queue is empty.
   */
  ownNewest(): void {
    const last = this.chunks.length - 1;
    if (this.size === 0) return;
    const from = last === this.first ? this.offset : 0;
    this.chunks[last] = ownedCopy(this.chunks[last].subarray(from));
    if (last === this.first) this.offset = 0;
  }

  /** Drop everything queued. */
  clear(): void {
    this.chunks = [];
    this.first = 0;
    this.offset = 0;
    this.size = 0;
    this.resetSearch();
  }

  /** Mark `n` bytes of the first live chunk as read (n <= what is left of it). */
  private consume(n: number): void {
    this.resetSearch();
    this.size -= n;
    this.offset += n;
    if (this.offset < this.chunks[this.first].length) return;
    this.offset = 0;
    // Released at once: a long-lived queue must not keep read chunks alive until the next compaction.
    this.chunks[this.first++] = NO_BYTES;
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
    } else if (this.first >= COMPACT_AFTER && this.first * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }

  private resetSearch(): void {
    this.searchedChunks = 0;
    this.searchedBytes = 0;
  }
}

/** Index in `chunk` of `value` between `from` and `to` (exclusive), or -1. */
function indexWithin(chunk: Uint8Array, value: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (chunk[i] === value) return i;
  return -1;
}
