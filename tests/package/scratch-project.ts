// The package as a consumer gets it: `npm pack` of the built repository, the tarball unpacked into a scratch project's
// node_modules, and the package's dependencies (bitecs, its peer, among them) linked from the repository's own
// node_modules, so nothing is fetched from a registry.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { typecheckProject } from '../helpers/tsc.js';

const run = promisify(execFile);
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** What `npm pack --json` reports about the tarball. */
export interface PackReport {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

export interface ScratchProject {
  dir: string;
  pack: PackReport;
  /** The package.json inside the tarball. */
  manifest: {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    scripts?: Record<string, string>;
    exports: unknown;
  };
  /** Run `node [args]` in the project; stdout. */
  node(args: string[]): Promise<string>;
  remove(): void;
}

/** Pack the repository as built (dist/ must exist: `npm test` builds first) and install it into a scratch project. */
export async function scratchProject(): Promise<ScratchProject> {
  if (!existsSync(path.join(REPO, 'dist/node.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const dir = mkdtempSync(path.join(tmpdir(), 'tickhttp-consumer-'));
  // --ignore-scripts: the prepack build already ran as part of `npm test`; rebuilding here would rewrite dist/ under
  // the other test files that load it.
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
    cwd: REPO,
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  const pack = (JSON.parse(stdout) as PackReport[])[0]!;
  const modules = path.join(dir, 'node_modules');
  const installed = path.join(modules, 'tickhttp');
  mkdirSync(installed, { recursive: true });
  await run('tar', ['-xzf', path.join(dir, pack.filename), '-C', installed, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as ScratchProject['manifest'];
  for (const name of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    const from = path.join(REPO, 'node_modules', name);
    if (!existsSync(from)) throw new Error(`${name}, a dependency of the package, is not installed in the repository`);
    mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    symlinkSync(from, path.join(modules, name), 'dir');
  }
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  return {
    dir,
    pack,
    manifest,
    node: async (args) => (await run(process.execPath, args, { cwd: dir })).stdout,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Type-check `files` (name → source) in `dir` as one project named `name`, with `options` (tsconfig compilerOptions)
 * on top of strict settings; tsc's diagnostics, none when the check passes.
 */
export function typecheck(
  dir: string,
  name: string,
  files: Record<string, string>,
  options: Record<string, unknown>,
): Promise<string[]> {
  for (const [file, source] of Object.entries(files)) writeFileSync(path.join(dir, file), source);
  const compilerOptions = {
    strict: true, noUncheckedIndexedAccess: true, noEmit: true, skipLibCheck: false, types: [], lib: ['ES2022'],
    target: 'ES2022', ...options,
  };
  const project = path.join(dir, `tsconfig.${name}.json`);
  writeFileSync(project, JSON.stringify({ compilerOptions, files: Object.keys(files) }));
  return typecheckProject(project);
}
