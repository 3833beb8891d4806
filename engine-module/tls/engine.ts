// The sans-I/O TLS client: bytes in (feed), bytes out (takeOutput), application data both ways, and state getters.
// No sockets, no timers, no globals; randomness and verification come from the configuration. Work is resumable:
// each pump() does at most one expensive asymmetric operation, so a caller can spread a handshake over frames, and
// application data is decrypted only as far as the reader asks, so the reader decides how much AEAD work a frame does.

import { DecodeError } from '../bytes/byte-reader.js';
import { ChunkQueue, NO_BYTES } from '../net/chunk-queue.js';
import type { CryptoProvider, GroupName } from './crypto/provider.js';
import type { KeyShareAhead } from './key-share-ahead.js';
import { AlertDescription } from './alerts.js';
import type { Extension } from './extensions.js';
import { startHandshake } from './handshake-start.js';
import type { ChainCheck, HandshakeContext, HandshakeState, NegotiatedParameters } from './handshake-context.js';
import { ALERT_FATAL, ALERT_WARNING, makeAlert, parseAlert } from './messages/alert.js';
import type { HandshakeMessage } from './messages/handshake.js';
import { ContentType, RecordLayer, type PlainRecord, type RecordProtection } from './record-layer.js';
import { DEFAULT_GROUPS, orderSuites, SIGNATURE_SCHEMES, type TlsVersionName } from './suites.js';
import { checkTlsLimits } from './tls-limits.js';
import { Transcript } from './transcript.js';
import type { Certificate } from './x509/certificate.js';
import { parseBoundedCertificate } from './x509/path.js';
import { keyCostProblem } from './x509/certificate-checks.js';
import {
  describeTlsFailure,
  tlsError,
  TlsError,
  tlsFailureAlert,
  unexpected,
  type TlsFailure,
  type TransportEnd,
} from './tls-failure.js';
import { parseIpAddress } from './x509/names.js';

/** Everything the engine needs; nothing is taken from the environment. */
export interface TlsEngineConfig {
  /** The server's name: sent as SNI unless it is an IP literal. */
  hostname: string;
  crypto: CryptoProvider;
  /** A cryptographically secure random source. */
  randomBytes: (n: number) => Uint8Array;
  /**
   * Starts validating the server's chain (leaf first); null disables certificate verification (unsafe: anyone on
   * the path can impersonate the server). The server's signatures are checked against its leaf key either way.
   */
  verifyChain: ((chain: Uint8Array[], leaf: Certificate) => ChainCheck) | null;
  /** Versions to offer (default both, 1.3 preferred). */
  versions?: readonly TlsVersionName[];
  /** Suite names to offer, in this order (default: all, ordered by the provider's AEAD preference). */
  suites?: readonly string[];
  /** Groups to offer; the first gets the initial key share (default x25519, secp256r1, secp384r1). */
  groups?: readonly GroupName[];
  /** ALPN protocols (default ['http/1.1']; empty sends no ALPN). */
  alpn?: readonly string[];
  /** Largest handshake message accepted (default 256 KiB: certificate chains can be large). */
  maxHandshakeMessageSize?: number;
  /**
   * Refuse TLS 1.2 servers that do not support the extended master secret (RFC 7627). Default false: this client
   * neither resumes nor renegotiates, so the attack it prevents does not apply (rustls and BoringSSL agree).
   */
  requireExtendedMasterSecret?: boolean;
  /** Rewrites the ClientHello extension list before sending (for reproducing reference traces). */
  customizeClientHelloExtensions?: (extensions: Extension[]) => Extension[];
  /**
   * Asked before each unit of handshake work (a key share, a key exchange, the key schedule, the leaf's parse, a
   * signature check) and, during the handshake, before a pump handles received handshake messages (a Finished
   * derives the traffic keys); false leaves the work for a later pump, which {@link TlsClientEngine.hasPendingWork}
   * reports. A caller running many handshakes in one frame spreads their units over frames with it. Default: always
   * run.
   */
  workGate?: () => boolean;
  /** The ClientHello's key share, when one is being made ahead ({@link KeyShareAhead}); else the first unit makes it. */
  keyShare?: KeyShareAhead;
}

/** Where the connection stands. `closed` means a close_notify went or came; decrypted data may remain to be read. */
export type TlsEngineStatus = 'handshaking' | 'connected' | 'closed' | 'failed';


/** True for IPv4/IPv6 literals, which must not be sent as SNI (RFC 6066 §3). */
function isIpLiteral(host: string): boolean {
  return parseIpAddress(host) !== null;
}

/**
 * A TLS 1.2/1.3 client connection as a pure state machine. Configuration mistakes throw from the constructor;
 * everything the network does afterwards ends, at worst, in status `failed` with a readable {@link error}.
 */
export class TlsClientEngine {
  private readonly records = new RecordLayer();
  private readonly handshakeBytes = new ChunkQueue();
  private readonly plaintext = new ChunkQueue();
  private readonly output: Uint8Array[] = [];
  private readonly ctx: HandshakeContext;
  private readonly maxHandshake: number;
  private readonly workGate: () => boolean;
  private state: HandshakeState;
  private currentStatus: TlsEngineStatus = 'handshaking';
  private failed: TlsFailure | null = null;
  /** A HelloRequest was answered with no_renegotiation (the server's next fatal alert is likely about that). */
  private declinedRenegotiation = false;
  private outputBytes = 0;
  /** How the transport ended, once it did; applied when every whole record received before the end is processed. */
  private transportEnd: TransportEnd | null = null;
  private endedWithoutCloseNotify = false;

  constructor(config: TlsEngineConfig) {
    if (typeof config.randomBytes !== 'function') throw new Error('TLS: no secure random source configured');
    if (!config.hostname) throw new Error('TLS: a server host name is required');
    const versions = config.versions ?? ['TLSv1.3', 'TLSv1.2'];
    const suites = config.suites
      ? config.suites.map((name) => {
          const s = orderSuites(config.crypto.aeadPreference, versions).find((x) => x.name === name);
          if (!s) throw new Error(`TLS: unknown cipher suite or not usable with the offered versions: ${name}`);
          return s;
        })
      : orderSuites(config.crypto.aeadPreference, versions);
    const groups = config.groups ?? DEFAULT_GROUPS;
    if (versions.length === 0 || suites.length === 0 || groups.length === 0) {
      throw new Error('TLS: at least one version, cipher suite and group must be offered');
    }
    const limits = checkTlsLimits({ maxHandshakeMessageSize: config.maxHandshakeMessageSize });
    if (typeof limits === 'string') throw new Error(`TLS: ${limits}`);
    this.maxHandshake = limits.maxHandshakeMessageSize;
    this.workGate = config.workGate ?? (() => true);
    const engine = this;
    const verifyChain = config.verifyChain;
    this.ctx = {
      crypto: config.crypto,
      random: config.randomBytes,
      keyShareAhead: config.keyShare ?? null,
      offer: {
        versions,
        suites,
        groups,
        schemes: SIGNATURE_SCHEMES,
        alpn: config.alpn ?? ['http/1.1'],
        serverName: isIpLiteral(config.hostname) ? null : config.hostname,
        requireExtendedMasterSecret: config.requireExtendedMasterSecret ?? false,
        customizeExtensions: config.customizeClientHelloExtensions,
      },
      transcript: new Transcript(config.crypto),
      negotiated: null,
      serverCertificate(chain) {
        const leaf = serverLeaf(chain[0]);
        return { key: leaf.publicKey!, check: verifyChain ? verifyChain(chain, leaf) : { step: () => ({ ok: true }) } };
      },
      sendHandshake(message, addToTranscript = true) {
        if (addToTranscript) this.transcript.add(message);
        engine.emit(ContentType.handshake, message);
      },
      sendChangeCipherSpec: () => this.emit(ContentType.change_cipher_spec, Uint8Array.of(1)),
      sendWarning: (description) => {
        if (description === AlertDescription.no_renegotiation) this.declinedRenegotiation = true;
        this.emit(ContentType.alert, makeAlert(ALERT_WARNING, description));
      },
      setReadProtection: (p: RecordProtection) => {
        // Keys change only at message boundaries (RFC 8446 §5.1): leftover bytes would be read with the wrong key.
        if (this.handshakeBytes.length > 0) {
          throw tlsError('unexpected-message', 'handshake message spans a key change');
        }
        this.records.setReadProtection(p);
      },
      setWriteProtection: (p: RecordProtection) => this.records.setWriteProtection(p),
    };
    this.state = startHandshake(this.ctx);
  }

  /** Current status. */
  get status(): TlsEngineStatus {
    return this.currentStatus;
  }

  /** Why the connection failed, for people (derived from {@link failure}); null unless status is `failed`. */
  get error(): string | null {
    return this.failed && describeTlsFailure(this.failed);
  }

  /** Why the connection failed, as a value; null unless status is `failed`. */
  get failure(): TlsFailure | null {
    return this.failed;
  }

  /** What the handshake agreed on, once known (complete when status is `connected`). */
  get negotiated(): NegotiatedParameters | null {
    return this.currentStatus === 'handshaking' ? null : this.ctx.negotiated;
  }

  /**
   * True when pump() has handshake work to do even without new input: a unit of computation, or received handshake
   * messages and records that wait because the last pump() did a unit of work.
   */
  get hasPendingWork(): boolean {
    if (this.currentStatus !== 'handshaking') return false;
    return this.state.work !== undefined || this.records.hasWholeRecord || this.hasWholeHandshakeMessage();
  }

  /** Decrypted application data waiting to be read (records still encrypted are not counted; see {@link decrypt}). */
  get availableBytes(): number {
    return this.plaintext.length;
  }

  /**
   * Received bytes held: records not yet processed, partial handshake messages and decrypted data not yet read.
   * Nothing bounds it here: the caller stops feeding past its limit.
   */
  get bufferedInput(): number {
    return this.records.buffered + this.handshakeBytes.length + this.plaintext.length;
  }

  /** True when a whole received record waits to be processed. */
  get hasWholeRecord(): boolean {
    return this.records.hasWholeRecord;
  }

  /**
   * True when the connection failed only because the transport ended after the handshake, at a record boundary,
   * without a close_notify: nothing was malformed, forged or refused. Whether that end was orderly is the
   * transport's to say.
   */
  get closedWithoutCloseNotify(): boolean {
    return this.endedWithoutCloseNotify;
  }

  /** Encrypted bytes waiting in {@link takeOutput}. */
  get pendingOutput(): number {
    return this.outputBytes;
  }

  /** Bytes the record being received still lacks (see {@link RecordLayer.missingBytes}). */
  get missingRecordBytes(): number {
    return this.records.missingBytes;
  }

  /** Bytes received from the server, copied (the caller may reuse its array at once); processed in {@link pump}. */
  feed(data: Uint8Array): void {
    if (this.currentStatus === 'failed') return;
    this.records.feed(data);
  }

  /**
   * Advance: process received records and run at most one unit of expensive handshake work. Once connected, records
   * are processed only until some decrypted application data waits (one record's worth at most), so alerts, tickets
   * and KeyUpdates that arrive while nothing is unread take effect here; the rest waits for {@link decrypt}. Never
   * throws for anything the server sent.
   */
  pump(): void {
    this.run(1);
  }

  /**
   * Once connected, process whole received records (decrypting them, following alerts, tickets and KeyUpdates on
   * the way) until at least `upTo` decrypted bytes wait or no whole record is left; at least one record when any
   * is there and fewer than `upTo` bytes wait. Does nothing during the handshake, whose work belongs to
   * {@link pump}. Never throws for anything the server sent.
   */
  decrypt(upTo: number): void {
    if (this.currentStatus === 'connected') this.run(upTo);
  }

  /**
   * Once connected, process the next whole received record, whatever is already decrypted (with an alert, ticket
   * or KeyUpdate in it taking effect at once, in record order): the unit of decrypting records as they arrive.
   * Does nothing during the handshake or when no whole record waits. Never throws for anything the server sent.
   */
  openNextRecord(): void {
    if (this.currentStatus === 'connected' && this.records.hasWholeRecord) this.run(Infinity, 1);
  }

  /** Everything to send to the server, joined; null when there is nothing. */
  takeOutput(): Uint8Array | null {
    if (this.output.length === 0) return null;
    const out = this.output.length === 1 ? this.output[0] : this.joinOutput();
    this.output.length = 0;
    this.outputBytes = 0;
    return out;
  }

  // A loop rather than concatBytes(...parts): a large write queues one record per 16 KiB, more than a spread call
  // may carry as arguments.
  private joinOutput(): Uint8Array {
    const out = new Uint8Array(this.outputBytes);
    let at = 0;
    for (const part of this.output) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /**
   * Read up to `max` bytes of application data, decrypting received records as needed ({@link decrypt}): a view
   * when it lies in one record.
   */
  readApplicationData(max: number): Uint8Array {
    const n = Math.max(0, Math.floor(max));
    if (n > 0) this.decrypt(n);
    return this.plaintext.readJoined(n);
  }

  /**
   * Read up to `max` bytes of application data from one record only, decrypting the next record first when nothing
   * decrypted waits: always a view, never a copy, so it may return less than `max` while more has been received.
   */
  readApplicationDataView(max: number): Uint8Array {
    const n = Math.max(0, Math.floor(max));
    if (n === 0) return NO_BYTES;
    if (this.plaintext.length === 0) this.decrypt(1);
    return this.plaintext.read(n);
  }

  /** Encrypt application data into records of up to 16 KiB. Returns false unless the connection is open for writing. */
  writeApplicationData(data: Uint8Array): boolean {
    if (this.currentStatus !== 'connected') return false;
    if (data.length > 0) this.emit(ContentType.application_data, data);
    return true;
  }

  /** Send close_notify (once); nothing can be written afterwards. */
  close(): void {
    if (this.currentStatus === 'failed' || this.currentStatus === 'closed') return;
    if (this.currentStatus === 'connected') this.emit(ContentType.alert, makeAlert(ALERT_WARNING, AlertDescription.close_notify));
    this.currentStatus = 'closed';
  }

  /**
   * The transport ended: nothing more will be fed. It takes effect once every whole record fed before it has been
   * processed (at once when none waits and no handshake work is pending), so data and a close_notify that came
   * before the end are never lost. Before a close_notify the end is a failure: during the handshake the connection
   * never came up, after it the data may have been cut short by anyone on the path.
   */
  transportClosed(end: TransportEnd = { how: 'closed' }): void {
    if (this.transportEnd !== null) return;
    this.transportEnd = end;
    if (!this.hasPendingWork && !this.records.hasWholeRecord) this.endOfInput();
  }

  /** {@link advance} with failures caught: whatever the server sent ends, at worst, in `failed`. */
  private run(wanted: number, records = Infinity): void {
    if (this.currentStatus === 'failed') return;
    try {
      this.advance(wanted, records);
    } catch (e) {
      this.caught(e);
    }
  }

  /**
   * Process handshake messages and received records, or run one unit of handshake work alone; stop once connected
   * and `wanted` decrypted bytes wait, or once `records` records were read (the messages they completed are handled
   * before stopping, so a KeyUpdate takes effect before the record after it is read).
   */
  private advance(wanted: number, records: number): void {
    // A unit of work runs alone in its pump: the messages handled before or after it are cheap once warm, but in a
    // fresh process each runs cold code (parsing, hashing), and together they would make one long frame.
    let handled = false;
    let read = 0;
    while (this.currentStatus === 'handshaking' || this.currentStatus === 'connected') {
      const work = this.state.work;
      if (work) {
        if (!handled && this.workGate()) this.setState(work.call(this.state));
        return;
      }
      // Handling messages is work too (a Finished derives the traffic keys): during the handshake a pump asks the gate
      // before the first one it handles, and the rest of what it handles goes with that one.
      if (!handled && this.currentStatus === 'handshaking' && this.hasWholeHandshakeMessage() && !this.workGate()) return;
      const message = this.nextHandshakeMessage();
      if (message) {
        if (!this.state.handle) throw unexpected('handshake message', this.state.expecting);
        this.setState(this.state.handle(message));
        handled = true;
        continue;
      }
      if (this.currentStatus === 'connected' && this.plaintext.length >= wanted) return;
      if (read === records) return;
      const record = this.records.readRecord();
      if (!record) {
        if (this.transportEnd !== null) this.endOfInput();
        return;
      }
      read++;
      this.dispatch(record);
    }
  }

  /** Everything received before the transport ended has been processed. */
  private endOfInput(): void {
    const end = this.transportEnd ?? { how: 'closed' };
    // A deadline applies to the handshake only; once connected the end is the transport's own.
    const how = end.how === 'timeout' ? 'closed' : end.how;
    if (this.currentStatus === 'handshaking') {
      const expecting = this.state.expecting;
      this.fail(end.how === 'timeout' ? { code: 'handshake-timeout', ms: end.ms, expecting } : { code: 'transport-ended', how, expecting });
    } else if (this.currentStatus === 'connected') {
      const atRecordBoundary = this.records.buffered === 0 && this.handshakeBytes.length === 0;
      this.fail({ code: 'transport-ended', how, expecting: null });
      this.endedWithoutCloseNotify = atRecordBoundary;
    }
  }

  private setState(next: HandshakeState): void {
    this.state = next;
    if (next.connected && this.currentStatus === 'handshaking') this.currentStatus = 'connected';
  }

  private hasWholeHandshakeMessage(): boolean {
    const q = this.handshakeBytes;
    return q.length >= 4 && q.length >= 4 + ((q.at(1) << 16) | (q.at(2) << 8) | q.at(3));
  }

  private nextHandshakeMessage(): HandshakeMessage | null {
    const q = this.handshakeBytes;
    if (q.length < 4) return null;
    const length = (q.at(1) << 16) | (q.at(2) << 8) | q.at(3);
    if (length > this.maxHandshake) {
      throw tlsError('message-too-large', `${length} bytes, the limit is ${this.maxHandshake}`);
    }
    if (q.length < 4 + length) return null;
    const raw = q.readJoined(4 + length);
    return { type: raw[0], body: raw.subarray(4), raw };
  }

  private dispatch(record: PlainRecord): void {
    switch (record.type) {
      case ContentType.handshake:
        this.handshakeBytes.push(record.fragment);
        return;
      case ContentType.application_data:
        if (this.currentStatus !== 'connected' || this.handshakeBytes.length > 0) {
          throw unexpected('application data before the handshake completed', this.state.expecting);
        }
        this.plaintext.push(record.fragment);
        return;
      case ContentType.alert:
        return this.receiveAlert(record.fragment);
      case ContentType.change_cipher_spec:
        return this.receiveChangeCipherSpec(record.fragment);
      default:
        throw tlsError('unexpected-message', `record of unknown content type ${record.type}`);
    }
  }

  private receiveChangeCipherSpec(fragment: Uint8Array): void {
    if (fragment.length !== 1 || fragment[0] !== 1) {
      throw tlsError('unexpected-message', 'malformed ChangeCipherSpec');
    }
    if (this.state.changeCipherSpec) {
      if (this.handshakeBytes.length > 0) throw tlsError('unexpected-message', 'ChangeCipherSpec inside a handshake message');
      this.setState(this.state.changeCipherSpec());
      return;
    }
    // TLS 1.3 middlebox compatibility (RFC 8446 §5): a plain CCS during the handshake is dropped, including one
    // right after a HelloRetryRequest, before any version is settled.
    const tls13Possible = this.ctx.negotiated ? this.ctx.negotiated.version === 'TLSv1.3' : this.ctx.offer.versions.includes('TLSv1.3');
    if (tls13Possible && this.currentStatus === 'handshaking') return;
    throw unexpected('ChangeCipherSpec', this.state.expecting);
  }

  private receiveAlert(fragment: Uint8Array): void {
    const { level, description } = parseAlert(fragment);
    if (description === AlertDescription.close_notify) {
      if (this.currentStatus === 'handshaking') {
        this.fail({ code: 'closed-during-handshake', expecting: this.state.expecting });
        return;
      }
      if (this.currentStatus === 'connected') this.emit(ContentType.alert, makeAlert(ALERT_WARNING, AlertDescription.close_notify));
      this.currentStatus = 'closed';
      return;
    }
    // TLS 1.2 warnings other than close_notify carry no obligation; TLS 1.3 treats every other alert as fatal.
    if (level === ALERT_WARNING && this.ctx.negotiated?.version === 'TLSv1.2') return;
    const expecting = this.currentStatus === 'handshaking' ? this.state.expecting : null;
    // OpenSSL servers answer a declined renegotiation with a fatal handshake_failure.
    const declined = this.declinedRenegotiation && description === AlertDescription.handshake_failure;
    this.fail({ code: declined ? 'renegotiation-declined' : 'alert-received', description, expecting });
  }

  private emit(type: ContentType, data: Uint8Array): void {
    const before = this.output.length;
    this.records.writeRecords(type, data, this.output);
    for (let i = before; i < this.output.length; i++) this.outputBytes += this.output[i].length;
  }

  /** Fail for an exception thrown while processing: the server's doing when it is a TLS or decoding failure. */
  private caught(e: unknown): void {
    if (e instanceof TlsError) this.fail(e.failure);
    else if (e instanceof DecodeError) this.fail({ code: 'decode-error', detail: e.message });
    else this.fail({ code: 'internal-error', detail: e instanceof Error ? e.message : String(e) });
  }

  /** Enter `failed`: remember why and, when the failure calls for one, tell the server with a fatal alert. */
  private fail(failure: TlsFailure): void {
    if (this.currentStatus === 'failed') return;
    this.failed = failure;
    const alert = tlsFailureAlert(failure);
    if (alert !== null) {
      try {
        this.emit(ContentType.alert, makeAlert(ALERT_FATAL, alert));
      } catch {
        // The alert is a courtesy; the failure stands either way.
      }
    }
    this.currentStatus = 'failed';
  }
}


/**
 * The leaf, whose key signs CertificateVerify / ServerKeyExchange. What that key would cost is checked here, before
 * any big-number work, whether or not the chain is verified (the chain check adds the security limits).
 */
function serverLeaf(der: Uint8Array): Certificate {
  const cert = parseBoundedCertificate(der);
  if ('code' in cert) throw new TlsError({ code: 'certificate', certificate: cert });
  const problem = keyCostProblem(cert);
  if (problem) throw new TlsError({ code: 'certificate', certificate: problem });
  return cert;
}
