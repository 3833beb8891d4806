// Text that came from the network, made safe to show: a reason quoting a server's bytes must not carry control
// characters into logs or terminals (a NUL, an escape sequence, a line break that forges a second log line).

/**
 * `text` with every control character (C0, DEL, C1) and the Unicode line and paragraph separators written as
 * `\xNN` or `\uNNNN`. Applying it twice changes nothing more, so each layer may escape what it passes on.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}
