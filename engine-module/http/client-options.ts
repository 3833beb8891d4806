import type { StreamPeer } from '../net/stream-peer.js';
import type { Platform } from '../platform/platform.js';
import type { TlsFailure } from '../tls/tls-failure.js';
import type { KeyShareAhead } from '../tls/key-share-ahead.js';

/** TLS settings of connectToHost (Godot's TLSOptions.client(trusted_chain, common_name_override)). */
export interface TlsOptions {
  /** PEM certificates to trust instead of the platform's roots. */
  trustedChain?: string;
  /** Name to verify the certificate against instead of the host. */
  commonNameOverride?: string;
  /**
   * Largest TLS handshake message accepted, in bytes (default 256 KiB). A server sending a larger one (a huge
   * certificate chain) fails the handshake: STATUS_SSL_HANDSHAKE_ERROR.
   */
  maxHandshakeMessageSize?: number;
  /**
   * Most certificates in the verified path, leaf and trust anchor included (default 10). A longer path fails the
   * handshake: STATUS_SSL_HANDSHAKE_ERROR.
   */
  maxChainLength?: number;
  /**
   * Milliseconds the TLS handshake may take (default 30 000; 0: no limit), measured with the platform's now(). A
   * server that accepts the connection and then stops answering fails it: STATUS_SSL_HANDSHAKE_ERROR, with
   * getTlsError() saying the handshake timed out.
   */
  handshakeTimeoutMs?: number;
  /**
   * Refuse TLS 1.2 servers that do not support the extended master secret (RFC 7627): STATUS_SSL_HANDSHAKE_ERROR.
   * Default false (tickhttp neither resumes nor renegotiates, so the attack it prevents does not apply).
   */
  requireExtendedMasterSecret?: boolean;
}

/** What a TLS layer needs to start a client handshake over an already connected transport. */
export interface TlsConnectParams extends TlsOptions {
  /** Server name: sent as SNI and, when `verifyHost`, matched against the certificate. */
  host: string;
  verifyHost: boolean;
  platform: Platform;
  /**
   * Asked before each unit of handshake work; false defers it to a later poll. The request layer passes its tick's
   * share of connection setup, so connections opened together spread their handshake steps over frames.
   */
  workGate?: () => boolean;
  /** The ClientHello's key share being made ahead while TCP opens (the dial does it when the platform has runLater). */
  keyShare?: KeyShareAhead;
}

/** A StreamPeer speaking TLS over another one: CONNECTING while it handshakes, ERROR when the handshake fails. */
export interface TlsStreamPeer extends StreamPeer {
  /** Why the handshake failed, in words a person can read; null while nothing failed. */
  getTlsError(): string | null;
  /** The same as a value, for layers that have one (tickhttp's own does): scripts branch on its `code`. */
  getTlsFailure?(): TlsFailure | null;
  /**
   * True when the peer reports ERROR only because the transport ended cleanly at the TCP level (an orderly close,
   * not a reset) after the handshake completed, without a close_notify, and nothing else went wrong (no bad record,
   * no alert). HTTPClient then treats a close of an idle kept-alive connection as DISCONNECTED (RFC 9112 §9.8: an
   * incomplete close is harmless when no response is outstanding); a response in progress still ends in
   * STATUS_CONNECTION_ERROR. Optional: without it every such close is taken as an error.
   */
  closedWithoutCloseNotify?(): boolean;
}

/** Starts TLS over a connected transport (the TCP socket, or a proxy tunnel). */
export type TlsWrapper = (inner: StreamPeer, params: TlsConnectParams) => TlsStreamPeer;

/** Construction options of {@link HTTPClient}. */
export interface HTTPClientOptions {
  /** The platform to connect through; defaults to the installed one (getPlatform()) at connect time. */
  platform?: Platform;
  /** Largest response head (status line and fields, in bytes) accepted; 64 KiB by default. */
  maxHeadBytes?: number;
  /** Most header fields accepted in one response head; 500 by default. */
  maxHeaderCount?: number;
  /** The TLS layer; tickhttp's own ({@link startTls}) unless another is given (a host's native TLS, a test double). */
  tls?: TlsWrapper;
}
