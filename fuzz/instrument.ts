// The HTTP exchange's poll() and TlsClientEngine.pump() catch everything at their boundary, which is right for a game loop
// but would also hide a programming error (a TypeError, an out-of-range read) behind an ordinary error status. The
// hardening checks wrap the methods behind those boundaries to tell the two apart: protocol errors are expected,
// anything else is a finding. Wrapping throws at once if a wrapped method is renamed, so the check cannot go quiet.

import { DecodeError } from '../engine-module/bytes/byte-reader.js';
import { Http11Exchange } from '../engine-module/http/http11-exchange.js';
import { ProtocolError } from '../engine-module/http/protocol-error.js';
import { TlsError } from '../engine-module/tls/tls-failure.js';
import { TlsClientEngine } from '../engine-module/tls/engine.js';

/** Non-protocol exceptions caught inside the client or engine since the last {@link takeInternalErrors}. */
const internal: string[] = [];

let installed = false;

/** Install the wrappers (once per module instance). */
export function instrument(): void {
  if (installed) return;
  installed = true;
  const httpProto = Http11Exchange.prototype as unknown as Record<string, unknown>;
  for (const name of ['step', 'readPiece']) wrapThrowing(httpProto, name, isHttpProtocolError);
  wrapFailure(TlsClientEngine.prototype as unknown as Record<string, unknown>, 'caught');
}

/** The internal errors seen since the last call, and forget them. */
export function takeInternalErrors(): string[] {
  return internal.splice(0);
}

function isHttpProtocolError(e: unknown): boolean {
  return e instanceof ProtocolError;
}

/** Errors the TLS engine raises on purpose: protocol errors, decode errors, and its own plain Error reasons. */
function isTlsProtocolError(e: unknown): boolean {
  return e instanceof TlsError || e instanceof DecodeError || (e instanceof Error && e.constructor === Error);
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
}

function method(proto: Record<string, unknown>, name: string): (...args: unknown[]) => unknown {
  const original = proto[name];
  if (typeof original !== 'function') throw new Error(`instrument: ${name} is not a method any more; update fuzz/instrument.ts`);
  return original as (...args: unknown[]) => unknown;
}

function wrapThrowing(proto: Record<string, unknown>, name: string, expected: (e: unknown) => boolean): void {
  const original = method(proto, name);
  proto[name] = function (this: unknown, ...args: unknown[]) {
    try {
      return original.apply(this, args);
    } catch (e) {
      if (!expected(e)) internal.push(`${name}: ${describe(e)}`);
      throw e;
    }
  };
}

function wrapFailure(proto: Record<string, unknown>, name: string): void {
  const original = method(proto, name);
  proto[name] = function (this: unknown, e: unknown, ...rest: unknown[]) {
    if (!isTlsProtocolError(e)) internal.push(`${name}: ${describe(e)}`);
    return original.call(this, e, ...rest);
  };
}
