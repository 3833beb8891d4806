// Every way a connection must fail, each ending in ERROR with a reason a person can read.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerStatus } from '../../engine-module/net/stream-peer.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import type { TlsClientOptions } from '../../engine-module/tls/stream-peer-tls.js';
import { makeTestPki, serverCertArgs, type TestPki } from './helpers/certs.js';
import { connectTls, text } from './helpers/drive.js';
import { startOpenssl } from './helpers/openssl-server.js';
import { startProxy, type RecordAction } from './helpers/proxy.js';

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki(['p256']);
});
afterAll(() => pki?.cleanup());

/** Connect (optionally through a record-altering proxy), send a GET, and return status and reason at the end. */
async function outcome(serverArgs: string[], options: Partial<TlsClientOptions> = {}, onRecord?: (r: Buffer, n: number) => RecordAction) {
  const srv = await startOpenssl([...serverCertArgs(pki.leaf.p256), '-www', ...serverArgs]);
  const proxy = onRecord ? await startProxy(srv.port, onRecord) : null;
  try {
    const c = connectTls(proxy ? proxy.port : srv.port, { roots: [pki.rootDer], crypto: pureCrypto, ...options });
    const status = await c.handshake();
    if (status === PeerStatus.CONNECTED) {
      await c.write(text('GET / HTTP/1.0\r\n\r\n'));
      await c.read(() => false);
    }
    const result = { status: c.tls.getStatus(), error: c.tls.getTlsError() };
    c.tls.disconnectFromHost();
    return result;
  } finally {
    await proxy?.close();
    await srv.stop();
  }
}

describe('refusals', () => {
  it('a TLS 1.1-only server', async () => {
    const r = await outcome(['-tls1_1', '-cipher', 'DEFAULT:@SECLEVEL=0']);
    expect(r.status).toBe(PeerStatus.ERROR);
    expect(r.error).toMatch(/server chose TLS 1\.1; this client supports TLS 1\.3, TLS 1\.2|protocol_version/);
  });

  it('a server alert mid-handshake (no common cipher suite)', async () => {
    const r = await outcome(['-tls1_3', '-ciphersuites', 'TLS_AES_256_GCM_SHA384'], { suites: ['TLS_CHACHA20_POLY1305_SHA256'] });
    expect(r.status).toBe(PeerStatus.ERROR);
    expect(r.error).toBe('server sent alert handshake_failure (40) during the handshake (while expecting ServerHello)');
  });

  it('a server that requires a client certificate (answered with an empty one)', async () => {
    const r = await outcome(['-tls1_3', '-Verify', '1']);
    expect(r.status).toBe(PeerStatus.ERROR);
    expect(r.error).toMatch(/^server sent alert certificate_required \(116\)/);
    const r12 = await outcome(['-tls1_2', '-Verify', '1']);
    expect(r12.error).toMatch(/^server sent alert handshake_failure \(40\)/);
  });

  it('garbage instead of TLS', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const c = connectTls((server.address() as net.AddressInfo).port, { roots: [pki.rootDer] });
      expect(await c.handshake()).toBe(PeerStatus.ERROR);
      expect(c.tls.getTlsError()).toBe('the server did not answer with TLS: first bytes 485454502f312e31');
      c.tls.disconnectFromHost();
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => server.close(r));
    }
  });

  it('the connection cut mid-handshake', async () => {
    let records = 0;
    const r = await outcome(['-tls1_3'], {}, (rec) => (++records === 2 ? 'cut' : rec));
    expect(r.status).toBe(PeerStatus.ERROR);
    expect(r.error).toMatch(/^connection (closed|failed) during the handshake \(while expecting /);
  });

  for (const [version, dataRecordsBefore] of [
    ['-tls1_3', 2],
    ['-tls1_2', 1],
  ] as const) {
    it(`a tampered record after the handshake (${version})`, async () => {
      let tampered = false;
      const r = await outcome([version], {}, (rec, clientData) => {
        if (tampered || rec[0] !== 23 || clientData < dataRecordsBefore) return rec;
        tampered = true;
        const copy = Buffer.from(rec);
        copy[copy.length - 1] ^= 1;
        return copy;
      });
      expect(tampered).toBe(true);
      expect(r.status).toBe(PeerStatus.ERROR);
      expect(r.error).toBe('record failed authentication (bad AEAD tag): data was altered or keys disagree');
    });
  }

  it('a wrong host name', async () => {
    const r = await outcome(['-tls1_3'], { verifyName: 'wrong.example' });
    expect(r.status).toBe(PeerStatus.ERROR);
    expect(r.error).toMatch(/^certificate verification failed: .*wrong\.example/);
  });

  it('an untrusted root', async () => {
    const r = await outcome(['-tls1_2'], { roots: [pki.otherRootDer] });
    expect(r.status).toBe(PeerStatus.ERROR);
    expect(r.error).toMatch(/^certificate verification failed: /);
  });

  it('verify: false connects despite the untrusted root (unsafe by design)', async () => {
    const r = await outcome(['-tls1_3'], { roots: [pki.otherRootDer], verify: false });
    expect([r.status, r.error]).toEqual([PeerStatus.NONE, null]);
  });
});
