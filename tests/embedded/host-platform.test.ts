// The host platform run directly in Node, over real loopback sockets through the same bridge the QuickJS tests use.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostPlatform, NO_RANDOM_SOURCE } from '../../engine-module/platform/host.js';
import type { HostBridge } from '../../engine-module/platform/host-bridge.js';
import { HostStreamPeer } from '../../engine-module/platform/host-stream-peer.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { NO_BYTES } from '../../engine-module/net/chunk-queue.js';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import { NodeSocketHost } from './node-socket-host.js';
import { nodeHostCrypto } from './node-host-crypto.js';
import { until } from '../helpers/frame-stepper.js';

/** Read everything until the peer reports NONE, as a client's poll loop would. */
async function readToClose(peer: StreamPeer, chunk = 1000): Promise<Uint8Array> {
  const parts: number[] = [];
  await until(() => {
    const data = peer.getPartialData(chunk);
    for (const b of data) parts.push(b);
    return data.length === 0 && peer.getStatus() === PeerStatus.NONE;
  }, 'remote close after all bytes');
  return Uint8Array.from(parts);
}

let server: Server;
let port: number;
const serverSockets = new Set<Socket>();
/** What the server does with each connection; set per test. */
let onConnection: (socket: Socket) => void = () => {};

beforeAll(async () => {
  server = createServer((socket) => {
    serverSockets.add(socket);
    socket.on('close', () => serverSockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of serverSockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let host: NodeSocketHost;
afterEach(() => {
  host?.destroyAll();
});

describe('createHostPlatform', () => {
  it('refuses a bridge without the required functions, naming them', () => {
    host = new NodeSocketHost();
    expect(() => createHostPlatform(host.bridge({}, ['tcpSend', 'now']))).toThrow(
      'tickhttp: the host bridge lacks tcpSend, now',
    );
  });

  it('refuses a file sink given only in part', () => {
    host = new NodeSocketHost();
    const bridge = host.bridge({ fileOpen: () => 1, fileWrite: () => true });
    expect(() => createHostPlatform(bridge)).toThrow(/file sink needs all of fileOpen, fileWrite, fileClose, fileSize/);
  });

  it('without randomBytes, asking for random bytes throws the no-secure-source error', () => {
    host = new NodeSocketHost();
    const platform = createHostPlatform(host.bridge({}, ['randomBytes']));
    expect(() => platform.randomBytes(32)).toThrow(NO_RANDOM_SOURCE);
    expect(NO_RANDOM_SOURCE).toBe('tickhttp: the host provides no secure random source; TLS cannot start');
  });

  it('takes random bytes from the host, as Uint8Array or ArrayBuffer, and refuses a short answer', () => {
    host = new NodeSocketHost();
    expect(createHostPlatform(host.bridge()).randomBytes(48)).toHaveLength(48);
    const fromBuffer = createHostPlatform(host.bridge({ randomBytes: (n) => new Uint8Array(n).fill(7).buffer }));
    expect(Array.from(fromBuffer.randomBytes(3))).toEqual([7, 7, 7]);
    const short = createHostPlatform(host.bridge({ randomBytes: (n) => new Uint8Array(n - 1) }));
    expect(() => short.randomBytes(16)).toThrow("tickhttp: the host's randomBytes(16) returned 15 bytes");
  });

  it('uses the host clock, and the runtime Date only when the host gives no wall clock', () => {
    host = new NodeSocketHost();
    const platform = createHostPlatform(host.bridge({ now: () => 1234.5, wallClock: () => Date.UTC(2030, 0, 2) }));
    expect(platform.now()).toBe(1234.5);
    expect(platform.wallClock().toISOString()).toBe('2030-01-02T00:00:00.000Z');
    const before = Date.now();
    const fallback = createHostPlatform(host.bridge()).wallClock().getTime();
    expect(fallback).toBeGreaterThanOrEqual(before);
  });

  it('runs TLS on the host crypto primitives when given, on the pure provider otherwise', () => {
    host = new NodeSocketHost();
    const native = nodeHostCrypto('aead');
    expect(createHostPlatform(host.bridge({ crypto: native })).crypto?.name).toBe('host(aead)');
    expect(createHostPlatform(host.bridge()).crypto).toBe(pureCrypto);
  });

  it('reads trusted roots as DER arrays or one PEM string', () => {
    host = new NodeSocketHost();
    const derA = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x05]);
    const derB = Uint8Array.from([0x30, 0x00]);
    const pem = (der: Uint8Array) =>
      `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n`;
    const fromPem = createHostPlatform(host.bridge({ trustedRoots: () => `# roots\n${pem(derA)}junk\n${pem(derB)}` }));
    expect(fromPem.trustedRoots()).toEqual([derA, derB]);
    const fromDer = createHostPlatform(host.bridge({ trustedRoots: () => [derA.slice().buffer, derB] }));
    expect(fromDer.trustedRoots()).toEqual([derA, derB]);
    expect(createHostPlatform(host.bridge()).trustedRoots()).toEqual([]);
    expect(() => createHostPlatform(host.bridge({ trustedRoots: () => '-----BEGIN CERTIFICATE-----\nAAAA' }))).toThrow(
      'PEM: certificate 1 has no END line',
    );
  });
});

describe('name resolution', () => {
  it('without a resolver, the name itself is the address (resolved by tcpConnect)', () => {
    host = new NodeSocketHost();
    const pending = createHostPlatform(host.bridge({}, ['resolve'])).resolveHost('example.test');
    expect(pending.status()).toBe('done');
    expect(pending.address()).toBe('example.test');
  });

  it('polls the host resolver until it answers', async () => {
    host = new NodeSocketHost();
    const pending = createHostPlatform(host.bridge()).resolveHost('localhost');
    expect(pending.status()).toBe('pending');
    await until(() => pending.status() !== 'pending', 'lookup of localhost');
    expect(pending.status()).toBe('done');
    expect(pending.address()).toBe('127.0.0.1');
  });

  it('a null answer or a throwing resolver fails the lookup', () => {
    host = new NodeSocketHost();
    expect(createHostPlatform(host.bridge({ resolve: () => null })).resolveHost('x').status()).toBe('failed');
    const throwing = createHostPlatform(
      host.bridge({
        resolve: () => {
          throw new Error('resolver fault');
        },
      }),
    );
    expect(throwing.resolveHost('x').status()).toBe('failed');
  });
});

describe('HostStreamPeer over loopback', () => {
  for (const withAvailable of [true, false]) {
    it(`exchanges bytes and reports NONE only after every byte was read (tcpAvailable ${withAvailable})`, async () => {
      host = new NodeSocketHost();
      const payload = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) & 0xff);
      onConnection = (socket) => {
        socket.once('data', (request) => socket.end(Buffer.concat([request, payload])));
      };
      const platform = createHostPlatform(host.bridge({}, withAvailable ? [] : ['tcpAvailable']));
      const peer = platform.connectTcp('127.0.0.1', port);
      expect(peer.getStatus()).toBe(PeerStatus.CONNECTING);
      await until(() => peer.getStatus() === PeerStatus.CONNECTED, 'connect');
      expect(peer.putPartialData(Uint8Array.from([1, 2, 3]))).toBe(3);
      // Wait until the remote closed with every byte delivered to the host: the peer must still be readable.
      await until(() => host.tcpStatus(1) === 0, 'remote close');
      expect(peer.getStatus()).toBe(PeerStatus.CONNECTED);
      expect(peer.getAvailableBytes()).toBeGreaterThan(0);
      const got = await readToClose(peer);
      expect(got.length).toBe(3 + payload.length);
      expect(got.subarray(0, 3)).toEqual(Uint8Array.from([1, 2, 3]));
      expect(Buffer.from(got.subarray(3)).equals(Buffer.from(payload))).toBe(true);
      expect(peer.putPartialData(Uint8Array.from([4]))).toBe(0);
      peer.disconnectFromHost();
      peer.disconnectFromHost();
      expect(host.closed).toEqual([1]);
      expect(host.openCount()).toBe(0);
    });
  }

  it('reports ERROR for a refused connection', async () => {
    host = new NodeSocketHost();
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    const peer = createHostPlatform(host.bridge()).connectTcp('127.0.0.1', closedPort);
    await until(() => peer.getStatus() !== PeerStatus.CONNECTING, 'connect attempt ends');
    expect(peer.getStatus()).toBe(PeerStatus.ERROR);
    expect(peer.putPartialData(Uint8Array.from([1]))).toBe(0);
    peer.disconnectFromHost();
    expect(host.closed).toEqual([1]);
  });

  it('offers tcpSend a view over its whole buffer, at most 64 KiB at a time', async () => {
    host = new NodeSocketHost();
    const offered: Uint8Array[] = [];
    onConnection = (socket) => socket.resume();
    const platform = createHostPlatform(
      host.bridge({
        tcpSend: (handle, data) => {
          offered.push(data);
          return host.tcpSend(handle, data);
        },
      }),
    );
    const peer = platform.connectTcp('127.0.0.1', port);
    await until(() => peer.getStatus() === PeerStatus.CONNECTED, 'connect');
    const big = new Uint8Array(200_000).fill(9);
    expect(peer.putPartialData(big.subarray(10, 30))).toBe(20);
    expect(peer.putPartialData(big)).toBe(65536);
    expect(peer.putPartialData(new Uint8Array(0))).toBe(0);
    expect(offered).toHaveLength(2);
    for (const view of offered) {
      expect(view.byteOffset).toBe(0);
      expect(view.byteLength).toBe(view.buffer.byteLength);
    }
    expect(offered.map((v) => v.length)).toEqual([20, 65536]);
    peer.disconnectFromHost();
  });

  it('clamps what the host claims to have sent to what it was offered', async () => {
    host = new NodeSocketHost();
    onConnection = (socket) => socket.resume();
    let claim = 0;
    const peer = createHostPlatform(host.bridge({ tcpSend: () => claim })).connectTcp('127.0.0.1', port);
    await until(() => peer.getStatus() === PeerStatus.CONNECTED, 'connect');
    claim = 99;
    expect(peer.putPartialData(new Uint8Array(5))).toBe(5);
    claim = -1;
    expect(peer.putPartialData(new Uint8Array(5))).toBe(0);
    peer.disconnectFromHost();
  });

  it('accepts received bytes as ArrayBuffers', async () => {
    host = new NodeSocketHost();
    onConnection = (socket) => socket.end('hello');
    const bridge = host.bridge({
      tcpReceive: (h, max) => {
        const got = host.tcpReceive(h, max);
        return got.slice().buffer;
      },
    });
    const peer = createHostPlatform(bridge).connectTcp('127.0.0.1', port);
    await until(() => peer.getStatus() !== PeerStatus.CONNECTING, 'connect');
    expect(Buffer.from(await readToClose(peer)).toString()).toBe('hello');
    peer.disconnectFromHost();
  });

  it('joins what the host returned in pieces up to the size asked for; nothing to read is the shared empty array', async () => {
    host = new NodeSocketHost();
    let sendNow: (() => void) | null = null;
    onConnection = (socket) => {
      sendNow = () => socket.end('hello world');
    };
    const received: number[] = [];
    const bridge = host.bridge({
      tcpReceive: (h, max) => {
        const got = host.tcpReceive(h, Math.min(max, 3));
        received.push(got.length);
        return got;
      },
    });
    const peer = createHostPlatform(bridge).connectTcp('127.0.0.1', port);
    await until(() => peer.getStatus() === PeerStatus.CONNECTED && sendNow !== null, 'connect');
    expect(peer.getPartialData(8)).toBe(NO_BYTES);
    sendNow!();
    await until(() => host.tcpAvailable(1) === 11, 'bytes at the host');
    expect(Buffer.from(peer.getPartialData(8)).toString()).toBe('hello wo');
    expect(received.slice(-3)).toEqual([3, 3, 2]);
    expect(Buffer.from(await readToClose(peer)).toString()).toBe('rld');
    expect(peer.getPartialData(8)).toBe(NO_BYTES);
    peer.disconnectFromHost();
  });

  it('a throwing bridge call puts the peer in ERROR without escaping', async () => {
    host = new NodeSocketHost();
    onConnection = (socket) => socket.resume();
    let fault = false;
    const peer = createHostPlatform(
      host.bridge({
        tcpStatus: (h) => {
          if (fault) throw new Error('engine socket table corrupted');
          return host.tcpStatus(h);
        },
      }),
    ).connectTcp('127.0.0.1', port) as HostStreamPeer;
    await until(() => peer.getStatus() === PeerStatus.CONNECTED, 'connect');
    fault = true;
    expect(peer.getStatus()).toBe(PeerStatus.ERROR);
    expect(peer.failure).toBe('engine socket table corrupted');
    expect(peer.getPartialData(10)).toHaveLength(0);
    expect(peer.putPartialData(new Uint8Array(1))).toBe(0);
    peer.disconnectFromHost();
    expect(host.closed).toEqual([1]);
  });

  it('a connect the host could not start is ERROR and is never closed on the host', () => {
    host = new NodeSocketHost();
    const peer = createHostPlatform(host.bridge({ tcpConnect: () => -1 })).connectTcp('127.0.0.1', port);
    expect(peer.getStatus()).toBe(PeerStatus.ERROR);
    expect(peer.getAvailableBytes()).toBe(0);
    peer.disconnectFromHost();
    expect(peer.getStatus()).toBe(PeerStatus.NONE);
    expect(host.closed).toEqual([]);
  });
});

describe('file sink', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tickhttp-host-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The file functions an engine would give, over node:fs. */
  function fileBridge(): Partial<HostBridge> {
    return {
      fileOpen: (path, append) => {
        try {
          return openSync(path, append ? 'a' : 'w');
        } catch {
          return -1;
        }
      },
      fileWrite: (fd, data) => writeSync(fd, data) === data.length,
      fileClose: (fd) => closeSync(fd),
      fileSize: (path) => (existsSync(path) ? statSync(path).size : -1),
      fileRead: (path) => (existsSync(path) ? new Uint8Array(readFileSync(path)) : null),
      fileRemove: (path) => unlinkSync(path),
    };
  }

  it('is absent when the host gives no file functions', () => {
    host = new NodeSocketHost();
    expect(createHostPlatform(host.bridge()).files).toBeUndefined();
  });

  it('writes, appends, sizes, reads and removes through the host', () => {
    host = new NodeSocketHost();
    const files = createHostPlatform(host.bridge(fileBridge())).files!;
    const path = join(dir, 'download.bin');
    expect(files.size(path)).toBe(-1);
    const first = files.open(path, false)!;
    expect(first.write(Uint8Array.from([1, 2, 3]))).toBe(true);
    first.close();
    expect(first.write(Uint8Array.from([9]))).toBe(false);
    first.close();
    const again = files.open(path, true)!;
    expect(again.write(Uint8Array.from([4]))).toBe(true);
    again.close();
    expect(files.size(path)).toBe(4);
    expect(files.read!(path)).toEqual(Uint8Array.from([1, 2, 3, 4]));
    files.remove!(path);
    expect(files.read!(path)).toBeNull();
    expect(files.open(join(dir, 'missing-dir', 'x'), false)).toBeNull();
  });

  it('hands writes over as whole buffers, and turns host faults into a failed open or write', () => {
    host = new NodeSocketHost();
    const written: Uint8Array[] = [];
    let fault = false;
    const files = createHostPlatform(
      host.bridge({
        fileOpen: () => {
          if (fault) throw new Error('disk gone');
          return 3;
        },
        fileWrite: (_fd, data) => {
          if (fault) throw new Error('disk gone');
          written.push(data);
          return true;
        },
        fileClose: () => {},
        fileSize: () => -1,
      }),
    ).files!;
    const sink = files.open('any', false)!;
    expect(sink.write(new Uint8Array(100).fill(1).subarray(10, 20))).toBe(true);
    expect(written[0].byteOffset).toBe(0);
    expect(written[0].buffer.byteLength).toBe(10);
    fault = true;
    expect(sink.write(Uint8Array.from([1]))).toBe(false);
    expect(files.open('other', false)).toBeNull();
  });
});
