// Headless frame stepping for tests: one frame = run the frame callback, then let Node do its I/O (setImmediate runs
// after the event loop's poll phase, so socket data and connects land between frames, as between game frames).
// `until` is the one way a test waits: for frames it steps itself, or for I/O alone (no frame callback).

/** Yield to the event loop once. */
export function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * How long a test waits before failing: a number of frames, or, for a peer in another process that keeps its own
 * pace (openssl, a browser), milliseconds. A deadline only: no test asserts on how long anything took.
 */
export type Bound = { frames: number } | { ms: number };

/**
 * Frames between two 1 ms sleeps under a frame bound: a server's timer can fire while a test steps frames on its own
 * clock, without the test spinning a core. (Under a bound in ms the frames are paced by the peer, and not slowed.)
 */
const FRAMES_PER_SLEEP = 50;

/**
 * Step frames until `done()` holds (checked before each frame); each frame runs `frame` when one is given, then
 * yields to the event loop (under a frame bound, with a 1 ms sleep every 50 frames). Resolves with the frames it took; throws, naming `what` was awaited (the predicate's own
 * text when no words are given), once `bound` has passed.
 */
export async function until(
  done: () => boolean,
  what?: string,
  bound: Bound = { frames: 10_000 },
  frame?: () => void,
): Promise<number> {
  const deadline = 'ms' in bound ? Date.now() + bound.ms : Infinity;
  for (let frames = 0; ; frames++) {
    if (done()) return frames;
    if ('frames' in bound ? frames >= bound.frames : Date.now() > deadline) {
      const within = 'frames' in bound ? `${bound.frames} frames` : `${bound.ms} ms`;
      throw new Error(`not reached within ${within}: ${what ?? predicateText(done)}`);
    }
    frame?.();
    await nextTick();
    if ('frames' in bound && frames % FRAMES_PER_SLEEP === FRAMES_PER_SLEEP - 1) await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** A predicate's source on one line, cut short: what a test waited for when it gave no words. */
function predicateText(done: () => boolean): string {
  const text = String(done).replace(/\s+/g, ' ');
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** Drives a frame callback tick by tick, counting the ticks. */
export class FrameStepper {
  /** Ticks run so far. */
  ticks = 0;

  constructor(private readonly frame: () => void) {}

  /** Run `n` ticks. */
  async advance(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      this.tick();
      await nextTick();
    }
  }

  /** {@link until} with this stepper's frame: tick until `predicate` holds, at most `maxTicks` ticks. */
  until(predicate: () => boolean, maxTicks = 10_000, what?: string): Promise<number> {
    return until(predicate, what, { frames: maxTicks }, this.tick);
  }

  private readonly tick = (): void => {
    this.frame();
    this.ticks++;
  };
}
