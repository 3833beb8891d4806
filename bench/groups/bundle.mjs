// Size of the embedded bundle, min+gzip KB, as bench/bundle-size.mjs measures it (npm run bench builds dist/ first).
import { embeddedBundleGzipKB } from '../bundle-size.mjs';

export async function run(ctx) {
  ctx.results.bundle_kb_gz = embeddedBundleGzipKB();
}
