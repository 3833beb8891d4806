// Why a TLS connection failed, as data: one code per cause. The alert this client sends the server (if any) and the
// words people read are both derived from the code here, never from wording, as for certificate failures.

import { printable } from '../bytes/printable.js';
import { AlertDescription, alertName } from './alerts.js';
import {
  type CertificateFailure,
  certificateFailureAlert,
  certificateFailureText,
} from './x509/certificate-failure.js';

/** Causes detected here in what the server sent: the words and the fatal alert this client answers with. */
const PROTOCOL = {
  'unexpected-message': { text: 'unexpected message', alert: AlertDescription.unexpected_message },
  'bad-record-mac': {
    text: 'record failed authentication (bad AEAD tag): data was altered or keys disagree',
    alert: AlertDescription.bad_record_mac,
  },
  'record-overflow': { text: 'record too large', alert: AlertDescription.record_overflow },
  'decode-error': { text: 'malformed message from the server', alert: AlertDescription.decode_error },
  'not-tls': { text: 'the server did not answer with TLS', alert: AlertDescription.decode_error },
  'message-too-large': { text: 'handshake message over the size limit', alert: AlertDescription.decode_error },
  'illegal-parameter': { text: 'illegal parameter', alert: AlertDescription.illegal_parameter },
  'downgrade-detected': {
    text: 'downgrade to TLS 1.2 detected (RFC 8446 sentinel in the server random)',
    alert: AlertDescription.illegal_parameter,
  },
  'missing-extension': { text: 'missing extension', alert: AlertDescription.missing_extension },
  'unsupported-extension': { text: 'extension not offered', alert: AlertDescription.unsupported_extension },
  'handshake-failure': { text: 'handshake failure', alert: AlertDescription.handshake_failure },
  'ems-required': {
    text: 'the server does not support the extended master secret (RFC 7627), which requireExtendedMasterSecret requires',
    alert: AlertDescription.handshake_failure,
  },
  'protocol-version': { text: 'no common protocol version', alert: AlertDescription.protocol_version },
  'bad-signature': { text: "the server's signature does not verify", alert: AlertDescription.decrypt_error },
  'bad-finished': { text: "the server's Finished verify_data is wrong", alert: AlertDescription.decrypt_error },
  'unsupported-certificate': {
    text: "the certificate's key does not fit the cipher suite",
    alert: AlertDescription.unsupported_certificate,
  },
} as const satisfies Record<string, { text: string; alert: AlertDescription }>;

/** A cause detected in what the server sent, answered with a fatal alert. */
export type TlsProtocolFailureCode = keyof typeof PROTOCOL;

/** How the transport under TLS ended: closed in order, failed (a reset), or given up after `ms` of handshake silence. */
export type TransportEnd = { how: 'closed' | 'failed' } | { how: 'timeout'; ms: number };

/** Why a TLS connection failed. */
export type TlsFailure =
  /** The server broke the protocol; `detail` says where and how (server text in it is escaped when shown). */
  | { code: TlsProtocolFailureCode; detail?: string }
  /** The server's certificate was refused (its key, or its chain when verification is on). */
  | { code: 'certificate'; certificate: CertificateFailure }
  /** The server sent a fatal alert (`expecting`: what the handshake waited for; null once connected). */
  | { code: 'alert-received'; description: number; expecting: string | null }
  /** The server answered this client's no_renegotiation (to its HelloRequest) with a fatal handshake_failure. */
  | { code: 'renegotiation-declined'; description: number; expecting: string | null }
  /** The server sent close_notify before the handshake completed. */
  | { code: 'closed-during-handshake'; expecting: string }
  /**
   * The transport ended (`closed` in order, or `failed`) during the handshake (`expecting` set), or after it without
   * a close_notify (null), when the data may have been cut short.
   */
  | { code: 'transport-ended'; how: 'closed' | 'failed'; expecting: string | null }
  /** The server stopped answering during the handshake for `ms` milliseconds. */
  | { code: 'handshake-timeout'; ms: number; expecting: string }
  /** Not the server's doing: the random source or a provider failed (`detail`: its words). */
  | { code: 'internal-error'; detail: string };

/** The codes of {@link TlsFailure}, for scripts that branch on them. */
export type TlsFailureCode = TlsFailure['code'];

/** Every {@link TlsFailureCode}. */
export const TLS_FAILURE_CODES: readonly TlsFailureCode[] = [
  ...(Object.keys(PROTOCOL) as TlsProtocolFailureCode[]),
  'certificate',
  'alert-received',
  'renegotiation-declined',
  'closed-during-handshake',
  'transport-ended',
  'handshake-timeout',
  'internal-error',
];

function during(expecting: string | null): string {
  return expecting === null ? '' : ` during the handshake (while expecting ${expecting})`;
}

/** The failure in words; whatever the server supplied is escaped. */
export function describeTlsFailure(f: TlsFailure): string {
  switch (f.code) {
    case 'certificate': {
      // An unknown CA is most often the caller's own: say how to trust it.
      const hint =
        certificateFailureAlert(f.certificate) === AlertDescription.unknown_ca ? ' (to trust a private CA, pass its PEM as trustedChain)' : '';
      return `certificate verification failed: ${certificateFailureText(f.certificate)}${hint}`;
    }
    case 'alert-received':
      return `server sent alert ${alertName(f.description)} (${f.description})${during(f.expecting)}`;
    case 'renegotiation-declined':
      return `server sent alert ${alertName(f.description)} (${f.description})${during(f.expecting)}: the server asked to renegotiate, which this client declines`;
    case 'closed-during-handshake':
      return `server closed the connection${during(f.expecting)}`;
    case 'transport-ended':
      return f.expecting === null
        ? `connection ${f.how} without close_notify: the data may be truncated`
        : `connection ${f.how}${during(f.expecting)}`;
    case 'handshake-timeout':
      return `TLS handshake timed out after ${f.ms} ms (the server stopped answering)${during(f.expecting)}`;
    case 'internal-error':
      return printable(f.detail);
    default: {
      const text = PROTOCOL[f.code].text;
      return f.detail === undefined ? text : `${text}: ${printable(f.detail)}`;
    }
  }
}

/** The fatal alert this client sends for the failure; null when the server ended the connection or the transport did. */
export function tlsFailureAlert(f: TlsFailure): AlertDescription | null {
  switch (f.code) {
    case 'certificate':
      return certificateFailureAlert(f.certificate);
    case 'internal-error':
      return AlertDescription.internal_error;
    case 'alert-received':
    case 'renegotiation-declined':
    case 'closed-during-handshake':
    case 'transport-ended':
    case 'handshake-timeout':
      return null;
    default:
      return PROTOCOL[f.code].alert;
  }
}

/** A failure detected while processing what the server sent: thrown inside the engine, caught by it. */
export class TlsError extends Error {
  constructor(readonly failure: TlsFailure) {
    super(describeTlsFailure(failure));
    this.name = 'TlsError';
  }
}

/** A protocol failure with its specifics. */
export function tlsError(code: TlsProtocolFailureCode, detail?: string): TlsError {
  return new TlsError({ code, detail });
}

/** The most common failure: a message that arrived where the state machine expects another. */
export function unexpected(what: string, expected: string): TlsError {
  return tlsError('unexpected-message', `${what} (expected ${expected})`);
}
