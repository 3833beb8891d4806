// A TLS server (Node's tls) over a raw TCP socket it keeps, so a test can end the connection with a close_notify, a
// FIN or a reset; and the node provider counting the records its AEADs open.

import { createServer, type Server, type Socket } from 'node:net';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { nodeCrypto } from '../../../engine-module/platform/node-crypto.js';
import type { CryptoProvider } from '../../../engine-module/tls/crypto/provider.js';
import { makeTestPki, type TestPki } from './certs.js';

/** How the server's side of the TCP connection ends after it wrote its data. */
export type Ending = 'close_notify' | 'fin' | 'reset' | 'open';

export interface RawServer {
  port: number;
  /** Bytes the current connection's TCP socket has been given to send, once `data` is written; null before. */
  sent(): number | null;
  /** Write more application data on the current connection. */
  write(data: Uint8Array): void;
  /** End the current connection as `ending` says. */
  end(ending: Ending): void;
  close(): Promise<void>;
}

/**
 * A TLS server with the leaf `key` and `chain` (PEM): once a handshake is done it writes `data` (it never reads
 * application data), then waits for the test to write more or end the connection.
 */
export async function rawServer(key: string, chain: string, data: Uint8Array, options: tls.TlsOptions = {}): Promise<RawServer> {
  const context = tls.createSecureContext({ key, cert: chain, ...options });
  const raws = new Set<Socket>();
  let current: { raw: Socket; secure: tls.TLSSocket; sent: number | null } | null = null;
  const server: Server = createServer((raw) => {
    raws.add(raw);
    raw.on('close', () => raws.delete(raw));
    raw.on('error', () => {});
    const secure = new tls.TLSSocket(raw, { isServer: true, secureContext: context });
    secure.on('error', () => {});
    const connection = { raw, secure, sent: null as number | null };
    secure.on('secure', () => secure.write(data, () => (connection.sent = raw.bytesWritten)));
    current = connection;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    sent: () => current?.sent ?? null,
    write: (more) => void current!.secure.write(more),
    end(ending) {
      const c = current!;
      if (ending === 'close_notify') c.secure.end();
      else if (ending === 'fin') c.raw.end();
      else if (ending === 'reset') c.raw.resetAndDestroy();
    },
    close: () =>
      new Promise<void>((r) => {
        raws.forEach((raw) => raw.destroy());
        server.close(() => r());
      }),
  };
}

/** The node provider, counting the records its AEADs opened; `onOpen` runs after each. */
export function countingOpens(onOpen: () => void = () => {}): { crypto: CryptoProvider; opens: () => number } {
  let opens = 0;
  const crypto: CryptoProvider = {
    ...nodeCrypto,
    aead(alg, key) {
      const aead = nodeCrypto.aead(alg, key);
      return {
        seal: (n, a, p) => aead.seal(n, a, p),
        open(n, a, c) {
          opens++;
          const plain = aead.open(n, a, c);
          onOpen();
          return plain;
        },
      };
    },
  };
  return { crypto, opens: () => opens };
}

/**
 * For a test file (call at its top level): the test PKI with a P-256 leaf, made once, and raw servers with that leaf,
 * each closed after its test.
 */
export function rawServerSuite(): { pki: () => TestPki; server: (data: Uint8Array, options?: tls.TlsOptions) => Promise<RawServer> } {
  let pki: TestPki;
  let servers: RawServer[] = [];
  beforeAll(() => {
    pki = makeTestPki(['p256']);
  });
  afterAll(() => pki?.cleanup());
  afterEach(async () => {
    for (const s of servers) await s.close();
    servers = [];
  });
  return {
    pki: () => pki,
    async server(data, options = {}) {
      const s = await rawServer(pki.leaf.p256.key, pki.leaf.p256.chain, data, options);
      servers.push(s);
      return s;
    },
  };
}
