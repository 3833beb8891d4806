// What steps HTTPRequest nodes: Godot's SceneTree gives every node with a request in flight one process step per
// frame; here a scene does the same when the game calls updateHttpRequests() from the frame loop it already has.
// A scene owns (or shares) one request layer: its pool, cache and budget serve all of its nodes.
import { startBudget, type BudgetOptions, type TickBudget, type WorkUnit } from '../request/budget.js';
import { closeIdle } from '../request/pool.js';
import { createRequester, type Requester, type RequesterOptions } from '../request/requester.js';
import { runTick } from '../request/tick.js';
import { tryGetPlatform, type Platform } from '../platform/platform.js';
import { requesterOf, type HttpWorld } from '../ecs/http-state.js';
import type { ListenerErrorHandler } from './signal.js';

/** Options of a scene. */
export interface HttpSceneOptions extends RequesterOptions {
  /**
   * Run on an ECS world's request layer instead of a new one (pass `getHttp(world)`): the world's requests and this
   * scene's nodes then share one pool, one cache and the per-origin limits.
   */
  shareWith?: HttpWorld;
  /** Run on another scene's request layer (`scene.requester`) instead of a new one. */
  requester?: Requester;
  /** Work per frame for all nodes together (default: DEFAULT_TICK_MS of extra body work; see BudgetOptions). */
  budget?: BudgetOptions;
  /** The frame clock in milliseconds; `timeout` and retries use it (default: the platform's now()). */
  clock?: () => number;
  /** Where an exception thrown by a `requestCompleted` listener is reported (default: console.error when present). */
  onListenerError?: ListenerErrorHandler;
}

/** A node as the scene steps it. */
export interface SceneMember {
  /** One unit of the node's work this frame (see WorkUnit). */
  readonly unit: WorkUnit;
  /** After the frame's work: report an ending (the node emits its signal). */
  settle(): void;
}

/** Nodes stepped together, on one request layer. */
export interface HttpScene {
  readonly requester: Requester;
  readonly clock: () => number;
  readonly onListenerError: ListenerErrorHandler;
  /** Nodes with a request in flight. */
  readonly live: Set<SceneMember>;
  /** Frame-clock time of the frame being stepped (or of the last one). */
  now: number;
  /** The budget of the frame being stepped (or of the last one). */
  tick: TickBudget;
  readonly budget: BudgetOptions | undefined;
}

/** The default listener error handler: console.error when the runtime has a console. */
export const reportToConsole: ListenerErrorHandler = (error) => {
  (globalThis as { console?: { error?: (...a: unknown[]) => void } }).console?.error?.(
    'tickhttp: a request_completed listener threw:',
    error,
  );
};

/** A scene with its own request layer, or with the one of `options.shareWith` or `options.requester`. */
export function createHttpScene(options: HttpSceneOptions = {}): HttpScene {
  const shared = options.shareWith ? requesterOf(options.shareWith) : options.requester;
  const requester = shared ?? createRequester(options);
  const platform = requester.platform;
  const clock = options.clock ?? (() => platform.now());
  return {
    requester,
    clock,
    onListenerError: options.onListenerError ?? reportToConsole,
    live: new Set(),
    now: clock(),
    tick: startBudget(options.budget, () => platform.now()),
    budget: options.budget,
  };
}

const defaults = new WeakMap<Platform, HttpScene>();

/**
 * The scene of nodes made without one: one per platform, so every such node of a program shares one pool. Null
 * while no platform is installed.
 */
export function defaultHttpScene(): HttpScene | null {
  const platform = tryGetPlatform();
  if (!platform) return null;
  let scene = defaults.get(platform);
  if (!scene) defaults.set(platform, (scene = createHttpScene({ platform })));
  return scene;
}

/**
 * One frame for every node of the scene with a request in flight (default: the default scene): each gets its step,
 * then extra units of body work while the budget lasts; requests that ended emit `requestCompleted` within this
 * call. Call once per frame from the game loop. Never throws.
 */
export function updateHttpRequests(scene: HttpScene | null = defaultHttpScene()): void {
  if (scene) stepMembers(scene, [...scene.live]);
}

/** One frame for these members only (HTTPRequest.poll() steps one node this way). */
export function stepMembers(scene: HttpScene, members: readonly SceneMember[]): void {
  scene.now = scene.clock();
  scene.tick = startBudget(scene.budget, scene.tick.clock);
  runTick(scene.requester, scene.now, scene.tick, () => members.map((m) => m.unit), () => {
    for (const m of members) m.settle();
  });
}

/**
 * Close the idle pooled connections of a scene (default: the default scene), that is of its requester: shared with
 * an ECS world when the scene was made with `shareWith`. Requests in flight go on. A program calls this when it is
 * done, so kept-alive sockets do not keep it running.
 */
export function closeIdleConnections(scene: HttpScene | null = defaultHttpScene()): void {
  if (scene) closeIdle(scene.requester.pool);
}
