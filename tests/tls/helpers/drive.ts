// Drive a StreamPeerTLS as a game loop would: poll, then let the event loop run, until a condition holds.

import { until } from '../../helpers/frame-stepper.js';
import { performance } from 'node:perf_hooks';
import { PeerStatus, type StreamPeer } from '../../../engine-module/net/stream-peer.js';
import { createNodePlatform } from '../../../engine-module/platform/node.js';
import { StreamPeerTLS, type TlsClientOptions } from '../../../engine-module/tls/stream-peer-tls.js';

export const nodePlatform = createNodePlatform();

/** Poll statistics of one connection. */
export interface PollStats {
  polls: number;
  longestMs: number;
  /** Sum of poll() durations during the handshake. */
  handshakeMs: number;
  /** Process CPU time spent in poll() during the handshake (unaffected by other processes on the machine). */
  handshakeCpuMs: number;
  longestHandshakePollMs: number;
  /** Process CPU time of the longest poll() during the handshake (less disturbed by a busy machine than wall time). */
  longestHandshakePollCpuMs: number;
}

export class Driven {
  readonly stats: PollStats = {
    polls: 0,
    longestMs: 0,
    handshakeMs: 0,
    handshakeCpuMs: 0,
    longestHandshakePollMs: 0,
    longestHandshakePollCpuMs: 0,
  };
  constructor(
    readonly tls: StreamPeerTLS,
    private readonly inner: StreamPeer,
  ) {}

  /**
   * Bytes received and not yet read, wherever they wait: held by the TLS layer (records, decrypted data) or still
   * in the transport (once connected, the TLS layer takes them a record at a time as it needs them).
   */
  received(): number {
    return this.tls.getBufferedBytes() + this.inner.getAvailableBytes();
  }

  poll(): void {
    const handshaking = this.tls.getStatus() === PeerStatus.CONNECTING;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    this.tls.poll();
    const ms = performance.now() - start;
    this.stats.polls++;
    if (handshaking) {
      const cpu = process.cpuUsage(cpuStart);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      this.stats.handshakeCpuMs += cpuMs;
      this.stats.longestHandshakePollCpuMs = Math.max(this.stats.longestHandshakePollCpuMs, cpuMs);
      this.stats.handshakeMs += ms;
      this.stats.longestHandshakePollMs = Math.max(this.stats.longestHandshakePollMs, ms);
    }
    this.stats.longestMs = Math.max(this.stats.longestMs, ms);
  }

  /**
   * Poll until `done()` holds; fails, saying `what` was awaited, after `timeoutMs` (a bound in milliseconds: the
   * servers here are other processes that keep their own pace).
   */
  until(done: () => boolean, what?: string, timeoutMs = 20_000): Promise<number> {
    return until(done, what, { ms: timeoutMs }, this.pollOnce);
  }

  private readonly pollOnce = (): void => this.poll();

  /** Poll through the handshake; resolves with the status it ended in. */
  async handshake(): Promise<number> {
    await this.until(() => this.tls.getStatus() !== PeerStatus.CONNECTING, 'the handshake to end');
    return this.tls.getStatus();
  }

  /** Write everything, polling while the peer accepts less. */
  async write(data: Uint8Array): Promise<void> {
    let at = 0;
    await this.until(() => {
      if (at < data.length) at += this.tls.putPartialData(data.subarray(at));
      return at >= data.length || this.tls.getStatus() !== PeerStatus.CONNECTED;
    }, 'the data to be written');
  }

  /** Read everything readable now, in reads of `max` bytes (each decrypts only what it returns). */
  drain(max = 1 << 16): Uint8Array[] {
    const parts: Uint8Array[] = [];
    for (let p = this.tls.getPartialData(max); p.length > 0; p = this.tls.getPartialData(max)) parts.push(p);
    return parts;
  }

  /** Read until `enough(received)` or the connection ends; returns the bytes read. */
  async read(enough: (bytes: Uint8Array[]) => boolean, timeoutMs = 20_000): Promise<Buffer> {
    const parts: Uint8Array[] = [];
    await this.until(() => {
      parts.push(...this.drain());
      const s = this.tls.getStatus();
      return enough(parts) || (s !== PeerStatus.CONNECTED && s !== PeerStatus.CONNECTING);
    }, 'enough bytes read, or the connection to end', timeoutMs);
    return Buffer.concat(parts);
  }
}

/** Connect over a real TCP socket to 127.0.0.1:port and wrap it in TLS. */
export function connectTls(port: number, options: Partial<TlsClientOptions> & { inner?: StreamPeer } = {}): Driven {
  const inner = options.inner ?? nodePlatform.connectTcp('127.0.0.1', port);
  return new Driven(
    new StreamPeerTLS(inner, {
      hostname: 'localhost',
      randomBytes: nodePlatform.randomBytes,
      now: nodePlatform.wallClock,
      ...options,
    }),
    inner,
  );
}

export const text = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
