/**
 * The demo's command line: options, their checks and the help text. Runtime-neutral: the web page checks its address
 * with the same parser.
 */

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
  /** Serve the demo as a web page instead of playing in the terminal. */
  web: boolean;
  /** Where --web --ci saves the page's screenshot; null for the system's temporary folder. */
  screenshot: string | null;
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
  --web             the same game in a browser page: serves the page and a plain-HTTP backend on 127.0.0.1,
                    prints the page's URL and serves until Ctrl-C (the browser does TLS; see the README)
  --web --ci        plays the page with the bot in headless Chromium (/usr/bin/chromium) and checks it
  --screenshot FILE where --web --ci saves the page as PNG (default: in the temporary folder)
  --help            show this text

${EXIT_CODES}`;

const DEFAULTS: DemoOptions = {
  server: null, ca: null, plain: false, tickRate: 60, provider: 'node', ci: false, web: false, screenshot: null, player: 'you', seed: null, help: false,
};

const WITH_VALUE = new Set(['--server', '--ca', '--tick-rate', '--provider', '--player', '--seed', '--screenshot']);

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
  if (options.web && (options.ca || options.provider !== DEFAULTS.provider)) {
    return { ok: false, error: '--web: the browser does TLS with its own roots, so --ca and --provider do not apply' };
  }
  if (options.screenshot && !(options.web && options.ci)) return { ok: false, error: '--screenshot is for --web --ci' };
  return { ok: true, options };
}

function apply(options: DemoOptions, name: string, value: string): string | null {
  switch (name) {
    case '--help': case '-h': options.help = true; return null;
    case '--plain': options.plain = true; return null;
    case '--ci': options.ci = true; return null;
    case '--web': options.web = true; return null;
    case '--server': {
      if (!/^https?:\/\/[^/\s]+\/?$/.test(value)) return `--server wants http://host[:port] or https://host[:port], not "${value}"`;
      options.server = value.replace(/\/$/, '');
      return null;
    }
    case '--ca': options.ca = value; return null;
    case '--screenshot': options.screenshot = value; return null;
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
