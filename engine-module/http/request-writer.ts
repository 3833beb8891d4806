import { concatBytes, utf8Encode } from '../bytes/bytes.js';
import { Err, METHOD_NAMES, Method, TICKHTTP_VERSION } from './constants.js';
import { isForbiddenInValue, isTokenString, lowerList } from './field-syntax.js';

/** What the caller asked for, plus what the connection knows. */
export interface RequestInput {
  method: Method;
  url: string;
  /** Godot-style "Name: value" lines. */
  headers: readonly string[];
  body: Uint8Array;
  /** Host header value: the origin's authority without its scheme's default port ("" when unknown). */
  host: string;
  /** "http://host:port" when requests go through an HTTP proxy: origin-form targets are sent in absolute-form. */
  absolutePrefix?: string;
}

/** A serialised request. */
export interface SerializedRequest {
  bytes: Uint8Array;
  /** The request itself said "Connection: close". */
  asksClose: boolean;
}

/** Methods whose empty body is still announced with "Content-Length: 0" (RFC 9110 §8.6). */
const CONTENT_METHODS = new Set([Method.POST, Method.PUT, Method.PATCH]);

/**
 * Validate and serialise a request. Any CR, LF or NUL (or other control character) in the method, target, a header
 * name or value, a malformed header line, a second Host or Content-Length, a Content-Length that is not the body's
 * length, Transfer-Encoding or Upgrade (this client frames bodies itself and never switches protocols), or Expect
 * without a body gives ERR_INVALID_PARAMETER, and nothing is produced.
 */
export function writeRequest(input: RequestInput): SerializedRequest | Err {
  if (!Number.isInteger(input.method) || input.method < 0 || input.method >= Method.MAX) return Err.ERR_INVALID_PARAMETER;
  if (!isValidTarget(input.method, input.url)) return Err.ERR_INVALID_PARAMETER;
  if (!isValidValue(input.host)) return Err.ERR_INVALID_PARAMETER;
  const fields = parseHeaders(input.headers);
  if (!fields) return Err.ERR_INVALID_PARAMETER;

  const named = (n: string) => fields.filter(([name]) => name.toLowerCase() === n);
  const host = named('host');
  const length = named('content-length');
  const connection = named('connection').flatMap(([, v]) => v.split(',').map((s) => s.trim()));
  if (host.length > 1 || length.length > 1) return Err.ERR_INVALID_PARAMETER;
  if (length.length === 1 && length[0][1] !== String(input.body.length)) return Err.ERR_INVALID_PARAMETER;
  if (named('transfer-encoding').length > 0 || named('upgrade').length > 0) return Err.ERR_INVALID_PARAMETER;
  if (connection.some((c) => !isTokenString(c))) return Err.ERR_INVALID_PARAMETER;
  // RFC 9110 §10.1.1: no 100-continue expectation on a request without content.
  if (named('expect').length > 0 && input.body.length === 0) return Err.ERR_INVALID_PARAMETER;

  const target = input.absolutePrefix && input.url.startsWith('/') ? input.absolutePrefix + input.url : input.url;
  const lines = [`${METHOD_NAMES[input.method]} ${target} HTTP/1.1`, `Host: ${host.length ? host[0][1] : input.host}`];
  for (const [name, value] of fields) if (name.toLowerCase() !== 'host') lines.push(`${name}: ${value}`);
  if (named('user-agent').length === 0) lines.push(`User-Agent: tickhttp/${TICKHTTP_VERSION}`);
  if (named('accept').length === 0) lines.push('Accept: */*');
  if (length.length === 0 && (input.body.length > 0 || CONTENT_METHODS.has(input.method))) {
    lines.push(`Content-Length: ${input.body.length}`);
  }
  const head = utf8Encode(lines.join('\r\n') + '\r\n\r\n');
  return {
    bytes: input.body.length ? concatBytes(head, input.body) : head,
    asksClose: lowerList(connection.join(',')).includes('close'),
  };
}

/**
 * Godot's header check, tightened to RFC 9110 field syntax: every line is "token: value" with no whitespace before the
 * colon and no control characters in the value. OK or ERR_INVALID_PARAMETER.
 */
export function verifyHeaders(headers: readonly string[]): Err {
  return parseHeaders(headers) ? Err.OK : Err.ERR_INVALID_PARAMETER;
}

function parseHeaders(headers: readonly string[]): Array<[string, string]> | null {
  const out: Array<[string, string]> = [];
  for (const line of headers) {
    if (typeof line !== 'string') return null;
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (!isTokenString(name) || !isValidValue(value)) return null;
    out.push([name, value]);
  }
  return out;
}

function isValidValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (isForbiddenInValue(value.charCodeAt(i))) return false;
  return true;
}

const AUTHORITY = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]]+):([0-9]{1,5})$/;

/**
 * Godot's target forms: origin-form ("/..."), absolute-form ("http://", "https://"), "*" for OPTIONS, and
 * "host:port" for CONNECT. No spaces or control characters anywhere.
 */
function isValidTarget(method: Method, url: string): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return false;
  }
  if (method === Method.CONNECT) {
    const m = AUTHORITY.exec(url);
    return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 65535;
  }
  if (method === Method.OPTIONS && url === '*') return true;
  return url.startsWith('/') || url.startsWith('http://') || url.startsWith('https://');
}
