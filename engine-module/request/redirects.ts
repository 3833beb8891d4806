// Which request follows a redirect (RFC 9110 §15.4, with the browser rule for 301/302 after POST).
import { originOf, resolveUrl, type ParsedUrl } from './url.js';
import { withoutHeaders } from './headers.js';
import type { HttpMethod } from './method.js';

/** One request on the wire: what a redirect or a retry re-issues. */
export interface Hop {
  method: HttpMethod;
  url: ParsedUrl;
  /** Caller headers ("Name: value"), without the ones the request layer adds per hop. */
  headers: string[];
  body: Uint8Array | null;
}

/** Credentials that must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
/** Headers describing a body that a redirect dropped. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

/** Status codes that redirect with a Location. */
export function isRedirect(code: number): boolean {
  return code === 301 || code === 302 || code === 303 || code === 307 || code === 308;
}

/**
 * The hop that follows `code` with `location`, or null when the Location is missing or not an http(s) URL.
 * 303 turns everything but HEAD into a body-less GET; 301/302 turn POST into GET (what every browser does);
 * 307/308 keep method and body. Credentials are dropped when the origin changes.
 */
export function redirectHop(hop: Hop, code: number, location: string | null): Hop | null {
  if (location === null || location.trim() === '') return null;
  const url = resolveUrl(hop.url, location);
  if (!url) return null;
  let { method, body, headers } = hop;
  const toGet = (code === 303 && method !== 'HEAD') || ((code === 301 || code === 302) && method === 'POST');
  if (toGet) {
    method = 'GET';
    body = null;
    headers = withoutHeaders(headers, BODY_HEADERS);
  }
  if (originOf(url) !== originOf(hop.url)) headers = withoutHeaders(headers, CREDENTIAL_HEADERS);
  return { method, url, headers, body };
}
