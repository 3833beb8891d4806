// The web platform's file access in real Chromium: the page's Origin Private File System through AsyncFileAccess,
// driven directly from the page (the downloads that use it are in downloads.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSuitePage, type SuitePage } from './suite-page.js';

let suite: SuitePage;

beforeAll(async () => {
  suite = await openSuitePage(new URL('./page-files.ts', import.meta.url).pathname);
});
afterAll(() => suite?.close());

type Settled = { ok: true; value: unknown } | { ok: false; error: string };
const done = (value: unknown): Settled => ({ ok: true, value });

describe('the Origin Private File System as AsyncFileAccess', () => {
  it('truncates, appends (at the end), reads, sizes and removes a file', async () => {
    const r = await suite.call<Record<string, Settled>>('writeAppendRemove', 'one.bin');
    expect(r).toEqual({
      sizeBefore: done(-1),
      readBefore: done(null),
      sizeWritten: done(5),
      readWritten: done([1, 2, 3, 4, 5]),
      readAppended: done([1, 2, 3, 4, 5, 6, 7, 8]),
      readTruncated: done([9]),
      remove: done(undefined),
      sizeRemoved: done(-1),
      readRemoved: done(null),
      removeAgain: done(undefined),
    });
  });

  it('maps "/" to nested directories, made when a file is opened', async () => {
    const r = await suite.call<{ size: Settled; read: Settled; listing: string[][]; sizeOfMissingDir: Settled; removeInMissingDir: Settled }>('nested');
    expect(r.size).toEqual(done(3));
    expect(r.read).toEqual(done([10, 20, 30]));
    expect(r.listing[1]).toEqual(['slot-1']);
    expect(r.listing[2]).toEqual(['level.bin']);
    expect(r.listing[0]).toContain('saves');
    expect(r.sizeOfMissingDir).toEqual(done(-1));
    expect(r.removeInMissingDir).toEqual(done(undefined));
  });

  it('refuses paths that leave the origin or name nothing, with the path and the reason', async () => {
    const reasons: Record<string, string> = {
      '': 'the path is empty',
      '/abs.bin': 'an absolute path',
      'a//b.bin': 'an empty segment',
      'dir/': 'an empty segment',
      '../up.bin': '"." or ".."',
      'a/../b.bin': '"." or ".."',
      './here.bin': '"." or ".."',
      'win\\dows.bin': 'a backslash',
    };
    const r = await suite.call<Record<string, Record<string, Settled>>>('badPaths', Object.keys(reasons));
    for (const [path, why] of Object.entries(reasons)) {
      for (const op of ['open', 'size', 'read', 'remove']) {
        const settled = r[path][op];
        expect(settled.ok, `${op} ${path}`).toBe(false);
        if (!settled.ok) {
          expect(settled.error).toContain(`cannot use ${JSON.stringify(path)} in the Origin Private File System`);
          expect(settled.error).toContain(why);
        }
      }
    }
    expect(r.root.listing).toEqual(r.rootBefore.listing);
  });

  it('says when a file and a directory are in each other\'s way', async () => {
    const r = await suite.call<Record<string, Settled>>('inTheWay');
    for (const [name, settled] of Object.entries(r)) {
      expect(settled.ok, name).toBe(false);
      if (!settled.ok) expect(settled.error).toMatch(/^cannot (create|find) ".*" in the Origin Private File System: a file and a directory/);
    }
  });

  it('applies many writes made without waiting in the order they were made, and closes after them', async () => {
    const r = await suite.call<{ sha256Written: string; sha256Read: string; size: number; settledInOrder: boolean }>('manyWrites', 'many.bin', 600);
    expect(r.sha256Read).toBe(r.sha256Written);
    expect(r.settledInOrder).toBe(true);
    let size = 0;
    for (let i = 0; i < 600; i++) size += 1 + ((i * 7919) % 5000);
    expect(r.size).toBe(size);
  });

  it('writes made while a stream write is in flight go to the stream joined, up to 1 MiB a write', async () => {
    const KiB = 1024;
    const atOnce = await suite.call<{ writes: number; largest: number; size: number }>('batching', 64 * KiB, 64, false);
    // The first goes alone; the 63 made meanwhile go as 1 MiB writes (16 of 64 KiB each) and one of the rest.
    expect(atOnce).toEqual({ writes: 5, largest: 1024 * KiB, size: 4096 * KiB });
    const oneByOne = await suite.call<{ writes: number; largest: number; size: number }>('batching', 64 * KiB, 8, true);
    expect(oneByOne).toEqual({ writes: 8, largest: 64 * KiB, size: 512 * KiB });
  });

  it('an operation on a path made after its close starts sees what the close put in place', async () => {
    const r = await suite.call<{ size: number; sizeAfterAppend: number }>('sizeRightAfterClose', 'closing.bin', 1024 * 1024);
    expect(r).toEqual({ size: 1024 * 1024, sizeAfterAppend: 1024 * 1024 + 1 });
  });

  it('a write over the quota rejects saying so; later writes and the close reject with its reason; the file keeps what it held', async () => {
    const origin = new URL(suite.server.pageUrl).origin;
    const cdp = await suite.page.context().newCDPSession(suite.page);
    try {
      for (const append of [false, true]) {
        const path = `quota-${append}.bin`;
        await suite.call('putFile', path, [1, 2, 3]);
        const used = await suite.call<number>('usage');
        await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: used + 16 * 1024 });
        // Small enough to go to the browser in one piece: a larger write may fail as a broken data pipe instead.
        const r = await suite.call<Record<string, Settled>>('closeAfterRejectedWrite', path, append, 64 * 1024);
        await cdp.send('Storage.overrideQuotaForOrigin', { origin });
        expect(r.small, JSON.stringify(r)).toEqual(done(undefined));
        for (const name of ['big', 'after', 'close', 'closeAgain', 'writeAfterClose']) expect(r[name].ok, name).toBe(false);
        if (!r.big.ok && !r.after.ok && !r.close.ok && !r.closeAgain.ok && !r.writeAfterClose.ok) {
          expect(r.big.error).toMatch(new RegExp(`^cannot write "${path}" in the Origin Private File System: the origin's storage quota is exceeded`));
          expect(r.after.error).toBe(r.big.error);
          expect(r.close.error).toBe(`${r.big.error}; what was written since opening it is not kept`);
          expect(r.closeAgain.error).toBe(r.close.error);
          expect(r.writeAfterClose.error).toContain('the file was already closed');
        }
        // Opening to truncate made the empty file lasting at once; opening to append kept the earlier bytes.
        expect(r.read).toEqual(done(append ? [1, 2, 3] : []));
      }
    } finally {
      await cdp.send('Storage.overrideQuotaForOrigin', { origin });
      await cdp.detach();
    }
  });

  it('a page without OPFS (no getDirectory, or not a secure context) has no file access, and says why', async () => {
    const r = await suite.call<Record<string, { asyncFiles: boolean; filesMissing: string | null }>>('withoutOpfs');
    expect(r.page).toEqual({ asyncFiles: true, filesMissing: null });
    for (const name of ['noGetDirectory', 'noStorage']) {
      expect(r[name].asyncFiles).toBe(false);
      expect(r[name].filesMissing).toBe('this page has no Origin Private File System: this browser does not support navigator.storage.getDirectory()');
    }
    expect(r.insecure.asyncFiles).toBe(false);
    expect(r.insecure.filesMissing).toContain('this page has no Origin Private File System: the page is not a secure context');
  });
});
