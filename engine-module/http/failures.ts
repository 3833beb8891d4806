// Why a connection failed, as a value: a code per cause with the facts it needs, and the words derived from it in one
// place. The status machine says *that* a connection failed; these say *why*, for scripts (branch on `code`) and for
// people (`describeConnectionFailure`). The HTTP client and the request layer report the same failure in the same words.
import type { TlsFailure } from '../tls/tls-failure.js';
import type { BodyFraming } from './framing.js';

/** When a transport ended while an exchange was in progress. */
export type ExchangeStage = 'idle' | 'before-request' | 'before-head' | 'body';

/** Why a connection failed. */
export type ConnectionFailure =
  /** The name did not resolve (STATUS_CANT_RESOLVE). */
  | { code: 'cant-resolve'; host: string }
  /** The TCP connection to host:port was refused or could not be opened (STATUS_CANT_CONNECT); `detail`: the platform's reason. */
  | { code: 'cant-connect'; host: string; port: number; detail?: string }
  /** The HTTPS proxy refused or broke the CONNECT tunnel to `authority` (STATUS_CANT_CONNECT). */
  | { code: 'tunnel-failed'; authority: string; detail: string }
  /**
   * The TLS handshake failed (STATUS_SSL_HANDSHAKE_ERROR); `detail`: the TLS layer's reason, `tls`: the same as a
   * value (its `code`), when the TLS layer gives one.
   */
  | { code: 'tls-handshake'; detail: string; tls?: TlsFailure }
  /**
   * The transport ended in the middle of an exchange (STATUS_CONNECTION_ERROR); when the TLS layer failed, `tls` is
   * its reason and `tlsFailure` the same as a value.
   */
  | {
      code: 'transport-ended';
      how: 'reset' | 'closed' | 'tls';
      tls?: string;
      tlsFailure?: TlsFailure;
      stage: ExchangeStage;
      framing?: BodyFraming;
      plain?: boolean;
    }
  /** Response bytes came before the request was sent: the connection is out of step (STATUS_CONNECTION_ERROR). */
  | { code: 'out-of-step' }
  /** The response broke HTTP/1.1 syntax or framing, or the transport threw (STATUS_CONNECTION_ERROR). */
  | { code: 'protocol'; detail: string }
  /**
   * The runtime's own HTTP (a browser's fetch) failed: before the head (STATUS_CANT_CONNECT: a network error, a CORS
   * refusal, a refused connection) or during the body (STATUS_CONNECTION_ERROR). `detail`: the runtime's words.
   */
  | { code: 'runtime-http'; stage: 'before-head' | 'body'; detail: string };

/** The codes of {@link ConnectionFailure}, for scripts that branch on them. */
export type ConnectionFailureCode = ConnectionFailure['code'];

// A record, so the compiler insists on every code and nothing else.
const CODES: Record<ConnectionFailureCode, true> = {
  'cant-resolve': true,
  'cant-connect': true,
  'tunnel-failed': true,
  'tls-handshake': true,
  'transport-ended': true,
  'out-of-step': true,
  protocol: true,
  'runtime-http': true,
};

/**
 * Every {@link ConnectionFailureCode}, in the order a connection meets them, for scripts that switch on
 * `HTTPClient.getLastFailure().code`.
 */
export const CONNECTION_FAILURE_CODES = Object.freeze(Object.keys(CODES)) as readonly ConnectionFailureCode[];

/** The failure in words a person can read; server-supplied text is already escaped by the layer that quoted it. */
export function describeConnectionFailure(f: ConnectionFailure): string {
  switch (f.code) {
    case 'cant-resolve':
      return `could not resolve "${f.host}"`;
    case 'cant-connect':
      return `could not connect to ${f.host}:${f.port}${f.detail ? `: ${f.detail}` : ''}`;
    case 'tunnel-failed':
      return `proxy tunnel to ${f.authority} failed: ${f.detail}`;
    case 'tls-handshake':
      return f.detail;
    case 'transport-ended':
      return `${transportEnd(f)} ${stageWords(f.stage, f.framing)}${f.plain && f.stage === 'before-head' ? PLAIN_HINT : ''}`;
    case 'out-of-step':
      return 'response bytes arrived before the request was sent: the connection is out of step';
    case 'protocol':
    case 'runtime-http':
      return f.detail;
  }
}

/**
 * A TLS server reading a plain-text request closes the connection without an answer: the most common cause of this
 * failure on a plain connection is an http:// URL for an https:// server.
 */
const PLAIN_HINT = ' (if the server speaks TLS, use https://)';

function transportEnd(f: { how: 'reset' | 'closed' | 'tls'; tls?: string }): string {
  if (f.how === 'tls') return `TLS failure (${f.tls})`;
  return f.how === 'reset' ? 'connection reset' : 'connection closed';
}

function stageWords(stage: ExchangeStage, framing: BodyFraming | undefined): string {
  switch (stage) {
    case 'idle':
      return 'while idle';
    case 'before-request':
      return 'before the request was sent';
    case 'before-head':
      return 'before the response head arrived';
    case 'body':
      if (framing?.kind === 'length') return `before the ${framing.length}-byte body was complete`;
      return framing?.kind === 'chunked' ? 'before the last chunk of the body' : 'in the body';
  }
}
