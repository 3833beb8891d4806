// What the caller's TLS settings decide, end to end through HTTPClient against real servers on loopback: the trusted
// roots (trustedChain replaces the platform's), the name checked (commonNameOverride), no verification at all
// (verifyHost = false), the https:// prefix, and servers that do not speak TLS.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Method, Status } from '../../engine-module/http/constants.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import type { Platform } from '../../engine-module/platform/platform.js';
import { StreamPeerTLS } from '../../engine-module/tls/stream-peer-tls.js';
import { Driver, httpServer, listen, shut } from '../http/loopback-server.js';
import { connectTls, makeHttpsPki, NAMED_HOST, startHttpsServer, type HttpsPki, type HttpsTestServer } from './fixtures.js';

const platform = createNodePlatform();

let pki: HttpsPki;
let servers: HttpsTestServer[];
/** Each serves one identity of the PKI: the localhost/127.0.0.1 leaf, the NAMED_HOST leaf, a self-signed one. */
let chained: HttpsTestServer;
let named: HttpsTestServer;
let selfSigned: HttpsTestServer;
let plain: Server;
let plainPort: number;

beforeAll(async () => {
  pki = makeHttpsPki();
  const hello = (name: 'server' | 'named' | 'selfSigned') => startHttpsServer(pki[name], (req, res) => res.end(`${name} ${req.url}`));
  servers = [(chained = await hello('server')), (named = await hello('named')), (selfSigned = await hello('selfSigned'))];
  plain = httpServer((_req, res) => res.end('plain'));
  plainPort = await listen(plain);
});

afterAll(async () => {
  for (const s of servers ?? []) await s.close();
  if (plain) await shut(plain);
  pki?.pki.cleanup();
});

function driver(p: Platform = platform): Driver {
  return new Driver(new HTTPClient({ platform: p }));
}

/** GET `path` on the connected client, expect a 200 on a reusable connection, close; returns the body. */
async function get(d: Driver, path = '/'): Promise<string> {
  const x = await d.exchange(Method.GET, path);
  expect([x.code, x.status]).toEqual([200, Status.CONNECTED]);
  d.client.close();
  return x.body.toString();
}

describe('trusted roots', () => {
  it('the platform roots do not know the test root: SSL_HANDSHAKE_ERROR naming the missing issuer', async () => {
    const d = driver();
    expect(await connectTls(d, '127.0.0.1', chained.port)).toBe(Status.SSL_HANDSHAKE_ERROR);
    expect(d.client.getTlsError()).toMatch(/unable to find the issuer \(.*untrusted root\): CN=tickhttp test intermediate \(issuer CN=tickhttp test root\)/);
    expect(d.client.getConnection()).toBeNull();
  });

  it('trustedChain with the test root: the same server is trusted', async () => {
    const d = driver();
    expect(await connectTls(d, '127.0.0.1', chained.port, { tls: { trustedChain: pki.rootPem } })).toBe(Status.CONNECTED);
    expect(d.client.getTlsError()).toBeNull();
    expect(await get(d, '/trusted')).toBe('server /trusted');
  });

  it('trustedChain replaces the platform roots rather than adding to them', async () => {
    const trustsTestRoot: Platform = { ...platform, trustedRoots: () => [pki.pki.rootDer] };
    const d = driver(trustsTestRoot);
    expect(await connectTls(d, '127.0.0.1', chained.port)).toBe(Status.CONNECTED);
    expect(await get(d)).toBe('server /');
    expect(await connectTls(d, '127.0.0.1', chained.port, { tls: { trustedChain: pki.otherRootPem } })).toBe(Status.SSL_HANDSHAKE_ERROR);
    expect(d.client.getTlsError()).toMatch(/untrusted root/);
  });
});

describe('the name checked', () => {
  const trust = () => ({ trustedChain: pki.rootPem });

  it(`a certificate for ${NAMED_HOST} only does not cover 127.0.0.1`, async () => {
    const d = driver();
    expect(await connectTls(d, '127.0.0.1', named.port, { tls: trust() })).toBe(Status.SSL_HANDSHAKE_ERROR);
    expect(d.client.getTlsError()).toMatch(`hostname mismatch: certificate is for ${NAMED_HOST}; wanted 127.0.0.1`);
  });

  it(`commonNameOverride ${NAMED_HOST} accepts it over 127.0.0.1`, async () => {
    const d = driver();
    expect(await connectTls(d, '127.0.0.1', named.port, { tls: { ...trust(), commonNameOverride: NAMED_HOST } })).toBe(Status.CONNECTED);
    expect(await get(d, '/named')).toBe('named /named');
  });

  it('commonNameOverride with another name fails with a hostname mismatch', async () => {
    const d = driver();
    expect(await connectTls(d, '127.0.0.1', named.port, { tls: { ...trust(), commonNameOverride: 'other.test' } })).toBe(Status.SSL_HANDSHAKE_ERROR);
    expect(d.client.getTlsError()).toMatch(`hostname mismatch: certificate is for ${NAMED_HOST}; wanted other.test`);
  });
});

describe('verifyHost = false', () => {
  it('a self-signed server is refused when verifying', async () => {
    const d = driver();
    expect(await connectTls(d, '127.0.0.1', selfSigned.port)).toBe(Status.SSL_HANDSHAKE_ERROR);
    expect(d.client.getTlsError()).toMatch(/self-signed certificate not trusted: CN=tickhttp test other/);
    expect(d.client.getTlsError()).toMatch(/pass its PEM as trustedChain/);
  });

  it('connects to it without verification (unsafe, for development servers)', async () => {
    const d = driver();
    expect(await connectTls(d, '127.0.0.1', selfSigned.port, { verifyHost: false })).toBe(Status.CONNECTED);
    expect(await get(d, '/unverified')).toBe('selfSigned /unverified');
  });
});

describe('choosing TLS', () => {
  it('the https:// prefix forces TLS even with useSsl = false', async () => {
    const d = driver();
    const status = await connectTls(d, `https://127.0.0.1`, chained.port, { useSsl: false, tls: { trustedChain: pki.rootPem } });
    expect(status).toBe(Status.CONNECTED);
    expect(d.client.getConnection()).toBeInstanceOf(StreamPeerTLS);
    expect(await get(d, '/prefixed')).toBe('server /prefixed');
  });

  it('TLS to a plain HTTP server: SSL_HANDSHAKE_ERROR saying the server did not answer with TLS', async () => {
    const d = driver();
    expect(await connectTls(d, '127.0.0.1', plainPort)).toBe(Status.SSL_HANDSHAKE_ERROR);
    // Node's http server answers a ClientHello with "HTTP/1.1 400 Bad Request".
    expect(d.client.getTlsError()).toMatch(/did not answer with TLS: first bytes 485454502f/);
  });
});
