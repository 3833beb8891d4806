/**
 * The game: a tiny dodge-and-collect played by a seeded bot or by a person at the keyboard. Coins and hearts are
 * caught, rocks are dodged. Everything follows from the seed (spawns, speeds, the bot's lapses) and, for a person,
 * from the moves made, so the server can check a posted score by replaying the seed (and the moves).
 *
 * Falling objects are bitecs entities. Each game has its own world and component stores, so a replay on the server
 * and a game on the client never share entity data even when they run in one process.
 */
import { addComponent, addEntity, createWorld, query, removeEntity, type World } from 'bitecs';
import { createRandom, type Random } from '../common/random.js';

export const FIELD_WIDTH = 30;
export const FIELD_HEIGHT = 14;
/** Length of a full game in ticks (8 seconds at 60 Hz). */
export const GAME_TICKS = 480;
/** Sub-steps per row: positions are integers so a replay is exact. */
const SUBROWS = 16;
/** Ticks the player needs to move one column. */
export const MOVE_TICKS = 3;
const START_LIVES = 3;
const MAX_LIVES = 5;
const COIN_POINTS = 10;
const LIFE_BONUS = 25;
const PLAYER_ROW = FIELD_HEIGHT - 1;

export enum Item {
  Coin = 0,
  Rock = 1,
  Heart = 2,
}

/** Who steers: the seeded bot, or a person whose moves are recorded for the server's replay. */
export type Pilot = 'bot' | 'keys';

/** A person's move at each move step (every {@link MOVE_TICKS} ticks): left, right, or stay. */
export type Move = -1 | 0 | 1;
const MOVE_OF: Readonly<Record<string, Move>> = { L: -1, '.': 0, R: 1 };
const moveCode = (move: Move): string => (move < 0 ? 'L' : move > 0 ? 'R' : '.');
/** What recorded moves look like (the server checks the length against the ticks played). */
export const MOVES_PATTERN = /^[LR.]*$/;

/** Something that happened in the last tick, for the screen to flash. */
export interface DodgeEvent {
  kind: 'coin' | 'hit' | 'heart';
  x: number;
}

interface Components {
  Position: { x: number[]; y: number[] };
  Fall: { speed: number[] };
  Kind: { item: number[] };
}

/** A game in progress. Read its fields to draw it; advance it with {@link stepDodge}. */
export interface Dodge {
  readonly seed: number;
  readonly world: World;
  readonly components: Components;
  readonly random: Random;
  tick: number;
  /** For a person's game: the move held now (set by the input) and every move step so far, one of L R . each. */
  readonly keys: { held: Move; moves: string } | null;
  playerX: number;
  targetX: number;
  score: number;
  lives: number;
  coins: number;
  hits: number;
  over: boolean;
  events: DodgeEvent[];
}

/** One falling object as the screen sees it. */
export interface FallingObject {
  x: number;
  row: number;
  item: Item;
}

/** A fresh game for `seed` (an unsigned 32-bit integer), steered by `pilot`. */
export function createDodge(seed: number, pilot: Pilot = 'bot'): Dodge {
  const components: Components = { Position: { x: [], y: [] }, Fall: { speed: [] }, Kind: { item: [] } };
  const middle = Math.floor(FIELD_WIDTH / 2);
  return {
    seed: seed >>> 0, world: createWorld(), components, random: createRandom(seed), tick: 0,
    keys: pilot === 'keys' ? { held: 0, moves: '' } : null, playerX: middle,
    targetX: middle, score: 0, lives: START_LIVES, coins: 0, hits: 0, over: false, events: [],
  };
}

/** Advance the game by one tick: spawn, let the bot steer, move, resolve catches. No-op once the game is over. */
export function stepDodge(game: Dodge): void {
  game.events = [];
  if (game.over) return;
  spawn(game);
  steer(game);
  fall(game);
  game.tick++;
  if (game.lives === 0 || game.tick >= GAME_TICKS) finish(game);
}

/**
 * Play a whole game without drawing it: what the server does to check a posted score. With `moves` (a person's
 * recorded moves) the game is replayed with them; without, the bot plays.
 */
export function playDodge(seed: number, maxTicks = GAME_TICKS, moves?: string): { score: number; ticks: number } {
  const game = createDodge(seed, moves === undefined ? 'bot' : 'keys');
  while (!game.over && game.tick < maxTicks) {
    if (game.keys && game.tick % MOVE_TICKS === 0) game.keys.held = MOVE_OF[moves![game.tick / MOVE_TICKS]] ?? 0;
    stepDodge(game);
  }
  return { score: game.score, ticks: game.tick };
}

/** Move steps a game of `ticks` ticks has: the length of its recorded moves. */
export function moveSteps(ticks: number): number {
  return Math.ceil(ticks / MOVE_TICKS);
}

/** The falling objects, for drawing. */
export function fallingObjects(game: Dodge): FallingObject[] {
  const { Position, Kind } = game.components;
  return Array.from(query(game.world, [Position, Kind]), (eid) => ({
    x: Position.x[eid], row: Math.floor(Position.y[eid] / SUBROWS), item: Kind.item[eid] as Item,
  }));
}

function spawn(game: Dodge): void {
  // Spawns come faster as the game goes on: every 14 ticks at first, every 6 at the end.
  const interval = 14 - Math.floor((8 * game.tick) / GAME_TICKS);
  if (game.tick % interval !== 0) return;
  const { random, world } = game;
  const { Position, Fall, Kind } = game.components;
  const roll = random.below(100);
  const eid = addEntity(world);
  addComponent(world, eid, Position);
  addComponent(world, eid, Fall);
  addComponent(world, eid, Kind);
  Position.x[eid] = random.below(FIELD_WIDTH);
  Position.y[eid] = 0;
  Fall.speed[eid] = 2 + random.below(3) + Math.floor((2 * game.tick) / GAME_TICKS);
  Kind.item[eid] = roll < 4 ? Item.Heart : roll < 60 ? Item.Coin : Item.Rock;
}

/** Ticks until an object reaches the player's row (0 when it is there now). */
function ticksToLand(y: number, speed: number): number {
  return Math.max(0, Math.ceil((PLAYER_ROW * SUBROWS - y) / speed));
}

/** How attractive each column is for the player: catchable coins and hearts up, rocks landing there down. */
function columnValues(game: Dodge): number[] {
  const { Position, Fall, Kind } = game.components;
  const values = Array.from({ length: FIELD_WIDTH }, (_, c) => -Math.abs(c - game.playerX) / 4);
  for (const eid of query(game.world, [Position, Fall, Kind])) {
    const c = Position.x[eid];
    if (Position.y[eid] >= (PLAYER_ROW + 1) * SUBROWS) continue;
    const travel = Math.abs(c - game.playerX) * MOVE_TICKS;
    const land = ticksToLand(Position.y[eid], Fall.speed[eid]);
    if (Kind.item[eid] === Item.Rock) {
      if (land + MOVE_TICKS >= travel && land < travel + 24) values[c] -= 100;
    } else if (land >= travel) {
      values[c] += (Kind.item[eid] === Item.Heart ? 30 : COIN_POINTS) * (30 / (30 + land));
    }
  }
  return values;
}

/** True when a rock would hit the player at column `c` within the next move. */
function rockImminent(game: Dodge, c: number): boolean {
  const { Position, Fall, Kind } = game.components;
  for (const eid of query(game.world, [Position, Fall, Kind])) {
    if (Kind.item[eid] !== Item.Rock || Position.x[eid] !== c) continue;
    const y = Position.y[eid];
    if (y < (PLAYER_ROW + 1) * SUBROWS && ticksToLand(y, Fall.speed[eid]) <= MOVE_TICKS) return true;
  }
  return false;
}

function steer(game: Dodge): void {
  if (game.tick % MOVE_TICKS !== 0) return;
  // The bot re-plans every few ticks and now and then misses a re-plan, so it plays well but not perfectly. The draw
  // is made for a person too, so a seed rains down the same way whoever steers.
  const replan = game.random.below(6) !== 0;
  if (game.keys) {
    const move = game.keys.held;
    game.keys.moves += moveCode(move);
    game.playerX = Math.min(FIELD_WIDTH - 1, Math.max(0, game.playerX + move));
    return;
  }
  if (replan) {
    const values = columnValues(game);
    let best = game.playerX;
    for (let c = 0; c < FIELD_WIDTH; c++) if (values[c] > values[best]) best = c;
    game.targetX = best;
  }
  const step = Math.sign(game.targetX - game.playerX);
  if (step === 0) return;
  const next = game.playerX + step;
  // Never step under a rock about to land, unless staying put is just as bad.
  if (!rockImminent(game, next) || rockImminent(game, game.playerX)) game.playerX = next;
}

function fall(game: Dodge): void {
  const { world } = game;
  const { Position, Fall, Kind } = game.components;
  for (const eid of query(world, [Position, Fall, Kind])) {
    Position.y[eid] += Fall.speed[eid];
    const row = Math.floor(Position.y[eid] / SUBROWS);
    if (row === PLAYER_ROW && Position.x[eid] === game.playerX) {
      catchItem(game, Kind.item[eid] as Item);
      removeEntity(world, eid);
    } else if (row > PLAYER_ROW) {
      removeEntity(world, eid);
    }
  }
}

function catchItem(game: Dodge, item: Item): void {
  const x = game.playerX;
  if (item === Item.Coin) {
    game.score += COIN_POINTS;
    game.coins++;
    game.events.push({ kind: 'coin', x });
  } else if (item === Item.Heart) {
    game.lives = Math.min(MAX_LIVES, game.lives + 1);
    game.events.push({ kind: 'heart', x });
  } else {
    game.lives = Math.max(0, game.lives - 1);
    game.hits++;
    game.events.push({ kind: 'hit', x });
  }
}

function finish(game: Dodge): void {
  game.over = true;
  game.score += game.lives * LIFE_BONUS;
  for (const eid of query(game.world, [game.components.Position])) removeEntity(game.world, eid);
}
