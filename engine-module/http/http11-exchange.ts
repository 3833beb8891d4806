// HTTP/1.1 over a StreamPeer: the dialer opens the transport, then one request at a time is written and its response
// read with the sans-I/O codec (head reader, framing plan, body readers over one receive buffer). Statuses move only
// through the table in states.ts.
import { ownedCopy } from '../bytes/bytes.js';
import { NO_BYTES } from '../net/chunk-queue.js';
import { PeerStatus, type StreamPeer } from '../net/stream-peer.js';
import { bodyReaderFor, ContentLengthReader, type BodyReader } from './body-readers.js';
import type { TlsStreamPeer } from './client-options.js';
import { Method, Status } from './constants.js';
import { closeQuietly, Dialer, reasonOf } from './dialer.js';
import type { Exchange, ExchangeOpen, OutgoingRequest, ReadSettings } from './exchange.js';
import { refuse, type Refusal } from './refusal.js';
import type { ConnectionFailure, ExchangeStage } from './failures.js';
import { FinalHeadReader } from './final-head.js';
import { planResponse, type ResponsePlan } from './framing.js';
import { ReceiveBuffer } from './receive-buffer.js';
import { writeRequest } from './request-writer.js';
import type { HeadLimits, ResponseHead } from './response-head.js';
import { failureEvent, nextStatus, type ExchangeEvent } from './states.js';
import { tlsPeerOf } from './tls-layer.js';

const CR = 0x0d;
const LF = 0x0a;

/** How requests on this connection are addressed (decided by connectToHost). */
interface Route {
  /** Host header value: the origin's authority without its scheme's default port ("" when unknown). */
  hostHeader: string;
  /** "http://host:port" when requests go through an HTTP proxy (origin-form targets are sent in absolute-form). */
  absolutePrefix: string | undefined;
}

/** The request being sent and awaited. */
interface PendingRequest {
  method: Method;
  /** The request itself said "Connection: close". */
  asksClose: boolean;
  /** Request bytes not yet accepted by the transport (null once all were). */
  bytes: Uint8Array | null;
  sent: number;
  head: FinalHeadReader;
}

/** The final response: its head, how its body is framed, and the reader of that body (null once it ended). */
interface Response {
  head: ResponseHead;
  plan: ResponsePlan;
  body: BodyReader | null;
}

/** The transport once connected: the peer requests are written to, and its TLS layer when there is one. */
interface Open {
  peer: StreamPeer;
  tls: TlsStreamPeer | null;
}

/** Opens an HTTP/1.1 connection as connectToHost decided: the default {@link ExchangeFactory}. */
export function openHttp11(open: ExchangeOpen): Exchange {
  const { target, proxy } = open;
  const route = {
    hostHeader: target.hostHeader,
    absolutePrefix: proxy && !target.tls ? `http://${target.authority}` : undefined,
  };
  const dial = new Dialer(
    open.platform,
    {
      host: proxy ? proxy.host : target.host,
      port: proxy ? proxy.port : target.port,
      tunnel: proxy && target.tls ? target.authority : null,
      tls: open.tls,
    },
    open.limits,
    open.startTls,
  );
  return new Http11Exchange(route, open.limits, open.settings, dial);
}

/** An HTTP/1.1 exchange over a transport that is already open (HTTPClient.setConnection). */
export function http11Over(peer: StreamPeer, limits: HeadLimits, settings: ReadSettings): Exchange {
  const exchange = new Http11Exchange({ hostHeader: '', absolutePrefix: undefined }, limits, settings, null);
  exchange.adopt({ peer, tls: tlsPeerOf(peer) });
  return exchange;
}

/** HTTP/1.1 over a StreamPeer; made by {@link openHttp11} and {@link http11Over}. */
export class Http11Exchange implements Exchange {
  status: Status = Status.DISCONNECTED;
  readonly decodesBodies = false;
  readonly givesBodyPieces = false;
  /** Bytes of the current request the transport took (they outlive the request record, which goes at the head). */
  private requestSent = 0;
  private dialer: Dialer | null;
  private open: Open | null = null;
  private lastFailure: ConnectionFailure | null = null;
  /** The TLS layer's reason for the last failure, kept once its transport is dropped. */
  private keptTlsError: string | null = null;
  private readonly buffer = new ReceiveBuffer();
  private request: PendingRequest | null = null;
  private response: Response | null = null;
  /** Bytes still to land in the current landing target (0: no landing). */
  private landingLeft = 0;
  /** Landed body bytes not yet reported by takeLandedBody(). */
  private landedBody = 0;

  constructor(
    private readonly route: Route,
    private readonly limits: HeadLimits,
    private readonly settings: ReadSettings,
    dialer: Dialer | null,
  ) {
    this.dialer = dialer;
    if (dialer) {
      this.move('dial');
      this.afterDial(dialer.begin());
    }
  }

  adopt(open: Open): void {
    this.open = open;
    this.move('connected');
  }

  poll(): void {
    try {
      this.step();
    } catch (e) {
      this.fail({ code: 'protocol', detail: reasonOf(e) });
    }
  }

  send(request: OutgoingRequest): Refusal | null {
    let wire;
    try {
      wire = writeRequest({ ...request, host: this.route.hostHeader, absolutePrefix: this.route.absolutePrefix });
    } catch (e) {
      wire = refuse(`invalid request: ${reasonOf(e)}`);
    }
    if ('err' in wire) return wire;
    this.response = null;
    this.requestSent = 0;
    this.landedBody = 0;
    this.request = {
      method: request.method,
      asksClose: wire.asksClose,
      bytes: wire.bytes,
      sent: 0,
      head: new FinalHeadReader(this.limits),
    };
    this.move('send');
    return null;
  }

  head(): ResponseHead | null {
    return this.response ? this.response.head : null;
  }

  requestBytesSent(): number {
    return this.requestSent;
  }

  bodyLength(): number {
    if (!this.response) return -1;
    const { framing } = this.response.plan;
    return framing.kind === 'none' ? 0 : framing.kind === 'length' ? framing.length : -1;
  }

  isChunked(): boolean {
    return this.response?.plan.framing.kind === 'chunked';
  }

  readBody(max = this.settings.readChunkSize): Uint8Array {
    this.absorbLanded();
    const body = this.response?.body;
    if (this.status !== Status.BODY || !body) return NO_BYTES;
    try {
      return this.readPiece(body, max);
    } catch (e) {
      this.fail({ code: 'protocol', detail: reasonOf(e) });
      return NO_BYTES;
    }
  }

  landBody(spaceFor: (held: number, rest: number) => Uint8Array | null): boolean {
    const body = this.response?.body;
    const peer = this.open?.peer;
    if (this.status !== Status.BODY || this.landingLeft > 0 || !(body instanceof ContentLengthReader) || !peer?.landInto) {
      return false;
    }
    const held = this.buffer.length + peer.getAvailableBytes();
    const rest = body.remaining - held;
    if (rest <= 0) return false;
    const target = spaceFor(held, rest);
    if (!target || target.length === 0 || target.length > rest || !peer.landInto(target)) return false;
    this.landingLeft = target.length;
    return true;
  }

  takeLandedBody(): number {
    this.absorbLanded();
    const n = this.landedBody;
    this.landedBody = 0;
    return n;
  }

  responseUrl(): null {
    return null;
  }

  blockingRefusal(): null {
    return null;
  }

  failure(): ConnectionFailure | null {
    return this.lastFailure;
  }

  tlsError(): string | null {
    return this.open?.tls?.getTlsError() ?? this.keptTlsError;
  }

  transport(): StreamPeer | null {
    return this.open?.peer ?? this.dialer?.peer ?? null;
  }

  bufferedBytes(): number {
    const out = this.request?.bytes;
    return this.buffer.length + (out ? out.length - this.request!.sent : 0);
  }

  idleUntilWoken(wake: () => void): boolean {
    switch (this.status) {
      case Status.RESOLVING:
      case Status.CONNECTING:
      case Status.REQUESTING:
      case Status.BODY:
        return false;
      case Status.CONNECTED: {
        // Exactly the state in which pollIdle returns at once; anything that changes it is an event of the transport.
        const peer = this.open!.peer;
        return peer.getAvailableBytes() === 0 && peer.getStatus() === PeerStatus.CONNECTED && (peer.watch?.(wake) ?? false);
      }
      default:
        // DISCONNECTED and the failure statuses: nothing moves until the caller acts.
        return true;
    }
  }

  close(): void {
    this.dropTransport();
    this.request = null;
    this.response = null;
    this.lastFailure = null;
    this.keptTlsError = null;
    this.status = Status.DISCONNECTED;
  }

  private move(event: ExchangeEvent): void {
    this.status = nextStatus(this.status, event);
  }

  private step(): void {
    switch (this.status) {
      case Status.RESOLVING:
      case Status.CONNECTING:
        return this.afterDial(this.dialer!.poll());
      case Status.CONNECTED:
        return this.pollIdle(this.open!);
      case Status.REQUESTING:
        return this.pollRequesting(this.open!, this.request!);
      case Status.BODY:
        this.open!.peer.poll?.();
        this.absorbLanded();
        return this.checkBodyEnd(false);
    }
  }

  private afterDial(progress: ReturnType<Dialer['poll']>): void {
    const resolved = progress.kind !== 'resolving' && !(progress.kind === 'failed' && progress.failure.code === 'cant-resolve');
    if (resolved && this.status === Status.RESOLVING) this.move('resolved');
    if (progress.kind === 'open') {
      this.dialer = null;
      this.adopt(progress);
    } else if (progress.kind === 'failed') this.fail(progress.failure);
  }

  /**
   * Idle keep-alive connection. A close by the server is DISCONNECTED, including a TLS close without close_notify:
   * with no response outstanding nothing can have been truncated (RFC 9112 §9.8). Bytes nobody asked for (other than
   * blank lines) mean the connection is out of step, so it is closed (RFC 9112 §9.3), never read as a later response.
   */
  private pollIdle({ peer, tls }: Open): void {
    peer.poll?.();
    // The usual tick of an idle connection: nothing arrived and it is still open. Nothing else is looked at (the
    // receive buffer is always empty while CONNECTED: whatever is left after a response drops the connection).
    if (peer.getAvailableBytes() === 0 && peer.getStatus() === PeerStatus.CONNECTED) return;
    const unasked = this.receivedUnasked();
    const s = peer.getStatus();
    if (unasked || s === PeerStatus.NONE || (s === PeerStatus.ERROR && tls?.closedWithoutCloseNotify?.())) {
      this.dropTransport();
      this.move('closed');
    } else if (s === PeerStatus.ERROR) this.fail(this.ended('idle'));
  }

  private pollRequesting({ peer }: Open, request: PendingRequest): void {
    peer.poll?.();
    // No server can answer a request it has not received: bytes already there belong to no request of ours.
    if (request.sent === 0 && this.receivedUnasked()) return this.fail({ code: 'out-of-step' });
    this.flush(peer, request);
    const head = request.head.read(this.buffer, this.pullChunk);
    if (head) return this.startResponse(request, head);
    const s = peer.getStatus();
    if (s === PeerStatus.ERROR || (s === PeerStatus.NONE && peer.getAvailableBytes() === 0)) {
      this.fail(this.ended(request.sent === 0 ? 'before-request' : 'before-head'));
    }
  }

  /**
   * Pull what the transport holds while no response is due, dropping blank lines (allowed between messages); true
   * when anything else arrived. The buffer grows by at most one read chunk.
   */
  private receivedUnasked(): boolean {
    do {
      while (this.buffer.length > 0 && isLineEnd(this.buffer.peek(0))) this.buffer.takeAtMost(1);
      if (this.buffer.length > 0) return true;
    } while (this.pull(this.settings.readChunkSize));
    return false;
  }

  /** How the transport ended, at `stage`: in the TLS layer's own words when it has them. */
  private ended(stage: ExchangeStage): ConnectionFailure {
    const { peer, tls } = this.open!;
    const tlsWords = tls?.getTlsError() ?? null;
    const how = tlsWords ? 'tls' : peer.getStatus() === PeerStatus.ERROR ? 'reset' : 'closed';
    const failure: ConnectionFailure = { code: 'transport-ended', how, stage };
    if (tlsWords) failure.tls = tlsWords;
    const tlsFailure = tls?.getTlsFailure?.();
    if (tlsFailure) failure.tlsFailure = tlsFailure;
    if (stage === 'body') failure.framing = this.response!.plan.framing;
    if (!tls && how === 'closed') failure.plain = true;
    return failure;
  }

  /** Write queued request bytes until the transport takes no more. */
  private flush(peer: StreamPeer, request: PendingRequest): void {
    const out = request.bytes;
    if (!out || peer.getStatus() !== PeerStatus.CONNECTED) return;
    while (request.sent < out.length) {
      const n = peer.putPartialData(out.subarray(request.sent));
      if (n <= 0) break;
      request.sent += n;
      this.requestSent += n;
    }
    if (request.sent === out.length) request.bytes = null;
  }

  private startResponse(request: PendingRequest, head: ResponseHead): void {
    const plan = planResponse(head, request.method, request.asksClose);
    // The server answered before taking the whole request: the rest is dropped, so the connection cannot be reused.
    if (request.bytes) plan.keepAlive = false;
    this.request = null;
    const body = bodyReaderFor(plan.framing, this.limits.maxHeadBytes);
    this.response = { head, plan, body };
    if (body.done) this.finishResponse();
    else this.move('head');
  }

  /**
   * Decode the next contiguous piece of body, at most `max` bytes, from the receive buffer and then the
   * transport: a view of what was received, never joined, so it may be shorter than what has arrived (the next call
   * gets more). The transport is read only when the buffer holds no body bytes, and the body reader takes a read
   * whole (up to the body's end), so body bytes are never copied here.
   */
  private readPiece(body: BodyReader, max: number): Uint8Array {
    let piece = body.read(this.buffer, max);
    // What is buffered may be only framing (a partial chunk-size line): fetch more while there is more.
    while (piece.length === 0 && !body.done && this.pull(max)) piece = body.read(this.buffer, max);
    if (!body.done) {
      if (piece.length === 0) this.checkBodyEnd(true);
      return piece;
    }
    // Finishing may read the transport (for bytes past the response) or close it, and either may let its storage be
    // reused: the last piece is copied first (once per response).
    const last = ownedCopy(piece);
    this.finishResponse();
    return last;
  }

  /**
   * Count the body bytes the transport landed since the last look as read; the response is complete when they were
   * its last bytes.
   */
  private absorbLanded(): void {
    if (this.landingLeft === 0) return;
    const n = this.open!.peer.takeLanded!();
    if (n === 0) return;
    const body = this.response!.body as ContentLengthReader;
    body.remaining -= n;
    this.landingLeft -= n;
    this.landedBody += n;
    if (body.done) this.finishResponse();
  }

  /**
   * With the transport closed and drained: an until-close body ends cleanly, any other body was cut short. `stuck`
   * says the body reader could not use what is buffered; otherwise buffered bytes are still to be read.
   */
  private checkBodyEnd(stuck: boolean): void {
    const peer = this.open?.peer;
    const body = this.response?.body;
    if (!peer || !body || (!stuck && this.buffer.length > 0)) return;
    const s = peer.getStatus();
    if (s === PeerStatus.CONNECTED || s === PeerStatus.CONNECTING || peer.getAvailableBytes() > 0) return;
    if (s === PeerStatus.NONE && this.buffer.length === 0 && body.endsAtClose()) this.finishResponse();
    else this.fail(this.ended('body'));
  }

  /**
   * The response is complete. The connection stays for the next request only when it may be reused and holds nothing
   * more: bytes past the response came before any next request, so they cannot answer it (RFC 9112 §9.3).
   */
  private finishResponse(): void {
    const response = this.response!;
    response.body = null;
    if (response.plan.keepAlive && !this.receivedUnasked()) this.move('complete');
    else {
      this.dropTransport();
      this.move('closed');
    }
  }

  /** Move up to `max` bytes from the transport into the receive buffer; false when none came. */
  private pull(max: number): boolean {
    return this.buffer.fill(this.read, max);
  }

  /** A read from the transport (its bytes are lent until its next read; the receive buffer keeps what it holds). */
  private readonly read = (max: number): Uint8Array => this.open!.peer.getPartialData(max);

  /** {@link pull} of one read chunk, made once (it runs on every poll while a head is due). */
  private readonly pullChunk = (): boolean => this.pull(this.settings.readChunkSize);

  /** Drop the connection into a failure status, keeping the reason (and the TLS layer's, if it had one). */
  private fail(failure: ConnectionFailure): void {
    const tls = failure.code === 'tls-handshake' ? failure.detail : (this.open?.tls?.getTlsError() ?? null);
    if (tls) this.keptTlsError = tls;
    this.lastFailure = failure;
    this.dropTransport();
    this.request = null;
    if (this.response) this.response.body = null;
    this.status = nextStatus(this.status, failureEvent(failure));
  }

  private dropTransport(): void {
    this.landingLeft = 0;
    this.dialer?.abort();
    this.dialer = null;
    const open = this.open;
    this.open = null;
    this.buffer.clear();
    if (open) closeQuietly(open.peer);
  }
}

function isLineEnd(c: number): boolean {
  return c === CR || c === LF;
}
