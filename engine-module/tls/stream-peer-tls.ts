// StreamPeerTLS: the TLS client engine over any StreamPeer, shaped like Godot's StreamPeerTLS. Each poll() moves
// bytes between the inner peer and the engine and lets the engine do at most one expensive handshake step.

import { PeerStatus, type StreamPeer } from '../net/stream-peer.js';
import { tryGetPlatform, type Platform } from '../platform/platform.js';
import type { CryptoProvider, GroupName } from './crypto/provider.js';
import { pureCrypto } from './crypto/pure.js';
import { TlsClientEngine } from './engine.js';
import type { ChainCheck, NegotiatedParameters } from './handshake-context.js';
import type { TlsVersionName } from './suites.js';
import { createChainVerification } from './x509/path.js';

/** Options of {@link StreamPeerTLS}. Unset members come from the installed platform. */
export interface TlsClientOptions {
  /** The server's host name (or IP literal): SNI and, unless {@link verifyName} is set, the name to verify. */
  hostname: string;
  /**
   * Verify the server's certificate chain (default true). false accepts any certificate: UNSAFE, anyone on the path
   * can then read and change the traffic. Use it only for tests and trusted networks.
   */
  verify?: boolean;
  /** Check the certificate against this name instead of {@link hostname} (Godot's commonNameOverride). */
  verifyName?: string;
  /** Trusted roots (DER); default: the platform's trust store. */
  roots?: Uint8Array[];
  /** Default: the platform's provider, else the pure JavaScript one. */
  crypto?: CryptoProvider;
  /** Secure random bytes; default: the platform's. Without one the connection refuses to start. */
  randomBytes?: (n: number) => Uint8Array;
  /** Wall clock for certificate validity; default: the platform's. */
  now?: () => Date;
  /** Largest handshake message accepted (default 256 KiB). */
  maxHandshakeMessageSize?: number;
  /** ALPN protocols to offer (default ['http/1.1']). */
  alpn?: string[];
  /** Restrict versions, suites (by name, in order) or groups (first gets the key share); mostly for tests. */
  versions?: TlsVersionName[];
  suites?: string[];
  groups?: GroupName[];
}

/** Decrypted bytes buffered before the inner peer is no longer read (backpressure towards the server). */
const MAX_BUFFERED_PLAINTEXT = 1 << 20;
/** Encrypted bytes buffered towards the inner peer before putPartialData accepts less. */
const MAX_BUFFERED_OUTPUT = 1 << 20;
/** Largest single read from the inner peer during the handshake. */
const READ_CHUNK = 1 << 16;
/** TLS record header length. */
const RECORD_HEADER = 5;

/**
 * A TLS client connection over another StreamPeer. getStatus() is CONNECTING during the handshake, CONNECTED
 * afterwards, ERROR on any failure (reason in {@link getTlsError}) and NONE after a clean close.
 *
 * Decrypted data that arrived before a failure or a close stays readable: the status turns ERROR or NONE once it
 * has been read. A transport that ends without close_notify is an ERROR ("... without close_notify: the data may be
 * truncated"), so a truncation attack is never mistaken for the end of the data; protocols that delimit their own
 * messages (HTTP with Content-Length or chunked) may already hold everything they need at that point.
 *
 * The constructor throws for configuration mistakes (no host name, no random source, no platform to take defaults
 * from); nothing is sent in that case.
 */
export class StreamPeerTLS implements StreamPeer {
  private readonly engine: TlsClientEngine;
  private pendingOut: Uint8Array | null = null;
  private closedByCaller = false;
  private innerClosed = false;

  constructor(
    private readonly inner: StreamPeer,
    options: TlsClientOptions,
  ) {
    const platform = tryGetPlatform();
    const need = <T>(value: T | undefined, what: string, fromPlatform: (p: Platform) => T): T => {
      if (value !== undefined) return value;
      if (!platform) throw new Error(`StreamPeerTLS: no ${what} given and no platform installed`);
      return fromPlatform(platform);
    };
    const randomBytes = need(options.randomBytes, 'random source', (p) => (n: number) => p.randomBytes(n));
    const crypto = options.crypto ?? platform?.crypto ?? pureCrypto;
    let verifyChain: ((chain: Uint8Array[]) => ChainCheck) | null = null;
    if (options.verify ?? true) {
      const roots = need(options.roots, 'trusted roots', (p) => p.trustedRoots());
      const now = need(options.now, 'clock', (p) => () => p.wallClock());
      const hostname = options.verifyName ?? options.hostname;
      verifyChain = (chain) => createChainVerification(chain, { hostname, roots, now: now(), crypto });
    }
    this.engine = new TlsClientEngine({
      hostname: options.hostname,
      crypto,
      randomBytes,
      verifyChain,
      versions: options.versions,
      suites: options.suites,
      groups: options.groups,
      alpn: options.alpn,
      maxHandshakeMessageSize: options.maxHandshakeMessageSize,
    });
  }

  getStatus(): number {
    if (this.closedByCaller) return PeerStatus.NONE;
    switch (this.engine.status) {
      case 'handshaking':
        return PeerStatus.CONNECTING;
      case 'connected':
        return PeerStatus.CONNECTED;
      case 'closed':
        return this.engine.availableBytes > 0 ? PeerStatus.CONNECTED : PeerStatus.NONE;
      case 'failed':
        return this.engine.availableBytes > 0 ? PeerStatus.CONNECTED : PeerStatus.ERROR;
    }
  }

  /** Why the connection failed, for people; null while nothing went wrong. */
  getTlsError(): string | null {
    return this.engine.error;
  }

  /** Version, suite, group and ALPN protocol once the handshake completed; null before. */
  getNegotiated(): NegotiatedParameters | null {
    const n = this.engine.negotiated;
    return n && this.engine.status !== 'handshaking' ? { ...n } : null;
  }

  /** Move bytes both ways and advance the handshake by at most one expensive step. */
  poll(): void {
    if (this.closedByCaller) return;
    this.inner.poll?.();
    const innerStatus = this.inner.getStatus();
    while (this.engine.availableBytes < MAX_BUFFERED_PLAINTEXT) {
      const n = this.inner.getAvailableBytes();
      if (n <= 0) break;
      const connected = this.engine.status === 'connected';
      // Once connected, each read ends where a record (and the next header) ends: a transport that keeps what it
      // received as chunks then hands out views, and only a record that straddles two chunks is ever joined.
      const want = connected ? this.engine.missingRecordBytes + RECORD_HEADER : READ_CHUNK;
      const chunk = this.inner.getPartialData(Math.min(n, want));
      if (chunk.length === 0) break;
      this.engine.feed(chunk);
      // Decrypting as data arrives keeps the plaintext bound meaningful; the handshake waits for the single pump
      // below, so a poll never does two expensive steps.
      if (connected) this.engine.pump();
    }
    this.engine.pump();
    this.flush();
    if (this.engine.status === 'failed' && !this.innerClosed) {
      // The fatal alert (if any) is flushed above; nothing more can be said on this connection.
      this.innerClosed = true;
      this.inner.disconnectFromHost();
      return;
    }
    if (innerStatus === PeerStatus.NONE || innerStatus === PeerStatus.ERROR) {
      if (this.inner.getAvailableBytes() === 0 && !this.engine.hasPendingWork) {
        this.engine.transportClosed(innerStatus === PeerStatus.ERROR ? 'connection failed' : 'connection closed');
      }
    }
  }

  getAvailableBytes(): number {
    return this.engine.availableBytes;
  }

  getPartialData(max: number): Uint8Array {
    return this.engine.readApplicationData(max);
  }

  /**
   * Encrypt and send. Accepts nothing before the handshake completes or after a close, and less than `data.length`
   * when much is still waiting for the inner peer.
   */
  putPartialData(data: Uint8Array): number {
    if (this.closedByCaller || this.engine.status !== 'connected') return 0;
    const room = MAX_BUFFERED_OUTPUT - this.engine.pendingOutput - (this.pendingOut?.length ?? 0);
    const n = Math.max(0, Math.min(data.length, room));
    if (n > 0) this.engine.writeApplicationData(n === data.length ? data : data.subarray(0, n));
    this.flush();
    return n;
  }

  /** Send close_notify (best effort) and close the inner peer. */
  disconnectFromHost(): void {
    if (this.closedByCaller) return;
    this.engine.close();
    this.flush();
    this.closedByCaller = true;
    if (!this.innerClosed) this.inner.disconnectFromHost();
    this.innerClosed = true;
  }

  private flush(): void {
    if (this.inner.getStatus() !== PeerStatus.CONNECTED) return;
    for (;;) {
      if (!this.pendingOut) this.pendingOut = this.engine.takeOutput();
      if (!this.pendingOut) return;
      const sent = this.inner.putPartialData(this.pendingOut);
      this.pendingOut = sent >= this.pendingOut.length ? null : this.pendingOut.subarray(sent);
      if (sent === 0) return;
    }
  }
}
