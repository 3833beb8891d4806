// Absolute http(s) URLs as the request layer needs them: where to connect, what to put on the request line, and
// how a redirect's Location resolves against the URL that produced it (RFC 3986 §5.2).

/** A parsed absolute http:// or https:// URL. */
export interface ParsedUrl {
  scheme: 'http' | 'https';
  /** Lower-case host name or IP literal, IPv6 without brackets. */
  host: string;
  /** Explicit port, or 80 / 443 by scheme. */
  port: number;
  /** Path and query as sent on the request line ("/" when the URL has no path). Never contains a fragment. */
  target: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** Parse an absolute http(s) URL; null when it is not one (unknown scheme, no host, bad port, user info, spaces). */
export function parseUrl(url: string): ParsedUrl | null {
  const m = SCHEME.exec(url);
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return null;
  let rest = url.slice(m[0].length);
  if (!rest.startsWith('//')) return null;
  rest = rest.slice(2);
  const hashAt = rest.indexOf('#');
  if (hashAt >= 0) rest = rest.slice(0, hashAt);
  if (/[\s\x00-\x1f\x7f]/.test(rest)) return null;
  let end = rest.length;
  for (const c of ['/', '?']) {
    const at = rest.indexOf(c);
    if (at >= 0 && at < end) end = at;
  }
  const authority = rest.slice(0, end);
  let target = rest.slice(end);
  if (target === '' || target.startsWith('?')) target = '/' + target;
  // Credentials in URLs would be sent nowhere and logged everywhere: refuse them rather than drop them silently.
  if (authority.includes('@')) return null;
  const hp = splitHostPort(authority);
  if (!hp) return null;
  const port = hp.port ?? (scheme === 'https' ? 443 : 80);
  return { scheme, host: hp.host.toLowerCase(), port, target };
}

function splitHostPort(authority: string): { host: string; port: number | null } | null {
  let host: string;
  let portText: string | null = null;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return null;
    host = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return null;
      portText = after.slice(1);
    }
    if (!/^[0-9A-Fa-f:.]+$/.test(host)) return null;
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon >= 0) {
      host = authority.slice(0, colon);
      portText = authority.slice(colon + 1);
    } else host = authority;
    if (!/^[A-Za-z0-9._~%!$&'()*+,;=-]+$/.test(host)) return null;
  }
  if (host === '') return null;
  if (portText === null || portText === '') return { host, port: null };
  if (!/^[0-9]{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port < 1 || port > 65535) return null;
  return { host, port };
}

/** The URL written back in canonical form (default port omitted, IPv6 bracketed). */
export function formatUrl(u: ParsedUrl): string {
  const host = u.host.includes(':') ? `[${u.host}]` : u.host;
  const defaultPort = u.scheme === 'https' ? 443 : 80;
  return `${u.scheme}://${host}${u.port === defaultPort ? '' : ':' + u.port}${u.target}`;
}

/** scheme://host:port — the unit of connection reuse and of credential scope across redirects. */
export function originOf(u: ParsedUrl): string {
  return `${u.scheme}://${u.host.includes(':') ? `[${u.host}]` : u.host}:${u.port}`;
}

/**
 * Resolve a Location value against the URL that answered with it (RFC 3986 §5.2.2). Returns null when the result
 * is not an http(s) URL. A missing fragment-free reference keeps nothing of the base's fragment (none is stored).
 */
export function resolveUrl(base: ParsedUrl, reference: string): ParsedUrl | null {
  const ref = reference.trim();
  if (SCHEME.test(ref)) return parseUrl(ref);
  if (ref.startsWith('//')) return parseUrl(`${base.scheme}:${ref}`);
  const hashAt = ref.indexOf('#');
  const noFragment = hashAt >= 0 ? ref.slice(0, hashAt) : ref;
  const queryAt = base.target.indexOf('?');
  const basePath = queryAt >= 0 ? base.target.slice(0, queryAt) : base.target;
  let target: string;
  if (noFragment === '') target = base.target;
  else if (noFragment.startsWith('?')) target = basePath + noFragment;
  else {
    const refQueryAt = noFragment.indexOf('?');
    const refPath = refQueryAt >= 0 ? noFragment.slice(0, refQueryAt) : noFragment;
    const refQuery = refQueryAt >= 0 ? noFragment.slice(refQueryAt) : '';
    const merged = refPath.startsWith('/') ? refPath : basePath.slice(0, basePath.lastIndexOf('/') + 1) + refPath;
    target = removeDotSegments(merged) + refQuery;
  }
  return parseUrl(formatUrl({ ...base, target }));
}

/** RFC 3986 §5.2.4 on a path that starts with "/". */
function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/').slice(1);
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    if (seg === '..') {
      if (out.length > 0) out.pop();
      if (last) out.push('');
    } else if (seg === '.') {
      if (last) out.push('');
    } else out.push(seg);
  });
  return '/' + out.join('/');
}
