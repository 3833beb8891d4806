import { afterEach, describe, expect, it } from 'vitest';
import { addEntity, removeEntity } from 'bitecs';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Method, Status } from '../../engine-module/http/constants.js';
import { attachClient, getClient } from '../../engine-module/ecs/client-system.js';
import type { ClientResponseEvent, HttpEvent } from '../../engine-module/ecs/events.js';
import { countingPlatform, pattern, platform, startServer, testWorld, type TestServer, type TestWorld } from './helpers.js';

let server: TestServer;
let tw: TestWorld;
afterEach(async () => {
  tw?.destroy();
  await server?.close();
});

const body = pattern(300_000);

describe('low-level client component', () => {
  it('polls once per tick, mirrors state into SoA and reports status changes and the response as events', async () => {
    server = await startServer((_req, res) => res.end(Buffer.from(body)));
    tw = testWorld();
    const eid = addEntity(tw.world);
    const client = new HTTPClient({ platform });
    expect(client.connectToHost('127.0.0.1', server.port)).toBe(0);
    attachClient(tw.world, eid, client);
    expect(getClient(tw.world, eid)).toBe(client);
    const { Client } = tw.http;

    const statuses: number[] = [];
    const log: HttpEvent[][] = [];
    await tw.until(() => {
      log.push([...tw.http.events]);
      for (const e of tw.http.events) if (e.type === 'status') statuses.push(e.status);
      return Client.status[eid] === Status.CONNECTED;
    });
    expect(statuses.at(-1)).toBe(Status.CONNECTED);

    expect(client.request(Method.GET, '/big', [])).toBe(0);
    let response: ClientResponseEvent | undefined;
    let last = 0;
    await tw.until(() => {
      // received never goes down, and the mirrored status is the client's
      expect(Client.received[eid]).toBeGreaterThanOrEqual(last);
      last = Client.received[eid];
      expect(Client.status[eid]).toBe(client.getStatus());
      response = tw.http.events.find((e): e is ClientResponseEvent => e.type === 'response');
      return response !== undefined;
    });
    // The response is reported in the tick its last byte was read, with the status back to CONNECTED.
    expect(Client.status[eid]).toBe(Status.CONNECTED);
    expect(Client.code[eid]).toBe(200);
    expect(Client.bodyLength[eid]).toBe(body.length);
    expect(Client.received[eid]).toBe(body.length);
    expect(response!.code).toBe(200);
    expect(Buffer.from(response!.body).equals(Buffer.from(body))).toBe(true);
    expect(tw.http.events).toContainEqual(expect.objectContaining({ type: 'status', eid, status: Status.CONNECTED }));
    // Events are cleared when the next tick starts.
    await tw.tick();
    expect(tw.http.events).toEqual([]);
  });

  it('reports a bodiless response that completes within one poll, and leaves reading to a script that asks', async () => {
    server = await startServer((req, res) => {
      if (req.method === 'HEAD') res.writeHead(204).end();
      else res.end('abc');
    });
    tw = testWorld();
    const eid = addEntity(tw.world);
    const client = new HTTPClient({ platform });
    client.connectToHost('127.0.0.1', server.port);
    attachClient(tw.world, eid, client, { collectBody: false });
    await tw.until(() => tw.http.Client.status[eid] === Status.CONNECTED);

    client.request(Method.HEAD, '/', []);
    const events: HttpEvent[] = [];
    await tw.until(() => (events.push(...tw.http.events), events.some((e) => e.type === 'response')));
    expect(events.find((e) => e.type === 'response')).toMatchObject({ code: 204, body: new Uint8Array(0) });

    client.request(Method.GET, '/', []);
    const chunks: number[] = [];
    const got: HttpEvent[] = [];
    await tw.until(() => {
      if (client.getStatus() === Status.BODY) chunks.push(...client.readResponseBodyChunk());
      got.push(...tw.http.events);
      return got.some((e) => e.type === 'response');
    });
    expect(String.fromCharCode(...chunks)).toBe('abc');
    expect(tw.http.Client.received[eid]).toBe(0);
  });

  it('mirrors the response of an exchange the script ran by itself between two ticks', async () => {
    server = await startServer((req, res) => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end(req.url);
    });
    tw = testWorld();
    const eid = addEntity(tw.world);
    const client = new HTTPClient({ platform });
    client.connectToHost('127.0.0.1', server.port);
    attachClient(tw.world, eid, client, { collectBody: false });
    const { Client } = tw.http;
    await tw.until(() => Client.status[eid] === Status.CONNECTED);

    for (const [path, code] of [['/found', 200], ['/missing', 404]] as const) {
      expect(client.request(Method.GET, path, [])).toBe(0);
      while (client.getStatus() !== Status.CONNECTED || !client.hasResponse()) {
        await new Promise((r) => setImmediate(r));
        client.poll();
        if (client.getStatus() === Status.BODY) client.readResponseBodyChunk();
      }
      // The system saw CONNECTED before and after: no status change, yet the new response is mirrored.
      await tw.tick();
      expect(tw.http.events).toEqual([]);
      expect(Client.code[eid]).toBe(code);
      expect(Client.bodyLength[eid]).toBe(path.length);
    }
  });

  it('closes the client when its entity is removed', async () => {
    server = await startServer((_req, res) => res.end('x'));
    tw = testWorld();
    const eid = addEntity(tw.world);
    const client = new HTTPClient({ platform });
    client.connectToHost('127.0.0.1', server.port);
    attachClient(tw.world, eid, client);
    await tw.until(() => tw.http.Client.status[eid] === Status.CONNECTED && server.live.size === 1);
    removeEntity(tw.world, eid);
    expect(client.getStatus()).toBe(Status.DISCONNECTED);
    await tw.until(() => server.live.size === 0);
  });

  it('leaves an idle client unpolled until the server speaks or closes, and still reports the close', async () => {
    server = await startServer((_req, res) => res.end('x'));
    tw = testWorld();
    const counting = countingPlatform(true);
    const eid = addEntity(tw.world);
    const client = new HTTPClient({ platform: counting.platform });
    attachClient(tw.world, eid, client);
    const { Client } = tw.http;
    // Not connected: nothing to do until the script calls.
    for (let i = 0; i < 5; i++) await tw.tick();
    expect(client.connectToHost('127.0.0.1', server.port)).toBe(0);
    await tw.until(() => Client.status[eid] === Status.CONNECTED);
    const looks = counting.looks();
    for (let i = 0; i < 50; i++) await tw.tick();
    expect(counting.looks()).toBe(looks);

    const statuses: number[] = [];
    for (const socket of server.live) socket.destroy();
    await tw.until(() => {
      for (const e of tw.http.events) if (e.type === 'status' && e.eid === eid) statuses.push(e.status);
      return Client.status[eid] === Status.DISCONNECTED;
    });
    expect(statuses).toEqual([Status.DISCONNECTED]);
    expect(counting.looks()).toBeGreaterThan(looks);
  });

  it('polls an idle client every tick when its transport cannot say when something arrives', async () => {
    server = await startServer((_req, res) => res.end('x'));
    tw = testWorld();
    const counting = countingPlatform(false);
    const eid = addEntity(tw.world);
    const client = new HTTPClient({ platform: counting.platform });
    client.connectToHost('127.0.0.1', server.port);
    attachClient(tw.world, eid, client);
    await tw.until(() => tw.http.Client.status[eid] === Status.CONNECTED);
    const looks = counting.looks();
    for (let i = 0; i < 50; i++) await tw.tick();
    expect(counting.looks()).toBeGreaterThanOrEqual(looks + 50);
  });
});
