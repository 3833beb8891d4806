// Prints AEAD throughput on 16 KiB records and asymmetric-operation times for each provider. A measurement to
// read, not a test: run with
//   npx esbuild tests/crypto/measure-providers.ts --bundle --platform=node --format=esm \
//     --outfile=/tmp/measure-providers.mjs && node /tmp/measure-providers.mjs

import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { AeadName, CryptoProvider, PublicKey, SignatureAlgorithm } from '../../engine-module/tls/crypto/provider.js';
import { PROVIDERS } from './providers.js';

const RECORD = 16384;

/** Runs `op` until at least `ms` have passed (after as long again to let the JIT settle); returns ms per call. */
function timePerCall(op: () => void, ms = 600): number {
  for (const warmUntil = performance.now() + ms; performance.now() < warmUntil; ) op();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    op();
    calls++;
    elapsed = performance.now() - start;
  }
  return elapsed / calls;
}

function aeadRates(provider: CryptoProvider, alg: AeadName): string {
  const aead = provider.aead(alg, new Uint8Array(randomBytes(alg === 'aes-128-gcm' ? 16 : 32)));
  const nonce = new Uint8Array(12);
  const aad = new Uint8Array(13);
  const record = new Uint8Array(randomBytes(RECORD));
  const sealed = aead.seal(nonce, aad, record);
  const mbps = (msPerRecord: number) => (RECORD / 1e6 / (msPerRecord / 1000)).toFixed(1);
  const seal = mbps(timePerCall(() => aead.seal(nonce, aad, record)));
  const open = mbps(timePerCall(() => aead.open(nonce, aad, sealed)));
  return `seal ${seal} MB/s, open ${open} MB/s`;
}

function rsaKey(bits: number) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  const key: PublicKey = {
    kind: 'rsa',
    spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
    modulus: new Uint8Array(Buffer.from(jwk.n as string, 'base64url')),
    exponent: new Uint8Array(Buffer.from(jwk.e as string, 'base64url')),
    bits,
  };
  return { privateKey, key };
}

function ecKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const key: PublicKey = { kind: 'ec', curve: 'P-256', spki, point: spki.subarray(spki.length - 65) };
  return { privateKey, key };
}

const data = new Uint8Array(randomBytes(200));
const rsa2048 = rsaKey(2048);
const rsa4096 = rsaKey(4096);
const p256 = ecKey();
const verifications: [string, SignatureAlgorithm, PublicKey, Uint8Array][] = [
  ['RSA-2048 PKCS#1 sha256', { kind: 'rsa-pkcs1', hash: 'sha256' }, rsa2048.key, sign('sha256', data, rsa2048.privateKey)],
  ['RSA-4096 PKCS#1 sha256', { kind: 'rsa-pkcs1', hash: 'sha256' }, rsa4096.key, sign('sha256', data, rsa4096.privateKey)],
  [
    'RSA-2048 PSS sha256',
    { kind: 'rsa-pss', hash: 'sha256' },
    rsa2048.key,
    sign('sha256', data, { key: rsa2048.privateKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 }),
  ],
  ['ECDSA P-256 sha256', { kind: 'ecdsa', hash: 'sha256' }, p256.key, sign('sha256', data, p256.privateKey)],
];

const random = (n: number) => new Uint8Array(randomBytes(n));
for (const provider of PROVIDERS) {
  console.log(`provider ${provider.name} (aeadPreference ${provider.aeadPreference.join(', ')})`);
  for (const alg of ['aes-128-gcm', 'aes-256-gcm', 'chacha20-poly1305'] as const) {
    console.log(`  ${alg.padEnd(18)} 16 KiB records: ${aeadRates(provider, alg)}`);
  }
  for (const [what, alg, key, signature] of verifications) {
    const sig = new Uint8Array(signature);
    if (!provider.verify(alg, key, data, sig)) throw new Error(`${provider.name}: ${what} did not verify`);
    console.log(`  verify ${what.padEnd(24)} ${timePerCall(() => provider.verify(alg, key, data, sig)).toFixed(3)} ms`);
  }
  for (const group of ['x25519', 'secp256r1', 'secp384r1'] as const) {
    const peer = provider.generateKeyShare(group, random).publicKey;
    const keygen = timePerCall(() => provider.generateKeyShare(group, random), 300);
    const share = provider.generateKeyShare(group, random);
    const ecdh = timePerCall(() => provider.ecdh(share, peer), 300);
    console.log(`  ${group.padEnd(10)} key share ${keygen.toFixed(3)} ms, ecdh ${ecdh.toFixed(3)} ms`);
  }
}
