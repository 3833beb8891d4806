// CertificateVerify (RFC 8446 §4.4.3): the server's signature over the transcript so far.

import { ByteReader } from '../../bytes/byte-reader.js';
import { asciiEncode, concatBytes } from '../../bytes/bytes.js';

export interface SignedProof {
  scheme: number;
  signature: Uint8Array;
}

/** A DigitallySigned structure: scheme and signature (CertificateVerify's body, the tail of ServerKeyExchange). */
export function readSignedProof(r: ByteReader): SignedProof {
  const scheme = r.u16();
  const signature = r.vec16();
  return { scheme, signature };
}

export function parseCertificateVerify(body: Uint8Array): SignedProof {
  const r = new ByteReader(body);
  const proof = readSignedProof(r);
  r.expectEnd('CertificateVerify');
  return proof;
}

const SERVER_CONTEXT = concatBytes(new Uint8Array(64).fill(0x20), asciiEncode('TLS 1.3, server CertificateVerify'), new Uint8Array(1));

/** What the server signed: 64 spaces, the context string, a zero byte, then the transcript hash. */
export function certificateVerifyContent(transcriptHash: Uint8Array): Uint8Array {
  return concatBytes(SERVER_CONTEXT, transcriptHash);
}
