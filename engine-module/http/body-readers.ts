import { NO_BYTES } from '../net/chunk-queue.js';
import { isForbiddenInValue, isToken, isWhitespace } from './field-syntax.js';
import type { BodyFraming } from './framing.js';
import { ProtocolError } from './protocol-error.js';
import type { ReceiveBuffer } from './receive-buffer.js';

const CR = 0x0d;
const LF = 0x0a;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

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
export class ContentLengthReader implements BodyReader {
  /** Body bytes not yet read. */
  remaining: number;

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
          // Exactly CRLF (RFC 9112 §7.1): a lenient end of chunk data is a known response-smuggling lever.
          if (buf.length < 2) {
            if (buf.length === 1 && buf.peek(0) !== CR) throw new ProtocolError('chunk data not followed by CRLF');
            return NO_BYTES;
          }
          if (buf.peek(0) !== CR || buf.peek(1) !== LF) throw new ProtocolError('chunk data not followed by CRLF');
          buf.takeAtMost(2);
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

/**
 * chunk-size *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ) (RFC 9112 §7.1.1): hex digits, then
 * extensions, which are ignored but must each have a name (a bare ";" is refused) and no CTLs.
 */
function parseChunkSize(line: Uint8Array): number {
  let size = 0;
  let i = 0;
  for (; i < line.length && hexValue(line[i]) >= 0; i++) {
    size = size * 16 + hexValue(line[i]);
    if (size > Number.MAX_SAFE_INTEGER) throw new ProtocolError('chunk size past 2^53');
  }
  if (i === 0) throw new ProtocolError('missing chunk size');
  for (let j = i; j < line.length; j++) if (isForbiddenInValue(line[j])) throw new ProtocolError('control character in a chunk extension');
  const skipSpace = (at: number) => {
    while (at < line.length && isWhitespace(line[at])) at++;
    return at;
  };
  if (i === line.length) return size;
  let j = skipSpace(i);
  if (j === line.length) throw new ProtocolError('invalid character after chunk size');
  while (j < line.length) {
    if (line[j] !== SEMICOLON) throw new ProtocolError('invalid character after chunk size');
    const name = skipSpace(j + 1);
    let end = name;
    while (end < line.length && isToken(line, end, end + 1)) end++;
    if (end === name) throw new ProtocolError('chunk extension without a name');
    j = skipSpace(end);
    if (j < line.length && line[j] === EQUALS) j = skipSpace(skipExtensionValue(line, skipSpace(j + 1)));
  }
  return size;
}

/** The end of a chunk-ext-val at `at`: a token or a quoted-string (whose quoted pairs may hide ";"). */
function skipExtensionValue(line: Uint8Array, at: number): number {
  if (line[at] !== QUOTE) {
    let end = at;
    while (end < line.length && isToken(line, end, end + 1)) end++;
    if (end === at) throw new ProtocolError('chunk extension without a value after "="');
    return end;
  }
  for (let k = at + 1; k < line.length; k++) {
    if (line[k] === BACKSLASH) k++;
    else if (line[k] === QUOTE) return k + 1;
  }
  throw new ProtocolError('unterminated quoted chunk extension value');
}

/** Trailer fields are consumed, but must still be well-formed field lines. */
function checkTrailerLine(line: Uint8Array): void {
  const colon = line.indexOf(0x3a);
  if (colon < 0 || !isToken(line, 0, colon)) throw new ProtocolError('malformed trailer field');
  for (let i = colon + 1; i < line.length; i++) if (isForbiddenInValue(line[i])) throw new ProtocolError('control character in a trailer');
}
