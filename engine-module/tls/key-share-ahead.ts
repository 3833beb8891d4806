// The ClientHello's key share is the most expensive step of a handshake's start (an X25519 scalar multiplication: 1.5-5
// ms for the pure provider, about 1.5 ms for node:crypto in a fresh process), and nothing it needs comes from the
// server. A caller that can run work between frames (a platform with runLater) has it made there while the TCP
// connection opens, and the handshake's first unit only takes it.

import type { CryptoProvider, GroupName, KeyShare } from './crypto/provider.js';

/** A key share being made ahead for one connection. */
export interface KeyShareAhead {
  /**
   * The share, when it was made by `crypto` for `group`; null when it is not made yet, or was made otherwise. Given
   * out once: a later call returns null, and a share not made by then is never made, so no work is wasted on it.
   */
  take(crypto: CryptoProvider, group: GroupName): KeyShare | null;
}

/**
 * Have `run` make a key share for `group` with `crypto` and `random`, when it calls the piece it is given (a caller
 * runs it between frames); the piece returns false, having done nothing, once the share was taken. A piece that
 * throws leaves no share: the handshake makes its own.
 */
export function keyShareAhead(
  crypto: CryptoProvider,
  group: GroupName,
  random: (n: number) => Uint8Array,
  run: (piece: () => boolean) => void,
): KeyShareAhead {
  let share: KeyShare | null = null;
  let taken = false;
  run(() => {
    if (taken) return false;
    share = crypto.generateKeyShare(group, random);
    return true;
  });
  return {
    take(wanted, wantedGroup) {
      const made = taken || wanted !== crypto || wantedGroup !== group ? null : share;
      taken = true;
      share = null;
      return made;
    },
  };
}
