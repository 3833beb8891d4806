import { pemToDer } from '../tls/x509/pem.js';
import { StreamPeerTLS } from '../tls/stream-peer-tls.js';
import type { StreamPeer } from '../net/stream-peer.js';
import type { TlsConnectParams, TlsStreamPeer } from './client-options.js';

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
  });
}

/** Why a `trustedChain` cannot be used, or null when it holds at least one certificate. */
export function trustedChainProblem(pem: string | undefined): string | null {
  if (pem === undefined || pem === '') return null;
  try {
    return pemToDer(pem).length > 0 ? null : 'trustedChain holds no PEM certificate';
  } catch (e) {
    return `trustedChain is not valid PEM: ${(e as Error).message}`;
  }
}
