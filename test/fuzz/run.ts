/**
 * `npm run fuzz`: the long mutation-fuzzing run.
 * Usage: node dist/test/fuzz/run.js [--inputs N] [--conversations N] [--seed N]
 * The codec first (--inputs mutated messages), then the session layer
 * (--conversations stateful conversations with a server, test/fuzz/session.ts).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fuzz } from './engine.js';
import { fuzzSession } from './session.js';

const USAGE = 'usage: node dist/test/fuzz/run.js [--inputs N] [--conversations N] [--seed N]';
let values: { inputs?: string; conversations?: string; seed?: string };
try {
  ({ values } = parseArgs({ args: process.argv.slice(2), options: { inputs: { type: 'string' }, conversations: { type: 'string' }, seed: { type: 'string' } }, strict: true, allowPositionals: false }));
} catch (e) {
  console.error(`fuzz: ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const arg = (name: 'inputs' | 'conversations' | 'seed', dflt: number): number => {
  const v = values[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`fuzz: --${name} must be a non-negative integer; got '${v}'\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const inputs = arg('inputs', 10_000_000);
const seed = arg('seed', Date.now() % 2 ** 31);
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

const conversations = arg('conversations', 20_000);
console.log(`session: ${conversations} conversations, seed ${seed}`);
const sessionStarted = performance.now();
const session = await fuzzSession({
  conversations,
  seed,
  corpusDir,
  onProgress: (done) => {
    if (done > 0 && done % 2000 === 0) console.log(`  ${done} conversations, ${((performance.now() - sessionStarted) / 1000).toFixed(0)} s`);
  },
});
console.log(
  `session: ${session.conversations} conversations (${session.messages} messages) in ${((performance.now() - sessionStarted) / 1000).toFixed(1)} s; ${session.probed} probes answered; fds ${session.fdsBefore} -> ${session.fdsAfter}; ${session.findings.length} findings`,
);
console.log(`session violations: ${[...session.codes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
for (const f of session.findings.slice(0, 20)) console.log(`FINDING session #${f.iteration}: ${f.error}`);
process.exit(result.findings.length === 0 && session.findings.length === 0 ? 0 : 1);
