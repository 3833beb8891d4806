// Response heads to strings and request heads to bytes: ASCII byte for byte, other bytes as UTF-8 (as Godot reads
// and writes heads), framing fields matched without regard to case, and what is validated only when it is used.
import { describe, expect, it } from 'vitest';
import { asciiEncode, concatBytes, latin1Decode, utf8Encode } from '../../engine-module/bytes/bytes.js';
import { Err, Method, Status, TICKHTTP_VERSION } from '../../engine-module/http/constants.js';
import { planResponse } from '../../engine-module/http/framing.js';
import { writeRequest } from '../../engine-module/http/request-writer.js';
import { answered } from './memory-client.js';

const bytes = (...parts: Array<string | number[]>) =>
  concatBytes(...parts.map((p) => (typeof p === 'string' ? asciiEncode(p) : Uint8Array.from(p))));

describe('response field values and reason phrases', () => {
  it('ASCII values come through unchanged, long ones included', () => {
    const long = 'v'.repeat(5000);
    const c = answered(asciiEncode(`HTTP/1.1 200 Fine Thanks\r\nX-A: a b\tc\r\nX-Long: ${long}\r\nContent-Length: 0\r\n\r\n`));
    expect(c.getResponseHeaders()).toEqual(['X-A: a b\tc', `X-Long: ${long}`, 'Content-Length: 0']);
    expect(c.getStatus()).toBe(Status.CONNECTED);
  });

  it('values with bytes above 0x7F are read as UTF-8; invalid sequences become U+FFFD (never an error)', () => {
    const c = answered(
      bytes('HTTP/1.1 200 OK\r\nX-Name: caf', [0xc3, 0xa9], '\r\nX-Raw: a', [0xff, 0xe9], 'b\r\nContent-Length: 0\r\n\r\n'),
    );
    expect(c.getResponseHeadersAsDictionary()).toEqual({ 'X-Name': 'café', 'X-Raw': 'a\ufffd\ufffdb', 'Content-Length': '0' });
    expect(c.getStatus()).toBe(Status.CONNECTED);
  });

  it('obs-fold continuations are joined with one space, each part decoded on its own', () => {
    const c = answered(bytes('HTTP/1.1 200 OK\r\nX-F: one\r\n  tw', [0xc3, 0xb6], '  \r\n\t\r\n three\r\nContent-Length: 0\r\n\r\n'));
    expect(c.getResponseHeadersAsDictionary()['X-F']).toBe('one twö three');
  });

  it('control characters in a value are still refused', () => {
    const c = answered(bytes('HTTP/1.1 200 OK\r\nX-C: a', [0x01], 'b\r\nContent-Length: 0\r\n\r\n'));
    expect(c.getStatus()).toBe(Status.CONNECTION_ERROR);
    expect(c.getLastError()).toBe('control character 0x1 in a field');
  });
});

describe('framing fields', () => {
  /** The plan for a GET (or `method`) answered with `fields` by an HTTP/1.`minor` server. */
  const plan = (fields: Array<[string, string]>, minor = 1, method = Method.GET) =>
    planResponse({ minorVersion: minor, status: 200, reason: '', headers: fields }, method, false);

  it('are matched whatever the case of names and list members', () => {
    expect(plan([['CONTENT-length', '7']])).toEqual({ framing: { kind: 'length', length: 7 }, keepAlive: true });
    expect(plan([['Transfer-Encoding', 'gzip, CHUNKED']])).toEqual({ framing: { kind: 'chunked' }, keepAlive: true });
    expect(plan([['transfer-encoding', 'chunked , gzip']]).framing).toEqual({ kind: 'until-close' });
    expect(plan([['Content-Length', '1'], ['CONNECTION', 'foo, Close']]).keepAlive).toBe(false);
    expect(plan([['Content-Length', '1'], ['Connection', 'Keep-Alive']], 0).keepAlive).toBe(true);
    expect(plan([['Content-Length', '1'], ['Connection', 'keep-alive-ish']], 0).keepAlive).toBe(false);
  });

  it('Content-Length is validated only when it frames the body', () => {
    expect(plan([['Content-Length', 'abc']], 1, Method.HEAD).framing).toEqual({ kind: 'none' });
    const both = plan([['Content-Length', 'abc'], ['Transfer-Encoding', 'chunked']]);
    expect(both).toEqual({ framing: { kind: 'chunked' }, keepAlive: false });
    expect(() => plan([['Content-Length', 'abc']])).toThrow('invalid Content-Length "abc"');
    expect(() => plan([['Content-Length', '5,']])).toThrow('invalid Content-Length ""');
    expect(plan([['Content-Length', ' 5 , 5'], ['content-length', '005']]).framing).toEqual({ kind: 'length', length: 5 });
    expect(() => plan([['Content-Length', '9007199254740992']])).toThrow('Content-Length past 2^53');
  });
});

describe('request heads', () => {
  const write = (headers: string[], body: Uint8Array = new Uint8Array(0), method = Method.POST) =>
    writeRequest({ method, url: '/p', headers, body, host: 'example.com' });

  it('head and body go out in one buffer, in the usual order', () => {
    const r = write(['X-A:  1  ', 'host: h.example'], asciiEncode('hi'));
    expect(typeof r).toBe('object');
    expect(latin1Decode((r as Extract<typeof r, { bytes: Uint8Array }>).bytes)).toBe(
      `POST /p HTTP/1.1\r\nHost: h.example\r\nX-A: 1\r\nUser-Agent: tickhttp/${TICKHTTP_VERSION}\r\nAccept: */*\r\n` +
        'Content-Length: 2\r\n\r\nhi',
    );
  });

  it('non-ASCII header values and targets are sent as UTF-8', () => {
    const r = write(['X-N: é'], new Uint8Array([1, 2]), Method.PUT);
    const sent = (r as Extract<typeof r, { bytes: Uint8Array }>).bytes;
    const expected = utf8Encode('X-N: é\r\n');
    expect(latin1Decode(sent)).toContain(latin1Decode(expected));
    expect(Array.from(sent.subarray(sent.length - 2))).toEqual([1, 2]);
  });

  it('Connection members must be tokens; "close" in any case marks the request', () => {
    const asks = (v: string) => {
      const r = write([`Connection: ${v}`], new Uint8Array(0), Method.GET);
      return 'err' in r ? r.err : r.asksClose;
    };
    expect(asks('keep-alive')).toBe(false);
    expect(asks('foo, CLOSE')).toBe(true);
    expect(asks('close,')).toBe(Err.ERR_INVALID_PARAMETER);
    expect(asks('clo se')).toBe(Err.ERR_INVALID_PARAMETER);
    expect(write(['Connection: close,'], new Uint8Array(0), Method.GET)).toEqual({
      err: Err.ERR_INVALID_PARAMETER,
      reason: 'Connection header "Connection: close," is not a list of tokens',
    });
  });
});
