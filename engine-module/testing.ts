// The `tickhttp/testing` entry: what a game's own tests need to drive HTTPClient and the ECS systems without sockets
// (in-memory transports with byte-exact splits), to check connections without reaching into the live pool, and to time
// the work the library does between frames.
export { MemoryPeer, createMemoryPipe } from './net/memory-pipe.js';
export type { MemoryPipeOptions } from './net/memory-pipe.js';
export { connectionCounts } from './testing/connection-counts.js';
export type { ConnectionCounts } from './testing/connection-counts.js';
export { timeWorkBetweenFrames } from './testing/work-between-frames.js';
