/**
 * The page's game loop: a fixed-step tick on animation frames. Each frame runs the ticks that have come due on the
 * tick clock, then draws once, so the game runs at its tick rate whatever the display's refresh rate. When the page
 * falls far behind (a hidden tab gets no frames), the clock skips ahead instead of running a burst of catch-up ticks,
 * as the terminal loop does (demo/game/tick-loop.ts), and each tick is measured the same way.
 */
import { timedTick, type TickStats } from '../game/tick-loop.js';

/** Most ticks run in one frame before the clock skips ahead. */
const MAX_TICKS_PER_FRAME = 4;

export interface FrameHost {
  requestAnimationFrame(callback: () => void): unknown;
  now(): number;
}

/**
 * Run `tick` at `rate` ticks per second until it returns false, calling `draw` after each frame's ticks (and once at
 * the end). Rejects with whatever a tick throws.
 */
export function runOnFrames(rate: number, tick: (index: number) => boolean, draw: () => void, stats: TickStats,
  host: FrameHost): Promise<TickStats> {
  const period = 1000 / rate;
  let origin = host.now();
  let index = 0;
  return new Promise((resolve, reject) => {
    const frame = (): void => {
      try {
        for (let run = 0; run < MAX_TICKS_PER_FRAME; run++) {
          const now = host.now();
          const due = origin + index * period;
          if (now < due) break;
          if (now - due > MAX_TICKS_PER_FRAME * period) origin = now - index * period;
          const more = timedTick(stats, index, now - due > period, tick, host.now);
          index++;
          if (!more) {
            draw();
            resolve(stats);
            return;
          }
        }
        draw();
      } catch (error) {
        reject(error);
        return;
      }
      host.requestAnimationFrame(frame);
    };
    host.requestAnimationFrame(frame);
  });
}
