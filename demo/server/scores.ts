/**
 * Score submissions and the leaderboard. A submission is checked field by field, then against a replay of its seed
 * (and of a person's recorded moves): the game is deterministic, so a score the seed cannot produce is refused.
 */
import { GAME_TICKS, moveSteps, MOVES_PATTERN, playDodge } from '../game/dodge.js';

/** A leaderboard row's fields as a client posts them. */
export interface ScoreSubmission {
  player: string;
  score: number;
  seed: number;
  ticks: number;
}

/** What a client posts: a person's game adds its moves (see demo/game/dodge.ts), the bot's game has none. */
export interface ScorePost extends ScoreSubmission {
  moves?: string;
}

/** A leaderboard row. */
export interface LeaderboardEntry extends ScoreSubmission {
  /** Unique per server life; lets a client find its own row. */
  id: number;
  rank: number;
}

export type Validation = { ok: true; submission: ScoreSubmission } | { ok: false; reason: string };

const PLAYER_PATTERN = /^[A-Za-z0-9 _.-]{1,16}$/;

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Check a parsed JSON value as a submission; the reason names the first field that is wrong. */
export function validateSubmission(value: unknown): Validation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'body must be a JSON object {player, score, seed, ticks}' };
  }
  const { player, score, seed, ticks, moves } = value as Record<string, unknown>;
  if (typeof player !== 'string' || !PLAYER_PATTERN.test(player)) {
    return { ok: false, reason: 'player must be 1 to 16 characters: letters, digits, space, _ . -' };
  }
  if (!isInteger(seed, 0, 0xffff_ffff)) return { ok: false, reason: 'seed must be an integer from 0 to 4294967295' };
  if (!isInteger(ticks, 1, GAME_TICKS)) return { ok: false, reason: `ticks must be an integer from 1 to ${GAME_TICKS}` };
  if (!isInteger(score, 0, 1_000_000)) return { ok: false, reason: 'score must be an integer from 0 to 1000000' };
  const movesOk = typeof moves === 'string' && MOVES_PATTERN.test(moves) && moves.length === moveSteps(ticks);
  if (moves !== undefined && !movesOk) {
    return { ok: false, reason: `moves must be ${moveSteps(ticks)} of L R . (one per move step of the ${ticks} ticks)` };
  }
  const replay = playDodge(seed, ticks, moves);
  if (replay.ticks !== ticks || replay.score !== score) {
    return { ok: false, reason: `score ${score} over ${ticks} ticks does not match a replay of seed ${seed}` +
      (moves === undefined ? '' : ' with the posted moves') +
      ` (${replay.score} over ${replay.ticks} ticks)` };
  }
  return { ok: true, submission: { player, score, seed, ticks } };
}

/** Scores kept for the life of the server, best first; ties keep the earlier submission ahead. */
export class Leaderboard {
  private readonly rows: Omit<LeaderboardEntry, 'rank'>[] = [];
  private nextId = 1;

  /** Add a checked submission; returns its row with its rank. */
  add(submission: ScoreSubmission): LeaderboardEntry {
    const row = { id: this.nextId++, ...submission };
    let at = this.rows.findIndex((r) => r.score < row.score);
    if (at < 0) at = this.rows.length;
    this.rows.splice(at, 0, row);
    return { ...row, rank: at + 1 };
  }

  /** The best `n` rows. */
  top(n: number): LeaderboardEntry[] {
    return this.rows.slice(0, n).map((row, i) => ({ ...row, rank: i + 1 }));
  }

  get size(): number {
    return this.rows.length;
  }
}

/** A leaderboard with a few made-up players, so a first game has company. Their scores are real replays. */
export function seededLeaderboard(): Leaderboard {
  const board = new Leaderboard();
  const players: [string, number][] = [['NOVA', 11], ['pixel_pete', 23], ['Quinn', 5], ['lag-free', 42], ['Mo', 77],
    ['zed', 3], ['Ruby.R', 64]];
  for (const [player, seed] of players) board.add({ player, seed, ...playDodge(seed) });
  return board;
}
