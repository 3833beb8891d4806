import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import {
  ChainVerificationOptions,
  createChainVerification,
  verifyCertificateChain,
} from '../../engine-module/tls/x509/path.js';
import { CA_EXT, Issued, TestPki, leafExt, type KeyType } from './pki.js';
import { AlertDescription } from '../../engine-module/tls/alerts.js';
import {
  certFailure,
  certificateFailureAlert,
  certificateFailureText,
} from '../../engine-module/tls/x509/certificate-failure.js';

const DAY = 86_400_000;

let pki: TestPki;
const k: Record<string, string> = {};
const c: Record<string, Issued> = {};

/**
 * Lets the test runner's messages through between openssl runs: a long run of blocking child processes on a busy
 * machine would otherwise keep the worker silent past the runner's timeout.
 */
const turn = () => new Promise((resolve) => setImmediate(resolve));

beforeAll(async () => {
  pki = new TestPki();
  const keys: [field: string, name: string, type: KeyType][] = [
    ['rsaRoot', 'rsa-root', 'rsa2048'], ['rsa4096', 'rsa4096-root', 'rsa4096'], ['rsaLeaf', 'rsa-leaf', 'rsa2048'],
    ['rsa1024', 'rsa1024', 'rsa1024'], ['ecRoot', 'ec-root', 'p384'], ['ecInt', 'ec-int', 'p256'],
    ['ecLeaf', 'ec-leaf', 'p256'], ['ed', 'ed', 'ed25519'],
  ];
  for (const [field, name, type] of keys) {
    k[field] = pki.key(name, type);
    await turn();
  }

  c.rsaRoot = pki.issue('rsa-root', { subject: '/CN=Test RSA Root/O=tickhttp', key: k.rsaRoot, ext: CA_EXT, days: 3650 });
  c.rsaLeaf = pki.issue('rsa-leaf', {
    subject: '/CN=rsa.example.test', key: k.rsaLeaf, issuer: c.rsaRoot, ext: leafExt('DNS:rsa.example.test'),
  });
  c.rsa4096Root = pki.issue('rsa4096-root', { subject: '/CN=Test RSA-4096 Root', key: k.rsa4096, ext: CA_EXT, days: 3650 });
  c.rsaInt = pki.issue('rsa-int', { subject: '/CN=Test RSA Intermediate', key: k.rsaRoot, issuer: c.rsa4096Root, ext: CA_EXT });
  c.rsaLeaf2 = pki.issue('rsa-leaf2', {
    subject: '/CN=rsa2.example.test', key: k.rsaLeaf, issuer: c.rsaInt, ext: leafExt('DNS:rsa2.example.test'),
    days: 365,
  });
  c.pssLeaf = pki.issue('pss-leaf', {
    subject: '/CN=pss.example.test', key: k.rsaLeaf, issuer: c.rsaRoot, ext: leafExt('DNS:pss.example.test'),
    args: ['-sha384', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'],
  });

  c.ecRoot = pki.issue('ec-root', { subject: '/CN=Test EC Root', key: k.ecRoot, ext: CA_EXT, days: 3650 });
  c.ecInt = pki.issue('ec-int', { subject: '/CN=Test EC Intermediate', key: k.ecInt, issuer: c.ecRoot, ext: CA_EXT });
  c.ecLeaf = pki.issue('ec-leaf', {
    subject: '/CN=ec.example.test', key: k.ecLeaf, issuer: c.ecInt,
    ext: leafExt('DNS:ec.example.test, DNS:www.ec.example.test'), days: 1,
  });
  c.impostorInt = pki.issue('impostor-int', {
    subject: '/CN=Test EC Intermediate', key: k.ecLeaf, issuer: c.ecRoot, ext: CA_EXT,
  });
  c.wild = pki.issue('wild', {
    subject: '/CN=wildcard', key: k.ecLeaf, issuer: c.ecInt, ext: leafExt('DNS:*.wild.example.test'),
  });
  c.ip = pki.issue('ip', {
    subject: '/CN=ip', key: k.ecLeaf, issuer: c.ecInt, ext: leafExt('IP:127.0.0.1, IP:::1, DNS:localhost'),
  });
  c.clientOnly = pki.issue('client-only', {
    subject: '/CN=client.example.test', key: k.ecLeaf, issuer: c.ecInt,
    ext: 'basicConstraints = critical, CA:FALSE\nextendedKeyUsage = clientAuth\nsubjectAltName = DNS:client.example.test\n',
  });
  c.unknownCritical = pki.issue('unknown-critical', {
    subject: '/CN=odd.example.test', key: k.ecLeaf, issuer: c.ecInt,
    ext: leafExt('DNS:odd.example.test', '1.2.3.4.5 = critical, ASN1:UTF8String:must understand\n'),
  });
  c.selfSigned = pki.issue('self', {
    subject: '/CN=self.example.test', key: k.ecLeaf, ext: leafExt('DNS:self.example.test'),
  });
  c.notCa = pki.issue('not-ca', {
    subject: '/CN=Not A CA', key: k.ecInt, issuer: c.ecRoot, ext: 'basicConstraints = critical, CA:FALSE\n',
  });
  c.underNotCa = pki.issue('under-not-ca', {
    subject: '/CN=under.example.test', key: k.ecLeaf, issuer: c.notCa, ext: leafExt('DNS:under.example.test'),
  });
  c.pathLen0 = pki.issue('pathlen0', {
    subject: '/CN=PathLen0 CA', key: k.ecInt, issuer: c.ecRoot,
    ext: 'basicConstraints = critical, CA:TRUE, pathlen:0\nkeyUsage = critical, keyCertSign\n',
  });
  c.belowPathLen0 = pki.issue('below-pathlen0', { subject: '/CN=Sub CA', key: k.ecInt, issuer: c.pathLen0, ext: CA_EXT });
  c.deepLeaf = pki.issue('deep-leaf', {
    subject: '/CN=deep.example.test', key: k.ecLeaf, issuer: c.belowPathLen0, ext: leafExt('DNS:deep.example.test'),
  });
  c.ncInt = pki.issue('nc-int', {
    subject: '/CN=Constrained CA', key: k.ecInt, issuer: c.ecRoot,
    ext:
      CA_EXT +
      'nameConstraints = critical, permitted;DNS:allowed.test, excluded;DNS:bad.allowed.test, permitted;IP:10.0.0.0/255.0.0.0\n',
  });
  for (const [name, san] of [
    ['ncOk', 'DNS:www.allowed.test, IP:10.1.2.3'],
    ['ncOutside', 'DNS:www.other.test'],
    ['ncExcluded', 'DNS:x.bad.allowed.test'],
    ['ncIpOutside', 'DNS:ip.allowed.test, IP:192.168.1.1'],
  ]) {
    c[name] = pki.issue(name, { subject: `/CN=${name}`, key: k.ecLeaf, issuer: c.ncInt, ext: leafExt(san) });
  }
  c.clientCa = pki.issue('client-ca', {
    subject: '/CN=Client CA', key: k.ecInt, issuer: c.ecRoot, ext: CA_EXT + 'extendedKeyUsage = clientAuth\n',
  });
  c.underClientCa = pki.issue('under-client-ca', {
    subject: '/CN=uc.example.test', key: k.ecLeaf, issuer: c.clientCa, ext: leafExt('DNS:uc.example.test'),
  });
  c.crlOnlyCa = pki.issue('crl-only-ca', {
    subject: '/CN=CRL Only CA', key: k.ecInt, issuer: c.ecRoot,
    ext: 'basicConstraints = critical, CA:TRUE\nkeyUsage = critical, cRLSign\n',
  });
  c.underCrlOnly = pki.issue('under-crl-only', {
    subject: '/CN=uco.example.test', key: k.ecLeaf, issuer: c.crlOnlyCa, ext: leafExt('DNS:uco.example.test'),
  });
  c.caLeaf = pki.issue('ca-leaf', {
    subject: '/CN=caleaf.example.test', key: k.ecLeaf, issuer: c.ecInt,
    ext: CA_EXT + 'subjectAltName = DNS:caleaf.example.test\n',
  });
  c.kexOnlyLeaf = pki.issue('kex-only-leaf', {
    subject: '/CN=kex.example.test', key: k.ecLeaf, issuer: c.ecInt,
    ext: 'keyUsage = critical, keyAgreement\nsubjectAltName = DNS:kex.example.test\n',
  });
  c.weakLeaf = pki.issue('weak-leaf', {
    subject: '/CN=weak.example.test', key: k.rsa1024, issuer: c.rsaRoot, ext: leafExt('DNS:weak.example.test'),
  });
  c.weakInt = pki.issue('weak-int', { subject: '/CN=Weak CA', key: k.rsa1024, issuer: c.rsaRoot, ext: CA_EXT });
  c.underWeak = pki.issue('under-weak', {
    subject: '/CN=underweak.example.test', key: k.ecLeaf, issuer: c.weakInt, ext: leafExt('DNS:underweak.example.test'),
  });
  // A CA allowed only good.victim.test that issues *.victim.test (CVE-2025-61727).
  c.victimInt = pki.issue('victim-int', {
    subject: '/CN=Victim CA', key: k.ecInt, issuer: c.ecRoot,
    ext: CA_EXT + 'nameConstraints = critical, permitted;DNS:good.victim.test\n',
  });
  c.victimWild = pki.issue('victim-wild', {
    subject: '/CN=victim wildcard', key: k.ecLeaf, issuer: c.victimInt, ext: leafExt('DNS:*.victim.test'),
  });
  // Same subject and key as the EC root, but another certificate.
  c.rootTwin = pki.issue('root-twin', { subject: '/CN=Test EC Root', key: k.ecRoot, ext: leafExt('DNS:twin.example.test') });
  c.underSelfSigned = pki.issue('under-self-signed', {
    subject: '/CN=under-self.example.test', key: k.ecLeaf, issuer: c.selfSigned, ext: leafExt('DNS:under-self.example.test'),
  });
  k.pathLenRoot = pki.key('pathlen-root', 'p256');
  c.pathLenRoot = pki.issue('pathlen-root', {
    subject: '/CN=PathLen0 Root', key: k.pathLenRoot, days: 3650,
    ext: 'basicConstraints = critical, CA:TRUE, pathlen:0\nkeyUsage = critical, keyCertSign\n',
  });
  c.underPathLenRoot = pki.issue('under-pathlen-root', { subject: '/CN=Under PathLen0 Root', key: k.ecInt, issuer: c.pathLenRoot, ext: CA_EXT });
  c.deepUnderPathLenRoot = pki.issue('deep-under-pathlen-root', {
    subject: '/CN=deep-root.example.test', key: k.ecLeaf, issuer: c.underPathLenRoot, ext: leafExt('DNS:deep-root.example.test'),
  });
  // Key rollover: a self-issued intermediate (same name, new key) below a pathLen:0 CA.
  k.rollover = pki.key('rollover', 'p256');
  c.rollover = pki.issue('rollover', { subject: '/CN=PathLen0 CA', key: k.rollover, issuer: c.pathLen0, ext: CA_EXT });
  c.underRollover = pki.issue('under-rollover', {
    subject: '/CN=rolled.example.test', key: k.ecLeaf, issuer: c.rollover, ext: leafExt('DNS:rolled.example.test'),
  });
  c.edRoot = pki.issue('ed-root', { subject: '/CN=Test Ed25519 Root', key: k.ed, ext: CA_EXT, days: 3650 });
  c.edLeaf = pki.issue('ed-leaf', {
    subject: '/CN=ed.example.test', key: k.ecLeaf, issuer: c.edRoot, ext: leafExt('DNS:ed.example.test'),
  });
}, 120_000);

afterAll(() => pki?.cleanup());

function verify(chain: Issued[], hostname: string, roots: Issued[], extra: Partial<ChainVerificationOptions> = {}) {
  return verifyCertificateChain(
    chain.map((x) => x.der),
    { hostname, roots: roots.map((x) => x.der), now: new Date(), ...extra },
  );
}

function reasonOf(r: ReturnType<typeof verify>): string {
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.reason;
}

describe('verifyCertificateChain: good chains', () => {
  it('accepts an RSA-2048 leaf signed by an RSA-2048 root', () => {
    expect(verify([c.rsaLeaf], 'rsa.example.test', [c.rsaRoot])).toEqual({ ok: true });
  });

  it('accepts RSA-2048 under an RSA-4096 root through an intermediate', () => {
    expect(verify([c.rsaLeaf2, c.rsaInt], 'rsa2.example.test', [c.rsa4096Root])).toEqual({ ok: true });
  });

  it('accepts an RSASSA-PSS (SHA-384) signed leaf', () => {
    expect(verify([c.pssLeaf], 'pss.example.test', [c.rsaRoot])).toEqual({ ok: true });
  });

  it('accepts an ECDSA P-256 leaf under a P-256 intermediate and a P-384 root, for each SAN', () => {
    expect(verify([c.ecLeaf, c.ecInt], 'ec.example.test', [c.ecRoot])).toEqual({ ok: true });
    expect(verify([c.ecLeaf, c.ecInt], 'WWW.EC.Example.Test.', [c.ecRoot])).toEqual({ ok: true });
  });

  it('accepts a leaf signed by an Ed25519 root', () => {
    expect(verify([c.edLeaf], 'ed.example.test', [c.edRoot])).toEqual({ ok: true });
  });

  it('accepts intermediates out of order, with unrelated extras and the root itself in the list', () => {
    const roots = [c.rsaRoot, c.ecRoot];
    expect(verify([c.ecLeaf, c.rsaLeaf, c.ecRoot, c.selfSigned, c.ecInt], 'ec.example.test', roots)).toEqual({ ok: true });
  });

  it('backtracks when two candidates share the issuer name and the first has another key', () => {
    let calls = 0;
    const crypto: CryptoProvider = { ...pureCrypto, verify: (...a) => (calls++, pureCrypto.verify(...a)) };
    const r = verify([c.ecLeaf, c.impostorInt, c.ecInt], 'ec.example.test', [c.ecRoot], { crypto });
    expect(r).toEqual({ ok: true });
    expect(calls).toBe(3); // leaf by the impostor (fails), leaf by the real intermediate, intermediate by the root
  });

  it('trusts a server certificate pinned as a root (trustedChain), self-signed or not', () => {
    expect(verify([c.selfSigned], 'self.example.test', [c.selfSigned])).toEqual({ ok: true });
    expect(verify([c.ecLeaf], 'ec.example.test', [c.ecLeaf])).toEqual({ ok: true });
    expect(reasonOf(verify([c.selfSigned], 'other.example.test', [c.selfSigned]))).toMatch(/^hostname mismatch/);
  });
});

describe('verifyCertificateChain: names', () => {
  const roots = () => [c.ecRoot];

  it('matches a wildcard against exactly one left-most label', () => {
    expect(verify([c.wild, c.ecInt], 'a.wild.example.test', roots())).toEqual({ ok: true });
    expect(reasonOf(verify([c.wild, c.ecInt], 'a.b.wild.example.test', roots()))).toBe(
      'hostname mismatch: certificate is for *.wild.example.test; wanted a.b.wild.example.test',
    );
    expect(reasonOf(verify([c.wild, c.ecInt], 'wild.example.test', roots()))).toMatch(/^hostname mismatch/);
    expect(reasonOf(verify([c.wild, c.ecInt], '127.0.0.1', roots()))).toMatch(/^hostname mismatch/);
  });

  it('matches IPv4 and IPv6 literals against iPAddress SANs, IPv6 in any spelling', () => {
    for (const host of ['127.0.0.1', '::1', '[::1]', '0:0:0:0:0:0:0:1', '0::0:1', 'localhost', 'LOCALHOST.']) {
      expect(verify([c.ip, c.ecInt], host, roots()), host).toEqual({ ok: true });
    }
    expect(reasonOf(verify([c.ip, c.ecInt], '127.0.0.2', roots()))).toBe(
      'hostname mismatch: certificate is for 127.0.0.1, ::1, localhost; wanted 127.0.0.2',
    );
    expect(reasonOf(verify([c.ip, c.ecInt], '::2', roots()))).toMatch(/^hostname mismatch/);
  });

  it('refuses a wrong host with the certificate names in the reason', () => {
    expect(reasonOf(verify([c.ecLeaf, c.ecInt], 'c.example.test', roots()))).toBe(
      'hostname mismatch: certificate is for ec.example.test, www.ec.example.test; wanted c.example.test',
    );
  });

  it('refuses a hostname that is neither a DNS name nor an IP address', () => {
    expect(reasonOf(verify([c.ecLeaf, c.ecInt], 'bad host', roots()))).toMatch(/not a valid DNS name or IP address/);
    expect(reasonOf(verify([c.ecLeaf, c.ecInt], '', roots()))).toMatch(/not a valid DNS name or IP address/);
  });
});

describe('verifyCertificateChain: refusals', () => {
  it('refuses an expired leaf, naming notAfter', () => {
    const now = new Date(Date.now() + 2 * DAY);
    expect(reasonOf(verify([c.ecLeaf, c.ecInt], 'ec.example.test', [c.ecRoot], { now }))).toMatch(
      /^certificate expired: CN=ec\.example\.test \(notAfter \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/,
    );
  });

  it('refuses a leaf that is not yet valid', () => {
    const now = new Date(Date.now() - DAY);
    expect(reasonOf(verify([c.ecLeaf, c.ecInt], 'ec.example.test', [c.ecRoot], { now }))).toMatch(
      /^certificate is not yet valid: CN=ec\.example\.test \(notBefore /,
    );
  });

  it('refuses an expired intermediate', () => {
    const now = new Date(Date.now() + 60 * DAY); // the leaf lives 365 days, the intermediate 30
    expect(reasonOf(verify([c.rsaLeaf2, c.rsaInt], 'rsa2.example.test', [c.rsa4096Root], { now }))).toMatch(
      /^certificate expired: CN=Test RSA Intermediate \(notAfter .*\)$/,
    );
  });

  it('refuses a self-signed certificate that is not a root', () => {
    expect(reasonOf(verify([c.selfSigned], 'self.example.test', [c.ecRoot]))).toBe(
      'self-signed certificate not trusted: CN=self.example.test',
    );
  });

  it('refuses a chain to an untrusted root', () => {
    expect(reasonOf(verify([c.ecLeaf, c.ecInt], 'ec.example.test', [c.rsaRoot]))).toBe(
      'unable to find the issuer (missing intermediate or untrusted root): CN=Test EC Intermediate (issuer CN=Test EC Root)',
    );
    expect(reasonOf(verify([c.ecLeaf, c.ecInt, c.ecRoot], 'ec.example.test', [c.rsaRoot]))).toBe(
      'self-signed certificate not trusted: CN=Test EC Root',
    );
  });

  it('follows changes to a trust store array that was already used (its index is kept per array)', () => {
    const roots = [c.rsaRoot.der];
    const check = () => verifyCertificateChain([c.ecLeaf.der, c.ecInt.der], { hostname: 'ec.example.test', roots, now: new Date() });
    expect(check().ok).toBe(false);
    roots.push(c.ecRoot.der);
    expect(check()).toEqual({ ok: true });
    roots[1] = c.rsa4096Root.der;
    expect(check().ok).toBe(false);
    roots.length = 1;
    roots[0] = c.ecRoot.der;
    expect(check()).toEqual({ ok: true });
  });

  it('refuses a chain with the intermediate missing', () => {
    expect(reasonOf(verify([c.ecLeaf], 'ec.example.test', [c.ecRoot]))).toBe(
      'unable to find the issuer (missing intermediate or untrusted root): CN=ec.example.test (issuer CN=Test EC Intermediate)',
    );
  });

  it('refuses an intermediate without CA:TRUE', () => {
    expect(reasonOf(verify([c.underNotCa, c.notCa], 'under.example.test', [c.ecRoot]))).toBe(
      'issuer is not a CA (basicConstraints): CN=Not A CA',
    );
  });

  it('refuses a leaf whose extended key usage lacks serverAuth', () => {
    expect(reasonOf(verify([c.clientOnly, c.ecInt], 'client.example.test', [c.ecRoot]))).toBe(
      'extended key usage does not allow serverAuth: CN=client.example.test (leaf lacks serverAuth)',
    );
  });

  it('refuses issuers whose extended key usage or keyUsage forbid issuing server certificates', () => {
    expect(reasonOf(verify([c.underClientCa, c.clientCa], 'uc.example.test', [c.ecRoot]))).toBe(
      'extended key usage does not allow serverAuth: CN=Client CA',
    );
    expect(reasonOf(verify([c.underCrlOnly, c.crlOnlyCa], 'uco.example.test', [c.ecRoot]))).toBe(
      'key usage does not allow this use: CN=CRL Only CA (issuer lacks keyCertSign)',
    );
  });

  it('refuses a CA certificate or a key-agreement-only key as the server certificate', () => {
    expect(reasonOf(verify([c.caLeaf, c.ecInt], 'caleaf.example.test', [c.ecRoot]))).toBe(
      'CA certificate used as the server certificate: CN=caleaf.example.test',
    );
    expect(reasonOf(verify([c.kexOnlyLeaf, c.ecInt], 'kex.example.test', [c.ecRoot]))).toBe(
      'key usage does not allow this use: CN=kex.example.test (leaf lacks digitalSignature)',
    );
  });

  it('refuses a bad signature (one byte of the leaf signature flipped)', () => {
    const der = c.ecLeaf.der.slice();
    der[der.length - 1] ^= 0x01;
    const r = verifyCertificateChain([der, c.ecInt.der], { hostname: 'ec.example.test', roots: [c.ecRoot.der], now: new Date() });
    expect(reasonOf(r)).toBe('bad certificate signature: CN=ec.example.test (issuer CN=Test EC Intermediate)');
    const rsa = c.rsaLeaf.der.slice();
    rsa[rsa.length - 7] ^= 0x80;
    const r2 = verifyCertificateChain([rsa], { hostname: 'rsa.example.test', roots: [c.rsaRoot.der], now: new Date() });
    expect(reasonOf(r2)).toMatch(/^bad certificate signature/);
  });

  it('refuses a path longer than an intermediate pathLen allows', () => {
    expect(reasonOf(verify([c.deepLeaf, c.belowPathLen0, c.pathLen0], 'deep.example.test', [c.ecRoot]))).toBe(
      'path length constraint exceeded: CN=PathLen0 CA (allows 0 intermediate(s) below it, the path has 1)',
    );
  });

  it('enforces permitted and excluded name constraints for DNS names and IP addresses', () => {
    const roots = [c.ecRoot];
    expect(verify([c.ncOk, c.ncInt], 'www.allowed.test', roots)).toEqual({ ok: true });
    expect(verify([c.ncOk, c.ncInt], '10.1.2.3', roots)).toEqual({ ok: true });
    expect(reasonOf(verify([c.ncOutside, c.ncInt], 'www.other.test', roots))).toBe(
      'name constraints violated: CN=ncOutside (DNS:www.other.test is outside the permitted subtrees, ' +
        'imposed by CN=Constrained CA)',
    );
    expect(reasonOf(verify([c.ncExcluded, c.ncInt], 'x.bad.allowed.test', roots))).toBe(
      'name constraints violated: CN=ncExcluded (DNS:x.bad.allowed.test is inside the excluded subtree ' +
        'DNS:bad.allowed.test, imposed by CN=Constrained CA)',
    );
    expect(reasonOf(verify([c.ncIpOutside, c.ncInt], 'ip.allowed.test', roots))).toMatch(
      /^name constraints violated: CN=\w+ \(IP:192\.168\.1\.1 is outside the permitted subtrees/,
    );
  });

  it('refuses a certificate with an unknown critical extension', () => {
    expect(reasonOf(verify([c.unknownCritical, c.ecInt], 'odd.example.test', [c.ecRoot]))).toBe(
      'unsupported critical extension: CN=odd.example.test (1.2.3.4.5)',
    );
  });

  it('refuses 1024-bit RSA keys in the leaf and in an issuer', () => {
    expect(reasonOf(verify([c.weakLeaf], 'weak.example.test', [c.rsaRoot]))).toBe(
      'RSA key too small: CN=weak.example.test (1024 bits, at least 2048 required)',
    );
    expect(reasonOf(verify([c.underWeak, c.weakInt], 'underweak.example.test', [c.rsaRoot]))).toBe(
      'RSA key too small: CN=Weak CA (1024 bits, at least 2048 required)',
    );
  });

  it('returns a reason, never throws, for truncated or garbage DER', () => {
    const opts = { hostname: 'ec.example.test', roots: [c.ecRoot.der], now: new Date() };
    const leaf = c.ecLeaf.der;
    for (const cut of [0, 1, 2, 4, 100, leaf.length - 1]) {
      expect(reasonOf(verifyCertificateChain([leaf.subarray(0, cut), c.ecInt.der], opts))).toMatch(
        /^certificate could not be parsed: /,
      );
    }
    expect(reasonOf(verifyCertificateChain([leaf, c.ecInt.der.subarray(0, 50)], opts))).toMatch(
      /^certificate could not be parsed: certificate 2 of the chain: truncated/,
    );
    expect(reasonOf(verifyCertificateChain([], opts))).toBe('the server sent no certificate');
    expect(reasonOf(verifyCertificateChain([new Uint8Array(70_000)], opts))).toBe(
      'certificate too large: 70000 bytes, limit 65536',
    );
    expect(reasonOf(verifyCertificateChain([leaf, c.ecInt.der], { ...opts, now: new Date(NaN) }))).toBe(
      'invalid verification options: invalid verification time',
    );
  });
});

describe('verifyCertificateChain: long chains', () => {
  let chain: Issued[] = [];
  let root: Issued;

  beforeAll(async () => {
    const key = pki.key('long', 'p256');
    root = pki.issue('long-0', { subject: '/CN=Long 0', key, ext: CA_EXT, days: 3650 });
    let issuer = root;
    const cas: Issued[] = [];
    for (let i = 1; i < 49; i++) {
      issuer = pki.issue(`long-${i}`, { subject: `/CN=Long ${i}`, key, issuer, ext: CA_EXT });
      cas.push(issuer);
      await turn();
    }
    const leaf = pki.issue('long-leaf', { subject: '/CN=long.example.test', key, issuer, ext: leafExt('DNS:long.example.test') });
    chain = [leaf, ...cas.reverse()];
  }, 120_000);

  it('refuses a 50-certificate path by the length limit, and accepts it when the limit allows', () => {
    expect(chain.length).toBe(49); // plus the root: 50 certificates
    expect(reasonOf(verify(chain, 'long.example.test', [root]))).toBe(
      'certificate chain too long: more than 10 certificates',
    );
    expect(verify(chain, 'long.example.test', [root], { maxChainLength: 50 })).toEqual({ ok: true });
    expect(reasonOf(verify(chain, 'long.example.test', [root], { maxChainLength: 49 }))).toMatch(/too long/);
  });
});

describe('verifyCertificateChain: trust anchors and constraints', () => {
  it('refuses a wildcard that could name something outside a permitted subtree', () => {
    for (const host of ['evil.victim.test', 'good.victim.test']) {
      const r = verify([c.victimWild, c.victimInt], host, [c.ecRoot]);
      expect(!r.ok && r.failure.code, host).toBe('name-constraints');
    }
  });

  it('pins only a byte-identical anchor: a twin sharing its name and key is validated as a chain', () => {
    const twin = verify([c.rootTwin], 'twin.example.test', [c.ecRoot]);
    expect(!twin.ok && twin.failure.code).toBe('untrusted-self-signed');
    const forged = c.selfSigned.der.slice();
    forged[forged.length - 1] ^= 0x01; // same name and key, signature broken
    const r = verifyCertificateChain([forged], { hostname: 'self.example.test', roots: [c.selfSigned.der], now: new Date() });
    expect(r.ok).toBe(false);
  });

  it("honours the anchors' own basicConstraints, pathLen and keyUsage", () => {
    const notCa = verify([c.underSelfSigned], 'under-self.example.test', [c.selfSigned]);
    expect(!notCa.ok && notCa.failure).toMatchObject({ code: 'not-a-ca', subject: 'CN=self.example.test' });
    const deep = verify([c.deepUnderPathLenRoot, c.underPathLenRoot], 'deep-root.example.test', [c.pathLenRoot]);
    expect(!deep.ok && deep.failure).toMatchObject({ code: 'path-length', subject: 'CN=PathLen0 Root' });
    const crlOnlyRoot = verify([c.underCrlOnly], 'uco.example.test', [c.crlOnlyCa]);
    expect(!crlOnlyRoot.ok && crlOnlyRoot.failure.code).toBe('key-usage');
  });

  it('does not count a self-issued intermediate (key rollover) against pathLen', () => {
    expect(verify([c.underRollover, c.rollover, c.pathLen0], 'rolled.example.test', [c.ecRoot])).toEqual({ ok: true });
  });

  it('escapes control characters from the certificate in every reason', () => {
    const text = certificateFailureText({ code: 'hostname-mismatch', subject: 'CN=a\0b\x1b[31m\nc', detail: 'x\u2028y' });
    expect(text).toBe('hostname mismatch: CN=a\\x00b\\x1b[31m\\x0ac (x\\u2028y)');
    expect(text).not.toMatch(/[\x00-\x1f]/);
  });

  it('derives the TLS alert from the failure code', () => {
    expect(certificateFailureAlert(certFailure('expired'))).toBe(AlertDescription.certificate_expired);
    expect(certificateFailureAlert(certFailure('unknown-issuer'))).toBe(AlertDescription.unknown_ca);
    expect(certificateFailureAlert(certFailure('name-constraints'))).toBe(AlertDescription.bad_certificate);
    expect(certificateFailureAlert(certFailure('unsupported-key'))).toBe(AlertDescription.unsupported_certificate);
  });
});

describe('createChainVerification', () => {
  function counting(): CryptoProvider & { calls: number } {
    const p = { ...pureCrypto, calls: 0 };
    p.verify = (...args) => {
      p.calls++;
      return pureCrypto.verify(...args);
    };
    return p;
  }

  it('does at most one signature verification per step', () => {
    const crypto = counting();
    const v = createChainVerification([c.ecLeaf.der, c.rsaLeaf.der, c.ecInt.der], {
      hostname: 'ec.example.test',
      roots: [c.rsaRoot.der, c.ecRoot.der],
      now: new Date(),
      crypto,
    });
    const perStep: number[] = [];
    let result = null;
    while (!result) {
      const before = crypto.calls;
      result = v.step();
      perStep.push(crypto.calls - before);
    }
    expect(result).toEqual({ ok: true });
    expect(crypto.calls).toBe(2); // leaf by intermediate, intermediate by root
    expect(Math.max(...perStep)).toBe(1);
    expect(v.step()).toBe(result);
    expect(crypto.calls).toBe(2);
  });

  it('steps through a failing search too, one verification at a time', () => {
    const crypto = counting();
    const bad = c.ecLeaf.der.slice();
    bad[bad.length - 1] ^= 1;
    const v = createChainVerification([bad, c.ecInt.der], {
      hostname: 'ec.example.test', roots: [c.ecRoot.der], now: new Date(), crypto,
    });
    let steps = 0;
    let result = null;
    while (!result) {
      const before = crypto.calls;
      result = v.step();
      expect(crypto.calls - before).toBeLessThanOrEqual(1);
      steps++;
    }
    expect(result.ok).toBe(false);
    expect(steps).toBeGreaterThanOrEqual(1);
  });

  it('turns a throwing provider into a reason', () => {
    const crypto = { ...pureCrypto, verify: () => { throw new Error('boom'); } };
    const r = verifyCertificateChain([c.ecLeaf.der, c.ecInt.der], {
      hostname: 'ec.example.test', roots: [c.ecRoot.der], now: new Date(), crypto,
    });
    expect(r).toEqual({
      ok: false,
      reason: 'certificate verification failed: boom',
      failure: { code: 'internal-error', subject: undefined, detail: 'boom' },
    });
  });
});
