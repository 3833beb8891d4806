// HTTPS fixtures: the TLS tests' PKI (a root, an intermediate, a leaf for localhost/127.0.0.1) plus one leaf for a
// DNS name only, Node https servers on loopback that count their TLS connections, and a client connect over TLS.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { TlsOptions } from '../../engine-module/http/client-options.js';
import { Err, Status } from '../../engine-module/http/constants.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import type { Platform } from '../../engine-module/platform/platform.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { listen, shut, type Driver } from '../http/loopback-server.js';
import { makeTestPki, type TestPki } from '../tls/helpers/certs.js';

/** A server identity: private key and certificate chain (PEM). */
export interface Identity {
  key: string;
  cert: string;
}

export interface HttpsPki {
  pki: TestPki;
  /** The test root, as a trustedChain. */
  rootPem: string;
  /** A root that issued nothing the servers use. */
  otherRootPem: string;
  /** Leaf (DNS:localhost, IP:127.0.0.1) + intermediate. */
  server: Identity;
  /** Leaf for {@link NAMED_HOST} only (no IP address) + intermediate. */
  named: Identity;
  /** A self-signed certificate: the other root serving as its own leaf. */
  selfSigned: Identity;
}

/** The only name in {@link HttpsPki.named}'s certificate. */
export const NAMED_HOST = 'game.test';

/** Make the PKI (P-256 leaves) in a temporary directory; call `pki.cleanup()` when done. */
export function makeHttpsPki(): HttpsPki {
  const pki = makeTestPki(['p256']);
  const file = (name: string) => readFileSync(path.join(pki.dir, name), 'utf8');
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: pki.dir, stdio: 'pipe' });
  writeFileSync(
    path.join(pki.dir, 'named.ext'),
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${NAMED_HOST}\n`,
  );
  run(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'named.key', '-out', 'named.csr', '-subj', `/CN=${NAMED_HOST}`]);
  run(['x509', '-req', '-in', 'named.csr', '-CA', 'inter.pem', '-CAkey', 'inter.key', '-CAcreateserial', '-out', 'named.pem', '-days', '30', '-extfile', 'named.ext']);
  return {
    pki,
    rootPem: file('root.pem'),
    otherRootPem: file('other.pem'),
    server: { key: pki.leaf.p256.key, cert: pki.leaf.p256.chain },
    named: { key: file('named.key'), cert: file('named.pem') + file('inter.pem') },
    selfSigned: { key: file('other.key'), cert: file('other.pem') },
  };
}

/** A crypto provider that counts the AEAD keys it made, to show which provider protected the traffic. */
export function countingProvider(base: CryptoProvider): CryptoProvider & { aeadKeys: number } {
  const counted = {
    ...base,
    aeadKeys: 0,
    aead: (alg: Parameters<CryptoProvider['aead']>[0], key: Uint8Array) => {
      counted.aeadKeys++;
      return base.aead(alg, key);
    },
  };
  return counted;
}

/** The Node platform with node:crypto (its default) and with the pure JavaScript provider, each counted. */
export function providerPlatforms(): Array<{ name: string; platform: Platform; crypto: { aeadKeys: number } }> {
  return [
    { name: 'node', base: createNodePlatform().crypto! },
    { name: 'pure', base: pureCrypto },
  ].map(({ name, base }) => {
    const crypto = countingProvider(base);
    return { name, platform: createNodePlatform({ crypto }), crypto };
  });
}

export interface HttpsTestServer {
  server: Server;
  port: number;
  url(path: string): string;
  /** TLS connections accepted so far. */
  tlsConnections: number;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, connection: number) => void;

/** A Node https server on 127.0.0.1; the handler learns which TLS connection (1, 2, ...) a request came on. */
export async function startHttpsServer(identity: Identity, handler: Handler): Promise<HttpsTestServer> {
  const ids = new WeakMap<Socket, number>();
  const sockets = new Set<Socket>();
  const server = createServer({ key: identity.key, cert: identity.cert }, (req, res) => handler(req, res, ids.get(req.socket)!));
  server.keepAliveTimeout = 60_000;
  const t: HttpsTestServer = {
    server,
    port: 0,
    url: (p) => `https://127.0.0.1:${t.port}${p}`,
    tlsConnections: 0,
    close: () => shut(server, sockets),
  };
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: TLSSocket) => ids.set(s, ++t.tlsConnections));
  // A client that gives up mid-handshake (the refusal tests) is not a server failure.
  server.on('tlsClientError', () => {});
  t.port = await listen(server);
  return t;
}

/** connectToHost over TLS, then tick until the client has connected or failed; returns that status. */
export async function connectTls(d: Driver, host: string, port: number, opts: { useSsl?: boolean; verifyHost?: boolean; tls?: TlsOptions } = {}): Promise<Status> {
  const err = d.client.connectToHost(host, port, opts.useSsl ?? true, opts.verifyHost ?? true, opts.tls);
  if (err !== Err.OK) throw new Error(`connectToHost: ${Err[err]}`);
  await d.stepper.until(() => ![Status.RESOLVING, Status.CONNECTING].includes(d.client.getStatus()));
  return d.client.getStatus();
}

export const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
