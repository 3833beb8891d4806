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

  /** Keep `data` (not copied: the caller hands over ownership). */
  append(data: Uint8Array): void {
    this.queue.push(data);
  }

  /** Drop everything. */
  clear(): void {
    this.queue.clear();
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
