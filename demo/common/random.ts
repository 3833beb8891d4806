/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence on every run and every machine, which
 * is what makes the assets reproducible and lets the server replay a game from its seed.
 */
export interface Random {
  /** The next unsigned 32-bit value. */
  nextUint32(): number;
  /** An integer in [0, n). */
  below(n: number): number;
}

/** A generator seeded with an unsigned 32-bit integer. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return { nextUint32, below: (n) => Math.floor((nextUint32() / 0x1_0000_0000) * n) };
}

/** Fill `out` with seeded bytes, four at a time (fast enough for tens of MiB at start-up). */
export function fillSeeded(out: Uint8Array, seed: number): Uint8Array {
  const random = createRandom(seed);
  for (let i = 0; i < out.length; i += 4) {
    const word = random.nextUint32();
    out[i] = word;
    out[i + 1] = word >>> 8;
    out[i + 2] = word >>> 16;
    out[i + 3] = word >>> 24;
  }
  return out;
}
