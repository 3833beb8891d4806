// Godot 3.2's own HTTPClient as a peer: bench/peers/godot/download.gd run headless by godot3-server, one process
// per download, the download timed inside Godot (its startup is not counted). TLS trusts the bench CA through a
// project made for the run whose `network/ssl/certificates` names the CA file (how Godot 3.2 takes extra roots);
// Godot's mbedTLS speaks TLS 1.2 at most and checks DNS names only, so it connects to `localhost`.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const GODOT = 'godot3-server';
const SCRIPT = fileURLToPath(new URL('./godot/download.gd', import.meta.url));
const PROJECT = fileURLToPath(new URL('../.tmp/godot-project/', import.meta.url));

/** Null when godot3-server runs, else why it cannot be used. */
export function godotMissing() {
  // Godot 3 prints its version and exits 255.
  const r = spawnSync(GODOT, ['--version'], { timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] });
  if (r.error) {
    return `${GODOT} not usable (${r.error.code === 'ENOENT' ? 'not on the PATH; apt-get install -y godot3-server'
      : r.error.message})`;
  }
  const version = String(r.stdout).trim();
  return /^3\./.test(version) ? null : `${GODOT} is not Godot 3 (version "${version}")`;
}

/** A project directory whose settings make Godot trust `rootPem` (and only it). */
function project(rootPem) {
  mkdirSync(PROJECT, { recursive: true });
  writeFileSync(`${PROJECT}bench-ca.crt`, rootPem);
  writeFileSync(`${PROJECT}project.godot`,
    `config_version=4\n\n[network]\n\nssl/certificates="${PROJECT}bench-ca.crt"\n`);
  return PROJECT;
}

/**
 * A Godot download client: `download(path)` resolves with `{ bytes, ms }` timed inside Godot, after a warm-up GET
 * of `warmPath` on the same connection.
 */
export function godotClient({ port, tls, rootPem, warmPath }) {
  const dir = project(rootPem);
  const host = tls ? 'localhost' : '127.0.0.1';
  return {
    name: `godot${tls ? ' tls' : ''}`,
    download(path) {
      const args = ['--no-window', '--path', dir, '-s', SCRIPT, '--', host, String(port), tls ? '1' : '0', path, warmPath];
      return new Promise((resolve, reject) => {
        execFile(GODOT, args, { timeout: 300_000, maxBuffer: 1 << 20 }, (error, stdout) => {
          const result = /^RESULT (\d+) (\d+)$/m.exec(stdout);
          if (result) return resolve({ bytes: Number(result[1]), ms: Number(result[2]) / 1000 });
          const why = /^ERROR (.*)$/m.exec(stdout)?.[1] ?? error?.message ?? 'no result line';
          reject(new Error(`godot ${tls ? 'https' : 'http'} ${path}: ${why}`));
        });
      });
    },
  };
}
