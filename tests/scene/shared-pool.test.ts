// Which pool an HTTPRequest uses. Nodes made without a scene share the platform's default scene, so a program's
// HTTPRequest nodes share one pool. An ECS world keeps its own pool (its limits and its destroy close only its
// connections); a scene made with `shareWith` shares the world's pool when a program wants one.
import { addEntity, hasComponent } from 'bitecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRequest } from '../../engine-module/ecs/request-system.js';
import { setPlatform } from '../../engine-module/platform/platform.js';
import { createHttpScene, defaultHttpScene, updateHttpRequests, closeIdleConnections } from '../../engine-module/scene/http-scene.js';
import { HTTPRequest } from '../../engine-module/scene/http-request.js';
import { platform, startServer, testWorld, type TestServer } from '../ecs/helpers.js';
import type { RequestCompletedArgs } from '../../engine-module/scene/http-request.js';
import { connectionCounts } from '../../engine-module/testing.js';

let server: TestServer;
beforeAll(async () => {
  setPlatform(platform);
  server = await startServer((_req, res) => res.end('ok'));
});
afterAll(() => server.close());

/** One ECS request, then one HTTPRequest, to the same origin, each run to its end. */
async function ecsThenNode(tw: ReturnType<typeof testWorld>, node: HTTPRequest, step: () => void): Promise<void> {
  const eid = addEntity(tw.world);
  addRequest(tw.world, eid, { url: server.url('/ecs') });
  await tw.until(() => hasComponent(tw.world, eid, tw.http.Done));
  const done: RequestCompletedArgs[] = [];
  node.requestCompleted.connect((...a) => done.push(a));
  node.request(server.url('/node'));
  for (let i = 0; i < 5000 && done.length === 0; i++) {
    await new Promise((r) => setImmediate(r));
    await tw.tick();
    step();
  }
  expect(done[0][0]).toBe(0);
}

describe('pools', () => {
  it('nodes made without a scene share the default scene and its one pool', async () => {
    const scene = defaultHttpScene()!;
    expect(scene).toBe(defaultHttpScene());
    const accepted = server.accepted;
    for (const node of [new HTTPRequest(), new HTTPRequest()]) {
      const done: unknown[] = [];
      node.requestCompleted.connect(() => done.push(1));
      node.request(server.url('/default'));
      for (let i = 0; i < 5000 && done.length === 0; i++) {
        await new Promise((r) => setImmediate(r));
        updateHttpRequests();
      }
      expect(done).toHaveLength(1);
    }
    expect(server.accepted - accepted).toBe(1);
    closeIdleConnections(scene);
  });

  it('an ECS world and a scene keep separate pools by default', async () => {
    const tw = testWorld();
    const scene = createHttpScene({ platform });
    const accepted = server.accepted;
    await ecsThenNode(tw, new HTTPRequest(scene), () => updateHttpRequests(scene));
    expect(server.accepted - accepted).toBe(2);
    expect([connectionCounts(scene).open, connectionCounts(tw.http).open]).toEqual([1, 1]);
    tw.destroy();
    closeIdleConnections(scene);
  });

  it("a scene made with shareWith shares the world's pool: one connection serves both", async () => {
    const tw = testWorld();
    const scene = createHttpScene({ shareWith: tw.http });
    const accepted = server.accepted;
    await ecsThenNode(tw, new HTTPRequest(scene), () => updateHttpRequests(scene));
    expect(server.accepted - accepted).toBe(1);
    expect(connectionCounts(tw.http).open).toBe(1);
    tw.destroy();
    expect(connectionCounts(tw.http).open).toBe(0);
  });
});
