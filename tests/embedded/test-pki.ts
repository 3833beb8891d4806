// A throwaway PKI made with the openssl CLI: a trusted test CA with a leaf for localhost/127.0.0.1, and a leaf for
// the same names issued by a CA nobody trusts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  /** The trusted CA certificate (PEM), handed to the client as its trusted roots. */
  caPem: string;
  /** Leaf for localhost + 127.0.0.1 issued by the trusted CA. */
  leaf: { cert: string; key: string };
  /** Leaf for the same names issued by an untrusted CA. */
  untrustedLeaf: { cert: string; key: string };
}

const LEAF_EXTENSIONS = [
  'subjectAltName=DNS:localhost,IP:127.0.0.1',
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=serverAuth',
].join('\n');

/** Make the PKI: an RSA-2048 CA (so the chain check exercises RSA) and P-256 leaves (ECDSA CertificateVerify). */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'tickhttp-embedded-pki-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  try {
    writeFileSync(join(dir, 'leaf.ext'), LEAF_EXTENSIONS);
    const ca = (name: string, subject: string) =>
      run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`,
        '-days', '3', '-subj', subject, '-addext', 'basicConstraints=critical,CA:TRUE',
        '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    const leaf = (name: string, issuer: string, serial: string) => {
      run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`,
        '-out', `${name}.csr`, '-subj', '/CN=localhost');
      run('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-set_serial',
        serial, '-days', '2', '-extfile', 'leaf.ext', '-out', `${name}.pem`);
      return { cert: read(`${name}.pem`), key: read(`${name}.key`) };
    };
    ca('ca', '/CN=tickhttp embedded test CA');
    ca('rogue', '/CN=tickhttp untrusted CA');
    return {
      caPem: read('ca.pem'),
      leaf: leaf('leaf', 'ca', '0x1001'),
      untrustedLeaf: leaf('rogue-leaf', 'rogue', '0x2002'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
