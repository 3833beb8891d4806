import { quoted, refuse, type Refusal } from './refusal.js';

/** Where connectToHost goes, after Godot's argument rules. */
export interface ConnectTarget {
  /** Host name or IP literal (IPv6 without brackets). */
  host: string;
  port: number;
  tls: boolean;
  /** host[:port] as written in URLs and the Host header: IPv6 bracketed, the scheme's default port omitted. */
  hostHeader: string;
  /** host:port with IPv6 bracketed (absolute-form targets and CONNECT). */
  authority: string;
}

/** Godot rejects host names shorter than this (IP literals are always accepted here). */
const HOST_MIN_LENGTH = 4;

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;

/** True for an IPv4 or IPv6 address literal (IPv6 without brackets). */
export function isIpLiteral(host: string): boolean {
  return IPV4.test(host) || (host.includes(':') && /^[0-9A-Fa-f:.]+$/.test(host) && host.split('::').length <= 2);
}

/** Bracket IPv6 literals for use in URLs and Host headers. */
export function bracketIpv6(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Apply Godot's connect_to_host rules: "http://" is stripped, "https://" is stripped and forces TLS, port -1 picks
 * 80/443. Empty or too-short hosts, hosts with spaces, control characters or URL delimiters (a path, a query, user
 * info), and ports outside 1..65535 are refused (ERR_INVALID_PARAMETER) with the reason.
 */
export function parseConnectTarget(hostArg: string, port: number, useTls: boolean): ConnectTarget | Refusal {
  if (typeof hostArg !== 'string') return refuse(`host must be a string, not ${typeof hostArg}`);
  let host = hostArg;
  let tls = useTls;
  if (host.startsWith('http://')) host = host.slice(7);
  else if (host.startsWith('https://')) {
    host = host.slice(8);
    tls = true;
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (/[/?#@]/.test(host)) {
    return refuse(`host ${quoted(hostArg)} holds a path, query or user info: give the host name only (the path goes to request())`);
  }
  if (/[\s\x00-\x1f\x7f[\]\\]/.test(host)) return refuse(`host ${quoted(hostArg)} holds spaces, control characters or brackets`);
  const literal = isIpLiteral(host);
  if (host.includes(':') && !literal) {
    return refuse(`host ${quoted(hostArg)} holds a colon: give the port as the second argument`);
  }
  if (!literal && host.length < HOST_MIN_LENGTH) return refuse(`host ${quoted(hostArg)} is shorter than ${HOST_MIN_LENGTH} characters`);
  const defaultPort = tls ? 443 : 80;
  const p = port === -1 ? defaultPort : port;
  if (!Number.isInteger(p) || p < 1 || p > 65535) return refuse(`port ${typeof port === 'number' ? port : quoted(port)} is not 1..65535 (or -1 for ${defaultPort})`);
  const name = bracketIpv6(host);
  return { host, port: p, tls, hostHeader: p === defaultPort ? name : `${name}:${p}`, authority: `${name}:${p}` };
}
