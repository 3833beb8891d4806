import { isNamed, lastListMember, listHas, skipOws, trimOwsEnd } from './field-syntax.js';
import { Method } from './constants.js';
import { ProtocolError } from './protocol-error.js';
import type { ResponseHead } from './response-head.js';

/** How the body of a response is delimited (RFC 9112 §6.3). */
export type BodyFraming =
  | { kind: 'none' }
  | { kind: 'length'; length: number }
  | { kind: 'chunked' }
  | { kind: 'until-close' };

/** What the client does with a final response: how to read its body, and whether the connection stays open after. */
export interface ResponsePlan {
  framing: BodyFraming;
  keepAlive: boolean;
}

/** True for interim responses, which are skipped (101 is final: it ends HTTP on the connection). */
export function isInterim(status: number): boolean {
  return status >= 100 && status < 200 && status !== 101;
}

/**
 * Decide body framing and persistence for a final response to `method`, per RFC 9112 §6.3 and the policy table:
 * HEAD/204/304/101 have no body; Transfer-Encoding wins over Content-Length and then the connection is not reused;
 * Content-Length values must be digits, agree, and stay below 2^53; otherwise the body runs until close.
 */
export function planResponse(head: ResponseHead, method: Method, requestAsksClose: boolean): ResponsePlan {
  // The last transfer coding named, "" when there is none.
  let lastCoding = '';
  let hasLength = false;
  let close = false;
  let keepAliveAsked = false;
  for (const [name, value] of head.headers) {
    // No lower-cased copies: this runs for every field of every response.
    if (isNamed(name, 'transfer-encoding')) lastCoding = lastListMember(value) || lastCoding;
    else if (isNamed(name, 'content-length')) hasLength = true;
    else if (isNamed(name, 'connection')) {
      close ||= listHas(value, 'close');
      keepAliveAsked ||= listHas(value, 'keep-alive');
    }
  }
  const persistent = !close && (head.minorVersion >= 1 || keepAliveAsked);
  let keepAlive = persistent && !requestAsksClose && head.status !== 101;

  let framing: BodyFraming;
  const hasTe = lastCoding !== '';
  if (hasTe && hasLength) keepAlive = false;
  if (method === Method.HEAD || head.status === 204 || head.status === 304 || head.status === 101) {
    framing = NO_BODY;
  } else if (hasTe) {
    framing = lastCoding === 'chunked' ? CHUNKED : UNTIL_CLOSE;
  } else if (hasLength) {
    framing = { kind: 'length', length: contentLength(head) };
  } else {
    framing = UNTIL_CLOSE;
  }
  if (framing.kind === 'until-close') keepAlive = false;
  return { framing, keepAlive };
}

const NO_BODY: BodyFraming = Object.freeze({ kind: 'none' });
const CHUNKED: BodyFraming = Object.freeze({ kind: 'chunked' });
const UNTIL_CLOSE: BodyFraming = Object.freeze({ kind: 'until-close' });

/**
 * One length from the Content-Length fields (read only when they frame the body): every comma-separated member of
 * every field must be the same decimal number below 2^53.
 */
function contentLength(head: ResponseHead): number {
  let length = -1;
  for (const [name, value] of head.headers) {
    if (!isNamed(name, 'content-length')) continue;
    for (let start = 0; start <= value.length; ) {
      let end = value.indexOf(',', start);
      if (end < 0) end = value.length;
      const n = decimalMember(value, start, end);
      if (length >= 0 && n !== length) throw new ProtocolError('differing Content-Length values');
      length = n;
      start = end + 1;
    }
  }
  return length;
}

/** The decimal number between `start` and `end` of `value`, SP/HTAB around it allowed. */
function decimalMember(value: string, from: number, to: number): number {
  const start = skipOws(value, from, to);
  const end = trimOwsEnd(value, start, to);
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = value.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) n = NaN;
    else n = n * 10 + d;
  }
  if (end === start || Number.isNaN(n)) throw new ProtocolError(`invalid Content-Length "${value.slice(start, end)}"`);
  if (!Number.isSafeInteger(n)) throw new ProtocolError('Content-Length past 2^53');
  return n;
}
