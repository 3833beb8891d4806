// The per-tick work budget of the HTTP systems, and how a tick shares it. Work comes in units small enough that the
// budget can be checked between them: one body chunk read (at most the client's readChunkSize), or one slice of
// decompression (about STEP_OUTPUT decoded bytes), with what that unit writes to its sink. Every active request and
// client gets one unit per tick whatever the budget; the budget only limits the extra units that let a download run
// faster than one chunk per frame.
//
// Without a budget a tick reads whatever has arrived, so downloads are not capped by the frame rate in practice: what
// can arrive between two ticks is bounded by the transport (the Node platform pauses a socket past its 8 MiB
// high-water mark; the TLS layer keeps at most 1 MiB decrypted), and one request's work in a tick stops once it
// passes `perRequestBytes` (bytes read plus bytes decoded, 8 MiB by default). The worst case for one request in one
// tick is then copying about 8 MiB (milliseconds), or decoding about 8 MiB of output: some 30 ms once fflate is warm,
// far more while it is cold. A game that must hold its frame time sets `ms`.

/** Per-tick limits; without `bytes` and `ms` a tick is limited only by the per-request share. */
export interface BudgetOptions {
  /** Work per tick across all requests and clients, in bytes: body bytes read plus bytes decoded from them. */
  bytes?: number;
  /** Milliseconds of body work per tick, measured with the platform's monotonic clock between units of work. */
  ms?: number;
  /**
   * Work one request or client may do per tick, in the same bytes as `bytes` (default {@link PER_REQUEST_BYTES};
   * Infinity for none). Its first unit of the tick always runs.
   */
  perRequestBytes?: number;
}

/** Default per-request work per tick: the Node socket's high-water mark, so what a socket buffered is read whole. */
export const PER_REQUEST_BYTES = 8 * 1024 * 1024;

/** What is left of this tick's budget. */
export interface TickBudget {
  bytesLeft: number;
  /** Bytes of work counted so far this tick. */
  spent: number;
  /** Real time after which no extra unit starts. */
  readonly deadline: number;
  readonly perRequestBytes: number;
  readonly clock: () => number;
}

/** This tick's budget, starting now. */
export function startBudget(options: BudgetOptions | undefined, clock: () => number): TickBudget {
  const ms = options?.ms;
  return {
    bytesLeft: options?.bytes ?? Infinity,
    spent: 0,
    deadline: ms === undefined ? Infinity : clock() + ms,
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
 * One unit of work of a request or client: `first` on its guaranteed unit of the tick (which also polls). Returns
 * true when another unit would make progress now.
 */
export type WorkUnit = (first: boolean) => boolean;

/**
 * Run one tick's work: every participant's first unit, in order, then further units round-robin, one each per round,
 * while the budget lasts and each participant stays under its per-request share.
 */
export function shareTick(budget: TickBudget, units: readonly WorkUnit[]): void {
  let round: { unit: WorkUnit; used: number }[] = [];
  for (const unit of units) {
    const before = budget.spent;
    if (unit(true)) round.push({ unit, used: budget.spent - before });
  }
  while (round.length > 0 && hasBudget(budget)) {
    round = round.filter((p) => {
      if (p.used >= budget.perRequestBytes || !hasBudget(budget)) return false;
      const before = budget.spent;
      const more = p.unit(false);
      p.used += budget.spent - before;
      return more;
    });
  }
}
