/**
 * The demo server's certificates: a CA made at start-up and a server certificate it signs for 127.0.0.1 and
 * localhost. The client trusts this CA only. Keys come from node:crypto (RSA key generation in JavaScript takes
 * seconds), generated in parallel off the calling thread; node-forge builds and signs the certificates from them.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

/** PEM texts for the CA and the server. */
export interface DemoCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

interface KeyPair {
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
  pem: string;
}

const generateRsa = promisify(generateKeyPair);

async function rsaKeyPair(): Promise<KeyPair> {
  const { privateKey: key } = await generateRsa('rsa', { modulusLength: 2048 });
  const pem = key.export({ type: 'pkcs1', format: 'pem' }).toString();
  const privateKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey, publicKey: forge.pki.setRsaPublicKey(privateKey.n, privateKey.e), pem };
}

function newCertificate(publicKey: forge.pki.rsa.PublicKey, subject: string, issuer: string): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: the top bit of the first byte clear.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  // Backdated an hour so a client clock slightly behind still accepts it.
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 7 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: subject }]);
  cert.setIssuer([{ name: 'commonName', value: issuer }]);
  return cert;
}

/** Generate a fresh CA and a server certificate for 127.0.0.1, ::1 and localhost. */
export async function createDemoCertificates(): Promise<DemoCertificates> {
  const [ca, server] = await Promise.all([rsaKeyPair(), rsaKeyPair()]);
  const caName = 'tickhttp demo CA';
  const caCert = newCertificate(ca.publicKey, caName, caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const cert = newCertificate(server.publicKey, 'tickhttp demo server', caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());

  return { caPem: forge.pki.certificateToPem(caCert), certPem: forge.pki.certificateToPem(cert), keyPem: server.pem };
}
