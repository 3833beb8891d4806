/** The demo's command line: options, their checks and the help text. */
import { readFileSync } from 'node:fs';
import { pemToDer } from '../engine-module/node.js';

export type ProviderName = 'pure' | 'node';

export interface DemoOptions {
  /** Backend base URL; null starts the demo's own server. */
  server: string | null;
  /** PEM file with the CA to trust for an https --server. */
  ca: string | null;
  plain: boolean;
  tickRate: number;
  provider: ProviderName;
  ci: boolean;
  player: string;
  /** Game seed; null picks one at random. */
  seed: number | null;
  help: boolean;
}

export type ParsedOptions = { ok: true; options: DemoOptions } | { ok: false; error: string };

/** The exit codes, as --help and the README state them. */
export const EXIT_CODES = `Exit codes:
  0  every asset arrived intact and the score reached the leaderboard
  1  something failed on the way; the last line says what
  2  a usage error: a bad option, or a --ca file that cannot be read`;

export const USAGE = `Usage: npm run demo -- [options]      (or: node build/demo.js [options])

Starts a small game backend on 127.0.0.1 (HTTPS, with a CA made for this run), downloads the game's assets
through tickhttp inside a 60 Hz bitecs game loop, checks every asset's SHA-256, plays a short seeded game,
posts the score and shows the leaderboard, then prints frame statistics.

Options:
  --server URL      play against another backend (http://... or https://...) instead of starting one
  --ca FILE         PEM certificate(s) to trust for an https --server (default: the system roots)
  --plain           plain HTTP instead of HTTPS (for the demo's own server)
  --tick-rate N     game loop rate in ticks per second, 1 to 1000 (default 60)
  --provider NAME   TLS crypto: "node" (node:crypto, default) or "pure" (JavaScript only, as in embedded hosts)
  --player NAME     name on the leaderboard, 1 to 16 of A-Z a-z 0-9 space _ . - (default "you")
  --seed N          game seed, 0 to 4294967295 (default: random)
  --ci              no animation: plain log lines, same checks, same exit code
  --help            show this text

${EXIT_CODES}`;

const DEFAULTS: DemoOptions = {
  server: null, ca: null, plain: false, tickRate: 60, provider: 'node', ci: false, player: 'you', seed: null, help: false,
};

const WITH_VALUE = new Set(['--server', '--ca', '--tick-rate', '--provider', '--player', '--seed']);

/** Parse `argv` (without node and the script). Accepts `--name value` and `--name=value`. */
export function parseOptions(argv: string[]): ParsedOptions {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined;
    if (WITH_VALUE.has(name)) {
      value = eq > 0 && name !== arg ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) return { ok: false, error: `${name} needs a value` };
    } else if (name !== arg) {
      return { ok: false, error: `${name} takes no value` };
    }
    const error = apply(options, name, value ?? '');
    if (error) return { ok: false, error };
  }
  if (options.server) {
    const secure = options.server.startsWith('https://');
    if (options.plain && secure) return { ok: false, error: '--plain contradicts an https:// --server' };
    if (options.ca && !secure) return { ok: false, error: '--ca needs an https:// --server' };
  } else if (options.ca) {
    return { ok: false, error: '--ca is for --server; the demo trusts its own server\'s CA by itself' };
  }
  return { ok: true, options };
}

function apply(options: DemoOptions, name: string, value: string): string | null {
  switch (name) {
    case '--help': case '-h': options.help = true; return null;
    case '--plain': options.plain = true; return null;
    case '--ci': options.ci = true; return null;
    case '--server': {
      if (!/^https?:\/\/[^/\s]+\/?$/.test(value)) return `--server wants http://host[:port] or https://host[:port], not "${value}"`;
      options.server = value.replace(/\/$/, '');
      return null;
    }
    case '--ca': options.ca = value; return null;
    case '--tick-rate': {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < 1 || n > 1000) return `--tick-rate wants an integer from 1 to 1000, not "${value}"`;
      options.tickRate = n;
      return null;
    }
    case '--provider': {
      if (value !== 'pure' && value !== 'node') return `--provider wants "pure" or "node", not "${value}"`;
      options.provider = value;
      return null;
    }
    case '--player': {
      if (!/^[A-Za-z0-9 _.-]{1,16}$/.test(value)) return `--player wants 1 to 16 of A-Z a-z 0-9 space _ . -, not "${value}"`;
      options.player = value;
      return null;
    }
    case '--seed': {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n > 0xffff_ffff) return `--seed wants an integer from 0 to 4294967295, not "${value}"`;
      options.seed = n;
      return null;
    }
    default: return `unknown option "${name}" (see --help)`;
  }
}

/** A mistake in the command line (exit code 2), as opposed to a failure of the run (exit code 1). */
export class UsageError extends Error {}

/** The PEM text of a --ca file; a UsageError saying why when it cannot be read or holds no certificate. */
export function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a PEM file'
      : code === 'EACCES' ? 'not readable (permission denied)' : `cannot be read (${code ?? String(error)})`;
    throw new UsageError(`--ca ${path}: ${why}`);
  }
  let certificates: number;
  try {
    certificates = pemToDer(pem).length;
  } catch (error) {
    throw new UsageError(`--ca ${path}: ${(error as Error).message}`);
  }
  if (certificates === 0) throw new UsageError(`--ca ${path}: no "BEGIN CERTIFICATE" block in it`);
  return pem;
}
