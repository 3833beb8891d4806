// A world made by another bitecs: refused with words at setup, while a second copy of bitecs 0.4 (the one bundled
// into the embedded build, next to the project's own) shares worlds, components and queries.
import { addEntity, createWorld, hasComponent, query, type World } from 'bitecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpSystem } from '../../engine-module/ecs/http-system.js';
import { platform, startServer, type TestServer } from './helpers.js';
import { until } from '../helpers/frame-stepper.js';

const EMBEDDED_BUILD = '../../dist/embedded.js';

/** The shape of a bitecs 0.3 world: its state under private symbols, none of 0.4's registries. */
function bitecs03World(): World {
  const world = {} as Record<symbol, unknown>;
  world[Symbol('size')] = 10_000;
  world[Symbol('entityArray')] = [];
  world[Symbol('queryMap')] = new Map();
  return world as World;
}

describe('a world from another bitecs', () => {
  it('is refused at createHttpSystem with a reason that names bitecs 0.4', () => {
    for (const world of [bitecs03World(), {} as World]) {
      expect(() => createHttpSystem(world, { platform })).toThrow(/not made by bitecs 0\.4.*peer dependency/);
    }
  });
});

describe('a second copy of bitecs 0.4', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => res.end('from the server'));
  });
  afterAll(() => server.close());

  it("drives a world made by the project's bitecs through the embedded build's own copy", async () => {
    const embedded = (await import(EMBEDDED_BUILD)) as typeof import('../../engine-module/embedded.js');
    expect(embedded.bitecs.createWorld).not.toBe(createWorld);
    const world = createWorld();
    const http = embedded.createHttpSystem(world, { platform });
    const eid = addEntity(world);
    embedded.addRequest(world, eid, { url: server.url('/') });
    await until(() => query(world, [http.Request, http.Done]).length > 0, 'the request to end', { frames: 2000 }, () =>
      embedded.updateHttp(world));
    expect(hasComponent(world, eid, http.Done)).toBe(true);
    expect(embedded.responseText(world, eid)).toBe('from the server');
    embedded.destroyHttpSystem(world);
  });
});
