// Test certificate authority built on the openssl command line, in a temporary directory.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeyType = 'p256' | 'p384' | 'rsa1024' | 'rsa2048' | 'rsa4096' | 'ed25519';

const KEYGEN: Record<KeyType, string[]> = {
  p256: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  rsa1024: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
  rsa2048: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa4096: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  ed25519: ['-algorithm', 'ED25519'],
};

export const CA_EXT = 'basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n';

/** Typical server certificate extensions for the given SAN list ("DNS:a.test, IP:127.0.0.1"). */
export function leafExt(san: string, extra = ''): string {
  return (
    `basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\n` +
    `extendedKeyUsage = serverAuth\nsubjectAltName = ${san}\n${extra}`
  );
}

export interface Issued {
  name: string;
  der: Uint8Array;
  key: string;
  certPath: string;
}

export interface IssueOptions {
  subject: string;
  key: string;
  /** The signer; self-signed when absent. */
  issuer?: Issued;
  ext: string;
  days?: number;
  /** Extra `openssl x509` arguments (e.g. PSS -sigopt). */
  args?: string[];
}

export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'tickhttp-x509-'));
  private serial = 1;

  /** Generate a private key file; returns its path. */
  key(name: string, type: KeyType): string {
    const path = join(this.dir, `${name}.key`);
    execFileSync('openssl', ['genpkey', ...KEYGEN[type], '-out', path], { stdio: 'pipe' });
    return path;
  }

  issue(name: string, o: IssueOptions): Issued {
    const csr = join(this.dir, `${name}.csr`);
    const extPath = join(this.dir, `${name}.ext`);
    const certPath = join(this.dir, `${name}.pem`);
    const derPath = join(this.dir, `${name}.der`);
    // Key identifiers as every CA writes them (path validation requires them, RFC 5280 §4.2.1.1-2).
    const keyIds = o.ext.includes('KeyIdentifier') ? '' : 'subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n';
    writeFileSync(extPath, `[ext]\n${o.ext}${keyIds}`);
    execFileSync('openssl', ['req', '-new', '-key', o.key, '-subj', o.subject, '-out', csr], { stdio: 'pipe' });
    const signer = o.issuer ? ['-CA', o.issuer.certPath, '-CAkey', o.issuer.key] : ['-signkey', o.key];
    execFileSync(
      'openssl',
      ['x509', '-req', '-in', csr, ...signer, '-set_serial', String(this.serial++), '-days', String(o.days ?? 30),
        '-extfile', extPath, '-extensions', 'ext', ...(o.args ?? []), '-out', certPath],
      { stdio: 'pipe' },
    );
    execFileSync('openssl', ['x509', '-in', certPath, '-outform', 'DER', '-out', derPath], { stdio: 'pipe' });
    return { name, der: new Uint8Array(readFileSync(derPath)), key: o.key, certPath };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
