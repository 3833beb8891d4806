// Finished (RFC 8446 §4.4.4, RFC 5246 §7.4.9): the MAC over the transcript that ends each side's flight.

import { frameHandshake, HandshakeType } from './handshake.js';

export function makeFinished(verifyData: Uint8Array): Uint8Array {
  return frameHandshake(HandshakeType.finished, (w) => w.bytes(verifyData));
}
