// Resuming a partial download (RFC 9110 §14): Range from the size already on disk, If-Range with the validator the
// first response carried (kept next to the file), and the Content-Range of a 206 checked before appending.
import { utf8Decode, utf8Encode } from '../bytes/bytes.js';
import type { FileAccess } from '../platform/platform.js';
import { findHeader } from './headers.js';

/** The file holding the validator of a partial download. */
function validatorPath(path: string): string {
  return `${path}.validator`;
}

/**
 * The If-Range validator of a response: a strong ETag, else Last-Modified (RFC 9110 §13.1.5 allows no weak ETag);
 * null when it has neither, and then a partial file cannot be resumed safely.
 */
export function rangeValidator(headers: readonly string[]): string | null {
  const etag = findHeader(headers, 'etag');
  if (etag !== null && !etag.startsWith('W/')) return etag;
  return findHeader(headers, 'last-modified');
}

/** Remember the validator of a download being written, so a later request can resume it. */
export function saveValidator(files: FileAccess, path: string, validator: string): void {
  const sink = files.open(validatorPath(path), false);
  if (!sink) return;
  sink.write(utf8Encode(validator));
  sink.close();
}

/** The validator saved for a partial download, or null. */
export function loadValidator(files: FileAccess, path: string): string | null {
  const raw = files.read?.(validatorPath(path));
  if (!raw) return null;
  const v = utf8Decode(raw).trim();
  return v === '' || /[\r\n\0]/.test(v) ? null : v;
}

/** Forget a download's validator (it completed, or restarts from zero). */
export function dropValidator(files: FileAccess, path: string): void {
  files.remove?.(validatorPath(path));
}

/** A parsed `Content-Range: bytes first-last/complete` (complete is -1 for "*"). */
export interface ContentRange {
  first: number;
  last: number;
  complete: number;
}

/** Parse a byte Content-Range of a 206; null when malformed or inconsistent. */
export function parseContentRange(value: string | null): ContentRange | null {
  const m = value === null ? null : /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim());
  if (!m) return null;
  const first = Number(m[1]);
  const last = Number(m[2]);
  const complete = m[3] === '*' ? -1 : Number(m[3]);
  if (last < first || (complete >= 0 && last >= complete)) return null;
  return { first, last, complete };
}
