// The connection's status machine as data, in one place: which event moves which status where. Every status change
// of an exchange goes through `nextStatus`, so a move that is not written here is caught where it happens instead of
// showing up frames later as a status nobody expected.
import { Err, Status } from './constants.js';
import type { ConnectionFailure } from './failures.js';

/** What happens to a connection, as the exchange reports it to its status machine. */
export type ExchangeEvent =
  /** connectToHost accepted the target: the name is being resolved. */
  | 'dial'
  /** The address is known: the transport is connecting (TCP, then a proxy tunnel and TLS when used). */
  | 'resolved'
  /** Every connection stage is ready. */
  | 'connected'
  /** A request was queued for sending. */
  | 'send'
  /** The final response head arrived and a body follows. */
  | 'head'
  /** The response is complete and the connection can carry another request. */
  | 'complete'
  /** The connection ended without a failure: closed by either side, or not reusable after a response. */
  | 'closed'
  | 'resolve-failed'
  | 'connect-failed'
  | 'tls-failed'
  /** The exchange broke: a protocol error, a reset, a body cut short, bytes out of step. */
  | 'broken';

type Row = Partial<Record<ExchangeEvent, Status>>;

/**
 * The legal moves. Not listed because they hold everywhere: `close()` goes to DISCONNECTED from any status, and a new
 * connectToHost starts over from DISCONNECTED.
 */
const TRANSITIONS: Readonly<Record<Status, Row>> = {
  [Status.DISCONNECTED]: { dial: Status.RESOLVING, connected: Status.CONNECTED },
  [Status.RESOLVING]: { resolved: Status.CONNECTING, 'resolve-failed': Status.CANT_RESOLVE, broken: Status.CONNECTION_ERROR },
  [Status.CONNECTING]: {
    connected: Status.CONNECTED,
    'connect-failed': Status.CANT_CONNECT,
    'tls-failed': Status.SSL_HANDSHAKE_ERROR,
    broken: Status.CONNECTION_ERROR,
  },
  [Status.CONNECTED]: { send: Status.REQUESTING, closed: Status.DISCONNECTED, broken: Status.CONNECTION_ERROR },
  [Status.REQUESTING]: {
    head: Status.BODY,
    // A runtime's own HTTP (fetch) connects per request: its connection failures show here.
    'connect-failed': Status.CANT_CONNECT,
    complete: Status.CONNECTED,
    closed: Status.DISCONNECTED,
    broken: Status.CONNECTION_ERROR,
  },
  [Status.BODY]: { complete: Status.CONNECTED, closed: Status.DISCONNECTED, broken: Status.CONNECTION_ERROR },
  [Status.CANT_RESOLVE]: {},
  [Status.CANT_CONNECT]: {},
  [Status.CONNECTION_ERROR]: {},
  [Status.SSL_HANDSHAKE_ERROR]: {},
};

/** The status `event` leads to from `from`; throws on a move the table does not allow (a bug in the caller). */
export function nextStatus(from: Status, event: ExchangeEvent): Status {
  const to = TRANSITIONS[from][event];
  if (to === undefined) throw new Error(`no status transition from ${Status[from]} on ${event}`);
  return to;
}

/** The event a failure is to the status machine. */
export function failureEvent(f: ConnectionFailure): ExchangeEvent {
  switch (f.code) {
    case 'cant-resolve':
      return 'resolve-failed';
    case 'cant-connect':
    case 'tunnel-failed':
      return 'connect-failed';
    case 'tls-handshake':
      return 'tls-failed';
    case 'runtime-http':
      return f.stage === 'body' ? 'broken' : 'connect-failed';
    default:
      return 'broken';
  }
}

/** What poll() returns after a step, by status: the Err matching a failure, OK otherwise (Godot's values). */
const POLL_RESULT: Readonly<Partial<Record<Status, Err>>> = {
  [Status.CANT_RESOLVE]: Err.ERR_CANT_RESOLVE,
  [Status.CANT_CONNECT]: Err.ERR_CANT_CONNECT,
  [Status.SSL_HANDSHAKE_ERROR]: Err.ERR_CANT_CONNECT,
  [Status.CONNECTION_ERROR]: Err.ERR_CONNECTION_ERROR,
};

/** The Err poll() reports for the status a step ended in. */
export function pollResult(status: Status): Err {
  return POLL_RESULT[status] ?? Err.OK;
}
