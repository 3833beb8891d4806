// KeyUpdate (RFC 8446 §4.6.3).

import { ByteReader } from '../../bytes/byte-reader.js';
import { tlsError } from '../tls-failure.js';
import { frameHandshake, HandshakeType } from './handshake.js';

/** True when the peer asks for a KeyUpdate in return. */
export function parseKeyUpdate(body: Uint8Array): boolean {
  const r = new ByteReader(body);
  const request = r.u8();
  r.expectEnd('KeyUpdate');
  if (request > 1) throw tlsError('illegal-parameter', `KeyUpdate: request_update ${request}`);
  return request === 1;
}

export function makeKeyUpdate(requestUpdate: boolean): Uint8Array {
  return frameHandshake(HandshakeType.key_update, (w) => w.u8(requestUpdate ? 1 : 0));
}
