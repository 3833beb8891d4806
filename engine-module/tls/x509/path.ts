// Certificate path validation for a TLS server: build a path from the server's certificate through the
// certificates it sent (in any order, extras ignored) to a trust anchor, backtracking when several certificates
// share an issuer name. The work runs as steps of at most one signature verification each, so the TLS engine can
// spread it over frames; verifyCertificateChain simply runs every step.

import { bytesEqual } from '../../bytes/bytes.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { pureCrypto } from '../crypto/pure.js';
import { Certificate, parseCertificate, readCertificateIdentity } from './certificate.js';
import { isSelfIssued, issuerProblem, leafProblem, pinnedLeafProblem, signatureCheck } from './certificate-checks.js';
import {
  CertificateFailure,
  certFailure,
  certificateFailureRank,
  certificateFailureText,
} from './certificate-failure.js';
import { ComparisonBudget, checkNameConstraints } from './name-constraints.js';

/** Options of {@link verifyCertificateChain} and {@link createChainVerification}. */
export interface ChainVerificationOptions {
  /** The name the server must be certified for: a DNS name or an IPv4/IPv6 literal. */
  hostname: string;
  /**
   * Trusted root certificates (DER). A server certificate byte for byte equal to one of them is trusted as it
   * stands (pinned): only its dates and names are checked.
   */
  roots: Uint8Array[];
  /** The time validity periods are checked against. */
  now: Date;
  /** Signature verification; the pure JavaScript provider when absent. */
  crypto?: CryptoProvider;
  /**
   * Most certificates in a path, leaf and trust anchor included (default {@link DEFAULT_MAX_CHAIN_LENGTH}).
   * Self-issued intermediates (a CA's key rollover) do not count.
   */
  maxChainLength?: number;
}

/** The outcome: ok, or the failure with its words (`reason`, derived from `failure`). */
export type ChainVerificationResult = { ok: true } | { ok: false; reason: string; failure: CertificateFailure };

/** A verification in progress. */
export interface ChainVerification {
  /**
   * Advance by at most one expensive operation (a signature verification or a slice of name-constraint
   * comparisons). Null while work remains; then the result, which every later call returns again. Never throws.
   */
  step(): ChainVerificationResult | null;
}

export const DEFAULT_MAX_CHAIN_LENGTH = 10;
/** Larger certificates are refused before parsing (real ones stay far below, even with long SAN lists). */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;
/** Bound on verifications during backtracking, so a crafted certificate mesh cannot make path building explode. */
const MAX_SIGNATURE_CHECKS = 100;

/**
 * Validate a server's certificate list (DER, leaf first) for `opts.hostname` against `opts.roots` at `opts.now`,
 * doing the work in steps (see {@link ChainVerification}). `leaf`, when given, is `chain[0]` already parsed (by
 * {@link parseBoundedCertificate}: a TLS client reads the leaf's key first), so it is not parsed twice.
 */
export function createChainVerification(chain: Uint8Array[], opts: ChainVerificationOptions, leaf?: Certificate): ChainVerification {
  const run = verifySteps(chain, opts, leaf);
  let result: ChainVerificationResult | null = null;
  return {
    step() {
      if (result) return result;
      try {
        const next = run.next();
        if (next.done) result = next.value;
      } catch (e) {
        result = refuse(certFailure('internal-error', undefined, e instanceof Error ? e.message : String(e)));
      }
      return result;
    },
  };
}

/**
 * Validate a server's certificate list (DER, leaf first) in one call: the chain must lead to one of `opts.roots`
 * and the leaf must be valid for `opts.hostname` at `opts.now`. Never throws; malformed input is a reason.
 */
export function verifyCertificateChain(chain: Uint8Array[], opts: ChainVerificationOptions): ChainVerificationResult {
  const verification = createChainVerification(chain, opts);
  for (;;) {
    const result = verification.step();
    if (result) return result;
  }
}

function* verifySteps(
  chain: Uint8Array[],
  opts: ChainVerificationOptions,
  parsedLeaf: Certificate | undefined,
): Generator<void, ChainVerificationResult> {
  const maxLength = opts.maxChainLength ?? DEFAULT_MAX_CHAIN_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    return refuse(certFailure('invalid-options', undefined, 'maxChainLength must be a positive integer'));
  }
  if (!(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) {
    return refuse(certFailure('invalid-options', undefined, 'invalid verification time'));
  }
  if (chain.length === 0) return refuse(certFailure('no-certificate'));

  // A leaf parsed from other bytes than chain[0] is never trusted in its place.
  const leaf = parsedLeaf && parsedLeaf.der === chain[0] ? parsedLeaf : parseBoundedCertificate(chain[0]);
  if ('code' in leaf) return refuse(leaf);
  const anchors = anchorsFor(opts.roots);

  // Only the anchor itself is pinned: a certificate that merely shares an anchor's name and key is validated like
  // any other, so its signature and the anchor's constraints are checked.
  if (anchors.some((a) => bytesEqual(a.der, leaf.der))) return outcome(pinnedLeafProblem(leaf, opts.hostname, opts.now));
  if (isSelfIssued(leaf)) return refuse(certFailure('untrusted-self-signed', leaf.subjectName));
  const problem = leafProblem(leaf, opts.hostname, opts.now);
  if (problem) return refuse(problem);
  yield; // parsing and indexing the roots is a step of its own at interpreter speed

  const search = new PathSearch(
    chain.slice(1).map(parseBoundedCertificate),
    anchors,
    opts.crypto ?? pureCrypto,
    opts.now,
    maxLength,
  );
  yield; // so is parsing the intermediates, before the first signature check
  return (yield* search.extend([leaf])) ? { ok: true } : refuse(search.failure());
}

interface Anchor {
  der: Uint8Array;
  subject: Uint8Array;
  spki: Uint8Array;
  /** Parsed on first use: most roots of a store are never candidates. */
  parsed?: Certificate | CertificateFailure;
}

/** A trust store's index, with the roots it was made from (the caller may change the array later). */
interface IndexedStore {
  roots: readonly Uint8Array[];
  anchors: Anchor[];
}

// A trust store is usually one array shared by every connection (the platform's); outlining its 100+ roots for each
// handshake would cost more than the handshake's own parsing, so the index (and each root parsed on first use) is
// kept per array for as long as the array lives.
const indexedStores = new WeakMap<Uint8Array[], IndexedStore>();

function anchorsFor(roots: Uint8Array[]): Anchor[] {
  const cached = indexedStores.get(roots);
  if (cached && cached.roots.length === roots.length && cached.roots.every((r, i) => r === roots[i])) return cached.anchors;
  const anchors = indexAnchors(roots);
  indexedStores.set(roots, { roots: roots.slice(), anchors });
  return anchors;
}

/** Roots that cannot even be outlined are skipped: one bad store entry must not break every connection. */
function indexAnchors(roots: Uint8Array[]): Anchor[] {
  const out: Anchor[] = [];
  for (const der of roots) {
    if (der.length > MAX_CERTIFICATE_BYTES) continue;
    try {
      out.push({ der, ...readCertificateIdentity(der) });
    } catch {
      // unusable root
    }
  }
  return out;
}

class PathSearch {
  private signatureChecks = 0;
  private exhausted = false;
  private readonly verified = new Map<Certificate, Map<Certificate, boolean>>();
  private readonly comparisons: ComparisonBudget = { used: 0 };
  private best: { failure: CertificateFailure; depth: number } | null = null;

  constructor(
    /** The server's other certificates, parsed, or why they could not be. */
    private readonly intermediates: (Certificate | CertificateFailure)[],
    private readonly anchors: Anchor[],
    private readonly crypto: CryptoProvider,
    private readonly now: Date,
    private readonly maxLength: number,
  ) {
    intermediates.forEach((c, i) => {
      if ('code' in c) this.note({ ...c, detail: `certificate ${i + 2} of the chain: ${c.detail}` }, 0);
    });
  }

  /** Try to complete `path` (leaf first) up to a trust anchor; true when found, with every signature checked. */
  *extend(path: Certificate[]): Generator<void, boolean> {
    const child = path[path.length - 1];
    // Self-issued intermediates are a CA's key rollover: they count neither against pathLen nor the chain length.
    const below = path.slice(1).filter((c) => !isSelfIssued(c)).length;
    let candidates = 0;
    for (const anchor of this.anchors) {
      if (this.exhausted) return false;
      if (!bytesEqual(anchor.subject, child.issuer)) continue;
      candidates++;
      const root = this.anchorCertificate(anchor);
      if ('code' in root) {
        this.note(root, path.length);
        continue;
      }
      const problem = below + 2 > this.maxLength ? this.tooLong() : issuerProblem(root, below, this.now, true);
      if (problem) this.note(problem, path.length);
      else if ((yield* this.constraintsHold(root, path)) && (yield* this.signatureValid(child, root, path.length))) {
        return true;
      }
    }
    for (const candidate of this.intermediates) {
      if (this.exhausted) return false;
      if ('code' in candidate || !bytesEqual(candidate.subject, child.issuer)) continue;
      if (path.some((c) => bytesEqual(c.subject, candidate.subject) && bytesEqual(c.spki, candidate.spki))) continue;
      candidates++;
      const length = below + (isSelfIssued(candidate) ? 2 : 3);
      const problem = length > this.maxLength ? this.tooLong() : issuerProblem(candidate, below, this.now, false);
      if (problem) {
        this.note(problem, path.length);
        continue;
      }
      if (!(yield* this.constraintsHold(candidate, path))) continue;
      if (!(yield* this.signatureValid(child, candidate, path.length))) continue;
      path.push(candidate);
      if (yield* this.extend(path)) return true;
      path.pop();
    }
    if (candidates === 0) {
      const code = isSelfIssued(child) ? 'untrusted-self-signed' : 'unknown-issuer';
      this.note(certFailure(code, child.subjectName, code === 'unknown-issuer' ? `issuer ${child.issuerName}` : undefined), path.length);
    }
    return false;
  }

  /** Why no path was found: the most telling failure met, the deepest of equals. */
  failure(): CertificateFailure {
    return this.best?.failure ?? certFailure('unknown-issuer');
  }

  /**
   * The name constraints of `issuer` against every certificate below it, except self-issued intermediates
   * (RFC 5280 §6.1.3), in slices of comparisons.
   */
  private *constraintsHold(issuer: Certificate, path: readonly Certificate[]): Generator<void, boolean> {
    const constraints = issuer.extensions.nameConstraints;
    if (!constraints) return true;
    for (let i = 0; i < path.length; i++) {
      if (i > 0 && isSelfIssued(path[i])) continue;
      const problem = yield* checkNameConstraints(constraints, path[i], this.comparisons);
      if (problem) {
        if (problem.code === 'name-constraints-budget') this.exhausted = true;
        this.note({ ...problem, detail: `${problem.detail}, imposed by ${issuer.subjectName}` }, path.length);
        return false;
      }
    }
    return true;
  }

  private *signatureValid(child: Certificate, issuer: Certificate, depth: number): Generator<void, boolean> {
    const check = signatureCheck(child, issuer);
    if ('code' in check) {
      this.note(check, depth);
      return false;
    }
    let byIssuer = this.verified.get(child);
    if (!byIssuer) this.verified.set(child, (byIssuer = new Map()));
    let ok = byIssuer.get(issuer);
    if (ok === undefined) {
      if (this.signatureChecks === MAX_SIGNATURE_CHECKS) {
        this.exhausted = true;
        this.note(certFailure('search-exhausted', undefined, `after ${MAX_SIGNATURE_CHECKS} signature checks`), depth);
        return false;
      }
      this.signatureChecks++;
      ok = this.crypto.verify(check.alg, check.key, child.tbs, child.signature);
      byIssuer.set(issuer, ok);
      yield;
    }
    if (!ok) this.note(certFailure('bad-signature', child.subjectName, `issuer ${issuer.subjectName}`), depth);
    return ok;
  }

  private anchorCertificate(anchor: Anchor): Certificate | CertificateFailure {
    if (anchor.parsed === undefined) {
      const parsed = parseBoundedCertificate(anchor.der);
      anchor.parsed = 'code' in parsed ? { ...parsed, detail: `trusted root: ${parsed.detail}` } : parsed;
    }
    return anchor.parsed;
  }

  private tooLong(): CertificateFailure {
    return certFailure('chain-too-long', undefined, `more than ${this.maxLength} certificates`);
  }

  private note(failure: CertificateFailure, depth: number): void {
    const rank = certificateFailureRank(failure);
    const best = this.best;
    if (best) {
      const bestRank = certificateFailureRank(best.failure);
      if (rank < bestRank || (rank === bestRank && depth <= best.depth)) return;
    }
    this.best = { failure, depth };
  }
}

/** A certificate parsed, or why it cannot be: over {@link MAX_CERTIFICATE_BYTES}, or malformed. Never throws. */
export function parseBoundedCertificate(der: Uint8Array): Certificate | CertificateFailure {
  if (der.length > MAX_CERTIFICATE_BYTES) {
    return certFailure('too-large', undefined, `${der.length} bytes, limit ${MAX_CERTIFICATE_BYTES}`);
  }
  try {
    return parseCertificate(der);
  } catch (e) {
    return certFailure('malformed', undefined, e instanceof Error ? e.message : String(e));
  }
}

function refuse(failure: CertificateFailure): ChainVerificationResult {
  return { ok: false, reason: certificateFailureText(failure), failure };
}

function outcome(failure: CertificateFailure | null): ChainVerificationResult {
  return failure ? refuse(failure) : { ok: true };
}
