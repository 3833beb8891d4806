// Node's https server closes an idle kept-alive connection at keepAliveTimeout with a plain TCP close, no
// close_notify. With no response outstanding nothing can have been cut short: HTTPClient ends DISCONNECTED, not
// CONNECTION_ERROR (StreamPeerTLS.closedWithoutCloseNotify() tells that close apart from every other TLS failure).
// The same close in the middle of a body is still a CONNECTION_ERROR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Method, Status } from '../../engine-module/http/constants.js';
import { startTls } from '../../engine-module/http/tls-layer.js';
import type { StreamPeerTLS } from '../../engine-module/tls/stream-peer-tls.js';
import { Driver } from '../http/loopback-server.js';
import { connectTls, makeHttpsPki, providerPlatforms, startHttpsServer, type HttpsPki, type HttpsTestServer } from './fixtures.js';

const BODY = Buffer.alloc(100_000, 0x61);

let pki: HttpsPki;
let server: HttpsTestServer;

beforeAll(async () => {
  pki = makeHttpsPki();
  server = await startHttpsServer(pki.server, (req, res) => {
    if (req.url === '/cut') {
      // Half the promised body, then the socket is destroyed: a TCP close with no close_notify.
      res.writeHead(200, { 'Content-Length': BODY.length });
      res.write(BODY.subarray(0, BODY.length / 2), () => res.socket?.destroy());
      return;
    }
    res.end('ok');
  });
  server.server.keepAliveTimeout = 100;
});

afterAll(async () => {
  await server?.close();
  pki?.pki.cleanup();
});

describe.each(providerPlatforms())('a TLS close without close_notify, $name provider', ({ platform }) => {
  /** A client over the default TLS layer, keeping the last TLS peer so a test can ask it how it ended. */
  async function connected() {
    let tls: StreamPeerTLS | null = null;
    const d = new Driver(new HTTPClient({ platform, tls: (inner, params) => (tls = startTls(inner, params) as StreamPeerTLS) }));
    expect(await connectTls(d, '127.0.0.1', server.port, { tls: { trustedChain: pki.rootPem } })).toBe(Status.CONNECTED);
    return { d, tls: () => tls! };
  }

  it('closing an idle kept-alive connection at keepAliveTimeout: DISCONNECTED', async () => {
    const { d, tls } = await connected();
    const x = await d.exchange(Method.GET, '/');
    expect([x.code, x.status, x.body.toString()]).toEqual([200, Status.CONNECTED, 'ok']);
    // Frame-step the idle connection until the server's keep-alive timer closes it.
    await d.stepper.until(() => d.client.getStatus() !== Status.CONNECTED, 10_000_000);
    expect(d.client.getStatus()).toBe(Status.DISCONNECTED);
    expect(d.client.getLastError()).toBeNull();
    expect(tls().closedWithoutCloseNotify()).toBe(true);
    expect(tls().getTlsError()).toMatch(/connection closed without close_notify/);
  });

  it('the same close in the middle of a Content-Length body: CONNECTION_ERROR with the bytes that came', async () => {
    const { d, tls } = await connected();
    const x = await d.exchange(Method.GET, '/cut');
    expect([x.code, x.status, x.body.length]).toEqual([200, Status.CONNECTION_ERROR, BODY.length / 2]);
    expect(d.client.getLastError()).toMatch(/without close_notify/);
    // The TLS layer saw an orderly close without close_notify; HTTP framing is what makes it an error.
    expect(tls().closedWithoutCloseNotify()).toBe(true);
  });
});
