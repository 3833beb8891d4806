/**
 * How a request ended: Godot 3's HTTPRequest `Result` names and values, with tickhttp's own outcomes appended after
 * RESULT_TIMEOUT so scripts ported from Godot 3 keep their numbers.
 */
export enum Result {
  SUCCESS = 0,
  CHUNKED_BODY_SIZE_MISMATCH = 1,
  CANT_CONNECT = 2,
  CANT_RESOLVE = 3,
  CONNECTION_ERROR = 4,
  /** Godot 3's name; Godot 4 calls it TLS_HANDSHAKE_ERROR (same value). */
  SSL_HANDSHAKE_ERROR = 5,
  TLS_HANDSHAKE_ERROR = 5,
  NO_RESPONSE = 6,
  BODY_SIZE_LIMIT_EXCEEDED = 7,
  REQUEST_FAILED = 8,
  DOWNLOAD_FILE_CANT_OPEN = 9,
  DOWNLOAD_FILE_WRITE_ERROR = 10,
  REDIRECT_LIMIT_REACHED = 11,
  TIMEOUT = 12,
  /** The Content-Encoding stream (gzip/deflate) is corrupt or truncated. */
  BODY_DECOMPRESS_FAILED = 13,
  /** The pool's wait queue was full (its configured `maxQueue`); nothing was sent. */
  QUEUE_FULL = 14,
}

/** Godot-style constant names (`RESULT_SUCCESS` ...) with the same values, for scripts ported from GDScript. */
export const RESULT_SUCCESS = Result.SUCCESS;
export const RESULT_CHUNKED_BODY_SIZE_MISMATCH = Result.CHUNKED_BODY_SIZE_MISMATCH;
export const RESULT_CANT_CONNECT = Result.CANT_CONNECT;
export const RESULT_CANT_RESOLVE = Result.CANT_RESOLVE;
export const RESULT_CONNECTION_ERROR = Result.CONNECTION_ERROR;
export const RESULT_SSL_HANDSHAKE_ERROR = Result.SSL_HANDSHAKE_ERROR;
export const RESULT_TLS_HANDSHAKE_ERROR = Result.TLS_HANDSHAKE_ERROR;
export const RESULT_NO_RESPONSE = Result.NO_RESPONSE;
export const RESULT_BODY_SIZE_LIMIT_EXCEEDED = Result.BODY_SIZE_LIMIT_EXCEEDED;
export const RESULT_REQUEST_FAILED = Result.REQUEST_FAILED;
export const RESULT_DOWNLOAD_FILE_CANT_OPEN = Result.DOWNLOAD_FILE_CANT_OPEN;
export const RESULT_DOWNLOAD_FILE_WRITE_ERROR = Result.DOWNLOAD_FILE_WRITE_ERROR;
export const RESULT_REDIRECT_LIMIT_REACHED = Result.REDIRECT_LIMIT_REACHED;
export const RESULT_TIMEOUT = Result.TIMEOUT;
export const RESULT_BODY_DECOMPRESS_FAILED = Result.BODY_DECOMPRESS_FAILED;
export const RESULT_QUEUE_FULL = Result.QUEUE_FULL;

/**
 * The number Godot 4 gives the same outcome: 4.x inserted BODY_DECOMPRESS_FAILED at 8, moving REQUEST_FAILED ..
 * TIMEOUT up by one. -1 for QUEUE_FULL, which Godot does not have.
 */
export function godot4Result(result: Result): number {
  if (result === Result.BODY_DECOMPRESS_FAILED) return 8;
  if (result === Result.QUEUE_FULL) return -1;
  return result >= Result.REQUEST_FAILED ? result + 1 : result;
}

/** Which clock ran out when the result is {@link Result.TIMEOUT}. */
export enum TimeoutKind {
  NONE = 0,
  /** Resolving, connecting and the TLS handshake took longer than `timeouts.connectMs`. */
  CONNECT = 1,
  /** The whole request, queueing, redirects and retries included, took longer than `timeouts.totalMs`. */
  TOTAL = 2,
  /** No progress (no byte, no state change) for `timeouts.stallMs` once connected. */
  STALL = 3,
}
