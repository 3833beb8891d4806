/**
 * `npm run demo -- --web`: the demo as a web page. Starts the backend (plain HTTP on loopback, with CORS for the
 * page's origin) and the page server, then prints the page's address and serves until Ctrl-C, or, with --ci, plays
 * the page with the bot in headless Chromium and checks what it did.
 */
import type { DemoOptions } from '../cli.js';
import type { DemoIo } from '../run.js';
import { startDemoServer, type DemoServer } from '../server/server.js';
import { checkInBrowser } from './browser-check.js';
import { chromiumPath } from './chromium.js';
import { startPageServer } from './page-server.js';
import { PAGE_PARAMS } from './report.js';

/** The page's address for a backend at `server`, carrying the demo's options. */
export function pageAddress(origin: string, server: string, options: DemoOptions, bot: boolean): string {
  const query = new URLSearchParams({ [PAGE_PARAMS.server]: server, [PAGE_PARAMS.player]: options.player,
    [PAGE_PARAMS.tickRate]: String(options.tickRate) });
  if (options.seed !== null) query.set(PAGE_PARAMS.seed, String(options.seed));
  if (bot) query.set(PAGE_PARAMS.bot, '1');
  // ':' and '/' may stand in a query as they are: the backend's address stays readable.
  return `${origin}/?${String(query).replace(/%3A/g, ':').replace(/%2F/g, '/')}`;
}

/** Run the web demo; resolves with the exit code (serving without --ci resolves only when interrupted). */
export async function runWebDemo(options: DemoOptions, io: DemoIo): Promise<number> {
  // The page is served from the folder this bundle runs from, where the build puts the page's script.
  const page = await startPageServer(new URL('.', import.meta.url));
  let backend: DemoServer | null = null;
  const close = (): Promise<unknown> => Promise.all([page.close(), backend?.close()]);
  io.onInterrupt(() => void close());
  try {
    backend = options.server ? null : await startDemoServer({ secure: false, corsOrigin: page.origin });
    const server = options.server ?? backend!.url;
    const say = (line: string): void => void io.stdout.write(line + '\n');
    if (!options.ci) {
      say(`tickhttp demo in the browser: open ${pageAddress(page.origin, server, options, false)}`);
      say(`  page     ${page.origin} (the page and its script)`);
      say(`  backend  ${server} (manifest, assets, scores, leaderboard${backend ? `; CORS for ${page.origin}` : ''})`);
      say('  keyboard play: ← → (or A D); add &bot=1 to the address to let the bot play. Ctrl-C to stop.');
      return await new Promise<number>(() => {});
    }
    say(`tickhttp demo in the browser: ${page.origin}, backend ${server}, headless Chromium with the bot`);
    return await checkInBrowser({ address: pageAddress(page.origin, server, options, true), server,
      chromium: chromiumPath(io.env), screenshot: options.screenshot, say });
  } finally {
    await close();
  }
}
