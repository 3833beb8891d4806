// TLS handshake deadline: a real loopback server that accepts the connection and never answers the ClientHello,
// against HTTPClient over the Node platform whose monotonic clock the test moves by hand (no wall-clock waits).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import type { TlsOptions } from '../../engine-module/http/client-options.js';
import { Err, Status } from '../../engine-module/http/constants.js';
import { tlsOptionsProblem } from '../../engine-module/http/tls-layer.js';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import type { Platform } from '../../engine-module/platform/platform.js';
import { StreamPeerTLS } from '../../engine-module/tls/stream-peer-tls.js';
import { Driver, listen, scriptedServer, shut } from '../http/loopback-server.js';

/** Bytes the silent server received (the ClientHello) and sockets it saw closed. */
const seen = { received: 0, closed: 0 };
const silent = scriptedServer((socket) => {
  socket.on('data', (d: Buffer) => (seen.received += d.length));
  socket.on('close', () => seen.closed++);
});
let port: number;

beforeAll(async () => {
  port = await listen(silent.server);
});

afterAll(() => shut(silent.server, silent.sockets));

/** The Node platform with a monotonic clock that only the test moves. */
function handClockPlatform(): Platform & { time: number } {
  const platform = { ...createNodePlatform(), time: 1_000, now: () => platform.time };
  return platform;
}

/** Connect over TLS to the silent server and tick until the ClientHello has reached it. */
async function stalledHandshake(platform: Platform, tls: TlsOptions): Promise<Driver> {
  const d = new Driver(new HTTPClient({ platform }));
  const before = seen.received;
  expect(d.client.connectToHost('127.0.0.1', port, true, true, tls)).toBe(Err.OK);
  await d.stepper.until(() => seen.received > before, 1000);
  return d;
}

describe('TLS handshake timeout against a server that never answers', () => {
  it.each([
    { name: 'handshakeTimeoutMs: 5000', tls: { handshakeTimeoutMs: 5000 }, limit: 5000 },
    { name: 'the default', tls: {}, limit: 30_000 },
  ])('$name: CONNECTING until the deadline, then STATUS_SSL_HANDSHAKE_ERROR and the socket closed', async ({ tls, limit }) => {
    const platform = handClockPlatform();
    const start = platform.time;
    const closedBefore = seen.closed;
    const d = await stalledHandshake(platform, tls);

    platform.time = start + limit - 1;
    await d.stepper.advance(5);
    expect(d.client.getStatus()).toBe(Status.CONNECTING);
    expect(d.client.getTlsError()).toBeNull();

    platform.time = start + limit;
    await d.stepper.until(() => d.client.getStatus() !== Status.CONNECTING, 10);
    expect(d.client.getStatus()).toBe(Status.SSL_HANDSHAKE_ERROR);
    expect(d.client.getTlsError()).toBe(`TLS handshake timed out after ${limit} ms (the server stopped answering) during the handshake (while expecting ServerHello)`);
    await d.stepper.until(() => seen.closed > closedBefore, 1000);
  });

  it('handshakeTimeoutMs: 0 never times out; close() then ends the connection', async () => {
    const platform = handClockPlatform();
    const closedBefore = seen.closed;
    const d = await stalledHandshake(platform, { handshakeTimeoutMs: 0 });
    for (const later of [60_000, 3_600_000, 1e12]) {
      platform.time = later;
      await d.stepper.advance(3);
      expect(d.client.getStatus()).toBe(Status.CONNECTING);
    }
    d.client.close();
    expect(d.client.getStatus()).toBe(Status.DISCONNECTED);
    await d.stepper.until(() => seen.closed > closedBefore, 1000);
  });
});

describe('handshakeTimeoutMs refusals', () => {
  const bad = [-1, Number.NaN, Number.POSITIVE_INFINITY];

  it('tlsOptionsProblem refuses a negative or non-finite value and allows 0', () => {
    for (const value of bad) expect(tlsOptionsProblem({ handshakeTimeoutMs: value })).toMatch(/handshakeTimeoutMs/);
    for (const value of [0, 1, 5000]) expect(tlsOptionsProblem({ handshakeTimeoutMs: value })).toBeNull();
  });

  it('connectToHost refuses it before dialing', () => {
    const client = new HTTPClient({ platform: createNodePlatform() });
    expect(client.connectToHost('127.0.0.1', port, true, true, { handshakeTimeoutMs: -5 })).toBe(Err.ERR_INVALID_PARAMETER);
    expect(client.getStatus()).toBe(Status.DISCONNECTED);
  });

  it('StreamPeerTLS throws for it before sending anything', () => {
    let sent = 0;
    const inner: StreamPeer = {
      getStatus: () => PeerStatus.CONNECTED,
      getAvailableBytes: () => 0,
      getPartialData: () => new Uint8Array(0),
      putPartialData: (data) => (sent += data.length),
      disconnectFromHost() {},
    };
    const platform = createNodePlatform();
    for (const value of bad) {
      expect(
        () => new StreamPeerTLS(inner, { hostname: 'x', verify: false, randomBytes: platform.randomBytes, handshakeTimeoutMs: value }),
      ).toThrow('StreamPeerTLS: handshakeTimeoutMs must be a finite number of milliseconds, 0 or more');
    }
    expect(sent).toBe(0);
  });
});
