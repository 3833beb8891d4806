// ClientKeyExchange for ECDHE (RFC 8422 §5.7): the client's ephemeral public value.

import { frameHandshake, HandshakeType } from './handshake.js';

export function makeClientKeyExchange(publicKey: Uint8Array): Uint8Array {
  return frameHandshake(HandshakeType.client_key_exchange, (w) => w.vec8((w) => w.bytes(publicKey)));
}
