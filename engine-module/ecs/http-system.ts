// The entry point: createHttpSystem(world) once, updateHttp(world) every tick.
import { observe, onRemove, type World } from 'bitecs';
import { startBudget, type BudgetOptions, type WorkUnit } from '../request/budget.js';
import { cancelRequest } from '../request/http-request.js';
import { closeIdle } from '../request/pool.js';
import { createRequester, type RequesterOptions } from '../request/requester.js';
import { runTick } from '../request/tick.js';
import { assertBitecsWorld } from './bitecs-world.js';
import { awakeClients, onClientRemoved } from './client-system.js';
import { createComponents } from './components.js';
import type { HttpEvent } from './events.js';
import { dropState, setState, stateOf, type HttpState, type HttpWorld, type RequestRecord } from './http-state.js';
import { onRequestRemoved, publish, runningRequests } from './request-system.js';

/** Options of a world's HTTP systems. */
export interface HttpSystemOptions extends RequesterOptions {
  /** Work per tick for all clients and requests together (default: DEFAULT_TICK_MS of extra body work). */
  budget?: BudgetOptions;
  /** The tick clock in milliseconds, read once per tick; timeouts, backoff and idle times use it (default platform.now). */
  clock?: () => number;
  /** Initial size of the SoA stores (they grow as larger entity ids appear; default 1024). */
  capacity?: number;
}

/**
 * Set up HTTP for a world: its components, connection pool and observers. Call once per world; read the returned
 * components (also available with getHttp(world)) to query entities. Throws when `world` was not made by
 * bitecs 0.4.
 */
export function createHttpSystem(world: World, options: HttpSystemOptions = {}): HttpWorld {
  assertBitecsWorld(world);
  const requester = createRequester(options);
  const platform = requester.platform;
  const clock = options.clock ?? (() => platform.now());
  const pub = { ...createComponents(options.capacity ?? 1024), events: [] as HttpEvent[], now: clock(), requester };
  const budgetClock = () => platform.now();
  const s: HttpState = {
    world: pub,
    clock,
    budget: options.budget,
    budgetClock,
    tick: startBudget(options.budget, budgetClock),
    units: [],
    running: [],
    clients: new Map(),
    awake: [],
    requests: new Map(),
    unsubscribe: [],
    rotation: 0,
  };
  setState(world, s);
  s.unsubscribe.push(
    observe(world, onRemove(pub.Client), (eid: number) => onClientRemoved(s, eid)),
    observe(world, onRemove(pub.Request), (eid: number) => onRequestRemoved(world, s, eid)),
  );
  return pub;
}

/** The HTTP components and state of a world set up with createHttpSystem. */
export function getHttp(world: World): HttpWorld {
  return stateOf(world).world;
}

/**
 * One tick: clear last tick's events, read the clock, then give every attached client and running request one step
 * (poll, connect, send, one unit of body work: a chunk read or a slice decoded), then more units, round-robin, to
 * those with work ready while the tick's budget lasts, and a request does at most {@link BudgetOptions.perRequestBytes}
 * of work per tick. An attached client with nothing to do (idle on its connection, or not connected) is left
 * unpolled until its transport reports activity or the script calls it, so idle clients cost a tick nothing.
 * Outcomes land in Outcome/Done and events in this same tick. Never throws.
 */
export function updateHttp(world: World): void {
  const s = stateOf(world);
  s.world.events.length = 0;
  s.world.now = s.clock();
  s.tick = startBudget(s.budget, s.budgetClock);
  let running: readonly RequestRecord[] = [];
  const units = (): readonly WorkUnit[] => {
    const list = s.units;
    list.length = 0;
    for (const rec of awakeClients(s)) list.push(rec.unit);
    running = runningRequests(s);
    for (const rec of running) list.push(rec.unit);
    return list;
  };
  runTick(s.world.requester, s.world.now, s.tick, units, () => {
    for (const rec of running) publish(world, s, rec);
  });
}

/** Cancel every request, close every attached client and pooled connection, and detach from the world. */
export function destroyHttpSystem(world: World): void {
  const s = stateOf(world);
  for (const off of s.unsubscribe) off();
  for (const rec of s.requests.values()) cancelRequest(s.world.requester, rec.job, s.world.now);
  for (const rec of s.clients.values()) rec.client.close();
  s.requests.clear();
  s.clients.clear();
  s.awake.length = 0;
  s.running.length = 0;
  closeIdle(s.world.requester.pool);
  dropState(world);
}
