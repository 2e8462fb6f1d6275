/**
 * Byte-level primitives shared by the generated codecs: one DataView per
 * ArrayBuffer, and the checks that throw the package's errors.
 *
 * Offsets passed around are absolute within the ArrayBuffer; `m0` is the
 * absolute offset of the message's first byte, so errors report offsets
 * relative to the message.
 */
import { encodeError, invalid, overLimit } from './errors.js';

/** A DataView and a Uint8Array over the same whole ArrayBuffer. */
export interface Views {
  readonly v: DataView;
  readonly b: Uint8Array;
}

const viewCache = new WeakMap<ArrayBufferLike, Views>();
/** The last buffer looked up and its views: consecutive messages nearly always share a buffer. */
let lastBuffer: ArrayBufferLike | null = null;
let lastViews: Views | null = null;
/** lastViews.v, kept apart: a decoder needs only the DataView, one load fewer. */
let lastDataView: DataView | null = null;

/**
 * The views over the ArrayBuffer behind `bytes`, created once per buffer and
 * reused (a DataView costs about as much as decoding a header).
 */
export function viewsOf(bytes: Uint8Array): Views {
  const buf = bytes.buffer;
  return buf === lastBuffer ? lastViews! : viewsOfNext(buf);
}

/** The DataView over `buf`, for a caller that has read `bytes.buffer` already (a getter V8 calls rather than inlines). */
export function dataViewOfBuffer(buf: ArrayBufferLike): DataView {
  return buf === lastBuffer ? lastDataView! : viewsOfNext(buf).v;
}

/** The ArrayBuffer behind `v`, without reading `v.buffer` when `v` is the DataView of the last buffer looked up. */
export function bufferOf(v: DataView): ArrayBufferLike {
  return v === lastDataView ? lastBuffer! : v.buffer;
}

/** viewsOf(bytes).v: the DataView over the ArrayBuffer behind `bytes`. */
export function dataViewOf(bytes: Uint8Array): DataView {
  const buf = bytes.buffer;
  return buf === lastBuffer ? lastDataView! : viewsOfNext(buf).v;
}

/** viewsOf() for a buffer other than the last one (kept apart so that viewsOf inlines). */
function viewsOfNext(buf: ArrayBufferLike): Views {
  let views = viewCache.get(buf);
  if (views === undefined) {
    views = { v: new DataView(buf), b: new Uint8Array(buf) };
    viewCache.set(buf, views);
  }
  lastBuffer = buf;
  lastViews = views;
  lastDataView = views.v;
  return views;
}

/**
 * A view of `n` bytes at absolute offset `o` of the buffer behind `v` (no copy). The DataView of the last buffer
 * looked up gives that buffer without reading `v.buffer`, a getter V8 calls rather than inlines.
 */
export function view(v: DataView, o: number, n: number): Uint8Array {
  return new Uint8Array(v === lastDataView ? lastBuffer! : v.buffer, o, n);
}

/** Throws ERR_BODY_SHORT: the body has `n` bytes, `needed` are required. */
export function bodyShort(cmd: number, needed: number, n: number, offset: number): never {
  return invalid('ERR_BODY_SHORT', `body of command ${cmd} has ${n} bytes, needs ${needed}`, offset, { cmd, needed, available: n });
}

/** Throws ERR_BODY_LONG: `extra` bytes follow the end of the body. */
export function bodyLong(cmd: number, expected: number, n: number, offset: number): never {
  return invalid('ERR_BODY_LONG', `body of command ${cmd} has ${n} bytes, ends at ${expected}`, offset, { cmd, needed: expected, available: n });
}

/** Throws ERR_EMPTY_BODY. */
export function emptyBody(cmd: number, n: number, offset: number): never {
  return invalid('ERR_EMPTY_BODY', n === 0 ? `command ${cmd} needs a body` : `command ${cmd} takes no body, got ${n} bytes`, offset, { cmd, available: n });
}

/** Throws ERR_TAIL_LENGTH: a length field says `needed` bytes follow, `available` do. */
export function tailLength(cmd: number, field: string, needed: number | bigint, available: number, offset: number): never {
  return invalid('ERR_TAIL_LENGTH', `${field} announces ${needed} bytes, ${available} follow`, offset, {
    cmd,
    field,
    needed: Number(needed),
    available,
  });
}

/** Throws ERR_BAD_VALUE unless the `n` bytes at absolute offset `o` (message offset `offset`) are zero: C tail padding. */
export function zeroPad(v: DataView, o: number, n: number, cmd: number, offset: number): void {
  for (let i = 0; i < n; i++) {
    if (v.getUint8(o + i) !== 0) invalid('ERR_BAD_VALUE', `padding byte ${i} after the body of command ${cmd} is not 0`, offset + i, { cmd, field: 'padding', value: v.getUint8(o + i) });
  }
}

/** Throws ERR_BAD_FLAGS. */
export function badFlags(cmd: number, field: string, value: number, offset: number, why: string): never {
  return invalid('ERR_BAD_FLAGS', `${field} = 0x${value.toString(16)}: ${why}`, offset, { cmd, field, value });
}

/** Throws ERR_ARGSZ. */
export function badArgsz(cmd: number, field: string, argsz: number, needed: number, offset: number): never {
  return invalid('ERR_ARGSZ', `${field} = ${argsz}, below ${needed}`, offset, { cmd, field, value: argsz, needed });
}

/** Throws ERR_LIMIT unless `value <= limit`. */
export function checkLimit(name: string, limit: number, value: number | bigint, offset: number, cmd: number): void {
  if (value > limit) overLimit(name, limit, Number(value), offset, cmd);
}

/** Throws ERR_LIMIT: `value` exceeds the limit `name` (the generated decoder compares inline and calls this to throw). */
export function limitExceeded(name: string, limit: number, value: number | bigint, offset: number, cmd: number): never {
  return overLimit(name, limit, Number(value), offset, cmd);
}

/** Throws ERR_ENCODE_FIELD for a value that does not fit its wire type. */
export function badField(field: string, value: unknown): never {
  const why = value === undefined ? 'is missing' : typeof value === 'bigint' || typeof value === 'number' ? `${describe(value)} does not fit its wire type` : `${describe(value)} (a ${typeof value}) is not a number of its wire type`;
  return encodeError('ERR_ENCODE_FIELD', `${field}: ${why}`, { field, value: describe(value) });
}

/** Throws ERR_ENCODE_LENGTH: a length field and its tail disagree. */
export function encodeLength(field: string, declared: number | bigint, actual: number): never {
  return encodeError('ERR_ENCODE_LENGTH', `${field} = ${declared} but the tail has ${actual} bytes`, { field, needed: Number(declared), available: actual });
}

/** Throws ERR_ENCODE_SHAPE. */
export function badShape(what: string): never {
  return encodeError('ERR_ENCODE_SHAPE', what);
}

/** Checks a u64 value for encoding. */
export function isU64(x: unknown): x is bigint {
  return typeof x === 'bigint' && x >= 0n && x <= 0xffffffffffffffffn;
}

/** Checks a Uint8Array tail for encoding. */
export function checkBytes(field: string, x: unknown): Uint8Array {
  if (!(x instanceof Uint8Array)) notBytes(field);
  return x;
}

/** The refusal of a field that must be a Uint8Array (the generated code tests inline and calls this to throw). */
export function notBytes(field: string): never {
  return badShape(`${field} must be a Uint8Array`);
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** Checks an array tail for encoding. */
export function checkArray(field: string, x: unknown): readonly unknown[] {
  if (!Array.isArray(x)) notArray(field);
  return x;
}

/** The refusal of a field that must be an array (the generated code tests inline and calls this to throw). */
export function notArray(field: string): never {
  return badShape(`${field} must be an array`);
}

/** Throws ERR_BAD_VALUE: the u64 `x` (a page size) is not a power of two. */
export function notPowerOfTwo(x: bigint, field: string, offset: number, cmd: number): never {
  return invalid('ERR_BAD_VALUE', `${field} = ${x} is not a power of two`, offset, { cmd, field, value: x });
}

/** Throws ERR_BAD_VALUE: a bitmap size field disagrees with the size its window and page size give. */
export function badBitmapSize(cmd: number, field: string, value: bigint, needed: bigint, offset: number): never {
  return invalid('ERR_BAD_VALUE', `${field} = ${value}, the window needs ${needed}`, offset, { cmd, field, value });
}

/** Throws ERR_FEATURE_PAYLOAD: a payload chosen by its fields has `n` bytes where it needs `needed`. */
export function badPayload(cmd: number, field: string, n: number, needed: number | bigint, offset: number): never {
  return invalid('ERR_FEATURE_PAYLOAD', `${field} carries ${n} bytes, needs ${needed}`, offset, { cmd, field, available: n });
}

/** Throws ERR_STRIDE: `n` bytes for `count` entries match no member of the union. */
export function badStride(cmd: number, field: string, n: number, count: number, sizes: readonly number[], offset: number): never {
  return invalid('ERR_STRIDE', `${field}: ${n} bytes for ${count} entries is not ${sizes.join(' or ')} per entry`, offset, { cmd, field, needed: count * Math.max(...sizes), available: n });
}

