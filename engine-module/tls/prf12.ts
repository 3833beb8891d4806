// The TLS 1.2 PRF (RFC 5246 §5) and the secrets built on it: the extended master secret (RFC 7627), the key block
// and Finished verify_data.

import { asciiEncode, concatBytes } from '../bytes/bytes.js';
import type { CryptoProvider, HashName } from './crypto/provider.js';

/** PRF(secret, label, seed) = P_hash(secret, label + seed), truncated to `length`. */
export function prf12(
  crypto: CryptoProvider,
  hash: HashName,
  secret: Uint8Array,
  label: string,
  seed: Uint8Array,
  length: number,
): Uint8Array {
  const labelSeed = concatBytes(asciiEncode(label), seed);
  const out = new Uint8Array(length);
  let a = labelSeed;
  for (let at = 0; at < length; ) {
    a = crypto.hmac(hash, secret, a);
    const block = crypto.hmac(hash, secret, concatBytes(a, labelSeed));
    out.set(block.subarray(0, Math.min(block.length, length - at)), at);
    at += block.length;
  }
  return out;
}

/**
 * master_secret = PRF(pre_master_secret, "extended master secret", session_hash)[0..47] with the extended master
 * secret (RFC 7627 §4), else PRF(pre_master_secret, "master secret", client_random + server_random)[0..47]
 * (RFC 5246 §8.1).
 */
export function masterSecret12(
  crypto: CryptoProvider,
  hash: HashName,
  preMaster: Uint8Array,
  bound: { extended: true; sessionHash: Uint8Array } | { extended: false; clientRandom: Uint8Array; serverRandom: Uint8Array },
) {
  if (bound.extended) return prf12(crypto, hash, preMaster, 'extended master secret', bound.sessionHash, 48);
  return prf12(crypto, hash, preMaster, 'master secret', concatBytes(bound.clientRandom, bound.serverRandom), 48);
}

/** The AEAD keys and implicit IVs of both directions (RFC 5246 §6.3; no MAC keys for AEAD suites). */
export function keyBlock12(
  crypto: CryptoProvider,
  hash: HashName,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  keyLength: number,
  ivLength: number,
) {
  const block = prf12(crypto, hash, master, 'key expansion', concatBytes(serverRandom, clientRandom), 2 * (keyLength + ivLength));
  let at = 0;
  const take = (n: number) => block.slice(at, (at += n));
  return { clientKey: take(keyLength), serverKey: take(keyLength), clientIv: take(ivLength), serverIv: take(ivLength) };
}

/** Finished verify_data for "client finished" or "server finished". */
export function finishedData12(
  crypto: CryptoProvider,
  hash: HashName,
  master: Uint8Array,
  label: 'client finished' | 'server finished',
  transcriptHash: Uint8Array,
) {
  return prf12(crypto, hash, master, label, transcriptHash, 12);
}
