// Interop against Node's tls.createServer: versions, suites and curves chosen by the server, data both ways, a
// 16 MiB download, and an end without close_notify.

import { createHash, randomBytes } from 'node:crypto';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { makeTestPki, type LeafKind, type TestPki } from './helpers/certs.js';
import { connectTls, nodePlatform } from './helpers/drive.js';
import { nodeServer as startNodeServer } from './helpers/node-server.js';

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki(['p256', 'rsa2048']);
});
afterAll(() => pki?.cleanup());

/** A Node TLS server with the test PKI's `leaf`, running `onConnection` for each client. */
const nodeServer = (leaf: LeafKind, options: tls.TlsOptions, onConnection: (s: tls.TLSSocket) => void) =>
  startNodeServer(pki, leaf, options, onConnection);

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const providers: [string, CryptoProvider][] = [
  ['pure', pureCrypto],
  ['node', nodeCrypto],
];

describe('Node tls.createServer', () => {
  const cases: [string, tls.TlsOptions, LeafKind, string, string][] = [
    ['TLS 1.3 AES-256-GCM over P-384', { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_256_GCM_SHA384', ecdhCurve: 'P-384' }, 'p256', 'TLS_AES_256_GCM_SHA384', 'secp384r1'],
    ['TLS 1.3 ChaCha20 over P-256', { minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256', ecdhCurve: 'P-256' }, 'rsa2048', 'TLS_CHACHA20_POLY1305_SHA256', 'secp256r1'],
    ['TLS 1.2 ECDHE-RSA-AES128-GCM over X25519', { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', ecdhCurve: 'X25519' }, 'rsa2048', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'x25519'],
    ['TLS 1.2 ECDHE-ECDSA-AES256-GCM over P-384', { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384', ecdhCurve: 'P-384' }, 'p256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'secp384r1'],
  ];
  for (const [providerName, crypto] of providers) {
    for (const [title, options, leaf, suite, group] of cases) {
      it(`${providerName}: ${title}, 1 MiB echoed both ways`, async () => {
        const srv = await nodeServer(leaf, { ...options, ALPNProtocols: ['http/1.1'] }, (s) => s.pipe(s));
        try {
          const c = connectTls(srv.port, { roots: [pki.rootDer], crypto });
          expect([await c.handshake(), c.tls.getTlsError()]).toEqual([PeerStatus.CONNECTED, null]);
          expect(c.tls.getNegotiated()).toEqual({ version: suite.startsWith('TLS_ECDHE') ? 'TLSv1.2' : 'TLSv1.3', suite, group, alpn: 'http/1.1' });
          const data = new Uint8Array(randomBytes(1 << 20));
          await c.write(data);
          const back = await c.read((parts) => parts.reduce((n, p) => n + p.length, 0) >= data.length);
          expect(sha(back)).toBe(sha(data));
          c.tls.disconnectFromHost();
          expect(c.tls.getStatus()).toBe(PeerStatus.NONE);
        } finally {
          await srv.close();
        }
      });
    }
    it(`${providerName}: 16 MiB download byte for byte, clean end`, async () => {
      const data = randomBytes(16 << 20);
      const srv = await nodeServer('p256', {}, (s) => s.end(data));
      try {
        const c = connectTls(srv.port, { roots: [pki.rootDer], crypto });
        expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
        const got = await c.read(() => false, 60_000);
        expect(got.length).toBe(data.length);
        expect(sha(got)).toBe(sha(data));
        expect([c.tls.getStatus(), c.tls.getTlsError()]).toEqual([PeerStatus.NONE, null]);
      } finally {
        await srv.close();
      }
    });
  }

  it('after the handshake, reads from the transport end at record boundaries (no multi-record joins)', async () => {
    const data = randomBytes(2 << 20);
    const srv = await nodeServer('p256', {}, (s) => s.end(data));
    try {
      const tcp = nodePlatform.connectTcp('127.0.0.1', srv.port);
      const reads: number[] = [];
      let handshaking = true;
      const inner: StreamPeer = {
        getStatus: () => tcp.getStatus(),
        poll: () => tcp.poll?.(),
        getAvailableBytes: () => tcp.getAvailableBytes(),
        getPartialData: (max) => {
          const got = tcp.getPartialData(max);
          if (!handshaking) reads.push(got.length);
          return got;
        },
        putPartialData: (d) => tcp.putPartialData(d),
        disconnectFromHost: () => tcp.disconnectFromHost(),
      };
      const c = connectTls(srv.port, { roots: [pki.rootDer], inner });
      expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
      handshaking = false;
      const got = await c.read(() => false, 60_000);
      expect(sha(got)).toBe(sha(data));
      // At most the rest of one largest TLS 1.3 record plus the next record's header.
      expect(Math.max(...reads)).toBeLessThanOrEqual(5 + (1 << 14) + 256 + 5);
      expect(reads.length).toBeGreaterThan(data.length / (1 << 15));
    } finally {
      await srv.close();
    }
  });

  it('an end without close_notify is an error once the data before it was read', async () => {
    const srv = await nodeServer('p256', {}, (s) => {
      // destroy() closes the socket without a TLS shutdown: no close_notify goes out.
      s.write('partial body', () => setTimeout(() => s.destroy(), 50));
    });
    try {
      const c = connectTls(srv.port, { roots: [pki.rootDer] });
      expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
      const got = await c.read(() => false);
      expect(got.toString()).toBe('partial body');
      expect(c.tls.getStatus()).toBe(PeerStatus.ERROR);
      expect(c.tls.getTlsError()).toBe('connection closed without close_notify: the data may be truncated');
    } finally {
      await srv.close();
    }
  });
});
