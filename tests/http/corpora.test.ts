// Replays the response corpora (tests/fixtures/corpora) through HTTPClient: each case whole, split at every byte,
// byte by byte, and after a good keep-alive response on the same connection. A case either behaves as its source
// expects, or OVERRIDES names the DESIGN.md policy row (or design note) that decides otherwise, with our outcome.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { asciiEncode, concatBytes } from '../../engine-module/bytes/bytes.js';
import { Method, Status } from '../../engine-module/http/constants.js';
import { replay, splitVariants, type ReplayedResponse, type ReplayOptions, type ReplayOutcome } from './replay.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpora = path.resolve(repoRoot, 'tests/fixtures/corpora');
const load = (file: string) => JSON.parse(readFileSync(path.join(corpora, file), 'utf8'));
const fromBase64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** DESIGN.md policy rows (and design notes) that override a source's expectation. */
const ROW = {
  bareLf: 'DESIGN.md policy: "bare LF line ends | accepted (except after chunk data: CRLF required)"',
  ctl: 'DESIGN.md policy: "CTL (except HTAB) in field values, NUL anywhere in the head | error"',
  teCl: 'DESIGN.md policy: "both Transfer-Encoding and Content-Length | TE wins, connection closed after the response"',
  dupCl: 'DESIGN.md policy: "differing duplicate Content-Length ... | STATUS_CONNECTION_ERROR" (identical duplicates are one length, RFC 9110 §8.6)',
  chunkExt: 'DESIGN.md policy: "chunk extensions, trailers | ignored / consumed"',
  obsFold: 'DESIGN.md policy: "obs-fold | replaced by a space"',
  untilClose: 'DESIGN.md policy: "no Content-Length, no chunked | body ends at close (RFC 9112 §6.3 rule 8)"',
  noBody: 'DESIGN.md policy: "HEAD, 204, 304 | no body" (framing headers of such responses are ignored)',
  close: 'DESIGN.md: Godot 3 "keeps a connection the server said it will close"; tickhttp closes it after the response, so later bytes are never read',
  statusLine: 'DESIGN.md: Godot 3 "accepts a non-HTTP status line as 200"; tickhttp requires HTTP/1.x (RFC 9112 §2.3, response-framing status-line/*)',
  lenientCr: 'llhttp opt-in leniency (optional-lf-after-cr) not adopted: a bare CR is a control character in the line, DESIGN.md CTL row',
  lenientVersion: 'llhttp opt-in leniency (version) not adopted: only HTTP/1.x (and 0.9) status lines, as for RTSP/ICE',
  chunkGrammar: 'no DESIGN.md row: RFC 9112 §7.1 allows whitespace after chunk-size only before ";" (llhttp agrees)',
  upgrade: 'no DESIGN.md row: 101 is a final response that ends HTTP on the connection (the client never asks to upgrade); it is returned, then DISCONNECTED',
  outOfStep:
    'bytes before a request is sent: connection out of step. tickhttp sends one request at a time, so bytes already there when a keep-alive response ends cannot answer the next request (RFC 9112 §9.3): the response is returned, then DISCONNECTED',
} as const;

type Msg = [status: number, body: string, eof: boolean];
interface Norm {
  error: boolean;
  messages: Msg[];
}
interface Override {
  row: string;
  ours: Norm;
}

const none: Norm = { error: true, messages: [] };
/** A single response read without error. */
const served = (status: number, body: string, eof: boolean): Norm => ({ error: false, messages: [[status, body, eof]] });
/** Where we knowingly differ from a source, and what we do instead. */
const OVERRIDES: Record<string, Override> = {
  'llhttp/response/sample/rtsp-response': { row: ROW.statusLine, ours: none },
  'llhttp/response/sample/ice-response': { row: ROW.statusLine, ours: none },
  'llhttp/response/lenient-version/invalid-http-version-lenient': { row: ROW.lenientVersion, ours: none },
  'llhttp/response/sample/no-carriage-ret': {
    row: ROW.bareLf,
    ours: served(200, 'these headers are from http://news.ycombinator.com/', true),
  },
  'llhttp/response/invalid/only-lfs-present-and-no-body': { row: ROW.bareLf, ours: served(200, '', false) },
  'llhttp/response/invalid/only-lfs-present': { row: ROW.bareLf, ours: served(200, 'BODY\n\\', true) },
  'llhttp/response/invalid/bare-cr-after-response-line-lenient': { row: ROW.lenientCr, ours: none },
  'llhttp/response/connection/http-1-1-with-keep-alive-disabled-and-204-status': { row: ROW.close, ours: served(204, '', false) },
  'llhttp/response/connection/http-1-1-with-keep-alive-disabled-and-204-status-lenient': {
    row: ROW.close,
    ours: served(204, '', false),
  },
  'llhttp/response/connection/http-1-1-with-keep-alive-disabled-content-length': { row: ROW.close, ours: served(200, '2ad73', false) },
  'llhttp/response/transfer-encoding/invalid-obs-fold-after-chunked-value': {
    row: ROW.obsFold,
    ours: served(200, '5\r\nWorld\r\n0\r\n\r\n', true),
  },
  'h11/ctl-in-cookie': { row: ROW.ctl, ours: none },
  'h11/chunked-size-trailing-ws': { row: ROW.chunkGrammar, ours: none },
  'h11/te-gzip': { row: ROW.untilClose, ours: served(200, '', true) },
  'h11/te-chunked-then-gzip': { row: ROW.untilClose, ours: served(200, '', true) },
  'llhttp/response/connection/http-1-0-with-keep-alive-and-204-status': { row: ROW.outOfStep, ours: served(204, '', false) },
  'llhttp/response/connection/http-1-1-with-204-status': { row: ROW.outOfStep, ours: served(204, '', false) },
  'llhttp/response/connection/http-304-with-content-length': { row: ROW.outOfStep, ours: served(304, '', false) },
  'llhttp/response/connection/http-304-with-transfer-encoding': { row: ROW.outOfStep, ours: served(304, '', false) },
  'llhttp/response/content-length/content-length-reset-when-no-body-is-received': {
    row: ROW.outOfStep,
    ours: served(200, '', false),
  },
  'llhttp/response/pipelining/should-parse-multiple-events': { row: ROW.outOfStep, ours: served(200, 'AAA', false) },
  'no-body/204-chunked-next': { row: ROW.outOfStep, ours: served(204, '', false) },
  'no-body/304-cl-next': { row: ROW.outOfStep, ours: served(304, '', false) },
  'connection/pipelined-three': { row: ROW.outOfStep, ours: served(200, 'AAA', false) },
};

/**
 * Cases where bytes follow a complete keep-alive response, so the outcome depends on when they arrive (not an
 * override: the source allows both).
 */
const EXTRA_BYTES = new Set(['connection/body-longer-than-cl']);

function norm(o: ReplayOutcome): Norm {
  return { error: o.error, messages: o.responses.map((r): Msg => [r.status, r.body, r.eof]) };
}

/** The outcome without what legitimately varies between replays of the same bytes (nothing, for now). */
function invariant(o: ReplayOutcome) {
  return { responses: o.responses, error: o.error, finalStatus: o.finalStatus, heads: o.heads, partialBody: o.partialBody };
}

const isInterim = (status: number | null) => status !== null && status >= 100 && status < 200 && status !== 101;
const methodOf = (m: string | undefined) => (m === 'HEAD' ? Method.HEAD : Method.GET);
const GOOD = asciiEncode('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');

/** Same responses (status, headers, body), ignoring how each ended. */
const sameResponse = (a: ReplayedResponse, b: ReplayedResponse) => a.status === b.status && a.body === b.body && JSON.stringify(a.headers) === JSON.stringify(b.headers);

/**
 * With bytes past a complete keep-alive response, a split decides when they arrive. Already there when the response
 * ends, they close the connection (ROW.outOfStep); cut exactly there, the next request goes out first and they
 * answer it. So a split ends as the whole input (every byte early), as byte by byte (the server waited for each
 * request: `waited`), or in between: the first responses of `waited`, then DISCONNECTED.
 */
function endsAsSomeTiming(o: ReplayOutcome, whole: ReplayOutcome, waited: ReplayOutcome): boolean {
  const outcome = JSON.stringify(invariant(o));
  if (outcome === JSON.stringify(invariant(whole)) || outcome === JSON.stringify(invariant(waited))) return true;
  const prefix = o.responses.length <= waited.responses.length && o.responses.every((r, i) => sameResponse(r, waited.responses[i]));
  return prefix && !o.error && o.finalStatus === Status.DISCONNECTED;
}

/** Check one case: against its source (or override), then the same outcome for every split and after keep-alive. */
function checkCase(id: string, bytes: Uint8Array, options: ReplayOptions, matchesSource: (o: ReplayOutcome) => boolean) {
  const whole = replay([bytes], options);
  const override = OVERRIDES[id];
  if (override) {
    expect(norm(whole), `${id}: our outcome (${override.row})`).toEqual(override.ours);
    expect(matchesSource(whole), `${id}: override no longer needed`).toBe(false);
  } else {
    expect(matchesSource(whole), `${id}: ${JSON.stringify(norm(whole))}`).toBe(true);
  }
  const variants = splitVariants(bytes);
  if (override?.row === ROW.outOfStep || EXTRA_BYTES.has(id)) {
    const waited = replay(variants[variants.length - 1].pieces, options);
    expect(matchesSource(waited), `${id}: a server that waits for each request gets the source's outcome`).toBe(true);
    for (const v of variants) expect(endsAsSomeTiming(replay(v.pieces, options), whole, waited), `${id} ${v.name}`).toBe(true);
  } else {
    for (const v of variants) expect(invariant(replay(v.pieces, options)), `${id} ${v.name}`).toEqual(invariant(whole));
  }
  const methods = options.methods ?? [Method.GET];
  const after = replay([GOOD, bytes], { ...options, methods: [Method.GET, ...methods] });
  expect(after.responses[0], `${id} after keep-alive`).toMatchObject({ status: 200, body: 'ok', reusable: true });
  expect(invariant({ ...after, responses: after.responses.slice(1), heads: after.heads.slice(1) }), `${id} after keep-alive`).toEqual(
    invariant(whole),
  );
  // The same bytes already there when the good response ends were sent before the next request: never its answer
  // (blank lines between messages are allowed and skipped).
  if (bytes.some((b) => b !== 0x0d && b !== 0x0a)) {
    const early = replay([concatBytes(GOOD, bytes)], { ...options, methods: [Method.GET, ...methods] });
    expect({ responses: early.responses, status: early.finalStatus }, `${id} sent before the next request (${ROW.outOfStep})`).toEqual({
      responses: [{ status: 200, headers: [['Content-Length', '2']], body: 'ok', eof: false, reusable: false }],
      status: Status.DISCONNECTED,
    });
  }
  return whole;
}

/** Header subset check: every expected [name, value] is among ours (names case-insensitive). */
function hasHeaders(ours: Array<[string, string]>, expected: Array<[string, string]>, h11Style = false): boolean {
  // h11 reports values lower-cased and Content-Length lists collapsed to one number.
  const f = (v: string) => (h11Style ? [...new Set(v.toLowerCase().split(',').map((x) => x.trim()))].join(',') : v);
  return expected.every(([n, v]) => ours.some(([on, ov]) => on.toLowerCase() === n.toLowerCase() && f(ov) === f(v)));
}

describe('llhttp response corpus', () => {
  const data = load('llhttp-responses.json');
  for (const c of data.cases) {
    it(c.id, () => {
      const e = c.expected;
      const expected = e.messages.filter((m: { status: number | null }) => !isInterim(m.status));
      const method = methodOf(c.request_method);
      const complete: Msg[] = [];
      expected.forEach((m: { status: number; body: string; complete: boolean }, i: number) => {
        if (m.complete) complete.push([m.status, m.body, false]);
        else if (e.end_state === 'awaiting-eof' && i === expected.length - 1) complete.push([m.status, m.body, true]);
      });
      const error = ['error', 'incomplete-body', 'incomplete-head'].includes(e.end_state);
      const source: Norm = { error, messages: complete };
      checkCase(c.id, fromBase64(c.raw_base64), { methods: expected.map(() => method) }, (o) => {
        const n = norm(o);
        if (JSON.stringify(n) !== JSON.stringify(source)) return false;
        return o.responses.every((r, i) => JSON.stringify(r.headers) === JSON.stringify(expected[i].headers ?? []));
      });
    });
  }
});

describe('h11 client-side corpus', () => {
  const data = load('h11-cases.json');
  for (const c of data.cases) {
    it(c.id, () => {
      const x = c.h11_expected;
      // h11's own head-size limit, to replay its limit case as h11 does (the limit is an option here).
      const client = c.id === 'h11/header-too-big' ? { maxHeadBytes: 16 * 1024 } : undefined;
      checkCase(c.id, fromBase64(c.raw_base64), { methods: [methodOf(c.request_method)], client }, (o) => {
        if (x === 'error') return o.error;
        if (Array.isArray(x)) {
          const final = x[x.length - 1];
          return !o.error && o.responses.length === 1 && o.responses[0].status === final.status && o.responses[0].body === final.body;
        }
        if (x.kind) {
          const head = o.heads[0];
          if (!head || head.status !== x.status || !hasHeaders(head.headers, x.headers, true)) return false;
          if (x.keep_alive !== undefined && o.responses[0]?.reusable !== x.keep_alive) return false;
          return x.body === undefined || o.responses[0]?.body === x.body;
        }
        if (x.body_so_far !== undefined) return o.error && o.responses.length === 0 && o.partialBody === x.body_so_far;
        const r = o.responses[0];
        return !o.error && !!r && r.body === x.body && r.eof === (x.end === 'complete-on-eof');
      });
    });
  }
});

describe('response-framing corpus (RFC 9112 §6.3 and desync patterns)', () => {
  const data = load('response-framing.json');
  for (const c of data.cases) {
    it(c.id, () => {
      const bytes = c.raw_base64
        ? fromBase64(c.raw_base64)
        : concatBytes(...c.raw_recipe.map((p: { latin1?: string; repeat?: string; count?: number }) => asciiEncode(p.latin1 ?? p.repeat!.repeat(p.count!))));
      const alternatives = c.rfc_acceptable as Array<'error' | { messages: Array<{ status: number; body: string; complete: true | 'eof'; headers?: Array<[string, string]>; trailers?: Array<[string, string]> }>; error_after?: boolean }>;
      for (const a of alternatives) if (a !== 'error') a.messages = a.messages.filter((m) => !isInterim(m.status));
      const shaped = alternatives.find((a) => a !== 'error') as Exclude<(typeof alternatives)[number], 'error'> | undefined;
      const method = methodOf(c.request_method);
      const requests = shaped ? shaped.messages.length + (shaped.error_after ? 1 : 0) : 1;
      checkCase(c.id, bytes, { methods: Array(requests).fill(method) }, (o) =>
        alternatives.some((a) => {
          if (a === 'error') return o.error && o.responses.length === 0;
          if (o.responses.length !== a.messages.length) return false;
          const same = a.messages.every((m, i) => {
            const r = o.responses[i];
            const trailersApart = (m.trailers ?? []).every(([n]) => !r.headers.some(([h]) => h.toLowerCase() === n.toLowerCase()));
            return r.status === m.status && r.body === m.body && r.eof === (m.complete === 'eof') && hasHeaders(r.headers, m.headers ?? []) && trailersApart;
          });
          const reusable = c.expect_connection_reusable === undefined || o.responses[o.responses.length - 1].reusable === c.expect_connection_reusable;
          const after = a.error_after ? o.error || o.finalStatus === Status.DISCONNECTED : !o.error;
          return same && reusable && after;
        }),
      );
    });
  }
});

describe('undici client scenarios', () => {
  const data = load('undici-scenarios.json');
  const byId = new Map<string, { raw_base64?: string; writes?: string[]; responses?: string[]; kind: string }>(
    data.cases.map((c: { id: string }) => [c.id, c]),
  );
  const bytesOf = (id: string) => fromBase64(byId.get(id)!.raw_base64!);
  const expand = (s: string) => asciiEncode(s.replace(/<(\d+) x "(.)">/, (_, n, ch) => ch.repeat(Number(n))));

  /** What undici asserts, in our terms; `row` marks where we knowingly differ from undici. */
  const scenarios: Record<string, { run: () => ReplayOutcome; expect: (o: ReplayOutcome) => void; row?: string }> = {
    'undici/truncated-chunked': { run: () => replay([bytesOf('undici/truncated-chunked')]), expect: (o) => expect(o.error).toBe(true) },
    'undici/bad-protocol': { run: () => replay([bytesOf('undici/bad-protocol')]), expect: (o) => expect(o.error).toBe(true) },
    'undici/split-header-field': {
      run: () => replay(byId.get('undici/split-header-field')!.writes!.map(asciiEncode), { closeAtEnd: false }),
      expect: (o) => expect(o.responses[0].headers).toContainEqual(['ASD', 'asd,asd']),
    },
    'undici/split-header-value': {
      run: () => replay(byId.get('undici/split-header-value')!.writes!.map(asciiEncode), { closeAtEnd: false }),
      expect: (o) => expect(o.responses[0].headers).toContainEqual(['ASD', 'asd,asd']),
    },
    'undici/slow-chunked-stream': {
      run: () => replay(byId.get('undici/slow-chunked-stream')!.writes!.map(asciiEncode), { closeAtEnd: false }),
      expect: (o) => expect({ error: o.error, status: o.finalStatus, body: o.partialBody }).toEqual({ error: false, status: Status.BODY, body: '\n\n' }),
    },
    'undici/growing-buffer': {
      run: () => replay(byId.get('undici/growing-buffer')!.responses!.map(expand), { methods: [Method.GET, Method.GET], closeAtEnd: false }),
      expect: (o) => expect(o.responses.map((r) => [r.body.length, r.reusable])).toEqual([[2, true], [8192, true]]),
    },
    'undici/cl-longer-body-pipelined': {
      // undici: "the extra bytes make the next response fail (or the socket is dropped)": here the socket is dropped.
      run: () => replay([bytesOf('undici/cl-longer-body-pipelined')], { methods: [Method.GET, Method.GET], closeAtEnd: false }),
      expect: (o) => expect({ ...norm(o), status: o.finalStatus }).toEqual({ error: false, messages: [[200, '1', false]], status: Status.DISCONNECTED }),
    },
    'undici/cl-longer-then-second': {
      // undici pipelines the second request and fails it; tickhttp never sent it: the connection closes first.
      row: ROW.outOfStep,
      run: () => replay([bytesOf('undici/cl-longer-then-second')], { methods: [Method.GET, Method.GET], closeAtEnd: false }),
      expect: (o) => expect({ ...norm(o), status: o.finalStatus }).toEqual({ error: false, messages: [[200, '1', false]], status: Status.DISCONNECTED }),
    },
    'undici/queue-poisoning': {
      // A good exchange, then bytes arrive on the idle connection: it is closed, never read as a response.
      run: () => replay([GOOD, bytesOf('undici/queue-poisoning')], { closeAtEnd: false }),
      expect: (o) => expect({ n: o.responses.length, status: o.finalStatus }).toEqual({ n: 1, status: Status.DISCONNECTED }),
    },
    'undici/103-with-body': { run: () => replay([bytesOf('undici/103-with-body')], { closeAtEnd: false }), expect: (o) => expect(o.error).toBe(true) },
    'undici/100-then-silence': { run: () => replay([bytesOf('undici/100-then-silence')]), expect: (o) => expect(norm(o)).toEqual(none) },
    'undici/101-unrequested': {
      row: ROW.upgrade,
      run: () => replay([bytesOf('undici/101-unrequested')], { closeAtEnd: false }),
      expect: (o) => expect({ ...norm(o), status: o.finalStatus }).toEqual({ error: false, messages: [[101, '', false]], status: Status.DISCONNECTED }),
    },
    'undici/response-cl-mismatch-close': {
      run: () => replay([asciiEncode('HTTP/1.1 200 OK\r\ncontent-length: 10\r\nConnection: keep-alive\r\n\r\n123')]),
      expect: (o) => expect({ ...norm(o), partial: o.partialBody }).toEqual({ ...none, partial: '123' }),
    },
    'undici/keep-alive-timeout-hint': {
      run: () => replay([bytesOf('undici/keep-alive-timeout-hint')], { closeAtEnd: false }),
      expect: (o) => expect({ reusable: o.responses[0].reusable, status: o.finalStatus }).toEqual({ reusable: true, status: Status.CONNECTED }),
    },
    'undici/keep-alive-fragmented-connection': {
      run: () => replay(byId.get('undici/keep-alive-fragmented-connection')!.writes!.map(asciiEncode), { methods: [Method.HEAD], closeAtEnd: false }),
      expect: (o) => expect({ reusable: o.responses[0].reusable, status: o.finalStatus }).toEqual({ reusable: true, status: Status.CONNECTED }),
    },
    'undici/keep-alive-bad-param': {
      run: () => replay([bytesOf('undici/keep-alive-bad-param')], { closeAtEnd: false }),
      expect: (o) => expect(o.finalStatus).toBe(Status.CONNECTED),
    },
    'undici/connection-close': {
      run: () => replay([bytesOf('undici/connection-close')], { closeAtEnd: false }),
      expect: (o) => expect({ reusable: o.responses[0].reusable, status: o.finalStatus }).toEqual({ reusable: false, status: Status.DISCONNECTED }),
    },
    'undici/head-over-limit': {
      // undici's 16 KiB limit (Node's --max-http-header-size) through the maxHeadBytes option.
      run: () => replay([bytesOf('undici/head-over-limit')], { client: { maxHeadBytes: 16 * 1024 }, closeAtEnd: false }),
      expect: (o) => expect(norm(o)).toEqual(none),
    },
    'undici/64-headers': {
      run: () => replay([bytesOf('undici/64-headers')], { closeAtEnd: false }),
      expect: (o) => expect(o.responses[0].headers.slice(0, 64)).toEqual(Array.from({ length: 64 }, (_, i) => [String(i), String(i)])),
    },
  };

  for (const c of data.cases) {
    if (c.kind === 'request-validation') continue; // tests/http/request-generation.test.ts
    it(c.id, () => {
      const s = scenarios[c.id];
      expect(s, `${c.id} has a scenario`).toBeDefined();
      s.expect(s.run());
    });
  }
});
