// Runs in the test page: the web platform's Origin Private File System access, driven directly (no request layer).
import {
  createWebPlatform,
  getPlatform,
  type AsyncFileAccess,
  type WebDirectoryHandle,
  type WebFileHandle,
  type WebGlobals,
} from '../../engine-module/web.js';
import { sha256Hex } from './page-client.js';

// The page's own API, typed by shape (the test program is compiled without the DOM library).
interface ListedDirectory {
  keys(): AsyncIterable<string>;
  getDirectoryHandle(name: string): Promise<ListedDirectory>;
}
const page = globalThis as unknown as {
  isSecureContext: boolean;
  navigator: { storage: { getDirectory(): Promise<ListedDirectory>; estimate(): Promise<{ usage: number }> } };
};

function files(): AsyncFileAccess {
  const access = getPlatform().asyncFiles;
  if (!access) throw new Error(`the installed web platform has no file access: ${getPlatform().filesMissing}`);
  return access;
}

/** What an operation settled with: its value (bytes as a list) or the rejection's message. */
type Settled = { ok: true; value: unknown } | { ok: false; error: string };

async function settle(operation: () => Promise<unknown>): Promise<Settled> {
  try {
    const value = await operation();
    return { ok: true, value: value instanceof Uint8Array ? Array.from(value) : value };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : `not an Error: ${String(e)}` };
  }
}

async function writeFile(path: string, append: boolean, pieces: number[][]): Promise<void> {
  const sink = await files().open(path, append);
  for (const piece of pieces) await sink.write(Uint8Array.from(piece));
  await sink.close();
}

/** Truncate, append, read, size and remove one file, recording what each step saw. */
export async function writeAppendRemove(path: string): Promise<Record<string, Settled>> {
  const f = files();
  const out: Record<string, Settled> = {};
  out.sizeBefore = await settle(() => f.size(path));
  out.readBefore = await settle(() => f.read(path));
  await writeFile(path, false, [[1, 2, 3], [4, 5]]);
  out.sizeWritten = await settle(() => f.size(path));
  out.readWritten = await settle(() => f.read(path));
  await writeFile(path, true, [[6], [7, 8]]);
  out.readAppended = await settle(() => f.read(path));
  await writeFile(path, false, [[9]]);
  out.readTruncated = await settle(() => f.read(path));
  out.remove = await settle(() => f.remove(path));
  out.sizeRemoved = await settle(() => f.size(path));
  out.readRemoved = await settle(() => f.read(path));
  out.removeAgain = await settle(() => f.remove(path));
  return out;
}

/** The names in the root directory and down `dirs`, as the page's own OPFS API lists them. */
async function listed(dirs: string[]): Promise<string[][]> {
  let dir = await page.navigator.storage.getDirectory();
  const out: string[][] = [];
  for (let i = 0; ; i++) {
    const names: string[] = [];
    for await (const name of dir.keys()) names.push(name);
    out.push(names.sort());
    if (i === dirs.length) return out;
    dir = await dir.getDirectoryHandle(dirs[i]);
  }
}

/** A file in nested directories: made on open, found again by size/read, listed by the browser where expected. */
export async function nested(): Promise<{ size: Settled; read: Settled; listing: string[][]; sizeOfMissingDir: Settled; removeInMissingDir: Settled }> {
  await writeFile('saves/slot-1/level.bin', false, [[10, 20, 30]]);
  return {
    size: await settle(() => files().size('saves/slot-1/level.bin')),
    read: await settle(() => files().read('saves/slot-1/level.bin')),
    listing: await listed(['saves', 'slot-1']),
    sizeOfMissingDir: await settle(() => files().size('nowhere/level.bin')),
    removeInMissingDir: await settle(() => files().remove('nowhere/level.bin')),
  };
}

/** Every operation on each path, as it settled. */
export async function badPaths(paths: string[]): Promise<Record<string, Record<string, Settled>>> {
  const f = files();
  const out: Record<string, Record<string, Settled>> = { rootBefore: { listing: { ok: true, value: (await listed([]))[0] } } };
  for (const path of paths) {
    out[path] = {
      open: await settle(() => f.open(path, false)),
      size: await settle(() => f.size(path)),
      read: await settle(() => f.read(path)),
      remove: await settle(() => f.remove(path)),
    };
  }
  // Nothing was made anywhere: the root lists what it listed before.
  out.root = { listing: { ok: true, value: (await listed([]))[0] } };
  return out;
}

/** A file and a directory in each other's way: a directory where a file is asked for, and a file on the way. */
export async function inTheWay(): Promise<Record<string, Settled>> {
  await writeFile('blocker', false, [[1]]);
  await writeFile('dir/inner.bin', false, [[2]]);
  return {
    openThroughFile: await settle(() => files().open('blocker/x.bin', false)),
    openDirectory: await settle(() => files().open('dir', false)),
    sizeOfDirectory: await settle(() => files().size('dir')),
  };
}

/**
 * `count` writes of varied sizes made without waiting for one another, then the close: the file holds them in the
 * order they were made.
 */
export async function manyWrites(path: string, count: number): Promise<{ sha256Written: string; sha256Read: string; size: number; settledInOrder: boolean }> {
  const sink = await files().open(path, false);
  const pieces: Uint8Array[] = [];
  const settledOrder: number[] = [];
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const piece = new Uint8Array(1 + ((i * 7919) % 5000));
    crypto.getRandomValues(piece);
    pieces.push(piece.slice());
    pending.push(sink.write(piece).then(() => void settledOrder.push(i)));
  }
  await sink.close();
  await Promise.all(pending);
  const back = (await files().read(path))!;
  return {
    sha256Written: await sha256Hex(pieces),
    sha256Read: await sha256Hex([back]),
    size: await files().size(path),
    settledInOrder: settledOrder.every((v, i) => v === i) && settledOrder.length === count,
  };
}

/**
 * Write `bytes`, start the close without waiting for it, and at once ask the size, then reopen to append one byte:
 * what each saw.
 */
export async function sizeRightAfterClose(path: string, bytes: number): Promise<{ size: number; sizeAfterAppend: number }> {
  const sink = await files().open(path, false);
  void sink.write(new Uint8Array(bytes));
  const closed = sink.close();
  const size = await files().size(path);
  const again = await files().open(path, true);
  const closedAgain = (void again.write(Uint8Array.from([1])), again.close());
  const sizeAfterAppend = await files().size(path);
  await Promise.all([closed, closedAgain]);
  return { size, sizeAfterAppend };
}

/** Stream writes the platform made, and the largest. */
interface StreamWrites {
  writes: number;
  largest: number;
}

/** The page's OPFS with every stream write counted (the handles wrapped, the browser's underneath). */
function countedFile(file: WebFileHandle, count: StreamWrites): WebFileHandle {
  return {
    getFile: () => file.getFile(),
    async createWritable(options) {
      const stream = await file.createWritable(options);
      return {
        getWriter() {
          const writer = stream.getWriter();
          return {
            write(data) {
              if (data instanceof Uint8Array) count.largest = Math.max(count.largest, data.length);
              if (data instanceof Uint8Array) count.writes++;
              return writer.write(data);
            },
            close: () => writer.close(),
          };
        },
      };
    },
  };
}

function countedDirectory(dir: WebDirectoryHandle, count: StreamWrites): WebDirectoryHandle {
  return {
    getDirectoryHandle: async (name, options) => countedDirectory(await dir.getDirectoryHandle(name, options), count),
    getFileHandle: async (name, options) => countedFile(await dir.getFileHandle(name, options), count),
    removeEntry: (name) => dir.removeEntry(name),
  };
}

/**
 * `count` writes of `size` bytes through a platform whose stream writes are counted, each awaited before the next
 * or all made at once: the stream writes that made, the largest, and whether the file holds them all.
 */
export async function batching(size: number, count: number, awaitEach: boolean): Promise<StreamWrites & { size: number }> {
  const counted: StreamWrites = { writes: 0, largest: 0 };
  const storage = page.navigator.storage as unknown as { getDirectory(): Promise<WebDirectoryHandle> };
  const navigator = { storage: { getDirectory: async () => countedDirectory(await storage.getDirectory(), counted) } };
  const globals = { fetch, AbortController, performance, crypto, isSecureContext: true, navigator } as unknown as WebGlobals;
  const f = createWebPlatform({ globals }).asyncFiles!;
  const sink = await f.open('batched.bin', false);
  const writes: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const written = sink.write(new Uint8Array(size));
    if (awaitEach) await written;
    writes.push(written);
  }
  await Promise.all(writes);
  await sink.close();
  return { ...counted, size: await f.size('batched.bin') };
}

/** Bytes the origin stores now, by the browser's estimate (the quota tests set the quota just above it). */
export async function usage(): Promise<number> {
  return (await page.navigator.storage.estimate()).usage;
}

/**
 * A file holding [1, 2, 3] (committed), opened again (appending or not), a small write, then `bytes` more in one
 * write that the quota set by the test cannot hold, one write after it, and the close: what each settled with and
 * what the file holds afterwards.
 */
export async function closeAfterRejectedWrite(path: string, append: boolean, bytes: number): Promise<Record<string, Settled>> {
  const sink = await files().open(path, append);
  const small = sink.write(Uint8Array.from([4, 5]));
  const big = sink.write(new Uint8Array(bytes));
  const after = sink.write(Uint8Array.from([6]));
  const out: Record<string, Settled> = {
    small: await settle(() => small),
    big: await settle(() => big),
    after: await settle(() => after),
    close: await settle(() => sink.close()),
    closeAgain: await settle(() => sink.close()),
    writeAfterClose: await settle(() => sink.write(Uint8Array.from([7]))),
  };
  out.read = await settle(() => files().read(path));
  return out;
}

/** Write a small file (set-up for a test that changes the quota afterwards). */
export function putFile(path: string, bytes: number[]): Promise<void> {
  return writeFile(path, false, [bytes]);
}

/** What web platforms built from this page's globals minus OPFS (or minus a secure context) say of their files. */
export function withoutOpfs(): Record<string, { asyncFiles: boolean; filesMissing: string | null }> {
  const { isSecureContext, navigator } = page;
  const base = { fetch, AbortController, performance, crypto };
  const variants: Record<string, WebGlobals> = {
    page: { ...base, isSecureContext, navigator } as unknown as WebGlobals,
    noGetDirectory: { ...base, isSecureContext, navigator: { storage: {} } } as unknown as WebGlobals,
    noStorage: { ...base, isSecureContext, navigator: {} } as unknown as WebGlobals,
    insecure: { ...base, isSecureContext: false, navigator } as unknown as WebGlobals,
  };
  const out: Record<string, { asyncFiles: boolean; filesMissing: string | null }> = {};
  for (const [name, globals] of Object.entries(variants)) {
    const platform = createWebPlatform({ globals });
    out[name] = { asyncFiles: platform.asyncFiles !== undefined, filesMissing: platform.filesMissing ?? null };
  }
  return out;
}
