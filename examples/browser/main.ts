// tickhttp in a page: a bitecs world whose HTTP system is updated once per animation frame; the requests go over the
// page's fetch. `?url=` names what to download (default: this page's origin).
import { addEntity, createWorld, query } from 'bitecs';
import { Result, addRequest, createHttpSystem, destroyHttpSystem, getResponse, updateHttp } from 'tickhttp';

const url = new URLSearchParams(location.search).get('url') ?? `${location.origin}/`;
const log = document.getElementById('log')!;
const world = createWorld();
const http = createHttpSystem(world);
const download = addEntity(world);
addRequest(world, download, { url, timeouts: { totalMs: 30_000, stallMs: 5_000 }, retry: { retries: 2 } });

function frame(): void {
  updateHttp(world);
  const received = http.Progress.received[download] ?? 0;
  const total = http.Progress.total[download] ?? -1;
  log.textContent = `${url}: ${received} of ${total >= 0 ? total : '?'} bytes`;
  for (const eid of query(world, [http.Request, http.Done])) {
    const outcome = getResponse(world, eid)!;
    log.textContent =
      outcome.result === Result.SUCCESS
        ? `${outcome.code}: ${outcome.body!.length} bytes from ${outcome.url}`
        : `failed (${Result[outcome.result]}): ${outcome.error}`;
    destroyHttpSystem(world); // aborts whatever is still running
    document.title = 'done';
    return;
  }
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
