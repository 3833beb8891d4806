// An HTTPClient over an in-memory pipe, for tests that need exact response bytes.
import { expect } from 'vitest';
import { asciiEncode } from '../../engine-module/bytes/bytes.js';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method } from '../../engine-module/http/constants.js';
import { createMemoryPipe } from '../../engine-module/net/memory-pipe.js';
import { PeerStatus, type StreamPeer } from '../../engine-module/net/stream-peer.js';

/** The client after a GET answered by `head` (text as ASCII, or raw bytes); the request bytes are drained unread. */
export function answered(head: string | Uint8Array): HTTPClient {
  const c = new HTTPClient();
  const [end, server] = createMemoryPipe();
  c.setConnection(end);
  expect(c.request(Method.GET, '/', [])).toBe(Err.OK);
  c.poll();
  server.getPartialData(server.getAvailableBytes());
  server.putPartialData(typeof head === 'string' ? asciiEncode(head) : head);
  c.poll();
  return c;
}

/** A connected peer whose every read throws `message`: a transport bug the client must contain. */
export function throwingPeer(message: string): StreamPeer {
  return {
    getStatus: () => PeerStatus.CONNECTED,
    getAvailableBytes: () => 0,
    getPartialData: () => {
      throw new Error(message);
    },
    putPartialData: (d) => d.length,
    disconnectFromHost: () => {},
  };
}
