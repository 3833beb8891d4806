// Timing loops shared by every comparison. Clients are `{ name, get(path) -> Promise<body bytes>, close() }`.
// Runs of different clients are interleaved (and the order flips every run) so a noisy machine hurts all alike.
import { mbps, summarize } from './stats.mjs';

function orderFor(run, clients) {
  return run % 2 ? [...clients].reverse() : clients;
}

async function getExact(client, path, bytes) {
  const n = await client.get(path);
  if (n !== bytes) throw new Error(`${client.name}: ${path} gave ${n} bytes, expected ${bytes}`);
}

/**
 * Download `route?size=bytes` `runs` times with each client, after one warm-up download of an eighth of it; MB/s
 * summaries by client name.
 */
export async function compareThroughput(clients, route, bytes, runs) {
  const path = `${route}?size=${bytes}`;
  for (const c of clients) await c.get(`${route}?size=${bytes >> 3}`);
  const mbs = new Map(clients.map((c) => [c.name, []]));
  for (let run = 0; run < runs; run++) {
    for (const c of orderFor(run, clients)) {
      const t0 = performance.now();
      await getExact(c, path, bytes);
      mbs.get(c.name).push(mbps(bytes, performance.now() - t0));
    }
  }
  return new Map([...mbs].map(([name, v]) => [name, summarize(v)]));
}

/** `count` sequential GETs of `path` per run on each client's one connection; requests/s summaries by name. */
export async function compareRequestRate(clients, path, bytes, count, runs) {
  const rates = new Map(clients.map((c) => [c.name, []]));
  for (const c of clients) for (let i = 0; i < Math.min(count, 200); i++) await getExact(c, path, bytes);
  for (let run = 0; run < runs; run++) {
    for (const c of orderFor(run, clients)) {
      const t0 = performance.now();
      for (let i = 0; i < count; i++) await getExact(c, path, bytes);
      rates.get(c.name).push(count / ((performance.now() - t0) / 1000));
    }
  }
  return new Map([...rates].map(([name, v]) => [name, summarize(v)]));
}
