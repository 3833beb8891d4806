// Ends every run with one plain line, "tests: N passed, N failed, N skipped", that any CI can read without knowing
// vitest's own summary format.
import type { Reporter } from 'vitest/reporters';

type Task = { type: string; result?: { state?: string }; mode?: string; tasks?: Task[] };

function count(tasks: readonly Task[], totals: { passed: number; failed: number; skipped: number }): void {
  for (const t of tasks) {
    if (t.tasks) count(t.tasks, totals);
    if (t.type !== 'test') continue;
    const state = t.result?.state;
    if (state === 'pass') totals.passed++;
    else if (state === 'fail') totals.failed++;
    else totals.skipped++;
  }
}

export default class SummaryReporter implements Reporter {
  onFinished(files: readonly Task[] = [], errors: readonly unknown[] = []): void {
    const totals = { passed: 0, failed: 0, skipped: 0 };
    count(files, totals);
    const failed = totals.failed + errors.length;
    console.log(`\ntests: ${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped`);
  }
}
