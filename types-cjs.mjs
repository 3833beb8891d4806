// The declarations of the package's `require` condition: a copy of dist/types in a folder marked CommonJS. TypeScript
// takes a .d.ts file's module format from the nearest package.json, and the package is "type": "module", so without
// this copy a CommonJS consumer (moduleResolution node16) would be told that `require('tickhttp')` loads an ES module.
import { cpSync, rmSync, writeFileSync } from 'node:fs';

rmSync('dist/types-cjs', { recursive: true, force: true });
cpSync('dist/types', 'dist/types-cjs', { recursive: true });
writeFileSync('dist/types-cjs/package.json', '{ "type": "commonjs" }\n');
