// Size of the embedded bundle as shipped: minified, then gzip level 9. `node bench/bundle-size.mjs` prints it;
// the bench runner imports embeddedBundleGzipKB(). Build first (`node esbuild.config.mjs`).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const MIN_BUNDLE = fileURLToPath(new URL('../build/embedded.min.js', import.meta.url));

/** Budget for the embedded bundle without a root store, in KB (1024 bytes) after min+gzip. */
export const EMBEDDED_BUDGET_KB = 150;

/** Minified and min+gzip sizes of build/embedded.min.js in bytes. */
export function embeddedBundleSizes(file = MIN_BUNDLE) {
  const min = readFileSync(file);
  return { minBytes: min.length, gzipBytes: gzipSync(min, { level: 9 }).length };
}

const toKB = (bytes) => Math.round((bytes / 1024) * 10) / 10;

/** The min+gzip size of build/embedded.min.js in KB (1024 bytes), one decimal. */
export function embeddedBundleGzipKB(file = MIN_BUNDLE) {
  return toKB(embeddedBundleSizes(file).gzipBytes);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { minBytes, gzipBytes } = embeddedBundleSizes();
  const kb = toKB(gzipBytes);
  console.log(`build/embedded.min.js: ${toKB(minBytes)} KB min, ${kb} KB min+gzip ` +
    `(budget ${EMBEDDED_BUDGET_KB} KB: ${kb <= EMBEDDED_BUDGET_KB ? 'within' : 'OVER'})`);
}
