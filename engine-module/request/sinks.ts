// Where a response body goes as it is decoded: memory for ordinary responses, a platform file for downloads.
import { concatBytes } from '../bytes/bytes.js';
import type { FileAccess } from '../platform/platform.js';

/** A destination for body bytes. */
export interface BodySink {
  /** Append decoded bytes; false when they could not be stored. */
  write(data: Uint8Array): boolean;
  /** The body is complete: flush and release; false when that failed (the body may not be stored whole). */
  finish(): boolean;
  /** The request failed or was cancelled: release without completing (a partial file stays for a later resume). */
  abort(): void;
}

/** A sink that keeps the body in memory. */
export interface MemorySink extends BodySink {
  /** Everything written so far, as one array. */
  bytes(): Uint8Array;
}

/** A body held in memory, joined once when read. */
export function memorySink(): MemorySink {
  let parts: Uint8Array[] = [];
  return {
    write(data) {
      parts.push(data);
      return true;
    },
    bytes() {
      if (parts.length !== 1) parts = [concatBytes(...parts)];
      return parts[0];
    },
    finish: () => true,
    abort() {
      parts = [];
    },
  };
}

/** A body written to a file as it arrives; null when the file cannot be opened. */
export function fileSink(files: FileAccess, path: string, append: boolean): BodySink | null {
  const file = files.open(path, append);
  if (!file) return null;
  let open = true;
  const close = (): boolean => {
    if (!open) return true;
    open = false;
    try {
      file.close();
      return true;
    } catch {
      return false; // a host file API may throw; the request reports it instead
    }
  };
  return {
    write(data) {
      try {
        return open && file.write(data);
      } catch {
        return false;
      }
    },
    finish: close,
    abort: () => void close(),
  };
}
