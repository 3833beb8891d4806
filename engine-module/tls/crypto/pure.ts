// The pure JavaScript provider: @noble/hashes, @noble/ciphers and @noble/curves, RSA on BigInt. Runs anywhere.

import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import type {
  Aead,
  AeadName,
  CryptoProvider,
  GroupName,
  HashName,
  HashState,
  KeyShare,
  PublicKey,
  SignatureAlgorithm,
} from './provider.js';
import { isAllZero, isWellFormedPublic, privateKeyFromRandom } from './groups.js';
import { AEAD_KEY_LENGTH, NONCE_LENGTH, TAG_LENGTH } from './aead-sizes.js';
import { pssSaltLength, rsaVerifyPkcs1v15, rsaVerifyPss } from './rsa.js';

const HASHES = { sha256, sha384, sha512 } as const;

const NIST = { secp256r1: p256, secp384r1: p384 } as const;
const EC_CURVE = { 'P-256': p256, 'P-384': p384 } as const;

function hash(alg: HashName, data: Uint8Array): Uint8Array {
  return HASHES[alg](data);
}

function createHash(alg: HashName): HashState {
  const state = HASHES[alg].create();
  return {
    update(data) {
      state.update(data);
    },
    // digest() ends a noble hash, so a clone is finished instead.
    digestSoFar: () => state.clone().digest(),
  };
}

function aead(alg: AeadName, key: Uint8Array): Aead {
  if (key.length !== AEAD_KEY_LENGTH[alg]) throw new RangeError(`${alg}: key must be ${AEAD_KEY_LENGTH[alg]} bytes`);
  const ownKey = key.slice();
  const cipher = alg === 'chacha20-poly1305' ? chacha20poly1305 : gcm;
  return {
    seal(nonce, aad, plaintext) {
      if (nonce.length !== NONCE_LENGTH) throw new RangeError(`${alg}: nonce must be ${NONCE_LENGTH} bytes`);
      return cipher(ownKey, nonce, aad).encrypt(plaintext);
    },
    open(nonce, aad, ciphertext) {
      if (nonce.length !== NONCE_LENGTH || ciphertext.length < TAG_LENGTH) return null;
      try {
        return cipher(ownKey, nonce, aad).decrypt(ciphertext);
      } catch {
        return null;
      }
    },
  };
}

/**
 * The X25519 public value by the Montgomery ladder on the base point, as the shared secret is computed. noble's
 * getPublicKey uses fixed-base tables instead, a little faster per call but built on first use: 45-70 ms inside the
 * first handshake's poll, where the ladder costs what the key exchange itself does (1-3 ms), first call included.
 */
function x25519Public(privateKey: Uint8Array): Uint8Array {
  return x25519.scalarMult(privateKey, x25519.GuBytes);
}

function generateKeyShare(group: GroupName, random: (n: number) => Uint8Array): KeyShare {
  const privateKey = privateKeyFromRandom(group, random);
  const publicKey = group === 'x25519' ? x25519Public(privateKey) : NIST[group].getPublicKey(privateKey, false);
  return { group, publicKey, privateKey };
}

function ecdh(share: KeyShare, peerPublic: Uint8Array): Uint8Array | null {
  if (!isWellFormedPublic(share.group, peerPublic)) return null;
  try {
    if (share.group === 'x25519') {
      // noble refuses the small-order points up front; the zero check keeps the rule visible here as well.
      const secret = x25519.getSharedSecret(share.privateKey, peerPublic);
      return isAllZero(secret) ? null : secret;
    }
    // The compressed form of the shared point is 02/03 || X; TLS uses X alone (RFC 8446 §7.4.2).
    return NIST[share.group].getSharedSecret(share.privateKey, peerPublic, true).subarray(1);
  } catch {
    return null;
  }
}

function verify(alg: SignatureAlgorithm, key: PublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    switch (alg.kind) {
      case 'ecdsa':
        if (key.kind !== 'ec') return false;
        // TLS and X.509 hash with the named hash whatever the curve, and accept high-S signatures.
        return EC_CURVE[key.curve].verify(signature, hash(alg.hash, data), key.point, {
          prehash: false,
          lowS: false,
          format: 'der',
        });
      case 'rsa-pkcs1':
        if (key.kind !== 'rsa') return false;
        return rsaVerifyPkcs1v15(key, alg.hash, hash(alg.hash, data), signature);
      case 'rsa-pss':
        if (key.kind !== 'rsa') return false;
        return rsaVerifyPss(key, (d) => hash(alg.hash, d), hash(alg.hash, data), signature, pssSaltLength(alg));
      case 'ed25519':
        if (key.kind !== 'ed25519') return false;
        return ed25519.verify(signature, data, key.key, { zip215: false });
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/** The pure JavaScript provider: the same results everywhere, ChaCha20-Poly1305 preferred (fastest without AES-NI). */
export const pureCrypto: CryptoProvider = {
  name: 'pure',
  aeadPreference: ['chacha20-poly1305', 'aes-128-gcm', 'aes-256-gcm'],
  hash,
  createHash,
  hmac: (alg, key, data) => hmac(HASHES[alg], key, data),
  aead,
  generateKeyShare,
  ecdh,
  verify,
};
