// Every Err a call returns comes with a reason in getLastError(); names and headers read the way scripts expect.
import { describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import { memoryPlatform } from './fake-platform.js';
import { answered } from './memory-client.js';

function refused(call: (c: HTTPClient) => Err): [string, string | null] {
  const c = new HTTPClient({ platform: memoryPlatform().platform });
  return [Err[call(c)], c.getLastError()];
}

describe('refusals with a reason', () => {
  it('connectToHost: a URL with a path, port 0, a file path where PEM is expected', () => {
    expect(refused((c) => c.connectToHost('https://example.com/path'))).toEqual([
      'ERR_INVALID_PARAMETER',
      'host "https://example.com/path" holds a path, query or user info: give the host name only (the path goes to request())',
    ]);
    expect(refused((c) => c.connectToHost('example.com', 0))).toEqual(['ERR_INVALID_PARAMETER', 'port 0 is not 1..65535 (or -1 for 80)']);
    expect(refused((c) => c.connectToHost('example.com:8080'))).toEqual([
      'ERR_INVALID_PARAMETER',
      'host "example.com:8080" holds a colon: give the port as the second argument',
    ]);
    expect(refused((c) => c.connectToHost('example.com', 443, true, true, { trustedChain: '/etc/ssl/certs/ca.pem' }))).toEqual([
      'ERR_INVALID_PARAMETER',
      'trustedChain holds no PEM certificate (it takes the PEM text itself, not a file path)',
    ]);
  });

  it('request() before the client is connected, and while a response is pending', () => {
    expect(refused((c) => c.request(Method.GET, '/', []))).toEqual([
      'ERR_INVALID_PARAMETER',
      'request() needs a connected client; the status is STATUS_DISCONNECTED: connectToHost() and poll() until CONNECTED first',
    ]);
    const c = answered('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n');
    expect([Err[c.request(Method.GET, '/', [])], c.getLastError()]).toEqual([
      'ERR_BUSY',
      'a response is still pending: read it to the end (or close()) before the next request',
    ]);
  });

  it('a request breaking the wire rules says which rule, and an accepted call clears the reason', () => {
    const c = answered('HTTP/1.1 204 No Content\r\n\r\n');
    expect(c.getStatus()).toBe(Status.CONNECTED);
    expect([Err[c.request(Method.POST, '/', ['Transfer-Encoding: chunked'], 'x')], c.getLastError()]).toEqual([
      'ERR_INVALID_PARAMETER',
      'header Transfer-Encoding is not allowed: the client frames the body itself and never switches protocols',
    ]);
    expect(c.request(Method.POST, '/', ['Content-Length: 9'], 'hello')).toBe(Err.ERR_INVALID_PARAMETER);
    expect(c.getLastError()).toBe('Content-Length "9" is not the body\'s length (5 bytes)');
    expect(c.request(Method.GET, '/x y', [])).toBe(Err.ERR_INVALID_PARAMETER);
    expect(c.getLastError()).toBe('space or control character in the request target "/x y"');
    expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
    expect(c.getLastError()).toBeNull();
  });
});

describe('names', () => {
  it("Status[9] prints Godot 3's name, both names stay members", () => {
    expect(Status[9]).toBe('SSL_HANDSHAKE_ERROR');
    expect([Status.SSL_HANDSHAKE_ERROR, Status.TLS_HANDSHAKE_ERROR, HTTPClient.STATUS_SSL_HANDSHAKE_ERROR]).toEqual([9, 9, 9]);
  });

  it('getResponseHeader finds a header by name in any case, repeated fields joined', () => {
    const c = answered('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 0\r\n\r\n');
    expect(c.getResponseHeader('content-type')).toBe('text/plain');
    expect(c.getResponseHeader('CONTENT-TYPE')).toBe('text/plain');
    expect(c.getResponseHeader('X-A')).toBe('1, 2');
    expect(c.getResponseHeader('missing')).toBeNull();
    expect(new HTTPClient().getResponseHeader('content-type')).toBeNull();
  });
});
