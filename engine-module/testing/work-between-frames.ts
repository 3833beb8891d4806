// What the library does between a game's frames, seen from outside: the platform calls it makes on its own (its
// runLater callbacks, and socket events: records decrypted as they arrive, a response head taken, key shares and
// warm-ups made ahead). Moving work out of ticks is only a gain while these stay short, so a game (or a benchmark) can
// time them beside its tick times.
import type { Platform } from '../platform/platform.js';

/**
 * A copy of `platform` whose work outside the caller's calls is timed: every runLater callback, and every call of a
 * socket's watcher (StreamPeer.watch), reports its milliseconds to `report` (measured with the platform's clock).
 */
export function timeWorkBetweenFrames(platform: Platform, report: (ms: number) => void): Platform {
  const timed = (work: () => void) => () => {
    const t0 = platform.now();
    try {
      work();
    } finally {
      report(platform.now() - t0);
    }
  };
  const { runLater } = platform;
  return {
    ...platform,
    connectTcp(address, port) {
      const peer = platform.connectTcp(address, port);
      const watch = peer.watch?.bind(peer);
      if (watch) peer.watch = (wake) => watch(wake && timed(wake));
      return peer;
    },
    runLater: runLater && ((callback, ms) => runLater.call(platform, timed(callback), ms)),
  };
}
