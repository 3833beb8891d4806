// The built demo (build/demo.js) run as a user runs it, in --ci mode: against its own server, against a server the
// test starts, and against broken backends.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../demo/cli.js';
import { playDodge } from '../../demo/game/dodge.js';
import { startDemoServer } from '../../demo/server/server.js';
import { buildDemoOnce, resultLine, runDemo, startDemo } from './run-demo.js';

beforeAll(buildDemoOnce);

/**
 * Each thread of process `pid` by id, with its nice value (field 19 of its stat line); a thread that ended between
 * listing and reading is left out.
 */
function niceByThread(pid: number): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue;
    }
    nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return nice;
}

describe('npm run demo -- --ci', () => {
  it('downloads and checks every asset over HTTPS from its own server, plays, posts and finds its score', async () => {
    const run = await runDemo(['--ci', '--seed', '7', '--tick-rate', '120']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^tickhttp demo: https:\/\/127\.0\.0\.1:\d+ .*HTTPS, node crypto, trusting the demo CA only/m);
    expect(run.stdout.match(/^asset .*sha256 ok/gm)).toHaveLength(5);
    const result = resultLine(run.stdout);
    expect(result).toMatchObject({ player: 'you', seed: 7, score: playDodge(7).score });
    // The leaderboard as fetched, with the player's row marked.
    const marked = run.stdout.split('\n').filter((l) => /^\s+>/.test(l));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatch(new RegExp(`^\\s+>\\s+${result.rank}\\s+you\\s+${result.score}$`));
    expect(run.stdout).toMatch(/^frames: \d+ ticks, longest [\d.]+ ms/m);
    // Where Linux tells the thread's waits for a core, the longest tick says how much of it was waiting.
    if (existsSync('/proc/thread-self/schedstat')) {
      expect(run.stdout).toMatch(/^frames: \d+ ticks, longest [\d.]+ ms \(tick \d+, [\d.]+ ms of it waiting for a core\)/m);
    }
  });

  // Linux names each thread's nice value in /proc; elsewhere the server thread keeps its priority. The demo starts at
  // this process's priority (a suite run under `nice` included), which must be above the lowest to tell them apart.
  const linuxAboveLowest = existsSync('/proc/thread-self') && getPriority() < constants.priority.PRIORITY_LOW;
  it.runIf(linuxAboveLowest)('runs its own server at the lowest priority, the game at its own', async () => {
    const demo = startDemo(['--ci', '--seed', '3']);
    try {
      // Printed once the server thread has started and reported its address.
      await demo.line(/^tickhttp demo: (https:\/\/\S+)/m);
      const nice = niceByThread(demo.pid);
      expect(nice.get(demo.pid)).toBe(getPriority());
      expect([...nice.values()].filter((n) => n === constants.priority.PRIORITY_LOW)).toHaveLength(1);
    } finally {
      await demo.stop();
    }
  });

  it('plays against a backend given with --server and --ca, with the pure crypto provider', async () => {
    const server = await startDemoServer();
    const dir = mkdtempSync(join(tmpdir(), 'tickhttp-demo-'));
    try {
      const ca = join(dir, 'ca.pem');
      writeFileSync(ca, server.caPem!);
      const run = await runDemo(['--ci', '--server', server.url, '--ca', ca, '--provider', 'pure',
        '--player', 'ci bot', '--seed', '11', '--tick-rate', '120']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^tickhttp demo: .*HTTPS, pure crypto, trusting \S+ca\.pem only/m);
      expect(run.stdout).not.toContain('demo CA');
      const result = resultLine(run.stdout);
      const row = server.leaderboard.top(100).find((e) => e.id === result.id);
      expect(row).toMatchObject({ player: 'ci bot', seed: 11, score: playDodge(11).score, rank: result.rank });
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a server whose certificate it was not told to trust', async () => {
    const server = await startDemoServer();
    try {
      const run = await runDemo(['--ci', '--server', server.url, '--tick-rate', '120']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^error: GET \/manifest failed: RESULT_TLS_HANDSHAKE_ERROR .*pass it with --ca FILE$/m);
    } finally {
      await server.close();
    }
  });
});

describe('the demo against broken backends', () => {
  let server: http.Server;
  let base = '';
  const body = Buffer.from('not the asset');
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/manifest') {
        const sha256 = createHash('sha256').update('the asset').digest('hex');
        res.end(JSON.stringify({ assets: [{ name: 'a.bin', kind: 'texture', delivery: 'length', size: body.length, sha256 }] }));
      } else if (req.url === '/assets/a.bin') {
        res.end(body);
      } else {
        res.statusCode = 404;
        res.end('{"error":"nothing here"}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fails with a clear message when an asset does not match its sha256', async () => {
    const run = await runDemo(['--ci', '--server', base, '--tick-rate', '240']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^error: asset a\.bin: sha256 [0-9a-f]{64} does not match the manifest's/m);
  });

  it('fails with a clear message when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await runDemo(['--ci', '--server', `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^error: GET \/manifest failed: RESULT_CANT_CONNECT/m);
  });
});

describe('demo command line', () => {
  it('explains itself with --help, refuses a bad option with exit code 2, and states the codes as the README does', async () => {
    const help = await runDemo(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--tick-rate N');
    const bad = await runDemo(['--tick-rate', 'fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--tick-rate wants an integer/);
    expect(help.stdout).toContain(EXIT_CODES);
    expect(readFileSync('README.md', 'utf8')).toContain(EXIT_CODES);
  });

  it('refuses a --ca file it cannot use with exit code 2 and a line naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickhttp-demo-'));
    try {
      const notPem = join(dir, 'notes.txt');
      writeFileSync(notPem, 'not a certificate\n');
      const cases = [
        [join(dir, 'missing.pem'), 'no such file'],
        [dir, 'a folder, not a PEM file'],
        [notPem, 'no "BEGIN CERTIFICATE" block in it'],
      ];
      for (const [file, why] of cases) {
        const run = await runDemo(['--ci', '--server', 'https://127.0.0.1:1', '--ca', file]);
        expect(run.code).toBe(2);
        expect(run.stderr).toBe(`tickhttp demo: --ca ${file}: ${why}\n`);
        expect(run.stdout).toBe('');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
