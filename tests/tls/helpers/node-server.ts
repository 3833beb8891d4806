// A Node tls.createServer on loopback with one of the test PKI's leaves, for interop and transport-end tests.

import tls from 'node:tls';
import type { LeafKind, TestPki } from './certs.js';

/** A listening server and how to stop it (destroying every socket it accepted). */
export interface NodeTlsServer {
  port: number;
  close(): Promise<void>;
}

/** A Node TLS server with `pki`'s `leaf`, running `onConnection` for each client. */
export async function nodeServer(
  pki: TestPki,
  leaf: LeafKind,
  options: tls.TlsOptions,
  onConnection: (s: tls.TLSSocket) => void,
): Promise<NodeTlsServer> {
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer({ key: pki.leaf[leaf].key, cert: pki.leaf[leaf].chain, ...options }, (s) => {
    sockets.add(s);
    s.on('error', () => {});
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => r());
      }),
  };
}
