// The x509-limbo suite (tests/fixtures/x509-limbo) run through verifyCertificateChain: which cases agree with the
// suite's expected result, per namespace. Cases a server verifier cannot express (CRLs, client validation, a peer
// name that is not DNS or IP) are skipped, never counted as agreeing.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { pemToDer } from '../../engine-module/bytes/pem.js';
import { verifyCertificateChain } from '../../engine-module/tls/x509/path.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';

const FIXTURE = new URL('../fixtures/x509-limbo/limbo.json.gz', import.meta.url);

export interface LimboCase {
  id: string;
  expected_result: 'SUCCESS' | 'FAILURE';
  validation_kind: string;
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  expected_peer_name: { kind: string; value: string } | null;
  max_chain_depth: number | null;
  extended_key_usage: string[];
  key_usage: string[];
  crls: string[];
  conflicts_with: string[];
}

export interface LimboOutcome {
  id: string;
  expected: 'SUCCESS' | 'FAILURE';
  agrees: boolean;
  reason: string | null;
  ms: number;
}

/**
 * The cases where the verifier and the suite disagree, each with the reason it stays so. Where the suite holds both
 * answers under different profiles (`conflicts_with`), the webpki / CA/Browser Forum side is taken.
 */
export const KNOWN_DISAGREEMENTS: Record<string, string> = {
  'rfc5280::eku::ee-without-eku':
    'conflicts with webpki::eku::ee-without-eku: the webpki/CABF profile requires serverAuth in the leaf',
  'rfc5280::nc::permitted-dns-match-noncritical':
    'conflicts with webpki::nc::permitted-dns-match-noncritical: webpki applies a non-critical nameConstraints',
  'rfc5280::ca-as-leaf': 'conflicts with webpki::ca-as-leaf: a CA certificate is never accepted as the server certificate',
  'pathlen::validation-ignores-pathlen-in-leaf':
    'the leaf is a CA certificate: the same rule as webpki::ca-as-leaf (the suite does not mark the conflict)',
  'rfc5280::aki::cross-signed-root-missing-aki':
    'pedantic-rfc5280: requiring an AKI in a trust anchor refuses cve::cve-2024-0567, whose valid anchor has none',
  'rfc5280::san::underscore-dns':
    'underscores are accepted in DNS names, as deployed and as webpki does (service names, internal hosts)',
  'webpki::cn::not-in-san':
    'a common name unrelated to the SAN is accepted: 344 BetterTLS and 4 rfc5280 cases expect success with one',
  'webpki::cn::punycode-not-in-san': 'the same rule as webpki::cn::not-in-san (an unrelated A-label common name)',
  'webpki::san::public-suffix-multi-label-wildcard-san':
    'pedantic-public-suffix-wildcard: needs the Public Suffix List, which is not bundled',
  'webpki::san::public-suffix-private-namespace-wildcard-san':
    'pedantic-public-suffix-wildcard: needs the Public Suffix List, which is not bundled',
};

export function loadLimbo(): LimboCase[] {
  return (JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString('utf8')) as { testcases: LimboCase[] }).testcases;
}

/** Why a case cannot be run against a TLS server verifier, or null when it can. */
export function skipReason(c: LimboCase): string | null {
  if (c.validation_kind !== 'SERVER') return 'not a server validation';
  if (c.crls.length > 0) return 'needs revocation lists';
  const name = c.expected_peer_name;
  if (!name || (name.kind !== 'DNS' && name.kind !== 'IP')) return 'no DNS or IP peer name';
  // The verifier always requires serverAuth (or no EKU) and digitalSignature-compatible leaves; other purposes
  // cannot be asked for.
  if (c.extended_key_usage.some((e) => e !== 'serverAuth')) return 'asks for a purpose other than serverAuth';
  return null;
}

export function runCase(c: LimboCase, crypto?: CryptoProvider): LimboOutcome {
  const chain = [...pemToDer(c.peer_certificate), ...c.untrusted_intermediates.flatMap(pemToDer)];
  const roots = c.trusted_certs.flatMap(pemToDer);
  const start = performance.now();
  const result = verifyCertificateChain(chain, {
    hostname: c.expected_peer_name!.value,
    roots,
    now: c.validation_time ? new Date(c.validation_time) : new Date(),
    // max_chain_depth counts intermediates; the option counts the leaf and the anchor too.
    maxChainLength: c.max_chain_depth === null ? undefined : c.max_chain_depth + 2,
    crypto,
  });
  const ms = performance.now() - start;
  const accepted = result.ok;
  return {
    id: c.id,
    expected: c.expected_result,
    agrees: accepted === (c.expected_result === 'SUCCESS'),
    reason: result.ok ? null : result.reason,
    ms,
  };
}

/** "bettertls::nameconstraints::tc12" → "bettertls::nameconstraints"; "cve::cve-2024-0567" → "cve". */
export function namespaceOf(id: string): string {
  const parts = id.split('::');
  return parts.slice(0, Math.max(1, Math.min(2, parts.length - 1))).join('::');
}

/** Agreement per namespace as a fixed-width table. */
export function formatTable(outcomes: LimboOutcome[]): string {
  const rows = new Map<string, { agree: number; total: number }>();
  for (const o of outcomes) {
    const ns = namespaceOf(o.id);
    const row = rows.get(ns) ?? { agree: 0, total: 0 };
    row.total++;
    if (o.agrees) row.agree++;
    rows.set(ns, row);
  }
  const lines = [...rows].sort(([a], [b]) => a.localeCompare(b)).map(([ns, r]) => `${ns.padEnd(34)} ${String(r.agree).padStart(5)} / ${r.total}`);
  const agree = outcomes.filter((o) => o.agrees).length;
  return [...lines, `${'total'.padEnd(34)} ${String(agree).padStart(5)} / ${outcomes.length}`].join('\n');
}
