// The TLS record layer (RFC 8446 §5, RFC 5246 §6.2): framing, size limits and AEAD protection. It knows nothing of
// handshakes; the engine tells it when keys change.

import { toHex } from '../bytes/bytes.js';
import { ReceiveRing } from '../net/receive-ring.js';
import type { Aead } from './crypto/provider.js';
import { TlsError, tlsError } from './tls-failure.js';

/** Record content types. */
export enum ContentType {
  change_cipher_spec = 20,
  alert = 21,
  handshake = 22,
  application_data = 23,
}

/** The largest plaintext fragment (RFC 8446 §5.1). */
export const MAX_PLAINTEXT = 1 << 14;
/** TLS 1.3 ciphertext may exceed the plaintext by at most 256 bytes (§5.2); TLS 1.2 by 2048 (RFC 5246 §6.2.3). */
const MAX_EXPANSION_13 = 256;
const MAX_EXPANSION_12 = 2048;
const HEADER = 5;
/** The input block's first size: a handshake's flight; it grows to what the reader lets wait (1 MiB by default). */
const INPUT_FIRST = 32 * 1024;
const INPUT_MOST = 2 * 1024 * 1024;

/** A record after decryption: its real content type and plaintext. */
export interface PlainRecord {
  type: ContentType;
  fragment: Uint8Array;
}

/** Protection of one direction with one traffic key. Sequence numbers live here and restart with each new key. */
export interface RecordProtection {
  /** The on-wire record for this plaintext. */
  seal(type: ContentType, plaintext: Uint8Array): Uint8Array;
  /** The plaintext of a received record; throws bad_record_mac when the tag does not verify. */
  open(type: number, fragment: Uint8Array): PlainRecord;
  /** Most bytes of ciphertext one record may carry. */
  readonly maxCiphertext: number;
}

/** XOR the 64-bit sequence number into the last 8 bytes of `out` (sequence numbers stay below 2^53). */
function xorSequence(out: Uint8Array, seq: number): void {
  const end = out.length;
  const high = Math.floor(seq / 0x100000000);
  out[end - 8] ^= high >>> 24;
  out[end - 7] ^= high >>> 16;
  out[end - 6] ^= high >>> 8;
  out[end - 5] ^= high;
  out[end - 4] ^= seq >>> 24;
  out[end - 3] ^= seq >>> 16;
  out[end - 2] ^= seq >>> 8;
  out[end - 1] ^= seq;
}

/** The per-record nonce: the IV with the sequence number XORed into its end (RFC 8446 §5.3, RFC 7905). */
function setNonce(nonce: Uint8Array, iv: Uint8Array, seq: number): void {
  nonce.set(iv);
  xorSequence(nonce, seq);
}

function setHeader(out: Uint8Array, at: number, type: number, length: number, minor = 3): void {
  out[at] = type;
  out[at + 1] = 3;
  out[at + 2] = minor;
  out[at + 3] = length >>> 8;
  out[at + 4] = length;
}

function withHeader(type: number, body: Uint8Array, minor = 3): Uint8Array {
  const out = new Uint8Array(HEADER + body.length);
  setHeader(out, 0, type, body.length, minor);
  out.set(body, HEADER);
  return out;
}

function badMac(): TlsError {
  return tlsError('bad-record-mac');
}

// Each protection reuses one nonce and one AAD buffer for all its records: an AEAD call is synchronous and done
// with both before the next record, so nothing per record is allocated besides the output.

/** TLS 1.3 protection: the real type travels inside the encryption, followed by optional zero padding. */
export function tls13Protection(aead: Aead, iv: Uint8Array): RecordProtection {
  let seq = 0;
  const nonce = new Uint8Array(iv.length);
  const aad = new Uint8Array(HEADER);
  return {
    maxCiphertext: MAX_PLAINTEXT + MAX_EXPANSION_13,
    seal(type, plaintext) {
      const inner = new Uint8Array(plaintext.length + 1);
      inner.set(plaintext);
      inner[plaintext.length] = type;
      setNonce(nonce, iv, seq++);
      setHeader(aad, 0, ContentType.application_data, inner.length + 16);
      return withHeader(ContentType.application_data, aead.seal(nonce, aad, inner));
    },
    open(type, fragment) {
      if (type !== ContentType.application_data) {
        throw tlsError('unexpected-message', `plaintext record of type ${type} after encryption started`);
      }
      setNonce(nonce, iv, seq++);
      setHeader(aad, 0, type, fragment.length);
      const inner = aead.open(nonce, aad, fragment);
      if (!inner) throw badMac();
      // The limit counts the content type and the padding too (§5.4).
      if (inner.length > MAX_PLAINTEXT + 1) {
        throw tlsError('record-overflow', `decrypted record of ${inner.length} bytes with padding, over 2^14 + 1`);
      }
      let end = inner.length;
      while (end > 0 && inner[end - 1] === 0) end--;
      if (end === 0) throw tlsError('unexpected-message', 'encrypted record without a content type');
      const innerType = inner[end - 1];
      // A ChangeCipherSpec is only ever sent in the clear (§5).
      if (innerType === ContentType.change_cipher_spec) {
        throw tlsError('unexpected-message', 'encrypted ChangeCipherSpec record');
      }
      return { type: innerType, fragment: inner.subarray(0, end - 1) };
    },
  };
}

/**
 * TLS 1.2 AEAD protection. AES-GCM sends an 8-byte explicit nonce after a 4-byte implicit salt (RFC 5288; the
 * sequence number serves as the explicit part); ChaCha20-Poly1305 derives the whole nonce as TLS 1.3 does (RFC 7905).
 */
export function tls12Protection(aead: Aead, iv: Uint8Array): RecordProtection {
  let seq = 0;
  const explicit = iv.length === 4;
  const nonce = new Uint8Array(12);
  // seq_num (8) || type || version || length (RFC 5246 §6.2.3.3)
  const aad = new Uint8Array(13);
  const aadSequence = aad.subarray(0, 8);
  const setNonceAndAad = (n: number, type: number, length: number) => {
    if (explicit) {
      nonce.set(iv);
      nonce.fill(0, 4);
      xorSequence(nonce, n);
    } else {
      setNonce(nonce, iv, n);
    }
    aadSequence.fill(0);
    xorSequence(aadSequence, n);
    setHeader(aad, 8, type, length);
  };
  return {
    maxCiphertext: MAX_PLAINTEXT + MAX_EXPANSION_12,
    seal(type, plaintext) {
      setNonceAndAad(seq++, type, plaintext.length);
      const sealed = aead.seal(nonce, aad, plaintext);
      const skip = explicit ? 8 : 0;
      const out = new Uint8Array(HEADER + skip + sealed.length);
      setHeader(out, 0, type, skip + sealed.length);
      if (explicit) out.set(nonce.subarray(4), HEADER);
      out.set(sealed, HEADER + skip);
      return out;
    },
    open(type, fragment) {
      const n = seq++;
      const skip = explicit ? 8 : 0;
      if (fragment.length < skip + 16) throw badMac();
      const body = fragment.subarray(skip);
      setNonceAndAad(n, type, body.length - 16);
      // The explicit part is whatever the server sent; only the implicit salt is ours.
      if (explicit) nonce.set(fragment.subarray(0, 8), 4);
      const plaintext = aead.open(nonce, aad, body);
      if (!plaintext) throw badMac();
      if (plaintext.length > MAX_PLAINTEXT) throw tlsError('record-overflow', 'decrypted record larger than 16 KiB');
      return { type, fragment: plaintext };
    },
  };
}

/**
 * Reads records from received bytes and writes records out, protected by whatever keys the engine installed.
 * Received bytes are framed as they arrive (headers only, nothing decrypted), so the engine knows how many whole
 * records wait without touching them.
 */
export class RecordLayer {
  /**
   * Received bytes, copied in as they are fed (a transport lends its bytes only until its next read) into one block
   * that is written over again: no allocation per read, and a record is a view of it until it is opened.
   */
  private readonly input = new ReceiveRing(INPUT_FIRST, INPUT_MOST);
  private reader: RecordProtection | null = null;
  private writer: RecordProtection | null = null;
  private seenRecord = false;
  private wroteRecord = false;
  /** Received bytes, from the front, that form whole records; the record being received starts here. */
  private whole = 0;

  /** Received bytes not yet taken as records. */
  get buffered(): number {
    return this.input.length;
  }

  /** True when at least one whole record is waiting to be read. */
  get hasWholeRecord(): boolean {
    return this.whole > 0;
  }

  /**
   * Bytes still missing from the record being received after the whole ones (its header first; never 0). Reading
   * exactly this much (plus the next header) lets a transport hand out views instead of joined copies.
   */
  get missingBytes(): number {
    const have = this.input.length - this.whole;
    if (have < HEADER) return HEADER - have;
    return HEADER + this.lengthAt(this.whole) - have;
  }

  feed(data: Uint8Array): void {
    this.input.put(data);
    for (;;) {
      const have = this.input.length - this.whole;
      if (have < HEADER) return;
      const size = HEADER + this.lengthAt(this.whole);
      if (have < size) return;
      this.whole += size;
    }
  }

  setReadProtection(p: RecordProtection): void {
    this.reader = p;
  }

  setWriteProtection(p: RecordProtection): void {
    this.writer = p;
  }

  /**
   * The next whole record, decrypted when read keys are installed; null while incomplete. A record that is
   * malformed, too large or fails authentication throws a {@link TlsError}.
   */
  readRecord(): PlainRecord | null {
    if (this.input.length < HEADER) {
      if (!this.seenRecord && this.input.length > 0) this.checkFirstByte();
      return null;
    }
    const type = this.input.at(0);
    const major = this.input.at(1);
    const length = this.lengthAt(0);
    if (type < ContentType.change_cipher_spec || type > ContentType.application_data || major !== 3) {
      throw this.notTls(type);
    }
    const limit = this.reader ? this.reader.maxCiphertext : MAX_PLAINTEXT;
    if (length > limit) {
      throw tlsError('record-overflow', `record of ${length} bytes exceeds the limit of ${limit}`);
    }
    if (this.input.length < HEADER + length) return null;
    this.seenRecord = true;
    this.whole -= HEADER + length;
    this.input.readJoined(HEADER);
    // A view of the input block (a copy only where a record wraps around its end), valid until the next read of it:
    // opened at once, and a record that is not encrypted is copied, as the engine keeps handshake bytes.
    const fragment = this.input.readJoined(length);
    // A ChangeCipherSpec is never encrypted (RFC 8446 §5; in TLS 1.2 it precedes the new keys).
    if (!this.reader || type === ContentType.change_cipher_spec) return { type, fragment: fragment.slice() };
    return this.reader.open(type, fragment);
  }

  /** Protect and frame `data` as records of at most 16 KiB each. */
  writeRecords(type: ContentType, data: Uint8Array, out: Uint8Array[]): void {
    let at = 0;
    do {
      const piece = data.subarray(at, Math.min(data.length, at + MAX_PLAINTEXT));
      out.push(this.writer && type !== ContentType.change_cipher_spec ? this.writer.seal(type, piece) : this.plainRecord(type, piece));
      at += piece.length;
    } while (at < data.length);
  }

  /** The first ClientHello goes out as version 1.0 for old middleboxes (RFC 8446 §5.1); everything else as 1.2. */
  private plainRecord(type: ContentType, piece: Uint8Array): Uint8Array {
    const minor = this.wroteRecord ? 3 : 1;
    this.wroteRecord = true;
    return withHeader(type, piece, minor);
  }

  /** The length field of the record header at `at`. */
  private lengthAt(at: number): number {
    return (this.input.at(at + 3) << 8) | this.input.at(at + 4);
  }

  private checkFirstByte(): void {
    const type = this.input.at(0);
    if (type < ContentType.change_cipher_spec || type > ContentType.application_data) throw this.notTls(type);
  }

  private notTls(type: number): TlsError {
    const n = Math.min(this.input.length, 8);
    const first: number[] = [];
    for (let i = 0; i < n; i++) first.push(this.input.at(i));
    const bytes = `first bytes ${toHex(Uint8Array.from(first))}`;
    return this.seenRecord ? tlsError('decode-error', `invalid record header (type ${type}): ${bytes}`) : tlsError('not-tls', bytes);
  }
}
