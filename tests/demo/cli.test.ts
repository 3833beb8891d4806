import { describe, expect, it } from 'vitest';
import { parseOptions, USAGE } from '../../demo/cli.js';

const ok = (argv: string[]) => {
  const parsed = parseOptions(argv);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.options;
};
const error = (argv: string[]) => {
  const parsed = parseOptions(argv);
  if (parsed.ok) throw new Error(`accepted ${argv.join(' ')}`);
  return parsed.error;
};

describe('demo options', () => {
  it('defaults to its own HTTPS server at 60 Hz with node crypto', () => {
    expect(ok([])).toEqual({ server: null, ca: null, plain: false, tickRate: 60, provider: 'node', ci: false,
      web: false, screenshot: null, player: 'you', seed: null, help: false });
  });

  it('reads every option in both spellings', () => {
    expect(ok(['--server', 'https://example.test:8443/', '--ca', 'ca.pem', '--tick-rate=120', '--provider', 'pure',
      '--ci', '--player=Ada', '--seed', '42', '--help'])).toEqual({ server: 'https://example.test:8443', ca: 'ca.pem',
      plain: false, tickRate: 120, provider: 'pure', ci: true, web: false, screenshot: null, player: 'Ada', seed: 42,
      help: true });
    expect(ok(['--web', '--ci', '--server', 'http://127.0.0.1:8080', '--screenshot', 'page.png']))
      .toMatchObject({ web: true, ci: true, server: 'http://127.0.0.1:8080', screenshot: 'page.png' });
    expect(ok(['--plain']).plain).toBe(true);
    expect(ok(['-h']).help).toBe(true);
  });

  it('refuses bad values with a message naming the option', () => {
    expect(error(['--tick-rate', '0'])).toMatch(/--tick-rate/);
    expect(error(['--tick-rate', '1001'])).toMatch(/--tick-rate/);
    expect(error(['--tick-rate', '6.5'])).toMatch(/--tick-rate/);
    expect(error(['--provider', 'openssl'])).toMatch(/--provider/);
    expect(error(['--server', 'ftp://x'])).toMatch(/--server/);
    expect(error(['--server', 'http://x/path'])).toMatch(/--server/);
    expect(error(['--seed', '-3'])).toMatch(/--seed/);
    expect(error(['--seed', '4294967296'])).toMatch(/--seed/);
    expect(error(['--player', 'a\u0007'])).toMatch(/--player/);
    expect(error(['--server'])).toMatch(/needs a value/);
    expect(error(['--plain=yes'])).toMatch(/takes no value/);
    expect(error(['--frobnicate'])).toMatch(/unknown option/);
  });

  it('refuses contradictions', () => {
    expect(error(['--plain', '--server', 'https://h'])).toMatch(/--plain/);
    expect(error(['--ca', 'x.pem', '--server', 'http://h'])).toMatch(/--ca/);
    expect(error(['--ca', 'x.pem'])).toMatch(/--ca/);
    expect(error(['--web', '--provider', 'pure'])).toMatch(/--web: the browser does TLS/);
    expect(error(['--web', '--server', 'https://h', '--ca', 'x.pem'])).toMatch(/--web/);
    expect(error(['--web', '--screenshot', 'x.png'])).toMatch(/--screenshot is for --web --ci/);
  });

  it('documents every option in the help text', () => {
    for (const name of ['--server', '--ca', '--plain', '--tick-rate', '--provider', '--player', '--seed', '--ci', '--web', '--screenshot', '--help']) {
      expect(USAGE).toContain(name);
    }
  });
});
