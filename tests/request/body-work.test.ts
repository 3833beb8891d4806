// Body work per tick, driven frame by frame against a real loopback server: how reading, decoding and storing are
// cut into units and counted against the tick's budget.
import { afterEach, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { bytesEqual } from '../../engine-module/bytes/bytes.js';
import { MAX_STEP_INPUT, MIN_STEP_INPUT } from '../../engine-module/request/decoding.js';
import { shareTick, startBudget, type BudgetOptions } from '../../engine-module/request/budget.js';
import { startRequest, stepRequest, type RequestJob } from '../../engine-module/request/http-request.js';
import { closeIdle, grant } from '../../engine-module/request/pool.js';
import { normalizeSpec } from '../../engine-module/request/request-spec.js';
import { createRequester, type Requester } from '../../engine-module/request/requester.js';
import { Result } from '../../engine-module/request/result.js';
import { pattern, platform, startServer, type TestServer } from '../ecs/helpers.js';

const CHUNK = 65536; // HTTPClient's default read chunk size
/** The most one decode step can yield: its input at deflate's largest expansion. */
const MAX_STEP_OUTPUT = MAX_STEP_INPUT * 1032;

let server: TestServer;
let requester: Requester;
afterEach(async () => {
  if (requester) closeIdle(requester.pool);
  await server?.close();
});

// Dialogue-like text: compresses about tenfold, as the demo's gzip asset does.
const text = Buffer.from(
  Array.from({ length: 12_000 }, (_, i) => `{"id":${i},"who":"npc${i % 13}","line":"hello ${(i * 7919) % 1000}"}`).join('\n'),
);
const gzipped = gzipSync(text);

/**
 * Serve `body` (with a Content-Encoding when given; chunked when `encoding` is 'chunked'); returns whether the server
 * has written all of it yet.
 */
async function serve(body: Buffer, encoding?: string): Promise<() => boolean> {
  let written = false;
  server = await startServer((_req, res) => {
    const framing = encoding === 'chunked' ? {} : { 'Content-Length': body.length };
    res.writeHead(200, { ...framing, ...(encoding && encoding !== 'chunked' ? { 'Content-Encoding': encoding } : {}) });
    res.end(body, () => (written = true));
  });
  requester = createRequester({ platform });
  return () => written;
}

interface Tick {
  spent: number;
  read: number;
}

/**
 * Step one request tick by tick under `options` until it ends; what each tick spent and read. The first body read
 * waits until the server has written everything (`written`), so each tick has more ready than its budget allows.
 */
async function runTicks(job: RequestJob, options: BudgetOptions, written: () => boolean): Promise<Tick[]> {
  const ticks: Tick[] = [];
  let now = 0;
  while (job.phase !== 'done' && ticks.length < 10_000) {
    await new Promise((r) => setImmediate(r));
    if (job.phase === 'waiting' && !written()) {
      await new Promise((r) => setTimeout(r, 5));
      continue;
    }
    now += 16;
    grant(requester.pool, now);
    const budget = startBudget(options, () => now);
    const before = job.progress.received;
    shareTick(budget, [(first) => stepRequest(requester, job, now, budget, first)]);
    ticks.push({ spent: budget.spent, read: job.progress.received - before });
  }
  return ticks;
}

async function fetchBody(encoding: string | undefined, body: Buffer, options: BudgetOptions) {
  const written = await serve(body, encoding);
  const job = startRequest(requester, normalizeSpec({ url: server.url('/') }), 0);
  const ticks = await runTicks(job, options, written);
  return { job, ticks };
}

describe('body work per tick', () => {
  it('a gzip body under a byte budget decodes over several ticks, byte-exact, output counted as work', async () => {
    const budgetBytes = 32 * 1024;
    const { job, ticks } = await fetchBody('gzip', gzipped, { bytes: budgetBytes });
    expect(job.outcome?.result).toBe(Result.SUCCESS);
    expect(bytesEqual(job.outcome!.body!, text)).toBe(true);
    const bodyTicks = ticks.filter((t) => t.spent > 0);
    // Everything read and everything decoded was counted.
    expect(bodyTicks.reduce((n, t) => n + t.spent, 0)).toBe(gzipped.length + text.length);
    // The encoded body came whole in a tick or two; decoding it took many more.
    const readTicks = bodyTicks.filter((t) => t.read > 0).length;
    expect(bodyTicks.length).toBeGreaterThan(readTicks + 4);
    // No tick went past its budget by more than one unit: a chunk read plus one decode step.
    for (const t of bodyTicks) expect(t.spent).toBeLessThan(budgetBytes + CHUNK + MAX_STEP_OUTPUT);
  });

  it('the first unit of a gzip body decodes only a small first slice, however much arrived', async () => {
    const { ticks } = await fetchBody('gzip', gzipped, { bytes: 1 });
    const first = ticks.find((t) => t.read > 0)!;
    expect(first.read).toBe(gzipped.length);
    expect(first.spent - first.read).toBeLessThanOrEqual(MIN_STEP_INPUT * 1032);
  });

  // Chunked: a body of stated length is received straight into memory instead (tests/request/landing.test.ts).
  it('an identity body under a byte budget reads at most the budget plus a chunk per tick', async () => {
    const body = Buffer.from(pattern(1_000_000, 5));
    const { job, ticks } = await fetchBody('chunked', body, { bytes: 100_000 });
    expect(bytesEqual(job.outcome!.body!, body)).toBe(true);
    for (const t of ticks.filter((x) => x.spent > 0)) {
      expect(t.spent).toBe(t.read);
      expect(t.read).toBeLessThan(100_000 + CHUNK);
    }
  });

  it('without a budget, a tick still stops one request at its per-request share', async () => {
    const body = Buffer.from(pattern(1_000_000, 6));
    const { job, ticks } = await fetchBody('chunked', body, { perRequestBytes: 200_000 });
    expect(bytesEqual(job.outcome!.body!, body)).toBe(true);
    const reading = ticks.filter((t) => t.read > 0);
    expect(reading.length).toBeGreaterThanOrEqual(5);
    for (const t of reading) expect(t.read).toBeLessThan(200_000 + CHUNK);
  });
});
