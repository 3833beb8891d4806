// The browser platform: HTTP over the page's fetch (the browser does TCP, TLS, redirects and decompression),
// randomness from crypto.getRandomValues, time from performance.now().
import type { StreamPeer } from '../net/stream-peer.js';
import { FetchExchange, type FetchSettings } from './fetch-exchange.js';
import type { HttpTransport } from './http-transport.js';
import { createOpfsFiles } from './opfs-files.js';
import type { PendingResolve, Platform } from './platform.js';
import { webGlobals, type WebGlobals } from './web-globals.js';
import { refuseWebConnect, refuseWebFiles, refuseWebRequest } from './web-refusals.js';

/** Options of {@link createWebPlatform}. */
export interface WebPlatformOptions {
  /**
   * Most body bytes one request holds received but not yet read by the game (default 16 MiB). The stream is read
   * between frames while there is room, so this bounds memory and the bytes a 60 Hz game can take per frame.
   */
  maxBufferedBytes?: number;
  /** The fetch cache mode of every request (default 'default': the browser's HTTP cache as usual). */
  cache?: FetchSettings['cache'];
  /** The page's APIs (default: the globals); tests may pass their own. */
  globals?: WebGlobals;
}

const NO_SOCKETS = 'a browser page has no TCP sockets: HTTP goes through fetch';
/** getRandomValues fills at most this many bytes per call. */
const RANDOM_CHUNK = 65536;

/** Downloads' file access: the page's Origin Private File System, or why the page has none. */
function pageFiles(web: WebGlobals): Pick<Platform, 'asyncFiles' | 'filesMissing'> {
  const filesMissing = refuseWebFiles(web);
  if (filesMissing !== null) return { filesMissing };
  // refuseWebFiles found getDirectory; called on storage, as the browser requires.
  const storage = web.navigator!.storage!;
  return { asyncFiles: createOpfsFiles(() => storage.getDirectory!()) };
}

/** The platform for a browser page (the `tickhttp/web` entry installs it on import). Throws outside a browser. */
export function createWebPlatform(options: WebPlatformOptions = {}): Platform {
  const found = options.globals ?? webGlobals();
  if (typeof found === 'string') throw new Error(`tickhttp: the web platform needs a browser: ${found}`);
  const web = found;
  const settings: FetchSettings = { maxBuffered: options.maxBufferedBytes ?? 16 * 1024 * 1024, cache: options.cache ?? 'default' };
  const http: HttpTransport = {
    decodes: true,
    // Each stream read delivers a chunk of its own, and the fetch exchange hands out views of those chunks only.
    givesPieces: true,
    refuseConnect: refuseWebConnect,
    refuseRequest: refuseWebRequest,
    start: (request) => new FetchExchange(web, request, settings),
  };
  return {
    http,
    ...pageFiles(web),
    resolveHost: (): PendingResolve => ({ status: () => 'failed', address: () => null }),
    connectTcp(): StreamPeer {
      throw new Error(NO_SOCKETS);
    },
    randomBytes(n) {
      const out = new Uint8Array(n);
      for (let at = 0; at < n; at += RANDOM_CHUNK) web.crypto.getRandomValues(out.subarray(at, Math.min(n, at + RANDOM_CHUNK)));
      return out;
    },
    now: () => web.performance.now(),
    wallClock: () => new Date(),
    trustedRoots: () => [],
  };
}
