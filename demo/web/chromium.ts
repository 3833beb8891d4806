/** The Chromium the headless checks drive: Debian's package, launched quiet and reproducible. */

/** Where Debian's `chromium` package installs the browser (`apt-get install -y chromium`). */
export const CHROMIUM = '/usr/bin/chromium';

/** The browser to launch: TICKHTTP_CHROMIUM when set (another Chromium or Chrome), else Debian's. */
export function chromiumPath(env: Record<string, string | undefined>): string {
  return env.TICKHTTP_CHROMIUM || CHROMIUM;
}

/**
 * No sandbox (CI runs as root), no GPU, no background traffic (updates, sync, first-run pages), and no QUIC, so every
 * request goes over the loopback TCP servers being tested.
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
