// HTTPClient's status machine over a platform's own HTTP (a browser's fetch): the same Godot statuses and calls as
// over a socket, with the exchange done by the runtime. The connection is the runtime's business, so the session is
// CONNECTED after one poll and stays so between requests (the runtime pools its connections).
import { NO_BYTES } from '../net/chunk-queue.js';
import type { CarriedConnect, HttpExchange, HttpTransport } from '../platform/http-transport.js';
import { Err, METHOD_NAMES, Method, Status } from './constants.js';
import type { ResponsePlan } from './framing.js';
import { verifyHeaders } from './request-writer.js';
import type { ResponseHead } from './response-head.js';

/** A response as HTTPClient keeps it. */
export interface CarriedResponse {
  head: ResponseHead;
  plan: ResponsePlan;
}

export class CarriedSession {
  status: Status = Status.CONNECTING;
  response: CarriedResponse | null = null;
  /** Why the last call was refused or the exchange failed; null otherwise. */
  error: string | null = null;
  /** URL of the last final response (after the runtime's redirects), "" before one. */
  finalUrl = '';
  redirected = false;
  private exchange: HttpExchange | null = null;

  private constructor(
    private readonly transport: HttpTransport,
    /** "http://host:port" or "https://host:port". */
    private readonly origin: string,
  ) {}

  /** A session to `origin`, or the reason the transport cannot honour these settings. */
  static open(transport: HttpTransport, origin: string, settings: CarriedConnect): CarriedSession | string {
    return transport.refuseConnect(settings) ?? new CarriedSession(transport, origin);
  }

  request(method: Method, url: string, headers: readonly string[], body: Uint8Array): Err {
    if (this.status === Status.REQUESTING || this.status === Status.BODY) return Err.ERR_BUSY;
    if (this.status !== Status.CONNECTED) return Err.ERR_INVALID_PARAMETER;
    if (!Number.isInteger(method) || method < 0 || method >= Method.MAX) return Err.ERR_INVALID_PARAMETER;
    // Origin-form only: there is no proxy to send absolute targets to, and fetch has no "*" or authority form.
    if (typeof url !== 'string' || !url.startsWith('/') || /[\x00-\x20\x7f]/.test(url)) return Err.ERR_INVALID_PARAMETER;
    if (verifyHeaders(headers) !== Err.OK) return Err.ERR_INVALID_PARAMETER;
    const fields = headers.map(splitField);
    const name = METHOD_NAMES[method];
    const refusal = this.transport.refuseRequest(name, fields, body.length > 0);
    if (refusal) {
      this.error = refusal;
      return Err.ERR_UNAVAILABLE;
    }
    this.exchange?.abort();
    this.response = null;
    this.error = null;
    this.exchange = this.transport.start({ method: name, url: this.origin + url, headers: fields, body: body.length ? body : null });
    this.status = Status.REQUESTING;
    return Err.OK;
  }

  poll(): void {
    if (this.status === Status.CONNECTING) this.status = Status.CONNECTED;
    const exchange = this.exchange;
    if (!exchange || (this.status !== Status.REQUESTING && this.status !== Status.BODY)) return;
    exchange.poll();
    if (this.status === Status.REQUESTING) this.takeHead(exchange);
    if (this.status === Status.BODY) this.checkEnd(exchange);
  }

  /** Up to `max` body bytes received so far. */
  read(max: number): Uint8Array {
    const exchange = this.exchange;
    if (this.status !== Status.BODY || !exchange) return NO_BYTES;
    const out = exchange.read(max);
    this.checkEnd(exchange);
    return out;
  }

  /** True (with the reason kept) when the transport cannot block; blocking mode then stays off. */
  refusesBlocking(): boolean {
    const none = { tls: false, verifyHost: true, trustedChain: false, commonNameOverride: false, proxy: false };
    const refusal = this.transport.refuseConnect({ ...none, blocking: true });
    if (refusal) this.error = refusal;
    return refusal !== null;
  }

  bufferedBytes(): number {
    return this.exchange ? this.exchange.available() : 0;
  }

  close(): void {
    this.exchange?.abort();
    this.exchange = null;
    this.response = null;
    this.status = Status.DISCONNECTED;
  }

  private takeHead(exchange: HttpExchange): void {
    const state = exchange.state();
    if (state === 'waiting') return;
    const head = exchange.head();
    if (!head) return this.fail(Status.CANT_CONNECT, exchange.error() ?? 'fetch failed');
    const length = exchange.bodyLength();
    this.response = {
      head: { minorVersion: 1, status: head.status, reason: head.statusText, headers: head.headers },
      plan: { framing: length >= 0 ? { kind: 'length', length } : { kind: 'until-close' }, keepAlive: true },
    };
    this.finalUrl = head.url;
    this.redirected = head.redirected;
    this.status = Status.BODY;
  }

  /** Leave BODY once everything received was read: CONNECTED when the body arrived whole, else the error. */
  private checkEnd(exchange: HttpExchange): void {
    if (exchange.available() > 0) return;
    const state = exchange.state();
    if (state === 'done') {
      this.exchange = null;
      this.status = Status.CONNECTED;
    } else if (state === 'failed') this.fail(Status.CONNECTION_ERROR, exchange.error() ?? 'fetch failed');
  }

  private fail(status: Status, reason: string): void {
    this.exchange?.abort();
    this.exchange = null;
    this.error = reason;
    this.status = status;
  }
}

/** "Name: value" as a [name, value] pair (the line is already checked). */
function splitField(line: string): [string, string] {
  const colon = line.indexOf(':');
  return [line.slice(0, colon), line.slice(colon + 1).trim()];
}
