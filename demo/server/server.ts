/**
 * The demo's game backend: assets with a manifest, score submissions and a leaderboard, on loopback. HTTPS by default
 * with certificates made at start-up; the caller gets the CA to trust.
 *
 *   GET  /manifest             {assets: ManifestEntry[]}
 *   GET  /assets/<name>        the asset (Content-Length, chunked, or gzip when accepted)
 *   POST /scores               {player, score, seed, ticks} -> 201 {entry}; 400 {error} when invalid
 *   GET  /leaderboard?top=N    {entries, total}
 *
 * With `corsOrigin`, a page from that origin may call all of it (CORS, preflight included); any other origin gets
 * no CORS headers, so its browser refuses the replies, as a real backend would.
 */
import { constants } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateAssets, manifestOf, type Asset } from './assets.js';
import { createDemoCertificates, type DemoCertificates } from './certificates.js';
import { Leaderboard, seededLeaderboard, validateSubmission } from './scores.js';

export interface DemoServerOptions {
  /** HTTPS (default) or plain HTTP. */
  secure?: boolean;
  /** Reuse certificates instead of generating new ones. */
  certificates?: DemoCertificates;
  /** Seed for the generated assets. */
  assetSeed?: number;
  /** The origin of the page allowed to use the API from a browser, e.g. http://127.0.0.1:8080. */
  corsOrigin?: string;
}

export interface DemoServer {
  /** Base URL, e.g. https://127.0.0.1:40123 */
  readonly url: string;
  /** PEM of the CA that signed the server certificate; null over plain HTTP. */
  readonly caPem: string | null;
  readonly assets: readonly Asset[];
  readonly leaderboard: Leaderboard;
  close(): Promise<void>;
}

const MAX_SCORE_BODY = 4096;
const CHUNK_SIZE = 16 * 1024;
const DEFAULT_TOP = 10;
const MAX_TOP = 100;

/** Start the backend on 127.0.0.1 at a free port. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const secure = options.secure ?? true;
  // Keys are generated on the thread pool while the assets are generated here.
  const pendingCertificates = secure ? options.certificates ?? createDemoCertificates() : null;
  const assets = generateAssets(options.assetSeed);
  const manifest = JSON.stringify({ assets: manifestOf(assets) });
  const leaderboard = seededLeaderboard();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (options.corsOrigin && allowOrigin(req, res, options.corsOrigin)) return;
    route(req, res, { assets, manifest, leaderboard });
  };
  const certificates = await pendingCertificates;
  const server = certificates
    // Like a server that cares for mobile and embedded clients: its own suite order, except that ChaCha20-Poly1305
    // wins when the client lists it first (what tickhttp's pure provider does, being faster than AES in software).
    ? https.createServer({ key: certificates.keyPem, cert: certificates.certPem, honorCipherOrder: true,
      secureOptions: constants.SSL_OP_PRIORITIZE_CHACHA }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`,
    caPem: certificates?.caPem ?? null,
    assets,
    leaderboard,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

interface State {
  assets: Asset[];
  manifest: string;
  leaderboard: Leaderboard;
}

function route(req: http.IncomingMessage, res: http.ServerResponse, state: State): void {
  const url = new URL(req.url ?? '/', 'http://demo');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const readable = method === 'GET' || method === 'HEAD';
  if (path === '/scores') {
    if (method !== 'POST') return methodNotAllowed(res, 'POST');
    return receiveScore(req, res, state.leaderboard);
  }
  if (path === '/manifest' || path === '/leaderboard' || path.startsWith('/assets/')) {
    if (!readable) return methodNotAllowed(res, 'GET, HEAD');
  }
  if (path === '/manifest') return sendJson(res, 200, state.manifest);
  if (path === '/leaderboard') return sendLeaderboard(url, res, state.leaderboard);
  if (path.startsWith('/assets/')) {
    const asset = state.assets.find((a) => `/assets/${a.name}` === path);
    if (asset) return sendAsset(req, res, asset);
  }
  sendJson(res, 404, JSON.stringify({ error: `no such resource: ${path}` }));
}

/**
 * CORS for the one allowed origin: its replies carry Access-Control-Allow-Origin, and its preflight (a POST of JSON
 * needs one) is answered here. Returns true when the request was a preflight and has been answered.
 */
function allowOrigin(req: http.IncomingMessage, res: http.ServerResponse, origin: string): boolean {
  res.setHeader('Vary', 'Origin');
  if (req.headers.origin !== origin) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, HEAD, POST',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '600',
  });
  res.end();
  return true;
}

function sendJson(res: http.ServerResponse, status: number, json: string): void {
  const body = Buffer.from(json, 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.end(body);
}

function fail(res: http.ServerResponse, status: number, reason: string): void {
  sendJson(res, status, JSON.stringify({ error: reason }));
}

function methodNotAllowed(res: http.ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  fail(res, 405, `method not allowed; use ${allow}`);
}

function acceptsGzip(req: http.IncomingMessage): boolean {
  const header = req.headers['accept-encoding'] ?? '';
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    return coding === 'gzip' && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

function sendAsset(req: http.IncomingMessage, res: http.ServerResponse, asset: Asset): void {
  res.setHeader('Content-Type', asset.contentType);
  if (asset.delivery === 'gzip' && asset.gzipped) {
    res.appendHeader('Vary', 'Accept-Encoding');
    if (acceptsGzip(req)) {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': asset.gzipped.length });
      res.end(asset.gzipped);
      return;
    }
  }
  if (asset.delivery === 'chunked') {
    // No Content-Length: Node frames each write as one chunk.
    res.writeHead(200);
    writeChunks(res, asset.body, 0);
    return;
  }
  res.writeHead(200, { 'Content-Length': asset.body.length });
  res.end(asset.body);
}

function writeChunks(res: http.ServerResponse, body: Uint8Array, from: number): void {
  let at = from;
  while (at < body.length) {
    const end = Math.min(body.length, at + CHUNK_SIZE);
    const more = res.write(body.subarray(at, end));
    at = end;
    if (!more && at < body.length) {
      res.once('drain', () => writeChunks(res, body, at));
      return;
    }
  }
  res.end();
}

function receiveScore(req: http.IncomingMessage, res: http.ServerResponse, leaderboard: Leaderboard): void {
  const parts: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (part: Buffer) => {
    size += part.length;
    if (size > MAX_SCORE_BODY) tooLarge = true;
    else parts.push(part);
  });
  req.on('end', () => {
    if (tooLarge) return fail(res, 413, `body larger than ${MAX_SCORE_BODY} bytes`);
    let value: unknown;
    try {
      value = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch (error) {
      return fail(res, 400, `body is not valid JSON: ${(error as Error).message}`);
    }
    const checked = validateSubmission(value);
    if (!checked.ok) return fail(res, 400, checked.reason);
    sendJson(res, 201, JSON.stringify({ entry: leaderboard.add(checked.submission) }));
  });
}

function sendLeaderboard(url: URL, res: http.ServerResponse, leaderboard: Leaderboard): void {
  const raw = url.searchParams.get('top');
  const top = raw === null ? DEFAULT_TOP : Number(raw);
  if (!/^\d+$/.test(raw ?? '1') || !Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    return fail(res, 400, `top must be an integer from 1 to ${MAX_TOP}`);
  }
  sendJson(res, 200, JSON.stringify({ entries: leaderboard.top(top), total: leaderboard.size }));
}
