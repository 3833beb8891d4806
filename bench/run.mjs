// npm run bench [-- --quick] [-- --only=plain,https,...]
//
// Starts the loopback server in a child process, measures tickhttp next to undici and Node's http/https in the same
// run, prints the table and writes bench/results.json. Figures of layers that are not built yet are null.
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { makeChains } from './certs.mjs';
import { startServer } from './loopback-server.mjs';
import { formatTable, writeResults } from './report.mjs';
import { GROUPS } from './groups/index.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;

const MiB = 1 << 20;
/** Sizes and repetitions: the full run stays within minutes, --quick within two. */
const settings = quick
  ? { bodyBytes: 16 * MiB, runs: 3, keepAliveCount: 300, keepAliveRuns: 3, handshakes: 10, handshakeWarmup: 3,
      firstHandshakes: 3, ecs60Bytes: 64 * MiB, ecs60Runs: 3, ecs60CapMs: 2500, idleTicks: 50, rssBytes: 256 * MiB,
      readChunk: 4 * MiB, demoRuns: 1, godotRuns: 3 }
  : { bodyBytes: 64 * MiB, runs: 11, keepAliveCount: 2000, keepAliveRuns: 7, handshakes: 60, handshakeWarmup: 5,
      firstHandshakes: 5, ecs60Bytes: 128 * MiB, ecs60Runs: 5, ecs60CapMs: 5000, idleTicks: 200, rssBytes: 1024 * MiB,
      readChunk: 4 * MiB, demoRuns: 3, godotRuns: 5 };

// The machine's load is part of every figure: it is saved with them.
const results = { quick: quick ? 1 : 0, body_mib: settings.bodyBytes / MiB, cpus: cpus().length,
  loadavg_start: loadavg()[0] };
const notes = new Set();
const started = performance.now();

console.log(`tickhttp bench (${quick ? 'quick' : 'full'}), node ${process.version}, ${cpus().length} CPUs, ` +
  `load average ${loadavg()[0].toFixed(2)}`);
const chains = makeChains();
const server = await startServer(chains);
const ctx = { settings, chains, ports: server.ports, results, note: (s) => notes.add(s) };
try {
  for (const group of GROUPS) {
    if (only && !only.has(group.name)) continue;
    const t0 = performance.now();
    process.stdout.write(`  ${group.name} ... `);
    try {
      await group.run(ctx);
      console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      console.log('error');
      notes.add(`${group.name}: ${e instanceof Error ? e.stack ?? e.message : e}`);
    }
  }
} finally {
  await server.stop();
}

results.loadavg_end = loadavg()[0];
console.log('\n' + formatTable(results));
if (notes.size) console.log('\nnotes:\n' + [...notes].map((n) => `- ${n}`).join('\n'));
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s in all; load average ${results.loadavg_end.toFixed(2)} at the end`);
const outPath = fileURLToPath(new URL('./results.json', import.meta.url));
if (!only) writeResults(outPath, results);
// Sockets of clients under test may hold the loop open; the run is over.
process.exit(0);
