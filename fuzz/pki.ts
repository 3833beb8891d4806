// Certificates for loopback TLS servers, made with the openssl CLI in a temporary directory: an EC P-256 root, an
// intermediate and a leaf for localhost / 127.0.0.1. Small and fast to make, so every run makes its own.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pemToDer } from '../engine-module/bytes/pem.js';

/** A made PKI. Call cleanup() when done. */
export interface LoopbackPki {
  dir: string;
  rootPem: string;
  rootDer: Uint8Array;
  /** Server key (PEM). */
  key: string;
  /** Leaf + intermediate (PEM), what the server sends. */
  chain: string;
  cleanup(): void;
}

export const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
// Key identifiers written out: OpenSSL leaves the authority one out when issuer and subject share a key (as the
// long test chains do), and verification requires it.
const KEY_IDS = 'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n';
export const CA_EXTENSIONS = `basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n${KEY_IDS}`;
export const LEAF_EXTENSIONS =
  `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n${KEY_IDS}`;

/** Run openssl in `dir`. */
export function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** An openssl req configuration `<name>.cnf` that puts `extensions` (config lines) into the certificate. */
export function writeExtensions(dir: string, name: string, extensions: string): string {
  const file = `${name}.cnf`;
  writeFileSync(path.join(dir, file), `[req]\ndistinguished_name = dn\nx509_extensions = ext\n[dn]\n[ext]\n${extensions}`);
  return file;
}

/** A self-signed EC root named `name`: files `<name>.key` and `<name>.pem`. */
export function makeRoot(dir: string, name: string): void {
  const config = writeExtensions(dir, `${name}-root`, CA_EXTENSIONS);
  openssl(dir, ['req', '-x509', ...EC_KEY, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-config', config,
    '-subj', `/CN=tickhttp hardening ${name}`, '-days', '30']);
}

/**
 * `<name>.pem` issued by `<issuer>.pem` with the extensions of `config` (see {@link writeExtensions}), in one
 * openssl call. The key is a new `<name>.key`, or the existing `keyFrom` (one key keeps long chains quick to make);
 * the issuer's key is `<issuer>.key` or `issuerKey`.
 */
export function issue(dir: string, name: string, issuer: string, config: string, keyFrom?: string, issuerKey = `${issuer}.key`): void {
  const keyArgs = keyFrom ? ['-key', keyFrom] : [...EC_KEY, '-nodes', '-keyout', `${name}.key`];
  const subject = name === 'leaf' ? '/CN=localhost' : `/CN=tickhttp hardening ${name}`;
  openssl(dir, ['req', '-x509', ...keyArgs, '-CA', `${issuer}.pem`, '-CAkey', issuerKey, '-config', config, '-subj', subject,
    '-days', '30', '-out', `${name}.pem`]);
}

/** Root, intermediate and leaf in a fresh temporary directory. */
export function makeLoopbackPki(): LoopbackPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickhttp-hardening-'));
  makeRoot(dir, 'root');
  issue(dir, 'inter', 'root', writeExtensions(dir, 'ca', CA_EXTENSIONS));
  issue(dir, 'leaf', 'inter', writeExtensions(dir, 'leaf', LEAF_EXTENSIONS));
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
  const rootPem = read('root.pem');
  return {
    dir,
    rootPem,
    rootDer: pemToDer(rootPem)[0],
    key: read('leaf.key'),
    chain: read('leaf.pem') + read('inter.pem'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
