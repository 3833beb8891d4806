// The differential harness: one scenario (requests on one node, the node's settings) run through Godot 3.2.3's own
// HTTPRequest node (driver.gd in godot3-server, killed past a time limit) and through tickhttp's HTTPRequest, each
// observed the same way: per request the result, response code, headers, body and downloaded file, plus the request
// lines the origin received.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Method, Status } from '../../engine-module/http/constants.js';
import { createHttpScene, closeIdleConnections, updateHttpRequests } from '../../engine-module/scene/http-scene.js';
import { HTTPRequest } from '../../engine-module/scene/http-request.js';
import { platform } from '../ecs/helpers.js';
import type { Origin } from './origin.js';

const DRIVER = fileURLToPath(new URL('./driver.gd', import.meta.url));
/** A Godot run past this is killed and fails its scenario, so a hang in Godot cannot stall the suite. */
export const GODOT_LIMIT_MS = 20_000;

/** The node settings a scenario may set (Godot 3.2.3's defaults, but a 4 KiB chunk for both sides). */
export interface NodeSettings {
  downloadChunkSize: number;
  bodySizeLimit: number;
  maxRedirects: number;
  /** Whole seconds (Godot 3.2.3 takes an int). */
  timeout: number;
  /** Download to a file (a fresh path per side). */
  download: boolean;
}

export interface ScenarioRequest {
  /** Path on the origin, or a whole URL. */
  url: string;
  method?: Method;
  headers?: string[];
  body?: string;
  /** Cancel once this many body bytes have arrived, then go on with the next request. */
  cancelAfterBytes?: number;
}

/** What one request came to. */
export interface Observed {
  result?: number;
  code?: number;
  headers?: string[];
  /** Base64 of the body. */
  body?: string;
  /** Base64 of the downloaded file, when the node downloads to one and it exists. */
  file?: string;
  cancelled?: boolean;
  /** getHttpClientStatus() right after cancelRequest(). */
  status?: number;
  /** request() refused with this Err. */
  err?: number;
  /** Frames from request() to the end. */
  frames: number;
}

export interface Run {
  outcomes: Observed[];
  /** Request lines the origin received. */
  requests: string[];
}

export function settingsOf(partial: Partial<NodeSettings> = {}): NodeSettings {
  return { downloadChunkSize: 4096, bodySizeLimit: -1, maxRedirects: 8, timeout: 0, download: false, ...partial };
}

const resolveUrl = (origin: Origin, url: string) => (url.startsWith('/') ? origin.url(url) : url);

/** Why Godot cannot be run here, or null when `godot3-server` is on the PATH. */
export function godotUnavailable(): string | null {
  const probe = spawnSync('godot3-server', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error) return `godot3-server is not on the PATH (${probe.error.message})`;
  return /^3\.2\.3/.test(probe.stdout) ? null : `godot3-server reports ${JSON.stringify(probe.stdout.trim())}, not 3.2.3`;
}

/** Run the scenario through Godot's HTTPRequest. */
export async function runGodot(origin: Origin, settings: NodeSettings, requests: ScenarioRequest[]): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickhttp-godot-'));
  try {
    const file = path.join(dir, 'download.bin');
    const scenario = {
      node: { ...settings, downloadFile: settings.download ? file : '' },
      requests: requests.map((r) => ({
        url: resolveUrl(origin, r.url),
        method: r.method ?? Method.GET,
        headers: r.headers ?? [],
        body: r.body ?? '',
        cancelAfterBytes: r.cancelAfterBytes ?? 0,
      })),
    };
    writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(scenario));
    origin.reset();
    const stdout = await runLimited('godot3-server', ['--no-window', '-s', DRIVER, `--scenario=${path.join(dir, 'scenario.json')}`], dir);
    const line = stdout.split('\n').find((l) => l.startsWith('OUTCOME '));
    if (!line) throw new Error(`the Godot driver printed no outcome:\n${stdout.slice(-2000)}`);
    const outcomes = (JSON.parse(line.slice(8)) as Observed[]).map((o) => {
      const { downloaded: _, ...rest } = o as Observed & { downloaded?: number };
      if (o.body === '') delete rest.body;
      if (o.headers !== undefined && o.headers.length === 0) delete rest.headers;
      return settings.download && existsSync(file) && o.result !== undefined ? { ...rest, file: readFileSync(file).toString('base64') } : rest;
    });
    return { outcomes, requests: [...origin.requests] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runLimited(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`godot3-server did not finish within ${GODOT_LIMIT_MS} ms; output so far:\n${out.slice(-2000)}`));
    }, GODOT_LIMIT_MS);
    child.on('close', () => {
      clearTimeout(limit);
      resolve(out);
    });
  });
}

/** Run the scenario through tickhttp's HTTPRequest, stepped by a frame loop on the platform clock. */
export async function runTickhttp(origin: Origin, settings: NodeSettings, requests: ScenarioRequest[], maxFrames = 20_000): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tickhttp-node-'));
  const scene = createHttpScene({ platform });
  try {
    const http = new HTTPRequest(scene);
    const file = path.join(dir, 'download.bin');
    Object.assign(http, {
      downloadChunkSize: settings.downloadChunkSize,
      bodySizeLimit: settings.bodySizeLimit,
      maxRedirects: settings.maxRedirects,
      timeout: settings.timeout,
      downloadFile: settings.download ? file : '',
    });
    origin.reset();
    const outcomes: Observed[] = [];
    for (const r of requests) {
      let observed: Observed | null = null;
      let frames = 0;
      const listener = (result: number, code: number, headers: string[], body: Uint8Array) => {
        observed = { result, code, frames, ...(headers.length ? { headers } : {}) };
        if (body.length > 0) observed.body = Buffer.from(body).toString('base64');
        if (settings.download && existsSync(file)) observed.file = readFileSync(file).toString('base64');
      };
      http.requestCompleted.connect(listener);
      const err = http.request(resolveUrl(origin, r.url), r.headers ?? [], true, r.method ?? Method.GET, r.body ?? '');
      if (err) observed = { err, frames };
      while (!observed) {
        if (++frames > maxFrames) throw new Error(`tickhttp did not finish ${r.url} within ${maxFrames} frames`);
        await new Promise((resolve) => setImmediate(resolve));
        updateHttpRequests(scene);
        if (!observed && r.cancelAfterBytes && http.getDownloadedBytes() >= r.cancelAfterBytes) {
          http.cancelRequest();
          observed = { cancelled: true, status: http.getHttpClientStatus() as Status, frames };
        }
        // Waiting on a timer (a timeout scenario): do not spin the CPU.
        if (frames % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      http.requestCompleted.disconnect(listener);
      outcomes.push(observed);
    }
    return { outcomes, requests: [...origin.requests] };
  } finally {
    closeIdleConnections(scene);
    rmSync(dir, { recursive: true, force: true });
  }
}
