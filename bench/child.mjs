// Bench clients that need a fresh process (memory, first-in-process costs) run as forked children.
import { fork } from 'node:child_process';

/** Fork `script` with `args`; resolves with the one message it sends before it exits. */
export function runChild(script, args) {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answer = null;
    child.on('message', (m) => { answer = m; });
    child.once('error', reject);
    child.once('exit', (code) => (answer ? resolve(answer) : reject(new Error(`${script}: child exited ${code}`))));
  });
}
