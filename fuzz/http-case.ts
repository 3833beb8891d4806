// One HTTP response case: scripted server bytes, delivered in chosen pieces over an in-memory pipe to a real
// HTTPClient that sent one request, then the server closes (or resets). The run checks the hardening properties and
// returns what it saw, so callers can also compare runs (the same bytes split differently must end the same way).

import { bytesEqual, concatBytes } from '../engine-module/bytes/bytes.js';
import { HTTPClient } from '../engine-module/http/client.js';
import type { HTTPClientOptions } from '../engine-module/http/client-options.js';
import { Err, Method, Status } from '../engine-module/http/constants.js';
import { createMemoryPipe } from '../engine-module/net/memory-pipe.js';
import { decodeChunked } from './chunked-oracle.js';
import { takeInternalErrors } from './instrument.js';

/** What to run. */
export interface HttpCase {
  /** Everything the server sends. */
  bytes: Uint8Array;
  /** Offsets where the server's writes are cut (one piece delivered per poll). */
  cuts?: readonly number[];
  method?: Method;
  /** How the server ends once everything is delivered. */
  end?: 'close' | 'reset';
  client?: Pick<HTTPClientOptions, 'maxHeadBytes' | 'maxHeaderCount'>;
  readChunkSize?: number;
}

/** How a case ended. */
export interface HttpOutcome {
  /** Status once settled (DISCONNECTED or CONNECTION_ERROR), or the last one seen when it never settled. */
  status: Status;
  /** The final response was reported complete (the client left BODY/REQUESTING for CONNECTED/DISCONNECTED). */
  complete: boolean;
  code: number;
  /** getResponseBodyLength() as reported once the head arrived (-2 when no head arrived). */
  bodyLength: number;
  chunked: boolean;
  body: Uint8Array;
  /** Offset in `bytes` where the final response's body starts (-1 when it has no body or no head arrived). */
  bodyStart: number;
  polls: number;
  /** Broken properties, each a sentence; empty when the run was fine. */
  violations: string[];
}

/** Polls allowed after the server closed: one per remaining byte (the slowest possible progress) plus slack. */
function pollBound(remaining: number): number {
  return remaining + 16;
}

/** Run one case. */
export function runHttpCase(c: HttpCase): HttpOutcome {
  const method = c.method ?? Method.GET;
  const client = new HTTPClient(c.client ?? {});
  if (c.readChunkSize) client.setReadChunkSize(c.readChunkSize);
  const maxHead = c.client?.maxHeadBytes ?? 64 * 1024;
  const memoryBound = maxHead + client.getReadChunkSize();
  const [clientEnd, server] = createMemoryPipe();
  client.setConnection(clientEnd);
  const violations: string[] = [];
  takeInternalErrors();
  if (client.request(method, '/', []) !== Err.OK) throw new Error('request refused');
  // The request goes out before the server answers, as on a real connection (bytes that arrive before it are refused).
  client.poll();
  server.queueSplits(c.bytes, c.cuts ?? []);

  let delivered = 0;
  let closedAt = -1;
  let remainingAtClose = 0;
  let polls = 0;
  let complete = false;
  let bodyStart = -1;
  let bodyLength = -2;
  let chunked = false;
  let maxHeld = 0;
  const body: Uint8Array[] = [];
  let status = client.getStatus();

  for (;;) {
    if (server.pendingPieces > 0) {
      const before = server.unread;
      server.deliverNext();
      delivered += server.unread - before;
    } else if (closedAt < 0) {
      closedAt = polls;
      remainingAtClose = server.unread + client.getBufferedBytes();
      if (c.end === 'reset') server.reset();
      else server.disconnectFromHost();
    }
    server.getPartialData(server.getAvailableBytes()); // the request: read and dropped

    const wasAwaiting = status === Status.REQUESTING || status === Status.BODY;
    client.poll();
    polls++;
    if (bodyLength === -2 && client.hasResponse()) {
      bodyLength = client.getResponseBodyLength();
      chunked = client.isResponseChunked();
      // The poll that parsed the head read no body, so what it consumed ends exactly where the body starts.
      if (client.getStatus() === Status.BODY) bodyStart = delivered - server.unread - client.getBufferedBytes();
    }
    if (client.getStatus() === Status.BODY) {
      const piece = client.readResponseBodyChunk();
      if (piece.length > 0) body.push(piece.slice());
    }
    maxHeld = Math.max(maxHeld, client.getBufferedBytes());
    status = client.getStatus();
    if (wasAwaiting && client.hasResponse() && (status === Status.CONNECTED || status === Status.DISCONNECTED)) complete = true;

    if (status === Status.DISCONNECTED || status === Status.CONNECTION_ERROR) break;
    if (closedAt >= 0 && polls - closedAt > pollBound(remainingAtClose)) {
      violations.push(`no defined end ${polls - closedAt} polls after the server closed (status ${Status[status]})`);
      break;
    }
  }

  for (const e of takeInternalErrors()) violations.push(`exception inside poll/readResponseBodyChunk: ${e}`);
  if (maxHeld > memoryBound) violations.push(`receive buffer held ${maxHeld} bytes (bound ${memoryBound})`);
  const out: HttpOutcome = {
    status,
    complete,
    code: client.getResponseCode(),
    bodyLength,
    chunked,
    body: concatBytes(...body),
    bodyStart,
    polls,
    violations,
  };
  checkFraming(c, out);
  client.close();
  return out;
}

/** A complete response must carry exactly the bytes its framing says, taken from where its head ended. */
function checkFraming(c: HttpCase, out: HttpOutcome): void {
  if (!out.complete) return;
  const v = out.violations;
  if (out.bodyLength >= 0 && out.body.length !== out.bodyLength) {
    v.push(`complete with ${out.body.length} body bytes, framed ${out.bodyLength}`);
  }
  if (out.bodyStart < 0) return;
  const rest = c.bytes.subarray(out.bodyStart);
  if (out.bodyLength >= 0) {
    if (!bytesEqual(out.body, rest.subarray(0, out.bodyLength))) v.push('complete, but the body differs from the bytes framed');
  } else if (out.chunked) {
    const decoded = decodeChunked(rest);
    if (!decoded) v.push('complete chunked body, but the bytes after the head are not a whole chunked body');
    else if (!bytesEqual(decoded, out.body)) v.push(`chunked body of ${out.body.length} bytes, framed ${decoded.length}`);
  } else {
    if (c.end === 'reset') v.push('until-close body reported complete after a reset');
    if (!bytesEqual(out.body, rest)) v.push(`until-close body of ${out.body.length} bytes, ${rest.length} were sent`);
  }
}

/** Outcomes that any split of the same bytes must share. */
export function outcomeSignature(o: HttpOutcome): string {
  const body = o.complete ? Buffer.from(o.body).toString('base64') : '';
  return `${Status[o.status]} complete=${o.complete} code=${o.code} body=${body}`;
}
