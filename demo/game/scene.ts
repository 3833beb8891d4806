/** Everything the screen shows, kept as plain data the game loop updates and the frame view reads. */
import type { LeaderboardEntry } from '../server/scores.js';
import type { ManifestEntry } from '../server/assets.js';
import type { Dodge } from './dodge.js';
import type { TickStats } from './tick-loop.js';

export type Phase = 'connecting' | 'loading' | 'playing' | 'posting' | 'done' | 'failed';

/** One asset on the loading screen. */
export interface AssetProgress {
  entry: ManifestEntry;
  /** Bytes received so far (as the request reports them). */
  received: number;
  /** Bytes expected, or -1 while unknown (a chunked body). */
  total: number;
  state: 'queued' | 'loading' | 'checking' | 'verified' | 'failed';
  /** Why it failed. */
  problem?: string;
}

export interface Scene {
  phase: Phase;
  serverUrl: string;
  /** How the connection is secured, e.g. "HTTPS, node crypto, demo CA only" or "plain HTTP". */
  transport: string;
  tickRate: number;
  tick: number;
  assets: AssetProgress[];
  /** Milliseconds from the asset requests to the last asset body received (0 until then). */
  downloadMs: number;
  /** Body bytes of the assets as received (before decoding). */
  assetBytes: number;
  /** Bytes received over the network (all requests). */
  bytesReceived: number;
  game: Dodge | null;
  /** Ticks left during which the screen flashes the last catch. */
  flash: { kind: 'coin' | 'hit' | 'heart'; ticks: number } | null;
  player: string;
  leaderboard: LeaderboardEntry[] | null;
  /** The posted score's leaderboard row. */
  posted: LeaderboardEntry | null;
  stats: TickStats;
  /** The failure shown when phase is 'failed'. */
  error: string | null;
}

/** The scene before anything has happened: connecting to `serverUrl`. */
export function newScene(serverUrl: string, transport: string, tickRate: number, player: string, stats: TickStats): Scene {
  return {
    phase: 'connecting', serverUrl, transport, tickRate, tick: 0, assets: [], downloadMs: 0, assetBytes: 0,
    bytesReceived: 0, game: null, flash: null, player, leaderboard: null, posted: null, stats, error: null,
  };
}
