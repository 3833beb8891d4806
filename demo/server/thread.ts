/**
 * The demo backend on its own thread. The game loop measures how long each tick takes; with the server on the same
 * thread, its work (serving 16 MiB, replaying a posted game) would land between or inside the game's ticks and blur
 * what the figures say about the client. The built demo bundle starts itself again as a worker in server mode, at
 * the lowest priority.
 */
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startDemoServer } from './server.js';

const ROLE = 'tickhttp-demo-server';

/** The part of a server the demo needs from another thread. */
export interface ServerHandle {
  readonly url: string;
  readonly caPem: string | null;
  close(): Promise<void>;
}

type Ready = { url: string; caPem: string | null } | { error: string };

/** True inside the worker started by {@link startServerThread}. */
export function isServerThread(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === ROLE;
}

/** Start the backend on a worker thread running `entry` (the demo bundle itself). */
export function startServerThread(entry: URL, secure: boolean): Promise<ServerHandle> {
  const worker = new Worker(entry, { workerData: { role: ROLE, secure } });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the server thread exited with code ${code}`)));
    worker.once('message', (ready: Ready) => {
      if ('error' in ready) {
        reject(new Error(`the server did not start: ${ready.error}`));
        return;
      }
      worker.removeAllListeners('exit');
      resolve({
        ...ready,
        close: () => new Promise<void>((done) => {
          worker.once('exit', () => done());
          worker.postMessage('close');
        }),
      });
    });
  });
}

/**
 * Give this thread the lowest scheduling priority. The backend stands in for a remote server, which on a player's
 * machine would not take a core from the game; on a machine with few cores the game's thread otherwise waits behind
 * it in the middle of ticks (ten demo runs each way: 12 ticks over 8 ms at the same priority, 3 at the lowest).
 * Linux gives each thread its own nice value, named by the thread's id; elsewhere this thread keeps its priority.
 */
function yieldCoresToTheGame(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId)) setPriority(threadId, constants.priority.PRIORITY_LOW);
  } catch {
    // No per-thread ids here (not Linux): the frame statistics then show the waits for a core.
  }
}

/** The worker's side: start the server, report its URL and CA, close it when asked. */
export function serveInThisThread(): void {
  const { secure } = workerData as { secure: boolean };
  yieldCoresToTheGame();
  startDemoServer({ secure }).then((server) => {
    parentPort!.on('message', () => {
      void server.close().then(() => parentPort!.close());
    });
    parentPort!.postMessage({ url: server.url, caPem: server.caPem } satisfies Ready);
  }, (error: unknown) => {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies Ready);
  });
}
