// Speed figures of the TLS layer alone (not a test; timings are never asserted):
//   npx esbuild tests/tls/speed-script.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=dist/tls-speed.mjs && node dist/tls-speed.mjs [runs]
// Handshakes: TLS 1.3 against `openssl s_server` with an RSA-2048 and an ECDSA P-256 leaf (each under an RSA-2048
// intermediate and a P-256 root), verified against the platform's trust store plus the test root. Handshake CPU =
// process CPU time inside StreamPeerTLS.poll() until CONNECTED (waits for the network are not counted); the longest
// poll is shown per handshake (median, 95th percentile, max) in wall time and in CPU time: on a shared machine the
// wall-time maximum mostly measures other processes, and process CPU time also counts this process's other threads
// (compiler, garbage collector helpers).
// Downloads: 64 MiB over `openssl s_server -WWW` (a separate process), each provider next to Node's own https client
// on the same server, rounds interleaved; median [min..max]. Each tick polls once and then reads everything readable
// in 64 KiB reads (HTTPClient's default read chunk size), which is where records are decrypted; the longest poll()
// during a download shows what a poll costs a frame apart from the reads. The provider's AEAD alone on 16 KiB records,
// measured in the same run, shows what the record path costs on top of the cipher.

import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PeerStatus } from '../../engine-module/net/stream-peer.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import type { AeadName, CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { makeTestPki, serverCertArgs } from './helpers/certs.js';
import { connectTls, nodePlatform, text } from './helpers/drive.js';
import { startOpenssl } from './helpers/openssl-server.js';

const RUNS = Number(process.argv[2] ?? 5);
const HANDSHAKES = 40;
const WARMUP = 5;
const SIZE = 64 << 20;
const RECORD = 16384;

const providers: [string, CryptoProvider][] = [
  ['node', nodeCrypto],
  ['pure', pureCrypto],
];

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const spread = (xs: number[], digits = 0) =>
  `${median(xs).toFixed(digits)} [${Math.min(...xs).toFixed(digits)}..${Math.max(...xs).toFixed(digits)}]`;

async function handshakes(port: number, roots: Uint8Array[], crypto: CryptoProvider) {
  const cpu: number[] = [];
  const longest: number[] = [];
  const longestCpu: number[] = [];
  for (let i = 0; i < HANDSHAKES + WARMUP; i++) {
    const c = connectTls(port, { roots, crypto, versions: ['TLSv1.3'] });
    if ((await c.handshake()) !== PeerStatus.CONNECTED) throw new Error(String(c.tls.getTlsError()));
    if (i >= WARMUP) {
      cpu.push(c.stats.handshakeCpuMs);
      longest.push(c.stats.longestHandshakePollMs);
      longestCpu.push(c.stats.longestHandshakePollCpuMs);
    }
    c.tls.disconnectFromHost();
  }
  const polls = (xs: number[]) => `${median(xs).toFixed(2)} / ${percentile(xs, 0.95).toFixed(2)} / ${Math.max(...xs).toFixed(2)}`;
  return `${median(cpu).toFixed(2)} ms CPU; longest poll (median / p95 / max) ${polls(longest)} ms wall, ${polls(longestCpu)} ms CPU`;
}

async function download(port: number, roots: Uint8Array[], crypto: CryptoProvider): Promise<{ mbps: number; suite: string; longestPoll: number }> {
  const c = connectTls(port, { roots, crypto });
  await c.handshake();
  await c.write(text('GET /big.bin HTTP/1.0\r\n\r\n'));
  c.stats.longestMs = 0;
  let got = 0;
  const start = performance.now();
  await c.until(() => {
    for (const piece of c.drain()) got += piece.length;
    return c.tls.getStatus() !== PeerStatus.CONNECTED;
  }, 'the download to end', 120_000);
  const ms = performance.now() - start;
  if (got < SIZE) throw new Error(`short download: ${got} (status ${c.tls.getStatus()}, ${c.tls.getTlsError()})`);
  return { mbps: got / 1e6 / (ms / 1000), suite: c.tls.getNegotiated()?.suite ?? '?', longestPoll: c.stats.longestMs };
}

/** Node's https client on the same server; timed from the end of its handshake, as the downloads above are. */
function nodeHttpsDownload(port: number, rootPem: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let got = 0;
    let start = 0;
    const req = https.get({ host: '127.0.0.1', port, path: '/big.bin', servername: 'localhost', ca: rootPem, agent: false }, (res) => {
      res.on('data', (d: Buffer) => (got += d.length));
      res.on('end', () => (got >= SIZE ? resolve(got / 1e6 / ((performance.now() - start) / 1000)) : reject(new Error('short'))));
    });
    req.on('socket', (s) => s.once('secureConnect', () => (start = performance.now())));
    req.on('error', reject);
  });
}

/** The provider's AEAD opening 16 KiB records (4 MiB of distinct ones, as a download touches new memory), MB/s. */
function aeadOpenRate(crypto: CryptoProvider, alg: AeadName): number {
  const aead = crypto.aead(alg, new Uint8Array(randomBytes(alg === 'aes-128-gcm' ? 16 : 32)));
  const nonce = new Uint8Array(12);
  const aad = new Uint8Array(5);
  const records = Array.from({ length: 256 }, () => aead.seal(nonce, aad, new Uint8Array(randomBytes(RECORD + 1))));
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) aead.open(nonce, aad, records[n++ % records.length]);
  return (n * RECORD) / 1e6 / ((performance.now() - start) / 1000);
}

const AEAD_OF_SUITE: Record<string, AeadName> = {
  TLS_AES_128_GCM_SHA256: 'aes-128-gcm',
  TLS_AES_256_GCM_SHA384: 'aes-256-gcm',
  TLS_CHACHA20_POLY1305_SHA256: 'chacha20-poly1305',
};

async function main() {
  const pki = makeTestPki(['rsa2048', 'p256']);
  const rootPem = readFileSync(path.join(pki.dir, 'root.pem'), 'utf8');
  const roots = [...nodePlatform.trustedRoots(), pki.rootDer];
  writeFileSync(path.join(pki.dir, 'big.bin'), randomBytes(SIZE));
  const servers = {
    rsa: await startOpenssl([...serverCertArgs(pki.leaf.rsa2048), '-www', '-tls1_3']),
    ecdsa: await startOpenssl([...serverCertArgs(pki.leaf.p256), '-www', '-tls1_3']),
    www: await startOpenssl([...serverCertArgs(pki.leaf.rsa2048), '-WWW', '-tls1_3'], pki.dir),
  };
  try {
    console.log(`TLS 1.3 handshakes (median of ${HANDSHAKES}), ${roots.length} trusted roots:`);
    for (const [name, crypto] of providers) {
      console.log(`  ${name} rsa-2048 chain:   ${await handshakes(servers.rsa.port, roots, crypto)}`);
      console.log(`  ${name} ecdsa-p256 chain: ${await handshakes(servers.ecdsa.port, roots, crypto)}`);
    }
    const rates: Record<string, number[]> = { 'node https': [] };
    const longestPolls: Record<string, number[]> = {};
    const suites: Record<string, string> = {};
    for (const [name] of providers) {
      rates[name] = [];
      longestPolls[name] = [];
    }
    for (let run = 0; run < RUNS; run++) {
      const order = run % 2 === 0 ? providers : [...providers].reverse();
      rates['node https'].push(await nodeHttpsDownload(servers.www.port, rootPem));
      for (const [name, crypto] of order) {
        const { mbps, suite, longestPoll } = await download(servers.www.port, roots, crypto);
        rates[name].push(mbps);
        longestPolls[name].push(longestPoll);
        suites[name] = suite;
      }
    }
    console.log(`download 64 MiB, MB/s, median [min..max] of ${RUNS} rounds:`);
    console.log(`  node https (Node's own client): ${spread(rates['node https'])}`);
    const native = median(rates['node https']);
    for (const [name, crypto] of providers) {
      const alg = AEAD_OF_SUITE[suites[name]];
      const raw = median([aeadOpenRate(crypto, alg), aeadOpenRate(crypto, alg), aeadOpenRate(crypto, alg)]);
      const mbps = median(rates[name]);
      console.log(
        `  ${name} provider (${suites[name]}): ${spread(rates[name])}; ${(mbps / native).toFixed(2)}x node https; ` +
          `its ${alg} alone opens ${raw.toFixed(0)} MB/s, the TLS download reaches ${((100 * mbps) / raw).toFixed(0)}% of that; ` +
          `longest poll() during the download ${spread(longestPolls[name], 2)} ms wall`,
      );
    }
  } finally {
    for (const s of Object.values(servers)) await s.stop();
    pki.cleanup();
  }
}

await main();
