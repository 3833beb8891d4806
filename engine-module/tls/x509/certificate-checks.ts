// The rules one certificate must meet for its place in a TLS server path, each returning null or a reason.
// They need no signature work, so path building runs them before spending a verification on a candidate.

import { bytesEqual } from '../../bytes/bytes.js';
import type { PublicKey, SignatureAlgorithm } from '../crypto/provider.js';
import type { Certificate } from './certificate.js';
import { EKU_ANY, EKU_SERVER_AUTH } from './extensions.js';
import { checkNameConstraints } from './name-constraints.js';
import { checkHostname } from './names.js';

/** RSA moduli outside this range are refused wherever a key is used (webpki's limits). */
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 8192;

/** True when issuer and subject are the same Name (a self-issued certificate). */
export function isSelfIssued(cert: Certificate): boolean {
  return bytesEqual(cert.issuer, cert.subject);
}

/** Checks on the server's own certificate, hostname included. */
export function leafProblem(cert: Certificate, hostname: string, now: Date): string | null {
  const ext = cert.extensions;
  return (
    versionProblem(cert) ??
    criticalProblem(cert) ??
    validityProblem(cert, now, 'certificate') ??
    (ext.basicConstraints?.ca ? `CA certificate used as the server certificate: ${cert.subjectName}` : null) ??
    (ext.extKeyUsage && !ext.extKeyUsage.includes(EKU_SERVER_AUTH)
      ? `leaf lacks serverAuth extended key usage: ${cert.subjectName}`
      : null) ??
    (ext.keyUsage && !ext.keyUsage.includes('digitalSignature')
      ? `leaf keyUsage lacks digitalSignature: ${cert.subjectName}`
      : null) ??
    keyProblem(cert) ??
    checkHostname(ext.subjectAltName, hostname)
  );
}

/**
 * Checks on a server certificate that is itself a trust anchor (a pinned certificate, as Godot's trustedChain
 * allows): the key is trusted as it stands, so only time and name still apply.
 */
export function pinnedLeafProblem(cert: Certificate, hostname: string, now: Date): string | null {
  return validityProblem(cert, now, 'certificate') ?? checkHostname(cert.extensions.subjectAltName, hostname);
}

/**
 * Checks on an intermediate that would issue `path[path.length - 1]`; `path` runs from the leaf up and holds the
 * certificates below the candidate.
 */
export function intermediateProblem(cert: Certificate, path: readonly Certificate[], now: Date): string | null {
  const ext = cert.extensions;
  const below = path.length - 1; // intermediates already between this one and the leaf
  const pathLen = ext.basicConstraints?.pathLen;
  return (
    versionProblem(cert) ??
    criticalProblem(cert) ??
    validityProblem(cert, now, 'intermediate certificate') ??
    (ext.basicConstraints?.ca ? null : `issuer is not a CA (basicConstraints): ${cert.subjectName}`) ??
    (pathLen !== undefined && below > pathLen
      ? `path length constraint exceeded: ${cert.subjectName} allows ${pathLen} intermediate(s) below it, ` +
        `the path has ${below}`
      : null) ??
    (ext.keyUsage && !ext.keyUsage.includes('keyCertSign')
      ? `issuer keyUsage lacks keyCertSign: ${cert.subjectName}`
      : null) ??
    (ext.extKeyUsage && !ext.extKeyUsage.includes(EKU_SERVER_AUTH) && !ext.extKeyUsage.includes(EKU_ANY)
      ? `issuer's extended key usage does not allow serverAuth: ${cert.subjectName}`
      : null) ??
    nameConstraintsProblem(cert, path)
  );
}

/** The name constraints of `issuer` (an intermediate or a trust anchor) against every certificate below it. */
export function nameConstraintsProblem(issuer: Certificate, below: readonly Certificate[]): string | null {
  const constraints = issuer.extensions.nameConstraints;
  if (!constraints) return null;
  for (const cert of below) {
    const problem = checkNameConstraints(constraints, cert);
    if (problem) return `${problem}, imposed by ${issuer.subjectName}`;
  }
  return null;
}

/**
 * The algorithm and key to check `child`'s signature with, when `issuer`'s key can: a supported algorithm that fits
 * a usable key. Otherwise the reason it cannot.
 */
export function signatureCheck(
  child: Certificate,
  issuer: Certificate,
): { alg: SignatureAlgorithm; key: PublicKey } | string {
  const alg = child.signatureAlgorithm;
  if (!alg) return `unsupported signature algorithm ${child.signatureAlgorithmName}: ${child.subjectName}`;
  const key = issuer.publicKey;
  const keyIssue = keyProblem(issuer);
  if (keyIssue || !key) return keyIssue ?? `unsupported public key: ${issuer.subjectName}`;
  const keyKind = alg.kind === 'ecdsa' ? 'ec' : alg.kind === 'ed25519' ? 'ed25519' : 'rsa';
  if (key.kind === keyKind) return { alg, key };
  return (
    `signature algorithm ${child.signatureAlgorithmName} of ${child.subjectName} does not fit ` +
    `the ${issuer.publicKeyName} key of ${issuer.subjectName}`
  );
}

/** Is the certificate's own key one this library will use? */
export function keyProblem(cert: Certificate): string | null {
  const key = cert.publicKey;
  if (!key) return `unsupported public key ${cert.publicKeyName}: ${cert.subjectName}`;
  if (key.kind !== 'rsa') return null;
  if (key.bits < MIN_RSA_BITS) {
    return `RSA key too small (${key.bits} bits, at least ${MIN_RSA_BITS} required): ${cert.subjectName}`;
  }
  if (key.bits > MAX_RSA_BITS) {
    return `RSA key too large (${key.bits} bits, at most ${MAX_RSA_BITS}): ${cert.subjectName}`;
  }
  // A small odd public exponent keeps verification cheap; huge exponents are a denial-of-service lever.
  const e = key.exponent;
  if (e.length > 4 || (e[e.length - 1] & 1) === 0 || (e.length === 1 && e[0] < 3)) {
    return `unsupported RSA public exponent: ${cert.subjectName}`;
  }
  return null;
}

function versionProblem(cert: Certificate): string | null {
  if (cert.version === 3) return null;
  return `certificate version ${cert.version} is not supported (v3 required): ${cert.subjectName}`;
}

function criticalProblem(cert: Certificate): string | null {
  const oids = cert.extensions.unknownCritical;
  return oids.length === 0 ? null : `unsupported critical extension ${oids.join(', ')}: ${cert.subjectName}`;
}

function validityProblem(cert: Certificate, now: Date, role: string): string | null {
  if (now < cert.notBefore) {
    return `${role} is not yet valid (notBefore ${isoSeconds(cert.notBefore)}): ${cert.subjectName}`;
  }
  if (now > cert.notAfter) return `${role} expired (notAfter ${isoSeconds(cert.notAfter)}): ${cert.subjectName}`;
  return null;
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
