import { concatBytes, utf8Encode } from '../bytes/bytes.js';
import { NO_BYTES } from '../net/chunk-queue.js';
import { PeerStatus, type StreamPeer } from '../net/stream-peer.js';
import { tryGetPlatform, type PendingResolve, type Platform } from '../platform/platform.js';
import { bodyReaderFor, type BodyReader } from './body-readers.js';
import { CarriedSession, type CarriedResponse } from './carried-session.js';
import type { HTTPClientOptions, TlsConnectParams, TlsOptions, TlsStreamPeer } from './client-options.js';
import { parseConnectTarget } from './connect-target.js';
import { ConnectTunnel } from './connect-tunnel.js';
import {
  DEFAULT_MAX_HEAD_BYTES,
  DEFAULT_MAX_HEADER_COUNT,
  DEFAULT_READ_CHUNK_SIZE,
  Err,
  MAX_READ_CHUNK_SIZE,
  MIN_READ_CHUNK_SIZE,
  Method,
  ResponseCode,
  Status,
} from './constants.js';
import { planResponse, type BodyFraming, type ResponsePlan } from './framing.js';
import { queryStringFromDict, type QueryValue } from './query-string.js';
import { ReceiveBuffer } from './receive-buffer.js';
import { writeRequest } from './request-writer.js';
import { FinalHeadReader } from './final-head.js';
import type { HeadLimits, ResponseHead } from './response-head.js';
import { startTls, tlsOptionsProblem } from './tls-layer.js';

const CR = 0x0d;
const LF = 0x0a;

/** A proxy endpoint set with setHttpProxy / setHttpsProxy. */
interface ProxyEndpoint {
  host: string;
  port: number;
}

/** The connection being set up by connectToHost. */
interface Dial {
  /** The name or address being resolved (the proxy's when one is used). */
  host: string;
  port: number;
  resolve: PendingResolve;
  platform: Platform;
  /** CONNECT authority when the connection goes through an HTTPS proxy tunnel. */
  tunnel: string | null;
  /** TLS parameters when the origin speaks TLS. */
  tls: TlsConnectParams | null;
  stage: 'tcp' | 'tunnel' | 'tls';
}

/**
 * Godot's HTTPClient: a poll-driven HTTP/1.1 client. Nothing blocks and nothing throws: `connectToHost()` and
 * `request()` only validate and queue, every `poll()` advances the connection one step, and failures show up as a
 * status. Responses are parsed per RFC 9112 with the policy of docs/DESIGN.md (1xx skipped, truncation is an error, ...).
 *
 * Typical frame loop: `poll()` until the status leaves RESOLVING/CONNECTING; `request()`; `poll()` while REQUESTING;
 * then while the status is BODY, `readResponseBodyChunk()` (an empty chunk means "nothing yet, try next frame").
 *
 * Blocking mode: no transport here can block a frame, so the setting is kept (Godot's API) but changes nothing: in
 * either mode `readResponseBodyChunk()` reads until it has `readChunkSize` bytes, the body ends, or the transport has
 * nothing more *right now*; it never waits for data that has not arrived (a Node socket delivers data only between
 * ticks, so waiting would hang the game loop forever). A host transport whose `getPartialData()` itself blocks may
 * still block inside that call. `poll()` is never blocking.
 */
export class HTTPClient {
  // Godot's constants, with Godot's names and values.
  static readonly METHOD_GET = Method.GET;
  static readonly METHOD_HEAD = Method.HEAD;
  static readonly METHOD_POST = Method.POST;
  static readonly METHOD_PUT = Method.PUT;
  static readonly METHOD_DELETE = Method.DELETE;
  static readonly METHOD_OPTIONS = Method.OPTIONS;
  static readonly METHOD_TRACE = Method.TRACE;
  static readonly METHOD_CONNECT = Method.CONNECT;
  static readonly METHOD_PATCH = Method.PATCH;
  static readonly METHOD_MAX = Method.MAX;
  static readonly STATUS_DISCONNECTED = Status.DISCONNECTED;
  static readonly STATUS_RESOLVING = Status.RESOLVING;
  static readonly STATUS_CANT_RESOLVE = Status.CANT_RESOLVE;
  static readonly STATUS_CONNECTING = Status.CONNECTING;
  static readonly STATUS_CANT_CONNECT = Status.CANT_CONNECT;
  static readonly STATUS_CONNECTED = Status.CONNECTED;
  static readonly STATUS_REQUESTING = Status.REQUESTING;
  static readonly STATUS_BODY = Status.BODY;
  static readonly STATUS_CONNECTION_ERROR = Status.CONNECTION_ERROR;
  /** Godot 3 name; STATUS_TLS_HANDSHAKE_ERROR is the Godot 4 name of the same value. */
  static readonly STATUS_SSL_HANDSHAKE_ERROR = Status.SSL_HANDSHAKE_ERROR;
  static readonly STATUS_TLS_HANDSHAKE_ERROR = Status.TLS_HANDSHAKE_ERROR;
  static readonly RESPONSE_CONTINUE = ResponseCode.CONTINUE;
  static readonly RESPONSE_SWITCHING_PROTOCOLS = ResponseCode.SWITCHING_PROTOCOLS;
  static readonly RESPONSE_PROCESSING = ResponseCode.PROCESSING;
  static readonly RESPONSE_OK = ResponseCode.OK;
  static readonly RESPONSE_CREATED = ResponseCode.CREATED;
  static readonly RESPONSE_ACCEPTED = ResponseCode.ACCEPTED;
  static readonly RESPONSE_NON_AUTHORITATIVE_INFORMATION = ResponseCode.NON_AUTHORITATIVE_INFORMATION;
  static readonly RESPONSE_NO_CONTENT = ResponseCode.NO_CONTENT;
  static readonly RESPONSE_RESET_CONTENT = ResponseCode.RESET_CONTENT;
  static readonly RESPONSE_PARTIAL_CONTENT = ResponseCode.PARTIAL_CONTENT;
  static readonly RESPONSE_MULTI_STATUS = ResponseCode.MULTI_STATUS;
  static readonly RESPONSE_ALREADY_REPORTED = ResponseCode.ALREADY_REPORTED;
  static readonly RESPONSE_IM_USED = ResponseCode.IM_USED;
  static readonly RESPONSE_MULTIPLE_CHOICES = ResponseCode.MULTIPLE_CHOICES;
  static readonly RESPONSE_MOVED_PERMANENTLY = ResponseCode.MOVED_PERMANENTLY;
  static readonly RESPONSE_FOUND = ResponseCode.FOUND;
  static readonly RESPONSE_SEE_OTHER = ResponseCode.SEE_OTHER;
  static readonly RESPONSE_NOT_MODIFIED = ResponseCode.NOT_MODIFIED;
  static readonly RESPONSE_USE_PROXY = ResponseCode.USE_PROXY;
  static readonly RESPONSE_SWITCH_PROXY = ResponseCode.SWITCH_PROXY;
  static readonly RESPONSE_TEMPORARY_REDIRECT = ResponseCode.TEMPORARY_REDIRECT;
  static readonly RESPONSE_PERMANENT_REDIRECT = ResponseCode.PERMANENT_REDIRECT;
  static readonly RESPONSE_BAD_REQUEST = ResponseCode.BAD_REQUEST;
  static readonly RESPONSE_UNAUTHORIZED = ResponseCode.UNAUTHORIZED;
  static readonly RESPONSE_PAYMENT_REQUIRED = ResponseCode.PAYMENT_REQUIRED;
  static readonly RESPONSE_FORBIDDEN = ResponseCode.FORBIDDEN;
  static readonly RESPONSE_NOT_FOUND = ResponseCode.NOT_FOUND;
  static readonly RESPONSE_METHOD_NOT_ALLOWED = ResponseCode.METHOD_NOT_ALLOWED;
  static readonly RESPONSE_NOT_ACCEPTABLE = ResponseCode.NOT_ACCEPTABLE;
  static readonly RESPONSE_PROXY_AUTHENTICATION_REQUIRED = ResponseCode.PROXY_AUTHENTICATION_REQUIRED;
  static readonly RESPONSE_REQUEST_TIMEOUT = ResponseCode.REQUEST_TIMEOUT;
  static readonly RESPONSE_CONFLICT = ResponseCode.CONFLICT;
  static readonly RESPONSE_GONE = ResponseCode.GONE;
  static readonly RESPONSE_LENGTH_REQUIRED = ResponseCode.LENGTH_REQUIRED;
  static readonly RESPONSE_PRECONDITION_FAILED = ResponseCode.PRECONDITION_FAILED;
  static readonly RESPONSE_REQUEST_ENTITY_TOO_LARGE = ResponseCode.REQUEST_ENTITY_TOO_LARGE;
  static readonly RESPONSE_REQUEST_URI_TOO_LONG = ResponseCode.REQUEST_URI_TOO_LONG;
  static readonly RESPONSE_UNSUPPORTED_MEDIA_TYPE = ResponseCode.UNSUPPORTED_MEDIA_TYPE;
  static readonly RESPONSE_REQUESTED_RANGE_NOT_SATISFIABLE = ResponseCode.REQUESTED_RANGE_NOT_SATISFIABLE;
  static readonly RESPONSE_EXPECTATION_FAILED = ResponseCode.EXPECTATION_FAILED;
  static readonly RESPONSE_IM_A_TEAPOT = ResponseCode.IM_A_TEAPOT;
  static readonly RESPONSE_MISDIRECTED_REQUEST = ResponseCode.MISDIRECTED_REQUEST;
  static readonly RESPONSE_UNPROCESSABLE_ENTITY = ResponseCode.UNPROCESSABLE_ENTITY;
  static readonly RESPONSE_LOCKED = ResponseCode.LOCKED;
  static readonly RESPONSE_FAILED_DEPENDENCY = ResponseCode.FAILED_DEPENDENCY;
  static readonly RESPONSE_UPGRADE_REQUIRED = ResponseCode.UPGRADE_REQUIRED;
  static readonly RESPONSE_PRECONDITION_REQUIRED = ResponseCode.PRECONDITION_REQUIRED;
  static readonly RESPONSE_TOO_MANY_REQUESTS = ResponseCode.TOO_MANY_REQUESTS;
  static readonly RESPONSE_REQUEST_HEADER_FIELDS_TOO_LARGE = ResponseCode.REQUEST_HEADER_FIELDS_TOO_LARGE;
  static readonly RESPONSE_UNAVAILABLE_FOR_LEGAL_REASONS = ResponseCode.UNAVAILABLE_FOR_LEGAL_REASONS;
  static readonly RESPONSE_INTERNAL_SERVER_ERROR = ResponseCode.INTERNAL_SERVER_ERROR;
  static readonly RESPONSE_NOT_IMPLEMENTED = ResponseCode.NOT_IMPLEMENTED;
  static readonly RESPONSE_BAD_GATEWAY = ResponseCode.BAD_GATEWAY;
  static readonly RESPONSE_SERVICE_UNAVAILABLE = ResponseCode.SERVICE_UNAVAILABLE;
  static readonly RESPONSE_GATEWAY_TIMEOUT = ResponseCode.GATEWAY_TIMEOUT;
  static readonly RESPONSE_HTTP_VERSION_NOT_SUPPORTED = ResponseCode.HTTP_VERSION_NOT_SUPPORTED;
  static readonly RESPONSE_VARIANT_ALSO_NEGOTIATES = ResponseCode.VARIANT_ALSO_NEGOTIATES;
  static readonly RESPONSE_INSUFFICIENT_STORAGE = ResponseCode.INSUFFICIENT_STORAGE;
  static readonly RESPONSE_LOOP_DETECTED = ResponseCode.LOOP_DETECTED;
  static readonly RESPONSE_NOT_EXTENDED = ResponseCode.NOT_EXTENDED;
  static readonly RESPONSE_NETWORK_AUTH_REQUIRED = ResponseCode.NETWORK_AUTH_REQUIRED;

  private readonly limits: HeadLimits;
  private status: Status = Status.DISCONNECTED;
  private peer: StreamPeer | null = null;
  private dial: Dial | null = null;
  /** The TLS layer's reason for the last failure, kept once its peer is dropped. */
  private tlsError: string | null = null;
  private lastError: string | null = null;
  private hostHeader = '';
  private absolutePrefix: string | undefined;
  private httpProxy: ProxyEndpoint | null = null;
  private httpsProxy: ProxyEndpoint | null = null;
  private readonly buffer = new ReceiveBuffer();
  /** Request bytes not yet accepted by the transport. */
  private outgoing: Uint8Array | null = null;
  private outgoingSent = 0;
  private requestMethod: Method = Method.GET;
  private requestAsksClose = false;
  private headReader: FinalHeadReader | null = null;
  private response: { head: ResponseHead; plan: ResponsePlan } | null = null;
  private body: BodyReader | null = null;
  private chunkSize = DEFAULT_READ_CHUNK_SIZE;
  /** Pieces of the body chunk being read (views of received chunks), kept between calls to allocate nothing. */
  private readonly pieces: Uint8Array[] = [];
  private blocking = false;
  /** The exchange carried by the platform's own HTTP (a browser's fetch) instead of a socket; null otherwise. */
  private carried: CarriedSession | null = null;

  constructor(private readonly options: HTTPClientOptions = {}) {
    this.limits = {
      maxHeadBytes: options.maxHeadBytes ?? DEFAULT_MAX_HEAD_BYTES,
      maxHeaderCount: options.maxHeaderCount ?? DEFAULT_MAX_HEADER_COUNT,
    };
  }

  /**
   * Start connecting (resolving first when `host` is a name). "http://" is stripped, "https://" forces TLS; port -1
   * means 80 (or 443 with TLS). Returns ERR_INVALID_PARAMETER for a bad host or port or a `trustedChain` without a
   * certificate, ERR_UNCONFIGURED when no platform is installed; otherwise OK, and `poll()` continues.
   * `verifyHost = false` turns certificate verification off entirely, as in Godot 3: the connection is then open to
   * anyone on the path. Use it only against a server you control in development.
   */
  connectToHost(host: string, port = -1, useSsl = false, verifyHost = true, tlsOptions: TlsOptions = {}): Err {
    this.close();
    const target = parseConnectTarget(host, port, useSsl);
    if (typeof target === 'number') return target;
    if (target.tls && tlsOptionsProblem(tlsOptions)) return Err.ERR_INVALID_PARAMETER;
    const platform = this.options.platform ?? tryGetPlatform();
    if (!platform) return Err.ERR_UNCONFIGURED;
    const proxy = target.tls ? this.httpsProxy : this.httpProxy;
    if (platform.http) {
      const session = CarriedSession.open(platform.http, `${target.tls ? 'https' : 'http'}://${target.authority}`, {
        tls: target.tls,
        verifyHost,
        trustedChain: !!tlsOptions.trustedChain,
        commonNameOverride: !!tlsOptions.commonNameOverride,
        proxy: !!proxy,
        blocking: this.blocking,
      });
      if (typeof session === 'string') {
        this.lastError = session;
        return Err.ERR_UNAVAILABLE;
      }
      this.carried = session;
      return Err.OK;
    }
    const dialHost = proxy ? proxy.host : target.host;
    this.hostHeader = target.hostHeader;
    this.absolutePrefix = proxy && !target.tls ? `http://${target.authority}` : undefined;
    this.dial = {
      host: dialHost,
      port: proxy ? proxy.port : target.port,
      resolve: platform.resolveHost(dialHost),
      platform,
      tunnel: proxy && target.tls ? target.authority : null,
      tls: target.tls ? { ...tlsOptions, host: target.host, verifyHost, platform } : null,
      stage: 'tcp',
    };
    this.status = Status.RESOLVING;
    if (this.dial.resolve.status() === 'done') this.startTcp();
    return Err.OK;
  }

  /** Use an already open transport (tests, custom transports): the client is CONNECTED over it at once. */
  setConnection(connection: StreamPeer | null): void {
    this.close();
    if (!connection) return;
    this.peer = connection;
    this.status = Status.CONNECTED;
  }

  /** The transport in use (after TLS and tunnels: the peer requests are written to), or null. */
  getConnection(): StreamPeer | null {
    return this.peer;
  }

  get connection(): StreamPeer | null {
    return this.getConnection();
  }

  set connection(connection: StreamPeer | null) {
    this.setConnection(connection);
  }

  /** Close the connection and forget the response; the client can connect again. */
  close(): void {
    this.carried?.close();
    this.carried = null;
    this.dropConnection();
    this.dial = null;
    this.tlsError = null;
    this.lastError = null;
    this.hostHeader = '';
    this.absolutePrefix = undefined;
    this.resetExchange();
    this.response = null;
    this.status = Status.DISCONNECTED;
  }

  /** Current {@link Status}; only `poll()` (and reading the body) changes it. */
  getStatus(): Status {
    return this.carried ? this.carried.status : this.status;
  }

  /**
   * Advance the connection by one step: resolve, connect, send queued request bytes, parse the response head. Never
   * blocks and never throws. Returns OK, or the Err matching a failed status (ERR_UNCONFIGURED when disconnected).
   */
  poll(): Err {
    if (this.carried) {
      this.carried.poll();
      return this.errFor(this.carried.status);
    }
    try {
      return this.step();
    } catch (e) {
      this.fail(Status.CONNECTION_ERROR, reasonOf(e));
      return Err.ERR_CONNECTION_ERROR;
    }
  }

  /** Send a request with a text body (UTF-8). See {@link requestRaw}. */
  request(method: Method, url: string, headers: readonly string[], body = ''): Err {
    const bytes = body === '' ? NO_BYTES : utf8Encode(typeof body === 'string' ? body : String(body));
    return this.requestRaw(method, url, headers, bytes);
  }

  /**
   * Queue a request; `poll()` sends it. `url` is "/path?query" (absolute "http://..." for a proxy, "*" for OPTIONS,
   * "host:port" for CONNECT). Host, User-Agent (`tickhttp/<version>`) and Accept are added unless given; Content-Length
   * is added for a body and for an empty POST/PUT/PATCH. Refuses with ERR_INVALID_PARAMETER, sending nothing, when a
   * field or the target holds CR, LF, NUL or another control character, a header line is malformed, or framing
   * headers contradict the body; ERR_BUSY while a response is pending; ERR_INVALID_PARAMETER when not connected.
   */
  requestRaw(method: Method, url: string, headers: readonly string[], body: Uint8Array): Err {
    if (this.carried) return this.carried.request(method, url, headers, body);
    if (this.status === Status.REQUESTING || this.status === Status.BODY) return Err.ERR_BUSY;
    if (this.status !== Status.CONNECTED || !this.peer) return Err.ERR_INVALID_PARAMETER;
    let request;
    try {
      request = writeRequest({ method, url, headers, body, host: this.hostHeader, absolutePrefix: this.absolutePrefix });
    } catch {
      return Err.ERR_INVALID_PARAMETER;
    }
    if (typeof request === 'number') return request;
    this.resetExchange();
    this.response = null;
    this.outgoing = request.bytes;
    this.requestMethod = method;
    this.requestAsksClose = request.asksClose;
    this.headReader = new FinalHeadReader(this.limits);
    this.status = Status.REQUESTING;
    return Err.OK;
  }

  /** True once a final response head has been received (until the next request or close()). */
  hasResponse(): boolean {
    return this.shown !== null;
  }

  /** The final response's status code (0 before one arrived). */
  getResponseCode(): number {
    return this.shown ? this.shown.head.status : 0;
  }

  /** Response header lines, "Name: value", in arrival order. */
  getResponseHeaders(): string[] {
    return this.shown ? this.shown.head.headers.map(([n, v]) => `${n}: ${v}`) : [];
  }

  /** Response headers by name as the server wrote it; repeated names have their values joined with "; ". */
  getResponseHeadersAsDictionary(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [n, v] of this.shown ? this.shown.head.headers : []) {
      out[n] = Object.prototype.hasOwnProperty.call(out, n) ? `${out[n]}; ${v}` : v;
    }
    return out;
  }

  /** Body length from Content-Length, 0 for a response without body, -1 when unknown (chunked, until close). */
  getResponseBodyLength(): number {
    return this.shown ? bodyLength(this.shown.plan) : -1;
  }

  /** True when the response body uses chunked transfer coding. */
  isResponseChunked(): boolean {
    return this.shown?.plan.framing.kind === 'chunked';
  }

  /**
   * URL of the final response when the platform's own HTTP followed redirects on the way (in a browser: fetch's
   * `response.url`); null otherwise (this client never follows redirects itself).
   */
  getResponseUrl(): string | null {
    return this.carried?.response ? this.carried.finalUrl : null;
  }

  /** The response on show: the carried exchange's or this client's own. */
  private get shown(): CarriedResponse | null {
    return this.carried ? this.carried.response : this.response;
  }

  /**
   * The body bytes available now, up to `readChunkSize` (however many transport reads they arrived in), empty when
   * nothing has arrived yet. When the body ends the status becomes CONNECTED (or DISCONNECTED when the connection
   * cannot be reused); a body cut short becomes CONNECTION_ERROR, with the bytes read before the fault still returned.
   * Body bytes are passed through without per-byte work: a view of a received chunk when one chunk holds them all,
   * else a single copy joining them.
   */
  readResponseBodyChunk(): Uint8Array {
    if (this.carried) return this.carried.read(this.chunkSize);
    if (this.status !== Status.BODY || !this.body) return NO_BYTES;
    const parts = this.pieces;
    try {
      this.readBody(this.body, parts);
    } catch (e) {
      // What was decoded before the error is still handed out; the status tells the body is incomplete.
      this.fail(Status.CONNECTION_ERROR, reasonOf(e));
    }
    const out = joinParts(parts);
    parts.length = 0;
    return out;
  }

  /** Most bytes one readResponseBodyChunk() returns (256 .. 16 MiB; other values are ignored, as in Godot). */
  setReadChunkSize(bytes: number): void {
    if (Number.isInteger(bytes) && bytes >= MIN_READ_CHUNK_SIZE && bytes <= MAX_READ_CHUNK_SIZE) this.chunkSize = bytes;
  }

  getReadChunkSize(): number {
    return this.chunkSize;
  }

  get readChunkSize(): number {
    return this.chunkSize;
  }

  set readChunkSize(bytes: number) {
    this.setReadChunkSize(bytes);
  }

  /** Kept for Godot's API; see the class comment: reads take what is available now in either mode, never wait. */
  setBlockingMode(enabled: boolean): void {
    if (enabled && this.carried?.refusesBlocking()) return;
    this.blocking = enabled;
  }

  isBlockingModeEnabled(): boolean {
    return this.blocking;
  }

  get blockingModeEnabled(): boolean {
    return this.blocking;
  }

  set blockingModeEnabled(enabled: boolean) {
    this.setBlockingMode(enabled);
  }

  /** Send plain-HTTP requests through this proxy (absolute-form targets). Empty host or port -1 unsets it. */
  setHttpProxy(host: string, port: number): void {
    this.httpProxy = host && port !== -1 ? { host, port } : null;
  }

  /** Tunnel TLS connections through this proxy with CONNECT. Empty host or port -1 unsets it. */
  setHttpsProxy(host: string, port: number): void {
    this.httpsProxy = host && port !== -1 ? { host, port } : null;
  }

  /** Godot's query_string_from_dict (see {@link queryStringFromDict}). */
  queryStringFromDict(fields: Readonly<Record<string, QueryValue>>): string {
    return queryStringFromDict(fields);
  }

  /**
   * Why the TLS layer failed, in words a person can read: a handshake failure (STATUS_SSL_HANDSHAKE_ERROR), or a
   * failure on an established connection (a bad record, an alert, a close without close_notify in the middle of a
   * response), which stays readable after the connection was dropped with STATUS_CONNECTION_ERROR. Null when TLS did
   * not fail or was not used; close(), connectToHost() and setConnection() clear it.
   */
  getTlsError(): string | null {
    return (this.peer ? peerTlsError(this.peer) : null) ?? this.tlsError;
  }

  /**
   * Why the client is in its error status, in words a person can read: the name that did not resolve
   * (STATUS_CANT_RESOLVE), the address or proxy that refused (STATUS_CANT_CONNECT), the TLS reason
   * (STATUS_SSL_HANDSHAKE_ERROR, as {@link getTlsError}), or what broke the exchange (STATUS_CONNECTION_ERROR: the
   * protocol error in the response, a body cut short, a reset, bytes arriving before the request was sent, a TLS
   * failure). Null while the status is not an error; close(), connectToHost() and setConnection() clear it.
   */
  getLastError(): string | null {
    return this.carried?.error ?? this.lastError;
  }

  /**
   * Bytes this client holds in memory for the connection: received and not yet parsed or handed out (at most
   * `maxHeadBytes` + `readChunkSize`), plus request bytes the transport has not accepted yet. The transport's own
   * buffers are not included.
   */
  getBufferedBytes(): number {
    if (this.carried) return this.carried.bufferedBytes();
    return this.buffer.length + (this.outgoing ? this.outgoing.length - this.outgoingSent : 0);
  }

  private step(): Err {
    switch (this.status) {
      case Status.DISCONNECTED:
        return Err.ERR_UNCONFIGURED;
      case Status.RESOLVING:
        return this.pollResolving();
      case Status.CONNECTING:
        return this.pollConnecting();
      case Status.CONNECTED:
        return this.pollIdle();
      case Status.REQUESTING:
        return this.pollRequesting();
      case Status.BODY:
        this.peer!.poll?.();
        this.checkBodyEnd(false);
        return this.errFor(this.status);
      default:
        return this.errFor(this.status);
    }
  }

  private errFor(status: Status): Err {
    switch (status) {
      case Status.CANT_RESOLVE:
        return Err.ERR_CANT_RESOLVE;
      case Status.CANT_CONNECT:
      case Status.SSL_HANDSHAKE_ERROR:
        return Err.ERR_CANT_CONNECT;
      case Status.CONNECTION_ERROR:
        return Err.ERR_CONNECTION_ERROR;
      default:
        return Err.OK;
    }
  }

  private pollResolving(): Err {
    const state = this.dial!.resolve.status();
    if (state === 'pending') return Err.OK;
    if (state === 'failed') {
      this.fail(Status.CANT_RESOLVE, `could not resolve "${this.dial!.host}"`);
      return Err.ERR_CANT_RESOLVE;
    }
    this.startTcp();
    return this.status === Status.CONNECTING ? this.pollConnecting() : this.errFor(this.status);
  }

  private startTcp(): void {
    const dial = this.dial!;
    try {
      this.peer = dial.platform.connectTcp(dial.resolve.address()!, dial.port);
      this.status = Status.CONNECTING;
    } catch (e) {
      this.fail(Status.CANT_CONNECT, `could not connect to ${dialTarget(dial)}: ${reasonOf(e)}`);
    }
  }

  /**
   * Connection stages, each a StreamPeer wrapping the one below: TCP, then the CONNECT tunnel when an HTTPS proxy is
   * set, then TLS when the origin speaks it. One poll passes through as many stages as are ready.
   */
  private pollConnecting(): Err {
    const dial = this.dial!;
    for (;;) {
      const peer = this.peer!;
      peer.poll?.();
      const s = peer.getStatus();
      if (s === PeerStatus.CONNECTING) return Err.OK;
      if (s !== PeerStatus.CONNECTED) {
        if (dial.stage === 'tls') {
          const why = peerTlsError(peer) ?? 'TLS handshake failed';
          this.fail(Status.SSL_HANDSHAKE_ERROR, why);
          this.tlsError = why;
        } else if (dial.stage === 'tunnel') {
          this.fail(Status.CANT_CONNECT, `proxy tunnel to ${dial.tunnel} failed: ${(peer as ConnectTunnel).failure ?? 'closed'}`);
        } else this.fail(Status.CANT_CONNECT, `could not connect to ${dialTarget(dial)}`);
        return Err.ERR_CANT_CONNECT;
      }
      if (dial.stage === 'tcp' && dial.tunnel) {
        this.peer = new ConnectTunnel(peer, dial.tunnel, this.limits);
        dial.stage = 'tunnel';
      } else if (dial.stage !== 'tls' && dial.tls) {
        this.peer = (this.options.tls ?? startTls)(peer, dial.tls);
        dial.stage = 'tls';
      } else {
        this.dial = null;
        this.status = Status.CONNECTED;
        return Err.OK;
      }
    }
  }

  /**
   * Idle keep-alive connection. A close by the server is DISCONNECTED, including a TLS close without close_notify:
   * with no response outstanding nothing can have been truncated (RFC 9112 §9.8). Bytes nobody asked for (other than
   * blank lines) mean the connection is out of step, so it is closed (RFC 9112 §9.3), never read as a later response.
   */
  private pollIdle(): Err {
    const peer = this.peer!;
    peer.poll?.();
    // The usual tick of an idle connection: nothing arrived and it is still open. Nothing else is looked at (the
    // receive buffer is always empty while CONNECTED: whatever is left after a response drops the connection).
    if (peer.getAvailableBytes() === 0 && peer.getStatus() === PeerStatus.CONNECTED) return Err.OK;
    const unasked = this.receivedUnasked();
    const s = peer.getStatus();
    if (unasked || s === PeerStatus.NONE || (s === PeerStatus.ERROR && closedWithoutCloseNotify(peer))) {
      this.dropConnection();
      this.status = Status.DISCONNECTED;
      return Err.OK;
    }
    if (s === PeerStatus.ERROR) {
      this.fail(Status.CONNECTION_ERROR, `${this.transportEnd(s)} while idle`);
      return Err.ERR_CONNECTION_ERROR;
    }
    return Err.OK;
  }

  private pollRequesting(): Err {
    const peer = this.peer!;
    peer.poll?.();
    // No server can answer a request it has not received: bytes already there belong to no request of ours.
    if (this.outgoingSent === 0 && this.receivedUnasked()) {
      this.fail(Status.CONNECTION_ERROR, OUT_OF_STEP);
      return Err.ERR_CONNECTION_ERROR;
    }
    this.flush(peer);
    const head = this.readHead();
    if (head) {
      this.startResponse(head);
      return this.errFor(this.status);
    }
    const s = peer.getStatus();
    if (s === PeerStatus.ERROR || (s === PeerStatus.NONE && peer.getAvailableBytes() === 0)) {
      const when = this.outgoingSent === 0 ? 'before the request was sent' : 'before the response head arrived';
      this.fail(Status.CONNECTION_ERROR, `${this.transportEnd(s)} ${when}`);
      return Err.ERR_CONNECTION_ERROR;
    }
    return Err.OK;
  }

  /**
   * Pull what the transport holds while no response is due, dropping blank lines (allowed between messages); true
   * when anything else arrived. The buffer grows by at most one read chunk.
   */
  private receivedUnasked(): boolean {
    do {
      while (this.buffer.length > 0 && isLineEnd(this.buffer.peek(0))) this.buffer.takeAtMost(1);
      if (this.buffer.length > 0) return true;
    } while (this.pull(this.chunkSize));
    return false;
  }

  /** How the transport ended, for a reason: the TLS layer's own words when it has them. */
  private transportEnd(s: number): string {
    const tls = this.peer ? peerTlsError(this.peer) : null;
    if (tls) return `TLS failure (${tls})`;
    return s === PeerStatus.ERROR ? 'connection reset' : 'connection closed';
  }

  /** Write queued request bytes until the transport takes no more. */
  private flush(peer: StreamPeer): void {
    const out = this.outgoing;
    if (!out || peer.getStatus() !== PeerStatus.CONNECTED) return;
    while (this.outgoingSent < out.length) {
      const n = peer.putPartialData(out.subarray(this.outgoingSent));
      if (n <= 0) break;
      this.outgoingSent += n;
    }
    if (this.outgoingSent === out.length) this.outgoing = null;
  }

  /** Parse the final head from buffered and newly pulled bytes. */
  private readHead(): ResponseHead | null {
    return this.headReader!.read(this.buffer, this.pullChunk);
  }

  private startResponse(head: ResponseHead): void {
    const plan = planResponse(head, this.requestMethod, this.requestAsksClose);
    // The server answered before taking the whole request: the rest is dropped, so the connection cannot be reused.
    if (this.outgoing) plan.keepAlive = false;
    this.outgoing = null;
    this.headReader = null;
    this.response = { head, plan };
    this.body = bodyReaderFor(plan.framing, this.limits.maxHeadBytes);
    if (this.body.done) this.finishResponse();
    else this.status = Status.BODY;
  }

  /**
   * Decode into `parts` up to readChunkSize bytes of what is available now, from the receive buffer and then the
   * transport: pieces are views of the chunks received, so the only copy is the one joining them into the result.
   */
  private readBody(body: BodyReader, parts: Uint8Array[]): void {
    for (let size = 0; size < this.chunkSize; ) {
      const room = this.chunkSize - size;
      let piece = body.read(this.buffer, room);
      // What is buffered may be only framing (a partial chunk-size line): fetch more while there is more.
      while (piece.length === 0 && !body.done && this.pull(this.chunkSize)) piece = body.read(this.buffer, room);
      if (piece.length > 0) {
        parts.push(piece);
        size += piece.length;
      }
      if (body.done) {
        this.finishResponse();
        return;
      }
      if (piece.length === 0) {
        this.checkBodyEnd(true);
        return;
      }
    }
  }

  /**
   * With the transport closed and drained: an until-close body ends cleanly, any other body was cut short. `stuck`
   * says the body reader could not use what is buffered; otherwise buffered bytes are still to be read.
   */
  private checkBodyEnd(stuck: boolean): void {
    const peer = this.peer;
    if (!peer || !this.body || (!stuck && this.buffer.length > 0)) return;
    const s = peer.getStatus();
    if (s === PeerStatus.CONNECTED || s === PeerStatus.CONNECTING || peer.getAvailableBytes() > 0) return;
    if (s === PeerStatus.NONE && this.buffer.length === 0 && this.body.endsAtClose()) this.finishResponse();
    else this.fail(Status.CONNECTION_ERROR, `${this.transportEnd(s)} ${unfinished(this.response!.plan.framing)}`);
  }

  /**
   * The response is complete. The connection stays for the next request only when it may be reused and holds nothing
   * more: bytes past the response came before any next request, so they cannot answer it (RFC 9112 §9.3).
   */
  private finishResponse(): void {
    const keepAlive = this.response!.plan.keepAlive;
    this.resetExchange();
    if (keepAlive && !this.receivedUnasked()) this.status = Status.CONNECTED;
    else {
      this.dropConnection();
      this.status = Status.DISCONNECTED;
    }
  }

  /** Move up to `max` bytes from the transport into the receive buffer; false when none came. */
  private pull(max: number): boolean {
    const data = this.peer!.getPartialData(max);
    this.buffer.append(data);
    return data.length > 0;
  }

  /** {@link pull} of one read chunk, made once (it runs on every poll while a head is due). */
  private readonly pullChunk = (): boolean => this.pull(this.chunkSize);

  private resetExchange(): void {
    this.outgoing = null;
    this.outgoingSent = 0;
    this.headReader = null;
    this.body = null;
    this.requestAsksClose = false;
  }

  /** Drop the connection into an error status, keeping the reason (and the TLS layer's, if it had one). */
  private fail(status: Status, reason: string): void {
    const tls = this.peer ? peerTlsError(this.peer) : null;
    if (tls) this.tlsError = tls;
    this.lastError = reason;
    this.dropConnection();
    this.resetExchange();
    this.dial = null;
    this.status = status;
  }

  private dropConnection(): void {
    const peer = this.peer;
    this.peer = null;
    this.buffer.clear();
    if (peer) {
      try {
        peer.disconnectFromHost();
      } catch {
        // A transport that fails to close is closed as far as this client is concerned.
      }
    }
  }
}

const OUT_OF_STEP = 'response bytes arrived before the request was sent: the connection is out of step';

function isLineEnd(c: number): boolean {
  return c === CR || c === LF;
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function dialTarget(dial: Dial): string {
  return `${dial.host}:${dial.port}`;
}

function peerTlsError(peer: StreamPeer): string | null {
  const tls = peer as Partial<TlsStreamPeer>;
  return typeof tls.getTlsError === 'function' ? tls.getTlsError() : null;
}

/** A TLS transport that ended with a clean TCP close but no close_notify (see {@link TlsStreamPeer}). */
function closedWithoutCloseNotify(peer: StreamPeer): boolean {
  const tls = peer as Partial<TlsStreamPeer>;
  return typeof tls.closedWithoutCloseNotify === 'function' && tls.closedWithoutCloseNotify();
}

/** Where a body stopped short, for a reason. */
function unfinished(framing: BodyFraming): string {
  switch (framing.kind) {
    case 'length':
      return `before the ${framing.length}-byte body was complete`;
    case 'chunked':
      return 'before the last chunk of the body';
    default:
      return 'in the body';
  }
}

function joinParts(parts: Uint8Array[]): Uint8Array {
  if (parts.length <= 1) return parts.length ? parts[0] : NO_BYTES;
  return concatBytes(...parts);
}

function bodyLength(plan: ResponsePlan): number {
  switch (plan.framing.kind) {
    case 'none':
      return 0;
    case 'length':
      return plan.framing.length;
    default:
      return -1;
  }
}
