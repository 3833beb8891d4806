// maxHeadBytes counts every byte a head takes (CR and LF included), is shared by the interim (1xx) heads of one
// exchange and its final head, and also bounds a chunked body's trailer section. Exact bytes over memory pipes.
import { describe, expect, it } from 'vitest';
import { asciiEncode, latin1Decode } from '../../engine-module/bytes/bytes.js';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { createMemoryPipe } from '../../engine-module/net/memory-pipe.js';

/** Send a GET, answer it with `response` (then close), and read to the end. */
function answer(response: string, maxHeadBytes: number, cuts: number[] = []): { status: Status; code: number; body: string; reason: string | null } {
  const c = new HTTPClient({ maxHeadBytes });
  const [end, server] = createMemoryPipe();
  c.setConnection(end);
  expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
  c.poll();
  server.queueSplits(asciiEncode(response), cuts);
  let body = '';
  for (let polls = 0; polls < 10_000; polls++) {
    if (!server.deliverNext()) server.disconnectFromHost();
    c.poll();
    while (c.getStatus() === Status.BODY) {
      const piece = c.readResponseBodyChunk();
      if (piece.length === 0) break;
      body += latin1Decode(piece);
    }
    if (c.getStatus() !== Status.REQUESTING && c.getStatus() !== Status.BODY) break;
  }
  return { status: c.getStatus(), code: c.getResponseCode(), body, reason: c.getLastError() };
}

/** A head of `lines` field lines padded to exactly `size` bytes, with `eol` line ends. */
function headOf(size: number, lines: number, eol = '\r\n'): string {
  let head = `HTTP/1.1 200 OK${eol}Content-Length: 0${eol}`;
  for (let i = 0; i < lines; i++) head += `X-${i}: v${eol}`;
  const pad = size - head.length - `X-Pad: ${eol}${eol}`.length;
  return `${head}X-Pad: ${'p'.repeat(pad)}${eol}${eol}`;
}

describe('head size counts every byte of its line ends', () => {
  for (const eol of ['\r\n', '\n']) {
    it(`${JSON.stringify(eol)} line ends: a head of exactly maxHeadBytes passes, one byte more is refused`, () => {
      const head = headOf(2000, 100, eol);
      expect(head.length).toBe(2000);
      expect(answer(head, 2000).status).toBe(Status.CONNECTED);
      const over = answer(head, 1999);
      expect(over.status).toBe(Status.CONNECTION_ERROR);
      expect(over.reason).toBe('response head larger than 1999 bytes');
    });
  }

  it('the same one byte at a time', () => {
    const head = headOf(600, 30);
    const bytewise = Array.from({ length: head.length }, (_, i) => i + 1);
    expect(answer(head, 600, bytewise).status).toBe(Status.CONNECTED);
    expect(answer(head, 599, bytewise).status).toBe(Status.CONNECTION_ERROR);
  });

  it('a trailer section is bounded the same way', () => {
    const chunked = (trailers: string) => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n${trailers}\r\n`;
    const trailers = Array.from({ length: 50 }, (_, i) => `T-${String(i).padStart(3, '0')}: v\r\n`).join(''); // 50 x 10 bytes
    expect(answer(chunked(trailers), 502)).toMatchObject({ status: Status.CONNECTED, body: 'abc' });
    expect(answer(chunked(trailers), 501).status).toBe(Status.CONNECTION_ERROR);
  });
});

describe('interim (1xx) heads share the head limit with the final head', () => {
  const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n'; // 25 bytes
  const FINAL = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'; // head of 38 bytes

  it('interim heads and the final head within the limit together: the final response', () => {
    expect(answer(CONTINUE.repeat(4) + FINAL, 4 * 25 + 38)).toMatchObject({ status: Status.CONNECTED, code: 200, body: 'ok' });
  });

  it('one byte over together: CONNECTION_ERROR naming the shared limit', () => {
    const r = answer(CONTINUE.repeat(4) + FINAL, 4 * 25 + 37);
    expect([r.status, r.code]).toEqual([Status.CONNECTION_ERROR, 0]);
    expect(r.reason).toBe('interim and final response heads together larger than 137 bytes');
  });

  it('an endless stream of 100 Continue ends at the default limit', () => {
    const r = answer(CONTINUE.repeat(3000), 65536);
    expect(r.status).toBe(Status.CONNECTION_ERROR);
    expect(r.reason).toMatch(/larger than 65536 bytes/);
  });

  it('each exchange starts with the whole limit again', () => {
    const c = new HTTPClient({ maxHeadBytes: 200 });
    const [end, server] = createMemoryPipe();
    c.setConnection(end);
    for (let i = 0; i < 3; i++) {
      expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
      c.poll();
      server.putPartialData(asciiEncode(CONTINUE.repeat(6) + FINAL));
      c.poll();
      expect(latin1Decode(c.readResponseBodyChunk())).toBe('ok');
      expect(c.getStatus()).toBe(Status.CONNECTED);
    }
  });
});
