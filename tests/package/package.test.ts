// The published package, packed and installed into a scratch project: what it ships, and that each export condition
// loads as ESM and as CommonJS and type-checks from TypeScript, with Node-only names absent from the non-Node builds.
//
// Another build is one row in BUILDS (its names) and one in ENTRIES (how a consumer reaches it).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchProject, typecheck, type ScratchProject } from './scratch-project.js';

/** The names each build must export, and the ones it must not (Node-only names in a build for other runtimes). */
const BUILDS = {
  node: {
    // The codes scripts branch on, and the test transports' names kept for code written before tickhttp/testing.
    has: ['HTTPClient', 'createHttpSystem', 'createNodePlatform', 'nodeCrypto', 'pureCrypto', 'CONNECTION_FAILURE_CODES',
      'CERTIFICATE_FAILURE_CODES', 'Result', 'TimeoutKind', 'createMemoryPipe', 'MemoryPeer'],
    lacks: ['PER_REQUEST_BYTES'],
  },
  embedded: {
    has: ['HTTPClient', 'createHttpSystem', 'createHostPlatform', 'setPlatform', 'bitecs'],
    lacks: ['createNodePlatform', 'nodeCrypto', 'NodePlatformOptions', 'NO_RANDOM_SOURCE'],
  },
  web: {
    has: ['HTTPClient', 'createHttpSystem', 'createWebPlatform', 'setPlatform'],
    lacks: ['createNodePlatform', 'nodeCrypto', 'NodePlatformOptions', 'createHostPlatform'],
  },
  // Test support only: nothing of the library itself, nothing of a runtime.
  testing: {
    has: ['MemoryPeer', 'createMemoryPipe', 'connectionCounts'],
    lacks: ['HTTPClient', 'createHttpSystem', 'setPlatform', 'createNodePlatform'],
  },
} satisfies Record<string, { has: string[]; lacks: string[] }>;

type TsResolution = 'node16' | 'bundler' | 'bundler+node' | 'bundler+browser';

/**
 * How a consumer reaches a build: the specifier, whether Node itself resolves to it (Node always sets the `node`
 * condition), and the TypeScript resolutions that must land on its declarations.
 */
const ENTRIES: { specifier: string; build: keyof typeof BUILDS; onNode: boolean; ts: TsResolution[] }[] = [
  { specifier: 'tickhttp', build: 'node', onNode: true, ts: ['node16', 'bundler+node'] },
  { specifier: 'tickhttp', build: 'embedded', onNode: false, ts: ['bundler'] },
  { specifier: 'tickhttp/embedded', build: 'embedded', onNode: true, ts: ['node16', 'bundler', 'bundler+node'] },
  { specifier: 'tickhttp', build: 'web', onNode: false, ts: ['bundler+browser'] },
  // Node 20 has fetch and the other page APIs the web platform uses, so the web build loads there too.
  { specifier: 'tickhttp/web', build: 'web', onNode: true, ts: ['node16', 'bundler', 'bundler+browser'] },
  { specifier: 'tickhttp/testing', build: 'testing', onNode: true, ts: ['node16', 'bundler', 'bundler+node', 'bundler+browser'] },
];

/** The tsconfig compilerOptions of each resolution. */
const RESOLUTIONS: Record<TsResolution, Record<string, unknown>> = {
  node16: { module: 'Node16', moduleResolution: 'Node16' },
  bundler: { module: 'ESNext', moduleResolution: 'Bundler' },
  'bundler+node': { module: 'ESNext', moduleResolution: 'Bundler', customConditions: ['node'] },
  'bundler+browser': { module: 'ESNext', moduleResolution: 'Bundler', customConditions: ['browser'] },
};

/** A consumer module: uses every name the build must have, and expects an error for each name it must lack. */
function consumerSource(specifier: string, build: keyof typeof BUILDS): string {
  const { has, lacks } = BUILDS[build];
  return [
    `import { ${has.join(', ')} } from '${specifier}';`,
    ...lacks.map((name) => `// @ts-expect-error ${name} is not part of this build\nimport { ${name} } from '${specifier}';`),
    `export const used: unknown[] = [${[...has, ...lacks].join(', ')}];`,
    ...(has.includes('HTTPClient') ? ['export const client: HTTPClient = new HTTPClient();'] : []),
  ].join('\n');
}

let project: ScratchProject;
let server: Server;
let origin: string;

beforeAll(async () => {
  project = await scratchProject();
  server = createServer((_req, res) => res.end('hello from loopback'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  project?.remove();
  await new Promise((resolve) => server?.close(resolve));
});

describe('the tarball', () => {
  it('holds the library builds, their declarations, the licence and the README, nothing else', () => {
    const files = project.pack.files.map((f) => f.path);
    const outside = files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f));
    expect(outside).toEqual([]);
    expect(files).toContain('LICENSE');
    for (const build of Object.keys(BUILDS)) {
      for (const file of [`dist/${build}.js`, `dist/${build}.cjs`, `dist/types/${build}.d.ts`, `dist/types-cjs/${build}.d.ts`])
        expect(files).toContain(file);
    }
    expect(files.filter((f) => f.endsWith('.map') || /demo/.test(f))).toEqual([]);
  });

  it('declares bitecs as a peer, keeps demo-only packages out of its dependencies and builds on pack', () => {
    const { manifest } = project;
    expect(manifest.peerDependencies).toEqual({ bitecs: '^0.4.0' });
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain('bitecs');
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain('node-forge');
    expect(manifest.scripts?.prepack).toBe('npm run build');
  });

  it('has declarations whose comments name no source file the package leaves out', async () => {
    const { readFileSync } = await import('node:fs');
    const declarations = project.pack.files.map((f) => f.path).filter((f) => f.endsWith('.d.ts'));
    const naming = declarations.filter((f) =>
      /\b[\w-]+\.ts\b|engine-module\//.test(readFileSync(`${project.dir}/node_modules/tickhttp/${f}`, 'utf8')),
    );
    expect(naming).toEqual([]);
  });
});

describe.each(ENTRIES.filter((e) => e.onNode))('$specifier on Node ($build build)', ({ specifier, build }) => {
  const { has, lacks } = BUILDS[build];
  const namesOf = (out: string) => JSON.parse(out) as string[];

  it.each([
    ['ESM', ['--input-type=module', '-e', `import * as m from '${specifier}'; console.log(JSON.stringify(Object.keys(m)))`]],
    ['CommonJS', ['--input-type=commonjs', '-e', `console.log(JSON.stringify(Object.keys(require('${specifier}'))))`]],
  ])('loads as %s with its own names only', async (_format, args) => {
    const names = namesOf(await project.node(args));
    for (const name of has) expect(names).toContain(name);
    for (const name of lacks) expect(names).not.toContain(name);
  });
});

describe('the Node build at work', () => {
  // A request through the ECS system with the project's own bitecs (the peer), as ESM and as CommonJS; the script
  // ends on its own once the system is destroyed.
  const script = (load: string) => `${load}
const world = createWorld();
const http = createHttpSystem(world);
const eid = addEntity(world);
addRequest(world, eid, { url: process.argv[1] });
const frame = () => {
  updateHttp(world);
  if (query(world, [http.Request, http.Done]).length === 0) return setImmediate(frame);
  console.log(responseText(world, eid));
  destroyHttpSystem(world);
};
frame();`;
  const names = '{ createHttpSystem, updateHttp, addRequest, responseText, destroyHttpSystem }';
  it.each([
    ['ESM', '--input-type=module', `import { createWorld, addEntity, query } from 'bitecs';\nimport ${names} from 'tickhttp';`],
    ['CommonJS', '--input-type=commonjs', `const { createWorld, addEntity, query } = require('bitecs');\nconst ${names} = require('tickhttp');`],
  ])('fetches from a loopback server as %s', async (_format, mode, load) => {
    expect(await project.node([mode, '-e', script(load), `${origin}/`])).toBe('hello from loopback\n');
  });
});

describe('tickhttp/testing at work', () => {
  // HTTPClient from the main entry over an in-memory pipe from the testing entry: a whole exchange, no socket.
  const script = (load: string) => `${load}
const [near, far] = createMemoryPipe();
const client = new HTTPClient();
client.setConnection(near);
client.request(0, '/', []);
client.poll();
const asked = Buffer.from(far.getPartialData(1 << 16)).toString().split('\\r\\n')[0];
far.putPartialData(Buffer.from('HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nhi'));
client.poll();
console.log(asked, client.getResponseCode(), Buffer.from(client.readResponseBodyChunk()).toString());`;
  it.each([
    ['ESM', '--input-type=module', "import { HTTPClient } from 'tickhttp';\nimport { createMemoryPipe } from 'tickhttp/testing';"],
    ['CommonJS', '--input-type=commonjs', "const { HTTPClient } = require('tickhttp');\nconst { createMemoryPipe } = require('tickhttp/testing');"],
  ])('drives an HTTPClient over a memory pipe as %s', async (_format, mode, load) => {
    expect(await project.node([mode, '-e', script(load)])).toBe('GET / HTTP/1.1 200 hi\n');
  });
});

describe('TypeScript consumers', () => {
  const resolutions = Object.keys(RESOLUTIONS) as TsResolution[];
  const fileName = (e: (typeof ENTRIES)[number], ext: string) =>
    `${e.specifier.replace('/', '-')}.${e.build}.${ext}`;
  /** The check of one resolution: a consumer file per entry it must resolve; tsc's diagnostics. */
  const check = (resolution: TsResolution): Promise<string[]> => {
    const files: Record<string, string> = {};
    for (const e of ENTRIES.filter((entry) => entry.ts.includes(resolution))) {
      const source = consumerSource(e.specifier, e.build);
      // node16 decides ESM or CommonJS per file: check both the `import` and the `require` declarations.
      if (resolution === 'node16') Object.assign(files, { [fileName(e, 'mts')]: source, [fileName(e, 'cts')]: source });
      else files[fileName(e, 'ts')] = source;
    }
    return typecheck(project.dir, resolution.replace('+', '-'), files, RESOLUTIONS[resolution]);
  };
  // Started together: each is a tsc process of several seconds.
  let checks: Map<TsResolution, Promise<string[]>>;
  beforeAll(() => {
    checks = new Map(resolutions.map((resolution) => [resolution, check(resolution)]));
  });

  it.each(resolutions)(
    'type-check each entry with moduleResolution %s, Node-only names absent from the other builds',
    async (resolution) => {
      expect(await checks.get(resolution)).toEqual([]);
    },
  );
});
