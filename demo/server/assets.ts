/**
 * The demo's assets, generated from a seed so every run serves the same bytes without shipping any files. Each asset
 * says how it travels, so the download path exercises every body framing the client must handle.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createRandom, fillSeeded } from '../common/random.js';

/** What an asset is for (shown on the loading screen). */
export type AssetKind = 'texture' | 'font' | 'level' | 'dialogue' | 'audio';
/** How the body travels: with a Content-Length, chunked, or gzip-encoded when the client accepts it. */
export type AssetDelivery = 'length' | 'chunked' | 'gzip';

/** One asset held by the server. */
export interface Asset {
  name: string;
  kind: AssetKind;
  delivery: AssetDelivery;
  contentType: string;
  /** The asset's bytes (decoded). */
  body: Uint8Array;
  /** The gzip encoding of the body, for delivery 'gzip'. */
  gzipped: Uint8Array | null;
  /** Hex SHA-256 of the decoded body. */
  sha256: string;
}

/** One manifest entry: what a client needs to fetch an asset and check it. */
export interface ManifestEntry {
  name: string;
  kind: AssetKind;
  delivery: AssetDelivery;
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
  /** Hex SHA-256 of the decoded bytes. */
  sha256: string;
}

/** The seed the demo server uses unless told otherwise. */
export const DEFAULT_ASSET_SEED = 0x71c4;
const AUDIO_BYTES = 16 * 1024 * 1024;

/** Generate every asset from `seed`. */
export function generateAssets(seed = DEFAULT_ASSET_SEED): Asset[] {
  return [
    makeAsset('tiles.atlas', 'texture', 'length', 'application/octet-stream', fillSeeded(new Uint8Array(256 * 1024), seed)),
    makeAsset('glyphs.font', 'font', 'length', 'application/octet-stream', fillSeeded(new Uint8Array(12 * 1024), seed + 1)),
    makeAsset('level-01.map', 'level', 'chunked', 'text/plain; charset=utf-8', levelMap(seed + 2)),
    makeAsset('dialogue.json', 'dialogue', 'gzip', 'application/json', dialogue(seed + 3)),
    makeAsset('soundtrack.pcm', 'audio', 'length', 'application/octet-stream', fillSeeded(new Uint8Array(AUDIO_BYTES), seed + 4)),
  ];
}

/** The manifest the server sends for `assets`. */
export function manifestOf(assets: Asset[]): ManifestEntry[] {
  return assets.map(({ name, kind, delivery, contentType, body, sha256 }) =>
    ({ name, kind, delivery, contentType, size: body.length, sha256 }));
}

function makeAsset(name: string, kind: AssetKind, delivery: AssetDelivery, contentType: string, body: Uint8Array): Asset {
  return {
    name, kind, delivery, contentType, body, gzipped: delivery === 'gzip' ? gzipSync(body) : null,
    sha256: createHash('sha256').update(body).digest('hex'),
  };
}

function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/** A 64-column ASCII level, 2,000 rows: big enough to arrive in many chunks. */
function levelMap(seed: number): Uint8Array {
  const random = createRandom(seed);
  const tiles = '....,,,,~~#^$';
  const rows: string[] = [];
  for (let r = 0; r < 2000; r++) {
    let row = '';
    for (let c = 0; c < 64; c++) row += tiles[random.below(tiles.length)];
    rows.push(row);
  }
  return utf8(rows.join('\n') + '\n');
}

/** Repetitive JSON, as dialogue files are: it compresses well, which is why it travels gzip-encoded. */
function dialogue(seed: number): Uint8Array {
  const random = createRandom(seed);
  const speakers = ['Ada', 'Bram', 'Cleo', 'Dov', 'the Keeper'];
  const words = ['the', 'coins', 'fall', 'faster', 'tonight', 'watch', 'for', 'rocks', 'and', 'keep', 'moving',
    'left', 'right', 'hearts', 'are', 'rare', 'do', 'not', 'stop', 'now'];
  const lines = [];
  for (let id = 0; id < 4000; id++) {
    const length = 4 + random.below(9);
    const text = Array.from({ length }, () => words[random.below(words.length)]).join(' ');
    lines.push({ id, speaker: speakers[random.below(speakers.length)], text: text[0].toUpperCase() + text.slice(1) + '.' });
  }
  return utf8(JSON.stringify({ lines }, null, 1));
}
