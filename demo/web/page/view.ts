/**
 * The page's view of the scene: DOM panels for the assets, the leaderboard, the frame statistics and the status, and
 * a canvas for the playing field. Built once; each frame only changes what changed.
 */
import { FIELD_HEIGHT, FIELD_WIDTH, fallingObjects, GAME_TICKS, Item } from '../../game/dodge.js';
import type { AssetProgress, Scene } from '../../game/scene.js';
import { describeTicks } from '../../game/tick-loop.js';
import { assetFraction } from '../../terminal/frame.js';
import { formatBytes, formatRate } from '../../terminal/format.js';
import { failureHint } from '../failure-hint.js';

const CELL = 22;
const SHOWN_ROWS = 10;

export interface View {
  /** Show the scene as it is now. `now` is the performance clock, for the download rates. */
  draw(scene: Scene, now: number): void;
  /** Show a failure that happened outside the scene (a bad address, no WebCrypto, a thrown error). */
  fail(reason: string, hint?: string): void;
}

type Tag = keyof HTMLElementTagNameMap;

function el<K extends Tag>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

/** Set text only when it changed: most frames change little, and the DOM is not free. */
function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function setClass(node: HTMLElement, className: string): void {
  if (node.className !== className) node.className = className;
}

interface AssetRow {
  row: HTMLTableRowElement;
  fill: HTMLElement;
  bytes: HTMLElement;
  rate: HTMLElement;
  status: HTMLElement;
  /** Performance-clock times of the request and of its end, for the rate. */
  started: number;
  ended: number;
}

/** Build the view inside `root` (emptied first). */
export function createView(root: HTMLElement, origin: string): View {
  root.replaceChildren();
  const header = el('header');
  const title = el('h1', '', 'tickhttp demo');
  const subtitle = el('span', 'dim', ' in the browser · HTTP through the web platform');
  title.append(subtitle);
  const where = el('div', 'where');
  header.append(title, where);

  const assetsPanel = el('section', 'panel assets');
  const assetsTitle = el('h2', '', 'Assets');
  const assetsSummary = el('span', 'dim');
  assetsTitle.append(' ', assetsSummary);
  const table = el('table');
  assetsPanel.append(assetsTitle, table);
  const rows = new Map<string, AssetRow>();

  const middle = el('section', 'middle');
  const canvas = el('canvas');
  canvas.width = FIELD_WIDTH * CELL;
  canvas.height = FIELD_HEIGHT * CELL;
  const fieldPanel = el('div', 'panel field');
  const hud = el('div', 'hud');
  fieldPanel.append(canvas, hud);
  const side = el('div', 'panel side');
  middle.append(fieldPanel, side);

  const statsPanel = el('section', 'panel stats');
  const frames = el('div');
  const network = el('div');
  statsPanel.append(frames, network);

  const status = el('section', 'status');
  const statusText = el('div', 'message');
  const statusHint = el('div', 'hint');
  status.append(statusText, statusHint);
  root.append(header, status, assetsPanel, middle, statsPanel);
  const context = canvas.getContext('2d');
  let sideKey = '';

  const assetRow = (asset: AssetProgress, now: number): AssetRow => {
    const known = rows.get(asset.entry.name);
    if (known) return known;
    const row = el('tr');
    const bar = el('div', 'bar');
    const fill = el('div', 'fill');
    bar.append(fill);
    const cells = [el('td', 'name', asset.entry.name), el('td', 'dim', asset.entry.kind),
      el('td', 'dim', asset.entry.delivery === 'length' ? '' : asset.entry.delivery), el('td')];
    cells[3].append(bar);
    // Every asset is requested when the manifest arrives, which is when its row appears: its rate counts from then.
    const made: AssetRow = { row, fill, bytes: el('td', 'num'), rate: el('td', 'num dim'), status: el('td', 'state'),
      started: now, ended: 0 };
    row.append(...cells, made.bytes, made.rate, made.status);
    table.append(row);
    rows.set(asset.entry.name, made);
    return made;
  };

  const drawAsset = (asset: AssetProgress, now: number): void => {
    const r = assetRow(asset, now);
    if (asset.state !== 'loading' && r.ended === 0) r.ended = now;
    const fraction = assetFraction(asset);
    r.fill.style.width = `${(fraction * 100).toFixed(1)}%`;
    setClass(r.fill, `fill ${asset.state}`);
    setText(r.bytes, asset.state === 'loading'
      ? `${formatBytes(asset.received)} of ${formatBytes(asset.total > 0 ? asset.total : asset.entry.size)}`
      : formatBytes(asset.entry.size));
    setText(r.rate, assetRate(asset.received, (r.ended || now) - r.started));
    const words = asset.state === 'verified' ? 'sha256 ✓' : asset.state === 'failed' ? `✗ ${asset.problem ?? 'failed'}`
      : asset.state === 'checking' ? 'checking sha256…' : asset.state === 'loading' ? `${Math.floor(fraction * 100)}%`
        : 'queued';
    setText(r.status, words);
    setClass(r.status, `state ${asset.state}`);
  };

  const drawField = (scene: Scene): void => {
    if (!context) return;
    const c = context;
    c.fillStyle = '#0b1020';
    c.fillRect(0, 0, canvas.width, canvas.height);
    c.strokeStyle = 'rgba(120, 140, 200, 0.08)';
    for (let x = 1; x < FIELD_WIDTH; x++) {
      c.beginPath();
      c.moveTo(x * CELL + 0.5, 0);
      c.lineTo(x * CELL + 0.5, canvas.height);
      c.stroke();
    }
    const game = scene.game;
    if (!game) {
      banner(c, scene.phase === 'failed' ? 'stopped' : 'waiting for the assets…', '#8b95b0');
      return;
    }
    for (const o of fallingObjects(game)) drawItem(c, o.item, o.x * CELL, o.row * CELL);
    const flash = scene.flash?.kind;
    drawPlayer(c, game.playerX * CELL, (FIELD_HEIGHT - 1) * CELL,
      flash === 'hit' ? '#ff5d5d' : flash ? '#ffd45c' : '#4fd6ff');
    if (game.over) banner(c, `GAME OVER · score ${game.score}`, '#ffd45c');
    else if (game.keys && game.tick === 0) banner(c, 'press ← or → to start', '#4fd6ff');
  };

  const drawHud = (scene: Scene): void => {
    const game = scene.game;
    if (!game) {
      setText(hud, '');
      return;
    }
    const lives = '♥'.repeat(game.lives) + '·'.repeat(Math.max(0, 5 - game.lives));
    const left = Math.max(0, (GAME_TICKS - game.tick) / scene.tickRate);
    setText(hud, `score ${game.score} · ${lives} · ${left.toFixed(1)} s left · seed ${game.seed}`);
  };

  const drawSide = (scene: Scene): void => {
    // The side panel changes a few times per run: rebuilt only then.
    const game = scene.game;
    const pilot = !game ? 'none' : game.keys ? 'keys' : 'bot';
    const key = scene.leaderboard ? `board:${scene.posted?.id}` : `help:${scene.phase}:${pilot}`;
    if (key === sideKey) return;
    sideKey = key;
    if (!scene.leaderboard) {
      const who = pilot === 'none' ? 'The game starts once every asset is verified.'
        : pilot === 'keys' ? `You play as ${scene.player}: ← → (or A D) to move.` : `The bot plays as ${scene.player}.`;
      side.replaceChildren(el('h2', '', 'How to play'), el('p', '', `${who} Catch coins and hearts, dodge rocks.`),
        legend('coin', '+10'), legend('rock', 'costs a life'), legend('heart', '+1 life'),
        el('p', 'dim', 'Each life left at the end: +25.'),
        el('p', 'dim', scene.phase === 'posting' ? 'posting the score…' : ''));
      return;
    }
    const board = el('table', 'board');
    for (const e of scene.leaderboard.slice(0, SHOWN_ROWS)) board.append(boardRow(e, e.id === scene.posted?.id));
    if (scene.posted && scene.posted.rank > SHOWN_ROWS) {
      board.append(boardRow({ rank: 0, player: '…', score: -1 }, false), boardRow(scene.posted, true));
    }
    side.replaceChildren(el('h2', '', 'Leaderboard'), board);
  };

  const drawStats = (scene: Scene): void => {
    setText(frames, `Frames  ${describeTicks(scene.stats, scene.tickRate)}`);
    setText(network, `Network  ${formatBytes(scene.bytesReceived)} received` +
      (scene.downloadMs > 0 ? ` · assets at ${formatRate(scene.assetBytes, scene.downloadMs)}` +
        ` (${formatBytes(scene.assetBytes)} in ${(scene.downloadMs / 1000).toFixed(2)} s)` : ''));
  };

  const showStatus = (kind: 'info' | 'ok' | 'error', text: string, hint = ''): void => {
    setClass(status, `status ${kind}`);
    setText(statusText, text);
    setText(statusHint, hint);
  };

  const drawStatus = (scene: Scene): void => {
    switch (scene.phase) {
      case 'failed': {
        const error = scene.error ?? 'failed';
        showStatus('error', `✗ ${error}`, failureHint(error, scene.serverUrl, origin));
        return;
      }
      case 'done':
        showStatus('ok', `✓ score ${scene.posted?.score} posted, rank ${scene.posted?.rank} of the leaderboard`);
        return;
      case 'connecting': showStatus('info', `fetching the manifest from ${scene.serverUrl}…`); return;
      case 'loading': showStatus('info', 'downloading the assets, each checked against its sha256…'); return;
      case 'posting': showStatus('info', 'posting the score…'); return;
      default:
        showStatus('info', scene.game?.keys && scene.game.tick === 0 ? 'press ← or → to start' : 'playing');
    }
  };

  return {
    draw(scene, now) {
      setText(where, `tick ${scene.tick} @ ${scene.tickRate} Hz · ${scene.serverUrl} · ${scene.transport}`);
      const verified = scene.assets.filter((a) => a.state === 'verified').length;
      setText(assetsSummary, scene.assets.length ? `${verified} of ${scene.assets.length} verified` : 'fetching the manifest…');
      for (const asset of scene.assets) drawAsset(asset, now);
      drawField(scene);
      drawHud(scene);
      drawSide(scene);
      drawStats(scene);
      drawStatus(scene);
    },
    fail(reason, hint = '') {
      showStatus('error', `✗ ${reason}`, hint);
    },
  };
}

/** A download rate: MB/s as everywhere in the demo, kB/s below 1 MB/s (small assets take a few frames at most). */
function assetRate(bytes: number, ms: number): string {
  return ms > 0 && bytes < ms * 1000 ? `${Math.round(bytes / ms)} kB/s` : formatRate(bytes, ms);
}

function legend(item: 'coin' | 'rock' | 'heart', text: string): HTMLElement {
  const row = el('p', 'legend');
  row.append(el('span', `icon ${item}`), ` ${item}, ${text}`);
  return row;
}

function boardRow(e: { rank: number; player: string; score: number }, mine: boolean): HTMLTableRowElement {
  const row = el('tr', mine ? 'mine' : '');
  row.append(el('td', 'num', e.rank > 0 ? `${mine ? '▶ ' : ''}${e.rank}` : ''), el('td', '', e.player),
    el('td', 'num', e.score >= 0 ? String(e.score) : ''));
  return row;
}

function banner(c: CanvasRenderingContext2D, text: string, colour: string): void {
  const { width, height } = c.canvas;
  c.fillStyle = 'rgba(5, 8, 18, 0.72)';
  c.fillRect(0, height / 2 - 26, width, 52);
  c.fillStyle = colour;
  c.font = 'bold 22px sans-serif';
  c.textAlign = 'center';
  c.textBaseline = 'middle';
  c.fillText(text, width / 2, height / 2);
}

function drawItem(c: CanvasRenderingContext2D, item: Item, x: number, y: number): void {
  const mid = CELL / 2;
  if (item === Item.Coin) {
    c.fillStyle = '#ffd45c';
    c.beginPath();
    c.arc(x + mid, y + mid, CELL * 0.36, 0, Math.PI * 2);
    c.fill();
    c.strokeStyle = '#b8860b';
    c.lineWidth = 2;
    c.stroke();
    c.lineWidth = 1;
  } else if (item === Item.Heart) {
    c.fillStyle = '#ff6ad5';
    c.beginPath();
    c.moveTo(x + mid, y + CELL * 0.85);
    c.bezierCurveTo(x - CELL * 0.1, y + CELL * 0.4, x + CELL * 0.25, y, x + mid, y + CELL * 0.3);
    c.bezierCurveTo(x + CELL * 0.75, y, x + CELL * 1.1, y + CELL * 0.4, x + mid, y + CELL * 0.85);
    c.fill();
  } else {
    c.fillStyle = '#8a6f66';
    c.beginPath();
    c.moveTo(x + 3, y + CELL * 0.6);
    c.lineTo(x + CELL * 0.3, y + 3);
    c.lineTo(x + CELL * 0.8, y + 4);
    c.lineTo(x + CELL - 3, y + CELL * 0.55);
    c.lineTo(x + CELL * 0.65, y + CELL - 3);
    c.lineTo(x + CELL * 0.25, y + CELL - 4);
    c.closePath();
    c.fill();
    c.strokeStyle = '#ff5d5d';
    c.stroke();
  }
}

function drawPlayer(c: CanvasRenderingContext2D, x: number, y: number, colour: string): void {
  c.fillStyle = colour;
  c.beginPath();
  c.moveTo(x + CELL / 2, y + 2);
  c.lineTo(x + CELL - 2, y + CELL - 2);
  c.lineTo(x + 2, y + CELL - 2);
  c.closePath();
  c.fill();
}
