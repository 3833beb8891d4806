// The loopback server, run as a child process so that the clients under test never share a thread with it.
// The parent sends `{ chains }` (see certs.mjs) over IPC; this process answers `{ ports }` once listening.
//
//   GET /body?size=N            N bytes with Content-Length, streamed from one reused 1 MiB buffer (N may be 1 GiB)
//   GET /chunked?size=N&chunk=C N bytes, Transfer-Encoding: chunked, one chunk per C bytes (default 64 KiB)
//   GET /small                  a 12-byte body with Content-Length (keep-alive request rate)
//   GET /delay?ms=N             the same 12 bytes after N ms (requests that keep their connection busy)
//
// Servers: plain HTTP, HTTPS with the RSA-2048 chain, HTTPS with the ECDSA P-256 chain (both TLS 1.3 only, and
// following the client's cipher suite order), and HTTPS with the RSA chain on TLS 1.2 only (Godot 3's mbedTLS has
// no TLS 1.3).
import http from 'node:http';
import https from 'node:https';

const BLOCK = Buffer.alloc(1 << 20);
for (let i = 0; i < BLOCK.length; i++) BLOCK[i] = (i * 31 + (i >> 8)) & 0xff;
const SMALL = Buffer.from('hello world\n');

/** Write `size` bytes in pieces of `piece`, honouring back-pressure, then end. */
function stream(res, size, piece) {
  let left = size;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, piece, BLOCK.length);
      left -= n;
      if (!res.write(n === BLOCK.length ? BLOCK : BLOCK.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

function handle(req, res) {
  const url = new URL(req.url, 'http://bench');
  const size = Number(url.searchParams.get('size') ?? 0);
  switch (url.pathname) {
    case '/body':
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
      stream(res, size, BLOCK.length);
      return;
    case '/chunked':
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      stream(res, size, Number(url.searchParams.get('chunk') ?? 65536));
      return;
    case '/small':
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': SMALL.length });
      res.end(SMALL);
      return;
    case '/delay': {
      const timer = setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': SMALL.length });
        res.end(SMALL);
      }, Number(url.searchParams.get('ms') ?? 0));
      res.once('close', () => clearTimeout(timer));
      return;
    }
    default:
      res.writeHead(404, { 'content-length': 0 });
      res.end();
  }
}

function configure(server) {
  server.keepAliveTimeout = 300_000;
  server.headersTimeout = 310_000;
  server.requestTimeout = 0;
  return server;
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

// The client's cipher order decides (Node's default is the server's order; nginx's is the client's): a pure
// JavaScript client prefers ChaCha20-Poly1305, Node's provider and Node's https AES-GCM.
function tlsServer(chain, version = 'TLSv1.3') {
  return configure(https.createServer({ key: chain.key, cert: chain.chain, minVersion: version, maxVersion: version,
    honorCipherOrder: false }, handle));
}

process.once('message', async ({ chains }) => {
  const ports = {
    http: await listen(configure(http.createServer(handle))),
    httpsRsa: await listen(tlsServer(chains.rsa)),
    httpsEcdsa: await listen(tlsServer(chains.ecdsa)),
    httpsRsa12: await listen(tlsServer(chains.rsa, 'TLSv1.2')),
  };
  process.send({ ports });
});
// The parent going away ends this process too.
process.on('disconnect', () => process.exit(0));
