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
  createSecretKey,
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
import { AEAD_KEY_LENGTH, NONCE_LENGTH, TAG_LENGTH } from '../tls/crypto/aead-sizes.js';
import { pssSaltLength, rsaKeyProblem } from '../tls/crypto/rsa.js';
import { concatBytes, fromHex } from '../bytes/bytes.js';


const NIST_CURVE_NAME = { secp256r1: 'prime256v1', secp384r1: 'secp384r1' } as const;
const EC_POINT_LENGTH = { 'P-256': 65, 'P-384': 97 } as const;

// X25519 keys travel as raw 32 bytes. OpenSSL 3 decodes DER (PKCS#8 / SPKI) through its generic decoder, which
// costs close to a millisecond per key; a JWK goes straight to a raw key and costs a few microseconds. PKCS#8 stays
// as the fallback in case a Node version refuses the JWK shape used here.
const X25519_PKCS8_PREFIX = fromHex('302e020100300506032b656e04220420');

/** Node's Buffers are views into shared pools; callers get plain arrays of their own. */
function own(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

/** A Buffer that owns its whole ArrayBuffer is handed over as a plain view (no copy); a pooled one is copied. */
function adopt(b: Buffer): Uint8Array {
  return b.byteOffset === 0 && b.buffer.byteLength === b.length ? new Uint8Array(b.buffer, 0, b.length) : own(b);
}

const base64url = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64url');

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
  // A key object is checked and copied once; a raw key would be at every record.
  const ownKey = createSecretKey(key);
  const options = { authTagLength: TAG_LENGTH };
  return {
    seal(nonce, aad, plaintext) {
      if (nonce.length !== NONCE_LENGTH) throw new RangeError(`${alg}: nonce must be ${NONCE_LENGTH} bytes`);
      // Typed as the ChaCha20 variant only because its setAAD signature covers GCM's too.
      const cipher = createCipheriv(alg as 'chacha20-poly1305', ownKey, nonce, options);
      cipher.setAAD(aad, { plaintextLength: plaintext.length });
      const out = new Uint8Array(plaintext.length + TAG_LENGTH);
      out.set(cipher.update(plaintext));
      // AEAD ciphers in OpenSSL emit everything from update(); final() only computes the tag.
      cipher.final();
      out.set(cipher.getAuthTag(), plaintext.length);
      return out;
    },
    open(nonce, aad, ciphertext) {
      if (nonce.length !== NONCE_LENGTH || ciphertext.length < TAG_LENGTH) return null;
      try {
        const decipher = createDecipheriv(alg as 'chacha20-poly1305', ownKey, nonce, options);
        decipher.setAAD(aad, { plaintextLength: ciphertext.length - TAG_LENGTH });
        decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LENGTH));
        const plaintext = decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_LENGTH));
        decipher.final(); // throws when the tag does not verify
        return adopt(plaintext);
      } catch {
        return null;
      }
    },
  };
}

function x25519PrivateKey(raw: Uint8Array): KeyObject {
  try {
    // Node needs an `x` member to be present but derives the public value from `d`.
    return createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: base64url(raw), x: '' }, format: 'jwk' });
  } catch {
    return createPrivateKey({ key: Buffer.from(concatBytes(X25519_PKCS8_PREFIX, raw)), format: 'der', type: 'pkcs8' });
  }
}

// Objects that already hold a share's private key, so the ECDH that follows generateKeyShare does not import or
// derive it again (for the NIST curves createECDH.setPrivateKey is a full scalar multiplication).
const x25519Keys = new WeakMap<Uint8Array, KeyObject>();
const nistKeys = new WeakMap<Uint8Array, { group: GroupName; key: ReturnType<typeof createECDH> }>();

function nistKey(group: 'secp256r1' | 'secp384r1', privateKey: Uint8Array) {
  const cached = nistKeys.get(privateKey);
  if (cached?.group === group) return cached.key;
  const key = createECDH(NIST_CURVE_NAME[group]);
  key.setPrivateKey(privateKey);
  nistKeys.set(privateKey, { group, key });
  return key;
}

function generateKeyShare(group: GroupName, random: (n: number) => Uint8Array): KeyShare {
  const privateKey = privateKeyFromRandom(group, random);
  if (group === 'x25519') {
    const key = x25519PrivateKey(privateKey);
    x25519Keys.set(privateKey, key);
    const x = createPublicKey(key).export({ format: 'jwk' }).x as string;
    return { group, publicKey: own(Buffer.from(x, 'base64url')), privateKey };
  }
  return { group, publicKey: own(nistKey(group, privateKey).getPublicKey()), privateKey };
}

function ecdh(share: KeyShare, peerPublic: Uint8Array): Uint8Array | null {
  if (!isWellFormedPublic(share.group, peerPublic)) return null;
  try {
    if (share.group === 'x25519') {
      const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: base64url(peerPublic) }, format: 'jwk' });
      const privateKey = x25519Keys.get(share.privateKey) ?? x25519PrivateKey(share.privateKey);
      const secret = own(diffieHellman({ privateKey, publicKey }));
      return isAllZero(secret) ? null : secret;
    }
    return own(nistKey(share.group, share.privateKey).computeSecret(peerPublic)); // throws for a point not on the curve
  } catch {
    return null;
  }
}

// Importing a key costs more than a verification with it; a certificate's key is used more than once. Keys are
// imported from the numbers the X.509 layer already decoded (as JWK: OpenSSL's DER decoder is many times slower),
// which also makes the key exactly the one the struct describes, as the pure provider sees it.
const keyObjects = new WeakMap<PublicKey, KeyObject | null>();

function ecCoordinates(point: Uint8Array): { x: string; y: string } {
  const n = (point.length - 1) / 2;
  return { x: base64url(point.subarray(1, 1 + n)), y: base64url(point.subarray(1 + n)) };
}

/** The key as OpenSSL holds it; null for an RSA key the pure provider refuses too (remembered with the key). */
function publicKeyObject(key: PublicKey): KeyObject | null {
  let object = keyObjects.get(key);
  if (object === undefined) {
    switch (key.kind) {
      case 'rsa':
        if (rsaKeyProblem(key) !== null) {
          object = null;
          break;
        }
        object = createPublicKey({ key: { kty: 'RSA', n: base64url(key.modulus), e: base64url(key.exponent) }, format: 'jwk' });
        break;
      case 'ec':
        if (key.point.length !== EC_POINT_LENGTH[key.curve] || key.point[0] !== 4) throw new Error('malformed EC point');
        object = createPublicKey({ key: { kty: 'EC', crv: key.curve, ...ecCoordinates(key.point) }, format: 'jwk' });
        break;
      case 'ed25519':
        object = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url(key.key) }, format: 'jwk' });
        break;
    }
    keyObjects.set(key, object);
  }
  return object;
}

const KEY_KIND = { ecdsa: 'ec', 'rsa-pkcs1': 'rsa', 'rsa-pss': 'rsa', ed25519: 'ed25519' } as const;

function verify(alg: SignatureAlgorithm, key: PublicKey, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (key.kind !== KEY_KIND[alg.kind]) return false;
    const object = publicKeyObject(key);
    if (object === null) return false;
    switch (alg.kind) {
      case 'ecdsa':
        return nodeVerify(alg.hash, data, { key: object, dsaEncoding: 'der' }, signature);
      case 'rsa-pkcs1':
        return nodeVerify(alg.hash, data, { key: object, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'rsa-pss':
        return nodeVerify(
          alg.hash,
          data,
          { key: object, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pssSaltLength(alg) },
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
 * caller's random bytes exactly as the pure provider makes them (X25519 keys enter OpenSSL as raw keys, NIST scalars
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
