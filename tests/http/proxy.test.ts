// HTTP proxies: absolute-form requests through an HTTP proxy, and a CONNECT tunnel through an HTTPS proxy (with a
// pass-through TLS layer, so plain HTTP travels the tunnel the way TLS will). The proxy is a small one on loopback.
import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method, Status } from '../../engine-module/http/constants.js';
import '../../engine-module/node.js';
import { passThroughTls } from './fake-platform.js';
import { Driver, httpServer, listen, scriptedServer, shut } from './loopback-server.js';

/** Request lines the proxy received. */
const proxied: string[] = [];

/** A minimal forward proxy: CONNECT opens a tunnel (403 for port 1), absolute-form is forwarded in origin-form. */
function proxyScript(client: Socket): void {
  let head = Buffer.alloc(0);
  const onData = (d: Buffer) => {
    head = Buffer.concat([head, d]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    client.off('data', onData);
    const text = head.subarray(0, end).toString('latin1');
    const rest = head.subarray(end + 4);
    const [line, ...fields] = text.split('\r\n');
    proxied.push(line);
    const [method, target] = line.split(' ');
    if (method === 'CONNECT') {
      const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
      if (port === 1) return void client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      const upstream = connect(port, host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      upstream.on('error', () => client.destroy());
      return;
    }
    const url = new URL(target);
    const upstream = connect(Number(url.port), url.hostname, () => {
      upstream.write(`${method} ${url.pathname}${url.search} HTTP/1.1\r\n${fields.join('\r\n')}\r\n\r\n`);
      upstream.write(rest);
      client.pipe(upstream).pipe(client);
    });
    upstream.on('error', () => client.destroy());
  };
  client.on('data', onData);
}

describe('proxies', () => {
  let origin: Server;
  let originPort: number;
  const proxy = scriptedServer(proxyScript);
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
