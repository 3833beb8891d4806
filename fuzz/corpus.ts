// Seed inputs: every raw response of the corpora in tests/fixtures, and well-formed responses generated from a seed.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { asciiEncode, concatBytes } from '../engine-module/bytes/bytes.js';
import type { Rng } from './rng.js';

const RESPONSE_FILES = ['llhttp-responses.json', 'h11-cases.json', 'undici-scenarios.json', 'response-framing.json'];

/** A named seed response. */
export interface Seed {
  id: string;
  bytes: Uint8Array;
}

/** The response corpora kept in the repository. */
export function corporaDir(repoRoot: string): string {
  return path.resolve(repoRoot, 'tests/fixtures/corpora');
}

/** Every case of the response corpora that carries raw bytes. */
export function loadResponseSeeds(dir: string): Seed[] {
  const seeds: Seed[] = [];
  for (const file of RESPONSE_FILES) {
    const data = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { cases: Array<{ id: string; raw_base64?: string }> };
    for (const c of data.cases) {
      if (typeof c.raw_base64 !== 'string') continue;
      const raw = Buffer.from(c.raw_base64, 'base64');
      seeds.push({ id: c.id, bytes: new Uint8Array(raw.buffer, raw.byteOffset, raw.length) });
    }
  }
  return seeds;
}

/**
 * A well-formed response with a body of up to `maxBody` bytes: Content-Length, chunked (with extensions and a
 * trailer) or until-close framing, sometimes after an interim 100 response.
 */
export function generatedResponse(rng: Rng, maxBody: number): Seed {
  const size = rng.int(maxBody + 1);
  const body = rng.bytes(size);
  const kind = rng.pick(['length', 'chunked', 'close'] as const);
  const interim = rng.int(4) === 0 ? 'HTTP/1.1 100 Continue\r\n\r\n' : '';
  let head = `${interim}HTTP/1.1 200 OK\r\nServer: fuzz\r\n`;
  const parts: Uint8Array[] = [];
  if (kind === 'length') {
    head += `Content-Length: ${size}\r\n\r\n`;
    parts.push(body);
  } else if (kind === 'chunked') {
    head += 'Transfer-Encoding: chunked\r\n\r\n';
    for (let at = 0; at < size; ) {
      const n = Math.min(size - at, 1 + rng.int(20000));
      const ext = rng.int(3) === 0 ? ';name=value' : '';
      parts.push(asciiEncode(`${n.toString(16)}${ext}\r\n`), body.subarray(at, at + n), asciiEncode('\r\n'));
      at += n;
    }
    parts.push(asciiEncode(rng.int(2) ? '0\r\nX-Trailer: yes\r\n\r\n' : '0\r\n\r\n'));
  } else {
    head += 'Connection: close\r\n\r\n';
    parts.push(body);
  }
  return { id: `generated/${kind}/${size}`, bytes: concatBytes(asciiEncode(head), ...parts) };
}
