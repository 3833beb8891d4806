// The rules one certificate must meet for its place in a TLS server path, each returning null or the failure.
// They need no signature work, so path building runs them before spending a verification on a candidate.
// The profile is webpki's and the CA/Browser Forum's where RFC 5280 and they differ.

import { bytesEqual } from '../../bytes/bytes.js';
import type { PublicKey, SignatureAlgorithm } from '../crypto/provider.js';
import type { Certificate } from './certificate.js';
import { CertificateFailure, CertificateFailureCode, certFailure } from './certificate-failure.js';
import { EKU_ANY, EKU_SERVER_AUTH, OID } from './extensions.js';
import { checkHostname, parseIpAddress, sanTexts } from './names.js';

/** RSA moduli outside this range are refused wherever a key is used (webpki's limits). */
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 8192;
/** Longest serial number (RFC 5280 §4.1.2.2), in content octets. */
const MAX_SERIAL_OCTETS = 20;
/** An empty Name's DER: SEQUENCE {}. */
const EMPTY_NAME = new Uint8Array([0x30, 0x00]);

/** Failures of `cert`, each naming it by its subject. */
function failing(cert: Certificate): (code: CertificateFailureCode, detail?: string) => CertificateFailure {
  return (code, detail) => certFailure(code, cert.subjectName, detail);
}

/** True when issuer and subject are the same Name (a self-issued certificate). */
export function isSelfIssued(cert: Certificate): boolean {
  return bytesEqual(cert.issuer, cert.subject);
}

/** Checks on the server's own certificate, hostname included. */
export function leafProblem(cert: Certificate, hostname: string, now: Date): CertificateFailure | null {
  const ext = cert.extensions;
  const fail = failing(cert);
  return (
    structureProblem(cert) ??
    issuedProblem(cert) ??
    validityProblem(cert, now) ??
    (ext.basicConstraints?.ca ? fail('ca-as-leaf') : null) ??
    (ext.nameConstraints ? fail('profile-violation', 'nameConstraints in an end-entity certificate') : null) ??
    (ext.keyUsage?.includes('keyCertSign') ? fail('key-usage', 'keyCertSign in a certificate that is not a CA') : null) ??
    (ext.keyUsage && !ext.keyUsage.includes('digitalSignature') ? fail('key-usage', 'leaf lacks digitalSignature') : null) ??
    leafEkuProblem(cert) ??
    keyProblem(cert) ??
    checkHostname(ext.subjectAltName, hostname) ??
    commonNameProblem(cert)
  );
}

/** Checks on a server certificate that is byte for byte a trust anchor: the key is trusted, time and name apply. */
export function pinnedLeafProblem(cert: Certificate, hostname: string, now: Date): CertificateFailure | null {
  return (
    serialProblem(cert) ??
    validityProblem(cert, now) ??
    checkHostname(cert.extensions.subjectAltName, hostname)
  );
}

/**
 * Checks on a CA that would issue the certificates below it: `intermediatesBelow` counts the intermediates between
 * it and the leaf that are not self-issued (those do not count against pathLen, RFC 5280 §4.2.1.9). `anchor` is
 * true for a trust anchor, whose serial number and issuer-side fields are its CA's business, not ours.
 */
export function issuerProblem(
  cert: Certificate,
  intermediatesBelow: number,
  now: Date,
  anchor: boolean,
): CertificateFailure | null {
  const ext = cert.extensions;
  const fail = failing(cert);
  const bc = ext.basicConstraints;
  const pathLen = bc?.pathLen;
  return (
    (anchor ? anchorStructureProblem(cert) : (structureProblem(cert) ?? issuedProblem(cert))) ??
    validityProblem(cert, now) ??
    (bc?.ca ? null : fail('not-a-ca')) ??
    (ext.critical.get(OID.basicConstraints) ? null : fail('profile-violation', 'basicConstraints of a CA not critical')) ??
    (pathLen !== undefined && intermediatesBelow > pathLen
      ? fail('path-length', `allows ${pathLen} intermediate(s) below it, the path has ${intermediatesBelow}`)
      : null) ??
    (ext.keyUsage && !ext.keyUsage.includes('keyCertSign') ? fail('key-usage', 'issuer lacks keyCertSign') : null) ??
    (anchor && ext.extKeyUsage ? fail('profile-violation', 'extKeyUsage in a root certificate') : null) ??
    (ext.extKeyUsage && !ext.extKeyUsage.includes(EKU_SERVER_AUTH) && !ext.extKeyUsage.includes(EKU_ANY)
      ? fail('extended-key-usage')
      : null) ??
    (ext.subjectKeyId ? null : fail('profile-violation', 'CA certificate without subjectKeyIdentifier')) ??
    (bytesEqual(cert.subject, EMPTY_NAME) ? fail('profile-violation', 'CA certificate with an empty subject') : null)
  );
}

/**
 * The algorithm and key to check `child`'s signature with, when `issuer`'s key can: a supported algorithm that fits
 * a usable key. Otherwise the failure.
 */
export function signatureCheck(
  child: Certificate,
  issuer: Certificate,
): { alg: SignatureAlgorithm; key: PublicKey } | CertificateFailure {
  const alg = child.signatureAlgorithm;
  if (!alg) return certFailure('unsupported-signature-algorithm', child.subjectName, child.signatureAlgorithmName);
  const keyIssue = keyProblem(issuer);
  if (keyIssue) return keyIssue;
  const key = issuer.publicKey!;
  if (signatureFitsKey(alg, key)) return { alg, key };
  return certFailure(
    'algorithm-mismatch',
    child.subjectName,
    `${child.signatureAlgorithmName} and the ${issuer.publicKeyName} key of ${issuer.subjectName}`,
  );
}

/**
 * Can `alg` be verified with `key`? An RSA key whose SubjectPublicKeyInfo says id-RSASSA-PSS may sign only with
 * RSASSA-PSS; rsaEncryption keys sign with either padding.
 */
export function signatureFitsKey(alg: SignatureAlgorithm, key: PublicKey): boolean {
  switch (alg.kind) {
    case 'ecdsa':
      return key.kind === 'ec';
    case 'ed25519':
      return key.kind === 'ed25519';
    case 'rsa-pss':
      return key.kind === 'rsa';
    case 'rsa-pkcs1':
      return key.kind === 'rsa' && !key.pssOnly;
  }
}

/**
 * Is the certificate's own key one this library will use? Checked before any big-number work is spent on it,
 * whether or not the chain is verified.
 */
export function keyProblem(cert: Certificate): CertificateFailure | null {
  const key = cert.publicKey;
  const fail = failing(cert);
  if (!key || key.kind !== 'rsa') return keyCostProblem(cert);
  if (key.bits < MIN_RSA_BITS) return fail('key-too-small', `${key.bits} bits, at least ${MIN_RSA_BITS} required`);
  // CABF 6.1.5: a modulus size divisible by 8.
  if (key.bits % 8 !== 0) return fail('unsupported-key', `RSA modulus of ${key.bits} bits, not a multiple of 8`);
  return keyCostProblem(cert);
}

/**
 * The part of {@link keyProblem} that bounds the work a key costs: a supported key, an RSA modulus of at most
 * {@link MAX_RSA_BITS} and a small odd exponent. It applies even when certificates are not verified: a 16384-bit
 * key would stall a poll for seconds.
 */
export function keyCostProblem(cert: Certificate): CertificateFailure | null {
  const key = cert.publicKey;
  const fail = failing(cert);
  if (!key) return fail('unsupported-key', cert.publicKeyName);
  if (key.kind !== 'rsa') return null;
  if (key.bits > MAX_RSA_BITS) return fail('key-too-large', `${key.bits} bits, at most ${MAX_RSA_BITS}`);
  // A small odd public exponent keeps verification cheap; huge exponents are a denial-of-service lever.
  const e = key.exponent;
  if (e.length > 4 || (e[e.length - 1] & 1) === 0 || (e.length === 1 && e[0] < 3)) return fail('unsupported-exponent');
  return null;
}

/** Version, critical extensions and the extension encodings every certificate in a path must get right. */
function structureProblem(cert: Certificate): CertificateFailure | null {
  const ext = cert.extensions;
  const fail = failing(cert);
  if (cert.version !== 3) return fail('unsupported-version', `version ${cert.version}`);
  if (ext.unknownCritical.length > 0) return fail('unknown-critical-extension', ext.unknownCritical.join(', '));
  if (ext.critical.get(OID.authorityKeyId)) return fail('profile-violation', 'authorityKeyIdentifier marked critical');
  if (ext.critical.get(OID.subjectKeyId)) return fail('profile-violation', 'subjectKeyIdentifier marked critical');
  if (ext.critical.get(OID.policyConstraints) === false) return fail('profile-violation', 'policyConstraints not critical');
  if (ext.critical.get(OID.authorityInfoAccess)) return fail('profile-violation', 'authorityInfoAccess marked critical');
  const emptySubject = bytesEqual(cert.subject, EMPTY_NAME);
  const sanCritical = ext.critical.get(OID.subjectAltName);
  if (emptySubject && sanCritical !== true) {
    return fail('profile-violation', 'empty subject without a critical subjectAltName');
  }
  if (!emptySubject && sanCritical === true) {
    return fail('profile-violation', 'subjectAltName marked critical beside a non-empty subject');
  }
  return null;
}

/** A trust anchor's own encoding rules: its authorityKeyIdentifier, if any, must name its own key identifier. */
function anchorStructureProblem(cert: Certificate): CertificateFailure | null {
  const aki = cert.extensions.authorityKeyId;
  const fail = (detail: string) => certFailure('profile-violation', cert.subjectName, detail);
  if (!aki) return structureProblem(cert);
  if (!aki.keyIdentifier) return fail('root authorityKeyIdentifier without keyIdentifier');
  if (aki.issuerAndSerial) return fail('root authorityKeyIdentifier with issuer and serial number');
  const ski = cert.extensions.subjectKeyId;
  if (isSelfIssued(cert) && (!ski || !bytesEqual(ski, aki.keyIdentifier))) {
    return fail('root authorityKeyIdentifier differs from its subjectKeyIdentifier');
  }
  return structureProblem(cert);
}

/** Rules for a certificate a CA issued to someone else: its serial number and the key identifier of its issuer. */
function issuedProblem(cert: Certificate): CertificateFailure | null {
  if (isSelfIssued(cert) || cert.extensions.authorityKeyId?.keyIdentifier) return serialProblem(cert);
  return certFailure('profile-violation', cert.subjectName, 'authorityKeyIdentifier keyIdentifier missing');
}

/** RFC 5280 §4.1.2.2: a positive serial number of at most 20 octets (only roots are let off: some old ones break it). */
function serialProblem(cert: Certificate): CertificateFailure | null {
  const fail = (detail: string) => certFailure('profile-violation', cert.subjectName, detail);
  const serial = cert.serialNumber;
  if (serial.length > MAX_SERIAL_OCTETS) return fail(`serial number of ${serial.length} octets (at most ${MAX_SERIAL_OCTETS})`);
  if (serial[0] & 0x80) return fail('negative serial number');
  if (serial.every((b) => b === 0)) return fail('serial number zero');
  return null;
}

// CABF 7.1.2.7.10: the leaf names serverAuth, never anyExtendedKeyUsage, in a non-critical extension; webpki's
// profile also requires the extension to be present.
function leafEkuProblem(cert: Certificate): CertificateFailure | null {
  const eku = cert.extensions.extKeyUsage;
  const fail = (detail: string) => certFailure('extended-key-usage', cert.subjectName, detail);
  if (!eku) return fail('no extKeyUsage extension');
  if (eku.includes(EKU_ANY)) return fail('anyExtendedKeyUsage in a leaf');
  if (!eku.includes(EKU_SERVER_AUTH)) return fail('leaf lacks serverAuth');
  if (cert.extensions.critical.get(OID.extKeyUsage)) return fail('extKeyUsage marked critical');
  return null;
}

// CABF BR 7.1.4.3: a common name is one of the subjectAltName values, as written there. Deployed chains carry
// common names unrelated to their names (name-constrained test hierarchies among them), and those make no claim a
// verifier relies on; but a common name that spells one of the certificate's own identities differently (another
// case, a non-canonical address, a Unicode domain) is exactly the ambiguity the rule exists to prevent.
function commonNameProblem(cert: Certificate): CertificateFailure | null {
  const san = cert.extensions.subjectAltName ?? [];
  const listed = sanTexts(san);
  for (const cn of cert.commonNames) {
    if (listed.includes(cn)) continue;
    const address = parseIpAddress(cn) ?? parseLooseIpv4(cn);
    const variant =
      /[^\x00-\x7f]/.test(cn) ||
      san.some((n) =>
        n.kind === 'dns' ? n.name.toLowerCase() === cn.toLowerCase() : n.kind === 'ip' && address !== null && bytesEqual(n.address, address),
      );
    if (variant) {
      return certFailure('profile-violation', cert.subjectName, `common name ${cn} is not written as in the subjectAltName`);
    }
  }
  return null;
}

/** An IPv4 address as inet_aton reads it (hex, leading zeros, fewer parts): how a common name may disguise one. */
function parseLooseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length > 4 || !parts.every((p) => /^(0x[0-9a-f]+|[0-9]+)$/i.test(p))) return null;
  const values = parts.map((p) => Number(p));
  let rest = values.pop()!;
  if (values.some((v) => v > 255) || rest >= 2 ** (8 * (4 - values.length))) return null;
  const out = new Uint8Array(4);
  values.forEach((v, i) => (out[i] = v));
  for (let i = 3; i >= values.length; i--, rest = Math.floor(rest / 256)) out[i] = rest % 256;
  return out;
}

function validityProblem(cert: Certificate, now: Date): CertificateFailure | null {
  // Validity is encoded to the second; a time within the last second of notAfter is still within it.
  const seconds = Math.floor(now.getTime() / 1000) * 1000;
  if (seconds < cert.notBefore.getTime()) return certFailure('not-yet-valid', cert.subjectName, `notBefore ${isoSeconds(cert.notBefore)}`);
  if (seconds > cert.notAfter.getTime()) return certFailure('expired', cert.subjectName, `notAfter ${isoSeconds(cert.notAfter)}`);
  return null;
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
