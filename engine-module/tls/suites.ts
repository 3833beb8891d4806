// The cipher suites, groups and signature schemes this client offers, with what each one means for the engine.

import type { AeadName, GroupName, HashName, SignatureAlgorithm, PublicKey } from './crypto/provider.js';

/** TLS protocol versions by their wire codes. */
export const TLS12 = 0x0303;
export const TLS13 = 0x0304;

/** The version names used in options and in {@link NegotiatedParameters}. */
export type TlsVersionName = 'TLSv1.3' | 'TLSv1.2';

/** How a TLS 1.2 suite authenticates its ECDHE exchange. */
export type Tls12Auth = 'ecdsa' | 'rsa';

/** One cipher suite. TLS 1.3 suites leave `auth` unset (authentication is negotiated separately). */
export interface CipherSuite {
  readonly code: number;
  readonly name: string;
  readonly version: TlsVersionName;
  readonly aead: AeadName;
  readonly hash: HashName;
  readonly keyLength: number;
  readonly auth?: Tls12Auth;
}

const suite = (
  code: number,
  name: string,
  version: TlsVersionName,
  aead: AeadName,
  hash: HashName,
  auth?: Tls12Auth,
): CipherSuite => ({ code, name, version, aead, hash, keyLength: aead === 'aes-128-gcm' ? 16 : 32, auth });

/** Every suite this client can use. */
export const ALL_SUITES: readonly CipherSuite[] = [
  suite(0x1301, 'TLS_AES_128_GCM_SHA256', 'TLSv1.3', 'aes-128-gcm', 'sha256'),
  suite(0x1302, 'TLS_AES_256_GCM_SHA384', 'TLSv1.3', 'aes-256-gcm', 'sha384'),
  suite(0x1303, 'TLS_CHACHA20_POLY1305_SHA256', 'TLSv1.3', 'chacha20-poly1305', 'sha256'),
  suite(0xc02b, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLSv1.2', 'aes-128-gcm', 'sha256', 'ecdsa'),
  suite(0xc02c, 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLSv1.2', 'aes-256-gcm', 'sha384', 'ecdsa'),
  suite(0xcca9, 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLSv1.2', 'chacha20-poly1305', 'sha256', 'ecdsa'),
  suite(0xc02f, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLSv1.2', 'aes-128-gcm', 'sha256', 'rsa'),
  suite(0xc030, 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLSv1.2', 'aes-256-gcm', 'sha384', 'rsa'),
  suite(0xcca8, 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'TLSv1.2', 'chacha20-poly1305', 'sha256', 'rsa'),
];

/**
 * The suites to offer, most preferred first: TLS 1.3 before 1.2, ECDSA before RSA, and AEADs in the provider's
 * order (a pure JavaScript provider is fastest with ChaCha20-Poly1305).
 */
export function orderSuites(
  aeadPreference: readonly AeadName[],
  versions: readonly TlsVersionName[],
  allowed?: readonly string[],
): CipherSuite[] {
  const rank = (a: AeadName) => {
    const i = aeadPreference.indexOf(a);
    return i < 0 ? aeadPreference.length : i;
  };
  const versionRank = (s: CipherSuite) => (s.version === 'TLSv1.3' ? 0 : 1);
  const authRank = (s: CipherSuite) => (s.auth === 'rsa' ? 1 : 0);
  return ALL_SUITES.filter((s) => versions.includes(s.version) && (!allowed || allowed.includes(s.name))).sort(
    (a, b) => versionRank(a) - versionRank(b) || authRank(a) - authRank(b) || rank(a.aead) - rank(b.aead),
  );
}

/** Named groups by wire code. */
export const GROUP_CODES: Readonly<Record<GroupName, number>> = { x25519: 0x001d, secp256r1: 0x0017, secp384r1: 0x0018 };

/** The group with this wire code, if this client supports it. */
export function groupByCode(code: number): GroupName | undefined {
  return (Object.keys(GROUP_CODES) as GroupName[]).find((g) => GROUP_CODES[g] === code);
}

/** Groups offered by default, most preferred first (the first one gets the initial key share). */
export const DEFAULT_GROUPS: readonly GroupName[] = ['x25519', 'secp256r1', 'secp384r1'];

/** A signature scheme (RFC 8446 §4.2.3) and what it means for verification. */
export interface SignatureScheme {
  readonly code: number;
  readonly name: string;
  readonly algorithm: SignatureAlgorithm;
  /**
   * The key a signature under this scheme needs; for TLS 1.3 ECDSA the curve is part of the scheme. 'rsa' is an
   * rsaEncryption key, 'rsa-pss' one whose SubjectPublicKeyInfo is id-RSASSA-PSS (RFC 8446 §4.2.3).
   */
  readonly key: 'rsa' | 'rsa-pss' | 'P-256' | 'P-384';
  /** PKCS#1 v1.5 is allowed for TLS 1.2 handshakes and certificates, never in a TLS 1.3 CertificateVerify. */
  readonly tls13: boolean;
}

const scheme = (code: number, name: string, algorithm: SignatureAlgorithm, key: SignatureScheme['key'], tls13 = true) =>
  ({ code, name, algorithm, key, tls13 }) as SignatureScheme;

/** The schemes offered in signature_algorithms, most preferred first. */
export const SIGNATURE_SCHEMES: readonly SignatureScheme[] = [
  scheme(0x0403, 'ecdsa_secp256r1_sha256', { kind: 'ecdsa', hash: 'sha256' }, 'P-256'),
  scheme(0x0503, 'ecdsa_secp384r1_sha384', { kind: 'ecdsa', hash: 'sha384' }, 'P-384'),
  scheme(0x0804, 'rsa_pss_rsae_sha256', { kind: 'rsa-pss', hash: 'sha256' }, 'rsa'),
  scheme(0x0805, 'rsa_pss_rsae_sha384', { kind: 'rsa-pss', hash: 'sha384' }, 'rsa'),
  scheme(0x0806, 'rsa_pss_rsae_sha512', { kind: 'rsa-pss', hash: 'sha512' }, 'rsa'),
  scheme(0x0809, 'rsa_pss_pss_sha256', { kind: 'rsa-pss', hash: 'sha256' }, 'rsa-pss'),
  scheme(0x080a, 'rsa_pss_pss_sha384', { kind: 'rsa-pss', hash: 'sha384' }, 'rsa-pss'),
  scheme(0x080b, 'rsa_pss_pss_sha512', { kind: 'rsa-pss', hash: 'sha512' }, 'rsa-pss'),
  scheme(0x0401, 'rsa_pkcs1_sha256', { kind: 'rsa-pkcs1', hash: 'sha256' }, 'rsa', false),
  scheme(0x0501, 'rsa_pkcs1_sha384', { kind: 'rsa-pkcs1', hash: 'sha384' }, 'rsa', false),
  scheme(0x0601, 'rsa_pkcs1_sha512', { kind: 'rsa-pkcs1', hash: 'sha512' }, 'rsa', false),
];

/**
 * Whether a server may sign with `scheme` using `key` in this version. TLS 1.2 ECDSA schemes name only the hash, so
 * any supported curve fits; TLS 1.3 binds the curve to the scheme.
 */
export function schemeFitsKey(s: SignatureScheme, key: PublicKey, version: TlsVersionName): boolean {
  if (version === 'TLSv1.3' && !s.tls13) return false;
  if (s.key === 'rsa' || s.key === 'rsa-pss') return key.kind === 'rsa' && (key.pssOnly === true) === (s.key === 'rsa-pss');
  if (key.kind !== 'ec') return false;
  return version === 'TLSv1.2' || key.curve === s.key;
}
