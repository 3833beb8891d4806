// The certificate extensions path validation understands (RFC 5280 §4.2). Any other extension is ignored unless it
// is critical, in which case its OID is kept so validation can refuse the certificate.

import { DecodeError } from '../../bytes/byte-reader.js';
import { latin1Decode } from '../../bytes/bytes.js';
import {
  DerElement,
  DerReader,
  Tag,
  contextTag,
  decodeBitString,
  decodeBoolean,
  decodeOid,
  decodeSmallInteger,
  readSingle,
} from './der.js';

/** Extended key usage OIDs path validation looks for. */
export const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const EKU_ANY = '2.5.29.37.0';

/** keyUsage bits in their RFC 5280 order. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

/**
 * A GeneralName. dNSName and iPAddress carry their values; the subject's directoryName is compared only by form
 * (see `checkNameConstraints`); any other form keeps just its tag number so constraints on it can be refused.
 */
export type GeneralName =
  | { kind: 'dns'; name: string }
  | { kind: 'ip'; address: Uint8Array }
  | { kind: 'directory' }
  | { kind: 'other'; tagNumber: number };

/** nameConstraints: permitted and excluded subtrees (each a GeneralName base; minimum/maximum are not allowed). */
export interface NameConstraints {
  permitted: GeneralName[];
  excluded: GeneralName[];
}

/** The decoded extensions of one certificate; a field is absent when the extension is. */
export interface Extensions {
  basicConstraints?: { ca: boolean; pathLen?: number };
  keyUsage?: KeyUsage[];
  /** Extended key usage purposes as dotted OIDs. */
  extKeyUsage?: string[];
  subjectAltName?: GeneralName[];
  nameConstraints?: NameConstraints;
  authorityKeyId?: AuthorityKeyId;
  subjectKeyId?: Uint8Array;
  /** OIDs of critical extensions this module does not process (the certificate must then be refused). */
  unknownCritical: string[];
  /** Every extension present, by OID, with its critical flag (the profile rules look at criticality). */
  critical: Map<string, boolean>;
}

/** authorityKeyIdentifier: the key identifier, and whether the issuer-and-serial form was used too. */
export interface AuthorityKeyId {
  keyIdentifier?: Uint8Array;
  issuerAndSerial: boolean;
}

/** Extension OIDs the profile rules refer to. */
export const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  nameConstraints: '2.5.29.30',
  authorityKeyId: '2.5.29.35',
  subjectKeyId: '2.5.29.14',
  policyConstraints: '2.5.29.36',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const;

type Decoder = (value: Uint8Array, into: Extensions) => void;

const DECODERS: Record<string, Decoder> = {
  [OID.basicConstraints]: (v, into) => (into.basicConstraints = decodeBasicConstraints(v)),
  [OID.keyUsage]: (v, into) => (into.keyUsage = decodeKeyUsage(v)),
  [OID.extKeyUsage]: (v, into) => (into.extKeyUsage = decodeSequenceOf(v, 'extKeyUsage', (el) => oidOf(el))),
  [OID.subjectAltName]: (v, into) => (into.subjectAltName = decodeSequenceOf(v, 'subjectAltName', decodeGeneralName)),
  [OID.nameConstraints]: (v, into) => (into.nameConstraints = decodeNameConstraints(v)),
  [OID.authorityKeyId]: (v, into) => (into.authorityKeyId = decodeAuthorityKeyId(v)),
  [OID.subjectKeyId]: (v, into) => (into.subjectKeyId = readSingle(v, Tag.OCTET_STRING, 'subjectKeyIdentifier').value),
  // Not used, but a malformed one is refused as CAs are required to get it right (CABF 7.1.2.7.7).
  [OID.authorityInfoAccess]: (v) => decodeSequenceOf(v, 'authorityInfoAccess', decodeAccessDescription),
  // Processed only for its criticality, which RFC 5280 §4.2.1.11 requires.
  [OID.policyConstraints]: () => undefined,
};

/** Decode the `Extensions` SEQUENCE (the contents of the [3] wrapper). Duplicate extensions are an error. */
export function decodeExtensions(seq: DerElement): Extensions {
  const out: Extensions = { unknownCritical: [], critical: new Map() };
  const r = new DerReader(seq.value);
  if (seq.tag !== Tag.SEQUENCE || r.atEnd()) throw new DecodeError('extensions: expected a non-empty SEQUENCE');
  while (!r.atEnd()) {
    const ext = r.enter('Extension');
    const oid = oidOf(ext.expect(Tag.OID, 'extension OID'));
    const criticalEl = ext.optional(Tag.BOOLEAN);
    const critical = criticalEl ? decodeBoolean(criticalEl.value) : false;
    const value = ext.expect(Tag.OCTET_STRING, 'extension value').value;
    ext.expectEnd('Extension');
    if (out.critical.has(oid)) throw new DecodeError(`extension ${oid} appears twice`);
    out.critical.set(oid, critical);
    const decode = DECODERS[oid];
    if (decode) decode(value, out);
    else if (critical) out.unknownCritical.push(oid);
  }
  return out;
}

function oidOf(el: DerElement): string {
  if (el.tag !== Tag.OID) throw new DecodeError('expected an OBJECT IDENTIFIER');
  return decodeOid(el.value);
}

function decodeSequenceOf<T>(value: Uint8Array, what: string, item: (el: DerElement) => T): T[] {
  const r = new DerReader(readSingle(value, Tag.SEQUENCE, what).value);
  const out: T[] = [];
  while (!r.atEnd()) out.push(item(r.read()));
  if (out.length === 0) throw new DecodeError(`${what} is empty`);
  return out;
}

// The DEFAULT FALSE cA is sometimes encoded explicitly; that is not DER, but it is harmless and common enough in
// deployed roots that refusing it would only break chains.
function decodeBasicConstraints(value: Uint8Array): { ca: boolean; pathLen?: number } {
  const r = new DerReader(readSingle(value, Tag.SEQUENCE, 'basicConstraints').value);
  const caEl = r.optional(Tag.BOOLEAN);
  const lenEl = r.optional(Tag.INTEGER);
  r.expectEnd('basicConstraints');
  const ca = caEl ? decodeBoolean(caEl.value) : false;
  return lenEl ? { ca, pathLen: decodeSmallInteger(lenEl.value) } : { ca };
}

function decodeKeyUsage(value: Uint8Array): KeyUsage[] {
  const { bytes } = decodeBitString(readSingle(value, Tag.BIT_STRING, 'keyUsage').value);
  return KEY_USAGE_BITS.filter((_, i) => i >> 3 < bytes.length && (bytes[i >> 3] & (0x80 >> (i & 7))) !== 0);
}

function decodeAuthorityKeyId(value: Uint8Array): AuthorityKeyId {
  const r = new DerReader(readSingle(value, Tag.SEQUENCE, 'authorityKeyIdentifier').value);
  const keyIdentifier = r.optional(contextTag(0, false))?.value;
  const issuer = r.optional(contextTag(1, true));
  const serial = r.optional(contextTag(2, false));
  r.expectEnd('authorityKeyIdentifier');
  return { keyIdentifier, issuerAndSerial: issuer !== undefined || serial !== undefined };
}

function decodeAccessDescription(el: DerElement): void {
  if (el.tag !== Tag.SEQUENCE) throw new DecodeError('AccessDescription: expected a SEQUENCE');
  const r = new DerReader(el.value);
  oidOf(r.read());
  decodeGeneralName(r.read());
  r.expectEnd('AccessDescription');
}

/** Decode one GeneralName (RFC 5280 §4.2.1.6). */
function decodeGeneralName(el: DerElement): GeneralName {
  if ((el.tag & 0xc0) !== 0x80) throw new DecodeError('GeneralName: expected a context-specific tag');
  const tagNumber = el.tag & 0x1f;
  if (el.tag === contextTag(2, false)) return { kind: 'dns', name: latin1Decode(el.value) };
  if (el.tag === contextTag(7, false)) return { kind: 'ip', address: el.value };
  if (el.tag === contextTag(4, true)) return { kind: 'directory' };
  return { kind: 'other', tagNumber };
}

function decodeNameConstraints(value: Uint8Array): NameConstraints {
  const r = new DerReader(readSingle(value, Tag.SEQUENCE, 'nameConstraints').value);
  const permittedEl = r.optional(contextTag(0, true));
  const excludedEl = r.optional(contextTag(1, true));
  r.expectEnd('nameConstraints');
  if (!permittedEl && !excludedEl) throw new DecodeError('nameConstraints is empty');
  return {
    permitted: permittedEl ? decodeSubtrees(permittedEl.value) : [],
    excluded: excludedEl ? decodeSubtrees(excludedEl.value) : [],
  };
}

// RFC 5280: "the minimum MUST be zero, and maximum MUST be absent", and DER leaves a DEFAULT 0 out, so a subtree is
// exactly one GeneralName.
function decodeSubtrees(value: Uint8Array): GeneralName[] {
  const r = new DerReader(value);
  const out: GeneralName[] = [];
  while (!r.atEnd()) {
    const subtree = r.enter('GeneralSubtree');
    out.push(decodeGeneralName(subtree.read()));
    subtree.expectEnd('GeneralSubtree (minimum and maximum are not supported)');
  }
  if (out.length === 0) throw new DecodeError('nameConstraints has an empty subtree list');
  return out;
}
