// Every resource limit, hit once: its default, and that configuring it moves the line. Head size, header count and
// chunk-size line length over an in-memory pipe (exact bytes); body size through the request layer against a real
// server; handshake message size and chain length against a recorded session, a real chain and through
// HTTPClient.connectToHost's tlsOptions; buffered bytes per connection on real sockets (plain TCP and TLS) while the
// game does not read.

import { addEntity, createWorld } from 'bitecs';
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiEncode, concatBytes, latin1Decode } from '../../engine-module/bytes/bytes.js';
import type { TlsOptions, TlsWrapper } from '../../engine-module/http/client-options.js';
import { DEFAULT_MAX_HEAD_BYTES, DEFAULT_MAX_HEADER_COUNT, Err, Status } from '../../engine-module/http/constants.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import { destroyHttpSystem, createHttpSystem, updateHttp } from '../../engine-module/ecs/http-system.js';
import { addRequest, getResponse } from '../../engine-module/ecs/request-system.js';
import { Result } from '../../engine-module/request/result.js';
import { DEFAULT_MAX_BUFFERED_INPUT, StreamPeerTLS } from '../../engine-module/tls/stream-peer-tls.js';
import { DEFAULT_MAX_CHAIN_LENGTH, verifyCertificateChain } from '../../engine-module/tls/x509/path.js';
import { pemToDer } from '../../engine-module/bytes/pem.js';
import { runHttpCase } from '../../fuzz/http-case.js';
import { instrument } from '../../fuzz/instrument.js';
import { makeLoopbackPki, type LoopbackPki } from '../../fuzz/pki.js';
import { pumpAll, recordedEngine, recordTlsSession, type TlsRecording } from '../../fuzz/tls-recording.js';
import { makeLongChain } from './hostile-pki.js';
import { listen, scriptedServer, TickedClient, tlsServer, writeForever } from './hostile.js';

beforeAll(() => instrument());

/** A response head with `count` fields, padded so the whole head is `size` bytes (CRLF line ends). */
function headOf(count: number, size = 0): string {
  let head = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n';
  for (let i = 1; i < count; i++) head += `X-${i}: v\r\n`;
  const pad = size - head.length - '\r\n'.length - 'X-Pad: \r\n'.length;
  return `${head}${size > 0 ? `X-Pad: ${'p'.repeat(pad)}\r\n` : ''}\r\n`;
}

function endsWith(bytes: string, client?: { maxHeadBytes?: number; maxHeaderCount?: number }): Status {
  const out = runHttpCase({ bytes: asciiEncode(bytes), client });
  expect(out.violations).toEqual([]);
  return out.status;
}

describe('HTTP head limits (HTTPClientOptions)', () => {
  it(`head size: ${DEFAULT_MAX_HEAD_BYTES} bytes by default, maxHeadBytes moves it`, () => {
    expect(endsWith(headOf(2, 60 * 1024))).toBe(Status.DISCONNECTED);
    expect(endsWith(headOf(2, 70 * 1024))).toBe(Status.CONNECTION_ERROR);
    expect(endsWith(headOf(2, 70 * 1024), { maxHeadBytes: 80 * 1024 })).toBe(Status.DISCONNECTED);
    expect(endsWith(headOf(2, 2000), { maxHeadBytes: 1024 })).toBe(Status.CONNECTION_ERROR);
  });

  // Every byte of a line end counts (a CR-blind count let a head of 101 lines pass a limit 101 bytes too small).
  it('a head one byte over maxHeadBytes is refused (line ends counted in full)', () => {
    const head = headOf(100, 1100);
    expect(endsWith(head, { maxHeadBytes: head.length })).toBe(Status.DISCONNECTED);
    expect(endsWith(head, { maxHeadBytes: head.length - 1 })).toBe(Status.CONNECTION_ERROR);
  });

  it(`header count: ${DEFAULT_MAX_HEADER_COUNT} by default, maxHeaderCount moves it`, () => {
    expect(endsWith(headOf(DEFAULT_MAX_HEADER_COUNT))).toBe(Status.DISCONNECTED);
    expect(endsWith(headOf(DEFAULT_MAX_HEADER_COUNT + 1))).toBe(Status.CONNECTION_ERROR);
    expect(endsWith(headOf(10), { maxHeaderCount: 10 })).toBe(Status.DISCONNECTED);
    expect(endsWith(headOf(11), { maxHeaderCount: 10 })).toBe(Status.CONNECTION_ERROR);
  });

  it('chunk-size line length: bounded by maxHeadBytes (no option of its own)', () => {
    const chunked = (ext: number) => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=${'e'.repeat(ext)}\r\nabc\r\n0\r\n\r\n`;
    expect(endsWith(chunked(1000))).toBe(Status.DISCONNECTED);
    expect(endsWith(chunked(70 * 1024))).toBe(Status.CONNECTION_ERROR);
    expect(endsWith(chunked(70 * 1024), { maxHeadBytes: 80 * 1024 })).toBe(Status.DISCONNECTED);
    expect(endsWith(chunked(1000), { maxHeadBytes: 512 })).toBe(Status.CONNECTION_ERROR);
  });
});

describe('body size (request layer: RequestSpec.bodySizeLimit, default -1 = unlimited)', () => {
  it('a body past the limit ends in BODY_SIZE_LIMIT_EXCEEDED, with and without Content-Length', async () => {
    const body = Buffer.alloc(100_000, 0x61);
    const server = await listen(
      createHttpServer((req, res) => {
        if (req.url === '/chunked') res.write(body);
        else res.setHeader('Content-Length', body.length);
        res.end(req.url === '/chunked' ? undefined : body);
      }) as unknown as Server,
    );
    const world = createWorld();
    createHttpSystem(world, { platform: createNodePlatform() });
    try {
      for (const path of ['/length', '/chunked']) {
        const eid = addEntity(world);
        addRequest(world, eid, { url: `http://127.0.0.1:${server.port}${path}`, bodySizeLimit: 10_000 });
        for (let tick = 0; tick < 5000 && !getResponse(world, eid); tick++) {
          updateHttp(world);
          await new Promise((resolve) => setImmediate(resolve));
        }
        expect(getResponse(world, eid)?.result, path).toBe(Result.BODY_SIZE_LIMIT_EXCEEDED);
      }
    } finally {
      destroyHttpSystem(world);
      await server.close();
    }
  });
});

describe('TLS limits', () => {
  let pki: LoopbackPki;
  let rec: TlsRecording;
  beforeAll(async () => {
    pki = makeLoopbackPki();
    rec = await recordTlsSession(pki, 'TLSv1.2', nodeCrypto, 100);
  });
  afterAll(() => pki?.cleanup());

  /** connectToHost over TLS to 127.0.0.1:`port` with `tls` options, ticked until connected or failed. */
  async function connect(port: number, tls: TlsOptions): Promise<TickedClient> {
    const c = new TickedClient();
    expect(c.client.connectToHost('127.0.0.1', port, true, true, tls)).toBe(Err.OK);
    await c.stepper.until(() => c.status !== Status.RESOLVING && c.status !== Status.CONNECTING, 5000);
    return c;
  }

  it('handshake message size: 256 KiB by default (a real chain passes), maxHandshakeMessageSize moves it (engine)', () => {
    for (const [limit, ok] of [[undefined, true], [512, false]] as const) {
      const engine = recordedEngine(rec, nodeCrypto, { maxHandshakeMessageSize: limit });
      pumpAll(engine);
      engine.feed(rec.serverBytes);
      pumpAll(engine);
      engine.readApplicationData(1 << 20);
      if (ok) expect(engine.status).toBe('closed');
      else expect(engine.failure).toMatchObject({ code: 'message-too-large', detail: expect.stringMatching(/the limit is 512$/) });
    }
  });

  it('handshake message size through HTTPClient: connectToHost(..., { maxHandshakeMessageSize })', async () => {
    const server = await tlsServer(pki, asciiEncode('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    try {
      const fine = await connect(server.port, { trustedChain: pki.rootPem });
      expect(fine.status).toBe(Status.CONNECTED);
      fine.client.close();
      const small = await connect(server.port, { trustedChain: pki.rootPem, maxHandshakeMessageSize: 512 });
      expect(small.status).toBe(Status.SSL_HANDSHAKE_ERROR);
      expect(small.client.getLastFailure()).toMatchObject({ code: 'tls-handshake', tls: { code: 'message-too-large' } });
    } finally {
      await server.close();
    }
  });

  it(`certificate chain length: ${DEFAULT_MAX_CHAIN_LENGTH} by default, maxChainLength moves it (verifier)`, () => {
    const identity = makeLongChain(DEFAULT_MAX_CHAIN_LENGTH);
    try {
      const chain = pemToDer(identity.chain);
      const opts = { hostname: 'localhost', roots: pemToDer(identity.rootPem), now: new Date() };
      // Leaf + 9 intermediates sent, + the root: a path of 11.
      expect(verifyCertificateChain(chain, opts)).toMatchObject({ ok: false, failure: { code: 'chain-too-long' } });
      expect(verifyCertificateChain(chain, { ...opts, maxChainLength: 11 })).toEqual({ ok: true });
      expect(verifyCertificateChain(chain.slice(0, 9), opts)).toMatchObject({ ok: false, failure: { code: 'unknown-issuer' } });
    } finally {
      identity.cleanup();
    }
  });

  it('certificate chain length through HTTPClient: connectToHost(..., { maxChainLength })', async () => {
    const identity = makeLongChain(DEFAULT_MAX_CHAIN_LENGTH);
    const server = await tlsServer(identity, asciiEncode('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    try {
      const refused = await connect(server.port, { trustedChain: identity.rootPem });
      expect(refused.status).toBe(Status.SSL_HANDSHAKE_ERROR);
      expect(refused.client.getTlsError()).toMatch(/chain too long: more than 10 certificates/);
      const raised = await connect(server.port, { trustedChain: identity.rootPem, maxChainLength: 11 });
      expect(raised.status, String(raised.client.getTlsError())).toBe(Status.CONNECTED);
      raised.request('/');
      expect(await raised.settle()).toBe(Status.CONNECTED);
      expect(latin1Decode(raised.body)).toBe('ok');
      raised.client.close();
    } finally {
      await server.close();
      identity.cleanup();
    }
  });

  /**
   * The TLS layer HTTPClient uses, with `maxBufferedInput` set; keeps the last peer to measure it. Its clock stands
   * still, so decrypting on arrival is held back by nothing but the bytes it may keep (what is measured here), not by
   * its share of time on a busy machine.
   */
  function bufferedTls(maxBufferedInput?: number) {
    let last: StreamPeerTLS | null = null;
    const wrap: TlsWrapper = (inner, p) =>
      (last = new StreamPeerTLS(inner, {
        hostname: p.host,
        roots: pemToDer(p.trustedChain!),
        randomBytes: (n) => p.platform.randomBytes(n),
        now: () => p.platform.wallClock(),
        clock: () => 0,
        crypto: nodeCrypto,
        maxBufferedInput,
      }));
    return { wrap, last: () => last! };
  }

  for (const [limit, label] of [[undefined, `${DEFAULT_MAX_BUFFERED_INPUT} by default`], [256 * 1024, 'maxBufferedInput 256 KiB']] as const) {
    it(`received bytes a TLS connection holds while the game does not read: ${label} (StreamPeerTLS)`, async () => {
      const bound = limit ?? DEFAULT_MAX_BUFFERED_INPUT;
      const size = 8 << 20;
      const response = concatBytes(asciiEncode(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`), new Uint8Array(size));
      const server = await tlsServer(pki, response, false);
      const tls = bufferedTls(limit);
      const c = new TickedClient({ tls: tls.wrap });
      try {
        await c.get(server.port, { rootPem: pki.rootPem });
        // Poll but never read the body: whatever the server sends has to wait somewhere. Tick until the TLS layer
        // has filled up with records decrypted on arrival, then a while longer; the rest waits in the socket.
        let most = 0;
        let decryptedMost = 0;
        let extra = 200;
        for (let tick = 0; tick < 20_000 && extra > 0; tick++) {
          c.client.poll();
          most = Math.max(most, tls.last().getBufferedBytes());
          decryptedMost = Math.max(decryptedMost, tls.last().getAvailableBytes());
          if (most >= bound) extra--;
          await new Promise((resolve) => setImmediate(resolve));
        }
        expect(c.status).toBe(Status.BODY);
        expect(most).toBeGreaterThanOrEqual(bound);
        // Decrypting stops at the bound, past it by less than a record; a poll may take one more record (and the
        // next header) from the socket.
        expect(decryptedMost).toBeLessThan(bound + 16384);
        expect(most).toBeLessThan(bound + 16384 + 16384 + 256 + 5 + 5);
        // Reading drains it all, byte-exact.
        let got = 0;
        for (let tick = 0; tick < 20_000 && c.status === Status.BODY; tick++) {
          c.client.poll();
          for (let piece = c.client.readResponseBodyChunk(); piece.length > 0; piece = c.client.readResponseBodyChunk()) got += piece.length;
          await new Promise((resolve) => setImmediate(resolve));
        }
        expect([c.status, got]).toEqual([Status.CONNECTED, size]);
      } finally {
        c.client.close();
        await server.close();
      }
    });
  }
});

describe('buffered bytes per connection (Node platform highWaterMark, default 4 MiB)', () => {
  it('a server writing without end while the game does not read: the socket pauses at the configured mark', async () => {
    const server = await scriptedServer((s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n');
      writeForever(s, Buffer.alloc(64 * 1024, 0x7a));
    });
    const highWaterMark = 256 * 1024;
    const c = new TickedClient({ platform: createNodePlatform({ highWaterMark }) });
    try {
      await c.get(server.port);
      let most = 0;
      for (let tick = 0; tick < 400; tick++) {
        c.client.poll();
        most = Math.max(most, c.client.getConnection()?.getAvailableBytes() ?? 0);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(c.status).toBe(Status.BODY);
      expect(most).toBeGreaterThan(highWaterMark / 2);
      expect(most).toBeLessThanOrEqual(highWaterMark + 64 * 1024);
    } finally {
      c.client.close();
      await server.close();
    }
  });
});

describe('time decrypting TLS records between frames (Platform.arrivalShare, default 0.25)', () => {
  it('createNodePlatform takes a share from 0 to 1 and refuses anything else, in words', () => {
    expect(createNodePlatform().arrivalShare).toBe(0.25);
    expect(createNodePlatform({ arrivalShare: 0 }).arrivalShare).toBe(0);
    expect(createNodePlatform({ arrivalShare: 1 }).arrivalShare).toBe(1);
    for (const arrivalShare of [-0.1, 1.5, Number.NaN]) {
      expect(() => createNodePlatform({ arrivalShare })).toThrow('arrivalShare must be a number from 0 to 1');
    }
  });

  it('a platform made by hand with a share out of range fails its TLS connections in words, not with a throw', async () => {
    const pki = makeLoopbackPki();
    const server = await tlsServer(pki, asciiEncode('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    try {
      const c = new TickedClient({ platform: { ...createNodePlatform(), arrivalShare: 1.5 } });
      expect(c.client.connectToHost('127.0.0.1', server.port, true, true, { trustedChain: pki.rootPem })).toBe(Err.OK);
      // The ticks poll the client; one that threw would fail the wait.
      await c.stepper.until(() => c.status !== Status.RESOLVING && c.status !== Status.CONNECTING, 5000);
      expect(c.status).toBe(Status.CONNECTION_ERROR);
      expect(c.client.getLastError()).toBe('platform: arrivalShare must be a number from 0 to 1');
      c.client.close();
    } finally {
      await server.close();
      pki.cleanup();
    }
  });
});
