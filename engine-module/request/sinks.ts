// A response body kept in memory as it is decoded (downloads go to a file through file-store.ts).

/** A destination for body bytes. */
export interface BodySink {
  /** Append decoded bytes; false when they could not be stored. */
  write(data: Uint8Array): boolean;
  /** The body is complete: flush and release; false when that failed (the body may not be stored whole). */
  finish(): boolean;
  /** The request failed or was cancelled: release without completing (a partial file stays for a later resume). */
  abort(): void;
}

/** A sink that keeps the body in memory. */
export interface MemorySink extends BodySink {
  /** Everything written so far, as one array: a view of the sink's storage, never a copy. */
  bytes(): Uint8Array;
  /**
   * Storage for up to `rest` bytes that the transport will write straight into it, after `held` bytes that are still
   * to come through write(): a view of the sink's own storage (at most LANDING_MOST bytes, fewer where the storage
   * ends), or null when none can be set aside now without moving what is stored (a landing before is not yet joined
   * to the written bytes, the storage is being moved, or it cannot grow in place).
   */
  landingSpace(held: number, rest: number): Uint8Array | null;
  /** `n` more bytes were written into the landing space, in order. */
  landed(n: number): void;
}

/**
 * Storage set aside at once for a body of announced length. A hostile or mistaken Content-Length (gigabytes for a
 * short body) then costs at most this much; a longer body grows from there.
 */
export const PREALLOCATE_LIMIT = 64 * 1024 * 1024;
/** First storage of a body of unknown length. */
const INITIAL_CAPACITY = 64 * 1024;

/**
 * Most storage one landing takes at once (storage that grows in place is enlarged by this much at a time). Large,
 * so that a body is enlarged once, when its head arrives: enlarging tells the runtime of that much more memory, which
 * brings on a garbage collection, better then than in a frame in the middle of the body. Pages are only taken as
 * the socket writes them, and a hostile Content-Length costs address space, not memory.
 */
export const LANDING_MOST = 256 * 1024 * 1024;

/** Least of the earlier storage a write carries over into grown storage, besides twice its own length. */
const MOVE_STEP = 256 * 1024;

/** Most address space set aside for a body of announced length that grows in place (a hostile length costs no more). */
const MOST_RESERVED = 16 * 1024 * 1024 * 1024;

/** An ES2024 resizable ArrayBuffer (the project's type library predates them). */
interface ResizableBuffer extends ArrayBuffer {
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}

/**
 * Storage of `length` bytes that can grow in place up to `most`, where the runtime has resizable ArrayBuffers (the
 * address space is set aside, memory is only taken as it is written); null elsewhere. The view tracks its length.
 */
function growableStorage(length: number, most: number): { view: Uint8Array; buffer: ResizableBuffer } | null {
  if (!('resize' in ArrayBuffer.prototype)) return null;
  try {
    const Resizable = ArrayBuffer as unknown as new (n: number, options: { maxByteLength: number }) => ResizableBuffer;
    const buffer = new Resizable(length, { maxByteLength: most });
    return { view: new Uint8Array(buffer), buffer };
  } catch {
    return null; // the address space could not be set aside: storage is moved as it grows instead
  }
}

/**
 * A body held in memory, written in place as it arrives so that reading it at the end costs nothing. `expected` is
 * the announced length (-1 when unknown): storage for it is taken on the first write, up to PREALLOCATE_LIMIT; past
 * that, where the runtime has resizable ArrayBuffers, the storage grows in place up to the announced length, so
 * nothing is moved and each byte lands in fresh memory once (new pages cost far more to write than touched ones).
 * Otherwise storage doubles as needed, never beyond `limit` bytes when `limit` >= 0 (the caller refuses bodies over
 * it before writing them). What came before a growth is carried over a slice per write (at least twice the bytes
 * written), so no single write copies MiBs: the move is done long before the grown storage fills, and bytes() only
 * copies what is left of it when the body ends soon after growing.
 */
export function memorySink(expected = -1, limit = -1): MemorySink {
  let buffer: Uint8Array = new Uint8Array(0);
  /** The storage's ArrayBuffer when it grows in place (the view `buffer` tracks its length). */
  let growing: ResizableBuffer | null = null;
  let size = 0;
  // Storage before the last growth, whose first `toMove` bytes still go to `buffer` from offset `moved` on.
  let earlier: Uint8Array | null = null;
  let moved = 0;
  let toMove = 0;
  // A landing that began with bytes still to come through write(): it starts at `gapEnd` and holds `pastGap` bytes;
  // once writes reach it, both are joined into `size` (-1: nothing waits to be joined).
  let gapEnd = -1;
  let pastGap = 0;
  const ceiling = limit >= 0 ? limit : Infinity;
  const move = (bytes: number): void => {
    const end = Math.min(toMove, moved + bytes);
    buffer.set(earlier!.subarray(moved, end), moved);
    moved = end;
    if (moved === toMove) earlier = null;
  };
  const reserve = (needed: number): void => {
    if (earlier) move(toMove);
    const first = expected >= 0 ? Math.min(expected, PREALLOCATE_LIMIT) : INITIAL_CAPACITY;
    const capacity = Math.max(needed, Math.min(ceiling, buffer.length === 0 ? first : buffer.length * 2));
    if (growing && needed <= growing.maxByteLength) return growing.resize(Math.min(capacity, growing.maxByteLength));
    if (buffer.length === 0 && expected > capacity) {
      const storage = growableStorage(capacity, Math.min(expected, ceiling, MOST_RESERVED));
      if (storage) {
        ({ view: buffer, buffer: growing } = storage);
        return;
      }
    }
    growing = null;
    if (size > 0) {
      earlier = buffer;
      moved = 0;
      toMove = size;
    }
    buffer = new Uint8Array(capacity);
  };
  return {
    write(data) {
      if (size + data.length > buffer.length) reserve(size + data.length);
      buffer.set(data, size);
      size += data.length;
      if (size === gapEnd) {
        size += pastGap;
        gapEnd = -1;
      }
      if (earlier) move(Math.max(MOVE_STEP, 2 * data.length));
      return true;
    },
    landingSpace(held, rest) {
      if (gapEnd >= 0 || earlier || rest <= 0) return null;
      const from = size + held;
      if (buffer.length === 0) reserve(Math.min(from + rest, PREALLOCATE_LIMIT));
      let to = Math.min(from + rest, from + LANDING_MOST);
      if (growing) {
        to = Math.min(to, growing.maxByteLength);
        try {
          if (to > buffer.length) growing.resize(to);
        } catch {
          return null; // the memory could not be set aside: the body is read the usual way
        }
      } else to = Math.min(to, buffer.length);
      if (to <= from) return null;
      if (held > 0) {
        gapEnd = from;
        pastGap = 0;
      }
      return buffer.subarray(from, to);
    },
    landed(n) {
      if (gapEnd >= 0) pastGap += n;
      else size += n;
    },
    bytes() {
      if (earlier) move(toMove);
      return size === buffer.length ? buffer : buffer.subarray(0, size);
    },
    finish: () => true,
    abort() {
      buffer = new Uint8Array(0);
      growing = null;
      earlier = null;
      size = 0;
      gapEnd = -1;
    },
  };
}
