// How the engine takes the end of the transport, on recorded sessions of Node's TLS server replayed byte for byte:
// the end waits behind records not yet processed, and closedWithoutCloseNotify is true only for a clean cut at a
// record boundary after the handshake (never for a cut inside a record, a forged record, or a cut mid-handshake).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual } from '../../engine-module/bytes/bytes.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';
import type { TlsClientEngine } from '../../engine-module/tls/engine.js';
import { makeLoopbackPki, type LoopbackPki } from '../../fuzz/pki.js';
import { recordBoundaries } from '../../fuzz/tls-case.js';
import { pumpAll, recordedEngine, recordTlsSession, type TlsRecording } from '../../fuzz/tls-recording.js';

let pki: LoopbackPki;
const recordings: Record<string, TlsRecording> = {};
beforeAll(async () => {
  pki = makeLoopbackPki();
  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) recordings[version] = await recordTlsSession(pki, version, nodeCrypto, 50_000);
});
afterAll(() => pki?.cleanup());

/** Replay the first `length` server bytes, read everything, end the transport; the engine and what it read. */
function replay(rec: TlsRecording, length: number, tamper?: number): { engine: TlsClientEngine; read: Uint8Array } {
  const engine = recordedEngine(rec, nodeCrypto);
  pumpAll(engine);
  const bytes = rec.serverBytes.slice(0, length);
  if (tamper !== undefined) bytes[tamper] ^= 1;
  engine.feed(bytes);
  pumpAll(engine);
  engine.transportClosed();
  const read = engine.readApplicationData(1 << 20).slice();
  return { engine, read };
}

describe.each(['TLSv1.3', 'TLSv1.2'])('transport end, %s', (version) => {
  const rec = () => recordings[version];
  /** Where the last record (the server's close_notify) starts. */
  const lastRecord = () => recordBoundaries(rec().serverBytes).at(-2)!;

  it('the whole session: closed by close_notify, every byte read (the end waited behind the unread records)', () => {
    const { engine, read } = replay(rec(), rec().serverBytes.length);
    expect([engine.status, engine.error, engine.closedWithoutCloseNotify]).toEqual(['closed', null, false]);
    expect(bytesEqual(read, rec().plaintext)).toBe(true);
  });

  it('cut at the record boundary before the close_notify: every byte read, then failed; closedWithoutCloseNotify', () => {
    const { engine, read } = replay(rec(), lastRecord());
    expect(bytesEqual(read, rec().plaintext)).toBe(true);
    expect([engine.status, engine.error]).toEqual(['failed', 'connection closed without close_notify: the data may be truncated']);
    expect(engine.closedWithoutCloseNotify).toBe(true);
  });

  it('cut inside a record: failed, not closedWithoutCloseNotify', () => {
    const { engine } = replay(rec(), lastRecord() + 3);
    expect(engine.status).toBe('failed');
    expect(engine.closedWithoutCloseNotify).toBe(false);
  });

  it('a forged record before a clean cut: failed on the bad tag, not closedWithoutCloseNotify', () => {
    const { engine } = replay(rec(), lastRecord(), lastRecord() - 1);
    expect(engine.error).toMatch(/bad AEAD tag/);
    expect(engine.closedWithoutCloseNotify).toBe(false);
  });

  it('cut during the handshake: failed, not closedWithoutCloseNotify', () => {
    const { engine } = replay(rec(), recordBoundaries(rec().serverBytes)[1]);
    expect(engine.error).toMatch(/connection closed during the handshake/);
    expect(engine.closedWithoutCloseNotify).toBe(false);
  });
});
