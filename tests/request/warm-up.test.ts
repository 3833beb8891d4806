// The request layer's warm-ups: the TLS one started when the pool opens its first TLS connection, the decoder's when
// a request that decompresses starts; without the platform's runLater, run one after another in the time a tick's
// work leaves over (pieces counted against a test clock), never without budget; with it, between frames, one piece per
// later run, and never in a tick.
import { afterEach, describe, expect, it } from 'vitest';
import { startBudget } from '../../engine-module/request/budget.js';
import { startRequest } from '../../engine-module/request/http-request.js';
import { closeIdle, grant } from '../../engine-module/request/pool.js';
import { normalizeSpec } from '../../engine-module/request/request-spec.js';
import { createRequester, type Requester } from '../../engine-module/request/requester.js';
import { runTick } from '../../engine-module/request/tick.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { CERTIFICATE_WARM_UP_STEPS, certificateWarmUp, WARM_UP_STEPS, warmUpOf } from '../../engine-module/tls/warm-up.js';
import { LATER_RUN_MS } from '../../engine-module/http/work-ahead.js';
import { decoderWarmUp, INFLATE_WARM_UP_STEPS } from '../../engine-module/request/decoding.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import type { Platform } from '../../engine-module/platform/platform.js';

/** A Node platform without runLater (as an embedded host's), so warm-ups take the spare time of ticks. */
const withoutRunLater = (crypto = createNodePlatform().crypto): Platform => ({ ...createNodePlatform({ crypto }), runLater: undefined });

let requester: Requester | null = null;
afterEach(() => {
  if (requester) closeIdle(requester.pool);
  requester = null;
});

/** A warm-up of `pieces` steps, each advancing the test clock by 1 ms. */
function stubWarmUp(clock: { t: number }, pieces: number) {
  const w = { ran: 0, step: () => (w.ran++, clock.t++, w.ran < pieces) };
  return w;
}

describe('TLS warm-up in ticks', () => {
  it('runs pieces only while the tick has budget left, and stops when done', () => {
    const clock = { t: 0 };
    const r = (requester = createRequester({ platform: withoutRunLater() }));
    const warmUp = stubWarmUp(clock, 10);
    r.warmUps.push(warmUp);
    const tick = (ms: number) => runTick(r, clock.t, startBudget({ ms }, () => clock.t), () => [], () => {});
    tick(0);
    expect(warmUp.ran).toBe(0);
    tick(3);
    expect(warmUp.ran).toBe(3); // pieces start at +0, +1, +2 ms; none at +3
    tick(3);
    tick(3);
    expect(warmUp.ran).toBe(9);
    tick(3);
    expect(warmUp.ran).toBe(10);
    expect(r.warmUps).toEqual([]);
  });

  it('runs one warm-up after another, each to its end', () => {
    const clock = { t: 0 };
    const r = (requester = createRequester({ platform: withoutRunLater() }));
    const a = stubWarmUp(clock, 2);
    const b = stubWarmUp(clock, 2);
    r.warmUps.push(a, b);
    runTick(r, clock.t, startBudget({ ms: 3 }, () => clock.t), () => [], () => {});
    expect([a.ran, b.ran]).toEqual([2, 1]);
  });

  it('the TLS one starts when the pool opens a TLS connection, with the platform provider, not for plain HTTP', () => {
    const crypto = { ...pureCrypto };
    const r = (requester = createRequester({ platform: withoutRunLater(crypto) }));
    startRequest(r, normalizeSpec({ url: 'http://127.0.0.1:1/', decompress: false }), 0);
    grant(r.pool, 0);
    expect(r.warmUps).toEqual([]);
    startRequest(r, normalizeSpec({ url: 'https://127.0.0.1:1/', decompress: false }), 0);
    grant(r.pool, 0);
    expect(r.warmUps).toEqual([warmUpOf(crypto)]);
  });

  it("the decoder's starts with a request that decompresses, once; the TLS one goes ahead of it", () => {
    const crypto = { ...pureCrypto };
    const r = (requester = createRequester({ platform: withoutRunLater(crypto) }));
    startRequest(r, normalizeSpec({ url: 'http://127.0.0.1:1/a', decompress: false }), 0);
    expect(r.warmUps).toEqual([]);
    startRequest(r, normalizeSpec({ url: 'http://127.0.0.1:1/b' }), 0);
    startRequest(r, normalizeSpec({ url: 'http://127.0.0.1:1/c' }), 0);
    expect(r.warmUps).toEqual([decoderWarmUp()]);
    startRequest(r, normalizeSpec({ url: 'https://127.0.0.1:1/d' }), 0);
    grant(r.pool, 0);
    expect(r.warmUps).toEqual([warmUpOf(crypto), decoderWarmUp()]);
  });
});

describe('warm-ups between frames (a platform with runLater)', () => {
  it('go to later runs, never into a tick', () => {
    const crypto = { ...pureCrypto };
    const waiting: Array<() => void> = [];
    const base = createNodePlatform({ crypto });
    // Each reading of this clock is a millisecond on: a later run takes one piece.
    let t = 0;
    const platform: Platform = { ...base, now: () => (t += LATER_RUN_MS), runLater: (callback) => void waiting.push(callback) };
    const clock = { t: 0 };
    const r = (requester = createRequester({ platform }));
    startRequest(r, normalizeSpec({ url: 'http://127.0.0.1:1/b' }), 0);
    startRequest(r, normalizeSpec({ url: 'https://127.0.0.1:1/d', decompress: false }), 0);
    grant(r.pool, 0);
    expect(r.warmUps).toEqual([]);
    runTick(r, clock.t, startBudget({ ms: 3 }, () => clock.t), () => [], () => {});
    expect(waiting).toHaveLength(1);
    let runs = 0;
    while (waiting.length > 0) {
      waiting.shift()!();
      runs++;
    }
    // The key share of the TLS connection the pool opened, and the pieces of the decoder's, the TLS provider's and
    // the certificate path's warm-ups.
    expect(runs).toBe(1 + INFLATE_WARM_UP_STEPS + WARM_UP_STEPS + CERTIFICATE_WARM_UP_STEPS);
    expect(decoderWarmUp().step()).toBe(false);
    expect(warmUpOf(crypto).step()).toBe(false);
    expect(certificateWarmUp(crypto, () => []).step()).toBe(false);
  });
});
