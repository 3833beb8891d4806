// The browser APIs the web platform uses, typed by their shape: the library builds without the DOM library and
// without Node's types, and a test can hand in its own.

/** A stream read's result. */
export interface WebReadResult {
  done: boolean;
  value?: Uint8Array;
}

export interface WebStreamReader {
  read(): Promise<WebReadResult>;
  cancel(reason?: unknown): Promise<void>;
}

export interface WebHeaders {
  forEach(callback: (value: string, name: string) => void): void;
  get(name: string): string | null;
}

export interface WebResponse {
  status: number;
  statusText: string;
  url: string;
  redirected: boolean;
  headers: WebHeaders;
  body: { getReader(): WebStreamReader } | null;
}

export interface WebAbortController {
  signal: unknown;
  abort(reason?: unknown): void;
}

export interface WebRequestInit {
  method: string;
  headers: Array<[string, string]>;
  body?: Uint8Array;
  signal: unknown;
  redirect: 'follow';
  cache: 'default' | 'no-cache' | 'no-store';
}

/** The globals a page offers that the web platform needs. */
export interface WebGlobals {
  fetch(url: string, init: WebRequestInit): Promise<WebResponse>;
  AbortController: new () => WebAbortController;
  performance: { now(): number };
  crypto: { getRandomValues(array: Uint8Array): Uint8Array };
}

/** The page's globals, or the reason they are not all there. */
export function webGlobals(): WebGlobals | string {
  const g = globalThis as unknown as Partial<WebGlobals>;
  const missing = (['fetch', 'AbortController', 'performance', 'crypto'] as const).filter((name) => !g[name]);
  return missing.length ? `this runtime has no ${missing.join(', ')}` : (g as WebGlobals);
}
