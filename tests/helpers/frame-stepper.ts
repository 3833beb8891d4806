// Headless frame stepping for tests: one tick = run the frame callback, then let Node do its I/O (setImmediate runs
// after the event loop's poll phase, so socket data and connects land between ticks, as between game frames).

/** Yield to the event loop once. */
export function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Drives a frame callback tick by tick. */
export class FrameStepper {
  /** Ticks run so far. */
  ticks = 0;

  constructor(private readonly frame: () => void) {}

  /** Run `n` ticks. */
  async advance(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await this.tick();
  }

  /**
   * Tick until `predicate` holds (checked before each tick); returns the ticks it took. Throws when it still does not
   * hold after `maxTicks`: the test's own deadline, counted in ticks, never in wall-clock time.
   */
  async until(predicate: () => boolean, maxTicks = 10_000): Promise<number> {
    const start = this.ticks;
    while (!predicate()) {
      if (this.ticks - start >= maxTicks) throw new Error(`condition not met within ${maxTicks} ticks`);
      await this.tick();
    }
    return this.ticks - start;
  }

  private async tick(): Promise<void> {
    this.frame();
    this.ticks++;
    await nextTick();
  }
}
