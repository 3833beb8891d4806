// The in-memory pipe: reads join what several writes sent (tests count on whole requests in one read), written
// bytes are owned copies, and an empty read allocates nothing.
import { describe, expect, it } from 'vitest';
import { createMemoryPipe } from '../../engine-module/net/memory-pipe.js';
import { NO_BYTES } from '../../engine-module/net/chunk-queue.js';
import { PeerStatus } from '../../engine-module/net/stream-peer.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const bytes = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('MemoryPeer', () => {
  it('one read returns everything available up to max, joined across the writes it came from', () => {
    const [a, b] = createMemoryPipe();
    a.putPartialData(bytes('GET / HTTP/1.1\r\n'));
    a.putPartialData(bytes('Host: x\r\n\r\n'));
    expect(b.getAvailableBytes()).toBe(27);
    expect(text(b.getPartialData(b.getAvailableBytes()))).toBe('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    a.putPartialData(bytes('abc'));
    a.putPartialData(bytes('def'));
    expect(text(b.getPartialData(4))).toBe('abcd');
    expect(text(b.getPartialData(4))).toBe('ef');
    expect(a.unread).toBe(0);
  });

  it('keeps what was written even if the writer changes its buffer afterwards', () => {
    const [a, b] = createMemoryPipe();
    const buf = bytes('original');
    a.putPartialData(buf);
    buf.fill(0x21);
    expect(text(b.getPartialData(100))).toBe('original');
  });

  it('returns the shared empty array when nothing is there, after a close, or for max 0', () => {
    const [a, b] = createMemoryPipe();
    expect(b.getPartialData(10)).toBe(NO_BYTES);
    a.putPartialData(bytes('x'));
    expect(b.getPartialData(0)).toBe(NO_BYTES);
    b.disconnectFromHost();
    expect(b.getPartialData(10)).toBe(NO_BYTES);
    expect(b.getStatus()).toBe(PeerStatus.NONE);
  });

  it('scripted splits arrive piece by piece and still read joined; maxRead and capacity hold', () => {
    const [a, b] = createMemoryPipe({ maxRead: 5, capacity: 8 });
    b.queueSplits(bytes('0123456789'), [3, 4]);
    expect(b.deliverNext()).toBe(true);
    expect(b.deliverNext()).toBe(true);
    expect(b.unread).toBe(4);
    expect(a.getAvailableBytes()).toBe(4);
    b.deliverNext();
    // Scripted pieces ignore capacity; reads are capped at maxRead and cross piece boundaries.
    expect(b.unread).toBe(10);
    expect(text(a.getPartialData(100))).toBe('01234');
    expect(text(a.getPartialData(100))).toBe('56789');
    expect(b.putPartialData(bytes('abcdefghijk'))).toBe(8);
    expect(b.putPartialData(bytes('z'))).toBe(0);
    expect(text(a.getPartialData(100))).toBe('abcde');
  });

  it('wakes a watching end when the other writes, delivers a scripted piece or closes, and a writer when room is made', () => {
    const [client, server] = createMemoryPipe({ capacity: 4 });
    let clientWakes = 0;
    let serverWakes = 0;
    expect(client.watch(() => clientWakes++)).toBe(true);
    server.watch(() => serverWakes++);
    expect(server.putPartialData(Uint8Array.from([1, 2, 3, 4, 5]))).toBe(4);
    expect(clientWakes).toBe(1);
    client.getPartialData(4);
    expect(serverWakes).toBe(1);
    server.queueSplits(Uint8Array.from([6]));
    expect(clientWakes).toBe(1);
    server.deliverNext();
    expect(clientWakes).toBe(2);
    server.disconnectFromHost();
    expect(clientWakes).toBe(3);
    expect(client.getPartialData(1)).toEqual(Uint8Array.from([6]));
    expect(serverWakes).toBe(2);
  });
});
