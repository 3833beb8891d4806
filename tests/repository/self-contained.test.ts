// The repository stands alone: no file of its code, tests, fuzzer, bench or demo names a path outside it. A clone
// with a sibling folder would otherwise pass here and fail for the next person.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCANNED = ['engine-module', 'tests', 'fuzz', 'bench', 'demo', 'examples', 'scripts', '.ci'];
const SOURCE = /\.(ts|mts|mjs|js|cjs|sh)$|^run$/;

function* sourceFiles(dir: string): Generator<string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === 'node_modules' || name === 'fixtures' || name === 'dist') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (SOURCE.test(name)) yield full;
  }
}

const inside = (p: string) => {
  const rel = path.relative(repoRoot, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** Quoted strings climbing with `..` on lines that load or join paths (URL test tables climb too, harmlessly). */
function climbingPaths(text: string): string[] {
  const literal = /(['"`])(\.\.?(?:\/[^'"`\s]*)?)\1/g;
  return text
    .split('\n')
    .filter((line) => /\bfrom\b|import\(|require\(|path\.|resolve\(|join\(|File|Dir|URL\(|cd |source /.test(line))
    .flatMap((line) => [...line.matchAll(literal)].map((m) => m[2]!))
    .filter((value) => value.split('/').includes('..'));
}

/** Why `file` reaches outside the repository, or null. */
export function escapes(file: string, text: string): string | null {
  if (/\.\.\/shared\/|shared\/(vectors|corpora)|['"`]\/work\//.test(text)) return 'names a folder outside the repository';
  for (const literal of climbingPaths(text))
    if (!inside(path.resolve(path.dirname(file), literal))) return `${literal} resolves outside the repository`;
  return null;
}

describe('the repository is self-contained', () => {
  it('finds the files it scans', () => {
    const files = SCANNED.flatMap((d) => [...sourceFiles(path.join(repoRoot, d))]);
    expect(files.length).toBeGreaterThan(100);
  });

  it('no file names a path outside the repository', () => {
    const offenders: string[] = [];
    for (const dir of SCANNED)
      for (const file of sourceFiles(path.join(repoRoot, dir))) {
        if (file === fileURLToPath(import.meta.url)) continue;
        const why = escapes(file, readFileSync(file, 'utf8'));
        if (why) offenders.push(`${path.relative(repoRoot, file)}: ${why}`);
      }
    expect(offenders).toEqual([]);
  });

  it('the check itself catches the ways out', () => {
    const file = path.join(repoRoot, 'tests/http/x.test.ts');
    const handOver = ['..', 'shared', 'corpora'].join('/'); // spelled apart so this file passes its own check
    expect(escapes(file, `path.resolve(repoRoot, '${handOver}')`)).toMatch(/outside/);
    expect(escapes(file, "readFileSync('../../../data/x.json')")).toMatch(/outside/);
    expect(escapes(file, "readFileSync('/work/data/x.json')")).toMatch(/outside/);
    expect(escapes(file, "import { a } from '../../engine-module/index.js';")).toBeNull();
    expect(escapes(file, "const repoRoot = path.resolve(here, '../..');")).toBeNull();
  });
});
