// Certificate chains for the HTTPS benchmarks, made fresh with openssl at every run: root -> intermediate -> leaf,
// one chain with RSA-2048 keys and one with ECDSA P-256 keys. The leaf names 127.0.0.1 and localhost.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const KEY_OPTIONS = {
  rsa: ['-newkey', 'rsa:2048'],
  ecdsa: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
};

const EXTENSIONS = `
[ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[intermediate]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf_rsa]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf_ecdsa]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function serial() {
  return '0x' + randomBytes(8).toString('hex');
}

/** A key and a CSR for `name` in `dir` (files name.key, name.csr). */
function keyAndRequest(dir, kind, name) {
  openssl(['req', '-new', ...KEY_OPTIONS[kind], '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`,
    '-subj', `/CN=tickhttp bench ${kind} ${name}`], dir);
}

function sign(dir, name, issuer, section) {
  const issuerArgs = issuer ? ['-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`] : ['-signkey', `${name}.key`];
  openssl(['x509', '-req', '-in', `${name}.csr`, ...issuerArgs, '-set_serial', serial(), '-days', '2', '-sha256',
    '-extfile', 'ext.cnf', '-extensions', section, '-out', `${name}.pem`], dir);
}

/**
 * One chain: `{ key, chain, root }` as PEM strings; `chain` is leaf then intermediate (what the server sends),
 * `root` is the trust anchor the clients are given.
 */
function makeChain(kind) {
  const dir = mkdtempSync(join(tmpdir(), `tickhttp-bench-${kind}-`));
  try {
    writeFileSync(join(dir, 'ext.cnf'), EXTENSIONS);
    keyAndRequest(dir, kind, 'root');
    sign(dir, 'root', null, 'ca');
    keyAndRequest(dir, kind, 'intermediate');
    sign(dir, 'intermediate', 'root', 'intermediate');
    keyAndRequest(dir, kind, 'leaf');
    sign(dir, 'leaf', 'intermediate', `leaf_${kind}`);
    const read = (f) => readFileSync(join(dir, f), 'utf8');
    return { key: read('leaf.key'), chain: read('leaf.pem') + read('intermediate.pem'), root: read('root.pem') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Both chains: `{ rsa, ecdsa }`. */
export function makeChains() {
  return { rsa: makeChain('rsa'), ecdsa: makeChain('ecdsa') };
}
