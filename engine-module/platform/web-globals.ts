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

/** A write, or a move of the write position, on a file's writable stream. */
export type WebWriteCommand = Uint8Array | { type: 'seek'; position: number };

/** The writer of a FileSystemWritableFileStream: writes land in a scratch copy that close() puts in place. */
export interface WebFileWriter {
  write(data: WebWriteCommand): Promise<void>;
  close(): Promise<void>;
}

/** A FileSystemFileHandle of the Origin Private File System. */
export interface WebFileHandle {
  getFile(): Promise<{ size: number; arrayBuffer(): Promise<ArrayBuffer> }>;
  createWritable(options: { keepExistingData: boolean }): Promise<{ getWriter(): WebFileWriter }>;
}

/** A FileSystemDirectoryHandle of the Origin Private File System. */
export interface WebDirectoryHandle {
  getDirectoryHandle(name: string, options: { create: boolean }): Promise<WebDirectoryHandle>;
  getFileHandle(name: string, options: { create: boolean }): Promise<WebFileHandle>;
  removeEntry(name: string): Promise<void>;
}

/** The globals a page offers that the web platform needs. */
export interface WebGlobals {
  fetch(url: string, init: WebRequestInit): Promise<WebResponse>;
  AbortController: new () => WebAbortController;
  performance: { now(): number };
  crypto: { getRandomValues(array: Uint8Array): Uint8Array };
  /** False on a page served over plain http from a host that is not loopback: no Origin Private File System there. */
  isSecureContext?: boolean;
  /** `navigator.storage.getDirectory()` opens the Origin Private File System, where the page has one. */
  navigator?: { storage?: { getDirectory?(): Promise<WebDirectoryHandle> } };
}

/** The page's globals, or the reason they are not all there. */
export function webGlobals(): WebGlobals | string {
  const g = globalThis as unknown as Partial<WebGlobals>;
  const missing = (['fetch', 'AbortController', 'performance', 'crypto'] as const).filter((name) => !g[name]);
  return missing.length ? `this runtime has no ${missing.join(', ')}` : (g as WebGlobals);
}

/** A browser exception in the browser's own words, quoted (never server bytes: those do not reach these errors). */
export function browserWords(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return JSON.stringify(text.slice(0, 200));
}
