import { ChunkQueue } from './chunk-queue.js';
import { PeerStatus, type StreamPeer } from './stream-peer.js';

/** Options of {@link createMemoryPipe}. */
export interface MemoryPipeOptions {
  /** Most bytes buffered toward one side; writes beyond it are partially accepted (backpressure). Unbounded by default. */
  capacity?: number;
  /** Most bytes one getPartialData() returns, to force small reads. Unbounded by default. */
  maxRead?: number;
}

/** Bytes queued toward one side, and how that direction ended. */
class Direction {
  /** Owned copies of what was written: the reader is handed views of them. */
  readonly bytes = new ChunkQueue();
  /** The writing side closed: the reader sees NONE once it has read everything. */
  closed = false;
  /** The connection was reset: the reader sees ERROR at once. */
  reset = false;
  /** The watchers (see StreamPeer.watch) of the end reading this direction and of the end writing it. */
  wakeReader: (() => void) | null = null;
  wakeWriter: (() => void) | null = null;

  /** Something arrived or ended: the reader's poll has work. */
  stirReader(): void {
    this.wakeReader?.();
  }
}

/**
 * One end of an in-memory connection. Whatever one end writes the other can read immediately, with no event loop,
 * so tests control exactly which bytes are available at each poll. {@link queueSplits} and {@link deliverNext} script
 * a byte stream in chosen pieces.
 */
export class MemoryPeer implements StreamPeer {
  private pending: Uint8Array[] = [];
  private selfClosed = false;

  /** @internal use {@link createMemoryPipe}. */
  constructor(
    private readonly incoming: Direction,
    private readonly outgoing: Direction,
    private readonly options: MemoryPipeOptions,
  ) {}

  getStatus(): number {
    if (this.selfClosed) return PeerStatus.NONE;
    if (this.incoming.bytes.length > 0) return PeerStatus.CONNECTED;
    if (this.incoming.reset) return PeerStatus.ERROR;
    if (this.incoming.closed) return PeerStatus.NONE;
    return PeerStatus.CONNECTED;
  }

  poll(): void {}

  getAvailableBytes(): number {
    return this.selfClosed ? 0 : Math.min(this.incoming.bytes.length, this.options.maxRead ?? Infinity);
  }

  /** Everything available up to `max` bytes (up to maxRead), joined across the writes it came from. */
  getPartialData(max: number): Uint8Array {
    const out = this.incoming.bytes.readJoined(Math.min(max, this.getAvailableBytes()));
    // Room for the writer again (it may be held back by the capacity).
    if (out.length > 0) this.incoming.wakeWriter?.();
    return out;
  }

  putPartialData(data: Uint8Array): number {
    const dir = this.outgoing;
    if (this.selfClosed || dir.closed || dir.reset || this.incoming.reset) return 0;
    const n = Math.min(data.length, (this.options.capacity ?? Infinity) - dir.bytes.length);
    if (n <= 0) return 0;
    dir.bytes.push(data.slice(0, n));
    dir.stirReader();
    return n;
  }

  /** Writes, closes and resets by the other end, and its reads that make room, call `wake` at once. */
  watch(wake: (() => void) | null): boolean {
    this.incoming.wakeReader = wake;
    this.outgoing.wakeWriter = wake;
    return true;
  }

  /** Close this end: the other end reads what was sent, then sees NONE. */
  disconnectFromHost(): void {
    this.selfClosed = true;
    this.outgoing.closed = true;
    this.incoming.bytes.clear();
    this.outgoing.stirReader();
  }

  /** Abort the connection (like a TCP reset): the other end reads what already arrived, then sees ERROR. */
  reset(): void {
    this.outgoing.reset = true;
    this.disconnectFromHost();
  }

  /** Script `data` toward the other end, cut before each offset in `cuts`; nothing is sent until deliverNext(). */
  queueSplits(data: Uint8Array, cuts: readonly number[] = []): void {
    let from = 0;
    for (const cut of [...cuts, data.length]) {
      if (cut > from) this.pending.push(data.slice(from, cut));
      from = Math.max(from, cut);
    }
  }

  /** Send the next scripted piece (ignoring capacity); false when none is left. */
  deliverNext(): boolean {
    const piece = this.pending.shift();
    if (!piece) return false;
    if (!this.selfClosed && !this.outgoing.closed) {
      this.outgoing.bytes.push(piece);
      this.outgoing.stirReader();
    }
    return true;
  }

  /** Scripted pieces not yet delivered. */
  get pendingPieces(): number {
    return this.pending.length;
  }

  /** Bytes this end wrote that the other end has not read. */
  get unread(): number {
    return this.outgoing.bytes.length;
  }
}

/** A connected pair of in-memory StreamPeers: [one end, the other end] (e.g. client and server). */
export function createMemoryPipe(options: MemoryPipeOptions = {}): [MemoryPeer, MemoryPeer] {
  const aToB = new Direction();
  const bToA = new Direction();
  return [new MemoryPeer(bToA, aToB, options), new MemoryPeer(aToB, bToA, options)];
}
