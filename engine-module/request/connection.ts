// A pooled connection: the exchange opened to one origin (http/open.ts, the same opener as HTTPClient.connectToHost),
// or why it could not be opened. The request layer drives the exchange and its response head directly.
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8Encode } from '../bytes/bytes.js';
import type { Platform } from '../platform/platform.js';
import type { HTTPClientOptions } from '../http/client-options.js';
import { DEFAULT_MAX_HEAD_BYTES, DEFAULT_MAX_HEADER_COUNT, DEFAULT_READ_CHUNK_SIZE, Status } from '../http/constants.js';
import type { Exchange, ReadSettings } from '../http/exchange.js';
import { describeConnectionFailure } from '../http/failures.js';
import { openExchange } from '../http/open.js';
import type { PoolHooks } from './pool.js';
import type { ProxyEndpoint, ProxyOptions, RequestTlsOptions } from './request-spec.js';
import { originOf, type ParsedUrl } from './url.js';

/** An exchange owned by the pool. */
export interface Connection {
  /** Null when the connection could not be opened ({@link refusal} says why). */
  exchange: Exchange | null;
  refusal: string | null;
  /** The exchange's read settings, set per request (readChunkSize). */
  readonly settings: ReadSettings;
}

/** The connection's status (DISCONNECTED when it never opened). */
export function statusOf(conn: Connection): Status {
  return conn.exchange ? conn.exchange.status : Status.DISCONNECTED;
}

/** Why the connection failed or could not open, in the words HTTPClient.getLastError() uses, or null. */
export function connectionFailureWords(conn: Connection): string | null {
  const failure = conn.exchange?.failure();
  return failure ? describeConnectionFailure(failure) : conn.refusal;
}

/** Where and how connections of one pool key are opened. */
export interface OriginTarget {
  url: ParsedUrl;
  tls: RequestTlsOptions | null;
  /** The proxy this URL's scheme goes through, or null for a direct connection. */
  proxy?: ProxyEndpoint | null;
}

/** The proxy of `options` that applies to `url`'s scheme, or null. */
export function proxyFor(options: ProxyOptions | null, url: ParsedUrl): ProxyEndpoint | null {
  return (url.scheme === 'https' ? options?.https : options?.http) ?? null;
}

/**
 * The pool key of a request: its origin plus the TLS settings, since a connection verified against one trust
 * configuration must not carry a request made under another. `hash` is the SHA-256 that names a trusted chain (the
 * platform's provider's: node:crypto's native one is quick even at its first call, where the pure one, in a fresh
 * process, takes milliseconds for a PEM of a few KiB).
 */
export function poolKey(target: OriginTarget, hash: (data: Uint8Array) => Uint8Array = sha256): string {
  const via = target.proxy ? ` via=${target.proxy.host}:${target.proxy.port}` : '';
  const origin = originOf(target.url) + via;
  if (target.url.scheme !== 'https' || !target.tls) return origin;
  const { verifyHost = true, trustedChain = '', commonNameOverride = '' } = target.tls;
  return `${origin} verify=${verifyHost} cn=${commonNameOverride} chain=${chainId(trustedChain, hash)}`;
}

/**
 * A short stable id for a PEM chain (the PEM itself would make a very long key): its SHA-256, so distinct chains keep
 * distinct keys without a table of every chain ever seen growing through a long game session.
 */
function chainId(pem: string, hash: (data: Uint8Array) => Uint8Array): string {
  // Hashing is paid once per distinct chain, not per request: a game passes the same PEM text with every request.
  if (pem !== lastChain.pem) lastChain = { pem, id: pem === '' ? '' : toHex(hash(utf8Encode(pem)).subarray(0, 16)) };
  return lastChain.id;
}
let lastChain = { pem: '', id: '' };

/** What the pool's TLS connections take from the requester that owns them. */
export interface TlsSetup {
  /** Asked before each unit of handshake work (see TlsConnectParams.workGate). */
  workGate(): boolean;
  /** A TLS connection is being opened: its primitives are about to run. */
  opening(): void;
}

/** Pool hooks that open exchanges through `platform` to the target each waiter brought. */
export function connectionHooks(platform: Platform, options: Omit<HTTPClientOptions, 'platform'>,
  tls: TlsSetup): PoolHooks<Connection, OriginTarget> {
  const limits = {
    maxHeadBytes: options.maxHeadBytes ?? DEFAULT_MAX_HEAD_BYTES,
    maxHeaderCount: options.maxHeaderCount ?? DEFAULT_MAX_HEADER_COUNT,
  };
  return {
    open(_key, { url, tls: tlsOptions, proxy = null }) {
      const settings = { readChunkSize: DEFAULT_READ_CHUNK_SIZE };
      if (url.scheme === 'https') tls.opening();
      const opened = openExchange({
        host: url.host,
        port: url.port,
        useTls: url.scheme === 'https',
        verifyHost: tlsOptions?.verifyHost ?? true,
        tlsOptions: { trustedChain: tlsOptions?.trustedChain, commonNameOverride: tlsOptions?.commonNameOverride },
        platform,
        proxies: { http: proxy, https: proxy },
        limits,
        settings,
        tls: options.tls,
        blocking: false,
        workGate: () => tls.workGate(),
      });
      return 'err' in opened ? { exchange: null, refusal: opened.reason, settings } : { exchange: opened, refusal: null, settings };
    },
    usable(conn) {
      // Polling an idle exchange notices a close by the server (or stray bytes) and leaves CONNECTED.
      if (statusOf(conn) !== Status.DISCONNECTED) conn.exchange!.poll();
      return statusOf(conn) === Status.CONNECTED;
    },
    close: (conn) => conn.exchange?.close(),
  };
}
