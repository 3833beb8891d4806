// Chunked framing held to RFC 9112 §7.1 where leniency lets a response smuggle another: a chunk extension without
// a name ("3;") and chunk data ended by a bare LF are refused with a reason; well-formed extensions still pass.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Method, Status } from '../../engine-module/http/constants.js';
import '../../engine-module/node.js';
import { Driver, listen, scriptedServer, shut } from './loopback-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A loopback server answering the first request with `body` after a chunked head. */
async function chunkedServer(body: string) {
  const s = scriptedServer((socket: Socket) => {
    let seen = '';
    socket.on('data', (d) => {
      seen += d.toString('latin1');
      if (seen.includes('\r\n\r\n')) socket.end(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${body}`, 'latin1');
    });
  });
  const port = await listen(s.server);
  cleanups.push(() => shut(s.server, s.sockets));
  return port;
}

async function fetchBody(body: string) {
  const d = new Driver();
  expect(await d.connect('127.0.0.1', await chunkedServer(body))).toBe(Status.CONNECTED);
  const x = await d.exchange(Method.GET, '/');
  return { ...x, error: d.client.getLastError() };
}

describe('chunked framing strictness', () => {
  it.each([
    ['a chunk extension without a name', '3;\r\nabc\r\n0\r\n\r\n', 'chunk extension without a name'],
    ['a name-less extension after a named one', '3;a=1; \r\nabc\r\n0\r\n\r\n', 'chunk extension without a name'],
    ['chunk data followed by a bare LF', '3\r\nabc\n0\r\n\r\n', 'chunk data not followed by CRLF'],
    ['chunk data followed by CR and no LF', '3\r\nabc\rX0\r\n\r\n', 'chunk data not followed by CRLF'],
    ['chunk data followed by another byte', '3\r\nabcd\r\n0\r\n\r\n', 'chunk data not followed by CRLF'],
  ])('refuses %s: STATUS_CONNECTION_ERROR with the reason', async (_what, body, reason) => {
    const x = await fetchBody(body);
    expect(x.status).toBe(Status.CONNECTION_ERROR);
    expect(x.error).toContain(reason);
  });

  it('accepts named extensions, with token or quoted values (a quoted ";" included)', async () => {
    const x = await fetchBody('3;a=1 ; b ;c="x;\\"y"\r\nabc\r\n2;ext\r\nde\r\n0\r\n\r\n');
    expect(x.body.toString('latin1')).toBe('abcde');
    expect(x.error).toBeNull();
  });
});
