/**
 * The live screen, drawn from the scene: a header, the assets (a progress bar each while loading, one summary line
 * after), the playing field with the leaderboard beside it, and the frame statistics. The compact view fits an 80×24
 * terminal: no blank lines, and the field only once there is a game to show.
 */
import { FIELD_HEIGHT, FIELD_WIDTH, fallingObjects, GAME_TICKS, Item } from '../game/dodge.js';
import type { AssetProgress, Scene } from '../game/scene.js';
import { meanTickMs } from '../game/tick-loop.js';
import { formatBytes, formatMs, formatRate } from './format.js';
import { padVisible, type Palette } from './palette.js';

const BAR_WIDTH = 22;
const FIELD_PANEL_WIDTH = FIELD_WIDTH + 4;
const SHOWN_ROWS = 10;

/** A bar `width` cells wide filled to `fraction` (0..1), with eighth-cell resolution. */
export function progressBar(fraction: number, width: number): string {
  const eighths = Math.round(Math.min(1, Math.max(0, fraction)) * width * 8);
  const partial = eighths % 8 === 0 ? '' : ' ▏▎▍▌▋▊▉'[eighths % 8];
  return ('█'.repeat(Math.floor(eighths / 8)) + partial).padEnd(width, '·');
}

/** How far an asset has come, 0..1; a body of unknown length is measured against the manifest's size. */
export function assetFraction(asset: AssetProgress): number {
  if (asset.state === 'verified') return 1;
  const total = asset.total > 0 ? asset.total : asset.entry.size;
  return total > 0 ? Math.min(1, asset.received / total) : 0;
}

function assetLine(asset: AssetProgress, c: Palette): string {
  const { entry } = asset;
  const bar = progressBar(assetFraction(asset), BAR_WIDTH);
  const colouredBar = asset.state === 'failed' ? c.red(bar) : asset.state === 'verified' ? c.green(bar) : c.cyan(bar);
  const status = asset.state === 'verified' ? c.green('sha256 ✓')
    : asset.state === 'failed' ? c.red(`✗ ${asset.problem ?? 'failed'}`)
      : asset.state === 'checking' ? c.cyan('checking sha256')
        : asset.state === 'loading' ? `${Math.floor(assetFraction(asset) * 100)}%`.padStart(4) : c.dim('queued');
  const how = entry.delivery === 'length' ? '' : c.dim(` ${entry.delivery}`);
  return `  ${padVisible(c.bold(entry.name), 16)} ${padVisible(c.dim(entry.kind), 9)} ${colouredBar} ` +
    `${formatBytes(entry.size).padStart(9)}  ${status}${how}`;
}

function assetLines(scene: Scene, c: Palette): string[] {
  const done = scene.assets.filter((a) => a.state === 'verified').length;
  const bytes = scene.assets.reduce((sum, a) => sum + a.entry.size, 0);
  if (scene.phase === 'connecting') return [` ${c.bold('Assets')}  ${c.dim('fetching the manifest…')}`];
  if (scene.assets.length === 0) return [` ${c.bold('Assets')}  ${c.red('✗ no manifest')}`];
  if (done < scene.assets.length) {
    return [` ${c.bold('Assets')}  ${done} of ${scene.assets.length}`, ...scene.assets.map((a) => assetLine(a, c))];
  }
  return [` ${c.bold('Assets')}  ${c.green(`${done} of ${scene.assets.length} sha256 ✓`)}  ${formatBytes(bytes)} ` +
    `downloaded in ${(scene.downloadMs / 1000).toFixed(2)} s at ${formatRate(scene.assetBytes, scene.downloadMs)}`];
}

function cell(item: Item, c: Palette): string {
  if (item === Item.Coin) return c.yellow('$');
  if (item === Item.Heart) return c.magenta('♥');
  return c.red('#');
}

function fieldLines(scene: Scene, c: Palette): string[] {
  const game = scene.game;
  const grid: string[][] = Array.from({ length: FIELD_HEIGHT }, () => Array<string>(FIELD_WIDTH).fill(' '));
  if (game) {
    for (const o of fallingObjects(game)) grid[o.row][o.x] = cell(o.item, c);
    const flash = scene.flash;
    const player = flash?.kind === 'hit' ? c.red('X') : flash ? c.yellow('@') : c.bold(c.cyan('@'));
    grid[FIELD_HEIGHT - 1][game.playerX] = player;
  }
  const edge = c.dim;
  const lines = [edge('┌' + '─'.repeat(FIELD_WIDTH) + '┐'), ...grid.map((row) => edge('│') + row.join('') + edge('│')),
    edge('└' + '─'.repeat(FIELD_WIDTH) + '┘')];
  const banner = (text: string, colour: (t: string) => string): void => {
    const left = Math.max(0, Math.floor((FIELD_WIDTH - text.length) / 2));
    lines[Math.floor(lines.length / 2)] = edge('│') + ' '.repeat(left) + padVisible(colour(text), FIELD_WIDTH - left) + edge('│');
  };
  if (!game) {
    banner('waiting for the assets…', c.dim);
    return [...lines, ''];
  }
  if (game.over) banner(`GAME OVER · score ${game.score}`, (t) => c.bold(c.yellow(t)));
  const hearts = c.magenta('♥'.repeat(game.lives)) + c.dim('·'.repeat(Math.max(0, 5 - game.lives)));
  const time = progressBar(1 - game.tick / GAME_TICKS, 10);
  return [...lines, ` ${c.bold(`score ${String(game.score).padStart(4)}`)}  ${hearts}  ${c.dim('time')} ${time}`];
}

function sidePanel(scene: Scene, c: Palette): string[] {
  if (!scene.leaderboard) {
    const seed = scene.game ? `seed ${scene.game.seed}` : '';
    return [c.bold('How to read it'), '', `${c.bold(c.cyan('@'))}  the bot playing as ${scene.player}`,
      `${c.yellow('$')}  coin, +10`, `${c.red('#')}  rock, costs a life`, `${c.magenta('♥')}  heart, +1 life`,
      '', c.dim('each life left at the end: +25'), c.dim(seed), '',
      scene.phase === 'posting' ? c.cyan('posting the score…') : ''];
  }
  const lines = [c.bold('Leaderboard'), ''];
  for (const e of scene.leaderboard.slice(0, SHOWN_ROWS)) {
    const mine = scene.posted !== null && e.id === scene.posted.id;
    const row = `${mine ? '▶' : ' '}${String(e.rank).padStart(3)}  ${e.player.padEnd(16)} ${String(e.score).padStart(5)}`;
    lines.push(mine ? c.inverse(c.yellow(row)) : row);
  }
  if (scene.posted && scene.posted.rank > SHOWN_ROWS) {
    lines.push(c.dim('  …'), c.yellow(`▶${String(scene.posted.rank).padStart(3)}  ${scene.player.padEnd(16)} ` +
      String(scene.posted.score).padStart(5)));
  }
  return lines;
}

function statsLines(scene: Scene, c: Palette): string[] {
  const s = scene.stats;
  const longest = s.longestMs < 1000 / scene.tickRate ? c.green(formatMs(s.longestMs)) : c.yellow(formatMs(s.longestMs));
  return [` ${c.bold('Frames')}  ${s.ticks} ticks  longest ${longest}  mean ${formatMs(meanTickMs(s))}  ` +
    `budget ${formatMs(1000 / scene.tickRate)}  ${c.dim(`late starts ${s.late}`)}`,
    ` ${c.bold('Network')} ${formatBytes(scene.bytesReceived)} received` +
    (scene.downloadMs > 0 ? `, assets at ${formatRate(scene.assetBytes, scene.downloadMs)}` : '')];
}

function statusLine(scene: Scene, c: Palette): string {
  switch (scene.phase) {
    case 'failed': return c.red(c.bold(`✗ ${scene.error ?? 'failed'}`));
    case 'done': return c.green(c.bold(`✓ score ${scene.posted?.score} posted, rank ${scene.posted?.rank}`));
    default: return c.dim('Ctrl-C to quit');
  }
}

/** Rows the full screen needs at most (with five assets listed while loading). */
export const FRAME_ROWS = 33;
/** Rows the compact screen needs at most: an 80×24 terminal, less the line the cursor rests on. */
export const COMPACT_FRAME_ROWS = 23;

/** The whole screen for `scene`; `compact` for a terminal shorter than FRAME_ROWS + 1. */
export function drawFrame(scene: Scene, c: Palette, compact = false): string[] {
  const title = ` ${c.bold(c.cyan('tickhttp demo'))}  ${c.dim(`tick ${scene.tick} @ ${scene.tickRate} Hz`)}`;
  const server = ` ${scene.serverUrl}  ${c.dim(scene.transport)}`;
  const field = fieldLines(scene, c);
  const side = sidePanel(scene, c);
  const body = field.map((line, i) => padVisible(line, FIELD_PANEL_WIDTH) + (side[i] ?? ''));
  if (compact) {
    return [`${title}  ${scene.serverUrl}`, ...assetLines(scene, c), ...(scene.game ? body : []), ...statsLines(scene, c),
      statusLine(scene, c)];
  }
  return [title, server, '', ...assetLines(scene, c), '', ...body, '', ...statsLines(scene, c), '', statusLine(scene, c)];
}
