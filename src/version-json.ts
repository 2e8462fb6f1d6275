/**
 * The strict fast path of the VERSION JSON: the capability tree of
 * spec/capabilities.ts compiled to byte matchers. It reads the text real
 * peers send straight into a VersionJson and gives up on anything else,
 * which the full parser (src/json.ts, src/capabilities.ts) then reads and
 * reports. Property tests check that both agree.
 */
import { CAPABILITY_KEYS, setCapability } from '../generated/ts/capabilities.js';
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
  /** The keys of an object value. */
  readonly keys: FastKeys;
  /** The key's number in CAPABILITY_KEYS, for setCapability. */
  readonly id: number;
  /** The key's bit in the set of keys an object has shown (duplicates are the full parser's). */
  readonly bit: number;
  /**
   * Learned from the text read before: the first key of this key's object
   * value, and the key that came after this one. Tried first, since a peer
   * writes its keys in the same order every time; the table otherwise.
   */
  first: FastKey | null;
  after: FastKey | null;
}

/**
 * The keys of one object node by the first byte of their name (ASCII only):
 * a key token is compared only with the names that start like it.
 */
type FastKeys = readonly (readonly FastKey[])[];

const NO_KEYS: readonly FastKey[] = [];

function compile(node: CapabilitySpec, path: string): FastKeys {
  if ((node.keys ?? []).length > 31) throw new Error(`capability ${node.name} has more than 31 keys`);
  const keys: FastKey[] = (node.keys ?? []).map((k, i) => ({
    name: k.name,
    bytes: new TextEncoder().encode(k.name),
    type: k.type === 'integer' ? 0 : k.type === 'boolean' ? 1 : 2,
    min: k.minimum ?? Number.MIN_SAFE_INTEGER,
    max: k.maximum ?? Number.MAX_SAFE_INTEGER,
    keys: compile(k, path === '' ? k.name : `${path}.${k.name}`),
    id: idOf(path === '' ? k.name : `${path}.${k.name}`),
    bit: 1 << i,
    first: null,
    after: null,
  }));
  const table: (readonly FastKey[])[] = [];
  for (let x = 0; x < 0x80; x++) {
    const starting = keys.filter((k) => k.bytes[0] === x);
    table.push(starting.length === 0 ? NO_KEYS : starting);
  }
  if (keys.some((k) => k.bytes.length === 0 || k.bytes[0]! >= 0x80)) throw new Error(`capability ${node.name} has a key that is empty or starts with a non-ASCII byte`);
  return table;
}

/** A key's number in the generated CAPABILITY_KEYS. */
function idOf(path: string): number {
  const id = CAPABILITY_KEYS.indexOf(path);
  if (id < 0) throw new Error(`capability ${path} is not in the generated CAPABILITY_KEYS: run npm run generate`);
  return id;
}

/** The root object as the value of a key (the reader's entry). */
const FAST_ROOT: FastKey = {
  name: '',
  bytes: new Uint8Array(0),
  type: 2,
  min: 0,
  max: 0,
  keys: compile(ROOT, ''),
  id: -1,
  bit: 0,
  first: null,
  after: null,
};

/** Bails out of the strict fast path (caught by readVersionFast only). */
const GIVE_UP: unique symbol = Symbol('give up');

/**
 * The next byte of the strict fast read in progress. Reads are synchronous
 * and never nest, so one module-level position serves them all; each read
 * sets it first. A plain variable, where a cursor object per read cost an
 * allocation and a load and store per byte step.
 */
let pos = 0;

function skipWs(b: Uint8Array): number {
  let p = pos;
  let x = b[p];
  // Compact text: no whitespace to skip; json-c's text: one space.
  if (x !== undefined && x > 0x20) return x;
  if (x === 0x20) {
    x = b[++p];
    if (x !== undefined && x > 0x20) {
      pos = p;
      return x;
    }
  }
  while (x === 0x20 || x === 0x0a || x === 0x0d || x === 0x09) x = b[++p];
  pos = p;
  return x ?? -1;
}

/**
 * The key of `keys` whose name the string token at pos spells, or a
 * bail-out. Each candidate is compared in place (its closing quote first):
 * a token no known key spells — an unknown key, kept in `extra`, or one with
 * an escape — is the full parser's.
 */
function matchKey(b: Uint8Array, table: FastKeys, guess: FastKey | null): FastKey {
  const s = pos + 1;
  if (guess !== null) {
    const kb = guess.bytes;
    const n = kb.length;
    if (b[s + n] === 0x22) {
      let j = 0;
      while (j < n && kb[j] === b[s + j]) j++;
      if (j === n) {
        pos = s + n + 1;
        return guess;
      }
    }
  }
  const first = b[s]!;
  // A byte past the ASCII range (or past the end) has no entry: no known key starts with it.
  const keys = first < 0x80 ? table[first]! : NO_KEYS;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const kb = k.bytes;
    const n = kb.length;
    if (b[s + n] !== 0x22) continue;
    let j = 1;
    while (j < n && kb[j] === b[s + j]) j++;
    if (j === n) {
      pos = s + n + 1;
      return k;
    }
  }
  throw GIVE_UP;
}

/** An integer of at most 15 digits (exact as a double) within [min, max]. */
function readInteger(b: Uint8Array, k: FastKey): number {
  let p = pos;
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
    pos = p;
    if (x === 0x2e || x === 0x65 || x === 0x45) throw GIVE_UP;
    const value = neg ? -v : v;
    if (value < k.min || value > k.max) throw GIVE_UP;
    return value;
  }
  pos = p;
  // "0" or "-0" (the latter is -0, not an integer the spec takes here).
  if (neg || x === 0x2e || x === 0x65 || x === 0x45 || 0 < k.min || 0 > k.max) throw GIVE_UP;
  return 0;
}

/** `true` or `false` at pos. */
function readBoolean(b: Uint8Array): boolean {
  const p = pos;
  if (b[p] === 0x74 && b[p + 1] === 0x72 && b[p + 2] === 0x75 && b[p + 3] === 0x65) {
    pos = p + 4;
    return true;
  }
  if (b[p] === 0x66 && b[p + 1] === 0x61 && b[p + 2] === 0x6c && b[p + 3] === 0x73 && b[p + 4] === 0x65) {
    pos = p + 5;
    return false;
  }
  throw GIVE_UP;
}

/** The object at pos, every key one of `keys`, each once, each value fitting its spec. */
function readFastObject(b: Uint8Array, parent: FastKey, depth: number, maxDepth: number): Record<string, unknown> {
  if (depth > maxDepth || b[pos] !== 0x7b) throw GIVE_UP;
  const keys = parent.keys;
  let prev: FastKey | null = null;
  pos++;
  const out: Record<string, unknown> = {};
  let seen = 0;
  let x = skipWs(b);
  if (x === 0x7d) {
    pos++;
    return out;
  }
  for (;;) {
    if (x !== 0x22) throw GIVE_UP;
    const k = matchKey(b, keys, prev === null ? parent.first : prev.after);
    if (prev === null) {
      if (parent.first !== k) parent.first = k;
    } else if (prev.after !== k) {
      prev.after = k;
    }
    prev = k;
    if (skipWs(b) !== 0x3a) throw GIVE_UP;
    pos++;
    skipWs(b);
    if ((seen & k.bit) !== 0) throw GIVE_UP;
    seen |= k.bit;
    setCapability(out, k.id, k.type === 0 ? readInteger(b, k) : k.type === 1 ? readBoolean(b) : readFastObject(b, k, depth + 1, maxDepth));
    x = skipWs(b);
    if (x === 0x7d) {
      pos++;
      return out;
    }
    if (x !== 0x2c) throw GIVE_UP;
    pos++;
    x = skipWs(b);
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
  pos = 0;
  try {
    skipWs(text);
    const v = readFastObject(text, FAST_ROOT, 1, maxDepth);
    skipWs(text);
    return pos === end ? (v as VersionJson) : undefined;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

