// The demo on a terminal of 80×24, run in-process with a recording terminal: the compact live view, also when the
// backend cannot be reached at all.
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../demo/cli.js';
import { runDemo } from '../../demo/run.js';
import { startDemoServer } from '../../demo/server/server.js';
import { COMPACT_FRAME_ROWS } from '../../demo/terminal/frame.js';

/** Run the demo with `argv` on an 80×24 terminal; its exit code and the frames it drew (escape codes removed). */
async function onSmallTerminal(argv: string[]): Promise<{ code: number; frames: string[][]; text: string }> {
  const parsed = parseOptions(argv);
  if (!parsed.ok) throw new Error(parsed.error);
  let text = '';
  const stdout = { isTTY: true, columns: 80, rows: 24, write: (t: string) => (text += t) };
  const code = await runDemo(parsed.options, { stdout, env: { NO_COLOR: '1' }, onInterrupt: () => {} });
  const frames = text.split('\x1b[H').slice(1)
    .map((frame) => frame.replace(/\x1b\[[\d;?]*[A-Za-z]/g, '').replace(/\n$/, '').split('\n'));
  return { code, frames, text };
}

describe('the demo on an 80×24 terminal', () => {
  it('plays in the compact live view, every frame within 23 rows', async () => {
    const server = await startDemoServer({ secure: false });
    try {
      const run = await onSmallTerminal(['--server', server.url, '--tick-rate', '1000', '--seed', '5']);
      expect(run.code).toBe(0);
      expect(run.text).not.toContain('rows or more shows the animated view');
      expect(run.frames.length).toBeGreaterThan(10);
      for (const frame of run.frames) expect(frame.length, frame.join('\n')).toBeLessThanOrEqual(COMPACT_FRAME_ROWS);
      expect(run.frames.some((frame) => frame.some((line) => line.startsWith('┌')))).toBe(true);
      expect(run.frames.at(-1)!.join('\n')).toMatch(/5 of 5 sha256 ✓[\s\S]*✓ score \d+ posted/);
    } finally {
      await server.close();
    }
  });

  it('shows a backend that cannot be reached as a failure, with no checksum summary above it', async () => {
    const run = await onSmallTerminal(['--server', 'https://127.0.0.1:1', '--tick-rate', '1000']);
    expect(run.code).toBe(1);
    const last = run.frames.at(-1)!.join('\n');
    expect(last).not.toMatch(/sha256|✓/);
    expect(last).toMatch(/✗ no manifest[\s\S]*✗ GET \/manifest failed: RESULT_CANT_CONNECT/);
  });
});
