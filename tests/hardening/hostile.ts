// Hostile servers on loopback and the client side that meets them: a scripted TCP server, a TLS-record-aware proxy
// that misbehaves in front of a real TLS server, and an HTTPClient driven tick by tick over the Node platform.

import { once } from 'node:events';
import { createServer as createNetServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { concatBytes } from '../../engine-module/bytes/bytes.js';
import { HTTPClient } from '../../engine-module/http/client.js';
import type { HTTPClientOptions, TlsWrapper } from '../../engine-module/http/client-options.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { createNodePlatform } from '../../engine-module/platform/node.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import { StreamPeerTLS } from '../../engine-module/tls/stream-peer-tls.js';
import { pemToDer } from '../../engine-module/bytes/pem.js';
import { FrameStepper } from '../helpers/frame-stepper.js';

/** A listening server and how to stop it (destroying every socket it accepted). */
export interface Listening {
  port: number;
  close(): Promise<void>;
}

/** Listen on an ephemeral loopback port; close() also destroys open connections. */
export async function listen(server: Server): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP server that hands each connection to `script` once the first request bytes arrived. */
export function scriptedServer(script: (socket: Socket, request: Buffer) => void): Promise<Listening> {
  return listen(createNetServer((socket) => socket.once('data', (request) => script(socket, request))));
}

/** Write `piece` again and again until the peer goes away (respecting backpressure). */
export function writeForever(socket: Socket, piece: Buffer): void {
  const pump = () => {
    while (!socket.destroyed && socket.write(piece));
  };
  socket.on('drain', pump);
  pump();
}

/** A TLS server answering every request with `response` (written whole, then ended with close_notify unless kept). */
export function tlsServer(identity: { key: string; chain: string }, response: Uint8Array, end = true): Promise<Listening> {
  const server = createTlsServer({ key: identity.key, cert: identity.chain }, (s: TLSSocket) => {
    s.on('error', () => {});
    s.once('data', () => (end ? s.end(response) : s.write(response)));
  });
  return listen(server as unknown as Server);
}

/** What the proxy does once it has forwarded `after` bytes from the server (always at a record boundary). */
export type ProxyMisdeed =
  | { after: number; act: 'reset-mid-record' }
  | { after: number; act: 'fin' }
  | { after: number; act: 'inject'; record: Uint8Array };

/** A TCP proxy to `target` that forwards the server's TLS records whole until it commits its misdeed. */
export function misbehavingProxy(target: number, misdeed: ProxyMisdeed): Promise<Listening> {
  return listen(
    createNetServer((client) => {
      const upstream = connect(target, '127.0.0.1');
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.on('data', (d) => upstream.write(d));
      let pending = Buffer.alloc(0);
      let forwarded = 0;
      let done = false;
      upstream.on('data', (d: Buffer) => {
        if (done) return;
        pending = Buffer.concat([pending, d]);
        for (;;) {
          if (pending.length < 5) return;
          const size = 5 + pending.readUInt16BE(3);
          if (forwarded >= misdeed.after) {
            done = true;
            commit(client, upstream, misdeed, pending.subarray(0, Math.min(pending.length, size)));
            return;
          }
          if (pending.length < size) return;
          client.write(pending.subarray(0, size));
          forwarded += size;
          pending = pending.subarray(size);
        }
      });
    }),
  );
}

function commit(client: Socket, upstream: Socket, misdeed: ProxyMisdeed, nextRecord: Buffer): void {
  switch (misdeed.act) {
    case 'reset-mid-record':
      client.write(nextRecord.subarray(0, Math.max(1, nextRecord.length >> 1)), () => client.resetAndDestroy());
      upstream.destroy();
      return;
    case 'fin':
      client.end();
      upstream.destroy();
      return;
    case 'inject':
      client.write(misdeed.record);
      upstream.on('data', (d) => client.write(d));
      client.write(nextRecord);
  }
}

/**
 * StreamPeerTLS over the node provider and the connection's platform, trusting connectToHost's trustedChain; keeps
 * the last peer so a test can read its failure reason after the client dropped it.
 */
export function recordingTlsWrapper(): { wrap: TlsWrapper; last: () => StreamPeerTLS | null } {
  let last: StreamPeerTLS | null = null;
  const wrap: TlsWrapper = (inner, params) =>
    (last = new StreamPeerTLS(inner, {
      hostname: params.host,
      verify: params.verifyHost,
      verifyName: params.commonNameOverride,
      roots: params.trustedChain ? pemToDer(params.trustedChain) : params.platform.trustedRoots(),
      randomBytes: (n) => params.platform.randomBytes(n),
      now: () => params.platform.wallClock(),
      crypto: nodeCrypto,
    }));
  return { wrap, last: () => last };
}

/** An HTTPClient over the Node platform, polled once per tick, collecting the body it reads. */
export class TickedClient {
  readonly client: HTTPClient;
  readonly stepper: FrameStepper;
  private readonly parts: Uint8Array[] = [];
  /** Runs at the start of every tick, before the poll (a test's server-side step). */
  onTick: (() => void) | null = null;

  constructor(options: HTTPClientOptions = {}) {
    this.client = new HTTPClient({ platform: createNodePlatform(), ...options });
    this.stepper = new FrameStepper(() => {
      this.onTick?.();
      this.client.poll();
      if (this.client.getStatus() === Status.BODY) {
        const piece = this.client.readResponseBodyChunk();
        if (piece.length > 0) this.parts.push(piece.slice());
      }
    });
  }

  get status(): Status {
    return this.client.getStatus();
  }

  get body(): Uint8Array {
    return concatBytes(...this.parts);
  }

  /** Connect to 127.0.0.1:`port` (TLS with `rootPem` as the trusted chain, when given) and send GET `path`. */
  async get(port: number, options: { rootPem?: string; path?: string } = {}): Promise<void> {
    const useTls = options.rootPem !== undefined;
    const err = this.client.connectToHost('127.0.0.1', port, useTls, true, useTls ? { trustedChain: options.rootPem } : {});
    if (err !== Err.OK) throw new Error(`connectToHost: ${Err[err]}`);
    await this.stepper.until(() => this.status !== Status.RESOLVING && this.status !== Status.CONNECTING, 5000);
    if (this.status !== Status.CONNECTED) return;
    this.request(options.path ?? '/');
  }

  request(path: string): void {
    const err = this.client.request(Method.GET, path, []);
    if (err !== Err.OK) throw new Error(`request: ${Err[err]}`);
  }

  /** Tick until the exchange is over (status other than REQUESTING/BODY) or `maxTicks` ran out. */
  async settle(maxTicks = 5000): Promise<Status> {
    const busy = () => this.status === Status.REQUESTING || this.status === Status.BODY;
    for (let i = 0; i < maxTicks && busy(); i++) await this.stepper.advance(1);
    return this.status;
  }
}
