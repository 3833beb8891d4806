// The seam for runtimes that carry HTTP themselves (a browser's fetch) instead of handing out TCP sockets: HTTPClient
// then runs each request/response exchange over the runtime's own HTTP, and tickhttp's HTTP/1.1 codec and TLS are not
// involved. Everything here is polled: no callback of the runtime ever runs inside a tick.

/** One request as the runtime's HTTP takes it. */
export interface CarriedRequest {
  /** Method token ("GET", "POST", ...). */
  method: string;
  /** Absolute URL. */
  url: string;
  /** Caller's fields as [name, value] pairs (already checked for syntax). */
  headers: Array<[string, string]>;
  /** Null when there is no body. */
  body: Uint8Array | null;
}

/** The final response head as the runtime exposes it. */
export interface CarriedHead {
  status: number;
  statusText: string;
  /** The fields the runtime lets the caller see, lower-case names. */
  headers: Array<[string, string]>;
  /** URL of the final response (after redirects the runtime followed). */
  url: string;
  /** True when the runtime followed at least one redirect. */
  redirected: boolean;
}

/**
 * Where an exchange stands: waiting for the head, receiving the body, done (the body arrived whole) or failed (before
 * or during the body; see {@link HttpExchange.error}). Received bytes stay readable in every state.
 */
export type ExchangeState = 'waiting' | 'body' | 'done' | 'failed';

/** A request in flight over the runtime's HTTP. */
export interface HttpExchange {
  /** Let the runtime deliver more (start the next read when none is in flight and the buffer has room). */
  poll(): void;
  state(): ExchangeState;
  /** The head, once the state left 'waiting' without failing first. */
  head(): CarriedHead | null;
  /** Body length when the runtime exposes it and it describes the bytes delivered; -1 otherwise. */
  bodyLength(): number;
  /** Body bytes received and not read yet. */
  available(): number;
  /** At most `max` received body bytes (a view when they lie in one delivered chunk, else one joining copy). */
  read(max: number): Uint8Array;
  /** Why the exchange failed, in words; null while it has not. */
  error(): string | null;
  /** Stop the exchange (the runtime aborts the request); nothing more arrives. */
  abort(): void;
}

/** What HTTPClient.connectToHost asked for, for the checks a carried transport makes. */
export interface CarriedConnect {
  tls: boolean;
  verifyHost: boolean;
  trustedChain: boolean;
  commonNameOverride: boolean;
  proxy: boolean;
  blocking: boolean;
}

/** A runtime's own HTTP, offered by a {@link Platform} in place of TCP. */
export interface HttpTransport {
  /**
   * True when the runtime follows redirects and decodes Content-Encoding itself (a browser): the request layer then
   * neither asks for encodings nor decodes, and sees only final responses.
   */
  readonly decodes: boolean;
  /** True when the bytes an exchange's read() returns are never written over afterwards (the caller may keep them). */
  readonly givesPieces: boolean;
  /** Why this transport cannot honour a connection setting (each a reason in words), or null when it can. */
  refuseConnect(settings: CarriedConnect): string | null;
  /** Why this transport cannot send the request as asked (a method or a field the runtime forbids), or null. */
  refuseRequest(method: string, headers: ReadonlyArray<[string, string]>, hasBody: boolean): string | null;
  /** Start an exchange; failures show up in its state, never as an exception. */
  start(request: CarriedRequest): HttpExchange;
}
