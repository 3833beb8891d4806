// A fresh QuickJS context playing the embedded runtime: no std/os modules, no Web or Node globals, a memory limit.
// The bridge functions are native functions on a global `__host` object, implemented by NodeSocketHost. Bytes cross
// the boundary as ArrayBuffers: quickjs-emscripten moves an ArrayBuffer in or out with one copy and has no accessor
// for typed arrays (tcpSend reads the Uint8Array's `.buffer`, which the bridge contract makes exactly the bytes).
// Frames are stepped from the Node side. Two runtimes: QuickJS and QuickJS-ng (the maintained fork), both as the
// WebAssembly builds quickjs-emscripten publishes.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as turn } from 'node:timers/promises';
import {
  getQuickJS,
  newQuickJSWASMModuleFromVariant,
  shouldInterruptAfterDeadline,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten';
import type { NodeSocketHost } from './node-socket-host.js';
import type { HostCrypto } from '../../engine-module/platform/host-bridge.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const IIFE = join(ROOT, 'dist/embedded.iife.js');

/**
 * Globals a browser, Node or Deno would offer that the bundle must never touch. Each becomes a recording getter on
 * the QuickJS global, so even `typeof x` feature tests show up.
 */
export const FORBIDDEN_GLOBALS = [
  'crypto', 'TextEncoder', 'TextDecoder', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout',
  'queueMicrotask', 'self', 'window', 'global', 'process', 'require', 'Buffer', 'atob', 'btoa', 'performance',
  'console', 'navigator', 'fetch', 'WebAssembly', 'Deno', 'Bun', 'scheduler', 'module', 'exports', 'define',
];

/** A modest budget, as an engine would set: the downloads here (up to 420 KB bodies) also pass at 16 MiB. */
const MEMORY_LIMIT = 64 * 1024 * 1024;
/** Tests that step an interpreter: minutes on a loaded machine, the more in QuickJS-ng. */
export const INTERPRETER_TEST_TIMEOUT = 180_000;

/** A single frame running this long means a hang, not slowness (even on a busy machine, in the slower QuickJS-ng). */
const FRAME_DEADLINE_MS = 60_000;

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The IIFE bundle's source, rebuilt with the project's build script when missing or older than the sources. */
export function embeddedBundle(): string {
  let built = 0;
  try {
    built = statSync(IIFE).mtimeMs;
  } catch {
    built = 0;
  }
  const config = statSync(join(ROOT, 'esbuild.config.mjs')).mtimeMs;
  const sources = Math.max(newestSourceMtime(join(ROOT, 'engine-module')), config);
  if (built < sources) execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: ROOT, stdio: 'pipe' });
  return readFileSync(IIFE, 'utf8');
}

/** The embedded runtimes the tests run in. */
export type RuntimeName = 'quickjs' | 'quickjs-ng';
export const RUNTIMES: readonly RuntimeName[] = ['quickjs', 'quickjs-ng'];

let quickjsNg: Promise<QuickJSWASMModule> | null = null;

function loadRuntime(name: RuntimeName): Promise<QuickJSWASMModule> {
  if (name === 'quickjs') return getQuickJS();
  quickjsNg ??= newQuickJSWASMModuleFromVariant(import('@jitl/quickjs-ng-wasmfile-release-sync'));
  return quickjsNg;
}

/** What the script inside the runtime handed to the host's crypto functions, as the host saw it. */
export interface CryptoTraffic {
  /** Calls per HostCrypto function. */
  calls: Record<string, number>;
  /** Every string argument (only algorithm names may ever cross as strings). */
  strings: Set<string>;
  /** Bytes handed to the host and handed back, in all. */
  bytesIn: number;
  bytesOut: number;
}

export interface QuickJsHostOptions {
  /** The runtime (default QuickJS). */
  runtime?: RuntimeName;
  /** Native crypto for the bridge's `crypto` member: these functions, called from inside the runtime. */
  crypto?: HostCrypto;
  /** PEM returned by the bridge's trustedRoots(); omitted from the bridge when undefined. */
  trustedRootsPem?: string;
  /** Leave randomBytes out of the bridge (a host without a secure random source). */
  withoutRandom?: boolean;
}

/** One QuickJS runtime + context with the bundle loaded and the host platform installed. */
export class QuickJsHost {
  /** What crossed into the host's crypto functions so far. */
  readonly cryptoTraffic: CryptoTraffic = { calls: {}, strings: new Set(), bytesIn: 0, bytesOut: 0 };
  /** Milliseconds the bundle's source took to evaluate (its load time in this runtime). */
  bundleLoadMs = 0;

  private constructor(
    private readonly runtime: QuickJSRuntime,
    readonly vm: QuickJSContext,
  ) {}

  static async create(host: NodeSocketHost, options: QuickJsHostOptions = {}): Promise<QuickJsHost> {
    const bundle = embeddedBundle();
    const runtime = (await loadRuntime(options.runtime ?? 'quickjs')).newRuntime();
    runtime.setMemoryLimit(MEMORY_LIMIT);
    const qjs = new QuickJsHost(runtime, runtime.newContext());
    qjs.installTraps();
    qjs.installBridge(host, options);
    const t0 = performance.now();
    qjs.eval(bundle, 'embedded.iife.js');
    qjs.bundleLoadMs = performance.now() - t0;
    qjs.eval('tickhttp.setPlatform(tickhttp.createHostPlatform(__host)); true');
    return qjs;
  }

  /**
   * Evaluate global code; returns its value dumped to Node (JSON-able values). A QuickJS exception is rethrown as a
   * plain Error carrying only its dumped text: the library's own error object holds the whole WebAssembly module, and
   * a test runner serialising that for its report runs out of memory instead of failing the test.
   */
  eval(code: string, filename = 'frame.js'): unknown {
    this.runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + FRAME_DEADLINE_MS));
    const result = this.vm.evalCode(code, filename);
    if (result.error) {
      const e: unknown = result.error.consume(this.vm.dump);
      if (!e || typeof e !== 'object') throw new Error(`QuickJS threw ${String(e)}`);
      const { name = 'error', message = '', stack = '' } = e as { name?: string; message?: string; stack?: string };
      throw new Error(`QuickJS ${name}: ${message}\n${stack}`);
    }
    return result.value.consume(this.vm.dump);
  }

  /**
   * Step frames: each frame evaluates `frameCode` once inside QuickJS, then Node turns its event loop (sockets
   * deliver into the host buffers). Stops when the frame returns a truthy value; returns it and the frame count.
   */
  async runFrames<T>(frameCode: string, maxFrames = 20_000): Promise<{ result: T; frames: number }> {
    for (let frames = 1; frames <= maxFrames; frames++) {
      const result = this.eval(frameCode) as T;
      if (result) return { result, frames };
      await turn();
    }
    throw new Error(`no result after ${maxFrames} frames`);
  }

  /** Names of forbidden globals the bundle touched so far, in order of first touch. */
  touchedGlobals(): string[] {
    return this.eval('__touched.slice()') as string[];
  }

  dispose(): void {
    this.vm.dispose();
    this.runtime.dispose();
  }

  private installTraps(): void {
    this.eval(
      `var __touched = [];
       ${JSON.stringify(FORBIDDEN_GLOBALS)}.forEach(function (name) {
         Object.defineProperty(globalThis, name, { configurable: true, get: function () {
           if (__touched.indexOf(name) < 0) __touched.push(name);
           return undefined;
         } });
       });`,
      'traps.js',
    );
  }

  private installBridge(host: NodeSocketHost, options: QuickJsHostOptions): void {
    const vm = this.vm;
    const numberOf = (h: QuickJSHandle) => vm.getNumber(h);
    const fns: Record<string, (...args: QuickJSHandle[]) => QuickJSHandle | undefined> = {
      tcpConnect: (h, p) => vm.newNumber(host.tcpConnect(vm.getString(h), numberOf(p))),
      tcpSend: (h, data) => {
        // The bridge promises a view over its whole buffer, so the ArrayBuffer is exactly the bytes to send.
        const buffer = vm.getProp(data, 'buffer');
        const bytes = vm.getArrayBuffer(buffer);
        try {
          return vm.newNumber(host.tcpSend(numberOf(h), bytes.value));
        } finally {
          bytes.dispose();
          buffer.dispose();
        }
      },
      tcpReceive: (h, max) => this.bytesOut(host.tcpReceive(numberOf(h), numberOf(max))),
      tcpStatus: (h) => vm.newNumber(host.tcpStatus(numberOf(h))),
      tcpAvailable: (h) => vm.newNumber(host.tcpAvailable(numberOf(h))),
      tcpClose: (h) => {
        host.tcpClose(numberOf(h));
        return undefined;
      },
      resolve: (name) => {
        const answer = host.resolve(vm.getString(name));
        return answer === undefined ? undefined : answer === null ? vm.null : vm.newString(answer);
      },
      now: () => vm.newNumber(host.now()),
    };
    if (!options.withoutRandom) fns.randomBytes = (n) => this.bytesOut(host.randomBytes(numberOf(n)));
    const pem = options.trustedRootsPem;
    if (pem !== undefined) fns.trustedRoots = () => vm.newString(pem);

    const bridge = vm.newObject();
    for (const [name, fn] of Object.entries(fns)) {
      const handle = vm.newFunction(name, fn);
      vm.setProp(bridge, name, handle);
      handle.dispose();
    }
    if (options.crypto) this.installCrypto(bridge, options.crypto);
    vm.setProp(vm.global, '__host', bridge);
    bridge.dispose();
  }

  /** Bytes into the runtime as an ArrayBuffer (a whole-buffer view crosses without a copy on the Node side). */
  private bytesOut(data: Uint8Array): QuickJSHandle {
    const { buffer, byteOffset, byteLength } = data;
    const whole = byteOffset === 0 && byteLength === buffer.byteLength;
    return this.vm.newArrayBuffer(whole ? buffer : buffer.slice(byteOffset, byteOffset + byteLength));
  }

  /**
   * The bridge's `crypto` member: each HostCrypto function of `crypto` as a native function. Arguments are read as
   * a native engine reads them (strings as strings, byte arrays through their ArrayBuffer) and recorded in
   * {@link cryptoTraffic}; results go back as ArrayBuffers, null or booleans.
   */
  private installCrypto(bridge: QuickJSHandle, crypto: HostCrypto): void {
    const vm = this.vm;
    const traffic = this.cryptoTraffic;
    const argument = (h: QuickJSHandle): string | Uint8Array => {
      if (vm.typeof(h) === 'string') {
        const name = vm.getString(h);
        traffic.strings.add(name);
        return name;
      }
      const buffer = vm.getProp(h, 'buffer');
      const bytes = vm.getArrayBuffer(buffer);
      try {
        // A copy: the view into the runtime's memory is invalid once anything is allocated there.
        const copy = new Uint8Array(bytes.value);
        traffic.bytesIn += copy.length;
        return copy;
      } finally {
        bytes.dispose();
        buffer.dispose();
      }
    };
    const result = (value: unknown): QuickJSHandle => {
      if (value === null) return vm.null;
      if (typeof value === 'boolean') return value ? vm.true : vm.false;
      const b = value as Uint8Array;
      traffic.bytesOut += b.length;
      return this.bytesOut(b);
    };
    const object = vm.newObject();
    for (const [name, value] of Object.entries(crypto)) {
      if (typeof value === 'function') {
        const fn = vm.newFunction(name, (...args: QuickJSHandle[]) => {
          traffic.calls[name] = (traffic.calls[name] ?? 0) + 1;
          return result((value as (...a: unknown[]) => unknown).apply(crypto, args.map(argument)));
        });
        vm.setProp(object, name, fn);
        fn.dispose();
      } else {
        const list = vm.newArray();
        (value as string[]).forEach((item, i) => {
          const h = vm.newString(item);
          vm.setProp(list, i, h);
          h.dispose();
        });
        vm.setProp(object, name, list);
        list.dispose();
      }
    }
    vm.setProp(bridge, 'crypto', object);
    object.dispose();
  }
}
