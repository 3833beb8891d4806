// Downloads in a page go to the Origin Private File System: the origin's own sandboxed files, reached through
// promises only (synchronous access handles exist only in workers). A path "saves/level-2.bin" is the file
// level-2.bin in the directory saves, made when the file is first opened.
//
// A FileSystemWritableFileStream writes into a scratch copy that only close() puts in place, and abort() or a page
// that goes away throws the copy away. So a sink is always closed, never aborted: a download that failed or was
// cancelled keeps what it wrote, which is what a later request resumes from.
import { concatBytes } from '../bytes/bytes.js';
import type { AsyncFileAccess, AsyncFileSink } from './platform.js';
import { browserWords, type WebDirectoryHandle, type WebFileHandle, type WebFileWriter } from './web-globals.js';

const OPFS = 'the Origin Private File System';

/** Where a path leads: the directories down to the file, and the file's name. */
interface Place {
  dirs: string[];
  name: string;
}

/** The place a path names, or why it names none (it must stay inside the origin's files). */
export function placeOf(path: string): Place | string {
  if (path === '') return 'the path is empty';
  if (path.startsWith('/')) return `an absolute path (paths are relative to ${OPFS})`;
  // A backslash is a separator on Windows but an ordinary character here: refused rather than misread.
  if (path.includes('\\')) return 'a backslash in the path (directories are separated by "/")';
  const parts = path.split('/');
  if (parts.includes('')) return 'an empty segment in the path ("//" or a trailing "/")';
  if (parts.includes('.') || parts.includes('..')) return `"." or ".." in the path (a path cannot leave ${OPFS})`;
  return { dirs: parts.slice(0, -1), name: parts[parts.length - 1] };
}

/** The words for a browser file-system exception, led by what it means for a download when the name tells. */
function explain(e: unknown): string {
  const name = e instanceof Error ? e.name : '';
  const meaning: Record<string, string> = {
    QuotaExceededError: "the origin's storage quota is exceeded",
    TypeMismatchError: 'a file and a directory of the same name are in the way',
    NoModificationAllowedError: 'the file is held by another writer',
    NotFoundError: 'it was removed meanwhile',
  };
  return meaning[name] ? `${meaning[name]} (${browserWords(e)})` : browserWords(e);
}

/** An Error whose message is the reason, naming the path. */
function failure(action: string, path: string, why: string): Error {
  return new Error(`cannot ${action} ${JSON.stringify(path)} in ${OPFS}: ${why}`);
}

function isNotFound(e: unknown): boolean {
  return e instanceof Error && e.name === 'NotFoundError';
}

/**
 * Most bytes joined into one write of the stream. Each stream write is a round trip to the browser's file process:
 * Chromium stores about twice as fast in 1 MiB writes as in 64 KiB ones, and no faster with several in flight.
 */
const BATCH_BYTES = 1 << 20;

/** A write handed to the sink and not yet handed to the stream. */
interface Waiting {
  data: Uint8Array;
  stored(): void;
  failed(e: Error): void;
}

/**
 * Writes through one writer of the stream, one stream write at a time: the writes made meanwhile wait and go as one
 * joined write (up to BATCH_BYTES), so they land in the order they were made, and the close after them.
 */
class OpfsSink implements AsyncFileSink {
  private waiting: Waiting[] = [];
  private writing = false;
  /** Settles when the last write made has (stored or failed). */
  private last: Promise<unknown> = Promise.resolve();
  /** The first write failure; later writes and the close answer with it. */
  private broken: Error | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly writer: WebFileWriter,
    private readonly path: string,
    /** Told of the close as it starts, so that what comes next for the path waits for it. */
    private readonly closes: (closing: Promise<void>) => void,
  ) {}

  write(data: Uint8Array): Promise<void> {
    if (this.closing) return Promise.reject(failure('write', this.path, 'the file was already closed'));
    if (this.broken) return Promise.reject(this.broken);
    const written = new Promise<void>((stored, failed) => this.waiting.push({ data, stored, failed }));
    this.last = written.catch(() => undefined);
    this.next();
    return written;
  }

  close(): Promise<void> {
    this.closing ??= this.last
      .then(() => this.writer.close())
      .catch((e: unknown) => {
        // An errored stream drops its scratch copy: the file keeps what it held when it was opened.
        if (this.broken) throw new Error(`${this.broken.message}; what was written since opening it is not kept`);
        throw failure('close', this.path, explain(e));
      });
    this.closes(this.closing);
    return this.closing;
  }

  /** Hand the waiting writes to the stream as one, unless a stream write is in flight. */
  private next(): void {
    if (this.writing || this.waiting.length === 0) return;
    let count = 0;
    let bytes = 0;
    while (count < this.waiting.length && (count === 0 || bytes + this.waiting[count].data.length <= BATCH_BYTES)) {
      bytes += this.waiting[count++].data.length;
    }
    const batch = this.waiting.splice(0, count);
    this.writing = true;
    const data = batch.length === 1 ? batch[0].data : concatBytes(...batch.map((w) => w.data));
    this.writer.write(data).then(
      () => {
        this.writing = false;
        for (const w of batch) w.stored();
        this.next();
      },
      (e: unknown) => {
        // A failed write errors the stream: nothing after it can be stored, and one reason serves them all.
        this.writing = false;
        this.broken ??= failure('write', this.path, explain(e));
        for (const w of batch.concat(this.waiting.splice(0))) w.failed(this.broken);
      },
    );
  }
}

/**
 * File access on the Origin Private File System whose root `getDirectory` opens (`navigator.storage.getDirectory`).
 * Every failure rejects with an Error naming the path and the reason.
 */
export function createOpfsFiles(getDirectory: () => Promise<WebDirectoryHandle>): AsyncFileAccess {
  let root: Promise<WebDirectoryHandle> | null = null;
  /**
   * Closes under way, by path. A close is what puts the written bytes in place, so an operation on the path made
   * after it (the size a resume starts from, a reopening) waits for it: operations on a path take effect in the
   * order they were made, as on a disk.
   */
  const closing = new Map<string, Promise<void>>();

  function closes(path: string, close: Promise<void>): void {
    closing.set(path, close);
    const settled = (): void => void (closing.get(path) === close && closing.delete(path));
    close.then(settled, settled);
  }

  /** The place `path` names, once the closes of it made before have settled; rejects when it names none. */
  async function ready(path: string): Promise<Place> {
    const place = placeOf(path);
    if (typeof place === 'string') throw failure('use', path, place);
    await closing.get(path)?.catch(() => undefined);
    return place;
  }

  /** Null for an entry that is not there when nothing is to be created; otherwise the failure, in words. */
  function missing(path: string, create: boolean, e: unknown): null {
    if (!create && isNotFound(e)) return null;
    throw failure(create ? 'create' : 'find', path, explain(e));
  }

  /** The directory holding `place`'s file, made as needed when `create`; else null when one on the way is missing. */
  async function dirAt(path: string, place: Place, create: boolean): Promise<WebDirectoryHandle | null> {
    root ??= getDirectory();
    try {
      let dir = await root;
      for (const name of place.dirs) dir = await dir.getDirectoryHandle(name, { create });
      return dir;
    } catch (e) {
      return missing(path, create, e);
    }
  }

  /** The file at `path`, made as needed when `create`; else null when it does not exist. */
  async function fileAt(path: string, create: boolean): Promise<WebFileHandle | null> {
    const place = await ready(path);
    const dir = await dirAt(path, place, create);
    try {
      return dir && (await dir.getFileHandle(place.name, { create }));
    } catch (e) {
      return missing(path, create, e);
    }
  }

  return {
    async size(path) {
      const file = await fileAt(path, false);
      if (!file) return -1;
      try {
        return (await file.getFile()).size;
      } catch (e) {
        throw failure('read the size of', path, explain(e));
      }
    },

    async open(path, append) {
      const file = (await fileAt(path, true))!;
      try {
        // Truncation is made lasting at once, as opening for writing does on a disk: a download that fails early
        // must not leave an older body under the name, which a later resume would continue as if it were this one.
        if (!append) await (await file.createWritable({ keepExistingData: false })).getWriter().close();
        const size = append ? (await file.getFile()).size : 0;
        const writer = (await file.createWritable({ keepExistingData: append })).getWriter();
        // The stream starts writing at 0 even when it keeps the file's bytes.
        if (size > 0) await writer.write({ type: 'seek', position: size });
        return new OpfsSink(writer, path, (close) => closes(path, close));
      } catch (e) {
        throw failure('open', path, explain(e));
      }
    },

    async read(path) {
      const file = await fileAt(path, false);
      if (!file) return null;
      try {
        return new Uint8Array(await (await file.getFile()).arrayBuffer());
      } catch (e) {
        throw failure('read', path, explain(e));
      }
    },

    async remove(path) {
      const place = await ready(path);
      const dir = await dirAt(path, place, false);
      try {
        await dir?.removeEntry(place.name);
      } catch (e) {
        if (!isNotFound(e)) throw failure('remove', path, explain(e));
      }
    },
  };
}
