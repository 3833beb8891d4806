// What a page cannot ask of fetch or of its files, as reasons in words. A browser silently drops forbidden request
// fields and has no switch for certificate checks or proxies; tickhttp refuses such requests instead of sending
// something else.
import type { CarriedConnect } from './http-transport.js';
import type { WebGlobals } from './web-globals.js';

/** Request fields only the browser may set (the Fetch standard's forbidden request-header names). */
const FORBIDDEN_FIELDS = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);
const FORBIDDEN_PREFIXES = ['proxy-', 'sec-'];
/** Fields that smuggle a method past the check when they name a forbidden one. */
const METHOD_OVERRIDES = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

const NOT_HERE = 'not available in the browser';

/** Why connectToHost's settings cannot be honoured over fetch, or null. */
export function refuseWebConnect(s: CarriedConnect): string | null {
  const why: string[] = [];
  if (s.tls && !s.verifyHost) why.push('verifyHost = false (the browser always verifies certificates)');
  if (s.trustedChain) why.push('trustedChain (the browser trusts only its own roots)');
  if (s.commonNameOverride) why.push("commonNameOverride (the browser verifies the URL's host)");
  if (s.proxy) why.push('HTTP/HTTPS proxies (the browser chooses the proxy)');
  if (s.blocking) why.push('blocking mode (a page cannot wait for fetch inside a frame)');
  return why.length ? `${NOT_HERE}: ${why.join('; ')}` : null;
}

/** Why fetch cannot send this method with these fields, or null. */
export function refuseWebRequest(method: string, headers: ReadonlyArray<[string, string]>, hasBody: boolean): string | null {
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) return `${NOT_HERE}: method ${method} (fetch forbids it)`;
  if (hasBody && (method === 'GET' || method === 'HEAD')) return `${NOT_HERE}: a body with ${method} (fetch forbids it)`;
  const names: string[] = [];
  for (const [name, value] of headers) {
    const n = name.toLowerCase();
    const overridden = METHOD_OVERRIDES.has(n) && value.split(',').some((m) => FORBIDDEN_METHODS.has(m.trim().toUpperCase()));
    if (FORBIDDEN_FIELDS.has(n) || FORBIDDEN_PREFIXES.some((p) => n.startsWith(p)) || overridden) names.push(name);
  }
  if (!names.length) return null;
  const list = names.join(', ');
  return `${NOT_HERE}: request header${names.length > 1 ? 's' : ''} ${list} (only the browser sets ${names.length > 1 ? 'them' : 'it'})`;
}

const NO_OPFS = 'this page has no Origin Private File System';

/** Why downloads to a file cannot work in this page (it has no Origin Private File System), or null. */
export function refuseWebFiles(web: WebGlobals): string | null {
  // Browsers offer navigator.storage only to secure contexts (https, or http from localhost or 127.0.0.1).
  if (web.isSecureContext === false) return `${NO_OPFS}: the page is not a secure context (serve it over https or from localhost)`;
  if (typeof web.navigator?.storage?.getDirectory !== 'function') return `${NO_OPFS}: this browser does not support navigator.storage.getDirectory()`;
  return null;
}
