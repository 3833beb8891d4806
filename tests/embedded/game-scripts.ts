// Game-script code evaluated inside QuickJS, written the way a script in an engine would use the `tickhttp` global.
// Bodies are hashed inside QuickJS with the bundle's own SHA-256, or, for bodies of many MiB, compared word by word
// with the position-dependent pattern the server sent (SHA-256 in an interpreter costs over a second per MiB);
// only digests and offsets come back to Node.

/** Word i (little-endian) of a pattern body: every position differs, so a lost, repeated or moved record shows. */
const PATTERN_WORD = 'Math.imul(i ^ (i >>> 13), 0x5bd1e995) ^ 0x2c1b3c6d';

/** A pattern body of `n` bytes, as the checker inside the runtime expects it. */
export function patternBody(n: number): Buffer {
  const words = new Int32Array(Math.ceil(n / 4));
  const word = new Function('i', `return ${PATTERN_WORD};`) as (i: number) => number;
  for (let i = 0; i < words.length; i++) words[i] = word(i);
  return Buffer.from(words.buffer, 0, n);
}

/** Hex helpers and a SHA-256 hex digest (test code: the bundle has no reason to export such helpers). */
export const PRELUDE = `
function hex(b) {
  var s = '';
  for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}
function unhex(s) {
  var b = new Uint8Array(s.length / 2);
  for (var i = 0; i < b.length; i++) b[i] = parseInt(s.substr(i * 2, 2), 16);
  return b;
}
function sha256hex(bytes) { return hex(tickhttp.getPlatform().crypto.hash('sha256', bytes)); }
var patternScratch = new Uint8Array(0);
/** Offset of the first byte of chunk (at stream offset at) that differs from the pattern body, or -1. */
function patternMismatch(chunk, at) {
  var lead = at & 3, first = at >>> 2, n = (lead + chunk.length + 3) >> 2;
  if (patternScratch.length < n * 4) patternScratch = new Uint8Array(n * 4 + 65536);
  var words = new Int32Array(patternScratch.buffer, 0, n), i;
  // The partial words at either end get the expected bytes around the chunk's own.
  i = first; words[0] = ${PATTERN_WORD};
  i = first + n - 1; words[n - 1] = ${PATTERN_WORD};
  patternScratch.set(chunk, lead);
  for (var w = 0; w < n; w++) {
    i = first + w;
    var expected = ${PATTERN_WORD};
    if (words[w] === expected) continue;
    for (var b = w * 4; ; b++) {
      if (patternScratch[b] !== ((expected >>> ((b & 3) << 3)) & 255)) return at - lead + b;
    }
  }
  return -1;
}
true`;

/**
 * HTTPClient options giving it the TLS layer: StreamPeerTLS over the TCP peer, with the connection's platform
 * supplying randomness, clocks and crypto, trusting its roots (from the host bridge's trustedRoots) unless a
 * trustedChain is given. A JavaScript expression.
 */
export const TLS_CLIENT_OPTIONS = `{ tls: function (inner, p) {
  var platform = p.platform;
  return new tickhttp.StreamPeerTLS(inner, { hostname: p.host, verify: p.verifyHost, verifyName: p.commonNameOverride,
    roots: p.trustedChain ? tickhttp.pemToDer(p.trustedChain) : platform.trustedRoots(), crypto: platform.crypto,
    randomBytes: function (n) { return platform.randomBytes(n); }, now: function () { return platform.wallClock(); },
    clock: function () { return platform.now(); } });
} }`;

/** What a finished fetch reports back to Node. */
export interface FetchResult {
  /** Final client status: CONNECTED/DISCONNECTED after a body, an error status otherwise. */
  status: number;
  /** Every status the client went through, in order, each once per run of equal statuses. */
  statuses: number[];
  /** Frames during which the client was CONNECTING (TCP connect and, with TLS, the handshake). */
  connectingFrames: number;
  /** Frames during which the TLS layer was handshaking (the transport was a TLS peer, still CONNECTING). */
  handshakeFrames: number;
  /** What the TLS layer negotiated (version, suite, group, ALPN), or null without TLS. */
  negotiated: Record<string, unknown> | null;
  code: number;
  chunked: boolean;
  bodyLength: number;
  bytes: number;
  /** SHA-256 of the body (hex), or '' when it was not hashed. */
  sha256: string;
  /** With `check: 'pattern'`: offset of the first byte that differs from the pattern body, or -1. */
  mismatch: number;
  /** Milliseconds inside poll() during the handshake frames (the platform's clock). */
  handshakeMs: number;
  /** Milliseconds from the request to the end of the body, frames and the waits between them included. */
  bodyMs: number;
  tlsError: string | null;
}

/** Options of `startFetch` inside QuickJS. */
export interface FetchOptions {
  host: string;
  port: number;
  path: string;
  tls?: boolean;
  /** What to do with the body: hash it (default), compare it with {@link patternBody}, or only count it. */
  check?: 'sha256' | 'pattern' | 'none';
}

/**
 * Defines `startFetch(options)` and `fetchFrame()`: one GET with the Godot HTTPClient loop, one poll per frame.
 * `fetchFrame()` returns null until the fetch is over, then a {@link FetchResult}.
 */
export const FETCH_SCRIPT = `
var fetchState = null;
function startFetch(o) {
  var H = tickhttp.HTTPClient;
  var client = new H(${TLS_CLIENT_OPTIONS});
  var err = client.connectToHost(o.host, o.port, !!o.tls);
  if (err !== 0) throw new Error('connectToHost returned ' + err);
  fetchState = { o: o, client: client, requested: false, statuses: [], connectingFrames: 0, handshakeFrames: 0,
    negotiated: null, bytes: 0, mismatch: -1, handshakeMs: 0, requestedAt: 0,
    hash: (o.check || 'sha256') === 'sha256' ? tickhttp.getPlatform().crypto.createHash('sha256') : null };
  return true;
}
function fetchFrame() {
  var H = tickhttp.HTTPClient, f = fetchState, c = f.client, clock = tickhttp.getPlatform();
  var t0 = clock.now();
  c.poll();
  var pollMs = clock.now() - t0;
  var s = c.getStatus();
  if (f.statuses[f.statuses.length - 1] !== s) f.statuses.push(s);
  var conn = c.getConnection();
  var tls = conn && typeof conn.getTlsError === 'function' ? conn : null;
  if (s === H.STATUS_CONNECTING) f.connectingFrames++;
  if (s === H.STATUS_CONNECTING && tls && tls.getStatus() === 1) {
    f.handshakeFrames++;
    f.handshakeMs += pollMs;
  }
  if (tls && !f.negotiated) f.negotiated = tls.getNegotiated();
  if (s === H.STATUS_BODY) {
    var chunk = c.readResponseBodyChunk();
    if (f.hash) f.hash.update(chunk);
    else if (f.o.check === 'pattern' && f.mismatch < 0) f.mismatch = patternMismatch(chunk, f.bytes);
    f.bytes += chunk.length;
    s = c.getStatus();
    if (f.statuses[f.statuses.length - 1] !== s) f.statuses.push(s);
  }
  if (s === H.STATUS_CONNECTED && !f.requested) {
    f.requested = true;
    f.requestedAt = clock.now();
    var err = c.request(H.METHOD_GET, f.o.path, ['X-Runtime: QuickJS']);
    if (err !== 0) throw new Error('request returned ' + err);
    return null;
  }
  var over = (f.requested && (s === H.STATUS_CONNECTED || s === H.STATUS_DISCONNECTED)) ||
    s === H.STATUS_CANT_RESOLVE || s === H.STATUS_CANT_CONNECT || s === H.STATUS_CONNECTION_ERROR ||
    s === H.STATUS_SSL_HANDSHAKE_ERROR;
  if (!over) return null;
  var result = { status: s, statuses: f.statuses, connectingFrames: f.connectingFrames,
    handshakeFrames: f.handshakeFrames, negotiated: f.negotiated, code: c.getResponseCode(),
    chunked: c.isResponseChunked(), bodyLength: c.getResponseBodyLength(), bytes: f.bytes,
    sha256: f.hash ? hex(f.hash.digestSoFar()) : '', mismatch: f.mismatch, handshakeMs: f.handshakeMs,
    bodyMs: f.requested ? clock.now() - f.requestedAt : 0, tlsError: c.getTlsError() };
  c.close();
  return result;
}
true`;

/** One entity's request as the ECS script reports it. */
export interface EntityResult {
  result: number;
  outcomeResult: number;
  code: number;
  bytes: number;
  sha256: string;
  error: string;
  /** Ticks in which the entity's Progress.received grew. */
  progressTicks: number;
}

/**
 * Defines `startWorld(urls)` and `worldFrame()`: a bitecs world with the HTTP systems, one entity per URL carrying a
 * request, `updateHttp` once per frame. `worldFrame()` returns null until every entity has Done, then an
 * {@link EntityResult} per URL.
 */
export const ECS_SCRIPT = `
var game = null;
function startWorld(urls) {
  var B = tickhttp.bitecs;
  var world = B.createWorld();
  var http = tickhttp.createHttpSystem(world, { client: ${TLS_CLIENT_OPTIONS} });
  var entities = urls.map(function (url) {
    var eid = B.addEntity(world);
    var err = tickhttp.addRequest(world, eid, { url: url });
    if (err !== 0) throw new Error('addRequest returned ' + err + ': ' + tickhttp.requestSpecError({ url: url }));
    return eid;
  });
  game = { world: world, http: http, entities: entities, last: entities.map(function () { return 0; }),
    progressTicks: entities.map(function () { return 0; }) };
  return true;
}
function worldFrame() {
  var B = tickhttp.bitecs, g = game;
  tickhttp.updateHttp(g.world);
  g.entities.forEach(function (eid, i) {
    var received = g.http.Progress.received[eid];
    if (received > g.last[i]) g.progressTicks[i]++;
    g.last[i] = received;
  });
  if (B.query(g.world, [g.http.Request, g.http.Done]).length < g.entities.length) return null;
  var results = g.entities.map(function (eid, i) {
    var r = tickhttp.getResponse(g.world, eid);
    return { result: r.result, outcomeResult: g.http.Outcome.result[eid], code: r.code,
      bytes: r.body ? r.body.length : -1, sha256: r.body ? sha256hex(r.body) : '', error: r.error,
      progressTicks: g.progressTicks[i] };
  });
  tickhttp.destroyHttpSystem(g.world);
  return results;
}
true`;
