// The sans-I/O pieces on their own: receive buffer, body readers, query strings, and HTTPClient details over pipes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiEncode, latin1Decode } from '../../engine-module/bytes/bytes.js';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { queryStringFromDict } from '../../engine-module/http/query-string.js';
import { ReceiveBuffer } from '../../engine-module/http/receive-buffer.js';
import { createMemoryPipe } from '../../engine-module/net/memory-pipe.js';
import { PeerStatus } from '../../engine-module/net/stream-peer.js';
import { replay } from './replay.js';

describe('ReceiveBuffer', () => {
  it('extracts lines across chunk boundaries, CRLF or bare LF, and hands body bytes out as views', () => {
    const b = new ReceiveBuffer();
    for (const piece of ['ab', 'c\r', '\nde\n', 'xyz']) b.append(asciiEncode(piece));
    expect(latin1Decode(b.extractLine(100)!)).toBe('abc');
    expect(latin1Decode(b.extractLine(100)!)).toBe('de');
    expect(b.extractLine(100)).toBeNull();
    const chunk = asciiEncode('0123456789');
    b.append(chunk);
    expect(latin1Decode(b.takeAtMost(3))).toBe('xyz');
    const view = b.takeAtMost(4);
    expect(view.buffer).toBe(chunk.buffer);
    expect(b.length).toBe(6);
  });

  it('refuses a line longer than the limit', () => {
    const b = new ReceiveBuffer();
    b.append(asciiEncode('x'.repeat(10)));
    expect(() => b.extractLine(10)).toThrow(/longer than/);
  });
});

describe('response parsing over any split (property)', () => {
  it('chunked and content-length bodies decode the same for random bodies and random cuts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), fc.array(fc.nat(400)), (body, chunkSizes, cuts) => {
        let chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
        for (let at = 0, i = 0; at < body.length; i++) {
          const n = Math.min(chunkSizes[i % chunkSizes.length], body.length - at);
          chunked += `${n.toString(16)};x=y\r\n${latin1Decode(body.subarray(at, at + n))}\r\n`;
          at += n;
        }
        chunked += '0\r\nTrailer: t\r\n\r\n';
        const framed = [chunked, `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${latin1Decode(body)}`];
        for (const text of framed) {
          const bytes = asciiEncode(text);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const pieces = [0, ...points].map((p, i, all) => bytes.subarray(p, all[i + 1] ?? bytes.length)).filter((p) => p.length);
          const o = replay(pieces, { closeAtEnd: false });
          expect(o.responses.map((r) => [r.status, r.body, r.reusable])).toEqual([[200, latin1Decode(body), true]]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('HTTPClient details', () => {
  const respond = (text: string, method = Method.GET, chunkSize?: number) => {
    const c = new HTTPClient();
    const [client, server] = createMemoryPipe();
    c.setConnection(client);
    if (chunkSize) c.setReadChunkSize(chunkSize);
    expect(c.request(method, '/', [])).toBe(Err.OK);
    c.poll(); // sends the request: a server answers only what it received
    server.putPartialData(asciiEncode(text));
    c.poll();
    return { c, server };
  };

  it('headers: arrival order, dictionary joins repeated names with "; ", obs-fold unfolded', () => {
    const { c } = respond('HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-F: one\r\n two\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n');
    expect(c.getResponseHeaders()).toEqual(['Set-Cookie: a=1', 'X-F: one two', 'Set-Cookie: b=2', 'Content-Length: 0']);
    expect(c.getResponseHeadersAsDictionary()).toEqual({ 'Set-Cookie': 'a=1; b=2', 'X-F': 'one two', 'Content-Length': '0' });
    expect(c.getStatus()).toBe(Status.CONNECTED);
  });

  it('1xx responses are skipped; the final response follows', () => {
    const { c } = respond('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n');
    expect([c.getResponseCode(), c.getResponseHeaders()]).toEqual([201, ['Content-Length: 0']]);
  });

  it('readResponseBodyChunk returns at most readChunkSize bytes; blocking mode reads all that is there', () => {
    const body = 'x'.repeat(1000);
    const { c } = respond(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n${body}`, Method.GET, 256);
    expect(c.getStatus()).toBe(Status.BODY);
    expect(c.getResponseBodyLength()).toBe(1000);
    expect(c.readResponseBodyChunk().length).toBe(256);
    const chunked = respond(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'1\r\nx\r\n'.repeat(600)}0\r\n\r\n`, Method.GET, 512);
    chunked.c.setBlockingMode(true);
    expect(chunked.c.readResponseBodyChunk().length).toBe(512);
    expect(chunked.c.readResponseBodyChunk().length).toBe(88);
    expect(chunked.c.getStatus()).toBe(Status.CONNECTED);
  });

  it('HEAD responses have no body whatever their framing headers say', () => {
    const { c } = respond('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', Method.HEAD);
    expect([c.getStatus(), c.getResponseBodyLength(), c.hasResponse()]).toEqual([Status.CONNECTED, 0, true]);
  });

  it('a head over the limit is a CONNECTION_ERROR', () => {
    const c = new HTTPClient({ maxHeadBytes: 1024, maxHeaderCount: 3 });
    const [client, server] = createMemoryPipe();
    c.setConnection(client);
    c.request(Method.GET, '/', []);
    server.putPartialData(asciiEncode(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(2000)}`));
    expect(c.poll()).toBe(Err.ERR_CONNECTION_ERROR);
    const d = new HTTPClient({ maxHeaderCount: 3 });
    const [client2, server2] = createMemoryPipe();
    d.setConnection(client2);
    d.request(Method.GET, '/', []);
    server2.putPartialData(asciiEncode('HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n'));
    expect(d.poll()).toBe(Err.ERR_CONNECTION_ERROR);
  });

  it('partial writes: a request larger than the transport takes per poll is flushed over several polls', () => {
    const c = new HTTPClient();
    const [client, server] = createMemoryPipe({ capacity: 1000 });
    c.setConnection(client);
    const body = new Uint8Array(5000).fill(65);
    expect(c.requestRaw(Method.PUT, '/', [], body)).toBe(Err.OK);
    expect(server.getAvailableBytes()).toBe(0); // request() only queues
    let received = 0;
    for (let i = 0; i < 20; i++) {
      c.poll();
      received += server.getPartialData(1 << 20).length;
    }
    expect(received).toBeGreaterThan(5000);
    expect(c.getStatus()).toBe(Status.REQUESTING);
  });
});

describe('queryStringFromDict', () => {
  it('follows Godot: unreserved kept, the rest percent-encoded as UTF-8, null bare, arrays repeated', () => {
    expect(queryStringFromDict({ single: 123, not_valued: null, multiple: [22, 33, 44] })).toBe('single=123&not_valued&multiple=22&multiple=33&multiple=44');
    expect(queryStringFromDict({ 'a b': 'x&y=z', é: '日本', t: true, '-._~': '-._~' })).toBe('a%20b=x%26y%3Dz&%C3%A9=%E6%97%A5%E6%9C%AC&t=true&-._~=-._~');
    expect(queryStringFromDict({})).toBe('');
  });
});

describe('MemoryPipe', () => {
  it('delivers scripted splits, closes from either side, and resets', () => {
    const [a, b] = createMemoryPipe();
    b.queueSplits(asciiEncode('hello world'), [1, 5]);
    expect(b.pendingPieces).toBe(3);
    b.deliverNext();
    expect(latin1Decode(a.getPartialData(100))).toBe('h');
    b.deliverNext();
    b.deliverNext();
    expect(b.deliverNext()).toBe(false);
    expect(latin1Decode(a.getPartialData(100))).toBe('ello world');
    a.putPartialData(asciiEncode('bye'));
    a.disconnectFromHost();
    expect(a.getStatus()).toBe(PeerStatus.NONE);
    expect(b.getStatus()).toBe(PeerStatus.CONNECTED); // "bye" still to read
    expect(latin1Decode(b.getPartialData(10))).toBe('bye');
    expect(b.getStatus()).toBe(PeerStatus.NONE);
    const [c, d] = createMemoryPipe({ maxRead: 2, capacity: 4 });
    expect(c.putPartialData(asciiEncode('123456'))).toBe(4);
    expect(d.getAvailableBytes()).toBe(2);
    expect(latin1Decode(d.getPartialData(10))).toBe('12');
    c.reset();
    expect(d.getStatus()).toBe(PeerStatus.CONNECTED);
    d.getPartialData(10);
    expect(d.getStatus()).toBe(PeerStatus.ERROR);
  });
});
