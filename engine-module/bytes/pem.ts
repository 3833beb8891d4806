// PEM certificate bundles (RFC 7468) as found in CA files and Godot's trustedChain option.

import { DecodeError } from './byte-reader.js';
import { base64Decode } from './base64.js';

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';

/**
 * The DER bytes of every `CERTIFICATE` block in `pem`, in order. Text outside the blocks (comments, other block
 * types such as keys) is ignored. Throws {@link DecodeError} for a block without its END line or with bad base64.
 */
export function pemToDer(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (;;) {
    const begin = pem.indexOf(BEGIN, from);
    if (begin < 0) return out;
    const bodyStart = begin + BEGIN.length;
    const end = pem.indexOf(END, bodyStart);
    if (end < 0) throw new DecodeError(`PEM: certificate ${out.length + 1} has no END line`);
    out.push(base64Decode(pem.slice(bodyStart, end)));
    from = end + END.length;
  }
}
