// ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4; RFC 5246 §7.4.1.3).

import { ByteReader } from '../../bytes/byte-reader.js';
import { bytesEqual, fromHex } from '../../bytes/bytes.js';
import { tlsError } from '../tls-failure.js';
import { ExtensionType, readExtensions } from '../extensions.js';

/** A HelloRetryRequest is a ServerHello whose random is SHA-256("HelloRetryRequest"). */
const HRR_RANDOM = fromHex('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c');

/** The last 8 bytes of a TLS 1.3 server's random when it negotiates 1.2 ("DOWNGRD\x01") or below ("DOWNGRD\x00"). */
const DOWNGRADE_12 = fromHex('444f574e47524401');
const DOWNGRADE_11 = fromHex('444f574e47524400');

export interface ServerHello {
  legacyVersion: number;
  random: Uint8Array;
  sessionIdEcho: Uint8Array;
  suite: number;
  extensions: Map<number, Uint8Array>;
  isHelloRetryRequest: boolean;
  /** The version the server picked: supported_versions when present, legacy_version otherwise. */
  version: number;
}

export function parseServerHello(body: Uint8Array): ServerHello {
  const r = new ByteReader(body);
  const legacyVersion = r.u16();
  const random = r.bytes(32);
  const sessionIdEcho = r.vec8();
  const suite = r.u16();
  if (r.u8() !== 0) throw tlsError('illegal-parameter', 'ServerHello: compression is not null');
  const extensions = r.atEnd() ? new Map<number, Uint8Array>() : readExtensions(r, 'ServerHello');
  r.expectEnd('ServerHello');
  let version = legacyVersion;
  const sv = extensions.get(ExtensionType.supported_versions);
  if (sv) {
    const vr = new ByteReader(sv);
    version = vr.u16();
    vr.expectEnd('supported_versions');
  }
  return {
    legacyVersion,
    random,
    sessionIdEcho,
    suite,
    extensions,
    isHelloRetryRequest: bytesEqual(random, HRR_RANDOM),
    version,
  };
}

/** True when the server random carries a downgrade sentinel (RFC 8446 §4.1.3). */
export function hasDowngradeSentinel(random: Uint8Array): boolean {
  const tail = random.subarray(24);
  return bytesEqual(tail, DOWNGRADE_12) || bytesEqual(tail, DOWNGRADE_11);
}

/** The server's key_share entry in a ServerHello: its group and public value. */
export function parseServerKeyShare(data: Uint8Array): { group: number; publicKey: Uint8Array } {
  const r = new ByteReader(data);
  const group = r.u16();
  const publicKey = r.vec16();
  r.expectEnd('key_share');
  return { group, publicKey };
}

/** The group a HelloRetryRequest asks for. */
export function parseHrrKeyShare(data: Uint8Array): number {
  const r = new ByteReader(data);
  const group = r.u16();
  r.expectEnd('key_share');
  return group;
}

/** The cookie a HelloRetryRequest asks the client to echo. */
export function parseCookie(data: Uint8Array): Uint8Array {
  const r = new ByteReader(data);
  const cookie = r.vec16();
  r.expectEnd('cookie');
  if (cookie.length === 0) throw tlsError('decode-error', 'cookie: empty');
  return cookie;
}
