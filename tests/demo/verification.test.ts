import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startVerification } from '../../demo/game/verification.js';
import { nodeCrypto, pureCrypto } from '../../engine-module/node.js';

const hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each([['node', nodeCrypto], ['pure', pureCrypto]])('asset verification with %s crypto', (_, crypto) => {
  it('hashes one slice per step and matches the digest', () => {
    const body = new Uint8Array(10_000).map((_, i) => i * 7);
    const check = startVerification(body, hex(body), crypto, 4096);
    expect(check.matches()).toBeNull();
    expect([check.step(), check.step(), check.step()]).toEqual([false, false, true]);
    expect(check.matches()).toBe(true);
    expect(check.digest()).toBe(hex(body));
    expect(check.step()).toBe(true);
  });

  it('reports a mismatch, and handles an empty body', () => {
    const body = new Uint8Array([1, 2, 3]);
    const wrong = startVerification(body, hex(new Uint8Array([1, 2, 4])), crypto);
    wrong.step();
    expect(wrong.matches()).toBe(false);
    const empty = startVerification(new Uint8Array(0), hex(new Uint8Array(0)), crypto);
    expect(empty.step()).toBe(true);
    expect(empty.matches()).toBe(true);
  });
});
