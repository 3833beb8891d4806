// `npm run fuzz -- --cases N [--seed S] [--jobs J] [--case I]`: bundles fuzz/main.ts (TypeScript, imports the
// engine sources directly) into a temporary file and runs it. See fuzz/main.ts for the options.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(tmpdir(), 'tickhttp-fuzz-'));
const outfile = path.join(dir, 'fuzz.mjs');
try {
  await build({
    entryPoints: [path.join(root, 'fuzz/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // node-forge is CommonJS; give the ESM bundle a require() for its Node built-ins.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const args = [outfile, '--root', root, ...process.argv.slice(2)];
  const { status } = spawnSync(process.execPath, args, { stdio: 'inherit' });
  process.exitCode = status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
