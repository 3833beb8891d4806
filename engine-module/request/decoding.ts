// Streaming Content-Encoding decoders (fflate). Encoded bytes are queued as they arrive and decoded a slice per step,
// so the caller decides how much decoding one tick does: a few KiB of gzip can expand to megabytes, and fflate runs
// far slower than usual until the JIT has warmed it up, so feeding a whole chunk at once could stall a frame (the
// decoder's warm-up, at the end, lets the request layer pay that first use ahead, in small pieces).
import { Gunzip, Inflate, Unzlib } from 'fflate';
import { base64Decode } from '../bytes/base64.js';
import { ReceiveBuffer } from '../http/receive-buffer.js';
import { ownedCopy } from '../bytes/bytes.js';
import { warmUpSteps, type WarmUp } from '../tls/warm-up.js';

/** A streaming decoder of one response body. Failures are results (null), never exceptions. */
export interface BodyDecoder {
  /** Queue encoded bytes (copied: the caller may reuse its buffer); nothing is decoded until {@link step}. */
  write(chunk: Uint8Array): void;
  /** Encoded bytes the next {@link step} can work on (0: nothing to do until more arrives or the body ends). */
  pending(): number;
  /**
   * Decode one slice of the queued bytes, sized to yield about {@link STEP_OUTPUT} bytes at the compression ratio seen
   * so far. Returns the decoded pieces (possibly none), or null when the stream is corrupt.
   */
  step(): Uint8Array[] | null;
  /** The encoded body ended: decode what is still queued; the last pieces, or null when the stream is truncated. */
  end(): Uint8Array[] | null;
}

/** The Accept-Encoding sent when decompression is on. */
export const ACCEPT_ENCODING = 'gzip, deflate';

/** Decoded bytes one step aims at: tens of microseconds once warm, about a millisecond while fflate is still cold. */
export const STEP_OUTPUT = 8 * 1024;
/** Fewest encoded bytes per step: deflate expands at most ~1032:1, so no step yields more than about 256 KiB. */
export const MIN_STEP_INPUT = 256;
/** Most encoded bytes per step (slices of incompressible data; each step also has a fixed cost in fflate). */
export const MAX_STEP_INPUT = 16 * 1024;

/**
 * A decoder for a response's Content-Encoding, or null when the body is to be delivered as it came: no encoding,
 * `identity`, or a coding this layer does not decode (the caller then sees the Content-Encoding header unchanged).
 */
export function createDecoder(contentEncoding: string | null): BodyDecoder | null {
  const coding = (contentEncoding ?? '').trim().toLowerCase();
  if (coding === 'gzip' || coding === 'x-gzip') return slicedDecoder(0, (_head, ondata) => new Gunzip(ondata));
  if (coding === 'deflate') return slicedDecoder(2, openDeflate);
  return null;
}

/**
 * Encoded bytes for the next step, given the expansion `ratio` seen so far (decoded bytes per encoded byte) and the
 * previous step's input (0 before the first). Steps start at the smallest and at most double, since the first bytes
 * (headers, Huffman tables) say little about how far the rest expands.
 */
export function stepInputSize(ratio: number, previous: number): number {
  const byRatio = ratio > 0 ? Math.floor(STEP_OUTPUT / ratio) : MAX_STEP_INPUT;
  return Math.max(MIN_STEP_INPUT, Math.min(MAX_STEP_INPUT, byRatio, 2 * previous));
}

/** The subset of fflate's stream classes used here. */
interface FflateStream {
  push(chunk: Uint8Array, final?: boolean): void;
}

type OnData = (data: Uint8Array, final: boolean) => void;

/** Opens the fflate stream once `headBytes` are queued (or at the end); `head(i)` is the i-th byte, 0 past the end. */
type OpenStream = (head: (i: number) => number, ondata: OnData) => FflateStream;

function slicedDecoder(headBytes: number, open: OpenStream): BodyDecoder {
  const input = new ReceiveBuffer();
  let stream: FflateStream | null = null;
  let out: Uint8Array[] = [];
  let consumed = 0;
  let produced = 0;
  /** The larger of the whole stream's ratio and the last step's, so a stream that turns denser is caught at once. */
  let ratio = 0;
  let previous = 0;
  let done = false;
  let seen = false;
  const ondata: OnData = (data) => {
    if (data.length > 0) out.push(data);
  };
  /** Decode the next `size` queued bytes (the stream is opened first, while its head bytes are still queued). */
  const feed = (size: number, final: boolean): Uint8Array[] | null => {
    stream ??= open((i) => (i < input.length ? input.peek(i) : 0), ondata);
    const slice = input.takeAtMost(size);
    try {
      stream.push(slice, final);
    } catch {
      return null; // fflate reports corrupt or truncated data by throwing
    }
    const pieces = out;
    out = [];
    const yielded = pieces.reduce((n, p) => n + p.length, 0);
    consumed += slice.length;
    produced += yielded;
    ratio = Math.max(produced / consumed, slice.length > 0 ? yielded / slice.length : 0);
    return pieces;
  };
  const pending = (): number => (done || (!stream && input.length < headBytes) ? 0 : input.length);
  return {
    write(chunk) {
      if (chunk.length === 0 || done) return;
      seen = true;
      // Queued past this call, while the chunk may be a view of a buffer the transport reuses: keep a copy.
      input.append(ownedCopy(chunk));
    },
    pending,
    step() {
      if (pending() === 0) return [];
      previous = Math.min(stepInputSize(ratio, previous), input.length);
      return feed(previous, false);
    },
    end() {
      if (done) return [];
      done = true;
      // Some servers label an empty body with a Content-Encoding; nothing encoded decodes to nothing.
      return seen ? feed(input.length, true) : [];
    },
  };
}

/**
 * HTTP "deflate" is the zlib format (RFC 9110 §8.4.1.2), yet some servers send raw deflate. Like browsers, tell them
 * apart by the zlib header check (RFC 1950: CM = 8 and the first two bytes a multiple of 31).
 */
function openDeflate(head: (i: number) => number, ondata: OnData): FflateStream {
  const zlib = (head(0) & 0x0f) === 8 && ((head(0) << 8) | head(1)) % 31 === 0;
  return zlib ? new Unzlib(ondata) : new Inflate(ondata);
}

/**
 * A small raw deflate stream with a dynamic Huffman block (the kind gzip bodies carry): 1,273 bytes of JSON lines.
 * Inflating it runs the code a body's first decode step would otherwise run for the first time in the process.
 */
export const WARM_UP_DEFLATE = 'nZRLCsMgFEXnXUV44wyiSX/ZTUi1CqIlEToo3XsLhVZfEW4cOjjIuRzeg+yFxq6luwk0kr/NHbXkrFfvVzSqmYP1a6Mn5xqndKTn7oOIBBFFZLFX82Nkwsgio6c1quUL9QnUF6EYfPbVkFADZrSHRsiNDtAKzOgIzcCNTtAOmdEZGiE3ElgLTElgOXAngRWRh4cFwaywHrgVlsSfFVZFboVFwaywJrgVlgW3khVHQlZdiaozITfeiRc=';

/** Inflates of {@link WARM_UP_DEFLATE} in the decoder's warm-up: enough for the engine to compile fflate's inflate. */
export const INFLATE_WARM_UP_STEPS = 8;

let inflateWarmUp: WarmUp | null = null;

/**
 * The decoder's warm-up, one per process (what it warms is compiled code, shared by every body): each step inflates
 * {@link WARM_UP_DEFLATE} once. fflate's first decode of a body otherwise builds its first Huffman tables in
 * uncompiled code: several milliseconds, in one step, whatever the step's size. Never throws.
 */
export function decoderWarmUp(): WarmUp {
  let stream: Uint8Array | null = null;
  return (inflateWarmUp ??= warmUpSteps(INFLATE_WARM_UP_STEPS, () => {
    new Inflate(() => {}).push((stream ??= base64Decode(WARM_UP_DEFLATE)), true);
  }));
}
