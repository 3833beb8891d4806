// Low level: HTTPClients attached to entities, each polled once per tick, its state mirrored into the Client
// component and its status changes and completed responses reported as events.
import { addComponent, hasComponent, removeComponent, type World } from 'bitecs';
import type { HTTPClient } from '../http/client.js';
import { Status } from '../http/constants.js';
import { watchIdle } from '../http/idle-watch.js';
import { spend, type TickBudget } from '../request/budget.js';
import { memorySink } from '../request/sinks.js';
import { stateOf, type ClientRecord, type HttpState } from './http-state.js';
import { ensureIndex } from './soa.js';
import { enlist, keepListed } from './step-list.js';

/** Options of {@link attachClient}. */
export interface AttachClientOptions {
  /**
   * Let the system read response bodies (default true): chunks are read as they arrive, `Client.received` counts
   * them, and the `response` event carries the whole body. False leaves reading to the script (Godot style); the
   * `response` event then has an empty body.
   */
  collectBody?: boolean;
}

/**
 * Attach an HTTPClient to an entity. The script drives it with the Godot API (connectToHost, request...); the system
 * polls it once per tick. Removing the Client component or the entity closes the client.
 */
export function attachClient(world: World, eid: number, client: HTTPClient, options: AttachClientOptions = {}): void {
  const s = stateOf(world);
  const { Client } = s.world;
  if (s.clients.get(eid)?.client !== client && hasComponent(world, eid, Client)) removeComponent(world, eid, Client);
  const rec: ClientRecord = {
    eid,
    client,
    collectBody: options.collectBody ?? true,
    body: null,
    status: client.getStatus(),
    unit: (first) => stepClient(s, eid, rec, s.tick, first),
    asleep: false,
    listed: false,
    wake: () => wakeClient(s, rec),
  };
  s.clients.set(eid, rec);
  wakeClient(s, rec);
  ensureIndex(Client, eid);
  Client.status[eid] = client.getStatus();
  Client.code[eid] = 0;
  Client.received[eid] = 0;
  Client.bodyLength[eid] = -1;
  addComponent(world, eid, Client);
}

/** The client attached to an entity, or null. */
export function getClient(world: World, eid: number): HTTPClient | null {
  return stateOf(world).clients.get(eid)?.client ?? null;
}

/** The Client component left the entity: close its client. */
export function onClientRemoved(s: HttpState, eid: number): void {
  const rec = s.clients.get(eid);
  if (!rec) return;
  s.clients.delete(eid);
  // The client may live on (attached elsewhere): it must not keep waking this world.
  rec.client[watchIdle](null);
  rec.client.close();
  s.world.Client.status[eid] = Status.DISCONNECTED;
}

/**
 * One step of an attached client: on the first step of the tick poll it once and mirror its state; then read one
 * body chunk when the system collects bodies. Returns true when more body may be buffered.
 */
function stepClient(s: HttpState, eid: number, rec: ClientRecord, budget: TickBudget, first: boolean): boolean {
  const { client } = rec;
  const { Client } = s.world;
  if (first) {
    // Report what the script's own calls changed since the last tick (request() makes it REQUESTING) first, so a
    // response that also completes in this poll is still seen as one.
    mirrorStatus(s, eid, rec);
    client.poll();
  }
  let more = false;
  if (rec.collectBody && client.getStatus() === Status.BODY) {
    const chunk = client.readResponseBodyChunk();
    if (chunk.length > 0) {
      spend(budget, chunk.length);
      // Stored in place as it arrives, so the response event needs no final join.
      (rec.body ??= memorySink(client.getResponseBodyLength())).write(chunk);
      Client.received[eid] += chunk.length;
      more = client.getStatus() === Status.BODY;
    }
  }
  mirrorStatus(s, eid, rec);
  // Written even when the status stayed: a script polling its client itself may run a whole exchange between ticks.
  Client.code[eid] = client.getResponseCode();
  Client.bodyLength[eid] = client.getResponseBodyLength();
  if (!more) rec.asleep = client[watchIdle](rec.wake);
  return more;
}

/** Put a client back among those stepped each tick (its transport had activity, or the script called it). */
function wakeClient(s: HttpState, rec: ClientRecord): void {
  rec.asleep = false;
  if (s.clients.get(rec.eid) === rec) enlist(s.awake, rec);
}

/** This tick's clients to step: the awake ones still attached; those that fell asleep are dropped from the list. */
export function awakeClients(s: HttpState): readonly ClientRecord[] {
  return keepListed(s.awake, stillAwake, s);
}

function stillAwake(rec: ClientRecord, s: HttpState): boolean {
  return !rec.asleep && s.clients.get(rec.eid) === rec;
}

/** Report a status change since the last look, and the response it completed. */
function mirrorStatus(s: HttpState, eid: number, rec: ClientRecord): void {
  const { client } = rec;
  const { Client } = s.world;
  const status = client.getStatus();
  if (status === rec.status) return;
  const previous = rec.status;
  rec.status = status;
  Client.status[eid] = status;
  s.world.events.push({ type: 'status', eid, status, previous });
  if (status === Status.REQUESTING) {
    rec.body = null;
    Client.received[eid] = 0;
  }
  const ended = status === Status.CONNECTED || status === Status.DISCONNECTED;
  if (ended && client.hasResponse() && (previous === Status.REQUESTING || previous === Status.BODY)) {
    const body = rec.body?.bytes() ?? new Uint8Array(0);
    rec.body = null;
    s.world.events.push({ type: 'response', eid, code: client.getResponseCode(), headers: client.getResponseHeaders(), body });
  }
}
