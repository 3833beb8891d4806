// A key share made ahead: given out once, only to the provider and group it was made for, and never made once taken.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { keyShareAhead } from '../../engine-module/tls/key-share-ahead.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';

const random = (n: number) => new Uint8Array(randomBytes(n));

/** A share ahead whose piece the test runs; the count of shares the provider made. */
function ahead(crypto: CryptoProvider) {
  let made = 0;
  const counted: CryptoProvider = { ...crypto, generateKeyShare: (g, r) => (made++, crypto.generateKeyShare(g, r)) };
  let piece: (() => boolean) | null = null;
  const share = keyShareAhead(counted, 'x25519', random, (p) => (piece = p));
  return { share, crypto: counted, run: () => piece!(), made: () => made };
}

describe('key share ahead', () => {
  it('is given out once, once made, to its provider and group', () => {
    const a = ahead(pureCrypto);
    expect(a.run()).toBe(true);
    const share = a.share.take(a.crypto, 'x25519');
    expect(share).toMatchObject({ group: 'x25519' });
    expect(share!.publicKey).toHaveLength(32);
    expect(a.share.take(a.crypto, 'x25519')).toBeNull();
    expect(a.made()).toBe(1);
  });

  it('is not given to another provider or for another group, and is gone after that ask', () => {
    const a = ahead(pureCrypto);
    a.run();
    expect(a.share.take(nodeCrypto, 'x25519')).toBeNull();
    expect(a.share.take(a.crypto, 'x25519')).toBeNull();
    const b = ahead(pureCrypto);
    b.run();
    expect(b.share.take(b.crypto, 'secp256r1')).toBeNull();
  });

  it('asked for before it is made: null, and its piece then does nothing', () => {
    const a = ahead(pureCrypto);
    expect(a.share.take(a.crypto, 'x25519')).toBeNull();
    expect(a.run()).toBe(false);
    expect(a.made()).toBe(0);
  });

  it('a share made ahead agrees with the peer on the secret (ECDH), as one made in the handshake does', () => {
    const a = ahead(nodeCrypto);
    a.run();
    const mine = a.share.take(a.crypto, 'x25519')!;
    const theirs = nodeCrypto.generateKeyShare('x25519', random);
    expect(nodeCrypto.ecdh(mine, theirs.publicKey)).toEqual(nodeCrypto.ecdh(theirs, mine.publicKey));
  });
});
