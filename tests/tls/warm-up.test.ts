// The TLS warm-up: one primitive call per step on constant inputs, a bounded number of steps, one warm-up per
// provider in the process, and a provider that fails ends it instead of throwing.
import { describe, expect, it } from 'vitest';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { CERTIFICATE_WARM_UP_STEPS, certificateWarmUp, WARM_UP_BYTES, WARM_UP_STEPS, warmUpOf } from '../../engine-module/tls/warm-up.js';
import { parseCertificate } from '../../engine-module/tls/x509/certificate.js';

/** A fresh copy of `base` (a provider of its own, so a warm-up of its own) counting its calls by primitive. */
function counted(base: CryptoProvider) {
  const calls = { seal: 0, open: 0, opened: 0, hmac: 0, other: 0 };
  const crypto: CryptoProvider = {
    ...base,
    aead: (alg, key) => {
      const aead = base.aead(alg, key);
      return {
        seal: (n, a, p) => (calls.seal++, aead.seal(n, a, p)),
        open: (n, a, c) => {
          calls.open++;
          const plain = aead.open(n, a, c);
          if (plain?.length === WARM_UP_BYTES) calls.opened++;
          return plain;
        },
      };
    },
    hmac: (alg, key, data) => (calls.hmac++, base.hmac(alg, key, data)),
    hash: (alg, data) => (calls.other++, base.hash(alg, data)),
    generateKeyShare: (g, r) => (calls.other++, base.generateKeyShare(g, r)),
  };
  return { crypto, calls };
}

const total = (c: { seal: number; open: number; hmac: number; other: number }) => c.seal + c.open + c.hmac + c.other;

describe.each([
  { name: 'node', base: createNodePlatform().crypto! },
  { name: 'pure', base: pureCrypto },
])('TLS warm-up, $name provider', ({ base }) => {
  it('runs one seal, open or HMAC per step, WARM_UP_STEPS steps in all, then stops', () => {
    const { crypto, calls } = counted(base);
    const warmUp = warmUpOf(crypto);
    let steps = 0;
    for (let more = true; more; steps++) {
      const before = total(calls);
      more = warmUp.step();
      expect(total(calls) - before).toBe(1);
    }
    expect(steps).toBe(WARM_UP_STEPS);
    expect(warmUp.step()).toBe(false);
    expect(total(calls)).toBe(WARM_UP_STEPS);
    expect(calls).toMatchObject({ seal: WARM_UP_STEPS / 3, open: WARM_UP_STEPS / 3, hmac: WARM_UP_STEPS / 3, other: 0 });
    // What is sealed opens again: the cipher's whole path is the one exercised.
    expect(calls.opened).toBe(calls.open);
  });

  it('is one per provider: every caller continues the same warm-up', () => {
    const { crypto } = counted(base);
    for (let i = 0; i < WARM_UP_STEPS - 1; i++) warmUpOf(crypto).step();
    expect(warmUpOf(crypto).step()).toBe(false);
  });
});

it('a provider that throws ends its warm-up without an exception', () => {
  const broken: CryptoProvider = {
    ...pureCrypto,
    aead: () => {
      throw new Error('no AEAD here');
    },
  };
  const warmUp = warmUpOf(broken);
  expect(warmUp.step()).toBe(true); // HMAC
  expect(warmUp.step()).toBe(false); // the seal throws: the warm-up ends
  expect(warmUp.step()).toBe(false);
});

describe('certificate path warm-up', () => {
  const platformRoots = createNodePlatform().trustedRoots();
  /** A trusted root with a key of `kind`, signed with an algorithm this library supports. */
  const rootOf = (kind: 'rsa' | 'ec') => platformRoots.find((der) => {
    const c = parseCertificate(der);
    return c.publicKey?.kind === kind && c.signatureAlgorithm !== null;
  })!;

  /** A provider of its own (a warm-up of its own) recording its signature checks and their answers. */
  function verifying(base: CryptoProvider) {
    const answers: boolean[] = [];
    const kinds: string[] = [];
    const crypto: CryptoProvider = {
      ...base,
      verify: (...a) => (kinds.push(a[1].kind), answers.push(base.verify(...a)), answers.at(-1)!),
    };
    return { crypto, answers, kinds };
  }

  it.each([
    { name: 'node', base: createNodePlatform().crypto! },
    { name: 'pure', base: pureCrypto },
  ])('parses the trusted roots (asked for at its first step), then checks an RSA and an EC root\'s own signature, $name', ({ base }) => {
    const { crypto, answers, kinds: verified } = verifying(base);
    let asked = 0;
    const warmUp = certificateWarmUp(crypto, () => (asked++, [rootOf('ec'), rootOf('rsa')]));
    expect(asked).toBe(0);
    let steps = 1;
    while (warmUp.step()) steps++;
    expect([steps, asked]).toEqual([CERTIFICATE_WARM_UP_STEPS, 1]);
    // The real checks ran, the RSA one first, and both roots' signatures hold.
    expect(answers).toEqual([true, true]);
    expect(verified).toEqual(['rsa', 'ec']);
    expect(certificateWarmUp(crypto, () => []).step()).toBe(false); // one per provider
  });

  it('checks only the kinds of key it finds among the roots, and ends quietly without roots', () => {
    const ec = verifying(pureCrypto);
    const warmUp = certificateWarmUp(ec.crypto, () => [rootOf('ec')]);
    while (warmUp.step());
    expect(ec.kinds).toEqual(['ec']);
    expect(ec.answers).toEqual([true]);
    const none = certificateWarmUp({ ...pureCrypto }, () => []);
    expect(none.step()).toBe(false);
  });
});
