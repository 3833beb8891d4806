// An independent chunked-body decoder used as the oracle for "never complete with fewer bytes than framed". It is as
// lenient as the policy allows (bare LF, chunk extensions, trailers) and ignores size limits: whenever the client
// reports a chunked body complete, this must decode the same bytes to the same body.

import { concatBytes, latin1Decode } from '../engine-module/bytes/bytes.js';

/** The decoded body when `bytes` starts with a whole chunked body, else null. */
export function decodeChunked(bytes: Uint8Array): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let at = 0;
  const line = (): Uint8Array | null => {
    const lf = bytes.indexOf(0x0a, at);
    if (lf < 0) return null;
    const end = lf > at && bytes[lf - 1] === 0x0d ? lf - 1 : lf;
    const out = bytes.subarray(at, end);
    at = lf + 1;
    return out;
  };
  for (;;) {
    const sizeLine = line();
    if (!sizeLine) return null;
    const m = /^([0-9a-fA-F]+)[ \t]*(;.*)?$/s.exec(latin1Decode(sizeLine));
    if (!m) return null;
    const size = parseInt(m[1], 16);
    if (size === 0) break;
    if (at + size > bytes.length) return null;
    parts.push(bytes.subarray(at, at + size));
    at += size;
    const end = line();
    if (!end || end.length !== 0) return null;
  }
  for (;;) {
    const trailer = line();
    if (!trailer) return null;
    if (trailer.length === 0) break;
  }
  return concatBytes(...parts);
}
