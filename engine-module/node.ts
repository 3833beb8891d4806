// The Node entry: the neutral API with the Node platform installed on import.
export * from './index.js';
