// The web demo page's parts that need no browser: its address, its game loop on animation frames, its keys, and the
// words it shows for a failure. The page as a whole runs in Chromium in web.test.ts.
import { describe, expect, it } from 'vitest';
import { emptyStats } from '../../demo/game/tick-loop.js';
import { pageConfig } from '../../demo/web/page-config.js';
import { runOnFrames } from '../../demo/web/frame-loop.js';
import { watchKeys } from '../../demo/web/keys.js';
import { failureHint } from '../../demo/web/failure-hint.js';
import { pageAddress } from '../../demo/web/run-web.js';
import { parseOptions } from '../../demo/cli.js';

describe('the page\'s address', () => {
  it('carries the demo\'s options to the page and back', () => {
    const parsed = parseOptions(['--web', '--player', 'Ada Lovelace', '--seed', '42', '--tick-rate', '120']);
    if (!parsed.ok) throw new Error(parsed.error);
    const address = pageAddress('http://127.0.0.1:5000', 'http://127.0.0.1:6000', parsed.options, true);
    expect(address.startsWith('http://127.0.0.1:5000/?')).toBe(true);
    expect(pageConfig(new URL(address).search)).toEqual({ ok: true, config: { server: 'http://127.0.0.1:6000',
      player: 'Ada Lovelace', seed: 42, tickRate: 120, bot: true } });
    expect(pageConfig('?server=http://h:1')).toEqual({ ok: true, config: { server: 'http://h:1', player: 'you',
      seed: null, tickRate: 60, bot: false } });
  });

  it('refuses a bad setting or a missing backend in words naming the parameter', () => {
    expect(pageConfig('?server=http://h:1&seed=-1')).toEqual({ ok: false,
      error: 'the page\'s address: ?seed= wants an integer from 0 to 4294967295, not "-1"' });
    expect(pageConfig('?server=ftp://x')).toMatchObject({ ok: false, error: expect.stringMatching(/\?server= wants/) });
    expect(pageConfig('')).toMatchObject({ ok: false, error: expect.stringMatching(/names no backend/) });
  });
});

describe('the page\'s game loop on animation frames', () => {
  /** Frames on demand, on a clock the test moves. */
  function frames() {
    let time = 0;
    const queued: (() => void)[] = [];
    return {
      host: { now: () => time, requestAnimationFrame: (callback: () => void) => queued.push(callback) },
      frame(at: number) {
        time = at;
        queued.splice(0).forEach((callback) => callback());
      },
    };
  }

  it('runs the ticks that came due in each frame, draws once per frame, and skips ahead when far behind', async () => {
    const { host, frame } = frames();
    const ticks: number[] = [];
    let draws = 0;
    const stats = emptyStats();
    const done = runOnFrames(100, (i) => {
      ticks.push(i);
      return i < 30;
    }, () => draws++, stats, host);
    frame(0);
    expect(ticks).toEqual([0]);
    frame(25);
    expect(ticks).toEqual([0, 1, 2]);
    expect(stats.late).toBe(1);
    frame(1000);
    // Ninety ticks behind: one tick now, the clock moved to the present instead of a burst.
    expect(ticks).toHaveLength(4);
    frame(1010);
    expect(ticks).toHaveLength(5);
    for (let t = 1020; ticks.length < 31; t += 10) frame(t);
    await expect(done).resolves.toBe(stats);
    expect(stats.ticks).toBe(31);
    expect(draws).toBeGreaterThanOrEqual(30);
  });

  it('rejects with the error a tick throws, and stops', async () => {
    const { host, frame } = frames();
    const done = runOnFrames(60, () => {
      throw new Error('boom');
    }, () => {}, emptyStats(), host);
    frame(0);
    await expect(done).rejects.toThrow('boom');
  });
});

describe('the page\'s keys', () => {
  function keyboard() {
    const listeners = new Map<string, (event: { code?: string; preventDefault(): void }) => void>();
    return {
      target: { addEventListener: (type: string, fn: never) => void listeners.set(type, fn) },
      send(type: string, code = '') {
        listeners.get(type)?.({ code, preventDefault() {} });
      },
    };
  }

  it('holds the most recent direction still down, starts on a key, and forgets keys when focus is lost', () => {
    const k = keyboard();
    const keys = watchKeys(k.target as never);
    expect([keys.held(), keys.pressed()]).toEqual([0, false]);
    k.send('keydown', 'KeyQ');
    expect(keys.pressed()).toBe(false);
    k.send('keydown', 'ArrowLeft');
    expect([keys.held(), keys.pressed()]).toEqual([-1, true]);
    k.send('keydown', 'KeyD');
    expect(keys.held()).toBe(1);
    k.send('keyup', 'KeyD');
    expect(keys.held()).toBe(-1);
    k.send('blur');
    expect(keys.held()).toBe(0);
  });
});

describe('the page\'s words for a failure', () => {
  it('names the backend and both likely causes when it cannot be reached, and explains a checksum mismatch', () => {
    const unreachable = failureHint('GET /manifest failed: RESULT_CANT_CONNECT (fetch failed)', 'http://b:1', 'http://p:2');
    expect(unreachable).toMatch(/http:\/\/b:1 could not be reached/);
    expect(unreachable).toMatch(/not running/);
    expect(unreachable).toMatch(/http:\/\/p:2 \(CORS\)/);
    expect(failureHint('asset a: sha256 00 does not match the manifest\'s 11', 'x', 'y')).toMatch(/other bytes/);
    expect(failureHint('the manifest is not JSON', 'x', 'y')).toBe('');
  });
});
