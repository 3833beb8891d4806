// tickhttp inside QuickJS (or QuickJS-ng) for the bench: the tests' runtime host over Node sockets, with the pure
// provider or host crypto backed by Node's crypto, driven one frame at a time as an engine would.
import { FETCH_SCRIPT, PRELUDE, type FetchResult } from '../../tests/embedded/game-scripts.js';
import { NodeSocketHost } from '../../tests/embedded/node-socket-host.js';
import { nodeHostCrypto, type HostCryptoMode } from '../../tests/embedded/node-host-crypto.js';
import { QuickJsHost, type RuntimeName } from '../../tests/embedded/quickjs-host.js';

export type EmbeddedMode = 'pure' | HostCryptoMode;

export interface EmbeddedOptions {
  port: number;
  rootPem: string;
  mode: EmbeddedMode;
  runtime?: RuntimeName;
}

/** Wraps the platform's AEADs inside the runtime so the time spent in them is counted (the platform's clock). */
const AEAD_TIMER = `
var aeadMs = 0;
(function () {
  var P = tickhttp.getPlatform(), base = P.crypto;
  function timed(fn) {
    return function (n, aad, data) { var t = P.now(); var r = fn(n, aad, data); aeadMs += P.now() - t; return r; };
  }
  P.crypto = Object.assign({}, base, { aead: function (alg, key) {
    var a = base.aead(alg, key);
    return { seal: timed(a.seal), open: timed(a.open) };
  } });
})();
true`;

/** One runtime with the bundle loaded and the host platform installed, fetching from the bench server. */
export class EmbeddedSession {
  private constructor(
    private readonly host: NodeSocketHost,
    private readonly qjs: QuickJsHost,
    private readonly port: number,
  ) {}

  static async open(opts: EmbeddedOptions): Promise<EmbeddedSession> {
    const host = new NodeSocketHost();
    const crypto = opts.mode === 'pure' ? undefined : nodeHostCrypto(opts.mode);
    const qjs = await QuickJsHost.create(host, { runtime: opts.runtime, crypto, trustedRootsPem: opts.rootPem });
    qjs.eval(PRELUDE);
    qjs.eval(FETCH_SCRIPT);
    return new EmbeddedSession(host, qjs, opts.port);
  }

  get bundleLoadMs(): number {
    return this.qjs.bundleLoadMs;
  }

  get providerName(): string {
    return this.qjs.eval('tickhttp.getPlatform().crypto.name') as string;
  }

  /** A GET on a new connection (full handshake), the body only counted. Throws unless it completed. */
  async fetch(path: string): Promise<FetchResult> {
    this.qjs.eval(`startFetch(${JSON.stringify({ host: '127.0.0.1', port: this.port, path, tls: true, check: 'none' })})`);
    const { result } = await this.qjs.runFrames<FetchResult>('fetchFrame()', 1_000_000);
    if (result.tlsError || result.code !== 200) throw new Error(`embedded fetch ${path}: ${result.tlsError ?? result.code}`);
    return result;
  }

  /** Count the time spent in AEAD calls from now on; read it with {@link aeadMs}. */
  timeAead(): void {
    this.qjs.eval(AEAD_TIMER);
  }

  aeadMs(): number {
    return this.qjs.eval('aeadMs') as number;
  }

  /**
   * noble's ChaCha20-Poly1305 alone in this runtime, through the pure provider: open `records` sealed 16 KiB
   * records (what a download decrypts); MB/s of plaintext.
   */
  nobleChachaMbps(records: number): number {
    return this.qjs.eval(`(function () {
      var C = tickhttp.pureCrypto, P = tickhttp.getPlatform(), nonce = new Uint8Array(12), aad = new Uint8Array(5);
      var a = C.aead('chacha20-poly1305', new Uint8Array(32));
      var sealed = a.seal(nonce, aad, new Uint8Array(16384));
      var t = P.now();
      for (var i = 0; i < ${records}; i++) if (!a.open(nonce, aad, sealed)) throw new Error('open failed');
      return (${records} * 16384 / 1e6) / ((P.now() - t) / 1000);
    })()`) as number;
  }

  close(): void {
    this.qjs.dispose();
    this.host.destroyAll();
  }
}
