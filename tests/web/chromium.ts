// The system Chromium, driven by playwright-core. One browser serves every web test file: the web project's global
// setup launches it and hands its endpoint to the files, which connect and open a fresh context each. The browser and
// its flags are the demo's headless check's; playwright gives every launch a fresh temporary user-data-dir.
import { chromium, type Browser, type BrowserServer } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../demo/web/chromium.js';

export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** The shared browser (when the global setup provides one), else a browser of this file's own. */
export async function connectChromium(endpoint: string | undefined): Promise<Browser> {
  if (endpoint) return chromium.connect(endpoint);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
