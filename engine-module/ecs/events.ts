// What happened during a tick, as data: the system fills the list, and clears it when the next tick starts.
import type { Status } from '../http/constants.js';
import type { Result } from '../request/result.js';

/** An attached client's status changed during the tick. */
export interface ClientStatusEvent {
  type: 'status';
  eid: number;
  status: Status;
  previous: Status;
}

/** An attached client completed a response during the tick (its body fully read). */
export interface ClientResponseEvent {
  type: 'response';
  eid: number;
  code: number;
  headers: string[];
  /** The whole body, or an empty array when the client was attached with `collectBody: false`. */
  body: Uint8Array;
}

/** A request ended during the tick; details with getResponse(world, eid). */
export interface RequestDoneEvent {
  type: 'done';
  eid: number;
  result: Result;
}

export type HttpEvent = ClientStatusEvent | ClientResponseEvent | RequestDoneEvent;
