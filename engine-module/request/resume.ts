// Resuming a partial download (RFC 9110 §14): Range from the size already on disk, If-Range with the validator the
// first response carried (kept next to the file), and the Content-Range of a 206 checked before appending.
import { utf8Decode, utf8Encode } from '../bytes/bytes.js';
import { doneCell, thenCell, type Cell, type FileStore } from './file-store.js';
import { fieldValue, type FieldPairs } from './headers.js';

/** The file holding the validator of a partial download. */
function validatorPath(path: string): string {
  return `${path}.validator`;
}

/**
 * The If-Range validator of a response: a strong ETag, else Last-Modified (RFC 9110 §13.1.5 allows no weak ETag);
 * null when it has neither, and then a partial file cannot be resumed safely.
 */
export function rangeValidator(fields: FieldPairs): string | null {
  const etag = fieldValue(fields, 'etag');
  if (etag !== null && !etag.startsWith('W/')) return etag;
  return fieldValue(fields, 'last-modified');
}

/** Where a partial download continues: the bytes already on disk, and the validator they were fetched under. */
export interface ResumePoint {
  offset: number;
  validator: string;
}

/** The resume point of a download's partial file, or null when there is none (or no usable validator beside it). */
export function resumePoint(store: FileStore, path: string): Cell<ResumePoint | null> {
  return thenCell(store.size(path), (size) =>
    size > 0 ? thenCell(store.read(validatorPath(path)), (raw) => doneCell(pointOf(size, raw))) : doneCell(null),
  );
}

function pointOf(offset: number, raw: Uint8Array | null): ResumePoint | null {
  const validator = raw ? utf8Decode(raw).trim() : '';
  return validator === '' || /[\r\n\0]/.test(validator) ? null : { offset, validator };
}

/** Remember the validator of a download being written, so a later request can resume it; failures are ignored. */
export function saveValidator(store: FileStore, path: string, validator: string): Cell<void> {
  return thenCell(store.open(validatorPath(path), false), (sink) => {
    sink.write(utf8Encode(validator));
    return sink.close();
  });
}

/** Forget a download's validator (it completed, or restarts from zero), after `before` (a save still under way). */
export function dropValidator(store: FileStore, path: string, before: Cell<void> | null): void {
  const drop = () => store.remove(validatorPath(path));
  if (before) thenCell(before, drop);
  else drop();
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
