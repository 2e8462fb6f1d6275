/**
 * `npm run fuzz`: the long mutation-fuzzing run.
 * Usage: node dist/test/fuzz/run.js [--inputs N] [--seed N]
 */
import { fileURLToPath } from 'node:url';
import { fuzz } from './engine.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : dflt;
};
const inputs = arg('--inputs', 10_000_000);
const seed = arg('--seed', Date.now() % 2 ** 31);
const corpusDir = fileURLToPath(new URL('../../../generated/corpus', import.meta.url));
const started = performance.now();
console.log(`fuzzing ${inputs} inputs, seed ${seed}, node ${process.version}`);
const result = fuzz({
  inputs,
  seed,
  corpusDir,
  onProgress: (done) => {
    if (done > 0 && done % 1_000_000 === 0) console.log(`  ${done} inputs, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  },
});
const secs = (performance.now() - started) / 1000;
console.log(`${result.inputs} inputs in ${secs.toFixed(1)} s (${Math.round(result.inputs / secs)}/s); ${result.decoded} valid, ${result.findings.length} findings`);
console.log(`error codes: ${[...result.codes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
for (const f of result.findings.slice(0, 20)) console.log(`FINDING ${f.target}: ${f.error}\n  ${f.hex}`);
process.exit(result.findings.length === 0 ? 0 : 1);
