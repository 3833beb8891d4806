// The status machine is data: every move an exchange makes must be in the table, and every failure lands in the
// failure status Godot documents for it.
import { describe, expect, it } from 'vitest';
import { Err, Status } from '../../engine-module/http/constants.js';
import type { ConnectionFailure } from '../../engine-module/http/failures.js';
import { failureEvent, nextStatus, pollResult } from '../../engine-module/http/states.js';

describe('status table', () => {
  it('walks a request on a kept-alive connection', () => {
    let s: Status = Status.DISCONNECTED;
    const seen: Status[] = [s];
    for (const e of ['dial', 'resolved', 'connected', 'send', 'head', 'complete', 'send', 'complete', 'closed'] as const) {
      seen.push((s = nextStatus(s, e)));
    }
    expect(seen.map((x) => Status[x])).toEqual([
      'DISCONNECTED', 'RESOLVING', 'CONNECTING', 'CONNECTED', 'REQUESTING', 'BODY', 'CONNECTED', 'REQUESTING', 'CONNECTED', 'DISCONNECTED',
    ]);
  });

  it('refuses moves it does not list', () => {
    expect(() => nextStatus(Status.CONNECTED, 'head')).toThrow('no status transition from CONNECTED on head');
    expect(() => nextStatus(Status.CANT_CONNECT, 'send')).toThrow(/from CANT_CONNECT/);
    expect(() => nextStatus(Status.RESOLVING, 'tls-failed')).toThrow();
  });

  it('ends each kind of failure in its Godot status, and poll() reports the matching Err', () => {
    const cases: Array<[Status, ConnectionFailure]> = [
      [Status.RESOLVING, { code: 'cant-resolve', host: 'a.test' }],
      [Status.CONNECTING, { code: 'cant-connect', host: 'a.test', port: 80 }],
      [Status.CONNECTING, { code: 'tunnel-failed', authority: 'a.test:443', detail: 'closed' }],
      [Status.CONNECTING, { code: 'tls-handshake', detail: 'bad certificate' }],
      [Status.BODY, { code: 'transport-ended', how: 'reset', stage: 'body' }],
      [Status.REQUESTING, { code: 'out-of-step' }],
      [Status.BODY, { code: 'protocol', detail: 'bad chunk size' }],
      [Status.REQUESTING, { code: 'runtime-http', stage: 'before-head', detail: 'fetch failed' }],
      [Status.BODY, { code: 'runtime-http', stage: 'body', detail: 'fetch failed during the body' }],
    ];
    const ends = cases.map(([from, failure]) => {
      const to = nextStatus(from, failureEvent(failure));
      return [failure.code, Status[to], Err[pollResult(to)]];
    });
    expect(ends).toEqual([
      ['cant-resolve', 'CANT_RESOLVE', 'ERR_CANT_RESOLVE'],
      ['cant-connect', 'CANT_CONNECT', 'ERR_CANT_CONNECT'],
      ['tunnel-failed', 'CANT_CONNECT', 'ERR_CANT_CONNECT'],
      ['tls-handshake', Status[Status.SSL_HANDSHAKE_ERROR], 'ERR_CANT_CONNECT'],
      ['transport-ended', 'CONNECTION_ERROR', 'ERR_CONNECTION_ERROR'],
      ['out-of-step', 'CONNECTION_ERROR', 'ERR_CONNECTION_ERROR'],
      ['protocol', 'CONNECTION_ERROR', 'ERR_CONNECTION_ERROR'],
      ['runtime-http', 'CANT_CONNECT', 'ERR_CANT_CONNECT'],
      ['runtime-http', 'CONNECTION_ERROR', 'ERR_CONNECTION_ERROR'],
    ]);
  });
});
