/**
 * SHA-256 checks of downloaded assets, spread over ticks: hashing 16 MiB at once takes tens of milliseconds, more
 * than a 60 Hz frame has, so each tick hashes one slice and the check finishes a few ticks after the download. The
 * hash comes from a tickhttp crypto provider: node:crypto's in Node, the JavaScript one in a page (where WebCrypto's
 * digest is one call over the whole body, which Chromium spends some 75 ms on inside the frame for the 16 MiB asset).
 */
import type { CryptoProvider } from '../../engine-module/index.js';

/** Bytes hashed per tick by default: about a millisecond of work with node:crypto. */
export const HASH_SLICE = 1024 * 1024;

export interface Verification {
  /** Hash the next slice; returns true once the whole body is hashed. */
  step(): boolean;
  /** Null until finished; then whether the body matched. */
  matches(): boolean | null;
  /** The body's digest in hex, once finished. */
  digest(): string | null;
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Start checking `body` against the hex digest `expected`, hashing with `crypto`, `slice` bytes per step. */
export function startVerification(body: Uint8Array, expected: string, crypto: CryptoProvider,
  slice = HASH_SLICE): Verification {
  const hash = crypto.createHash('sha256');
  let at = 0;
  let digest: string | null = null;
  const finishIfDone = (): boolean => {
    if (digest === null && at >= body.length) digest = hex(hash.digestSoFar());
    return digest !== null;
  };
  return {
    step() {
      if (digest !== null) return true;
      const end = Math.min(body.length, at + slice);
      hash.update(body.subarray(at, end));
      at = end;
      return finishIfDone();
    },
    matches: () => (digest === null ? null : digest === expected.toLowerCase()),
    digest: () => digest,
  };
}
