// Real Node servers on loopback for HTTPClient tests, and a frame loop that drives a client against them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Status, type Method } from '../../engine-module/http/constants.js';
import { FrameStepper } from '../helpers/frame-stepper.js';

/** Listen on an ephemeral loopback port; resolves to the port. */
export function listen(server: Server | NetServer, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}

/** Close a server and every connection it still holds. */
export function shut(server: Server | NetServer, sockets: Iterable<Socket> = []): Promise<void> {
  for (const s of sockets) s.destroy();
  if ('closeAllConnections' in server) server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** An http server that numbers its sockets, so tests can tell whether requests shared one connection. */
export function httpServer(handler: (req: IncomingMessage, res: ServerResponse, socketId: number) => void) {
  let next = 0;
  const ids = new WeakMap<Socket, number>();
  const server = createServer((req, res) => handler(req, res, ids.get(req.socket)!));
  server.on('connection', (s) => ids.set(s, ++next));
  return server;
}

/** A raw TCP server running `script` per connection (exact bytes, resets, stalls). */
export function scriptedServer(script: (socket: Socket) => void) {
  const sockets = new Set<Socket>();
  const server = createNetServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    script(s);
  });
  return { server, sockets };
}

/** What one request/response exchange produced. */
export interface Exchange {
  err: Err;
  code: number;
  headers: Record<string, string>;
  body: Buffer;
  chunked: boolean;
  length: number;
  /** Status once the body is done (CONNECTED, DISCONNECTED, or an error). */
  status: Status;
}

/** A client on a frame loop: each tick polls once and, in BODY, reads every chunk available. */
export class Driver {
  readonly stepper: FrameStepper;
  private body: Buffer[] = [];

  constructor(readonly client: HTTPClient = new HTTPClient()) {
    this.stepper = new FrameStepper(() => {
      this.client.poll();
      while (this.client.getStatus() === Status.BODY) {
        const chunk = this.client.readResponseBodyChunk();
        if (chunk.length === 0) break;
        this.body.push(Buffer.from(chunk));
      }
    });
  }

  async connect(host: string, port: number, maxTicks = 1000): Promise<Status> {
    const err = this.client.connectToHost(host, port);
    if (err !== Err.OK) throw new Error(`connectToHost: ${Err[err]}`);
    await this.stepper.until(() => ![Status.RESOLVING, Status.CONNECTING].includes(this.client.getStatus()), maxTicks);
    return this.client.getStatus();
  }

  async exchange(method: Method, url: string, headers: string[] = [], body: Uint8Array | string = '', maxTicks = 100_000): Promise<Exchange> {
    this.body = [];
    const c = this.client;
    const err = typeof body === 'string' ? c.request(method, url, headers, body) : c.requestRaw(method, url, headers, body);
    if (err === Err.OK) await this.stepper.until(() => ![Status.REQUESTING, Status.BODY].includes(c.getStatus()), maxTicks);
    return {
      err,
      code: c.getResponseCode(),
      headers: c.getResponseHeadersAsDictionary(),
      body: Buffer.concat(this.body),
      chunked: c.isResponseChunked(),
      length: c.getResponseBodyLength(),
      status: c.getStatus(),
    };
  }
}
