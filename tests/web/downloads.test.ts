// Downloads to a file in real Chromium: addRequest specs with `download` through a bitecs world on
// requestAnimationFrame, written to the page's Origin Private File System; resumed with Range/If-Range against a
// loopback server that honours them across origins (CORS exposes ETag, Content-Range and Content-Length).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Result } from '../../engine-module/request/result.js';
import type { RequestSpec } from '../../engine-module/request/request-spec.js';
import type { RequestReport, RunOptions } from './page-ecs.js';
import { openSuitePage, type SuitePage } from './suite-page.js';

let suite: SuitePage;
const MiB = 1024 * 1024;

beforeAll(async () => {
  suite = await openSuitePage(new URL('./page-ecs.ts', import.meta.url).pathname);
});
afterAll(() => suite?.close());

const api = (path: string): string => `${suite.server.apiOrigin}${path}`;
const run = (specs: RequestSpec[], options: RunOptions = {}): Promise<RequestReport[]> => suite.call<RequestReport[]>('runRequests', specs, options);
const file = (path: string): Promise<{ size: number; sha256: string }> => suite.call('fileReport', path);
/**
 * The partial file a failed download left, once its close put the bytes in place: the failure's outcome may come
 * before the close settled, while the writes handed over are still being stored.
 */
async function partialFile(path: string): Promise<{ size: number; sha256: string }> {
  await expect.poll(async () => (await file(path)).size).toBeGreaterThan(0);
  return file(path);
}
const seenFile = (id: string) => suite.server.seen.filter((s) => s.url.startsWith(`/file?id=${id}&`));

describe('downloads to the Origin Private File System', () => {
  it('downloads 16 MiB to a file whose bytes are the server\'s', async () => {
    const [r] = await run([{ url: api(`/file?id=big&n=${16 * MiB}`), download: 'downloads/big.bin' }]);
    expect(r.result, r.error).toBe(Result.SUCCESS);
    expect(r.code).toBe(200);
    expect(r.received.at(-1)).toBe(16 * MiB);
    expect(await file('downloads/big.bin')).toEqual({ size: 16 * MiB, sha256: suite.server.sentSha256.get('big:1') });
  });

  it('a download cut short leaves a partial file that the next request resumes with Range and If-Range', async () => {
    const spec = (extra: string): RequestSpec => ({ url: api(`/file?id=cut&n=${16 * MiB}${extra}`), download: { path: 'cut.bin', resume: true } });
    const [cut] = await run([spec(`&cut=${6 * MiB}`)]);
    expect(cut.result).toBe(Result.CONNECTION_ERROR);
    const partial = await partialFile('cut.bin');
    expect(partial.size).toBeGreaterThan(0);
    expect(partial.size).toBeLessThanOrEqual(6 * MiB);
    const [resumed] = await run([spec('')]);
    expect(resumed.result, resumed.error).toBe(Result.SUCCESS);
    expect(resumed.code).toBe(206);
    expect(await file('cut.bin')).toEqual({ size: 16 * MiB, sha256: suite.server.sentSha256.get('cut:1') });
    const last = seenFile('cut').at(-1)!;
    expect(last.headers.range).toBe(`bytes=${partial.size}-`);
    expect(last.headers['if-range']).toBe('"cut-1"');
  });

  it('a changed validator makes the server send the whole body, and the file is rewritten whole', async () => {
    const path = 'changed/file.bin';
    const [cut] = await run([{ url: api(`/file?id=ver&n=${4 * MiB}&v=1&cut=${2 * MiB}`), download: { path, resume: true } }]);
    expect(cut.result).toBe(Result.CONNECTION_ERROR);
    const partial = await partialFile(path);
    // The file changed on the server meanwhile: If-Range names the old version, so the answer is 200 with all of it.
    const [whole] = await run([{ url: api(`/file?id=ver&n=${4 * MiB}&v=2`), download: { path, resume: true } }]);
    expect(whole.result, whole.error).toBe(Result.SUCCESS);
    expect(whole.code).toBe(200);
    expect(await file(path)).toEqual({ size: 4 * MiB, sha256: suite.server.sentSha256.get('ver:2') });
    const last = seenFile('ver').at(-1)!;
    expect(last.headers.range).toBe(`bytes=${partial.size}-`);
    expect(last.headers['if-range']).toBe('"ver-1"');
  });

  it('cancelling a download mid-body aborts the fetch, keeps the partial file, and the next request completes it', async () => {
    suite.server.stalled.clear();
    const path = 'cancelled.bin';
    const held = 3 * MiB;
    const out = await suite.call<{ received: number; cancelled: boolean }>(
      'cancelAfter',
      { url: api(`/file?id=cancel&n=${8 * MiB}&hold=${held}`), download: { path, resume: true } },
      held,
    );
    expect(out.cancelled).toBe(true);
    const [res] = [...suite.server.stalled];
    await expect.poll(() => res.destroyed || !!res.socket?.destroyed).toBe(true);
    // The sink was closed, not abandoned: what arrived is in the file, and nothing holds it.
    await expect.poll(() => file(path)).toEqual({ size: held, sha256: expect.any(String) });
    const [resumed] = await run([{ url: api(`/file?id=cancel&n=${8 * MiB}`), download: { path, resume: true } }]);
    expect(resumed.result, resumed.error).toBe(Result.SUCCESS);
    expect(resumed.code).toBe(206);
    expect(await file(path)).toEqual({ size: 8 * MiB, sha256: suite.server.sentSha256.get('cancel:1') });
    expect(seenFile('cancel').at(-1)!.headers.range).toBe(`bytes=${held}-`);
  });

  it('a path that leaves the origin\'s files is refused with the reason, resuming or not', async () => {
    const [plain, resuming] = await run([
      { url: api('/file?id=bad&n=10'), download: '../escape.bin' },
      { url: api('/file?id=bad&n=10'), download: { path: '/abs/escape.bin', resume: true } },
    ]);
    expect(plain.result).toBe(Result.DOWNLOAD_FILE_CANT_OPEN);
    expect(plain.error).toContain('cannot use "../escape.bin" in the Origin Private File System: "." or ".." in the path');
    expect(resuming.result).toBe(Result.DOWNLOAD_FILE_CANT_OPEN);
    expect(resuming.error).toContain('cannot use "/abs/escape.bin" in the Origin Private File System: an absolute path');
  });

  it('a page without an Origin Private File System refuses a download, saying why', async () => {
    const [r] = await run([{ url: api('/file?id=none&n=10'), download: 'none.bin' }], { withoutOpfs: true });
    expect(r.result).toBe(Result.REQUEST_FAILED);
    expect(r.error).toContain('cannot download to none.bin');
    expect(r.error).toContain('this page has no Origin Private File System: this browser does not support navigator.storage.getDirectory()');
  });
});
