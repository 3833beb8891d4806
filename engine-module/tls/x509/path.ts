// Certificate path validation for a TLS server: build a path from the server's certificate through the
// certificates it sent (in any order, extras ignored) to a trust anchor, backtracking when several certificates
// share an issuer name. The work runs as steps of at most one signature verification each, so the TLS engine can
// spread it over frames; verifyCertificateChain simply runs every step.

import { bytesEqual } from '../../bytes/bytes.js';
import type { CryptoProvider } from '../crypto/provider.js';
import { pureCrypto } from '../crypto/pure.js';
import { Certificate, parseCertificate, readCertificateIdentity } from './certificate.js';
import {
  intermediateProblem,
  isSelfIssued,
  leafProblem,
  nameConstraintsProblem,
  pinnedLeafProblem,
  signatureCheck,
} from './certificate-checks.js';

/** Options of {@link verifyCertificateChain} and {@link createChainVerification}. */
export interface ChainVerificationOptions {
  /** The name the server must be certified for: a DNS name or an IPv4/IPv6 literal. */
  hostname: string;
  /** Trusted root certificates (DER). A root whose subject and key equal the server's certificate pins it. */
  roots: Uint8Array[];
  /** The time validity periods are checked against. */
  now: Date;
  /** Signature verification; the pure JavaScript provider when absent. */
  crypto?: CryptoProvider;
  /** Most certificates in a path, leaf and trust anchor included (default {@link DEFAULT_MAX_CHAIN_LENGTH}). */
  maxChainLength?: number;
}

/** The outcome: ok, or a reason a person can read. */
export type ChainVerificationResult = { ok: true } | { ok: false; reason: string };

/** A verification in progress. */
export interface ChainVerification {
  /**
   * Advance by at most one signature verification. Null while work remains; then the result, which every later
   * call returns again. Never throws.
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
 * doing the work in steps (see {@link ChainVerification}).
 */
export function createChainVerification(chain: Uint8Array[], opts: ChainVerificationOptions): ChainVerification {
  const run = verifySteps(chain, opts);
  let result: ChainVerificationResult | null = null;
  return {
    step() {
      if (result) return result;
      try {
        const next = run.next();
        if (next.done) result = next.value;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        result = { ok: false, reason: `certificate verification failed: ${message}` };
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

function* verifySteps(chain: Uint8Array[], opts: ChainVerificationOptions): Generator<void, ChainVerificationResult> {
  const maxLength = opts.maxChainLength ?? DEFAULT_MAX_CHAIN_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1) return refuse('maxChainLength must be a positive integer');
  if (!(opts.now instanceof Date) || Number.isNaN(opts.now.getTime())) return refuse('invalid verification time');
  if (chain.length === 0) return refuse('the server sent no certificate');

  const leaf = parseBounded(chain[0]);
  if (typeof leaf === 'string') return refuse(`certificate could not be parsed: ${leaf}`);
  const anchors = anchorsFor(opts.roots);

  if (anchors.some((a) => bytesEqual(a.subject, leaf.subject) && bytesEqual(a.spki, leaf.spki))) {
    return outcome(pinnedLeafProblem(leaf, opts.hostname, opts.now));
  }
  if (isSelfIssued(leaf)) return refuse(`self-signed certificate not trusted: ${leaf.subjectName}`);
  const problem = leafProblem(leaf, opts.hostname, opts.now);
  if (problem) return refuse(problem);
  yield; // parsing and indexing the roots is a step of its own at interpreter speed

  const search = new PathSearch(
    chain.slice(1).map(parseBounded),
    anchors,
    opts.crypto ?? pureCrypto,
    opts.now,
    maxLength,
  );
  return (yield* search.extend([leaf])) ? { ok: true } : refuse(search.failureReason());
}

interface Anchor {
  der: Uint8Array;
  subject: Uint8Array;
  spki: Uint8Array;
  /** Parsed on first use: most roots of a store are never candidates. */
  parsed?: Certificate | string;
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
  private firstProblem: string | null = null;
  private missing: { depth: number; reason: string } | null = null;

  constructor(
    /** The server's other certificates, parsed, or why they could not be. */
    private readonly intermediates: (Certificate | string)[],
    private readonly anchors: Anchor[],
    private readonly crypto: CryptoProvider,
    private readonly now: Date,
    private readonly maxLength: number,
  ) {}

  /** Try to complete `path` (leaf first) up to a trust anchor; true when found, with every signature checked. */
  *extend(path: Certificate[]): Generator<void, boolean> {
    const child = path[path.length - 1];
    let candidates = 0;
    for (const anchor of this.anchors) {
      if (this.exhausted) return false;
      if (!bytesEqual(anchor.subject, child.issuer)) continue;
      candidates++;
      const root = this.anchorCertificate(anchor);
      if (typeof root === 'string') {
        this.note(root);
        continue;
      }
      const problem = path.length + 1 > this.maxLength ? this.tooLong() : nameConstraintsProblem(root, path);
      if (problem) this.note(problem);
      else if (yield* this.signatureValid(child, root)) return true;
    }
    for (const candidate of this.intermediates) {
      if (this.exhausted) return false;
      if (typeof candidate === 'string' || !bytesEqual(candidate.subject, child.issuer)) continue;
      if (path.some((c) => bytesEqual(c.subject, candidate.subject) && bytesEqual(c.spki, candidate.spki))) continue;
      candidates++;
      const problem =
        path.length + 2 > this.maxLength ? this.tooLong() : intermediateProblem(candidate, path, this.now);
      if (problem) {
        this.note(problem);
        continue;
      }
      if (!(yield* this.signatureValid(child, candidate))) continue;
      path.push(candidate);
      if (yield* this.extend(path)) return true;
      path.pop();
    }
    if (candidates === 0) this.noteMissing(child, path.length);
    return false;
  }

  /** Why no path was found: the first specific refusal met, else the deepest certificate without an issuer. */
  failureReason(): string {
    const reason = this.firstProblem ?? this.missing?.reason ?? 'no path to a trusted root';
    const unparsed = this.intermediates
      .map((c, i) => (typeof c === 'string' ? `certificate ${i + 2} of the chain could not be parsed: ${c}` : ''))
      .filter((s) => s !== '');
    return [reason, ...unparsed].join('; ');
  }

  private *signatureValid(child: Certificate, issuer: Certificate): Generator<void, boolean> {
    const check = signatureCheck(child, issuer);
    if (typeof check === 'string') {
      this.note(check);
      return false;
    }
    let byIssuer = this.verified.get(child);
    if (!byIssuer) this.verified.set(child, (byIssuer = new Map()));
    let ok = byIssuer.get(issuer);
    if (ok === undefined) {
      if (this.signatureChecks === MAX_SIGNATURE_CHECKS) {
        this.exhausted = true;
        this.note(`gave up building a path after ${MAX_SIGNATURE_CHECKS} signature checks`);
        return false;
      }
      this.signatureChecks++;
      ok = this.crypto.verify(check.alg, check.key, child.tbs, child.signature);
      byIssuer.set(issuer, ok);
      yield;
    }
    if (!ok) this.note(`bad certificate signature: ${child.subjectName} (issuer ${issuer.subjectName})`);
    return ok;
  }

  private anchorCertificate(anchor: Anchor): Certificate | string {
    if (anchor.parsed === undefined) {
      const parsed = parseBounded(anchor.der);
      anchor.parsed = typeof parsed === 'string' ? `trusted root could not be parsed: ${parsed}` : parsed;
    }
    return anchor.parsed;
  }

  private tooLong(): string {
    return `certificate chain too long (more than ${this.maxLength} certificates)`;
  }

  private note(problem: string): void {
    this.firstProblem ??= problem;
  }

  private noteMissing(cert: Certificate, depth: number): void {
    if (this.missing && this.missing.depth >= depth) return;
    const reason = isSelfIssued(cert)
      ? `certificate chain ends in an untrusted self-signed certificate: ${cert.subjectName}`
      : `unable to find issuer "${cert.issuerName}" of ${cert.subjectName} (missing intermediate or untrusted root)`;
    this.missing = { depth, reason };
  }
}

function parseBounded(der: Uint8Array): Certificate | string {
  if (der.length > MAX_CERTIFICATE_BYTES) {
    return `certificate too large (${der.length} bytes, limit ${MAX_CERTIFICATE_BYTES})`;
  }
  try {
    return parseCertificate(der);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function refuse(reason: string): ChainVerificationResult {
  return { ok: false, reason };
}

function outcome(problem: string | null): ChainVerificationResult {
  return problem ? refuse(problem) : { ok: true };
}
