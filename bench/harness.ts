/**
 * Timing and allocation measurement.
 *
 * An Op runs its operation n times and returns a checksum built from the
 * results (so the work cannot be dropped); each result is also stored in
 * `sink`, so it escapes and cannot be scalar-replaced away.
 *
 * Timing: each implementation gets a batch size that makes one sample last
 * about `sampleNs`; then, round after round, every implementation runs one
 * batch, in an order that rotates each round. Per implementation the
 * samples give median, min and max ns per operation; the ratio of two
 * implementations is the median over rounds of their paired per-round
 * ratio, which cancels drift that a busy machine puts on both. Before each
 * sample the sink is cleared and a young-generation collection runs, so a
 * sample does not pay for collecting another implementation's garbage.
 *
 * Allocation: see bytesPerOp.
 */

/** Results land here so that they escape (two slots: enough to escape, little to keep alive). */
export const sink: unknown[] = [null, null];

/** Runs an operation n times; returns a checksum. */
export type Op = (n: number) => number;

/** Median, min and max of ns per operation over the samples. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

let checksum = 0;
/** Keeps checksums alive. */
export function consumed(): number {
  return checksum;
}

function now(): bigint {
  return process.hrtime.bigint();
}

/** Runs `op` for about `ns` nanoseconds (warm-up). */
export function warm(op: Op, ns: number): void {
  let n = 1;
  const t0 = now();
  while (Number(now() - t0) < ns) {
    checksum += op(n);
    if (n < 1 << 16) n *= 2;
  }
}

/**
 * The batch size that makes one sample of `op` last about `sampleNs`. Each batch size is timed three times and the
 * fastest counts: one slow call (a collection, a deoptimization) at a small batch would otherwise end the search
 * there, and a batch of a few operations measures the clock rather than the operation.
 */
export function calibrate(op: Op, sampleNs: number, maxBatch = 1 << 20): number {
  let n = 1;
  for (;;) {
    let dt = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = now();
      checksum += op(n);
      dt = Math.min(dt, Number(now() - t0));
    }
    // An int32, so that batch sizes are small integers: a batch size held as a heap number deoptimizes the measured
    // loop (its `i < n` was compiled for small integers), and the code then recompiled mid-row sees only that row.
    if (dt >= sampleNs / 4 || n >= maxBatch) return Math.max(1, Math.min(maxBatch, Math.round((n * sampleNs) / Math.max(dt, 1)))) | 0;
    n *= 2;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function statsOf(xs: number[]): Stats {
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { median: median(xs), min, max, samples: xs.length };
}

/** Interleaved timing of several implementations of one operation. */
export interface Interleaved {
  readonly stats: Stats[];
  /** ratio(i, j): median over rounds of sample_i / sample_j. */
  ratio(i: number, j: number): number;
}

/**
 * Times `ops` round-robin: `rounds` rounds, each running every op once with
 * its own batch size, the starting op rotating each round, after `warmNs`
 * of warm-up each.
 */
export function interleave(ops: readonly Op[], sampleNs: number, rounds: number, warmNs = 2e6): Interleaved {
  const batches = ops.map((op) => {
    warm(op, warmNs);
    return calibrate(op, sampleNs);
  });
  const samples: number[][] = ops.map(() => []);
  const k = ops.length;
  const minor = minorGc();
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < k; j++) {
      const i = (r + j) % k;
      const n = batches[i]!;
      // Each sample starts with an empty young generation and nothing of the previous sample alive, so that no
      // implementation pays for collecting another's garbage (typed-struct's results are ~4-25 KB each).
      sink.fill(null);
      minor();
      const t0 = now();
      checksum += ops[i]!(n);
      samples[i]!.push(Number(now() - t0) / n);
    }
  }
  return {
    stats: samples.map(statsOf),
    ratio(i, j) {
      const a = samples[i]!;
      const b = samples[j]!;
      return median(a.map((x, r) => x / b[r]!));
    },
  };
}

type Gc = (options?: { type: 'minor' | 'major' }) => void;

/** A young-generation collection, when node runs with --expose-gc. */
function minorGc(): () => void {
  const gc = (globalThis as { gc?: Gc }).gc;
  return gc === undefined ? () => undefined : () => gc({ type: 'minor' });
}

function gcOrThrow(): Gc {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench does)');
  return gc;
}

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Bytes allocated by a batch of n operations, and the batch's time in ns (the collections before it excluded). */
function delta(op: Op, n: number, gc: Gc, buffers: boolean): { bytes: number; ns: number } {
  gc();
  // After one full collection the ArrayBuffers it freed are still being swept during the batch, which undercounted
  // the framer's 1 MiB copies by up to 2 MiB; a second one finishes that.
  if (buffers) gc();
  const a = used();
  const t0 = now();
  checksum += op(n);
  const ns = Number(now() - t0);
  const b = used();
  return { bytes: b - a, ns };
}

/**
 * Bytes allocated per operation (JS heap plus ArrayBuffer backing stores):
 * global.gc(), then process.memoryUsage() around a batch; the growth from a
 * batch of n to one of 3n operations over 2n, which cancels what the
 * measurement itself costs; median of `repeats`. n is grown until a batch allocates
 * measurably, then set so that the larger batch allocates about `budget`
 * bytes. Run with a young generation larger than the budget (the allocation
 * child has 32 MiB), or a scavenge during a batch spoils the count.
 * `buffers`: the operation allocates large ArrayBuffers (see delta).
 */
export function bytesPerOp(op: Op, budget = 12 << 20, maxN = 200_000, repeats = 3, buffers = false): number {
  const gc = gcOrThrow();
  let n = Math.min(64, maxN);
  let estimate = 0;
  let nsPerOp = 0;
  for (;;) {
    const small = delta(op, n, gc, buffers);
    const large = delta(op, 3 * n, gc, buffers);
    nsPerOp = (small.ns + large.ns) / (4 * n);
    estimate = Math.max(0, (large.bytes - small.bytes) / (2 * n));
    // Enough bytes to measure, or enough operations to say there are none, or batches getting long.
    if (estimate * 3 * n >= 1 << 18 || n >= maxN || nsPerOp * 3 * n > 2e7) break;
    n = Math.min(maxN, n * 4);
  }
  // A larger batch allocating about `budget` bytes and taking at most ~100 ms.
  n = Math.max(1, Math.min(maxN, Math.floor(budget / 3 / Math.max(estimate, 1)), Math.floor(1e8 / 3 / Math.max(nsPerOp, 1))));
  const xs: number[] = [];
  for (let i = 0; i < repeats; i++) xs.push((delta(op, 3 * n, gc, buffers).bytes - delta(op, n, gc, buffers).bytes) / (2 * n));
  const m = median(xs);
  return Math.abs(m) < 0.05 ? 0 : m;
}
