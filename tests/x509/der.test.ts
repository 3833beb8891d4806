import { rootCertificates } from 'node:tls';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../engine-module/bytes/byte-reader.js';
import { fromHex } from '../../engine-module/bytes/bytes.js';
import { base64Decode } from '../../engine-module/bytes/base64.js';
import { parseCertificate } from '../../engine-module/tls/x509/certificate.js';
import {
  DerReader,
  Tag,
  checkInteger,
  decodeBitString,
  decodeBoolean,
  decodeOid,
  decodeTime,
  readSingle,
} from '../../engine-module/tls/x509/der.js';
import { pemToDer } from '../../engine-module/bytes/pem.js';
import { verifyCertificateChain } from '../../engine-module/tls/x509/path.js';

const read = (hex: string) => new DerReader(fromHex(hex)).read();

describe('strict DER reader', () => {
  it('reads short and long definite lengths', () => {
    expect(read('0403010203').value).toEqual(Uint8Array.from([1, 2, 3]));
    const long = read('048180' + '00'.repeat(128));
    expect(long.value.length).toBe(128);
    expect(long.raw.length).toBe(131);
    expect(read('04820100' + '00'.repeat(256)).value.length).toBe(256);
  });

  it('refuses indefinite, non-minimal and truncated lengths, and multi-byte tags', () => {
    for (const [hex, msg] of [
      ['308000000000', /indefinite/],
      ['04810100', /short length in long form/],
      ['0482000100', /leading zero/],
      ['0403 0102', /truncated/],
      ['04', /truncated/],
      ['1f2001 00', /multi-byte tags/],
      ['0485 0000000001 00', /too large/],
    ] as const) {
      expect(() => read(hex), hex).toThrow(msg);
    }
  });

  it('decodes OIDs and refuses non-minimal arcs', () => {
    expect(decodeOid(fromHex('2a864886f70d01010b'))).toBe('1.2.840.113549.1.1.11');
    expect(decodeOid(fromHex('551d13'))).toBe('2.5.29.19');
    expect(decodeOid(fromHex('8837'))).toBe('2.999');
    expect(() => decodeOid(fromHex('2a8086'))).toThrow(/leading zero/);
    expect(() => decodeOid(fromHex('2a86'))).toThrow(/truncated/);
    expect(() => decodeOid(new Uint8Array(0))).toThrow(DecodeError);
  });

  it('checks INTEGER, BOOLEAN and BIT STRING encodings', () => {
    expect(checkInteger(fromHex('00ff'))).toEqual(fromHex('00ff'));
    expect(() => checkInteger(fromHex('007f'))).toThrow(/minimally/);
    expect(() => checkInteger(fromHex('ff80'))).toThrow(/minimally/);
    expect(decodeBoolean(fromHex('ff'))).toBe(true);
    expect(() => decodeBoolean(fromHex('01'))).toThrow(DecodeError);
    expect(decodeBitString(fromHex('0680'))).toEqual({ bytes: fromHex('80'), unusedBits: 6 });
    expect(() => decodeBitString(fromHex('0681'))).toThrow(/unused bits/);
    expect(() => decodeBitString(fromHex('08ff'))).toThrow(DecodeError);
  });

  it('decodes UTCTime and GeneralizedTime as RFC 5280 profiles them', () => {
    const t = (hex: string) => decodeTime(read(hex)).toISOString();
    const utc = (s: string) => '17' + (s.length).toString(16).padStart(2, '0') + Buffer.from(s).toString('hex');
    const gen = (s: string) => '18' + (s.length).toString(16).padStart(2, '0') + Buffer.from(s).toString('hex');
    expect(t(utc('491231235959Z'))).toBe('2049-12-31T23:59:59.000Z');
    expect(t(utc('500101000000Z'))).toBe('1950-01-01T00:00:00.000Z');
    expect(t(gen('99991231235959Z'))).toBe('9999-12-31T23:59:59.000Z');
    expect(t(gen('20240229120000Z'))).toBe('2024-02-29T12:00:00.000Z');
    const bads = [
      utc('4912312359Z'),
      utc('491231235959+0100'),
      gen('20230229120000Z'),
      gen('20241301000000Z'),
      gen('20240101000000.5Z'),
      utc('491231246000Z'),
    ];
    for (const bad of bads) {
      expect(() => decodeTime(read(bad)), bad).toThrow(/invalid time/);
    }
  });

  it('refuses trailing data after a single element', () => {
    expect(() => readSingle(fromHex('0500 00'), Tag.NULL, 'NULL')).toThrow(/unexpected data/);
  });
});

describe('base64 and PEM', () => {
  it('decodes base64 exactly as Node does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const b64 = Buffer.from(bytes).toString('base64');
        expect(base64Decode(b64)).toEqual(bytes);
        expect(base64Decode(b64.replace(/(.{64})/g, '$1\r\n'))).toEqual(bytes);
      }),
    );
  });

  it('refuses bad characters and padding', () => {
    for (const bad of ['abc', 'ab=c', 'a===', 'ab$=', '====', 'YQ==YQ==']) {
      expect(() => base64Decode(bad), bad).toThrow(DecodeError);
    }
  });

  it('extracts CERTIFICATE blocks only, ignoring text and other blocks around them', () => {
    const [a, b] = rootCertificates;
    const bundle = `subject=whatever\n${a}\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\nnoise\n${b}\ntrailer`;
    const ders = pemToDer(bundle);
    expect(ders.length).toBe(2);
    expect(pemToDer('no certificates here')).toEqual([]);
    expect(() => pemToDer(a.replace('-----END CERTIFICATE-----', ''))).toThrow(/no END line/);
  });
});

describe('malformed certificates', () => {
  const der = pemToDer(rootCertificates.find((p) => p.length < 1200) ?? rootCertificates[0])[0];

  it('parseCertificate throws only DecodeError for random corruption and truncation', () => {
    fc.assert(
      fc.property(fc.nat({ max: der.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), (at, xor, cut) => {
        const bad = cut ? der.subarray(0, at) : der.slice();
        if (!cut) bad[at] ^= xor;
        try {
          parseCertificate(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('verifyCertificateChain answers with a reason for any corruption, never a throw', () => {
    fc.assert(
      fc.property(fc.nat({ max: der.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bad = der.slice();
        bad[at] ^= xor;
        const r = verifyCertificateChain([bad], { hostname: 'example.com', roots: [der], now: new Date() });
        expect(r.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
