// How a connection's first steps are cut into pieces, against real loopback servers: connectToHost leaves the TCP
// socket to the first poll, so the two never share a call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import type { Platform } from '../../engine-module/platform/platform.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { Driver } from '../http/loopback-server.js';
import { makeHttpsPki, startHttpsServer, type HttpsPki, type HttpsTestServer } from './fixtures.js';

let pki: HttpsPki;
let server: HttpsTestServer;

beforeAll(async () => {
  pki = makeHttpsPki();
  server = await startHttpsServer(pki.server, (_req, res) => res.end('ok'));
});

afterAll(async () => {
  await server?.close();
  pki?.pki.cleanup();
});

/** `base` with its TCP connections counted. */
function countingSockets(base: Platform): Platform & { sockets: number } {
  const counted = { ...base, sockets: 0 };
  counted.connectTcp = (address, port) => {
    counted.sockets++;
    return base.connectTcp(address, port);
  };
  return counted;
}

describe.each([
  { name: 'node', crypto: undefined },
  { name: 'pure', crypto: pureCrypto },
])('a connection\'s first pieces, $name provider', ({ crypto }) => {
  it('connectToHost is CONNECTING without a socket; the first poll opens it, and the handshake completes', async () => {
    const platform = countingSockets(createNodePlatform({ crypto }));
    const d = new Driver(new HTTPClient({ platform }));
    expect(d.client.connectToHost('127.0.0.1', server.port, true, true, { trustedChain: pki.rootPem })).toBe(Err.OK);
    expect([d.client.getStatus(), platform.sockets]).toEqual([Status.CONNECTING, 0]);
    d.client.poll();
    expect([d.client.getStatus(), platform.sockets]).toEqual([Status.CONNECTING, 1]);
    await d.stepper.until(() => d.client.getStatus() !== Status.CONNECTING);
    expect([d.client.getStatus(), platform.sockets]).toEqual([Status.CONNECTED, 1]);
    const x = await d.exchange(Method.GET, '/');
    expect([x.code, x.body.toString()]).toEqual([200, 'ok']);
    d.client.close();
  });
});
