/**
 * A fixed-rate game loop: tick n starts at start + n/rate seconds, and between ticks the event loop is free, which is
 * when sockets deliver bytes. The loop records how long each tick's own work took, the figure that shows whether
 * networking ever stalled a frame.
 */
import { formatMs } from '../terminal/format.js';

/** A tick that takes this long has used half of a 60 Hz frame: such ticks are counted. */
export const SLOW_TICK_MS = 8;

/** What the loop measured. */
export interface TickStats {
  ticks: number;
  /** The longest single tick's work, in milliseconds. */
  longestMs: number;
  /** Index of that tick. */
  longestAt: number;
  /** Ticks whose work took longer than {@link SLOW_TICK_MS}. */
  slow: number;
  /** Every tick's work, in milliseconds, in order. */
  durations: number[];
  /** All ticks' work added up, in milliseconds. */
  busyMs: number;
  /** Ticks that started more than one period late (the machine, not the tick, was busy). */
  late: number;
  /**
   * Of the longest tick, the milliseconds its thread was ready to run but waited for a core (other threads and
   * processes had them all); null where the loop cannot tell (see {@link runTicks}).
   */
  longestWaitMs: number | null;
}

export function emptyStats(): TickStats {
  return { ticks: 0, longestMs: 0, longestAt: 0, slow: 0, durations: [], busyMs: 0, late: 0, longestWaitMs: null };
}

/** The tick work at quantile `q` (0..1, e.g. 0.99) of the ticks so far, in milliseconds. */
export function tickQuantileMs(stats: TickStats, q: number): number {
  const sorted = [...stats.durations].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Mean work per tick in milliseconds. */
export function meanTickMs(stats: TickStats): number {
  return stats.ticks === 0 ? 0 : stats.busyMs / stats.ticks;
}

/** The figures in one line, as every view of the demo shows them (`rate` in ticks per second). */
export function describeTicks(s: TickStats, rate: number): string {
  const waited = s.longestWaitMs === null ? '' : `, ${formatMs(s.longestWaitMs)} of it waiting for a core`;
  return `${s.ticks} ticks, longest ${formatMs(s.longestMs)} (tick ${s.longestAt}${waited}), ` +
    `p99 ${formatMs(tickQuantileMs(s, 0.99))}, mean ${formatMs(meanTickMs(s))}, over ${SLOW_TICK_MS} ms ${s.slow}, ` +
    `frame ${formatMs(1000 / rate)}, late starts ${s.late}`;
}

/**
 * Run tick `index` and add it to `stats`: its work time, and whether it started late. Every game loop of the demo (the
 * timer loop here, the page's animation-frame loop) measures its ticks with this, so their figures mean the same.
 * `waited`: milliseconds the thread has waited for a core so far, where the system tells.
 */
export function timedTick(stats: TickStats, index: number, late: boolean, tick: (index: number) => boolean,
  now: () => number = () => performance.now(), waited?: () => number): boolean {
  if (late) stats.late++;
  const waitedBefore = waited?.() ?? 0;
  const started = now();
  const more = tick(index);
  const took = now() - started;
  stats.ticks++;
  stats.busyMs += took;
  stats.durations.push(took);
  if (took > SLOW_TICK_MS) stats.slow++;
  if (took > stats.longestMs) {
    stats.longestMs = took;
    stats.longestAt = index;
    stats.longestWaitMs = waited ? waited() - waitedBefore : null;
  }
  return more;
}

/**
 * Run `tick` at `rate` ticks per second until it returns false. `stats` is updated in place after every tick so a
 * tick can show the figures so far. When the loop falls behind by more than a few periods it skips ahead instead of
 * running a burst of catch-up ticks. `waited` (see {@link timedTick}) lets the longest tick say how much of it was
 * the thread waiting for a core rather than working.
 */
export function runTicks(rate: number, tick: (index: number) => boolean, stats: TickStats,
  now: () => number = () => performance.now(), waited?: () => number): Promise<TickStats> {
  const period = 1000 / rate;
  let origin = now();
  let index = 0;
  return new Promise((resolve, reject) => {
    const step = (): void => {
      const started = now();
      const due = origin + index * period;
      if (started - due > 4 * period) origin = started - index * period;
      let more: boolean;
      try {
        more = timedTick(stats, index, started - due > period, tick, now, waited);
      } catch (error) {
        reject(error);
        return;
      }
      index++;
      if (!more) {
        resolve(stats);
        return;
      }
      setTimeout(step, Math.max(0, origin + index * period - now()));
    };
    setTimeout(step, 0);
  });
}
