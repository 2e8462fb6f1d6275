/**
 * Turning the fixture catalogue's plain data into what the codec takes and
 * returns, and comparing messages deeply.
 *
 * The catalogue writes byte tails as `'hex:…'` strings and u64 fields as
 * bigint literals (spec/types.ts FixtureSpec). The codec returns tails as
 * Uint8Array views and builds some objects (VERSION JSON `extra`) with a
 * null prototype; {@link normalize} maps both sides to one comparable form.
 */
import { exampleSession } from '../../spec/fixtures/session.js';
import type { FixtureSpec } from '../../spec/types.js';
import type { CaptureRecord } from '../../src/cli/capture.js';
import type { CodecOptions, DialectName } from '../../src/options.js';

/** The prefix of a byte tail written as a string in a fixture. */
export const HEX_PREFIX = 'hex:';

/** Parses hex digits (whitespace ignored) into bytes; throws on anything else. */
export function hexToBytes(hex: string): Uint8Array {
  const digits = hex.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not an even number of hex digits: ${JSON.stringify(hex)}`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Bytes as lower-case hex digits without separators. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A fixture's bytes: its hex groups joined, in a fresh buffer of exactly that size. */
export function fixtureBytes(f: FixtureSpec): Uint8Array {
  return hexToBytes(f.bytes.map(([, hex]) => hex).join(' '));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x) || ArrayBuffer.isView(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === null || proto === Object.prototype;
}

/**
 * The fixture's expected message as the codec's value: `'hex:…'` strings
 * become Uint8Arrays, everything else is copied as is. The result can be
 * given to encode().
 */
export function materialize(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(HEX_PREFIX)) return hexToBytes(value.slice(HEX_PREFIX.length));
  if (Array.isArray(value)) return value.map(materialize);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = materialize(value[key]);
    return out;
  }
  return value;
}

/**
 * One comparable form for a decoded message and a fixture's expectation:
 * Uint8Arrays become `'hex:…'` strings (and `'hex:…'` strings are put in
 * the same lower-case, unspaced form), objects (null-prototype ones too)
 * become plain objects with their keys sorted, arrays stay arrays, scalars
 * (bigint included) stay as they are. Anything else (class instances,
 * functions, symbols) is an error: a message holds none.
 */
export function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return HEX_PREFIX + bytesToHex(value);
  if (typeof value === 'string' && value.startsWith(HEX_PREFIX)) return HEX_PREFIX + bytesToHex(hexToBytes(value.slice(HEX_PREFIX.length)));
  if (Array.isArray(value)) return value.map(normalize);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = normalize(value[key]);
    return out;
  }
  const t = typeof value;
  if (value === null || t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean' || t === 'undefined') return value;
  throw new Error(`normalize: unexpected ${Object.prototype.toString.call(value)} in a message`);
}

/** Every Uint8Array reachable from `value`, with its path (for messages). */
export function byteTails(value: unknown, path = '$'): { path: string; bytes: Uint8Array }[] {
  if (value instanceof Uint8Array) return [{ path, bytes: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => byteTails(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.keys(value).flatMap((k) => byteTails((value as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return [];
}

/** Codec options for a fixture: its dialect, when it names one. */
export function fixtureOptions(f: FixtureSpec): CodecOptions {
  return { ...(f.dialect === undefined ? {} : { dialect: f.dialect as DialectName }), ...(f.drafts === true ? { drafts: true } : {}) };
}

/**
 * Copies `bytes` into a new ArrayBuffer `before` bytes in, with `after`
 * spare bytes behind, and returns the view of the copy: a Uint8Array with a
 * non-zero byteOffset whose buffer is larger than the message.
 */
export function embed(bytes: Uint8Array, before: number, after = 5): Uint8Array {
  const buf = new ArrayBuffer(before + bytes.length + after);
  const all = new Uint8Array(buf);
  all.fill(0xa5);
  all.set(bytes, before);
  return all.subarray(before, before + bytes.length);
}

/** The example session of spec/fixtures/session.ts as capture records, the way examples/session.jsonl holds them. */
export function exampleRecords(): CaptureRecord[] {
  return exampleSession.steps.map((s, i) => ({ seq: i + 1, dir: s.dir, nfds: s.nfds ?? 0, conn: null, socket: null, bytes: hexToBytes(s.hex) }));
}
