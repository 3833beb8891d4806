// The TLS client's limits as one checked record: the rules and defaults are written here once, applied where the
// limits enter (HTTPClient's TLS options, StreamPeerTLS, the engine), and the layers below take the record as given.

import { DEFAULT_MAX_CHAIN_LENGTH } from './x509/path.js';

/** Every limit of a TLS client connection, checked and with its default filled in. */
export interface TlsLimits {
  /** Largest handshake message accepted, in bytes (certificate chains can be large). */
  readonly maxHandshakeMessageSize: number;
  /** Most certificates in a verified path, leaf and trust anchor included. */
  readonly maxChainLength: number;
  /** Milliseconds the handshake may take; 0: no deadline. */
  readonly handshakeTimeoutMs: number;
  /** Received bytes held for the reader before the inner peer is no longer read. */
  readonly maxBufferedInput: number;
  /** Share of real time (0 to 1) that decrypting records as they arrive may take; 0: only when read. */
  readonly arrivalShare: number;
}

/**
 * The defaults: 256 KiB messages, 10-certificate paths, a 30 s handshake, 4 MiB held for the reader, a quarter of
 * real time at most for decrypting on arrival.
 */
export const DEFAULT_TLS_LIMITS: TlsLimits = {
  maxHandshakeMessageSize: 256 * 1024,
  maxChainLength: DEFAULT_MAX_CHAIN_LENGTH,
  handshakeTimeoutMs: 30_000,
  maxBufferedInput: 4 << 20,
  arrivalShare: 0.25,
};

const POSITIVE_INTEGERS = ['maxHandshakeMessageSize', 'maxChainLength', 'maxBufferedInput'] as const;

/** The limits `given` asks for, with defaults for the rest; or why they cannot be used, in words. */
export function checkTlsLimits(given: Partial<Record<keyof TlsLimits, number | undefined>>): TlsLimits | string {
  for (const limit of POSITIVE_INTEGERS) {
    const value = given[limit];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) return `${limit} must be a positive integer`;
  }
  const timeout = given.handshakeTimeoutMs;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout >= 0)) {
    return 'handshakeTimeoutMs must be a finite number of milliseconds, 0 or more';
  }
  const share = given.arrivalShare;
  if (share !== undefined && !(share >= 0 && share <= 1)) return 'arrivalShare must be a number from 0 to 1';
  return {
    maxHandshakeMessageSize: given.maxHandshakeMessageSize ?? DEFAULT_TLS_LIMITS.maxHandshakeMessageSize,
    maxChainLength: given.maxChainLength ?? DEFAULT_TLS_LIMITS.maxChainLength,
    handshakeTimeoutMs: timeout ?? DEFAULT_TLS_LIMITS.handshakeTimeoutMs,
    maxBufferedInput: given.maxBufferedInput ?? DEFAULT_TLS_LIMITS.maxBufferedInput,
    arrivalShare: share ?? DEFAULT_TLS_LIMITS.arrivalShare,
  };
}
