// StreamPeerTLS: the TLS client engine over any StreamPeer, shaped like Godot's StreamPeerTLS. Each poll() moves
// bytes between the inner peer and the engine and lets the engine do at most one expensive handshake step. Received
// records are decrypted as they arrive, in small units inside a declared share of real time, and otherwise when they
// are read, so the reader's own budget bounds the AEAD work a frame does.

import { NO_BYTES } from '../net/chunk-queue.js';
import { PeerStatus, type StreamPeer } from '../net/stream-peer.js';
import type { CryptoProvider, GroupName } from './crypto/provider.js';
import { pureCrypto } from './crypto/pure.js';
import { TlsClientEngine } from './engine.js';
import type { KeyShareAhead } from './key-share-ahead.js';
import { ArrivalAllowance } from './arrival-allowance.js';
import { MAX_PLAINTEXT } from './record-layer.js';
import type { ChainCheck, NegotiatedParameters } from './handshake-context.js';
import type { TlsVersionName } from './suites.js';
import type { TlsFailure } from './tls-failure.js';
import { checkTlsLimits, DEFAULT_TLS_LIMITS } from './tls-limits.js';
import type { Certificate } from './x509/certificate.js';
import { createChainVerification } from './x509/path.js';

/** Options of {@link StreamPeerTLS}. The caller supplies what the runtime provides; nothing is taken from a global. */
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
  /** Trusted roots (DER); required when verifying. */
  roots?: Uint8Array[];
  /** Default: the pure JavaScript provider. */
  crypto?: CryptoProvider;
  /** Secure random bytes; required (without them the connection refuses to start). */
  randomBytes?: (n: number) => Uint8Array;
  /** Wall clock for certificate validity; default: the system's. */
  now?: () => Date;
  /**
   * Milliseconds the handshake may take before the connection fails with "TLS handshake timed out after N ms (the
   * server stopped answering)" (default 30 000; 0 disables). A server that accepts the connection and then falls
   * silent would otherwise keep it CONNECTING forever. Measured with {@link clock}; without one the handshake has no
   * deadline.
   */
  handshakeTimeoutMs?: number;
  /** Monotonic milliseconds for {@link handshakeTimeoutMs}. */
  clock?: () => number;
  /** Largest handshake message accepted, in bytes (default 256 KiB: certificate chains can be large). */
  maxHandshakeMessageSize?: number;
  /** Most certificates in a verified path, leaf and trust anchor included (default 10); longer paths fail. */
  maxChainLength?: number;
  /** Refuse TLS 1.2 servers without the extended master secret (RFC 7627); default false. */
  requireExtendedMasterSecret?: boolean;
  /**
   * Received bytes held for the reader (records not yet decrypted, partial handshake messages, decrypted data not
   * yet read; default 4 MiB, what a 60 Hz frame needs for 250 MB/s). During the handshake poll() stops reading the
   * inner peer past it; once connected the inner peer is read a record at a time as a poll, a read or an arrival
   * needs one, and decrypting on arrival stops at it, so a slow reader leaves the bytes in the inner peer (which
   * pushes back on the server) instead of growing memory here. One read from the inner peer may pass it (at most a
   * record and the next header, about 18 KiB), so any positive value makes progress.
   */
  maxBufferedInput?: number;
  /**
   * Share of real time (0 to 1, default 0.25) this connection may spend decrypting records as they arrive: in the
   * inner peer's {@link StreamPeer.watch} callback, between the game's frames, as Node's own TLS sockets do, so a
   * frame's read mostly moves bytes already decrypted. Each callback opens at most 8 records, only while fewer than
   * {@link maxBufferedInput} decrypted bytes wait, and only while this connection's time on it (measured with
   * {@link clock}) stays within the share, in bursts of at most 1 ms (a record whose time includes a pause, such as a
   * garbage collection, leaves a debt of at most one burst); with {@link runLater}, the work goes on while whole
   * records wait and no arrival comes. Records, alerts and KeyUpdates are processed
   * in order either way, and no plaintext is released before its record's tag is checked. 0, no clock, or an inner
   * peer that cannot be watched: records are decrypted only when read. Ignored when {@link arrivalAllowance} is given.
   */
  arrivalShare?: number;
  /**
   * An allowance shared with other connections, in place of one of this connection's own made from
   * {@link arrivalShare} and {@link clock}: the arrival work of all connections given it stays within its one share
   * (they run on one thread, whose time the share is of). null: none, records are decrypted only when read.
   */
  arrivalAllowance?: ArrivalAllowance | null;
  /**
   * Run a callback once, about `ms` milliseconds later, from the runtime's event loop (Platform.runLater). With it,
   * decrypting on arrival goes on within the share when arrivals stop while whole records wait (the inner peer
   * paused with its buffer full, or a burst that ended for time), instead of waiting for the reader.
   */
  runLater?: (callback: () => void, ms: number) => void;
  /** ALPN protocols to offer (default ['http/1.1']). */
  alpn?: string[];
  /** Restrict versions, suites (by name, in order) or groups (first gets the key share); mostly for tests. */
  versions?: TlsVersionName[];
  suites?: string[];
  groups?: GroupName[];
  /** Asked before each unit of handshake work; false defers it to a later poll (see TlsEngineConfig.workGate). */
  workGate?: () => boolean;
  /** The ClientHello's key share, when one is being made ahead (see TlsEngineConfig.keyShare). */
  keyShare?: KeyShareAhead;
}

/** Default of {@link TlsClientOptions.maxBufferedInput}. */
export const DEFAULT_MAX_BUFFERED_INPUT = DEFAULT_TLS_LIMITS.maxBufferedInput;
/** Encrypted bytes buffered towards the inner peer before putPartialData accepts less. */
const MAX_BUFFERED_OUTPUT = 1 << 20;
/** Largest single read from the inner peer during the handshake. */
const READ_CHUNK = 1 << 16;
/** TLS record header length. */
const RECORD_HEADER = 5;
/**
 * Most records one arrival callback opens (128 KiB of data), and most one read opens looking for data past records
 * that carry none (tickets, KeyUpdates, empty records): a small unit whatever the provider.
 */
export const RECORDS_PER_UNIT = 8;
/**
 * Received bytes the inner peer is asked to hold at most (StreamPeer.holdAtMost): records are taken from it as fast as
 * decrypting goes, which the arrival share and the reader's budget bound well below a plain reader's pace, so more
 * held there would only be copied between frames into memory touched for the first time, long before it is needed.
 * What the server sends beyond it waits in the runtime's own buffers. 128 records: more than a tick's reads decrypt
 * in their 3 ms, so a tick does not run out of records while the server has sent more.
 */
const INNER_HOLD = 2 << 20;
/** Most units of records one later run of arrival work opens (see {@link TlsClientOptions.runLater}). */
const UNITS_PER_LATER_RUN = 4;
/**
 * How far ahead of the landed data arrival work touches the landing target's memory (what a frame's reads may land:
 * the decrypted bytes a reader may find waiting), and how much one call touches. Memory that was never written costs
 * far more to write the first time (each page is a trip into the kernel, at times a long one); touched ahead, it
 * costs the tick's copy nothing extra.
 */
const TOUCH_AHEAD = DEFAULT_TLS_LIMITS.maxBufferedInput;
const TOUCH_PER_CALL = 256 * 1024;
/** One write per page of this size (or smaller) touches every page of a range. */
const PAGE = 4096;

/** Why a unit of arrival work stopped: its record count, the time allowance, the decrypted-bytes cap, or no record. */
type ArrivalStop = 'unit' | 'time' | 'full' | 'idle';

/**
 * A TLS client connection over another StreamPeer. getStatus() is CONNECTING during the handshake, CONNECTED
 * afterwards, ERROR on any failure (reason in {@link getTlsError}) and NONE after a clean close.
 *
 * Received records are decrypted as they arrive, within {@link TlsClientOptions.arrivalShare} of real time and
 * {@link TlsClientOptions.maxBufferedInput} decrypted bytes, and otherwise lazily: poll() keeps at most one data
 * record decrypted ahead, and each {@link getPartialData} decrypts at most one more. Once connected, the inner peer is
 * read only as far as that needs (a whole record waiting), so received bytes stay where the transport put them until
 * then. Records are processed in order, so an alert, KeyUpdate or close_notify behind unread data takes effect once
 * the data before it has been decrypted (with nothing unread, at the next poll or arrival).
 *
 * Data that arrived before a failure or a close stays readable: the status turns ERROR or NONE once it has been
 * read. A transport that ends without close_notify is an ERROR ("... without close_notify: the data may be
 * truncated"), so a truncation attack is never mistaken for the end of the data; protocols that delimit their own
 * messages (HTTP with Content-Length or chunked) may already hold everything they need at that point, and
 * {@link closedWithoutCloseNotify} tells that case apart from every other failure.
 *
 * The constructor throws for configuration mistakes (no host name, no random source, no roots while verifying, a
 * limit that is not a positive integer, a negative or non-finite handshake timeout); nothing is sent in that case.
 */
export class StreamPeerTLS implements StreamPeer {
  private readonly engine: TlsClientEngine;
  private pendingOut: Uint8Array | null = null;
  private closedByCaller = false;
  private innerClosed = false;
  /** The inner peer's status when it ended (NONE: orderly close, ERROR: reset or failure); null while it lasts. */
  private innerEnd: number | null = null;
  private readonly maxBufferedInput: number;
  private readonly handshakeTimeoutMs: number;
  /** The clock the handshake deadline is measured with; null when no deadline applies. */
  private readonly clock: (() => number) | null;
  private readonly handshakeDeadline: number;
  /** The caller's watcher ({@link watch}), called after each arrival's own work. */
  private outerWake: (() => void) | null = null;
  /** Whether the inner peer calls {@link arrived} when bytes arrive. */
  private readonly innerWatches: boolean;
  /** The time arrival work may take (null: records are decrypted only when read). */
  private readonly allowance: ArrivalAllowance | null;
  /**
   * Where decrypted data goes while it lands (see {@link landInto}), how far it is filled, and how far its memory
   * has been touched ahead (see {@link touchAhead}).
   */
  private landing: { target: Uint8Array; at: number; touched: number } | null = null;
  /** Data decrypted before the landing began and not yet read: reads return it before anything lands. */
  private heldLeft = 0;
  /** Bytes landed and not yet reported by takeLanded(). */
  private landed = 0;
  private readonly runLater: ((callback: () => void, ms: number) => void) | null;
  /** Whether a later run of arrival work is due. */
  private laterRunDue = false;

  constructor(
    private readonly inner: StreamPeer,
    options: TlsClientOptions,
  ) {
    const need = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new Error(`StreamPeerTLS: no ${what} given`);
      return value;
    };
    const limits = checkTlsLimits(options);
    if (typeof limits === 'string') throw new Error(`StreamPeerTLS: ${limits}`);
    this.maxBufferedInput = limits.maxBufferedInput;
    const timeout = limits.handshakeTimeoutMs;
    this.handshakeTimeoutMs = timeout;
    this.clock = timeout > 0 ? (options.clock ?? null) : null;
    this.handshakeDeadline = this.clock ? this.clock() + timeout : Infinity;
    this.allowance = options.arrivalAllowance !== undefined ? options.arrivalAllowance
      : options.clock && limits.arrivalShare > 0 ? new ArrivalAllowance(limits.arrivalShare, options.clock) : null;
    this.runLater = options.runLater ?? null;
    const randomBytes = need(options.randomBytes, 'random source');
    const crypto = options.crypto ?? pureCrypto;
    let verifyChain: ((chain: Uint8Array[], leaf: Certificate) => ChainCheck) | null = null;
    if (options.verify ?? true) {
      const roots = need(options.roots, 'trusted roots');
      const now = options.now ?? (() => new Date());
      const hostname = options.verifyName ?? options.hostname;
      const { maxChainLength } = limits;
      verifyChain = (chain, leaf) => createChainVerification(chain, { hostname, roots, now: now(), crypto, maxChainLength }, leaf);
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
      maxHandshakeMessageSize: limits.maxHandshakeMessageSize,
      requireExtendedMasterSecret: options.requireExtendedMasterSecret,
      workGate: options.workGate,
      keyShare: options.keyShare,
    });
    this.innerWatches = inner.watch?.(this.arrived) ?? false;
    inner.holdAtMost?.(INNER_HOLD);
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

  /** Why the connection failed, for people (derived from {@link getTlsFailure}); null while nothing went wrong. */
  getTlsError(): string | null {
    return this.engine.error;
  }

  /** Why the connection failed, as a value scripts can branch on (its `code`); null while nothing went wrong. */
  getTlsFailure(): TlsFailure | null {
    return this.engine.failure;
  }

  /**
   * True when the connection reports ERROR only because the inner peer closed in an orderly way (NONE, not a
   * reset) after the handshake, at a record boundary, with no close_notify, and nothing else failed (no bad record,
   * alert or decode error). A caller that knows no data was due (an idle kept-alive HTTP connection) may take that
   * as a plain close; data in progress may have been truncated.
   */
  closedWithoutCloseNotify(): boolean {
    return this.innerEnd === PeerStatus.NONE && this.engine.closedWithoutCloseNotify;
  }

  /**
   * Received bytes this connection holds for the reader: records not yet decrypted, partial handshake messages and
   * decrypted data not yet read (bounded by {@link TlsClientOptions.maxBufferedInput}, see there).
   */
  getBufferedBytes(): number {
    return this.engine.bufferedInput;
  }

  /** Version, suite, group and ALPN protocol once the handshake completed; null before. */
  getNegotiated(): NegotiatedParameters | null {
    const n = this.engine.negotiated;
    return n && this.engine.status !== 'handshaking' ? { ...n } : null;
  }

  /**
   * Move bytes both ways and advance the handshake by at most one expensive step. Once connected, at most one
   * application-data record is decrypted here (when none is decrypted yet); reads decrypt the rest.
   */
  poll(): void {
    if (this.closedByCaller) return;
    this.inner.poll?.();
    this.receive();
    this.engine.pump();
    this.enforceHandshakeDeadline();
    this.settle();
  }

  /**
   * Decrypted bytes ready to read. When none is decrypted yet but a whole record has been received, that record
   * (and any alert, ticket or KeyUpdate before it) is processed first, so the answer is never 0 while data waits;
   * more may become readable as reads decrypt further records.
   */
  getAvailableBytes(): number {
    if (this.landing) return this.heldLeft;
    if (this.engine.availableBytes === 0) {
      this.decryptSome();
      this.settle();
    }
    return this.engine.availableBytes;
  }

  /**
   * Read up to `max` bytes from one record, decrypting the next received record first when nothing decrypted waits:
   * a view of the record, never a copy, so a read returns at most one record's data (16 KiB) and the caller reads
   * again for more. Each read opens at most one record with data (after at most {@link RECORDS_PER_UNIT} without),
   * so the reader decides how much AEAD work a frame does.
   */
  getPartialData(max: number): Uint8Array {
    if (this.landing) return this.readWhileLanding(max);
    if (this.engine.availableBytes === 0) this.decryptSome();
    const data = this.engine.readApplicationDataView(max);
    this.settle();
    return data;
  }

  /**
   * The data of the records opened from now on goes into `target` until it is full, copied as each record is opened
   * (on arrival, or by a read); data decrypted before stays for reads. Only once connected.
   */
  landInto(target: Uint8Array): boolean {
    if (this.closedByCaller || this.engine.status !== 'connected' || target.length === 0) return false;
    this.landing = { target, at: 0, touched: 0 };
    this.heldLeft = this.engine.availableBytes;
    return true;
  }

  takeLanded(): number {
    this.moveLanded();
    const n = this.landed;
    this.landed = 0;
    return n;
  }

  /**
   * A read while landing: the data decrypted before the landing first; after it, the read opens records (as a read
   * does) whose data lands, and returns nothing.
   */
  private readWhileLanding(max: number): Uint8Array {
    let data = NO_BYTES;
    if (this.heldLeft > 0) {
      data = this.engine.readApplicationDataView(Math.min(max, this.heldLeft));
      this.heldLeft -= data.length;
    } else {
      this.decryptSome();
      this.moveLanded();
    }
    this.settle();
    return data;
  }

  /**
   * Copy decrypted data into the landing target once the data held before it has been read: at most
   * {@link RECORDS_PER_UNIT} records' worth per call, so a backlog decrypted while the held data waited is moved over
   * several calls, each a small unit like a read.
   */
  private moveLanded(): void {
    const landing = this.landing;
    if (!landing || this.heldLeft > 0) return;
    const { target } = landing;
    const end = Math.min(target.length, landing.at + RECORDS_PER_UNIT * MAX_PLAINTEXT);
    while (landing.at < end && this.engine.availableBytes > 0) {
      const data = this.engine.readApplicationDataView(end - landing.at);
      target.set(data, landing.at);
      landing.at += data.length;
      this.landed += data.length;
    }
    if (landing.at === target.length) this.landing = null;
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

  /**
   * Called after the inner peer's events (this connection's own arrival work done first): once connected with
   * nothing held, only bytes arriving or the inner peer ending give a poll work. Refused while a poll still has
   * something to do: records to send, a whole record to process or decrypted bytes to read, bytes of the inner peer
   * not yet taken in.
   */
  watch(wake: (() => void) | null): boolean {
    const engine = this.engine;
    const busy = engine.status !== 'connected' || this.pendingOut !== null || engine.pendingOutput > 0
      || engine.hasPendingWork || engine.hasWholeRecord || engine.availableBytes > 0 || this.inner.getAvailableBytes() > 0;
    this.outerWake = wake;
    return this.innerWatches && !(wake && busy);
  }

  /** Send close_notify (best effort) and close the inner peer. */
  disconnectFromHost(): void {
    if (this.closedByCaller) return;
    this.engine.close();
    this.flush();
    this.closedByCaller = true;
    this.outerWake = null;
    this.landing = null;
    if (this.innerWatches) this.inner.watch!(null);
    if (!this.innerClosed) this.inner.disconnectFromHost();
    this.innerClosed = true;
  }

  /**
   * The inner peer's watcher, called from its own events (bytes arrived, an end, room to write): once connected,
   * decrypt a few of the records that arrived (see {@link TlsClientOptions.arrivalShare}), then tell the caller's
   * watcher. What the engine has to send or a failure is left to the next poll, which the caller's watcher brings
   * about; nothing here writes to or closes the inner peer from inside its own callback.
   */
  private readonly arrived = (): void => {
    this.arrivalWork(1);
    this.outerWake?.();
  };

  /** A later run of arrival work (see {@link TlsClientOptions.runLater}): a few units, as the allowance has grown. */
  private readonly arrivedLater = (): void => {
    this.laterRunDue = false;
    this.arrivalWork(UNITS_PER_LATER_RUN);
    this.outerWake?.();
  };

  /**
   * Up to `units` units of arrival work, each followed by landing what it opened, all timed against the allowance
   * (see {@link ArrivalAllowance}). When the work stopped with whole records still waiting (for the unit's size or
   * for time), a later run is asked for, at once or when the allowance holds a burst again: the inner peer may not
   * call again soon (paused with its buffer full).
   */
  private arrivalWork(units: number): void {
    const allowance = this.allowance;
    if (!allowance || this.closedByCaller || this.engine.status !== 'connected') return this.moveLanded();
    allowance.topUp();
    this.touchAhead(allowance);
    let stop: ArrivalStop = 'unit';
    for (let u = 0; u < units && stop === 'unit'; u++) {
      stop = this.decryptArrived(allowance);
      allowance.spend(() => this.moveLanded());
    }
    if ((stop === 'unit' || stop === 'time') && this.runLater && !this.laterRunDue) {
      this.laterRunDue = true;
      this.runLater(this.arrivedLater, stop === 'unit' ? 0 : allowance.msUntilBurst());
    }
  }

  /**
   * Write into the landing target's memory ahead of the landed data (up to {@link TOUCH_AHEAD}, at most
   * {@link TOUCH_PER_CALL} per call, while the arrival allowance lasts), so a tick's read that lands a record copies
   * into memory already taken. The bytes written are zeros where no data has landed yet: what is there already.
   */
  private touchAhead(allowance: ArrivalAllowance): void {
    const landing = this.landing;
    if (!landing || !allowance.allows) return;
    const { target } = landing;
    const from = Math.max(landing.touched, landing.at);
    const to = Math.min(target.length, landing.at + TOUCH_AHEAD, from + TOUCH_PER_CALL);
    if (to <= from) return;
    allowance.spend(() => {
      for (let i = from; i < to; i += PAGE) target[i] = 0;
    });
    landing.touched = to;
  }

  /**
   * Open at most {@link RECORDS_PER_UNIT} whole records, each only while fewer than {@link maxBufferedInput}
   * decrypted bytes wait and the arrival time allowance is not spent (each record's measured time is taken from it).
   */
  private decryptArrived(allowance: ArrivalAllowance): ArrivalStop {
    const engine = this.engine;
    for (let n = 0; n < RECORDS_PER_UNIT; n++) {
      if (engine.availableBytes >= this.maxBufferedInput) return 'full';
      this.receive();
      if (engine.status !== 'connected' || !engine.hasWholeRecord) return 'idle';
      if (!allowance.allows) return 'time';
      allowance.spend(() => engine.openNextRecord());
    }
    return 'unit';
  }

  /**
   * What a read does when nothing decrypted waits: take records from the inner peer and decrypt them until some
   * data is readable, no whole record can be had, or {@link RECORDS_PER_UNIT} records carried none.
   */
  private decryptSome(): void {
    const engine = this.engine;
    for (let n = 0; n < RECORDS_PER_UNIT && engine.availableBytes === 0 && engine.status === 'connected'; n++) {
      this.receive();
      if (!engine.hasWholeRecord) return;
      engine.decrypt(1);
    }
  }

  /**
   * Feed the engine from the inner peer. During the handshake: what the inner peer holds, until the engine holds
   * {@link maxBufferedInput} bytes and can make progress. Once connected: only until a whole record waits, so a poll,
   * a read or an arrival copies at most a record (and the next header) out of the inner peer, and received bytes
   * wait where the transport put them until one of those needs them. At the inner peer's end, the engine is told.
   */
  private receive(): void {
    const engine = this.engine;
    while (engine.status === 'handshaking' || engine.status === 'connected') {
      if (engine.status === 'connected' ? engine.hasWholeRecord
        : engine.bufferedInput >= this.maxBufferedInput && (engine.hasWholeRecord || engine.availableBytes > 0)) break;
      const n = this.inner.getAvailableBytes();
      if (n <= 0) break;
      // Once connected, each read ends where a record (and the next header) ends.
      const want = engine.status === 'connected' ? engine.missingRecordBytes + RECORD_HEADER : READ_CHUNK;
      const chunk = this.inner.getPartialData(Math.min(n, want));
      if (chunk.length === 0) break;
      // The engine copies what it is fed: the inner peer's bytes are valid only until its next read.
      engine.feed(chunk);
    }
    if (this.inner.getAvailableBytes() === 0) this.noteInnerEnd();
  }

  /** Every byte of the inner peer has been taken in: if it has ended, the engine learns so. */
  private noteInnerEnd(): void {
    const status = this.inner.getStatus();
    if (status !== PeerStatus.NONE && status !== PeerStatus.ERROR) return;
    this.innerEnd ??= status;
    this.engine.transportClosed({ how: status === PeerStatus.ERROR ? 'failed' : 'closed' });
  }

  /**
   * Fail a handshake whose deadline passed while nothing the server sent waits to be processed: the transport is
   * given up as if it had ended, so the engine fails without sending anything and settle() closes the inner peer.
   */
  private enforceHandshakeDeadline(): void {
    const engine = this.engine;
    if (!this.clock || engine.status !== 'handshaking' || engine.hasPendingWork || engine.hasWholeRecord) return;
    if (this.clock() < this.handshakeDeadline) return;
    engine.transportClosed({ how: 'timeout', ms: this.handshakeTimeoutMs });
  }

  /**
   * After the engine worked: send what it has to say (a close_notify or KeyUpdate answer, a fatal alert) at once, and
   * close the inner peer once the connection has failed, since nothing more can be said on it.
   */
  private settle(): void {
    if (this.closedByCaller) return;
    if (this.engine.pendingOutput > 0 || this.pendingOut) this.flush();
    if (this.engine.status === 'failed' && !this.innerClosed) {
      this.innerClosed = true;
      this.inner.disconnectFromHost();
    }
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
