// Bytes crossing the boundary between tickhttp and a host's native functions.
import type { HostBytes } from './host-bridge.js';

/** Bytes from the host as a Uint8Array view (an ArrayBuffer is wrapped, not copied). */
export function hostBytes(b: HostBytes): Uint8Array {
  return b instanceof Uint8Array ? b : new Uint8Array(b);
}

/**
 * Bytes for the host as a view that starts at offset 0 of its own buffer and spans all of it (copied when it does
 * not), so a host whose embedding API reads whole ArrayBuffers reads exactly these bytes.
 */
export function wholeBuffer(data: Uint8Array): Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
}
