// The x509-limbo suite against verifyCertificateChain: the whole suite with Node's crypto for the signatures (the
// path logic is what is measured), every non-BetterTLS case again with the pure provider. Prints agreement per
// namespace and the slowest cases; `npm run limbo` runs this file alone.

import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { KNOWN_DISAGREEMENTS, LimboOutcome, formatTable, loadLimbo, namespaceOf, runCase, skipReason } from './limbo.js';

const cases = loadLimbo().filter((c) => skipReason(c) === null);

function disagreements(outcomes: LimboOutcome[]): string[] {
  return outcomes.filter((o) => !o.agrees).map((o) => o.id).sort();
}

describe('x509-limbo', () => {
  it('agrees on every runnable case except the known, explained ones', () => {
    const outcomes = cases.map((c) => runCase(c, nodeCrypto));
    const total = outcomes.reduce((sum, o) => sum + o.ms, 0);
    const slowest = [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 5);
    console.log(
      `x509-limbo (node crypto):\n${formatTable(outcomes)}\n` +
        `verification time ${Math.round(total)} ms; slowest: ${slowest.map((o) => `${o.id} ${o.ms.toFixed(1)} ms`).join(', ')}`,
    );
    expect(cases.length).toBe(9761);
    expect(disagreements(outcomes)).toEqual(Object.keys(KNOWN_DISAGREEMENTS).sort());
    // No disagreement at all in these namespaces, except where the suite itself holds both answers.
    const conflicting = new Set(cases.filter((c) => c.conflicts_with.length > 0).map((c) => c.id));
    const strict = outcomes.filter((o) => /^(cve|pathological)$|nameconstraints|::nc$/.test(namespaceOf(o.id)));
    expect(strict.filter((o) => !o.agrees && !conflicting.has(o.id)).map((o) => o.id)).toEqual([]);
  });

  it('gives the same answers with the pure provider (non-BetterTLS cases)', () => {
    const sample = cases.filter((c) => !c.id.startsWith('bettertls::'));
    const outcomes = sample.map((c) => runCase(c, pureCrypto));
    expect(disagreements(outcomes)).toEqual(Object.keys(KNOWN_DISAGREEMENTS).filter((id) => !id.startsWith('bettertls::')).sort());
  });
});
