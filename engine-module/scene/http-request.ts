// Godot's HTTPRequest node in camelCase, for scripts that do not use the ECS systems: request(url) starts one
// request, the scene steps it each frame on the request layer (pool, redirects, timeouts, decompression, file
// downloads, budget), and requestCompleted(result, responseCode, headers, body) reports the end.
import { DEFAULT_READ_CHUNK_SIZE, Err, METHOD_NAMES, Method, Status } from '../http/constants.js';
import { TLSOptions } from '../http/tls-options.js';
import { utf8Encode } from '../bytes/bytes.js';
import { cancelRequest, connectionStatus, startRequest, type RequestJob } from '../request/http-request.js';
import { isHttpMethod } from '../request/method.js';
import { parseSpec, type ProxyEndpoint, type RequestSpec, type RequestTlsOptions } from '../request/request-spec.js';
import { Result } from '../request/result.js';
import { stepGuarded } from '../request/tick.js';
import { defaultHttpScene, reportToConsole, stepMembers, type HttpScene, type SceneMember } from './http-scene.js';
import { Signal } from './signal.js';

/** The arguments of `requestCompleted`: Godot's (result, response_code, headers, body). */
export type RequestCompletedArgs = [result: Result, responseCode: number, headers: string[], body: Uint8Array];


const EMPTY = new Uint8Array(0);

/**
 * Godot's HTTPRequest. One request at a time per node; start it with {@link request}, step it by calling
 * `updateHttpRequests()` once per frame (every node of the scene) or {@link poll} (this node), and read the result in
 * {@link requestCompleted}. Nothing blocks and no step throws.
 *
 * ```ts
 * const http = new HTTPRequest();
 * http.requestCompleted.connect((result, code, headers, body) => { ... });
 * http.request('https://example.com/scores.json');
 * // each frame: updateHttpRequests();
 * ```
 */
export class HTTPRequest {
  static readonly RESULT_SUCCESS = Result.SUCCESS;
  static readonly RESULT_CHUNKED_BODY_SIZE_MISMATCH = Result.CHUNKED_BODY_SIZE_MISMATCH;
  static readonly RESULT_CANT_CONNECT = Result.CANT_CONNECT;
  static readonly RESULT_CANT_RESOLVE = Result.CANT_RESOLVE;
  static readonly RESULT_CONNECTION_ERROR = Result.CONNECTION_ERROR;
  static readonly RESULT_SSL_HANDSHAKE_ERROR = Result.SSL_HANDSHAKE_ERROR;
  static readonly RESULT_TLS_HANDSHAKE_ERROR = Result.TLS_HANDSHAKE_ERROR;
  static readonly RESULT_NO_RESPONSE = Result.NO_RESPONSE;
  static readonly RESULT_BODY_SIZE_LIMIT_EXCEEDED = Result.BODY_SIZE_LIMIT_EXCEEDED;
  static readonly RESULT_REQUEST_FAILED = Result.REQUEST_FAILED;
  static readonly RESULT_DOWNLOAD_FILE_CANT_OPEN = Result.DOWNLOAD_FILE_CANT_OPEN;
  static readonly RESULT_DOWNLOAD_FILE_WRITE_ERROR = Result.DOWNLOAD_FILE_WRITE_ERROR;
  static readonly RESULT_REDIRECT_LIMIT_REACHED = Result.REDIRECT_LIMIT_REACHED;
  static readonly RESULT_TIMEOUT = Result.TIMEOUT;
  static readonly RESULT_BODY_DECOMPRESS_FAILED = Result.BODY_DECOMPRESS_FAILED;
  static readonly RESULT_QUEUE_FULL = Result.QUEUE_FULL;

  /** Largest body accepted, in bytes after decompression; -1 (default) for no limit. */
  bodySizeLimit = -1;
  /** Redirects followed before RESULT_REDIRECT_LIMIT_REACHED (default 8, as Godot). */
  maxRedirects = 8;
  /** Seconds the whole request may take, redirects included, before RESULT_TIMEOUT; 0 (default) for none. */
  timeout = 0;
  /** Accepted for Godot's API and meaningless here: requests never block the frame, so there is no thread to use. */
  useThreads = false;
  /** Send `Accept-Encoding: gzip, deflate` (unless the headers name one) and decode such bodies (default true). */
  acceptGzip = true;
  /**
   * Bytes read from the connection per unit of work (256 B .. 16 MiB, default 64 KiB). Unlike Godot's node, a frame
   * reads as many units as have arrived (within the scene's budget), so downloads are not capped by the frame rate.
   */
  downloadChunkSize = DEFAULT_READ_CHUNK_SIZE;
  /** Write a successful (2xx) body to this file instead of the signal's body ('' (default): into memory). */
  downloadFile = '';

  /** `requestCompleted.connect((result, responseCode, headers, body) => ...)`, or `await node.requestCompleted`. */
  readonly requestCompleted: Signal<RequestCompletedArgs>;

  private job: RequestJob | null = null;
  /** The scene the running request belongs to. */
  private running: HttpScene | null = null;
  /** The scene of the last request started: where its listeners' exceptions are reported. */
  private owner: HttpScene | null = null;
  private lastError = '';
  private tlsOptions: TLSOptions | null = null;
  private httpProxy: ProxyEndpoint | null = null;
  private httpsProxy: ProxyEndpoint | null = null;
  private readonly member: SceneMember;

  /** A node stepped by `scene` (default: the platform's default scene, shared by every node made without one). */
  constructor(private readonly scene: HttpScene | null = null) {
    this.requestCompleted = new Signal(() => this.owner?.onListenerError ?? reportToConsole);
    this.member = {
      unit: (first) => {
        const s = this.running;
        return s && this.job ? stepGuarded(s.requester, this.job, s.now, s.tick, first) : false;
      },
      settle: () => this.settle(),
    };
  }

  /**
   * Start a request. Godot 3's argument order `(url, customHeaders, sslValidateDomain, method, requestData)` and
   * Godot 4's `(url, customHeaders, method, requestData)` are both accepted. Returns ERR_BUSY while a request runs,
   * ERR_INVALID_PARAMETER for a bad URL, header, method or setting ({@link getLastError} says which),
   * ERR_UNCONFIGURED when no platform is installed; OK otherwise, and `requestCompleted` follows.
   */
  request(url: string, customHeaders?: readonly string[], sslValidateDomain?: boolean, method?: Method, requestData?: string): Err;
  request(url: string, customHeaders: readonly string[], method: Method, requestData?: string): Err;
  request(url: string, customHeaders: readonly string[] = [], ...rest: unknown[]): Err {
    const [ssl, method, data] = godotArgs(rest);
    return this.start(url, customHeaders, ssl, method, typeof data === 'string' ? data : '');
  }

  /** {@link request} with a binary body, in either argument order. */
  requestRaw(url: string, customHeaders?: readonly string[], sslValidateDomain?: boolean, method?: Method, requestDataRaw?: Uint8Array): Err;
  requestRaw(url: string, customHeaders: readonly string[], method: Method, requestDataRaw?: Uint8Array): Err;
  requestRaw(url: string, customHeaders: readonly string[] = [], ...rest: unknown[]): Err {
    const [ssl, method, data] = godotArgs(rest);
    return this.start(url, customHeaders, ssl, method, data instanceof Uint8Array ? data : EMPTY);
  }

  /** Stop the running request (its connection is closed); no signal is emitted. The node can request again. */
  cancelRequest(): void {
    const s = this.running;
    if (!s || !this.job) return;
    cancelRequest(s.requester, this.job, s.clock());
    s.live.delete(this.member);
    this.running = null;
  }

  /**
   * The status of the request's connection as HTTPClient reports it: DISCONNECTED when no request runs, RESOLVING
   * while the request waits for a pooled connection (or a retry), then the connection's own status.
   */
  getHttpClientStatus(): Status {
    if (!this.running || !this.job) return Status.DISCONNECTED;
    return connectionStatus(this.job) ?? Status.RESOLVING;
  }

  /** Body bytes received by the current (or last) request, as sent (before decompression). */
  getDownloadedBytes(): number {
    return this.job?.progress.received ?? 0;
  }

  /** The current (or last) response's body size from its Content-Length, or -1 when unknown. */
  getBodySize(): number {
    return this.job?.progress.total ?? -1;
  }

  /** Why the last request() was refused or the last request failed, in words; '' after a success. */
  getLastError(): string {
    return this.lastError;
  }

  /** Send plain http:// requests through this proxy. Empty host or port -1 unsets it. */
  setHttpProxy(host: string, port: number): void {
    this.httpProxy = host && port !== -1 ? { host, port } : null;
  }

  /** Tunnel https:// requests through this proxy with CONNECT. Empty host or port -1 unsets it. */
  setHttpsProxy(host: string, port: number): void {
    this.httpsProxy = host && port !== -1 ? { host, port } : null;
  }

  /** Godot 4: how https:// requests verify the server (null: the platform's roots and the host name). */
  setTlsOptions(options: TLSOptions | null): void {
    this.tlsOptions = options;
  }

  /** Godot's `connect("request_completed", ...)`. */
  connect(signal: 'request_completed', listener: (...args: RequestCompletedArgs) => void): void {
    this.signalNamed(signal).connect(listener);
  }

  /** Godot's `disconnect("request_completed", ...)`. */
  disconnect(signal: 'request_completed', listener: (...args: RequestCompletedArgs) => void): void {
    this.signalNamed(signal).disconnect(listener);
  }

  /**
   * Step this node alone by one frame, for scripts that poll each node themselves. Call it or updateHttpRequests()
   * for the node's scene each frame, not both.
   */
  poll(): void {
    if (this.running) stepMembers(this.running, [this.member]);
  }

  private signalNamed(signal: string): Signal<RequestCompletedArgs> {
    if (signal !== 'request_completed') throw new Error(`HTTPRequest has no signal ${JSON.stringify(signal)}`);
    return this.requestCompleted;
  }

  private start(url: string, headers: readonly string[], ssl: boolean, method: Method, body: string | Uint8Array): Err {
    if (this.running) return this.refuse(Err.ERR_BUSY, 'a request is already running; wait for it or cancel it');
    const scene = this.scene ?? defaultHttpScene();
    if (!scene) return this.refuse(Err.ERR_UNCONFIGURED, 'no platform installed; call setPlatform() first');
    const spec = this.specFor(url, headers, ssl, method, body);
    const parsed = typeof spec === 'string' ? spec : parseSpec(spec);
    if (typeof parsed === 'string') return this.refuse(Err.ERR_INVALID_PARAMETER, parsed);
    this.lastError = '';
    this.job = startRequest(scene.requester, parsed, scene.clock());
    this.running = this.owner = scene;
    scene.live.add(this.member);
    return Err.OK;
  }

  private refuse(err: Err, reason: string): Err {
    this.lastError = reason;
    return err;
  }

  /** The request-layer spec of a request with this node's settings, or why there is none. */
  private specFor(url: string, headers: readonly string[], ssl: boolean, method: Method, body: string | Uint8Array): RequestSpec | string {
    const name = METHOD_NAMES[method];
    if (name === undefined || !isHttpMethod(name)) return `unsupported method ${String(method)}`;
    const bytes = typeof body === 'string' ? utf8Encode(body) : body;
    return {
      url,
      method: name,
      headers,
      // Godot sends no body for an empty request_data; the request layer adds Content-Length: 0 where it belongs.
      body: bytes.length > 0 ? bytes : undefined,
      maxRedirects: this.maxRedirects,
      bodySizeLimit: this.bodySizeLimit,
      decompress: this.acceptGzip,
      timeouts: { totalMs: this.timeout * 1000 },
      download: this.downloadFile || undefined,
      tls: this.tlsFor(ssl),
      proxy: { http: this.httpProxy, https: this.httpsProxy },
      readChunkSize: this.downloadChunkSize,
    };
  }

  /** TLS settings, left out when they are the defaults so the connection pools with every default request. */
  private tlsFor(sslValidateDomain: boolean): RequestTlsOptions | undefined {
    const args = this.tlsOptions?.toConnectArgs();
    const verifyHost = sslValidateDomain && (args?.verifyHost ?? true);
    if (verifyHost && !args?.tls.trustedChain && !args?.tls.commonNameOverride) return undefined;
    return { ...args?.tls, verifyHost };
  }

  /** After the frame's work: when the request ended, leave the scene and emit its outcome. */
  private settle(): void {
    const outcome = this.job?.outcome;
    if (!outcome || !this.running) return;
    this.running.live.delete(this.member);
    this.running = null;
    this.lastError = outcome.error;
    this.requestCompleted.emit(outcome.result, outcome.code, outcome.headers, outcome.body ?? EMPTY);
  }
}

/** (sslValidateDomain, method, data) from Godot 3's (ssl, method, data) or Godot 4's (method, data) arguments. */
function godotArgs(rest: unknown[]): [boolean, Method, unknown] {
  if (typeof rest[0] === 'number') return [true, rest[0] as Method, rest[1]];
  return [rest[0] !== false, (rest[1] as Method | undefined) ?? Method.GET, rest[2]];
}
