// A TLS 1.3 server of the tests' own, on Node's crypto, that can break one rule of RFC 8446 at a time: extensions
// in messages they do not belong to, a protected ChangeCipherSpec, an oversized inner plaintext, a cookie in the
// ServerHello after a HelloRetryRequest, a signature scheme that does not fit its key. Only TLS_AES_128_GCM_SHA256
// with X25519 (or P-256 after a HelloRetryRequest); enough of the protocol to reach the rule under test.

import { createCipheriv, createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ByteWriter } from '../../engine-module/bytes/byte-writer.js';
import { fromHex } from '../../engine-module/bytes/bytes.js';

/** How the server misbehaves. */
export interface Misbehaviour {
  /** Extra extensions in EncryptedExtensions. */
  encryptedExtensions?: [number, Uint8Array][];
  /** Extensions in the leaf's CertificateEntry. */
  entryExtensions?: [number, Uint8Array][];
  /** After EncryptedExtensions, an encrypted record whose inner type is change_cipher_spec. */
  protectedCcs?: boolean;
  /** Pad the EncryptedExtensions record so its inner plaintext is this long (type and padding included). */
  innerPlaintextLength?: number;
  /** Answer with a HelloRetryRequest carrying a cookie, then a ServerHello that still carries it. */
  cookieAfterRetry?: boolean;
  /** The CertificateVerify scheme (default: ecdsa_secp256r1_sha256 for EC keys, rsa_pss_rsae_sha256 for RSA). */
  scheme?: number;
}

export interface Tls13Identity {
  /** Certificates, leaf first (DER). */
  chain: Uint8Array[];
  /** The leaf's private key (PEM). */
  key: string;
}

const HRR_RANDOM = fromHex('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c');
const X25519_SPKI = fromHex('302a300506032b656e032100');

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const hmac = (key: Uint8Array, ...parts: Uint8Array[]) => {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

function expandLabel(secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const info = new ByteWriter().u16(length).vec8((w) => w.bytes(new TextEncoder().encode(`tls13 ${label}`))).vec8((w) => w.bytes(context)).finish();
  // HKDF-Expand with one block suffices for every length used here (at most 32 bytes).
  return hmac(secret, info, Uint8Array.of(1)).subarray(0, length);
}

const handshake = (type: number, body: Uint8Array) => new ByteWriter().u8(type).vec24((w) => w.bytes(body)).finish();
const record = (type: number, body: Uint8Array) => new ByteWriter().u8(type).u16(0x0303).vec16((w) => w.bytes(body)).finish();
const extensions = (w: ByteWriter, list: [number, Uint8Array][]) => w.vec16((w) => list.forEach(([t, d]) => w.u16(t).vec16((w) => w.bytes(d))));

interface ClientHello {
  sessionId: Uint8Array;
  x25519: Uint8Array | null;
  p256: Uint8Array | null;
}

function parseClientHello(body: Uint8Array): ClientHello {
  let at = 2 + 32;
  const sessionId = body.subarray(at + 1, at + 1 + body[at]);
  at += 1 + body[at];
  at += 2 + ((body[at] << 8) | body[at + 1]);
  at += 1 + body[at];
  const end = at + 2 + ((body[at] << 8) | body[at + 1]);
  at += 2;
  const hello: ClientHello = { sessionId, x25519: null, p256: null };
  while (at < end) {
    const type = (body[at] << 8) | body[at + 1];
    const len = (body[at + 2] << 8) | body[at + 3];
    const data = body.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    if (type !== 51) continue;
    for (let k = 2; k < data.length; ) {
      const group = (data[k] << 8) | data[k + 1];
      const n = (data[k + 2] << 8) | data[k + 3];
      if (group === 0x1d) hello.x25519 = data.subarray(k + 4, k + 4 + n);
      if (group === 0x17) hello.p256 = data.subarray(k + 4, k + 4 + n);
      k += 4 + n;
    }
  }
  return hello;
}

/** Collects whole handshake messages from plaintext records (the client's ClientHellos). */
class HelloReader {
  private buf = new Uint8Array(0);
  push(d: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.buf.length + d.length);
    joined.set(this.buf);
    joined.set(d, this.buf.length);
    this.buf = joined;
    const out: Uint8Array[] = [];
    for (;;) {
      if (this.buf.length < 5) return out;
      const len = (this.buf[3] << 8) | this.buf[4];
      if (this.buf.length < 5 + len) return out;
      if (this.buf[0] === 22) out.push(this.buf.slice(5, 5 + len));
      this.buf = this.buf.slice(5 + len);
    }
  }
}

function serverHello(sessionId: Uint8Array, random: Uint8Array, ext: [number, Uint8Array][]): Uint8Array {
  const w = new ByteWriter().u16(0x0303).bytes(random).vec8((w) => w.bytes(sessionId)).u16(0x1301).u8(0);
  extensions(w, ext);
  return handshake(2, w.finish());
}

/** Run the misbehaving server; resolves once it listens. */
export async function startHostileTls13(identity: Tls13Identity, bad: Misbehaviour): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const reader = new HelloReader();
    const transcript: Uint8Array[] = [];
    let retried = false;
    socket.on('data', (d) => {
      for (const msg of reader.push(new Uint8Array(d))) {
        const hello = parseClientHello(msg.subarray(4));
        if (bad.cookieAfterRetry && !retried) {
          retried = true;
          // The transcript restarts with a synthetic message_hash of the first ClientHello (RFC 8446 §4.4.1).
          transcript.push(Uint8Array.of(254, 0, 0, 32), sha256(msg));
          const cookie: [number, Uint8Array] = [44, Uint8Array.of(0, 4, 1, 2, 3, 4)];
          const hrr = serverHello(hello.sessionId, HRR_RANDOM, [[43, Uint8Array.of(3, 4)], [51, Uint8Array.of(0, 0x17)], cookie]);
          transcript.push(msg, hrr);
          socket.write(record(22, hrr));
          continue;
        }
        if (bad.cookieAfterRetry) {
          const sh = serverHello(hello.sessionId, new Uint8Array(32).fill(5), [
            [43, Uint8Array.of(3, 4)],
            [51, new ByteWriter().u16(0x17).vec16((w) => w.bytes(hello.p256 ?? new Uint8Array(65))).finish()],
            [44, Uint8Array.of(0, 4, 1, 2, 3, 4)],
          ]);
          socket.write(record(22, sh));
          continue;
        }
        transcript.push(msg);
        respond(socket, identity, bad, hello, transcript);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function respond(socket: Socket, identity: Tls13Identity, bad: Misbehaviour, hello: ClientHello, transcript: Uint8Array[]): void {
  if (!hello.x25519) throw new Error('client sent no X25519 share');
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const serverPublic = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })).subarray(12);
  const clientKey = createPublicKey({ key: Buffer.concat([X25519_SPKI, hello.x25519]), format: 'der', type: 'spki' });
  const shared = new Uint8Array(diffieHellman({ privateKey, publicKey: clientKey }));
  const sh = serverHello(hello.sessionId, new Uint8Array(32).fill(3), [
    [43, Uint8Array.of(3, 4)],
    [51, new ByteWriter().u16(0x1d).vec16((w) => w.bytes(serverPublic)).finish()],
  ]);
  transcript.push(sh);
  socket.write(record(22, sh));

  const zeros = new Uint8Array(32);
  const early = hmac(zeros, zeros);
  const derived = expandLabel(early, 'derived', sha256(), 32);
  const hs = hmac(derived, shared);
  const serverSecret = expandLabel(hs, 's hs traffic', sha256(...transcript), 32);
  const key = expandLabel(serverSecret, 'key', new Uint8Array(0), 16);
  const iv = expandLabel(serverSecret, 'iv', new Uint8Array(0), 12);
  let seq = 0;
  const protect = (type: number, content: Uint8Array, length = content.length + 1) => {
    const inner = new Uint8Array(length);
    inner.set(content);
    inner[content.length] = type;
    const nonce = iv.slice();
    nonce[11] ^= seq++;
    const header = Uint8Array.of(23, 3, 3, (inner.length + 16) >> 8, (inner.length + 16) & 0xff);
    const c = createCipheriv('aes-128-gcm', key, nonce);
    c.setAAD(header);
    const body = Buffer.concat([c.update(inner), c.final(), c.getAuthTag()]);
    socket.write(Buffer.concat([header, body]));
  };
  const send = (message: Uint8Array, length?: number) => {
    transcript.push(message);
    protect(22, message, length);
  };

  send(handshake(8, new ByteWriter().vec16((w) => (bad.encryptedExtensions ?? []).forEach(([t, d]) => w.u16(t).vec16((w) => w.bytes(d)))).finish()), bad.innerPlaintextLength);
  if (bad.protectedCcs) protect(20, Uint8Array.of(1));
  const cert = new ByteWriter().u8(0).vec24((w) =>
    identity.chain.forEach((der, i) => {
      w.vec24((w) => w.bytes(der));
      extensions(w, i === 0 ? (bad.entryExtensions ?? []) : []);
    }),
  );
  send(handshake(11, cert.finish()));
  const leafKey: KeyObject = createPrivateKey(identity.key);
  const rsa = leafKey.asymmetricKeyType === 'rsa' || leafKey.asymmetricKeyType === 'rsa-pss';
  const scheme = bad.scheme ?? (rsa ? 0x0804 : 0x0403);
  const content = Buffer.concat([Buffer.alloc(64, 0x20), Buffer.from('TLS 1.3, server CertificateVerify\0'), sha256(...transcript)]);
  const signature = rsa ? sign('sha256', content, { key: leafKey, padding: 6, saltLength: 32 }) : sign('sha256', content, leafKey);
  send(handshake(15, new ByteWriter().u16(scheme).vec16((w) => w.bytes(signature)).finish()));
  const finishedKey = expandLabel(serverSecret, 'finished', new Uint8Array(0), 32);
  send(handshake(20, hmac(finishedKey, sha256(...transcript))));
}
