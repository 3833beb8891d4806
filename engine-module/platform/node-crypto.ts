// The node:crypto provider: OpenSSL through Node's synchronous calls, the fast default under Node. It accepts and
// refuses exactly what the pure provider does (same group rules, same RSA key rules, same nonce rule).

import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash as nodeCreateHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  constants,
  diffieHellman,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
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
} from '../tls/crypto/provider.js';
import { isAllZero, isWellFormedPublic, privateKeyFromRandom } from '../tls/crypto/groups.js';
import { HASH_LENGTH } from '../tls/crypto/hash-lengths.js';
import { rsaKeyProblem } from '../tls/crypto/rsa.js';
import { concatBytes, fromHex } from '../bytes/bytes.js';

const AEAD_KEY_LENGTH: Readonly<Record<AeadName, number>> = {
  'aes-128-gcm': 16,
  'aes-256-gcm': 32,
  'chacha20-poly1305': 32,
};
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;

const NIST_CURVE_NAME = { secp256r1: 'prime256v1', secp384r1: 'secp384r1' } as const;
const EC_CURVE_NAME = { 'P-256': 'prime256v1', 'P-384': 'secp384r1' } as const;

// X25519 keys travel as raw 32 bytes; OpenSSL takes them wrapped in PKCS#8 / SPKI (RFC 8410), so a private key
// made from the caller's random bytes can be used as it is.
const X25519_PKCS8_PREFIX = fromHex('302e020100300506032b656e04220420');
const X25519_SPKI_PREFIX = fromHex('302a300506032b656e032100');

/** Node's Buffers are views into shared pools; callers get plain arrays of their own. */
function own(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

function hash(alg: HashName, data: Uint8Array): Uint8Array {
  return own(nodeCreateHash(alg).update(data).digest());
}

function createHash(alg: HashName): HashState {
  const state = nodeCreateHash(alg);
  return {
    update(data) {
      state.update(data);
    },
    digestSoFar: () => own(state.copy().digest()),
  };
}

function aead(alg: AeadName, key: Uint8Array): Aead {
  if (key.length !== AEAD_KEY_LENGTH[alg]) throw new RangeError(`${alg}: key must be ${AEAD_KEY_LENGTH[alg]} bytes`);
  const ownKey = key.slice();
  const options = { authTagLength: TAG_LENGTH };
  return {
    seal(nonce, aad, plaintext) {
      if (nonce.length !== NONCE_LENGTH) throw new RangeError(`${alg}: nonce must be ${NONCE_LENGTH} bytes`);
      // Typed as the ChaCha20 variant only because its setAAD signature covers GCM's too.
      const cipher = createCipheriv(alg as 'chacha20-poly1305', ownKey, nonce, options);
      cipher.setAAD(aad, { plaintextLength: plaintext.length });
      const head = cipher.update(plaintext);
      const tail = cipher.final();
      return concatBytes(head, tail, cipher.getAuthTag());
    },
    open(nonce, aad, ciphertext) {
      if (nonce.length !== NONCE_LENGTH || ciphertext.length < TAG_LENGTH) return null;
      try {
        const decipher = createDecipheriv(alg as 'chacha20-poly1305', ownKey, nonce, options);
        decipher.setAAD(aad, { plaintextLength: ciphertext.length - TAG_LENGTH });
        decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LENGTH));
        const head = decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_LENGTH));
        return concatBytes(head, decipher.final());
      } catch {
        return null; // final() throws when the tag does not verify
      }
    },
  };
}

function x25519PrivateKey(raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(concatBytes(X25519_PKCS8_PREFIX, raw)), format: 'der', type: 'pkcs8' });
}

function generateKeyShare(group: GroupName, random: (n: number) => Uint8Array): KeyShare {
  const privateKey = privateKeyFromRandom(group, random);
  if (group === 'x25519') {
    const spki = createPublicKey(x25519PrivateKey(privateKey)).export({ format: 'der', type: 'spki' });
    return { group, publicKey: own(spki.subarray(X25519_SPKI_PREFIX.length)), privateKey };
  }
  const ecdh = createECDH(NIST_CURVE_NAME[group]);
  ecdh.setPrivateKey(privateKey);
  return { group, publicKey: own(ecdh.getPublicKey()), privateKey };
}

function ecdh(share: KeyShare, peerPublic: Uint8Array): Uint8Array | null {
  if (!isWellFormedPublic(share.group, peerPublic)) return null;
  try {
    if (share.group === 'x25519') {
      const publicKey = createPublicKey({
        key: Buffer.from(concatBytes(X25519_SPKI_PREFIX, peerPublic)),
        format: 'der',
        type: 'spki',
      });
      const secret = own(diffieHellman({ privateKey: x25519PrivateKey(share.privateKey), publicKey }));
      return isAllZero(secret) ? null : secret;
    }
    const ecdhKey = createECDH(NIST_CURVE_NAME[share.group]);
    ecdhKey.setPrivateKey(share.privateKey);
    return own(ecdhKey.computeSecret(peerPublic)); // throws for a point not on the curve
  } catch {
    return null;
  }
}

// Parsing an SPKI costs more than a verification with it; a certificate's key is used more than once.
const keyObjects = new WeakMap<Uint8Array, KeyObject>();

function publicKeyObject(key: PublicKey): KeyObject {
  let object = keyObjects.get(key.spki);
  if (object === undefined) {
    object = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
    keyObjects.set(key.spki, object);
  }
  return object;
}

/** True when the SPKI really holds the kind of key the struct says (the struct and the DER come from one parse). */
function keyObjectMatches(key: PublicKey, object: KeyObject): boolean {
  switch (key.kind) {
    case 'rsa':
      return object.asymmetricKeyType === 'rsa' || object.asymmetricKeyType === 'rsa-pss';
    case 'ec':
      return object.asymmetricKeyType === 'ec' && object.asymmetricKeyDetails?.namedCurve === EC_CURVE_NAME[key.curve];
    case 'ed25519':
      return object.asymmetricKeyType === 'ed25519';
  }
}

const KEY_KIND = { ecdsa: 'ec', 'rsa-pkcs1': 'rsa', 'rsa-pss': 'rsa', ed25519: 'ed25519' } as const;

function verify(alg: SignatureAlgorithm, key: PublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (key.kind !== KEY_KIND[alg.kind]) return false;
    if (key.kind === 'rsa' && rsaKeyProblem(key) !== null) return false;
    const object = publicKeyObject(key);
    if (!keyObjectMatches(key, object)) return false;
    switch (alg.kind) {
      case 'ecdsa':
        return nodeVerify(alg.hash, data, { key: object, dsaEncoding: 'der' }, signature);
      case 'rsa-pkcs1':
        return nodeVerify(alg.hash, data, { key: object, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'rsa-pss':
        return nodeVerify(
          alg.hash,
          data,
          {
            key: object,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: alg.saltLength ?? HASH_LENGTH[alg.hash],
          },
          signature,
        );
      case 'ed25519':
        return nodeVerify(null, data, object, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/**
 * The node:crypto provider: AES-GCM first (hardware AES makes it the fastest here). Key shares are made from the
 * caller's random bytes exactly as the pure provider makes them (X25519 keys enter OpenSSL as PKCS#8, NIST scalars
 * through createECDH), so an injected random source gives the same handshake with either provider.
 */
export const nodeCrypto: CryptoProvider = {
  name: 'node',
  aeadPreference: ['aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305'],
  hash,
  createHash,
  hmac: (alg, key, data) => own(createHmac(alg, key).update(data).digest()),
  aead,
  generateKeyShare,
  ecdh,
  verify,
};
