// Starts bench/server.mjs in a child process and hands back its ports and a stop function.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

/** `{ ports: { http, httpsRsa, httpsEcdsa }, stop() }` once the child listens. */
export function startServer(chains) {
  const child = fork(SERVER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench server exited early (code ${code})`)));
    child.once('message', ({ ports }) => {
      child.removeAllListeners('exit');
      resolve({
        ports,
        stop: () => new Promise((done) => {
          child.once('exit', () => done());
          child.kill();
        }),
      });
    });
    child.send({ chains });
  });
}
