import { NO_BYTES } from '../net/chunk-queue.js';
import { isForbiddenInValue, isToken, isWhitespace } from './field-syntax.js';
import type { BodyFraming } from './framing.js';
import { ProtocolError } from './protocol-error.js';
import type { ReceiveBuffer } from './receive-buffer.js';

/** Decodes one framing of a response body from the receive buffer. */
export interface BodyReader {
  /**
   * The next contiguous piece of body decoded from what is buffered, at most `max` bytes: a view of a received chunk,
   * never a copy, so it may be shorter than what is buffered (call again for more). Empty when more input is needed.
   */
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
    const out = buf.takeView(Math.min(max, this.remaining));
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
    return buf.takeView(max);
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

  constructor(private readonly lineLimit: number) {}

  get done(): boolean {
    return this.state === 'done';
  }

  endsAtClose(): boolean {
    return this.done;
  }

  /** Framing is consumed until a data piece comes out: that piece is returned at once, so no pieces are joined here. */
  read(buf: ReceiveBuffer, max: number): Uint8Array {
    for (;;) {
      switch (this.state) {
        case 'size': {
          const line = buf.extractLine(this.lineLimit);
          if (!line) return NO_BYTES;
          this.remaining = parseChunkSize(line);
          this.state = this.remaining === 0 ? 'trailers' : 'data';
          break;
        }
        case 'data': {
          const data = buf.takeView(Math.min(max, this.remaining));
          this.remaining -= data.length;
          if (this.remaining === 0) this.state = 'data-end';
          return data;
        }
        case 'data-end': {
          const line = buf.extractLine(this.lineLimit);
          if (!line) return NO_BYTES;
          if (line.length !== 0) throw new ProtocolError('chunk data not followed by CRLF');
          this.state = 'size';
          break;
        }
        case 'trailers': {
          const before = buf.length;
          const line = buf.extractLine(this.lineLimit - this.trailerBytes);
          if (!line) return NO_BYTES;
          this.trailerBytes += before - buf.length;
          if (line.length === 0) this.state = 'done';
          else checkTrailerLine(line);
          break;
        }
        case 'done':
          return NO_BYTES;
      }
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
  if (colon < 0 || !isToken(line, 0, colon)) throw new ProtocolError('malformed trailer field');
  for (let i = colon + 1; i < line.length; i++) if (isForbiddenInValue(line[i])) throw new ProtocolError('control character in a trailer');
}
