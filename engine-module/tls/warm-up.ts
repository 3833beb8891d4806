// Code a process runs for the first time is slow: the JavaScript engine interprets it until it has compiled it. The
// pure provider's ChaCha20-Poly1305 opens its first 16 KiB record in tens of milliseconds that way (more than a
// frame), and the next ones in several, where a compiled one takes well under a millisecond; HMAC and node:crypto's
// cipher objects pay the same kind of first-use cost on a smaller scale. A warm-up runs the primitives a connection's
// records and key schedule use on small throwaway inputs, one small piece per step, so a caller can spend the spare
// time of a few frames on them before the first records arrive.

import { AEAD_KEY_LENGTH, NONCE_LENGTH } from './crypto/aead-sizes.js';
import type { Aead, CryptoProvider } from './crypto/provider.js';
import { parseCertificate } from './x509/certificate.js';
import { signatureCheck } from './x509/certificate-checks.js';

/** Steps in a warm-up: enough calls of each primitive for the engine to compile it. */
export const WARM_UP_STEPS = 60;
/** Bytes each step works on: a few cipher blocks, so even the first, interpreted step stays short. */
export const WARM_UP_BYTES = 256;

/** A warm-up in progress. */
export interface WarmUp {
  /** Run one piece (one seal, open or HMAC of {@link WARM_UP_BYTES}); false once every piece has run. Never throws. */
  step(): boolean;
}

// One warm-up per provider per process: what it warms is the process's compiled code, which every connection shares.
const warmUps = new WeakMap<CryptoProvider, WarmUp>();

/**
 * The warm-up of `crypto`'s record and key-schedule primitives (its preferred AEAD and HMAC-SHA-256), shared by every
 * caller in the process; its steps run at most {@link WARM_UP_STEPS} pieces in all. Inputs are constants: nothing
 * secret or random is involved.
 */
export function warmUpOf(crypto: CryptoProvider): WarmUp {
  let warmUp = warmUps.get(crypto);
  if (!warmUp) {
    warmUp = createWarmUp(crypto);
    warmUps.set(crypto, warmUp);
  }
  return warmUp;
}

/**
 * A warm-up of `steps` calls of `piece` (given the call's index from 0); a piece that throws ends it, since what
 * it warms is then left to fail where it matters.
 */
export function warmUpSteps(steps: number, piece: (i: number) => void): WarmUp {
  let done = 0;
  return {
    step() {
      if (done >= steps) return false;
      try {
        piece(done);
        done++;
      } catch {
        done = steps;
      }
      return done < steps;
    },
  };
}

function createWarmUp(crypto: CryptoProvider): WarmUp {
  const alg = crypto.aeadPreference[0];
  const key = new Uint8Array(AEAD_KEY_LENGTH[alg]);
  const nonce = new Uint8Array(NONCE_LENGTH);
  const aad = new Uint8Array(5);
  const plain = new Uint8Array(WARM_UP_BYTES);
  let aead: Aead | null = null;
  let sealed: Uint8Array | null = null;
  // Each primitive in its own step: in a fresh process, each one's first call is the longest. HMAC first: the key
  // schedule is the first of them a handshake runs.
  const pieces = [
    () => crypto.hmac('sha256', key, plain),
    () => (sealed = (aead ??= crypto.aead(alg, key)).seal(nonce, aad, plain)),
    () => aead!.open(nonce, aad, sealed!),
  ];
  return warmUpSteps(WARM_UP_STEPS, (i) => pieces[i % pieces.length]());
}

/** Steps in a certificate warm-up: parses of trusted roots, then one signature check per kind of key. */
export const CERTIFICATE_WARM_UP_STEPS = 5;
/** Of those, the parses. */
const ROOT_PARSES = 3;
/** The kinds of key whose signature check a warm-up step runs, one each, in this order. */
const CHECKED_KINDS = ['rsa', 'ec'] as const;

const certificateWarmUps = new WeakMap<CryptoProvider, WarmUp>();

/**
 * The warm-up of the certificate path a handshake runs next, shared per provider: parsing certificates (the trusted
 * `roots`, asked for at the first step, in turn), then checking, with `crypto`, the own signature of the first of
 * those it parsed whose key is RSA (the big-number code of an RSA server's signatures), then of the first whose key
 * is EC (an ECDSA check's first run in a process takes about twice its later ones: 6.8 ms against 3.1-4.0 with the
 * pure provider). Only public data is involved; no roots, or one that does not parse, end it.
 */
export function certificateWarmUp(crypto: CryptoProvider, roots: () => readonly Uint8Array[]): WarmUp {
  let warmUp = certificateWarmUps.get(crypto);
  if (!warmUp) {
    let trusted: readonly Uint8Array[] | null = null;
    const piece = (i: number): void => {
      trusted ??= roots();
      if (i < ROOT_PARSES) {
        parseCertificate(trusted[i % trusted.length]);
        return;
      }
      for (const der of trusted.slice(0, ROOT_PARSES)) {
        const root = parseCertificate(der);
        const check = signatureCheck(root, root);
        if ('alg' in check && check.key.kind === CHECKED_KINDS[i - ROOT_PARSES]) {
          return void crypto.verify(check.alg, check.key, root.tbs, root.signature);
        }
      }
    };
    warmUp = warmUpSteps(CERTIFICATE_WARM_UP_STEPS, piece);
    certificateWarmUps.set(crypto, warmUp);
  }
  return warmUp;
}
