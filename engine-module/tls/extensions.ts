// Hello extensions: the type codes this client uses, and the list codec shared by every message that carries them.

import { ByteReader } from '../bytes/byte-reader.js';
import { ByteWriter } from '../bytes/byte-writer.js';
import { AlertDescription, TlsError } from './alerts.js';

/** Extension type codes (IANA TLS ExtensionType registry). */
export enum ExtensionType {
  server_name = 0,
  supported_groups = 10,
  ec_point_formats = 11,
  signature_algorithms = 13,
  alpn = 16,
  extended_master_secret = 23,
  record_size_limit = 28,
  session_ticket = 35,
  pre_shared_key = 41,
  early_data = 42,
  supported_versions = 43,
  cookie = 44,
  psk_key_exchange_modes = 45,
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
    if (out.has(type)) throw new TlsError(AlertDescription.illegal_parameter, `${where}: extension ${type} repeated`);
    out.set(type, data);
  }
  return out;
}

/**
 * Refuse any extension the client did not offer: a server may only answer what was asked (RFC 8446 §4.2,
 * RFC 5246 §7.4.1.4), and `cookie` is the one a HelloRetryRequest may add on its own.
 */
export function checkOffered(received: Map<number, Uint8Array>, offered: ReadonlySet<number>, where: string): void {
  for (const type of received.keys()) {
    if (!offered.has(type)) {
      throw new TlsError(AlertDescription.unsupported_extension, `${where}: extension ${type} was not offered`);
    }
  }
}

/** Encode a body with the writer (extension bodies are small structures of their own). */
export function encodeBody(body: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(64);
  body(w);
  return w.finish();
}
