import { describe, expect, it } from 'vitest';
import {
  createDodge, fallingObjects, FIELD_HEIGHT, FIELD_WIDTH, GAME_TICKS, MOVE_TICKS, moveSteps, playDodge, stepDodge,
} from '../../demo/game/dodge.js';
import { generateAssets } from '../../demo/server/assets.js';

describe('the dodge game', () => {
  it('gives the same score, tick for tick, for the same seed', () => {
    const a = createDodge(99);
    const b = createDodge(99);
    while (!a.over) {
      stepDodge(a);
      stepDodge(b);
      expect([b.playerX, b.score, b.lives, fallingObjects(b)]).toEqual([a.playerX, a.score, a.lives, fallingObjects(a)]);
    }
    expect(b.over).toBe(true);
    expect(playDodge(99)).toEqual({ score: a.score, ticks: a.tick });
  });

  it('does not depend on other games running in the same process', () => {
    const alone = playDodge(5);
    const other = createDodge(6);
    const game = createDodge(5);
    while (!game.over) {
      stepDodge(other);
      stepDodge(game);
    }
    expect({ score: game.score, ticks: game.tick }).toEqual(alone);
  });

  it('plays differently for different seeds, within the rules', () => {
    const results = Array.from({ length: 8 }, (_, seed) => playDodge(seed));
    expect(new Set(results.map((r) => r.score)).size).toBeGreaterThan(1);
    for (const r of results) {
      expect(r.ticks).toBeGreaterThan(0);
      expect(r.ticks).toBeLessThanOrEqual(GAME_TICKS);
    }
  });

  it('keeps the player and every object on the field and reports catches as events', () => {
    const game = createDodge(2024);
    const kinds = new Set<string>();
    while (!game.over) {
      stepDodge(game);
      for (const e of game.events) kinds.add(e.kind);
      expect(game.playerX).toBeGreaterThanOrEqual(0);
      expect(game.playerX).toBeLessThan(FIELD_WIDTH);
      for (const o of fallingObjects(game)) {
        expect(o.x).toBeGreaterThanOrEqual(0);
        expect(o.x).toBeLessThan(FIELD_WIDTH);
        expect(o.row).toBeLessThan(FIELD_HEIGHT);
      }
    }
    expect(kinds.has('coin')).toBe(true);
    expect(game.coins).toBeGreaterThan(0);
  });
});

describe('the demo assets', () => {
  it('are the same bytes for the same seed and differ for another', () => {
    const a = generateAssets(1).map((x) => x.sha256);
    expect(generateAssets(1).map((x) => x.sha256)).toEqual(a);
    expect(generateAssets(2).map((x) => x.sha256)).not.toEqual(a);
  });
});

describe('the dodge game steered by a person', () => {
  it('rains down the same way as the bot\'s game for the seed, and moves only as told', () => {
    const bot = createDodge(8);
    const person = createDodge(8, 'keys');
    stepDodge(bot);
    stepDodge(person);
    expect(fallingObjects(person)).toEqual(fallingObjects(bot));
    const start = person.playerX;
    person.keys!.held = -1;
    for (let i = 0; i < MOVE_TICKS * 4; i++) stepDodge(person);
    expect(person.playerX).toBe(start - 4);
    person.keys!.held = 0;
    for (let i = 0; i < MOVE_TICKS * 2; i++) stepDodge(person);
    expect(person.playerX).toBe(start - 4);
    expect(person.keys!.moves).toBe('.LLLL..');
  });

  it('stays on the field and replays to the same score from its recorded moves', () => {
    const game = createDodge(77, 'keys');
    while (!game.over) {
      game.keys!.held = game.tick % 120 < 60 ? 1 : -1;
      stepDodge(game);
      expect(game.playerX).toBeGreaterThanOrEqual(0);
      expect(game.playerX).toBeLessThan(FIELD_WIDTH);
    }
    expect(game.keys!.moves).toHaveLength(moveSteps(game.tick));
    expect(playDodge(77, game.tick, game.keys!.moves)).toEqual({ score: game.score, ticks: game.tick });
    expect(playDodge(77, game.tick, game.keys!.moves.replace(/R/g, '.')).score).not.toBe(game.score);
  });
});
