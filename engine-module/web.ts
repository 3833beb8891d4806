// The browser entry: the neutral API with the web platform (HTTP over fetch) installed on import.
import { setPlatform } from './platform/platform.js';
import { createWebPlatform } from './platform/web.js';

setPlatform(createWebPlatform());

export * from './index.js';
export { createWebPlatform } from './platform/web.js';
export type { WebPlatformOptions } from './platform/web.js';
export type {
  WebGlobals,
  WebResponse,
  WebHeaders,
  WebStreamReader,
  WebReadResult,
  WebRequestInit,
  WebAbortController,
  WebDirectoryHandle,
  WebFileHandle,
  WebFileWriter,
  WebWriteCommand,
} from './platform/web-globals.js';
export type { HttpTransport, HttpExchange, CarriedRequest, CarriedHead, CarriedConnect, ExchangeState } from './platform/http-transport.js';
