// The ECS systems: a resumable download to disk and a POST, advanced by one updateHttp() per frame; results are data.
import { addEntity, createWorld, query, removeEntity } from 'bitecs';
import { addRequest, createHttpSystem, destroyHttpSystem, getResponse, responseText, Result, updateHttp } from 'tickhttp';

const origin = process.argv[2] ?? 'https://example.com';
const world = createWorld();
const http = createHttpSystem(world, { pool: { maxPerOrigin: 6 } });

// Download an asset to disk (resumable) and POST a score.
const asset = addEntity(world);
addRequest(world, asset, { url: `${origin}/level1.pak`, download: { path: 'level1.pak', resume: true },
                           timeouts: { stallMs: 10_000 }, retry: { retries: 3 } });
const score = addEntity(world);
addRequest(world, score, { url: `${origin}/scores`, method: 'POST',
                           headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ score: 1234 }) });
let pending = 2;
let shown = -1;

function frame(): void {
  updateHttp(world);                                  // one step for every request; never throws
  const { Progress, Request, Done } = http;           // read through the component each frame
  const total = Progress.total[asset] ?? -1;          // -1 while the size is unknown
  const percent = total > 0 ? Math.floor((100 * (Progress.received[asset] ?? 0)) / total) : 0;
  if (percent !== shown) console.log(`level1.pak ${'#'.repeat(Math.floor(percent / 5)).padEnd(20, '.')} ${(shown = percent)}%`);
  for (const eid of query(world, [Request, Done])) {  // finished this tick (or earlier)
    const r = getResponse(world, eid)!;
    if (r.result === Result.SUCCESS) console.log(eid, r.code, r.path ?? responseText(world, eid));
    else {
      console.error(eid, Result[r.result], r.error);
      process.exitCode = 1;
    }
    removeEntity(world, eid);
    if (--pending === 0) end();
  }
}

const timer = setInterval(frame, 1000 / 60);
function end(): void {
  clearInterval(timer);
  destroyHttpSystem(world); // closes the pooled keep-alive connections, so the process can exit
}
