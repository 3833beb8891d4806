import type { CryptoProvider } from '../tls/crypto/provider.js';

/**
 * Bytes handed back by a host: a Uint8Array, or an ArrayBuffer (taken as a view, not copied). Whichever the host's
 * embedding API makes cheapest.
 */
export type HostBytes = Uint8Array | ArrayBuffer;

/**
 * The native functions an engine exposes so tickhttp can run inside its embedded JavaScript runtime (QuickJS or
 * similar). Everything is synchronous and non-blocking: tickhttp calls these from inside a frame tick and never
 * waits. Build a platform from it with `createHostPlatform(bridge)` and install it with `setPlatform(...)`.
 *
 * Handles are plain numbers chosen by the host (any value >= 0). tickhttp calls `tcpClose` once for a handle when it
 * is done with the connection (a client closed or reconnected), after which the host may reuse the number.
 */
export interface HostBridge {
  /**
   * Start a TCP connection and return its handle at once (the connect itself proceeds in the background; see
   * {@link tcpStatus}). `host` is what {@link resolve} produced, or the host name itself when the bridge has no
   * `resolve` (the host resolves as part of connecting then). A negative return means the connection could not even
   * be started; the peer reports ERROR.
   */
  tcpConnect(host: string, port: number): number;
  /**
   * Queue bytes for sending without blocking; return how many were accepted (0..data.length; 0 when the host's
   * send buffer is full). `data` always covers its whole ArrayBuffer (byteOffset 0, byteLength equal to the
   * buffer's), so the host may read either the view or its buffer. At most 64 KiB are offered per call. Report a
   * broken connection through {@link tcpStatus}, not through the return value (negative values count as 0).
   */
  tcpSend(handle: number, data: Uint8Array): number;
  /**
   * Take at most `max` received bytes without blocking; an empty result (length 0) when none are buffered.
   * After the remote closed, keep returning the bytes that arrived before the close until none are left.
   */
  tcpReceive(handle: number, max: number): HostBytes;
  /**
   * 0 = closed (the remote or the host closed the connection), 1 = connecting, 2 = connected, 3 = error
   * (connect refused, reset, name not found). Bytes still unread when the status turns 0 are drained by tickhttp
   * through {@link tcpReceive} before it reports the connection closed.
   */
  tcpStatus(handle: number): number;
  /** Optional: how many received bytes {@link tcpReceive} could return right now (saves a copy per query). */
  tcpAvailable?(handle: number): number;
  /** Close the connection and release the handle. Never called twice for one handle. */
  tcpClose(handle: number): void;

  /**
   * Optional non-blocking name resolution. Called once per poll with the same name until it settles: return the
   * address (an IPv4 or IPv6 literal) when known, `null` when the name cannot be resolved, `undefined` while the
   * lookup is still running (the host keys lookups in flight by name). IP literals come here too: return them as
   * they are. Without it, names go to {@link tcpConnect} unresolved.
   */
  resolve?(host: string): string | null | undefined;

  /**
   * Exactly `n` bytes from a cryptographically secure random source (the OS CSPRNG or equivalent). Required for
   * HTTPS: without it TLS refuses to start with an error. Never back this with Math.random.
   */
  randomBytes?(n: number): HostBytes;
  /** Monotonic milliseconds (a frame clock is fine): timeouts and budgets. */
  now(): number;
  /** Optional: wall-clock milliseconds since the Unix epoch, for certificate validity; else the runtime's Date. */
  wallClock?(): number;
  /**
   * Optional: the default trusted root certificates, as an array of DER certificates or one PEM string with any
   * number of CERTIFICATE blocks. Read once, by createHostPlatform. Without it there is no default trust store:
   * HTTPS then needs `verifyHost = false` or a `trustedChain` per connection.
   */
  trustedRoots?(): HostBytes[] | string;

  /**
   * Optional file sink (downloads to disk, resumable downloads). Give all four or none.
   * Open `path` for writing (truncate, or append when `append`); a handle >= 0, or negative when it cannot open.
   */
  fileOpen?(path: string, append: boolean): number;
  /** Append bytes to an open file (a view over its whole buffer, as in {@link tcpSend}); false when it failed. */
  fileWrite?(handle: number, data: Uint8Array): boolean;
  /** Flush and close an open file. */
  fileClose?(handle: number): void;
  /** Size in bytes of an existing file, or -1 when it does not exist. */
  fileSize?(path: string): number;
  /** Optional, with the file sink: a whole file's bytes, or null when missing (the file-backed cache). */
  fileRead?(path: string): HostBytes | null;
  /** Optional, with the file sink: remove a file if present. */
  fileRemove?(path: string): void;

  /**
   * Optional native crypto: a {@link CryptoProvider} whose functions call the host's own library (AEAD, hashes,
   * ECDH, signature checks), so an interpreter is not held to interpreter speed. Without it the pure JavaScript
   * provider is used.
   */
  crypto?: CryptoProvider;
}
