/**
 * What the page reports about its run, read by the headless check (demo/web/browser-check.ts) through the global
 * named {@link REPORT_GLOBAL}: plain data, so it crosses from the page to Node as JSON.
 */
import type { Phase } from '../game/scene.js';
import type { TickStats } from '../game/tick-loop.js';
import type { LeaderboardEntry } from '../server/scores.js';

export interface PageReport {
  phase: Phase;
  error: string | null;
  seed: number;
  player: string;
  pilot: 'bot' | 'keys';
  /** A person's moves as posted with the score (see demo/game/dodge.ts); null for the bot. */
  moves: string | null;
  tickRate: number;
  assets: { name: string; size: number; expected: string; digest: string | null; state: string }[];
  posted: LeaderboardEntry | null;
  stats: TickStats;
  assetBytes: number;
  downloadMs: number;
  bytesReceived: number;
}

/** The page sets `globalThis[REPORT_GLOBAL]` to a function returning its {@link PageReport}. */
export const REPORT_GLOBAL = 'tickhttpDemoReport';

/** The page's query parameters, named after the command-line options they come from. */
export const PAGE_PARAMS = { server: 'server', player: 'player', seed: 'seed', tickRate: 'tick-rate', bot: 'bot' } as const;
