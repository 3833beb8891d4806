// Interop against `openssl s_server` on loopback: every suite and version, groups with and without
// HelloRetryRequest, each leaf key type behind an intermediate, fragmentation, padding, tickets, KeyUpdate and a
// 16 MiB download, with both crypto providers.

import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerStatus } from '../../engine-module/net/stream-peer.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import type { CryptoProvider } from '../../engine-module/tls/crypto/provider.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { makeTestPki, serverCertArgs, type LeafKind, type TestPki } from './helpers/certs.js';
import { connectTls, text, type Driven } from './helpers/drive.js';
import { startOpenssl } from './helpers/openssl-server.js';

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki?.cleanup());

/** Start s_server -www with `args`, GET / over TLS, and return the connection after the reply. */
async function fetchStatusPage(crypto: CryptoProvider, leaf: LeafKind, args: string[], options: object = {}, config?: string) {
  const srv = await startOpenssl([...serverCertArgs(pki.leaf[leaf]), '-www', ...args], undefined, config);
  try {
    const c = connectTls(srv.port, { roots: [pki.rootDer], crypto, ...options });
    expect([await c.handshake(), c.tls.getTlsError()]).toEqual([PeerStatus.CONNECTED, null]);
    await c.write(text('GET / HTTP/1.0\r\n\r\n'));
    const reply = (await c.read(() => false)).toString('latin1');
    expect(reply.startsWith('HTTP/1.0 200 ok')).toBe(true);
    // s_server ends the page with close_notify: a clean end, not a truncation.
    expect([c.tls.getStatus(), c.tls.getTlsError()]).toEqual([PeerStatus.NONE, null]);
    return { c, reply };
  } finally {
    await srv.stop();
  }
}

/** An OpenSSL configuration that turns the extended master secret off (s_server has no switch for it). */
function noEmsConfig(): string {
  const file = path.join(pki.dir, 'no-ems.cnf');
  writeFileSync(file, 'openssl_conf = conf\n[conf]\nssl_conf = ssl\n[ssl]\nsystem_default = sys\n[sys]\nOptions = -ExtendedMasterSecret\n');
  return file;
}

describe('TLS 1.2 without the extended master secret (RFC 7627)', () => {
  for (const [name, crypto] of [['pure', pureCrypto], ['node', nodeCrypto]] as const) {
    it(`connects by default, ${name} provider (the server really sends no EMS)`, async () => {
      const { reply } = await fetchStatusPage(crypto, 'p256', ['-tls1_2'], {}, noEmsConfig());
      expect(reply).toMatch(/Extended master secret: no/i);
    });
  }

  it('is refused with requireExtendedMasterSecret, saying why', async () => {
    const srv = await startOpenssl([...serverCertArgs(pki.leaf.p256), '-www', '-tls1_2'], undefined, noEmsConfig());
    try {
      const c = connectTls(srv.port, { roots: [pki.rootDer], requireExtendedMasterSecret: true });
      expect(await c.handshake()).toBe(PeerStatus.ERROR);
      expect(c.tls.getTlsFailure()).toEqual({ code: 'ems-required' });
    } finally {
      await srv.stop();
    }
  });

  it('uses it when the server offers it', async () => {
    const { reply } = await fetchStatusPage(pureCrypto, 'p256', ['-tls1_2']);
    expect(reply).toMatch(/Extended master secret: yes/i);
  });
});

const providers: [string, CryptoProvider][] = [
  ['pure', pureCrypto],
  ['node', nodeCrypto],
];

const SUITES13: [string, string][] = [
  ['TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256'],
  ['TLS_AES_256_GCM_SHA384', 'TLS_AES_256_GCM_SHA384'],
  ['TLS_CHACHA20_POLY1305_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'],
];
const SUITES12: [LeafKind, string, string][] = [
  ['p256', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
  ['p256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
  ['p256', 'ECDHE-ECDSA-CHACHA20-POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'],
  ['rsa2048', 'ECDHE-RSA-AES128-GCM-SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  ['rsa2048', 'ECDHE-RSA-AES256-GCM-SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  ['rsa2048', 'ECDHE-RSA-CHACHA20-POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
];

for (const [providerName, crypto] of providers) {
  describe(`openssl s_server, ${providerName} provider`, () => {
    for (const [ossl, name] of SUITES13) {
      it(`TLS 1.3 ${name}`, async () => {
        const { c, reply } = await fetchStatusPage(crypto, 'p256', ['-tls1_3', '-ciphersuites', ossl]);
        expect(c.tls.getNegotiated()).toEqual({ version: 'TLSv1.3', suite: name, group: 'x25519', alpn: null });
        expect(reply).toContain(`Cipher is ${name}`);
      });
    }
    for (const [leaf, ossl, name] of SUITES12) {
      it(`TLS 1.2 ${name}`, async () => {
        const { c, reply } = await fetchStatusPage(crypto, leaf, ['-tls1_2', '-cipher', ossl]);
        expect(c.tls.getNegotiated()).toEqual({ version: 'TLSv1.2', suite: name, group: 'x25519', alpn: null });
        expect(reply).toContain(`Cipher is ${ossl}`);
      });
    }
    for (const [group, name, hrr] of [
      ['X25519', 'x25519', false],
      ['P-256', 'secp256r1', true],
      ['P-384', 'secp384r1', true],
    ] as const) {
      it(`TLS 1.3 group ${group}${hrr ? ' after HelloRetryRequest' : ''}`, async () => {
        const { c } = await fetchStatusPage(crypto, 'p256', ['-tls1_3', '-groups', group]);
        expect(c.tls.getNegotiated()?.group).toBe(name);
      });
      it(`TLS 1.2 group ${group}`, async () => {
        const { c } = await fetchStatusPage(crypto, 'rsa2048', ['-tls1_2', '-groups', group]);
        expect(c.tls.getNegotiated()?.group).toBe(name);
      });
    }
    for (const leaf of ['rsa2048', 'rsa4096', 'p256', 'p384'] as const) {
      it(`${leaf} leaf behind an intermediate, TLS 1.3 and 1.2`, async () => {
        await fetchStatusPage(crypto, leaf, ['-tls1_3']);
        const { c } = await fetchStatusPage(crypto, leaf, ['-tls1_2']);
        expect(c.tls.getNegotiated()?.suite).toContain(leaf.startsWith('rsa') ? 'ECDHE_RSA' : 'ECDHE_ECDSA');
      });
    }
  });
}

describe('work per poll', () => {
  for (const [leaf, version] of [
    ['rsa2048', '-tls1_3'],
    ['p384', '-tls1_2'],
  ] as const) {
    it(`each poll does at most one asymmetric operation (${leaf}, ${version}, P-256 after HelloRetryRequest)`, async () => {
      let ops = 0;
      const counted = <A extends unknown[], R>(f: (...a: A) => R) => (...a: A) => (ops++, f(...a));
      const crypto: CryptoProvider = {
        ...pureCrypto,
        generateKeyShare: counted(pureCrypto.generateKeyShare),
        ecdh: counted(pureCrypto.ecdh),
        verify: counted(pureCrypto.verify),
      };
      const srv = await startOpenssl([...serverCertArgs(pki.leaf[leaf]), '-www', version, '-groups', 'P-256']);
      try {
        const c = connectTls(srv.port, { roots: [pki.rootDer], crypto });
        const perPoll: number[] = [];
        const deadline = Date.now() + 20_000;
        while (c.tls.getStatus() === PeerStatus.CONNECTING && Date.now() < deadline) {
          const before = ops;
          c.poll();
          perPoll.push(ops - before);
          await setImmediate();
        }
        expect(c.tls.getStatus()).toBe(PeerStatus.CONNECTED);
        // Key generation twice (HelloRetryRequest in 1.3; the server's group differs in 1.2), ECDH, two chain
        // signatures and the server's handshake signature, each in its own poll.
        expect(Math.max(...perPoll)).toBe(1);
        expect(perPoll.reduce((a, b) => a + b, 0)).toBe(6);
        c.tls.disconnectFromHost();
      } finally {
        await srv.stop();
      }
    });
  }
});

describe('openssl s_server record shapes and post-handshake messages', () => {
  it('records fragmented to 512 bytes (handshake messages span records), TLS 1.3 and 1.2', async () => {
    await fetchStatusPage(pureCrypto, 'rsa4096', ['-tls1_3', '-max_send_frag', '512']);
    await fetchStatusPage(pureCrypto, 'rsa4096', ['-tls1_2', '-max_send_frag', '512']);
  });

  it('padded TLS 1.3 records', async () => {
    const { reply } = await fetchStatusPage(pureCrypto, 'p256', ['-tls1_3', '-record_padding', '1024']);
    expect(reply.length).toBeGreaterThan(100);
  });

  it('several session tickets are accepted and ignored', async () => {
    const { c } = await fetchStatusPage(nodeCrypto, 'p256', ['-tls1_3', '-num_tickets', '5']);
    expect(c.tls.getTlsError()).toBeNull();
  });

  it('ALPN http/1.1 is negotiated when the server speaks it', async () => {
    const { c } = await fetchStatusPage(pureCrypto, 'p256', ['-tls1_3', '-alpn', 'http/1.1']);
    expect(c.tls.getNegotiated()?.alpn).toBe('http/1.1');
  });

  /**
   * s_server in echo mode: what it reads from stdin goes to the client, what the client sends it prints. `keys()`
   * counts the AEAD keys the client has made: a KeyUpdate followed makes one, two when it asks for the client's too.
   */
  async function interactive(args: string[]) {
    const srv = await startOpenssl([...serverCertArgs(pki.leaf.p256), ...args]);
    let keys = 0;
    const crypto: CryptoProvider = {
      ...pureCrypto,
      aead: (alg, key) => {
        keys++;
        return pureCrypto.aead(alg, key);
      },
    };
    const c = connectTls(srv.port, { roots: [pki.rootDer], crypto });
    expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
    const exchange = async (c: Driven, n: number) => {
      srv.send(`from server ${n}`);
      expect((await c.read((p) => Buffer.concat(p).includes(`from server ${n}\n`))).toString()).toContain(`from server ${n}`);
      await c.write(text(`from client ${n}\n`));
      await c.until(() => srv.output().includes(`from client ${n}`));
    };
    return { srv, c, exchange, keys: () => keys };
  }

  it('KeyUpdate with update_requested is followed and answered, data flows both ways after it', async () => {
    const { srv, c, exchange, keys } = await interactive(['-tls1_3']);
    try {
      // s_server takes a whole stdin read as one command, so the next line goes only once the client has followed
      // the KeyUpdate: a new read key, and a new write key too when an update was requested. With nothing unread,
      // polling alone processes it.
      const keyUpdate = async (command: string, newKeys: number) => {
        const before = keys();
        srv.send(command);
        await c.until(() => keys() === before + newKeys);
      };
      await exchange(c, 1);
      await keyUpdate('K', 2);
      await exchange(c, 2);
      await keyUpdate('k', 1);
      await exchange(c, 3);
      expect(srv.output()).not.toMatch(/error|alert/i);
      expect(c.tls.getTlsError()).toBeNull();
    } finally {
      c.tls.disconnectFromHost();
      await srv.stop();
    }
  });

  it('a KeyUpdate behind unread data is followed once the data before it has been read', async () => {
    const { srv, c, exchange, keys } = await interactive(['-tls1_3']);
    try {
      await exchange(c, 1);
      const before = keys();
      // Poll without reading while each piece arrives: data, the KeyUpdate, data under the new key.
      for (const line of ['unread 1', 'K', 'unread 2']) {
        const held = c.received();
        srv.send(line);
        await c.until(() => c.received() > held);
      }
      expect(keys()).toBe(before);
      expect((await c.read((p) => Buffer.concat(p).includes('unread 2\n'))).toString()).toBe('unread 1\nunread 2\n');
      expect(keys()).toBe(before + 2);
      await exchange(c, 2);
      expect(c.tls.getTlsError()).toBeNull();
    } finally {
      c.tls.disconnectFromHost();
      await srv.stop();
    }
  });

  it('TLS 1.2 renegotiation request is declined with no_renegotiation', async () => {
    const { srv, c, exchange } = await interactive(['-tls1_2']);
    try {
      await exchange(c, 1);
      srv.send('r');
      // OpenSSL answers the refusal by ending the connection with handshake_failure (RFC 5746 lets it choose).
      await c.until(() => c.tls.getStatus() === PeerStatus.ERROR);
      expect(c.tls.getTlsError()).toMatch(
        /^server sent alert handshake_failure \(40\): the server asked to renegotiate, which this client declines$/,
      );
      expect(srv.output()).toMatch(/no renegotiation/i);
    } finally {
      c.tls.disconnectFromHost();
      await srv.stop();
    }
  });
});

describe('16 MiB download byte for byte', () => {
  for (const [providerName, crypto] of providers) {
    for (const version of ['-tls1_3', '-tls1_2']) {
      it(`${providerName} ${version}`, async () => {
        const file = path.join(pki.dir, 'big.bin');
        const data = randomBytes(16 << 20);
        writeFileSync(file, data);
        const srv = await startOpenssl([...serverCertArgs(pki.leaf.p256), '-WWW', version], pki.dir);
        try {
          const c = connectTls(srv.port, { roots: [pki.rootDer], crypto });
          expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
          await c.write(text('GET /big.bin HTTP/1.0\r\n\r\n'));
          const reply = await c.read(() => false, 60_000);
          const body = reply.subarray(reply.indexOf('\r\n\r\n') + 4);
          expect(body.length).toBe(data.length);
          expect(createHash('sha256').update(body).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
          expect([c.tls.getStatus(), c.tls.getTlsError()]).toEqual([PeerStatus.NONE, null]);
        } finally {
          await srv.stop();
        }
      });
    }
  }
});

describe('close_notify reached by a read', () => {
  it('is answered by that read, with no poll after it: s_server -WWW, which waits for the answer, serves the next client', async () => {
    writeFileSync(path.join(pki.dir, 'small.bin'), randomBytes(100_000));
    const srv = await startOpenssl([...serverCertArgs(pki.leaf.p256), '-WWW', '-tls1_3'], pki.dir);
    try {
      for (let client = 0; client < 2; client++) {
        const c = connectTls(srv.port, { roots: [pki.rootDer] });
        expect(await c.handshake()).toBe(PeerStatus.CONNECTED);
        await c.write(text('GET /small.bin HTTP/1.0\r\n\r\n'));
        // Poll without reading until the whole reply and the close_notify are in, then read them without polling.
        await c.until(() => c.received() >= 100_000 + 24 * 8);
        for (let i = 0; i < 20; i++) {
          c.poll();
          await setImmediate();
        }
        const reply = Buffer.concat(c.drain()).toString('latin1');
        expect(reply.startsWith('HTTP/1.0 200 ok')).toBe(true);
        expect([c.tls.getStatus(), c.tls.getTlsError()]).toEqual([PeerStatus.NONE, null]);
      }
    } finally {
      await srv.stop();
    }
  });
});
