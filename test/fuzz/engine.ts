/**
 * A mutation fuzzer for the codec: decode (every dialect), FrameDecoder
 * (random chunking, random fds) and the VERSION capabilities JSON.
 *
 * The rule it enforces: only VfioUserError subclasses escape; after any
 * error the same decoder and framer still decode a valid message; the
 * framer never loops without consuming bytes; every fd pushed into a
 * framer comes back exactly once (in a frame, in an error, or from close()).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures, invalidFixtures } from '../../spec/fixtures/index.js';
import { parseVersionJson } from '../../src/capabilities.js';
import { decode, FrameDecoder, VfioUserError, resolveOptions, type DialectName } from '../../src/index.js';

/** A small deterministic PRNG (mulberry32). */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

/** An input that broke the rule. */
export interface Finding {
  readonly target: 'decode' | 'frame' | 'json';
  readonly hex: string;
  readonly error: string;
}

/** The result of a run. */
export interface FuzzResult {
  readonly inputs: number;
  readonly findings: Finding[];
  /** Inputs that decoded without error (the mutator reaches valid messages too). */
  readonly decoded: number;
  /** Distinct error codes seen. */
  readonly codes: Map<string, number>;
}

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}

/** Seeds: every fixture's bytes, and the corpus files when `corpusDir` exists. */
export function loadSeeds(corpusDir?: string): { seeds: Uint8Array[]; dialects: DialectName[] } {
  const seeds: Uint8Array[] = [];
  const dialects: DialectName[] = [];
  for (const f of [...fixtures, ...invalidFixtures]) {
    seeds.push(hexToBytes(f.bytes.map(([, h]) => h).join('')));
    dialects.push((f.dialect ?? 'default') as DialectName);
  }
  if (corpusDir !== undefined) {
    let names: string[] = [];
    try {
      names = readdirSync(corpusDir).filter((n) => n.endsWith('.bin'));
    } catch {
      names = [];
    }
    for (const n of names.sort()) {
      const b = readFileSync(join(corpusDir, n));
      if (b.length <= 1 << 16) {
        seeds.push(Uint8Array.from(b));
        dialects.push('default');
      }
    }
  }
  return { seeds, dialects };
}

const INTERESTING_32 = [0, 1, 2, 8, 15, 16, 17, 24, 32, 40, 47, 48, 0x7f, 0x80, 0xff, 0x100, 0x1000, 0xffff, 0x10000, 0x100000, 0x100020, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** One mutation of `input`, possibly splicing `other`. */
export function mutate(rng: Rng, input: Uint8Array, other: Uint8Array): Uint8Array {
  let b = Uint8Array.from(input);
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    const len = b.length;
    switch (rng.int(11)) {
      case 0: // flip a bit
        if (len > 0) b[rng.int(len)]! ^= 1 << rng.int(8);
        break;
      case 1: // random byte
        if (len > 0) b[rng.int(len)] = rng.int(256);
        break;
      case 2: // interesting u32 at an aligned offset
        if (len >= 4) {
          const o = rng.int(len >> 2) << 2;
          new DataView(b.buffer).setUint32(o, rng.pick(INTERESTING_32), true);
        }
        break;
      case 3: // msg_size near the real length
        if (len >= 8) new DataView(b.buffer).setUint32(4, Math.max(0, len + rng.int(33) - 16), true);
        break;
      case 4: // truncate
        b = b.slice(0, rng.int(len + 1));
        break;
      case 5: // extend with random bytes
        b = Uint8Array.from([...b, ...Array.from({ length: 1 + rng.int(16) }, () => rng.int(256))]);
        break;
      case 6: // delete a range
        if (len > 0) {
          const at = rng.int(len);
          const n = 1 + rng.int(Math.min(16, len - at));
          b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + n)]);
        }
        break;
      case 7: // splice a piece of another seed
        if (other.length > 0) {
          const from = rng.int(other.length);
          const piece = other.subarray(from, from + 1 + rng.int(32));
          const at = rng.int(len + 1);
          b = Uint8Array.from([...b.subarray(0, at), ...piece, ...b.subarray(at)]);
        }
        break;
      case 8: // another command number
        if (len >= 4) new DataView(b.buffer).setUint16(2, rng.int(32), true);
        break;
      case 9: // another message type / flags
        if (len >= 12) new DataView(b.buffer).setUint32(8, rng.pick([0, 1, 2, 0x10, 0x11, 0x20, 0x21, 0x31, 0xf, 0x40]), true);
        break;
      default: // fix msg_size to the length, so the body is what gets tested
        if (len >= 8) new DataView(b.buffer).setUint32(4, len, true);
        break;
    }
  }
  return b;
}

const DIALECTS: DialectName[] = ['default', 'libvfio-user', 'qemu', 'rust-vmm', 'spdk'];

/**
 * Runs `inputs` mutated inputs through decode, about one in eight through a
 * FrameDecoder stream, and one in eight VERSION JSON texts through the
 * capabilities parser.
 */
export function fuzz(options: { inputs: number; seed: number; corpusDir?: string; onProgress?: (done: number) => void }): FuzzResult {
  const rng = new Rng(options.seed);
  const { seeds, dialects } = loadSeeds(options.corpusDir);
  const findings: Finding[] = [];
  const codes = new Map<string, number>();
  const opts = Object.fromEntries(DIALECTS.map((d) => [d, resolveOptions({ dialect: d, allowUnknownCommands: rngBool(d) })])) as Record<DialectName, ReturnType<typeof resolveOptions>>;
  const jsonLimits = resolveOptions().limits;
  const valid = seeds[0]!;
  let decoded = 0;
  const note = (e: unknown, target: Finding['target'], input: Uint8Array): void => {
    if (e instanceof VfioUserError) {
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      return;
    }
    findings.push({ target, hex: Buffer.from(input).toString('hex'), error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  };
  for (let i = 0; i < options.inputs; i++) {
    if (options.onProgress !== undefined && i % 100000 === 0) options.onProgress(i);
    const k = rng.int(seeds.length);
    const input = mutate(rng, seeds[k]!, seeds[rng.int(seeds.length)]!);
    const dialect = rng.next() < 0.7 ? dialects[k]! : rng.pick(DIALECTS);
    const kind = i % 8;
    if (kind === 0) {
      frameOne(rng, input, seeds, opts[dialect], findings, note);
      continue;
    }
    if (kind === 1) {
      const text = jsonOf(rng, input);
      try {
        parseVersionJson(text, 0, jsonLimits);
        decoded++;
      } catch (e) {
        note(e, 'json', text);
      }
      continue;
    }
    try {
      // A copy at an odd offset in a larger buffer: views must respect byteOffset.
      const buf = new Uint8Array(input.length + 3);
      buf.set(input, 3);
      decode(buf.subarray(3), opts[dialect]);
      decoded++;
    } catch (e) {
      note(e, 'decode', input);
    }
  }
  // The decoder still works after everything above.
  try {
    decode(valid, opts[dialects[0]!]);
  } catch (e) {
    findings.push({ target: 'decode', hex: Buffer.from(valid).toString('hex'), error: `valid seed no longer decodes: ${String(e)}` });
  }
  return { inputs: options.inputs, findings, decoded, codes };
}

function rngBool(d: string): boolean {
  return d !== 'default';
}

/** A JSON text from the input: the tail of a VERSION seed, or the raw bytes, NUL-terminated or not. */
function jsonOf(rng: Rng, input: Uint8Array): Uint8Array {
  const body = input.length > 20 && input[2] === 1 && input[3] === 0 ? input.subarray(20) : input;
  if (rng.next() < 0.5) return body;
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  return out;
}

/** A stream of a few mutated and valid messages through one FrameDecoder, in random chunks with random fds. */
function frameOne(
  rng: Rng,
  input: Uint8Array,
  seeds: readonly Uint8Array[],
  opt: ReturnType<typeof resolveOptions>,
  findings: Finding[],
  note: (e: unknown, target: Finding['target'], input: Uint8Array) => void,
): void {
  const parts = [input, rng.pick(seeds), rng.pick(seeds)];
  const stream = Uint8Array.from(parts.flatMap((p) => [...p]));
  const d = new FrameDecoder(opt);
  const given = new Set<number>();
  const returned: number[] = [];
  let nextFd = 100;
  let pos = 0;
  let calls = 0;
  let chunks = 0;
  let fatal = false;
  while (pos < stream.length && !fatal) {
    const n = 1 + rng.int(Math.min(64, stream.length - pos));
    const fds = rng.next() < 0.2 ? Array.from({ length: 1 + rng.int(3) }, () => nextFd++) : [];
    for (const f of fds) given.add(f);
    d.push(stream.subarray(pos, pos + n), fds);
    pos += n;
    chunks++;
    for (;;) {
      calls++;
      if (calls > stream.length + chunks * 2 + 16) {
        findings.push({ target: 'frame', hex: Buffer.from(stream).toString('hex'), error: 'FrameDecoder loops without consuming bytes' });
        return;
      }
      try {
        const f = d.next();
        if (f === null) break;
        returned.push(...f.fds);
      } catch (e) {
        note(e, 'frame', stream);
        if (!(e instanceof VfioUserError)) return;
        returned.push(...e.fds);
        if (e.fatal) {
          fatal = true;
          break;
        }
      }
    }
  }
  // After any non-fatal error, with nothing left half-framed, the same framer frames a valid message.
  if (!fatal && d.atBoundary) {
    d.push(seeds[0]!);
    try {
      if (d.next() === null) findings.push({ target: 'frame', hex: Buffer.from(stream).toString('hex'), error: 'the framer no longer frames a valid message' });
    } catch (e) {
      findings.push({ target: 'frame', hex: Buffer.from(stream).toString('hex'), error: `the framer no longer frames a valid message: ${String(e)}` });
    }
  }
  returned.push(...d.close());
  const sorted = [...returned].sort((a, b) => a - b);
  const want = [...given].sort((a, b) => a - b);
  if (sorted.length !== want.length || sorted.some((x, i) => x !== want[i])) {
    findings.push({ target: 'frame', hex: Buffer.from(stream).toString('hex'), error: `fds pushed ${want.join(',')} but returned ${sorted.join(',')}` });
  }
}
