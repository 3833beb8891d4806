// The request layer's one view of a platform's files, synchronous (`files`) or asynchronous (`asyncFiles`, a
// browser's Origin Private File System). Every operation returns a cell the job looks at on its next steps: a
// synchronous result is settled at once, so Node and embedded hosts take no extra tick; a promise settles between
// ticks. Nothing here throws into a tick: a rejection or a host exception becomes a failed cell or a sink failure.
import type { AsyncFileAccess, AsyncFileSink, FileAccess, Platform } from '../platform/platform.js';
import { ownedCopy } from '../bytes/bytes.js';

/** The state of an operation that may complete later. Read {@link state}; `value` is set when done. */
export interface Cell<T> {
  readonly state: 'pending' | 'done' | 'failed';
  readonly value: T | undefined;
  /** Why it failed, in words; empty otherwise. */
  readonly reason: string;
}

/** A cell that settles later; `promise` never rejects (its outcome is in the cell). */
interface LaterCell<T> extends Cell<T> {
  state: 'pending' | 'done' | 'failed';
  value: T | undefined;
  reason: string;
  promise?: Promise<void>;
}

export function doneCell<T>(value: T): Cell<T> {
  return { state: 'done', value, reason: '' };
}

export function failedCell<T>(reason: string): Cell<T> {
  return { state: 'failed', value: undefined, reason };
}

/** The words of a rejection or exception. */
function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A cell settled by `start()`'s promise; a synchronous throw fails it at once. */
export function laterCell<T>(start: () => Promise<T>): Cell<T> {
  const cell: LaterCell<T> = { state: 'pending', value: undefined, reason: '' };
  let p: Promise<T>;
  try {
    p = start();
  } catch (e) {
    return failedCell(reasonOf(e));
  }
  cell.promise = p.then(
    (value) => void ((cell.state = 'done'), (cell.value = value)),
    (e: unknown) => void ((cell.state = 'failed'), (cell.reason = reasonOf(e))),
  );
  return cell;
}

/** A promise of a cell's value (rejecting with its reason), to chain a settled or pending cell alike. */
function valueOf<T>(cell: Cell<T>): Promise<T> {
  if (cell.state === 'done') return Promise.resolve(cell.value as T);
  if (cell.state === 'failed') return Promise.reject(new Error(cell.reason));
  return (cell as LaterCell<T>).promise!.then(() => valueOf(cell));
}

/** `next` applied to the cell's value once it is done: settled at once when `cell` is, else later. */
export function thenCell<T, U>(cell: Cell<T>, next: (value: T) => Cell<U>): Cell<U> {
  if (cell.state === 'done') return next(cell.value as T);
  if (cell.state === 'failed') return failedCell(cell.reason);
  return laterCell(() => valueOf(cell).then((v) => valueOf(next(v))));
}

/** Where a download's bytes go, the same for synchronous and asynchronous files. */
export interface StoreSink {
  /** Append bytes (not kept: an asynchronous sink copies them); a failure shows in {@link failure}. */
  write(data: Uint8Array): void;
  /** Bytes handed over and not stored yet (always 0 for synchronous files). */
  backlog(): number;
  /** The first write failure in words (possibly empty when the host gave none), or null. */
  failure(): string | null;
  /** Flush and close after the writes made so far; a partial file is kept (a later request resumes it). */
  close(): Cell<void>;
}

/** The platform's files as cells. */
export interface FileStore {
  /** Size in bytes, -1 when the file does not exist. */
  size(path: string): Cell<number>;
  /** A whole file, null when missing (or when the files cannot be read back). */
  read(path: string): Cell<Uint8Array | null>;
  remove(path: string): Cell<void>;
  /** Open for writing (truncate, or append); failed when it cannot be opened. */
  open(path: string, append: boolean): Cell<StoreSink>;
}

/** The store over the platform's files: synchronous ones when present, else asynchronous ones, else null. */
export function fileStoreOf(platform: Platform): FileStore | null {
  if (platform.files) return syncStore(platform.files);
  return platform.asyncFiles ? asyncStore(platform.asyncFiles) : null;
}

const NOTHING = doneCell<void>(undefined);

function syncStore(files: FileAccess): FileStore {
  return {
    size: (path) => doneCell(files.size(path)),
    read: (path) => doneCell(files.read ? files.read(path) : null),
    remove(path) {
      files.remove?.(path);
      return NOTHING;
    },
    open(path, append) {
      const file = files.open(path, append);
      if (!file) return failedCell('');
      let failed: string | null = null;
      let closed: Cell<void> | null = null;
      return doneCell<StoreSink>({
        write(data) {
          if (failed !== null || closed) return;
          try {
            if (!file.write(data)) failed = '';
          } catch (e) {
            failed = reasonOf(e); // a host file API may throw; the request reports it instead
          }
        },
        backlog: () => 0,
        failure: () => failed,
        close() {
          if (closed) return closed;
          try {
            file.close();
            closed = NOTHING;
          } catch (e) {
            closed = failedCell(reasonOf(e));
          }
          return closed;
        },
      });
    },
  };
}

function asyncStore(files: AsyncFileAccess): FileStore {
  return {
    size: (path) => laterCell(() => files.size(path)),
    read: (path) => laterCell(() => files.read(path)),
    remove: (path) => laterCell(() => files.remove(path)),
    open: (path, append) => laterCell(() => files.open(path, append).then(asyncSink)),
  };
}

/**
 * A sink whose writes complete later: each is copied once here (the body bytes may be views of buffers the transport
 * reuses), counted until stored, and started after the one before settled, so they land in order and a failure stops
 * the rest.
 */
function asyncSink(file: AsyncFileSink): StoreSink {
  let backlog = 0;
  let failed: string | null = null;
  let last: Promise<void> = Promise.resolve();
  let closed: Cell<void> | null = null;
  return {
    write(data) {
      if (failed !== null || closed || data.length === 0) return;
      const copy = ownedCopy(data);
      backlog += copy.length;
      last = last
        .then(() => (failed === null ? file.write(copy) : undefined))
        .then(
          () => void (backlog -= copy.length),
          (e: unknown) => void ((backlog -= copy.length), (failed ??= reasonOf(e))),
        );
    },
    backlog: () => backlog,
    failure: () => failed,
    close() {
      closed ??= laterCell(() => last.then(() => file.close()));
      return closed;
    },
  };
}
