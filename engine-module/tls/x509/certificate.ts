// X.509 v1-v3 certificates (RFC 5280 §4.1) decoded into what path validation needs.

import { DecodeError } from '../../bytes/byte-reader.js';
import { bytesEqual } from '../../bytes/bytes.js';
import type { PublicKey, SignatureAlgorithm } from '../crypto/provider.js';
import { decodePublicKey, decodeSignatureAlgorithm } from './algorithms.js';
import {
  DerElement,
  DerReader,
  Tag,
  contextTag,
  decodeOctetAlignedBitString,
  decodeSmallInteger,
  decodeTime,
  readSingle,
} from './der.js';
import { commonNames, formatName } from './distinguished-name.js';
import { Extensions, decodeExtensions } from './extensions.js';

/** A parsed certificate. Byte fields are views into the DER passed to {@link parseCertificate}. */
export interface Certificate {
  /** The whole certificate. */
  der: Uint8Array;
  /** The TBSCertificate encoding: the bytes the issuer signed. */
  tbs: Uint8Array;
  /** 1, 2 or 3. */
  version: number;
  serialNumber: Uint8Array;
  /** The signature algorithm, or null when it is not supported (see {@link signatureAlgorithmName}). */
  signatureAlgorithm: SignatureAlgorithm | null;
  signatureAlgorithmName: string;
  signature: Uint8Array;
  /** The issuer Name's DER (compared byte for byte with an issuer's subject). */
  issuer: Uint8Array;
  /** The issuer as text, e.g. "CN=Example CA, O=Example". */
  issuerName: string;
  /** The subject Name's DER. */
  subject: Uint8Array;
  subjectName: string;
  /** The subject's commonName values. */
  commonNames: string[];
  notBefore: Date;
  notAfter: Date;
  /** The SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  /** The subject's key, or null when its algorithm or curve is not supported (see {@link publicKeyName}). */
  publicKey: PublicKey | null;
  /** e.g. "RSA 2048", "EC P-256", "EC P-521". */
  publicKeyName: string;
  extensions: Extensions;
}

/** The raw TBSCertificate fields up to the key, shared by the full parse and the cheap identity read. */
interface TbsHead {
  tbs: DerElement;
  signatureAlgorithm: Uint8Array;
  signatureValue: DerElement;
  /** Positioned after the key: unique IDs and extensions remain. */
  rest: DerReader;
  version: number;
  serialNumber: Uint8Array;
  innerSignatureAlgorithm: DerElement;
  issuer: DerElement;
  validity: DerElement;
  subject: DerElement;
  spki: DerElement;
}

function readTbsHead(der: Uint8Array): TbsHead {
  const outer = new DerReader(der);
  const cert = outer.enter('Certificate');
  outer.expectEnd('Certificate');
  const tbs = cert.expect(Tag.SEQUENCE, 'TBSCertificate');
  const signatureAlgorithm = cert.expect(Tag.SEQUENCE, 'signatureAlgorithm').raw;
  const signatureValue = cert.expect(Tag.BIT_STRING, 'signatureValue');
  cert.expectEnd('Certificate');

  const rest = new DerReader(tbs.value);
  const versionEl = rest.optional(contextTag(0, true));
  const version = versionEl ? decodeSmallInteger(readSingle(versionEl.value, Tag.INTEGER, 'version').value) + 1 : 1;
  if (version > 3) throw new DecodeError(`unknown certificate version ${version}`);
  // Serial numbers are read as opaque bytes: deployed roots include negative and over-long ones.
  const serialNumber = rest.expect(Tag.INTEGER, 'serialNumber').value;
  if (serialNumber.length === 0) throw new DecodeError('empty serialNumber');
  const innerSignatureAlgorithm = rest.expect(Tag.SEQUENCE, 'signature');
  const issuer = rest.expect(Tag.SEQUENCE, 'issuer');
  const validity = rest.expect(Tag.SEQUENCE, 'validity');
  const subject = rest.expect(Tag.SEQUENCE, 'subject');
  const spki = rest.expect(Tag.SEQUENCE, 'subjectPublicKeyInfo');
  return {
    tbs,
    signatureAlgorithm,
    signatureValue,
    rest,
    version,
    serialNumber,
    innerSignatureAlgorithm,
    issuer,
    validity,
    subject,
    spki,
  };
}

/**
 * Parse a DER certificate. Throws {@link DecodeError} when it is malformed: not strict DER, trailing bytes, the two
 * signature algorithm fields differing, duplicate or malformed extensions. An unsupported signature or key
 * algorithm is not an error here (the fields are null); path validation refuses it where it matters.
 */
export function parseCertificate(der: Uint8Array): Certificate {
  const head = readTbsHead(der);
  if (!bytesEqual(head.signatureAlgorithm, head.innerSignatureAlgorithm.raw)) {
    throw new DecodeError('signature algorithm differs between the certificate and its TBSCertificate');
  }
  const { alg, name } = decodeSignatureAlgorithm(head.innerSignatureAlgorithm);

  const validity = new DerReader(head.validity.value);
  const notBefore = decodeTime(validity.read());
  const notAfter = decodeTime(validity.read());
  validity.expectEnd('validity');

  const key = decodePublicKey(head.spki);

  const r = head.rest;
  r.optional(contextTag(1, false)); // issuerUniqueID
  r.optional(contextTag(2, false)); // subjectUniqueID
  const extEl = r.optional(contextTag(3, true));
  r.expectEnd('TBSCertificate');
  if (extEl && head.version !== 3) throw new DecodeError('extensions in a certificate older than v3');
  const extensions = extEl
    ? decodeExtensions(readSingle(extEl.value, Tag.SEQUENCE, 'extensions'))
    : { unknownCritical: [], critical: new Map<string, boolean>() };

  return {
    der,
    tbs: head.tbs.raw,
    version: head.version,
    serialNumber: head.serialNumber,
    signatureAlgorithm: alg,
    signatureAlgorithmName: name,
    signature: decodeOctetAlignedBitString(head.signatureValue.value, 'signature'),
    issuer: head.issuer.raw,
    issuerName: formatName(head.issuer),
    subject: head.subject.raw,
    subjectName: formatName(head.subject),
    commonNames: commonNames(head.subject),
    notBefore,
    notAfter,
    spki: head.spki.raw,
    publicKey: key.key,
    publicKeyName: key.name,
    extensions,
  };
}

/**
 * Only the subject and SubjectPublicKeyInfo DER, read without decoding the rest: how trust anchors are indexed
 * without parsing a whole trust store for every connection. Throws {@link DecodeError} if the outline is malformed.
 */
export function readCertificateIdentity(der: Uint8Array): { subject: Uint8Array; spki: Uint8Array } {
  const head = readTbsHead(der);
  return { subject: head.subject.raw, spki: head.spki.raw };
}
