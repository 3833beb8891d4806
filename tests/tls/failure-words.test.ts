// The one place the words of every TLS failure, and the alert each makes this client send, are checked; every other
// test asserts codes and values.

import { describe, expect, it } from 'vitest';
import { AlertDescription } from '../../engine-module/tls/alerts.js';
import {
  describeTlsFailure,
  TLS_FAILURE_CODES,
  tlsFailureAlert,
  type TlsFailure,
} from '../../engine-module/tls/tls-failure.js';
import { certFailure } from '../../engine-module/tls/x509/certificate-failure.js';

const A = AlertDescription;

/** One failure of every code: its words and the alert sent (null: nothing is sent). */
const CASES: [TlsFailure, string, AlertDescription | null][] = [
  [{ code: 'unexpected-message', detail: 'certificate (expected ServerHello)' }, 'unexpected message: certificate (expected ServerHello)', A.unexpected_message],
  [{ code: 'bad-record-mac' }, 'record failed authentication (bad AEAD tag): data was altered or keys disagree', A.bad_record_mac],
  [{ code: 'record-overflow', detail: 'decrypted record larger than 16 KiB' }, 'record too large: decrypted record larger than 16 KiB', A.record_overflow],
  [{ code: 'decode-error', detail: 'truncated' }, 'malformed message from the server: truncated', A.decode_error],
  [{ code: 'not-tls', detail: 'first bytes 485454502f312e31' }, 'the server did not answer with TLS: first bytes 485454502f312e31', A.decode_error],
  [{ code: 'message-too-large', detail: '4096 bytes, the limit is 1000' }, 'handshake message over the size limit: 4096 bytes, the limit is 1000', A.decode_error],
  [{ code: 'illegal-parameter', detail: 'KeyUpdate: request_update 7' }, 'illegal parameter: KeyUpdate: request_update 7', A.illegal_parameter],
  [{ code: 'downgrade-detected' }, 'downgrade to TLS 1.2 detected (RFC 8446 sentinel in the server random)', A.illegal_parameter],
  [{ code: 'missing-extension', detail: 'ServerHello: no key_share' }, 'missing extension: ServerHello: no key_share', A.missing_extension],
  [{ code: 'unsupported-extension', detail: '4660 in ServerHello' }, 'extension not offered: 4660 in ServerHello', A.unsupported_extension],
  [{ code: 'handshake-failure', detail: 'renegotiation_info' }, 'handshake failure: renegotiation_info', A.handshake_failure],
  [
    { code: 'ems-required' },
    'the server does not support the extended master secret (RFC 7627), which requireExtendedMasterSecret requires',
    A.handshake_failure,
  ],
  [{ code: 'protocol-version', detail: 'server chose TLS 1.1' }, 'no common protocol version: server chose TLS 1.1', A.protocol_version],
  [{ code: 'bad-signature', detail: 'CertificateVerify, ecdsa_secp256r1_sha256' }, "the server's signature does not verify: CertificateVerify, ecdsa_secp256r1_sha256", A.decrypt_error],
  [{ code: 'bad-finished' }, "the server's Finished verify_data is wrong", A.decrypt_error],
  [{ code: 'unsupported-certificate', detail: 'needs an RSA key' }, "the certificate's key does not fit the cipher suite: needs an RSA key", A.unsupported_certificate],
  [
    { code: 'certificate', certificate: certFailure('expired', 'CN=a', 'notAfter 2024-01-01T00:00:00.000Z') },
    'certificate verification failed: certificate expired: CN=a (notAfter 2024-01-01T00:00:00.000Z)',
    A.certificate_expired,
  ],
  [
    { code: 'certificate', certificate: certFailure('unknown-issuer', 'CN=a', 'issuer CN=b') },
    'certificate verification failed: unable to find the issuer (missing intermediate or untrusted root): CN=a (issuer CN=b) (to trust a private CA, pass its PEM as trustedChain)',
    A.unknown_ca,
  ],
  [{ code: 'alert-received', description: 116, expecting: 'Certificate' }, 'server sent alert certificate_required (116) during the handshake (while expecting Certificate)', null],
  [{ code: 'alert-received', description: 200, expecting: null }, 'server sent alert alert 200 (200)', null],
  [
    { code: 'renegotiation-declined', description: 40, expecting: null },
    'server sent alert handshake_failure (40): the server asked to renegotiate, which this client declines',
    null,
  ],
  [{ code: 'closed-during-handshake', expecting: 'ServerHello' }, 'server closed the connection during the handshake (while expecting ServerHello)', null],
  [{ code: 'transport-ended', how: 'failed', expecting: 'ServerHello' }, 'connection failed during the handshake (while expecting ServerHello)', null],
  [{ code: 'transport-ended', how: 'closed', expecting: null }, 'connection closed without close_notify: the data may be truncated', null],
  [
    { code: 'handshake-timeout', ms: 250, expecting: 'ServerHello' },
    'TLS handshake timed out after 250 ms (the server stopped answering) during the handshake (while expecting ServerHello)',
    null,
  ],
  [{ code: 'internal-error', detail: 'random source returned 3 bytes instead of 32' }, 'random source returned 3 bytes instead of 32', A.internal_error],
];

describe('TLS failure words and alerts', () => {
  it.each(CASES)('%o', (failure, words, alert) => {
    expect(describeTlsFailure(failure)).toBe(words);
    expect(tlsFailureAlert(failure)).toBe(alert);
  });

  it('covers every code', () => {
    expect(new Set(CASES.map(([f]) => f.code))).toEqual(new Set(TLS_FAILURE_CODES));
  });

  it('escapes what the server supplied', () => {
    const quoted = describeTlsFailure({ code: 'illegal-parameter', detail: 'server selected application protocol "h2\n\x1b[31m"' });
    expect(quoted).toBe('illegal parameter: server selected application protocol "h2\\x0a\\x1b[31m"');
  });
});
