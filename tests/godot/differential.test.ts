// Godot 3.2.3's own HTTPRequest node and tickhttp's, on the same loopback scenarios: the same outcome everywhere but
// where Godot is wrong, and there each difference is checked and named in the README. Runs when godot3-server is on
// the PATH (.ci/run installs it); skipped with the reason printed otherwise.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHttpsPki, startHttpsServer, type HttpsPki, type HttpsTestServer } from '../https/fixtures.js';
import { godotUnavailable, runGodot, runTickhttp, settingsOf, GODOT_LIMIT_MS } from './harness.js';
import { startOrigin, type Origin } from './origin.js';
import { comparable, scenarios } from './scenarios.js';

const unavailable = godotUnavailable();
if (unavailable) console.log(`differential tests against Godot skipped: ${unavailable}`);
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe.skipIf(unavailable !== null)("HTTPRequest against Godot 3.2.3's", () => {
  let origin: Origin;
  let pki: HttpsPki;
  let https: HttpsTestServer;
  beforeAll(async () => {
    origin = await startOrigin();
    pki = makeHttpsPki();
    https = await startHttpsServer(pki.selfSigned, (_req, res) => res.end('hello'));
  });
  afterAll(async () => {
    await origin?.close();
    await https?.close();
    pki?.pki.cleanup();
  });

  for (const scenario of scenarios('https://127.0.0.1:0')) {
    it(scenario.name, async () => {
      const requests = scenario.requests.map((r) => ({ ...r, url: r.url.replace('https://127.0.0.1:0', `https://127.0.0.1:${https.port}`) }));
      const settings = settingsOf(scenario.node);
      const godot = await runGodot(origin, settings, requests);
      const tickhttp = await runTickhttp(origin, settings, requests);
      if (!scenario.differs) expect(comparable(tickhttp)).toEqual(comparable(godot));
      else {
        expect(README).toContain(scenario.differs.readme);
        scenario.differs.check(godot, tickhttp);
      }
    }, GODOT_LIMIT_MS + 30_000);
  }
});
