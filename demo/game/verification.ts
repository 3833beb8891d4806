/**
 * SHA-256 checks of downloaded assets, spread over ticks: hashing 16 MiB at once takes tens of milliseconds, more
 * than a 60 Hz frame has, so each tick hashes one slice and the check finishes a few ticks after the download.
 */
import { createHash, type Hash } from 'node:crypto';

/** Bytes hashed per tick: about a millisecond of work. */
export const HASH_SLICE = 1024 * 1024;

export interface Verification {
  /** Hash the next slice; returns true once the whole body is hashed. */
  step(): boolean;
  /** Null until finished; then whether the body matched. */
  matches(): boolean | null;
  /** The body's digest in hex, once finished. */
  digest(): string | null;
}

/** Start checking `body` against the hex digest `expected`. */
export function startVerification(body: Uint8Array, expected: string, slice = HASH_SLICE): Verification {
  const hash: Hash = createHash('sha256');
  let at = 0;
  let digest: string | null = null;
  const finishIfDone = (): boolean => {
    if (digest === null && at >= body.length) digest = hash.digest('hex');
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
