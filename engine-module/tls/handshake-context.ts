// What the per-version handshake states share: the engine's services they call, the state shape, and the two kinds
// of deferred asymmetric work (certificate chain steps and one signature check) both versions use.

import type { CryptoProvider, GroupName, KeyShare, PublicKey } from './crypto/provider.js';
import type { KeyShareAhead } from './key-share-ahead.js';
import type { AlertDescription } from './alerts.js';
import { TlsError, tlsError } from './tls-failure.js';
import type { Extension } from './extensions.js';
import type { HandshakeMessage } from './messages/handshake.js';
import type { RecordProtection } from './record-layer.js';
import type { CipherSuite, SignatureScheme, TlsVersionName } from './suites.js';
import type { Transcript } from './transcript.js';
import type { ChainVerification } from './x509/path.js';

/** One step of certificate path validation: null while unfinished (each step costs at most one expensive operation). */
export type ChainCheck = ChainVerification;

/** What the handshake agreed on. */
export interface NegotiatedParameters {
  version: TlsVersionName;
  suite: string;
  group: string;
  alpn: string | null;
}

/** What this client offers, resolved from its options. */
export interface ClientOfferConfig {
  versions: readonly TlsVersionName[];
  suites: readonly CipherSuite[];
  groups: readonly GroupName[];
  schemes: readonly SignatureScheme[];
  alpn: readonly string[];
  serverName: string | null;
  /** Refuse a TLS 1.2 server without the extended master secret (RFC 7627). */
  requireExtendedMasterSecret: boolean;
  /** Rewrites the ClientHello extension list before it is sent (reproducing other clients' hellos in tests). */
  customizeExtensions?: (extensions: Extension[]) => Extension[];
}

/** The engine's side of the handshake: everything a state may do besides computing. */
export interface HandshakeContext {
  readonly crypto: CryptoProvider;
  readonly random: (n: number) => Uint8Array;
  /** The first ClientHello's key share made ahead, when it is. */
  readonly keyShareAhead: KeyShareAhead | null;
  readonly offer: ClientOfferConfig;
  readonly transcript: Transcript;
  /**
   * Parse the server's leaf certificate (once: the chain validation reuses it) and start validating the chain (leaf
   * first) for the configured name and roots. Throws a TlsError when the leaf cannot be read or its key is refused.
   */
  serverCertificate(chain: Uint8Array[]): { key: PublicKey; check: ChainCheck };
  /** Send a handshake message, adding it to the transcript unless it is a post-handshake one. */
  sendHandshake(message: Uint8Array, addToTranscript?: boolean): void;
  /** Send an alert at warning level (the only non-fatal one a client sends: no_renegotiation). */
  sendWarning(description: AlertDescription): void;
  sendChangeCipherSpec(): void;
  setReadProtection(p: RecordProtection): void;
  setWriteProtection(p: RecordProtection): void;
  /** Record what was agreed (shown to callers; set as soon as it is known). */
  negotiated: NegotiatedParameters | null;
}

/**
 * A handshake state: it either waits for a message (`handle`) or has one unit of expensive work to do (`work`)
 * before it can go on. Either way it returns the next state.
 */
export interface HandshakeState {
  /** What the state waits for, for error messages. */
  readonly expecting: string;
  /** True once application data flows. */
  readonly connected?: boolean;
  work?(): HandshakeState;
  handle?(message: HandshakeMessage): HandshakeState;
  /** Only TLS 1.2 states that wait for the server's ChangeCipherSpec define this. */
  changeCipherSpec?(): HandshakeState;
}

/** A state that runs one piece of work and goes on with whatever it returns. */
export function workState(expecting: string, work: () => HandshakeState): HandshakeState {
  return { expecting, work };
}

/**
 * Take the server's certificate list: the leaf's parse as a unit of work, `checkKey` on its key (a TLS 1.2 suite
 * names the key type), then the chain validation step by step, then `next` with the key.
 */
export function certificateState(
  ctx: HandshakeContext,
  chain: Uint8Array[],
  checkKey: (key: PublicKey) => void,
  next: (key: PublicKey) => HandshakeState,
): HandshakeState {
  return workState('server certificate', () => {
    const { key, check } = ctx.serverCertificate(chain);
    checkKey(key);
    return chainCheckState(check, () => next(key));
  });
}

/** Step the chain check one signature at a time, then continue with `next`. */
function chainCheckState(check: ChainCheck, next: () => HandshakeState): HandshakeState {
  const state: HandshakeState = workState('certificate chain validation', () => {
    const result = check.step();
    if (result === null) return state;
    if (!result.ok) throw new TlsError({ code: 'certificate', certificate: result.failure });
    return next();
  });
  return state;
}

/** Verify one server signature (CertificateVerify or ServerKeyExchange) as a unit of work. */
export function signatureCheckState(
  ctx: HandshakeContext,
  what: string,
  scheme: SignatureScheme,
  key: PublicKey,
  content: Uint8Array,
  signature: Uint8Array,
  next: () => HandshakeState,
): HandshakeState {
  return workState(`${what} signature check`, () => {
    if (!ctx.crypto.verify(scheme.algorithm, key, content, signature)) {
      throw tlsError('bad-signature', `${what}, ${scheme.name}`);
    }
    return next();
  });
}

/** The suite a server picked: one that was offered for the given version. */
export function pickedSuite(ctx: HandshakeContext, code: number, version: 'TLSv1.3' | 'TLSv1.2'): CipherSuite {
  const suite = ctx.offer.suites.find((s) => s.code === code && s.version === version);
  if (!suite) {
    throw tlsError('illegal-parameter', `server chose cipher suite 0x${code.toString(16)}, which was not offered for ${version}`);
  }
  return suite;
}

/** What the client sent in its (latest) ClientHello, needed to judge the server's answers. */
export interface SentHello {
  random: Uint8Array;
  sessionId: Uint8Array;
  /** The key share offered for TLS 1.3 (null when only TLS 1.2 is offered). */
  share: KeyShare | null;
  /** Extension types sent: a server may answer only these. */
  offeredTypes: ReadonlySet<number>;
}
