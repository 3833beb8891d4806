import { describe, expect, it } from 'vitest';
import { createDodge, stepDodge } from '../../demo/game/dodge.js';
import type { Scene } from '../../demo/game/scene.js';
import { emptyStats } from '../../demo/game/tick-loop.js';
import { COMPACT_FRAME_ROWS, drawFrame, FRAME_ROWS, progressBar } from '../../demo/terminal/frame.js';
import { COLOURS, NO_COLOURS, padVisible, truncateVisible, visibleWidth, wantsColour } from '../../demo/terminal/palette.js';
import { liveScreen, logScreen } from '../../demo/terminal/screen.js';

function scene(overrides: Partial<Scene> = {}): Scene {
  return {
    phase: 'loading', serverUrl: 'https://127.0.0.1:1', transport: 'HTTPS', tickRate: 60, tick: 5,
    assets: [{ entry: { name: 'a.bin', kind: 'texture', delivery: 'length', contentType: 'x', size: 1000, sha256: '' },
      received: 500, total: 1000, state: 'loading' }],
    downloadMs: 0, assetBytes: 0, bytesReceived: 500, game: null, flash: null, player: 'you', leaderboard: null, posted: null,
    stats: emptyStats(), error: null, ...overrides,
  };
}

describe('progress bar', () => {
  it('fills in eighths and keeps its width', () => {
    expect(progressBar(0, 4)).toBe('····');
    expect(progressBar(1, 4)).toBe('████');
    expect(progressBar(0.5, 4)).toBe('██··');
    expect(progressBar(1 / 32, 4)).toBe('▏···');
    expect(progressBar(2, 4)).toBe('████');
    for (let i = 0; i <= 100; i++) expect(progressBar(i / 100, 10)).toHaveLength(10);
  });
});

describe('frame', () => {
  it('shows each asset with its progress while loading', () => {
    const text = drawFrame(scene(), NO_COLOURS).join('\n');
    expect(text).toContain('a.bin');
    expect(text).toContain('50%');
    expect(text).toContain('tick 5 @ 60 Hz');
  });

  it('draws the field and marks the player\'s leaderboard row', () => {
    const game = createDodge(3);
    for (let i = 0; i < 100; i++) stepDodge(game);
    const posted = { id: 9, rank: 2, player: 'you', score: 120, seed: 3, ticks: 480 };
    const lines = drawFrame(scene({ phase: 'done', game, posted, leaderboard: [
      { id: 1, rank: 1, player: 'NOVA', score: 200, seed: 1, ticks: 480 }, posted] }), NO_COLOURS);
    expect(lines.some((l) => l.includes('@'))).toBe(true);
    expect(lines.find((l) => l.includes('▶'))).toMatch(/▶\s+2\s+you\s+120/);
    expect(lines.filter((l) => l.includes('▶'))).toHaveLength(1);
    expect(lines.join('\n')).toContain('score 120 posted, rank 2');
  });

  it('announces the end of the game on the field', () => {
    const game = createDodge(3);
    while (!game.over) stepDodge(game);
    const text = drawFrame(scene({ phase: 'posting', game }), NO_COLOURS).join('\n');
    expect(text).toContain(`GAME OVER · score ${game.score}`);
    expect(text).toContain('posting the score');
  });

  it('fits FRAME_ROWS rows and 80 columns in every phase', () => {
    const asset = scene().assets[0];
    const loading = scene({ assets: Array.from({ length: 5 }, () => ({ ...asset, state: 'checking' as const })) });
    const game = createDodge(1);
    const posted = { id: 1, rank: 1, player: 'you', score: 1, seed: 1, ticks: 1 };
    const done = scene({ phase: 'done', game, posted, leaderboard: Array.from({ length: 10 }, () => posted) });
    for (const s of [loading, done]) {
      const lines = drawFrame(s, NO_COLOURS);
      expect(lines.length).toBeLessThanOrEqual(FRAME_ROWS);
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    }
  });

  it('shows a run that failed before the manifest as failed, with no checksum summary', () => {
    const failed = scene({ phase: 'failed', assets: [], error: 'GET /manifest failed: RESULT_CANT_CONNECT' });
    for (const compact of [false, true]) {
      const text = drawFrame(failed, NO_COLOURS, compact).join('\n');
      expect(text).not.toMatch(/sha256|✓/);
      expect(text).toContain('✗ no manifest');
      expect(text).toContain('✗ GET /manifest failed: RESULT_CANT_CONNECT');
    }
  });

  it('has a compact view that fits an 80×24 terminal in every phase and shows the field once there is a game', () => {
    const asset = scene().assets[0];
    const five = Array.from({ length: 5 }, () => ({ ...asset, state: 'loading' as const }));
    const verified = five.map((a) => ({ ...a, state: 'verified' as const }));
    const game = createDodge(1);
    const posted = { id: 1, rank: 14, player: 'you', score: 1, seed: 1, ticks: 1 };
    const phases = [
      scene({ phase: 'connecting', assets: [] }),
      scene({ assets: five }),
      scene({ phase: 'playing', assets: verified, game }),
      scene({ phase: 'posting', assets: verified, game }),
      scene({ phase: 'done', assets: verified, game, posted, leaderboard: Array.from({ length: 10 }, () => posted) }),
      scene({ phase: 'failed', assets: [{ ...asset, state: 'failed', problem: 'HTTP 404' }], error: 'x'.repeat(70) }),
    ];
    for (const s of phases) {
      const lines = drawFrame(s, NO_COLOURS, true);
      expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(COMPACT_FRAME_ROWS);
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
      expect(lines.some((l) => l.startsWith('┌'))).toBe(s.game !== null);
    }
  });

  it('has the same layout with and without colour', () => {
    const plain = drawFrame(scene(), NO_COLOURS);
    const coloured = drawFrame(scene(), COLOURS);
    expect(coloured.map(visibleWidth)).toEqual(plain.map((l) => l.length));
    expect(coloured.join('')).toContain('\x1b[');
    expect(plain.join('')).not.toContain('\x1b[');
  });
});

describe('palette', () => {
  it('colours only a terminal without NO_COLOR', () => {
    expect(wantsColour(true, {})).toBe(true);
    expect(wantsColour(true, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour(false, {})).toBe(false);
  });

  it('pads and cuts by visible width', () => {
    expect(visibleWidth(padVisible(COLOURS.red('ab'), 5))).toBe(5);
    const cut = truncateVisible(COLOURS.red('abcdef') + 'gh', 3);
    expect(visibleWidth(cut)).toBe(3);
    expect(cut.startsWith('\x1b[31mabc')).toBe(true);
    expect(cut.endsWith('\x1b[0m')).toBe(true);
    expect(truncateVisible('short', 10)).toBe('short');
  });
});

describe('screens', () => {
  it('redraws in place without clearing the screen, skips unchanged frames, restores the cursor once', () => {
    const out: string[] = [];
    const screen = liveScreen({ write: (t) => out.push(t) });
    expect(out[0]).toContain('\x1b[?25l');
    screen.frame(['one', 'two']);
    screen.frame(['one', 'two']);
    screen.frame(['three']);
    expect(out).toHaveLength(3);
    expect(out[1]).toBe('\x1b[Hone\x1b[K\ntwo\x1b[K\x1b[J');
    expect(out.slice(1).join('')).not.toContain('\x1b[2J');
    screen.log('ignored');
    screen.close();
    screen.close();
    expect(out.join('').match(/\x1b\[\?25h/g)).toHaveLength(1);
  });

  it('cuts lines to the terminal width and clears once after a resize', () => {
    const out: string[] = [];
    const tty = { columns: 6, write: (t: string) => out.push(t) };
    const screen = liveScreen(tty);
    screen.frame(['0123456789']);
    expect(out[1]).toBe('\x1b[H01234\x1b[0m\x1b[K\x1b[J');
    tty.columns = 20;
    screen.frame(['0123456789']);
    expect(out[2]).toBe('\x1b[2J\x1b[H0123456789\x1b[K\x1b[J');
  });

  it('prints log lines only in log mode', () => {
    const out: string[] = [];
    const screen = logScreen({ write: (t) => out.push(t) });
    screen.frame(['x']);
    screen.log('hello');
    expect(out).toEqual(['hello\n']);
  });
});
