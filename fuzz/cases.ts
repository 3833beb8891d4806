// One fuzz case from one 32-bit seed: the kind of case and all of its input come from the seed, so a finding is
// reproduced by running the same seed again.

import { Method } from '../engine-module/http/constants.js';
import type { CryptoProvider } from '../engine-module/tls/crypto/provider.js';
import { generatedResponse, type Seed } from './corpus.js';
import { outcomeSignature, runHttpCase, type HttpCase } from './http-case.js';
import { applyMutations, randomCuts, randomMutations, type Mutation } from './mutations.js';
import { createRng, type Rng } from './rng.js';
import { randomRecordsAfterPrefix, recordBoundaries, runTlsReplayCase } from './tls-case.js';
import type { TlsRecording } from './tls-recording.js';

/** What the cases draw from. */
export interface FuzzContext {
  seeds: Seed[];
  recordings: TlsRecording[];
  crypto: CryptoProvider;
}

/** A case's result: its kind, a description to reproduce it by hand, and the broken properties. */
export interface CaseResult {
  kind: string;
  input: string;
  violations: string[];
}

/** Share of TLS cases (they cost a handshake each; HTTP cases are cheap). */
const TLS_SHARE = 0.12;

/** The seed of case `index` of a run with `runSeed`. */
export function caseSeed(runSeed: number, index: number): number {
  let h = (runSeed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Run the case for `seed`. */
export function runCase(ctx: FuzzContext, seed: number): CaseResult {
  const rng = createRng(seed);
  return rng.next() < TLS_SHARE ? tlsCase(ctx, rng) : httpCase(ctx, rng);
}

function httpCase(ctx: FuzzContext, rng: Rng): CaseResult {
  const seed = rng.int(10) === 0 ? generatedResponse(rng, rng.int(4) ? 2000 : 70_000) : rng.pick(ctx.seeds);
  const mutations = rng.int(5) === 0 ? [] : randomMutations(rng, 1, 6);
  const bytes = applyMutations(seed.bytes, mutations);
  const c: HttpCase = {
    bytes,
    cuts: randomCuts(rng, bytes.length, rng.int(3) ? 6 : 40),
    method: rng.pick([Method.GET, Method.GET, Method.GET, Method.HEAD, Method.POST]),
    end: rng.int(4) ? 'close' : 'reset',
    client: rng.int(3) ? undefined : { maxHeadBytes: 256 + rng.int(4000), maxHeaderCount: 1 + rng.int(60) },
    readChunkSize: rng.int(2) ? undefined : 256 + rng.int(4000),
  };
  const out = runHttpCase(c);
  const violations = [...out.violations];
  if (mutations.length === 0 && c.cuts!.length > 0) {
    // The same bytes in one piece must end the same way.
    const whole = runHttpCase({ ...c, cuts: [] });
    if (outcomeSignature(whole) !== outcomeSignature(out)) {
      violations.push(`split changes the outcome: whole ${outcomeSignature(whole).slice(0, 200)} / split ${outcomeSignature(out).slice(0, 200)}`);
    }
  }
  return { kind: 'http', input: describeHttp(seed.id, mutations, c), violations };
}

function tlsCase(ctx: FuzzContext, rng: Rng): CaseResult {
  const rec = rng.pick(ctx.recordings);
  const style = rng.int(3);
  if (style === 0) {
    const serverBytes = randomRecordsAfterPrefix(rng, rec);
    const out = runTlsReplayCase(rec, ctx.crypto, { serverBytes, cuts: randomCuts(rng, serverBytes.length, 6) });
    return { kind: `tls-random-records ${rec.version}`, input: Buffer.from(serverBytes).toString('base64'), violations: out.violations };
  }
  // Mutations mostly inside the handshake, where the parsers are; the rest anywhere (records, application data).
  const bounds = recordBoundaries(rec.serverBytes);
  const handshakeEnd = bounds[Math.min(bounds.length - 1, 8)];
  const mutations = randomMutations(rng, 1, 4).map((m) => (rng.int(5) ? { ...m, at: m.at % handshakeEnd } : m));
  const cuts = style === 1 ? randomCuts(rng, rec.serverBytes.length, 10) : bounds.slice(1, -1).filter(() => rng.int(2) === 0);
  const out = runTlsReplayCase(rec, ctx.crypto, { mutations, cuts });
  return { kind: `tls-replay ${rec.version}`, input: JSON.stringify({ mutations, cuts }), violations: out.violations };
}

function describeHttp(id: string, mutations: Mutation[], c: HttpCase): string {
  return JSON.stringify({ seed: id, mutations, cuts: c.cuts, method: c.method, end: c.end, client: c.client, readChunkSize: c.readChunkSize });
}
