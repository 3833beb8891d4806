// Hostile TLS peers over real loopback sockets: a proxy that misbehaves in front of Node's TLS server (reset inside
// a record, an injected alert, a close without close_notify), and servers with oversized certificate chains.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asciiEncode, concatBytes } from '../../engine-module/bytes/bytes.js';
import { Status } from '../../engine-module/http/constants.js';
import { verifyCertificateChain } from '../../engine-module/tls/x509/path.js';
import { pemToDer } from '../../engine-module/bytes/pem.js';
import { makeLoopbackPki, type LoopbackPki } from '../../fuzz/pki.js';
import { makeHugeLeaf, makeLongChain } from './hostile-pki.js';
import { misbehavingProxy, recordingTlsWrapper, TickedClient, tlsServer, type Listening, type ProxyMisdeed } from './hostile.js';

const BODY = 200_000;
const lengthResponse = concatBytes(asciiEncode(`HTTP/1.1 200 OK\r\nContent-Length: ${BODY}\r\n\r\n`), new Uint8Array(BODY).fill(0x62));
const untilCloseResponse = concatBytes(asciiEncode('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n'), new Uint8Array(BODY).fill(0x63));

let pki: LoopbackPki;
const open: Listening[] = [];
const clients: TickedClient[] = [];
beforeAll(() => {
  pki = makeLoopbackPki();
});
afterAll(() => pki?.cleanup());
afterEach(async () => {
  for (const c of clients.splice(0)) c.client.close();
  for (const l of open.splice(0)) await l.close();
});

async function started(l: Promise<Listening>): Promise<Listening> {
  const listening = await l;
  open.push(listening);
  return listening;
}

/** GET over TLS through a proxy committing `misdeed` 50 KB into the stream; returns the client once settled. */
async function throughProxy(misdeed: ProxyMisdeed, response = lengthResponse, endWithCloseNotify = true) {
  const origin = await started(tlsServer(pki, response, endWithCloseNotify));
  const proxy = await started(misbehavingProxy(origin.port, misdeed));
  const tls = recordingTlsWrapper();
  const c = new TickedClient({ tls: tls.wrap });
  clients.push(c);
  await c.get(proxy.port, { rootPem: pki.rootPem });
  expect(c.status, `handshake: ${tls.last()?.getTlsError()}`).not.toBe(Status.SSL_HANDSHAKE_ERROR);
  await c.settle();
  return { c, reason: tls.last()?.getTlsError() ?? null };
}

describe('hostile TLS peers', () => {
  it('control: the same response through an honest proxy arrives whole', async () => {
    const { c } = await throughProxy({ after: Infinity, act: 'fin' });
    expect(c.status).toBe(Status.CONNECTED);
    expect(c.body.length).toBe(BODY);
  });

  it('a reset in the middle of a TLS record during the body: CONNECTION_ERROR', async () => {
    const { c, reason } = await throughProxy({ after: 50_000, act: 'reset-mid-record' });
    expect(c.status).toBe(Status.CONNECTION_ERROR);
    expect(c.body.length).toBeLessThan(BODY);
    expect(reason).toMatch(/without close_notify|connection failed/);
  });

  it('a plaintext fatal alert injected after the handshake: CONNECTION_ERROR', async () => {
    const alert = Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28);
    const { c, reason } = await throughProxy({ after: 50_000, act: 'inject', record: alert });
    expect(c.status).toBe(Status.CONNECTION_ERROR);
    expect(c.body.length).toBeLessThan(BODY);
    expect(reason).toBeTruthy();
  });

  it('a forged encrypted record (a close_notify nobody can have sealed) injected mid-body: CONNECTION_ERROR', async () => {
    const forged = concatBytes(Uint8Array.of(0x17, 0x03, 0x03, 0x00, 0x13), new Uint8Array(0x13).fill(0));
    const { c, reason } = await throughProxy({ after: 50_000, act: 'inject', record: forged });
    expect(c.status).toBe(Status.CONNECTION_ERROR);
    expect(reason).toMatch(/bad AEAD tag/);
  });

  it('a TCP close without close_notify in the middle of a Content-Length body: CONNECTION_ERROR', async () => {
    const { c, reason } = await throughProxy({ after: 50_000, act: 'fin' });
    expect(c.status).toBe(Status.CONNECTION_ERROR);
    expect(c.body.length).toBeLessThan(BODY);
    expect(reason).toMatch(/without close_notify/);
  });

  it('a TCP close without close_notify in the middle of an until-close body: CONNECTION_ERROR, not a short success', async () => {
    const { c, reason } = await throughProxy({ after: 50_000, act: 'fin' }, untilCloseResponse);
    expect(c.status).toBe(Status.CONNECTION_ERROR);
    expect(c.body.length).toBeLessThan(BODY);
    expect(reason).toMatch(/without close_notify/);
  });

  it('control: an until-close body ended by close_notify is a success: DISCONNECTED', async () => {
    const { c } = await throughProxy({ after: Infinity, act: 'fin' }, untilCloseResponse);
    expect(c.status).toBe(Status.DISCONNECTED);
    expect(c.body.length).toBe(BODY);
  });
});

describe('oversized certificates', () => {
  it('a chain of 50 certificates: SSL_HANDSHAKE_ERROR (chain length limit)', async () => {
    const identity = makeLongChain(50);
    try {
      const server = await started(tlsServer(identity, lengthResponse));
      const tls = recordingTlsWrapper();
      const c = new TickedClient({ tls: tls.wrap });
      clients.push(c);
      await c.get(server.port, { rootPem: identity.rootPem });
      expect(c.status).toBe(Status.SSL_HANDSHAKE_ERROR);
      expect(c.client.getTlsError()).toMatch(/chain too long/);
      // The same chain through the verifier alone, with the limit raised, is a valid path: the limit is the reason.
      const chain = pemToDer(identity.chain);
      expect(chain.length).toBe(50);
      const roots = pemToDer(identity.rootPem);
      expect(verifyCertificateChain(chain, { hostname: 'localhost', roots, now: new Date(), maxChainLength: 51 })).toEqual({ ok: true });
    } finally {
      identity.cleanup();
    }
  });

  it('a 1 MiB certificate: SSL_HANDSHAKE_ERROR (handshake message limit); the verifier alone refuses it too', async () => {
    const identity = makeHugeLeaf(1 << 20);
    try {
      const server = await started(tlsServer(identity, lengthResponse));
      const c = new TickedClient({ tls: recordingTlsWrapper().wrap });
      clients.push(c);
      await c.get(server.port, { rootPem: identity.rootPem });
      expect(c.status).toBe(Status.SSL_HANDSHAKE_ERROR);
      expect(c.client.getLastFailure()).toMatchObject({ code: 'tls-handshake', tls: { code: 'message-too-large', detail: expect.stringMatching(/the limit is 262144$/) } });
      const der = pemToDer(identity.chain)[0];
      expect(der.length).toBeGreaterThan(1 << 20);
      const result = verifyCertificateChain([der], { hostname: 'localhost', roots: pemToDer(identity.rootPem), now: new Date() });
      expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/certificate too large/), failure: { code: 'too-large' } });
    } finally {
      identity.cleanup();
    }
  });
});
