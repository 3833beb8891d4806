// A Platform whose TCP connections are in-memory pipes: tests see every byte the client writes.
import type { Platform } from '../../engine-module/platform/platform.js';
import { createMemoryPipe, type MemoryPeer } from '../../engine-module/net/memory-pipe.js';
import type { TlsWrapper } from '../../engine-module/http/client-options.js';

export interface Dialed {
  address: string;
  port: number;
  server: MemoryPeer;
}

/** Resolves every name except *.invalid to itself and records each connection with its server end. */
export function memoryPlatform(): { platform: Platform; dialed: Dialed[] } {
  const dialed: Dialed[] = [];
  const platform: Platform = {
    resolveHost: (host) => {
      const ok = !host.endsWith('.invalid');
      return { status: () => (ok ? 'done' : 'failed'), address: () => (ok ? host : null) };
    },
    connectTcp: (address, port) => {
      const [client, server] = createMemoryPipe();
      dialed.push({ address, port, server });
      return client;
    },
    randomBytes: () => {
      throw new Error('not used');
    },
    now: () => 0,
    wallClock: () => new Date(0),
    trustedRoots: () => [],
  };
  return { platform, dialed };
}

/** A stand-in TLS layer that passes bytes through unchanged: exercises the TLS seam (and tunnels) without TLS. */
export const passThroughTls: TlsWrapper = (inner) => Object.assign(inner, { getTlsError: () => null });
