/**
 * The headless check of the web demo: Debian's Chromium, driven by playwright-core, loads the page with the bot,
 * waits for the leaderboard, and the result is checked against the backend itself: every asset's digest as the page
 * computed it equals the server's manifest, and the posted score is on the server's leaderboard. The page is saved as
 * a screenshot either way, so a failure can be looked at.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parseLeaderboard, parseManifest } from '../game/replies.js';
import type { Phase } from '../game/scene.js';
import { describeTicks } from '../game/tick-loop.js';
import { formatBytes, formatRate } from '../terminal/format.js';
import { CHROMIUM_ARGS } from './chromium.js';
import { REPORT_GLOBAL, type PageReport } from './report.js';

/** Longest wait for the page to finish: downloads, an 8-second game, the post, the leaderboard. */
const PAGE_DEADLINE_MS = 120_000;

async function getJson<T>(url: string, parse: (text: string) => { ok: true; value: T } | { ok: false; reason: string }): Promise<T> {
  const reply = await fetch(url);
  const parsed = parse(await reply.text());
  if (!reply.ok || !parsed.ok) throw new Error(`GET ${url}: ${reply.status} ${parsed.ok ? '' : parsed.reason}`);
  return parsed.value;
}

/**
 * The page's report once its phase is one of `phases`. On a timeout, the error says what the page shows instead.
 */
export async function waitForReport(page: Page, phases: Phase[], timeoutMs: number): Promise<PageReport> {
  try {
    const handle = await page.waitForFunction(([name, wanted]) => {
      const report = (globalThis as unknown as Record<string, (() => PageReport) | undefined>)[name as string]?.();
      return report && (wanted as string[]).includes(report.phase) ? report : null;
    }, [REPORT_GLOBAL, phases] as const, { timeout: timeoutMs, polling: 100 });
    return await handle.jsonValue() as PageReport;
  } catch {
    const shown = (await page.locator('body').innerText()).split('\n').slice(0, 3).join(' / ');
    throw new Error(`the page did not reach ${phases.join(' or ')} within ${timeoutMs / 1000} s; it shows: ${shown}`);
  }
}

/** What is wrong with the page's run when checked against the backend at `server`; empty when all is right. */
export async function problemsWith(report: PageReport, server: string): Promise<string[]> {
  if (report.phase !== 'done') return [`the page ended ${report.phase}: ${report.error ?? 'no reason given'}`];
  const problems: string[] = [];
  const manifest = await getJson(`${server}/manifest`, parseManifest);
  for (const entry of manifest) {
    const seen = report.assets.find((a) => a.name === entry.name);
    if (!seen) problems.push(`asset ${entry.name} was never loaded by the page`);
    else if (seen.state !== 'verified' || seen.digest !== entry.sha256) {
      problems.push(`asset ${entry.name}: the page's sha256 ${seen.digest ?? '(none)'} is not the server's ${entry.sha256}`);
    }
  }
  const board = await getJson(`${server}/leaderboard?top=100`, parseLeaderboard);
  const posted = report.posted;
  const row = posted && board.find((e) => e.id === posted.id);
  if (!posted || !row || row.player !== report.player || row.score !== posted.score) {
    problems.push(`the posted score ${posted ? `(id ${posted.id}, ${posted.score})` : ''} is not on the server's leaderboard`);
  }
  return problems;
}

/** Where and how to run the check. */
export interface BrowserCheck {
  /** The page's address, with the bot. */
  address: string;
  /** The backend the page plays against, checked directly. */
  server: string;
  /** The Chromium executable. */
  chromium: string;
  /** Where the screenshot goes; null for the temporary folder. */
  screenshot: string | null;
  say(line: string): void;
}

/** Play the page in headless Chromium and check it against the backend. Resolves with the exit code. */
export async function checkInBrowser({ address, server, chromium: executablePath, screenshot, say }: BrowserCheck):
Promise<number> {
  if (!existsSync(executablePath)) {
    say(`error: Chromium is not installed at ${executablePath}; install it with: apt-get install -y chromium`);
    return 1;
  }
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'tickhttp-demo-chromium-'));
  const shot = screenshot ?? join(tmpdir(), 'tickhttp-demo-web.png');
  const pageErrors: string[] = [];
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1080, height: 640 },
    });
    try {
      const page = context.pages()[0] ?? await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (line) => {
        if (line.type() === 'error') pageErrors.push(line.text());
      });
      await page.goto(address);
      const report = await waitForReport(page, ['done', 'failed'], PAGE_DEADLINE_MS)
        .finally(() => page.screenshot({ path: shot, fullPage: true }));
      say(`screenshot: ${shot}`);
      // What a person would read on the page: the status line and its hint.
      if (report.phase === 'failed') {
        say(`page shows: ${(await page.locator('.status').innerText()).replace(/\s*\n+\s*/g, ' / ')}`);
      }
      return await judge(report, server, pageErrors, say);
    } finally {
      await context.close();
    }
  } catch (error) {
    say(`error: ${error instanceof Error ? error.message : String(error)}`);
    for (const line of pageErrors) say(`page: ${line}`);
    return 1;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

async function judge(report: PageReport, server: string, pageErrors: string[], say: (line: string) => void): Promise<number> {
  for (const a of report.assets) {
    say(`asset ${a.name}: ${a.size} bytes, ${a.state === 'verified' ? 'sha256 ok' : a.state} in the page`);
  }
  say(`frames: ${describeTicks(report.stats, report.tickRate)} (${report.tickRate} Hz on animation frames)`);
  say(`network: ${formatBytes(report.bytesReceived)} received, assets at ${formatRate(report.assetBytes, report.downloadMs)}`);
  const problems = await problemsWith(report, server);
  for (const problem of problems) say(`error: ${problem}`);
  for (const line of pageErrors) say(`page: ${line}`);
  if (problems.length > 0) return 1;
  const p = report.posted!;
  say(`result: ok player="${p.player}" score=${p.score} rank=${p.rank} id=${p.id} seed=${report.seed}`);
  return 0;
}
