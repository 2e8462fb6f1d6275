/**
 * The benchmark: `npm run bench` (full, about 2 minutes on 2 cores),
 * `-- --quick` (short), `-- --json` (one JSON document on stdout), `-- --md`
 * (the Markdown tables of BENCH.md), `-- --only=A,B` (rows whose name
 * contains A or B), `-- --report=FILE` (the tables of a saved --json result,
 * measuring nothing; with --md, as Markdown).
 *
 * For the header struct and for one message of every command and kind:
 * decode and encodeInto, ns per message (median of many rounds, min, max)
 * for (a) this package, (b) a hand-written DataView codec (bench/hand.ts),
 * (c) typed-struct and (d) binary-parser (decode only), the latter two for a
 * representative subset (bench/libraries.ts); all interleaved, on the same
 * inputs (subarrays of one receive buffer), with ratios and bytes allocated
 * per message. Then FrameDecoder throughput (bench/framer.ts), then the
 * end-to-end rows over a Unix socket (bench/e2e.ts; `--only=e2e` for those alone).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { decode, encodeInto } from '../src/codec.js';
import { resolveOptions, type ResolvedOptions } from '../src/options.js';
import { dataViewOf, viewsOf } from '../src/wire.js';
import { read_vfio_user_header, write_vfio_user_header, type vfio_user_header } from '../generated/ts/structs.js';
import type { Message } from '../generated/ts/messages.js';
import { buildCases, type CodecCase } from './cases.js';
import { checkAll, type CheckReport } from './check.js';
import { copiesOf, framerCases, framerChunkOp, framerOp } from './framer.js';
import { handDecode, handEncodeInto, handReadHeader, handWriteHeader } from './hand.js';
import { bytesPerOp, consumed, interleave, sink, warm, type Op, type Stats } from './harness.js';
import { header as headerLib, libraries, type LibraryCodec } from './libraries.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const json = args.includes('--json');
const md = args.includes('--md');
const onlyList = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
/** Whether a row is selected by --only=A,B (substrings). */
function selected(name: string): boolean {
  return onlyList === undefined || onlyList.some((x) => name.includes(x));
}

const SAMPLE_NS = quick ? 200_000 : 500_000;
const ROUNDS = quick ? 15 : 201;
/** Rounds of the typed-struct group (its samples are the noisiest and longest to settle). */
const TS_ROUNDS = quick ? 9 : 61;
const FRAMER_SAMPLE_NS = quick ? 1_000_000 : 2_000_000;
const FRAMER_ROUNDS = quick ? 7 : 41;
/** Allocation: bytes the larger batch allocates (heap pages are 256 KiB: less loses precision), and measurements per figure (median). */
const ALLOC_BUDGET = 12 << 20;
const ALLOC_REPEATS = quick ? 1 : 3;

/** The targets the benchmark checks. */
const TARGET_RATIO = 1.15;
const AIM_RATIO = 1.05;
const TARGET_TS = 100;
const TARGET_BP = 20;

type ImplName = 'a' | 'b' | 'c' | 'd';
const IMPL_LABEL: Record<ImplName, string> = { a: 'vfio-user-protocol', b: 'hand-written DataView', c: 'typed-struct', d: 'binary-parser' };

interface ImplResult extends Stats {
  readonly bytesPerOp: number;
}

interface CodecRow {
  readonly message: string;
  readonly op: 'decode' | 'encodeInto';
  readonly bytes: number;
  readonly impls: Partial<Record<ImplName, ImplResult>>;
  /** Paired ratios to (b) and to (a). */
  readonly ratios: { a_b: number; c_b?: number; d_b?: number; c_a?: number; d_a?: number };
  readonly misses: string[];
}

interface FramerRow {
  readonly config: string;
  readonly msgSize: number;
  readonly chunks: number;
  readonly messagesPerPass: number;
  readonly nsPerMessage: Stats;
  readonly messagesPerSecond: number;
  readonly bytesPerSecond: number;
  readonly bytesAllocatedPerMessage: number;
  readonly framesAsViews: number;
  readonly framesAssembled: number;
  readonly tailsAreViews: boolean;
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'}${cpus[0]?.speed ? ` @ ${cpus[0].speed} MHz` : ''}`,
    cores: cpus.length,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    flags: process.execArgv.join(' '),
    tree: gitTree(),
  };
}

/** The measured tree: commit and whether it has uncommitted changes (outside bench/). */
function gitTree(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', '.', ':!bench', ':!BENCH.md'], { encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.stdout.trim() === '' ? '' : ' + uncommitted changes'}`;
}

function log(s: string): void {
  if (!json && !md) process.stdout.write(`${s}\n`);
}

function progress(s: string): void {
  process.stderr.write(s);
}

// ---------------------------------------------------------------------------
// The operations

/**
 * A timing loop of its own, compiled from source for each row and implementation: V8 gives it its own feedback
 * and optimized code. When every row's loop was one function literal, a deoptimization during one row changed
 * how V8 compiled the loop, and the functions it calls, for the rows after it (see bench/README.md, "What the
 * encodeInto misses share"): which rows paid depended on when it happened. `body` runs once per iteration, with
 * `i` and the sum `s` in scope and `args` as its free variables.
 */
function ownLoop(body: string, args: Record<string, unknown>): Op {
  const names = Object.keys(args);
  const make = new Function(...names, `return (n) => {\n  let s = 0;\n  for (let i = 0; i < n; i++) {\n    ${body}\n  }\n  return s;\n};`) as (...a: unknown[]) => Op;
  return make(...names.map((k) => args[k]));
}

function decodeOps(c: CodecCase, opt: ResolvedOptions, lib: LibraryCodec | undefined): [ImplName, Op][] {
  const bytes = c.bytes;
  const ops: [ImplName, Op][] = [
    ['a', ownLoop('const m = decode(bytes, opt); sink[i & 1] = m; s += m.msg_id;', { decode, bytes, opt, sink })],
    ['b', ownLoop('const m = handDecode(bytes, opt); sink[i & 1] = m; s += m.msg_id;', { handDecode, bytes, opt, sink })],
  ];
  if (lib !== undefined) {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const { decodeTs, decodeBp } = lib;
    ops.push([
      'c',
      (n) => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const m = decodeTs(buf);
          sink[i & 1] = m;
          s++;
        }
        return s;
      },
    ]);
    ops.push([
      'd',
      (n) => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const m = decodeBp(bytes);
          sink[i & 1] = m;
          s++;
        }
        return s;
      },
    ]);
  }
  return ops;
}

function encodeOps(c: CodecCase, opt: ResolvedOptions, send: Uint8Array, lib: LibraryCodec | undefined): [ImplName, Op][] {
  const m: Message = c.message;
  const ops: [ImplName, Op][] = [
    ['a', ownLoop('s += encodeInto(m, send, 3, opt);', { encodeInto, m, send, opt })],
    ['b', ownLoop('s += handEncodeInto(m, send, 3, opt);', { handEncodeInto, m, send, opt })],
  ];
  if (lib !== undefined) {
    const { encodeTs } = lib;
    const len = c.bytes.length;
    const ab = send.buffer;
    const at = send.byteOffset + 3;
    ops.push([
      'c',
      (n) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += encodeTs(m, Buffer.from(ab, at, len));
        return s;
      },
    ]);
  }
  return ops;
}

function headerOps(c: CodecCase, send: Uint8Array): { decode: [ImplName, Op][]; encode: [ImplName, Op][] } {
  const bytes = c.bytes;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, 16);
  const h: vfio_user_header = handReadHeader(bytes);
  const ab = send.buffer;
  const at = send.byteOffset + 3;
  return {
    decode: [
      ['a', ownLoop('const r = read_vfio_user_header(dataViewOf(bytes), bytes.byteOffset); sink[i & 1] = r; s += r.msg_id;', { read_vfio_user_header, dataViewOf, bytes, sink })],
      ['b', ownLoop('const r = handReadHeader(bytes); sink[i & 1] = r; s += r.msg_id;', { handReadHeader, bytes, sink })],
      [
        'c',
        (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const r = headerLib.decodeTs(buf);
            sink[i & 1] = r;
            s++;
          }
          return s;
        },
      ],
      [
        'd',
        (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const r = headerLib.decodeBp(bytes);
            sink[i & 1] = r;
            s++;
          }
          return s;
        },
      ],
    ],
    encode: [
      ['a', ownLoop('const { v, b } = viewsOf(send); s += write_vfio_user_header(v, b, send.byteOffset + 3, h);', { viewsOf, write_vfio_user_header, send, h })],
      ['b', ownLoop('s += handWriteHeader(h, send, 3);', { handWriteHeader, h, send })],
      [
        'c',
        (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) s += headerLib.encodeTs(h, Buffer.from(ab, at, 16));
          return s;
        },
      ],
    ],
  };
}

// ---------------------------------------------------------------------------
// Measuring

/**
 * Times one row. (a), (b) and binary-parser are interleaved together; typed-struct is interleaved with (a) and (b)
 * in a second group of rounds. Its 4-25 KB of garbage per call keeps the old generation busy (promotion, incremental
 * marking) for whatever runs next: interleaved in one group it slowed binary-parser's samples from ~0.3 µs to 2-10 µs
 * and made (a)'s vary, while without it binary-parser was steady. typed-struct's own ratios come from its group;
 * (a) and (b) are reported from the first.
 */
function measureRow(message: string, op: 'decode' | 'encodeInto', bytes: number, ops: [ImplName, Op][], alloc: Allocations): CodecRow {
  progress('.');
  const main = ops.filter(([name]) => name !== 'c');
  const ts = ops.find(([name]) => name === 'c');
  const r = interleave(
    main.map(([, f]) => f),
    SAMPLE_NS,
    ROUNDS,
  );
  const idx = (name: ImplName): number => main.findIndex(([n]) => n === name);
  const impls: Partial<Record<ImplName, ImplResult>> = {};
  main.forEach(([name], i) => {
    impls[name] = { ...r.stats[i]!, bytesPerOp: alloc.rows[rowKey(message, op, name)] ?? NaN };
  });
  const a = idx('a');
  const b = idx('b');
  const d = idx('d');
  const ratios: CodecRow['ratios'] = { a_b: r.ratio(a, b) };
  if (d >= 0) {
    ratios.d_b = r.ratio(d, b);
    ratios.d_a = r.ratio(d, a);
  }
  if (ts !== undefined) {
    const g = interleave([main[a]![1], main[b]![1], ts[1]], SAMPLE_NS, TS_ROUNDS);
    impls.c = { ...g.stats[2]!, bytesPerOp: alloc.rows[rowKey(message, op, 'c')] ?? NaN };
    ratios.c_b = g.ratio(2, 1);
    ratios.c_a = g.ratio(2, 0);
  }
  const misses: string[] = [];
  if (ratios.a_b > TARGET_RATIO) misses.push(`${op} ${ratios.a_b.toFixed(2)}x of (b), target ${TARGET_RATIO}x`);
  if (op === 'encodeInto' && (impls.a?.bytesPerOp ?? 0) > 0) misses.push(`encodeInto allocates ${impls.a!.bytesPerOp.toFixed(1)} B/op, target 0`);
  if (op === 'decode' && ratios.c_a !== undefined && ratios.c_a < TARGET_TS) misses.push(`only ${ratios.c_a.toFixed(0)}x faster than typed-struct, target ${TARGET_TS}x`);
  if (op === 'decode' && ratios.d_a !== undefined && ratios.d_a < TARGET_BP) misses.push(`only ${ratios.d_a.toFixed(1)}x faster than binary-parser, target ${TARGET_BP}x`);
  return { message, op, bytes, impls, ratios, misses };
}

function measureFramer(opt: ResolvedOptions, allocations: Allocations): FramerRow[] {
  const rows: FramerRow[] = [];
  for (const c of framerCases(opt)) {
    if (!selected(`framer ${c.name}`)) continue;
    progress('.');
    const op = framerOp(c, opt);
    // A longer warm-up: after the codec rows the heap needs ~10 ms of framing to settle (measured: 1 MiB whole
    // messages at 2x their steady cost for the first ~40k messages after a full collection).
    const r = interleave([op], FRAMER_SAMPLE_NS, FRAMER_ROUNDS, 5e7);
    const per = c.messages;
    const s = r.stats[0]!;
    const ns: Stats = { median: s.median / per, min: s.min / per, max: s.max / per, samples: s.samples };
    const alloc = allocations.framer[c.name] ?? NaN;
    const { views, assembled, tailsAreViews } = copiesOf(c, opt);
    rows.push({
      config: c.name,
      msgSize: c.msgSize,
      chunks: c.chunks.length,
      messagesPerPass: per,
      nsPerMessage: ns,
      messagesPerSecond: 1e9 / ns.median,
      bytesPerSecond: (1e9 / s.median) * c.bytes,
      bytesAllocatedPerMessage: alloc,
      framesAsViews: views,
      framesAssembled: assembled,
      tailsAreViews,
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Output

function fmtNs(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} ms`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)} µs`;
  if (x >= 100) return x.toFixed(0);
  return x.toFixed(1);
}

function fmtStats(s: Stats | undefined): string {
  if (s === undefined) return '';
  return `${fmtNs(s.median)} (${fmtNs(s.min)}–${fmtNs(s.max)})`;
}

function fmtX(x: number | undefined): string {
  if (x === undefined) return '';
  return x >= 100 ? `${x.toFixed(0)}×` : x >= 10 ? `${x.toFixed(1)}×` : `${x.toFixed(2)}×`;
}

function fmtB(x: number | undefined): string {
  if (x === undefined) return '';
  return x >= 10 ? x.toFixed(0) : x === 0 ? '0' : x.toFixed(1);
}

function fmtRate(x: number, unit: string): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} G${unit}`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M${unit}`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k${unit}`;
  return `${x.toFixed(0)} ${unit}`;
}

function table(header: string[], rows: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(header), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

function consoleTable(rows: readonly CodecRow[]): string {
  return table(
    ['message', 'op', 'ns (a) median (min–max)', 'ns (b) median (min–max)', 'a/b', 'ns typed-struct', 'ts/b', 'ns binary-parser', 'bp/b', 'ts/a', 'bp/a', 'B/op a', 'B/op b', 'B/op ts', 'B/op bp'],
    rows.map((r) => [
      r.message,
      r.op,
      fmtStats(r.impls.a),
      fmtStats(r.impls.b),
      fmtX(r.ratios.a_b) + (r.ratios.a_b > TARGET_RATIO ? ' !' : ''),
      r.impls.c === undefined ? '' : fmtNs(r.impls.c.median),
      fmtX(r.ratios.c_b),
      r.impls.d === undefined ? '' : fmtNs(r.impls.d.median),
      fmtX(r.ratios.d_b),
      fmtX(r.ratios.c_a),
      fmtX(r.ratios.d_a),
      fmtB(r.impls.a?.bytesPerOp),
      fmtB(r.impls.b?.bytesPerOp),
      fmtB(r.impls.c?.bytesPerOp),
      fmtB(r.impls.d?.bytesPerOp),
    ]),
  );
}

function markdownTable(rows: readonly CodecRow[]): string {
  const head = '| message | op | ns (a) median (min–max) | ns (b) median | ratio a/b | typed-struct × | binary-parser × | bytes/op (a) | bytes/op (b) |';
  const sep = '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const body = rows.map(
    (r) =>
      `| ${r.message} | ${r.op} | ${fmtStats(r.impls.a)} | ${r.impls.b === undefined ? '' : fmtNs(r.impls.b.median)} | ${fmtX(r.ratios.a_b)}${r.ratios.a_b > TARGET_RATIO ? ' ✗' : ''} | ${fmtX(r.ratios.c_a)} | ${fmtX(r.ratios.d_a)} | ${fmtB(r.impls.a?.bytesPerOp)} | ${fmtB(r.impls.b?.bytesPerOp)} |`,
  );
  return [head, sep, ...body].join('\n');
}

function framerTable(rows: readonly FramerRow[], markdown: boolean): string {
  const header = ['stream', 'msg size', 'chunks/pass', 'msgs/pass', 'ns/msg median (min–max)', 'msgs/s', 'bytes/s', 'B alloc/msg', 'frames: views + copies', 'tails are views'];
  const data = rows.map((r) => [
    r.config,
    String(r.msgSize),
    String(r.chunks),
    String(r.messagesPerPass),
    fmtStats(r.nsPerMessage),
    fmtRate(r.messagesPerSecond, 'msg/s'),
    fmtRate(r.bytesPerSecond, 'B/s'),
    fmtB(r.bytesAllocatedPerMessage),
    `${r.framesAsViews} + ${r.framesAssembled}`,
    r.tailsAreViews ? 'yes' : 'NO',
  ]);
  if (!markdown) return table(header, data);
  return [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...data.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// Plan, warm-up, allocation

interface Planned {
  readonly message: string;
  readonly op: 'decode' | 'encodeInto';
  readonly bytes: number;
  readonly ops: [ImplName, Op][];
}

/** Bytes allocated per operation, measured by the allocation child: rows by rowKey, framer configurations by name (per message). */
interface Allocations {
  readonly rows: Record<string, number>;
  readonly framer: Record<string, number>;
}

function rowKey(message: string, op: string, impl: ImplName): string {
  return `${message}|${op}|${impl}`;
}

/** Every selected row's operations, built once and used for warm-up and measurement. */
function plan(cases: readonly CodecCase[], opt: ResolvedOptions, send: Uint8Array): Planned[] {
  const planned: Planned[] = [];
  if (selected('header')) {
    const h = headerOps(cases.find((c) => c.name === 'DMA_MAP command')!, send);
    planned.push({ message: 'header (vfio_user_header)', op: 'decode', bytes: 16, ops: h.decode });
    planned.push({ message: 'header (vfio_user_header)', op: 'encodeInto', bytes: 16, ops: h.encode });
  }
  for (const c of cases) {
    if (!selected(c.name)) continue;
    const lib = c.libraries ? libraries[c.name] : undefined;
    planned.push({ message: c.name, op: 'decode', bytes: c.bytes.length, ops: decodeOps(c, opt, lib) });
    planned.push({ message: c.name, op: 'encodeInto', bytes: c.bytes.length, ops: encodeOps(c, opt, send, lib) });
  }
  return planned;
}

/**
 * Warm-up: every operation of every message (selected or not, so that call sites see a mixed stream, as in a
 * server), the libraries and the framer included, before anything is measured. The libraries' first calls
 * generalise field representations in hidden-class trees they share with the package's objects, which deoptimizes
 * the package's code; that has to be over before measuring.
 */
function warmUp(cases: readonly CodecCase[], planned: readonly Planned[], opt: ResolvedOptions, send: Uint8Array): void {
  progress('warming up');
  const mixed: Op[] = [];
  for (const c of cases) {
    mixed.push(...decodeOps(c, opt, undefined).map(([, f]) => f), ...encodeOps(c, opt, send, undefined).map(([, f]) => f));
  }
  for (const p of planned) mixed.push(...p.ops.map(([, f]) => f));
  for (const c of framerCases(opt)) mixed.push(framerOp(c, opt));
  for (let round = 0; round < (quick ? 3 : 5); round++) {
    for (const f of mixed) warm(f, 2e5);
    progress('.');
  }
  progress('\n');
}

/**
 * The allocation child: bytes per operation of every implementation of every row, and per message of every
 * framer configuration, printed as JSON. It runs with a 32 MiB young generation: in the default one (1 MiB
 * after a full collection, counted in 256 KiB pages) batches small enough to escape a scavenge are too small to
 * measure; allocation sizes do not depend on the heap's configuration.
 */
function allocationChild(): void {
  const opt = resolveOptions();
  const { cases } = buildCases(opt);
  const send = new Uint8Array(new ArrayBuffer((2 << 20) + 64), 5);
  const planned = plan(cases, opt, send);
  warmUp(cases, planned, opt, send);
  progress('measuring allocation');
  const rows: Record<string, number> = {};
  for (const p of planned) {
    progress('.');
    for (const [name, f] of p.ops) rows[rowKey(p.message, p.op, name)] = bytesPerOp(f, ALLOC_BUDGET, undefined, ALLOC_REPEATS);
  }
  const framer: Record<string, number> = {};
  for (const c of framerCases(opt)) {
    if (!selected(`framer ${c.name}`)) continue;
    progress('.');
    // Small messages chunk by chunk; 1 MiB messages pass by pass (a split one allocates its copy at its first chunk).
    if (c.msgSize > 65536) {
      // One pass, then three: more 1 MiB buffers per batch can set off a collection for external memory.
      framer[c.name] = bytesPerOp(framerOp(c, opt), 4 * c.bytes, 1, ALLOC_REPEATS, true) / c.messages;
    } else {
      const { op, messagesPerChunk } = framerChunkOp(c, opt);
      framer[c.name] = bytesPerOp(op, ALLOC_BUDGET, undefined, ALLOC_REPEATS) / messagesPerChunk;
    }
  }
  progress('\n');
  const out: Allocations = { rows, framer };
  process.stdout.write(JSON.stringify(out));
}

function main(): void {
  const opt = resolveOptions();
  const info = machine();
  const started = Date.now();
  log(`vfio-user-protocol benchmark (${quick ? 'quick' : 'full'} run)`);
  log(`machine: ${String(info.cpu)}, ${String(info.cores)} cores, ${String(info.memory)}, ${String(info.os)}`);
  log(`node ${String(info.node)}, V8 ${String(info.v8)}, flags ${String(info.flags)}; tree ${String(info.tree)}`);
  log(`(a) ${IMPL_LABEL.a}  (b) ${IMPL_LABEL.b} (bench/hand.ts)  (c) ${IMPL_LABEL.c} 2.7.3  (d) ${IMPL_LABEL.d} 2.3.0`);

  const { cases } = buildCases(opt);
  const send = new Uint8Array(new ArrayBuffer((2 << 20) + 64), 5);

  const checks = JSON.parse(process.env[CHECKS_ENV] ?? 'null') as CheckReport | null;
  if (checks === null) throw new Error('run through npm run bench (the start-up check runs in a parent process)');
  log(`start-up check: (a) and (b) agree on ${checks.decodeInputs} decode inputs (${cases.length} messages and their corruptions) and ${checks.encodeInputs} encode inputs; typed-struct and binary-parser read the same values for ${checks.libraryInputs} messages and the header`);

  const allocations = JSON.parse(process.env[ALLOC_ENV] ?? 'null') as Allocations | null;
  if (allocations === null) throw new Error('run through npm run bench (allocation is measured in another process)');
  const planned = plan(cases, opt, send);
  warmUp(cases, planned, opt, send);
  progress('measuring time');

  const rows: CodecRow[] = planned.map((p) => measureRow(p.message, p.op, p.bytes, p.ops, allocations));
  const framer = measureFramer(opt, allocations);
  progress(`\n`);

  const misses = rows.flatMap((r) => r.misses.map((m) => `${r.message}: ${m}`));
  const aimMisses = rows.filter((r) => r.ratios.a_b > AIM_RATIO).length;
  const seconds = (Date.now() - started) / 1000;

  if (json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'vfio-user-protocol codec',
          mode: quick ? 'quick' : 'full',
          date: new Date().toISOString(),
          machine: info,
          implementations: IMPL_LABEL,
          method: {
            sampleNs: SAMPLE_NS,
            rounds: ROUNDS,
            typedStructRounds: TS_ROUNDS,
            framerSampleNs: FRAMER_SAMPLE_NS,
            framerRounds: FRAMER_ROUNDS,
            ratio: 'median over rounds of the paired per-round ratio',
            bytesPerOp: 'heapUsed + arrayBuffers growth from n to 3n operations after global.gc(), median of 3, in a child with a 32 MiB young generation',
          },
          targets: { ratioToHandWritten: TARGET_RATIO, aim: AIM_RATIO, typedStructSpeedup: TARGET_TS, binaryParserSpeedup: TARGET_BP, encodeIntoBytesPerOp: 0 },
          checks,
          codec: rows,
          framer,
          misses,
          seconds,
          checksum: consumed() % 1000,
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  if (md) {
    process.stdout.write(`${markdownTable(rows)}\n\n${framerTable(framer, true)}\n`);
    return;
  }
  log('');
  log('ns per message, median (min-max) of the samples; a/b, ts/b, bp/b: ratio to (b), median of paired per-round ratios; ts/a, bp/a: how many');
  log('times (a) is faster than typed-struct, binary-parser (typed-struct is interleaved with (a) and (b) in a group of its own); B/op: bytes allocated per message');
  log(consoleTable(rows));
  log('');
  log('FrameDecoder');
  log(framerTable(framer, false));
  log('');
  log(`targets: decode and encodeInto within ${TARGET_RATIO}x of (b) (aim ${AIM_RATIO}x); encodeInto allocates nothing; decode >= ${TARGET_TS}x faster than typed-struct and >= ${TARGET_BP}x faster than binary-parser`);
  log(misses.length === 0 ? 'all targets met' : `${misses.length} target(s) missed:\n  ${misses.join('\n  ')}`);
  log(`${aimMisses} of ${rows.length} rows above the ${AIM_RATIO}x aim`);
  log(`(${seconds.toFixed(0)} s; checksum ${consumed() % 1000})`);
}

const CHECKS_ENV = 'VFIO_USER_BENCH_CHECKS';
const ALLOC_ENV = 'VFIO_USER_BENCH_ALLOCATIONS';
const ROLE_ENV = 'VFIO_USER_BENCH_ROLE';

/**
 * The start-up check runs in this process; allocation and time are measured in two children.
 *
 * The check feeds the codecs corrupted bytes and malformed message objects, which leaves their inline caches
 * megamorphic and their field representations generalised, a state in which (a) was measured up to 10x slower in
 * some runs (megamorphic stub-cache misses) and which a server fed well-formed traffic does not reach. The children
 * never see those inputs.
 *
 * Both children run with --no-concurrent-recompilation. TurboFan compiles on a background thread by default; on a
 * small, busy machine that thread lags long enough that a row is measured half in baseline code and half optimized,
 * which moved medians by up to 5x between runs. Compiling on the main thread during warm-up measures steady-state
 * optimized code (the same code, only sooner). The allocation child also gets a 32 MiB young generation (see
 * allocationChild); the timing child keeps the default heap.
 */
function parent(): void {
  const opt = resolveOptions();
  const { cases } = buildCases(opt);
  progress('checking (a) against (b), typed-struct and binary-parser... ');
  const checks: CheckReport = checkAll(cases, opt);
  progress(`${checks.decodeInputs} decode inputs, ${checks.encodeInputs} encode inputs, ${checks.libraryInputs} library inputs\n`);
  if (checks.problems.length > 0) {
    const all = args.includes('--all-problems');
    process.stderr.write(`the comparison is not fair:\n  ${checks.problems.slice(0, all ? Infinity : 40).join('\n  ')}\n`);
    if (!all && checks.problems.length > 40) process.stderr.write(`  ... ${checks.problems.length - 40} more\n`);
    process.exitCode = 1;
    return;
  }
  const base = process.execArgv.filter((f) => f !== '--no-concurrent-recompilation');
  const script = process.argv.slice(1);
  // V8 --trace-* flags go to the timing child only: their output would spoil the allocation child's JSON.
  const untraced = base.filter((f) => !f.startsWith('--trace'));
  const a = spawnSync(process.execPath, [...untraced, '--no-concurrent-recompilation', '--min-semi-space-size=32', '--max-semi-space-size=32', ...script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, [ROLE_ENV]: 'allocation' },
    maxBuffer: 1 << 24,
  });
  if (a.status !== 0) {
    process.exitCode = a.status ?? 1;
    return;
  }
  const t = spawnSync(process.execPath, [...base, '--no-concurrent-recompilation', ...script], {
    stdio: 'inherit',
    env: { ...process.env, [ROLE_ENV]: 'time', [CHECKS_ENV]: JSON.stringify(checks), [ALLOC_ENV]: a.stdout.toString() },
  });
  process.exitCode = t.status ?? 1;
  if (process.exitCode !== 0 || !selected('e2e')) return;
  // End-to-end rows (bench/e2e.ts): a client here and a server in a child, over a Unix socket.
  const e = spawnSync(process.execPath, [new URL('./e2e.js', import.meta.url).pathname, ...(quick ? ['--quick'] : []), ...(json ? ['--json'] : [])], { stdio: 'inherit' });
  process.exitCode = e.status ?? 1;
}

/** `--report=FILE`: prints the tables (text, or Markdown with --md) of a result saved with --json, measuring nothing. */
function report(file: string): void {
  const r = JSON.parse(readFileSync(file, 'utf8')) as { machine: Record<string, unknown>; mode: string; date: string; codec: CodecRow[]; framer: FramerRow[]; misses: string[] };
  const m = r.machine;
  const head = `${r.mode} run of ${r.date}: ${String(m.cpu)}, ${String(m.cores)} cores, ${String(m.memory)}, ${String(m.os)}; node ${String(m.node)}, V8 ${String(m.v8)}; tree ${String(m.tree)}`;
  if (md) {
    process.stdout.write(`${head}\n\n${markdownTable(r.codec)}\n\n${framerTable(r.framer, true)}\n`);
    return;
  }
  process.stdout.write(`${head}\n\n${consoleTable(r.codec)}\n\nFrameDecoder\n${framerTable(r.framer, false)}\n\n${r.misses.length} target(s) missed:\n  ${r.misses.join('\n  ')}\n`);
}

const role = process.env[ROLE_ENV];
const reportFile = args.find((a) => a.startsWith('--report='))?.slice('--report='.length);
if (reportFile !== undefined) report(reportFile);
else if (role === 'allocation') allocationChild();
else if (role === 'time') main();
else parent();
