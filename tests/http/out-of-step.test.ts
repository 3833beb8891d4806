// Bytes that no request of ours asked for (RFC 9112 §9.3): left over after a complete keep-alive response, or there
// before the request went out. They close the connection and are never read as a response. Memory pipes fix exactly
// which bytes are there at each poll.
import { describe, expect, it } from 'vitest';
import { asciiEncode, latin1Decode } from '../../engine-module/bytes/bytes.js';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { createMemoryPipe } from '../../engine-module/net/memory-pipe.js';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
const EVIL = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nevil!';

function connected() {
  const c = new HTTPClient();
  const [end, server] = createMemoryPipe();
  c.setConnection(end);
  const received = () => latin1Decode(server.getPartialData(server.getAvailableBytes()));
  const send = (text: string) => server.putPartialData(asciiEncode(text));
  return { c, server, received, send };
}

/** Request, let it go out, answer with `reply`, and read the body. */
function exchange(x: ReturnType<typeof connected>, reply: string): string {
  expect(x.c.request(Method.GET, '/', [])).toBe(Err.OK);
  x.c.poll();
  expect(x.received()).toMatch(/^GET \/ HTTP\/1\.1\r\n/);
  x.send(reply);
  x.c.poll();
  let body = '';
  while (x.c.getStatus() === Status.BODY) body += latin1Decode(x.c.readResponseBodyChunk());
  return body;
}

describe('bytes past a complete keep-alive response', () => {
  it('that came with the response: the response is returned, then DISCONNECTED; the next request is refused', () => {
    const x = connected();
    expect(exchange(x, OK + EVIL)).toBe('ok');
    expect([x.c.getResponseCode(), x.c.getStatus(), x.c.getLastError()]).toEqual([200, Status.DISCONNECTED, null]);
    expect(x.c.request(Method.GET, '/', [])).toBe(Err.ERR_INVALID_PARAMETER);
  });

  it('already in the transport when the response ends (not yet pulled): the same', () => {
    const x = connected();
    expect(x.c.request(Method.HEAD, '/', [])).toBe(Err.OK);
    x.c.poll();
    x.send('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n');
    x.send(EVIL);
    x.c.poll();
    expect([x.c.getResponseCode(), x.c.getStatus()]).toEqual([200, Status.DISCONNECTED]);
  });

  it('blank lines after a response are allowed: the connection is kept and carries the next exchange', () => {
    const x = connected();
    expect(exchange(x, `${OK}\r\n\r\n`)).toBe('ok');
    expect(x.c.getStatus()).toBe(Status.CONNECTED);
    expect(exchange(x, OK)).toBe('ok');
    expect(x.c.getStatus()).toBe(Status.CONNECTED);
  });

  it('arriving after the response but before the next request went out: CONNECTION_ERROR, nothing sent', () => {
    const x = connected();
    expect(exchange(x, OK)).toBe('ok');
    expect(x.c.getStatus()).toBe(Status.CONNECTED);
    x.send(EVIL);
    expect(x.c.request(Method.GET, '/second', [])).toBe(Err.OK);
    expect(x.c.poll()).toBe(Err.ERR_CONNECTION_ERROR);
    expect(x.c.getStatus()).toBe(Status.CONNECTION_ERROR);
    expect(x.c.hasResponse()).toBe(false);
    expect(x.c.getLastError()).toBe('response bytes arrived before the request was sent: the connection is out of step');
    expect(x.received()).toBe('');
  });
});

describe('a response to a request never sent', () => {
  it('there when the request is made: CONNECTION_ERROR at the first poll, the request is not sent', () => {
    const x = connected();
    x.send(OK);
    expect(x.c.request(Method.GET, '/', [])).toBe(Err.OK);
    expect(x.c.poll()).toBe(Err.ERR_CONNECTION_ERROR);
    expect([x.c.getStatus(), x.c.hasResponse()]).toEqual([Status.CONNECTION_ERROR, false]);
    expect(x.c.getLastError()).toMatch(/before the request was sent/);
    expect(x.received()).toBe('');
  });

  it('arriving between request() and the first poll: the same', () => {
    const x = connected();
    expect(x.c.request(Method.GET, '/', [])).toBe(Err.OK);
    x.send(OK);
    expect(x.c.poll()).toBe(Err.ERR_CONNECTION_ERROR);
    expect(x.received()).toBe('');
  });

  it('noticed by an idle poll: DISCONNECTED (no request was hit)', () => {
    const x = connected();
    x.send(OK);
    expect(x.c.poll()).toBe(Err.OK);
    expect([x.c.getStatus(), x.c.getLastError()]).toEqual([Status.DISCONNECTED, null]);
  });

  it('blank lines before the request are skipped: the exchange goes on', () => {
    const x = connected();
    x.send('\r\n\n\r\n');
    expect(exchange(x, OK)).toBe('ok');
    expect(x.c.getStatus()).toBe(Status.CONNECTED);
  });

  it('once the first request byte went out, an answer is the response (even if the request is not all sent yet)', () => {
    const c = new HTTPClient();
    const [end, server] = createMemoryPipe({ capacity: 10 });
    c.setConnection(end);
    expect(c.request(Method.POST, '/', [], 'x'.repeat(100))).toBe(Err.OK);
    c.poll();
    expect(server.getPartialData(100).length).toBe(10);
    server.queueSplits(asciiEncode('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n'));
    server.deliverNext(); // past the pipe's capacity
    c.poll();
    // The rest of the request was dropped, so the connection cannot carry another one.
    expect([c.getResponseCode(), c.getStatus()]).toEqual([413, Status.DISCONNECTED]);
  });
});
