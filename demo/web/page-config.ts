/**
 * The page's settings, from its address: `?server=URL&player=NAME&seed=N&tick-rate=N&bot=1`. The values are checked
 * by the demo's own option parser, so the page accepts exactly what `npm run demo` accepts, with the same words.
 */
import { parseOptions } from '../cli.js';
import { PAGE_PARAMS } from './report.js';

export interface PageConfig {
  server: string;
  player: string;
  seed: number | null;
  tickRate: number;
  bot: boolean;
}

export type ParsedConfig = { ok: true; config: PageConfig } | { ok: false; error: string };

/** Read the settings from a query string such as `location.search`. */
export function pageConfig(search: string): ParsedConfig {
  const query = new URLSearchParams(search);
  const argv: string[] = [];
  for (const name of [PAGE_PARAMS.server, PAGE_PARAMS.player, PAGE_PARAMS.seed, PAGE_PARAMS.tickRate]) {
    const value = query.get(name);
    if (value !== null) argv.push(`--${name}=${value}`);
  }
  const parsed = parseOptions(argv);
  if (!parsed.ok) return { ok: false, error: `the page's address: ${parsed.error.replace(/--([a-z-]+)/g, '?$1=')}` };
  const { server, player, seed, tickRate } = parsed.options;
  if (!server) {
    return { ok: false, error: 'the page\'s address names no backend (?server=URL): open the address that ' +
      '`npm run demo -- --web` prints' };
  }
  return { ok: true, config: { server, player, seed, tickRate, bot: query.get(PAGE_PARAMS.bot) === '1' } };
}
