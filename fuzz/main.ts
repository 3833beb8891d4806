// The long-run fuzzer: `npm run fuzz -- --cases N [--seed S] [--jobs J] [--case I]`. Runs N cases (HTTP response
// mutations and splits through HTTPClient, TLS record/handshake mutations through the engine), prints the seed so a
// run can be repeated, reports every finding with the case index that reproduces it, exits 1 on any finding.

import { cpus } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { nodeCrypto } from '../engine-module/platform/node-crypto.js';
import { runCase, caseSeed, type CaseResult, type FuzzContext } from './cases.js';
import { corporaDir, loadResponseSeeds } from './corpus.js';
import { instrument } from './instrument.js';
import { makeLoopbackPki } from './pki.js';
import { recordTlsSession, type TlsRecording } from './tls-recording.js';

interface Options {
  cases: number;
  seed: number;
  jobs: number;
  /** Run only this case index (reproduction). */
  only: number | null;
  repoRoot: string;
}

interface Finding extends CaseResult {
  index: number;
}

interface WorkerInput {
  options: Options;
  recordings: TlsRecording[];
  job: number;
}

type WorkerMessage = { type: 'progress'; done: number } | { type: 'finding'; finding: Finding } | { type: 'done'; done: number };

const MAX_PRINTED_FINDINGS = 50;

function parseArgs(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (name: string, fallback: number) => {
    const v = get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
    return n;
  };
  return {
    cases: int('cases', 10_000),
    seed: int('seed', (Date.now() ^ (process.pid << 16)) >>> 0) >>> 0,
    jobs: Math.max(1, int('jobs', Math.min(2, cpus().length))),
    only: get('case') === undefined ? null : int('case', 0),
    repoRoot: get('root') ?? process.cwd(),
  };
}

function context(options: Options, recordings: TlsRecording[]): FuzzContext {
  instrument();
  return { seeds: loadResponseSeeds(corporaDir(options.repoRoot)), recordings, crypto: nodeCrypto };
}

/** Run case indices job, job + jobs, ... reporting progress and findings through `report`. */
function runShare(input: WorkerInput, report: (m: WorkerMessage) => void): void {
  const { options, job } = input;
  const ctx = context(options, input.recordings);
  let done = 0;
  let last = Date.now();
  for (let index = job; index < options.cases; index += options.jobs) {
    let result: CaseResult;
    try {
      result = runCase(ctx, caseSeed(options.seed, index));
    } catch (e) {
      // A throw out of the harness itself means an exception escaped a layer under test.
      result = { kind: 'harness', input: '', violations: [`exception escaped: ${e instanceof Error ? e.stack : String(e)}`] };
    }
    if (result.violations.length > 0) report({ type: 'finding', finding: { ...result, index } });
    done++;
    if (Date.now() - last > 15_000) {
      report({ type: 'progress', done });
      done = 0;
      last = Date.now();
    }
  }
  report({ type: 'done', done });
}

async function record(): Promise<TlsRecording[]> {
  const pki = makeLoopbackPki();
  try {
    return [await recordTlsSession(pki, 'TLSv1.3', nodeCrypto), await recordTlsSession(pki, 'TLSv1.2', nodeCrypto)];
  } finally {
    pki.cleanup();
  }
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const recordings = await record();
  if (options.only !== null) {
    const ctx = context(options, recordings);
    const result = runCase(ctx, caseSeed(options.seed, options.only));
    console.log(JSON.stringify({ index: options.only, ...result }, null, 2));
    return result.violations.length ? 1 : 0;
  }
  const started = Date.now();
  console.log(`fuzz: ${options.cases} cases, seed ${options.seed}, ${options.jobs} job(s)`);
  console.log(`fuzz: reproduce a case with: npm run fuzz -- --seed ${options.seed} --case <index>`);
  let total = 0;
  const findings: Finding[] = [];
  const onMessage = (m: WorkerMessage) => {
    if (m.type === 'finding') {
      findings.push(m.finding);
      if (findings.length <= MAX_PRINTED_FINDINGS) {
        console.log(`FINDING case ${m.finding.index} (${m.finding.kind}): ${m.finding.violations.join(' | ').slice(0, 2000)}`);
        console.log(`  input: ${m.finding.input.slice(0, 2000)}`);
      }
      return;
    }
    total += m.done;
    if (m.type === 'progress') {
      const s = (Date.now() - started) / 1000;
      console.log(`fuzz: ${total} cases, ${(total / s).toFixed(0)} cases/s, ${findings.length} finding(s)`);
    }
  };
  await Promise.all(
    Array.from({ length: options.jobs }, (_, job) => {
      const w = new Worker(new URL(import.meta.url), { workerData: { options, recordings, job } satisfies WorkerInput });
      w.on('message', onMessage);
      return new Promise<void>((resolve, reject) => {
        w.on('error', reject);
        w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${job} exited with ${code}`))));
      });
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  console.log(`fuzz: done: ${total} cases in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} cases/s), seed ${options.seed}, ${findings.length} finding(s)`);
  return findings.length ? 1 : 0;
}

if (isMainThread) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(2);
    },
  );
} else {
  runShare(workerData as WorkerInput, (m) => parentPort!.postMessage(m));
}
