// Godot's HTTPClient enums and Error values, with Godot's names and numbers, so GDScript ports read the same.

/** The library version sent in the default User-Agent (kept equal to package.json by a test). */
export const TICKHTTP_VERSION = '0.1.0';

/** Godot's `Error` values that HTTPClient returns. */
export enum Err {
  OK = 0,
  FAILED = 1,
  ERR_UNAVAILABLE = 2,
  ERR_UNCONFIGURED = 3,
  ERR_CANT_CONNECT = 25,
  ERR_CANT_RESOLVE = 26,
  ERR_CONNECTION_ERROR = 27,
  ERR_INVALID_DATA = 30,
  ERR_INVALID_PARAMETER = 31,
  ERR_BUSY = 44,
}

/** HTTPClient.Method. */
export enum Method {
  GET = 0,
  HEAD = 1,
  POST = 2,
  PUT = 3,
  DELETE = 4,
  OPTIONS = 5,
  TRACE = 6,
  CONNECT = 7,
  PATCH = 8,
  MAX = 9,
}

/** The request-line token of each method, indexed by {@link Method}. */
export const METHOD_NAMES: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH'];

/** HTTPClient.Status. */
export enum Status {
  DISCONNECTED = 0,
  RESOLVING = 1,
  CANT_RESOLVE = 2,
  CONNECTING = 3,
  CANT_CONNECT = 4,
  CONNECTED = 5,
  REQUESTING = 6,
  BODY = 7,
  CONNECTION_ERROR = 8,
  /** Godot 4's name of SSL_HANDSHAKE_ERROR (same value). */
  TLS_HANDSHAKE_ERROR = 9,
  /** Godot 3's name, the one the README uses; declared last so that `Status[9]` prints it. */
  SSL_HANDSHAKE_ERROR = 9,
}

/** HTTPClient.ResponseCode: every status code Godot names. */
export enum ResponseCode {
  CONTINUE = 100,
  SWITCHING_PROTOCOLS = 101,
  PROCESSING = 102,
  OK = 200,
  CREATED = 201,
  ACCEPTED = 202,
  NON_AUTHORITATIVE_INFORMATION = 203,
  NO_CONTENT = 204,
  RESET_CONTENT = 205,
  PARTIAL_CONTENT = 206,
  MULTI_STATUS = 207,
  ALREADY_REPORTED = 208,
  IM_USED = 226,
  MULTIPLE_CHOICES = 300,
  MOVED_PERMANENTLY = 301,
  FOUND = 302,
  SEE_OTHER = 303,
  NOT_MODIFIED = 304,
  USE_PROXY = 305,
  SWITCH_PROXY = 306,
  TEMPORARY_REDIRECT = 307,
  PERMANENT_REDIRECT = 308,
  BAD_REQUEST = 400,
  UNAUTHORIZED = 401,
  PAYMENT_REQUIRED = 402,
  FORBIDDEN = 403,
  NOT_FOUND = 404,
  METHOD_NOT_ALLOWED = 405,
  NOT_ACCEPTABLE = 406,
  PROXY_AUTHENTICATION_REQUIRED = 407,
  REQUEST_TIMEOUT = 408,
  CONFLICT = 409,
  GONE = 410,
  LENGTH_REQUIRED = 411,
  PRECONDITION_FAILED = 412,
  REQUEST_ENTITY_TOO_LARGE = 413,
  REQUEST_URI_TOO_LONG = 414,
  UNSUPPORTED_MEDIA_TYPE = 415,
  REQUESTED_RANGE_NOT_SATISFIABLE = 416,
  EXPECTATION_FAILED = 417,
  IM_A_TEAPOT = 418,
  MISDIRECTED_REQUEST = 421,
  UNPROCESSABLE_ENTITY = 422,
  LOCKED = 423,
  FAILED_DEPENDENCY = 424,
  UPGRADE_REQUIRED = 426,
  PRECONDITION_REQUIRED = 428,
  TOO_MANY_REQUESTS = 429,
  REQUEST_HEADER_FIELDS_TOO_LARGE = 431,
  UNAVAILABLE_FOR_LEGAL_REASONS = 451,
  INTERNAL_SERVER_ERROR = 500,
  NOT_IMPLEMENTED = 501,
  BAD_GATEWAY = 502,
  SERVICE_UNAVAILABLE = 503,
  GATEWAY_TIMEOUT = 504,
  HTTP_VERSION_NOT_SUPPORTED = 505,
  VARIANT_ALSO_NEGOTIATES = 506,
  INSUFFICIENT_STORAGE = 507,
  LOOP_DETECTED = 508,
  NOT_EXTENDED = 510,
  NETWORK_AUTH_REQUIRED = 511,
}

/** Read chunk size bounds and default (Godot: 256 bytes .. 16 MiB, 64 KiB). */
export const MIN_READ_CHUNK_SIZE = 256;
export const MAX_READ_CHUNK_SIZE = 1 << 24;
export const DEFAULT_READ_CHUNK_SIZE = 65536;

/** Default response head limit (status line + fields) and field count limit. */
export const DEFAULT_MAX_HEAD_BYTES = 64 * 1024;
export const DEFAULT_MAX_HEADER_COUNT = 500;
