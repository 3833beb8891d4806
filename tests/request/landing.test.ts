// A body of stated length going to memory is received by the socket straight into the sink's storage (a landing):
// the ticks only count it. Against real loopback servers: the bytes and their order, what the ticks read themselves,
// bodies cut short, bytes past the body, keep-alive after a landed body, a cancel in the middle, and the Node
// peer's own landing with bytes already held and a read already under way.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { bytesEqual } from '../../engine-module/bytes/bytes.js';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';
import { shareTick, startBudget } from '../../engine-module/request/budget.js';
import { cancelRequest, startRequest, stepRequest, type RequestJob } from '../../engine-module/request/http-request.js';
import { closeIdle, grant } from '../../engine-module/request/pool.js';
import { normalizeSpec } from '../../engine-module/request/request-spec.js';
import { createRequester, type Requester } from '../../engine-module/request/requester.js';
import { Result } from '../../engine-module/request/result.js';
import { pattern, platform, startServer, type TestServer } from '../ecs/helpers.js';
import type { Platform } from '../../engine-module/platform/platform.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { makeHttpsPki, providerPlatforms, startHttpsServer, type HttpsPki, type HttpsTestServer } from '../https/fixtures.js';
import { until } from '../helpers/frame-stepper.js';

let server: TestServer | null = null;
let tcp: TcpServer | null = null;
let requester: Requester | null = null;
afterEach(async () => {
  if (requester) closeIdle(requester.pool);
  requester = null;
  await server?.close();
  server = null;
  await new Promise<void>((resolve) => (tcp ? tcp.close(() => resolve()) : resolve()));
  tcp = null;
});

/** Whether a tick is running (tickUntilDone's): what a provider does outside it was done between frames. */
let ticking = false;

interface Ticks {
  /** Body bytes the ticks read themselves (counted against their budget). */
  read: number;
  ticks: number;
}

/**
 * Tick `job` (default budget, a clock moving 16 ms a tick, `gapMs` of real time between ticks) until it ends or
 * `stop()` holds; what the ticks read.
 */
async function tickUntilDone(job: RequestJob, stop: () => boolean = () => false, gapMs = 1): Promise<Ticks> {
  let now = 0;
  const out = { read: 0, ticks: 0 };
  while (job.phase !== 'done' && !stop()) {
    await new Promise((r) => setTimeout(r, gapMs));
    now += 16;
    grant(requester!.pool, now);
    const budget = startBudget(undefined, () => performance.now());
    ticking = true;
    shareTick(budget, [(first) => stepRequest(requester!, job, now, budget, first)]);
    ticking = false;
    out.read += budget.spent;
    if (++out.ticks > 20_000) throw new Error('the request did not end');
  }
  return out;
}

function get(url: string, tls?: { trustedChain: string; platform: Platform }): RequestJob {
  requester ??= createRequester({ platform: tls?.platform ?? platform });
  return startRequest(requester, normalizeSpec({ url, tls: tls ? { trustedChain: tls.trustedChain } : undefined }), 0);
}

/** A raw TCP server: `onSocket` writes whatever bytes it likes. */
async function rawServer(onSocket: (socket: Socket) => void): Promise<number> {
  tcp = createTcpServer(onSocket);
  await new Promise<void>((resolve) => tcp!.listen(0, '127.0.0.1', resolve));
  return (tcp.address() as { port: number }).port;
}

/** A server answering every request with `body` whole, behind its Content-Length. */
async function serveWhole(body: Buffer): Promise<TestServer> {
  server = await startServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': body.length });
    res.end(body);
  });
  return server;
}

const head = (length: number) => Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\n\r\n`);

describe('bodies received straight into memory', () => {
  it('a large body lands whole and in order; the ticks themselves read only what was held when it began', async () => {
    const body = Buffer.from(pattern(24 << 20, 11));
    const whole = await serveWhole(body);
    const job = get(whole.url('/big'));
    const ticks = await tickUntilDone(job);
    expect(job.outcome!.result).toBe(Result.SUCCESS);
    expect(bytesEqual(job.outcome!.body!, body)).toBe(true);
    // Stored where it landed: the outcome is the sink's storage, sized by the Content-Length.
    expect(job.outcome!.body!.buffer.byteLength).toBe(body.length);
    expect(job.progress.received).toBe(body.length);
    expect(ticks.read).toBeLessThan(body.length / 2);
  });

  it('the head is taken as it arrives, between ticks: a body sent right behind it lands nearly whole', async () => {
    const body = Buffer.from(pattern(16 << 20, 19));
    const whole = await serveWhole(body);
    const job = get(whole.url('/burst'));
    // A frame's worth of real time between ticks: the whole body arrives between two of them.
    const ticks = await tickUntilDone(job, () => false, 16);
    expect(bytesEqual(job.outcome!.body!, body)).toBe(true);
    // The ticks copied only what came in the same socket read as the head.
    expect(ticks.read).toBeLessThan(1 << 20);
  });

  it('a body sent in small pieces with pauses lands byte-exact', async () => {
    const body = Buffer.from(pattern(300_000, 12));
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': body.length });
      let at = 0;
      const next = () => {
        if (at >= body.length) return void res.end();
        res.write(body.subarray(at, at + 7_001));
        at += 7_001;
        setTimeout(next, at % 5 === 0 ? 3 : 0);
      };
      next();
    });
    const job = get(server.url('/slow'));
    const ticks = await tickUntilDone(job);
    expect(job.outcome!.result).toBe(Result.SUCCESS);
    expect(bytesEqual(job.outcome!.body!, body)).toBe(true);
    expect(ticks.read).toBeLessThan(body.length / 2);
  });

  it('a body cut short while landing fails as a connection error, never a short success', async () => {
    const body = Buffer.from(pattern(4 << 20, 13));
    const port = await rawServer((socket) => {
      socket.once('data', () => {
        socket.write(head(body.length));
        socket.write(body.subarray(0, 1 << 20));
        setTimeout(() => socket.write(body.subarray(1 << 20, 3 << 20), () => socket.destroy()), 50);
      });
    });
    const job = get(`http://127.0.0.1:${port}/cut`);
    const ticks = await tickUntilDone(job);
    expect(ticks.read).toBeLessThan(job.progress.received);
    expect(job.outcome!.result).toBe(Result.CONNECTION_ERROR);
    expect(job.outcome!.error).toMatch(/connection lost during the body/);
    expect(job.progress.received).toBeLessThan(body.length);
  });

  it('a malformed head taken as it arrives fails the request with the reason, inside the socket\'s event, without a throw', async () => {
    const port = await rawServer((socket) => {
      socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 12\r\nContent-Length: 13\r\n\r\nhello'));
    });
    const job = get(`http://127.0.0.1:${port}/bad`);
    await tickUntilDone(job);
    expect(job.outcome!.result).toBe(Result.NO_RESPONSE);
    expect(job.outcome!.error).toMatch(/^no response: .*Content-Length/i);
  });

  it('bytes past the body end the connection after a whole, exact body', async () => {
    const body = Buffer.from(pattern(2 << 20, 14));
    let sockets = 0;
    const port = await rawServer((socket) => {
      sockets++;
      socket.on('data', () => {
        socket.write(head(body.length));
        setTimeout(() => socket.write(Buffer.concat([body, Buffer.from('HTTP/1.1 200 OK\r\n\r\nextra')])), 20);
      });
    });
    const first = get(`http://127.0.0.1:${port}/a`);
    await tickUntilDone(first);
    expect(first.outcome!.result).toBe(Result.SUCCESS);
    expect(bytesEqual(first.outcome!.body!, body)).toBe(true);
    // The connection was out of step, so it was not kept: the next request opens another.
    const second = get(`http://127.0.0.1:${port}/b`);
    await tickUntilDone(second);
    expect(bytesEqual(second.outcome!.body!, body)).toBe(true);
    expect(sockets).toBe(2);
  });

  it('a connection whose body landed is kept alive and carries the next response', async () => {
    const bodies = [Buffer.from(pattern(3 << 20, 15)), Buffer.from(pattern(5 << 20, 16))];
    let n = 0;
    server = await startServer((_req, res) => {
      const body = bodies[n++ % 2];
      res.writeHead(200, { 'Content-Length': body.length });
      // The rest comes once the head has been read, so there is something left to land.
      res.write(body.subarray(0, 65536));
      setTimeout(() => res.end(body.subarray(65536)), 30);
    });
    for (const body of bodies) {
      const job = get(server.url('/keep'));
      const ticks = await tickUntilDone(job);
      expect(bytesEqual(job.outcome!.body!, body)).toBe(true);
      expect(ticks.read).toBeLessThan(body.length / 2);
    }
    expect(server.accepted).toBe(1);
  });

  it('a request cancelled while its body lands leaves nothing behind: the next one gets its own body whole', async () => {
    const body = Buffer.from(pattern(8 << 20, 17));
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': body.length });
      res.write(body.subarray(0, 1 << 20));
      setTimeout(() => res.end(body.subarray(1 << 20)), 40);
    });
    const job = get(server.url('/cancel'));
    await tickUntilDone(job, () => job.progress.received > 0);
    cancelRequest(requester!, job, 0);
    const next = get(server.url('/again'));
    await tickUntilDone(next);
    expect(bytesEqual(next.outcome!.body!, body)).toBe(true);
  });
});

describe('the Node peer landing bytes', () => {
  it('returns what it held before the landing, lands what came after in order, and keeps what did not fit', async () => {
    const data = pattern(3 << 20, 18);
    let socket: Socket | null = null;
    const port = await rawServer((s) => {
      socket = s;
      s.write(data.subarray(0, 100_000));
    });
    const peer: StreamPeer = platform.connectTcp('127.0.0.1', port);
    await until(() => peer.getAvailableBytes() === 100_000, 'the first bytes held', { ms: 10_000 });
    const target = new Uint8Array(2 << 20);
    expect(peer.landInto!(target)).toBe(true);
    socket!.write(data.subarray(100_000));
    let landed = 0;
    await until(() => (landed += peer.takeLanded!()) === target.length && peer.getAvailableBytes() > 0, 'the landing', { ms: 10_000 });
    const held: Uint8Array[] = [];
    let got = 0;
    while (got < 100_000) {
      const piece = peer.getPartialData(100_000 - got).slice();
      held.push(piece);
      got += piece.length;
    }
    expect(bytesEqual(Buffer.concat(held), data.subarray(0, 100_000))).toBe(true);
    expect(bytesEqual(target, data.subarray(100_000, 100_000 + target.length))).toBe(true);
    // Past the target, bytes go to the peer's own storage again, in order.
    const restStart = 100_000 + target.length;
    await until(() => peer.getAvailableBytes() === data.length - restStart, 'the rest', { ms: 10_000 });
    const rest = peer.getPartialData(1 << 20).slice();
    expect(bytesEqual(rest, data.subarray(restStart, restStart + rest.length))).toBe(true);
    expect(peer.getStatus()).toBe(PeerStatus.CONNECTED);
    peer.disconnectFromHost();
    expect(peer.landInto!(new Uint8Array(10))).toBe(false);
  });
});

describe.each(providerPlatforms())('bodies over TLS land as their records are opened, $name provider', ({ platform: tlsPlatform }) => {
  let pki: HttpsPki;
  let https: HttpsTestServer;
  const body = Buffer.from(pattern(6 << 20, 20));
  let served = 0;
  beforeAll(async () => {
    pki = makeHttpsPki();
    https = await startHttpsServer(pki.server, (req, res) => {
      served++;
      res.writeHead(200, { 'Content-Length': body.length });
      if (req.url === '/cut') return void res.write(body.subarray(0, 2 << 20), () => setTimeout(() => req.socket.destroy(), 50));
      res.write(body.subarray(0, 65536));
      setTimeout(() => res.end(body.subarray(65536)), 30);
    });
  });
  afterAll(async () => {
    await https?.close();
    pki?.pki.cleanup();
  });
  const tls = () => ({ trustedChain: pki.rootPem, platform: tlsPlatform });

  it('a body lands whole and in order, twice on one kept-alive connection; some of it is opened between ticks', async () => {
    for (let i = 0; i < 2; i++) {
      const job = get(https.url('/body'), tls());
      const ticks = await tickUntilDone(job);
      expect(job.outcome!.result).toBe(Result.SUCCESS);
      expect(bytesEqual(job.outcome!.body!, body)).toBe(true);
      expect(job.outcome!.body!.buffer.byteLength).toBe(body.length);
      // Read whole, the ticks would have read every byte: what landed between them did not pass through reads.
      expect(ticks.read).toBeLessThan(body.length);
    }
    expect(https.tlsConnections).toBe(1);
  });

  it('the head is taken between ticks (from a later run of the event loop); without runLater it waits for a tick', async () => {
    const { runLater, ...withoutLater } = tlsPlatform;
    for (const p of [tlsPlatform, withoutLater as Platform]) {
      requester = null;
      const servedBefore = served;
      const job = get(https.url('/body'), { trustedChain: pki.rootPem, platform: p });
      await tickUntilDone(job, () => job.phase === 'waiting');
      if (runLater && p === tlsPlatform) await until(() => job.phase !== 'waiting', 'the head taken with no tick', { ms: 20_000 });
      else {
        await until(() => served > servedBefore, 'the request at the server', { ms: 20_000 });
        await new Promise((r) => setTimeout(r, 100));
        expect(job.phase).toBe('waiting');
      }
      await tickUntilDone(job);
      expect(job.outcome!.result).toBe(Result.SUCCESS);
      expect(bytesEqual(job.outcome!.body!, body)).toBe(true);
      closeIdle(requester!.pool);
    }
  });

  it("records are opened between ticks within the platform's arrivalShare; with 0, only by the ticks", async () => {
    for (const share of [undefined, 0]) {
      // Records of body data (the provider's warm-up opens small ones between frames too) opened outside the ticks.
      let between = 0;
      const base = tlsPlatform.crypto!;
      const crypto: CryptoProvider = {
        ...base,
        aead(alg, key) {
          const aead = base.aead(alg, key);
          return { seal: (n, a, p) => aead.seal(n, a, p), open: (n, a, c) => ((between += ticking || c.length < 4096 ? 0 : 1), aead.open(n, a, c)) };
        },
      };
      requester = null;
      const job = get(https.url('/body'), { trustedChain: pki.rootPem, platform: createNodePlatform({ crypto, arrivalShare: share }) });
      await tickUntilDone(job);
      expect(job.outcome!.result).toBe(Result.SUCCESS);
      expect(bytesEqual(job.outcome!.body!, body)).toBe(true);
      // The head is taken between ticks whatever the share, by a poll that opens at most one record with data.
      if (share === 0) expect(between).toBeLessThanOrEqual(1);
      else expect(between).toBeGreaterThan(8);
      closeIdle(requester!.pool);
    }
  });

  it('a body cut short while landing fails as a connection error, never a short success', async () => {
    const job = get(https.url('/cut'), tls());
    await tickUntilDone(job);
    expect(job.outcome!.result).toBe(Result.CONNECTION_ERROR);
    expect(job.progress.received).toBeLessThan(body.length);
  });
});
