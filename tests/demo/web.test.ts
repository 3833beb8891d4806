// The web demo (`npm run demo -- --web --ci`) in Debian's Chromium, headless: the page plays with the bot against the
// demo's backend, and against backends that refuse its origin, are down, or serve damaged assets.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveSteps, playDodge } from '../../demo/game/dodge.js';
import { parseLeaderboard } from '../../demo/game/replies.js';
import { startDemoServer } from '../../demo/server/server.js';
import { waitForReport } from '../../demo/web/browser-check.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../../demo/web/chromium.js';
import { buildDemoOnce, resultLine, runDemo, startDemo } from './run-demo.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
let dir = '';
beforeAll(() => {
  buildDemoOnce();
  dir = mkdtempSync(join(tmpdir(), 'tickhttp-web-demo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the web demo', () => {
  it('plays the page with the bot: every asset verified in the page, the score on the server\'s leaderboard', async () => {
    const shot = join(dir, 'page.png');
    const run = await runDemo(['--web', '--ci', '--seed', '7', '--player', 'web bot', '--screenshot', shot]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^tickhttp demo in the browser: http:\/\/127\.0\.0\.1:\d+, backend http:\/\/127\.0\.0\.1:\d+/m);
    expect(run.stdout.match(/^asset .*sha256 ok in the page$/gm)).toHaveLength(5);
    expect(run.stdout).toMatch(/^frames: \d+ ticks, longest [\d.]+ ms .*late starts \d+ \(60 Hz on animation frames\)$/m);
    expect(run.stdout).not.toMatch(/^(error|page):/m);
    expect(resultLine(run.stdout)).toMatchObject({ player: 'web bot', seed: 7, score: playDodge(7).score });
    expect(readFileSync(shot).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('says in words on the page that a backend refused the page\'s origin (CORS)', async () => {
    const server = await startDemoServer({ secure: false });
    try {
      const run = await runDemo(['--web', '--ci', '--server', server.url, '--screenshot', join(dir, 'cors.png')]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^error: the page ended failed: GET \/manifest failed: RESULT_CANT_CONNECT/m);
      expect(run.stdout).toMatch(/^page shows: ✗ GET \/manifest failed.* \/ The backend at .* could not be reached .*CORS/m);
    } finally {
      await server.close();
    }
  });

  it('says in words on the page that the backend is down', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await runDemo(['--web', '--ci', '--server', base, '--screenshot', join(dir, 'down.png')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`page shows: ✗ GET /manifest failed: RESULT_CANT_CONNECT`);
    expect(run.stdout).toContain(`The backend at ${base} could not be reached from this page: it is not running`);
  });

  it('says in words on the page that an asset does not match its sha256', async () => {
    // Serves an asset other than the manifest lists, to any origin.
    const server = http.createServer((req, res) => {
      res.setHeader('Access-Control-Allow-Origin', '*');
      if (req.url === '/manifest') {
        const sha256 = createHash('sha256').update('the asset').digest('hex');
        res.end(JSON.stringify({ assets: [{ name: 'a.bin', kind: 'texture', delivery: 'length', size: 13, sha256 }] }));
      } else {
        res.end('not the asset');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = await runDemo(['--web', '--ci', '--server', base, '--screenshot', join(dir, 'sha.png')]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^page shows: ✗ asset a\.bin: sha256 [0-9a-f]{64} does not match the manifest's .* \/ An asset arrived with other bytes/m);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('lets a person play with the keyboard, and the server takes the score by replaying the moves', async () => {
    const demo = startDemo(['--web', '--seed', '5', '--player', 'keys']);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const printed = await demo.line(/^tickhttp demo in the browser: open (\S+)$/m);
      const backend = await demo.line(/^  backend  (\S+) /m);
      expect(printed).not.toContain('bot=1');
      const page = await browser.newPage();
      await page.goto(printed);
      // Every asset verified: the game waits for a key.
      const ready = await waitForReport(page, ['playing'], 60_000);
      expect(ready.assets.every((a) => a.state === 'verified')).toBe(true);
      expect(await page.locator('.status').innerText()).toContain('press ← or → to start');
      for (const [key, frames] of [['ArrowLeft', 40], ['KeyD', 70], ['ArrowRight', 30]] as const) {
        await page.keyboard.down(key);
        // Held for a number of the page's frames (the test program has no DOM types: the page's API by shape).
        await page.evaluate((n) => new Promise<void>((resolve) => {
          const raf = (globalThis as unknown as { requestAnimationFrame(callback: () => void): number }).requestAnimationFrame;
          let left = n;
          const frame = (): unknown => (--left > 0 ? raf(frame) : resolve());
          raf(frame);
        }), frames);
        await page.keyboard.up(key);
      }
      const report = await waitForReport(page, ['done', 'failed'], 60_000);
      expect(report.error).toBeNull();
      expect(report.pilot).toBe('keys');
      expect(report.moves).toMatch(/L.*R/);
      expect(report.moves).toHaveLength(moveSteps(report.posted!.ticks));
      const reply = await fetch(`${backend}/leaderboard?top=100`);
      const board = parseLeaderboard(await reply.text());
      expect(board.ok && board.value.find((e) => e.id === report.posted!.id)).toMatchObject({ player: 'keys', seed: 5,
        score: playDodge(5, report.posted!.ticks, report.moves!).score });
    } finally {
      await browser.close();
      await demo.stop();
    }
  });

  it('says how to install Chromium when it is missing', async () => {
    const run = await runDemo(['--web', '--ci'], { ...process.env, TICKHTTP_CHROMIUM: join(dir, 'no-chromium') });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^error: Chromium is not installed at .*; install it with: apt-get install -y chromium$/m);
    expect(existsSync(join(dir, 'no-chromium'))).toBe(false);
  });
});
