/** The --ca file, read and checked before the demo starts. */
import { readFileSync } from 'node:fs';
import { pemToDer } from '../engine-module/node.js';
import { UsageError } from './cli.js';

/** The PEM text of a --ca file; a UsageError saying why when it cannot be read or holds no certificate. */
export function readCaFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a PEM file'
      : code === 'EACCES' ? 'not readable (permission denied)' : `cannot be read (${code ?? String(error)})`;
    throw new UsageError(`--ca ${path}: ${why}`);
  }
  let certificates: number;
  try {
    certificates = pemToDer(pem).length;
  } catch (error) {
    throw new UsageError(`--ca ${path}: ${(error as Error).message}`);
  }
  if (certificates === 0) throw new UsageError(`--ca ${path}: no "BEGIN CERTIFICATE" block in it`);
  return pem;
}
