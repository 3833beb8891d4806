/**
 * Where the demo's output goes. On a terminal, a live screen redraws whole frames in place: cursor home, each line
 * overwritten and cleared to its end, the rest of the screen cleared. Nothing is erased first, so there is no flicker.
 * Otherwise (--ci, pipes), a log screen prints plain lines and ignores frames.
 */
import { truncateVisible } from './palette.js';

export interface Screen {
  /** Replace the frame shown (live screens only). */
  frame(lines: string[]): void;
  /** A log line (log screens only; live screens show state through frames). */
  log(line: string): void;
  /** Leave the terminal as it was found, keeping the last frame visible. Safe to call twice. */
  close(): void;
}

interface Output {
  write(text: string): unknown;
  /** Terminal width in columns, when known (lines are cut to it so none wraps and spoils the redraw). */
  columns?: number;
}

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const HOME = '\x1b[H';
const CLEAR_SCREEN = '\x1b[2J';
const CLEAR_TO_LINE_END = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';

/** A screen that redraws frames in place on a terminal. */
export function liveScreen(out: Output): Screen {
  let open = true;
  let last = '';
  out.write(HIDE_CURSOR + CLEAR_SCREEN + HOME);
  let width = out.columns;
  return {
    frame(lines) {
      const columns = out.columns;
      const fit = columns ? lines.map((line) => truncateVisible(line, columns - 1)) : lines;
      // After a resize, whatever the old width wrapped is cleared once.
      const clear = columns !== width ? CLEAR_SCREEN : '';
      width = columns;
      const text = clear + HOME + fit.map((line) => line + CLEAR_TO_LINE_END).join('\n') + CLEAR_BELOW;
      // Unchanged frames are not written again: most ticks change nothing a person can see.
      if (!open || text === last) return;
      last = text;
      out.write(text);
    },
    log() {},
    close() {
      if (!open) return;
      open = false;
      out.write('\n' + SHOW_CURSOR);
    },
  };
}

/** A screen that prints log lines only. */
export function logScreen(out: Output): Screen {
  return {
    frame() {},
    log(line) {
      out.write(line + '\n');
    },
    close() {},
  };
}
