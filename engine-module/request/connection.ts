// A pooled connection: an HTTPClient connected to one origin, plus the count of bytes written to its transport
// (upload progress; HTTPClient itself does not report it).
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8Encode } from '../bytes/bytes.js';
import type { StreamPeer } from '../net/stream-peer.js';
import type { Platform } from '../platform/platform.js';
import { HTTPClient } from '../http/client.js';
import type { HTTPClientOptions } from '../http/client-options.js';
import { Err, Status } from '../http/constants.js';
import type { PoolHooks } from './pool.js';
import type { ProxyEndpoint, ProxyOptions, RequestTlsOptions } from './request-spec.js';
import { originOf, type ParsedUrl } from './url.js';

/** An HTTPClient owned by the pool. */
export interface Connection {
  client: HTTPClient;
  /** Bytes the transport accepted so far, over the connection's life. */
  written: number;
  /** What connectToHost answered (not OK: the connection never started, e.g. no platform or a host it refuses). */
  connectErr: Err;
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
 * configuration must not carry a request made under another.
 */
export function poolKey(target: OriginTarget): string {
  const via = target.proxy ? ` via=${target.proxy.host}:${target.proxy.port}` : '';
  const origin = originOf(target.url) + via;
  if (target.url.scheme !== 'https' || !target.tls) return origin;
  const { verifyHost = true, trustedChain = '', commonNameOverride = '' } = target.tls;
  return `${origin} verify=${verifyHost} cn=${commonNameOverride} chain=${chainId(trustedChain)}`;
}

/**
 * A short stable id for a PEM chain (the PEM itself would make a very long key): its SHA-256, so distinct chains keep
 * distinct keys without a table of every chain ever seen growing through a long game session.
 */
function chainId(pem: string): string {
  return pem === '' ? '' : toHex(sha256(utf8Encode(pem)).subarray(0, 16));
}

/** Pool hooks that open HTTPClients through `platform`, for the targets registered in `targets` by key. */
export function connectionHooks(
  platform: Platform,
  clientOptions: Omit<HTTPClientOptions, 'platform'>,
  targets: Map<string, OriginTarget>,
): PoolHooks<Connection> {
  return {
    open(key) {
      const { url, tls, proxy } = targets.get(key)!;
      const conn: Connection = { client: null!, written: 0, connectErr: Err.OK };
      conn.client = new HTTPClient({ ...clientOptions, platform: countingPlatform(platform, conn) });
      if (proxy && url.scheme === 'https') conn.client.setHttpsProxy(proxy.host, proxy.port);
      else if (proxy) conn.client.setHttpProxy(proxy.host, proxy.port);
      conn.connectErr = conn.client.connectToHost(url.host, url.port, url.scheme === 'https', tls?.verifyHost ?? true, {
        trustedChain: tls?.trustedChain,
        commonNameOverride: tls?.commonNameOverride,
      });
      return conn;
    },
    usable(conn) {
      // Polling an idle client notices a close by the server (or stray bytes) and leaves CONNECTED.
      conn.client.poll();
      return conn.client.getStatus() === Status.CONNECTED;
    },
    close: (conn) => conn.client.close(),
  };
}

/** The platform, with every TCP peer it opens counting written bytes into `conn`. */
function countingPlatform(platform: Platform, conn: Connection): Platform {
  // Derived, not copied: a host platform may keep its methods on a prototype.
  const derived: Platform = Object.create(platform);
  derived.connectTcp = (address, port) => {
    const peer = platform.connectTcp(address, port);
    const counted: StreamPeer = {
      getStatus: () => peer.getStatus(),
      poll: () => peer.poll?.(),
      getAvailableBytes: () => peer.getAvailableBytes(),
      getPartialData: (max) => peer.getPartialData(max),
      putPartialData(data) {
        const n = peer.putPartialData(data);
        conn.written += n;
        return n;
      },
      disconnectFromHost: () => peer.disconnectFromHost(),
    };
    return counted;
  };
  return derived;
}
