// TLS inside an embedded runtime on host crypto, for each runtime: the interop matrix (TLS 1.3 and 1.2, ChaCha20 and
// AES-GCM, RSA and ECDSA chains, a bad certificate) with host AEAD only and with every host primitive, and optionally
// a large download. Bodies are hashed inside the runtime by the bundle's JavaScript SHA-256; only digests come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { FETCH_SCRIPT, patternBody, PRELUDE, type FetchOptions, type FetchResult } from './game-scripts.js';
import { NodeSocketHost } from './node-socket-host.js';
import { MODE_FUNCTIONS, nodeHostCrypto, type HostCryptoMode } from './node-host-crypto.js';
import { INTERPRETER_TEST_TIMEOUT, QuickJsHost, type RuntimeName } from './quickjs-host.js';
import { makeTestPki, type LeafKind, type TestPki } from '../tls/helpers/certs.js';

/** One server configuration of the matrix and what the client must end up with. */
interface Case {
  name: string;
  leaf: LeafKind;
  tls: TlsOptions;
  version: 'TLSv1.3' | 'TLSv1.2';
  suite: string;
  group: string;
}

const CASES: Case[] = [
  { name: 'TLS 1.3, ChaCha20-Poly1305, ECDSA chain', leaf: 'p256', version: 'TLSv1.3', group: 'x25519',
    tls: { minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, suite: 'TLS_CHACHA20_POLY1305_SHA256' },
  { name: 'TLS 1.3, AES-128-GCM, RSA chain, P-256 after a HelloRetryRequest', leaf: 'rsa2048', version: 'TLSv1.3',
    group: 'secp256r1', tls: { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256', ecdhCurve: 'P-256' },
    suite: 'TLS_AES_128_GCM_SHA256' },
  { name: 'TLS 1.3, AES-256-GCM (SHA-384), ECDSA chain', leaf: 'p256', version: 'TLSv1.3', group: 'x25519',
    tls: { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_256_GCM_SHA384' }, suite: 'TLS_AES_256_GCM_SHA384' },
  { name: 'TLS 1.2, ECDHE-ECDSA-ChaCha20-Poly1305', leaf: 'p256', version: 'TLSv1.2', group: 'x25519',
    tls: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305' },
    suite: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256' },
  { name: 'TLS 1.2, ECDHE-RSA-AES128-GCM over P-256', leaf: 'rsa2048', version: 'TLSv1.2', group: 'secp256r1',
    tls: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', ecdhCurve: 'P-256' },
    suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
];

/** Body size of the matrix: a few records, so the pure parts stay quick inside an interpreter. */
const SMALL_BODY = 40_000;

const derToPem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;

export interface HostCryptoSuiteOptions {
  /** Also download a pattern body of this many bytes in each mode, on TLS 1.3 + AES-128-GCM. */
  largeBody?: number;
}

/** Register the host-crypto tests for `runtime`. */
export function describeHostCrypto(runtime: RuntimeName, options: HostCryptoSuiteOptions = {}): void {
  const body = randomBytes(SMALL_BODY);
  const digest = createHash('sha256').update(body).digest('hex');
  const pattern = patternBody(options.largeBody ?? 0);
  let pki: TestPki;
  const servers = new Map<Case, { server: Server; port: number }>();

  beforeAll(async () => {
    pki = makeTestPki(['rsa2048', 'p256']);
    for (const c of CASES) {
      const identity: SecureContextOptions = { key: pki.leaf[c.leaf].key, cert: pki.leaf[c.leaf].chain };
      const server = createServer({ ...identity, ...c.tls }, (req, res) => {
        const served = req.url === '/pattern' ? pattern : body;
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': served.length });
        res.end(served);
      });
      // An interpreter reads a large body slower than the server writes it; Node's 5 s idle timeout would cut the
      // connection while the body still waits in the server's queue.
      server.keepAliveTimeout = 120_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.set(c, { server, port: (server.address() as AddressInfo).port });
    }
  });

  afterAll(async () => {
    for (const { server } of servers.values()) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    pki?.cleanup();
  });

  const modes: HostCryptoMode[] = ['aead', 'all'];
  describe.each(modes)(`HTTPS inside ${runtime} on host crypto (%s)`, { timeout: INTERPRETER_TEST_TIMEOUT }, (mode) => {
    let host: NodeSocketHost;
    let qjs: QuickJsHost;

    async function start(rootDer: Uint8Array): Promise<QuickJsHost> {
      host = new NodeSocketHost();
      const vm = await QuickJsHost.create(host, { runtime, crypto: nodeHostCrypto(mode), trustedRootsPem: derToPem(rootDer) });
      vm.eval(PRELUDE);
      vm.eval(FETCH_SCRIPT);
      return vm;
    }

    async function fetch(vm: QuickJsHost, c: Case, path = '/body'): Promise<FetchResult> {
      const o: FetchOptions = {
        host: 'localhost', port: servers.get(c)!.port, path, tls: true, check: path === '/pattern' ? 'pattern' : 'sha256',
      };
      vm.eval(`startFetch(${JSON.stringify(o)})`);
      return (await vm.runFrames<FetchResult>('fetchFrame()')).result;
    }

    /** The host saw only the functions of this mode, and no string but an algorithm name. */
    function expectHostTraffic(vm: QuickJsHost): void {
      const { calls, strings } = vm.cryptoTraffic;
      expect(Object.keys(calls).sort()).toEqual([...MODE_FUNCTIONS[mode]].sort());
      for (const s of strings) expect(s).toMatch(/^(aes-(128|256)-gcm|chacha20-poly1305|sha(256|384|512)|x25519|secp(256|384)r1|(ecdsa|rsa-pkcs1|rsa-pss)-sha(256|384|512)|ed25519)$/);
    }

    beforeAll(async () => {
      qjs = await start(pki.rootDer);
    });
    afterAll(() => {
      qjs?.dispose();
      host?.destroyAll();
    });

    it('runs TLS on the host primitives of this mode, the rest in JavaScript', () => {
      expect(qjs.eval('tickhttp.getPlatform().crypto.name')).toBe(mode === 'aead' ? 'host(aead)' : 'host(aead+hash+hmac+ecdh+verify)');
      expect(qjs.touchedGlobals()).toEqual([]);
    });

    it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const result = await fetch(qjs, c);
      expect(result.tlsError).toBeNull();
      expect(result.code).toBe(200);
      expect(result.bytes).toBe(SMALL_BODY);
      expect(result.sha256).toBe(digest);
      expect(result.negotiated).toMatchObject({ version: c.version, suite: c.suite, group: c.group });
      expectHostTraffic(qjs);
      expect(host.openCount()).toBe(0);
    });

    it('checks pattern bodies exactly: a changed, lost or moved byte is found at its offset', () => {
      const body = patternBody(100);
      const check = (bytes: Buffer, at: number) => qjs.eval(`patternMismatch(unhex('${bytes.toString('hex')}'), ${at})`);
      expect(check(body.subarray(7, 93), 7)).toBe(-1);
      const changed = Buffer.from(body);
      changed[50] ^= 0x10;
      expect(check(changed.subarray(3), 3)).toBe(50);
      expect(check(Buffer.concat([body.subarray(0, 30), body.subarray(31)]), 0)).toBe(30);
      expect(check(body.subarray(4, 20), 5)).toBe(5);
    });

    it('refuses a chain from a root the host does not trust', async () => {
      const vm = await start(pki.otherRootDer);
      try {
        const result = await fetch(vm, CASES[0]);
        expect(result.status).toBe(9); // STATUS_SSL_HANDSHAKE_ERROR
        expect(result.statuses).not.toContain(7);
        expect(result.tlsError).toMatch(/unable to find the issuer/);
        expect(host.openCount()).toBe(0);
      } finally {
        vm.dispose();
      }
    });

    if (options.largeBody) {
      const size = options.largeBody;
      it(`downloads ${size} bytes byte-exact (every byte compared inside ${runtime})`, async () => {
        const result = await fetch(qjs, CASES[1], '/pattern');
        expect(result.tlsError).toBeNull();
        expect(result.bytes).toBe(size);
        expect(result.mismatch).toBe(-1);
        // Every received record went through the host: at least the body's bytes, nothing held back.
        expect(qjs.cryptoTraffic.calls.aeadOpen).toBeGreaterThan(size / 16_384);
        expect(qjs.cryptoTraffic.bytesOut).toBeGreaterThan(size);
      });
    }
  });
}
