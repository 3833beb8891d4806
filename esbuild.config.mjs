// Builds dist/: the Node entry (Node platform preselected), the embedded entry (platform neutral, ESM and IIFE with
// the global `tickhttp`), and the demo. `node esbuild.config.mjs` builds everything.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { bundle: true, sourcemap: true, target: 'es2020', logLevel: 'warning', legalComments: 'none' };

const builds = [
  { ...common, entryPoints: ['engine-module/node.ts'], outfile: 'dist/node.js', platform: 'node', format: 'esm',
    packages: 'external' },
  { ...common, entryPoints: ['engine-module/embedded.ts'], outfile: 'dist/embedded.js', platform: 'neutral',
    format: 'esm', mainFields: ['module', 'main'] },
  { ...common, entryPoints: ['engine-module/embedded.ts'], outfile: 'dist/embedded.iife.js', platform: 'neutral',
    format: 'iife', globalName: 'tickhttp', mainFields: ['module', 'main'] },
  { ...common, entryPoints: ['engine-module/embedded.ts'], outfile: 'dist/embedded.min.js', platform: 'neutral',
    format: 'esm', minify: true, sourcemap: false, mainFields: ['module', 'main'] },
];
if (existsSync('demo/main.ts')) {
  builds.push({ ...common, entryPoints: ['demo/main.ts'], outfile: 'dist/demo.js', platform: 'node', format: 'esm',
    packages: 'external' });
}

await Promise.all(builds.map((b) => build(b)));
