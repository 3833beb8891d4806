import { describe, expect, it } from 'vitest';
import {
  MAX_NAME_COMPARISONS,
  NAME_COMPARISONS_PER_STEP,
  checkNameConstraints,
} from '../../engine-module/tls/x509/name-constraints.js';
import { certificateFailureText } from '../../engine-module/tls/x509/certificate-failure.js';
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
    expect(dnsIdMatches(presented, reference)).toBe(expected);
  });
});

/** Run a name-constraint check to its end (the pauses matter only to the TLS engine). */
function finish<T>(g: Generator<void, T>): T {
  for (;;) {
    const next = g.next();
    if (next.done) return next.value;
  }
}

describe('dNSName name constraints', () => {
  const cert = (san: GeneralName[]): Certificate =>
    ({ subjectName: 'CN=t', extensions: { subjectAltName: san, unknownCritical: [] } }) as unknown as Certificate;
  const ip = (...b: number[]) => ({ kind: 'ip', address: Uint8Array.from(b) }) as const;
  const many = (n: number, f: (i: number) => string): GeneralName[] =>
    Array.from({ length: n }, (_, i) => ({ kind: 'dns', name: f(i) }));
  const check = (nc: NameConstraints, names: GeneralName[]) => {
    const failure = finish(checkNameConstraints(nc, cert(names), { used: 0 }));
    return failure && certificateFailureText(failure);
  };
  const inside = (presented: string, constraint: string, subtrees: 'permitted' | 'excluded') => {
    const base: GeneralName[] = [{ kind: 'dns', name: constraint }];
    const nc: NameConstraints = subtrees === 'permitted' ? { permitted: base, excluded: [] } : { permitted: [], excluded: base };
    const failure = check(nc, [{ kind: 'dns', name: presented }]);
    return subtrees === 'permitted' ? failure === null : failure !== null;
  };

  // [presented, constraint, inside as a permitted subtree, inside as an excluded subtree]
  const cases: [string, string, boolean, boolean][] = [
    ['example.com', 'example.com', true, true],
    ['www.example.com', 'example.com', true, true],
    ['a.b.example.com', 'EXAMPLE.com', true, true],
    ['badexample.com', 'example.com', false, false],
    ['anything.test', '', true, true],
    ['*.example.com', 'example.com', true, true],
    // A wildcard is permitted only if every name it stands for is, and excluded if any of them may be.
    ['*.victim.example', 'good.victim.example', false, true],
    ['*.b.example.com', 'a.b.example.com', false, true],
    ['*.example.com', 'a.b.example.com', false, false],
    ['*.example.com', 'other.com', false, false],
    ['www.example.com.', '', false, false],
  ];
  it.each(cases)('%j vs subtree %j → permitted %s, excluded %s', (presented, constraint, permitted, excluded) => {
    expect(inside(presented, constraint, 'permitted')).toBe(permitted);
    expect(inside(presented, constraint, 'excluded')).toBe(excluded);
  });

  it('refuses malformed dNSName constraints, a leading period included (RFC 5280 allows it only for URIs)', () => {
    for (const bad of ['.example.com', 'example.com.', 'a..b']) {
      const nc: NameConstraints = { permitted: [{ kind: 'dns', name: bad }], excluded: [] };
      expect(check(nc, [{ kind: 'dns', name: 'www.example.com' }]), bad).toMatch(/unsupported or malformed/);
    }
  });

  it('refuses a check that would exceed the comparison budget before comparing anything', () => {
    const nc: NameConstraints = { permitted: many(600, (i) => `p${i}.test`), excluded: [] };
    const budget = { used: 0 };
    const g = checkNameConstraints(nc, cert(many(600, (i) => `p${i}.test`)), budget); // 600 × 601 comparisons
    const first = g.next();
    expect(first.done).toBe(true);
    expect(first.value?.code).toBe('name-constraints-budget');
    expect(budget.used).toBeGreaterThan(MAX_NAME_COMPARISONS);
  });

  it('pauses after every slice of comparisons within the budget, never splitting one name', () => {
    const nc: NameConstraints = { permitted: many(399, (i) => `p${i}.test`), excluded: [{ kind: 'dns', name: 'x.test' }] };
    const budget = { used: 0 };
    const g = checkNameConstraints(nc, cert(many(399, (i) => `p${i}.test`)), budget); // 400 names with the subject
    let pauses = 0;
    let next = g.next();
    for (; !next.done; next = g.next()) pauses++;
    expect(next.value).toBeNull();
    expect(budget.used).toBe(400 * 400);
    expect(pauses).toBe(Math.floor(400 / Math.ceil(NAME_COMPARISONS_PER_STEP / 400)));
  });

  it('applies permitted/excluded per name form, refusing forms it cannot check', () => {
    const nc: NameConstraints = { permitted: [{ kind: 'dns', name: 'ok.test' }], excluded: [ip(10, 0, 0, 0, 255, 0, 0, 0)] };
    expect(check(nc, [{ kind: 'dns', name: 'a.ok.test' }, ip(192, 168, 0, 1)])).toBeNull();
    expect(check(nc, [ip(10, 9, 9, 9)])).toMatch(
      /IP:10\.9\.9\.9 is inside the excluded subtree IP:10\.0\.0\.0\/8/,
    );
    expect(check(nc, [{ kind: 'dns', name: 'a.no.test' }])).toMatch(/outside the permitted subtrees/);
    const dir: NameConstraints = { permitted: [{ kind: 'directory' }], excluded: [] };
    expect(check(dir, [])).toMatch(/directoryName is outside the permitted subtrees/);
    const uri: NameConstraints = { permitted: [], excluded: [{ kind: 'other', tagNumber: 6 }] };
    expect(check(uri, [{ kind: 'dns', name: 'a.test' }])).toBeNull();
    expect(check(uri, [{ kind: 'other', tagNumber: 6 }])).toMatch(/unsupported or malformed/);
    const badMask: NameConstraints = { permitted: [ip(10, 0, 0, 0, 255, 0, 255, 0)], excluded: [] };
    expect(check(badMask, [ip(10, 0, 0, 1)])).toMatch(/unsupported or malformed/);
    const zeros = new Array<number>(12).fill(0);
    const v6: NameConstraints = { permitted: [ip(0x20, 1, 0x0d, 0xb8, ...zeros, 255, 255, 255, 255, ...zeros)], excluded: [] };
    expect(check(v6, [{ kind: 'ip', address: parseIpAddress('2001:db8::5')! }])).toBeNull();
    expect(check(v6, [{ kind: 'ip', address: parseIpAddress('2001:db9::5')! }])).toMatch(/outside/);
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
    expect(certificateFailureText(checkHostname(undefined, 'a.test')!)).toMatch(/no DNS or IP subjectAltName \(the common name is not used\)/);
  });
});
