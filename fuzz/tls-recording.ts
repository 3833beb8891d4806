// Record a real TLS session: the engine, with a seeded random source, talks to Node's TLS server on loopback over a
// plain socket, and every byte the server sent is kept. A new engine with the same seed sends the same ClientHello
// and key shares, so the recorded server bytes replay offline, byte for byte, as often as a fuzzer likes.

import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { createServer } from 'node:tls';
import { asciiEncode, concatBytes } from '../engine-module/bytes/bytes.js';
import type { CryptoProvider } from '../engine-module/tls/crypto/provider.js';
import { TlsClientEngine, type TlsEngineConfig } from '../engine-module/tls/engine.js';
import type { TlsVersionName } from '../engine-module/tls/suites.js';
import { createChainVerification } from '../engine-module/tls/x509/path.js';
import type { LoopbackPki } from './pki.js';
import { seededRandomBytes } from './rng.js';

/** A recorded session, enough to rebuild the client and replay the server. */
export interface TlsRecording {
  version: TlsVersionName;
  seed: number;
  /** Certificate validity is checked against this time. */
  now: Date;
  rootDer: Uint8Array;
  /** Everything the server sent, in order: handshake, the HTTP response, close_notify. */
  serverBytes: Uint8Array;
  /** The application data the client received (the HTTP response). */
  plaintext: Uint8Array;
}

export const REQUEST = asciiEncode('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');

/** A client engine configured as the recording's was (`extra` may change what does not alter the ClientHello). */
export function recordedEngine(
  rec: Pick<TlsRecording, 'version' | 'seed' | 'now' | 'rootDer'>,
  crypto: CryptoProvider,
  extra: Pick<TlsEngineConfig, 'maxHandshakeMessageSize'> = {},
): TlsClientEngine {
  return new TlsClientEngine({
    ...extra,
    hostname: 'localhost',
    crypto,
    randomBytes: seededRandomBytes(rec.seed),
    versions: [rec.version],
    verifyChain: (chain) => createChainVerification(chain, { hostname: 'localhost', roots: [rec.rootDer], now: rec.now, crypto }),
  });
}

/** Pump until the engine has no expensive work left. */
export function pumpAll(engine: TlsClientEngine, bound = 1000): boolean {
  engine.pump();
  for (let i = 0; engine.hasPendingWork; i++) {
    if (i >= bound) return false;
    engine.pump();
  }
  return true;
}

/** Run one session against Node's TLS server with `pki` and record it. The body is `bodySize` bytes. */
export async function recordTlsSession(pki: LoopbackPki, version: TlsVersionName, crypto: CryptoProvider, bodySize = 20_000): Promise<TlsRecording> {
  const body = new Uint8Array(bodySize).map((_, i) => 0x41 + (i % 26));
  const response = concatBytes(asciiEncode(`HTTP/1.1 200 OK\r\nContent-Length: ${bodySize}\r\nConnection: close\r\n\r\n`), body);
  const server = createServer({ key: pki.key, cert: pki.chain, minVersion: version, maxVersion: version }, (s) => {
    s.once('data', () => s.end(response));
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const rec = { version, seed: 0x7e57 + (version === 'TLSv1.3' ? 13 : 12), now: new Date(), rootDer: pki.rootDer };
  const engine = recordedEngine(rec, crypto);
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const received: Uint8Array[] = [];
  const plaintext: Uint8Array[] = [];
  let requested = false;
  const step = () => {
    pumpAll(engine);
    if (engine.status === 'connected' && !requested) requested = engine.writeApplicationData(REQUEST);
    const out = engine.takeOutput();
    if (out && !socket.destroyed) socket.write(out);
    const data = engine.readApplicationData(1 << 30);
    if (data.length > 0) plaintext.push(data.slice());
  };
  try {
    await once(socket, 'connect');
    step();
    socket.on('data', (chunk: Buffer) => {
      received.push(new Uint8Array(chunk));
      engine.feed(new Uint8Array(chunk));
      step();
    });
    await once(socket, 'close');
    step();
    if (engine.status !== 'closed') throw new Error(`recording ${version}: engine ended ${engine.status} (${engine.error})`);
  } finally {
    socket.destroy();
    server.close();
  }
  return { ...rec, serverBytes: concatBytes(...received), plaintext: concatBytes(...plaintext) };
}
