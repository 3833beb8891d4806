// Child-process entry (bench/groups/rss.mjs forks it): download to a file through a request component's file sink
// while sampling the resident set, then report { baselineRss, peakRss, ms } to the parent.
import { downloadToFile } from './ecs.js';

const [port, path, file] = process.argv.slice(2);

async function main(): Promise<void> {
  const baselineRss = process.memoryUsage.rss();
  let peakRss = baselineRss;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10);
  const t0 = performance.now();
  try {
    await downloadToFile({ port: Number(port), path, file });
  } finally {
    clearInterval(sample);
  }
  const ms = performance.now() - t0;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  process.send!({ baselineRss, peakRss, ms });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.send!({ error: String(e instanceof Error ? e.message : e) });
    process.exit(1);
  },
);
