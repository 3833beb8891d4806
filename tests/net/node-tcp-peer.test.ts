// The Node platform's StreamPeer over real loopback sockets: views of what Node delivered, the shared empty read,
// the high-water mark, close and error reporting after every byte was read.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import { NO_BYTES } from '../../engine-module/net/chunk-queue.js';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import { nextTick, until as untilFrames } from '../helpers/frame-stepper.js';

const MiB = 1 << 20;
/** The most one Node socket read delivers. */
const NODE_READ = 64 * 1024;

/** Turn the event loop (no frame to run: the peer is read directly) until `done()` holds. */
const until = (done: () => boolean, what: string) => untilFrames(done, what, { frames: 20_000 });

let server: Server;
let port: number;
const serverSockets = new Set<Socket>();
/** The server side of the newest connection. */
let remote: Socket | null = null;
const peers: StreamPeer[] = [];

beforeAll(async () => {
  server = createServer((socket) => {
    serverSockets.add(socket);
    socket.on('close', () => serverSockets.delete(socket));
    socket.on('error', () => {});
    remote = socket;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterEach(() => {
  for (const p of peers.splice(0)) p.disconnectFromHost();
  for (const s of serverSockets) s.destroy();
  remote = null;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A connected peer and the server's end of it. */
async function connect(highWaterMark?: number): Promise<{ peer: StreamPeer; remote: Socket }> {
  remote = null;
  const peer = createNodePlatform({ highWaterMark }).connectTcp('127.0.0.1', port);
  peers.push(peer);
  await until(() => peer.getStatus() === PeerStatus.CONNECTED && remote !== null, 'connect');
  return { peer, remote: remote! };
}

/** Everything readable until the peer reports `end`, in reads of at most `max` bytes. */
async function readUntil(peer: StreamPeer, end: PeerStatus, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  await until(() => {
    const data = peer.getPartialData(max);
    expect(data.length).toBeLessThanOrEqual(max);
    if (data.length > 0) parts.push(Buffer.from(data));
    return data.length === 0 && peer.getStatus() === end;
  }, `status ${end} after every byte`);
  return Buffer.concat(parts);
}

describe('Node TCP peer', () => {
  it('with nothing to read returns the one shared empty array, connecting or idle', async () => {
    const peer = createNodePlatform().connectTcp('127.0.0.1', port);
    peers.push(peer);
    expect(peer.getPartialData(100)).toBe(NO_BYTES);
    await until(() => peer.getStatus() === PeerStatus.CONNECTED, 'connect');
    expect(peer.getPartialData(100)).toBe(NO_BYTES);
    expect(peer.getPartialData(0)).toBe(NO_BYTES);
    expect(peer.getAvailableBytes()).toBe(0);
  });

  it('hands out views of one ring that Node reads into: separate receives lie side by side', async () => {
    const { peer, remote } = await connect();
    remote.write('hello');
    await until(() => peer.getAvailableBytes() === 5, 'first write');
    // The first receive is in the ring before the second is written, so they arrive as two socket reads.
    remote.write('world!');
    await until(() => peer.getAvailableBytes() === 11, 'second write');
    const he = peer.getPartialData(2);
    expect(Buffer.from(he).toString()).toBe('he');
    const rest = peer.getPartialData(1000);
    expect(Buffer.from(rest).toString()).toBe('lloworld!');
    expect(rest.buffer).toBe(he.buffer);
    expect(rest.byteOffset).toBe(he.byteOffset + 2);
    expect(peer.getAvailableBytes()).toBe(0);
    expect(peer.getPartialData(1000)).toBe(NO_BYTES);
  });

  it('a view stays intact while more arrives, until the next read', async () => {
    const highWaterMark = 64 * 1024;
    const { peer, remote } = await connect(highWaterMark);
    const payload = Buffer.from(Uint8Array.from({ length: 2 * MiB }, (_, i) => (i * 13) & 0xff));
    remote.end(payload);
    let at = 0;
    for (let turn = 0; turn < 200_000 && !(at === payload.length && peer.getStatus() === PeerStatus.NONE); turn++) {
      const view = peer.getPartialData(5000);
      const copy = Buffer.from(view);
      expect(copy.equals(payload.subarray(at, at + view.length))).toBe(true);
      at += view.length;
      // The ring is small, so the receives that come in meanwhile wrap around it many times.
      await nextTick();
      expect(Buffer.from(view).equals(copy)).toBe(true);
    }
    expect(at).toBe(payload.length);
  });

  it('reports NONE after a remote close only once every byte was read', async () => {
    const { peer, remote } = await connect();
    const payload = Buffer.from(Uint8Array.from({ length: 3 * MiB + 17 }, (_, i) => (i * 31) & 0xff));
    remote.end(payload);
    await until(() => peer.getAvailableBytes() > 0, 'data');
    expect(peer.getStatus()).toBe(PeerStatus.CONNECTED);
    const got = await readUntil(peer, PeerStatus.NONE, 100_000);
    expect(got.equals(payload)).toBe(true);
  });

  it('reports ERROR after a reset only once every byte that came before it was read', async () => {
    const { peer, remote } = await connect();
    remote.write('last words');
    await until(() => peer.getAvailableBytes() === 10, 'data');
    remote.resetAndDestroy();
    // Bytes received before the reset are still readable: the peer stays CONNECTED until they are taken.
    for (let i = 0; i < 50; i++) await nextTick();
    expect(peer.getStatus()).toBe(PeerStatus.CONNECTED);
    expect(Buffer.from(peer.getPartialData(100)).toString()).toBe('last words');
    await until(() => peer.getStatus() === PeerStatus.ERROR, 'error after the bytes');
  });

  it('pauses the socket past the high-water mark and resumes once the reader took half', async () => {
    const highWaterMark = 256 * 1024;
    const { peer, remote } = await connect(highWaterMark);
    const payload = Buffer.from(Uint8Array.from({ length: 4 * MiB }, (_, i) => (i * 7) & 0xff));
    remote.end(payload);
    await until(() => peer.getAvailableBytes() > highWaterMark, 'the mark is passed');
    // Paused: the event loop turns, and what is queued stays within one socket read past the mark.
    let most = 0;
    for (let i = 0; i < 200; i++) {
      most = Math.max(most, peer.getAvailableBytes());
      await nextTick();
    }
    expect(most).toBeLessThanOrEqual(highWaterMark + NODE_READ);
    const got = await readUntil(peer, PeerStatus.NONE, 1 * MiB);
    expect(got.equals(payload)).toBe(true);
  });

  it('by default buffers at most 8 MiB (plus one socket read) for a reader that does not read', async () => {
    const { peer, remote } = await connect();
    const payload = Buffer.alloc(12 * MiB, 0x5a);
    remote.end(payload);
    await until(() => peer.getAvailableBytes() > 8 * MiB, 'the default mark is passed');
    let most = 0;
    for (let i = 0; i < 200; i++) {
      most = Math.max(most, peer.getAvailableBytes());
      await nextTick();
    }
    expect(most).toBeLessThanOrEqual(8 * MiB + NODE_READ);
    expect((await readUntil(peer, PeerStatus.NONE, 4 * MiB)).length).toBe(payload.length);
  });

  it('after disconnectFromHost reads nothing and reports NONE', async () => {
    const { peer, remote } = await connect();
    remote.write('unread');
    await until(() => peer.getAvailableBytes() === 6, 'data');
    peer.disconnectFromHost();
    expect(peer.getStatus()).toBe(PeerStatus.NONE);
    expect(peer.getAvailableBytes()).toBe(0);
    expect(peer.getPartialData(10)).toBe(NO_BYTES);
    expect(peer.putPartialData(Uint8Array.from([1]))).toBe(0);
  });

  it('calls its watcher when data arrives and when the remote closes, not while the connection is quiet', async () => {
    const { peer, remote } = await connect();
    let wakes = 0;
    expect(peer.watch?.(() => wakes++)).toBe(true);
    for (let i = 0; i < 50; i++) await nextTick();
    expect(wakes).toBe(0);
    remote.write('ping');
    await until(() => wakes > 0, 'a wake for the data');
    expect(peer.getAvailableBytes()).toBe(4);
    const afterData = wakes;
    remote.end();
    await until(() => wakes > afterData, 'a wake for the close');
    peer.getPartialData(4);
    expect(peer.getStatus()).toBe(PeerStatus.NONE);
    peer.watch?.(null);
    const removed = wakes;
    for (let i = 0; i < 50; i++) await nextTick();
    expect(wakes).toBe(removed);
  });
});
