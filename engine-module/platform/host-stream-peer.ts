import { ChunkQueue, NO_BYTES } from '../net/chunk-queue.js';
import { PeerStatus, type StreamPeer } from '../net/stream-peer.js';
import type { HostBridge } from './host-bridge.js';
import { hostBytes, wholeBuffer } from './host-bytes.js';

/** Largest slice offered to the host per send, so the copy made for a partial view stays bounded. */
const MAX_SEND = 64 * 1024;
/** How much is pulled from the host per receive call when the bridge cannot say how much is waiting. */
const PULL_CHUNK = 64 * 1024;

/**
 * A {@link StreamPeer} over one host TCP handle. Bytes pulled from the host but not yet read stay here, which lets
 * the peer report CONNECTED until every byte that arrived before a close has been read. A bridge function that
 * throws puts the peer in ERROR (the message is kept in {@link failure}): a host fault must not escape a poll.
 */
export class HostStreamPeer implements StreamPeer {
  /** Bytes pulled from the host and not yet read. */
  private readonly pending = new ChunkQueue();
  private closed = false;
  private remoteClosed = false;
  private broken: boolean;
  /** Why the peer is in ERROR because a bridge call threw, or null. */
  failure: string | null = null;

  /** `handle` is what {@link HostBridge.tcpConnect} returned; negative means the connect never started. */
  constructor(
    private readonly bridge: HostBridge,
    private readonly handle: number,
  ) {
    this.broken = !(handle >= 0);
  }

  getStatus(): number {
    if (this.closed) return PeerStatus.NONE;
    if (this.broken) return PeerStatus.ERROR;
    if (this.remoteClosed) return this.pending.length > 0 ? PeerStatus.CONNECTED : PeerStatus.NONE;
    const status = this.guard(() => this.bridge.tcpStatus(this.handle), PeerStatus.ERROR);
    switch (status) {
      case PeerStatus.CONNECTING:
      case PeerStatus.CONNECTED:
        return status;
      case PeerStatus.NONE:
        this.remoteClosed = true;
        this.pullAll();
        return this.pending.length > 0 ? PeerStatus.CONNECTED : PeerStatus.NONE;
      default:
        this.broken = true;
        return PeerStatus.ERROR;
    }
  }

  getAvailableBytes(): number {
    if (!this.readable()) return this.pending.length;
    const { tcpAvailable } = this.bridge;
    if (tcpAvailable) {
      const n = this.guard(() => tcpAvailable.call(this.bridge, this.handle), 0);
      return this.pending.length + (n > 0 ? n : 0);
    }
    if (this.pending.length === 0) this.pull(PULL_CHUNK);
    return this.pending.length;
  }

  /** Up to `max` bytes, pulled from the host as needed and joined when they came in several pieces. */
  getPartialData(max: number): Uint8Array {
    if (!(max > 0)) return NO_BYTES;
    if (this.pending.length < max && this.readable()) this.pull(max - this.pending.length);
    return this.pending.readJoined(max);
  }

  putPartialData(data: Uint8Array): number {
    if (data.length === 0 || this.getStatus() !== PeerStatus.CONNECTED || this.remoteClosed) return 0;
    const offered = wholeBuffer(data.length > MAX_SEND ? data.subarray(0, MAX_SEND) : data);
    const n = this.guard(() => this.bridge.tcpSend(this.handle, offered), 0);
    return n > 0 ? Math.min(Math.floor(n), offered.length) : 0;
  }

  disconnectFromHost(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.clear();
    if (this.handle >= 0) this.guard(() => this.bridge.tcpClose(this.handle), undefined);
  }

  /** True while the host may still hand out bytes for this handle (a handle that never started is broken). */
  private readable(): boolean {
    return !this.closed && !this.broken;
  }

  /** Pull up to `want` bytes from the host into the pending queue. */
  private pull(want: number): void {
    while (want > 0 && this.readable()) {
      const got = hostBytes(this.guard(() => this.bridge.tcpReceive(this.handle, want), NO_BYTES));
      if (got.length === 0) return;
      this.pending.push(got); // kept whole even if the host returned more than asked: nothing is dropped
      want -= got.length;
    }
  }

  /** After the remote closed: everything the host still holds, so the close can be reported once it is read. */
  private pullAll(): void {
    let before = -1;
    while (this.readable() && before !== this.pending.length) {
      before = this.pending.length;
      this.pull(PULL_CHUNK);
    }
  }

  /** Run a bridge call; a throw becomes ERROR with its message kept, and `fallback` is returned. */
  private guard<T>(call: () => T, fallback: T): T {
    try {
      return call();
    } catch (e) {
      this.broken = true;
      this.failure = e instanceof Error ? e.message : String(e);
      return fallback;
    }
  }
}
