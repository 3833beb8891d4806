// An in-memory FileAccess for unit tests of the cache and sinks (the Node platform's is tested with real files).
import type { FileAccess } from '../../engine-module/platform/platform.js';
import { concatBytes } from '../../engine-module/bytes/bytes.js';

export function memoryFiles(): FileAccess & { data: Map<string, Uint8Array> } {
  const data = new Map<string, Uint8Array>();
  return {
    data,
    size: (path) => data.get(path)?.length ?? -1,
    open(path, append) {
      if (path.includes('/missing-dir/')) return null;
      if (!append || !data.has(path)) data.set(path, new Uint8Array(0));
      return {
        write(bytes) {
          data.set(path, concatBytes(data.get(path)!, bytes));
          return true;
        },
        close() {},
      };
    },
    read: (path) => data.get(path) ?? null,
    remove: (path) => void data.delete(path),
  };
}
