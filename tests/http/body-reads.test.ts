// How much one readResponseBodyChunk() returns: up to readChunkSize of what is available now, however many transport
// reads it arrived in, in an array the caller owns; the exchange's borrowed views over a transport that writes over
// its storage; and the chunked reader's one-piece steps.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiEncode, bytesEqual, concatBytes, latin1Decode } from '../../engine-module/bytes/bytes.js';
import { bodyReaderFor } from '../../engine-module/http/body-readers.js';
import { HTTPClient } from '../../engine-module/http/client.js';
import { http11Over } from '../../engine-module/http/http11-exchange.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { ReceiveBuffer } from '../../engine-module/http/receive-buffer.js';
import { ChunkQueue } from '../../engine-module/net/chunk-queue.js';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import { createNodePlatform } from '../../engine-module/node.js';
import { Driver, httpServer, listen, shut } from './loopback-server.js';

/**
 * A transport that, like the Node peer, keeps what arrived as separate chunks and hands out at most one of them (as a
 * view) per read. `arrive()` queues the next chunks; writes are taken and dropped.
 */
class OneChunkPerReadPeer implements StreamPeer {
  private readonly queue = new ChunkQueue();
  reads = 0;

  arrive(...chunks: Uint8Array[]): void {
    for (const c of chunks) this.queue.push(c);
  }

  getStatus(): number {
    return PeerStatus.CONNECTED;
  }

  getAvailableBytes(): number {
    return this.queue.length;
  }

  getPartialData(max: number): Uint8Array {
    this.reads++;
    return this.queue.read(max);
  }

  putPartialData(data: Uint8Array): number {
    return data.length;
  }

  disconnectFromHost(): void {
    this.queue.clear();
  }
}

/** Bytes 0, 1, 2, ... (mod 251) from `from`, so any misplaced or repeated byte shows. */
function pattern(from: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (from + i) % 251;
  return out;
}

/**
 * Like the Node peer, reads are views of one block of storage that the next read writes over: here it first fills
 * what it lent last time with 0xee, so a reader that kept a view past its next read sees the damage. At most `maxRead`
 * bytes per read, to split the stream exactly.
 */
class LendingPeer extends OneChunkPerReadPeer {
  private readonly storage = new Uint8Array(1 << 16);
  private lent = 0;

  constructor(private readonly maxRead = Infinity) {
    super();
  }

  override getPartialData(max: number): Uint8Array {
    this.storage.fill(0xee, 0, this.lent);
    const data = super.getPartialData(Math.min(max, this.maxRead, this.storage.length));
    this.storage.set(data);
    this.lent = data.length;
    return this.storage.subarray(0, data.length);
  }
}

/** A client that has sent a GET over `peer` and read the response head `head`. */
function inBody(head: string, readChunkSize: number) {
  const peer = new OneChunkPerReadPeer();
  return { c: clientInBody(peer, head, readChunkSize), peer };
}

function clientInBody(peer: OneChunkPerReadPeer, head: string, readChunkSize: number): HTTPClient {
  const c = new HTTPClient();
  c.setConnection(peer);
  c.setReadChunkSize(readChunkSize);
  expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
  c.poll();
  peer.arrive(asciiEncode(head));
  c.poll();
  expect(c.getStatus()).toBe(Status.BODY);
  return c;
}

describe('readResponseBodyChunk: up to readChunkSize of what is available now', () => {
  it('joins a body queued as several transport chunks into one result of readChunkSize bytes', () => {
    const { c, peer } = inBody('HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n', 4096);
    for (let at = 0; at < 5000; at += 1000) peer.arrive(pattern(at, 1000));
    const first = c.readResponseBodyChunk();
    expect(first).toEqual(pattern(0, 4096));
    expect(c.getStatus()).toBe(Status.BODY);
    const second = c.readResponseBodyChunk();
    expect(second).toEqual(pattern(4096, 904));
    expect(c.getStatus()).toBe(Status.CONNECTED);
  });

  it('returns arrays the caller owns: later reads, which reuse the transport storage, leave them unchanged', () => {
    const peer = new LendingPeer();
    const c = clientInBody(peer, 'HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n', 1024);
    peer.arrive(pattern(0, 1000), pattern(1000, 1000), pattern(2000, 1000));
    const pieces = [c.readResponseBodyChunk(), c.readResponseBodyChunk(), c.readResponseBodyChunk()];
    expect(pieces.map((p) => p.length)).toEqual([1024, 1024, 952]);
    expect(concatBytes(...pieces)).toEqual(pattern(0, 3000));
    expect(c.getStatus()).toBe(Status.CONNECTED);
  });

  it('returns only what has arrived, and the rest on a later call', () => {
    const { c, peer } = inBody('HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n', 65536);
    peer.arrive(pattern(0, 700), pattern(700, 800));
    expect(c.readResponseBodyChunk()).toEqual(pattern(0, 1500));
    expect(c.readResponseBodyChunk()).toHaveLength(0);
    expect(c.getStatus()).toBe(Status.BODY);
    peer.arrive(pattern(1500, 1500));
    expect(c.readResponseBodyChunk()).toEqual(pattern(1500, 1500));
    expect(c.getStatus()).toBe(Status.CONNECTED);
  });

  it('keeps the framing exact: bytes queued past the body are never part of it', () => {
    const { c, peer } = inBody('HTTP/1.1 200 OK\r\nContent-Length: 2500\r\n\r\n', 65536);
    peer.arrive(pattern(0, 1000), pattern(1000, 1000), concatBytes(pattern(2000, 500), asciiEncode('HTTP/1.1 200 OK\r\n')));
    expect(c.readResponseBodyChunk()).toEqual(pattern(0, 2500));
    // The extra bytes answer no request: the connection is closed rather than read on (RFC 9112 §9.3).
    expect(c.getStatus()).toBe(Status.DISCONNECTED);
  });

  it('joins chunked bodies the same way: pieces of many chunks and transport reads in one result', () => {
    const { c, peer } = inBody('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', 65536);
    const body = pattern(0, 3000);
    let wire = '';
    for (let at = 0; at < body.length; at += 300) wire += `12c\r\n${latin1Decode(body.subarray(at, at + 300))}\r\n`;
    const bytes = asciiEncode(`${wire}0\r\n\r\n`);
    for (let at = 0; at < bytes.length; at += 512) peer.arrive(bytes.subarray(at, at + 512));
    expect(c.readResponseBodyChunk()).toEqual(body);
    expect(c.getStatus()).toBe(Status.CONNECTED);
  });

  it('blocking mode reads the same: what is available now, never waiting for more', () => {
    const { c, peer } = inBody('HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n', 65536);
    c.setBlockingMode(true);
    peer.arrive(pattern(0, 1000), pattern(1000, 1000));
    expect(c.readResponseBodyChunk()).toEqual(pattern(0, 2000));
    expect(c.getStatus()).toBe(Status.BODY);
  });
});

describe('Exchange.readBody over a transport that lends its storage', () => {
  const limits = { maxHeadBytes: 4096, maxHeaderCount: 16 };
  /** An exchange over `peer` that has sent a GET and been answered with `wire` (queued whole). */
  const answered = (peer: LendingPeer, wire: Uint8Array) => {
    const exchange = http11Over(peer, limits, { readChunkSize: 65536 });
    expect(exchange.send({ method: Method.GET, url: '/', headers: [], body: new Uint8Array(0) })).toBeNull();
    exchange.poll();
    peer.arrive(wire);
    return exchange;
  };
  /** The chunked wire of `body` in chunks of `size`, with a trailer. */
  const chunkedWire = (body: Uint8Array, size: number) => {
    let wire = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    for (let at = 0; at < body.length; at += size) {
      const piece = body.subarray(at, at + size);
      wire += `${piece.length.toString(16)}\r\n${latin1Decode(piece)}\r\n`;
    }
    return asciiEncode(`${wire}0\r\nTrailer: x\r\n\r\n`);
  };

  it('a view handed out holds its bytes until the next call, the last one too (finishing reads the transport)', () => {
    const peer = new LendingPeer();
    const exchange = answered(peer, asciiEncode('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'));
    exchange.poll();
    expect(exchange.status).toBe(Status.BODY);
    const view = exchange.readBody();
    // Finishing the response looked for bytes past it with one more read, which wrote over the transport's storage.
    expect(exchange.status).toBe(Status.CONNECTED);
    expect(peer.reads).toBeGreaterThan(2);
    expect(latin1Decode(view)).toBe('hello');
  });

  it('bodies are byte-exact over every split of the stream, framing and all, when each read overwrites the last', () => {
    const body = pattern(0, 700);
    const wire = chunkedWire(body, 97);
    for (let split = 1; split <= 64; split++) {
      const peer = new LendingPeer(split);
      const exchange = answered(peer, wire);
      const got: number[] = [];
      for (let step = 0; step < 10_000 && exchange.status !== Status.CONNECTED; step++) {
        exchange.poll();
        // Copied before the next call into the exchange, as the rule says.
        if (exchange.status === Status.BODY) got.push(...exchange.readBody());
      }
      expect(exchange.status, `split ${split}`).toBe(Status.CONNECTED);
      expect(Uint8Array.from(got), `split ${split}`).toEqual(body);
    }
  });
});

describe('readResponseBodyChunk over a real socket', () => {
  const SIZE = 3 << 20;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = httpServer((_req, res) => {
      res.setHeader('Content-Length', SIZE);
      res.end(Buffer.from(pattern(0, SIZE)));
    });
    port = await listen(server);
  });
  afterAll(() => shut(server));

  it('one call returns the whole body once it has arrived in many socket reads (not one socket read per call)', async () => {
    const d = new Driver();
    expect(await d.connect('127.0.0.1', port)).toBe(Status.CONNECTED);
    const c = d.client;
    c.setReadChunkSize(4 << 20);
    expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
    // Poll (never read the body) until every byte of it is waiting in the client or its transport.
    const waiting = () => c.getBufferedBytes() + (c.getConnection()?.getAvailableBytes() ?? 0);
    for (let tick = 0; tick < 100_000 && !(c.getStatus() === Status.BODY && waiting() >= SIZE); tick++) {
      c.poll();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const body = c.readResponseBodyChunk();
    expect(body.length).toBe(SIZE);
    expect(bytesEqual(body, pattern(0, SIZE))).toBe(true);
    expect(c.getStatus()).toBe(Status.CONNECTED);
    c.close();
  });
});

describe('chunked reader', () => {
  const read = (text: string, max = 100) => {
    const buf = new ReceiveBuffer();
    const wire = asciiEncode(text);
    buf.append(wire);
    const reader = bodyReaderFor({ kind: 'chunked' }, 1024);
    const pieces: Uint8Array[] = [];
    for (let p = reader.read(buf, max); p.length > 0; p = reader.read(buf, max)) pieces.push(p);
    return { wire, reader, pieces, buf };
  };

  it('returns one chunk per read, each a view of the received bytes, never a join', () => {
    const { wire, reader, pieces, buf } = read('3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\nTrailer: x\r\n\r\n');
    expect(pieces.map((p) => latin1Decode(p))).toEqual(['abc', 'defg']);
    for (const p of pieces) expect(p.buffer).toBe(wire.buffer);
    expect(reader.done).toBe(true);
    expect(buf.length).toBe(0);
  });

  it('splits a chunk larger than the room asked for, and stops at its end', () => {
    const { pieces, reader } = read('a\r\n0123456789\r\n2\r\nab\r\n0\r\n\r\n', 4);
    expect(pieces.map((p) => latin1Decode(p))).toEqual(['0123', '4567', '89', 'ab']);
    expect(reader.done).toBe(true);
  });

  it('an error after a chunk is thrown by the next read, once that chunk was handed out', () => {
    const buf = new ReceiveBuffer();
    buf.append(asciiEncode('3\r\nabcXX'));
    const reader = bodyReaderFor({ kind: 'chunked' }, 1024);
    expect(latin1Decode(reader.read(buf, 100))).toBe('abc');
    buf.append(asciiEncode('\r\n'));
    expect(() => reader.read(buf, 100)).toThrow(/not followed by CRLF/);
  });
});

describe('readResponseBodyChunk hands out arrays the caller owns, over a real socket whose storage is read into again', () => {
  const SIZE = 12 << 20;
  const BODY = pattern(0, SIZE);
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = httpServer((req, res) => {
      if (req.url === '/chunked') {
        for (let at = 0; at < SIZE; at += 1 << 20) res.write(Buffer.from(BODY.subarray(at, at + (1 << 20))));
        res.end();
      } else {
        res.setHeader('Content-Length', SIZE);
        res.end(Buffer.from(BODY));
      }
    });
    port = await listen(server);
  });
  afterAll(() => shut(server));

  it('every 64 KiB chunk kept as handed out is intact after the body ends, content-length and chunked', async () => {
    // A small high-water mark keeps the socket's receive ring small, so the body passes through it many times over.
    const c = new HTTPClient({ platform: createNodePlatform({ highWaterMark: 256 << 10 }) });
    c.setReadChunkSize(65536);
    const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));
    expect(c.connectToHost('127.0.0.1', port)).toBe(Err.OK);
    while (c.getStatus() === Status.RESOLVING || c.getStatus() === Status.CONNECTING) {
      c.poll();
      await yieldToIo();
    }
    for (const path of ['/', '/chunked']) {
      expect(c.request(Method.GET, path, [])).toBe(Err.OK);
      const kept: Uint8Array[] = [];
      // The way a game loop polls at full speed: a read after every poll, the event loop let in only when nothing came.
      while (c.getStatus() === Status.REQUESTING || c.getStatus() === Status.BODY) {
        c.poll();
        const chunk = c.getStatus() === Status.BODY ? c.readResponseBodyChunk() : new Uint8Array(0);
        if (chunk.length > 0) kept.push(chunk);
        else await yieldToIo();
      }
      expect(c.getStatus(), path).toBe(Status.CONNECTED);
      expect(Math.max(...kept.map((k) => k.length)), path).toBeLessThanOrEqual(65536);
      expect(kept.length, path).toBeGreaterThanOrEqual(SIZE / 65536);
      expect(bytesEqual(concatBytes(...kept), BODY), path).toBe(true);
    }
    c.close();
  });
});
