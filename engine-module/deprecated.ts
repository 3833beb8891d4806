// Names the main entries still export for code written before they moved; each says where it lives now.
import { MemoryPeer as TestingMemoryPeer, createMemoryPipe as testingMemoryPipe } from './net/memory-pipe.js';
import type { MemoryPipeOptions as TestingMemoryPipeOptions } from './net/memory-pipe.js';

/** @deprecated A test transport: import it from `tickhttp/testing`. */
export const MemoryPeer = TestingMemoryPeer;
/** @deprecated A test transport: import it from `tickhttp/testing`. */
export type MemoryPeer = TestingMemoryPeer;
/** @deprecated A test transport: import it from `tickhttp/testing`. */
export const createMemoryPipe = testingMemoryPipe;
/** @deprecated A test transport's options: import them from `tickhttp/testing`. */
export type MemoryPipeOptions = TestingMemoryPipeOptions;
