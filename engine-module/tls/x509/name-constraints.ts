// nameConstraints (RFC 5280 §4.2.1.10) as webpki enforces them: dNSName and iPAddress subtrees are processed;
// a subtree of any other form that meets a name of the same form refuses the certificate, because a constraint that
// is not understood must not be ignored. directoryName subtrees therefore refuse every certificate below them
// (the subject counts as a directoryName), exactly as in webpki.
//
// A crafted chain can pit thousands of names against thousands of constraints, so every comparison is counted
// against a budget shared by the whole verification (webpki's limit), and the checks pause every
// NAME_COMPARISONS_PER_STEP comparisons so the caller can spread them over polls like signature checks.

import type { Certificate } from './certificate.js';
import { CertificateFailure, certFailure } from './certificate-failure.js';
import type { GeneralName, NameConstraints } from './extensions.js';
import { dnsNameWithin, formatIpAddress, isValidDnsConstraint, isValidPresentedDnsId } from './names.js';

/** Most name-versus-constraint comparisons one verification may make (webpki stops at the same count). */
export const MAX_NAME_COMPARISONS = 250_000;
/** Comparisons between two pauses of {@link checkNameConstraints}. */
export const NAME_COMPARISONS_PER_STEP = 4_096;

/** The comparisons a verification has made so far. */
export interface ComparisonBudget {
  used: number;
}

type Match = boolean | 'different form' | 'unsupported';

/**
 * Check the subjectAltName entries and subject of `cert` (a certificate below the constraining CA in the path)
 * against `constraints`, yielding once at least {@link NAME_COMPARISONS_PER_STEP} comparisons were made since the
 * last pause (one name is never split: a certificate's size bounds its constraints). Returns null when they
 * conform, else the failure.
 */
export function* checkNameConstraints(
  constraints: NameConstraints,
  cert: Certificate,
  budget: ComparisonBudget,
): Generator<void, CertificateFailure | null> {
  const prepared = preparedSubtrees(constraints);
  const names = constrainedNames(cert);
  // Every name is compared with every subtree when the certificate conforms, so the cost is known in advance: a
  // check that cannot finish within the budget is refused before any of it is spent.
  const cost = names.length * (prepared.permitted.length + prepared.excluded.length);
  if (cost > MAX_NAME_COMPARISONS - budget.used) {
    budget.used = MAX_NAME_COMPARISONS + 1;
    return certFailure('name-constraints-budget', cert.subjectName, `${cost} more comparisons, more than ${MAX_NAME_COMPARISONS} in all`);
  }
  let pauseAt = budget.used + NAME_COMPARISONS_PER_STEP;
  for (const name of names) {
    const problem = conformance(name, prepared, budget);
    if (problem !== null) return certFailure('name-constraints', cert.subjectName, problem);
    if (budget.used >= pauseAt) {
      pauseAt = budget.used + NAME_COMPARISONS_PER_STEP;
      yield;
    }
  }
  return null;
}

/** One name against every subtree: null or the violation in words. */
function conformance(name: Prepared, constraints: PreparedSubtrees, budget: ComparisonBudget): string | null {
  budget.used += constraints.permitted.length + constraints.excluded.length;
  let sameForm = false;
  let permitted = false;
  for (const base of constraints.permitted) {
    const m = matches(name, base, 'permitted');
    if (m === 'unsupported') return unsupported(name, base);
    if (m === 'different form') continue;
    sameForm = true;
    permitted ||= m;
  }
  if (sameForm && !permitted) return `${describe(name)} is outside the permitted subtrees`;
  for (const base of constraints.excluded) {
    const m = matches(name, base, 'excluded');
    if (m === 'unsupported') return unsupported(name, base);
    if (m === true) return `${describe(name)} is inside the excluded subtree ${describe(base)}`;
  }
  return null;
}

function unsupported(name: Prepared, base: Prepared): string {
  return `${describe(name)} meets an unsupported or malformed ${describe(base)} constraint`;
}

// Syntax checks and case folding cost more than a comparison: each certificate's names and each set of constraints
// is prepared once (a dNSName that is not valid syntax is set apart: as a name it matches nothing, as a constraint
// it can be neither honoured nor ignored).
type Prepared = GeneralName | { kind: 'invalid dns'; name: string };
type PreparedSubtrees = { permitted: Prepared[]; excluded: Prepared[] };
const preparedNames = new WeakMap<Certificate, Prepared[]>();
const preparedConstraints = new WeakMap<NameConstraints, PreparedSubtrees>();

function prepare(n: GeneralName, valid: (name: string) => boolean): Prepared {
  if (n.kind !== 'dns') return n;
  return valid(n.name) ? { kind: 'dns', name: n.name.toLowerCase() } : { kind: 'invalid dns', name: n.name };
}

function constrainedNames(cert: Certificate): Prepared[] {
  let names = preparedNames.get(cert);
  if (!names) {
    const all: GeneralName[] = [...(cert.extensions.subjectAltName ?? []), { kind: 'directory' }];
    names = all.map((n) => prepare(n, isValidPresentedDnsId));
    preparedNames.set(cert, names);
  }
  return names;
}

function preparedSubtrees(constraints: NameConstraints): PreparedSubtrees {
  let prepared = preparedConstraints.get(constraints);
  if (!prepared) {
    prepared = {
      permitted: constraints.permitted.map((n) => prepare(n, isValidDnsConstraint)),
      excluded: constraints.excluded.map((n) => prepare(n, isValidDnsConstraint)),
    };
    preparedConstraints.set(constraints, prepared);
  }
  return prepared;
}

function matches(name: Prepared, base: Prepared, subtrees: 'permitted' | 'excluded'): Match {
  if (name.kind === 'dns' || name.kind === 'invalid dns') {
    if (base.kind === 'invalid dns') return 'unsupported';
    if (base.kind === 'dns') return name.kind === 'dns' && dnsMatches(name.name, base.name, subtrees);
    return 'different form';
  }
  if (name.kind === 'ip' && base.kind === 'ip') return ipMatches(name.address, base.address);
  if (name.kind === 'directory' && base.kind === 'directory') return subtrees === 'excluded';
  if (name.kind === 'other' && base.kind === 'other' && name.tagNumber === base.tagNumber) return 'unsupported';
  return 'different form';
}

// A wildcard stands for every name one label longer than its base: it is inside a permitted subtree only when all
// of those are, and inside an excluded subtree when any of them may be (CVE-2025-61727).
function dnsMatches(name: string, constraint: string, subtrees: 'permitted' | 'excluded'): boolean {
  if (!name.startsWith('*.')) return dnsNameWithin(name, constraint);
  const base = name.slice(2);
  if (dnsNameWithin(base, constraint)) return true;
  if (subtrees === 'permitted') return false;
  return constraint.endsWith(`.${base}`) && !constraint.slice(0, -base.length - 1).includes('.');
}

/** An iPAddress constraint is an address followed by a contiguous prefix mask of the same length. */
function ipMatches(address: Uint8Array, constraint: Uint8Array): Match {
  const n = constraint.length / 2;
  if ((n !== 4 && n !== 16) || !isPrefixMask(constraint.subarray(n))) return 'unsupported';
  if (address.length !== n) return false;
  const mask = constraint.subarray(n);
  return address.every((b, i) => (b & mask[i]) === (constraint[i] & mask[i]));
}

function isPrefixMask(mask: Uint8Array): boolean {
  let ended = false;
  for (const b of mask) {
    if (ended ? b !== 0 : b !== 0xff && ((b + (b & -b)) & 0xff) !== 0) return false;
    if (b !== 0xff) ended = true;
  }
  return true;
}

function describe(n: Prepared): string {
  switch (n.kind) {
    case 'dns':
    case 'invalid dns':
      return `DNS:${n.name === '' ? '(any)' : n.name}`;
    case 'ip': {
      const half = n.address.length / 2;
      if (half !== 4 && half !== 16) return `IP:${formatIpAddress(n.address)}`;
      return `IP:${formatIpAddress(n.address.subarray(0, half))}/${maskBits(n.address.subarray(half))}`;
    }
    case 'directory':
      return 'directoryName';
    case 'other':
      return `GeneralName [${n.tagNumber}]`;
  }
}

function maskBits(mask: Uint8Array): number {
  let bits = 0;
  for (const b of mask) for (let i = 7; i >= 0; i--) bits += (b >> i) & 1;
  return bits;
}
