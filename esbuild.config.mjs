// Builds the library into dist/ (what the package ships) and the demo and the size-measured minified bundle into
// build/ (never shipped). `--clean` empties dist/ first, as `npm run build` (and so `npm pack`) does, so nothing stale
// ships; without it the declarations already in dist/ stay.
// `node esbuild.config.mjs` builds everything; the declarations come from `tsc -p tsconfig.build.json`.
//
// Each entry is built as ESM and as CommonJS (the package's `require` condition, so `require('tickhttp')` works on
// Node 20). No source maps ship: they would point at sources the package does not contain.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const library = { bundle: true, target: 'es2020', logLevel: 'warning', legalComments: 'none' };

// The embedded bundle takes nothing from its host but ES2020 + BigInt. Dependencies feature-test a few Web globals
// at load time: @noble/curves probes crypto.getRandomValues (for optional scalar blinding), fflate builds a
// TextDecoder. Defining them away makes the bundle behave the same on every host, whether or not that host happens
// to offer them; all randomness comes from the platform's randomBytes, all text coding from engine-module/bytes.
const embedded = { ...library, platform: 'neutral', mainFields: ['module', 'main'],
  define: { 'globalThis.crypto': 'undefined', TextDecoder: 'undefined', TextEncoder: 'undefined' } };

// Node resolves the dependencies (bitecs among them, a peer) from the consumer's node_modules.
const node = { ...library, platform: 'node', packages: 'external' };
// The browser entry leaves them to the page's bundler too, so the game's bitecs and the HTTP systems' are one copy.
const web = { ...library, platform: 'browser', packages: 'external' };

/** The ESM and CommonJS builds of one entry: dist/<name>.js and dist/<name>.cjs. */
function esmAndCjs(options, name) {
  const entryPoints = [`engine-module/${name}.ts`];
  return [
    { ...options, entryPoints, outfile: `dist/${name}.js`, format: 'esm' },
    { ...options, entryPoints, outfile: `dist/${name}.cjs`, format: 'cjs' },
  ];
}

const builds = [
  ...esmAndCjs(node, 'node'),
  ...esmAndCjs(embedded, 'embedded'),
  ...esmAndCjs(web, 'web'),
  // `tickhttp/testing`: platform neutral, so a game's tests load it on Node, in a browser or in an embedded runtime.
  ...esmAndCjs(embedded, 'testing'),
  // For script hosts without a module loader: defines the global `tickhttp`.
  { ...embedded, entryPoints: ['engine-module/embedded.ts'], outfile: 'dist/embedded.iife.js', format: 'iife',
    globalName: 'tickhttp' },
  // What `npm run bench` weighs as the embedded bundle's size.
  { ...embedded, entryPoints: ['engine-module/embedded.ts'], outfile: 'build/embedded.min.js', format: 'esm',
    minify: true },
];
if (existsSync('demo/main.ts')) {
  builds.push({ ...node, entryPoints: ['demo/main.ts'], outfile: 'build/demo.js', format: 'esm', sourcemap: true });
  // The web demo's page script, served beside the demo bundle; it carries its own bitecs and tickhttp.
  builds.push({ ...library, entryPoints: ['demo/web/page/main.ts'], outfile: 'build/demo-page.js', platform: 'browser',
    format: 'esm', sourcemap: true });
}

if (process.argv.includes('--clean')) rmSync('dist', { recursive: true, force: true });
await Promise.all(builds.map((b) => build(b)));
