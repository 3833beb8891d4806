// Oversized PKIs for the hostile TLS servers: a chain of many certificates, and a leaf made huge by an extension.
// Made with the openssl CLI beside a normal loopback PKI (fuzz/pki.ts).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CA_EXTENSIONS, issue, LEAF_EXTENSIONS, makeRoot, writeExtensions } from '../../fuzz/pki.js';

/** A server identity: key and certificate list (PEM), and the root to trust (PEM). */
export interface ServerIdentity {
  key: string;
  chain: string;
  rootPem: string;
  cleanup(): void;
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'tickhttp-hostile-'));
}

/** A chain of `length` certificates sent by the server: the leaf and `length - 1` intermediates (one key shared). */
export function makeLongChain(length: number): ServerIdentity {
  const dir = tempDir();
  makeRoot(dir, 'root');
  const ca = writeExtensions(dir, 'ca', CA_EXTENSIONS);
  let issuer = 'root';
  for (let i = 1; i < length; i++) {
    issue(dir, `ca${i}`, issuer, ca, 'root.key', 'root.key');
    issuer = `ca${i}`;
  }
  issue(dir, 'leaf', issuer, writeExtensions(dir, 'leaf', LEAF_EXTENSIONS), 'root.key', 'root.key');
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  const chain = [read('leaf.pem'), ...Array.from({ length: length - 1 }, (_, i) => read(`ca${length - 1 - i}.pem`))].join('');
  return { key: read('root.key'), chain, rootPem: read('root.pem'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A leaf certificate padded to about `bytes` bytes by a private extension (an OCTET STRING of that size). */
export function makeHugeLeaf(bytes: number): ServerIdentity {
  const dir = tempDir();
  makeRoot(dir, 'root');
  const octetString = `0483${bytes.toString(16).padStart(6, '0')}${'61'.repeat(bytes)}`;
  issue(dir, 'leaf', 'root', writeExtensions(dir, 'huge', `${LEAF_EXTENSIONS}1.3.6.1.4.1.55555.1=DER:${octetString}\n`));
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  return { key: read('leaf.key'), chain: read('leaf.pem'), rootPem: read('root.pem'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
