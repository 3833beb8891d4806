// The per-tick work budget of the HTTP systems: body bytes read, or milliseconds spent, for the whole system.
// Every active request still gets one step per tick whatever the budget; the budget only limits the extra reading
// that lets a download run faster than one chunk per frame.

/** Per-tick limits; absent fields are unlimited. */
export interface BudgetOptions {
  /** Body bytes read per tick across all requests and clients. */
  bytes?: number;
  /** Milliseconds of reading per tick, measured with the platform's monotonic clock. */
  ms?: number;
}

/** What is left of this tick's budget. */
export interface TickBudget {
  bytesLeft: number;
  /** Real time after which no extra reading starts. */
  deadline: number;
  readonly clock: () => number;
}

/** This tick's budget, starting now. */
export function startBudget(options: BudgetOptions | undefined, clock: () => number): TickBudget {
  const ms = options?.ms;
  return {
    bytesLeft: options?.bytes ?? Infinity,
    deadline: ms === undefined ? Infinity : clock() + ms,
    clock,
  };
}

/** Count bytes read against the budget. */
export function spend(budget: TickBudget, bytes: number): void {
  budget.bytesLeft -= bytes;
}

/** Whether extra reading may continue this tick. */
export function hasBudget(budget: TickBudget): boolean {
  return budget.bytesLeft > 0 && (budget.deadline === Infinity || budget.clock() < budget.deadline);
}
