// The embedded bundle inside a fresh runtime context (QuickJS or QuickJS-ng): it loads with nothing from its host but
// ES2020 + BigInt, and its protocols run end to end over the host bridge, frames stepped from the Node side.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createCipheriv,
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  ECS_SCRIPT,
  FETCH_SCRIPT,
  PRELUDE,
  type EntityResult,
  type FetchOptions,
  type FetchResult,
} from './game-scripts.js';
import { NodeSocketHost } from './node-socket-host.js';
import {
  embeddedBundle,
  INTERPRETER_TEST_TIMEOUT,
  QuickJsHost,
  type QuickJsHostOptions,
  type RuntimeName,
} from './quickjs-host.js';
import { makeTestPki, type TestPki } from './test-pki.js';

/** Register the embedded tests for `runtime`. */
export function describeEmbedded(runtime: RuntimeName): void {
  describe(`the bundle in ${runtime}`, { timeout: INTERPRETER_TEST_TIMEOUT }, () => {
    let host: NodeSocketHost;
    let qjs: QuickJsHost | null = null;

    async function start(options: QuickJsHostOptions = {}): Promise<QuickJsHost> {
      host = new NodeSocketHost();
      qjs = await QuickJsHost.create(host, { runtime, ...options });
      qjs.eval(PRELUDE);
      return qjs;
    }

    afterEach(() => {
      qjs?.dispose();
      qjs = null;
      host?.destroyAll();
    });

    describe('the bundle in a bare runtime', () => {
      it('has no module loader calls or Node built-ins in it', () => {
        const source = embeddedBundle();
        expect(source).not.toMatch(/\brequire\s*\(/);
        expect(source).not.toMatch(/["']node:/);
        expect(source).not.toMatch(/\bimport\s*\(/);
      });

      it('loads, installs the host platform, and touches no host global', async () => {
        const vm = await start();
        expect(vm.eval('typeof tickhttp.createHostPlatform + typeof tickhttp.setPlatform')).toBe('functionfunction');
        expect(vm.eval('tickhttp.getPlatform().crypto.name')).toBe('pure');
        expect(vm.touchedGlobals()).toEqual([]);
      });

      it('runs the pure crypto provider inside QuickJS with the results node:crypto gives', async () => {
        const vm = await start();
        const data = randomBytes(5000);
        expect(vm.eval(`hex(tickhttp.getPlatform().crypto.hash('sha256', unhex('${data.toString('hex')}')))`)).toBe(
          createHash('sha256').update(data).digest('hex'),
        );

        const key = randomBytes(32);
        const nonce = randomBytes(12);
        const aad = randomBytes(13);
        const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
        cipher.setAAD(aad, { plaintextLength: data.length });
        const sealed = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
        expect(
          vm.eval(`hex(tickhttp.getPlatform().crypto.aead('chacha20-poly1305', unhex('${key.toString('hex')}'))
            .seal(unhex('${nonce.toString('hex')}'), unhex('${aad.toString('hex')}'),
              unhex('${data.toString('hex')}')))`),
        ).toBe(sealed.toString('hex'));

        // X25519 against a Node key pair: both sides derive the same secret; the private key comes from the host.
        const node = generateKeyPairSync('x25519');
        const nodePublic = (node.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32);
        const [ourPublic, secret] = vm.eval(`(function () {
          var P = tickhttp.getPlatform();
          var share = P.crypto.generateKeyShare('x25519', P.randomBytes);
          return [hex(share.publicKey), hex(P.crypto.ecdh(share, unhex('${nodePublic.toString('hex')}')))];
        })()`) as [string, string];
        const ourKey = Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), Buffer.from(ourPublic, 'hex')]);
        const expected = diffieHellman({
          privateKey: node.privateKey,
          publicKey: createPublicKey({ key: ourKey, format: 'der', type: 'spki' }),
        });
        expect(secret).toBe(expected.toString('hex'));
        expect(vm.touchedGlobals()).toEqual([]);
      });

      it('refuses to make random bytes when the host has no secure source', async () => {
        const vm = await start({ withoutRandom: true });
        expect(
          vm.eval(`(function () {
            try { tickhttp.getPlatform().randomBytes(32); return 'no error'; } catch (e) { return e.message; }
          })()`),
        ).toBe('tickhttp: the host provides no secure random source; TLS cannot start');
        expect(vm.touchedGlobals()).toEqual([]);
      });
    });

    const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

    /** Listen on an ephemeral loopback port; returns the port. */
    async function listen(server: Server | HttpsServer): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    }

    async function closeServer(server: Server | HttpsServer): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    /** Run one GET inside QuickJS to completion, one poll per frame. */
    async function fetchInQuickJs(vm: QuickJsHost, options: FetchOptions): Promise<FetchResult> {
      vm.eval(FETCH_SCRIPT);
      vm.eval(`startFetch(${JSON.stringify(options)})`);
      const { result } = await vm.runFrames<FetchResult>('fetchFrame()');
      return result;
    }

    // The peers: one HTTP server and two HTTPS servers (one with a certificate the client does not trust).
    const plainBody = randomBytes(300_000);
    const chunks = Array.from({ length: 40 }, (_, i) => randomBytes(1 + ((i * 7919) % 9000)));
    const chunkedBody = Buffer.concat(chunks);
    const gzipSource = Buffer.from('tickhttp in QuickJS. '.repeat(20_000));
    const secureBody = randomBytes(150_000);
    const seen: IncomingHttpHeaders[] = [];
    const suites: string[] = [];
    let pki: TestPki;
    let server: Server;
    let trusted: HttpsServer;
    let untrusted: HttpsServer;
    let port: number;
    let trustedPort: number;
    let untrustedPort: number;

    function serveHttp(req: IncomingMessage, res: ServerResponse): void {
      seen.push(req.headers);
      if (req.url === '/plain') {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': plainBody.length });
        res.end(plainBody);
      } else if (req.url === '/chunked') {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        const next = (i: number) => {
          if (i === chunks.length) return res.end();
          res.write(chunks[i]);
          setImmediate(next, i + 1);
        };
        next(0);
      } else if (req.url === '/gzip') {
        const gz = gzipSync(gzipSource);
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip', 'Content-Length': gz.length });
        res.end(gz);
      } else {
        res.writeHead(404).end();
      }
    }

    function serveHttps(req: IncomingMessage, res: ServerResponse): void {
      suites.push((req.socket as TLSSocket).getCipher().standardName);
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': secureBody.length });
      res.end(secureBody);
    }

    beforeAll(async () => {
      pki = makeTestPki();
      // TLS 1.3 with ChaCha20-Poly1305 only: the suite a pure JavaScript client runs fastest.
      const tls = { minVersion: 'TLSv1.3' as const, ciphers: 'TLS_CHACHA20_POLY1305_SHA256' };
      server = createServer(serveHttp);
      trusted = createHttpsServer({ ...tls, ...pki.leaf }, serveHttps);
      untrusted = createHttpsServer({ ...tls, ...pki.untrustedLeaf }, serveHttps);
      [port, trustedPort, untrustedPort] = await Promise.all([listen(server), listen(trusted), listen(untrusted)]);
    });

    afterAll(async () => {
      await Promise.all([closeServer(server), closeServer(trusted), closeServer(untrusted)]);
    });

    describe(`HTTP inside ${runtime}`, () => {
      it('GETs a Content-Length body over the host bridge with the body hash the server has', async () => {
        const vm = await start();
        const result = await fetchInQuickJs(vm, { host: '127.0.0.1', port, path: '/plain' });
        expect(result.code).toBe(200);
        expect(result.chunked).toBe(false);
        expect(result.bodyLength).toBe(plainBody.length);
        expect(result.bytes).toBe(plainBody.length);
        expect(result.sha256).toBe(sha256(plainBody));
        expect(result.statuses).toContain(7); // BODY
        expect(result.status).toBe(5); // CONNECTED: kept alive after the response
        expect(seen.at(-1)?.['x-runtime']).toBe('QuickJS');
        expect(seen.at(-1)?.host).toBe(`127.0.0.1:${port}`);
        expect(host.openCount()).toBe(0);
        expect(vm.touchedGlobals()).toEqual([]);
      });

      it('GETs a chunked body, resolving the name through the bridge', async () => {
        const vm = await start();
        const result = await fetchInQuickJs(vm, { host: 'localhost', port, path: '/chunked' });
        expect(result.code).toBe(200);
        expect(result.chunked).toBe(true);
        expect(result.bodyLength).toBe(-1);
        expect(result.bytes).toBe(chunkedBody.length);
        expect(result.sha256).toBe(sha256(chunkedBody));
        expect(result.statuses[0]).toBe(1); // RESOLVING
        expect(host.bytesReceived).toBeGreaterThan(chunkedBody.length);
        expect(host.openCount()).toBe(0);
        expect(vm.touchedGlobals()).toEqual([]);
      });
    });

    describe(`HTTPS inside ${runtime}`, () => {
      it('GETs over TLS 1.3 + ChaCha20-Poly1305, chain verified against the host roots, over frames', async () => {
        const vm = await start({ trustedRootsPem: pki.caPem });
        const result = await fetchInQuickJs(vm, { host: 'localhost', port: trustedPort, path: '/secure', tls: true });
        expect(result.tlsError).toBeNull();
        expect(result.code).toBe(200);
        expect(result.bytes).toBe(secureBody.length);
        expect(result.sha256).toBe(sha256(secureBody));
        expect(result.negotiated).toMatchObject({ version: 'TLSv1.3', suite: 'TLS_CHACHA20_POLY1305_SHA256' });
        expect(suites.at(-1)).toBe('TLS_CHACHA20_POLY1305_SHA256');
        // Key share, ECDH, chain check and CertificateVerify are one expensive step each, each in its own frame.
        expect(result.handshakeFrames).toBeGreaterThanOrEqual(4);
        expect(host.openCount()).toBe(0);
        expect(vm.touchedGlobals()).toEqual([]);
      });

      it('refuses to start TLS when the host has no secure random source', async () => {
        const vm = await start({ trustedRootsPem: pki.caPem, withoutRandom: true });
        const served = suites.length;
        const result = await fetchInQuickJs(vm, { host: 'localhost', port: trustedPort, path: '/secure', tls: true });
        expect(result.status).toBe(9);
        expect(result.tlsError).toBe('tickhttp: the host provides no secure random source; TLS cannot start');
        // TLS starts in one frame and fails at its first step, the key share, in the next: before anything is sent.
        expect(result.handshakeFrames).toBeLessThanOrEqual(1);
        expect(suites.length).toBe(served);
        expect(host.openCount()).toBe(0);
      });

      it('ends in STATUS_SSL_HANDSHAKE_ERROR (9) for a certificate from an untrusted issuer', async () => {
        const vm = await start({ trustedRootsPem: pki.caPem });
        const served = suites.length;
        const result = await fetchInQuickJs(vm, { host: 'localhost', port: untrustedPort, path: '/secure', tls: true });
        expect(result.status).toBe(9);
        expect(result.statuses).not.toContain(7);
        expect(result.tlsError).toMatch(/unable to find the issuer/);
        expect(suites.length).toBe(served);
        expect(host.openCount()).toBe(0);
        expect(vm.touchedGlobals()).toEqual([]);
      });
    });

    describe(`a bitecs world inside ${runtime}`, () => {
      it('runs request components to completion: HTTPS and a gzip body, side by side', async () => {
        const vm = await start({ trustedRootsPem: pki.caPem });
        vm.eval(ECS_SCRIPT);
        const urls = [`https://localhost:${trustedPort}/secure`, `http://127.0.0.1:${port}/gzip`];
        vm.eval(`startWorld(${JSON.stringify(urls)})`);
        const { result, frames } = await vm.runFrames<EntityResult[]>('worldFrame()');
        const [secure, gzip] = result;
        expect(secure).toMatchObject({ result: 0, outcomeResult: 0, code: 200, bytes: secureBody.length, error: '' });
        expect(secure.sha256).toBe(sha256(secureBody));
        expect(gzip).toMatchObject({ result: 0, outcomeResult: 0, code: 200, bytes: gzipSource.length, error: '' });
        expect(gzip.sha256).toBe(sha256(gzipSource));
        // The Progress component moved while the bodies arrived, over several frames.
        expect(secure.progressTicks).toBeGreaterThan(0);
        expect(gzip.progressTicks).toBeGreaterThan(0);
        expect(frames).toBeGreaterThan(1);
        expect(host.openCount()).toBe(0);
        expect(vm.touchedGlobals()).toEqual([]);
      });
    });
  });
}
