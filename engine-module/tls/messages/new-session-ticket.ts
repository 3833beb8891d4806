// NewSessionTicket (RFC 8446 §4.6.1). This client does not resume sessions: a ticket is checked for shape and
// dropped.

import { ByteReader } from '../../bytes/byte-reader.js';
import { readExtensions } from '../extensions.js';

export function parseNewSessionTicket13(body: Uint8Array): void {
  const r = new ByteReader(body);
  r.u32();
  r.u32();
  r.vec8();
  r.vec16();
  readExtensions(r, 'NewSessionTicket');
  r.expectEnd('NewSessionTicket');
}
