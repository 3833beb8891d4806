// One test file's browser side: the shared Chromium, a fresh context, and the test page with `entry` bundled in.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import { connectChromium } from './chromium.js';
import { startWebTestServer, type WebTestServer } from './web-server.js';

export interface SuitePage {
  server: WebTestServer;
  page: Page;
  /** Call an export of the page's bundle with JSON arguments; resolves to its (awaited) JSON result. */
  call<T>(name: string, ...args: unknown[]): Promise<T>;
  close(): Promise<void>;
}

export async function openSuitePage(entry: string): Promise<SuitePage> {
  const server = await startWebTestServer(entry);
  let browser: Browser | null = null;
  let context: BrowserContext | null = null;
  try {
    browser = await connectChromium(inject('chromiumEndpoint'));
    context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.pageUrl);
    await page.waitForFunction(() => (globalThis as unknown as { suiteReady?: boolean }).suiteReady === true);
    const opened = { browser, context };
    return {
      server,
      page,
      async call<T>(name: string, ...args: unknown[]): Promise<T> {
        const result = await page.evaluate(
          ([fn, rest]) => (globalThis as unknown as { suite: Record<string, (...a: unknown[]) => unknown> }).suite[fn as string](...(rest as unknown[])),
          [name, args] as const,
        );
        if (errors.length) throw new Error(`page error: ${errors.join('; ')}`);
        return result as T;
      },
      async close() {
        await opened.context.close();
        await opened.browser.close();
        await server.close();
      },
    };
  } catch (e) {
    await context?.close();
    await browser?.close();
    await server.close();
    throw e;
  }
}
