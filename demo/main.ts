// `npm run demo`: tickhttp in a game loop. See demo/cli.ts for the options (`npm run demo -- --help`).
// The same bundle also runs the demo backend when started as its worker thread (demo/server/thread.ts).
import { parseOptions, USAGE, UsageError } from './cli.js';
import { runDemo } from './run.js';
import { runWebDemo } from './web/run-web.js';
import { isServerThread, serveInThisThread } from './server/thread.js';

function main(argv: string[]): void {
  const parsed = parseOptions(argv);
  if (!parsed.ok) {
    process.stderr.write(`tickhttp demo: ${parsed.error}\n`);
    process.exitCode = 2;
    return;
  }
  if (parsed.options.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  let cleanup: (() => void) | null = null;
  // Output piped into a reader that stopped (`| head`): end quietly, with the status a SIGPIPE would give.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    cleanup?.();
    process.exit(141);
  });
  process.once('SIGINT', () => {
    cleanup?.();
    process.stderr.write('tickhttp demo: interrupted\n');
    process.exit(130);
  });
  (parsed.options.web ? runWebDemo : runDemo)(parsed.options, {
    stdout: process.stdout,
    env: process.env,
    onInterrupt: (fn) => {
      cleanup = fn;
    },
  }).then((code) => {
    process.exitCode = code;
  }, (error: unknown) => {
    cleanup?.();
    process.stderr.write(`tickhttp demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  });
}

if (isServerThread()) serveInThisThread();
else main(process.argv.slice(2));
