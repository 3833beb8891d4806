import { describe, expect, it } from 'vitest';
import { isRedirect, redirectHop, type Hop } from '../../engine-module/request/redirects.js';
import { parseUrl } from '../../engine-module/request/url.js';
import type { HttpMethod } from '../../engine-module/request/method.js';

const hop = (method: HttpMethod, body: string | null = 'x=1'): Hop => ({
  method,
  url: parseUrl('http://a.test/form')!,
  headers: ['Authorization: Bearer t', 'Cookie: s=1', 'Content-Type: text/plain', 'X-Game: 1'],
  body: body === null ? null : new Uint8Array([1, 2, 3]),
});

describe('redirect rules', () => {
  it('knows the redirect codes', () => {
    expect([301, 302, 303, 307, 308].every(isRedirect)).toBe(true);
    expect([300, 304, 305, 200].some(isRedirect)).toBe(false);
  });

  it('303 turns POST into GET without body or body headers', () => {
    const next = redirectHop(hop('POST'), 303, '/done')!;
    expect(next.method).toBe('GET');
    expect(next.body).toBeNull();
    expect(next.headers).toEqual(['Authorization: Bearer t', 'Cookie: s=1', 'X-Game: 1']);
    expect(next.url.target).toBe('/done');
  });

  it('303 keeps HEAD, turns PUT into GET', () => {
    expect(redirectHop(hop('HEAD', null), 303, '/x')!.method).toBe('HEAD');
    expect(redirectHop(hop('PUT'), 303, '/x')!.method).toBe('GET');
  });

  it('301/302 turn POST into GET but keep PUT and its body', () => {
    for (const code of [301, 302]) {
      expect(redirectHop(hop('POST'), code, '/x')).toMatchObject({ method: 'GET', body: null });
      const put = redirectHop(hop('PUT'), code, '/x')!;
      expect(put.method).toBe('PUT');
      expect(put.body).toEqual(new Uint8Array([1, 2, 3]));
    }
  });

  it('307/308 keep method and body', () => {
    for (const code of [307, 308]) {
      const next = redirectHop(hop('POST'), code, 'other')!;
      expect(next.method).toBe('POST');
      expect(next.body).toEqual(new Uint8Array([1, 2, 3]));
      expect(next.headers).toContain('Content-Type: text/plain');
    }
  });

  it('drops Authorization and Cookie across origins only', () => {
    const same = redirectHop(hop('GET', null), 302, 'http://A.test:80/elsewhere')!;
    expect(same.headers).toContain('Authorization: Bearer t');
    for (const loc of ['http://b.test/', 'https://a.test/', 'http://a.test:8080/']) {
      const next = redirectHop(hop('GET', null), 302, loc)!;
      expect(next.headers).toEqual(['Content-Type: text/plain', 'X-Game: 1']);
    }
  });

  it('refuses a missing or non-http Location', () => {
    expect(redirectHop(hop('GET'), 302, null)).toBeNull();
    expect(redirectHop(hop('GET'), 302, '  ')).toBeNull();
    expect(redirectHop(hop('GET'), 302, 'ftp://x/')).toBeNull();
  });
});
