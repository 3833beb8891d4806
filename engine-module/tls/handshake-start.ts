// The version-independent start of a handshake: ClientHello, the ServerHello that picks the version, and a
// HelloRetryRequest (RFC 8446 §4.1). The per-version states continue in tls13.ts and tls12.ts.

import type { KeyShare } from './crypto/provider.js';
import { tlsError, TlsError, unexpected } from './tls-failure.js';
import { ExtensionType } from './extensions.js';
import { clientHelloExtensions, makeClientHello } from './messages/client-hello.js';
import { HandshakeType, handshakeName, type HandshakeMessage } from './messages/handshake.js';
import { parseCookie, parseHrrKeyShare, parseServerHello, type ServerHello } from './messages/server-hello.js';
import { GROUP_CODES, groupByCode, TLS12, TLS13, type CipherSuite } from './suites.js';
import { workState, type HandshakeContext, type HandshakeState, type SentHello } from './handshake-context.js';
import { checkHello13, serverHello13 } from './tls13.js';
import { serverHello12 } from './tls12.js';

/**
 * The first states: make the key share (the one expensive step), then send ClientHello. Two units, because in a
 * fresh process building the hello (encoders, the transcript hash) is cold code that would lengthen the key
 * generation's frame. A share made ahead leaves the first unit free for building the hello, and the second sends it.
 */
export function startHandshake(ctx: HandshakeContext): HandshakeState {
  return workState('ClientHello key share', () => {
    const random = ctx.random(32);
    if (random.length !== 32) throw new Error('random source returned the wrong number of bytes');
    const group = ctx.offer.groups[0];
    const tls13 = ctx.offer.versions.includes('TLSv1.3');
    const ahead = tls13 ? ctx.keyShareAhead?.take(ctx.crypto, group) ?? null : null;
    const share = tls13 ? ahead ?? ctx.crypto.generateKeyShare(group, ctx.random) : null;
    const built = ahead ? buildClientHello(ctx, random, new Uint8Array(0), share) : null;
    return workState('ClientHello', () =>
      expectServerHello(ctx, sendClientHello(ctx, built ?? buildClientHello(ctx, random, new Uint8Array(0), share)), null));
  });
}

/** A ClientHello ready to send, and what judging the answers to it needs. */
interface BuiltHello {
  message: Uint8Array;
  sent: SentHello;
}

function buildClientHello(
  ctx: HandshakeContext,
  random: Uint8Array,
  sessionId: Uint8Array,
  share: KeyShare | null,
  cookie?: Uint8Array,
): BuiltHello {
  const o = ctx.offer;
  let extensions = clientHelloExtensions({
    serverName: o.serverName,
    versions: o.versions.map((v) => (v === 'TLSv1.3' ? TLS13 : TLS12)),
    groups: o.groups.map((g) => GROUP_CODES[g]),
    keyShare: share ? { group: GROUP_CODES[share.group], publicKey: share.publicKey } : { group: 0, publicKey: new Uint8Array(0) },
    signatureSchemes: o.schemes.map((s) => s.code),
    alpn: o.alpn,
    tls12: o.versions.includes('TLSv1.2'),
    cookie,
  });
  if (o.customizeExtensions) extensions = o.customizeExtensions(extensions);
  return {
    message: makeClientHello({ random, sessionId, suites: o.suites.map((s) => s.code), extensions }),
    sent: { random, sessionId, share, offeredTypes: new Set(extensions.map((e) => e.type)) },
  };
}

function sendClientHello(ctx: HandshakeContext, hello: BuiltHello): SentHello {
  ctx.sendHandshake(hello.message);
  return hello.sent;
}

function expectServerHello(ctx: HandshakeContext, hello: SentHello, retrySuite: CipherSuite | null): HandshakeState {
  return {
    expecting: 'ServerHello',
    handle(message: HandshakeMessage) {
      if (message.type !== HandshakeType.server_hello) throw unexpected(handshakeName(message.type), 'ServerHello');
      const sh = parseServerHello(message.body);
      if (sh.isHelloRetryRequest) {
        if (retrySuite) throw unexpected('second HelloRetryRequest', 'ServerHello');
        return helloRetry(ctx, hello, sh, message.raw);
      }
      if (sh.extensions.has(ExtensionType.supported_versions)) {
        if (sh.version !== TLS13 || !ctx.offer.versions.includes('TLSv1.3')) throw versionRefused(ctx, sh.version);
        return serverHello13(ctx, hello, sh, message.raw, retrySuite);
      }
      if (sh.legacyVersion !== TLS12 || !ctx.offer.versions.includes('TLSv1.2') || retrySuite) {
        throw versionRefused(ctx, sh.legacyVersion);
      }
      return serverHello12(ctx, hello, sh, message.raw);
    },
  };
}

function versionName(v: number): string {
  if (v >= 0x0301 && v <= 0x0304) return `TLS 1.${v - 0x0301}`;
  if (v === 0x0300) return 'SSL 3.0';
  return `version 0x${v.toString(16).padStart(4, '0')}`;
}

function versionRefused(ctx: HandshakeContext, v: number): TlsError {
  const offered = ctx.offer.versions.map((n) => n.replace('TLSv', 'TLS ')).join(', ');
  return tlsError('protocol-version', `server chose ${versionName(v)}; this client supports ${offered}`);
}

function helloRetry(ctx: HandshakeContext, hello: SentHello, hrr: ServerHello, raw: Uint8Array): HandshakeState {
  if (hrr.version !== TLS13 || !hrr.extensions.has(ExtensionType.supported_versions)) {
    throw tlsError('illegal-parameter', 'HelloRetryRequest without TLS 1.3 in supported_versions');
  }
  const suite = checkHello13(ctx, hello, hrr, 'HelloRetryRequest');
  const ks = hrr.extensions.get(ExtensionType.key_share);
  const cookieData = hrr.extensions.get(ExtensionType.cookie);
  const cookie = cookieData ? parseCookie(cookieData) : undefined;
  let group = hello.share?.group;
  if (ks) {
    const code = parseHrrKeyShare(ks);
    const asked = groupByCode(code);
    if (!asked || !ctx.offer.groups.includes(asked) || asked === group) {
      throw tlsError('illegal-parameter', `HelloRetryRequest asks for group 0x${code.toString(16)}, which was not offered or was already sent`);
    }
    group = asked;
  } else if (!cookie) {
    throw tlsError('illegal-parameter', 'HelloRetryRequest would not change the ClientHello');
  }
  ctx.transcript.restartForRetry(suite.hash);
  ctx.transcript.add(raw);
  return workState('ClientHello after HelloRetryRequest', () => {
    const share = group === hello.share?.group ? hello.share : ctx.crypto.generateKeyShare(group!, ctx.random);
    const retried = sendClientHello(ctx, buildClientHello(ctx, hello.random, hello.sessionId, share, cookie));
    return expectServerHello(ctx, retried, suite);
  });
}
