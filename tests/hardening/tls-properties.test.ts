// Property tests of the TLS engine against real sessions recorded from Node's TLS server on loopback (TLS 1.3 and
// 1.2), replayed offline with a seeded client random: the same session cut anywhere, with random byte mutations, and
// with random records after a real prefix. Properties (fuzz/tls-case.ts): no exception other than a protocol error
// inside the engine, no work left after a bounded number of pumps, buffered input within the record and
// handshake-message limits, decrypted data a prefix of what the server sent, a clean close only with all of it.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { instrument } from '../../fuzz/instrument.js';
import { makeLoopbackPki, type LoopbackPki } from '../../fuzz/pki.js';
import { createRng } from '../../fuzz/rng.js';
import { randomRecordsAfterPrefix, recordBoundaries, runTlsReplayCase } from '../../fuzz/tls-case.js';
import { recordTlsSession, type TlsRecording } from '../../fuzz/tls-recording.js';
import { cutsArb, mutationArb } from './arbitraries.js';

let pki: LoopbackPki;
const recordings: Record<string, TlsRecording> = {};

beforeAll(async () => {
  instrument();
  pki = makeLoopbackPki();
  recordings['TLSv1.3'] = await recordTlsSession(pki, 'TLSv1.3', nodeCrypto);
  recordings['TLSv1.2'] = await recordTlsSession(pki, 'TLSv1.2', nodeCrypto);
  recordings['TLSv1.3 pure'] = await recordTlsSession(pki, 'TLSv1.3', pureCrypto, 3000);
});
afterAll(() => pki?.cleanup());

describe.each(['TLSv1.3', 'TLSv1.2'])('%s session replay', (version) => {
  const rec = () => recordings[version];

  it('replays cleanly however the server bytes are cut', () => {
    fc.assert(
      fc.property(cutsArb, (cuts) => {
        const out = runTlsReplayCase(rec(), nodeCrypto, { cuts: cuts(rec().serverBytes.length) });
        expect(out.violations).toEqual([]);
        expect(out.status).toBe('closed');
        expect(out.plaintext.length).toBe(rec().plaintext.length);
      }),
      { numRuns: 60 },
    );
  });

  it('mutated handshakes and records never crash, hang, leak or yield altered data', () => {
    const bounds = recordBoundaries(rec().serverBytes);
    const handshakeEnd = bounds[Math.min(bounds.length - 1, 8)];
    fc.assert(
      fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 4 }), fc.boolean(), cutsArb, (mutations, inHandshake, cuts) => {
        const placed = inHandshake ? mutations.map((m) => ({ ...m, at: m.at % handshakeEnd })) : mutations;
        const out = runTlsReplayCase(rec(), nodeCrypto, { mutations: placed, cuts: cuts(rec().serverBytes.length) });
        expect(out.violations).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('random records after a real prefix of the session end in a failure with a reason', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        const serverBytes = randomRecordsAfterPrefix(createRng(seed), rec());
        const out = runTlsReplayCase(rec(), nodeCrypto, { serverBytes });
        expect(out.violations).toEqual([]);
        expect(out.status).toBe('failed');
      }),
      { numRuns: 300 },
    );
  });
});

it('the pure provider replays its own session cut anywhere, and refuses mutations the same way', () => {
  const rec = recordings['TLSv1.3 pure'];
  fc.assert(
    fc.property(cutsArb, fc.array(mutationArb, { maxLength: 2 }), (cuts, mutations) => {
      const out = runTlsReplayCase(rec, pureCrypto, { cuts: cuts(rec.serverBytes.length), mutations });
      expect(out.violations).toEqual([]);
      if (mutations.length === 0) expect(out.status).toBe('closed');
    }),
    { numRuns: 15 },
  );
});
