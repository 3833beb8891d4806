// Hello extensions: the type codes this client uses, and the list codec shared by every message that carries them.

import { ByteReader } from '../bytes/byte-reader.js';
import { ByteWriter } from '../bytes/byte-writer.js';
import { tlsError } from './tls-failure.js';

/** Extension type codes (IANA TLS ExtensionType registry). */
export enum ExtensionType {
  server_name = 0,
  max_fragment_length = 1,
  status_request = 5,
  supported_groups = 10,
  ec_point_formats = 11,
  signature_algorithms = 13,
  alpn = 16,
  signed_certificate_timestamp = 18,
  encrypt_then_mac = 22,
  extended_master_secret = 23,
  record_size_limit = 28,
  session_ticket = 35,
  pre_shared_key = 41,
  early_data = 42,
  supported_versions = 43,
  cookie = 44,
  psk_key_exchange_modes = 45,
  certificate_authorities = 47,
  post_handshake_auth = 49,
  signature_algorithms_cert = 50,
  key_share = 51,
  renegotiation_info = 0xff01,
}

/** One extension as on the wire: its type and its opaque body. */
export interface Extension {
  type: number;
  data: Uint8Array;
}

/** Write an extension list (with its 2-byte total length). */
export function writeExtensions(w: ByteWriter, list: readonly Extension[]): void {
  w.vec16((w) => {
    for (const e of list) w.u16(e.type).vec16((w) => w.bytes(e.data));
  });
}

/**
 * Read an extension list (with its 2-byte total length) into a map. A repeated type is illegal in every message
 * (RFC 8446 §4.2), so it is refused here once for all of them.
 */
export function readExtensions(r: ByteReader, where: string): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  const list = new ByteReader(r.vec16());
  while (!list.atEnd()) {
    const type = list.u16();
    const data = list.vec16();
    if (out.has(type)) throw tlsError('illegal-parameter', `${where}: extension ${type} repeated`);
    out.set(type, data);
  }
  return out;
}

/** The server messages that carry extensions, as the rules below name them. */
export type ExtensionCarrier =
  | 'ServerHello'
  | 'HelloRetryRequest'
  | 'EncryptedExtensions'
  | 'CertificateEntry'
  | 'ServerHello (TLS 1.2)';

const SH: ExtensionCarrier = 'ServerHello';
const HRR: ExtensionCarrier = 'HelloRetryRequest';
const EE: ExtensionCarrier = 'EncryptedExtensions';
const CT: ExtensionCarrier = 'CertificateEntry';
const SH12: ExtensionCarrier = 'ServerHello (TLS 1.2)';

/**
 * Where a server may send each extension this client recognises: RFC 8446 §4.2's table for the TLS 1.3 messages,
 * and for a TLS 1.2 ServerHello the extensions defined for it (RFC 6066, 4492, 7301, 6962, 7366, 7627, 5077, 5746).
 * An extension missing from the table is one this client does not recognise: it is judged only by whether it was
 * offered. One recognised in the wrong message ends the handshake with illegal_parameter (RFC 8446 §4.2).
 */
const ALLOWED_IN: Readonly<Record<number, readonly ExtensionCarrier[]>> = {
  [ExtensionType.server_name]: [EE, SH12],
  [ExtensionType.max_fragment_length]: [EE, SH12],
  [ExtensionType.status_request]: [CT, SH12],
  [ExtensionType.supported_groups]: [EE],
  [ExtensionType.ec_point_formats]: [SH12],
  [ExtensionType.signature_algorithms]: [],
  [ExtensionType.alpn]: [EE, SH12],
  [ExtensionType.signed_certificate_timestamp]: [CT, SH12],
  [ExtensionType.encrypt_then_mac]: [SH12],
  [ExtensionType.extended_master_secret]: [SH12],
  [ExtensionType.record_size_limit]: [EE, SH12],
  [ExtensionType.session_ticket]: [SH12],
  [ExtensionType.pre_shared_key]: [SH],
  [ExtensionType.early_data]: [EE],
  [ExtensionType.supported_versions]: [SH, HRR],
  [ExtensionType.cookie]: [HRR],
  [ExtensionType.psk_key_exchange_modes]: [],
  [ExtensionType.certificate_authorities]: [],
  [ExtensionType.post_handshake_auth]: [],
  [ExtensionType.signature_algorithms_cert]: [],
  [ExtensionType.key_share]: [SH, HRR],
  [ExtensionType.renegotiation_info]: [SH12],
};

/**
 * Check the extensions a server sent in `carrier` against what the client offered and {@link ALLOWED_IN}: an
 * extension the client did not ask for ends the handshake with unsupported_extension (RFC 8446 §4.2, RFC 5246
 * §7.4.1.4; a HelloRetryRequest's cookie is the one the server may add on its own), one recognised in the wrong
 * message with illegal_parameter.
 */
export function checkServerExtensions(
  received: ReadonlyMap<number, Uint8Array>,
  carrier: ExtensionCarrier,
  offered: ReadonlySet<number>,
): void {
  for (const type of received.keys()) {
    const allowed = ALLOWED_IN[type];
    if (!offered.has(type) && !(carrier === HRR && type === ExtensionType.cookie)) {
      throw tlsError('unsupported-extension', `${extensionName(type)} in ${carrier}`);
    }
    if (allowed && !allowed.includes(carrier)) {
      throw tlsError('illegal-parameter', `extension ${extensionName(type)} is not allowed in ${carrier}`);
    }
  }
}

function extensionName(type: number): string {
  const name = ExtensionType[type];
  return name === undefined ? String(type) : `${name} (${type})`;
}

/** Encode a body with the writer (extension bodies are small structures of their own). */
export function encodeBody(body: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(64);
  body(w);
  return w.finish();
}
