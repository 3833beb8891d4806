// The TLS 1.2 client handshake after ServerHello: ECDHE with AEAD suites only, the extended master secret used
// when the server supports it (RFC 5246, RFC 8422, RFC 7627), and renegotiation refused (RFC 5746). Each state takes one message (or does one
// unit of asymmetric work) and returns the next.

import { concatBytes, constantTimeEqual } from '../bytes/bytes.js';
import type { KeyShare, PublicKey } from './crypto/provider.js';
import { AlertDescription } from './alerts.js';
import { tlsError, unexpected } from './tls-failure.js';
import { checkServerExtensions, ExtensionType } from './extensions.js';
import { makeEmptyCertificate, parseCertificate12 } from './messages/certificate.js';
import { parseCertificateRequest12 } from './messages/certificate-request.js';
import { makeClientKeyExchange } from './messages/client-key-exchange.js';
import { parseAlpnSelection } from './messages/encrypted-extensions.js';
import { makeFinished } from './messages/finished.js';
import { HandshakeType, handshakeName } from './messages/handshake.js';
import { hasDowngradeSentinel, type ServerHello } from './messages/server-hello.js';
import { parseServerKeyExchange } from './messages/server-key-exchange.js';
import { finishedData12, keyBlock12, masterSecret12 } from './prf12.js';
import { tls12Protection } from './record-layer.js';
import { groupByCode, schemeFitsKey, type CipherSuite } from './suites.js';
import {
  certificateState,
  pickedSuite,
  signatureCheckState,
  workState,
  type HandshakeContext,
  type HandshakeState,
  type SentHello,
} from './handshake-context.js';
import { checkedAlpn } from './tls13.js';

/** What the TLS 1.2 states carry along. */
interface Session {
  suite: CipherSuite;
  clientRandom: Uint8Array;
  serverRandom: Uint8Array;
  /** The key share from the ClientHello, reused when the server picks its group. */
  helloShare: KeyShare | null;
  /** The server agreed to the extended master secret (RFC 7627). */
  extendedMasterSecret: boolean;
}

/** ServerHello selected TLS 1.2. */
export function serverHello12(ctx: HandshakeContext, hello: SentHello, sh: ServerHello, raw: Uint8Array): HandshakeState {
  if (ctx.offer.versions.includes('TLSv1.3') && hasDowngradeSentinel(sh.random)) {
    throw tlsError('downgrade-detected');
  }
  const suite = pickedSuite(ctx, sh.suite, 'TLSv1.2');
  checkServerExtensions(sh.extensions, 'ServerHello (TLS 1.2)', hello.offeredTypes);
  // Without it the master secret is not bound to the handshake, which matters for resumption and renegotiation
  // (the triple-handshake attack): this client does neither, so it is required only when asked for.
  const extendedMasterSecret = sh.extensions.has(ExtensionType.extended_master_secret);
  if (!extendedMasterSecret && ctx.offer.requireExtendedMasterSecret) {
    throw tlsError('ems-required');
  }
  const reneg = sh.extensions.get(ExtensionType.renegotiation_info);
  if (reneg && (reneg.length !== 1 || reneg[0] !== 0)) {
    throw tlsError('handshake-failure', 'ServerHello: renegotiation_info is not empty on a new connection');
  }
  const alpn = sh.extensions.get(ExtensionType.alpn);
  ctx.negotiated = { version: 'TLSv1.2', suite: suite.name, group: '', alpn: alpn ? checkedAlpn(ctx, parseAlpnSelection(alpn)) : null };
  ctx.transcript.start(suite.hash);
  ctx.transcript.add(raw);
  return expectCertificate(ctx, {
    suite,
    clientRandom: hello.random,
    serverRandom: sh.random,
    helloShare: hello.share,
    extendedMasterSecret,
  });
}

function expectCertificate(ctx: HandshakeContext, s: Session): HandshakeState {
  return {
    expecting: 'Certificate',
    handle(m) {
      if (m.type !== HandshakeType.certificate) throw unexpected(handshakeName(m.type), 'Certificate');
      const chain = parseCertificate12(m.body);
      if (chain.length === 0) throw tlsError('decode-error', 'Certificate: the server sent no certificate');
      ctx.transcript.add(m.raw);
      const wanted = s.suite.auth === 'ecdsa' ? 'ec' : 'rsa';
      const checkKey = (key: PublicKey) => {
        if (key.kind !== wanted) {
          throw tlsError('unsupported-certificate', `${s.suite.name} needs an ${wanted.toUpperCase()} key, the certificate has ${key.kind}`);
        }
      };
      return certificateState(ctx, chain, checkKey, (key) => expectServerKeyExchange(ctx, s, key));
    },
  };
}

function expectServerKeyExchange(ctx: HandshakeContext, s: Session, key: PublicKey): HandshakeState {
  return {
    expecting: 'ServerKeyExchange',
    handle(m) {
      if (m.type !== HandshakeType.server_key_exchange) throw unexpected(handshakeName(m.type), 'ServerKeyExchange');
      const p = parseServerKeyExchange(m.body);
      const group = groupByCode(p.group);
      if (!group || !ctx.offer.groups.includes(group)) {
        throw tlsError('illegal-parameter', `ServerKeyExchange: group 0x${p.group.toString(16)} was not offered`);
      }
      const scheme = ctx.offer.schemes.find((x) => x.code === p.proof.scheme);
      if (!scheme || !schemeFitsKey(scheme, key, 'TLSv1.2')) {
        throw tlsError('illegal-parameter', `ServerKeyExchange: signature scheme 0x${p.proof.scheme.toString(16)} was not offered or does not fit the certificate key`);
      }
      ctx.negotiated!.group = group;
      ctx.transcript.add(m.raw);
      const signed = concatBytes(s.clientRandom, s.serverRandom, p.params);
      return signatureCheckState(ctx, 'ServerKeyExchange', scheme, key, signed, p.proof.signature, () =>
        expectServerHelloDone(ctx, s, group, p.publicKey, false),
      );
    },
  };
}

function expectServerHelloDone(
  ctx: HandshakeContext,
  s: Session,
  group: KeyShare['group'],
  serverPublic: Uint8Array,
  certificateRequested: boolean,
): HandshakeState {
  return {
    expecting: 'ServerHelloDone',
    handle(m) {
      if (m.type === HandshakeType.certificate_request && !certificateRequested) {
        parseCertificateRequest12(m.body);
        ctx.transcript.add(m.raw);
        return expectServerHelloDone(ctx, s, group, serverPublic, true);
      }
      if (m.type !== HandshakeType.server_hello_done) throw unexpected(handshakeName(m.type), 'ServerHelloDone');
      if (m.body.length !== 0) throw tlsError('decode-error', 'ServerHelloDone is not empty');
      ctx.transcript.add(m.raw);
      const exchange = (share: KeyShare) => workState('key exchange', () => clientFlight(ctx, s, share, serverPublic, certificateRequested));
      if (s.helloShare?.group === group) return exchange(s.helloShare);
      return workState('key generation', () => exchange(ctx.crypto.generateKeyShare(group, ctx.random)));
    },
  };
}

/** ECDH, then the client's flight: [empty Certificate], ClientKeyExchange, ChangeCipherSpec, Finished. */
function clientFlight(
  ctx: HandshakeContext,
  s: Session,
  share: KeyShare,
  serverPublic: Uint8Array,
  certificateRequested: boolean,
): HandshakeState {
  const preMaster = ctx.crypto.ecdh(share, serverPublic);
  if (!preMaster) throw tlsError('illegal-parameter', `ServerKeyExchange: invalid ${share.group} public key`);
  if (certificateRequested) ctx.sendHandshake(makeEmptyCertificate(null));
  ctx.sendHandshake(makeClientKeyExchange(share.publicKey));
  const { suite } = s;
  const sessionHash = ctx.transcript.hash();
  const master = masterSecret12(
    ctx.crypto,
    suite.hash,
    preMaster,
    s.extendedMasterSecret
      ? { extended: true, sessionHash }
      : { extended: false, clientRandom: s.clientRandom, serverRandom: s.serverRandom },
  );
  const ivLength = suite.aead === 'chacha20-poly1305' ? 12 : 4;
  const kb = keyBlock12(ctx.crypto, suite.hash, master, s.clientRandom, s.serverRandom, suite.keyLength, ivLength);
  ctx.sendChangeCipherSpec();
  ctx.setWriteProtection(tls12Protection(ctx.crypto.aead(suite.aead, kb.clientKey), kb.clientIv));
  ctx.sendHandshake(makeFinished(finishedData12(ctx.crypto, suite.hash, master, 'client finished', sessionHash)));
  return {
    expecting: 'ChangeCipherSpec',
    changeCipherSpec() {
      ctx.setReadProtection(tls12Protection(ctx.crypto.aead(suite.aead, kb.serverKey), kb.serverIv));
      return expectFinished(ctx, suite, master);
    },
  };
}

function expectFinished(ctx: HandshakeContext, suite: CipherSuite, master: Uint8Array): HandshakeState {
  return {
    expecting: 'Finished',
    handle(m) {
      if (m.type !== HandshakeType.finished) throw unexpected(handshakeName(m.type), 'Finished');
      const expected = finishedData12(ctx.crypto, suite.hash, master, 'server finished', ctx.transcript.hash());
      if (!constantTimeEqual(expected, m.body)) {
        throw tlsError('bad-finished');
      }
      return connected12(ctx);
    },
  };
}

/** The connection after the handshake: a HelloRequest is declined (this client never renegotiates). */
function connected12(ctx: HandshakeContext): HandshakeState {
  return {
    expecting: 'application data',
    connected: true,
    handle(m) {
      if (m.type !== HandshakeType.hello_request || m.body.length !== 0) {
        throw unexpected(handshakeName(m.type), 'application data');
      }
      ctx.sendWarning(AlertDescription.no_renegotiation);
      return this;
    },
  };
}
