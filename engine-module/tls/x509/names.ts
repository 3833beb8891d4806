// Server identity checks (RFC 6125 as webpki applies it): subjectAltName only, never the subject's common name.
// DNS names match dNSName entries, with a wildcard allowed only as the whole left-most label of a name with at
// least two labels after it; IP literals match iPAddress entries only.

import { bytesEqual } from '../../bytes/bytes.js';
import { CertificateFailure, certFailure } from './certificate-failure.js';
import type { GeneralName } from './extensions.js';

/** What the caller asked to connect to: a DNS name or an IP address (4 or 16 bytes). */
export type ReferenceId = { kind: 'dns'; name: string } | { kind: 'ip'; address: Uint8Array };

/** Where a DNS ID appears; each role has its own syntax rules. */
type IdRole = 'reference' | 'presented' | 'constraint';

/**
 * Classify `hostname`: an IPv4 dotted quad, an IPv6 literal (brackets allowed), or a DNS name (a trailing dot is
 * allowed). Null when it is none of them.
 */
export function parseReferenceId(hostname: string): ReferenceId | null {
  const address = parseIpAddress(hostname);
  if (address) return { kind: 'ip', address };
  return isValidDnsId(hostname, 'reference', false) ? { kind: 'dns', name: hostname } : null;
}

/**
 * Check that the subjectAltName entries cover `hostname`. Null on a match, else the failure, e.g. a
 * hostname-mismatch with "certificate is for a.example, b.example; wanted c.example".
 */
export function checkHostname(san: GeneralName[] | undefined, hostname: string): CertificateFailure | null {
  const ref = parseReferenceId(hostname);
  if (!ref) return certFailure('invalid-hostname', undefined, `hostname "${hostname}"`);
  for (const name of san ?? []) {
    if (ref.kind === 'dns' && name.kind === 'dns' && dnsIdMatches(name.name, ref.name)) return null;
    if (ref.kind === 'ip' && name.kind === 'ip' && bytesEqual(name.address, ref.address)) return null;
  }
  const listed = sanTexts(san);
  if (listed.length === 0) {
    return certFailure(
      'hostname-mismatch',
      undefined,
      `certificate has no DNS or IP subjectAltName (the common name is not used); wanted ${hostname}`,
    );
  }
  return certFailure('hostname-mismatch', undefined, `certificate is for ${listed.join(', ')}; wanted ${hostname}`);
}

/** The DNS and IP entries of a subjectAltName as text (IP addresses in their canonical form). */
export function sanTexts(san: GeneralName[] | undefined): string[] {
  return (san ?? []).flatMap((n) => (n.kind === 'dns' ? [n.name] : n.kind === 'ip' ? [formatIpAddress(n.address)] : []));
}

/**
 * Does the presented dNSName match the host name `reference` (which may end with a dot)? A wildcard stands for
 * exactly one non-empty label. Syntactically invalid input never matches.
 */
export function dnsIdMatches(presented: string, reference: string): boolean {
  if (!isValidPresentedDnsId(presented) || !isValidDnsId(reference, 'reference', false)) return false;
  const p = presented.toLowerCase();
  let ref = reference.toLowerCase();
  if (ref.endsWith('.')) ref = ref.slice(0, -1);
  if (p.startsWith('*.')) {
    const dot = ref.indexOf('.');
    if (dot <= 0) return false;
    return p.slice(1) === ref.slice(dot);
  }
  return p === ref;
}

/** Is `name` a syntactically valid dNSName as a certificate presents it (a wildcard allowed)? */
export function isValidPresentedDnsId(name: string): boolean {
  return isValidDnsId(name, 'presented', true);
}

/**
 * Is `name` (lower case, no wildcard) inside the dNSName subtree `constraint` (lower case): the constraint itself or
 * a name under it; "" is every name.
 */
export function dnsNameWithin(name: string, constraint: string): boolean {
  if (constraint === '' || name === constraint) return true;
  return name.length > constraint.length && name.endsWith(constraint) && name[name.length - constraint.length - 1] === '.';
}

/**
 * Is `constraint` a well-formed dNSName name constraint: "" or a host name. RFC 5280 §4.2.1.10 allows a leading
 * period only in URI constraints.
 */
export function isValidDnsConstraint(constraint: string): boolean {
  return isValidDnsId(constraint, 'constraint', false);
}

/** RFC 1034 preferred name syntax (plus underscores, as deployed), following webpki's rules per role. */
function isValidDnsId(id: string, role: IdRole, allowWildcard: boolean): boolean {
  if (id.length > 253) return false;
  if (role === 'constraint' && id === '') return true;
  let labels = id.split('.');
  const wildcard = allowWildcard && labels[0] === '*';
  if (labels[labels.length - 1] === '' && labels.length > 1) {
    if (role !== 'reference') return false; // only host names may be absolute
    labels = labels.slice(0, -1);
  }
  const named = wildcard ? labels.slice(1) : labels;
  if (wildcard && named.length < 2) return false;
  for (const label of named) {
    if (!/^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label)) return false;
  }
  return named.length > 0 && !/^[0-9]+$/.test(named[named.length - 1]);
}

/** Parse an IPv4 dotted quad or an IPv6 literal (optionally in brackets) to 4 or 16 bytes; null otherwise. */
export function parseIpAddress(text: string): Uint8Array | null {
  if (/^\[.*\]$/.test(text)) return parseIpv6(text.slice(1, -1));
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(parts[i]) || Number(parts[i]) > 255) return null;
    out[i] = Number(parts[i]);
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): number[] | null => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) out.push(parseInt(part, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** IPv4 dotted quad or RFC 5952 IPv6 text; other lengths as hex (malformed iPAddress entries). */
export function formatIpAddress(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length !== 16) return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const groups = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
  let bestAt = -1;
  let bestLen = 1; // RFC 5952: a single zero group is not compressed
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt < 0) return hex.join(':');
  return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}
