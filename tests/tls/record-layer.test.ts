import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../engine-module/bytes/bytes.js';
import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { TlsError } from '../../engine-module/tls/tls-failure.js';
import {
  ContentType,
  RecordLayer,
  tls12Protection,
  tls13Protection,
} from '../../engine-module/tls/record-layer.js';

const key16 = fromHex('000102030405060708090a0b0c0d0e0f');
const iv12 = fromHex('a0a1a2a3a4a5a6a7a8a9aaab');

function sealedRecords(n: number, protection = () => tls13Protection(pureCrypto.aead('aes-128-gcm', key16), iv12)) {
  const writer = new RecordLayer();
  writer.setWriteProtection(protection());
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) writer.writeRecords(ContentType.application_data, Uint8Array.of(i, i, i), out);
  return concatBytes(...out);
}

describe('RecordLayer', () => {
  it('reads the same records from every split of the byte stream', () => {
    const wire = sealedRecords(3);
    for (let cut1 = 0; cut1 <= wire.length; cut1 += 1) {
      const cut2 = Math.min(wire.length, cut1 + 7);
      const reader = new RecordLayer();
      reader.setReadProtection(tls13Protection(pureCrypto.aead('aes-128-gcm', key16), iv12));
      const got: number[] = [];
      for (const piece of [wire.subarray(0, cut1), wire.subarray(cut1, cut2), wire.subarray(cut2)]) {
        reader.feed(piece);
        for (let r = reader.readRecord(); r; r = reader.readRecord()) {
          expect(r.type).toBe(ContentType.application_data);
          got.push(r.fragment[0]);
        }
      }
      expect(got).toEqual([0, 1, 2]);
      expect(reader.buffered).toBe(0);
    }
  });

  it('counts the bytes missing from the record being received after the whole ones, header first', () => {
    const wire = sealedRecords(3);
    const size = 5 + (wire[3] << 8) + wire[4];
    const reader = new RecordLayer();
    reader.setReadProtection(tls13Protection(pureCrypto.aead('aes-128-gcm', key16), iv12));
    expect([reader.missingBytes, reader.hasWholeRecord]).toEqual([5, false]);
    reader.feed(wire.subarray(0, 3));
    expect(reader.missingBytes).toBe(2);
    reader.feed(wire.subarray(3, 10));
    expect(reader.missingBytes).toBe(size - 10);
    reader.feed(wire.subarray(10, size + 1));
    expect([reader.missingBytes, reader.hasWholeRecord]).toEqual([4, true]);
    reader.feed(wire.subarray(size + 1, 2 * size + 5));
    expect(reader.missingBytes).toBe(size - 5);
    expect(reader.readRecord()?.fragment[0]).toBe(0);
    expect([reader.missingBytes, reader.hasWholeRecord]).toEqual([size - 5, true]);
    expect(reader.readRecord()?.fragment[0]).toBe(1);
    expect([reader.missingBytes, reader.hasWholeRecord]).toEqual([size - 5, false]);
    expect(reader.readRecord()).toBeNull();
  });

  it('splits writes into records of at most 16 KiB', () => {
    const layer = new RecordLayer();
    const out: Uint8Array[] = [];
    layer.writeRecords(ContentType.application_data, new Uint8Array(40000), out);
    expect(out.map((r) => r.length - 5)).toEqual([16384, 16384, 7232]);
    // The first plaintext record carries version 1.0 for old middleboxes, later ones 1.2.
    expect(toHex(out[0].subarray(0, 3))).toBe('170301');
    expect(toHex(out[1].subarray(0, 3))).toBe('170303');
  });

  it('strips TLS 1.3 padding and finds the real content type', () => {
    const aead = pureCrypto.aead('aes-128-gcm', key16);
    const inner = concatBytes(Uint8Array.of(7, 8), Uint8Array.of(ContentType.handshake), new Uint8Array(100));
    const aad = Uint8Array.of(23, 3, 3, 0, inner.length + 16);
    const record = concatBytes(aad, aead.seal(iv12, aad, inner));
    const reader = new RecordLayer();
    reader.setReadProtection(tls13Protection(aead, iv12));
    reader.feed(record);
    const r = reader.readRecord()!;
    expect(r.type).toBe(ContentType.handshake);
    expect([...r.fragment]).toEqual([7, 8]);
  });

  it('refuses oversized records, bad tags and bytes that are not TLS', () => {
    const big = new RecordLayer();
    big.feed(Uint8Array.of(22, 3, 3, 0x40, 0x01));
    expect(() => big.readRecord()).toThrow(/record of 16385 bytes exceeds the limit of 16384/);

    const wire = sealedRecords(1);
    wire[wire.length - 1] ^= 1;
    const tampered = new RecordLayer();
    tampered.setReadProtection(tls13Protection(pureCrypto.aead('aes-128-gcm', key16), iv12));
    tampered.feed(wire);
    let error: unknown;
    try {
      tampered.readRecord();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TlsError);
    expect((error as TlsError).failure.code).toBe('bad-record-mac');

    const garbage = new RecordLayer();
    garbage.feed(Uint8Array.of(0x48, 0x54));
    expect(() => garbage.readRecord()).toThrow('the server did not answer with TLS: first bytes 4854');
  });

  it('TLS 1.2 GCM carries the explicit nonce and round-trips; ChaCha20 does not', () => {
    for (const [aeadName, key, iv, overhead] of [
      ['aes-128-gcm', key16, iv12.subarray(0, 4), 8 + 16],
      ['chacha20-poly1305', new Uint8Array(32).fill(9), iv12, 16],
    ] as const) {
      const make = () => tls12Protection(pureCrypto.aead(aeadName, key), iv);
      const wire = sealedRecords(2, make);
      expect(wire.length).toBe(2 * (5 + 3 + overhead));
      const reader = new RecordLayer();
      reader.setReadProtection(make());
      reader.feed(wire);
      expect([...reader.readRecord()!.fragment]).toEqual([0, 0, 0]);
      expect([...reader.readRecord()!.fragment]).toEqual([1, 1, 1]);
    }
  });
});
