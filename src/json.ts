/**
 * A strict JSON parser and serializer for the VERSION capabilities text
 * (RFC 8259), safe on hostile input.
 *
 * - The input is UTF-8 bytes, decoded strictly; a byte order mark is refused.
 * - The grammar is RFC 8259 exactly: no comments, no trailing commas, no
 *   leading zeros, no NaN or Infinity, no control characters in strings, no
 *   whitespace other than space, tab, LF and CR.
 * - `\u` escapes naming a lone surrogate are accepted, as `JSON.parse` accepts
 *   them: the string holds the lone UTF-16 code unit. {@link stringifyJson}
 *   writes such a code unit back as a `\u` escape, so it survives a round trip.
 * - A key twice in one object is an error (`ERR_JSON_DUPLICATE_KEY`).
 * - Objects are created with `Object.create(null)`: keys such as `__proto__`
 *   or `constructor` are plain own properties and never reach a prototype.
 * - Integer literals (no fraction, no exponent) outside the safe-integer range
 *   are returned as exact `bigint`s; every other number is a JavaScript number.
 *   A number whose magnitude overflows to Infinity is refused as
 *   `ERR_JSON_SYNTAX`.
 * - Nesting is parsed without recursion and bounded by `maxJsonDepth`.
 * - Only {@link VfioUserError}s are thrown.
 */
import { encodeError, invalid, overLimit, VfioUserError } from './errors.js';

/**
 * A JSON value as {@link parseJson} returns it and {@link stringifyJson}
 * takes it. Integers outside the safe-integer range are `bigint`s.
 */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;

/**
 * A JSON object. Objects made by {@link parseJson} have a null prototype.
 * Key order is JavaScript property order: insertion order, except that keys
 * which are array indices ("0", "1", ...) come first in ascending order.
 */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The limits {@link parseJson} applies. */
export interface JsonLimits {
  /** Deepest nesting of arrays and objects; the root container is depth 1. */
  readonly maxJsonDepth: number;
}

/**
 * The result of {@link parseJsonLocated}: the value and where its parts are.
 */
export interface LocatedJson {
  /** The parsed value. */
  readonly value: JsonValue;
  /** Absolute offset (baseOffset included) of the first byte of the root value. */
  readonly offset: number;
  /**
   * Absolute offset of the first byte of the value of `key` in `object`, an
   * object inside {@link value}; `undefined` for anything else.
   */
  offsetOf(object: JsonObject, key: string): number | undefined;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const ONE = 0x31;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

const TRUE_BYTES = [0x74, 0x72, 0x75, 0x65] as const;
const FALSE_BYTES = [0x66, 0x61, 0x6c, 0x73, 0x65] as const;
const NULL_BYTES = [0x6e, 0x75, 0x6c, 0x6c] as const;

/**
 * Parses JSON text.
 *
 * @param bytes The UTF-8 JSON text, without a terminating NUL.
 * @param baseOffset Added to every error offset: where `bytes` starts in the message.
 * @param limits `maxJsonDepth`: deepest nesting of arrays and objects (the
 *   root container is depth 1); deeper input throws `ERR_LIMIT`.
 * @returns The value; objects have a null prototype, integers outside the
 *   safe-integer range are `bigint`s.
 * @throws VfioUserInvalidError `ERR_JSON_UTF8` (offset of the first byte of
 *   the bad sequence), `ERR_JSON_SYNTAX`, `ERR_JSON_DUPLICATE_KEY` (offset of
 *   the second key).
 * @throws VfioUserLimitError `ERR_LIMIT` with `limitName` `maxJsonDepth`.
 */
export function parseJson(bytes: Uint8Array, baseOffset: number, limits: JsonLimits): JsonValue {
  return parseGuarded(bytes, baseOffset, limits, false).value;
}

/**
 * {@link parseJson}, also recording where each object member's value starts,
 * so that a caller checking the value can report an exact offset.
 */
export function parseJsonLocated(bytes: Uint8Array, baseOffset: number, limits: JsonLimits): LocatedJson {
  return parseGuarded(bytes, baseOffset, limits, true);
}

function parseGuarded(bytes: Uint8Array, baseOffset: number, limits: JsonLimits, locate: boolean): LocatedJson {
  try {
    return new Parser(bytes, baseOffset, limits.maxJsonDepth, locate).run();
  } catch (error) {
    if (error instanceof VfioUserError) throw error;
    return invalid('ERR_JSON_SYNTAX', `JSON text could not be parsed: ${String(error)}`, baseOffset);
  }
}

interface ArrayFrame {
  readonly kind: 'array';
  readonly array: JsonValue[];
}

interface ObjectFrame {
  readonly kind: 'object';
  readonly object: JsonObject;
  /** The key whose value is being parsed. */
  key: string;
}

type Frame = ArrayFrame | ObjectFrame;

class Parser {
  private pos = 0;
  private readonly locations: WeakMap<JsonObject, Map<string, number>> | undefined;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly base: number,
    private readonly maxDepth: number,
    locate: boolean,
  ) {
    this.locations = locate ? new WeakMap() : undefined;
  }

  run(): LocatedJson {
    const bytes = this.bytes;
    try {
      decoder.decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      invalid('ERR_JSON_UTF8', 'JSON text is not valid UTF-8', this.base + Math.max(at, 0));
    }
    this.skipWhitespace();
    const offset = this.base + this.pos;
    const value = this.parseValue();
    const locations = this.locations;
    return {
      value,
      offset,
      offsetOf: (object, key) => locations?.get(object)?.get(key),
    };
  }

  private fail(message: string, at: number = this.pos): never {
    const byte = this.bytes[at];
    return invalid('ERR_JSON_SYNTAX', message, this.base + at, byte === undefined ? {} : { value: byte });
  }

  private peek(): number {
    return this.bytes[this.pos] ?? -1;
  }

  private skipWhitespace(): void {
    const bytes = this.bytes;
    let p = this.pos;
    while (p < bytes.length) {
      const c = bytes[p];
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
      p++;
    }
    this.pos = p;
  }

  /** Parses the value at `pos` (whitespace already skipped) and what follows it. */
  private parseValue(): JsonValue {
    const stack: Frame[] = [];
    let value: JsonValue = null;
    for (;;) {
      const c = this.peek();
      if (c === LBRACKET || c === LBRACE) {
        if (stack.length >= this.maxDepth) overLimit('maxJsonDepth', this.maxDepth, stack.length + 1, this.base + this.pos);
        this.pos++;
        this.skipWhitespace();
        if (c === LBRACKET) {
          const array: JsonValue[] = [];
          if (this.peek() === RBRACKET) {
            this.pos++;
            value = array;
          } else {
            stack.push({ kind: 'array', array });
            continue;
          }
        } else {
          const object = Object.create(null) as JsonObject;
          if (this.peek() === RBRACE) {
            this.pos++;
            value = object;
          } else {
            const frame: ObjectFrame = { kind: 'object', object, key: '' };
            stack.push(frame);
            this.readKey(frame);
            continue;
          }
        }
      } else {
        value = this.parseScalar();
      }

      // A value is complete: hand it to the enclosing containers, closing
      // as many as end here, until one expects another value.
      for (;;) {
        const top = stack[stack.length - 1];
        this.skipWhitespace();
        if (top === undefined) {
          if (this.pos !== this.bytes.length) this.fail('unexpected data after the JSON value');
          return value;
        }
        const d = this.peek();
        if (top.kind === 'array') {
          top.array.push(value);
          if (d === COMMA) {
            this.pos++;
            this.skipWhitespace();
            break;
          }
          if (d !== RBRACKET) this.fail(d === -1 ? 'unexpected end of JSON text' : "expected ',' or ']'");
          this.pos++;
          stack.pop();
          value = top.array;
        } else {
          top.object[top.key] = value;
          if (d === COMMA) {
            this.pos++;
            this.skipWhitespace();
            this.readKey(top);
            break;
          }
          if (d !== RBRACE) this.fail(d === -1 ? 'unexpected end of JSON text' : "expected ',' or '}'");
          this.pos++;
          stack.pop();
          value = top.object;
        }
      }
    }
  }

  /** Reads `"key" :` and leaves `pos` at the start of the member's value. */
  private readKey(frame: ObjectFrame): void {
    if (this.peek() !== QUOTE) this.fail(this.peek() === -1 ? 'unexpected end of JSON text' : 'expected a string key');
    const keyAt = this.pos;
    const key = this.parseString();
    if (Object.hasOwn(frame.object, key)) {
      invalid('ERR_JSON_DUPLICATE_KEY', 'JSON object has the same key twice', this.base + keyAt, { value: key });
    }
    this.skipWhitespace();
    if (this.peek() !== COLON) this.fail("expected ':'");
    this.pos++;
    this.skipWhitespace();
    frame.key = key;
    if (this.locations !== undefined) {
      let map = this.locations.get(frame.object);
      if (map === undefined) {
        map = new Map();
        this.locations.set(frame.object, map);
      }
      map.set(key, this.base + this.pos);
    }
  }

  private parseScalar(): JsonValue {
    const c = this.peek();
    if (c === QUOTE) return this.parseString();
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.parseNumber();
    if (c === LOWER_T) return this.parseLiteral(TRUE_BYTES, true);
    if (c === LOWER_F) return this.parseLiteral(FALSE_BYTES, false);
    if (c === LOWER_N) return this.parseLiteral(NULL_BYTES, null);
    return this.fail(c === -1 ? 'unexpected end of JSON text' : 'expected a JSON value');
  }

  private parseLiteral<T extends JsonValue>(word: readonly number[], value: T): T {
    for (let i = 0; i < word.length; i++) {
      if (this.bytes[this.pos + i] !== word[i]) this.fail('invalid literal', this.pos + i);
    }
    this.pos += word.length;
    return value;
  }

  private parseString(): string {
    const bytes = this.bytes;
    let p = this.pos + 1;
    let segment = p;
    let out = '';
    for (;;) {
      if (p >= bytes.length) this.fail('unterminated string', p);
      const c = bytes[p]!;
      if (c === QUOTE) {
        if (p > segment) out += decoder.decode(bytes.subarray(segment, p));
        this.pos = p + 1;
        return out;
      }
      if (c < 0x20) this.fail('control character in a string', p);
      if (c !== BACKSLASH) {
        p++;
        continue;
      }
      if (p > segment) out += decoder.decode(bytes.subarray(segment, p));
      const e = bytes[p + 1];
      switch (e) {
        case QUOTE:
          out += '"';
          break;
        case BACKSLASH:
          out += '\\';
          break;
        case SLASH:
          out += '/';
          break;
        case LOWER_B:
          out += '\b';
          break;
        case LOWER_F:
          out += '\f';
          break;
        case LOWER_N:
          out += '\n';
          break;
        case LOWER_R:
          out += '\r';
          break;
        case LOWER_T:
          out += '\t';
          break;
        case LOWER_U: {
          let code = 0;
          for (let i = 0; i < 4; i++) {
            const digit = hexValue(bytes[p + 2 + i]);
            if (digit < 0) this.fail('invalid \\u escape', p + 2 + i);
            code = code * 16 + digit;
          }
          out += String.fromCharCode(code);
          p += 4;
          break;
        }
        default:
          this.fail(e === undefined ? 'unterminated string' : 'invalid escape', p + 1);
      }
      p += 2;
      segment = p;
    }
  }

  private parseNumber(): number | bigint {
    const bytes = this.bytes;
    const start = this.pos;
    let p = start;
    let integer = true;
    if (bytes[p] === MINUS) p++;
    const first = bytes[p] ?? -1;
    if (first === ZERO) {
      p++;
      if (isDigit(bytes[p])) this.fail('leading zero in a number', p);
    } else if (first >= ONE && first <= NINE) {
      while (isDigit(bytes[p])) p++;
    } else {
      this.fail('expected a digit', p);
    }
    if (bytes[p] === DOT) {
      integer = false;
      p++;
      if (!isDigit(bytes[p])) this.fail('expected a digit after the decimal point', p);
      while (isDigit(bytes[p])) p++;
    }
    if (bytes[p] === LOWER_E || bytes[p] === UPPER_E) {
      integer = false;
      p++;
      if (bytes[p] === PLUS || bytes[p] === MINUS) p++;
      if (!isDigit(bytes[p])) this.fail('expected a digit in the exponent', p);
      while (isDigit(bytes[p])) p++;
    }
    const text = decoder.decode(bytes.subarray(start, p));
    const n = Number(text);
    if (integer) {
      // Rounding is monotonic and 2^53 is a double, so an integer literal
      // beyond the safe range never rounds back into it.
      this.pos = p;
      return Number.isSafeInteger(n) ? n : BigInt(text);
    }
    if (!Number.isFinite(n)) this.fail('number out of the range of a double', start);
    this.pos = p;
    return n;
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE;
}

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/**
 * Index of the first byte of the first ill-formed UTF-8 sequence (Unicode
 * table 3-7: no overlongs, no surrogates, nothing above U+10FFFF), or -1.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let follow: number;
    let low = 0x80;
    let high = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) follow = 1;
    else if (c === 0xe0) {
      follow = 2;
      low = 0xa0;
    } else if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) follow = 2;
    else if (c === 0xed) {
      follow = 2;
      high = 0x9f;
    } else if (c === 0xf0) {
      follow = 3;
      low = 0x90;
    } else if (c >= 0xf1 && c <= 0xf3) follow = 3;
    else if (c === 0xf4) {
      follow = 3;
      high = 0x8f;
    } else return i;
    for (let k = 1; k <= follow; k++) {
      const d = bytes[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < low || d > high : d < 0x80 || d > 0xbf) return i;
    }
    i += follow + 1;
  }
  return -1;
}

type WriteFrame =
  | { readonly array: readonly JsonValue[]; index: number }
  | { readonly object: JsonObject; readonly keys: readonly string[]; index: number };

/**
 * Writes a value as compact JSON text (no whitespace). Object keys are written
 * in property order (see {@link JsonObject}), bigints as their decimal digits.
 * A number that is an integer outside the safe range is written with a `.0`
 * fraction (and -0 as `-0`), so that {@link parseJson} gives back the same
 * number rather than a bigint. Lone surrogates are written as `\u` escapes.
 * Does not recurse, so any depth can be written.
 *
 * Round trip: `parseJson(utf8(stringifyJson(v)))` deep-equals `v` for every
 * value `parseJson` can return (bigints within the safe range come back as
 * numbers).
 *
 * @throws VfioUserEncodeError `ERR_ENCODE_FIELD` for a value that is not
 *   JSON: NaN or an infinity, `undefined`, a function or symbol, an object
 *   whose prototype is neither null nor `Object.prototype`, an array hole, or
 *   a cycle.
 */
export function stringifyJson(value: JsonValue): string {
  const out: string[] = [];
  const stack: WriteFrame[] = [];
  const open = new Set<object>();
  let next: unknown = value;
  for (;;) {
    const v = next;
    if (v === null) out.push('null');
    else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
    else if (typeof v === 'number') out.push(formatNumber(v));
    else if (typeof v === 'bigint') out.push(v.toString());
    else if (typeof v === 'string') out.push(quoteString(v));
    else if (typeof v === 'object') {
      if (open.has(v)) encodeError('ERR_ENCODE_FIELD', 'JSON value contains a cycle');
      if (Array.isArray(v)) {
        out.push('[');
        stack.push({ array: v as JsonValue[], index: 0 });
      } else {
        const proto: unknown = Object.getPrototypeOf(v);
        if (proto !== null && proto !== Object.prototype) encodeError('ERR_ENCODE_FIELD', 'JSON objects must be plain objects');
        out.push('{');
        stack.push({ object: v as JsonObject, keys: Object.keys(v), index: 0 });
      }
      open.add(v);
    } else {
      encodeError('ERR_ENCODE_FIELD', `a ${typeof v} is not a JSON value`);
    }

    // Find the next value to write, closing finished containers.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return out.join('');
      if ('array' in top) {
        if (top.index < top.array.length) {
          if (top.index > 0) out.push(',');
          if (!Object.hasOwn(top.array, top.index)) encodeError('ERR_ENCODE_FIELD', 'JSON arrays must not have holes');
          next = top.array[top.index];
          top.index++;
          break;
        }
        out.push(']');
        open.delete(top.array);
      } else {
        const key = top.keys[top.index];
        if (key !== undefined) {
          if (top.index > 0) out.push(',');
          out.push(quoteString(key), ':');
          next = top.object[key];
          top.index++;
          break;
        }
        out.push('}');
        open.delete(top.object);
      }
      stack.pop();
    }
  }
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) encodeError('ERR_ENCODE_FIELD', `${n} is not a JSON number`, { value: n });
  if (Object.is(n, -0)) return '-0';
  const text = String(n);
  if (Number.isInteger(n) && !Number.isSafeInteger(n) && !text.includes('e')) return `${text}.0`;
  return text;
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' };

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

function quoteString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let escape: string;
    if (c === 0x22) escape = '\\"';
    else if (c === 0x5c) escape = '\\\\';
    else if (c < 0x20) escape = SHORT_ESCAPES[c] ?? unicodeEscape(c);
    else if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          continue;
        }
      }
      escape = unicodeEscape(c);
    } else continue;
    out += s.slice(start, i) + escape;
    start = i + 1;
  }
  return `${out}${s.slice(start)}"`;
}

// ---------------------------------------------------------------------------
// The fast path

/**
 * Strings a {@link parseJsonFast} caller expects as keys (the capability
 * names): a string token equal to one of them is returned as that string
 * instead of being decoded. Immutable once made.
 */
export class JsonKeyTable {
  readonly #byHash = new Map<number, string>();

  constructor(keys: Iterable<string>) {
    for (const key of keys) {
      if (!/^[\x20-\x7e]*$/.test(key) || key.includes('"') || key.includes('\\')) continue;
      let h = FNV_OFFSET;
      for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
      // On a (rare) collision the first key keeps the slot; the other is decoded as any string.
      if (!this.#byHash.has(h)) this.#byHash.set(h, key);
    }
  }

  /** The known key with hash `h` and bytes [s, e) of `bytes`, or undefined. */
  lookup(h: number, bytes: Uint8Array, s: number, e: number): string | undefined {
    const key = this.#byHash.get(h);
    if (key === undefined || key.length !== e - s) return undefined;
    for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== bytes[s + i]) return undefined;
    return key;
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const NO_KEYS = new JsonKeyTable([]);
/** The fast path recurses: it bails out above this depth and leaves deeper text to the iterative parser. */
const FAST_MAX_DEPTH = 64;
/** Integers of at most 15 digits are below 2^53: exact as doubles, computed digit by digit. */
const FAST_MAX_DIGITS = 15;
/** Thrown inside the fast path when it meets anything it does not handle; never escapes. */
const BAIL: unique symbol = Symbol('bail');

/**
 * A fast path of {@link parseJson} for the text VERSION carries in practice:
 * ASCII only, strings without escapes, integers of at most 15 digits,
 * `true`, `false`, `null`, nesting within `maxJsonDepth` (and 64). For such
 * text it returns exactly what {@link parseJson} returns (the same values,
 * null-prototype objects with keys in the same order); for anything else —
 * any byte above 0x7f, an escape, a fraction or exponent, a longer integer,
 * a duplicate key, too deep a nesting, or any syntax error — it returns
 * `undefined`, and the caller runs {@link parseJson}, which gives the value
 * or the error. Throws nothing.
 *
 * Every input it accepts is ASCII, hence valid UTF-8, and is read by the
 * same grammar as the full parser; property tests check that the two agree.
 */
export function parseJsonFast(bytes: Uint8Array, limits: JsonLimits, keys: JsonKeyTable = NO_KEYS): JsonValue | undefined {
  return readJsonFast(bytes, limits, keys, (r) => r.value(0));
}

/**
 * Runs `read` over the text with a {@link FastJsonReader} (whitespace
 * around the value skipped, the end checked); `undefined` when the reader or
 * `read` bails out. For callers that read a known shape directly (the
 * VERSION capabilities); the same contract as {@link parseJsonFast}.
 */
export function readJsonFast<T>(bytes: Uint8Array, limits: JsonLimits, keys: JsonKeyTable, read: (r: FastJsonReader) => T): T | undefined {
  const r = new FastJsonReader(bytes, Math.min(limits.maxJsonDepth, FAST_MAX_DEPTH), keys);
  try {
    r.ws();
    const value = read(r);
    r.ws();
    return r.p === bytes.length ? value : undefined;
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

function bail(): never {
  throw BAIL;
}

/** The fast path's reader: each method reads one token or value at `p`, or bails out. */
export class FastJsonReader {
  p = 0;

  constructor(
    readonly b: Uint8Array,
    readonly maxDepth: number,
    readonly keys: JsonKeyTable,
  ) {}

  ws(): void {
    const b = this.b;
    let p = this.p;
    for (;;) {
      const c = b[p];
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
      p++;
    }
    this.p = p;
  }

  /** Gives up: the full parser will read this text. */
  bail(): never {
    throw BAIL;
  }

  /** Opens the object at p, the `depth`-th container; true when it is empty (and closed). */
  open(depth: number): boolean {
    if (depth > this.maxDepth || this.b[this.p] !== LBRACE) bail();
    this.p++;
    this.ws();
    if (this.b[this.p] !== RBRACE) return false;
    this.p++;
    return true;
  }

  /** Reads `"key" :` and the whitespace after it. */
  key(): string {
    if (this.b[this.p] !== QUOTE) bail();
    const key = this.string();
    this.ws();
    if (this.b[this.p] !== COLON) bail();
    this.p++;
    this.ws();
    return key;
  }

  /** After a member: true at `}` (consumed), false after `,` (consumed with the whitespace after it). */
  end(): boolean {
    this.ws();
    const d = this.b[this.p];
    this.p++;
    if (d === RBRACE) return true;
    if (d !== COMMA) bail();
    this.ws();
    return false;
  }

  /** The value at p (whitespace skipped); `depth` containers enclose it. */
  value(depth: number): JsonValue {
    const c = this.b[this.p];
    if (c === LBRACE) return this.object(depth + 1);
    if (c === QUOTE) return this.string();
    if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) return this.integer();
    if (c === LBRACKET) return this.array(depth + 1);
    if (c === LOWER_T) return this.word(TRUE_BYTES, true);
    if (c === LOWER_F) return this.word(FALSE_BYTES, false);
    if (c === LOWER_N) return this.word(NULL_BYTES, null);
    return bail();
  }

  object(depth: number): JsonObject {
    if (depth > this.maxDepth) bail();
    const b = this.b;
    const object = Object.create(null) as JsonObject;
    this.p++;
    this.ws();
    if (b[this.p] === RBRACE) {
      this.p++;
      return object;
    }
    for (;;) {
      if (b[this.p] !== QUOTE) bail();
      const key = this.string();
      // Parsed values are never undefined: this is "already has the key".
      if (object[key] !== undefined) bail();
      this.ws();
      if (b[this.p] !== COLON) bail();
      this.p++;
      this.ws();
      object[key] = this.value(depth);
      this.ws();
      const d = b[this.p];
      this.p++;
      if (d === RBRACE) return object;
      if (d !== COMMA) bail();
      this.ws();
    }
  }

  array(depth: number): JsonValue[] {
    if (depth > this.maxDepth) bail();
    const b = this.b;
    const array: JsonValue[] = [];
    this.p++;
    this.ws();
    if (b[this.p] === RBRACKET) {
      this.p++;
      return array;
    }
    for (;;) {
      array.push(this.value(depth));
      this.ws();
      const d = b[this.p];
      this.p++;
      if (d === RBRACKET) return array;
      if (d !== COMMA) bail();
      this.ws();
    }
  }

  /** A string of printable ASCII without escapes (p at its opening quote). */
  string(): string {
    const b = this.b;
    const s = this.p + 1;
    let p = s;
    let h = FNV_OFFSET;
    for (;;) {
      const c = b[p];
      if (c === QUOTE) break;
      // undefined (the end), controls, the backslash and non-ASCII bytes go to the full parser.
      if (c === undefined || c < SPACE || c === BACKSLASH || c > 0x7f) bail();
      h = Math.imul(h ^ c, FNV_PRIME);
      p++;
    }
    this.p = p + 1;
    const known = this.keys.lookup(h, b, s, p);
    if (known !== undefined) return known;
    let out = '';
    for (let i = s; i < p; i++) out += String.fromCharCode(b[i]!);
    return out;
  }

  integer(): number {
    const b = this.b;
    let p = this.p;
    const negative = b[p] === MINUS;
    if (negative) p++;
    const start = p;
    let n = 0;
    for (;;) {
      const c = b[p];
      if (c === undefined || c < ZERO || c > NINE) break;
      n = n * 10 + (c - ZERO);
      p++;
    }
    const digits = p - start;
    if (digits === 0 || digits > FAST_MAX_DIGITS || (digits > 1 && b[start] === ZERO)) bail();
    const c = b[p];
    if (c === DOT || c === LOWER_E || c === UPPER_E) bail();
    this.p = p;
    return negative ? -n : n;
  }

  word<T extends JsonValue>(word: readonly number[], value: T): T {
    const b = this.b;
    for (let i = 0; i < word.length; i++) if (b[this.p + i] !== word[i]) bail();
    this.p += word.length;
    return value;
  }
}
