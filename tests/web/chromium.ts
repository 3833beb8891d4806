// The system Chromium, driven by playwright-core. One browser serves every web test file: the web project's global
// setup launches it and hands its endpoint to the files, which connect and open a fresh context each.
import { chromium, type Browser, type BrowserServer } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for a quiet, reproducible headless run. Playwright gives every launch a fresh temporary user-data-dir; QUIC is
 * off so every request goes over the loopback TCP servers the tests run.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The shared browser (when the global setup provides one), else a browser of this file's own. */
export async function connectChromium(endpoint: string | undefined): Promise<Browser> {
  if (endpoint) return chromium.connect(endpoint);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
