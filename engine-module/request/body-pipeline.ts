// Where a response body goes once it is read: decoder → size limit → sink (memory, or a file through the file store)
// → cache writer. A file sink may open and store later (asynchronous files): bytes handed to it and not yet stored
// are bounded, and the body counts as complete only once the file is closed.
import type { CacheWriter } from './cache.js';
import type { BodyDecoder } from './decoding.js';
import { doneCell, thenCell, type Cell, type FileStore, type StoreSink } from './file-store.js';
import type { Failure } from './job.js';
import { Result } from './result.js';
import { memorySink, type MemorySink } from './sinks.js';

/**
 * Bytes handed to an asynchronous file and not stored yet beyond which no more body is read: the connection's own
 * flow control then holds the rest back instead of memory.
 */
export const SINK_BACKLOG_LIMIT = 4 * 1024 * 1024;

/** Why the body could not be stored. */
export type PipelineFailure = Failure;

/** One body's way to its destination. */
export interface BodyPipeline {
  readonly decoder: BodyDecoder | null;
  /** Largest decoded body, -1 for none. */
  readonly limit: number;
  /** The sink, open or opening. */
  readonly sink: Cell<StoreSink>;
  /** The memory sink when the body stays in memory. */
  readonly memory: MemorySink | null;
  /** The file the body goes to, or null. */
  readonly path: string | null;
  cacheWriter: CacheWriter | null;
  decoded: number;
  /** Pieces stored when the body is over: the decoder's last ones, or a whole body from the cache. */
  tail: Uint8Array[];
  /** The sink's close, once started. */
  closing: Cell<void> | null;
}

/** A pipeline into memory; `expected` is the announced length (-1 when unknown or encoded). */
export function memoryPipeline(decoder: BodyDecoder | null, limit: number, expected: number): BodyPipeline {
  const memory = memorySink(expected, limit);
  const sink: StoreSink = {
    write: (data) => void memory.write(data),
    backlog: () => 0,
    failure: () => null,
    close: () => doneCell(undefined),
  };
  return { decoder, limit, sink: doneCell(sink), memory, path: null, cacheWriter: null, decoded: 0, tail: [], closing: null };
}

/** A pipeline into a file, opened now (truncated, or appended to when resuming). */
export function filePipeline(store: FileStore, path: string, append: boolean, decoder: BodyDecoder | null, limit: number): BodyPipeline {
  const sink = store.open(path, append);
  return { decoder, limit, sink, memory: null, path, cacheWriter: null, decoded: 0, tail: [], closing: null };
}

/**
 * Whether body bytes may be read now: 'open' (go on), 'wait' (the file is still opening, or holds more than
 * SINK_BACKLOG_LIMIT unstored bytes), or why the body cannot be stored.
 */
export function sinkState(p: BodyPipeline): 'open' | 'wait' | PipelineFailure {
  const { sink } = p;
  if (sink.state === 'pending') return 'wait';
  if (sink.state === 'failed') return cantOpen(p, sink.reason);
  const failed = sink.value!.failure();
  if (failed !== null) return writeError(p, 'write', failed);
  return sink.value!.backlog() > SINK_BACKLOG_LIMIT ? 'wait' : 'open';
}

/** Unstored bytes in the sink (0 while it opens). */
export function backlogOf(p: BodyPipeline): number {
  return p.sink.state === 'done' ? p.sink.value!.backlog() : 0;
}

/** Store decoded pieces (the sink is open): counted against the limit, written, and copied to the cache writer. */
export function storePieces(p: BodyPipeline, pieces: readonly Uint8Array[]): PipelineFailure | null {
  const sink = p.sink.value!;
  for (const piece of pieces) {
    p.decoded += piece.length;
    if (p.limit >= 0 && p.decoded > p.limit) {
      return { result: Result.BODY_SIZE_LIMIT_EXCEEDED, words: `body is over ${p.limit} bytes` };
    }
    sink.write(piece);
    const failed = sink.failure();
    if (failed !== null) return writeError(p, 'write', failed);
    p.cacheWriter?.write(piece);
  }
  return null;
}

/**
 * One step of completing a body whose bytes have all arrived: once the sink is open, store the tail and close it;
 * 'closed' when everything is stored, 'wait' while the file is opening or closing, else why it failed.
 */
export function finishStep(p: BodyPipeline): 'closed' | 'wait' | PipelineFailure {
  const { sink } = p;
  if (sink.state === 'pending') return 'wait';
  if (sink.state === 'failed') return cantOpen(p, sink.reason);
  if (!p.closing) {
    const failed = storePieces(p, p.tail);
    p.tail = [];
    if (failed) return failed;
    p.closing = sink.value!.close();
  }
  if (p.closing.state === 'pending') return 'wait';
  if (p.closing.state === 'failed') return writeError(p, 'complete', p.closing.reason);
  const failed = sink.value!.failure();
  return failed === null ? 'closed' : writeError(p, 'write', failed);
}

/** The request failed or was cancelled: close the sink (a partial file stays for a resume), drop the cache entry. */
export function abortPipeline(p: BodyPipeline): void {
  p.memory?.abort();
  if (!p.closing) p.closing = thenCell(p.sink, (sink) => sink.close());
  p.cacheWriter?.abort();
  p.cacheWriter = null;
}

function cantOpen(p: BodyPipeline, reason: string): PipelineFailure {
  return { result: Result.DOWNLOAD_FILE_CANT_OPEN, words: `cannot open ${p.path}${reason ? `: ${reason}` : ''}` };
}

function writeError(p: BodyPipeline, what: 'write' | 'complete', reason: string): PipelineFailure {
  return { result: Result.DOWNLOAD_FILE_WRITE_ERROR, words: `cannot ${what} ${p.path}${reason ? `: ${reason}` : ''}` };
}
