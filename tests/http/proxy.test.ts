// HTTP proxies: absolute-form requests through an HTTP proxy, and a CONNECT tunnel through an HTTPS proxy (with a
// pass-through TLS layer, so plain HTTP travels the tunnel the way TLS will). The proxy is a small one on loopback.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import '../../engine-module/node.js';
import { passThroughTls } from './fake-platform.js';
import { forwardProxy } from './forward-proxy.js';
import { Driver, httpServer, listen, shut } from './loopback-server.js';

describe('proxies', () => {
  let origin: Server;
  let originPort: number;
  const proxy = forwardProxy();
  const { proxied } = proxy;
  let proxyPort: number;

  beforeAll(async () => {
    origin = httpServer((req, res) => res.end(`origin saw ${req.method} ${req.url} host=${req.headers.host}`));
    originPort = await listen(origin);
    proxyPort = await listen(proxy.server);
  });
  afterAll(async () => {
    await shut(origin);
    await shut(proxy.server, proxy.sockets);
  });

  it('HTTP proxy: absolute-form target, Host of the origin, keep-alive through the proxy', async () => {
    const d = new Driver();
    d.client.setHttpProxy('127.0.0.1', proxyPort);
    expect(await d.connect('127.0.0.1', originPort)).toBe(Status.CONNECTED);
    const x = await d.exchange(Method.GET, '/via?x=1');
    expect(x.body.toString()).toBe(`origin saw GET /via?x=1 host=127.0.0.1:${originPort}`);
    expect(proxied).toContain(`GET http://127.0.0.1:${originPort}/via?x=1 HTTP/1.1`);
    d.client.close();
  });

  it('HTTPS proxy: CONNECT tunnel, then the request travels inside it', async () => {
    const d = new Driver(new HTTPClient({ tls: passThroughTls }));
    d.client.setHttpsProxy('127.0.0.1', proxyPort);
    expect(d.client.connectToHost('127.0.0.1', originPort, true)).toBe(Err.OK);
    await d.stepper.until(() => d.client.getStatus() !== Status.RESOLVING && d.client.getStatus() !== Status.CONNECTING);
    expect(d.client.getStatus()).toBe(Status.CONNECTED);
    expect(proxied).toContain(`CONNECT 127.0.0.1:${originPort} HTTP/1.1`);
    const a = await d.exchange(Method.GET, '/tunnelled');
    const b = await d.exchange(Method.GET, '/again');
    expect([a.body.toString(), b.body.toString()]).toEqual([
      `origin saw GET /tunnelled host=127.0.0.1:${originPort}`,
      `origin saw GET /again host=127.0.0.1:${originPort}`,
    ]);
    d.client.close();
  });

  it('HTTPS proxy refusing CONNECT ends in CANT_CONNECT', async () => {
    const d = new Driver(new HTTPClient({ tls: passThroughTls }));
    d.client.setHttpsProxy('127.0.0.1', proxyPort);
    expect(d.client.connectToHost('127.0.0.1', 1, true)).toBe(Err.OK);
    await d.stepper.until(() => d.client.getStatus() !== Status.RESOLVING && d.client.getStatus() !== Status.CONNECTING);
    expect(d.client.getStatus()).toBe(Status.CANT_CONNECT);
  });

  it('unsetting a proxy (empty host or port -1) connects directly', async () => {
    const d = new Driver();
    d.client.setHttpProxy('127.0.0.1', proxyPort);
    d.client.setHttpProxy('', -1);
    const before = proxied.length;
    await d.connect('127.0.0.1', originPort);
    expect((await d.exchange(Method.GET, '/direct')).body.toString()).toContain('GET /direct');
    expect(proxied.length).toBe(before);
    d.client.close();
  });
});
