// The "native library" side of HostCrypto for the tests and the bench: Node's crypto (OpenSSL) stands in for what an
// engine links. Two modes: AEAD only (where a host starts), and every primitive the contract has.
import { createECDH, createPublicKey, constants, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { HostCrypto, HostSignatureName } from '../../engine-module/platform/host-bridge.js';
import type { AeadName, GroupName } from '../../engine-module/tls/crypto/provider.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';

export type HostCryptoMode = 'aead' | 'all';

/** The primitives each mode gives the bridge (HostCrypto members). */
export const MODE_FUNCTIONS: Record<HostCryptoMode, readonly (keyof HostCrypto)[]> = {
  aead: ['aeadSeal', 'aeadOpen'],
  all: ['aeadSeal', 'aeadOpen', 'hash', 'hmac', 'keySharePublic', 'ecdh', 'verify'],
};

const NIST_CURVE = { secp256r1: 'prime256v1', secp384r1: 'secp384r1' } as const;

const spkiKeys = new Map<string, KeyObject>();

function spkiKey(spki: Uint8Array): KeyObject {
  const id = Buffer.from(spki).toString('hex');
  let key = spkiKeys.get(id);
  if (!key) spkiKeys.set(id, (key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })));
  return key;
}

function verify(alg: HostSignatureName, spki: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  const key = spkiKey(spki);
  if (alg === 'ed25519') return nodeVerify(null, data, key, signature);
  const [, kind, hash] = /^(ecdsa|rsa-pkcs1|rsa-pss)-(sha\d+)$/.exec(alg)!;
  const options =
    kind === 'ecdsa'
      ? { key, dsaEncoding: 'der' as const }
      : kind === 'rsa-pkcs1'
        ? { key, padding: constants.RSA_PKCS1_PADDING }
        : { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  return nodeVerify(hash, data, options, signature);
}

function keySharePublic(group: GroupName, privateKey: Uint8Array): Uint8Array {
  // X25519 takes its 32 random bytes as the key, so the Node provider's own key-share code gives the public value.
  if (group === 'x25519') return nodeCrypto.generateKeyShare(group, () => privateKey).publicKey;
  const ecdh = createECDH(NIST_CURVE[group]);
  ecdh.setPrivateKey(privateKey);
  return new Uint8Array(ecdh.getPublicKey());
}

const ALL: Required<Omit<HostCrypto, 'aeads' | 'groups'>> = {
  aeadSeal: (alg: AeadName, key, nonce, aad, plaintext) => nodeCrypto.aead(alg, key).seal(nonce, aad, plaintext),
  aeadOpen: (alg: AeadName, key, nonce, aad, ciphertext) => nodeCrypto.aead(alg, key).open(nonce, aad, ciphertext),
  hash: (alg, data) => nodeCrypto.hash(alg, data),
  hmac: (alg, key, data) => nodeCrypto.hmac(alg, key, data),
  keySharePublic,
  ecdh: (group, privateKey, peerPublic) => nodeCrypto.ecdh({ group, publicKey: new Uint8Array(0), privateKey }, peerPublic),
  verify,
};

/** A HostCrypto over Node's crypto with the mode's functions, plus optional `aeads`/`groups` lists. */
export function nodeHostCrypto(mode: HostCryptoMode, lists: Pick<HostCrypto, 'aeads' | 'groups'> = {}): HostCrypto {
  const host: HostCrypto = { ...lists };
  for (const name of MODE_FUNCTIONS[mode]) Object.assign(host, { [name]: ALL[name as keyof typeof ALL] });
  return host;
}
