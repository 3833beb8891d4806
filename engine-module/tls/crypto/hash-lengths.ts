import type { HashName } from './provider.js';

/** Output length in bytes of each hash (HKDF, PSS and the key schedule size their buffers from it). */
export const HASH_LENGTH: Readonly<Record<HashName, number>> = { sha256: 32, sha384: 48, sha512: 64 };
