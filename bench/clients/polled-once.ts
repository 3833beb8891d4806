// Child-process entry (bench/groups/godot.mjs forks it once per download, as Godot's own client runs): tickhttp's
// polled HTTPClient at 64 KiB reads in a process of its own, a warm-up GET and then the timed GET on one connection;
// reports { bytes, ms, cpuUs, faults } of the timed one to the parent.
import { polledClient, timedGet } from './polled.js';

const [port, path, warmPath] = process.argv.slice(2);

async function main(): Promise<void> {
  const client = polledClient({ port: Number(port), readChunkSize: 65536 });
  try {
    await client.get(warmPath);
    process.send!(await timedGet(client, path));
  } finally {
    client.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.send!({ error: String(e instanceof Error ? e.message : e) });
    process.exit(1);
  },
);
