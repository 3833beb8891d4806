// One frame of request work, the same for every driver of the request layer (the ECS systems, the HTTPRequest
// scene): hand free connections to waiting requests, share the tick's budget among the units of work, let the driver
// publish what ended, then hand out what those endings freed and close connections idle for too long.
import { hasBudget, shareTick, type TickBudget, type WorkUnit } from './budget.js';
import { failRequest, stepRequest, type RequestJob } from './http-request.js';
import { wakeDue } from './parking.js';
import { grant, sweepIdle } from './pool.js';
import type { Requester } from './requester.js';

/**
 * Run one tick at tick time `now`: grant connections and wake the parked jobs that are due, then the work of the
 * `units()` the driver lists (after the wakes, so a job granted now sends in this tick); `publish` runs after the
 * work, before freed connections are granted. The `budget` also paces the pool's TLS handshakes (takeSetupUnit), and
 * what the work leaves of it goes to the warm-ups (Requester.warmUps).
 */
export function runTick(r: Requester, now: number, budget: TickBudget, units: () => readonly WorkUnit[], publish: () => void): void {
  r.tick = budget;
  grant(r.pool, now);
  wakeDue(r.deadlines, now);
  shareTick(budget, units());
  publish();
  // Warm-ups in the time the tick's work left over, a small piece at a time.
  while (r.warmUps.length > 0 && hasBudget(budget)) {
    if (!r.warmUps[0].step()) r.warmUps.shift();
  }
  grant(r.pool, now);
  sweepIdle(r.pool, now);
}

/**
 * One step of a request (see stepRequest). An exception from a host or custom API (a file system, a cache) ends the
 * request as an outcome instead of reaching the game loop.
 */
export function stepGuarded(r: Requester, job: RequestJob, now: number, budget: TickBudget, first: boolean): boolean {
  try {
    return stepRequest(r, job, now, budget, first);
  } catch (e) {
    failRequest(r, job, now, e);
    return false;
  }
}
