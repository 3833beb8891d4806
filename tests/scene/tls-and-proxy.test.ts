// Godot 4's TLSOptions through HTTPClient.connectToHost(host, port, tlsOptions) and HTTPRequest.setTlsOptions, the
// Godot 3 sslValidateDomain argument, and HTTPRequest's proxies, against real servers on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Status } from '../../engine-module/http/constants.js';
import { TLSOptions } from '../../engine-module/http/tls-options.js';
import { Result } from '../../engine-module/request/result.js';
import { connectTls, makeHttpsPki, startHttpsServer, type HttpsPki, type HttpsTestServer } from '../https/fixtures.js';
import { forwardProxy } from '../http/forward-proxy.js';
import { Driver, httpServer, listen, shut } from '../http/loopback-server.js';
import { platform } from '../ecs/helpers.js';
import { closeIdleConnections } from '../../engine-module/scene/http-scene.js';
import { testScene, text } from './helpers.js';

let pki: HttpsPki;
let server: HttpsTestServer;

beforeAll(async () => {
  pki = makeHttpsPki();
  server = await startHttpsServer(pki.server, (req, res) => res.end(`secure ${req.url}`));
});

afterAll(async () => {
  await server?.close();
  pki?.pki.cleanup();
});

describe('TLSOptions with HTTPClient.connectToHost(host, port, tlsOptions)', () => {
  it('connects with TLS when given client options trusting the server', async () => {
    const d = new Driver(new HTTPClient({ platform }));
    expect(d.client.connectToHost('127.0.0.1', server.port, TLSOptions.client(pki.rootPem))).toBe(Err.OK);
    await d.stepper.until(() => ![Status.RESOLVING, Status.CONNECTING].includes(d.client.getStatus()));
    expect(d.client.getStatus()).toBe(Status.CONNECTED);
    expect((await d.exchange(0, '/four')).body.toString()).toBe('secure /four');
    d.client.close();
  });

  it('fails with STATUS_TLS_HANDSHAKE_ERROR against the wrong roots or name, and skips checks when unsafe', async () => {
    const wrongRoot = new Driver(new HTTPClient({ platform }));
    wrongRoot.client.connectToHost('127.0.0.1', server.port, TLSOptions.client(pki.otherRootPem));
    await wrongRoot.stepper.until(() => ![Status.RESOLVING, Status.CONNECTING].includes(wrongRoot.client.getStatus()));
    expect(wrongRoot.client.getStatus()).toBe(Status.TLS_HANDSHAKE_ERROR);
    expect(Status.TLS_HANDSHAKE_ERROR).toBe(Status.SSL_HANDSHAKE_ERROR);

    const wrongName = new Driver(new HTTPClient({ platform }));
    wrongName.client.connectToHost('127.0.0.1', server.port, TLSOptions.client(pki.rootPem, 'elsewhere.test'));
    await wrongName.stepper.until(() => ![Status.RESOLVING, Status.CONNECTING].includes(wrongName.client.getStatus()));
    expect(wrongName.client.getStatus()).toBe(Status.TLS_HANDSHAKE_ERROR);
    expect(wrongName.client.getTlsError()).toMatch(/elsewhere\.test/);

    const unsafe = new Driver(new HTTPClient({ platform }));
    const options = TLSOptions.clientUnsafe();
    expect(options.isUnsafeClient()).toBe(true);
    unsafe.client.connectToHost('127.0.0.1', server.port, options);
    await unsafe.stepper.until(() => ![Status.RESOLVING, Status.CONNECTING].includes(unsafe.client.getStatus()));
    expect(unsafe.client.getStatus()).toBe(Status.CONNECTED);
    unsafe.client.close();
  });

  it('keeps the Godot 3 form working beside it', async () => {
    const d = new Driver(new HTTPClient({ platform }));
    expect(await connectTls(d, '127.0.0.1', server.port, { tls: { trustedChain: pki.rootPem } })).toBe(Status.CONNECTED);
    d.client.close();
  });
});

describe('HTTPRequest over https', () => {
  it('verifies by default: an untrusted server is RESULT_TLS_HANDSHAKE_ERROR with the reason', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    http.request(server.url('/x'));
    await t.until(() => completed.length > 0);
    expect(completed[0][0]).toBe(Result.TLS_HANDSHAKE_ERROR);
    expect(http.getLastError()).not.toBe('');
  });

  it('trusts what setTlsOptions says, and sslValidateDomain = false turns checks off (Godot 3)', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    http.setTlsOptions(TLSOptions.client(pki.rootPem));
    http.request(server.url('/trusted'));
    await t.until(() => completed.length === 1);
    expect([completed[0][0], text(completed[0][3])]).toEqual([Result.SUCCESS, 'secure /trusted']);
    http.setTlsOptions(null);
    http.request(server.url('/unchecked'), [], false);
    await t.until(() => completed.length === 2);
    expect([completed[1][0], text(completed[1][3])]).toEqual([Result.SUCCESS, 'secure /unchecked']);
  });
});

describe('HTTPRequest proxies', () => {
  const proxy = forwardProxy();
  let proxyPort: number;
  const origin = httpServer((req, res) => res.end(`origin saw ${req.url}`));
  let originPort: number;

  beforeAll(async () => {
    proxyPort = await listen(proxy.server);
    originPort = await listen(origin);
  });
  afterAll(async () => {
    await shut(proxy.server);
    await shut(origin);
  });

  it('sends http:// through setHttpProxy and tunnels https:// through setHttpsProxy', async () => {
    const t = testScene();
    const { http, completed } = t.node();
    http.setHttpProxy('127.0.0.1', proxyPort);
    http.request(`http://127.0.0.1:${originPort}/plain`);
    await t.until(() => completed.length === 1);
    expect(text(completed[0][3])).toBe('origin saw /plain');
    expect(proxy.proxied).toContain(`GET http://127.0.0.1:${originPort}/plain HTTP/1.1`);
    http.setHttpsProxy('127.0.0.1', proxyPort);
    http.setTlsOptions(TLSOptions.client(pki.rootPem));
    http.request(server.url('/tunnelled'));
    await t.until(() => completed.length === 2);
    expect(text(completed[1][3])).toBe('secure /tunnelled');
    expect(proxy.proxied).toContain(`CONNECT 127.0.0.1:${server.port} HTTP/1.1`);
    http.setHttpProxy('', -1);
    const before = proxy.proxied.length;
    http.request(`http://127.0.0.1:${originPort}/direct`);
    await t.until(() => completed.length === 3);
    expect(text(completed[2][3])).toBe('origin saw /direct');
    expect(proxy.proxied.length).toBe(before);
    closeIdleConnections(t.scene);
  });
});
