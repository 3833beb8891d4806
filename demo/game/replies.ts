/**
 * The backend's replies, checked before use: a backend given with --server may be anything, and a reply of the wrong
 * shape ends the demo with a message saying what was wrong, never with a TypeError in the middle of a tick.
 */
import type { ManifestEntry } from '../server/assets.js';
import type { LeaderboardEntry } from '../server/scores.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseJson(text: string, what: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, reason: `${what} is not JSON` };
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function isManifestEntry(v: unknown): v is ManifestEntry {
  return isRecord(v) && typeof v.name === 'string' && /^[\w.-]{1,64}$/.test(v.name) && isCount(v.size) &&
    typeof v.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(v.sha256) && typeof v.kind === 'string' &&
    typeof v.delivery === 'string';
}

function isLeaderboardEntry(v: unknown): v is LeaderboardEntry {
  return isRecord(v) && isCount(v.id) && isCount(v.rank) && typeof v.player === 'string' && isCount(v.score);
}

/** GET /manifest: {assets: [{name, size, sha256, kind, delivery, ...}]}. */
export function parseManifest(text: string): Parsed<ManifestEntry[]> {
  const json = parseJson(text, 'the manifest');
  if (!json.ok) return json;
  const assets = isRecord(json.value) ? json.value.assets : undefined;
  if (!Array.isArray(assets) || assets.length === 0) return { ok: false, reason: 'the manifest lists no assets' };
  const bad = assets.findIndex((a) => !isManifestEntry(a));
  if (bad >= 0) return { ok: false, reason: `manifest entry ${bad} lacks a safe name, a size or a sha256` };
  return { ok: true, value: assets as ManifestEntry[] };
}

/** POST /scores answer: {entry: {id, rank, player, score, ...}}. */
export function parsePosted(text: string): Parsed<LeaderboardEntry> {
  const json = parseJson(text, 'the score reply');
  if (!json.ok) return json;
  const entry = isRecord(json.value) ? json.value.entry : undefined;
  return isLeaderboardEntry(entry) ? { ok: true, value: entry } : { ok: false, reason: 'the score reply has no entry' };
}

/** GET /leaderboard: {entries: [...]}. */
export function parseLeaderboard(text: string): Parsed<LeaderboardEntry[]> {
  const json = parseJson(text, 'the leaderboard');
  if (!json.ok) return json;
  const entries = isRecord(json.value) ? json.value.entries : undefined;
  if (!Array.isArray(entries) || !entries.every(isLeaderboardEntry)) {
    return { ok: false, reason: 'the leaderboard has no valid entries list' };
  }
  return { ok: true, value: entries };
}

/** The `error` member of a JSON error reply, for messages; the raw start of the text otherwise. */
export function errorReason(text: string | null): string {
  if (!text) return '';
  const json = parseJson(text, '');
  if (json.ok && isRecord(json.value) && typeof json.value.error === 'string') return json.value.error;
  return text.slice(0, 120);
}
