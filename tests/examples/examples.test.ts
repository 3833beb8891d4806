// Every script in examples/ type-checks (strict, noUncheckedIndexedAccess) against the package's published
// declarations, runs against a loopback server, and ends on its own: the server keeps idle connections open forever,
// so a script that leaves one open never exits. Every TypeScript block of the README is one of these files, verbatim.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typecheckProject } from '../helpers/tsc.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLES = path.join(REPO, 'examples');
// Inside the repository, so `import 'tickhttp'` resolves to the package itself (dist/), as it does for a user.
const OUT = path.join(REPO, 'build/examples');
const scripts = readdirSync(EXAMPLES).filter((name) => name.endsWith('.ts')).sort();
/** A script still running after this long is stuck on an open handle. */
const EXIT_DEADLINE_MS = 30_000;

/** Any GET: a 200 KB body; any POST: 201 with the body echoed. Idle keep-alive connections are never closed. */
function loopbackServer(): Server {
  const body = new Uint8Array(200_000).map((_, i) => i % 251);
  const server = createServer((req, res) => {
    if (req.method === 'POST') {
      const parts: Buffer[] = [];
      req.on('data', (part: Buffer) => parts.push(part));
      req.on('end', () => res.writeHead(201, { 'Content-Type': 'application/json' }).end(Buffer.concat(parts)));
    } else {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(body);
    }
  });
  server.keepAliveTimeout = 0;
  return server;
}

/** The README's ```ts blocks, each with the example file named on the line above it. */
function readmeBlocks(): { file: string | null; code: string }[] {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  return [...readme.matchAll(/^(.*)\n```ts\n([\s\S]*?)^```$/gm)].map((m) => ({
    file: /^<!-- (examples\/[\w-]+\.ts) -->$/.exec(m[1]!)?.[1] ?? null,
    code: m[2]!,
  }));
}

function runScript(script: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const stuck = setTimeout(() => {
      stderr += `\n(still running after ${EXIT_DEADLINE_MS} ms: something keeps the process alive)`;
      child.kill();
    }, EXIT_DEADLINE_MS);
    child.on('close', (code) => {
      clearTimeout(stuck);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the README', () => {
  it('shows only example files, each exactly as it is in examples/', () => {
    const blocks = readmeBlocks();
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(block.file, `a README block without <!-- examples/NAME.ts --> above it:\n${block.code}`).not.toBeNull();
      expect(block.code).toBe(readFileSync(path.join(REPO, block.file!), 'utf8'));
    }
  });
});

describe('examples/', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = loopbackServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await build({
      entryPoints: scripts.map((name) => path.join(EXAMPLES, name)),
      outdir: OUT,
      format: 'esm',
      platform: 'node',
      logLevel: 'warning',
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('type-check strictly against the published declarations', async () => {
    expect(await typecheckProject(path.join(EXAMPLES, 'tsconfig.json'))).toEqual([]);
  });

  it.each(scripts)('%s runs against a loopback server and exits on its own', async (name) => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'tickhttp-example-'));
    try {
      const { code, stdout, stderr } = await runScript(path.join(OUT, name.replace(/\.ts$/, '.js')), [origin], cwd);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).not.toBe('');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
