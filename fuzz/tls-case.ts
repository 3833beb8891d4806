// TLS engine cases: a recorded session replayed with its server bytes cut and mutated, and random records sent
// after a real prefix of a session. Properties: no exception other than a protocol error inside the engine, no
// expensive work left within a bounded number of pumps, buffered input within the record and handshake-message
// limits, decrypted data always a prefix of what the server really sent, and a clean close only with all of it.

import { bytesEqual, concatBytes } from '../engine-module/bytes/bytes.js';
import type { CryptoProvider } from '../engine-module/tls/crypto/provider.js';
import type { TlsClientEngine } from '../engine-module/tls/engine.js';
import { takeInternalErrors } from './instrument.js';
import { applyMutations, type Mutation } from './mutations.js';
import type { Rng } from './rng.js';
import { pumpAll, recordedEngine, REQUEST, type TlsRecording } from './tls-recording.js';

/** One replay: the recording's server bytes with `mutations` applied, fed in pieces cut at `cuts`. */
export interface TlsReplayCase {
  mutations?: readonly Mutation[];
  cuts?: readonly number[];
  /** Bytes sent instead of the recording (random records after a real prefix); mutations then apply to these. */
  serverBytes?: Uint8Array;
}

/** How a replay ended. */
export interface TlsOutcome {
  status: TlsClientEngine['status'];
  error: string | null;
  plaintext: Uint8Array;
  violations: string[];
}

/**
 * The most input the engine may hold with nothing left to do and all decrypted data read: a partial handshake
 * message up to the default limit (256 KiB) with its 4-byte header, plus a partial record (TLS 1.2 ciphertext) with
 * its header.
 */
const MAX_HELD = 256 * 1024 + 4 + 5 + (1 << 14) + 2048;

/** Replay `rec` as the case says and check the properties. */
export function runTlsReplayCase(rec: TlsRecording, crypto: CryptoProvider, c: TlsReplayCase): TlsOutcome {
  takeInternalErrors();
  const engine = recordedEngine(rec, crypto);
  const violations: string[] = [];
  const plaintext: Uint8Array[] = [];
  const stream = applyMutations(c.serverBytes ?? rec.serverBytes, c.mutations ?? []);
  let requested = false;
  const settle = () => {
    if (!pumpAll(engine)) violations.push('engine still had expensive work after 1000 pumps');
    if (engine.status === 'connected' && !requested) requested = engine.writeApplicationData(REQUEST);
    engine.takeOutput();
    const data = engine.readApplicationData(1 << 30);
    if (data.length > 0) plaintext.push(data.slice());
    if (engine.status !== 'handshaking' && engine.status !== 'connected') return;
    const held = engine.bufferedInput;
    if (held > MAX_HELD) violations.push(`engine held ${held} bytes of input with nothing left to do`);
  };
  settle();
  let from = 0;
  for (const cut of [...(c.cuts ?? []), stream.length]) {
    if (cut <= from) continue;
    engine.feed(stream.subarray(from, Math.min(cut, stream.length)));
    from = cut;
    settle();
  }
  engine.transportClosed();
  settle();

  const out: TlsOutcome = { status: engine.status, error: engine.error, plaintext: concatBytes(...plaintext), violations };
  for (const e of takeInternalErrors()) violations.push(`exception inside the engine: ${e}`);
  if (out.status !== 'closed' && out.status !== 'failed') violations.push(`status ${out.status} after the transport closed`);
  if (!isPrefix(out.plaintext, rec.plaintext)) violations.push('decrypted data differs from what the server sent');
  if (out.status === 'closed' && out.plaintext.length !== rec.plaintext.length) {
    violations.push(`clean close after ${out.plaintext.length} of ${rec.plaintext.length} bytes`);
  }
  if (out.status === 'failed' && !out.error) violations.push('failed without a reason');
  return out;
}

function isPrefix(a: Uint8Array, of: Uint8Array): boolean {
  return a.length <= of.length && bytesEqual(a, of.subarray(0, a.length));
}

/** Offsets where the records of a recorded stream start (and its end). */
export function recordBoundaries(stream: Uint8Array): number[] {
  const out = [0];
  let at = 0;
  while (at + 5 <= stream.length) {
    at += 5 + ((stream[at + 3] << 8) | stream[at + 4]);
    out.push(Math.min(at, stream.length));
  }
  return out;
}

const RECORD_TYPES = [20, 21, 22, 23];
const HANDSHAKE_TYPES = [0, 1, 2, 4, 5, 8, 11, 12, 13, 14, 15, 16, 20, 24, 254];

/** The first `records` records of the recording, then random records (mostly well-framed, sometimes not). */
export function randomRecordsAfterPrefix(rng: Rng, rec: TlsRecording): Uint8Array {
  const bounds = recordBoundaries(rec.serverBytes);
  const prefix = rec.serverBytes.subarray(0, bounds[rng.int(Math.min(bounds.length, 4))]);
  const parts: Uint8Array[] = [prefix];
  const n = 1 + rng.int(6);
  for (let i = 0; i < n; i++) parts.push(randomRecord(rng));
  return concatBytes(...parts);
}

function randomRecord(rng: Rng): Uint8Array {
  const type = rng.int(8) === 0 ? rng.int(256) : rng.pick(RECORD_TYPES);
  let body: Uint8Array;
  if (type === 22) {
    const messages: Uint8Array[] = [];
    for (let k = 1 + rng.int(3); k > 0; k--) messages.push(randomHandshakeMessage(rng));
    body = concatBytes(...messages);
  } else if (type === 21) body = Uint8Array.of(rng.pick([1, 2, rng.int(256)]), rng.pick([0, 10, 20, 40, 42, 48, 70, 80, 90, 100, rng.int(256)]));
  else if (type === 20) body = rng.int(4) ? Uint8Array.of(1) : rng.bytes(rng.int(4));
  else body = rng.bytes(rng.int(rng.int(8) === 0 ? 20_000 : 300));
  const length = rng.int(10) === 0 ? rng.int(0x10000) : body.length;
  const version = rng.pick([0x0303, 0x0303, 0x0301, rng.int(0x10000)]);
  return concatBytes(Uint8Array.of(type, version >> 8, version & 0xff, length >> 8, length & 0xff), body);
}

function randomHandshakeMessage(rng: Rng): Uint8Array {
  const type = rng.int(8) === 0 ? rng.int(256) : rng.pick(HANDSHAKE_TYPES);
  const body = rng.bytes(rng.int(200));
  const length = rng.int(6) === 0 ? rng.pick([rng.int(1 << 24), 0xffffff, 256 * 1024 + 1]) : body.length;
  return concatBytes(Uint8Array.of(type, length >> 16, (length >> 8) & 0xff, length & 0xff), body);
}
