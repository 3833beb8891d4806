// Work done ahead, between frames, from the platform's runLater (Node: a timer, outside the game's ticks): the key
// share of a TLS connection while its TCP connection opens, the warm-ups of the TLS provider and of the certificate
// path while the handshake waits for the server, and the request layer's warm-ups (which without runLater take the
// spare time of ticks). A callback takes pieces for about a millisecond (at least one), key shares first (a TCP
// connection on a near server opens within a frame), each kind in the order queued, so pieces queued together
// (connections opened in the same frame, a warm-up's steps) never add up to more than one long piece in a turn of the
// event loop. Without runLater nothing is queued, and the work stays where it was (the handshake's units, the request
// layer's spare tick time).

import { DEFAULT_GROUPS } from '../tls/suites.js';
import { keyShareAhead, type KeyShareAhead } from '../tls/key-share-ahead.js';
import { platformCrypto } from './tls-layer.js';
import { certificateWarmUp, warmUpOf, type WarmUp } from '../tls/warm-up.js';
import type { Platform } from '../platform/platform.js';

type RunLater = NonNullable<Platform['runLater']>;

/** A piece of work; false when it found nothing to do (its turn goes to the next piece). */
type Piece = () => boolean;

/**
 * Most pieces waiting per platform. Past it a piece is dropped, and its work is done where it was before (a key share
 * by the handshake's unit, a warm-up step by the spare time of ticks): a runtime whose runLater calls back late, or
 * never, holds a bounded amount.
 */
export const MAX_WAITING = 64;

/**
 * Milliseconds a callback goes on taking pieces for: short against a frame, and enough for several pieces that are
 * cheap once compiled (a warm-up's later steps) to share a callback instead of waiting a timer's turn each.
 */
export const LATER_RUN_MS = 1;

/** A platform's pieces in order (key shares, needed first, apart), and whether a callback to run one is on its way. */
interface Queue {
  runLater: RunLater;
  now: () => number;
  shares: Piece[];
  warmUps: Piece[];
  /** The warm-ups with a step queued: one at a time each, however many connections want it. */
  stepping: Set<WarmUp>;
  scheduled: boolean;
}

const queues = new WeakMap<Platform, Queue>();

function queueOf(platform: Platform, runLater: RunLater): Queue {
  let queue = queues.get(platform);
  if (!queue) queues.set(platform, (queue = { runLater, now: () => platform.now(), shares: [], warmUps: [], stepping: new Set(), scheduled: false }));
  return queue;
}

/**
 * Run `piece` from the queue's runLater, after the pieces of its kind queued before it (and a warm-up's after every
 * key share). False when {@link MAX_WAITING} pieces wait: it is dropped.
 */
function queuePiece(queue: Queue, kind: 'shares' | 'warmUps', piece: Piece): boolean {
  if (queue.shares.length + queue.warmUps.length >= MAX_WAITING) return false;
  queue[kind].push(piece);
  if (!queue.scheduled) schedule(queue);
  return true;
}

function schedule(queue: Queue): void {
  queue.scheduled = true;
  queue.runLater(() => runNext(queue), 0);
}

/** Take pieces until one did work and {@link LATER_RUN_MS} have passed, or none is left. */
function runNext(queue: Queue): void {
  const start = queue.now();
  let worked = false;
  while (queue.shares.length + queue.warmUps.length > 0 && !(worked && queue.now() - start >= LATER_RUN_MS)) {
    try {
      worked = (queue.shares.shift() ?? queue.warmUps.shift()!)() || worked;
    } catch {
      // A piece's failure leaves its work to where it is needed (the handshake makes its own key share).
      worked = true;
    }
  }
  queue.scheduled = false;
  if (queue.shares.length + queue.warmUps.length > 0) schedule(queue);
}

/** Queue `warmUp`'s next step, and after it the next, while it has steps left: one step waits at a time. */
function queueWarmUp(queue: Queue, warmUp: WarmUp): void {
  if (queue.stepping.has(warmUp)) return;
  const step: Piece = () => {
    queue.stepping.delete(warmUp);
    if (warmUp.step()) queueWarmUp(queue, warmUp);
    return true;
  };
  if (queuePiece(queue, 'warmUps', step)) queue.stepping.add(warmUp);
}

/**
 * Run `warmUp`'s steps between frames, after the key shares waiting; false when the
 * platform has no runLater (the caller runs them some other way).
 */
export function warmUpBetweenFrames(platform: Platform, warmUp: WarmUp): boolean {
  const runLater = platform.runLater?.bind(platform);
  if (!runLater) return false;
  queueWarmUp(queueOf(platform, runLater), warmUp);
  return true;
}

/**
 * For a TLS connection on `platform`, start what can be done before the server answers: its key share (for the
 * first group offered, with the provider the connection uses), then, taking turns, the provider's warm-up and the
 * certificate path's (`roots`: the roots the connection trusts). Null when the platform has no runLater.
 */
export function startTlsAhead(platform: Platform, roots: () => readonly Uint8Array[]): KeyShareAhead | null {
  const runLater = platform.runLater?.bind(platform);
  if (!runLater) return null;
  const crypto = platformCrypto(platform);
  const queue = queueOf(platform, runLater);
  const share = keyShareAhead(crypto, DEFAULT_GROUPS[0], (n) => platform.randomBytes(n), (piece) => queuePiece(queue, 'shares', piece));
  queueWarmUp(queue, warmUpOf(crypto));
  queueWarmUp(queue, certificateWarmUp(crypto, roots));
  return share;
}
