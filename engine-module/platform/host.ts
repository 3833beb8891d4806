// The embedded platform: a Platform built from the few native functions an engine exposes (see host-bridge.ts).
// Nothing here touches a global of the runtime except Date, and that only when the host gives no wall clock.

import type { FileAccess, PendingResolve, Platform } from './platform.js';
import type { HostBridge } from './host-bridge.js';
import { hostBytes, wholeBuffer } from './host-bytes.js';
import { HostStreamPeer } from './host-stream-peer.js';
import { pureCrypto } from '../tls/crypto/pure.js';
import { hostCryptoProvider } from './host-crypto.js';
import { pemToDer } from '../bytes/pem.js';

export type { HostBridge, HostBytes, HostCrypto, HostSignatureName } from './host-bridge.js';

const REQUIRED = ['tcpConnect', 'tcpSend', 'tcpReceive', 'tcpStatus', 'tcpClose', 'now'] as const;
const FILE_SINK = ['fileOpen', 'fileWrite', 'fileClose', 'fileSize'] as const;

/** The error TLS meets when the host has no secure random source. */
export const NO_RANDOM_SOURCE = 'tickhttp: the host provides no secure random source; TLS cannot start';

/**
 * Build the {@link Platform} for an embedded runtime from the host's native functions. Install it with
 * `setPlatform(createHostPlatform(bridge))`. Throws at once when a required function is missing, or the file sink or
 * a pair of crypto functions is only partly given, and reads the trusted roots once here, so a wiring mistake shows
 * at start-up rather than on the first request.
 */
export function createHostPlatform(bridge: HostBridge): Platform {
  const missing = REQUIRED.filter((name) => typeof bridge[name] !== 'function');
  if (missing.length > 0) throw new Error(`tickhttp: the host bridge lacks ${missing.join(', ')}`);
  const fileFns = FILE_SINK.filter((name) => typeof bridge[name] === 'function');
  if (fileFns.length !== 0 && fileFns.length !== FILE_SINK.length) {
    throw new Error(`tickhttp: the host bridge's file sink needs all of ${FILE_SINK.join(', ')}`);
  }
  const crypto = bridge.crypto ? hostCryptoProvider(bridge.crypto) : pureCrypto;
  const roots = hostRoots(bridge);
  const files = hostFiles(bridge);
  return {
    resolveHost: (host) => hostResolve(bridge, host),
    connectTcp: (address, port) => new HostStreamPeer(bridge, connectHandle(bridge, address, port)),
    randomBytes: (n) => secureRandom(bridge, n),
    now: () => bridge.now(),
    wallClock: () => new Date(bridge.wallClock ? bridge.wallClock() : Date.now()),
    trustedRoots: () => roots,
    crypto,
    ...(files ? { files } : {}),
  };
}

/** The handle for a new connection; a throwing tcpConnect counts as a connect that never started. */
function connectHandle(bridge: HostBridge, address: string, port: number): number {
  try {
    return bridge.tcpConnect(address, port);
  } catch {
    return -1;
  }
}

function secureRandom(bridge: HostBridge, n: number): Uint8Array {
  if (!bridge.randomBytes) throw new Error(NO_RANDOM_SOURCE);
  const bytes = hostBytes(bridge.randomBytes(n));
  // Fewer bytes than asked would silently weaken keys and nonces.
  if (bytes.length !== n) throw new Error(`tickhttp: the host's randomBytes(${n}) returned ${bytes.length} bytes`);
  return bytes;
}

/** Poll the host's resolver until it settles; without one, the name itself goes to tcpConnect. */
function hostResolve(bridge: HostBridge, host: string): PendingResolve {
  const { resolve } = bridge;
  if (!resolve) return { status: () => 'done', address: () => host };
  let state: 'pending' | 'done' | 'failed' = 'pending';
  let address: string | null = null;
  const step = () => {
    if (state !== 'pending') return;
    let answer: string | null | undefined;
    try {
      answer = resolve.call(bridge, host);
    } catch {
      answer = null;
    }
    if (answer === undefined) return;
    if (typeof answer === 'string' && answer.length > 0) {
      state = 'done';
      address = answer;
    } else state = 'failed';
  };
  return {
    status: () => (step(), state),
    address: () => address,
  };
}

function hostRoots(bridge: HostBridge): Uint8Array[] {
  if (!bridge.trustedRoots) return [];
  const given = bridge.trustedRoots();
  return typeof given === 'string' ? pemToDer(given) : given.map(hostBytes);
}

/**
 * File access over the host's file functions, or undefined when the host has none. A host fault while opening or
 * writing reads as a failed open or write (a clear download error), never as an exception in a tick.
 */
function hostFiles(bridge: HostBridge): FileAccess | undefined {
  const { fileOpen, fileWrite, fileClose, fileSize, fileRead, fileRemove } = bridge;
  if (!fileOpen || !fileWrite || !fileClose || !fileSize) return undefined;
  const attempt = <T>(call: () => T, failed: T): T => {
    try {
      return call();
    } catch {
      return failed;
    }
  };
  const files: FileAccess = {
    size: (path) => fileSize.call(bridge, path),
    open: (path, append) => {
      const handle = attempt(() => fileOpen.call(bridge, path, append), -1);
      if (!(handle >= 0)) return null;
      let open = true;
      return {
        write: (data) => open && attempt(() => fileWrite.call(bridge, handle, wholeBuffer(data)) === true, false),
        close: () => {
          if (!open) return;
          open = false;
          attempt(() => fileClose.call(bridge, handle), undefined);
        },
      };
    },
  };
  if (fileRead) {
    files.read = (path) => {
      const got = fileRead.call(bridge, path);
      return got == null ? null : hostBytes(got);
    };
  }
  if (fileRemove) files.remove = (path) => fileRemove.call(bridge, path);
  return files;
}
