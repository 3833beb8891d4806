// examples/browser: type-checks as a page's code against the package's browser declarations (DOM, no Node types),
// and, bundled as its README says, runs in Chromium to its end against a loopback server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { typecheckProject } from '../helpers/tsc.js';
import { connectChromium } from './chromium.js';
import { startWebTestServer, type WebTestServer } from './web-server.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/browser/', import.meta.url));
let server: WebTestServer;
let browser: Browser;

beforeAll(async () => {
  // The page as the example's README builds it: `import 'tickhttp'` resolved by the bundler's browser condition.
  server = await startWebTestServer(path.join(EXAMPLE, 'main.ts'), {
    html: readFileSync(path.join(EXAMPLE, 'index.html'), 'utf8'),
    script: '/main.js',
  });
  browser = await connectChromium(inject('chromiumEndpoint'));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('examples/browser', () => {
  it('type-checks against the browser declarations with the DOM library and no Node types', async () => {
    expect(await typecheckProject(path.join(EXAMPLE, 'tsconfig.json'))).toEqual([]);
  });

  it.each([
    ['in memory', '', ''],
    ['to a file of the Origin Private File System', '&save=downloads/example.bin', ' saved to downloads/example.bin'],
  ])('downloads in a page %s to the end and shows the outcome', async (_, save, shown) => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const url = `${server.apiOrigin}/bytes?n=300000&id=example`;
      await page.goto(`${server.pageUrl}?url=${encodeURIComponent(url)}${save}`);
      await page.waitForFunction(() => (globalThis as unknown as { document: { title: string } }).document.title === 'done');
      expect(await page.textContent('#log')).toBe(`200: 300000 bytes${shown} from ${url}`);
    } finally {
      await context.close();
    }
  });
});
