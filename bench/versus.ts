/**
 * VERSION decode of this tree against another tree's build, in one process,
 * interleaved on the same bytes (the benchmark's VERSION cases):
 *
 *   node --expose-gc --no-concurrent-recompilation dist/bench/versus.js OTHER [ROUNDS]
 *
 * OTHER is the root of a built checkout of another tree (its
 * dist/src/codec.js is loaded). Each sample is the CPU time of BATCH decodes
 * (process.cpuUsage: on a machine shared with other jobs, wall time counts
 * the time spent waiting for a core). Prints, per case, the median ns of each
 * and the ratio other/this: median, 10th and 90th percentile of the
 * per-round ratios.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { decode } from '../src/codec.js';
import { resolveOptions } from '../src/options.js';
import type { Message } from '../generated/ts/messages.js';
import { buildCases } from './cases.js';
import { sink } from './harness.js';

type Decode = (bytes: Uint8Array) => Message;

const [otherRoot, roundsArg] = process.argv.slice(2);
if (otherRoot === undefined) throw new Error('usage: versus.js OTHER_TREE_ROOT [ROUNDS]');
const rounds = Number(roundsArg ?? 61);
const BATCH = 10000;
const gc = (globalThis as { gc?: (o?: { type: 'minor' | 'major' }) => void }).gc;

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

function time(f: Decode, bytes: Uint8Array): number {
  gc?.({ type: 'minor' });
  const t0 = process.cpuUsage();
  for (let i = 0; i < BATCH; i++) sink[i & 1] = f(bytes);
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) * 1000) / BATCH;
}

const other = (await import(pathToFileURL(path.resolve(otherRoot, 'dist/src/codec.js')).href)) as { decode: Decode };
const opt = resolveOptions();
const mine: Decode = (b) => decode(b);
const theirs: Decode = (b) => other.decode(b);
const { cases } = buildCases(opt);
for (const c of cases.filter((x) => x.name.startsWith('VERSION'))) {
  for (let i = 0; i < 10; i++) {
    time(mine, c.bytes);
    time(theirs, c.bytes);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      a.push(time(mine, c.bytes));
      b.push(time(theirs, c.bytes));
    } else {
      b.push(time(theirs, c.bytes));
      a.push(time(mine, c.bytes));
    }
  }
  const ratios = a.map((x, r) => b[r]! / x);
  const f = (x: number): string => x.toFixed(2);
  process.stdout.write(
    `${c.name} (${c.fixture}, ${c.bytes.length} B): other ${quantile(b, 0.5).toFixed(0)} ns, this ${quantile(a, 0.5).toFixed(0)} ns; ` +
      `other/this median ${f(quantile(ratios, 0.5))}× (p10 ${f(quantile(ratios, 0.1))}, p90 ${f(quantile(ratios, 0.9))})\n`,
  );
}
