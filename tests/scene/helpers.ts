// Frame-stepped HTTPRequest tests: a scene on a test clock, stepped once per frame like a game loop, against real
// servers on loopback.
import { createHttpScene, updateHttpRequests, type HttpScene, type HttpSceneOptions } from '../../engine-module/scene/http-scene.js';
import { HTTPRequest, type RequestCompletedArgs } from '../../engine-module/scene/http-request.js';
import { platform } from '../ecs/helpers.js';
import { FrameStepper } from '../helpers/frame-stepper.js';

export interface TestScene {
  scene: HttpScene;
  clock: { now: number };
  /** Advance the clock, step every node once, let Node deliver I/O. */
  frame(): Promise<void>;
  /** Run frames until `done()` holds; fails after `max` frames, saying `what` was awaited. Returns the frames taken. */
  until(done: () => boolean, what?: string, max?: number): Promise<number>;
  /** A node of this scene whose completions are collected in `completed`. */
  node(): { http: HTTPRequest; completed: RequestCompletedArgs[] };
}

export function testScene(options: HttpSceneOptions = {}, frameMs = 16): TestScene {
  const clock = { now: 0 };
  const scene = createHttpScene({ platform, clock: () => clock.now, ...options });
  const stepper = new FrameStepper(() => {
    clock.now += frameMs;
    updateHttpRequests(scene);
  });
  return {
    scene,
    clock,
    frame: () => stepper.advance(1),
    until: (done, what, max = 5000) => stepper.until(done, max, what),
    node() {
      const http = new HTTPRequest(scene);
      const completed: RequestCompletedArgs[] = [];
      http.requestCompleted.connect((...args) => completed.push(args));
      return { http, completed };
    },
  };
}

export const text = (body: Uint8Array) => Buffer.from(body).toString('utf8');

/** Byte equality without a per-element deep comparison (slow for MiBs). */
export const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
