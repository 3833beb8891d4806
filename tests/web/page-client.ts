// Runs in the test page: HTTPClient exchanges stepped once per animation frame, reported as plain data.
import { concatBytes } from '../../engine-module/bytes/bytes.js';
import { createWebPlatform, Err, HTTPClient, Method, Status, type WebGlobals, type WebResponse } from '../../engine-module/web.js';

export { Err, HTTPClient, Method, Status };

// The page's own API, typed by shape (the test program is compiled without the DOM library).
const page = globalThis as unknown as { requestAnimationFrame(callback: (time: number) => void): number };

/** The next animation frame. */
export function frame(): Promise<number> {
  return new Promise((resolve) => page.requestAnimationFrame(resolve));
}

export async function sha256Hex(parts: readonly Uint8Array[]): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', concatBytes(...parts)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface ExchangeArgs {
  port: number;
  method: Method;
  path: string;
  headers?: string[];
  body?: string;
  readChunkSize?: number;
  /** close() the client once this many body bytes arrived. */
  closeAfter?: number;
  maxFrames?: number;
}

export interface ExchangeReport {
  connectErr: Err;
  requestErr: Err;
  lastError: string | null;
  code: number;
  headers: Record<string, string>;
  bodyLength: number;
  chunked: boolean;
  received: number;
  sha256: string;
  text: string;
  largestChunk: number;
  /** Status when the exchange settled. */
  status: Status;
  responseUrl: string | null;
}

/** Connect to 127.0.0.1:port, send one request, read the body frame by frame until the status leaves BODY. */
export async function exchange(a: ExchangeArgs): Promise<ExchangeReport> {
  const client = new HTTPClient();
  if (a.readChunkSize) client.setReadChunkSize(a.readChunkSize);
  const report: ExchangeReport = {
    connectErr: client.connectToHost('127.0.0.1', a.port),
    requestErr: Err.OK,
    lastError: null,
    code: 0,
    headers: {},
    bodyLength: -1,
    chunked: false,
    received: 0,
    sha256: '',
    text: '',
    largestChunk: 0,
    status: Status.DISCONNECTED,
    responseUrl: null,
  };
  const parts: Uint8Array[] = [];
  let requested = false;
  for (let n = 0; n < (a.maxFrames ?? 3000); n++) {
    await frame();
    client.poll();
    const status = client.getStatus();
    if (status === Status.CONNECTED && !requested) {
      requested = true;
      report.requestErr = client.request(a.method, a.path, a.headers ?? [], a.body ?? '');
      if (report.requestErr !== Err.OK) break;
      continue;
    }
    if (status === Status.BODY) {
      for (let chunk = client.readResponseBodyChunk(); chunk.length > 0; chunk = client.readResponseBodyChunk()) {
        // Kept as handed out: the array is the caller's, and nothing may write over it later.
        parts.push(chunk);
        report.received += chunk.length;
        report.largestChunk = Math.max(report.largestChunk, chunk.length);
      }
      if (a.closeAfter !== undefined && report.received >= a.closeAfter) {
        client.close();
        break;
      }
    }
    if (requested && client.getStatus() !== Status.REQUESTING && client.getStatus() !== Status.BODY) break;
    if (!requested && status !== Status.CONNECTING && status !== Status.RESOLVING) break;
  }
  report.status = client.getStatus();
  report.lastError = client.getLastError();
  report.code = client.getResponseCode();
  report.headers = client.getResponseHeadersAsDictionary();
  report.bodyLength = client.getResponseBodyLength();
  report.chunked = client.isResponseChunked();
  report.responseUrl = client.getResponseUrl();
  report.sha256 = await sha256Hex(parts);
  if (report.received < 65536) report.text = new TextDecoder().decode(concatBytes(...parts));
  return report;
}

/** What connectToHost / request / setBlockingMode answer for settings a browser cannot honour. */
export function refusals(port: number): Record<string, { err: Err; reason: string | null }> {
  const out: Record<string, { err: Err; reason: string | null }> = {};
  const record = (name: string, client: HTTPClient, err: Err): void => {
    out[name] = { err, reason: client.getLastError() };
  };
  let c = new HTTPClient();
  record('verifyHost', c, c.connectToHost('127.0.0.1', port, true, false));
  c = new HTTPClient();
  record('trustedChain', c, c.connectToHost('127.0.0.1', port, true, true, { trustedChain: PEM }));
  c = new HTTPClient();
  c.setHttpProxy('127.0.0.1', 3128);
  record('proxy', c, c.connectToHost('127.0.0.1', port));
  c = new HTTPClient();
  c.setBlockingMode(true);
  record('blockingBeforeConnect', c, c.connectToHost('127.0.0.1', port));
  c = new HTTPClient();
  c.connectToHost('127.0.0.1', port);
  c.poll();
  c.setBlockingMode(true);
  out.blockingWhileConnected = { err: c.isBlockingModeEnabled() ? Err.OK : Err.ERR_UNAVAILABLE, reason: c.getLastError() };
  record('hostHeader', c, c.request(Method.GET, '/echo', ['Host: example.com']));
  record('severalHeaders', c, c.request(Method.POST, '/echo', ['Connection: close', 'X-Fine: 1', 'Content-Length: 2'], 'hi'));
  record('secHeader', c, c.request(Method.GET, '/echo', ['Sec-Fetch-Mode: no-cors']));
  record('trace', c, c.request(Method.TRACE, '/echo', []));
  record('connect', c, c.request(Method.CONNECT, '/echo', []));
  record('getWithBody', c, c.request(Method.GET, '/echo', [], 'body'));
  out.statusAfter = { err: c.getStatus() as number as Err, reason: null };
  return out;
}

// A syntactically valid certificate is not needed: the refusal comes before any parsing.
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

export interface ReadingReport {
  /** Most stream reads ever pending at once. */
  maxInFlight: number;
  /** Most bytes the client held unread while the game read nothing. */
  maxBuffered: number;
  /** The largest piece one stream read delivered (the browser chooses: up to its data pipe's size). */
  maxChunk: number;
  received: number;
  sha256: string;
  status: Status;
}

/**
 * Download through a client on a web platform whose fetch counts pending stream reads, reading nothing for `idleFrames`
 * frames first (the stream must pause at `maxBufferedBytes`), then everything.
 */
export async function pacedReading(port: number, path: string, maxBufferedBytes: number, idleFrames: number): Promise<ReadingReport> {
  let inFlight = 0;
  let maxInFlight = 0;
  let maxChunk = 0;
  const countingFetch = async (url: string, init: RequestInit): Promise<WebResponse> => {
    const response = await fetch(url, init);
    const reader = response.body!.getReader();
    const counted = {
      read: async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          const result = await reader.read();
          if (result.value) maxChunk = Math.max(maxChunk, result.value.length);
          return result;
        } finally {
          inFlight--;
        }
      },
      cancel: (why?: unknown) => reader.cancel(why),
    };
    const { status, statusText, url: finalUrl, redirected, headers } = response;
    return { status, statusText, url: finalUrl, redirected, headers, body: { getReader: () => counted } };
  };
  const globals = { fetch: countingFetch, AbortController, performance, crypto } as unknown as WebGlobals;
  const client = new HTTPClient({ platform: createWebPlatform({ globals, maxBufferedBytes }) });
  client.connectToHost('127.0.0.1', port);
  const parts: Uint8Array[] = [];
  let maxBuffered = 0;
  let requested = false;
  let received = 0;
  for (let n = 0; n < 5000; n++) {
    await frame();
    client.poll();
    const status = client.getStatus();
    if (status === Status.CONNECTED && !requested) {
      requested = true;
      client.request(Method.GET, path, []);
    } else if (status === Status.BODY) {
      maxBuffered = Math.max(maxBuffered, client.getBufferedBytes());
      if (idleFrames-- > 0) continue;
      for (let c = client.readResponseBodyChunk(); c.length > 0; c = client.readResponseBodyChunk()) {
        parts.push(c.slice());
        received += c.length;
      }
    } else if (requested && status !== Status.REQUESTING) break;
  }
  return { maxInFlight, maxBuffered, maxChunk, received, sha256: await sha256Hex(parts), status: client.getStatus() };
}
