import { describe, expect, it } from 'vitest';
import { describeTicks, emptyStats, meanTickMs, runTicks, tickQuantileMs } from '../../demo/game/tick-loop.js';

describe('fixed tick loop', () => {
  it('runs ticks in order until told to stop and measures each tick\'s work', async () => {
    const seen: number[] = [];
    let clock = 0;
    // Every reading of the clock advances it 1 ms, so each tick measures a known amount of work.
    const stats = await runTicks(1000, (i) => {
      seen.push(i);
      return i < 9;
    }, emptyStats(), () => clock++);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stats.ticks).toBe(10);
    expect(stats.longestMs).toBe(1);
    expect(meanTickMs(stats)).toBe(1);
  });

  it('counts slow ticks, finds the longest and the 99th percentile', async () => {
    // Each tick's work reads as its index in ms: tick 11 (11 ms) is the longest, ticks 9..11 are over 8 ms.
    let clock = 0;
    let work = 0;
    const stats = await runTicks(1000, (i) => {
      work = i;
      return i < 11;
    }, emptyStats(), () => (clock += work));
    expect(stats.ticks).toBe(12);
    expect(stats.longestMs).toBe(11);
    expect(stats.longestAt).toBe(11);
    expect(stats.slow).toBe(3);
    expect(tickQuantileMs(stats, 0.99)).toBe(11);
    expect(tickQuantileMs(stats, 0.5)).toBe(6);
  });

  it('says how much of the longest tick its thread waited for a core, when given a clock of those waits', async () => {
    // Tick i takes i ms of work, of which i / 2 ms waiting for a core (as the wait clock reads it).
    let clock = 0;
    let waited = 0;
    let work = 0;
    const stats = await runTicks(1000, (i) => {
      work = i;
      waited += i / 2;
      return i < 6;
    }, emptyStats(), () => (clock += work), () => waited);
    expect(stats.longestAt).toBe(6);
    expect(stats.longestWaitMs).toBe(3);
    expect(describeTicks(stats, 60)).toMatch(/longest 6\.00 ms \(tick 6, 3\.00 ms of it waiting for a core\)/);
    const untold = await runTicks(1000, (i) => i < 2, emptyStats());
    expect(untold.longestWaitMs).toBeNull();
    expect(describeTicks(untold, 60)).toMatch(/\(tick \d+\), p99/);
  });

  it('updates the stats it was given as it goes', async () => {
    const stats = emptyStats();
    const counts: number[] = [];
    await runTicks(500, (i) => {
      counts.push(stats.ticks);
      return i < 2;
    }, stats);
    expect(counts).toEqual([0, 1, 2]);
  });

  it('rejects when a tick throws', async () => {
    await expect(runTicks(1000, () => {
      throw new Error('boom');
    }, emptyStats())).rejects.toThrow('boom');
  });
});
