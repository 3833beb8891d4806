// CertificateRequest (RFC 8446 §4.3.2, RFC 5246 §7.4.4). Only its TLS 1.3 context matters to a client without a
// certificate; the rest is checked for shape and dropped.

import { ByteReader } from '../../bytes/byte-reader.js';
import { readExtensions } from '../extensions.js';

/** The certificate_request_context of a TLS 1.3 CertificateRequest. */
export function parseCertificateRequest13(body: Uint8Array): Uint8Array {
  const r = new ByteReader(body);
  const context = r.vec8();
  readExtensions(r, 'CertificateRequest');
  r.expectEnd('CertificateRequest');
  return context;
}

/** Check the shape of a TLS 1.2 CertificateRequest. */
export function parseCertificateRequest12(body: Uint8Array): void {
  const r = new ByteReader(body);
  r.vec8();
  r.vec16();
  r.vec16();
  r.expectEnd('CertificateRequest');
}
