// Builds a tickhttp bench client (bench/clients/<name>.ts, importing engine-module sources) with esbuild and loads
// it. A client whose layer is not written yet fails to build; the caller reports its figures as null.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const OUT_DIR = fileURLToPath(new URL('./.tmp/', import.meta.url));

/** Path of the built bundle for `name` (built on first use). */
export async function buildClient(name) {
  const entry = fileURLToPath(new URL(`./clients/${name}.ts`, import.meta.url));
  if (!existsSync(entry)) throw new Error(`bench/clients/${name}.ts not written (layer missing)`);
  const outfile = `${OUT_DIR}${name}.mjs`;
  await build({
    entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'es2022',
    packages: 'external', sourcemap: 'linked', logLevel: 'silent',
  });
  return outfile;
}

/** Build and import `name`; its module namespace. */
export async function loadClient(name) {
  return import(pathToFileURL(await buildClient(name)).href);
}
