// High level: requests attached to entities. addRequest() starts one; the system steps it every tick, mirrors its
// progress into Progress, and when it ends fills Outcome and adds Done. Removing Request (or the entity) cancels it.
//
// bitecs recycles entity ids at once, so results are guarded by identity: the entity's record is replaced or
// deleted the moment its Request goes (the onRemove observer runs synchronously), and a job's outcome is written
// only while its own record is still the entity's. A late result can never land on a new entity with the old id.
import { addComponent, hasComponent, removeComponent, type World } from 'bitecs';
import { Err } from '../http/constants.js';
import { utf8Decode } from '../bytes/bytes.js';
import { cancelRequest, refusedRequest, startRequest, type RequestOutcome } from '../request/http-request.js';
import { parseSpec, specError, type RequestSpec } from '../request/request-spec.js';
import { stepGuarded } from '../request/tick.js';
import { stateOf, type HttpState, type RequestRecord } from './http-state.js';
import { ensureIndex } from './soa.js';
import { enlist, keepListed } from './step-list.js';

/**
 * Start a request on an entity (replacing, and cancelling, any request it already carries). Returns Err.OK, or
 * Err.ERR_INVALID_PARAMETER when the spec is invalid ({@link requestSpecError} says why); a refused request still
 * ends as data, like any other: Request now, Done with RESULT_REQUEST_FAILED and the reason in getResponse().error at
 * the next tick.
 */
export function addRequest(world: World, eid: number, spec: RequestSpec): Err {
  const parsed = parseSpec(spec);
  const s = stateOf(world);
  const { Request, Progress, Outcome } = s.world;
  if (hasComponent(world, eid, Request)) removeComponent(world, eid, Request);
  ensureIndex(Progress, eid);
  ensureIndex(Outcome, eid);
  Progress.received[eid] = 0;
  Progress.total[eid] = -1;
  Progress.sent[eid] = 0;
  Outcome.result[eid] = -1;
  Outcome.code[eid] = 0;
  Outcome.timeout[eid] = 0;
  Outcome.fromCache[eid] = 0;
  const job = typeof parsed !== 'string'
    ? startRequest(s.world.requester, parsed, s.world.now)
    : refusedRequest(typeof spec?.url === 'string' ? spec.url : '', parsed, s.world.now);
  const rec: RequestRecord = { eid, job, published: false, listed: false, unit: (first) => stepGuarded(s.world.requester, job, s.world.now, s.tick, first) };
  job.onWake = () => listRequest(s, rec);
  s.requests.set(eid, rec);
  listRequest(s, rec);
  addComponent(world, eid, Request);
  return typeof parsed !== 'string' ? Err.OK : Err.ERR_INVALID_PARAMETER;
}

/** Why addRequest() would refuse this spec, or null when it is valid. */
export function requestSpecError(spec: RequestSpec): string | null {
  return specError(spec);
}

/** The outcome of the entity's request once it has ended (Done is present), else null. */
export function getResponse(world: World, eid: number): RequestOutcome | null {
  const rec = stateOf(world).requests.get(eid);
  return rec?.published ? rec.job.outcome : null;
}

/** The response body decoded as UTF-8, or null before the end or when the body went to a file. */
export function responseText(world: World, eid: number): string | null {
  const body = getResponse(world, eid)?.body;
  return body ? utf8Decode(body) : null;
}

/** The Request component left the entity (or the entity went): cancel, free the connection, forget the outcome. */
export function onRequestRemoved(world: World, s: HttpState, eid: number): void {
  const rec = s.requests.get(eid);
  if (!rec) return;
  s.requests.delete(eid);
  cancelRequest(s.world.requester, rec.job, s.world.now);
  s.world.Outcome.result[eid] = -1;
  if (hasComponent(world, eid, s.world.Done)) removeComponent(world, eid, s.world.Done);
}

/** Put a request among those stepped each tick (it started, or its parked job woke). */
function listRequest(s: HttpState, rec: RequestRecord): void {
  if (s.requests.get(rec.eid) === rec) enlist(s.running, rec);
}

/**
 * The requests to step this tick, in this tick's order (rotated each tick so none is always served last): the
 * listed ones still running and not parked (a parked job, queued for a connection, is listed again when it wakes).
 * The list is the state's own, compacted in place.
 */
export function runningRequests(s: HttpState): readonly RequestRecord[] {
  const running = keepListed(s.running, stillRunning, s);
  if (running.length > 1) rotateLeft(running, s.rotation++ % running.length);
  return running;
}

function stillRunning(rec: RequestRecord, s: HttpState): boolean {
  return !rec.published && !rec.job.asleep && s.requests.get(rec.eid) === rec;
}

/** Rotate `list` left by `by` places in place (three reversals: no copy of the list is made). */
function rotateLeft<T>(list: T[], by: number): void {
  if (by === 0) return;
  reverse(list, 0, by - 1);
  reverse(list, by, list.length - 1);
  reverse(list, 0, list.length - 1);
}

function reverse<T>(list: T[], from: number, to: number): void {
  for (; from < to; from++, to--) {
    const t = list[from];
    list[from] = list[to];
    list[to] = t;
  }
}

/** Mirror progress, and publish the outcome of a request that ended (Outcome, Done, a `done` event). */
export function publish(world: World, s: HttpState, rec: RequestRecord): void {
  if (s.requests.get(rec.eid) !== rec) return;
  const { eid, job } = rec;
  const { Progress, Outcome, Done } = s.world;
  Progress.received[eid] = job.progress.received;
  Progress.total[eid] = job.progress.total;
  Progress.sent[eid] = job.progress.sent;
  const outcome = job.outcome;
  if (!outcome || rec.published) return;
  rec.published = true;
  Outcome.result[eid] = outcome.result;
  Outcome.code[eid] = outcome.code;
  Outcome.timeout[eid] = outcome.timeout;
  Outcome.fromCache[eid] = outcome.fromCache ? 1 : 0;
  addComponent(world, eid, Done);
  s.world.events.push({ type: 'done', eid, result: outcome.result });
}
