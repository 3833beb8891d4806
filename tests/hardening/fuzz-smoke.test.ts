// The long-run fuzzer's cases (fuzz/cases.ts), a few hundred of them, so `npm run fuzz` cannot rot unnoticed: every
// case kind runs and finds nothing.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import { caseSeed, runCase, type FuzzContext } from '../../fuzz/cases.js';
import { corporaDir, loadResponseSeeds } from '../../fuzz/corpus.js';
import { instrument } from '../../fuzz/instrument.js';
import { makeLoopbackPki, type LoopbackPki } from '../../fuzz/pki.js';
import { recordTlsSession } from '../../fuzz/tls-recording.js';

let pki: LoopbackPki;
let ctx: FuzzContext;
beforeAll(async () => {
  instrument();
  pki = makeLoopbackPki();
  const recordings = [await recordTlsSession(pki, 'TLSv1.3', nodeCrypto), await recordTlsSession(pki, 'TLSv1.2', nodeCrypto)];
  ctx = { seeds: loadResponseSeeds(corporaDir(process.cwd())), recordings, crypto: nodeCrypto };
});
afterAll(() => pki?.cleanup());

it('500 fuzz cases of every kind find nothing', () => {
  const kinds = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const result = runCase(ctx, caseSeed(1, i));
    kinds.add(result.kind);
    expect(result.violations, `case ${i} (${result.kind}): ${result.input}`).toEqual([]);
  }
  expect([...kinds].sort()).toEqual(['http', 'tls-random-records TLSv1.2', 'tls-random-records TLSv1.3', 'tls-replay TLSv1.2', 'tls-replay TLSv1.3']);
});
