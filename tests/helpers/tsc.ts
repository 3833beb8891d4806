// TypeScript's compiler run as a consumer runs it, in a child process: a type check of seconds would otherwise block
// the test worker, which must keep answering the test runner meanwhile.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

/** `tsc -p project` (a tsconfig file); the diagnostics it prints, one per line, none when the check passes. */
export function typecheckProject(project: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [TSC, '-p', project, '--pretty', 'false'], (error, stdout, stderr) => {
      if (error && !stdout) reject(new Error(`tsc did not run: ${stderr || error.message}`));
      else resolve(stdout.split('\n').filter((line) => line.trim() !== ''));
    });
  });
}
