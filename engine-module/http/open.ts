// Opening a connection, as connectToHost and the request layer's pool both do it: the target checked once, the TLS
// options checked once, and the exchange chosen by the platform (its own HTTP when it has one, else HTTP/1.1 over TCP).
import type { Platform } from '../platform/platform.js';
import { openCarried } from './carried-session.js';
import type { TlsOptions, TlsWrapper } from './client-options.js';
import { parseConnectTarget } from './connect-target.js';
import type { Exchange, ReadSettings } from './exchange.js';
import { openHttp11 } from './http11-exchange.js';
import { refuse, type Refusal } from './refusal.js';
import type { HeadLimits } from './response-head.js';
import { startTls, tlsOptionsProblem } from './tls-layer.js';

/** What a connection is opened to and with. */
export interface OpenRequest {
  host: string;
  port: number;
  useTls: boolean;
  verifyHost: boolean;
  tlsOptions: TlsOptions;
  platform: Platform;
  proxies: { http: ProxyEndpoint | null; https: ProxyEndpoint | null };
  limits: HeadLimits;
  settings: ReadSettings;
  /** The TLS layer; tickhttp's own unless given. */
  tls: TlsWrapper | undefined;
  blocking: boolean;
  /** Handed to the TLS layer (see TlsConnectParams.workGate). */
  workGate?: () => boolean;
}

/** A proxy endpoint set with setHttpProxy / setHttpsProxy. */
export interface ProxyEndpoint {
  host: string;
  port: number;
}

/** Open a connection, or say why not (ERR_INVALID_PARAMETER for a bad target or TLS options). */
export function openExchange(o: OpenRequest): Exchange | Refusal {
  const target = parseConnectTarget(o.host, o.port, o.useTls);
  if ('err' in target) return target;
  const tlsProblem = target.tls ? tlsOptionsProblem(o.tlsOptions) : null;
  if (tlsProblem) return refuse(tlsProblem);
  const { platform } = o;
  const open = {
    target,
    platform,
    tls: target.tls ? { ...o.tlsOptions, host: target.host, verifyHost: o.verifyHost, platform, workGate: o.workGate } : null,
    proxy: target.tls ? o.proxies.https : o.proxies.http,
    limits: o.limits,
    settings: o.settings,
    startTls: o.tls ?? startTls,
    blocking: o.blocking,
  };
  return platform.http ? openCarried(platform.http, open) : openHttp11(open);
}
