// The platform-neutral public API. Runtime-specific entries (node.ts, embedded.ts) re-export this.

export { setPlatform, getPlatform } from './platform/platform.js';
export type { Platform, PendingResolve, FileAccess, FileSink } from './platform/platform.js';
export type { StreamPeer } from './net/stream-peer.js';
export type { CryptoProvider } from './tls/crypto/provider.js';
