import { describe, expect, it } from 'vitest';
import { poolKey } from '../../engine-module/request/connection.js';
import { parseUrl } from '../../engine-module/request/url.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';

describe('pool keys', () => {
  const https = parseUrl('https://assets.test/a')!;
  it('are the origin for plain http and for https with default TLS settings', () => {
    expect(poolKey({ url: parseUrl('http://assets.test:8080/x')!, tls: null })).toBe('http://assets.test:8080');
    expect(poolKey({ url: https, tls: null })).toBe('https://assets.test:443');
  });

  it('separate connections made under different TLS settings', () => {
    const keys = new Set([
      poolKey({ url: https, tls: null }),
      poolKey({ url: https, tls: { verifyHost: false } }),
      poolKey({ url: https, tls: { trustedChain: '-----BEGIN CERTIFICATE-----A' } }),
      poolKey({ url: https, tls: { trustedChain: '-----BEGIN CERTIFICATE-----B' } }),
      poolKey({ url: https, tls: { commonNameOverride: 'other.test' } }),
    ]);
    expect(keys.size).toBe(5);
    expect(poolKey({ url: https, tls: { trustedChain: 'X' } })).toBe(poolKey({ url: https, tls: { trustedChain: 'X' } }));
  });

  it('name a chain by its digest, not by a table of every chain seen (nothing grows over a long session)', () => {
    // SHA-256("X"), first 16 bytes: the same in any process, whatever chains came before.
    expect(poolKey({ url: https, tls: { trustedChain: 'X' } })).toBe(
      'https://assets.test:443 verify=true cn= chain=4b68ab3847feda7d6c62c1fbcbeebfa3',
    );
  });

  it('name it the same with the platform provider\'s SHA-256 (node:crypto)', () => {
    const key = poolKey({ url: https, tls: { trustedChain: 'Y' } }, (data) => nodeCrypto.hash('sha256', data));
    expect(key).toBe('https://assets.test:443 verify=true cn= chain=18f5384d58bcb1bba0bcd9e6a6781d1a');
  });
});
