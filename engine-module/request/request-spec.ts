// What a script asks for, and its checked, defaulted form. Caller mistakes are found here, before anything is sent.
import { utf8Encode } from '../bytes/bytes.js';
import { NO_BYTES } from '../net/chunk-queue.js';
import type { TlsOptions } from '../http/client-options.js';
import { DEFAULT_READ_CHUNK_SIZE, MAX_READ_CHUNK_SIZE, Method, MIN_READ_CHUNK_SIZE } from '../http/constants.js';
import type { ProxyEndpoint } from '../http/open.js';
import { tlsOptionsProblem } from '../http/tls-layer.js';
import type { RevalidationCache } from './cache.js';
import { headerLines, type HeaderInput } from './headers.js';
import { isHttpMethod, type HttpMethod } from './method.js';
import { requestRefusal } from '../http/request-writer.js';
import type { Hop } from './redirects.js';
import { retryPolicy, type RetryOptions, type RetryPolicy } from './retry.js';
import { parseUrl } from './url.js';

export type { ProxyEndpoint };

/** Time limits in milliseconds on the world's tick clock; 0 or absent means none. */
export interface Timeouts {
  /** Resolving, TCP connect and TLS handshake of a new connection. */
  connectMs?: number;
  /** The whole request: queueing, redirects, retries and backoff included. */
  totalMs?: number;
  /** No progress (request bytes written, the response head, a body byte) for this long once the request is sent. */
  stallMs?: number;
}

/** Where a download goes. */
export interface DownloadOptions {
  /** File path, through the platform's file access. */
  path: string;
  /**
   * Continue a partial file left by an earlier attempt (Range + If-Range with the validator saved beside it);
   * the server answering 200 instead of 206 restarts the file from zero. Default false: the file is rewritten.
   */
  resume?: boolean;
}

/** TLS settings passed through to the connection (and part of its pool key). */
export interface RequestTlsOptions extends TlsOptions {
  /** Check the certificate against the host name (default true). */
  verifyHost?: boolean;
}

/** Proxies by the scheme of the URL a hop goes to (HTTPClient's setHttpProxy / setHttpsProxy). */
export interface ProxyOptions {
  /** http:// requests are sent to it in absolute form. */
  http?: ProxyEndpoint | null;
  /** https:// requests are tunnelled through it with CONNECT; TLS runs to the origin. */
  https?: ProxyEndpoint | null;
}

/** A request as a script describes it. Only `url` is required. */
export interface RequestSpec {
  /** Absolute http:// or https:// URL. */
  url: string;
  /** Default GET. */
  method?: HttpMethod | Lowercase<HttpMethod>;
  /** "Name: value" lines or a record. Host, Content-Length and (for GET) Accept-Encoding are added as needed. */
  headers?: HeaderInput;
  /** Request body; a string is sent as UTF-8. */
  body?: string | Uint8Array;
  timeouts?: Timeouts;
  /** Opt-in retries with backoff (see {@link RetryOptions}). */
  retry?: RetryOptions;
  /** Redirects followed before RESULT_REDIRECT_LIMIT_REACHED (default 8, as Godot). */
  maxRedirects?: number;
  /** Largest decoded body accepted, in bytes (default -1: unlimited). */
  bodySizeLimit?: number;
  /** Send `Accept-Encoding: gzip, deflate` and decode such bodies (default true). */
  decompress?: boolean;
  /** Write a successful (2xx) body to a file instead of memory: a path, or path and resume flag. */
  download?: string | DownloadOptions;
  /** Revalidate through a cache: true for the system's cache, or a specific one (GET only). Default off. */
  cache?: boolean | RevalidationCache;
  tls?: RequestTlsOptions;
  proxy?: ProxyOptions;
  /** Bytes read from the connection per unit of body work (HTTPClient's readChunkSize; default 64 KiB). */
  readChunkSize?: number;
}

/** A spec with defaults applied and its body encoded. */
export interface NormalizedSpec {
  hop: Hop;
  timeouts: Required<Timeouts>;
  retry: RetryPolicy;
  maxRedirects: number;
  bodySizeLimit: number;
  decompress: boolean;
  download: Required<DownloadOptions> | null;
  cache: boolean | RevalidationCache;
  tls: RequestTlsOptions | null;
  proxy: ProxyOptions | null;
  readChunkSize: number;
}

/** The spec's method as HTTP spells it (upper case); GET when absent. */
function methodOf(spec: RequestSpec): string {
  return spec.method === undefined ? 'GET' : String(spec.method).toUpperCase();
}

/**
 * The spec checked and with its defaults applied, or why it cannot be sent. The one place a spec is read: its URL is
 * parsed, its body encoded and its headers checked against the wire writer's rules once, here, so that what is
 * accepted is what will be sent and the layers below trust it.
 */
export function parseSpec(spec: RequestSpec): NormalizedSpec | string {
  if (!spec || typeof spec.url !== 'string') return 'url must be a string';
  const url = parseUrl(spec.url);
  if (!url) return `not an absolute http(s) URL: ${JSON.stringify(spec.url)}`;
  const method = methodOf(spec);
  if (!isHttpMethod(method)) return `unsupported method ${JSON.stringify(String(spec.method))} (GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE or PATCH, any case)`;
  if (spec.body !== undefined && typeof spec.body !== 'string' && !(spec.body instanceof Uint8Array)) {
    return 'body must be a string or Uint8Array';
  }
  if (spec.headers !== undefined && (typeof spec.headers !== 'object' || spec.headers === null)) {
    return 'headers must be "Name: value" lines or a name → value record';
  }
  const body = spec.body === undefined ? null : typeof spec.body === 'string' ? utf8Encode(spec.body) : spec.body;
  const headers = headerLines(spec.headers);
  const wire = requestRefusal({ method: Method[method], url: '/', headers, body: body ?? NO_BYTES, host: 'h' });
  if (wire) return wire.reason;
  const problem = optionsProblem(spec, method);
  if (problem !== null) return problem;
  const download = typeof spec.download === 'string' ? { path: spec.download } : spec.download;
  return {
    hop: { method, url, headers, body },
    timeouts: {
      connectMs: spec.timeouts?.connectMs ?? 0,
      totalMs: spec.timeouts?.totalMs ?? 0,
      stallMs: spec.timeouts?.stallMs ?? 0,
    },
    retry: retryPolicy(spec.retry),
    maxRedirects: spec.maxRedirects ?? 8,
    bodySizeLimit: spec.bodySizeLimit ?? -1,
    decompress: spec.decompress ?? true,
    download: download ? { path: download.path, resume: download.resume ?? false } : null,
    cache: spec.cache ?? false,
    tls: spec.tls ?? null,
    proxy: spec.proxy ?? null,
    readChunkSize: spec.readChunkSize ?? DEFAULT_READ_CHUNK_SIZE,
  };
}

/** Why a spec cannot be sent, or null when it can. */
export function specError(spec: RequestSpec): string | null {
  const parsed = parseSpec(spec);
  return typeof parsed === 'string' ? parsed : null;
}

/** The checked form of a spec known to be valid (a constant, a test's own); throws with the reason otherwise. */
export function normalizeSpec(spec: RequestSpec): NormalizedSpec {
  const parsed = parseSpec(spec);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

/** Why the spec's options (timeouts, limits, download, cache, proxies, TLS) are out of range, or null. */
function optionsProblem(spec: RequestSpec, method: HttpMethod): string | null {
  for (const [k, v] of Object.entries(spec.timeouts ?? {})) {
    if (typeof v !== 'number' || !(v >= 0)) return `timeouts.${k} must be a number >= 0`;
  }
  if (spec.maxRedirects !== undefined && !(Number.isInteger(spec.maxRedirects) && spec.maxRedirects >= 0)) {
    return 'maxRedirects must be an integer >= 0';
  }
  if (spec.bodySizeLimit !== undefined && !(Number.isInteger(spec.bodySizeLimit) && spec.bodySizeLimit >= -1)) {
    return 'bodySizeLimit must be an integer >= -1';
  }
  const download = typeof spec.download === 'string' ? { path: spec.download } : spec.download;
  if (download !== undefined && (typeof download.path !== 'string' || download.path === '')) {
    return 'download path must be a non-empty string';
  }
  if (spec.cache !== undefined && spec.cache !== false && method !== 'GET') {
    return 'cache applies to GET requests only';
  }
  for (const [scheme, p] of Object.entries(spec.proxy ?? {})) {
    if (p && !(typeof p.host === 'string' && p.host !== '' && Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535)) {
      return `proxy.${scheme} needs a host and a port from 1 to 65535`;
    }
  }
  const chunk = spec.readChunkSize;
  if (chunk !== undefined && !(Number.isInteger(chunk) && chunk >= MIN_READ_CHUNK_SIZE && chunk <= MAX_READ_CHUNK_SIZE)) {
    return `readChunkSize must be an integer from ${MIN_READ_CHUNK_SIZE} to ${MAX_READ_CHUNK_SIZE}`;
  }
  // Checked for http:// URLs too: a redirect may lead to https.
  return spec.tls ? tlsOptionsProblem(spec.tls) : null;
}
