// nameConstraints (RFC 5280 §4.2.1.10) as webpki enforces them: dNSName and iPAddress subtrees are processed;
// a subtree of any other form that meets a name of the same form refuses the certificate, because a constraint that
// is not understood must not be ignored. directoryName subtrees therefore refuse every certificate below them
// (the subject counts as a directoryName), exactly as in webpki.

import type { Certificate } from './certificate.js';
import type { GeneralName, NameConstraints } from './extensions.js';
import { dnsIdMatches, formatIpAddress, isValidDnsConstraint } from './names.js';

type Match = boolean | 'different form' | 'unsupported';

/**
 * Check the subjectAltName entries and subject of `cert` (a certificate below the constraining CA in the path)
 * against `constraints`. Returns null when they conform, else a reason starting "name constraints violated".
 */
export function checkNameConstraints(constraints: NameConstraints, cert: Certificate): string | null {
  const names: GeneralName[] = [...(cert.extensions.subjectAltName ?? []), { kind: 'directory' }];
  for (const name of names) {
    const problem = conformance(name, constraints);
    if (problem) return `name constraints violated: ${problem} (certificate ${cert.subjectName})`;
  }
  return null;
}

function conformance(name: GeneralName, constraints: NameConstraints): string | null {
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

function matches(name: GeneralName, base: GeneralName, subtrees: 'permitted' | 'excluded'): Match {
  if (name.kind === 'dns' && base.kind === 'dns') {
    // A malformed constraint can be neither honoured nor ignored.
    if (!isValidDnsConstraint(base.name)) return 'unsupported';
    return dnsIdMatches(name.name, base.name, 'constraint');
  }
  if (name.kind === 'ip' && base.kind === 'ip') return ipMatches(name.address, base.address);
  if (name.kind === 'directory' && base.kind === 'directory') return subtrees === 'excluded';
  if (name.kind === 'other' && base.kind === 'other' && name.tagNumber === base.tagNumber) return 'unsupported';
  return 'different form';
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

function unsupported(name: GeneralName, base: GeneralName): string {
  return `${describe(name)} meets an unsupported or malformed ${describe(base)} constraint`;
}

function describe(n: GeneralName): string {
  switch (n.kind) {
    case 'dns':
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
