// A job waiting in the pool's queue has nothing to do until the pool grants it a connection or its total timeout runs
// out. It is parked: `asleep` tells its driver to stop stepping it, and it is woken (its `onWake` called) by the grant
// or by its deadline, kept in a binary heap ordered by time so a tick looks only at the deadlines that are due. 10,000
// queued requests then cost a tick nothing but the heap's top.
import type { RequestJob } from './job.js';

/** Parked jobs with a total timeout, earliest deadline first. */
export interface Deadlines {
  readonly jobs: RequestJob[];
}

export function createDeadlines(): Deadlines {
  return { jobs: [] };
}

/** Park a job queued without a grant; a driver that honours `asleep` stops stepping it until it wakes. */
export function park(deadlines: Deadlines, job: RequestJob): void {
  if (job.asleep) return;
  job.asleep = true;
  const { totalMs } = job.spec.timeouts;
  if (totalMs > 0) push(deadlines, job, job.clock.start + totalMs);
}

/** Wake a parked job (granted, or its deadline due): its driver steps it again. */
export function wake(deadlines: Deadlines, job: RequestJob): void {
  if (!job.asleep) return;
  unpark(deadlines, job);
  job.onWake?.();
}

/** Take a job out of parking without waking its driver (it is being cancelled). */
export function unpark(deadlines: Deadlines, job: RequestJob): void {
  job.asleep = false;
  if (job.parkedAt >= 0) remove(deadlines, job.parkedAt);
}

/** Wake the parked jobs whose total timeout is due at `now`. */
export function wakeDue(deadlines: Deadlines, now: number): void {
  const { jobs } = deadlines;
  while (jobs.length > 0 && jobs[0].parkedUntil <= now) wake(deadlines, jobs[0]);
}

function push(d: Deadlines, job: RequestJob, at: number): void {
  job.parkedUntil = at;
  job.parkedAt = d.jobs.length;
  d.jobs.push(job);
  up(d, job.parkedAt);
}

function remove(d: Deadlines, at: number): void {
  const { jobs } = d;
  const gone = jobs[at];
  const last = jobs.pop()!;
  gone.parkedAt = -1;
  if (last === gone) return;
  place(d, last, at);
  up(d, at);
  down(d, last.parkedAt);
}

function place(d: Deadlines, job: RequestJob, at: number): void {
  d.jobs[at] = job;
  job.parkedAt = at;
}

function up(d: Deadlines, at: number): void {
  const { jobs } = d;
  const job = jobs[at];
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (jobs[parent].parkedUntil <= job.parkedUntil) break;
    place(d, jobs[parent], at);
    at = parent;
  }
  place(d, job, at);
}

function down(d: Deadlines, at: number): void {
  const { jobs } = d;
  const job = jobs[at];
  for (;;) {
    const left = 2 * at + 1;
    if (left >= jobs.length) break;
    const child = left + 1 < jobs.length && jobs[left + 1].parkedUntil < jobs[left].parkedUntil ? left + 1 : left;
    if (jobs[child].parkedUntil >= job.parkedUntil) break;
    place(d, jobs[child], at);
    at = child;
  }
  place(d, job, at);
}
