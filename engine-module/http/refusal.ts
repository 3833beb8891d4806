import { Err } from './constants.js';

/** A call refused: the Err it returns, and why in words (what HTTPClient.getLastError() then says). */
export interface Refusal {
  err: Err;
  reason: string;
}

/** A refusal; ERR_INVALID_PARAMETER unless another Err is named. */
export function refuse(reason: string, err: Err = Err.ERR_INVALID_PARAMETER): Refusal {
  return { err, reason };
}

/** Caller or server text quoted for a reason: control characters and quotes escaped, long text cut. */
export function quoted(text: unknown, max = 80): string {
  const s = String(text);
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}
