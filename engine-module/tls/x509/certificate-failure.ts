// Why a certificate path was refused, as data: one code per cause. The words people read, the TLS alert sent to the
// server and how much a failure says about the chain (so path building can report the most telling of several dead
// ends) are all derived from the code here, never from the wording.

import { printable } from '../../bytes/printable.js';
import { AlertDescription } from '../alerts.js';

/** Every cause a certificate path can be refused for, with the words, alert and rank derived from it. */
const CAUSES = {
  'internal-error': { text: 'certificate verification failed', alert: AlertDescription.internal_error, rank: 9 },
  'invalid-options': { text: 'invalid verification options', alert: AlertDescription.internal_error, rank: 9 },
  'no-certificate': { text: 'the server sent no certificate', alert: AlertDescription.bad_certificate, rank: 9 },
  'too-large': { text: 'certificate too large', alert: AlertDescription.bad_certificate, rank: 6 },
  malformed: { text: 'certificate could not be parsed', alert: AlertDescription.bad_certificate, rank: 6 },
  'unsupported-version': { text: 'certificate version not supported (v3 required)', alert: AlertDescription.unsupported_certificate, rank: 6 },
  'unknown-critical-extension': { text: 'unsupported critical extension', alert: AlertDescription.unsupported_certificate, rank: 6 },
  'not-yet-valid': { text: 'certificate is not yet valid', alert: AlertDescription.certificate_expired, rank: 5 },
  expired: { text: 'certificate expired', alert: AlertDescription.certificate_expired, rank: 5 },
  'ca-as-leaf': { text: 'CA certificate used as the server certificate', alert: AlertDescription.bad_certificate, rank: 6 },
  'not-a-ca': { text: 'issuer is not a CA (basicConstraints)', alert: AlertDescription.bad_certificate, rank: 5 },
  'path-length': { text: 'path length constraint exceeded', alert: AlertDescription.bad_certificate, rank: 5 },
  'key-usage': { text: 'key usage does not allow this use', alert: AlertDescription.bad_certificate, rank: 5 },
  'extended-key-usage': { text: 'extended key usage does not allow serverAuth', alert: AlertDescription.bad_certificate, rank: 5 },
  'profile-violation': { text: 'certificate breaks the RFC 5280 / CA/Browser Forum profile', alert: AlertDescription.bad_certificate, rank: 5 },
  'name-constraints': { text: 'name constraints violated', alert: AlertDescription.bad_certificate, rank: 5 },
  'name-constraints-budget': { text: 'name constraint checks exceed their budget', alert: AlertDescription.bad_certificate, rank: 8 },
  'invalid-hostname': { text: 'not a valid DNS name or IP address', alert: AlertDescription.internal_error, rank: 9 },
  'hostname-mismatch': { text: 'hostname mismatch', alert: AlertDescription.bad_certificate, rank: 6 },
  'unsupported-signature-algorithm': { text: 'unsupported signature algorithm', alert: AlertDescription.unsupported_certificate, rank: 4 },
  'unsupported-key': { text: 'unsupported public key', alert: AlertDescription.unsupported_certificate, rank: 4 },
  'key-too-small': { text: 'RSA key too small', alert: AlertDescription.insufficient_security, rank: 4 },
  'key-too-large': { text: 'RSA key too large', alert: AlertDescription.unsupported_certificate, rank: 4 },
  'unsupported-exponent': { text: 'unsupported RSA public exponent', alert: AlertDescription.unsupported_certificate, rank: 4 },
  'algorithm-mismatch': { text: "signature algorithm does not fit the issuer's key", alert: AlertDescription.bad_certificate, rank: 2 },
  'bad-signature': { text: 'bad certificate signature', alert: AlertDescription.bad_certificate, rank: 2 },
  'chain-too-long': { text: 'certificate chain too long', alert: AlertDescription.bad_certificate, rank: 3 },
  'search-exhausted': { text: 'gave up building a path', alert: AlertDescription.bad_certificate, rank: 7 },
  'untrusted-self-signed': { text: 'self-signed certificate not trusted', alert: AlertDescription.unknown_ca, rank: 1 },
  'unknown-issuer': { text: 'unable to find the issuer (missing intermediate or untrusted root)', alert: AlertDescription.unknown_ca, rank: 1 },
} as const satisfies Record<string, { text: string; alert: AlertDescription; rank: number }>;

/** A cause of refusal: see {@link CERTIFICATE_FAILURE_CODES}. */
export type CertificateFailureCode = keyof typeof CAUSES;

/** Every {@link CertificateFailureCode}, for callers that switch on them. */
export const CERTIFICATE_FAILURE_CODES = Object.keys(CAUSES) as CertificateFailureCode[];

/** Why a certificate path was refused. */
export interface CertificateFailure {
  code: CertificateFailureCode;
  /** The certificate concerned, by subject (server-controlled text: escaped when shown). */
  subject?: string;
  /** The specifics (names, dates, sizes), in words. */
  detail?: string;
}

/** Shorthand constructor. */
export function certFailure(code: CertificateFailureCode, subject?: string, detail?: string): CertificateFailure {
  return { code, subject, detail };
}

/**
 * The words for a failure: "summary: subject (detail)", e.g.
 * "certificate expired: CN=example.com (notAfter 2024-01-01T00:00:00Z)", or "summary: detail" without a subject.
 * Server-controlled text is escaped.
 */
export function certificateFailureText(f: CertificateFailure): string {
  const summary = CAUSES[f.code].text;
  const detail = f.detail === undefined ? undefined : printable(f.detail);
  if (f.subject === undefined) return detail === undefined ? summary : `${summary}: ${detail}`;
  const subject = printable(f.subject === '' ? '(empty subject)' : f.subject);
  return detail === undefined ? `${summary}: ${subject}` : `${summary}: ${subject} (${detail})`;
}

/** The alert a TLS client sends when the server's certificate fails so. */
export function certificateFailureAlert(f: CertificateFailure): AlertDescription {
  return CAUSES[f.code].alert;
}

/**
 * How much a failure tells about the chain: path building meets many dead ends (a candidate issuer whose signature
 * does not verify, a missing issuer) and reports the highest-ranked one, the first of equals.
 */
export function certificateFailureRank(f: CertificateFailure): number {
  return CAUSES[f.code].rank;
}
