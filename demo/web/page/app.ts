/**
 * The demo page: one bitecs world with tickhttp's HTTP system, run at a fixed tick rate on animation frames by the
 * same session and game as the terminal demo (demo/game/), drawn by the page's view. Whatever goes wrong ends as
 * words on the page, never as a blank or frozen one.
 */
import { createWorld } from 'bitecs';
import { createHttpSystem, destroyHttpSystem, pureCrypto } from '../../../engine-module/index.js';
import { newScene, type Scene } from '../../game/scene.js';
import { createSession } from '../../game/session.js';
import { emptyStats } from '../../game/tick-loop.js';
import { startVerification, type Verification } from '../../game/verification.js';
import { REPORT_GLOBAL, type PageReport } from '../report.js';
import { pageConfig, type PageConfig } from '../page-config.js';
import { runOnFrames } from '../frame-loop.js';
import { watchKeys } from '../keys.js';
import { createView, type View } from './view.js';

/** Bytes of an asset hashed per tick: JavaScript SHA-256 does about a millisecond's worth of this on a slow machine. */
const PAGE_HASH_SLICE = 256 * 1024;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Start the demo in `root`, configured by the page's address. */
export function startPage(root: HTMLElement, win: Window): void {
  const view = createView(root, win.location.origin);
  // Errors from outside the tick (a rejected promise, a failing script) end up on the page too.
  win.addEventListener('error', (event) => view.fail(`the page stopped: ${event.message}`));
  win.addEventListener('unhandledrejection', (event) => view.fail(`the page stopped: ${message(event.reason)}`));
  const parsed = pageConfig(win.location.search);
  if (!parsed.ok) {
    view.fail(parsed.error);
    return;
  }
  try {
    play(parsed.config, view, win);
  } catch (error) {
    view.fail(`the demo could not start: ${message(error)}`);
  }
}

function play(config: PageConfig, view: View, win: Window): void {
  const now = (): number => win.performance.now();
  const pilot = config.bot ? 'bot' : 'keys';
  const seed = config.seed ?? win.crypto.getRandomValues(new Uint32Array(1))[0];
  const world = createWorld();
  // The default tick budget, as in the terminal demo: what a game gets without configuring one.
  createHttpSystem(world);
  const scene = newScene(config.server, 'fetch through the web platform, plain HTTP on loopback', config.tickRate,
    config.player, emptyStats());
  const checks = new Map<string, Verification>();
  const keys = watchKeys(win);
  const session = createSession(world, scene, {
    baseUrl: config.server, tls: null, handshakeHint: null, player: config.player, seed, pilot, ready: keys.pressed, now,
    verify: (body, sha256) => {
      const check = startVerification(body, sha256, pureCrypto, PAGE_HASH_SLICE);
      checks.set(sha256, check);
      return check;
    },
    log: (line) => console.log(line),
  });
  (globalThis as Record<string, unknown>)[REPORT_GLOBAL] = (): PageReport => report(scene, seed, pilot, checks);
  const tick = (index: number): boolean => {
    if (scene.game?.keys) scene.game.keys.held = keys.held();
    return session(index);
  };
  runOnFrames(config.tickRate, tick, () => view.draw(scene, now()), scene.stats,
    { requestAnimationFrame: (callback) => win.requestAnimationFrame(callback), now })
    .catch((error: unknown) => {
      scene.phase = 'failed';
      scene.error = `a tick failed: ${message(error)}`;
      view.draw(scene, now());
    })
    .finally(() => destroyHttpSystem(world));
}

function report(scene: Scene, seed: number, pilot: PageReport['pilot'], checks: Map<string, Verification>): PageReport {
  return {
    phase: scene.phase, error: scene.error, seed, player: scene.player, pilot, moves: scene.game?.keys?.moves ?? null,
    tickRate: scene.tickRate,
    assets: scene.assets.map((a) => ({ name: a.entry.name, size: a.entry.size, expected: a.entry.sha256,
      digest: checks.get(a.entry.sha256)?.digest() ?? null, state: a.state })),
    posted: scene.posted, stats: { ...scene.stats }, assetBytes: scene.assetBytes, downloadMs: scene.downloadMs,
    bytesReceived: scene.bytesReceived,
  };
}
