// EncryptedExtensions (RFC 8446 §4.3.1) and the one answer in it this client acts on: ALPN.

import { ByteReader } from '../../bytes/byte-reader.js';
import { latin1Decode } from '../../bytes/bytes.js';
import { readExtensions } from '../extensions.js';

export function parseEncryptedExtensions(body: Uint8Array): Map<number, Uint8Array> {
  const r = new ByteReader(body);
  const ext = readExtensions(r, 'EncryptedExtensions');
  r.expectEnd('EncryptedExtensions');
  return ext;
}

/** The protocol a server selected in its ALPN extension (exactly one name, RFC 7301 §3.1). */
export function parseAlpnSelection(data: Uint8Array): string {
  const r = new ByteReader(data);
  const list = new ByteReader(r.vec16());
  r.expectEnd('alpn');
  const name = list.vec8();
  list.expectEnd('alpn: exactly one protocol');
  return latin1Decode(name);
}
