// Speed figures of the TLS layer alone (not a test; timings are never asserted):
//   npx esbuild tests/tls/speed-script.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=dist/tls-speed.mjs && node dist/tls-speed.mjs
// Handshake CPU = process CPU time inside StreamPeerTLS.poll() until CONNECTED (waiting on the network is not counted);
// download MB/s over `openssl s_server -WWW` (a separate process), next to Node's own TLS client on the same server.

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { PeerStatus } from '../../engine-module/net/stream-peer.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { makeTestPki, serverCertArgs } from './helpers/certs.js';
import { connectTls, text } from './helpers/drive.js';
import { startOpenssl } from './helpers/openssl-server.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const providers: [string, CryptoProvider][] = [
  ['node', nodeCrypto],
  ['pure', pureCrypto],
];

async function handshakes(port: number, root: Uint8Array, crypto: CryptoProvider, n: number) {
  const cpu: number[] = [];
  const wall: number[] = [];
  let longest = 0;
  for (let i = 0; i < n + 5; i++) {
    const c = connectTls(port, { roots: [root], crypto, versions: ['TLSv1.3'] });
    if ((await c.handshake()) !== PeerStatus.CONNECTED) throw new Error(String(c.tls.getTlsError()));
    if (i >= 5) {
      cpu.push(c.stats.handshakeCpuMs);
      wall.push(c.stats.handshakeMs);
      longest = Math.max(longest, c.stats.longestHandshakePollMs);
    }
    c.tls.disconnectFromHost();
  }
  return { cpu: median(cpu), wall: median(wall), longest };
}

async function download(port: number, root: Uint8Array, crypto: CryptoProvider, size: number) {
  const c = connectTls(port, { roots: [root], crypto });
  await c.handshake();
  await c.write(text('GET /big.bin HTTP/1.0\r\n\r\n'));
  let got = 0;
  const start = performance.now();
  await c.until(() => {
    const n = c.tls.getAvailableBytes();
    if (n > 0) got += c.tls.getPartialData(n).length;
    return n === 0 && c.tls.getStatus() !== PeerStatus.CONNECTED;
  }, 120_000);
  const ms = performance.now() - start;
  if (got < size) throw new Error(`short download: ${got}`);
  return size / 1e6 / (ms / 1000);
}

function nodeDownload(port: number, rootPem: string, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let got = 0;
    let start = 0;
    const s = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca: rootPem }, () => {
      start = performance.now();
      s.write('GET /big.bin HTTP/1.0\r\n\r\n');
    });
    s.on('data', (d: Buffer) => (got += d.length));
    s.on('error', reject);
    s.on('close', () => (got >= size ? resolve(size / 1e6 / ((performance.now() - start) / 1000)) : reject(new Error('short'))));
  });
}

async function main() {
  const pki = makeTestPki(['rsa2048', 'p256']);
  const rootPem = (await import('node:fs')).readFileSync(path.join(pki.dir, 'root.pem'), 'utf8');
  const size = 64 << 20;
  writeFileSync(path.join(pki.dir, 'big.bin'), randomBytes(size));
  const servers = {
    rsa: await startOpenssl([...serverCertArgs(pki.leaf.rsa2048), '-www', '-tls1_3']),
    ecdsa: await startOpenssl([...serverCertArgs(pki.leaf.p256), '-www', '-tls1_3']),
    www: await startOpenssl([...serverCertArgs(pki.leaf.rsa2048), '-WWW', '-tls1_3'], pki.dir),
  };
  try {
    for (const [name, crypto] of providers) {
      const rsa = await handshakes(servers.rsa.port, pki.rootDer, crypto, 30);
      const ecdsa = await handshakes(servers.ecdsa.port, pki.rootDer, crypto, 30);
      const f = (x: { cpu: number; wall: number }) => `${x.cpu.toFixed(2)} ms CPU (${x.wall.toFixed(2)} ms in poll)`;
      console.log(`${name}: TLS 1.3 handshake median: rsa-2048 chain ${f(rsa)}, ecdsa-p256 chain ${f(ecdsa)}; longest handshake poll ${Math.max(rsa.longest, ecdsa.longest).toFixed(2)} ms`);
    }
    for (let run = 0; run < 3; run++) {
      const line = [`node tls ${(await nodeDownload(servers.www.port, rootPem, size)).toFixed(0)} MB/s`];
      for (const [name, crypto] of providers) {
        line.push(`${name} ${(await download(servers.www.port, pki.rootDer, crypto, size)).toFixed(0)} MB/s`);
      }
      console.log(`download 64 MiB (run ${run + 1}): ${line.join(', ')}`);
    }
  } finally {
    for (const s of Object.values(servers)) await s.stop();
    pki.cleanup();
  }
}

await main();
