import { pemToDer } from '../bytes/pem.js';
import type { Platform } from '../platform/platform.js';
import type { CryptoProvider } from '../tls/crypto/provider.js';
import { pureCrypto } from '../tls/crypto/pure.js';
import { ArrivalAllowance } from '../tls/arrival-allowance.js';
import { StreamPeerTLS } from '../tls/stream-peer-tls.js';
import { checkTlsLimits } from '../tls/tls-limits.js';
import type { StreamPeer } from '../net/stream-peer.js';
import type { TlsConnectParams, TlsOptions, TlsStreamPeer } from './client-options.js';

/**
 * The TLS layer HTTPClient uses unless its options name another: tickhttp's own engine, with the connection's
 * platform supplying randomness, the clock, the crypto provider and (unless `trustedChain` replaces them) the roots.
 */
export function startTls(inner: StreamPeer, params: TlsConnectParams): TlsStreamPeer {
  const { platform } = params;
  return new StreamPeerTLS(inner, {
    hostname: params.host,
    verify: params.verifyHost,
    verifyName: params.commonNameOverride || undefined,
    roots: trustedRootsOf(params),
    randomBytes: (n) => platform.randomBytes(n),
    now: () => platform.wallClock(),
    crypto: platformCrypto(platform),
    maxHandshakeMessageSize: params.maxHandshakeMessageSize,
    maxChainLength: params.maxChainLength,
    requireExtendedMasterSecret: params.requireExtendedMasterSecret,
    handshakeTimeoutMs: params.handshakeTimeoutMs,
    clock: () => platform.now(),
    arrivalAllowance: arrivalAllowanceOf(platform),
    runLater: platform.runLater?.bind(platform),
    workGate: params.workGate,
    keyShare: params.keyShare,
  });
}

/** The crypto provider TLS uses on `platform`: the platform's own, else the pure JavaScript one. */
export function platformCrypto(platform: Platform): CryptoProvider {
  return platform.crypto ?? pureCrypto;
}

const allowances = new WeakMap<Platform, ArrivalAllowance>();

/**
 * The time the TLS connections on `platform` may spend decrypting records as they arrive, together: its arrivalShare
 * of real time for all of them, so six downloads at once cost the game's thread no more between frames than one.
 * None with a share of 0. The share is read by the TLS limits' own rule (default, range); a platform that breaks it
 * throws, which the dialer reports as the connection's failure.
 */
function arrivalAllowanceOf(platform: Platform): ArrivalAllowance | null {
  const limits = checkTlsLimits({ arrivalShare: platform.arrivalShare });
  if (typeof limits === 'string') throw new RangeError(`platform: ${limits}`);
  if (limits.arrivalShare === 0) return null;
  let allowance = allowances.get(platform);
  if (!allowance) {
    allowance = new ArrivalAllowance(limits.arrivalShare, () => platform.now());
    allowances.set(platform, allowance);
  }
  return allowance;
}

/** The roots a connection with `params` trusts: its trustedChain's certificates, else the platform's. */
export function trustedRootsOf(params: TlsConnectParams): Uint8Array[] {
  return params.trustedChain ? trustedChainRoots(params.trustedChain) : params.platform.trustedRoots();
}

/** How many distinct trustedChain texts stay parsed: a game trusts one or two private CAs, rarely more. */
const KEPT_CHAINS = 8;
const parsedChains = new Map<string, Uint8Array[]>();

/**
 * The DER certificates of a trustedChain, parsed once per distinct PEM text (the most recent few are kept): every
 * request and connection naming the same chain gets the same array, so neither the PEM nor the verifier's index of
 * the roots (kept per array) is made again for each handshake. Throws a DecodeError for bad PEM.
 */
function trustedChainRoots(pem: string): Uint8Array[] {
  const roots = parsedChains.get(pem) ?? pemToDer(pem);
  parsedChains.delete(pem);
  parsedChains.set(pem, roots);
  if (parsedChains.size > KEPT_CHAINS) parsedChains.delete(parsedChains.keys().next().value!);
  return roots;
}

/**
 * Why these TLS options cannot be used, or null when they can: a `trustedChain` must hold at least one PEM
 * certificate, the limits, when given, must be positive integers, and the handshake timeout a finite number of
 * milliseconds, 0 or more (0: no limit). Checked before anything is dialed.
 */
export function tlsOptionsProblem(options: TlsOptions): string | null {
  const limits = checkTlsLimits(options);
  if (typeof limits === 'string') return limits;
  const pem = options.trustedChain;
  if (pem === undefined || pem === '') return null;
  try {
    return trustedChainRoots(pem).length > 0 ? null : 'trustedChain holds no PEM certificate (it takes the PEM text itself, not a file path)';
  } catch (e) {
    return `trustedChain is not valid PEM: ${(e as Error).message}`;
  }
}

/**
 * The TLS layer of a transport handed to setConnection, when it is one (it reports its failures in words): the one
 * place a transport is probed for what it is.
 */
export function tlsPeerOf(peer: StreamPeer): TlsStreamPeer | null {
  return typeof (peer as Partial<TlsStreamPeer>).getTlsError === 'function' ? (peer as TlsStreamPeer) : null;
}
