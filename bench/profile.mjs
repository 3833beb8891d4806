// node bench/profile.mjs <scenario> [--quick]
//
// Runs one tickhttp scenario against the loopback server under the V8 sampling profiler and prints the hot
// functions (self and inclusive time) with the source file each comes from. Scenarios: plain, plain-64k (Godot's 64 KiB read chunk), chunked, keepalive,
// https-node, https-pure, handshake-rsa, handshake-ecdsa, handshake-rsa-pure, handshake-ecdsa-pure, ecs, ecs60hz, ecs60hz-https-node, idle (10,000 connected
// idle client entities), queued (10,000 requests behind a pool of six).
// The raw profile is written to bench/.tmp/<scenario>.cpuprofile (open it in Chrome DevTools).
import { Session } from 'node:inspector/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeChains } from './certs.mjs';
import { startServer } from './loopback-server.mjs';
import { buildClient, loadClient } from './build-clients.mjs';

const [scenario = 'plain'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const quick = process.argv.includes('--quick');
const MiB = 1 << 20;
const size = (quick ? 16 : 64) * MiB;
const repeat = quick ? 3 : 8;

function scenarios(ports, chains) {
  const https = (provider) => async (m) => {
    const c = m.polledClient({ port: ports.httpsRsa, readChunkSize: 4 * MiB, tls: { rootPem: chains.rsa.root, provider } });
    return { warm: () => c.get(`/body?size=${size >> 3}`), work: () => c.get(`/body?size=${size}`), n: provider === 'pure' ? 2 : repeat };
  };
  const hs = (kind, provider) => async (m) => {
    const opts = { port: kind === 'rsa' ? ports.httpsRsa : ports.httpsEcdsa, rootPem: chains[kind].root, provider };
    return { warm: () => m.handshake(opts), work: () => m.handshake(opts), n: 50 };
  };
  const body = (path, readChunkSize = 4 * MiB) => async (m) => {
    const c = m.polledClient({ port: ports.http, readChunkSize });
    return { warm: () => c.get(path), work: () => c.get(path), n: repeat };
  };
  return {
    plain: ['polled', body(`/body?size=${size}`)],
    'plain-64k': ['polled', body(`/body?size=${size}`, 64 * 1024)],
    chunked: ['polled', body(`/chunked?size=${size}`)],
    keepalive: ['polled', async (m) => {
      const c = m.polledClient({ port: ports.http, readChunkSize: 65536 });
      return { warm: () => c.get('/small'), work: async () => { for (let i = 0; i < 1000; i++) await c.get('/small'); }, n: 5 };
    }],
    'https-node': ['polled', https('node')],
    'https-pure': ['polled', https('pure')],
    'handshake-rsa': ['polled', hs('rsa', 'node')],
    'handshake-ecdsa': ['polled', hs('ecdsa', 'node')],
    'handshake-rsa-pure': ['polled', hs('rsa', 'pure')],
    'handshake-ecdsa-pure': ['polled', hs('ecdsa', 'pure')],
    ecs: ['ecs', async (m) => {
      const c = m.ecsClient({ port: ports.http });
      return { warm: () => c.get(`/body?size=${size >> 3}`), work: () => c.get(`/body?size=${size}`), n: repeat };
    }],
    idle: ['ecs', async (m) => {
      const run = () => m.idleTickMs({ entities: 10_000, ticks: 2000, port: ports.http });
      return { warm: async () => {}, work: run, n: 1 };
    }],
    queued: ['ecs', async (m) => {
      const run = () => m.queuedTickMs({ entities: 10_000, ticks: 200, port: ports.http });
      return { warm: async () => {}, work: run, n: 1 };
    }],
    ecs60hz: ['ecs', async (m) => {
      const run = () => m.pacedDownload({ port: ports.http, path: `/body?size=${4 * size}`, hz: 60, capMs: 4000 });
      return { warm: run, work: run, n: 1 };
    }],
    'ecs60hz-https-node': ['ecs', async (m) => {
      const run = () => m.pacedDownload({ port: ports.httpsRsa, path: `/body?size=${size}`, hz: 60, capMs: 4000,
        tls: { rootPem: chains.rsa.root, provider: 'node' } });
      return { warm: run, work: run, n: 1 };
    }],
  };
}

/** Source file of each line of an esbuild bundle, from the `// path` comments esbuild puts before each module. */
function sourceFiles(bundlePath) {
  const files = [];
  let current = '?';
  for (const line of readFileSync(bundlePath, 'utf8').split('\n')) {
    const m = /^\/\/ ((?:engine-module|bench|node_modules)\/\S+)$/.exec(line);
    if (m) current = m[1];
    files.push(current);
  }
  return files;
}

function report(profile, bundlePath) {
  const files = sourceFiles(bundlePath);
  const bundleUrl = `file://${bundlePath}`;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = profile.nodes.reduce((s, n) => s + n.hitCount, 0);
  const label = (n) => {
    const f = n.callFrame;
    const where = f.url === bundleUrl ? files[f.lineNumber] ?? '?' : (f.url.replace(/^.*node_modules\//, '') || '(native)');
    return `${f.functionName || '(anonymous)'}  ${where}${f.url === bundleUrl ? `:${f.lineNumber + 1}` : ''}`;
  };
  const self = new Map();
  const incl = new Map();
  const walk = (node, onStack) => {
    const key = label(node);
    self.set(key, (self.get(key) ?? 0) + node.hitCount);
    let sub = node.hitCount;
    for (const c of node.children ?? []) sub += walk(byId.get(c), new Set([...onStack, key]));
    if (!onStack.has(key)) incl.set(key, (incl.get(key) ?? 0) + sub);
    return sub;
  };
  walk(profile.nodes[0], new Set());
  const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
    .map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`).join('\n');
  console.log(`\nself time (top 30 of ${total} samples)\n${top(self, 30)}`);
  console.log(`\ninclusive time (top 30)\n${top(incl, 30)}`);
}

const chains = makeChains();
const server = await startServer(chains);
try {
  const [clientName, setup] = scenarios(server.ports, chains)[scenario] ?? [];
  if (!setup) throw new Error(`unknown scenario ${scenario}`);
  const bundlePath = await buildClient(clientName);
  const job = await setup(await loadClient(clientName));
  await job.warm();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const t0 = performance.now();
  for (let i = 0; i < job.n; i++) await job.work();
  const ms = performance.now() - t0;
  const { profile } = await session.post('Profiler.stop');
  console.log(`${scenario}: ${job.n} runs in ${ms.toFixed(0)} ms`);
  writeFileSync(fileURLToPath(new URL(`./.tmp/${scenario}.cpuprofile`, import.meta.url)), JSON.stringify(profile));
  report(profile, bundlePath);
} finally {
  await server.stop();
}
process.exit(0);
