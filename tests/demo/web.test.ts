// The web demo (`npm run demo -- --web --ci`) in Debian's Chromium, headless: the page plays with the bot against the
// demo's backend, and against backends that refuse its origin, are down, or serve damaged assets.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playDodge } from '../../demo/game/dodge.js';
import { startDemoServer } from '../../demo/server/server.js';
import { buildDemoOnce, resultLine, runDemo } from './run-demo.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
let dir = '';
beforeAll(() => {
  buildDemoOnce();
  dir = mkdtempSync(join(tmpdir(), 'tickhttp-web-demo-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run demo -- --web --ci', () => {
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

  it('says how to install Chromium when it is missing', async () => {
    const run = await runDemo(['--web', '--ci'], { ...process.env, TICKHTTP_CHROMIUM: join(dir, 'no-chromium') });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^error: Chromium is not installed at .*; install it with: apt-get install -y chromium$/m);
    expect(existsSync(join(dir, 'no-chromium'))).toBe(false);
  });
});
