// The peers of the browser tests, on 127.0.0.1: a page server (the test page and its bundle) and, on another port
// (another origin, so every call is a CORS request), the API the page talks to.
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { build } from 'esbuild';
import { listen, shut } from '../http/loopback-server.js';

/** What the API saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface WebTestServer {
  /** The test page: it loads the bundle of `entry` and exposes what it exports as `window.suite`. */
  pageUrl: string;
  /** "http://127.0.0.1:port" of the API. */
  apiOrigin: string;
  apiPort: number;
  /** Requests the API received (CORS preflights excluded), in order. */
  seen: SeenRequest[];
  /** The sha256 (hex) of each body the API sent under /bytes, by the id the page gave. */
  sentSha256: Map<string, string>;
  /** Bodies /stall responses are holding open. */
  stalled: Set<ServerResponse>;
  /** The bodies /file serves, by "id:version" (made on the first request for them). */
  files: Map<string, Buffer>;
  /** Ids of /file whose `cut` was applied already (each cuts one response only). */
  cut: Set<string>;
  close(): Promise<void>;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'X-Sha256, X-Method, Content-Length, Content-Encoding, ETag, Content-Range, Accept-Ranges',
};

/** What /gzip sends, compressed. */
export const GZIP_TEXT = 'a body the browser decodes itself '.repeat(1000);

function cors(res: ServerResponse): void {
  for (const [name, value] of Object.entries(CORS)) res.setHeader(name, value);
}

/** Body bytes in pieces of varied sizes (as a server writing from a stream would), from a seeded pattern. */
function writeInPieces(res: ServerResponse, body: Buffer, done: () => void): void {
  let at = 0;
  const next = (): void => {
    while (at < body.length) {
      const size = Math.min(body.length - at, 1 + ((at * 7919) % 200_000));
      const ok = res.write(body.subarray(at, at + size));
      at += size;
      if (!ok) return void res.once('drain', next);
    }
    done();
  };
  next();
}

function api(server: WebTestServer, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const q = (name: string): string => url.searchParams.get(name) ?? '';
  if (req.method !== 'OPTIONS') server.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
  if (url.pathname === '/nocors') {
    res.end('no CORS headers here');
    return;
  }
  cors(res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS',
      'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
      'Access-Control-Max-Age': '600',
    });
    res.end();
    return;
  }
  switch (url.pathname) {
    case '/echo': {
      const sha = createHash('sha256').update(body).digest('hex');
      res.setHeader('X-Method', req.method ?? '');
      res.setHeader('Content-Type', 'application/json');
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ method: req.method, headers: req.headers, length: body.length, sha256: sha }));
      return;
    }
    case '/bytes': {
      const data = randomBytes(Number(q('n')));
      const sha = createHash('sha256').update(data).digest('hex');
      server.sentSha256.set(q('id'), sha);
      res.setHeader('X-Sha256', sha);
      res.setHeader('Content-Type', 'application/octet-stream');
      if (q('mode') !== 'chunked') res.setHeader('Content-Length', data.length);
      writeInPieces(res, data, () => res.end());
      return;
    }
    case '/status':
      res.statusCode = Number(q('code'));
      res.end(`status ${q('code')}`);
      return;
    case '/etag':
      // Revalidation: the same ETag every time; a matching If-None-Match gets 304 without a body.
      res.setHeader('ETag', '"v1"');
      res.setHeader('Cache-Control', 'no-cache');
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
      else res.end(`cached body ${q('id')}`);
      return;
    case '/gzip':
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'text/plain' });
      res.end(gzipSync(Buffer.from(GZIP_TEXT)));
      return;
    case '/redirect':
      res.writeHead(302, { Location: q('to') });
      res.end();
      return;
    case '/reset': {
      // Announce n bytes, send half, then reset the connection: the body is cut short.
      const n = Number(q('n'));
      res.writeHead(200, { 'Content-Length': n, 'Content-Type': 'application/octet-stream' });
      res.write(randomBytes(n >> 1), () => setTimeout(() => req.socket.resetAndDestroy(), 50));
      return;
    }
    case '/file': {
      // A resumable file: ETag "id-version", Range "bytes=first-" honoured when If-Range (if sent) names the current
      // version, else 200 with the whole body; `cut=K` resets the first response of this id after byte K of the file,
      // `hold=K` sends up to byte K and then nothing until the test ends; `maxAge=S` lets the browser cache it.
      const id = q('id');
      const key = `${id}:${q('v') || '1'}`;
      let data = server.files.get(key);
      if (!data) server.files.set(key, (data = randomBytes(Number(q('n')))));
      server.sentSha256.set(key, createHash('sha256').update(data).digest('hex'));
      const etag = `"${id}-${q('v') || '1'}"`;
      const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
      const ifRange = req.headers['if-range'];
      const first = range && (ifRange === undefined || ifRange === etag) && Number(range[1]) < data.length ? Number(range[1]) : 0;
      const head: Record<string, string | number> = { ETag: etag, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream', 'Content-Length': data.length - first };
      if (q('maxAge')) head['Cache-Control'] = `max-age=${q('maxAge')}`;
      if (range && first > 0) head['Content-Range'] = `bytes ${first}-${data.length - 1}/${data.length}`;
      res.writeHead(first > 0 ? 206 : 200, head);
      const cutAt = q('cut') === '' || server.cut.has(id) ? -1 : Number(q('cut'));
      if (cutAt > first) {
        server.cut.add(id);
        res.write(data.subarray(first, cutAt), () => setTimeout(() => req.socket.resetAndDestroy(), 50));
      } else if (Number(q('hold') || -1) > first) {
        res.write(data.subarray(first, Number(q('hold'))));
        server.stalled.add(res);
      } else writeInPieces(res, data.subarray(first), () => res.end());
      return;
    }
    case '/stall':
      // A head and a first piece of body, then nothing until the test ends.
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.write(Buffer.alloc(Number(q('n') || 1000), 7));
      server.stalled.add(res);
      return;
    default:
      res.statusCode = 404;
      res.end('not found');
  }
}

/** The test page: the bundle's exports become `window.suite`. */
const SUITE_PAGE = {
  html: `<!doctype html><meta charset="utf-8"><title>tickhttp web tests</title>
<script type="module">import * as suite from '/page.js'; window.suite = suite; window.suiteReady = true;</script>`,
  script: '/page.js',
};

/** Bundle `entry` as the page's script and start both servers; `page` replaces the test page (and names its script). */
export async function startWebTestServer(entry: string, page = SUITE_PAGE): Promise<WebTestServer> {
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', write: false, target: 'es2020', logLevel: 'warning' });
  const script = bundle.outputFiles[0].contents;
  const sockets = new Set<Socket>();
  const pageServer = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === page.script) res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    else if (path === '/') res.writeHead(200, { 'Content-Type': 'text/html' }).end(page.html);
    else res.writeHead(404).end();
  });
  const apiServer = createServer();
  for (const s of [pageServer, apiServer]) {
    s.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  const pagePort = await listen(pageServer);
  const apiPort = await listen(apiServer);
  const server: WebTestServer = {
    pageUrl: `http://127.0.0.1:${pagePort}/`,
    apiOrigin: `http://127.0.0.1:${apiPort}`,
    apiPort,
    seen: [],
    sentSha256: new Map(),
    stalled: new Set(),
    files: new Map(),
    cut: new Set(),
    async close() {
      for (const res of server.stalled) res.destroy();
      await Promise.all([shut(pageServer, sockets), shut(apiServer, sockets)]);
    },
  };
  apiServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => api(server, req, res, Buffer.concat(parts)));
  });
  return server;
}
