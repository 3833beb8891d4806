// The header lines a hop is sent with: the caller's, plus what the request layer adds for the attempt.
import type { Exchange } from '../http/exchange.js';
import { validatorHeaders } from './cache.js';
import { ACCEPT_ENCODING } from './decoding.js';
import { hasHeader } from './headers.js';
import type { RequestJob } from './job.js';

/**
 * The hop's headers plus what this layer adds: Accept-Encoding, Range/If-Range, cache validators. An exchange that
 * decodes bodies itself (a browser) chooses the encodings it accepts: no Accept-Encoding is added.
 */
export function hopHeaders(job: RequestJob, exchange: Exchange): string[] {
  const { hop, resume, cacheEntry } = job.attempt;
  const headers = [...hop.headers];
  const hasAcceptEncoding = exchange.decodesBodies || hasHeader(headers, 'accept-encoding');
  if (resume) {
    // Ranges count bytes of the encoded representation: ask for none, so offsets are file offsets.
    if (!hasAcceptEncoding) headers.push('Accept-Encoding: identity');
    headers.push(`Range: bytes=${resume.offset}-`, `If-Range: ${resume.validator}`);
  } else if (job.spec.decompress && !hasAcceptEncoding) headers.push(`Accept-Encoding: ${ACCEPT_ENCODING}`);
  if (cacheEntry) headers.push(...validatorHeaders(cacheEntry));
  return headers;
}
