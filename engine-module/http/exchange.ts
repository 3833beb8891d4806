// The seam under the HTTPClient façade and the request layer: one connection to an origin carrying one request and
// response at a time, advanced by polls. Two implementations: HTTP/1.1 over a StreamPeer (http11-exchange.ts: dialer +
// sans-I/O codec), and the runtime's own HTTP when the platform offers one (carried-session.ts: a browser's fetch).
import type { StreamPeer } from '../net/stream-peer.js';
import type { Platform } from '../platform/platform.js';
import type { TlsConnectParams, TlsWrapper } from './client-options.js';
import type { ConnectTarget } from './connect-target.js';
import type { Method, Status } from './constants.js';
import type { ConnectionFailure } from './failures.js';
import type { Refusal } from './refusal.js';
import type { HeadLimits, ResponseHead } from './response-head.js';

/** Settings the caller may change while a connection is open. */
export interface ReadSettings {
  /** Most body bytes one {@link Exchange.readBody} returns (and the size of one transport read). */
  readChunkSize: number;
}

/** A request as the caller gives it: Godot-style "Name: value" header lines. */
export interface OutgoingRequest {
  method: Method;
  /** "/path?query", an absolute URL (proxies), "*" (OPTIONS) or "host:port" (CONNECT). */
  url: string;
  headers: readonly string[];
  body: Uint8Array;
}

/**
 * One connection and its current exchange. Statuses move only as {@link nextStatus} allows; nothing here throws
 * or blocks.
 */
export interface Exchange {
  /** Godot's status of the connection. */
  readonly status: Status;
  /** Advance one step: dial, send queued bytes, read the head, notice the end of a body. */
  poll(): void;
  /**
   * Queue a request while CONNECTED (the caller checks the status): null, or why nothing was sent
   * (ERR_INVALID_PARAMETER for a request that breaks the wire rules, ERR_UNAVAILABLE for one the runtime cannot make).
   */
  send(request: OutgoingRequest): Refusal | null;
  /**
   * True when the bodies handed out are already decoded and the runtime chose the encodings it accepts (a browser's
   * fetch): the caller then neither asks for encodings nor decodes, whatever Content-Encoding says.
   */
  readonly decodesBodies: boolean;
  /**
   * True when the pieces {@link readBody} hands out are never written over (a browser's fetch delivers each chunk in
   * an array of its own): a caller may keep them as they are instead of copying.
   */
  readonly givesBodyPieces: boolean;
  /**
   * Bytes of the current request taken by the transport so far (head and body as written; a runtime that reports no
   * upload progress counts its body once handed over).
   */
  requestBytesSent(): number;
  /** The final response head, from its arrival until the next request. */
  head(): ResponseHead | null;
  /** Content-Length, 0 without a body, -1 when unknown. */
  bodyLength(): number;
  isChunked(): boolean;
  /**
   * Body bytes available now, up to `max` (default `readChunkSize`); empty when nothing has arrived. Only in BODY.
   * The bytes are borrowed: a view of the transport's storage, valid only until the next call into this exchange
   * (which may let the transport write over it), so a caller that keeps them copies them
   * (HTTPClient.readResponseBodyChunk does), unless {@link givesBodyPieces}. It may be less than what has arrived: a
   * view never spans two pieces of storage; call again for more.
   */
  readBody(max?: number): Uint8Array;
  /**
   * Have the rest of a body of stated length received straight into the caller's memory where the transport can
   * (a plain socket): `spaceFor(held, rest)` is asked for where the `rest` body bytes not yet received go, after
   * `held` bytes already received, which {@link readBody} still hands out; it returns a view of at most `rest` bytes,
   * or null. True when the landing began. Landed bytes are reported by {@link takeLandedBody}, and a landing that
   * ends short of the body is followed by reads as usual. Absent where the transport cannot land bytes.
   */
  landBody?(spaceFor: (held: number, rest: number) => Uint8Array | null): boolean;
  /** Body bytes landed since the last call: they count as read, so the body may have ended with them. */
  takeLandedBody?(): number;
  /** URL of the final response when the runtime followed redirects on its own; null otherwise. */
  responseUrl(): string | null;
  /** Why this connection cannot honour blocking mode, or null when it can. */
  blockingRefusal(): string | null;
  /** Why the connection is in a failure status, or null. */
  failure(): ConnectionFailure | null;
  /** The TLS layer's reason for its failure, kept after the transport is gone; null when TLS did not fail. */
  tlsError(): string | null;
  /** The transport requests are written to (the outermost stage while dialing), or null. */
  transport(): StreamPeer | null;
  /** Bytes held in memory: received and not handed out, plus request bytes not yet accepted by the transport. */
  bufferedBytes(): number;
  /** Close the connection; the status becomes DISCONNECTED. */
  close(): void;
  /**
   * True when a poll would do nothing until `wake` is called: nothing is in flight, and either nothing can move
   * without the caller (DISCONNECTED, a failure status) or the transport watches for activity (see
   * {@link StreamPeer.watch}) and will call `wake`. False when the connection must be polled every frame.
   */
  idleUntilWoken(wake: () => void): boolean;
}

/** Everything connectToHost decided, for an exchange to open the connection. */
export interface ExchangeOpen {
  target: ConnectTarget;
  platform: Platform;
  /** TLS parameters when the origin speaks TLS. */
  tls: TlsConnectParams | null;
  /** The proxy to go through, or null (an HTTPS proxy for TLS origins, an HTTP proxy for plain ones). */
  proxy: { host: string; port: number } | null;
  limits: HeadLimits;
  settings: ReadSettings;
  /** The TLS layer to start over the transport. */
  startTls: TlsWrapper;
  /** Blocking mode was asked for (a runtime that cannot block refuses the connection). */
  blocking: boolean;
}

/** Opens a connection (it starts RESOLVING or CONNECTING, or already failed), or says why it cannot. */
export type ExchangeFactory = (open: ExchangeOpen) => Exchange | Refusal;
