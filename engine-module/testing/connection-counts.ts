// What a test may ask of a world's or a scene's connections: counts taken now, never the live pool itself.
import { requesterOf, type HttpWorld } from '../ecs/http-state.js';
import { idleCount } from '../request/pool.js';
import type { HttpScene } from '../scene/http-scene.js';

/** The connections of one request layer at one moment. */
export interface ConnectionCounts {
  /** Open connections: leased plus idle. */
  open: number;
  /** Connections carrying a request. */
  leased: number;
  /** Connections kept alive for the next request to their origin. */
  idle: number;
  /** Requests waiting for a connection. */
  queued: number;
}

/**
 * The connections of an ECS world's HTTP systems (pass `getHttp(world)`) or of an HTTPRequest scene. A scene made on
 * a world's request layer (`createHttpScene({ shareWith })`) reports the same connections as the world.
 */
export function connectionCounts(of: HttpWorld | HttpScene): ConnectionCounts {
  const { pool } = 'live' in of ? of.requester : requesterOf(of);
  return { open: pool.open, leased: pool.leased, idle: idleCount(pool), queued: pool.queue.length };
}
