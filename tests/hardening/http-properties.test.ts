// Property tests of the response parser through HTTPClient over an in-memory pipe: the shared corpora and generated
// responses, split at random points and mutated at random. Properties checked on every run (see fuzz/http-case.ts):
// no exception inside poll() other than a protocol error, a defined end within a bounded number of polls once the
// server closes, the receive buffer within the head limit plus one read, and a complete response carrying exactly
// the bytes its framing states. Split invariance: the same bytes end the same way however they are cut.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Method } from '../../engine-module/http/constants.js';
import { corporaDir, generatedResponse, loadResponseSeeds, type Seed } from '../../fuzz/corpus.js';
import { runHttpCase, outcomeSignature, type HttpCase } from '../../fuzz/http-case.js';
import { instrument } from '../../fuzz/instrument.js';
import { applyMutations, type Mutation } from '../../fuzz/mutations.js';
import { createRng } from '../../fuzz/rng.js';
import { mutationArb, cutsArb } from './arbitraries.js';

const SMALL_LIMITS = { maxHeadBytes: 2048, maxHeaderCount: 40 };

let seeds: Seed[];
beforeAll(() => {
  instrument();
  seeds = loadResponseSeeds(corporaDir(process.cwd()));
  const rng = createRng(0x5eed);
  for (let i = 0; i < 12; i++) seeds.push(generatedResponse(rng, i < 4 ? 200 : 70_000));
});

function expectClean(c: HttpCase): void {
  const out = runHttpCase(c);
  expect(out.violations, `violations for ${JSON.stringify({ ...c, bytes: Buffer.from(c.bytes).toString('latin1') })}`).toEqual([]);
}

const seedIndex = fc.nat();
const method = fc.constantFrom(Method.GET, Method.GET, Method.GET, Method.HEAD, Method.POST);
const end = fc.constantFrom('close' as const, 'reset' as const);

describe('response parser properties', () => {
  it('every corpus case, whole and one byte at a time, ends cleanly and the same way', () => {
    for (const seed of seeds.filter((s) => s.bytes.length < 4096)) {
      const whole = runHttpCase({ bytes: seed.bytes });
      const bytewise = runHttpCase({ bytes: seed.bytes, cuts: Array.from({ length: seed.bytes.length }, (_, i) => i + 1) });
      expect(whole.violations, seed.id).toEqual([]);
      expect(bytewise.violations, seed.id).toEqual([]);
      expect(outcomeSignature(bytewise), seed.id).toBe(outcomeSignature(whole));
    }
  });

  it('random splits of corpus cases end as the whole input does', () => {
    fc.assert(
      fc.property(seedIndex, cutsArb, method, end, (i, cuts, m, e) => {
        const bytes = seeds[i % seeds.length].bytes;
        const whole = runHttpCase({ bytes, method: m, end: e });
        const split = runHttpCase({ bytes, cuts: cuts(bytes.length), method: m, end: e });
        expect(whole.violations).toEqual([]);
        expect(split.violations).toEqual([]);
        expect(outcomeSignature(split)).toBe(outcomeSignature(whole));
      }),
      { numRuns: 3000 },
    );
  });

  it('random mutations of corpus cases never crash, hang, overgrow or end short', () => {
    fc.assert(
      fc.property(seedIndex, fc.array(mutationArb, { minLength: 1, maxLength: 6 }), cutsArb, method, end, fc.boolean(),
        (i, mutations: Mutation[], cuts, m, e, small) => {
          const bytes = applyMutations(seeds[i % seeds.length].bytes, mutations);
          expectClean({ bytes, cuts: cuts(bytes.length), method: m, end: e, client: small ? SMALL_LIMITS : undefined });
        }),
      { numRuns: 20_000 },
    );
  });

  it('a well-formed response cut anywhere before its end is never a success (except until-close)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.nat(), (seed, cutAt) => {
        const { bytes, id } = generatedResponse(createRng(seed), 3000);
        const cut = cutAt % bytes.length;
        const out = runHttpCase({ bytes: bytes.subarray(0, cut) });
        expect(out.violations).toEqual([]);
        if (!id.includes('/close/')) expect(out.complete).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });
});
