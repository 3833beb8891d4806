import type { StreamPeer } from '../net/stream-peer.js';
import type { CryptoProvider } from '../tls/crypto/provider.js';
import type { HttpTransport } from './http-transport.js';

/** A host-name lookup in progress. Polled, never awaited, so a frame never waits on DNS. */
export interface PendingResolve {
  /** 'pending' while the lookup runs; 'done' with {@link address} set; 'failed' when the name cannot be resolved. */
  status(): 'pending' | 'done' | 'failed';
  /** The resolved address (IPv4 or IPv6 literal) once status() is 'done'. */
  address(): string | null;
}

/** Where a download is written as it arrives (the request layer's file sink). */
export interface FileSink {
  /** Append bytes; returns false when the write failed (the request ends with a download error). */
  write(data: Uint8Array): boolean;
  /** Flush and close. */
  close(): void;
}

/** File access a platform may offer for downloads to disk and resumable downloads. */
export interface FileAccess {
  /** Size of an existing file in bytes, or -1 when it does not exist. */
  size(path: string): number;
  /** Open for writing: truncate, or append when `append` is true. Null when it cannot be opened. */
  open(path: string, append: boolean): FileSink | null;
  /** Read a whole file (used by the file-backed cache); null when missing. */
  read?(path: string): Uint8Array | null;
  /** Remove a file if present. */
  remove?(path: string): void;
}

/**
 * Where a download is written when the runtime's files are asynchronous (a browser's Origin Private File System).
 * Writes complete in the order they were made; the request layer hands over bytes it will not touch again.
 */
export interface AsyncFileSink {
  /** Append bytes; rejects, with the reason as its message, when they could not be stored. */
  write(data: Uint8Array): Promise<void>;
  /**
   * Flush and close. What was written is kept, also when the request failed or was cancelled: a partial file is what
   * a later request resumes from.
   */
  close(): Promise<void>;
}

/**
 * File access whose operations complete later. The request layer never awaits them inside a tick: it starts an
 * operation and looks at its outcome on later ticks (the timeouts keep running meanwhile).
 */
export interface AsyncFileAccess {
  /** Size of an existing file in bytes, or -1 when it does not exist. */
  size(path: string): Promise<number>;
  /** Open for writing: truncate, or append when `append` is true; rejects with the reason when it cannot. */
  open(path: string, append: boolean): Promise<AsyncFileSink>;
  /** Read a whole file; null when missing. */
  read(path: string): Promise<Uint8Array | null>;
  /** Remove a file if present. */
  remove(path: string): Promise<void>;
}

/**
 * Everything tickhttp needs from the runtime it runs in. The core never touches a runtime directly:
 * Node gets `createNodePlatform()`, embedded hosts build one with `createHostPlatform(bridge)`.
 */
export interface Platform {
  /** Start resolving a host name. Literal IPv4/IPv6 addresses may be returned as already done. */
  resolveHost(host: string): PendingResolve;
  /** Open a TCP connection to a resolved address. The peer starts CONNECTING, then CONNECTED or ERROR. */
  connectTcp(address: string, port: number): StreamPeer;
  /** Cryptographically secure random bytes. Must throw when the host has no secure source. */
  randomBytes(n: number): Uint8Array;
  /** Monotonic milliseconds (timeouts, budgets). */
  now(): number;
  /** Wall-clock time (certificate validity). */
  wallClock(): Date;
  /**
   * Run `callback` once, about `ms` milliseconds from now, from the runtime's event loop (never inside a tick), without
   * keeping the process alive for it. TLS uses it to go on decrypting received records within its arrival share while
   * no more bytes arrive (a socket paused with its buffer full); without it that work waits for the reader.
   */
  runLater?(callback: () => void, ms: number): void;
  /** Default trusted root certificates (DER). */
  trustedRoots(): Uint8Array[];
  /** File access for downloads to disk, when the host has a file system. */
  files?: FileAccess;
  /** File access that completes later, for runtimes without synchronous files (a browser); used when `files` is absent. */
  asyncFiles?: AsyncFileAccess;
  /**
   * Why this platform offers neither `files` nor `asyncFiles`, in words (a page without an Origin Private File System
   * says what it lacks); a download's REQUEST_FAILED reason carries it.
   */
  filesMissing?: string;
  /** The crypto provider TLS uses by default on this platform; the pure JavaScript one when absent. */
  crypto?: CryptoProvider;
  /**
   * Share of real time (0 to 1, default 0.25) that the TLS connections on this platform may spend together
   * decrypting records as they arrive, between frames, in bursts of at most 1 ms; 0: records are decrypted only as
   * the game's ticks read them. More lets a download run faster at a fixed frame rate and leaves the game less of the
   * time between its frames.
   */
  arrivalShare?: number;
  /**
   * The runtime's own HTTP (a browser's fetch). When present, HTTPClient carries every exchange over it and never
   * calls resolveHost or connectTcp; what it cannot honour is refused with ERR_UNAVAILABLE and a reason.
   */
  http?: HttpTransport;
}

let current: Platform | null = null;

/** Install the platform the library uses by default (the Node entry does this on import). */
export function setPlatform(platform: Platform): void {
  current = platform;
}

/** The installed platform; throws a clear error when none is installed (embedded hosts must call setPlatform). */
export function getPlatform(): Platform {
  if (!current) throw new Error('tickhttp: no platform installed; call setPlatform() with a host platform first');
  return current;
}

/** The installed platform, or null (for callers that report the absence as a status instead of throwing). */
export function tryGetPlatform(): Platform | null {
  return current;
}
