import { describe, expect, it } from 'vitest';
import { formatUrl, originOf, parseUrl, resolveUrl } from '../../engine-module/request/url.js';

describe('parseUrl', () => {
  it('splits scheme, host, port and target with default ports', () => {
    expect(parseUrl('http://Example.COM/a/b?c=1#frag')).toEqual({
      scheme: 'http',
      host: 'example.com',
      port: 80,
      target: '/a/b?c=1',
    });
    expect(parseUrl('https://example.com')).toMatchObject({ port: 443, target: '/' });
    expect(parseUrl('HTTP://h:8080?q')).toMatchObject({ scheme: 'http', port: 8080, target: '/?q' });
    expect(parseUrl('http://[::1]:9000/x')).toMatchObject({ host: '::1', port: 9000 });
  });

  it('refuses what is not an absolute http(s) URL', () => {
    for (const bad of [
      'ftp://h/',
      'http:/h',
      '/relative',
      'http://',
      'http://h:0/',
      'http://h:65536/',
      'http://h:x/',
      'http://user:pw@h/',
      'http://h/a b',
      'http://[::1/',
      'http://h\r\n/',
    ]) {
      expect(parseUrl(bad), bad).toBeNull();
    }
  });

  it('formats canonically and names origins with the port', () => {
    const u = parseUrl('https://H:443/p')!;
    expect(formatUrl(u)).toBe('https://h/p');
    expect(originOf(u)).toBe('https://h:443');
    expect(originOf(parseUrl('http://[::1]/')!)).toBe('http://[::1]:80');
  });
});

describe('resolveUrl (RFC 3986 §5.4.1 examples)', () => {
  const base = parseUrl('http://a/b/c/d;p?q')!;
  const cases: [string, string][] = [
    ['g', 'http://a/b/c/g'],
    ['./g', 'http://a/b/c/g'],
    ['g/', 'http://a/b/c/g/'],
    ['/g', 'http://a/g'],
    ['//g', 'http://g/'],
    ['?y', 'http://a/b/c/d;p?y'],
    ['g?y', 'http://a/b/c/g?y'],
    ['#s', 'http://a/b/c/d;p?q'],
    ['g#s', 'http://a/b/c/g'],
    [';x', 'http://a/b/c/;x'],
    ['', 'http://a/b/c/d;p?q'],
    ['.', 'http://a/b/c/'],
    ['./', 'http://a/b/c/'],
    ['..', 'http://a/b/'],
    ['../g', 'http://a/b/g'],
    ['../..', 'http://a/'],
    ['../../g', 'http://a/g'],
    ['../../../g', 'http://a/g'],
    ['/./g', 'http://a/g'],
    ['g/../h', 'http://a/b/c/h'],
    ['https://other:8443/x', 'https://other:8443/x'],
  ];
  for (const [ref, want] of cases) {
    it(`${JSON.stringify(ref)} → ${want}`, () => {
      expect(formatUrl(resolveUrl(base, ref)!)).toBe(want);
    });
  }
  it('refuses a non-http target', () => {
    expect(resolveUrl(base, 'mailto:x@y')).toBeNull();
  });
});
