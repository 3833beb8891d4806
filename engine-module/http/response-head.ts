import { latin1Decode, utf8Decode } from '../bytes/bytes.js';
import { isForbiddenInValue, isNamed, isToken, isWhitespace } from './field-syntax.js';
import { ProtocolError } from './protocol-error.js';
import type { ReceiveBuffer } from './receive-buffer.js';

/** A parsed response head. */
export interface ResponseHead {
  /** HTTP minor version: 1 for HTTP/1.1 (and later 1.x), 0 for HTTP/1.0 (and 0.9). */
  minorVersion: number;
  status: number;
  reason: string;
  /**
   * Field lines in arrival order; names as sent, values trimmed and unfolded. ASCII is read byte for byte; a value
   * holding other bytes is read as UTF-8 (as Godot reads heads), invalid sequences becoming U+FFFD.
   */
  headers: Array<[string, string]>;
}

/** The values of the fields named `name` (any case), joined with ", " as RFC 9110 §5.3 allows; null when absent. */
export function headerValue(fields: ReadonlyArray<readonly [string, string]>, name: string): string | null {
  const lower = name.toLowerCase();
  let out: string | null = null;
  for (const [n, v] of fields) if (isNamed(n, lower)) out = out === null ? v : `${out}, ${v}`;
  return out;
}

/** Field lines as Godot hands them out: "Name: value". */
export function fieldLines(fields: ReadonlyArray<readonly [string, string]>): string[] {
  return fields.map(([n, v]) => `${n}: ${v}`);
}

/** Limits that bound what one head may cost. */
export interface HeadLimits {
  maxHeadBytes: number;
  maxHeaderCount: number;
}

const HTTP_PREFIX = [0x48, 0x54, 0x54, 0x50, 0x2f]; // "HTTP/"
const COLON = 0x3a;

/**
 * Reads one response head from a {@link ReceiveBuffer}, line by line, across any split of the bytes. Leading blank
 * lines are skipped, bare LF ends a line, obs-fold becomes one space; CTLs in values and NUL anywhere are errors.
 */
export class ResponseHeadReader {
  private used: number;
  private readonly afterInterim: boolean;
  private statusLine: StatusLine | null = null;
  private readonly headers: Array<[string, string]> = [];

  /**
   * `alreadyUsed`: bytes of `maxHeadBytes` spent by earlier heads of the same exchange (interim responses), so a
   * stream of 1xx heads cannot go on for ever.
   */
  constructor(
    private readonly limits: HeadLimits,
    alreadyUsed = 0,
  ) {
    this.used = alreadyUsed;
    this.afterInterim = alreadyUsed > 0;
  }

  /** Head bytes taken from the buffer so far, line ends included (plus `alreadyUsed`). */
  get consumed(): number {
    return this.used;
  }

  /** The complete head, or null while more bytes are needed. Throws {@link ProtocolError} on a bad head. */
  read(buf: ReceiveBuffer): ResponseHead | null {
    for (;;) {
      if (!this.statusLine) this.rejectEarly(buf);
      const line = this.nextLine(buf);
      if (!line) return null;
      if (!this.statusLine) {
        if (line.length > 0) this.statusLine = parseStatusLine(line);
        continue;
      }
      if (line.length === 0) return this.finish();
      this.addFieldLine(line);
    }
  }

  /** The next line, counting every byte it took from the buffer (CR and LF included) against the head limit. */
  private nextLine(buf: ReceiveBuffer): Uint8Array | null {
    const before = buf.length;
    let line: Uint8Array | null;
    try {
      line = buf.extractLine(this.limits.maxHeadBytes - this.used);
    } catch {
      const what = this.afterInterim ? 'interim and final response heads together' : 'response head';
      throw new ProtocolError(`${what} larger than ${this.limits.maxHeadBytes} bytes`);
    }
    this.used += before - buf.length;
    return line;
  }

  /** A first line that cannot become "HTTP/" fails before its end arrives (e.g. a TLS record on a plain port). */
  private rejectEarly(buf: ReceiveBuffer): void {
    let i = 0;
    while (i < buf.length && (buf.peek(i) === 0x0d || buf.peek(i) === 0x0a)) i++;
    for (let k = 0; k < HTTP_PREFIX.length && i + k < buf.length; k++) {
      if (buf.peek(i + k) !== HTTP_PREFIX[k]) throw new ProtocolError('response does not start with "HTTP/"');
    }
  }

  private addFieldLine(line: Uint8Array): void {
    if (isWhitespace(line[0])) {
      const last = this.headers[this.headers.length - 1];
      if (!last) throw new ProtocolError('continuation line before any field');
      const more = fieldValue(line, 0);
      if (more.length > 0) last[1] = last[1].length > 0 ? `${last[1]} ${more}` : more;
      return;
    }
    const colon = line.indexOf(COLON);
    if (colon < 0) throw new ProtocolError('field line without a colon');
    if (!isToken(line, 0, colon)) throw new ProtocolError('invalid field name');
    if (this.headers.length >= this.limits.maxHeaderCount) {
      throw new ProtocolError(`more than ${this.limits.maxHeaderCount} header fields`);
    }
    this.headers.push([asciiText(line, 0, colon), fieldValue(line, colon + 1)]);
  }

  private finish(): ResponseHead {
    const s = this.statusLine!;
    return { minorVersion: s.minorVersion, status: s.status, reason: s.reason, headers: this.headers };
  }
}

/** The status line's parts. */
interface StatusLine {
  minorVersion: number;
  status: number;
  reason: string;
}

/** The value from `start` to the end of a field line: OWS trimmed; a control character (CR, NUL, ...) is an error. */
function fieldValue(line: Uint8Array, start: number): string {
  let end = line.length;
  while (start < end && isWhitespace(line[start])) start++;
  while (end > start && isWhitespace(line[end - 1])) end--;
  let high = 0;
  for (let i = start; i < end; i++) {
    const c = line[i];
    if (isForbiddenInValue(c)) throw new ProtocolError(`control character 0x${c.toString(16)} in a field`);
    high |= c;
  }
  return high < 0x80 ? asciiText(line, start, end) : utf8Decode(line.subarray(start, end));
}

/** Head bytes as text: ASCII byte for byte (no decoder), anything else as UTF-8 (see {@link ResponseHead}). */
function headText(b: Uint8Array, start: number, end: number): string {
  for (let i = start; i < end; i++) if (b[i] >= 0x80) return utf8Decode(b.subarray(start, end));
  return asciiText(b, start, end);
}

/** Longest string built eight chars at a time; longer ones go through latin1Decode's array conversion. */
const SHORT_TEXT = 256;

/**
 * ASCII bytes as a string. Field names and values are short, and for short strings eight-argument fromCharCode calls
 * cost far less than converting a view into an argument list (latin1Decode), which is what long strings use.
 */
function asciiText(b: Uint8Array, start: number, end: number): string {
  if (end - start > SHORT_TEXT) return latin1Decode(b, start, end);
  let s = '';
  let i = start;
  for (; i + 8 <= end; i += 8) {
    s += String.fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
  }
  for (; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** status-line = HTTP-version SP 3DIGIT [ SP reason-phrase ] (a missing SP before an empty reason is tolerated). */
function parseStatusLine(line: Uint8Array): StatusLine {
  const ok =
    line.length >= 12 &&
    line[0] === HTTP_PREFIX[0] &&
    line[1] === HTTP_PREFIX[1] &&
    line[2] === HTTP_PREFIX[2] &&
    line[3] === HTTP_PREFIX[3] &&
    line[4] === HTTP_PREFIX[4] &&
    isDigit(line[5]) &&
    line[6] === 0x2e &&
    isDigit(line[7]) &&
    line[8] === 0x20 &&
    isDigit(line[9]) &&
    isDigit(line[10]) &&
    isDigit(line[11]) &&
    (line.length === 12 || line[12] === 0x20);
  if (!ok) throw new ProtocolError('malformed status line');
  const major = line[5] - 0x30;
  const minor = line[7] - 0x30;
  let minorVersion: number;
  if (major === 1) minorVersion = minor === 0 ? 0 : 1;
  else if (major === 0 && minor === 9) minorVersion = 0;
  else throw new ProtocolError(`unsupported HTTP version ${major}.${minor}`);
  const reasonStart = Math.min(13, line.length);
  for (let i = reasonStart; i < line.length; i++) {
    if (isForbiddenInValue(line[i])) throw new ProtocolError('control character in the reason phrase');
  }
  const status = (line[9] - 0x30) * 100 + (line[10] - 0x30) * 10 + (line[11] - 0x30);
  if (status < 100) throw new ProtocolError(`status code ${status} out of range`);
  return { minorVersion, status, reason: headText(line, reasonStart, line.length) };
}
