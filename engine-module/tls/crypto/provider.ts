// The seam between the TLS engine and the primitives. Every call is synchronous so the engine stays a plain state
// machine; a provider may be pure JavaScript, node:crypto, or a host's native library.

/** Hash functions TLS 1.2/1.3 and X.509 need here. */
export type HashName = 'sha256' | 'sha384' | 'sha512';

/** AEAD ciphers of the supported suites. */
export type AeadName = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

/** Key-exchange groups, by their TLS names. */
export type GroupName = 'x25519' | 'secp256r1' | 'secp384r1';

/** A parsed SubjectPublicKeyInfo (from the X.509 layer). `spki` is the whole DER structure. */
export type PublicKey =
  | {
      kind: 'rsa';
      spki: Uint8Array;
      modulus: Uint8Array;
      exponent: Uint8Array;
      bits: number;
      /** The SubjectPublicKeyInfo says id-RSASSA-PSS: the key may sign only with RSASSA-PSS. */
      pssOnly?: boolean;
    }
  | { kind: 'ec'; spki: Uint8Array; curve: 'P-256' | 'P-384'; point: Uint8Array }
  | { kind: 'ed25519'; spki: Uint8Array; key: Uint8Array };

/**
 * A signature algorithm as a verifier sees it. ECDSA signatures are DER-encoded (as in TLS and X.509).
 * PSS uses MGF1 with the same hash and a salt as long as the hash (TLS's rsa_pss_rsae_* and the common X.509 case),
 * unless `saltLength` says otherwise.
 */
export type SignatureAlgorithm =
  | { kind: 'ecdsa'; hash: HashName }
  | { kind: 'rsa-pkcs1'; hash: HashName }
  | { kind: 'rsa-pss'; hash: HashName; saltLength?: number }
  | { kind: 'ed25519' };

/** A keyed AEAD instance: one per traffic key. */
export interface Aead {
  /** Encrypt; returns ciphertext followed by the 16-byte tag. */
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Decrypt ciphertext||tag; returns null when the tag does not verify (never throws for a bad tag). */
  open(nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array | null;
}

/** An incremental hash whose state can be forked (the handshake transcript hashes prefixes of itself). */
export interface HashState {
  update(data: Uint8Array): void;
  /** Digest of everything so far, without ending the state. */
  digestSoFar(): Uint8Array;
}

/** An ephemeral key-exchange key pair for a key_share / ServerKeyExchange answer. */
export interface KeyShare {
  group: GroupName;
  /** The public value as sent on the wire (X25519: 32 bytes; NIST curves: uncompressed point). */
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** All primitives the TLS engine and the certificate verifier use. */
export interface CryptoProvider {
  /** 'pure', 'node', 'host', ... (shown in diagnostics and benchmarks). */
  readonly name: string;
  /** AEADs in the order this provider prefers to offer them (pure JS: ChaCha20-Poly1305 first). */
  readonly aeadPreference: readonly AeadName[];
  hash(alg: HashName, data: Uint8Array): Uint8Array;
  createHash(alg: HashName): HashState;
  hmac(alg: HashName, key: Uint8Array, data: Uint8Array): Uint8Array;
  aead(alg: AeadName, key: Uint8Array): Aead;
  /** Make an ephemeral key pair; `random` supplies the private-key entropy (never Math.random). */
  generateKeyShare(group: GroupName, random: (n: number) => Uint8Array): KeyShare;
  /**
   * The shared secret with the peer's public value; null when the peer's value is invalid (not on the curve,
   * small-order X25519 point giving all zeros, wrong length).
   */
  ecdh(share: KeyShare, peerPublic: Uint8Array): Uint8Array | null;
  /** True only when `signature` is a valid signature of `data` by `key` under `alg`. Never throws for bad input. */
  verify(alg: SignatureAlgorithm, key: PublicKey, data: Uint8Array, signature: Uint8Array): boolean;
}
