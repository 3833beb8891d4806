// A CryptoProvider over the host's native primitives (see HostCrypto in host-bridge.ts), primitive by primitive: what
// the host gives runs natively, the rest stays on the pure provider. The checks every provider makes on its inputs
// happen here, before the call, so every host accepts and refuses exactly what the pure provider does.

import type {
  Aead,
  AeadName,
  CryptoProvider,
  GroupName,
  PublicKey,
  SignatureAlgorithm,
} from '../tls/crypto/provider.js';
import type { HostBytes, HostCrypto, HostSignatureName } from './host-bridge.js';
import { pureCrypto } from '../tls/crypto/pure.js';
import { AEAD_KEY_LENGTH, NONCE_LENGTH, TAG_LENGTH } from '../tls/crypto/aead-sizes.js';
import { HASH_LENGTH } from '../tls/crypto/hash-lengths.js';
import {
  isAllZero,
  isWellFormedPublic,
  privateKeyFromRandom,
  PUBLIC_KEY_LENGTH,
  SHARED_SECRET_LENGTH,
} from '../tls/crypto/groups.js';
import { rsaKeyProblem } from '../tls/crypto/rsa.js';
import { hostBytes, wholeBuffer } from './host-bytes.js';

/** What a host with native AES (the common case) offers when it does not say. */
const DEFAULT_HOST_AEADS: readonly AeadName[] = ['aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305'];
const ALL_GROUPS: readonly GroupName[] = ['x25519', 'secp256r1', 'secp384r1'];

/** Call a host function; a host fault becomes an error naming the function (the connection fails with it). */
function hostCall<T>(name: string, call: () => T): T {
  try {
    return call();
  } catch (e) {
    throw new Error(`tickhttp: the host's ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A host result as bytes of exactly `length`; anything else is a host fault, never silently used. */
function hostResult(name: string, value: HostBytes | null | undefined, length: number): Uint8Array {
  const bytes = value instanceof Uint8Array || value instanceof ArrayBuffer ? hostBytes(value) : null;
  const returned = `tickhttp: the host's ${name} returned`;
  if (bytes === null) throw new Error(`${returned} ${value === null ? 'null' : typeof value}, not bytes`);
  if (bytes.length !== length) throw new Error(`${returned} ${bytes.length} bytes instead of ${length}`);
  return bytes;
}

function knownNames<T extends string>(what: string, given: readonly T[] | undefined, all: readonly T[]): readonly T[] {
  const names = given ?? all;
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length > 0) throw new Error(`tickhttp: the host crypto lists unknown ${what}: ${unknown.join(', ')}`);
  return names;
}

function pairGiven(host: HostCrypto, a: keyof HostCrypto, b: keyof HostCrypto): boolean {
  const given = (typeof host[a] === 'function' ? 1 : 0) + (typeof host[b] === 'function' ? 1 : 0);
  if (given === 1) throw new Error(`tickhttp: the host crypto needs both ${a} and ${b}, or neither`);
  return given === 2;
}

/** The host's signature name for this check, or null when the key cannot make such a signature. */
function signatureName(alg: SignatureAlgorithm, key: PublicKey): HostSignatureName | null {
  switch (alg.kind) {
    case 'ecdsa':
      return key.kind === 'ec' ? `ecdsa-${alg.hash}` : null;
    case 'rsa-pkcs1':
    case 'rsa-pss':
      return key.kind === 'rsa' && rsaKeyProblem(key) === null ? `${alg.kind}-${alg.hash}` : null;
    case 'ed25519':
      return key.kind === 'ed25519' ? 'ed25519' : null;
    default:
      return null;
  }
}

function hostAead(host: HostCrypto, alg: AeadName, key: Uint8Array): Aead {
  if (key.length !== AEAD_KEY_LENGTH[alg]) throw new RangeError(`${alg}: key must be ${AEAD_KEY_LENGTH[alg]} bytes`);
  const ownKey = key.slice();
  return {
    seal(nonce, aad, plaintext) {
      if (nonce.length !== NONCE_LENGTH) throw new RangeError(`${alg}: nonce must be ${NONCE_LENGTH} bytes`);
      const sealed = hostCall('aeadSeal', () =>
        host.aeadSeal!(alg, ownKey, wholeBuffer(nonce), wholeBuffer(aad), wholeBuffer(plaintext)),
      );
      return hostResult('aeadSeal', sealed, plaintext.length + TAG_LENGTH);
    },
    open(nonce, aad, ciphertext) {
      if (nonce.length !== NONCE_LENGTH || ciphertext.length < TAG_LENGTH) return null;
      const opened = hostCall('aeadOpen', () =>
        host.aeadOpen!(alg, ownKey, wholeBuffer(nonce), wholeBuffer(aad), wholeBuffer(ciphertext)),
      );
      return opened === null ? null : hostResult('aeadOpen', opened, ciphertext.length - TAG_LENGTH);
    },
  };
}

/**
 * The provider a host platform runs on: the host's primitives where given, the pure provider's elsewhere (the pure
 * provider itself when the host gives none). Its AEAD preference puts the host's AEADs first, in the host's order.
 * Throws for half a pair or an unknown name.
 */
export function hostCryptoProvider(host: HostCrypto): CryptoProvider {
  const hasAead = pairGiven(host, 'aeadSeal', 'aeadOpen');
  const hasGroups = pairGiven(host, 'keySharePublic', 'ecdh');
  const hasHash = typeof host.hash === 'function';
  const hasHmac = typeof host.hmac === 'function';
  const hasVerify = typeof host.verify === 'function';
  const aeads = hasAead ? knownNames('AEADs', host.aeads, DEFAULT_HOST_AEADS) : [];
  const groups = hasGroups ? knownNames('groups', host.groups, ALL_GROUPS) : [];
  const used = Object.entries({ aead: hasAead, hash: hasHash, hmac: hasHmac, ecdh: hasGroups, verify: hasVerify })
    .filter(([, given]) => given)
    .map(([name]) => name);
  if (used.length === 0) return pureCrypto;

  return {
    name: `host(${used.join('+')})`,
    aeadPreference: [...aeads, ...pureCrypto.aeadPreference.filter((a) => !aeads.includes(a))],
    hash: hasHash
      ? (alg, data) => hostResult('hash', hostCall('hash', () => host.hash!(alg, wholeBuffer(data))), HASH_LENGTH[alg])
      : pureCrypto.hash,
    createHash: pureCrypto.createHash,
    hmac: hasHmac
      ? (alg, key, data) =>
          hostResult(
            'hmac',
            hostCall('hmac', () => host.hmac!(alg, wholeBuffer(key), wholeBuffer(data))),
            HASH_LENGTH[alg],
          )
      : pureCrypto.hmac,
    aead: (alg, key) => (aeads.includes(alg) ? hostAead(host, alg, key) : pureCrypto.aead(alg, key)),
    generateKeyShare(group, random) {
      if (!groups.includes(group)) return pureCrypto.generateKeyShare(group, random);
      const privateKey = wholeBuffer(privateKeyFromRandom(group, random));
      const publicKey = hostCall('keySharePublic', () => host.keySharePublic!(group, privateKey));
      return { group, publicKey: hostResult('keySharePublic', publicKey, PUBLIC_KEY_LENGTH[group]), privateKey };
    },
    ecdh(share, peerPublic) {
      if (!groups.includes(share.group)) return pureCrypto.ecdh(share, peerPublic);
      if (!isWellFormedPublic(share.group, peerPublic)) return null;
      const privateKey = wholeBuffer(share.privateKey);
      const got = hostCall('ecdh', () => host.ecdh!(share.group, privateKey, wholeBuffer(peerPublic)));
      if (got === null) return null;
      const secret = hostResult('ecdh', got, SHARED_SECRET_LENGTH[share.group]);
      return isAllZero(secret) ? null : secret;
    },
    verify(alg, key, data, signature) {
      const otherSalt = alg.kind === 'rsa-pss' && alg.saltLength !== undefined && alg.saltLength !== HASH_LENGTH[alg.hash];
      if (!hasVerify || otherSalt) {
        return pureCrypto.verify(alg, key, data, signature);
      }
      const name = signatureName(alg, key);
      if (name === null) return false;
      const spki = wholeBuffer(key.spki);
      return hostCall('verify', () => host.verify!(name, spki, wholeBuffer(data), wholeBuffer(signature))) === true;
    },
  };
}
