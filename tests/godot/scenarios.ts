// The scenarios of the differential harness. Where Godot 3.2.3 is wrong, `differs` names the README row that
// documents the difference and checks what each side gives; every other scenario must come out the same on both
// sides (frame counts aside).
import { expect } from 'vitest';
import { Method } from '../../engine-module/http/constants.js';
import { Result } from '../../engine-module/request/result.js';
import type { NodeSettings, Observed, Run, ScenarioRequest } from './harness.js';

export interface Difference {
  /** Text of the README's HTTPRequest difference table row that names it (checked to be there). */
  readme: string;
  /** Asserts what Godot gives and what tickhttp gives instead. */
  check(godot: Run, tickhttp: Run): void;
}

export interface Scenario {
  name: string;
  node?: Partial<NodeSettings>;
  requests: ScenarioRequest[];
  differs?: Difference;
}

const first = (run: Run): Observed => run.outcomes[0]!;
const text = (base64: string | undefined) => Buffer.from(base64 ?? '', 'base64').toString();
/** Godot returned the redirect itself as the final response; tickhttp followed it to /hello. */
const redirectReturned = (code: number) => (g: Run, t: Run) => {
  expect([first(g).result, first(g).code, g.requests.length]).toEqual([Result.SUCCESS, code, 1]);
  expect([first(t).result, first(t).code, text(first(t).body), t.requests.at(-1)]).toEqual([Result.SUCCESS, 200, 'hello', 'GET /hello HTTP/1.1']);
};
/** Godot took something else for the Location and failed; tickhttp followed the real one. */
const locationMisread = (followed: string) => (g: Run, t: Run) => {
  expect([first(g).result, g.requests.length]).toEqual([Result.CONNECTION_ERROR, 1]);
  expect([first(t).result, first(t).code, t.requests.at(-1)]).toEqual([Result.SUCCESS, 200, followed]);
};

/** `https` is the URL of a server whose certificate nothing trusts. */
export function scenarios(https: string): Scenario[] {
  return [
    { name: 'success', requests: [{ url: '/hello' }] },
    { name: '404', requests: [{ url: '/missing' }] },
    { name: 'redirect 301', requests: [{ url: '/r301' }] },
    { name: 'redirect 302', requests: [{ url: '/r302' }] },
    { name: 'redirect 303', requests: [{ url: '/r303' }], differs: { readme: '| 303, 307, 308 |', check: redirectReturned(303) } },
    { name: 'redirect 307', requests: [{ url: '/r307' }], differs: { readme: '| 303, 307, 308 |', check: redirectReturned(307) } },
    { name: 'redirect 308', requests: [{ url: '/r308' }], differs: { readme: '| 303, 307, 308 |', check: redirectReturned(308) } },
    { name: 'redirect loop', requests: [{ url: '/loop' }] },
    { name: 'redirect limit', node: { maxRedirects: 1 }, requests: [{ url: '/chain2' }] },
    {
      name: 'relative Location',
      requests: [{ url: '/sub/relative' }],
      differs: { readme: '| a relative Location (`hello`) |', check: locationMisread('GET /sub/hello HTTP/1.1') },
    },
    { name: 'lower-case location', requests: [{ url: '/lower-location' }] },
    {
      name: 'Location without a space',
      requests: [{ url: '/location-no-space' }],
      differs: { readme: '| `Location:` without a space after the colon |', check: redirectReturned(302) },
    },
    {
      name: 'Content-Location after Location',
      requests: [{ url: '/content-location' }],
      differs: { readme: '| a `Content-Location` field after `Location` |', check: locationMisread('GET /hello HTTP/1.1') },
    },
    {
      name: 'URL fragment',
      requests: [{ url: '/hello#frag' }],
      differs: {
        readme: '| a URL with a `#fragment` |',
        check: (g, t) => {
          expect(g.requests).toEqual(['GET /hello#frag HTTP/1.1']);
          expect(t.requests).toEqual(['GET /hello HTTP/1.1']);
          expect(first(t)).toMatchObject({ result: Result.SUCCESS, code: 200 });
        },
      },
    },
    { name: 'body size limit (Content-Length)', node: { bodySizeLimit: 1000 }, requests: [{ url: '/mib' }] },
    { name: 'body size limit (chunked)', node: { bodySizeLimit: 8 }, requests: [{ url: '/chunked' }] },
    { name: 'download to file', node: { download: true }, requests: [{ url: '/mib' }] },
    {
      name: 'download of a 404',
      node: { download: true },
      requests: [{ url: '/missing' }],
      differs: {
        readme: '| `download_file` and a response that is not 2xx |',
        check: (g, t) => {
          expect([first(g).code, text(first(g).file), first(g).body]).toEqual([404, 'not here', undefined]);
          expect([first(t).code, text(first(t).body), first(t).file]).toEqual([404, 'not here', undefined]);
        },
      },
    },
    { name: 'timeout', node: { timeout: 1 }, requests: [{ url: '/silent' }] },
    { name: 'refused connection', requests: [{ url: 'http://127.0.0.1:1/' }] },
    { name: 'unresolvable host', requests: [{ url: 'http://no-such-host.invalid/' }] },
    { name: 'TLS failure', requests: [{ url: `${https}/hello` }] },
    {
      name: 'gzip',
      requests: [{ url: '/gzip' }],
      differs: {
        readme: '| `Content-Encoding: gzip` |',
        check: (g, t) => {
          expect(Buffer.from(first(g).body!, 'base64').subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
          expect(text(first(t).body)).toBe('a gzip-encoded body, decoded by tickhttp');
        },
      },
    },
    { name: 'chunked', requests: [{ url: '/chunked' }] },
    {
      name: 'Chunked in another case',
      requests: [{ url: '/chunked-case' }],
      differs: {
        readme: '| `Transfer-Encoding: Chunked` (not lower case) |',
        check: (g, t) => {
          expect([first(g).result, first(g).body]).toEqual([Result.SUCCESS, undefined]);
          expect([first(t).result, text(first(t).body)]).toEqual([Result.SUCCESS, 'hello world']);
        },
      },
    },
    { name: 'body without length', requests: [{ url: '/no-length' }] },
    {
      name: '100 Continue before the response',
      requests: [{ url: '/continue' }],
      differs: {
        readme: '| `100 Continue` before the response |',
        check: (g, t) => {
          expect([first(g).result, first(g).code]).toEqual([Result.NO_RESPONSE, 0]);
          expect([first(t).result, first(t).code, text(first(t).body)]).toEqual([Result.SUCCESS, 200, 'final']);
        },
      },
    },
    { name: 'POST', requests: [{ url: '/hello', method: Method.POST, body: 'score=1' }] },
    { name: 'cancel mid-download, then reuse', requests: [{ url: '/stream', cancelAfterBytes: 4096 }, { url: '/hello' }] },
    { name: 'one node, several requests', requests: [{ url: '/hello' }, { url: '/missing' }, { url: '/hello' }] },
    {
      name: '1 MiB with download_chunk_size 4096',
      requests: [{ url: '/mib' }],
      differs: {
        readme: '| a 1 MiB body with `download_chunk_size` 4096 |',
        check: (g, t) => {
          expect([first(g).result, first(t).result, first(t).body]).toEqual([Result.SUCCESS, Result.SUCCESS, first(g).body]);
          // Godot reads one chunk per frame; tickhttp reads what has arrived, so it needs fewer frames.
          expect(first(g).frames).toBeGreaterThanOrEqual((1 << 20) / 4096);
          expect(first(t).frames).toBeLessThan(first(g).frames);
        },
      },
    },
  ];
}

/** Both sides' observations with what may differ between equal runs left out (frame counts). */
export function comparable(run: Run): unknown {
  return { outcomes: run.outcomes.map(({ frames: _, ...rest }) => rest), requests: run.requests };
}

