/** Keyboard play: ← → (or A D) held to move; the game starts at the first of those keys, or Space or Enter. */
import type { Move } from '../game/dodge.js';

export interface Keys {
  /** The move held now: the most recently pressed direction key still down. */
  held(): Move;
  /** True once a person has pressed a key the game listens to. */
  pressed(): boolean;
}

const DIRECTIONS: Readonly<Record<string, Move>> = { ArrowLeft: -1, KeyA: -1, ArrowRight: 1, KeyD: 1 };
const STARTERS = new Set(['Space', 'Enter']);

/** The part of a keyboard event the keys read. */
interface KeyEventLike {
  code: string;
  preventDefault(): void;
}

/** What the keys listen on: the page's window. */
export interface KeyTarget {
  addEventListener(type: 'keydown' | 'keyup', listener: (event: KeyEventLike) => void): void;
  addEventListener(type: 'blur', listener: () => void): void;
}

/** Follow the keyboard on `target`. */
export function watchKeys(target: KeyTarget): Keys {
  const down: Move[] = [];
  let pressed = false;
  target.addEventListener('keydown', (event) => {
    const move = DIRECTIONS[event.code];
    if (move === undefined && !STARTERS.has(event.code)) return;
    event.preventDefault();
    pressed = true;
    if (move !== undefined && !down.includes(move)) down.push(move);
  });
  target.addEventListener('keyup', (event) => {
    const move = DIRECTIONS[event.code];
    if (move !== undefined) down.splice(down.indexOf(move) >>> 0, 1);
  });
  // A key held while the page loses focus never sends its keyup.
  target.addEventListener('blur', () => {
    down.length = 0;
  });
  return { held: () => down[down.length - 1] ?? 0, pressed: () => pressed };
}
