/**
 * The strict fast path of the VERSION JSON: the capability tree of
 * spec/capabilities.ts compiled to byte matchers. It reads the text real
 * peers send straight into a VersionJson and gives up on anything else,
 * which the full parser (src/json.ts, src/capabilities.ts) then reads and
 * reports. Property tests check that both agree.
 */
import type { VersionJson } from './capabilities.js';
import { capabilities as capabilitySpec } from './spec.js';
import type { CapabilitySpec } from './spec.js';

/** The VERSION JSON's root: one known key, `capabilities`. */
const ROOT: CapabilitySpec = { name: '', type: 'object', doc: 'The VERSION JSON object.', keys: [capabilitySpec] };

/** A key of a compiled object node: its name as bytes, and what its value must be. */
interface FastKey {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** 0 integer, 1 boolean, 2 object. */
  readonly type: 0 | 1 | 2;
  readonly min: number;
  readonly max: number;
  readonly keys: readonly FastKey[];
  /** The key's bit in the set of keys an object has shown (duplicates are the full parser's). */
  readonly bit: number;
}

function compile(node: CapabilitySpec): FastKey[] {
  if ((node.keys ?? []).length > 31) throw new Error(`capability ${node.name} has more than 31 keys`);
  return (node.keys ?? []).map((k, i) => ({
    name: k.name,
    bytes: new TextEncoder().encode(k.name),
    type: k.type === 'integer' ? 0 : k.type === 'boolean' ? 1 : 2,
    min: k.minimum ?? Number.MIN_SAFE_INTEGER,
    max: k.maximum ?? Number.MAX_SAFE_INTEGER,
    keys: compile(k),
    bit: 1 << i,
  }));
}

const FAST_ROOT: readonly FastKey[] = compile(ROOT);

/** Bails out of the strict fast path (caught by readVersionFast only). */
const GIVE_UP: unique symbol = Symbol('give up');

/**
 * The cursor of one strict fast read: `p` is the next byte. A fresh one per
 * text, so no state outlives a call.
 */
interface Cursor {
  p: number;
}

function skipWs(b: Uint8Array, c: Cursor): number {
  let p = c.p;
  let x = b[p];
  // Compact text, the common case: no whitespace to skip.
  if (x !== undefined && x > 0x20) return x;
  while (x === 0x20 || x === 0x0a || x === 0x0d || x === 0x09) x = b[++p];
  c.p = p;
  return x ?? -1;
}

/**
 * The key of `keys` whose name the string token at c.p spells, or a
 * bail-out. Each candidate is compared in place (its closing quote first):
 * a token no known key spells — an unknown key, kept in `extra`, or one with
 * an escape — is the full parser's.
 */
function matchKey(b: Uint8Array, c: Cursor, keys: readonly FastKey[]): FastKey {
  const s = c.p + 1;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const kb = k.bytes;
    const n = kb.length;
    if (b[s + n] !== 0x22 || b[s] !== kb[0]) continue;
    let j = 1;
    while (j < n && kb[j] === b[s + j]) j++;
    if (j === n) {
      c.p = s + n + 1;
      return k;
    }
  }
  throw GIVE_UP;
}

/** An integer of at most 15 digits (exact as a double) within [min, max]. */
function readInteger(b: Uint8Array, c: Cursor, k: FastKey): number {
  let p = c.p;
  const neg = b[p] === 0x2d;
  if (neg) p++;
  const first = p;
  let x = b[p]!;
  if (x === 0x30) {
    x = b[++p]!;
  } else {
    if (!(x >= 0x31 && x <= 0x39)) throw GIVE_UP;
    let v = 0;
    while (x >= 0x30 && x <= 0x39) {
      v = v * 10 + (x - 0x30);
      x = b[++p]!;
    }
    if (p - first > 15) throw GIVE_UP;
    c.p = p;
    if (x === 0x2e || x === 0x65 || x === 0x45) throw GIVE_UP;
    const value = neg ? -v : v;
    if (value < k.min || value > k.max) throw GIVE_UP;
    return value;
  }
  c.p = p;
  // "0" or "-0" (the latter is -0, not an integer the spec takes here).
  if (neg || x === 0x2e || x === 0x65 || x === 0x45 || 0 < k.min || 0 > k.max) throw GIVE_UP;
  return 0;
}

/** `true` or `false` at c.p. */
function readBoolean(b: Uint8Array, c: Cursor): boolean {
  const p = c.p;
  if (b[p] === 0x74 && b[p + 1] === 0x72 && b[p + 2] === 0x75 && b[p + 3] === 0x65) {
    c.p = p + 4;
    return true;
  }
  if (b[p] === 0x66 && b[p + 1] === 0x61 && b[p + 2] === 0x6c && b[p + 3] === 0x73 && b[p + 4] === 0x65) {
    c.p = p + 5;
    return false;
  }
  throw GIVE_UP;
}

/** The object at c.p, every key one of `keys`, each once, each value fitting its spec. */
function readFastObject(b: Uint8Array, c: Cursor, keys: readonly FastKey[], depth: number, maxDepth: number): Record<string, unknown> {
  if (depth > maxDepth || b[c.p] !== 0x7b) throw GIVE_UP;
  c.p++;
  const out: Record<string, unknown> = {};
  let seen = 0;
  let x = skipWs(b, c);
  if (x === 0x7d) {
    c.p++;
    return out;
  }
  for (;;) {
    if (x !== 0x22) throw GIVE_UP;
    const k = matchKey(b, c, keys);
    if (skipWs(b, c) !== 0x3a) throw GIVE_UP;
    c.p++;
    skipWs(b, c);
    if ((seen & k.bit) !== 0) throw GIVE_UP;
    seen |= k.bit;
    out[k.name] = k.type === 0 ? readInteger(b, c, k) : k.type === 1 ? readBoolean(b, c) : readFastObject(b, c, k.keys, depth + 1, maxDepth);
    x = skipWs(b, c);
    if (x === 0x7d) {
      c.p++;
      return out;
    }
    if (x !== 0x2c) throw GIVE_UP;
    c.p++;
    x = skipWs(b, c);
  }
}

/**
 * The strict fast path of parseVersionJson: the capability tree compiled
 * to byte matchers reads ASCII text without escapes whose keys are all
 * known, once each, and whose values fit the spec (integers of at most 15
 * digits without fraction or exponent, booleans, objects), straight into
 * the VersionJson. Anything else — an unknown key (kept in `extra`), a
 * duplicate, another type, a syntax error — returns undefined, and the
 * full parser gives the value or the error. `end` is where the text ends
 * in `text`: its length, or the index of its NUL (any byte there other than
 * whitespace or a value's continuation, a NUL included, makes it give up).
 */
export function readVersionFast(text: Uint8Array, end: number, maxDepth: number): VersionJson | undefined {
  const c: Cursor = { p: 0 };
  try {
    skipWs(text, c);
    const v = readFastObject(text, c, FAST_ROOT, 1, maxDepth);
    skipWs(text, c);
    return c.p === end ? (v as VersionJson) : undefined;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

