#!/usr/bin/env node
/**
 * `npm run generate`, in two steps that work from an empty generated/:
 * 1. compile generator/main-code.ts (spec/ and the code generators only) and
 *    write generated/ts/, the code the runtime is compiled against;
 * 2. compile the whole generator (its docs and captures use the runtime's
 *    interop model and capture writer) and write every artifact.
 * Arguments (`--check`) go to both steps; a step that fails ends the run.
 * The compiler only transpiles here (--noCheck, exact under isolatedModules):
 * `npm run build`, and so `npm test`, type-checks spec/ and generator/.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const args = process.argv.slice(2);

function run(...argv) {
  const r = spawnSync(process.execPath, argv, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(tsc, '-p', 'tsconfig.generate-code.json', '--noCheck');
run('build-generate/generator/main-code.js', ...args);
run(tsc, '-p', 'tsconfig.generate.json', '--noCheck');
run('build-generate/generator/main.js', ...args);
