// AlgorithmIdentifier and SubjectPublicKeyInfo decoding: OIDs to the provider's SignatureAlgorithm and PublicKey.
// Algorithms outside the supported set decode to null with a readable name, so a certificate that merely carries
// one (an old root signed with SHA-1, a P-521 key) still parses; path validation refuses it only if it must be used.

import { DecodeError } from '../../bytes/byte-reader.js';
import type { HashName, PublicKey, SignatureAlgorithm } from '../crypto/provider.js';
import {
  DerElement,
  DerReader,
  Tag,
  contextTag,
  contents,
  decodeOctetAlignedBitString,
  decodeOid,
  decodePositiveInteger,
  decodeSmallInteger,
  readSingle,
} from './der.js';

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const ED25519 = '1.3.101.112';

const HASHES: Record<string, HashName> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature OIDs whose parameters are absent or NULL. */
const SIMPLE_SIGNATURES: Record<string, { name: string; alg: SignatureAlgorithm | null }> = {
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', alg: { kind: 'rsa-pkcs1', hash: 'sha256' } },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', alg: { kind: 'rsa-pkcs1', hash: 'sha384' } },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', alg: { kind: 'rsa-pkcs1', hash: 'sha512' } },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', alg: { kind: 'ecdsa', hash: 'sha256' } },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', alg: { kind: 'ecdsa', hash: 'sha384' } },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', alg: { kind: 'ecdsa', hash: 'sha512' } },
  [ED25519]: { name: 'Ed25519', alg: { kind: 'ed25519' } },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', alg: null },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', alg: null },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', alg: null },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', alg: null },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', alg: null },
};

const CURVES: Record<string, { curve: 'P-256' | 'P-384'; pointLength: number } | string> = {
  '1.2.840.10045.3.1.7': { curve: 'P-256', pointLength: 65 },
  '1.3.132.0.34': { curve: 'P-384', pointLength: 97 },
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.10': 'secp256k1',
};

/** A decoded signature AlgorithmIdentifier: null `alg` when the algorithm is not supported. */
export interface DecodedSignatureAlgorithm {
  alg: SignatureAlgorithm | null;
  /** Readable name (or the dotted OID) for reasons. */
  name: string;
}

/** A decoded SubjectPublicKeyInfo: null `key` when the key type or curve is not supported. */
export interface DecodedPublicKey {
  key: PublicKey | null;
  /** Readable description, e.g. "RSA 2048", "EC P-256", "EC P-521". */
  name: string;
}

/** Decode a signature AlgorithmIdentifier element. */
export function decodeSignatureAlgorithm(el: DerElement): DecodedSignatureAlgorithm {
  const r = contents(el, 'AlgorithmIdentifier');
  const oid = decodeOid(r.expect(Tag.OID, 'algorithm OID').value);
  const params = r.atEnd() ? undefined : r.read();
  r.expectEnd('AlgorithmIdentifier');
  if (oid === RSASSA_PSS) {
    if (!params) throw new DecodeError('RSASSA-PSS signature without parameters');
    return decodePssParams(params);
  }
  const known = SIMPLE_SIGNATURES[oid];
  if (!known) return { alg: null, name: oid };
  if (params && !(params.tag === Tag.NULL && params.value.length === 0)) {
    throw new DecodeError(`${known.name}: unexpected parameters`);
  }
  return known;
}

// RSASSA-PSS-params: [0] hash (default SHA-1), [1] MGF (default MGF1-SHA-1), [2] salt length (default 20),
// [3] trailer field (must be 1).
function decodePssParams(params: DerElement): DecodedSignatureAlgorithm {
  const r = contents(params, 'RSASSA-PSS-params');
  const hashEl = r.optional(contextTag(0, true));
  const mgfEl = r.optional(contextTag(1, true));
  const saltEl = r.optional(contextTag(2, true));
  const trailerEl = r.optional(contextTag(3, true));
  r.expectEnd('RSASSA-PSS-params');
  const hash = hashEl ? hashOf(readSingle(hashEl.value, Tag.SEQUENCE, 'PSS hash')) : null;
  let mgfHash: HashName | null = null;
  if (mgfEl) {
    const m = readSingle(mgfEl.value, Tag.SEQUENCE, 'PSS mask generation');
    const mr = contents(m, 'PSS mask generation');
    const mgfOid = decodeOid(mr.expect(Tag.OID, 'MGF OID').value);
    const inner = mr.expect(Tag.SEQUENCE, 'MGF1 hash');
    mr.expectEnd('PSS mask generation');
    if (mgfOid === MGF1) mgfHash = hashOf(inner);
  }
  const saltLength = saltEl ? decodeSmallInteger(readSingle(saltEl.value, Tag.INTEGER, 'PSS salt length').value) : 20;
  const trailer = trailerEl ? decodeSmallInteger(readSingle(trailerEl.value, Tag.INTEGER, 'PSS trailer').value) : 1;
  if (!hash || hash !== mgfHash || trailer !== 1) return { alg: null, name: 'RSASSA-PSS (unsupported parameters)' };
  return { alg: { kind: 'rsa-pss', hash, saltLength }, name: `RSASSA-PSS-${hash.toUpperCase()}` };
}

function hashOf(el: DerElement): HashName | null {
  const r = contents(el, 'hash AlgorithmIdentifier');
  const oid = decodeOid(r.expect(Tag.OID, 'hash OID').value);
  r.optional(Tag.NULL);
  r.expectEnd('hash AlgorithmIdentifier');
  return HASHES[oid] ?? null;
}

/** Decode a SubjectPublicKeyInfo element. */
export function decodePublicKey(el: DerElement): DecodedPublicKey {
  const r = contents(el, 'SubjectPublicKeyInfo');
  const algReader = r.enter('SubjectPublicKeyInfo algorithm');
  const oid = decodeOid(algReader.expect(Tag.OID, 'key algorithm OID').value);
  const params = algReader.atEnd() ? undefined : algReader.read();
  algReader.expectEnd('SubjectPublicKeyInfo algorithm');
  const keyBytes = decodeOctetAlignedBitString(r.expect(Tag.BIT_STRING, 'subjectPublicKey').value, 'public key');
  r.expectEnd('SubjectPublicKeyInfo');
  const spki = el.raw;
  if (oid === RSA_ENCRYPTION || oid === RSASSA_PSS) {
    const kr = new DerReader(keyBytes).enter('RSAPublicKey');
    const modulus = decodePositiveInteger(kr.expect(Tag.INTEGER, 'RSA modulus').value, 'RSA modulus');
    const exponent = decodePositiveInteger(kr.expect(Tag.INTEGER, 'RSA exponent').value, 'RSA exponent');
    kr.expectEnd('RSAPublicKey');
    const bits = (modulus.length - 1) * 8 + (32 - Math.clz32(modulus[0]));
    const pssOnly = oid === RSASSA_PSS;
    return { key: { kind: 'rsa', spki, modulus, exponent, bits, pssOnly }, name: pssOnly ? `RSA-PSS ${bits}` : `RSA ${bits}` };
  }
  if (oid === EC_PUBLIC_KEY) {
    if (!params || params.tag !== Tag.OID) return { key: null, name: 'EC with explicit curve parameters' };
    const curveOid = decodeOid(params.value);
    const curve = CURVES[curveOid];
    if (curve === undefined || typeof curve === 'string') return { key: null, name: `EC ${curve ?? curveOid}` };
    if (keyBytes[0] !== 0x04) return { key: null, name: `EC ${curve.curve} (compressed point)` };
    if (keyBytes.length !== curve.pointLength) throw new DecodeError(`EC ${curve.curve} point has the wrong length`);
    return { key: { kind: 'ec', spki, curve: curve.curve, point: keyBytes }, name: `EC ${curve.curve}` };
  }
  if (oid === ED25519) {
    if (params || keyBytes.length !== 32) throw new DecodeError('malformed Ed25519 public key');
    return { key: { kind: 'ed25519', spki, key: keyBytes }, name: 'Ed25519' };
  }
  return { key: null, name: oid };
}
