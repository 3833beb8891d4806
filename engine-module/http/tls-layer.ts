import { pemToDer } from '../bytes/pem.js';
import { StreamPeerTLS } from '../tls/stream-peer-tls.js';
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
    roots: params.trustedChain ? pemToDer(params.trustedChain) : platform.trustedRoots(),
    randomBytes: (n) => platform.randomBytes(n),
    now: () => platform.wallClock(),
    crypto: platform.crypto,
    maxHandshakeMessageSize: params.maxHandshakeMessageSize,
    maxChainLength: params.maxChainLength,
    requireExtendedMasterSecret: params.requireExtendedMasterSecret,
    handshakeTimeoutMs: params.handshakeTimeoutMs,
    clock: () => platform.now(),
  });
}

/**
 * Why these TLS options cannot be used, or null when they can: a `trustedChain` must hold at least one PEM
 * certificate, the limits, when given, must be positive integers, and the handshake timeout a finite number of
 * milliseconds, 0 or more (0: no limit). Checked before anything is dialed.
 */
export function tlsOptionsProblem(options: TlsOptions): string | null {
  for (const limit of ['maxHandshakeMessageSize', 'maxChainLength'] as const) {
    const value = options[limit];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) return `${limit} must be a positive integer`;
  }
  const timeout = options.handshakeTimeoutMs;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout >= 0)) {
    return 'handshakeTimeoutMs must be a finite number of milliseconds, 0 or more';
  }
  const pem = options.trustedChain;
  if (pem === undefined || pem === '') return null;
  try {
    return pemToDer(pem).length > 0 ? null : 'trustedChain holds no PEM certificate (it takes the PEM text itself, not a file path)';
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
