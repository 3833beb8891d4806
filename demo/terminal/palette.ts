/** ANSI colours, or none: every view draws through a palette so colour is decided once. */

export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
  /** Reverse video, for the player's own leaderboard row. */
  inverse(text: string): string;
}

const sgr = (on: number, off: number) => (text: string): string => `\x1b[${on}m${text}\x1b[${off}m`;

export const COLOURS: Palette = {
  bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), blue: sgr(34, 39),
  magenta: sgr(35, 39), cyan: sgr(36, 39), inverse: sgr(7, 27),
};

const same = (text: string): string => text;
export const NO_COLOURS: Palette = {
  bold: same, dim: same, red: same, green: same, yellow: same, blue: same, magenta: same, cyan: same, inverse: same,
};

/** Colours when writing to a terminal and NO_COLOR (https://no-color.org) is unset or empty. */
export function wantsColour(isTTY: boolean, env: Record<string, string | undefined>): boolean {
  return isTTY && !env.NO_COLOR;
}

/** Width of `text` as shown, ignoring colour codes. */
export function visibleWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').length;
}

/** Pad coloured text on the right to `width` visible columns. */
export function padVisible(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

/** Cut coloured text to `width` visible columns, keeping escape codes whole and resetting colour after a cut. */
export function truncateVisible(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  // eslint-disable-next-line no-control-regex
  const token = /\x1b\[[0-9;?]*[A-Za-z]|[\s\S]/g;
  let out = '';
  let shown = 0;
  for (const [piece] of text.matchAll(token)) {
    if (piece.length > 1) out += piece;
    else if (shown < width) {
      out += piece;
      shown++;
    }
  }
  return out + '\x1b[0m';
}
