// The per-world state behind the HTTP components, kept beside the world (bitecs worlds are plain objects).
import type { HTTPClient } from '../http/client.js';
import type { Status } from '../http/constants.js';
import type { BudgetOptions, TickBudget, WorkUnit } from '../request/budget.js';
import type { RequestJob } from '../request/http-request.js';
import type { Requester } from '../request/requester.js';
import type { MemorySink } from '../request/sinks.js';
import type { HttpComponents } from './components.js';
import type { HttpEvent } from './events.js';

/** What a script reads from a world's HTTP systems: the components, this tick's events and the clock. */
export interface HttpWorld extends HttpComponents {
  /** Events of the last tick, in order; cleared when the next tick starts. */
  readonly events: readonly HttpEvent[];
  /** Tick-clock time of the last tick, in milliseconds. */
  readonly now: number;
}

/**
 * The object behind {@link HttpWorld} as the systems hold it: it also carries the world's request layer (its pool of
 * live connections), which scripts never touch; tests read its counts through `tickhttp/testing`.
 */
export interface HttpWorldState extends HttpWorld {
  events: HttpEvent[];
  now: number;
  readonly requester: Requester;
}

/** The request layer of a world's HTTP systems (what `getHttp(world)` returned carries it off its public type). */
export function requesterOf(http: HttpWorld): Requester {
  return (http as HttpWorldState).requester;
}

/** An attached low-level client. */
export interface ClientRecord {
  readonly eid: number;
  client: HTTPClient;
  collectBody: boolean;
  /** The body of the response being read, when the system collects bodies. */
  body: MemorySink | null;
  status: Status;
  /** This client's step as a unit of the tick's work, made once at attach so a tick allocates nothing for it. */
  readonly unit: WorkUnit;
  /** Its last step found nothing to do: it is left unpolled until {@link wake} is called. */
  asleep: boolean;
  /** In {@link HttpState.awake}. */
  listed: boolean;
  /** Called by the client's transport or by a call of the script that may change the client (see client-system). */
  readonly wake: () => void;
}

/** An entity's request. Results are written only while this very record is the entity's (see request-system). */
export interface RequestRecord {
  eid: number;
  job: RequestJob;
  /** Set once published to the components. */
  published: boolean;
  /** This request's step as a unit of the tick's work, made once so a tick allocates nothing for it. */
  readonly unit: WorkUnit;
  /** In {@link HttpState.running}. */
  listed: boolean;
}

export interface HttpState {
  readonly world: HttpWorldState;
  readonly clock: () => number;
  readonly budget: BudgetOptions | undefined;
  /** Real time for the `ms` budget, read between units of work. */
  readonly budgetClock: () => number;
  /** The budget of the tick in progress (or of the last one). */
  tick: TickBudget;
  /** This tick's units of work, kept between ticks so an idle tick allocates nothing. */
  readonly units: WorkUnit[];
  /** The requests stepped each tick: running and not parked (plus, until the next tick, the newly parked or ended). */
  readonly running: RequestRecord[];
  readonly clients: Map<number, ClientRecord>;
  /** The clients stepped each tick: those attached and not asleep (plus, until the next tick, the newly asleep). */
  readonly awake: ClientRecord[];
  readonly requests: Map<number, RequestRecord>;
  readonly unsubscribe: (() => void)[];
  /** Where this tick's round starts, so no request is always served last. */
  rotation: number;
}

const states = new WeakMap<object, HttpState>();

export function setState(world: object, state: HttpState): void {
  states.set(world, state);
}

export function dropState(world: object): void {
  states.delete(world);
}

/** The state of a world; a clear error when createHttpSystem() was not called for it (a caller mistake). */
export function stateOf(world: object): HttpState {
  const s = states.get(world);
  if (!s) throw new Error('tickhttp: call createHttpSystem(world) before using HTTP components on this world');
  return s;
}
