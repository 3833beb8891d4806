/**
 * Serves the demo page: its HTML and its bundled script (with the source map), from the folder the demo was built
 * into. The page's origin is not the backend's, so the page reaches the backend as a web game reaches its servers:
 * across origins, allowed by CORS.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PAGE_HTML, PAGE_SCRIPT } from './page-html.js';

export interface PageServer {
  /** The page's origin, e.g. http://127.0.0.1:40123 */
  readonly origin: string;
  close(): Promise<void>;
}

/** Start serving on 127.0.0.1 at a free port; `buildDir` holds the page's bundle. Throws when it has not been built. */
export async function startPageServer(buildDir: URL): Promise<PageServer> {
  const read = (name: string): Buffer => {
    try {
      return readFileSync(new URL(name, buildDir));
    } catch {
      throw new Error(`the page's script ${name} is not in ${buildDir.pathname}: build the demo first (npm run demo)`);
    }
  };
  const files = new Map<string, { type: string; body: Buffer }>([
    ['/', { type: 'text/html; charset=utf-8', body: Buffer.from(PAGE_HTML) }],
    [`/${PAGE_SCRIPT}`, { type: 'text/javascript; charset=utf-8', body: read(PAGE_SCRIPT) }],
    [`/${PAGE_SCRIPT}.map`, { type: 'application/json', body: read(`${PAGE_SCRIPT}.map`) }],
  ]);
  const server = http.createServer((req, res) => {
    const file = files.get(new URL(req.url ?? '/', 'http://page').pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
    } else if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    } else {
      res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
