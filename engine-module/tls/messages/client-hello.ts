// ClientHello (RFC 8446 §4.1.2) and the extensions this client puts in it.

import { ByteWriter } from '../../bytes/byte-writer.js';
import { asciiEncode } from '../../bytes/bytes.js';
import { ExtensionType, encodeBody, writeExtensions, type Extension } from '../extensions.js';
import { frameHandshake, HandshakeType } from './handshake.js';

/** What a ClientHello carries besides its extensions. */
export interface ClientHelloFields {
  random: Uint8Array;
  sessionId: Uint8Array;
  suites: readonly number[];
  extensions: readonly Extension[];
}

/** Encode a ClientHello handshake message. legacy_version is always TLS 1.2, compression always null. */
export function makeClientHello(f: ClientHelloFields): Uint8Array {
  return frameHandshake(HandshakeType.client_hello, (w) => {
    w.u16(0x0303).bytes(f.random);
    w.vec8((w) => w.bytes(f.sessionId));
    w.vec16((w) => f.suites.forEach((s) => w.u16(s)));
    w.vec8((w) => w.u8(0));
    writeExtensions(w, f.extensions);
  });
}

/** What the client offers, in the terms its extensions need. */
export interface ClientOffer {
  /** SNI host name; null for IP literals (RFC 6066 §3 forbids them in server_name). */
  serverName: string | null;
  versions: readonly number[];
  groups: readonly number[];
  keyShare: { group: number; publicKey: Uint8Array };
  signatureSchemes: readonly number[];
  alpn: readonly string[];
  /** TLS 1.2 is offered: add the extensions RFC 7627, RFC 5746 and RFC 8422 need. */
  tls12: boolean;
  /** The cookie a HelloRetryRequest asked to echo. */
  cookie?: Uint8Array;
}

const ext = (type: ExtensionType, body: (w: ByteWriter) => void): Extension => ({ type, data: encodeBody(body) });

/** The ClientHello extensions for an offer, in the order sent. */
export function clientHelloExtensions(o: ClientOffer): Extension[] {
  const list: Extension[] = [];
  if (o.serverName !== null) {
    const name = asciiEncode(o.serverName);
    list.push(ext(ExtensionType.server_name, (w) => w.vec16((w) => w.u8(0).vec16((w) => w.bytes(name)))));
  }
  if (o.tls12) {
    list.push(ext(ExtensionType.renegotiation_info, (w) => w.u8(0)));
    list.push(ext(ExtensionType.ec_point_formats, (w) => w.vec8((w) => w.u8(0))));
    list.push(ext(ExtensionType.extended_master_secret, () => {}));
  }
  list.push(ext(ExtensionType.supported_groups, (w) => w.vec16((w) => o.groups.forEach((g) => w.u16(g)))));
  if (o.alpn.length > 0) {
    list.push(
      ext(ExtensionType.alpn, (w) => w.vec16((w) => o.alpn.forEach((p) => w.vec8((w) => w.bytes(asciiEncode(p)))))),
    );
  }
  if (o.versions.includes(0x0304)) {
    list.push(
      ext(ExtensionType.key_share, (w) => w.vec16((w) => w.u16(o.keyShare.group).vec16((w) => w.bytes(o.keyShare.publicKey)))),
    );
    list.push(ext(ExtensionType.supported_versions, (w) => w.vec8((w) => o.versions.forEach((v) => w.u16(v)))));
  }
  list.push(ext(ExtensionType.signature_algorithms, (w) => w.vec16((w) => o.signatureSchemes.forEach((s) => w.u16(s)))));
  if (o.cookie) {
    const cookie = o.cookie;
    list.push(ext(ExtensionType.cookie, (w) => w.vec16((w) => w.bytes(cookie))));
  }
  return list;
}
