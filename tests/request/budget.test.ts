import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TICK_MS, hasBudget, PER_REQUEST_BYTES, shareTick, spend, startBudget, takeSetupUnit, type TickBudget,
  type WorkUnit,
} from '../../engine-module/request/budget.js';

/** A participant with `units` units of `bytes` each ready; records how many ran. */
function worker(budget: TickBudget, units: number, bytes: number, onUnit: () => void = () => {}) {
  const w = { ran: 0, firsts: 0 };
  const unit: WorkUnit = (first) => {
    if (first) w.firsts++;
    if (w.ran >= units) return false;
    w.ran++;
    spend(budget, bytes);
    onUnit();
    return w.ran < units;
  };
  return { w, unit };
}

describe('tick budget', () => {
  it('by default limits time to DEFAULT_TICK_MS and each request to its share, never bytes in all', () => {
    let t = 0;
    const b = startBudget(undefined, () => t);
    spend(b, 1e12);
    expect(hasBudget(b)).toBe(true);
    t = DEFAULT_TICK_MS - 0.01;
    expect(hasBudget(b)).toBe(true);
    t = DEFAULT_TICK_MS;
    expect(hasBudget(b)).toBe(false);
    expect(b.perRequestBytes).toBe(PER_REQUEST_BYTES);
    expect(startBudget({ perRequestBytes: Infinity }, () => 0).perRequestBytes).toBe(Infinity);
    t = 1e9;
    expect(hasBudget(startBudget({ ms: Infinity }, () => t))).toBe(true);
  });

  it('runs out on bytes or on milliseconds, whichever comes first', () => {
    let t = 100;
    const bytes = startBudget({ bytes: 1000 }, () => t);
    spend(bytes, 999);
    expect(hasBudget(bytes)).toBe(true);
    spend(bytes, 1);
    expect(hasBudget(bytes)).toBe(false);

    const ms = startBudget({ ms: 5, bytes: 1e9 }, () => t);
    t = 104;
    expect(hasBudget(ms)).toBe(true);
    t = 105;
    expect(hasBudget(ms)).toBe(false);
  });
});

describe('connection setup units', () => {
  it('the first of a tick always runs; further ones only while the budget lasts', () => {
    let t = 0;
    const spent = startBudget({ ms: 0 }, () => t);
    expect(takeSetupUnit(spent)).toBe(true);
    expect(takeSetupUnit(spent)).toBe(false);
    expect(spent.setupUnits).toBe(1);

    const timed = startBudget({ ms: 3 }, () => t);
    expect([takeSetupUnit(timed), takeSetupUnit(timed), takeSetupUnit(timed)]).toEqual([true, true, true]);
    t = 3;
    expect(takeSetupUnit(timed)).toBe(false);
    expect(timed.setupUnits).toBe(3);
    // A new tick starts the count again.
    expect(takeSetupUnit(startBudget({ ms: 0 }, () => t))).toBe(true);
  });

  it('a further one only while the budget would last through one as long as the time since the last began', () => {
    let t = 0;
    const tick = startBudget({ ms: 3 }, () => t);
    expect(takeSetupUnit(tick)).toBe(true);
    t = 0.5; // the first took half a millisecond: one more fits (ends near 1 ms)
    expect(takeSetupUnit(tick)).toBe(true);
    t = 1.9; // that one took 1.4 ms: another as long would end at 3.3, past the deadline
    expect(takeSetupUnit(tick)).toBe(false);
    expect(tick.setupUnits).toBe(2);

    t = 10;
    const slow = startBudget({ ms: 3 }, () => t);
    expect(takeSetupUnit(slow)).toBe(true);
    t = 12.7; // a 2.7 ms key exchange, 0.3 ms of budget left: the next waits for the next tick
    expect(takeSetupUnit(slow)).toBe(false);
  });
});

describe('sharing a tick', () => {
  it('runs every first unit even with no budget left, then nothing more', () => {
    const budget = startBudget({ bytes: 1 }, () => 0);
    const ws = [worker(budget, 10, 100), worker(budget, 10, 100), worker(budget, 10, 100)];
    shareTick(budget, ws.map((x) => x.unit));
    expect(ws.map((x) => [x.w.firsts, x.w.ran])).toEqual([[1, 1], [1, 1], [1, 1]]);
  });

  it('shares extra units round-robin until the byte budget is spent, overshooting by less than one unit', () => {
    const budget = startBudget({ bytes: 1000 }, () => 0);
    const a = worker(budget, 100, 100);
    const b = worker(budget, 100, 100);
    shareTick(budget, [a.unit, b.unit]);
    expect(a.w.ran + b.w.ran).toBe(10);
    expect(Math.abs(a.w.ran - b.w.ran)).toBeLessThanOrEqual(1);
    expect(budget.spent).toBeLessThan(1000 + 100);
  });

  it('reads the clock between units: a millisecond budget stops extra units at the deadline', () => {
    let t = 0;
    const budget = startBudget({ ms: 5 }, () => t);
    // Each unit takes 1 ms on this clock.
    const a = worker(budget, 100, 10, () => t++);
    const b = worker(budget, 100, 10, () => t++);
    shareTick(budget, [a.unit, b.unit]);
    expect(a.w.ran + b.w.ran).toBe(5);
    expect(t).toBe(5);
  });

  it('stops one participant at its per-request share while others go on', () => {
    const budget = startBudget({ perRequestBytes: 1000 }, () => 0);
    const greedy = worker(budget, 100, 300);
    const small = worker(budget, 3, 10);
    shareTick(budget, [greedy.unit, small.unit]);
    expect(greedy.w.ran).toBe(4); // 300, 600, 900, then 1200 >= 1000 stops it
    expect(small.w.ran).toBe(3);
  });

  it('without any budget, a participant works until it has nothing ready', () => {
    const budget = startBudget({ perRequestBytes: Infinity }, () => 0);
    const a = worker(budget, 500, 65536);
    shareTick(budget, [a.unit]);
    expect(a.w.ran).toBe(500);
  });
});
