// Certificate (RFC 8446 §4.4.2 for TLS 1.3, RFC 5246 §7.4.2 for TLS 1.2): the server's chain, leaf first.

import { ByteReader } from '../../bytes/byte-reader.js';
import { tlsError } from '../tls-failure.js';
import { readExtensions } from '../extensions.js';
import { frameHandshake, HandshakeType } from './handshake.js';

/** A TLS 1.3 Certificate message: the DER certificates and each entry's extensions. */
export interface Certificate13 {
  chain: Uint8Array[];
  entryExtensions: Map<number, Uint8Array>[];
}

export function parseCertificate13(body: Uint8Array): Certificate13 {
  const r = new ByteReader(body);
  if (r.vec8().length !== 0) {
    throw tlsError('illegal-parameter', 'Certificate: non-empty request context from the server');
  }
  const list = new ByteReader(r.vec24());
  r.expectEnd('Certificate');
  const chain: Uint8Array[] = [];
  const entryExtensions: Map<number, Uint8Array>[] = [];
  while (!list.atEnd()) {
    chain.push(nonEmpty(list.vec24()));
    entryExtensions.push(readExtensions(list, 'CertificateEntry'));
  }
  return { chain, entryExtensions };
}

/** The DER certificates of a TLS 1.2 Certificate message. */
export function parseCertificate12(body: Uint8Array): Uint8Array[] {
  const r = new ByteReader(body);
  const list = new ByteReader(r.vec24());
  r.expectEnd('Certificate');
  const chain: Uint8Array[] = [];
  while (!list.atEnd()) chain.push(nonEmpty(list.vec24()));
  return chain;
}

function nonEmpty(der: Uint8Array): Uint8Array {
  if (der.length === 0) throw tlsError('decode-error', 'Certificate: empty certificate entry');
  return der;
}

/**
 * The client's answer to a CertificateRequest: this client has no certificate, so the list is empty (the server
 * decides whether to continue). TLS 1.3 echoes the request context; TLS 1.2 has none.
 */
export function makeEmptyCertificate(context: Uint8Array | null): Uint8Array {
  return frameHandshake(HandshakeType.certificate, (w) => {
    if (context) w.vec8((w) => w.bytes(context));
    w.u24(0);
  });
}
