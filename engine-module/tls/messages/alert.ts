// The alert record body (RFC 8446 §6): level and description.

import { ByteReader } from '../../bytes/byte-reader.js';
import { tlsError } from '../tls-failure.js';

export const ALERT_WARNING = 1;
export const ALERT_FATAL = 2;

export function makeAlert(level: number, description: number): Uint8Array {
  return Uint8Array.of(level, description);
}

export function parseAlert(fragment: Uint8Array): { level: number; description: number } {
  if (fragment.length !== 2) throw tlsError('decode-error', `alert record of ${fragment.length} bytes`);
  const r = new ByteReader(fragment);
  return { level: r.u8(), description: r.u8() };
}
