// The verifier inside QuickJS, bundled for the neutral platform as the embedded build is: proves it needs nothing
// from its host and shows what a verification costs at interpreter speed (printed, never asserted).

import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { getQuickJS } from 'quickjs-emscripten';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CA_EXT, Issued, TestPki, leafExt } from './pki.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const ENTRY = `
import { verifyCertificateChain, createChainVerification } from './engine-module/tls/x509/path.js';
import { pemToDer } from './engine-module/bytes/pem.js';
globalThis.x509Check = (chainPem, rootsPem, hostname, nowMs) => {
  const chain = pemToDer(chainPem);
  const roots = pemToDer(rootsPem);
  const t0 = Date.now();
  const v = createChainVerification(chain, { hostname, roots, now: new Date(nowMs) });
  let steps = 0, longest = 0, result = null;
  while (!result) {
    const s = Date.now();
    result = v.step();
    longest = Math.max(longest, Date.now() - s);
    steps++;
  }
  return JSON.stringify({ result, steps, longest, total: Date.now() - t0 });
};
`;

let pki: TestPki;
const c: Record<string, Issued> = {};
let bundle = '';

beforeAll(async () => {
  pki = new TestPki();
  const ecRootKey = pki.key('q-ec-root', 'p384');
  const ecKey = pki.key('q-ec', 'p256');
  const rsaKey = pki.key('q-rsa', 'rsa2048');
  c.ecRoot = pki.issue('q-ec-root', { subject: '/CN=Q EC Root', key: ecRootKey, ext: CA_EXT, days: 3650 });
  c.ecInt = pki.issue('q-ec-int', { subject: '/CN=Q EC Int', key: ecKey, issuer: c.ecRoot, ext: CA_EXT });
  c.ecLeaf = pki.issue('q-ec-leaf', { subject: '/CN=q.test', key: ecKey, issuer: c.ecInt, ext: leafExt('DNS:q.test') });
  c.rsaRoot = pki.issue('q-rsa-root', { subject: '/CN=Q RSA Root', key: rsaKey, ext: CA_EXT, days: 3650 });
  c.rsaInt = pki.issue('q-rsa-int', { subject: '/CN=Q RSA Int', key: rsaKey, issuer: c.rsaRoot, ext: CA_EXT });
  c.rsaLeaf = pki.issue('q-rsa-leaf', { subject: '/CN=r.test', key: rsaKey, issuer: c.rsaInt, ext: leafExt('DNS:r.test') });
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'iife',
    target: 'es2020',
    define: { 'globalThis.crypto': 'undefined' },
    logLevel: 'silent',
  });
  bundle = out.outputFiles[0].text;
}, 120_000);

afterAll(() => pki?.cleanup());

const pem = (x: Issued) => readFileSync(x.certPath, 'utf8');

describe('X.509 verification inside QuickJS', () => {
  it('verifies ECDSA and RSA chains against the whole Node trust store plus the test root', async () => {
    const vm = (await getQuickJS()).newContext();
    try {
      vm.unwrapResult(vm.evalCode(bundle)).dispose();
      const store = rootCertificates.join('\n');
      const run = (chain: Issued[], root: Issued, host: string) => {
        const args = [chain.map(pem).join(''), store + pem(root), host, Date.now()].map((a) => JSON.stringify(a));
        const code = `x509Check(${args.join(', ')})`;
        const handle = vm.unwrapResult(vm.evalCode(code));
        const out = JSON.parse(vm.getString(handle));
        handle.dispose();
        return out;
      };
      const ec = run([c.ecLeaf, c.ecInt], c.ecRoot, 'q.test');
      const rsa = run([c.rsaLeaf, c.rsaInt], c.rsaRoot, 'r.test');
      const wrong = run([c.rsaLeaf, c.rsaInt], c.rsaRoot, 'x.test');
      console.log(
        `QuickJS, ${rootCertificates.length + 1} roots: ECDSA P-256/P-384 chain ${ec.total} ms in ${ec.steps} steps ` +
          `(longest ${ec.longest} ms); RSA-2048 chain ${rsa.total} ms in ${rsa.steps} steps (longest ${rsa.longest} ms); ` +
          `a refusal before any signature work (parse, index the roots, check the leaf) ${wrong.total} ms`,
      );
      expect(ec.result).toEqual({ ok: true });
      expect(rsa.result).toEqual({ ok: true });
      expect(wrong.result.reason).toBe('hostname mismatch: certificate is for r.test; wanted x.test');
    } finally {
      vm.dispose();
    }
  });
});
