// The built demo run as a user runs it: a child process, its output and exit code.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const DEMO = 'build/demo.js';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Build the demo (and its page) unless a build is there. */
export function buildDemoOnce(): void {
  if (!existsSync(DEMO)) {
    const build = spawnSync(process.execPath, ['esbuild.config.mjs'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('building the demo failed');
  }
}

/**
 * A demo left running while a test looks at it (`--web` serves until interrupted): its output as it comes, and a way
 * to stop it.
 */
export interface RunningDemo {
  /** Its process id. */
  readonly pid: number;
  /** The first match of `pattern`'s group 1 in the output, once it has been printed. */
  line(pattern: RegExp): Promise<string>;
  /** Interrupt it (Ctrl-C) and wait for it to end. */
  stop(): Promise<void>;
}

export function startDemo(args: string[]): RunningDemo {
  const child = spawn(process.execPath, [DEMO, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const ended = new Promise<void>((resolve) => child.on('close', () => resolve()));
  child.stdout.on('data', (d) => (stdout += d));
  return {
    pid: child.pid!,
    line: (pattern) => new Promise((resolve, reject) => {
      const look = (): void => {
        const m = pattern.exec(stdout);
        if (m) resolve(m[1]);
        else if (child.exitCode !== null) reject(new Error(`the demo ended without printing ${pattern}:\n${stdout}`));
        else setTimeout(look, 50);
      };
      look();
    }),
    stop: () => {
      child.kill('SIGINT');
      return ended;
    },
  };
}

export function runDemo(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A deadline for a hung demo; it is a failure, not a measurement.
    const deadline = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The machine-readable last line: `result: ok player="..." score=N rank=N id=N seed=N`. */
export function resultLine(out: string): { player: string; score: number; rank: number; id: number; seed: number } {
  const m = /^result: ok player="([^"]*)" score=(\d+) rank=(\d+) id=(\d+) seed=(\d+)$/m.exec(out);
  if (!m) throw new Error(`no result line in:\n${out}`);
  return { player: m[1], score: Number(m[2]), rank: Number(m[3]), id: Number(m[4]), seed: Number(m[5]) };
}
