import { describe, expect, it } from 'vitest';
import { hasBudget, spend, startBudget } from '../../engine-module/request/budget.js';

describe('tick budget', () => {
  it('is unlimited by default', () => {
    const b = startBudget(undefined, () => 0);
    spend(b, 1e12);
    expect(hasBudget(b)).toBe(true);
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
