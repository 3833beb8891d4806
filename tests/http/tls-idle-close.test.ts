// A kept-alive TLS connection that the server closes without close_notify (Node's https keepAliveTimeout does this):
// harmless while idle (RFC 9112 §9.8: no response outstanding, nothing truncated) -> DISCONNECTED; any response in
// progress stays an error. The TLS layer says which kind of end it saw through TlsStreamPeer.closedWithoutCloseNotify;
// a stand-in TLS peer over a memory pipe plays it here, so every ending is exact.
import { describe, expect, it } from 'vitest';
import { asciiEncode, latin1Decode } from '../../engine-module/bytes/bytes.js';
import { HTTPClient } from '../../engine-module/http/client.js';
import type { TlsStreamPeer } from '../../engine-module/http/client-options.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { createMemoryPipe, type MemoryPeer } from '../../engine-module/net/memory-pipe.js';
import { PeerStatus } from '../../engine-module/net/stream-peer.js';

const NO_CLOSE_NOTIFY = 'connection closed without close_notify: the data may be truncated';

/**
 * Plaintext through unchanged; the inner pipe's end decides how "TLS" ended: a clean close is a close without
 * close_notify, a reset a failed connection; `tamper()` stands for a bad record. Like StreamPeerTLS, data that
 * arrived before the end stays readable, and the status turns ERROR once it is read.
 */
class StandInTls implements TlsStreamPeer {
  private failure: string | null = null;
  private clean = false;

  constructor(private readonly inner: MemoryPeer) {}

  tamper(reason: string): void {
    this.failure ??= reason;
  }

  getStatus(): number {
    if (!this.failure) {
      const s = this.inner.getStatus();
      if (s === PeerStatus.NONE) [this.failure, this.clean] = [NO_CLOSE_NOTIFY, true];
      else if (s === PeerStatus.ERROR) this.failure = 'connection failed without close_notify: the data may be truncated';
    }
    if (!this.failure || this.inner.getAvailableBytes() > 0) return PeerStatus.CONNECTED;
    return PeerStatus.ERROR;
  }

  getTlsError(): string | null {
    return this.failure;
  }

  closedWithoutCloseNotify(): boolean {
    this.getStatus();
    return this.clean && this.failure === NO_CLOSE_NOTIFY;
  }

  getAvailableBytes(): number {
    return this.inner.getAvailableBytes();
  }

  getPartialData(max: number): Uint8Array {
    return this.inner.getPartialData(max);
  }

  putPartialData(data: Uint8Array): number {
    return this.failure ? 0 : this.inner.putPartialData(data);
  }

  disconnectFromHost(): void {
    this.inner.disconnectFromHost();
  }
}

/** An HTTPClient over a stand-in TLS peer; `aware: false` hides closedWithoutCloseNotify (an older TLS layer). */
function overTls(aware = true) {
  const [end, server] = createMemoryPipe();
  const tls = new StandInTls(end);
  const peer: TlsStreamPeer = aware
    ? tls
    : {
        getStatus: () => tls.getStatus(),
        getTlsError: () => tls.getTlsError(),
        getAvailableBytes: () => tls.getAvailableBytes(),
        getPartialData: (n) => tls.getPartialData(n),
        putPartialData: (d) => tls.putPartialData(d),
        disconnectFromHost: () => tls.disconnectFromHost(),
      };
  const c = new HTTPClient();
  c.setConnection(peer);
  const ask = (response: string) => {
    expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
    c.poll();
    server.getPartialData(server.getAvailableBytes());
    server.putPartialData(asciiEncode(response));
    c.poll();
    let body = '';
    for (let piece = c.readResponseBodyChunk(); piece.length > 0; piece = c.readResponseBodyChunk()) body += latin1Decode(piece);
    return body;
  };
  /** Sends a GET, answers it with `partial` and closes; returns the first read, made before a second meets the end. */
  const cutShort = (partial: string) => {
    expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
    c.poll();
    server.putPartialData(asciiEncode(partial));
    server.disconnectFromHost();
    c.poll();
    const first = latin1Decode(c.readResponseBodyChunk());
    c.readResponseBodyChunk();
    return first;
  };
  return { c, server, tls, ask, cutShort };
}

const KEPT = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';

describe('TLS close without close_notify', () => {
  it('on an idle kept-alive connection: DISCONNECTED, no error reported', () => {
    const x = overTls();
    expect(x.ask(KEPT)).toBe('hello');
    expect(x.c.getStatus()).toBe(Status.CONNECTED);
    x.server.disconnectFromHost();
    expect(x.c.poll()).toBe(Err.OK);
    expect([x.c.getStatus(), x.c.getLastError(), x.c.getTlsError()]).toEqual([Status.DISCONNECTED, null, null]);
  });

  it('from a TLS layer that cannot tell the kinds of end apart: CONNECTION_ERROR, as before', () => {
    const x = overTls(false);
    expect(x.ask(KEPT)).toBe('hello');
    x.server.disconnectFromHost();
    expect(x.c.poll()).toBe(Err.ERR_CONNECTION_ERROR);
    expect(x.c.getLastError()).toBe(`TLS failure (${NO_CLOSE_NOTIFY}) while idle`);
  });

  it('on an idle connection after a tampered record: CONNECTION_ERROR with the TLS reason', () => {
    const x = overTls();
    expect(x.ask(KEPT)).toBe('hello');
    x.tls.tamper('bad AEAD tag');
    expect(x.c.poll()).toBe(Err.ERR_CONNECTION_ERROR);
    expect(x.c.getTlsError()).toBe('bad AEAD tag');
    expect(x.c.getLastError()).toBe('TLS failure (bad AEAD tag) while idle');
  });

  it('on an idle connection by a reset: CONNECTION_ERROR', () => {
    const x = overTls();
    expect(x.ask(KEPT)).toBe('hello');
    x.server.reset();
    expect(x.c.poll()).toBe(Err.ERR_CONNECTION_ERROR);
    expect(x.c.getTlsError()).toMatch(/connection failed/);
  });

  it('in the middle of a body: CONNECTION_ERROR, and the TLS reason stays readable once the peer is dropped', () => {
    const x = overTls();
    expect(x.cutShort('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello')).toBe('hello');
    expect(x.c.getStatus()).toBe(Status.CONNECTION_ERROR);
    expect(x.c.getConnection()).toBeNull();
    expect(x.c.getTlsError()).toBe(NO_CLOSE_NOTIFY);
    expect(x.c.getLastError()).toBe(`TLS failure (${NO_CLOSE_NOTIFY}) before the 10-byte body was complete`);
    x.c.close();
    expect([x.c.getTlsError(), x.c.getLastError()]).toEqual([null, null]);
  });

  it('ending an until-close body: CONNECTION_ERROR (a truncation cannot be told apart)', () => {
    const x = overTls();
    expect(x.cutShort('HTTP/1.1 200 OK\r\n\r\nall of it?')).toBe('all of it?');
    expect(x.c.getStatus()).toBe(Status.CONNECTION_ERROR);
  });

  it('after a request went out, before any response: CONNECTION_ERROR', () => {
    const x = overTls();
    expect(x.c.request(Method.GET, '/', [])).toBe(Err.OK);
    x.c.poll();
    x.server.disconnectFromHost();
    expect(x.c.poll()).toBe(Err.ERR_CONNECTION_ERROR);
    expect(x.c.getLastError()).toBe(`TLS failure (${NO_CLOSE_NOTIFY}) before the response head arrived`);
  });
});
