import { lowerList } from './field-syntax.js';
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
  const te: string[] = [];
  const cl: string[] = [];
  const connection: string[] = [];
  for (const [name, value] of head.headers) {
    const n = name.toLowerCase();
    if (n === 'transfer-encoding') te.push(...lowerList(value));
    else if (n === 'content-length') cl.push(...value.split(',').map((v) => v.trim()));
    else if (n === 'connection') connection.push(...lowerList(value));
  }
  const persistent = head.minorVersion >= 1 ? !connection.includes('close') : connection.includes('keep-alive') && !connection.includes('close');
  let keepAlive = persistent && !requestAsksClose && head.status !== 101;

  let framing: BodyFraming;
  const hasTe = te.length > 0;
  if (hasTe && cl.length > 0) keepAlive = false;
  if (method === Method.HEAD || head.status === 204 || head.status === 304 || head.status === 101) {
    framing = { kind: 'none' };
  } else if (hasTe) {
    framing = te[te.length - 1] === 'chunked' ? { kind: 'chunked' } : { kind: 'until-close' };
  } else if (cl.length > 0) {
    framing = { kind: 'length', length: parseContentLength(cl) };
  } else {
    framing = { kind: 'until-close' };
  }
  if (framing.kind === 'until-close') keepAlive = false;
  return { framing, keepAlive };
}

/** One length from one or more Content-Length values, which must all be the same decimal number below 2^53. */
function parseContentLength(values: string[]): number {
  let length = -1;
  for (const v of values) {
    if (!/^[0-9]+$/.test(v)) throw new ProtocolError(`invalid Content-Length "${v}"`);
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new ProtocolError('Content-Length past 2^53');
    if (length >= 0 && n !== length) throw new ProtocolError('differing Content-Length values');
    length = n;
  }
  return length;
}
