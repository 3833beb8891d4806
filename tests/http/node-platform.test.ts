// The Node platform: resolution, trust store, randomness, clocks and files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getPlatform } from '../../engine-module/platform/platform.js';
import { createNodePlatform, nodeCrypto, pureCrypto } from '../../engine-module/node.js';
import { nextTick } from '../helpers/frame-stepper.js';

describe('Node platform', () => {
  const p = createNodePlatform();

  it('is installed by the Node entry, with node:crypto for TLS unless another provider is chosen', () => {
    expect(typeof getPlatform().connectTcp).toBe('function');
    expect(getPlatform().crypto).toBe(nodeCrypto);
    expect(p.crypto).toBe(nodeCrypto);
    expect(createNodePlatform({ crypto: pureCrypto }).crypto).toBe(pureCrypto);
  });

  it('resolves literals at once, *.invalid never, names through the OS resolver', async () => {
    expect([p.resolveHost('127.0.0.1').status(), p.resolveHost('127.0.0.1').address()]).toEqual(['done', '127.0.0.1']);
    expect(p.resolveHost('::1').address()).toBe('::1');
    expect(p.resolveHost('[::1]').address()).toBe('::1');
    expect(p.resolveHost('nosuchhost.invalid').status()).toBe('failed');
    expect(p.resolveHost('a.b.INVALID.').status()).toBe('failed');
    const local = p.resolveHost('localhost');
    for (let i = 0; i < 1000 && local.status() === 'pending'; i++) await nextTick();
    expect(local.status()).toBe('done');
    expect(['127.0.0.1', '::1']).toContain(local.address());
  });

  it('gives DER trusted roots (cached), random bytes, clocks', () => {
    const roots = p.trustedRoots();
    expect(roots.length).toBeGreaterThan(50);
    expect(roots[0][0]).toBe(0x30);
    expect(p.trustedRoots()).toBe(roots);
    const r = p.randomBytes(32);
    expect(r.length).toBe(32);
    expect(r).not.toEqual(p.randomBytes(32));
    expect(p.now()).toBeGreaterThanOrEqual(0);
    expect(p.wallClock()).toBeInstanceOf(Date);
  });

  it('files: size, open (truncate/append), read, remove', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tickhttp-'));
    try {
      const f = path.join(dir, 'a.bin');
      const files = p.files!;
      expect(files.size(f)).toBe(-1);
      const w = files.open(f, false)!;
      expect(w.write(new Uint8Array([1, 2, 3]))).toBe(true);
      w.close();
      const a = files.open(f, true)!;
      a.write(new Uint8Array([4]));
      a.close();
      expect(files.size(f)).toBe(4);
      expect(Array.from(files.read!(f)!)).toEqual([1, 2, 3, 4]);
      files.remove!(f);
      expect(files.size(f)).toBe(-1);
      expect(files.read!(f)).toBeNull();
      expect(files.open(path.join(dir, 'missing', 'x'), false)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
