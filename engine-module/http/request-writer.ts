import { concatBytes, utf8Encode } from '../bytes/bytes.js';
import { METHOD_NAMES, Method, TICKHTTP_VERSION } from './constants.js';
import { equalsLower, isForbiddenInValue, isTokenString, skipOws, trimOwsEnd } from './field-syntax.js';
import { quoted, refuse, type Refusal } from './refusal.js';

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

const USER_AGENT_LINE = `User-Agent: tickhttp/${TICKHTTP_VERSION}\r\n`;

/** A request's own lines, checked and classified: what the head is built from. */
interface CheckedFields {
  /** The caller's lines but Host, each as "Name: value\r\n". */
  fieldLines: string;
  host: string | null;
  length: string | null;
  userAgent: boolean;
  accept: boolean;
  asksClose: boolean;
}

/**
 * Validate and serialise a request. Any CR, LF or NUL (or other control character) in the method, target, a header
 * name or value, a malformed header line, a second Host or Content-Length, a Content-Length that is not the body's
 * length, Transfer-Encoding or Upgrade (this client frames bodies itself and never switches protocols), or Expect
 * without a body is refused (ERR_INVALID_PARAMETER, with the reason), and nothing is produced.
 */
export function writeRequest(input: RequestInput): SerializedRequest | Refusal {
  const fields = checkFields(input);
  if ('err' in fields) return fields;
  const body = input.body;
  const target = input.absolutePrefix && input.url.startsWith('/') ? input.absolutePrefix + input.url : input.url;
  let head = `${METHOD_NAMES[input.method]} ${target} HTTP/1.1\r\nHost: ${fields.host ?? input.host}\r\n${fields.fieldLines}`;
  if (!fields.userAgent) head += USER_AGENT_LINE;
  if (!fields.accept) head += 'Accept: */*\r\n';
  if (fields.length === null && (body.length > 0 || CONTENT_METHODS.has(input.method))) head += `Content-Length: ${body.length}\r\n`;
  return { bytes: encodeRequest(`${head}\r\n`, body), asksClose: fields.asksClose };
}

/**
 * The refusal {@link writeRequest} would return for this request, or null when it would write it; nothing is encoded,
 * so a request can be checked where it enters (a request spec) and written later on the wire.
 */
export function requestRefusal(input: RequestInput): Refusal | null {
  const fields = checkFields(input);
  return 'err' in fields ? fields : null;
}

/** {@link writeRequest}'s rules: the refusal of the first thing broken, or the request's lines classified. */
function checkFields(input: RequestInput): CheckedFields | Refusal {
  const methodProblem = methodRefusal(input.method);
  if (methodProblem) return methodProblem;
  const targetProblem = targetRefusal(input.method, input.url);
  if (targetProblem) return refuse(targetProblem);
  if (!isValidValue(input.host, 0, input.host.length)) return refuse(`control character in the Host ${quoted(input.host)}`);

  // One pass over the caller's lines, with no per-field arrays: they are checked, classified and copied into the head.
  let fieldLines = '';
  let host: string | null = null;
  let length: string | null = null;
  let userAgent = false;
  let accept = false;
  let expect = false;
  let asksClose = false;
  for (const line of input.headers) {
    const colon = nameEnd(line);
    if (colon < 0) return checkHeaderLines([line])!;
    const from = skipOws(line, colon + 1, line.length);
    const to = trimOwsEnd(line, from, line.length);
    if (!isValidValue(line, from, to)) return checkHeaderLines([line])!;
    if (equalsLower(line, 0, colon, 'host')) {
      if (host !== null) return refuse('more than one Host header');
      host = line.slice(from, to);
      continue;
    }
    if (equalsLower(line, 0, colon, 'content-length')) {
      if (length !== null) return refuse('more than one Content-Length header');
      length = line.slice(from, to);
    } else if (equalsLower(line, 0, colon, 'transfer-encoding') || equalsLower(line, 0, colon, 'upgrade')) {
      return refuse(`header ${line.slice(0, colon)} is not allowed: the client frames the body itself and never switches protocols`);
    } else if (equalsLower(line, 0, colon, 'connection')) {
      const close = connectionAsksClose(line, from, to);
      if (close === null) return refuse(`Connection header ${quoted(line)} is not a list of tokens`);
      asksClose ||= close;
    } else if (equalsLower(line, 0, colon, 'user-agent')) userAgent = true;
    else if (equalsLower(line, 0, colon, 'accept')) accept = true;
    else if (equalsLower(line, 0, colon, 'expect')) expect = true;
    const canonical = from === colon + 2 && to === line.length && line.charCodeAt(colon + 1) === 0x20;
    fieldLines += canonical ? `${line}\r\n` : `${line.slice(0, colon)}: ${line.slice(from, to)}\r\n`;
  }
  const size = input.body.length;
  if (length !== null && length !== String(size)) {
    return refuse(`Content-Length ${quoted(length)} is not the body's length (${size} bytes)`);
  }
  // RFC 9110 §10.1.1: no 100-continue expectation on a request without content.
  if (expect && size === 0) return refuse('Expect header on a request without a body');
  return { fieldLines, host, length, userAgent, accept, asksClose };
}

/** The refusal of a method that is not a {@link Method} value, or null. */
export function methodRefusal(method: Method): Refusal | null {
  if (Number.isInteger(method) && method >= 0 && method < Method.MAX) return null;
  return refuse(`unknown method ${quoted(method)} (a Method value, 0..${Method.MAX - 1})`);
}

/**
 * Godot's header check, tightened to RFC 9110 field syntax: every line is "token: value" with no whitespace before the
 * colon and no control characters in the value. Null, or the refusal of the first line that is not.
 */
export function checkHeaderLines(headers: readonly string[]): Refusal | null {
  for (const line of headers) {
    const colon = nameEnd(line);
    if (typeof line === 'string' && /[\r\n\0]/.test(line)) return refuse(`header line ${quoted(line)} holds CR, LF or NUL`);
    if (colon < 0) return refuse(`header line ${quoted(line)} is not "Name: value" with a token name`);
    if (!isValidValue(line, colon + 1, line.length)) return refuse(`control character in the value of header line ${quoted(line)}`);
  }
  return null;
}

/** Index of the colon ending a header line's name, or -1 when the line is not a string or its name not a token. */
function nameEnd(line: unknown): number {
  if (typeof line !== 'string') return -1;
  const colon = line.indexOf(':');
  return colon > 0 && isTokenString(line, 0, colon) ? colon : -1;
}

function isValidValue(value: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (isForbiddenInValue(value.charCodeAt(i))) return false;
  return true;
}

/** Whether a Connection value (`line` from `from` to `to`) names "close"; null when a member is not a token. */
function connectionAsksClose(line: string, from: number, to: number): boolean | null {
  let close = false;
  for (let start = from; start <= to; ) {
    let end = line.indexOf(',', start);
    if (end < 0 || end > to) end = to;
    const a = skipOws(line, start, end);
    const b = trimOwsEnd(line, a, end);
    if (!isTokenString(line, a, b)) return null;
    close ||= equalsLower(line, a, b, 'close');
    start = end + 1;
  }
  return close;
}

/** The head's bytes followed by the body's, in one buffer; an ASCII head (the usual case) is written char by char. */
function encodeRequest(head: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(head.length + body.length);
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c >= 0x80) return concatBytes(utf8Encode(head), body);
    out[i] = c;
  }
  out.set(body, head.length);
  return out;
}

const AUTHORITY = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]]+):([0-9]{1,5})$/;

/**
 * Why a target is not one of Godot's forms, or null when it is: origin-form ("/..."), absolute-form ("http://",
 * "https://"), "*" for OPTIONS, and "host:port" for CONNECT. No spaces or control characters anywhere.
 */
function targetRefusal(method: Method, url: string): string | null {
  if (typeof url !== 'string' || url.length === 0) return 'the request target is empty';
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return `space or control character in the request target ${quoted(url)}`;
  }
  if (method === Method.CONNECT) {
    const m = AUTHORITY.exec(url);
    return m && Number(m[2]) >= 1 && Number(m[2]) <= 65535 ? null : `CONNECT target ${quoted(url)} is not host:port`;
  }
  if (method === Method.OPTIONS && url === '*') return null;
  if (url.startsWith('/') || url.startsWith('http://') || url.startsWith('https://')) return null;
  return `request target ${quoted(url)} must start with "/" (or be an absolute http:// or https:// URL)`;
}
