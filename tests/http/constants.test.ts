// Godot's HTTPClient constants (doc/classes/HTTPClient.xml) and Error values, by name and value, on the class.
import { describe, expect, it } from 'vitest';
import { HTTPClient } from '../../engine-module/http/client.js';
import { Err, Method, ResponseCode, Status } from '../../engine-module/http/constants.js';

const GODOT: Record<string, number> = {
  METHOD_GET: 0, METHOD_HEAD: 1, METHOD_POST: 2, METHOD_PUT: 3, METHOD_DELETE: 4, METHOD_OPTIONS: 5, METHOD_TRACE: 6,
  METHOD_CONNECT: 7, METHOD_PATCH: 8, METHOD_MAX: 9,
  STATUS_DISCONNECTED: 0, STATUS_RESOLVING: 1, STATUS_CANT_RESOLVE: 2, STATUS_CONNECTING: 3, STATUS_CANT_CONNECT: 4,
  STATUS_CONNECTED: 5, STATUS_REQUESTING: 6, STATUS_BODY: 7, STATUS_CONNECTION_ERROR: 8, STATUS_SSL_HANDSHAKE_ERROR: 9,
  STATUS_TLS_HANDSHAKE_ERROR: 9,
  RESPONSE_CONTINUE: 100, RESPONSE_SWITCHING_PROTOCOLS: 101, RESPONSE_PROCESSING: 102,
  RESPONSE_OK: 200, RESPONSE_CREATED: 201, RESPONSE_ACCEPTED: 202, RESPONSE_NON_AUTHORITATIVE_INFORMATION: 203,
  RESPONSE_NO_CONTENT: 204, RESPONSE_RESET_CONTENT: 205, RESPONSE_PARTIAL_CONTENT: 206, RESPONSE_MULTI_STATUS: 207,
  RESPONSE_ALREADY_REPORTED: 208, RESPONSE_IM_USED: 226,
  RESPONSE_MULTIPLE_CHOICES: 300, RESPONSE_MOVED_PERMANENTLY: 301, RESPONSE_FOUND: 302, RESPONSE_SEE_OTHER: 303,
  RESPONSE_NOT_MODIFIED: 304, RESPONSE_USE_PROXY: 305, RESPONSE_SWITCH_PROXY: 306, RESPONSE_TEMPORARY_REDIRECT: 307,
  RESPONSE_PERMANENT_REDIRECT: 308,
  RESPONSE_BAD_REQUEST: 400, RESPONSE_UNAUTHORIZED: 401, RESPONSE_PAYMENT_REQUIRED: 402, RESPONSE_FORBIDDEN: 403,
  RESPONSE_NOT_FOUND: 404, RESPONSE_METHOD_NOT_ALLOWED: 405, RESPONSE_NOT_ACCEPTABLE: 406,
  RESPONSE_PROXY_AUTHENTICATION_REQUIRED: 407, RESPONSE_REQUEST_TIMEOUT: 408, RESPONSE_CONFLICT: 409, RESPONSE_GONE: 410,
  RESPONSE_LENGTH_REQUIRED: 411, RESPONSE_PRECONDITION_FAILED: 412, RESPONSE_REQUEST_ENTITY_TOO_LARGE: 413,
  RESPONSE_REQUEST_URI_TOO_LONG: 414, RESPONSE_UNSUPPORTED_MEDIA_TYPE: 415, RESPONSE_REQUESTED_RANGE_NOT_SATISFIABLE: 416,
  RESPONSE_EXPECTATION_FAILED: 417, RESPONSE_IM_A_TEAPOT: 418, RESPONSE_MISDIRECTED_REQUEST: 421,
  RESPONSE_UNPROCESSABLE_ENTITY: 422, RESPONSE_LOCKED: 423, RESPONSE_FAILED_DEPENDENCY: 424, RESPONSE_UPGRADE_REQUIRED: 426,
  RESPONSE_PRECONDITION_REQUIRED: 428, RESPONSE_TOO_MANY_REQUESTS: 429, RESPONSE_REQUEST_HEADER_FIELDS_TOO_LARGE: 431,
  RESPONSE_UNAVAILABLE_FOR_LEGAL_REASONS: 451,
  RESPONSE_INTERNAL_SERVER_ERROR: 500, RESPONSE_NOT_IMPLEMENTED: 501, RESPONSE_BAD_GATEWAY: 502,
  RESPONSE_SERVICE_UNAVAILABLE: 503, RESPONSE_GATEWAY_TIMEOUT: 504, RESPONSE_HTTP_VERSION_NOT_SUPPORTED: 505,
  RESPONSE_VARIANT_ALSO_NEGOTIATES: 506, RESPONSE_INSUFFICIENT_STORAGE: 507, RESPONSE_LOOP_DETECTED: 508,
  RESPONSE_NOT_EXTENDED: 510, RESPONSE_NETWORK_AUTH_REQUIRED: 511,
};

describe('constants', () => {
  it('every Godot constant is a static of HTTPClient with its Godot value, and there are no others', () => {
    const statics = HTTPClient as unknown as Record<string, number>;
    for (const [name, value] of Object.entries(GODOT)) expect(statics[name], name).toBe(value);
    const ours = Object.getOwnPropertyNames(HTTPClient).filter((n) => /^(METHOD|STATUS|RESPONSE)_/.test(n));
    expect(ours.sort()).toEqual(Object.keys(GODOT).sort());
  });

  it('the TS enums carry the same names and values', () => {
    const enums: Array<[string, Record<string, string | number>]> = [['METHOD_', Method], ['STATUS_', Status], ['RESPONSE_', ResponseCode]];
    for (const [prefix, e] of enums) {
      for (const [name, value] of Object.entries(e)) if (typeof value === 'number') expect(GODOT[prefix + name], prefix + name).toBe(value);
    }
    expect(HTTPClient.STATUS_BODY).toBe(7);
    expect(HTTPClient.METHOD_PATCH).toBe(8);
    expect(HTTPClient.RESPONSE_NOT_FOUND).toBe(404);
  });

  it('Err has Godot Error values', () => {
    expect({ ...Err }).toMatchObject({
      OK: 0, FAILED: 1, ERR_UNAVAILABLE: 2, ERR_UNCONFIGURED: 3, ERR_CANT_CONNECT: 25, ERR_CANT_RESOLVE: 26,
      ERR_CONNECTION_ERROR: 27, ERR_INVALID_DATA: 30, ERR_INVALID_PARAMETER: 31, ERR_BUSY: 44,
    });
  });

  it('read chunk size: 65536 by default, 256..16 MiB accepted, other values ignored', () => {
    const c = new HTTPClient();
    expect(c.readChunkSize).toBe(65536);
    c.setReadChunkSize(255);
    c.readChunkSize = (1 << 24) + 1;
    expect(c.getReadChunkSize()).toBe(65536);
    c.readChunkSize = 256;
    expect(c.readChunkSize).toBe(256);
    c.setReadChunkSize(1 << 24);
    expect(c.readChunkSize).toBe(1 << 24);
    c.blockingModeEnabled = true;
    expect(c.isBlockingModeEnabled()).toBe(true);
  });
});
