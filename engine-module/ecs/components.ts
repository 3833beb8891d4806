// The HTTP components of one world. Numbers live in SoA typed arrays indexed by entity id (read them through the
// component each time: a store's arrays are replaced when a larger id appears); tags are empty objects.
import { createSoa, type Soa } from './soa.js';

/** Low level: an HTTPClient attached with attachClient(); its state mirrored once per tick. */
export type ClientComponent = Soa<'status' | 'code' | 'received' | 'bodyLength'>;
/** High level: progress of a request, updated once per tick. */
export type ProgressComponent = Soa<'received' | 'total' | 'sent'>;
/** High level: how a request ended (`result` is -1 while it runs). */
export type OutcomeComponent = Soa<'result' | 'code' | 'timeout' | 'fromCache'>;

/** The components of one world's HTTP systems. */
export interface HttpComponents {
  /**
   * `status` (HTTPClient Status), `code` (response code, 0 before one), `received` (body bytes of the current
   * response read so far), `bodyLength` (Content-Length, -1 unknown).
   */
  readonly Client: ClientComponent;
  /** Tag of an entity carrying a request (added by addRequest; remove it, or the entity, to cancel). */
  readonly Request: object;
  /** `received` body bytes (as sent, before decoding), `total` expected or -1, `sent` bytes written. */
  readonly Progress: ProgressComponent;
  /** `result` (Result, -1 while running), `code`, `timeout` (TimeoutKind), `fromCache` (0/1). */
  readonly Outcome: OutcomeComponent;
  /** Tag added in the tick a request ends; query `[Request, Done]` to find finished requests. */
  readonly Done: object;
}

/** Fresh component stores for one world. */
export function createComponents(capacity: number): HttpComponents {
  return {
    Client: createSoa({ status: Int32Array, code: Int32Array, received: Float64Array, bodyLength: Float64Array }, capacity),
    Request: {},
    Progress: createSoa({ received: Float64Array, total: Float64Array, sent: Float64Array }, capacity),
    Outcome: createSoa({ result: Int32Array, code: Int32Array, timeout: Uint8Array, fromCache: Uint8Array }, capacity),
    Done: {},
  };
}
