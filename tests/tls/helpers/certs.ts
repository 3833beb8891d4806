// Test PKI made with the openssl CLI: a root, an intermediate, and leaves of each key type for localhost/127.0.0.1.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pemToDer } from '../../../engine-module/bytes/pem.js';

export type LeafKind = 'rsa2048' | 'rsa4096' | 'p256' | 'p384';

export interface Leaf {
  /** PEM files for a server: the leaf key, and leaf + intermediate certificate chain. */
  keyFile: string;
  chainFile: string;
  /** The leaf alone and the intermediate alone (s_server takes them as -cert and -cert_chain). */
  certFile: string;
  interFile: string;
  key: string;
  chain: string;
}

/** s_server arguments serving this leaf with its intermediate. */
export function serverCertArgs(leaf: Leaf): string[] {
  return ['-cert', leaf.certFile, '-key', leaf.keyFile, '-cert_chain', leaf.interFile];
}

export interface TestPki {
  dir: string;
  rootDer: Uint8Array;
  /** A root nobody trusts, for refusals. */
  otherRootDer: Uint8Array;
  leaf: Record<LeafKind, Leaf>;
  cleanup(): void;
}

const KEY_ARGS: Record<LeafKind, string[]> = {
  rsa2048: ['-newkey', 'rsa:2048'],
  rsa4096: ['-newkey', 'rsa:4096'],
  p256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
};

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** Make the PKI in a fresh temporary directory (a few seconds: RSA-4096 key generation dominates). */
export function makeTestPki(kinds: LeafKind[] = ['rsa2048', 'rsa4096', 'p256', 'p384']): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickhttp-tls-'));
  writeFileSync(path.join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  writeFileSync(
    path.join(dir, 'leaf.ext'),
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n',
  );
  const ec = KEY_ARGS.p256;
  for (const root of ['root', 'other']) {
    openssl(dir, ['req', '-x509', ...ec, '-nodes', '-keyout', `${root}.key`, '-out', `${root}.pem`, '-subj', `/CN=tickhttp test ${root}`, '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  }
  openssl(dir, ['req', '-new', ...KEY_ARGS.rsa2048, '-nodes', '-keyout', 'inter.key', '-out', 'inter.csr', '-subj', '/CN=tickhttp test intermediate']);
  openssl(dir, ['x509', '-req', '-in', 'inter.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'inter.pem', '-days', '30', '-extfile', 'ca.ext']);
  const leaf = {} as Record<LeafKind, Leaf>;
  for (const kind of kinds) {
    openssl(dir, ['req', '-new', ...KEY_ARGS[kind], '-nodes', '-keyout', `${kind}.key`, '-out', `${kind}.csr`, '-subj', '/CN=localhost']);
    openssl(dir, ['x509', '-req', '-in', `${kind}.csr`, '-CA', 'inter.pem', '-CAkey', 'inter.key', '-CAcreateserial', '-out', `${kind}.pem`, '-days', '30', '-extfile', 'leaf.ext']);
    const chain = readFileSync(path.join(dir, `${kind}.pem`), 'utf8') + readFileSync(path.join(dir, 'inter.pem'), 'utf8');
    writeFileSync(path.join(dir, `${kind}.chain.pem`), chain);
    leaf[kind] = {
      keyFile: path.join(dir, `${kind}.key`),
      chainFile: path.join(dir, `${kind}.chain.pem`),
      certFile: path.join(dir, `${kind}.pem`),
      interFile: path.join(dir, 'inter.pem'),
      key: readFileSync(path.join(dir, `${kind}.key`), 'utf8'),
      chain,
    };
  }
  return {
    dir,
    rootDer: pemToDer(readFileSync(path.join(dir, 'root.pem'), 'utf8'))[0],
    otherRootDer: pemToDer(readFileSync(path.join(dir, 'other.pem'), 'utf8'))[0],
    leaf,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
