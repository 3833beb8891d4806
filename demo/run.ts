/**
 * One run of the demo: start (or reach) the backend, set up a bitecs world with tickhttp's HTTP system, run the
 * session at a fixed tick rate while drawing it, and report. Resolves with the process exit code.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createWorld } from 'bitecs';
import {
  createHttpSystem, createNodePlatform, destroyHttpSystem, nodeCrypto, pureCrypto, type Platform,
} from '../engine-module/node.js';
import { timeWorkBetweenFrames } from '../engine-module/testing.js';
import { readCaFile } from './ca-file.js';
import type { DemoOptions } from './cli.js';
import { newScene } from './game/scene.js';
import { createSession } from './game/session.js';
import { describeTicks, emptyStats, runTicks } from './game/tick-loop.js';
import { startVerification } from './game/verification.js';
import { startServerThread, type ServerHandle } from './server/thread.js';
import { formatBytes, formatMs, formatRate } from './terminal/format.js';
import { COMPACT_FRAME_ROWS, drawFrame, FRAME_ROWS } from './terminal/frame.js';
import { COLOURS, NO_COLOURS, wantsColour } from './terminal/palette.js';
import { liveScreen, logScreen, type Screen } from './terminal/screen.js';

export interface DemoIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number; rows?: number };
  env: Record<string, string | undefined>;
  /** Called with a cleanup function to run if the process is interrupted. */
  onInterrupt(cleanup: () => void): void;
}

/**
 * Milliseconds this thread has waited for a core so far (Linux's per-thread schedstat: time ready to run while other
 * threads and processes, the demo's own server among them, had the cores); null where the system does not say.
 */
function coreWaitClock(): (() => number) | null {
  const read = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  try {
    return Number.isFinite(read()) ? read : null;
  } catch {
    return null;
  }
}

/**
 * The Node platform with `provider`'s crypto, its work between ticks (runLater callbacks, socket events) timed: the
 * longest piece is kept in `between.longestMs`.
 */
function platformWith(provider: DemoOptions['provider'], between: { longestMs: number }): Platform {
  const platform = createNodePlatform({ crypto: provider === 'pure' ? pureCrypto : nodeCrypto });
  return timeWorkBetweenFrames(platform, (ms) => (between.longestMs = Math.max(between.longestMs, ms)));
}

/** How the connection is secured, for the header line. */
function describeTransport(options: DemoOptions, secure: boolean, ownServer: boolean): string {
  if (!secure) return 'plain HTTP';
  const trust = ownServer ? 'trusting the demo CA only' : options.ca ? `trusting ${options.ca} only` : 'system roots';
  return `HTTPS, ${options.provider} crypto, ${trust}`;
}

/** What to try when the handshake with a --server fails. */
function handshakeHint(options: DemoOptions): string | null {
  if (!options.server) return null;
  return options.ca
    ? `check that ${options.ca} holds the CA that issued the server's certificate`
    : "if the server's certificate comes from your own CA, pass it with --ca FILE";
}

export async function runDemo(options: DemoOptions, io: DemoIo): Promise<number> {
  const caPem = options.ca === null ? null : readCaFile(options.ca);
  const terminal = !options.ci && io.stdout.isTTY === true;
  const rows = () => io.stdout.rows ?? 0;
  const live = terminal && rows() > COMPACT_FRAME_ROWS;
  const palette = live && wantsColour(true, io.env) ? COLOURS : NO_COLOURS;
  const screen: Screen = live ? liveScreen(io.stdout) : logScreen(io.stdout);
  if (terminal && !live) screen.log(`(a terminal of ${COMPACT_FRAME_ROWS + 1} rows or more shows the animated view)`);
  let server: ServerHandle | null = null;
  io.onInterrupt(() => {
    screen.close();
    void server?.close();
  });
  try {
    const secure = options.server ? options.server.startsWith('https://') : !options.plain;
    const started = performance.now();
    server = options.server ? null : await startServerThread(new URL(import.meta.url), secure);
    const baseUrl = options.server ?? server!.url;
    const trustedChain = server?.caPem ?? caPem;
    const transport = describeTransport(options, secure, server !== null);
    screen.log(`tickhttp demo: ${baseUrl} (${server ? `started here in ${formatMs(performance.now() - started)}` : 'given'}), ` +
      `${transport}, ${options.tickRate} Hz`);

    const world = createWorld();
    const between = { longestMs: 0 };
    // The default tick budget: the demo shows what a game gets without configuring one.
    createHttpSystem(world, { platform: platformWith(options.provider, between) });
    const seed = options.seed ?? randomInt(0, 2 ** 32);
    const scene = newScene(baseUrl, transport, options.tickRate, options.player, emptyStats());
    const session = createSession(world, scene, {
      baseUrl, tls: secure && trustedChain ? { trustedChain } : null, player: options.player, seed, pilot: 'bot',
      handshakeHint: handshakeHint(options), verify: (body, sha256) => startVerification(body, sha256, nodeCrypto),
      now: () => performance.now(), log: (line) => screen.log(line),
    });
    try {
      await runTicks(options.tickRate, (tick) => {
        const more = session(tick);
        // The compact view while the terminal is too short for the full one (read each frame: it may be resized).
        if (live) screen.frame(drawFrame(scene, palette, rows() <= FRAME_ROWS));
        return more;
      }, scene.stats, undefined, coreWaitClock() ?? undefined);
    } finally {
      destroyHttpSystem(world);
    }
    const s = scene.stats;
    screen.log(`frames: ${describeTicks(s, options.tickRate)}`);
    screen.log(`between ticks: longest ${formatMs(between.longestMs)} of tickhttp's own work (runLater callbacks, socket events)`);
    screen.log(`network: ${formatBytes(scene.bytesReceived)} received, assets at ` +
      `${formatRate(scene.assetBytes, scene.downloadMs)}`);
    if (scene.phase !== 'done' || !scene.posted) return 1;
    screen.log(`result: ok player="${scene.posted.player}" score=${scene.posted.score} rank=${scene.posted.rank} ` +
      `id=${scene.posted.id} seed=${seed}`);
    return 0;
  } finally {
    screen.close();
    await server?.close();
  }
}
