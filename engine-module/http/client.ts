import { ownedCopy, utf8Encode } from '../bytes/bytes.js';
import { NO_BYTES } from '../net/chunk-queue.js';
import type { StreamPeer } from '../net/stream-peer.js';
import { tryGetPlatform } from '../platform/platform.js';
import type { HTTPClientOptions, TlsOptions } from './client-options.js';
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
import type { Exchange, ReadSettings } from './exchange.js';
import { describeConnectionFailure, type ConnectionFailure } from './failures.js';
import { http11Over } from './http11-exchange.js';
import { watchIdle } from './idle-watch.js';
import { openExchange, type ProxyEndpoint } from './open.js';
import { refuse, type Refusal } from './refusal.js';
import { queryStringFromDict, type QueryValue } from './query-string.js';
import { fieldLines, headerValue, type HeadLimits, type ResponseHead } from './response-head.js';
import { pollResult } from './states.js';
import { TLSOptions } from './tls-options.js';

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
  private readonly settings: ReadSettings = { readChunkSize: DEFAULT_READ_CHUNK_SIZE };
  private exchange: Exchange | null = null;
  /** Why the last call returned an error, until the next accepted call or close(). */
  private refusal: string | null = null;
  private httpProxy: ProxyEndpoint | null = null;
  private httpsProxy: ProxyEndpoint | null = null;
  private blocking = false;
  /** Told when a call may have changed this client while a driver leaves it unpolled (see the watchIdle method). */
  private idleWatcher: (() => void) | null = null;

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
  connectToHost(host: string, port?: number, useSsl?: boolean, verifyHost?: boolean, tlsOptions?: TlsOptions): Err;
  /** Godot 4's form: TLS with these options (an "http://" host still means plain HTTP, as in Godot 4). */
  connectToHost(host: string, port: number, tlsOptions: TLSOptions | null): Err;
  connectToHost(host: string, port = -1, useSsl: boolean | TLSOptions | null = false, verifyHost = true, tlsOptions: TlsOptions = {}): Err {
    if (useSsl === null || useSsl instanceof TLSOptions) {
      if (!useSsl || (typeof host === 'string' && host.startsWith('http://'))) return this.connectToHost(host, port, false);
      const args = useSsl.toConnectArgs();
      return this.connectToHost(host, port, true, args.verifyHost, args.tls);
    }
    this.close();
    const platform = this.options.platform ?? tryGetPlatform();
    if (!platform) return this.refuse(refuse('no platform installed: call setPlatform() first', Err.ERR_UNCONFIGURED));
    const opened = openExchange({
      host,
      port,
      useTls: useSsl,
      verifyHost,
      tlsOptions,
      platform,
      proxies: { http: this.httpProxy, https: this.httpsProxy },
      limits: this.limits,
      settings: this.settings,
      tls: this.options.tls,
      blocking: this.blocking,
    });
    if ('err' in opened) return this.refuse(opened);
    this.exchange = opened;
    return Err.OK;
  }

  /** Use an already open transport (tests, custom transports): the client is CONNECTED over it at once. */
  setConnection(connection: StreamPeer | null): void {
    this.close();
    if (connection) this.exchange = http11Over(connection, this.limits, this.settings);
  }

  /** The transport in use (after TLS and tunnels: the peer requests are written to), or null. */
  getConnection(): StreamPeer | null {
    return this.exchange ? this.exchange.transport() : null;
  }

  get connection(): StreamPeer | null {
    return this.getConnection();
  }

  set connection(connection: StreamPeer | null) {
    this.setConnection(connection);
  }

  /**
   * For a driver polling many clients: true when poll() would do nothing until `wake` is called, which happens when
   * the transport reports activity or when a call may change the client (connectToHost, setConnection, request,
   * poll, a body read, close). Null stops the watching. Reached only through a key the package does not export.
   */
  [watchIdle](wake: (() => void) | null): boolean {
    const idle = wake !== null && (this.exchange ? this.exchange.idleUntilWoken(wake) : true);
    this.idleWatcher = idle ? wake : null;
    if (wake === null) this.exchange?.transport()?.watch?.(null);
    return idle;
  }

  /** A call may change what a driver sees: wake the driver that left this client unpolled. */
  private stirred(): void {
    const wake = this.idleWatcher;
    if (!wake) return;
    this.idleWatcher = null;
    wake();
  }

  /** Close the connection and forget the response; the client can connect again. */
  close(): void {
    this.stirred();
    this.exchange?.close();
    this.exchange = null;
    this.refusal = null;
  }

  /** Current {@link Status}; only `poll()` (and reading the body) changes it. */
  getStatus(): Status {
    return this.exchange ? this.exchange.status : Status.DISCONNECTED;
  }

  /**
   * Advance the connection by one step: resolve, connect, send queued request bytes, parse the response head. Never
   * blocks and never throws. Returns OK, or the Err matching a failed status (ERR_UNCONFIGURED when disconnected).
   */
  poll(): Err {
    this.stirred();
    const exchange = this.exchange;
    if (!exchange || exchange.status === Status.DISCONNECTED) return Err.ERR_UNCONFIGURED;
    exchange.poll();
    return pollResult(exchange.status);
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
    this.stirred();
    const status = this.getStatus();
    if (status === Status.REQUESTING || status === Status.BODY) {
      return this.refuse(refuse('a response is still pending: read it to the end (or close()) before the next request', Err.ERR_BUSY));
    }
    if (status !== Status.CONNECTED) {
      return this.refuse(refuse(`request() needs a connected client; the status is STATUS_${Status[status]}: connectToHost() and poll() until CONNECTED first`));
    }
    const refused = this.exchange!.send({ method, url, headers, body });
    if (refused) return this.refuse(refused);
    this.refusal = null;
    return Err.OK;
  }

  /** True once a final response head has been received (until the next request or close()). */
  hasResponse(): boolean {
    return this.head() !== null;
  }

  /** The final response's status code (0 before one arrived). */
  getResponseCode(): number {
    return this.head()?.status ?? 0;
  }

  /** Response header lines, "Name: value", in arrival order. */
  getResponseHeaders(): string[] {
    const head = this.head();
    return head ? fieldLines(head.headers) : [];
  }

  /**
   * The value of a response header by name in any case ("content-type" finds "Content-Type"); repeated fields are
   * joined with ", ". Null before a response or when the header is absent.
   */
  getResponseHeader(name: string): string | null {
    const head = this.head();
    return head ? headerValue(head.headers, name) : null;
  }

  /** Response headers by name as the server wrote it; repeated names have their values joined with "; ". */
  getResponseHeadersAsDictionary(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [n, v] of this.head()?.headers ?? []) {
      out[n] = Object.prototype.hasOwnProperty.call(out, n) ? `${out[n]}; ${v}` : v;
    }
    return out;
  }

  /** Body length from Content-Length, 0 for a response without body, -1 when unknown (chunked, until close). */
  getResponseBodyLength(): number {
    return this.exchange ? this.exchange.bodyLength() : -1;
  }

  /** True when the response body uses chunked transfer coding. */
  isResponseChunked(): boolean {
    return this.exchange ? this.exchange.isChunked() : false;
  }

  /**
   * URL of the final response when the platform's own HTTP followed redirects on the way (in a browser: fetch's
   * `response.url`); null otherwise (this client never follows redirects itself).
   */
  getResponseUrl(): string | null {
    return this.exchange ? this.exchange.responseUrl() : null;
  }

  /**
   * The body bytes available now, up to `readChunkSize` (however many transport reads they arrived in), empty when
   * nothing has arrived yet. When the body ends the status becomes CONNECTED (or DISCONNECTED when the connection
   * cannot be reused); a body cut short becomes CONNECTION_ERROR, with the bytes read before the fault still returned.
   * The array is the caller's to keep: the exchange lends views of the transport's storage, copied here once into an
   * array sized by what has arrived (a browser's fetch chunks are never written over: a view of one is handed out
   * when it holds the whole read).
   */
  readResponseBodyChunk(): Uint8Array {
    this.stirred();
    const exchange = this.exchange;
    if (!exchange) return NO_BYTES;
    const max = this.settings.readChunkSize;
    const first = exchange.readBody(max);
    if (first.length === 0) return NO_BYTES;
    // What else has arrived (framing included, so never less than the body bytes among it) sizes the array.
    const more = exchange.status === Status.BODY ? exchange.bufferedBytes() + (exchange.transport()?.getAvailableBytes() ?? 0) : 0;
    if (first.length === max || more === 0) {
      // All this read can return: a piece the transport never writes over is the caller's as it is; otherwise one
      // copy that does not clear its memory first.
      return exchange.givesBodyPieces ? first : ownedCopy(first);
    }
    const out = new Uint8Array(Math.min(max, first.length + more));
    out.set(first);
    let n = first.length;
    while (n < out.length && exchange.status === Status.BODY) {
      const piece = exchange.readBody(out.length - n);
      if (piece.length === 0) break;
      out.set(piece, n);
      n += piece.length;
    }
    return n === out.length ? out : out.subarray(0, n);
  }

  /** Most bytes one readResponseBodyChunk() returns (256 .. 16 MiB; other values are ignored, as in Godot). */
  setReadChunkSize(bytes: number): void {
    if (Number.isInteger(bytes) && bytes >= MIN_READ_CHUNK_SIZE && bytes <= MAX_READ_CHUNK_SIZE) {
      this.settings.readChunkSize = bytes;
    }
  }

  getReadChunkSize(): number {
    return this.settings.readChunkSize;
  }

  get readChunkSize(): number {
    return this.settings.readChunkSize;
  }
  set readChunkSize(bytes: number) {
    this.setReadChunkSize(bytes);
  }

  /** Kept for Godot's API; see the class comment: reads take what is available now in either mode, never wait. */
  setBlockingMode(enabled: boolean): void {
    const refusal = enabled ? (this.exchange?.blockingRefusal() ?? null) : null;
    if (refusal) this.refusal = refusal;
    else this.blocking = enabled;
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
    return this.exchange ? this.exchange.tlsError() : null;
  }

  /**
   * Why the client is in its error status, in words a person can read: the name that did not resolve
   * (STATUS_CANT_RESOLVE), the address or proxy that refused (STATUS_CANT_CONNECT), the TLS reason
   * (STATUS_SSL_HANDSHAKE_ERROR, as {@link getTlsError}), or what broke the exchange (STATUS_CONNECTION_ERROR: the
   * protocol error in the response, a body cut short, a reset, bytes arriving before the request was sent, a TLS
   * failure). Null while the status is not an error; close(), connectToHost() and setConnection() clear it.
   */
  getLastError(): string | null {
    const failure = this.getLastFailure();
    return failure ? describeConnectionFailure(failure) : this.refusal;
  }

  /** Why the client is in its error status, as a value scripts can branch on (see {@link getLastError}); or null. */
  getLastFailure(): ConnectionFailure | null {
    return this.exchange ? this.exchange.failure() : null;
  }

  /**
   * Bytes this client holds in memory for the connection: received and not yet parsed or handed out (at most
   * `maxHeadBytes` + `readChunkSize`), plus request bytes the transport has not accepted yet. The transport's own
   * buffers are not included.
   */
  getBufferedBytes(): number {
    return this.exchange ? this.exchange.bufferedBytes() : 0;
  }

  private refuse(refusal: Refusal): Err {
    this.refusal = refusal.reason;
    return refusal.err;
  }

  private head(): ResponseHead | null {
    return this.exchange ? this.exchange.head() : null;
  }
}
