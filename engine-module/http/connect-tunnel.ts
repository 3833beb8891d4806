import { PeerStatus, type StreamPeer } from '../net/stream-peer.js';
import { NO_BYTES } from '../net/chunk-queue.js';
import { Method } from './constants.js';
import { FinalHeadReader } from './final-head.js';
import { ProtocolError } from './protocol-error.js';
import { ReceiveBuffer } from './receive-buffer.js';
import type { HeadLimits } from './response-head.js';
import { writeRequest } from './request-writer.js';

const PULL_BYTES = 16384;

/**
 * An HTTP CONNECT tunnel through a proxy, as a StreamPeer: CONNECTING while the CONNECT exchange runs, then a plain
 * byte pipe to the origin (TLS to the origin goes on top of it), ERROR when the proxy refuses.
 */
export class ConnectTunnel implements StreamPeer {
  private state: 'sending' | 'reading' | 'open' | 'failed' = 'sending';
  private readonly request: Uint8Array;
  private sent = 0;
  private readonly buffer = new ReceiveBuffer();
  private readonly head: FinalHeadReader;
  /** Why the tunnel failed (the proxy's status code, or a protocol error), or null. */
  failure: string | null = null;

  constructor(
    private readonly inner: StreamPeer,
    authority: string,
    limits: HeadLimits,
  ) {
    const r = writeRequest({ method: Method.CONNECT, url: authority, headers: [], body: NO_BYTES, host: authority });
    if ('err' in r) throw new Error(r.reason);
    this.request = r.bytes;
    this.head = new FinalHeadReader(limits);
  }

  poll(): void {
    this.inner.poll?.();
    try {
      this.advance();
    } catch (e) {
      this.fail(e instanceof ProtocolError ? e.message : String(e));
    }
  }

  getStatus(): number {
    if (this.state === 'failed') return PeerStatus.ERROR;
    if (this.state !== 'open') return PeerStatus.CONNECTING;
    return this.buffer.length > 0 ? PeerStatus.CONNECTED : this.inner.getStatus();
  }

  getAvailableBytes(): number {
    return this.state === 'open' ? this.buffer.length + this.inner.getAvailableBytes() : 0;
  }

  getPartialData(max: number): Uint8Array {
    if (this.state !== 'open') return NO_BYTES;
    return this.buffer.length > 0 ? this.buffer.takeAtMost(max) : this.inner.getPartialData(max);
  }

  putPartialData(data: Uint8Array): number {
    return this.state === 'open' ? this.inner.putPartialData(data) : 0;
  }

  /** The inner peer's watcher once the tunnel is open and nothing of the proxy's is left over; before, polls work. */
  watch(wake: (() => void) | null): boolean {
    if (wake && (this.state !== 'open' || this.buffer.length > 0)) return false;
    return this.inner.watch?.(wake) ?? false;
  }

  disconnectFromHost(): void {
    this.inner.disconnectFromHost();
    this.buffer.clear();
  }

  private advance(): void {
    const status = this.inner.getStatus();
    if (this.state === 'sending' && status === PeerStatus.CONNECTED) {
      this.sent += this.inner.putPartialData(this.request.subarray(this.sent));
      if (this.sent === this.request.length) this.state = 'reading';
    }
    const head = this.state === 'reading' ? this.head.read(this.buffer, this.pull) : null;
    if (head) {
      if (head.status >= 200 && head.status < 300) this.state = 'open';
      else this.fail(`proxy answered CONNECT with ${head.status}`);
    }
    if (this.state !== 'open' && this.state !== 'failed' && (status === PeerStatus.ERROR || status === PeerStatus.NONE)) {
      this.fail('proxy closed the connection before the tunnel opened');
    }
  }

  /** Move what the proxy sent into the buffer; false when nothing came. */
  private readonly pull = (): boolean => this.buffer.fill(this.read, PULL_BYTES);

  private readonly read = (max: number): Uint8Array => this.inner.getPartialData(max);

  private fail(reason: string): void {
    this.failure = reason;
    this.state = 'failed';
    this.inner.disconnectFromHost();
  }
}
