// Sizes every provider enforces for the AEADs, so they all accept and refuse the same inputs.

import type { AeadName } from './provider.js';

/** Key length in bytes of each AEAD. */
export const AEAD_KEY_LENGTH: Readonly<Record<AeadName, number>> = {
  'aes-128-gcm': 16,
  'aes-256-gcm': 32,
  'chacha20-poly1305': 32,
};

/** TLS nonces are always 12 bytes (RFC 8446 §5.3, RFC 5288, RFC 7905); anything else is refused. */
export const NONCE_LENGTH = 12;

/** Every supported AEAD appends a 16-byte tag. */
export const TAG_LENGTH = 16;
