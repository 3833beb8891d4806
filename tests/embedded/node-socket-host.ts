// The "engine" side of the host bridge, written around Node sockets: what a game engine would implement natively.
// Sockets deliver data through events into host-side buffers; the bridge functions only look at those buffers, so
// every call returns at once. The Node side turns the event loop between frames (see QuickJsHost.runFrames).
import { lookup } from 'node:dns';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { HostBridge } from '../../engine-module/platform/host-bridge.js';

/** Above this many unsent bytes queued in the socket, tcpSend accepts nothing (backpressure). */
const SEND_HIGH_WATER = 256 * 1024;

interface Connection {
  socket: Socket;
  status: 0 | 1 | 2 | 3;
  received: Buffer[];
  receivedBytes: number;
}

/** The native functions of the bridge, over Node sockets, with counters a test can inspect. */
export class NodeSocketHost {
  private readonly connections = new Map<number, Connection>();
  private readonly lookups = new Map<string, string | null | undefined>();
  private nextHandle = 1;
  /** Handles tcpClose was called for, in order. */
  readonly closed: number[] = [];
  /** Total bytes accepted by tcpSend and handed out by tcpReceive. */
  bytesSent = 0;
  bytesReceived = 0;

  tcpConnect(host: string, port: number): number {
    const handle = this.nextHandle++;
    const socket = connect({ host, port });
    const conn: Connection = { socket, status: 1, received: [], receivedBytes: 0 };
    socket.on('connect', () => {
      if (conn.status === 1) conn.status = 2;
    });
    socket.on('data', (chunk: Buffer) => {
      conn.received.push(chunk);
      conn.receivedBytes += chunk.length;
    });
    socket.on('error', () => {
      conn.status = 3;
    });
    socket.on('close', () => {
      if (conn.status !== 3) conn.status = 0;
    });
    socket.on('end', () => {
      if (conn.status !== 3) conn.status = 0;
    });
    this.connections.set(handle, conn);
    return handle;
  }

  tcpSend(handle: number, data: Uint8Array): number {
    const conn = this.connections.get(handle);
    if (!conn || conn.status !== 2 || conn.socket.writableLength > SEND_HIGH_WATER) return 0;
    conn.socket.write(Buffer.from(data));
    this.bytesSent += data.length;
    return data.length;
  }

  tcpReceive(handle: number, max: number): Uint8Array {
    const conn = this.connections.get(handle);
    if (!conn || conn.receivedBytes === 0) return new Uint8Array(0);
    const all = conn.received.length === 1 ? conn.received[0] : Buffer.concat(conn.received);
    const out = all.subarray(0, Math.min(max, all.length));
    const rest = all.subarray(out.length);
    conn.received = rest.length > 0 ? [rest] : [];
    conn.receivedBytes = rest.length;
    this.bytesReceived += out.length;
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  }

  tcpStatus(handle: number): number {
    return this.connections.get(handle)?.status ?? 3;
  }

  tcpAvailable(handle: number): number {
    return this.connections.get(handle)?.receivedBytes ?? 0;
  }

  tcpClose(handle: number): void {
    this.closed.push(handle);
    this.connections.get(handle)?.socket.destroy();
    this.connections.delete(handle);
  }

  resolve(host: string): string | null | undefined {
    if (!this.lookups.has(host)) {
      this.lookups.set(host, undefined);
      lookup(host, { family: 4 }, (err, address) => this.lookups.set(host, err ? null : address));
    }
    return this.lookups.get(host);
  }

  randomBytes(n: number): Uint8Array {
    return new Uint8Array(randomBytes(n));
  }

  now(): number {
    return performance.now();
  }

  /** Connections still open on the host side (a test asserts none leak). */
  openCount(): number {
    return this.connections.size;
  }

  /** Destroy every socket still open (test cleanup). */
  destroyAll(): void {
    for (const conn of this.connections.values()) conn.socket.destroy();
    this.connections.clear();
  }

  /** This host as a {@link HostBridge} for code running directly in Node, with optional members removed or added. */
  bridge(overrides: Partial<HostBridge> = {}, without: (keyof HostBridge)[] = []): HostBridge {
    const b: Partial<HostBridge> = {
      tcpConnect: (h, p) => this.tcpConnect(h, p),
      tcpSend: (h, d) => this.tcpSend(h, d),
      tcpReceive: (h, m) => this.tcpReceive(h, m),
      tcpStatus: (h) => this.tcpStatus(h),
      tcpAvailable: (h) => this.tcpAvailable(h),
      tcpClose: (h) => this.tcpClose(h),
      resolve: (h) => this.resolve(h),
      randomBytes: (n) => this.randomBytes(n),
      now: () => this.now(),
      ...overrides,
    };
    for (const key of without) delete b[key];
    return b as HostBridge;
  }
}
