// tickhttp in a page: a bitecs world whose HTTP system is updated once per animation frame; the requests go over the
// page's fetch. `?url=` names what to download (default: this page's origin); `?save=` a path in the page's Origin
// Private File System to download it to, resuming what an earlier visit left there.
import { addEntity, createWorld, query } from 'bitecs';
import { Result, addRequest, createHttpSystem, destroyHttpSystem, getPlatform, getResponse, updateHttp, type RequestOutcome } from 'tickhttp';

const params = new URLSearchParams(location.search);
const url = params.get('url') ?? `${location.origin}/`;
const save = params.get('save');
const log = document.getElementById('log')!;
const world = createWorld();
const http = createHttpSystem(world);
const download = addEntity(world);
addRequest(world, download, {
  url,
  download: save ? { path: save, resume: true } : undefined,
  timeouts: { totalMs: 30_000, stallMs: 5_000 },
  retry: { retries: 2 },
});

/** The outcome on screen; a download's bytes are in its file, read back from OPFS. */
async function show(outcome: RequestOutcome): Promise<void> {
  if (outcome.result !== Result.SUCCESS) {
    log.textContent = `failed (${Result[outcome.result]}): ${outcome.error}`;
    return;
  }
  const bytes = outcome.path ? await getPlatform().asyncFiles!.read(outcome.path) : outcome.body;
  const where = outcome.path ? ` saved to ${outcome.path}` : '';
  log.textContent = `${outcome.code}: ${bytes?.length ?? 0} bytes${where} from ${outcome.url}`;
}

function frame(): void {
  updateHttp(world);
  const received = http.Progress.received[download] ?? 0;
  const total = http.Progress.total[download] ?? -1;
  log.textContent = `${url}: ${received} of ${total >= 0 ? total : '?'} bytes`;
  for (const eid of query(world, [http.Request, http.Done])) {
    const outcome = getResponse(world, eid)!;
    destroyHttpSystem(world); // aborts whatever is still running
    void show(outcome).then(() => (document.title = 'done'));
    return;
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
