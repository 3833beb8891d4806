// ServerKeyExchange for ECDHE (RFC 8422 §5.4): the server's ephemeral public value, signed with its certificate key.

import { ByteReader } from '../../bytes/byte-reader.js';
import { tlsError } from '../tls-failure.js';
import { readSignedProof, type SignedProof } from './certificate-verify.js';

export interface EcdheServerParams {
  group: number;
  publicKey: Uint8Array;
  /** The ServerECDHParams bytes exactly as received: they are what the signature covers. */
  params: Uint8Array;
  proof: SignedProof;
}

export function parseServerKeyExchange(body: Uint8Array): EcdheServerParams {
  const r = new ByteReader(body);
  if (r.u8() !== 3) throw tlsError('illegal-parameter', 'ServerKeyExchange: curve type is not named_curve');
  const group = r.u16();
  const publicKey = r.vec8();
  const params = body.subarray(0, r.offset);
  const proof = readSignedProof(r);
  r.expectEnd('ServerKeyExchange');
  return { group, publicKey, params, proof };
}
