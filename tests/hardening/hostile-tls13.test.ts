// A hostile TLS 1.3 server (tests/hardening/hostile-tls13-server.ts, Node's crypto) on real loopback sockets, one
// broken rule at a time, against both providers: each handshake fails with the rule in its reason, and no poll does
// more than one expensive operation (counted, never timed).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pemToDer } from '../../engine-module/bytes/pem.js';
import { PeerStatus } from '../../engine-module/net/stream-peer.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import type { TlsFailure } from '../../engine-module/tls/tls-failure.js';
import { makeTestPki, type TestPki } from '../tls/helpers/certs.js';
import { connectTls } from '../tls/helpers/drive.js';
import { startHostileTls13, type Misbehaviour, type Tls13Identity } from './hostile-tls13-server.js';

let pki: TestPki;
let ec: Tls13Identity;
let pss: Tls13Identity;
let hugeRsa: Tls13Identity;

beforeAll(() => {
  pki = makeTestPki(['p256']);
  ec = { chain: pemToDer(pki.leaf.p256.chain), key: pki.leaf.p256.key };
  // A leaf whose SubjectPublicKeyInfo is id-RSASSA-PSS.
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: pki.dir, stdio: 'pipe' });
  run(['genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'pss.key']);
  run(['req', '-new', '-key', 'pss.key', '-subj', '/CN=localhost', '-out', 'pss.csr']);
  run(['x509', '-req', '-in', 'pss.csr', '-CA', 'inter.pem', '-CAkey', 'inter.key', '-CAcreateserial', '-days', '30', '-extfile', 'leaf.ext', '-out', 'pss.pem']);
  const read = (f: string) => readFileSync(path.join(pki.dir, f), 'utf8');
  pss = { chain: [...pemToDer(read('pss.pem')), ...pemToDer(read('inter.pem'))], key: read('pss.key') };
  // A 16384-bit RSA key (random modulus: only its size matters, the client must refuse it before using it).
  const modulus = new forge.jsbn.BigInteger('c' + forge.util.bytesToHex(forge.random.getBytesSync(2047)) + '1', 16);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.rsa.setPublicKey(modulus, new forge.jsbn.BigInteger('65537'));
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer([{ name: 'commonName', value: 'localhost' }]);
  cert.sign(forge.pki.rsa.generateKeyPair(1024).privateKey, forge.md.sha256.create());
  hugeRsa = { chain: pemToDer(forge.pki.certificateToPem(cert)), key: pki.leaf.p256.key };
}, 120_000);
afterAll(() => pki?.cleanup());

/** A provider that counts its expensive operations (signature checks, key exchanges, key generation). */
function counting(base: CryptoProvider) {
  const counter = { ops: 0, verifies: 0 };
  const crypto: CryptoProvider = {
    ...base,
    verify: (...a) => (counter.ops++, counter.verifies++, base.verify(...a)),
    ecdh: (...a) => (counter.ops++, base.ecdh(...a)),
    generateKeyShare: (...a) => (counter.ops++, base.generateKeyShare(...a)),
  };
  return { crypto, counter };
}

/** Handshake with the misbehaving server; the outcome and the most operations any single poll did. */
async function handshakeWith(identity: Tls13Identity, bad: Misbehaviour, base: CryptoProvider, verify = true) {
  const server = await startHostileTls13(identity, bad);
  const { crypto, counter } = counting(base);
  // Both versions offered, as by default: extended_master_secret and renegotiation_info are then in the ClientHello.
  const c = connectTls(server.port, { roots: [pki.rootDer], crypto, verify });
  let mostPerPoll = 0;
  try {
    for (let i = 0; i < 20_000 && c.tls.getStatus() === PeerStatus.CONNECTING; i++) {
      const before = counter.ops;
      c.tls.poll();
      mostPerPoll = Math.max(mostPerPoll, counter.ops - before);
      await setImmediate();
    }
    return { status: c.tls.getStatus(), error: c.tls.getTlsError(), failure: c.tls.getTlsFailure(), mostPerPoll, verifies: counter.verifies };
  } finally {
    c.tls.disconnectFromHost();
    await server.close();
  }
}

const providers: [string, CryptoProvider][] = [
  ['pure', pureCrypto],
  ['node', nodeCrypto],
];

describe.each(providers)('hostile TLS 1.3 server, %s provider', (_name, provider) => {
  it('the same server without misbehaviour connects', async () => {
    const r = await handshakeWith(ec, {}, provider);
    expect([r.status, r.error]).toEqual([PeerStatus.CONNECTED, null]);
    expect(r.mostPerPoll).toBe(1);
  });

  it.each([
    ['extended_master_secret in EncryptedExtensions', { encryptedExtensions: [[23, new Uint8Array(0)]] }, { code: 'illegal-parameter', detail: 'extension extended_master_secret (23) is not allowed in EncryptedExtensions' }],
    ['renegotiation_info in EncryptedExtensions', { encryptedExtensions: [[0xff01, Uint8Array.of(0)]] }, { code: 'illegal-parameter', detail: 'extension renegotiation_info (65281) is not allowed in EncryptedExtensions' }],
    ['an unsolicited SCT in a CertificateEntry', { entryExtensions: [[18, Uint8Array.of(0, 0)]] }, { code: 'unsupported-extension', detail: 'signed_certificate_timestamp (18) in CertificateEntry' }],
    ['a protected ChangeCipherSpec', { protectedCcs: true }, { code: 'unexpected-message', detail: 'encrypted ChangeCipherSpec record' }],
    ['an inner plaintext of 2^14 + 2 bytes (padding counted)', { innerPlaintextLength: (1 << 14) + 2 }, { code: 'record-overflow', detail: 'decrypted record of 16386 bytes with padding, over 2^14 + 1' }],
    ['a cookie in the ServerHello after a HelloRetryRequest', { cookieAfterRetry: true }, { code: 'illegal-parameter', detail: 'extension cookie (44) is not allowed in ServerHello' }],
  ] as [string, Misbehaviour, TlsFailure][])('refuses %s', async (_what, bad, failure) => {
    const r = await handshakeWith(ec, bad, provider);
    expect(r.status).toBe(PeerStatus.ERROR);
    expect(r.failure).toEqual(failure);
    expect(r.mostPerPoll).toBeLessThanOrEqual(1);
  });

  it('accepts an id-RSASSA-PSS key only with rsa_pss_pss_*, never with rsa_pss_rsae_*', async () => {
    const good = await handshakeWith(pss, { scheme: 0x0809 }, provider);
    expect([good.status, good.error]).toEqual([PeerStatus.CONNECTED, null]);
    const bad = await handshakeWith(pss, { scheme: 0x0804 }, provider);
    expect(bad.status).toBe(PeerStatus.ERROR);
    expect(bad.failure).toEqual({ code: 'illegal-parameter', detail: 'CertificateVerify: signature scheme 0x804 was not offered or does not fit the certificate key' });
    expect(Math.max(good.mostPerPoll, bad.mostPerPoll)).toBe(1);
  });

  it('refuses a 16384-bit RSA key before any big-number work, even without verification', async () => {
    const r = await handshakeWith(hugeRsa, {}, provider, false);
    expect(r.status).toBe(PeerStatus.ERROR);
    expect(r.failure).toMatchObject({ code: 'certificate', certificate: { code: 'key-too-large', subject: 'CN=localhost' } });
    expect(r.verifies).toBe(0);
  });
});
