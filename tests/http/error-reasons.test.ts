// getLastError() names why the client is in an error status; getBufferedBytes() tells what it holds in memory.
import { describe, expect, it } from 'vitest';
import { asciiEncode } from '../../engine-module/bytes/bytes.js';
import { HTTPClient } from '../../engine-module/http/client.js';
import type { TlsWrapper } from '../../engine-module/http/client-options.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { createMemoryPipe } from '../../engine-module/net/memory-pipe.js';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import { memoryPlatform } from './fake-platform.js';
import { answered, throwingPeer } from './memory-client.js';

/** Poll until the status leaves the connecting stages. */
function settleConnect(c: HTTPClient): Status {
  for (let i = 0; i < 10 && (c.getStatus() === Status.RESOLVING || c.getStatus() === Status.CONNECTING); i++) c.poll();
  return c.getStatus();
}

describe('getLastError()', () => {
  it('is null before anything failed and while nothing fails', () => {
    const c = answered('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect([c.getStatus(), c.getLastError()]).toEqual([Status.CONNECTED, null]);
    expect(new HTTPClient().getLastError()).toBeNull();
  });

  it('CANT_RESOLVE: the name that did not resolve', () => {
    const c = new HTTPClient({ platform: memoryPlatform().platform });
    expect(c.connectToHost('nosuchhost.invalid', 8080)).toBe(Err.OK);
    expect(settleConnect(c)).toBe(Status.CANT_RESOLVE);
    expect(c.getLastError()).toBe('could not resolve "nosuchhost.invalid"');
  });

  it('CANT_CONNECT: the address that refused, or the platform failure', () => {
    const refused: StreamPeer = { getStatus: () => PeerStatus.ERROR, getAvailableBytes: () => 0, getPartialData: () => new Uint8Array(0), putPartialData: () => 0, disconnectFromHost: () => {} };
    const { platform } = memoryPlatform();
    const c = new HTTPClient({ platform: { ...platform, connectTcp: () => refused } });
    expect(c.connectToHost('game.test', 8080)).toBe(Err.OK);
    expect(settleConnect(c)).toBe(Status.CANT_CONNECT);
    expect(c.getLastError()).toBe('could not connect to game.test:8080');
    const throwing = new HTTPClient({
      platform: {
        ...platform,
        connectTcp: () => {
          throw new Error('no sockets on this host');
        },
      },
    });
    expect(throwing.connectToHost('game.test', 8080)).toBe(Err.OK);
    expect(settleConnect(throwing)).toBe(Status.CANT_CONNECT);
    expect(throwing.getLastError()).toBe('could not connect to game.test:8080: no sockets on this host');
  });

  it('CANT_CONNECT through an HTTPS proxy: what the proxy answered', () => {
    const { platform, dialed } = memoryPlatform();
    const c = new HTTPClient({ platform });
    c.setHttpsProxy('proxy.test', 3128);
    expect(c.connectToHost('https://game.test')).toBe(Err.OK);
    c.poll();
    dialed[0].server.putPartialData(asciiEncode('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
    expect(settleConnect(c)).toBe(Status.CANT_CONNECT);
    expect(c.getLastError()).toBe('proxy tunnel to game.test:443 failed: proxy answered CONNECT with 403');
  });

  it('SSL_HANDSHAKE_ERROR: the TLS layer reason, also from getTlsError()', () => {
    const failing: TlsWrapper = () => ({
      getStatus: () => PeerStatus.ERROR,
      getTlsError: () => 'certificate expired',
      getAvailableBytes: () => 0,
      getPartialData: () => new Uint8Array(0),
      putPartialData: () => 0,
      disconnectFromHost: () => {},
    });
    const c = new HTTPClient({ platform: memoryPlatform().platform, tls: failing });
    expect(c.connectToHost('https://game.test')).toBe(Err.OK);
    expect(settleConnect(c)).toBe(Status.SSL_HANDSHAKE_ERROR);
    expect([c.getLastError(), c.getTlsError()]).toEqual(['certificate expired', 'certificate expired']);
    c.close();
    expect([c.getLastError(), c.getTlsError()]).toEqual([null, null]);
  });

  it('CONNECTION_ERROR: the protocol error in the response', () => {
    expect(answered('HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n').getLastError()).toBe('invalid Content-Length "x"');
    expect(answered('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n').getLastError()).toBe('differing Content-Length values');
    expect(answered('SSH-2.0-OpenSSH_9.6\r\n').getLastError()).toBe('response does not start with "HTTP/"');
  });

  it('CONNECTION_ERROR: where the transport ended', () => {
    const c = new HTTPClient();
    const [end, server] = createMemoryPipe();
    c.setConnection(end);
    expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
    c.poll();
    server.putPartialData(asciiEncode('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel'));
    server.reset();
    c.poll();
    while (c.getStatus() === Status.BODY) c.readResponseBodyChunk();
    expect(c.getLastError()).toBe('connection reset before the last chunk of the body');
  });

  it('CONNECTION_ERROR: a transport that throws', () => {
    const c = new HTTPClient();
    c.setConnection(throwingPeer('transport bug'));
    expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
    expect(c.poll()).toBe(Err.ERR_CONNECTION_ERROR);
    expect(c.getLastError()).toBe('transport bug');
  });
});

describe('getBufferedBytes()', () => {
  it('counts request bytes the transport has not taken yet', () => {
    const [end, server] = createMemoryPipe({ capacity: 16 });
    const c = new HTTPClient();
    c.setConnection(end);
    expect(c.getBufferedBytes()).toBe(0);
    expect(c.request(Method.POST, '/upload', [], 'x'.repeat(200))).toBe(Err.OK);
    const queued = c.getBufferedBytes();
    expect(queued).toBeGreaterThan(200);
    c.poll();
    expect(c.getBufferedBytes()).toBe(queued - 16);
    let sent = 0;
    for (let i = 0; i < 100 && c.getBufferedBytes() > 0; i++) {
      sent += server.getPartialData(16).length;
      c.poll();
    }
    expect([c.getBufferedBytes(), sent + server.getAvailableBytes()]).toEqual([0, queued]);
  });

  it('counts received bytes not yet parsed or handed out, and stays within maxHeadBytes + readChunkSize', () => {
    const [end, server] = createMemoryPipe();
    const c = new HTTPClient({ maxHeadBytes: 4096 });
    c.setConnection(end);
    c.setReadChunkSize(1024);
    expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
    c.poll();
    server.putPartialData(asciiEncode('HTTP/1.1 200 OK\r\nX-Partial: abc'));
    c.poll();
    expect(c.getBufferedBytes()).toBe('X-Partial: abc'.length); // the status line is parsed, the field is not
    server.putPartialData(asciiEncode(`\r\nContent-Length: 100000\r\n\r\n${'b'.repeat(100_000)}`));
    let max = 0;
    let got = 0;
    for (let i = 0; i < 1000 && c.getStatus() !== Status.CONNECTED; i++) {
      c.poll();
      got += c.readResponseBodyChunk().length;
      max = Math.max(max, c.getBufferedBytes());
    }
    expect(got).toBe(100_000);
    expect(max).toBeLessThanOrEqual(4096 + 1024);
    expect(c.getBufferedBytes()).toBe(0);
  });
});
