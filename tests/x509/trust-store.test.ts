import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../engine-module/bytes/bytes.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { parseCertificate } from '../../engine-module/tls/x509/certificate.js';
import { pemToDer } from '../../engine-module/bytes/pem.js';

describe("Node's trust store", () => {
  const ders = pemToDer(rootCertificates.join('\n# comment between blocks\n'));

  it('splits the PEM bundle into one DER per certificate, byte-identical to Node', () => {
    expect(ders.length).toBe(rootCertificates.length);
    ders.forEach((der, i) => expect(Buffer.from(der).equals(new X509Certificate(rootCertificates[i]).raw)).toBe(true));
  });

  it('parses every root, agreeing with Node on serial, validity, names and key type', () => {
    const failures: string[] = [];
    const unsupported: string[] = [];
    for (const [i, der] of ders.entries()) {
      const node = new X509Certificate(Buffer.from(der));
      try {
        const cert = parseCertificate(der);
        expect(toHex(cert.serialNumber).toUpperCase().replace(/^0+(?=.)/, '')).toBe(node.serialNumber.replace(/^0+(?=.)/, ''));
        expect(cert.notBefore.getTime()).toBe(new Date(node.validFrom).getTime());
        expect(cert.notAfter.getTime()).toBe(new Date(node.validTo).getTime());
        expect(Buffer.from(cert.spki).equals(node.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
        const cn = /(?:^|\n)CN=(.*)/.exec(node.subject)?.[1];
        if (cn) expect(cert.subjectName).toContain(`CN=${cn}`);
        expect(cert.extensions.basicConstraints?.ca).toBe(node.ca);
        const kind = node.publicKey.asymmetricKeyType;
        if (kind === 'rsa') expect(cert.publicKey?.kind).toBe('rsa');
        if (kind === 'ec') expect(cert.publicKeyName).toMatch(/^EC /);
        if (!cert.publicKey || !cert.signatureAlgorithm) {
          unsupported.push(`${cert.subjectName}: ${cert.publicKeyName}, ${cert.signatureAlgorithmName}`);
        }
      } catch (e) {
        failures.push(`#${i} ${node.subject.replace(/\n/g, ', ')}: ${(e as Error).message}`);
      }
    }
    console.log(`parsed ${ders.length - failures.length}/${ders.length} roots of tls.rootCertificates`);
    console.log(`${unsupported.length} carry a self-signature or key outside the supported set:\n  ${unsupported.join('\n  ')}`);
    expect(failures).toEqual([]);
  });

  it('checks the self-signature of every root signed with a supported algorithm', () => {
    const byAlgorithm: Record<string, number> = {};
    for (const der of ders) {
      const cert = parseCertificate(der);
      if (!cert.signatureAlgorithm || !cert.publicKey) continue;
      expect(pureCrypto.verify(cert.signatureAlgorithm, cert.publicKey, cert.tbs, cert.signature), cert.subjectName).toBe(true);
      const name = `${cert.signatureAlgorithmName} / ${cert.publicKeyName}`;
      byAlgorithm[name] = (byAlgorithm[name] ?? 0) + 1;
    }
    console.log(`self-signatures verified: ${JSON.stringify(byAlgorithm)}`);
  });
});
