// The loopback origin both clients talk to in the differential harness: raw HTTP/1.1 responses written byte for byte
// (so the cases Godot gets wrong can be served exactly), and every request line it receives recorded.
import { createServer, type Server, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { listen, shut } from '../http/loopback-server.js';

/** A route's answer: raw bytes (with `close` the connection ends after them), or silence. */
type Answer = { raw: Buffer; close?: boolean } | 'silent' | { stream: Buffer; total: number };

export const GZIPPED = gzipSync('a gzip-encoded body, decoded by tickhttp');
export const MIB = Buffer.alloc(1 << 20, 7);

const head = (status: string, fields: string[], body: Buffer | string = '') =>
  Buffer.concat([Buffer.from(`HTTP/1.1 ${status}\r\n${fields.map((f) => f + '\r\n').join('')}\r\n`, 'latin1'), Buffer.from(body)]);
const sized = (status: string, fields: string[], body: Buffer | string = '') =>
  head(status, [...fields, `Content-Length: ${Buffer.byteLength(body)}`], body);
const redirect = (code: string, location: string, name = 'Location') => ({ raw: sized(code, [`${name}: ${location}`], 'moved') });

function route(target: string, origin: string): Answer {
  switch (target) {
    case '/hello':
    case '/hello#frag':
      return { raw: sized('200 OK', ['Content-Type: text/plain', 'X-Test: yes'], 'hello') };
    case '/sub/hello':
      return { raw: sized('200 OK', ['Content-Type: text/plain'], 'relative target') };
    case '/missing':
      return { raw: sized('404 Not Found', ['Content-Type: text/plain'], 'not here') };
    case '/r301':
      return redirect('301 Moved Permanently', `${origin}/hello`);
    case '/r302':
      return redirect('302 Found', `${origin}/hello`);
    case '/r303':
      return redirect('303 See Other', `${origin}/hello`);
    case '/r307':
      return redirect('307 Temporary Redirect', `${origin}/hello`);
    case '/r308':
      return redirect('308 Permanent Redirect', `${origin}/hello`);
    case '/loop':
      return redirect('302 Found', `${origin}/loop`);
    case '/chain2':
      return redirect('302 Found', `${origin}/chain1`);
    case '/chain1':
      return redirect('302 Found', `${origin}/hello`);
    case '/sub/relative':
      return redirect('302 Found', 'hello');
    case '/lower-location':
      return redirect('302 Found', `${origin}/hello`, 'location');
    case '/location-no-space':
      return { raw: sized('302 Found', [`Location:${origin}/hello`], 'moved') };
    case '/content-location':
      return { raw: sized('302 Found', [`Location: ${origin}/hello`, 'Content-Location: /missing'], 'moved') };
    case '/mib':
      return { raw: sized('200 OK', ['Content-Type: application/octet-stream'], MIB) };
    case '/gzip':
      return { raw: sized('200 OK', ['Content-Encoding: gzip'], GZIPPED) };
    case '/chunked':
      return { raw: head('200 OK', ['Transfer-Encoding: chunked'], '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n') };
    case '/chunked-case':
      return { raw: head('200 OK', ['Transfer-Encoding: Chunked'], '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n') };
    case '/no-length':
      return { raw: head('200 OK', ['Connection: close'], 'read until the server closes'), close: true };
    case '/continue':
      return { raw: Buffer.concat([head('100 Continue', []), sized('200 OK', [], 'final')]) };
    case '/silent':
      return 'silent';
    case '/stream':
      return { stream: Buffer.alloc(64 * 1024, 1), total: 1 << 20 };
    default:
      return { raw: sized('400 Bad Request', [], `no route for ${target}`) };
  }
}

export interface Origin {
  port: number;
  url(path: string): string;
  /** Request lines received since the last reset(). */
  requests: string[];
  reset(): void;
  close(): Promise<void>;
}

export async function startOrigin(): Promise<Origin> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const lines = pending.subarray(0, end).toString('latin1').split('\r\n');
        const length = Number(/^content-length:\s*(\d+)/im.exec(lines.join('\n'))?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.subarray(end + 4 + length);
        requests.push(lines[0]!);
        const answer = route(lines[0]!.split(' ')[1] ?? '', `http://127.0.0.1:${o.port}`);
        if (answer === 'silent') continue;
        if ('stream' in answer) {
          socket.write(head('200 OK', [`Content-Length: ${answer.total}`], answer.stream));
          continue;
        }
        if (answer.close) socket.end(answer.raw);
        else socket.write(answer.raw);
      }
    });
  });
  const o: Origin = {
    port: await listen(server),
    url: (path) => `http://127.0.0.1:${o.port}${path}`,
    requests,
    reset: () => void (requests.length = 0),
    close: () => shut(server, sockets),
  };
  return o;
}
