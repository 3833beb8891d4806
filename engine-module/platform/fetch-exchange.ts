// One request/response over the page's fetch, stepped like a socket: the stream is read one read at a time (never
// two in flight), each read's result lands in a queue between ticks (promise callbacks run after the frame's task),
// and the client takes from the queue when it polls. Reading pauses while the queue holds `maxBuffered` bytes.
import { ChunkQueue } from '../net/chunk-queue.js';
import type { CarriedHead, CarriedRequest, ExchangeState, HttpExchange } from './http-transport.js';
import { browserWords, type WebAbortController, type WebGlobals, type WebReadResult, type WebResponse, type WebStreamReader } from './web-globals.js';

/** The words for a fetch that failed before its head: a page cannot tell these causes apart. */
const FETCH_FAILED = 'fetch failed: network error, CORS refusal or refused connection';
/** The words for a body stream that broke. */
const BODY_FAILED = 'fetch failed during the body: connection reset or network error';

/** How fetch is asked for each request. */
export interface FetchSettings {
  /** Most received bytes held before reading pauses. */
  maxBuffered: number;
  /** The fetch cache mode. */
  cache: 'default' | 'no-cache' | 'no-store';
}

export class FetchExchange implements HttpExchange {
  private readonly controller: WebAbortController;
  private readonly queue = new ChunkQueue();
  private current: ExchangeState = 'waiting';
  private carriedHead: CarriedHead | null = null;
  private length = -1;
  private delivered = 0;
  private reader: WebStreamReader | null = null;
  private reading = false;
  private failure: string | null = null;
  private stopped = false;

  constructor(web: WebGlobals, request: CarriedRequest, private readonly settings: FetchSettings) {
    this.controller = new web.AbortController();
    let pending: Promise<WebResponse>;
    try {
      pending = web.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? undefined,
        signal: this.controller.signal,
        redirect: 'follow',
        cache: settings.cache,
      });
    } catch (e) {
      this.fail(FETCH_FAILED, e);
      return;
    }
    pending.then(this.onResponse, (e: unknown) => this.fail(FETCH_FAILED, e));
  }

  poll(): void {
    this.readNext();
  }

  state(): ExchangeState {
    return this.current;
  }

  head(): CarriedHead | null {
    return this.carriedHead;
  }

  bodyLength(): number {
    return this.length;
  }

  available(): number {
    return this.queue.length;
  }

  read(max: number): Uint8Array {
    const out = this.queue.readJoined(max);
    this.readNext();
    return out;
  }

  error(): string | null {
    return this.failure;
  }

  abort(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue.clear();
    this.controller.abort();
    // The abort rejects pending reads and the fetch itself; nobody waits for those rejections.
    this.reader?.cancel().catch(ignore);
    this.reader = null;
  }

  private readonly onResponse = (response: WebResponse): void => {
    if (this.stopped) return;
    const headers: Array<[string, string]> = [];
    response.headers.forEach((value, name) => headers.push([name, value]));
    this.carriedHead = {
      status: response.status,
      statusText: response.statusText,
      headers,
      url: response.url,
      redirected: response.redirected,
    };
    this.length = exposedLength(response);
    if (!response.body) {
      this.current = 'done';
      return;
    }
    this.reader = response.body.getReader();
    this.current = 'body';
    this.readNext();
  };

  private readonly onRead = (result: WebReadResult): void => {
    this.reading = false;
    if (this.stopped) return;
    if (result.done) {
      this.current = 'done';
      this.reader = null;
      return;
    }
    const chunk = result.value;
    if (chunk && chunk.length > 0) {
      this.queue.push(chunk);
      this.delivered += chunk.length;
      // More bytes than announced: the browser decoded a body whose encoding it did not let the page see.
      if (this.length >= 0 && this.delivered > this.length) this.length = -1;
    }
    this.readNext();
  };

  private readonly onReadFailure = (e: unknown): void => {
    this.reading = false;
    this.fail(BODY_FAILED, e);
  };

  /** Start the next stream read unless one is in flight, the body is over, or the queue is full. */
  private readNext(): void {
    const reader = this.reader;
    if (!reader || this.reading || this.stopped || this.queue.length >= this.settings.maxBuffered) return;
    this.reading = true;
    reader.read().then(this.onRead, this.onReadFailure);
  }

  private fail(words: string, e: unknown): void {
    if (this.stopped) return;
    this.reader = null;
    this.current = 'failed';
    this.failure = `${words} (${browserWords(e)})`;
  }
}

/**
 * Content-Length when the page can see it and it counts the bytes the stream delivers: not when the page sees a
 * Content-Encoding, since the browser hands out the decoded body.
 */
function exposedLength(response: WebResponse): number {
  const encoding = response.headers.get('content-encoding');
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return -1;
  const value = response.headers.get('content-length');
  return value !== null && /^[0-9]{1,15}$/.test(value.trim()) ? Number(value.trim()) : -1;
}

function ignore(): void {}
