// A one-shot request as a Promise, for tools, build scripts and tests that have no frame loop. NOT for the game loop:
// it runs a frame loop of its own on the host's timers, which a game already has; a game steps HTTPRequest nodes from
// its own frames instead.
import { Err, Method } from '../http/constants.js';
import type { TLSOptions } from '../http/tls-options.js';
import type { Result } from '../request/result.js';
import { closeIdleConnections, createHttpScene, type HttpScene, type HttpSceneOptions } from './http-scene.js';
import { HTTPRequest } from './http-request.js';

/** What {@link requestOnce} sends, and the node settings it uses (HTTPRequest's properties). */
export interface RequestOnceOptions
  extends Partial<Pick<HTTPRequest, 'bodySizeLimit' | 'maxRedirects' | 'timeout' | 'acceptGzip' | 'downloadFile' | 'downloadChunkSize'>> {
  method?: Method;
  headers?: readonly string[];
  body?: string | Uint8Array;
  tlsOptions?: TLSOptions;
  /** Options of the scene made for this request (platform, pool, clock ...). */
  scene?: HttpSceneOptions;
  /** Milliseconds between frames of the loop (default 1). */
  frameMs?: number;
}

/** The `requestCompleted` arguments, named, and the reason of a failure. */
export interface RequestOnceResult {
  result: Result;
  responseCode: number;
  headers: string[];
  body: Uint8Array;
  /** Why the request failed, in words; '' on success. */
  error: string;
}

/**
 * Make one request and resolve with its outcome once it ends (failures included: read `result`). Rejects only when
 * the request cannot start (a bad URL or setting: the reason is the message) or the host has no `setTimeout`.
 * Not for the game loop: see the module comment. The request runs in a scene of its own, closed afterwards, so an
 * idle keep-alive socket never keeps a tool's process alive.
 */
export function requestOnce(url: string, options: RequestOnceOptions = {}): Promise<RequestOnceResult> {
  const { method = Method.GET, headers = [], body = '', tlsOptions, scene: sceneOptions, frameMs = 1, ...settings } = options;
  const timer = (globalThis as { setTimeout?: (f: () => void, ms: number) => unknown }).setTimeout;
  if (!timer) return Promise.reject(new Error('requestOnce needs setTimeout; step an HTTPRequest from your frame loop instead'));
  let scene: HttpScene;
  try {
    scene = createHttpScene(sceneOptions);
  } catch (e) {
    return Promise.reject(e);
  }
  const node = Object.assign(new HTTPRequest(scene), settings);
  node.setTlsOptions(tlsOptions ?? null);
  const err = typeof body === 'string' ? node.request(url, headers, method, body) : node.requestRaw(url, headers, method, body);
  if (err !== Err.OK) return Promise.reject(new Error(`${Err[err]}: ${node.getLastError()}`));
  return new Promise((resolve) => {
    node.requestCompleted.connect((result, responseCode, headers, body) => {
      closeIdleConnections(scene);
      resolve({ result, responseCode, headers, body, error: node.getLastError() });
    });
    const frame = (): void => {
      node.poll();
      if (scene.live.size > 0) timer(frame, frameMs);
    };
    timer(frame, frameMs);
  });
}
