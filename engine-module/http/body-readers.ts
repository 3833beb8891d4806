import { concatBytes } from '../bytes/bytes.js';
import { isForbiddenInValue, isToken, isWhitespace } from './field-syntax.js';
import type { BodyFraming } from './framing.js';
import { ProtocolError } from './protocol-error.js';
import type { ReceiveBuffer } from './receive-buffer.js';

const EMPTY = new Uint8Array(0);

/** Decodes one framing of a response body from the receive buffer. */
export interface BodyReader {
  /** Body bytes decoded from what is buffered, at most `max`; empty when more input is needed. */
  read(buf: ReceiveBuffer, max: number): Uint8Array;
  /** True once the whole body has been read. */
  readonly done: boolean;
  /** Body length when the framing states it, else -1. */
  readonly length: number;
  /** The peer closed with nothing left to read: true when that ends this body cleanly (until-close framing). */
  endsAtClose(): boolean;
}

/** The reader for a framing. `lineLimit` bounds chunk-size lines and trailers. */
export function bodyReaderFor(framing: BodyFraming, lineLimit: number): BodyReader {
  switch (framing.kind) {
    case 'length':
      return new ContentLengthReader(framing.length);
    case 'chunked':
      return new ChunkedReader(lineLimit);
    case 'until-close':
      return new UntilCloseReader();
    case 'none':
      return new ContentLengthReader(0);
  }
}

/** Exactly `length` bytes. */
class ContentLengthReader implements BodyReader {
  private remaining: number;

  constructor(readonly length: number) {
    this.remaining = length;
  }

  get done(): boolean {
    return this.remaining === 0;
  }

  read(buf: ReceiveBuffer, max: number): Uint8Array {
    const out = buf.takeAtMost(Math.min(max, this.remaining));
    this.remaining -= out.length;
    return out;
  }

  endsAtClose(): boolean {
    return this.done;
  }
}

/** Everything until the peer closes. */
class UntilCloseReader implements BodyReader {
  readonly length = -1;
  done = false;

  read(buf: ReceiveBuffer, max: number): Uint8Array {
    return buf.takeAtMost(max);
  }

  endsAtClose(): boolean {
    this.done = true;
    return true;
  }
}

type ChunkState = 'size' | 'data' | 'data-end' | 'trailers' | 'done';

/** Chunked transfer coding (RFC 9112 §7.1): extensions ignored, trailers consumed, sizes checked against 2^53. */
class ChunkedReader implements BodyReader {
  readonly length = -1;
  private state: ChunkState = 'size';
  private remaining = 0;
  private trailerBytes = 0;
  private failure: unknown = null;

  constructor(private readonly lineLimit: number) {}

  get done(): boolean {
    return this.state === 'done';
  }

  endsAtClose(): boolean {
    return this.done;
  }

  read(buf: ReceiveBuffer, max: number): Uint8Array {
    if (this.failure) throw this.failure;
    const parts: Uint8Array[] = [];
    let size = 0;
    try {
      while (size < max) {
        const before = parts.length;
        if (!this.step(buf, max - size, parts)) break;
        if (parts.length > before) size += parts[before].length;
      }
    } catch (e) {
      // Data decoded before the error is returned first, so how the bytes were split never changes what is seen.
      if (parts.length === 0) throw e;
      this.failure = e;
    }
    return parts.length === 0 ? EMPTY : parts.length === 1 ? parts[0] : concatBytes(...parts);
  }

  /** Advance by one unit of input; false when blocked on input or finished. */
  private step(buf: ReceiveBuffer, room: number, out: Uint8Array[]): boolean {
    switch (this.state) {
      case 'size': {
        const line = buf.extractLine(this.lineLimit);
        if (!line) return false;
        this.remaining = parseChunkSize(line);
        this.state = this.remaining === 0 ? 'trailers' : 'data';
        return true;
      }
      case 'data': {
        if (buf.length === 0) return false;
        const data = buf.takeAtMost(Math.min(room, this.remaining));
        this.remaining -= data.length;
        out.push(data);
        if (this.remaining === 0) this.state = 'data-end';
        return true;
      }
      case 'data-end': {
        const line = buf.extractLine(this.lineLimit);
        if (!line) return false;
        if (line.length !== 0) throw new ProtocolError('chunk data not followed by CRLF');
        this.state = 'size';
        return true;
      }
      case 'trailers': {
        const before = buf.length;
        const line = buf.extractLine(this.lineLimit - this.trailerBytes);
        if (!line) return false;
        this.trailerBytes += before - buf.length;
        if (line.length === 0) this.state = 'done';
        else checkTrailerLine(line);
        return this.state !== 'done';
      }
      case 'done':
        return false;
    }
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** chunk-size [ BWS ";" chunk-ext ]: hex digits, then nothing or an extension (ignored, but no CTLs). */
function parseChunkSize(line: Uint8Array): number {
  let size = 0;
  let i = 0;
  for (; i < line.length && hexValue(line[i]) >= 0; i++) {
    size = size * 16 + hexValue(line[i]);
    if (size > Number.MAX_SAFE_INTEGER) throw new ProtocolError('chunk size past 2^53');
  }
  if (i === 0) throw new ProtocolError('missing chunk size');
  if (i === line.length) return size;
  let j = i;
  while (j < line.length && isWhitespace(line[j])) j++;
  if (j === line.length || line[j] !== 0x3b) throw new ProtocolError('invalid character after chunk size');
  for (; j < line.length; j++) if (isForbiddenInValue(line[j])) throw new ProtocolError('control character in a chunk extension');
  return size;
}

/** Trailer fields are consumed, but must still be well-formed field lines. */
function checkTrailerLine(line: Uint8Array): void {
  const colon = line.indexOf(0x3a);
  if (colon < 0 || !isToken(line.subarray(0, colon))) throw new ProtocolError('malformed trailer field');
  for (let i = colon + 1; i < line.length; i++) if (isForbiddenInValue(line[i])) throw new ProtocolError('control character in a trailer');
}
