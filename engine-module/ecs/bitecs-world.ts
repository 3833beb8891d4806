// bitecs 0.4 keeps a world's registries under a global symbol. A world made by another bitecs (0.3 keeps its state
// elsewhere, e.g. when a project pins 0.3 and a nested 0.4 was installed for tickhttp) has none, and the systems would
// fail deep inside bitecs with "Cannot read properties of undefined". Checked once, where a world is set up.
import type { World } from 'bitecs';

const BITECS_INTERNAL = Symbol.for('bitecs_internal');

/** Throws a clear error unless `world` was made by bitecs 0.4's createWorld(). */
export function assertBitecsWorld(world: World): void {
  const internal = (world as Partial<Record<symbol, { queriesHashMap?: unknown }>> | null)?.[BITECS_INTERNAL];
  if (internal?.queriesHashMap instanceof Map) return;
  throw new TypeError(
    "tickhttp: this world was not made by bitecs 0.4's createWorld(); tickhttp needs bitecs ^0.4 (a peer " +
      'dependency). Install bitecs@^0.4 and create the world with it (`npm ls bitecs` shows a second copy).',
  );
}
