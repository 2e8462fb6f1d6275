/**
 * The two tails that are code rather than layout: the VERSION JSON and the
 * walk of a capability chain. Every other tail is declared in spec/ and its
 * code generated; the generated body codecs call these.
 *
 * Offsets: `o` is the absolute offset of the struct the tail follows in the
 * buffer behind `v`, `n` the body's length, `m0` the absolute offset of the
 * message start (errors report offsets relative to it).
 */
import { parseVersionJson, type VersionJson } from './capabilities.js';
import { invalid } from './errors.js';
import type { Limits, ResolvedOptions } from './options.js';
import { readVersionFast } from './version-json.js';
import { badShape, bodyLong, checkArray, checkLimit, view } from './wire.js';

// ---------------------------------------------------------------------------
// VERSION JSON

/**
 * Parses the VERSION tail of `n` bytes at absolute offset `at` (JSON and its
 * NUL; `offset` is `at` in the message), given `text`, the view of its JSON
 * without the NUL; null when the tail is empty. Text that real peers send
 * takes the strict fast path without a second view or a scan for the NUL;
 * anything else goes to parseVersionJson, which reads it or reports the error.
 */
export function decodeJsonTail(v: DataView, at: number, n: number, text: Uint8Array, offset: number, opt: ResolvedOptions): VersionJson | null {
  if (n === 0) return null;
  if (n <= opt.limits.maxJsonBytes && v.getUint8(at + n - 1) === 0) {
    const strict = readVersionFast(text, text.length, opt.limits.maxJsonDepth);
    if (strict !== undefined) return strict;
  }
  return parseVersionJson(view(v, at, n), offset, opt.limits);
}

// ---------------------------------------------------------------------------
// Capability chains

/** A capability of a chain as the generated code sees it: its header's `next`. */
interface Linked {
  readonly header: { readonly next: number };
}

/** A chain as the generated code describes it. */
export interface Chain<C extends Linked> {
  /** Size of the struct the chain follows. */
  readonly s: number;
  /** Offsets in the struct of the flags field and of the first capability's offset (for errors). */
  readonly flagAt: number;
  readonly firstAt: number;
  /** The `Limits` key that bounds the number of capabilities. */
  readonly limit: keyof Limits;
  readonly cmd: number;
  /** Decodes the capability at `p` (from the struct at `o`) that must end exactly at `end`. */
  readonly decode: (v: DataView, o: number, p: number, end: number, m0: number, opt: ResolvedOptions) => C;
  /** Bytes a capability takes, after checking its shape. */
  readonly size: (cap: C) => number;
  /** Writes a capability at absolute offset `c`. */
  readonly write: (v: DataView, b: Uint8Array, c: number, cap: C) => void;
}

/**
 * Walks a capability chain from `first` by each header's `next` (offsets
 * from the struct at `o`; `next` is 4 bytes into the header). The chain must
 * tile the bytes after the `s`-byte struct exactly: no loop, no capability
 * outside the body, no overlap, no unaccounted byte. Without the flag (`on`
 * false) the body must end after the struct.
 *
 * Linear in the chain's length when the links run in offset order (as every
 * known server writes them): no loop is possible then, and each capability
 * ends where the next begins. Out of order, a Set finds loops and one sort
 * orders the offsets (k log k, k at most the limit). `limit` is the value
 * of the chain's `Limits` key in `opt`.
 */
export function walkChain<C extends Linked>(v: DataView, o: number, n: number, on: boolean, first: number, m0: number, opt: ResolvedOptions, limit: number, chain: Chain<C>): C[] {
  const s = chain.s;
  const cmd = chain.cmd;
  const decodeCap = chain.decode;
  const limitName = chain.limit;
  if (!on) {
    if (n !== s) bodyLong(cmd, s, n, o + s - m0);
    return [];
  }
  if (n === s) chainError(CHAIN_NO_CAP, o + chain.flagAt, m0, cmd);
  const positions: number[] = [];
  // Set once the links go backwards: only then can they loop.
  let seen: Set<number> | null = null;
  let pos = first;
  let prev = -1;
  // Where the link being followed was read: the struct's offset field, then each header's next.
  let at = o + chain.firstAt;
  while (pos !== 0) {
    if (positions.length >= limit) checkLimit(limitName, limit, positions.length + 1, at - m0, cmd);
    if (pos <= prev) {
      if (seen === null) seen = new Set(positions);
      if (seen.has(pos)) chainLoop(pos, at, m0, cmd);
    }
    if (pos < s || pos + 8 > n) chainOutside(pos, n, at, m0, cmd);
    if (seen !== null) seen.add(pos);
    else prev = pos;
    positions.push(pos);
    at = o + pos + 4;
    pos = v.getUint32(at, true);
  }
  const k = positions.length;
  if (k === 0) chainError(CHAIN_ZERO, o + chain.firstAt, m0, cmd);
  if (seen === null) {
    // In offset order: the chain's order is the bytes' order.
    if (positions[0] !== s) capGap(s, positions[0]!, o + s, m0, cmd);
    const inOrder: C[] = new Array<C>(k);
    for (let i = 0; i < k; i++) inOrder[i] = decodeCap(v, o, positions[i]!, i + 1 < k ? positions[i + 1]! : n, m0, opt);
    return inOrder;
  }
  // Out of order: visit the capabilities by offset, each ending where the next one by offset begins.
  const order = positions.map((q, i) => [q, i] as const).sort((x, y) => x[0] - y[0]);
  if (order[0]![0] !== s) capGap(s, order[0]![0], o + s, m0, cmd);
  const caps: C[] = new Array<C>(k);
  for (let step = 0; step < k; step++) {
    const [p, index] = order[step]!;
    caps[index] = decodeCap(v, o, p, order[step + 1]?.[0] ?? n, m0, opt);
  }
  return caps;
}

// Cold paths: the messages are built here, off the walk.
const CHAIN_NO_CAP = 'the capability flag is set but no capability follows';
const CHAIN_ZERO = 'the capability flag is set but the first offset is 0';
function chainLoop(pos: number, at: number, m0: number, cmd: number): never {
  return chainError(`capability chain loops back to offset ${pos}`, at, m0, cmd);
}
function chainOutside(pos: number, n: number, at: number, m0: number, cmd: number): never {
  return chainError(`capability at offset ${pos} lies outside the ${n}-byte body`, at, m0, cmd);
}
/** Bytes `from`..`to` belong to no capability. */
export function capGap(from: number, to: number, at: number, m0: number, cmd: number): never {
  return chainError(`bytes ${from}..${to} belong to no capability`, at, m0, cmd);
}
/** The capability at `p` is shorter than its struct. */
export function capCut(p: number, at: number, m0: number, cmd: number): never {
  return chainError(`capability at ${p} is cut short`, at, m0, cmd);
}
/** The capability at `p` with `count` elements runs past `end`. */
export function capOverrun(p: number, count: number, end: number, at: number, m0: number, cmd: number): never {
  return chainError(`capability at ${p} with ${count} elements runs past ${end}`, at, m0, cmd);
}
/** The next capability starts inside the header of the one at `p`. */
export function capOverlap(p: number, end: number, at: number, m0: number, cmd: number): never {
  return chainError(`capability at ${p} overlaps the one at ${end}`, at, m0, cmd);
}
function chainError(why: string, at: number, m0: number, cmd: number): never {
  return invalid('ERR_CAP_CHAIN', why, at - m0, { cmd });
}

/**
 * The bytes a capability chain takes after the `s`-byte struct, checking
 * that the links end with the last capability and that the capabilities
 * tile the bytes after the struct without gaps or overlaps. Linear and
 * allocation-free when the links run in offset order, each capability right
 * after the one before; otherwise one sorted copy of the offsets (k log k).
 */
export function chainLength<C extends Linked>(first: number, list: unknown, chain: Chain<C>): number {
  const { s, size: capSize } = chain;
  const caps = checkArray('caps', list) as readonly C[];
  const k = caps.length;
  if (k === 0) return 0;
  for (let i = 0; i < k; i++) {
    const next = caps[i]!.header.next;
    if (i === k - 1 ? next !== 0 : next === 0) badLink(i, k);
  }
  let total = 0;
  let tiled = first === s;
  for (let i = 0; i < k; i++) {
    const size = capSize(caps[i]!);
    total += size;
    if (tiled && i < k - 1 && caps[i]!.header.next !== s + total) tiled = false;
  }
  if (tiled) return total;
  // Out of order: by offset (ties in chain order), some capability must sit exactly at each end, k times over.
  const order: number[][] = new Array<number[]>(k);
  let pos = first;
  for (let i = 0; i < k; i++) {
    order[i] = [pos, i];
    pos = caps[i]!.header.next;
  }
  order.sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
  let end = s;
  let j = 0;
  for (let step = 0; step < k; step++) {
    while (j < k && order[j]![0]! < end) j++;
    if (j === k || order[j]![0] !== end) untiled(j === k ? Infinity : order[j]![0]!, end);
    end += capSize(caps[order[j]![1]!]!);
    j++;
  }
  if (end !== s + total) badShape('capabilities must follow the struct without gaps or overlaps (two at one offset)');
  return total;
}
function badLink(i: number, k: number): never {
  return badShape(`caps[${i}].header.next must ${i === k - 1 ? 'be 0' : 'name the next capability'}`);
}
function untiled(lowest: number, end: number): never {
  return badShape(`capabilities must follow the struct without gaps or overlaps (one at ${lowest}, expected ${end})`);
}

/**
 * Writes each capability at its offset from the struct at `o` (the chain
 * already checked by chainLength); returns the bytes the capabilities take.
 */
export function encodeChain<C extends Linked>(v: DataView, b: Uint8Array, o: number, first: number, caps: readonly C[], chain: Chain<C>): number {
  let pos = first;
  let total = 0;
  for (let i = 0; i < caps.length; i++) {
    const cap = caps[i]!;
    chain.write(v, b, o + pos, cap);
    total += chain.size(cap);
    pos = cap.header.next;
  }
  return total;
}
