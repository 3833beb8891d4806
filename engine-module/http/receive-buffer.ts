import { ChunkQueue } from '../net/chunk-queue.js';
import { ProtocolError } from './protocol-error.js';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Bytes received and not yet parsed, kept as the chunks they arrived in (no concatenation on arrival). It is the only
 * place that scans for line ends; body bytes are handed out as views of the received chunks whenever they fit in one.
 * Work stays linear however the bytes were split (see {@link ChunkQueue.indexOf}).
 */
export class ReceiveBuffer {
  private readonly queue = new ChunkQueue();

  /** Bytes held. */
  get length(): number {
    return this.queue.length;
  }

  /** Whether the newest bytes held came from {@link fill} and are still only lent by the transport. */
  private holdsLent = false;

  /** Keep `data` (not copied: the caller hands over ownership). */
  append(data: Uint8Array): void {
    this.keepLent();
    this.queue.push(data);
  }

  /**
   * Append up to `max` bytes from `read`, a transport's getPartialData, whose bytes stay valid only until its next
   * read; true when any came. Before reading, what is still held of the previous read is copied: only that read's
   * leftover (a partial line, at most one read), so copying stays linear however the bytes were split, and a body
   * read that takes what it pulls copies nothing.
   */
  fill(read: (max: number) => Uint8Array, max: number): boolean {
    this.keepLent();
    const data = read(max);
    this.queue.push(data);
    this.holdsLent = data.length > 0;
    return this.holdsLent;
  }

  /** Copy what is still held of lent bytes, before their transport may reuse its storage. */
  private keepLent(): void {
    if (this.holdsLent) this.queue.ownNewest();
    this.holdsLent = false;
  }

  /** Drop everything. */
  clear(): void {
    this.queue.clear();
    this.holdsLent = false;
  }

  /**
   * Remove and return the next line without its terminator (LF, or CRLF: bare LF is accepted). Null when no LF has
   * arrived yet. A line longer than `maxLength` bytes (terminator included) is a {@link ProtocolError}.
   */
  extractLine(maxLength: number): Uint8Array | null {
    const lf = this.queue.indexOf(LF, maxLength);
    if (lf < 0) {
      if (this.queue.length >= maxLength) throw new ProtocolError(`line longer than ${maxLength} bytes`);
      return null;
    }
    // Usually a view of the chunk the line arrived in; one copy only when the line spans chunks.
    const line = this.queue.readJoined(lf + 1);
    return line.subarray(0, lf > 0 && line[lf - 1] === CR ? lf - 1 : lf);
  }

  /** The byte at `index` from the front (index < length). */
  peek(index: number): number {
    return this.queue.at(index);
  }

  /** Remove and return up to `max` bytes: a view of the first chunk when it holds them, else one copy. */
  takeAtMost(max: number): Uint8Array {
    return this.queue.readJoined(max);
  }

  /**
   * Remove and return up to `max` bytes of the first chunk only: always a view (never a copy), so fewer than `max`
   * when the first chunk holds fewer; empty when nothing is held.
   */
  takeView(max: number): Uint8Array {
    return this.queue.read(max);
  }
}
