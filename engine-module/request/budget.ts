// The per-tick work budget of the HTTP systems, and how a tick shares it. Work comes in units small enough that the
// budget can be checked between them: one body chunk read (at most the client's readChunkSize, 64 KiB by default),
// or one slice of decompression (about STEP_OUTPUT decoded bytes), with what that unit writes to its sink. Every
// active request and client gets one unit per tick whatever the budget; the budget only limits the extra units that
// let a download run faster than one chunk per frame.
//
// By default a tick does extra units for DEFAULT_TICK_MS of real time: at 60 Hz that is about an eighth of the frame,
// and on a 2-core machine enough for a few MiB per tick, so a download still runs at hundreds of MB/s while no tick
// takes more than a few milliseconds. One request's work in a tick also stops once it passes `perRequestBytes`
// (bytes read plus bytes decoded, 8 MiB by default). `ms: Infinity` lifts the time limit: a tick then reads whatever
// has arrived, which is bounded only by the transport (the Node platform pauses a socket past its 8 MiB high-water
// mark; the TLS layer keeps at most 4 MiB decrypted) and by the per-request share.

/** Per-tick limits; each one left out takes its default. */
export interface BudgetOptions {
  /** Work per tick across all requests and clients, in bytes: body bytes read plus bytes decoded from them. */
  bytes?: number;
  /**
   * Milliseconds of body work per tick, measured with the platform's monotonic clock between units of work (default
   * {@link DEFAULT_TICK_MS}; Infinity for no time limit).
   */
  ms?: number;
  /**
   * Work one request or client may do per tick, in the same bytes as `bytes` (default 8 MiB, what a Node socket
   * buffers; Infinity for none). Its first unit of the tick always runs.
   */
  perRequestBytes?: number;
}

/**
 * Default time a tick spends on extra units of body work. A unit starts only while the tick is under it, so a tick
 * ends at most one unit (tens of microseconds) past it, plus every participant's guaranteed first unit.
 */
export const DEFAULT_TICK_MS = 3;

/** Default per-request work per tick: the Node socket's high-water mark, so what a socket buffered is read whole. */
export const PER_REQUEST_BYTES = 8 * 1024 * 1024;

/** What is left of this tick's budget. */
export interface TickBudget {
  bytesLeft: number;
  /** Bytes of work counted so far this tick. */
  spent: number;
  /** Units of connection setup (TLS handshake steps) run so far this tick; see {@link takeSetupUnit}. */
  setupUnits: number;
  /** When the last setup unit of this tick was let through (NaN before the first). */
  setupAt: number;
  /** Real time after which no extra unit starts. */
  readonly deadline: number;
  readonly perRequestBytes: number;
  readonly clock: () => number;
}

/** This tick's budget, starting now. */
export function startBudget(options: BudgetOptions | undefined, clock: () => number): TickBudget {
  const ms = options?.ms ?? DEFAULT_TICK_MS;
  return {
    bytesLeft: options?.bytes ?? Infinity,
    spent: 0,
    setupUnits: 0,
    setupAt: NaN,
    deadline: ms === Infinity ? Infinity : clock() + ms,
    perRequestBytes: options?.perRequestBytes ?? PER_REQUEST_BYTES,
    clock,
  };
}

/** Count bytes of work (read or decoded) against the budget. */
export function spend(budget: TickBudget, bytes: number): void {
  budget.bytesLeft -= bytes;
  budget.spent += bytes;
}

/** Whether another extra unit may start this tick. */
export function hasBudget(budget: TickBudget): boolean {
  return budget.bytesLeft > 0 && (budget.deadline === Infinity || budget.clock() < budget.deadline);
}

/**
 * Whether a unit of connection setup may run now, counting it when it may: the tick's first always does, further
 * ones only while the budget would last through one more as long as the time since the last began (at least that
 * unit's own time). A TLS handshake step (a key share, a key exchange, a signature check) costs from a tenth of a
 * millisecond (node:crypto, compiled) to several (the pure provider's X25519): connections opened together would
 * otherwise all put theirs into the same tick, and a step begun just before the deadline could end long after it.
 */
export function takeSetupUnit(budget: TickBudget): boolean {
  const now = budget.clock();
  if (budget.setupUnits > 0 && (!hasBudget(budget) || now + (now - budget.setupAt) >= budget.deadline)) return false;
  budget.setupUnits++;
  budget.setupAt = now;
  return true;
}

/**
 * One unit of work of a request or client: `first` on its guaranteed unit of the tick (which also polls). Returns
 * true when another unit would make progress now.
 */
export type WorkUnit = (first: boolean) => boolean;

// The participants still asking for units this tick and the work each did, kept between ticks so that sharing a
// tick allocates nothing (a tick never runs inside another).
const active: (WorkUnit | null)[] = [];
const used: number[] = [];

/**
 * Run one tick's work: every participant's first unit, in order, then further units round-robin, one each per round,
 * while the budget lasts and each participant stays under its per-request share.
 */
export function shareTick(budget: TickBudget, units: readonly WorkUnit[]): void {
  let n = 0;
  for (const unit of units) {
    const before = budget.spent;
    if (unit(true)) {
      active[n] = unit;
      used[n++] = budget.spent - before;
    }
  }
  const filled = n;
  while (n > 0 && hasBudget(budget)) {
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (used[i] >= budget.perRequestBytes || !hasBudget(budget)) continue;
      const before = budget.spent;
      const unit = active[i]!;
      if (unit(false)) {
        active[kept] = unit;
        used[kept++] = used[i] + budget.spent - before;
      }
    }
    n = kept;
  }
  active.fill(null, 0, filled);
}
