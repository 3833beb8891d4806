// Builds dist/: the Node entry (Node platform preselected), the embedded entry (platform neutral, ESM and IIFE with
// the global `tickhttp`), and the demo. `node esbuild.config.mjs` builds everything.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { bundle: true, sourcemap: true, target: 'es2020', logLevel: 'warning', legalComments: 'none' };

// The embedded bundle takes nothing from its host but ES2020 + BigInt. Dependencies feature-test a few Web globals
// at load time: @noble/curves probes crypto.getRandomValues (for optional scalar blinding), fflate builds a
// TextDecoder. Defining them away makes the bundle behave the same on every host, whether or not that host happens
// to offer them; all randomness comes from the platform's randomBytes, all text coding from engine-module/bytes.
const embedded = { ...common, platform: 'neutral', mainFields: ['module', 'main'],
  define: { 'globalThis.crypto': 'undefined', TextDecoder: 'undefined', TextEncoder: 'undefined' } };

const builds = [
  { ...common, entryPoints: ['engine-module/node.ts'], outfile: 'dist/node.js', platform: 'node', format: 'esm',
    packages: 'external' },
  { ...embedded, entryPoints: ['engine-module/embedded.ts'], outfile: 'dist/embedded.js', format: 'esm' },
  { ...embedded, entryPoints: ['engine-module/embedded.ts'], outfile: 'dist/embedded.iife.js', format: 'iife',
    globalName: 'tickhttp' },
  { ...embedded, entryPoints: ['engine-module/embedded.ts'], outfile: 'dist/embedded.min.js', format: 'esm',
    minify: true, sourcemap: false },
];
if (existsSync('demo/main.ts')) {
  builds.push({ ...common, entryPoints: ['demo/main.ts'], outfile: 'dist/demo.js', platform: 'node', format: 'esm',
    packages: 'external' });
}

await Promise.all(builds.map((b) => build(b)));
