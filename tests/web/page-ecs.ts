// Runs in the test page: requests through a bitecs world whose HTTP system is updated once per animation frame.
import { addEntity, createWorld, hasComponent, removeComponent, type World } from 'bitecs';
import {
  addRequest,
  createHttpSystem,
  createWebPlatform,
  destroyHttpSystem,
  getPlatform,
  getResponse,
  updateHttp,
  type HttpWorld,
  type RequestSpec,
  type WebGlobals,
} from '../../engine-module/web.js';
import { frame, sha256Hex } from './page-client.js';

export interface RequestReport {
  /** A Result, -1 without an outcome. */
  result: number;
  timeout: number;
  code: number;
  error: string;
  url: string;
  fromCache: boolean;
  sha256: string;
  text: string;
  /** Progress.received and Progress.total as seen after each frame. */
  received: number[];
  total: number[];
  /** Progress.sent when the request ended. */
  sent: number;
}

interface Running {
  world: World;
  http: HttpWorld;
}

/** How a run's world is set up. */
export interface RunOptions {
  /** The world's platform is a web platform of a page without an Origin Private File System. */
  withoutOpfs?: boolean;
}

function open(options: RunOptions = {}): Running {
  const world = createWorld();
  if (!options.withoutOpfs) return { world, http: createHttpSystem(world) };
  const globals = { fetch: fetch.bind(globalThis), AbortController, performance, crypto, navigator: {} } as unknown as WebGlobals;
  return { world, http: createHttpSystem(world, { platform: createWebPlatform({ globals }) }) };
}

function add(run: Running, specs: RequestSpec[]): number[] {
  return specs.map((spec) => {
    const eid = addEntity(run.world);
    if (addRequest(run.world, eid, spec) !== 0) throw new Error(`spec refused: ${JSON.stringify(spec)}`);
    return eid;
  });
}

async function report(run: Running, eid: number, received: number[], total: number[]): Promise<RequestReport> {
  const outcome = getResponse(run.world, eid);
  const body = outcome?.body ?? new Uint8Array(0);
  return {
    result: outcome?.result ?? -1,
    timeout: outcome?.timeout ?? 0,
    code: outcome?.code ?? 0,
    error: outcome?.error ?? 'no outcome',
    url: outcome?.url ?? '',
    fromCache: outcome?.fromCache ?? false,
    sha256: await sha256Hex([body]),
    text: body.length < 65536 ? new TextDecoder().decode(body) : '',
    received,
    total,
    sent: run.http.Progress.sent[eid]!,
  };
}

/** Update the world once per frame until every one of `eids` is Done, recording their progress after each frame. */
async function settle(run: Running, eids: number[], maxFrames = 6000): Promise<RequestReport[]> {
  const { world, http } = run;
  const received: number[][] = eids.map(() => []);
  const total: number[][] = eids.map(() => []);
  const done = (): boolean => eids.every((eid) => hasComponent(world, eid, http.Done));
  for (let n = 0; n < maxFrames && !done(); n++) {
    await frame();
    updateHttp(world);
    eids.forEach((eid, i) => {
      received[i].push(http.Progress.received[eid]);
      total[i].push(http.Progress.total[eid]);
    });
  }
  return Promise.all(eids.map((eid, i) => report(run, eid, received[i], total[i])));
}

/** Run the specs side by side in one world to their ends. */
export async function runRequests(specs: RequestSpec[], options: RunOptions = {}): Promise<RequestReport[]> {
  const run = open(options);
  try {
    return await settle(run, add(run, specs));
  } finally {
    destroyHttpSystem(run.world);
  }
}

/** Run the specs one after the other in one world (sharing its pool and cache). */
export async function runInSequence(specs: RequestSpec[]): Promise<RequestReport[]> {
  const run = open();
  try {
    const out: RequestReport[] = [];
    for (const spec of specs) out.push(...(await settle(run, add(run, [spec]))));
    return out;
  } finally {
    destroyHttpSystem(run.world);
  }
}

/** Start one request and remove its Request component once `afterBytes` body bytes arrived. */
export async function cancelAfter(spec: RequestSpec, afterBytes: number): Promise<{ received: number; cancelled: boolean }> {
  const run = open();
  const { world, http } = run;
  const [eid] = add(run, [spec]);
  try {
    for (let n = 0; n < 3000; n++) {
      await frame();
      updateHttp(world);
      if (http.Progress.received[eid] >= afterBytes) {
        removeComponent(world, eid, http.Request);
        // A few more frames: the cancelled request stays cancelled and nothing throws.
        for (let k = 0; k < 5; k++) {
          await frame();
          updateHttp(world);
        }
        return { received: http.Progress.received[eid], cancelled: getResponse(world, eid) === null };
      }
    }
    return { received: http.Progress.received[eid], cancelled: false };
  } finally {
    destroyHttpSystem(world);
  }
}

/** A file of the page's Origin Private File System (where downloads go): its size (-1 when missing) and sha256. */
export async function fileReport(path: string): Promise<{ size: number; sha256: string }> {
  const bytes = await getPlatform().asyncFiles!.read(path);
  return { size: bytes ? bytes.length : -1, sha256: bytes ? await sha256Hex([bytes]) : '' };
}
