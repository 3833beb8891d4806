// The exchange over a platform's own HTTP (a browser's fetch): the same Godot statuses, moved by the same table, with
// the request and response done by the runtime. The connection is the runtime's business, so the session is CONNECTED
// after one poll and stays so between requests (the runtime pools its connections).
import { NO_BYTES } from '../net/chunk-queue.js';
import type { HttpExchange, HttpTransport } from '../platform/http-transport.js';
import { Err, METHOD_NAMES, Status } from './constants.js';
import type { Exchange, ExchangeOpen, OutgoingRequest, ReadSettings } from './exchange.js';
import type { ConnectionFailure } from './failures.js';
import { refuse, type Refusal } from './refusal.js';
import { checkHeaderLines, methodRefusal } from './request-writer.js';
import type { ResponseHead } from './response-head.js';
import { failureEvent, nextStatus, type ExchangeEvent } from './states.js';

/** Opens a session over the runtime's HTTP, or says which connection setting the runtime cannot honour. */
export function openCarried(transport: HttpTransport, open: ExchangeOpen): Exchange | Refusal {
  const { target, tls } = open;
  const refusal = transport.refuseConnect({
    tls: target.tls,
    verifyHost: tls ? tls.verifyHost : true,
    trustedChain: !!tls?.trustedChain,
    commonNameOverride: !!tls?.commonNameOverride,
    proxy: !!open.proxy,
    blocking: open.blocking,
  });
  if (refusal) return refuse(refusal, Err.ERR_UNAVAILABLE);
  return new CarriedSession(transport, `${target.tls ? 'https' : 'http'}://${target.authority}`, open.settings);
}

class CarriedSession implements Exchange {
  status: Status = Status.DISCONNECTED;
  /** The final response head and its Content-Length (-1 when the page cannot see one that counts the body). */
  private response: { head: ResponseHead; length: number } | null = null;
  private lastFailure: ConnectionFailure | null = null;
  /** URL of the last final response (after the runtime's redirects). */
  private finalUrl = '';
  private exchange: HttpExchange | null = null;
  /** The runtime reports no upload progress: a body counts as sent once handed over. */
  private handedOver = 0;

  constructor(
    private readonly runtime: HttpTransport,
    /** "http://host:port" or "https://host:port". */
    private readonly origin: string,
    private readonly settings: ReadSettings,
  ) {
    this.move('dial');
    this.move('resolved');
  }

  send({ method, url, headers, body }: OutgoingRequest): Refusal | null {
    const badMethod = methodRefusal(method);
    if (badMethod) return badMethod;
    // Origin-form only: there is no proxy to send absolute targets to, and fetch has no "*" or authority form.
    if (typeof url !== 'string' || !url.startsWith('/') || /[\x00-\x20\x7f]/.test(url)) {
      return refuse(`request target ${JSON.stringify(String(url))} must be a path starting with "/", without spaces`);
    }
    const bad = checkHeaderLines(headers);
    if (bad) return bad;
    const fields = headers.map(splitField);
    const name = METHOD_NAMES[method];
    const refusal = this.runtime.refuseRequest(name, fields, body.length > 0);
    if (refusal) return refuse(refusal, Err.ERR_UNAVAILABLE);
    this.exchange?.abort();
    this.response = null;
    this.exchange = this.runtime.start({ method: name, url: this.origin + url, headers: fields, body: body.length ? body : null });
    this.handedOver = body.length;
    this.move('send');
    return null;
  }

  poll(): void {
    if (this.status === Status.CONNECTING) this.move('connected');
    const exchange = this.exchange;
    if (!exchange || (this.status !== Status.REQUESTING && this.status !== Status.BODY)) return;
    exchange.poll();
    if (this.status === Status.REQUESTING) this.takeHead(exchange);
    if (this.status === Status.BODY) this.checkEnd(exchange);
  }

  readBody(max = this.settings.readChunkSize): Uint8Array {
    const exchange = this.exchange;
    if (this.status !== Status.BODY || !exchange) return NO_BYTES;
    const out = exchange.read(max);
    this.checkEnd(exchange);
    return out;
  }

  get decodesBodies(): boolean {
    return this.runtime.decodes;
  }

  get givesBodyPieces(): boolean {
    return this.runtime.givesPieces;
  }

  requestBytesSent(): number {
    return this.handedOver;
  }

  head(): ResponseHead | null {
    return this.response ? this.response.head : null;
  }

  bodyLength(): number {
    return this.response ? this.response.length : -1;
  }

  isChunked(): boolean {
    return false;
  }

  responseUrl(): string | null {
    return this.response ? this.finalUrl : null;
  }

  blockingRefusal(): string | null {
    const none = { tls: false, verifyHost: true, trustedChain: false, commonNameOverride: false, proxy: false };
    return this.runtime.refuseConnect({ ...none, blocking: true });
  }

  failure(): ConnectionFailure | null {
    return this.lastFailure;
  }

  tlsError(): null {
    return null;
  }

  transport(): null {
    return null;
  }

  /** poll() works only while connecting, requesting or reading a body: otherwise only the caller moves this session. */
  idleUntilWoken(): boolean {
    return this.status !== Status.CONNECTING && this.status !== Status.REQUESTING && this.status !== Status.BODY;
  }

  bufferedBytes(): number {
    return this.exchange ? this.exchange.available() : 0;
  }

  close(): void {
    this.exchange?.abort();
    this.exchange = null;
    this.response = null;
    this.lastFailure = null;
    this.status = Status.DISCONNECTED;
  }

  private move(event: ExchangeEvent): void {
    this.status = nextStatus(this.status, event);
  }

  private takeHead(exchange: HttpExchange): void {
    if (exchange.state() === 'waiting') return;
    const head = exchange.head();
    if (!head) return this.fail('before-head', exchange.error());
    this.response = {
      head: { minorVersion: 1, status: head.status, reason: head.statusText, headers: head.headers },
      length: exchange.bodyLength(),
    };
    this.finalUrl = head.url;
    this.move('head');
  }

  /** Leave BODY once everything received was read: CONNECTED when the body arrived whole, else the failure. */
  private checkEnd(exchange: HttpExchange): void {
    if (exchange.available() > 0) return;
    const state = exchange.state();
    if (state === 'done') {
      this.exchange = null;
      this.move('complete');
    } else if (state === 'failed') this.fail('body', exchange.error());
  }

  private fail(stage: 'before-head' | 'body', detail: string | null): void {
    this.exchange?.abort();
    this.exchange = null;
    this.lastFailure = { code: 'runtime-http', stage, detail: detail ?? 'fetch failed' };
    this.status = nextStatus(this.status, failureEvent(this.lastFailure));
  }
}

/** "Name: value" as a [name, value] pair (the line is already checked). */
function splitField(line: string): [string, string] {
  const colon = line.indexOf(':');
  return [line.slice(0, colon), line.slice(colon + 1).trim()];
}
