// Handshake message framing (RFC 8446 §4): a 1-byte type and a 3-byte length before every body.

import { ByteWriter } from '../../bytes/byte-writer.js';

/** Handshake message types. */
export enum HandshakeType {
  hello_request = 0,
  client_hello = 1,
  server_hello = 2,
  new_session_ticket = 4,
  end_of_early_data = 5,
  encrypted_extensions = 8,
  certificate = 11,
  server_key_exchange = 12,
  certificate_request = 13,
  server_hello_done = 14,
  certificate_verify = 15,
  client_key_exchange = 16,
  finished = 20,
  key_update = 24,
  message_hash = 254,
}

/** A whole handshake message: `raw` (header included) goes into the transcript, `body` to the parser. */
export interface HandshakeMessage {
  type: number;
  body: Uint8Array;
  raw: Uint8Array;
}

/** Frame a body as a handshake message. */
export function frameHandshake(type: HandshakeType, body: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(256);
  w.u8(type).vec24(body);
  return w.finish();
}

/** The name of a handshake type for error messages. */
export function handshakeName(type: number): string {
  return HandshakeType[type] ?? `handshake message ${type}`;
}
