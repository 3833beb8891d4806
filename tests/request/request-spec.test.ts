// Caller mistakes in a request spec are refused before anything is queued or dialed.
import { addEntity, createWorld } from 'bitecs';
import { describe, expect, it } from 'vitest';
import { createHttpSystem, destroyHttpSystem } from '../../engine-module/ecs/http-system.js';
import { addRequest } from '../../engine-module/ecs/request-system.js';
import { Err } from '../../engine-module/http/constants.js';
import { parseSpec, specError } from '../../engine-module/request/request-spec.js';
import { memoryPlatform } from '../http/fake-platform.js';

// Any base64 body will do: the spec check reads the PEM framing, the handshake reads the certificate.
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n';

describe('tls.trustedChain in a request spec', () => {
  it('a malformed chain is refused with the reason, for https and http URLs alike (a redirect may lead to https)', () => {
    const bad: Array<[string, RegExp]> = [
      ['not a certificate', /trustedChain holds no PEM certificate/],
      ['-----BEGIN CERTIFICATE-----\nMIIB', /trustedChain is not valid PEM: .*no END line/],
      ['-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----', /trustedChain is not valid PEM/],
    ];
    for (const [trustedChain, reason] of bad) {
      expect(specError({ url: 'https://game.test/a', tls: { trustedChain } })).toMatch(reason);
      expect(specError({ url: 'http://game.test/a', tls: { trustedChain } })).toMatch(reason);
    }
  });

  it('a PEM chain, an empty one, or none at all is accepted', () => {
    for (const tls of [{ trustedChain: PEM }, { trustedChain: '' }, { verifyHost: false }, undefined]) {
      expect(specError({ url: 'https://game.test/a', tls })).toBeNull();
    }
  });

  it('TLS limits that are not positive integers are refused with the reason', () => {
    expect(specError({ url: 'https://game.test/a', tls: { maxChainLength: 0 } })).toMatch(/maxChainLength must be a positive integer/);
    expect(specError({ url: 'http://game.test/a', tls: { maxHandshakeMessageSize: 1.5 } })).toMatch(/maxHandshakeMessageSize must be a positive integer/);
    expect(specError({ url: 'https://game.test/a', tls: { maxChainLength: 3, maxHandshakeMessageSize: 65536 } })).toBeNull();
  });

  it('addRequest refuses it up front: ERR_INVALID_PARAMETER, nothing dialed', () => {
    const { platform, dialed } = memoryPlatform();
    const world = createWorld();
    createHttpSystem(world, { platform });
    const eid = addEntity(world);
    expect(addRequest(world, eid, { url: 'https://game.test/a', tls: { trustedChain: 'not a certificate' } })).toBe(Err.ERR_INVALID_PARAMETER);
    expect(dialed).toEqual([]);
    destroyHttpSystem(world);
  });
});

describe('parseSpec: the one reading of a spec', () => {
  it('gives the defaulted form with the URL parsed, the method upper-cased and a string body encoded as UTF-8', () => {
    const parsed = parseSpec({ url: 'http://game.test:8080/a?b', method: 'post', headers: { 'X-A': '1' }, body: 'é' });
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.hop.method).toBe('POST');
    expect([parsed.hop.url.host, parsed.hop.url.port]).toEqual(['game.test', 8080]);
    expect(parsed.hop.headers).toEqual(['X-A: 1']);
    expect([...parsed.hop.body!]).toEqual([0xc3, 0xa9]);
    expect([parsed.maxRedirects, parsed.bodySizeLimit, parsed.decompress, parsed.download]).toEqual([8, -1, true, null]);
  });

  it("refuses with the wire writer's reason what the writer would refuse, and specError says the same words", () => {
    const spec = { url: 'http://game.test/', headers: ['Transfer-Encoding: chunked'] };
    expect(parseSpec(spec)).toMatch(/header Transfer-Encoding is not allowed/);
    expect(specError(spec)).toBe(parseSpec(spec));
  });
});
