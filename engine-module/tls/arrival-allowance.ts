// The real time that decrypting records as they arrive may take. Arrival work runs between the game's frames, on the
// game's thread, so the share is of that thread's time: connections given the same allowance stay within it together,
// however many there are, instead of each taking the share for itself.

/** Most milliseconds of arrival work saved up while idle: what one burst of arrivals may take at once. */
export const ARRIVAL_BURST_MS = 1;

/**
 * A share of real time for arrival work, measured with a clock: it grows at `share` milliseconds per millisecond up
 * to {@link ARRIVAL_BURST_MS}, and each piece of work ({@link spend}) takes its measured time from it. A piece whose
 * time includes a pause that is not its own (a garbage collection, the thread waiting for a core) leaves a debt of at
 * most one burst, so one such pause does not stop arrivals for long after.
 */
export class ArrivalAllowance {
  private credit = ARRIVAL_BURST_MS;
  private toppedAt: number;

  /**
   * @param share of real time, more than 0 and at most 1
   * @param now monotonic milliseconds
   */
  constructor(
    readonly share: number,
    private readonly now: () => number,
  ) {
    if (!(share > 0 && share <= 1)) throw new RangeError('an arrival allowance needs a share above 0 and at most 1');
    this.toppedAt = now();
  }

  /** Add what the time passed since the last top-up earned. */
  topUp(): void {
    const now = this.now();
    this.credit = Math.min(ARRIVAL_BURST_MS, this.credit + (now - this.toppedAt) * this.share);
    this.toppedAt = now;
  }

  /** Whether work may start now (as of the last top-up and charge). */
  get allows(): boolean {
    return this.credit > 0;
  }

  /** Do `work`, taking the time it took. */
  spend(work: () => void): void {
    const before = this.now();
    work();
    this.credit = Math.max(-ARRIVAL_BURST_MS, this.credit - (this.now() - before));
  }

  /** Milliseconds until a whole burst is saved up again. */
  msUntilBurst(): number {
    return (ARRIVAL_BURST_MS - this.credit) / this.share;
  }
}
