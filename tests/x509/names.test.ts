import { describe, expect, it } from 'vitest';
import { checkNameConstraints } from '../../engine-module/tls/x509/name-constraints.js';
import type { Certificate } from '../../engine-module/tls/x509/certificate.js';
import type { GeneralName, NameConstraints } from '../../engine-module/tls/x509/extensions.js';
import {
  checkHostname,
  dnsIdMatches,
  formatIpAddress,
  parseIpAddress,
  parseReferenceId,
} from '../../engine-module/tls/x509/names.js';

describe('DNS-ID matching (presented SAN vs host name)', () => {
  const cases: [string, string, boolean][] = [
    ['a', 'a', true],
    ['example.com', 'example.com', true],
    ['example.com', 'EXAMPLE.COM', true],
    ['Example.COM', 'example.com', true],
    ['example.com', 'example.com.', true], // absolute host name
    ['example.com.', 'example.com', false], // presented names may not be absolute
    ['example.com.', 'example.com.', false],
    ['www.example.com', 'example.com', false],
    ['*.example.com', 'foo.example.com', true],
    ['*.example.com', 'FOO.Example.com.', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', '.example.com', false],
    ['*.com', 'example.com', false], // a wildcard needs two labels after it
    ['*.co.uk', 'example.co.uk', true],
    ['*', 'a', false],
    ['f*.example.com', 'foo.example.com', false], // partial-label wildcards are not honoured
    ['*oo.example.com', 'foo.example.com', false],
    ['www.*.example.com', 'www.a.example.com', false],
    ['*.*.example.com', 'a.b.example.com', false],
    ['xn--poema-9qae5a.com.br', 'xn--poema-9qae5a.com.br', true],
    ['*.xn--poema-9qae5a.com.br', 'www.xn--poema-9qae5a.com.br', true],
    ['under_score.example.com', 'under_score.example.com', true],
    ['-bad.example.com', '-bad.example.com', false],
    ['bad-.example.com', 'bad-.example.com', false],
    ['www.foo.com\0', 'www.foo.com', false],
    ['1.2.3.4', '1.2.3.4', false], // an IP in a dNSName never matches
    ['a'.repeat(64) + '.com', 'a'.repeat(64) + '.com', false],
  ];
  it.each(cases)('%j vs %j → %s', (presented, reference, expected) => {
    expect(dnsIdMatches(presented, reference, 'reference')).toBe(expected);
  });
});

describe('dNSName name constraints', () => {
  const cases: [string, string, boolean][] = [
    ['example.com', 'example.com', true],
    ['www.example.com', 'example.com', true],
    ['a.b.example.com', 'example.com', true],
    ['badexample.com', 'example.com', false],
    ['www.example.com', '.example.com', true],
    ['example.com', '.example.com', false],
    ['anything.test', '', true],
    ['*.example.com', 'example.com', true],
    ['*.b.example.com', 'a.b.example.com', true], // the wildcard could expand into the excluded name
    ['*.example.com', 'other.com', false],
    ['www.example.com.', '', false],
    ['www.example.com', 'example.com.', false],
  ];
  it.each(cases)('%j within %j → %s', (presented, constraint, expected) => {
    expect(dnsIdMatches(presented, constraint, 'constraint')).toBe(expected);
  });

  const cert = (san: GeneralName[]): Certificate =>
    ({ subjectName: 'CN=t', extensions: { subjectAltName: san, unknownCritical: [] } }) as unknown as Certificate;
  const ip = (...b: number[]) => ({ kind: 'ip', address: Uint8Array.from(b) }) as const;

  it('applies permitted/excluded per name form, refusing forms it cannot check', () => {
    const nc: NameConstraints = { permitted: [{ kind: 'dns', name: 'ok.test' }], excluded: [ip(10, 0, 0, 0, 255, 0, 0, 0)] };
    expect(checkNameConstraints(nc, cert([{ kind: 'dns', name: 'a.ok.test' }, ip(192, 168, 0, 1)]))).toBeNull();
    expect(checkNameConstraints(nc, cert([ip(10, 9, 9, 9)]))).toMatch(
      /IP:10\.9\.9\.9 is inside the excluded subtree IP:10\.0\.0\.0\/8/,
    );
    expect(checkNameConstraints(nc, cert([{ kind: 'dns', name: 'a.no.test' }]))).toMatch(/outside the permitted subtrees/);
    const dir: NameConstraints = { permitted: [{ kind: 'directory' }], excluded: [] };
    expect(checkNameConstraints(dir, cert([]))).toMatch(/directoryName is outside the permitted subtrees/);
    const uri: NameConstraints = { permitted: [], excluded: [{ kind: 'other', tagNumber: 6 }] };
    expect(checkNameConstraints(uri, cert([{ kind: 'dns', name: 'a.test' }]))).toBeNull();
    expect(checkNameConstraints(uri, cert([{ kind: 'other', tagNumber: 6 }]))).toMatch(/unsupported or malformed/);
    const badMask: NameConstraints = { permitted: [ip(10, 0, 0, 0, 255, 0, 255, 0)], excluded: [] };
    expect(checkNameConstraints(badMask, cert([ip(10, 0, 0, 1)]))).toMatch(/unsupported or malformed/);
    const zeros = new Array<number>(12).fill(0);
    const v6: NameConstraints = { permitted: [ip(0x20, 1, 0x0d, 0xb8, ...zeros, 255, 255, 255, 255, ...zeros)], excluded: [] };
    expect(checkNameConstraints(v6, cert([{ kind: 'ip', address: parseIpAddress('2001:db8::5')! }]))).toBeNull();
    expect(checkNameConstraints(v6, cert([{ kind: 'ip', address: parseIpAddress('2001:db9::5')! }]))).toMatch(/outside/);
  });
});

describe('IP literals', () => {
  it('parses IPv4 strictly and IPv6 in every standard spelling', () => {
    expect(parseIpAddress('192.168.0.1')).toEqual(Uint8Array.from([192, 168, 0, 1]));
    const bads = ['192.168.0', '192.168.0.256', '01.2.3.4', '1.2.3.4.5', '1..2.3', ' 1.2.3.4', '::1::'];
    bads.push('1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '12345::', ':::');
    for (const bad of bads) {
      expect(parseIpAddress(bad), bad).toBeNull();
    }
    const loop = Uint8Array.from([...new Array(15).fill(0), 1]);
    for (const s of ['::1', '[::1]', '0:0:0:0:0:0:0:1', '0::1', '::0:1']) expect(parseIpAddress(s), s).toEqual(loop);
    expect(parseIpAddress('::ffff:1.2.3.4')).toEqual(Uint8Array.from([...new Array(10).fill(0), 255, 255, 1, 2, 3, 4]));
    expect(parseIpAddress('1:2:3:4:5:6:7::')).toEqual(Uint8Array.from([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]));
  });

  it('formats IPv6 as RFC 5952 does', () => {
    const f = (s: string) => formatIpAddress(parseIpAddress(s)!);
    expect(f('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(f('2001:DB8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(f('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(f('::')).toBe('::');
    expect(f('1::')).toBe('1::');
  });

  it('classifies host names', () => {
    expect(parseReferenceId('example.com')).toEqual({ kind: 'dns', name: 'example.com' });
    expect(parseReferenceId('10.0.0.1')?.kind).toBe('ip');
    expect(parseReferenceId('1.2.3.256')).toBeNull(); // not an IP, and an all-numeric top label is not a DNS name
    expect(parseReferenceId('*.example.com')).toBeNull();
    expect(parseReferenceId('a..b')).toBeNull();
  });

  it('never uses the common name', () => {
    expect(checkHostname(undefined, 'a.test')).toMatch(/no DNS or IP subjectAltName \(the common name is not used\)/);
  });
});
