// `openssl s_server` as a child process on a loopback port chosen by the OS.

import { spawn, type ChildProcess } from 'node:child_process';

export interface OpensslServer {
  port: number;
  proc: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  /** Type a line on the server's stdin (s_server commands such as "k", "K", "r"). */
  send(line: string): void;
  stop(): Promise<void>;
}

/**
 * Start s_server with `args` (certificates, versions, modes) and wait until it accepts. `config` is an OpenSSL
 * configuration file for it (settings s_server has no switch for, such as turning the extended master secret off).
 */
export function startOpenssl(args: string[], cwd?: string, config?: string): Promise<OpensslServer> {
  const env = config ? { ...process.env, OPENSSL_CONF: config } : process.env;
  const proc = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`s_server did not start: ${text}`)), 10_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      proc.kill();
      reject(e);
    };
    const onData = (d: Buffer) => {
      text += d.toString();
      const m = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve({
          port: Number(m[1]),
          proc,
          output: () => text,
          send: (line) => proc.stdin!.write(line + '\n'),
          stop: () =>
            new Promise<void>((done) => {
              if (proc.exitCode !== null || proc.signalCode !== null) return done();
              proc.once('exit', () => done());
              proc.kill();
            }),
        });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => fail(new Error(`s_server exited with ${code}: ${text}`)));
    proc.once('error', fail);
  });
}
