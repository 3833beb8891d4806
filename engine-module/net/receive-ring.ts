import { NO_BYTES } from './chunk-queue.js';

/**
 * Received bytes in one block of memory that is written over again, for a transport that lets the operating system
 * write straight into memory it names (Node's `onread`). Nothing is allocated per receive, pages once touched stay
 * touched, and consecutive receives lie side by side, so a reader gets long contiguous views instead of joining
 * pieces. The bytes wrap around the end of the block.
 *
 * Ownership: a view from {@link read} stays intact until the next {@link read}: the space handed out for the next
 * receive never covers it. A reader that keeps bytes longer copies them.
 *
 * Protocol of the writing side: {@link space} names where the next receive goes, then exactly one {@link commit}
 * says how much was written there; bytes received anywhere else are copied in with {@link put}.
 */
export class ReceiveRing {
  private block = NO_BYTES;
  /** Offset of the first unread byte. */
  private head = 0;
  /** Unread bytes, from `head` on (wrapping). */
  private size = 0;
  /** Bytes just before `head` that the last read handed out: kept intact until the next read. */
  private lent = 0;

  /**
   * @param firstCapacity the block's size when the first bytes arrive
   * @param maxCapacity the size it may grow to while the reader lags (at least `firstCapacity`)
   */
  constructor(
    private firstCapacity: number,
    private maxCapacity: number,
  ) {}

  /** Grow no larger than `maxCapacity` from now on (a block already larger stays as it is). */
  limit(maxCapacity: number): void {
    this.maxCapacity = Math.min(this.maxCapacity, maxCapacity);
    this.firstCapacity = Math.min(this.firstCapacity, this.maxCapacity);
  }

  /** Unread bytes. */
  get length(): number {
    return this.size;
  }

  /** Whether the ring holds a block yet: it takes one with the first bytes {@link put} into it. */
  get started(): boolean {
    return this.block.length > 0;
  }

  /** True when the block is at its largest and every byte of it is unread or lent: nothing can be received. */
  get full(): boolean {
    return this.block.length >= this.maxCapacity && this.size + this.lent === this.block.length;
  }

  /**
   * Free contiguous memory after the unread bytes, where the next receive may write (empty when the block is full
   * at its largest). The block doubles while it is more than half used and may still grow, so a reader that drains
   * once per frame lets it settle at what a frame brings.
   */
  space(): Uint8Array {
    if (this.size === 0 && this.lent === 0) this.head = 0;
    const capacity = this.block.length;
    if (capacity - this.size - this.lent < capacity / 2 + 1 && capacity < this.maxCapacity) this.grow(this.size);
    const block = this.block;
    const tail = (this.head + this.size) % block.length;
    const start = (this.head - this.lent + block.length) % block.length;
    if (this.size + this.lent === block.length) return NO_BYTES;
    return block.subarray(tail, tail < start ? start : block.length);
  }

  /** `n` bytes were received at the start of the last {@link space}. */
  commit(n: number): void {
    this.size += n;
  }

  /** Copy in bytes received elsewhere, growing past the largest size if they do not fit (by at most their length). */
  put(data: Uint8Array): void {
    if (data.length === 0) return;
    if (this.block.length - this.size - this.lent < data.length) this.grow(this.size + data.length);
    const block = this.block;
    const tail = (this.head + this.size) % block.length;
    const first = Math.min(data.length, block.length - tail);
    block.set(data.subarray(0, first), tail);
    block.set(data.subarray(first), 0);
    this.size += data.length;
  }

  /**
   * Remove and return at most `max` unread bytes as a view of the block (never a copy), so fewer when the unread
   * bytes wrap around its end; {@link NO_BYTES} when there are none. The view before this one may now be overwritten.
   */
  read(max: number): Uint8Array {
    this.lent = 0;
    if (this.size === 0 || !(max > 0)) return NO_BYTES;
    const n = Math.min(max, this.size, this.block.length - this.head);
    const out = this.block.subarray(this.head, this.head + n);
    this.head = (this.head + n) % this.block.length;
    this.size -= n;
    this.lent = n;
    return out;
  }

  /** The unread byte at `i` from the front (0 <= i < length). */
  at(i: number): number {
    if (!(i >= 0 && i < this.size)) throw new RangeError(`byte ${i} is past the end of the ring`);
    return this.block[(this.head + i) % this.block.length];
  }

  /**
   * Remove and return `min(max, length)` bytes: a view as {@link read} gives when they lie together, else one copy
   * joining the two ends of the block; {@link NO_BYTES} when that is nothing.
   */
  readJoined(max: number): Uint8Array {
    const n = Math.min(max, this.size);
    const first = this.read(n);
    if (first.length === n) return first;
    const out = new Uint8Array(n);
    out.set(first);
    out.set(this.read(n - first.length), first.length);
    return out;
  }

  /** Drop everything and the block with it. */
  clear(): void {
    this.block = NO_BYTES;
    this.head = this.size = this.lent = 0;
  }

  /**
   * Move the unread bytes to the start of a new block of at least `needed` bytes. The old block is never written
   * again, so a view lent from it stays intact.
   */
  private grow(needed: number): void {
    let capacity = Math.max(this.firstCapacity, this.block.length * 2);
    capacity = Math.max(needed, Math.min(capacity, this.maxCapacity));
    const next = new Uint8Array(capacity);
    const old = this.block;
    const first = Math.min(this.size, old.length - this.head);
    next.set(old.subarray(this.head, this.head + first));
    next.set(old.subarray(0, this.size - first), first);
    this.block = next;
    this.head = 0;
    this.lent = 0;
  }
}
