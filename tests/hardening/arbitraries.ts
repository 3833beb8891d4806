// fast-check arbitraries for the shared mutation and split descriptions (fuzz/mutations.ts), so shrinking works on
// the edits themselves.

import fc from 'fast-check';
import type { Mutation } from '../../fuzz/mutations.js';
import { TOKENS } from '../../fuzz/mutations.js';

const at = fc.nat({ max: 1 << 20 });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at, bit: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at, value: fc.constantFrom(0, 0x0a, 0x0d, 0x20, 0x30, 0x3a, 0x7f, 0xff) }),
  fc.record({ op: fc.constant('insert' as const), at, bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('repeat' as const), at, length: fc.integer({ min: 1, max: 32 }), times: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('splice' as const), at, length: fc.nat({ max: 3 }), token: fc.nat({ max: TOKENS.length - 1 }) }),
  fc.record({ op: fc.constant('truncate' as const), at }),
);

/** Cut points as fractions, applied to whatever length the (mutated) input has. */
export const cutsArb: fc.Arbitrary<(length: number) => number[]> = fc
  .array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 })
  .map((fractions) => {
    const f = (length: number) => [...new Set(fractions.map((x) => Math.floor(x * length)))].filter((x) => x > 0).sort((a, b) => a - b);
    return Object.assign(f, { toString: () => `cuts(${fractions.join(',')})` });
  });
