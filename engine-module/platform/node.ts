// The Node platform: sockets, DNS, randomness, clocks, the trust store and files, all from Node built-ins.
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { lookup } from 'node:dns';
import * as fs from 'node:fs';
import { connect, isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { rootCertificates } from 'node:tls';
import { ReceiveRing } from '../net/receive-ring.js';
import { PeerStatus, type StreamPeer } from '../net/stream-peer.js';
import type { CryptoProvider } from '../tls/crypto/provider.js';
import { checkTlsLimits } from '../tls/tls-limits.js';
import { nodeCrypto } from './node-crypto.js';
import type { FileAccess, FileSink, PendingResolve, Platform } from './platform.js';

/** Options of {@link createNodePlatform}. */
export interface NodePlatformOptions {
  /**
   * Received bytes a socket buffers before it is paused until the reader has taken half of them (default 8 MiB).
   * This bounds the memory one connection holds for a slow reader: its receive ring grows as needed up to the mark
   * plus 64 KiB, and is kept, touched, for the connection's life. It also bounds what a reader that drains once per
   * frame can get: at most about the mark per frame (8 MiB at 60 Hz is 500 MB/s).
   */
  highWaterMark?: number;
  /** Written bytes a socket buffers before putPartialData() accepts no more (default 4 MiB). */
  writeHighWaterMark?: number;
  /** The crypto provider TLS uses (default: node:crypto, synchronous). */
  crypto?: CryptoProvider;
  /** See {@link Platform.arrivalShare}; a number from 0 to 1 (default 0.25). */
  arrivalShare?: number;
}

const DEFAULT_READ_HIGH_WATER_MARK = 8 * 1024 * 1024;
const DEFAULT_WRITE_HIGH_WATER_MARK = 4 * 1024 * 1024;

/** A finished lookup. */
function settled(address: string | null): PendingResolve {
  return { status: () => (address ? 'done' : 'failed'), address: () => address };
}

/** Resolve through the OS resolver (node:dns lookup, like getaddrinfo); literals at once, *.invalid never. */
function resolveHost(host: string): PendingResolve {
  const name = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(name)) return settled(name);
  // RFC 6761: "invalid" names never resolve, and must not be sent to a resolver.
  if (name === '' || /(^|\.)invalid\.?$/i.test(name)) return settled(null);
  let state: 'pending' | 'done' | 'failed' = 'pending';
  let address: string | null = null;
  lookup(name, (err, addr) => {
    if (err || !addr) state = 'failed';
    else {
      address = addr;
      state = 'done';
    }
  });
  return { status: () => state, address: () => address };
}

/** The block a socket's received bytes start in; it doubles while the reader lags, up to the high-water mark. */
const FIRST_RING = 256 * 1024;
/**
 * Where a socket reads before its first bytes, and while its ring has no room (it is paused then, so this serves the
 * one read Node had already been given a place for). Shared by every socket: Node hands the bytes of one read to its callback
 * before it reads another socket, and the callback copies them out at once.
 */
const SPARE = new Uint8Array(64 * 1024);
/**
 * Most one read may fill, of the ring or of a landing target (Node's own stream read size). A watcher (the TLS layer
 * decrypting what arrived) is called per read, so each call has a small amount to handle; and libuv makes up to 32
 * reads per socket in one turn of the event loop, so with the kernel's copy into never-touched pages near 1 GB/s this
 * bounds the time one turn spends landing a body.
 */
const READ_SPACE = 64 * 1024;
/**
 * Most one read may fill of a landing target: the kernel's copy into memory never touched before costs several times
 * its copy into touched memory, so a socket's 32 reads in one turn land at most 1 MiB of it. With six bodies landing at
 * once (earlier bodies' memory collected first), the longest event-loop turn (which delays the game's next frame) was
 * 14-21 ms with 64 KiB reads and 10-14 ms with these, at the same download rate.
 */
const LANDING_READ_SPACE = 32 * 1024;

/** Where a socket's bytes go while a body lands straight in its destination. */
interface Landing {
  target: Uint8Array;
  /** Bytes written into `target` so far. */
  at: number;
}

/**
 * A StreamPeer over a node:net socket. Node reads straight into the peer's {@link ReceiveRing} (the socket's `onread`
 * option): no buffer is allocated per read and the kernel writes into memory that is already touched, and reads hand
 * out views of the ring. A view is valid until the next getPartialData(), as the StreamPeer contract allows. Past the
 * high-water mark, or with the ring full, the socket is paused, so memory stays bounded when the game reads slowly,
 * and resumed once the reader has drained it below half. Errors show as ERROR and a remote close as NONE, each only
 * after every byte received before it has been read.
 */
class NodeTcpPeer implements StreamPeer {
  private readonly socket: Socket;
  private readonly received: ReceiveRing;
  private connected = false;
  private ended = false;
  private failed = false;
  private closedByUs = false;
  private paused = false;
  private wake: (() => void) | null = null;
  private landing: Landing | null = null;
  /** Bytes landed and not yet reported by takeLanded(). */
  private landed = 0;

  constructor(
    address: string,
    port: number,
    private highWaterMark: number,
    private readonly writeHighWaterMark: number,
  ) {
    this.received = new ReceiveRing(Math.min(FIRST_RING, highWaterMark + SPARE.length), highWaterMark + SPARE.length);
    this.socket = connect({
      host: address,
      port,
      onread: { buffer: () => this.nextReadSpace(), callback: (n, buf) => this.onRead(n, buf) },
    });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      this.connected = true;
      this.wake?.();
    });
    this.socket.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
    this.socket.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
    this.socket.on('error', () => {
      this.failed = true;
      this.wake?.();
    });
    this.socket.on('drain', () => this.wake?.());
  }

  /** Every socket event that changes what a poll sees (connect, data, end, close, error, drain) calls `wake`. */
  watch(wake: (() => void) | null): boolean {
    this.wake = wake;
    return true;
  }

  landInto(target: Uint8Array): boolean {
    if (this.closedByUs || target.length === 0) return false;
    this.landing = { target, at: 0 };
    return true;
  }

  takeLanded(): number {
    const n = this.landed;
    this.landed = 0;
    return n;
  }

  holdAtMost(bytes: number): void {
    this.highWaterMark = Math.min(this.highWaterMark, bytes);
    this.received.limit(this.highWaterMark + SPARE.length);
  }

  /**
   * Node asks where its next read goes (on connecting, then once after every read): the landing target, or the
   * ring's free space, or the spare when it has none, or before the first bytes (an idle connection holds no ring).
   */
  private nextReadSpace(): Uint8Array {
    // A close drops the landing, so a landing here is live.
    const landing = this.landing;
    if (landing) return landing.target.subarray(landing.at, landing.at + LANDING_READ_SPACE);
    if (this.closedByUs || !this.received.started) return SPARE;
    const space = this.received.space();
    return space.length > 0 ? space.subarray(0, READ_SPACE) : SPARE;
  }

  /** Node read `n` bytes into `buf`; false pauses the socket. */
  private onRead(n: number, buf: Uint8Array): boolean {
    if (this.closedByUs) return false;
    const rest = this.landing ? this.land(n, buf) : n;
    if (buf.buffer === SPARE.buffer || rest < n) this.received.put(buf.subarray(n - rest, n));
    else this.received.commit(n);
    this.wake?.();
    if (this.received.length > this.highWaterMark || this.received.full) {
      this.paused = true;
      return false;
    }
    return true;
  }

  /**
   * Account a read made while landing; returns how many of its bytes did not fit the target (they go to the ring).
   * A read Node was given room for before the landing began lies elsewhere: its bytes come next in the stream, so
   * they are moved to the target's front.
   */
  private land(n: number, buf: Uint8Array): number {
    const landing = this.landing!;
    const { target } = landing;
    const inPlace = buf.buffer === target.buffer && buf.byteOffset === target.byteOffset + landing.at;
    const fit = Math.min(n, target.length - landing.at);
    if (!inPlace) target.set(buf.subarray(0, fit), landing.at);
    landing.at += fit;
    this.landed += fit;
    if (landing.at === target.length) this.landing = null;
    return n - fit;
  }

  getStatus(): number {
    if (this.closedByUs) return PeerStatus.NONE;
    if (this.received.length > 0) return PeerStatus.CONNECTED;
    if (this.failed) return PeerStatus.ERROR;
    if (this.ended) return PeerStatus.NONE;
    return this.connected ? PeerStatus.CONNECTED : PeerStatus.CONNECTING;
  }

  getAvailableBytes(): number {
    return this.received.length;
  }

  /**
   * A view of the ring, at most `max` bytes: never a copy, so fewer when the bytes wrap around the ring's end. Valid
   * until the next call of this method.
   */
  getPartialData(max: number): Uint8Array {
    const out = this.received.read(max);
    if (this.paused && this.received.length <= this.highWaterMark / 2) {
      this.paused = false;
      this.socket.resume();
    }
    return out;
  }

  putPartialData(data: Uint8Array): number {
    if (!this.connected || this.closedByUs || this.failed || this.ended || this.socket.destroyed) return 0;
    const n = Math.min(data.length, this.writeHighWaterMark - this.socket.writableLength);
    if (n <= 0) return 0;
    // Copied: the caller may reuse its buffer before Node has written it.
    this.socket.write(Buffer.from(data.subarray(0, n)));
    return n;
  }

  disconnectFromHost(): void {
    this.closedByUs = true;
    this.landing = null;
    this.received.clear();
    this.socket.destroy();
  }
}

/** Appends to a file with synchronous writes (a frame writes what it read; no event loop needed). */
class NodeFileSink implements FileSink {
  constructor(private fd: number | null) {}

  write(data: Uint8Array): boolean {
    if (this.fd === null) return false;
    try {
      let at = 0;
      while (at < data.length) at += fs.writeSync(this.fd, data, at, data.length - at);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.fd === null) return;
    try {
      fs.closeSync(this.fd);
    } finally {
      this.fd = null;
    }
  }
}

const nodeFiles: FileAccess = {
  size(path) {
    try {
      const st = fs.statSync(path);
      return st.isFile() ? st.size : -1;
    } catch {
      return -1;
    }
  },
  open(path, append) {
    try {
      return new NodeFileSink(fs.openSync(path, append ? 'a' : 'w'));
    } catch {
      return null;
    }
  },
  read(path) {
    try {
      const b = fs.readFileSync(path);
      return new Uint8Array(b.buffer, b.byteOffset, b.length);
    } catch {
      return null;
    }
  },
  remove(path) {
    fs.rmSync(path, { force: true });
  },
};

let rootsDer: Uint8Array[] | null = null;

/** Node's bundled Mozilla roots, PEM to DER once. */
function trustedRoots(): Uint8Array[] {
  if (!rootsDer) {
    rootsDer = rootCertificates.map((pem) => {
      const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
      const der = Buffer.from(b64, 'base64');
      return new Uint8Array(der.buffer, der.byteOffset, der.length);
    });
  }
  return rootsDer;
}

/** Build the Node platform: sockets, DNS, randomness and files from Node, TLS crypto from node:crypto by default. */
export function createNodePlatform(options: NodePlatformOptions = {}): Platform {
  const limits = checkTlsLimits({ arrivalShare: options.arrivalShare });
  if (typeof limits === 'string') throw new RangeError(`createNodePlatform: ${limits}`);
  const highWaterMark = options.highWaterMark ?? DEFAULT_READ_HIGH_WATER_MARK;
  const writeHighWaterMark = options.writeHighWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK;
  return {
    resolveHost,
    connectTcp: (address, port) => new NodeTcpPeer(address, port, highWaterMark, writeHighWaterMark),
    randomBytes(n) {
      const b = nodeRandomBytes(n);
      return new Uint8Array(b.buffer, b.byteOffset, b.length);
    },
    now: () => performance.now(),
    wallClock: () => new Date(),
    runLater: (callback, ms) => void setTimeout(callback, ms).unref(),
    trustedRoots,
    files: nodeFiles,
    crypto: options.crypto ?? nodeCrypto,
    arrivalShare: limits.arrivalShare,
  };
}
