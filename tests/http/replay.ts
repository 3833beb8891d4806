// Replays scripted server bytes through HTTPClient over an in-memory pipe, synchronously, in chosen pieces.
import { latin1Decode } from '../../engine-module/bytes/bytes.js';
import { HTTPClient } from '../../engine-module/http/client.js';
import type { HTTPClientOptions } from '../../engine-module/http/client-options.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { createMemoryPipe, type MemoryPeer } from '../../engine-module/net/memory-pipe.js';

/** One final response as the client reported it. */
export interface ReplayedResponse {
  status: number;
  headers: Array<[string, string]>;
  /** Body bytes as a latin1 string (one char per byte). */
  body: string;
  /** Completed only after the server closed the connection. */
  eof: boolean;
  /** The client stayed CONNECTED after it (the connection may carry another request). */
  reusable: boolean;
}

/** Everything a replay observed. */
export interface ReplayOutcome {
  responses: ReplayedResponse[];
  /** The client ended in STATUS_CONNECTION_ERROR. */
  error: boolean;
  /** Status at the end of the replay. */
  finalStatus: Status;
  /** Status code and headers of every final response whose head arrived (complete or not). */
  heads: Array<{ status: number; headers: Array<[string, string]> }>;
  /** Body bytes read of the response still in flight at the end (latin1). */
  partialBody: string;
  /** Requests written by the client (bytes received by the scripted server). */
  requestBytes: number;
}

export interface ReplayOptions {
  /** One request per entry, each sent once the previous response completed on a reusable connection. */
  methods?: Method[];
  client?: HTTPClientOptions;
  /** Close the server side once every piece was delivered and the client made no more progress (default true). */
  closeAtEnd?: boolean;
}

function latin1(parts: Uint8Array[]): string {
  return parts.map((p) => latin1Decode(p)).join('');
}

function headersOf(client: HTTPClient): Array<[string, string]> {
  return client.getResponseHeaders().map((h): [string, string] => {
    const i = h.indexOf(':');
    return [h.slice(0, i), h.slice(i + 2)];
  });
}

function drain(server: MemoryPeer): number {
  return server.getPartialData(server.getAvailableBytes()).length;
}

/** Feed `pieces` to a fresh client one at a time, whenever it can make no more progress with what it has. */
export function replay(pieces: Uint8Array[], options: ReplayOptions = {}): ReplayOutcome {
  const methods = options.methods ?? [Method.GET];
  const client = new HTTPClient(options.client);
  const [clientEnd, server] = createMemoryPipe();
  client.setConnection(clientEnd);
  const responses: ReplayedResponse[] = [];
  let sent = 0;
  let inFlight = false;
  let delivered = 0;
  let closed = false;
  let body: Uint8Array[] = [];
  let requestBytes = 0;
  const heads: ReplayOutcome['heads'] = [];
  const issue = () => {
    const err = client.request(methods[sent++], '/', []);
    if (err !== Err.OK) throw new Error(`request refused: ${Err[err]}`);
    inFlight = true;
  };
  issue();
  for (let guard = 0; guard < 10_000_000; guard++) {
    const before = client.getStatus();
    client.poll();
    requestBytes += drain(server);
    let progressed = false;
    while (client.getStatus() === Status.BODY) {
      const chunk = client.readResponseBodyChunk();
      if (chunk.length === 0) break;
      body.push(chunk.slice());
      progressed = true;
    }
    const status = client.getStatus();
    if (inFlight && client.hasResponse() && heads.length < sent) heads.push({ status: client.getResponseCode(), headers: headersOf(client) });
    if (inFlight && (status === Status.CONNECTED || status === Status.DISCONNECTED) && client.hasResponse()) {
      responses.push({ status: client.getResponseCode(), headers: headersOf(client), body: latin1(body), eof: closed, reusable: status === Status.CONNECTED });
      body = [];
      inFlight = false;
      if (status === Status.CONNECTED && sent < methods.length) issue();
      continue;
    }
    if (status === Status.CONNECTION_ERROR || status === Status.DISCONNECTED) break;
    if (status !== before || progressed) continue;
    if (delivered < pieces.length) server.putPartialData(pieces[delivered++]);
    else if (!closed && options.closeAtEnd !== false) {
      server.disconnectFromHost();
      closed = true;
    } else break;
  }
  const finalStatus = client.getStatus();
  return { responses, error: finalStatus === Status.CONNECTION_ERROR, finalStatus, heads, partialBody: latin1(body), requestBytes };
}

/** The ways a byte string is cut for replay: whole, at every split point (sampled for long inputs), byte by byte. */
export function splitVariants(bytes: Uint8Array, maxTwoPieceSplits = 600): Array<{ name: string; pieces: Uint8Array[] }> {
  const out = [{ name: 'whole', pieces: [bytes] }];
  const step = Math.max(1, Math.ceil(bytes.length / maxTwoPieceSplits));
  for (let i = 1; i < bytes.length; i += step) out.push({ name: `split@${i}`, pieces: [bytes.subarray(0, i), bytes.subarray(i)] });
  const ones: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i++) ones.push(bytes.subarray(i, i + 1));
  out.push({ name: 'byte-by-byte', pieces: ones });
  return out;
}
