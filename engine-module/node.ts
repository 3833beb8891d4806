// The Node entry: the neutral API with the Node platform installed on import.
import { setPlatform } from './platform/platform.js';
import { createNodePlatform } from './platform/node.js';

setPlatform(createNodePlatform());

export * from './index.js';
export { createNodePlatform } from './platform/node.js';
export type { NodePlatformOptions } from './platform/node.js';
export { nodeCrypto } from './platform/node-crypto.js';
