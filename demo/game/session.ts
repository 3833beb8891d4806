/**
 * The demo's game flow, one call per tick: fetch the manifest, download every asset with a request entity each
 * (progress read from the Progress component every tick), check each asset's SHA-256, play the game, post the score
 * and fetch the leaderboard. Everything advances inside ticks; nothing waits.
 */
import { addEntity, removeEntity, type World } from 'bitecs';
import {
  addRequest, Err, getHttp, getResponse, responseText, Result, updateHttp,
  type RequestOutcome, type RequestSpec, type RequestTlsOptions,
} from '../../engine-module/index.js';
import type { ScorePost } from '../server/scores.js';
import { formatBytes, formatRate } from '../terminal/format.js';
import { createDodge, stepDodge, type Pilot } from './dodge.js';
import { errorReason, parseLeaderboard, parseManifest, parsePosted } from './replies.js';
import type { AssetProgress, Scene } from './scene.js';
import type { Verification } from './verification.js';

export interface SessionConfig {
  /** Backend base URL without a trailing slash. */
  baseUrl: string;
  /** TLS settings for https (the CA to trust); null for the platform's roots or plain HTTP. */
  tls: RequestTlsOptions | null;
  player: string;
  seed: number;
  /** Added to a failed TLS handshake's message: what the user can do about it (null for nothing). */
  handshakeHint: string | null;
  /** Who plays: the bot, or a person whose keys set `scene.game.keys.held`. */
  pilot: Pilot;
  /** A person's game waits until this returns true (a key pressed); the bot's starts at once. */
  ready?(): boolean;
  /** Start checking a downloaded asset against its manifest digest; polled once per tick until it finishes. */
  verify(body: Uint8Array, sha256: string): Verification;
  /** Milliseconds on the performance clock, for the download rate. */
  now(): number;
  /** A plain log line (shown in --ci mode). */
  log(line: string): void;
}

/** Advance the flow by one tick; false once it has finished (scene.phase is 'done' or 'failed'). */
export type Session = (tick: number) => boolean;

/** Limits that keep a dead or stalled backend from hanging the demo. */
const TIMEOUTS = { connectMs: 10_000, stallMs: 15_000, totalMs: 120_000 };
/** Ticks a catch stays highlighted on screen. */
const FLASH_TICKS = 8;
const SHOWN_ROWS = 10;
/** Largest reply decoded as text (the manifest and leaderboard are a few KiB). */
const MAX_TEXT_REPLY = 64 * 1024;

interface AssetJob {
  progress: AssetProgress;
  eid: number;
  check: Verification | null;
}

type Step = 'manifest' | 'assets' | 'game' | 'post' | 'leaderboard' | 'finished';

/** An asset request that delivered its body. */
function arrived(outcome: RequestOutcome): outcome is RequestOutcome & { body: Uint8Array } {
  return outcome.result === Result.SUCCESS && outcome.code === 200 && outcome.body !== null;
}

function describeFailure(what: string, outcome: RequestOutcome, body: string | null, hint: string | null): string {
  if (outcome.result !== Result.SUCCESS) {
    const advice = outcome.result === Result.TLS_HANDSHAKE_ERROR && hint ? `; ${hint}` : '';
    return `${what} failed: RESULT_${Result[outcome.result] ?? outcome.result}${outcome.error ? ` (${outcome.error})` : ''}` +
      advice;
  }
  const reason = errorReason(body);
  return `${what} answered ${outcome.code}${reason ? `: ${reason}` : ''}`;
}

/** The flow for `world` (createHttpSystem must have been called on it), drawing into `scene`. */
export function createSession(world: World, scene: Scene, config: SessionConfig): Session {
  const http = getHttp(world);
  let step: Step = 'manifest';
  let manifestEid = -1;
  let assets: AssetJob[] = [];
  let downloadStart = 0;
  let replyEid = -1;
  let finishedBytes = 0;

  const request = (spec: RequestSpec): number => {
    const eid = addEntity(world);
    const full: RequestSpec = { timeouts: TIMEOUTS, ...spec, ...(config.tls ? { tls: config.tls } : {}) };
    if (addRequest(world, eid, full) !== Err.OK) throw new Error(`request refused: ${spec.method ?? 'GET'} ${spec.url}`);
    return eid;
  };
  /**
   * The outcome once the entity's request has ended; the entity is then removed and its bytes counted. The body is
   * decoded as text only when `wantsText` says the caller reads it (JSON replies, error messages) and it is small:
   * an asset that arrived is bytes, and decoding 12 KiB of them as UTF-8 costs a frame's worth in a fresh process.
   */
  const finished = (eid: number, wantsText: (outcome: RequestOutcome) => boolean):
    { outcome: RequestOutcome; text: string | null } | null => {
    const outcome = getResponse(world, eid);
    if (!outcome) return null;
    const small = outcome.body !== null && outcome.body.length <= MAX_TEXT_REPLY;
    const text = small && wantsText(outcome) ? responseText(world, eid) : null;
    finishedBytes += http.Progress.received[eid];
    removeEntity(world, eid);
    return { outcome, text };
  };
  const fail = (reason: string): boolean => {
    scene.phase = 'failed';
    scene.error = reason;
    step = 'finished';
    config.log(`error: ${reason}`);
    return false;
  };

  const startAssets = (text: string): boolean => {
    const manifest = parseManifest(text);
    if (!manifest.ok) return fail(manifest.reason);
    const total = manifest.value.reduce((sum, a) => sum + a.size, 0);
    config.log(`manifest: ${manifest.value.length} assets, ${formatBytes(total)}`);
    downloadStart = config.now();
    assets = manifest.value.map((entry) => {
      const progress: AssetProgress = { entry, received: 0, total: -1, state: 'loading' };
      return { progress, eid: request({ url: `${config.baseUrl}/assets/${encodeURIComponent(entry.name)}` }), check: null };
    });
    scene.assets = assets.map((a) => a.progress);
    scene.phase = 'loading';
    step = 'assets';
    return true;
  };

  const advanceAssets = (tick: number): boolean => {
    for (const job of assets) {
      const p = job.progress;
      if (p.state === 'loading') {
        p.received = http.Progress.received[job.eid];
        p.total = http.Progress.total[job.eid];
        const done = finished(job.eid, (outcome) => !arrived(outcome));
        if (!done) continue;
        const { outcome } = done;
        if (!arrived(outcome)) {
          p.state = 'failed';
          p.problem = outcome.result === Result.SUCCESS ? `HTTP ${outcome.code}` : `RESULT_${Result[outcome.result]}`;
          return fail(describeFailure(`GET /assets/${p.entry.name}`, outcome, done.text, config.handshakeHint));
        }
        p.state = 'checking';
        job.check = config.verify(outcome.body, p.entry.sha256);
        if (assets.every((a) => a.progress.state !== 'loading')) {
          scene.downloadMs = config.now() - downloadStart;
          scene.assetBytes = assets.reduce((sum, a) => sum + a.progress.received, 0);
        }
      }
      if (p.state === 'checking' && job.check?.step()) {
        if (!job.check.matches()) {
          p.state = 'failed';
          p.problem = 'sha256 mismatch';
          return fail(`asset ${p.entry.name}: sha256 ${job.check.digest()} does not match the manifest's ${p.entry.sha256}`);
        }
        p.state = 'verified';
        config.log(`asset ${p.entry.name}: ${p.entry.kind}, ${p.entry.size} bytes (${p.entry.delivery}), sha256 ok, tick ${tick}`);
      }
    }
    if (assets.every((a) => a.progress.state === 'verified')) {
      config.log(`assets: ${assets.length} of ${assets.length} verified, ${formatBytes(scene.assetBytes)} received in ` +
        `${(scene.downloadMs / 1000).toFixed(2)} s (${formatRate(scene.assetBytes, scene.downloadMs)})`);
      scene.game = createDodge(config.seed, config.pilot);
      scene.phase = 'playing';
      step = 'game';
    }
    return true;
  };

  const playGame = (): void => {
    const game = scene.game!;
    if (game.tick === 0 && game.keys && config.ready && !config.ready()) return;
    stepDodge(game);
    const event = game.events[game.events.length - 1];
    if (event) scene.flash = { kind: event.kind, ticks: FLASH_TICKS };
    else if (scene.flash && --scene.flash.ticks <= 0) scene.flash = null;
    if (!game.over) return;
    scene.flash = null;
    config.log(`game: seed ${game.seed}, score ${game.score} (coins ${game.coins}, rocks hit ${game.hits}, ` +
      `lives left ${game.lives}) over ${game.tick} ticks`);
    const submission: ScorePost = { player: config.player, score: game.score, seed: game.seed, ticks: game.tick,
      ...(game.keys ? { moves: game.keys.moves } : {}) };
    replyEid = request({ url: `${config.baseUrl}/scores`, method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(submission) });
    scene.phase = 'posting';
    step = 'post';
  };

  /**
   * Wait for the reply on `eid`: true while it runs; once it has ended, the flow fails unless it succeeded with
   * `code`, and otherwise goes on with `next` and the reply's text.
   */
  const settled = (eid: number, what: string, code: number, next: (text: string) => boolean): boolean => {
    const done = finished(eid, () => true);
    if (!done) return true;
    if (done.outcome.result !== Result.SUCCESS || done.outcome.code !== code) {
      return fail(describeFailure(what, done.outcome, done.text, config.handshakeHint));
    }
    return next(done.text ?? '');
  };

  const receivePosted = (text: string): boolean => {
    const posted = parsePosted(text);
    if (!posted.ok) return fail(posted.reason);
    scene.posted = posted.value;
    config.log(`score posted: player "${posted.value.player}", score ${posted.value.score}, rank ${posted.value.rank}, ` +
      `id ${posted.value.id}`);
    const top = Math.min(100, Math.max(SHOWN_ROWS, posted.value.rank));
    replyEid = request({ url: `${config.baseUrl}/leaderboard?top=${top}` });
    step = 'leaderboard';
    return true;
  };

  const receiveLeaderboard = (text: string): boolean => {
    const board = parseLeaderboard(text);
    if (!board.ok) return fail(board.reason);
    const mine = board.value.find((e) => e.id === scene.posted!.id);
    if (!mine) return fail(`the posted score (id ${scene.posted!.id}) is missing from the leaderboard`);
    scene.posted = mine;
    scene.leaderboard = board.value;
    config.log('leaderboard:');
    for (const e of board.value.slice(0, Math.max(SHOWN_ROWS, mine.rank))) {
      config.log(`  ${e.id === mine.id ? '>' : ' '}${String(e.rank).padStart(3)}  ${e.player.padEnd(16)} ${String(e.score).padStart(5)}`);
    }
    scene.phase = 'done';
    step = 'finished';
    return false;
  };

  return (tick) => {
    updateHttp(world);
    scene.tick = tick;
    let more = true;
    switch (step) {
      case 'manifest': {
        if (manifestEid < 0) {
          manifestEid = request({ url: `${config.baseUrl}/manifest` });
          break;
        }
        more = settled(manifestEid, 'GET /manifest', 200, startAssets);
        break;
      }
      case 'assets': more = advanceAssets(tick); break;
      case 'game': playGame(); break;
      case 'post': more = settled(replyEid, 'POST /scores', 201, receivePosted); break;
      case 'leaderboard': more = settled(replyEid, 'GET /leaderboard', 200, receiveLeaderboard); break;
      case 'finished': more = false;
    }
    let running = 0;
    for (const job of assets) if (job.progress.state === 'loading') running += http.Progress.received[job.eid];
    scene.bytesReceived = finishedBytes + running;
    return more;
  };
}
