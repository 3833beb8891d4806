// Streaming Content-Encoding decoders (fflate): bytes are decoded as they arrive, never buffered whole.
import { Gunzip, Inflate, Unzlib } from 'fflate';

/** A streaming decoder of one response body. Failures are results (null), never exceptions. */
export interface BodyDecoder {
  /** Decode the next encoded bytes; returns the decoded pieces (possibly none), or null when the stream is corrupt. */
  push(chunk: Uint8Array): Uint8Array[] | null;
  /** The encoded body ended; returns the last decoded pieces, or null when the stream is truncated. */
  end(): Uint8Array[] | null;
}

/** The Accept-Encoding sent when decompression is on. */
export const ACCEPT_ENCODING = 'gzip, deflate';

/**
 * A decoder for a response's Content-Encoding, or null when the body is to be delivered as it came: no encoding,
 * `identity`, or a coding this layer does not decode (the caller then sees the Content-Encoding header unchanged).
 */
export function createDecoder(contentEncoding: string | null): BodyDecoder | null {
  const coding = (contentEncoding ?? '').trim().toLowerCase();
  if (coding === 'gzip' || coding === 'x-gzip') return fflateDecoder((ondata) => new Gunzip(ondata));
  if (coding === 'deflate') return deflateDecoder();
  return null;
}

/** The subset of fflate's stream classes used here. */
interface FflateStream {
  push(chunk: Uint8Array, final?: boolean): void;
}

type OnData = (data: Uint8Array, final: boolean) => void;

function fflateDecoder(create: (ondata: OnData) => FflateStream): BodyDecoder {
  let out: Uint8Array[] = [];
  let done = false;
  let seen = false;
  const stream = create((data) => {
    if (data.length > 0) out.push(data);
  });
  const feed = (chunk: Uint8Array, final: boolean): Uint8Array[] | null => {
    try {
      stream.push(chunk, final);
    } catch {
      return null; // fflate reports corrupt or truncated data by throwing
    }
    const produced = out;
    out = [];
    return produced;
  };
  return {
    push(chunk) {
      if (done) return null;
      if (chunk.length > 0) seen = true;
      return feed(chunk, false);
    },
    end() {
      if (done) return [];
      done = true;
      // Some servers label an empty body with a Content-Encoding; nothing encoded decodes to nothing.
      return seen ? feed(new Uint8Array(0), true) : [];
    },
  };
}

/**
 * HTTP "deflate" is the zlib format (RFC 9110 §8.4.1.2), yet some servers send raw deflate. Like browsers, tell them
 * apart by the zlib header check (RFC 1950: CM = 8 and the first two bytes a multiple of 31).
 */
function deflateDecoder(): BodyDecoder {
  let inner: BodyDecoder | null = null;
  let head = new Uint8Array(0);
  const choose = (): BodyDecoder => {
    const zlib = (head[0] & 0x0f) === 8 && ((head[0] << 8) | head[1]) % 31 === 0;
    return fflateDecoder((ondata) => (zlib ? new Unzlib(ondata) : new Inflate(ondata)));
  };
  return {
    push(chunk) {
      if (inner) return inner.push(chunk);
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      head = joined;
      if (head.length < 2) return [];
      inner = choose();
      return inner.push(head);
    },
    end() {
      if (inner) return inner.end();
      if (head.length === 0) return [];
      const last = choose();
      const produced = last.push(head);
      const rest = produced && last.end();
      return produced && rest && [...produced, ...rest];
    },
  };
}
