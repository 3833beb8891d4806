// The TLS 1.3 client handshake after ServerHello (RFC 8446 §4), and the connection's post-handshake messages.
// Each state takes one message (or does one unit of asymmetric work) and returns the next.

import { bytesEqual, constantTimeEqual } from '../bytes/bytes.js';
import type { PublicKey } from './crypto/provider.js';
import { tlsError, unexpected } from './tls-failure.js';
import { checkServerExtensions, ExtensionType, type ExtensionCarrier } from './extensions.js';
import { KeySchedule } from './key-schedule.js';
import { makeEmptyCertificate, parseCertificate13 } from './messages/certificate.js';
import { parseCertificateRequest13 } from './messages/certificate-request.js';
import { certificateVerifyContent, parseCertificateVerify } from './messages/certificate-verify.js';
import { parseAlpnSelection, parseEncryptedExtensions } from './messages/encrypted-extensions.js';
import { makeFinished } from './messages/finished.js';
import { HandshakeType, handshakeName, type HandshakeMessage } from './messages/handshake.js';
import { makeKeyUpdate, parseKeyUpdate } from './messages/key-update.js';
import { parseNewSessionTicket13 } from './messages/new-session-ticket.js';
import { parseServerKeyShare, type ServerHello } from './messages/server-hello.js';
import { tls13Protection } from './record-layer.js';
import { GROUP_CODES, schemeFitsKey, TLS12, type CipherSuite } from './suites.js';
import {
  certificateState,
  pickedSuite,
  signatureCheckState,
  workState,
  type HandshakeContext,
  type HandshakeState,
  type SentHello,
} from './handshake-context.js';

/** Check the fields a TLS 1.3 ServerHello and HelloRetryRequest share (RFC 8446 §4.1.3). */
export function checkHello13(ctx: HandshakeContext, hello: SentHello, sh: ServerHello, carrier: ExtensionCarrier) {
  if (sh.legacyVersion !== TLS12) throw tlsError('illegal-parameter', 'ServerHello: legacy_version is not TLS 1.2');
  if (!bytesEqual(sh.sessionIdEcho, hello.sessionId)) {
    throw tlsError('illegal-parameter', 'ServerHello: legacy_session_id_echo differs from the one sent');
  }
  checkServerExtensions(sh.extensions, carrier, hello.offeredTypes);
  return pickedSuite(ctx, sh.suite, 'TLSv1.3');
}

/** Keys of the handshake phase. */
interface Phase {
  ks: KeySchedule;
  suite: CipherSuite;
  clientSecret: Uint8Array;
  serverSecret: Uint8Array;
  /** Extension types the ClientHello carried: EncryptedExtensions may answer only these. */
  offered: ReadonlySet<number>;
}

function protection(ctx: HandshakeContext, ks: KeySchedule, suite: CipherSuite, secret: Uint8Array) {
  const { key, iv } = ks.trafficKeys(secret, suite.keyLength);
  return tls13Protection(ctx.crypto.aead(suite.aead, key), iv);
}

/** ServerHello selected TLS 1.3: check it, then derive the handshake keys (the ECDH is the next unit of work). */
export function serverHello13(
  ctx: HandshakeContext,
  hello: SentHello,
  sh: ServerHello,
  raw: Uint8Array,
  retrySuite: CipherSuite | null,
): HandshakeState {
  const suite = checkHello13(ctx, hello, sh, 'ServerHello');
  if (retrySuite && retrySuite !== suite) {
    throw tlsError('illegal-parameter', 'ServerHello: cipher suite differs from the HelloRetryRequest');
  }
  const ksData = sh.extensions.get(ExtensionType.key_share);
  if (!ksData) throw tlsError('missing-extension', 'ServerHello: no key_share (PSK-only is not offered)');
  const server = parseServerKeyShare(ksData);
  const share = hello.share!;
  if (server.group !== GROUP_CODES[share.group]) {
    throw tlsError('illegal-parameter', `ServerHello: key_share for group 0x${server.group.toString(16)}, not the one offered`);
  }
  if (!retrySuite) ctx.transcript.start(suite.hash);
  ctx.transcript.add(raw);
  ctx.negotiated = { version: 'TLSv1.3', suite: suite.name, group: share.group, alpn: null };
  // The ECDH and the key schedule are two units: the schedule's first HKDF and AEAD setup are cold code in a fresh
  // process, as long as the ECDH itself.
  return workState('key exchange', () => {
    const shared = ctx.crypto.ecdh(share, server.publicKey);
    if (!shared) throw tlsError('illegal-parameter', `ServerHello: invalid ${share.group} public key`);
    return workState('handshake keys', () => {
      const ks = new KeySchedule(ctx.crypto, suite.hash);
      const [clientSecret, serverSecret] = ks.handshakeSecrets(shared, ctx.transcript.hash());
      ctx.setReadProtection(protection(ctx, ks, suite, serverSecret));
      ctx.setWriteProtection(protection(ctx, ks, suite, clientSecret));
      return expectEncryptedExtensions(ctx, { ks, suite, clientSecret, serverSecret, offered: hello.offeredTypes });
    });
  });
}

function expectEncryptedExtensions(ctx: HandshakeContext, phase: Phase): HandshakeState {
  return {
    expecting: 'EncryptedExtensions',
    handle(m) {
      if (m.type !== HandshakeType.encrypted_extensions) throw unexpected(handshakeName(m.type), 'EncryptedExtensions');
      const ext = parseEncryptedExtensions(m.body);
      checkServerExtensions(ext, 'EncryptedExtensions', phase.offered);
      const alpn = ext.get(ExtensionType.alpn);
      if (alpn) ctx.negotiated!.alpn = checkedAlpn(ctx, parseAlpnSelection(alpn));
      ctx.transcript.add(m.raw);
      return expectCertificate(ctx, phase, null);
    },
  };
}

/** The protocol the server selected, refused unless it was offered. */
export function checkedAlpn(ctx: HandshakeContext, name: string): string {
  if (!ctx.offer.alpn.includes(name)) {
    throw tlsError('illegal-parameter', `server selected application protocol "${name}", which was not offered`);
  }
  return name;
}

/**
 * Certificate, or first a CertificateRequest: this client has no certificate and will answer with an empty one
 * (`requestContext` remembers that it must).
 */
function expectCertificate(ctx: HandshakeContext, phase: Phase, requestContext: Uint8Array | null): HandshakeState {
  return {
    expecting: 'Certificate',
    handle(m) {
      if (m.type === HandshakeType.certificate_request && !requestContext) {
        const context = parseCertificateRequest13(m.body);
        ctx.transcript.add(m.raw);
        return expectCertificate(ctx, phase, context);
      }
      if (m.type !== HandshakeType.certificate) throw unexpected(handshakeName(m.type), 'Certificate');
      const { chain, entryExtensions } = parseCertificate13(m.body);
      for (const ext of entryExtensions) checkServerExtensions(ext, 'CertificateEntry', phase.offered);
      if (chain.length === 0) throw tlsError('decode-error', 'Certificate: the server sent no certificate');
      ctx.transcript.add(m.raw);
      return certificateState(ctx, chain, () => {}, (key) => expectCertificateVerify(ctx, phase, key, requestContext));
    },
  };
}

function expectCertificateVerify(
  ctx: HandshakeContext,
  phase: Phase,
  key: PublicKey,
  requestContext: Uint8Array | null,
): HandshakeState {
  return {
    expecting: 'CertificateVerify',
    handle(m) {
      if (m.type !== HandshakeType.certificate_verify) throw unexpected(handshakeName(m.type), 'CertificateVerify');
      const proof = parseCertificateVerify(m.body);
      const scheme = ctx.offer.schemes.find((s) => s.code === proof.scheme);
      if (!scheme || !schemeFitsKey(scheme, key, 'TLSv1.3')) {
        throw tlsError('illegal-parameter', `CertificateVerify: signature scheme 0x${proof.scheme.toString(16)} was not offered or does not fit the certificate key`);
      }
      const content = certificateVerifyContent(ctx.transcript.hash());
      ctx.transcript.add(m.raw);
      return signatureCheckState(ctx, 'CertificateVerify', scheme, key, content, proof.signature, () =>
        expectFinished(ctx, phase, requestContext),
      );
    },
  };
}

function expectFinished(ctx: HandshakeContext, phase: Phase, requestContext: Uint8Array | null): HandshakeState {
  return {
    expecting: 'Finished',
    handle(m) {
      if (m.type !== HandshakeType.finished) throw unexpected(handshakeName(m.type), 'Finished');
      const { ks, suite } = phase;
      const expected = ks.finishedMac(phase.serverSecret, ctx.transcript.hash());
      if (!constantTimeEqual(expected, m.body)) {
        throw tlsError('bad-finished');
      }
      ctx.transcript.add(m.raw);
      const [clientApp, serverApp] = ks.applicationSecrets(ctx.transcript.hash());
      ctx.setReadProtection(protection(ctx, ks, suite, serverApp));
      if (requestContext) ctx.sendHandshake(makeEmptyCertificate(requestContext));
      ctx.sendHandshake(makeFinished(ks.finishedMac(phase.clientSecret, ctx.transcript.hash())));
      ctx.setWriteProtection(protection(ctx, ks, suite, clientApp));
      return connected13(ctx, ks, suite, clientApp, serverApp);
    },
  };
}

/** The connection after the handshake: session tickets are dropped, KeyUpdate is followed (and answered). */
function connected13(
  ctx: HandshakeContext,
  ks: KeySchedule,
  suite: CipherSuite,
  clientSecret: Uint8Array,
  serverSecret: Uint8Array,
): HandshakeState {
  return {
    expecting: 'application data',
    connected: true,
    handle(m: HandshakeMessage) {
      if (m.type === HandshakeType.new_session_ticket) {
        parseNewSessionTicket13(m.body);
        return this;
      }
      if (m.type !== HandshakeType.key_update) throw unexpected(handshakeName(m.type), 'application data');
      const requested = parseKeyUpdate(m.body);
      const nextServer = ks.nextTrafficSecret(serverSecret);
      ctx.setReadProtection(protection(ctx, ks, suite, nextServer));
      let nextClient = clientSecret;
      if (requested) {
        ctx.sendHandshake(makeKeyUpdate(false), false);
        nextClient = ks.nextTrafficSecret(clientSecret);
        ctx.setWriteProtection(protection(ctx, ks, suite, nextClient));
      }
      return connected13(ctx, ks, suite, nextClient, nextServer);
    },
  };
}
