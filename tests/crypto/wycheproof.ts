// Loading Wycheproof files from tests/fixtures/wycheproof and keeping score, so a group that is skipped or a
// file that shrinks cannot pass unnoticed: every test asserts how many vectors it checked and skipped.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromHex } from '../../engine-module/bytes/bytes.js';
import type { HashName } from '../../engine-module/tls/crypto/provider.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VECTORS_DIR = path.resolve(repoRoot, 'tests/fixtures/wycheproof');

export type Result = 'valid' | 'invalid' | 'acceptable';

export interface VectorTest {
  tcId: number;
  comment: string;
  flags: string[];
  result: Result;
  [field: string]: unknown;
}

export interface VectorGroup {
  tests: VectorTest[];
  [field: string]: unknown;
}

export interface VectorFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: VectorGroup[];
}

export function loadVectors(name: string): VectorFile {
  return JSON.parse(readFileSync(path.join(VECTORS_DIR, name), 'utf8')) as VectorFile;
}

/** A hex field of a test or group, as bytes. */
export function hexField(record: { [field: string]: unknown }, field: string): Uint8Array {
  const value = record[field];
  if (typeof value !== 'string') throw new Error(`missing hex field ${field}`);
  return fromHex(value);
}

/** Wycheproof's "SHA-256" style names as provider names. */
export function hashName(sha: unknown): HashName {
  const names: Record<string, HashName> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
  const name = typeof sha === 'string' ? names[sha] : undefined;
  if (name === undefined) throw new Error(`unexpected hash ${String(sha)}`);
  return name;
}

/** Counts per outcome and the failures, each naming its tcId. */
export class Tally {
  readonly counts: Record<string, number> = {};
  readonly failures: string[] = [];

  count(what: string): void {
    this.counts[what] = (this.counts[what] ?? 0) + 1;
  }

  fail(test: VectorTest, why: string): void {
    this.failures.push(`tcId ${test.tcId} (${test.result}; ${test.flags.join(',')}; ${test.comment}): ${why}`);
  }

  /** Total of all counts: must equal the file's numberOfTests. */
  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}

/** Wall time a file's checks may run before they let the test runner's own messages through. */
const YIELD_EVERY_MS = 1000;

/**
 * Run `check` over every test of every group. A file of slow pure-JavaScript checks runs for tens of seconds on a
 * busy machine; without a pause the test worker answers none of the runner's messages meanwhile, and the runner
 * reports a timeout although every check passed.
 */
export async function eachTest(file: VectorFile, check: (group: VectorGroup, test: VectorTest) => void): Promise<void> {
  let since = performance.now();
  for (const group of file.testGroups) {
    for (const test of group.tests) {
      check(group, test);
      if (performance.now() - since < YIELD_EVERY_MS) continue;
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
}
