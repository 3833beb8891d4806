import { describe, expect, it } from 'vitest';
import {
  closeIdle,
  createPool,
  dequeue,
  enqueue,
  grant,
  idleCount,
  release,
  sweepIdle,
  type PoolHooks,
} from '../../engine-module/request/pool.js';

interface FakeConn {
  id: number;
  key: string;
  alive: boolean;
  closed: boolean;
}

function hooks(): PoolHooks<FakeConn> & { made: FakeConn[] } {
  const made: FakeConn[] = [];
  return {
    made,
    open: (key) => {
      const c = { id: made.length, key, alive: true, closed: false };
      made.push(c);
      return c;
    },
    usable: (c) => c.alive && !c.closed,
    close: (c) => void (c.closed = true),
  };
}

describe('connection pool bookkeeping', () => {
  it('caps per origin, queues FIFO beyond it and reuses released connections', () => {
    const h = hooks();
    const pool = createPool(h, { maxPerOrigin: 2 });
    const ws = [1, 2, 3, 4].map(() => enqueue(pool, 'a')!);
    grant(pool, 0);
    expect(ws.map((w) => w.lease?.conn.id ?? null)).toEqual([0, 1, null, null]);
    expect(pool.open).toBe(2);
    expect(pool.leased).toBe(2);
    release(pool, ws[1].lease!, true, 5);
    grant(pool, 5);
    expect(ws[2].lease).toMatchObject({ reused: true, conn: { id: 1 } });
    expect(ws[3].lease).toBeNull();
    release(pool, ws[0].lease!, false, 6);
    grant(pool, 6);
    expect(ws[3].lease).toMatchObject({ reused: false, conn: { id: 2 } });
    expect(h.made[0].closed).toBe(true);
    expect(pool.open).toBe(2);
  });

  it('does not let a capped origin block another one behind it', () => {
    const pool = createPool(hooks(), { maxPerOrigin: 1 });
    const a1 = enqueue(pool, 'a')!;
    const a2 = enqueue(pool, 'a')!;
    const b1 = enqueue(pool, 'b')!;
    grant(pool, 0);
    expect([!!a1.lease, !!a2.lease, !!b1.lease]).toEqual([true, false, true]);
  });

  it('passes over the waiters of a full origin, yet a fresh-only waiter does not keep the next from an idle connection', () => {
    const pool = createPool(hooks(), { maxPerOrigin: 1 });
    const first = enqueue(pool, 'a')!;
    grant(pool, 0);
    release(pool, first.lease!, true, 1);
    // 'a' is at its cap with one idle connection: a waiter that needs a new connection gets nothing, the next one
    // takes the idle connection, and the one after gets nothing; 'b' behind them all is served.
    const fresh = enqueue(pool, 'a', true)!;
    const reuse = enqueue(pool, 'a')!;
    const later = enqueue(pool, 'a')!;
    const other = enqueue(pool, 'b')!;
    grant(pool, 2);
    expect([fresh.lease, later.lease]).toEqual([null, null]);
    expect(reuse.lease).toMatchObject({ reused: true, conn: { id: 0 } });
    expect(other.lease).toMatchObject({ reused: false, key: 'b' });
    expect(pool.queue).toEqual([fresh, later]);
  });

  it('makes room under the overall cap by closing the oldest idle connection of another origin', () => {
    const h = hooks();
    const pool = createPool(h, { maxTotal: 2 });
    const a = enqueue(pool, 'a')!;
    const b = enqueue(pool, 'b')!;
    grant(pool, 0);
    release(pool, a.lease!, true, 1);
    release(pool, b.lease!, true, 2);
    const c = enqueue(pool, 'c')!;
    grant(pool, 3);
    expect(c.lease?.conn.key).toBe('c');
    expect(h.made[0].closed).toBe(true);
    expect(h.made[1].closed).toBe(false);
    expect(pool.open).toBe(2);
  });

  it('bounds the queue', () => {
    const pool = createPool(hooks(), { maxQueue: 2 });
    expect(enqueue(pool, 'a')).not.toBeNull();
    const w = enqueue(pool, 'a')!;
    expect(enqueue(pool, 'a')).toBeNull();
    dequeue(pool, w);
    expect(enqueue(pool, 'a')).not.toBeNull();
  });

  it('skips an idle connection its server closed and opens a fresh one', () => {
    const h = hooks();
    const pool = createPool(h, { maxPerOrigin: 1 });
    const w = enqueue(pool, 'a')!;
    grant(pool, 0);
    release(pool, w.lease!, true, 0);
    h.made[0].alive = false;
    const w2 = enqueue(pool, 'a')!;
    grant(pool, 1);
    expect(w2.lease).toMatchObject({ reused: false, conn: { id: 1 } });
    expect(h.made[0].closed).toBe(true);
    expect(pool.open).toBe(1);
  });

  it('closes idle connections after the idle timeout, and all on closeIdle', () => {
    const h = hooks();
    const pool = createPool(h, { idleTimeoutMs: 100 });
    const ws = [enqueue(pool, 'a')!, enqueue(pool, 'b')!];
    grant(pool, 0);
    release(pool, ws[0].lease!, true, 0);
    release(pool, ws[1].lease!, true, 50);
    sweepIdle(pool, 99);
    expect(idleCount(pool)).toBe(2);
    sweepIdle(pool, 100);
    expect(idleCount(pool)).toBe(1);
    expect(h.made[0].closed).toBe(true);
    expect([...pool.origins.keys()]).toEqual(['b']); // a key with neither waiters nor connections is forgotten
    closeIdle(pool);
    expect(idleCount(pool)).toBe(0);
    expect(pool.open).toBe(0);
    expect(pool.origins.size).toBe(0);
  });

  it('forgets a key whose last waiter left the queue', () => {
    const pool = createPool(hooks(), { maxPerOrigin: 1 });
    const [first, second] = [enqueue(pool, 'a')!, enqueue(pool, 'a')!];
    grant(pool, 0);
    const other = enqueue(pool, 'b')!;
    dequeue(pool, other);
    expect([...pool.origins.keys()]).toEqual(['a']);
    dequeue(pool, second);
    release(pool, first.lease!, false, 0);
    expect(pool.origins.size).toBe(0);
  });
});
