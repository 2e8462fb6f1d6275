/**
 * (b) of the benchmark: a hand-written DataView codec for every message of
 * the default dialect (draft commands off), written as fast as it
 * practically can be, as the reference the package's generated codec is
 * measured against.
 *
 * It has the package's API shape (a Uint8Array in, a Message out; a Message,
 * a target and an offset in, a byte count out), returns the same objects
 * (same field names, bigint for u64, Uint8Array views for tails) and makes
 * the same checks in the same order, throwing the package's error classes
 * with the same codes and offsets. run.ts checks both at start-up: equal
 * results and equal bytes for every input, and the same outcome for
 * thousands of corrupted inputs.
 *
 * What it does differently, and is free to: decoding in one function, with
 * one switch per kind whose case holds its body's code, every check inline
 * (the package's generated decoder has the same shape, and carries every
 * dialect); encoding in one function per message,
 * whose case for each body sizes it from its tails' lengths, checks the room,
 * then checks and writes each field in place, once (only the capability
 * chain is planned before it is written); one remembered DataView per
 * direction (the last buffer decoded from, the last encoded into) instead of
 * a WeakMap lookup;
 * no options resolution (it takes ResolvedOptions); dirty-bitmap sizes
 * computed with doubles when the values allow it exactly, bigint otherwise;
 * a capability chain checked without Set, Map, closures or sorted copies;
 * error messages built only on the cold paths. The VERSION JSON is read by the package's
 * own strict fast path (src/version-json.ts), the rest by parseVersionJson, so
 * the VERSION rows compare framing only.
 */
import type {
  vfio_region_sparse_mmap_area,
  vfio_user_bitmap,
  vfio_user_bitmap_range,
  vfio_user_device_feature_dma_logging_range,
  vfio_user_header,
  vfio_user_sub_region_ioeventfd,
  vfio_user_sub_region_ioregionfd,
  VFIOUserWROne,
} from '../generated/ts/structs.js';
import type { DeviceFeatureData, DirtyBitmapRangeWithData, Message, RegionCap, UnmapBitmapWithData } from '../generated/ts/messages.js';
import { parseVersionJson } from '../src/capabilities.js';
import { readVersionFast } from '../src/version-json.js';
import { VfioUserEncodeError, VfioUserInvalidError, VfioUserLimitError, VfioUserTruncatedError, type ErrorCode } from '../src/errors.js';
import type { ResolvedOptions } from '../src/options.js';

// ---------------------------------------------------------------------------
// Errors (cold paths)

function fail(code: ErrorCode, offset: number, cmd?: number): never {
  throw new VfioUserInvalidError(code, code, offset, cmd === undefined ? {} : { cmd });
}
function short(cmd: number, offset: number): never {
  return fail('ERR_BODY_SHORT', offset, cmd);
}
function long(cmd: number, offset: number): never {
  return fail('ERR_BODY_LONG', offset, cmd);
}
function limit(name: string, lim: number, value: number | bigint, offset: number, cmd: number): never {
  throw new VfioUserLimitError('ERR_LIMIT', name, offset, { cmd, limitName: name, limit: lim, value: Number(value) });
}
function encFail(code: ErrorCode, field?: string): never {
  throw new VfioUserEncodeError(code, code, 0, field === undefined ? {} : { field });
}
function field(name: string): never {
  return encFail('ERR_ENCODE_FIELD', name);
}
function shape(): never {
  return encFail('ERR_ENCODE_SHAPE');
}
function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}
function u64ok(x: unknown): x is bigint {
  return typeof x === 'bigint' && x >= 0n && x <= 0xffffffffffffffffn;
}
function bytesOf(x: unknown): Uint8Array {
  if (!(x instanceof Uint8Array)) shape();
  return x;
}
function arrayOf(x: unknown): readonly unknown[] {
  if (!Array.isArray(x)) shape();
  return x;
}

// ---------------------------------------------------------------------------
// The remembered views: the last buffer decoded from, the last encoded into

let inBuf: ArrayBufferLike | null = null;
let inView: DataView = new DataView(new ArrayBuffer(0));
/** The last target encoded into, remembered by the Uint8Array itself: its buffer never changes, and reading `.buffer` is a runtime call. */
let outTarget: Uint8Array | null = null;
let outView: DataView = new DataView(new ArrayBuffer(0));
let outBytes: Uint8Array = new Uint8Array(0);
/** The header writer's own: the last buffer and its view. */
let headerBuf: ArrayBufferLike | null = null;
let headerView: DataView = new DataView(new ArrayBuffer(0));

function rememberIn(buf: ArrayBufferLike): DataView {
  inBuf = buf;
  inView = new DataView(buf);
  return inView;
}

function rememberOut(target: Uint8Array): DataView {
  const buf = target.buffer;
  outTarget = target;
  outView = new DataView(buf);
  outBytes = new Uint8Array(buf);
  return outView;
}

function rememberHeaderBuffer(buf: ArrayBufferLike): DataView {
  headerBuf = buf;
  headerView = new DataView(buf);
  return headerView;
}

// ---------------------------------------------------------------------------
// Dirty-bitmap arithmetic: doubles when exact, bigint otherwise

const TWO53 = 9007199254740992n;

/** isPowerOfTwo(p) for a u64: int32 bit arithmetic below 2^32, bigint above. */
function pow2(p: bigint): boolean {
  if (p < 4294967296n) {
    const x = Number(p);
    // ToInt32 keeps the low 32 bits, which are all of x here.
    return x !== 0 && (x & (x - 1)) === 0;
  }
  return (p & (p - 1n)) === 0n;
}

/** bitmapBytes(length, pgsize) === size, pgsize a power of two. */
function bitmapMatches(length: bigint, pgsize: bigint, size: bigint): boolean {
  if (length < TWO53 && pgsize <= TWO53 && size < TWO53) {
    const pages = Math.ceil(Number(length) / Number(pgsize));
    return Math.ceil(pages / 64) * 8 === Number(size);
  }
  return ((((length + pgsize - 1n) / pgsize + 63n) / 64n) * 8n) === size;
}

/** bitmapBytes(length, pgsize) as a bigint, pgsize a power of two. */
function bitmapSize(length: bigint, pgsize: bigint): bigint {
  return (((length + pgsize - 1n) / pgsize + 63n) / 64n) * 8n;
}

// ---------------------------------------------------------------------------
// Decode: one function. One switch per kind whose case holds its body's code, every check inline; only the
// throwing (which builds the error), the capability chain walk and the VERSION JSON are calls.

/** Decodes one whole message, like the package's decode(bytes, opt). */
export function handDecode(bytes: Uint8Array, opt: ResolvedOptions): Message {
  const avail = bytes.length;
  if (avail < 16) throw new VfioUserTruncatedError('ERR_NEED_MORE', 'header', 0, { needed: 16, available: avail });
  const buf = bytes.buffer;
  const v = buf === inBuf ? inView : rememberIn(buf);
  const m0 = bytes.byteOffset;
  const msg_id = v.getUint16(m0, true);
  const cmd = v.getUint16(m0 + 2, true);
  const msgSize = v.getUint32(m0 + 4, true);
  if (msgSize < 16) fail('ERR_MSG_SIZE_SMALL', 4, cmd);
  if (msgSize > opt.limits.maxMessageSize) {
    throw new VfioUserLimitError('ERR_MESSAGE_TOO_LARGE', 'msg_size', 4, { cmd, value: msgSize, limitName: 'maxMessageSize', limit: opt.limits.maxMessageSize, msgId: msg_id });
  }
  if (avail < msgSize) throw new VfioUserTruncatedError('ERR_NEED_MORE', 'msg_size', avail, { needed: msgSize, available: avail, cmd });
  if (avail > msgSize) fail('ERR_MSG_SIZE_MISMATCH', msgSize, cmd);
  const flags = v.getUint32(m0 + 8, true);
  const error_no = v.getUint32(m0 + 12, true);
  const type = flags & 0xf;
  const o = m0 + 16;
  const n = msgSize - 16;
  if (type === 1 && (flags & 0x20) !== 0) {
    if (error_no > opt.limits.maxErrorNo) fail('ERR_ERRNO_RANGE', 12, cmd);
    return { kind: 'error', cmd, msg_id, flags, error_no, body: new Uint8Array(buf, o, n) };
  }
  if (type > 1 || (flags & 0x20) !== 0) fail('ERR_BAD_TYPE', 8, cmd);
  if (cmd < 1 || cmd > 26) {
    if (opt.allowUnknownCommands) return { kind: 'raw', cmd, msg_id, flags, error_no, body: new Uint8Array(buf, o, n) };
    fail('ERR_UNKNOWN_COMMAND', 2, cmd);
  }
  let body: unknown;
  if (type === 0) {
    switch (cmd) {
      case 1: {
        if (n < 4) short(1, o - m0);
        const major = v.getUint16(o, true);
        const minor = v.getUint16(o + 2, true);
        const len = n - 4;
        if (len === 0) {
          body = { major, minor, data: new Uint8Array(buf, o + 4, 0), json: null };
          break;
        }
        const data = new Uint8Array(buf, o + 4, len - 1);
        // The strict fast path on the text as it is; anything else, errors included, through the full parser.
        const strict = len <= opt.limits.maxJsonBytes && v.getUint8(o + 4 + len - 1) === 0 ? readVersionFast(data, len - 1, opt.limits.maxJsonDepth) : undefined;
        body = { major, minor, data, json: strict ?? parseVersionJson(new Uint8Array(buf, o + 4, len), o + 4 - m0, opt.limits) };
        break;
      }
      case 2: {
        if (n < 32) short(2, o - m0);
        const argsz = v.getUint32(o, true);
        const f = v.getUint32(o + 4, true);
        if (argsz < n) fail('ERR_ARGSZ', o - m0, 2);
        if ((f & ~0xf) !== 0 || (f & 0xc) === 0xc) fail('ERR_BAD_FLAGS', o + 4 - m0, 2);
        if (n !== 32) long(2, o + 32 - m0);
        body = { argsz, flags: f, offset: v.getBigUint64(o + 8, true), addr: v.getBigUint64(o + 16, true), size: v.getBigUint64(o + 24, true) };
        break;
      }
      case 3: {
        if (n < 24) short(3, o - m0);
        const argsz = v.getUint32(o, true);
        const f = v.getUint32(o + 4, true);
        const addr = v.getBigUint64(o + 8, true);
        const size = v.getBigUint64(o + 16, true);
        if (argsz < n) fail('ERR_ARGSZ', o - m0, 3);
        if (f !== 0 && f !== 1 && f !== 2) fail('ERR_BAD_FLAGS', o + 4 - m0, 3);
        const t = o + 24;
        const tn = n - 24;
        let bitmap: vfio_user_bitmap | null = null;
        if ((f & 1) === 0) {
          if (tn !== 0) long(3, t - m0);
        } else {
          if (tn < 16) short(3, t - m0 - 24);
          const pgsize = v.getBigUint64(t, true);
          const bsize = v.getBigUint64(t + 8, true);
          if (bsize > opt.limits.maxBitmapBytes) limit('maxBitmapBytes', opt.limits.maxBitmapBytes, bsize, t + 8 - m0, 3);
          if (!pow2(pgsize)) fail('ERR_BAD_VALUE', t - m0, 3);
          if (!bitmapMatches(size, pgsize, bsize)) fail('ERR_BAD_VALUE', t + 8 - m0, 3);
          if (tn !== 16) long(3, t + 16 - m0);
          if (argsz < 40 + Number(bsize)) fail('ERR_ARGSZ', t - 24 - m0, 3);
          bitmap = { pgsize, size: bsize };
        }
        body = { argsz, flags: f, addr, size, bitmap };
        break;
      }
      case 4: {
        if (n < 16) short(4, o - m0);
        const argsz = v.getUint32(o, true);
        if (argsz < n) fail('ERR_ARGSZ', o - m0, 4);
        if (n !== 16) long(4, o + 16 - m0);
        body = { argsz, flags: v.getUint32(o + 4, true), num_regions: v.getUint32(o + 8, true), num_irqs: v.getUint32(o + 12, true) };
        break;
      }
      case 5: {
        if (n < 32) short(5, o - m0);
        const argsz = v.getUint32(o, true);
        if (argsz < n) fail('ERR_ARGSZ', o - m0, 5);
        body = {
          argsz,
          flags: v.getUint32(o + 4, true),
          index: v.getUint32(o + 8, true),
          cap_offset: v.getUint32(o + 12, true),
          size: v.getBigUint64(o + 16, true),
          offset: v.getBigUint64(o + 24, true),
          padding: new Uint8Array(buf, o + 32, n - 32),
        };
        break;
      }
      case 6: {
        if (n < 16) short(6, o - m0);
        const argsz = v.getUint32(o, true);
        const f = v.getUint32(o + 4, true);
        const count = v.getUint32(o + 12, true);
        if (argsz < n) fail('ERR_ARGSZ', o - m0, 6);
        if (f !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 6);
        if (count !== 0) fail('ERR_BAD_FLAGS', o + 12 - m0, 6);
        if (n !== 16) long(6, o + 16 - m0);
        body = { argsz, flags: f, index: v.getUint32(o + 8, true), count };
        break;
      }
      case 7: {
        if (n < 16) short(7, o - m0);
        const argsz = v.getUint32(o, true);
        if (argsz < n) fail('ERR_ARGSZ', o - m0, 7);
        if (n !== 16) long(7, o + 16 - m0);
        body = { argsz, flags: v.getUint32(o + 4, true), index: v.getUint32(o + 8, true), count: v.getUint32(o + 12, true) };
        break;
      }
      case 8: {
        if (n < 20) short(8, o - m0);
        const argsz = v.getUint32(o, true);
        const f = v.getUint32(o + 4, true);
        const count = v.getUint32(o + 16, true);
        if (argsz < n) fail('ERR_ARGSZ', o - m0, 8);
        // Unknown bits, or not exactly one action bit (0x7) and one data bit (0x38).
        const action = f & 0x7;
        const data = f & 0x38;
        if ((f & ~0x3f) !== 0 || action === 0 || (action & (action - 1)) !== 0 || data === 0 || (data & (data - 1)) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 8);
        if (count > opt.limits.maxIrqVectors) limit('maxIrqVectors', opt.limits.maxIrqVectors, count, o + 16 - m0, 8);
        const len = (f & 0x2) !== 0 ? count : 0;
        if (n !== 20 + len) fail('ERR_TAIL_LENGTH', o + 16 - m0, 8);
        body = { argsz, flags: f, index: v.getUint32(o + 8, true), start: v.getUint32(o + 12, true), count, data: new Uint8Array(buf, o + 20, len) };
        break;
      }
      case 9: {
        if (n < 16) short(9, o - m0);
        const count = v.getUint32(o + 12, true);
        if (count > opt.limits.maxDataXferSize) limit('maxDataXferSize', opt.limits.maxDataXferSize, count, o + 12 - m0, 9);
        if (n !== 16) long(9, o + 16 - m0);
        body = { offset: v.getBigUint64(o, true), region: v.getUint32(o + 8, true), count };
        break;
      }
      case 10: {
        if (n < 16) short(10, o - m0);
        const count = v.getUint32(o + 12, true);
        if (count > opt.limits.maxDataXferSize) limit('maxDataXferSize', opt.limits.maxDataXferSize, count, o + 12 - m0, 10);
        if (n !== 16 + count) fail('ERR_TAIL_LENGTH', o + 12 - m0, 10);
        body = { offset: v.getBigUint64(o, true), region: v.getUint32(o + 8, true), count, data: new Uint8Array(buf, o + 16, count) };
        break;
      }
      case 11: {
        if (n < 16) short(11, o - m0);
        const count = v.getBigUint64(o + 8, true);
        if (count > opt.limits.maxDataXferSize) limit('maxDataXferSize', opt.limits.maxDataXferSize, count, o + 8 - m0, 11);
        if (n !== 16) long(11, o + 16 - m0);
        body = { addr: v.getBigUint64(o, true), count };
        break;
      }
      case 12: {
        if (n < 16) short(12, o - m0);
        const count = v.getBigUint64(o + 8, true);
        if (count > opt.limits.maxDataXferSize) limit('maxDataXferSize', opt.limits.maxDataXferSize, count, o + 8 - m0, 12);
        const len = Number(count);
        if (n !== 16 + len) fail('ERR_TAIL_LENGTH', o + 8 - m0, 12);
        body = { addr: v.getBigUint64(o, true), count, data: new Uint8Array(buf, o + 16, len) };
        break;
      }
      case 13:
        if (n !== 0) fail('ERR_EMPTY_BODY', o - m0, 13);
        body = null;
        break;
      case 14: {
        if (n < 8) short(14, o - m0);
        const argsz = v.getUint32(o, true);
        const f = v.getUint32(o + 4, true);
        const op = f & 0x7;
        if ((f & ~0x7) !== 0 || op === 0 || (op & (op - 1)) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 14);
        const t = o + 8;
        const tn = n - 8;
        if ((f & 0x4) === 0) {
          if (tn !== 0) long(14, t - m0);
          body = { argsz, flags: f, range: null };
          break;
        }
        if (tn < 32) short(14, t - 8 - m0);
        const bsize = v.getBigUint64(t + 24, true);
        if (bsize > opt.limits.maxBitmapBytes) limit('maxBitmapBytes', opt.limits.maxBitmapBytes, bsize, t + 24 - m0, 14);
        if (tn !== 32) long(14, t + 32 - m0);
        const range: vfio_user_bitmap_range = { iova: v.getBigUint64(t, true), size: v.getBigUint64(t + 8, true), bitmap: { pgsize: v.getBigUint64(t + 16, true), size: bsize } };
        body = { argsz, flags: f, range };
        break;
      }
      case 15: {
        if (n < 8) short(15, o - m0);
        const wr_cnt = v.getBigUint64(o, true);
        if (wr_cnt > opt.limits.maxWriteMultiEntries) limit('maxWriteMultiEntries', opt.limits.maxWriteMultiEntries, wr_cnt, o - m0, 15);
        const cnt = Number(wr_cnt);
        if (n !== 8 + cnt * 24) fail('ERR_TAIL_LENGTH', o - m0, 15);
        const wrs = new Array<VFIOUserWROne>(cnt);
        for (let i = 0; i < cnt; i++) {
          const e = o + 8 + i * 24;
          const count = v.getUint32(e + 12, true);
          if (count > 8) fail('ERR_TAIL_LENGTH', e + 12 - m0, 15);
          wrs[i] = { offset: v.getBigUint64(e, true), region: v.getUint32(e + 8, true), count, data: new Uint8Array(buf, e + 16, 8) };
        }
        body = { wr_cnt, wrs };
        break;
      }
      case 16: {
        if (n < 8) short(16, o - m0);
        const argsz = v.getUint32(o, true);
        const f = v.getUint32(o + 4, true);
        if (argsz < n) fail('ERR_ARGSZ', o - m0, 16);
        if ((f & ~0x7ffff) !== 0 || (f & 0x70000) === 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 16);
        // The payload, chosen by the feature id and the operation.
        const p = o + 8;
        const pn = n - 8;
        const id = f & 0xffff;
        const op = f & 0x70000;
        let data: DeviceFeatureData;
        if (op === 0x10000 && (id === 1 || id === 2)) {
          if (pn !== 0) fail('ERR_FEATURE_PAYLOAD', p - m0, 16);
          data = { kind: 'none' };
        } else if (op === 0x10000 && id === 8) {
          if (pn !== 24) fail('ERR_FEATURE_PAYLOAD', p - m0, 16);
          data = { kind: 'dma_logging_report', iova: v.getBigUint64(p, true), length: v.getBigUint64(p + 8, true), page_size: v.getBigUint64(p + 16, true), bitmap: new Uint8Array(buf, p + 24, 0) };
        } else if (op === 0x20000 && id === 2) {
          if (pn !== 8) fail('ERR_FEATURE_PAYLOAD', p - m0, 16);
          data = { kind: 'mig_state', device_state: v.getUint32(p, true), data_fd: v.getUint32(p + 4, true) };
        } else if (op === 0x20000 && (id === 6 || id === 7)) {
          if (pn < 16) fail('ERR_FEATURE_PAYLOAD', p - m0, 16);
          const num = v.getUint32(p + 8, true);
          if (num > opt.limits.maxLoggingRanges) limit('maxLoggingRanges', opt.limits.maxLoggingRanges, num, p + 8 - m0, 16);
          if (pn !== 16 + num * 16) fail('ERR_TAIL_LENGTH', p + 8 - m0, 16);
          const ranges = new Array<vfio_user_device_feature_dma_logging_range>(num);
          for (let i = 0; i < num; i++) {
            const e = p + 16 + i * 16;
            ranges[i] = { iova: v.getBigUint64(e, true), length: v.getBigUint64(e + 8, true) };
          }
          data = { kind: 'dma_logging_control', page_size: v.getBigUint64(p, true), num_ranges: num, reserved: v.getUint32(p + 12, true), ranges };
        } else {
          data = { kind: 'raw', bytes: new Uint8Array(buf, p, pn) };
        }
        body = { argsz, flags: f, data };
        break;
      }
      case 17: {
        if (n < 8) short(17, o - m0);
        const size = v.getUint32(o + 4, true);
        if (size > opt.limits.maxDataXferSize) limit('maxDataXferSize', opt.limits.maxDataXferSize, size, o + 4 - m0, 17);
        if (n !== 8) long(17, o + 8 - m0);
        body = { argsz: v.getUint32(o, true), size };
        break;
      }
      case 18: {
        if (n < 8) short(18, o - m0);
        const argsz = v.getUint32(o, true);
        const size = v.getUint32(o + 4, true);
        if (argsz < n) fail('ERR_ARGSZ', o - m0, 18);
        if (size > opt.limits.maxDataXferSize) limit('maxDataXferSize', opt.limits.maxDataXferSize, size, o + 4 - m0, 18);
        if (n !== 8 + size) fail('ERR_TAIL_LENGTH', o + 4 - m0, 18);
        body = { argsz, size, data: new Uint8Array(buf, o + 8, size) };
        break;
      }
      case 19: {
        if (n < 16) short(19, o - m0);
        if (v.getUint32(o + 4, true) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 19);
        if (v.getUint32(o + 12, true) !== 0) fail('ERR_BAD_FLAGS', o + 12 - m0, 19);
        if (n !== 16) long(19, o + 16 - m0);
        body = { argsz: v.getUint32(o, true), flags: v.getUint32(o + 4, true), out_ioas_id: v.getUint32(o + 8, true), __reserved: v.getUint32(o + 12, true) };
        break;
      }
      case 20: {
        if (n < 16) short(20, o - m0);
        if (v.getUint32(o + 4, true) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 20);
        if (v.getUint32(o + 12, true) !== 0) fail('ERR_BAD_FLAGS', o + 12 - m0, 20);
        if (n !== 16) long(20, o + 16 - m0);
        body = { argsz: v.getUint32(o, true), flags: v.getUint32(o + 4, true), ioas_id: v.getUint32(o + 8, true), __reserved: v.getUint32(o + 12, true) };
        break;
      }
      case 21: {
        if (n < 48) short(21, o - m0);
        const f = v.getUint32(o + 4, true);
        if ((f & ~0x3) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 21);
        if (v.getUint32(o + 12, true) !== 0) fail('ERR_BAD_FLAGS', o + 12 - m0, 21);
        if (n !== 48) long(21, o + 48 - m0);
        body = {
          argsz: v.getUint32(o, true),
          flags: f,
          ioas_id: v.getUint32(o + 8, true),
          __reserved: v.getUint32(o + 12, true),
          user_va: v.getBigUint64(o + 16, true),
          length: v.getBigUint64(o + 24, true),
          iova: v.getBigUint64(o + 32, true),
          offset: v.getBigUint64(o + 40, true),
        };
        break;
      }
      case 22: {
        if (n < 32) short(22, o - m0);
        const f = v.getUint32(o + 4, true);
        if ((f & ~0x1) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 22);
        if (v.getUint32(o + 12, true) !== 0) fail('ERR_BAD_FLAGS', o + 12 - m0, 22);
        if (n !== 32) long(22, o + 32 - m0);
        body = { argsz: v.getUint32(o, true), flags: f, ioas_id: v.getUint32(o + 8, true), __reserved: v.getUint32(o + 12, true), iova: v.getBigUint64(o + 16, true), length: v.getBigUint64(o + 24, true) };
        break;
      }
      case 23: {
        if (n < 40) short(23, o - m0);
        if ((v.getUint32(o + 4, true) & ~0x3) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 23);
        if (n !== 40) long(23, o + 40 - m0);
        body = {
          argsz: v.getUint32(o, true),
          flags: v.getUint32(o + 4, true),
          src_ioas_id: v.getUint32(o + 8, true),
          dst_ioas_id: v.getUint32(o + 12, true),
          src_iova: v.getBigUint64(o + 16, true),
          dst_iova: v.getBigUint64(o + 24, true),
          length: v.getBigUint64(o + 32, true),
        };
        break;
      }
      case 24: {
        if (n < 16) short(24, o - m0);
        if (v.getUint32(o + 4, true) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 24);
        if (n !== 16) long(24, o + 16 - m0);
        body = { argsz: v.getUint32(o, true), flags: v.getUint32(o + 4, true), iommufd: v.getInt32(o + 8, true), out_devid: v.getUint32(o + 12, true) };
        break;
      }
      case 25: {
        if (n < 16) short(25, o - m0);
        const f = v.getUint32(o + 4, true);
        if ((f & ~0x1) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 25);
        if (n !== 16) long(25, o + 16 - m0);
        body = { argsz: v.getUint32(o, true), flags: f, pt_id: v.getUint32(o + 8, true), pasid: v.getUint32(o + 12, true) };
        break;
      }
      default: {
        if (n < 16) short(26, o - m0);
        const f = v.getUint32(o + 4, true);
        if ((f & ~0x1) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 26);
        if (v.getUint32(o + 12, true) !== 0) fail('ERR_BAD_FLAGS', o + 12 - m0, 26);
        if (n !== 16) long(26, o + 16 - m0);
        body = { argsz: v.getUint32(o, true), flags: f, pasid: v.getUint32(o + 8, true), __reserved: v.getUint32(o + 12, true) };
        break;
      }
    }
    return { kind: 'command', cmd, msg_id, flags, error_no, body } as Message;
  }
  switch (cmd) {
    case 1: {
      if (n < 4) short(1, o - m0);
      const major = v.getUint16(o, true);
      const minor = v.getUint16(o + 2, true);
      const len = n - 4;
      if (len === 0) {
        body = { major, minor, data: new Uint8Array(buf, o + 4, 0), json: null };
        break;
      }
      const data = new Uint8Array(buf, o + 4, len - 1);
      // The strict fast path on the text as it is; anything else, errors included, through the full parser.
      const strict = len <= opt.limits.maxJsonBytes && v.getUint8(o + 4 + len - 1) === 0 ? readVersionFast(data, len - 1, opt.limits.maxJsonDepth) : undefined;
      body = { major, minor, data, json: strict ?? parseVersionJson(new Uint8Array(buf, o + 4, len), o + 4 - m0, opt.limits) };
      break;
    }
    case 3: {
      if (n < 24) short(3, o - m0);
      const argsz = v.getUint32(o, true);
      const f = v.getUint32(o + 4, true);
      const addr = v.getBigUint64(o + 8, true);
      const size = v.getBigUint64(o + 16, true);
      if (f !== 0 && f !== 1 && f !== 2) fail('ERR_BAD_FLAGS', o + 4 - m0, 3);
      const t = o + 24;
      const tn = n - 24;
      let bitmap: UnmapBitmapWithData | null = null;
      if ((f & 1) === 0) {
        if (tn !== 0) long(3, t - m0);
      } else {
        if (tn < 16) short(3, t - m0 - 24);
        const pgsize = v.getBigUint64(t, true);
        const bsize = v.getBigUint64(t + 8, true);
        if (bsize > opt.limits.maxBitmapBytes) limit('maxBitmapBytes', opt.limits.maxBitmapBytes, bsize, t + 8 - m0, 3);
        if (!pow2(pgsize)) fail('ERR_BAD_VALUE', t - m0, 3);
        if (!bitmapMatches(size, pgsize, bsize)) fail('ERR_BAD_VALUE', t + 8 - m0, 3);
        const nb = Number(bsize);
        if (tn !== 16 + nb) fail('ERR_TAIL_LENGTH', t + 8 - m0, 3);
        bitmap = { pgsize, size: bsize, data: new Uint8Array(buf, t + 16, nb) };
      }
      body = { argsz, flags: f, addr, size, bitmap };
      break;
    }
    case 4: {
      if (n < 16) short(4, o - m0);
      const f = v.getUint32(o + 4, true);
      if ((f & ~0xff) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 4);
      if (n !== 16) long(4, o + 16 - m0);
      body = { argsz: v.getUint32(o, true), flags: f, num_regions: v.getUint32(o + 8, true), num_irqs: v.getUint32(o + 12, true) };
      break;
    }
    case 5: {
      if (n < 32) short(5, o - m0);
      const f = v.getUint32(o + 4, true);
      const cap_offset = v.getUint32(o + 12, true);
      const size = v.getBigUint64(o + 16, true);
      const offset = v.getBigUint64(o + 24, true);
      if ((f & ~0xf) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 5);
      let caps: RegionCap[];
      if ((f & 0x8) === 0) {
        if (n !== 32) long(5, o + 32 - m0);
        caps = [];
      } else {
        caps = regionCaps(v, buf, o, n, cap_offset, m0, opt);
      }
      body = { argsz: v.getUint32(o, true), flags: f, index: v.getUint32(o + 8, true), cap_offset, size, offset, caps };
      break;
    }
    case 6: {
      if (n < 16) short(6, o - m0);
      const argsz = v.getUint32(o, true);
      const f = v.getUint32(o + 4, true);
      const index = v.getUint32(o + 8, true);
      const count = v.getUint32(o + 12, true);
      if (f !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 6);
      if (count > opt.limits.maxSubRegions) limit('maxSubRegions', opt.limits.maxSubRegions, count, o + 12 - m0, 6);
      const t = o + 16;
      const tn = n - 16;
      let sub_regions: vfio_user_sub_region_ioeventfd[] | vfio_user_sub_region_ioregionfd[];
      if (tn === 0) {
        sub_regions = [];
      } else if (count === 0) {
        return long(6, t - m0);
      } else if (tn === count * 48) {
        const out = new Array<vfio_user_sub_region_ioeventfd>(count);
        for (let i = 0; i < count; i++) {
          const e = t + i * 48;
          out[i] = {
            gpa_offset: v.getBigUint64(e, true),
            size: v.getBigUint64(e + 8, true),
            fd_index: v.getUint32(e + 16, true),
            type: v.getUint32(e + 20, true),
            flags: v.getUint32(e + 24, true),
            shadow_mem_fd_index: v.getUint32(e + 28, true),
            shadow_offset: v.getBigUint64(e + 32, true),
            datamatch: v.getBigUint64(e + 40, true),
          };
        }
        sub_regions = out;
      } else if (tn === count * 40) {
        const out = new Array<vfio_user_sub_region_ioregionfd>(count);
        for (let i = 0; i < count; i++) {
          const e = t + i * 40;
          out[i] = {
            offset: v.getBigUint64(e, true),
            size: v.getBigUint64(e + 8, true),
            fd_index: v.getUint32(e + 16, true),
            type: v.getUint32(e + 20, true),
            flags: v.getUint32(e + 24, true),
            padding: v.getUint32(e + 28, true),
            user_data: v.getBigUint64(e + 32, true),
          };
        }
        sub_regions = out;
      } else {
        return fail('ERR_STRIDE', t - m0, 6);
      }
      body = { argsz, flags: f, index, count, sub_regions };
      break;
    }
    case 7: {
      if (n < 16) short(7, o - m0);
      const f = v.getUint32(o + 4, true);
      if ((f & ~0xf) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 7);
      if (n !== 16) long(7, o + 16 - m0);
      body = { argsz: v.getUint32(o, true), flags: f, index: v.getUint32(o + 8, true), count: v.getUint32(o + 12, true) };
      break;
    }
    case 9: {
      if (n === 0) {
        body = null;
        break;
      }
      if (n < 16) short(9, o - m0);
      const count = v.getUint32(o + 12, true);
      if (count > opt.limits.maxDataXferSize) limit('maxDataXferSize', opt.limits.maxDataXferSize, count, o + 12 - m0, 9);
      if (n !== 16 + count) fail('ERR_TAIL_LENGTH', o + 12 - m0, 9);
      body = { offset: v.getBigUint64(o, true), region: v.getUint32(o + 8, true), count, data: new Uint8Array(buf, o + 16, count) };
      break;
    }
    case 10: {
      if (n === 0) {
        body = null;
        break;
      }
      if (n < 16) short(10, o - m0);
      if (n !== 16) long(10, o + 16 - m0);
      body = { offset: v.getBigUint64(o, true), region: v.getUint32(o + 8, true), count: v.getUint32(o + 12, true) };
      break;
    }
    case 11: {
      if (n < 16) short(11, o - m0);
      const count = v.getBigUint64(o + 8, true);
      if (count > opt.limits.maxDataXferSize) limit('maxDataXferSize', opt.limits.maxDataXferSize, count, o + 8 - m0, 11);
      const len = Number(count);
      if (n !== 16 + len) fail('ERR_TAIL_LENGTH', o + 8 - m0, 11);
      body = { addr: v.getBigUint64(o, true), count, data: new Uint8Array(buf, o + 16, len) };
      break;
    }
    case 12: {
      if (n < 16) short(12, o - m0);
      if (n !== 16) long(12, o + 16 - m0);
      body = { addr: v.getBigUint64(o, true), count: v.getBigUint64(o + 8, true) };
      break;
    }
    case 14: {
      if (n === 0) {
        body = null;
        break;
      }
      if (n < 8) short(14, o - m0);
      const argsz = v.getUint32(o, true);
      const f = v.getUint32(o + 4, true);
      const t = o + 8;
      const tn = n - 8;
      if ((f & 0x4) === 0) {
        if (tn !== 0) long(14, t - m0);
        body = { argsz, flags: f, range: null };
        break;
      }
      if (tn < 32) short(14, t - 8 - m0);
      const bsize = v.getBigUint64(t + 24, true);
      if (bsize > opt.limits.maxBitmapBytes) limit('maxBitmapBytes', opt.limits.maxBitmapBytes, bsize, t + 24 - m0, 14);
      const nb = Number(bsize);
      if (tn !== 32 + nb) fail('ERR_TAIL_LENGTH', t + 24 - m0, 14);
      const range: DirtyBitmapRangeWithData = {
        iova: v.getBigUint64(t, true),
        size: v.getBigUint64(t + 8, true),
        bitmap: { pgsize: v.getBigUint64(t + 16, true), size: bsize },
        data: new Uint8Array(buf, t + 32, nb),
      };
      body = { argsz, flags: f, range };
      break;
    }
    case 15: {
      if (n < 8) short(15, o - m0);
      if (n !== 8) long(15, o + 8 - m0);
      body = { wr_cnt: v.getBigUint64(o, true) };
      break;
    }
    case 16: {
      if (n < 8) short(16, o - m0);
      const argsz = v.getUint32(o, true);
      const f = v.getUint32(o + 4, true);
      if ((f & ~0x7ffff) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 16);
      // The payload, chosen by the feature id and the operation.
      const p = o + 8;
      const pn = n - 8;
      const id = f & 0xffff;
      const op = f & 0x70000;
      let data: DeviceFeatureData;
      if ((op === 0x10000 && id === 1)) {
        if (pn !== 8) fail('ERR_FEATURE_PAYLOAD', p - m0, 16);
        data = { kind: 'migration', flags: v.getBigUint64(p, true) };
      } else if ((op === 0x10000 || op === 0x20000) && id === 2) {
        if (pn !== 8) fail('ERR_FEATURE_PAYLOAD', p - m0, 16);
        data = { kind: 'mig_state', device_state: v.getUint32(p, true), data_fd: v.getUint32(p + 4, true) };
      } else if (op === 0x10000 && id === 8) {
        if (pn < 24) fail('ERR_FEATURE_PAYLOAD', p - m0, 16);
        const length = v.getBigUint64(p + 8, true);
        const page_size = v.getBigUint64(p + 16, true);
        if (!pow2(page_size)) fail('ERR_BAD_VALUE', p + 16 - m0, 16);
        const want = bitmapSize(length, page_size);
        if (want > opt.limits.maxBitmapBytes) limit('maxBitmapBytes', opt.limits.maxBitmapBytes, want, p + 8 - m0, 16);
        if (BigInt(pn - 24) !== want) fail('ERR_FEATURE_PAYLOAD', p - m0, 16);
        data = { kind: 'dma_logging_report', iova: v.getBigUint64(p, true), length, page_size, bitmap: new Uint8Array(buf, p + 24, pn - 24) };
      } else if (op === 0x20000 && (id === 6 || id === 7)) {
        if (pn < 16) fail('ERR_FEATURE_PAYLOAD', p - m0, 16);
        const num = v.getUint32(p + 8, true);
        if (num > opt.limits.maxLoggingRanges) limit('maxLoggingRanges', opt.limits.maxLoggingRanges, num, p + 8 - m0, 16);
        if (pn !== 16 + num * 16) fail('ERR_TAIL_LENGTH', p + 8 - m0, 16);
        const ranges = new Array<vfio_user_device_feature_dma_logging_range>(num);
        for (let i = 0; i < num; i++) {
          const e = p + 16 + i * 16;
          ranges[i] = { iova: v.getBigUint64(e, true), length: v.getBigUint64(e + 8, true) };
        }
        data = { kind: 'dma_logging_control', page_size: v.getBigUint64(p, true), num_ranges: num, reserved: v.getUint32(p + 12, true), ranges };
      } else {
        data = { kind: 'raw', bytes: new Uint8Array(buf, p, pn) };
      }
      body = { argsz, flags: f, data };
      break;
    }
    case 17: {
      if (n < 8) short(17, o - m0);
      const size = v.getUint32(o + 4, true);
      if (size > opt.limits.maxDataXferSize) limit('maxDataXferSize', opt.limits.maxDataXferSize, size, o + 4 - m0, 17);
      if (n < 8 + size) fail('ERR_TAIL_LENGTH', o + 4 - m0, 17);
      body = { argsz: v.getUint32(o, true), size, data: new Uint8Array(buf, o + 8, n - 8) };
      break;
    }
    case 19: {
      if (n < 16) short(19, o - m0);
      if (v.getUint32(o + 4, true) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 19);
      if (v.getUint32(o + 12, true) !== 0) fail('ERR_BAD_FLAGS', o + 12 - m0, 19);
      if (n !== 16) long(19, o + 16 - m0);
      body = { argsz: v.getUint32(o, true), flags: v.getUint32(o + 4, true), out_ioas_id: v.getUint32(o + 8, true), __reserved: v.getUint32(o + 12, true) };
      break;
    }
    case 21: {
      if (n < 48) short(21, o - m0);
      const f = v.getUint32(o + 4, true);
      if ((f & ~0x3) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 21);
      if (v.getUint32(o + 12, true) !== 0) fail('ERR_BAD_FLAGS', o + 12 - m0, 21);
      if (n !== 48) long(21, o + 48 - m0);
      body = {
        argsz: v.getUint32(o, true),
        flags: f,
        ioas_id: v.getUint32(o + 8, true),
        __reserved: v.getUint32(o + 12, true),
        user_va: v.getBigUint64(o + 16, true),
        length: v.getBigUint64(o + 24, true),
        iova: v.getBigUint64(o + 32, true),
        offset: v.getBigUint64(o + 40, true),
      };
      break;
    }
    case 24: {
      if (n < 16) short(24, o - m0);
      if (v.getUint32(o + 4, true) !== 0) fail('ERR_BAD_FLAGS', o + 4 - m0, 24);
      if (n !== 16) long(24, o + 16 - m0);
      body = { argsz: v.getUint32(o, true), flags: v.getUint32(o + 4, true), iommufd: v.getInt32(o + 8, true), out_devid: v.getUint32(o + 12, true) };
      break;
    }
    default:
      // Header-only replies (DMA_MAP, DEVICE_RESET, the iommufd ones...).
      if (n !== 0) fail('ERR_EMPTY_BODY', o - m0, cmd);
      body = null;
      break;
  }
  return { kind: 'reply', cmd, msg_id, flags, error_no, body } as Message;
}

/** The capability chain of a GET_REGION_INFO reply whose flags say it has one: walked, then read in offset order. */
function regionCaps(v: DataView, buf: ArrayBufferLike, o: number, n: number, capOffset: number, m0: number, opt: ResolvedOptions): RegionCap[] {
  if (n === 32) fail('ERR_CAP_CHAIN', o + 4 - m0, 5);
  const maxCaps = opt.limits.maxRegionCaps;
  // Chain order. While the links run forward (as every known server writes them) no repeat is possible and the
  // walk is linear; once one goes back, includes() looks for a loop (at most maxRegionCaps entries).
  const chain: number[] = [];
  let pos = capOffset;
  let at = o + 12;
  let forward = true;
  let last = -1;
  while (pos !== 0) {
    if (chain.length >= maxCaps) limit('maxRegionCaps', maxCaps, chain.length + 1, at - m0, 5);
    if (pos <= last) forward = false;
    if (!forward && chain.includes(pos)) fail('ERR_CAP_CHAIN', at - m0, 5);
    if (pos < 32 || pos + 8 > n) fail('ERR_CAP_CHAIN', at - m0, 5);
    chain.push(pos);
    last = pos;
    at = o + pos + 4;
    pos = v.getUint32(at, true);
  }
  const k = chain.length;
  if (k === 0) fail('ERR_CAP_CHAIN', o + 12 - m0, 5);
  const caps: RegionCap[] = new Array<RegionCap>(k);
  // Visit the capabilities in offset order without sorting a copy: each step takes the smallest offset above the last.
  let prev = -1;
  let p = 32;
  for (let s = 0; s < k; s++) {
    // The smallest offset above prev, and the one after it (the end of this capability): the chain's own order
    // when it runs forward, else a scan (k is at most maxRegionCaps).
    let cur = Infinity;
    let idx = -1;
    let end = n;
    if (forward) {
      idx = s;
      cur = chain[s]!;
      if (s + 1 < k) end = chain[s + 1]!;
    } else {
      for (let i = 0; i < k; i++) {
        const q = chain[i]!;
        if (q > prev && q < cur) {
          cur = q;
          idx = i;
        }
      }
      for (let i = 0; i < k; i++) {
        const q = chain[i]!;
        if (q > cur && q < end) end = q;
      }
    }
    if (s === 0 && cur !== 32) fail('ERR_CAP_CHAIN', o + 32 - m0, 5);
    p = cur;
    const c = o + p;
    const header = { id: v.getUint16(c, true), version: v.getUint16(c + 2, true), next: v.getUint32(c + 4, true) };
    let size: number;
    let cap: RegionCap;
    if (header.id === 1) {
      if (end - p < 16) fail('ERR_CAP_CHAIN', c - m0, 5);
      const nr = v.getUint32(c + 8, true);
      if (nr > opt.limits.maxSparseAreas) limit('maxSparseAreas', opt.limits.maxSparseAreas, nr, c + 8 - m0, 5);
      size = 16 + nr * 16;
      if (p + size > end) fail('ERR_CAP_CHAIN', c + 8 - m0, 5);
      const areas: vfio_region_sparse_mmap_area[] = new Array<vfio_region_sparse_mmap_area>(nr);
      for (let a = 0; a < nr; a++) {
        const e = c + 16 + a * 16;
        areas[a] = { offset: v.getBigUint64(e, true), size: v.getBigUint64(e + 8, true) };
      }
      cap = { kind: 'sparse_mmap', header, nr_areas: nr, reserved: v.getUint32(c + 12, true), areas };
    } else if (header.id === 2) {
      size = 16;
      if (p + size > end) fail('ERR_CAP_CHAIN', c - m0, 5);
      cap = { kind: 'type', header, type: v.getUint32(c + 8, true), subtype: v.getUint32(c + 12, true) };
    } else if (header.id === 3) {
      size = 8;
      cap = { kind: 'msix_mappable', header };
    } else {
      size = end - p;
      if (size < 8) fail('ERR_CAP_CHAIN', c - m0, 5);
      cap = { kind: 'raw', header, data: new Uint8Array(buf, c + 8, size - 8) };
    }
    if (p + size !== end) fail('ERR_CAP_CHAIN', o + p + size - m0, 5);
    caps[idx] = cap;
    prev = cur;
  }
  return caps;
}

// ---------------------------------------------------------------------------
// Encode: one function. One switch on the command and kind, whose case for each body sizes it from its tails'
// lengths, checks the room, then checks and writes each field in place, once; only the throwing is out of line.

type Body = Record<string, unknown>;

const U64 = 0xffffffffffffffffn;

/** Bodies that may be null (and then take no bytes), by command * 2 + (1 for a reply). */
const NULL_OK = new Uint8Array(54);
for (const key of [26, 5, 17, 19, 21, 27, 29, 37, 41, 45, 47, 51, 53]) NULL_OK[key] = 1;

/** The header checks of a command or reply, in order; throws for the first that fails (the caller saw one fail). */
function headerFail(kind: unknown, msg_id: number, cmd: unknown, flags: number, error_no: number): never {
  if (flags >>> 0 !== flags) field('vfio_user_header.flags');
  if ((flags & 0x2f) !== (kind === 'command' ? 0 : 1)) shape();
  if (typeof cmd !== 'number' || (cmd >= 27 && cmd <= 29)) shape();
  if ((msg_id & 0xffff) !== msg_id) field('vfio_user_header.msg_id');
  if ((cmd & 0xffff) !== cmd) field('vfio_user_header.cmd');
  if (error_no >>> 0 !== error_no) field('vfio_user_header.error_no');
  return shape();
}

function space(): never {
  return encFail('ERR_ENCODE_SPACE');
}
function length(): never {
  return encFail('ERR_ENCODE_LENGTH');
}

/** Writes a message into `target` at `offset`, like the package's encodeInto(message, target, offset, opt). */
export function handEncodeInto(m: Message, target: Uint8Array, offset: number, _opt: ResolvedOptions): number {
  // A field of the wrong JavaScript type (a bigint where a number goes) raises a TypeError: ERR_ENCODE_FIELD, as in the package.
  try {
    if (typeof m !== 'object' || m === null) shape();
    const kind = m.kind;
    const flags = m.flags;
    const cmd = m.cmd;
    const msg_id = m.msg_id;
    const error_no = m.error_no;
    const v = target === outTarget ? outView : rememberOut(target);
    const b = outBytes;
    const h = target.byteOffset + offset;
    const room = Number.isInteger(offset) && offset >= 0 ? target.length - offset - 16 : -1;
    let n: number;
    if (kind === 'command' || kind === 'reply') {
      const reply = kind === 'reply' ? 1 : 0;
      if (
        flags >>> 0 !== flags ||
        (flags & 0x2f) !== reply ||
        typeof cmd !== 'number' ||
        (msg_id & 0xffff) !== msg_id ||
        (cmd & 0xffff) !== cmd ||
        error_no >>> 0 !== error_no ||
        cmd < 1 ||
        cmd > 26
      ) {
        headerFail(kind, msg_id, cmd, flags, error_no);
      }
      // Each case reads its body through a variable of its own: V8 shares one feedback slot between loads of the
      // same name from the same variable, and one `s` for every case made `s.argsz` see every body's map.
      const body = m.body as unknown as Body;
      const o = h + 16;
      const key = cmd * 2 + reply;
      let u: number;
      let q: bigint;
      if (body === null) {
        if (NULL_OK[key] !== 1) shape();
        n = 0;
        if (n > room) space();
      } else {
        switch (key) {
          // VERSION: the JSON text and its NUL.
          case 2:
          case 3: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            const data = s.data;
            if (!(data instanceof Uint8Array)) shape();
            const dn = data.length;
            n = dn === 0 ? 4 : 5 + dn;
            if (n > room) space();
            u = s.major as number;
            if ((u & 0xffff) !== u) field('vfio_user_version.major');
            v.setUint16(o, u, true);
            u = s.minor as number;
            if ((u & 0xffff) !== u) field('vfio_user_version.minor');
            v.setUint16(o + 2, u, true);
            if (dn !== 0) {
              b.set(data, o + 4);
              b[o + 4 + dn] = 0;
            }
            break;
          }
          case 4: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 32;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_dma_map.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_dma_map.flags');
            v.setUint32(o + 4, u, true);
            q = s.offset as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_dma_map.offset');
            v.setBigUint64(o + 8, q, true);
            q = s.addr as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_dma_map.addr');
            v.setBigUint64(o + 16, q, true);
            q = s.size as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_dma_map.size');
            v.setBigUint64(o + 24, q, true);
            break;
          }
          // DMA_UNMAP: the bitmap struct with GET_DIRTY_BITMAP, its bytes too in a reply.
          case 6:
          case 7: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            const bitmap = s.bitmap as Body | null;
            n = bitmap === null ? 24 : typeof bitmap !== 'object' ? shape() : reply === 0 ? 40 : bitmap.data instanceof Uint8Array ? 40 + bitmap.data.length : shape();
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_dma_unmap.argsz');
            v.setUint32(o, u, true);
            const f = s.flags as number;
            if (f >>> 0 !== f) field('vfio_user_dma_unmap.flags');
            v.setUint32(o + 4, f, true);
            q = s.addr as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_dma_unmap.addr');
            v.setBigUint64(o + 8, q, true);
            q = s.size as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_dma_unmap.size');
            v.setBigUint64(o + 16, q, true);
            if ((f & 1) === 0) {
              if (bitmap !== null) shape();
            } else {
              if (bitmap === null) shape();
              q = bitmap.pgsize as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_bitmap.pgsize');
              v.setBigUint64(o + 24, q, true);
              q = bitmap.size as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_bitmap.size');
              v.setBigUint64(o + 32, q, true);
              if (reply === 1) {
                const bits = bitmap.data as Uint8Array;
                // A u64 equals a length only when the length is exact as a double; compared without making a bigint.
                if (q > TWO53 || Number(q) !== bits.length) length();
                b.set(bits, o + 40);
              }
            }
            break;
          }
          case 8:
          case 9: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 16;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_device_info.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_device_info.flags');
            v.setUint32(o + 4, u, true);
            u = s.num_regions as number;
            if (u >>> 0 !== u) field('vfio_user_device_info.num_regions');
            v.setUint32(o + 8, u, true);
            u = s.num_irqs as number;
            if (u >>> 0 !== u) field('vfio_user_device_info.num_irqs');
            v.setUint32(o + 12, u, true);
            break;
          }
          // GET_REGION_INFO: padding in a command, the capability chain in a reply.
          case 10:
          case 11: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            let padding: Uint8Array | null = null;
            if (reply === 0) {
              const p = s.padding;
              if (!(p instanceof Uint8Array)) shape();
              padding = p;
              n = 32 + p.length;
            } else {
              n = 32 + capsPlan(s);
            }
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_region_info.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_region_info.flags');
            v.setUint32(o + 4, u, true);
            u = s.index as number;
            if (u >>> 0 !== u) field('vfio_region_info.index');
            v.setUint32(o + 8, u, true);
            u = s.cap_offset as number;
            if (u >>> 0 !== u) field('vfio_region_info.cap_offset');
            v.setUint32(o + 12, u, true);
            q = s.size as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_region_info.size');
            v.setBigUint64(o + 16, q, true);
            q = s.offset as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_region_info.offset');
            v.setBigUint64(o + 24, q, true);
            if (padding !== null) b.set(padding, o + 32);
            else writeCaps(v, b, o, s);
            break;
          }
          case 12: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 16;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_region_io_fds_request.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_region_io_fds_request.flags');
            v.setUint32(o + 4, u, true);
            u = s.index as number;
            if (u >>> 0 !== u) field('vfio_user_region_io_fds_request.index');
            v.setUint32(o + 8, u, true);
            u = s.count as number;
            if (u >>> 0 !== u) field('vfio_user_region_io_fds_request.count');
            v.setUint32(o + 12, u, true);
            break;
          }
          // GET_REGION_IO_FDS reply: sub-regions of one stride.
          case 13: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            const subs = s.sub_regions;
            if (!Array.isArray(subs)) shape();
            const k = subs.length;
            const st = k === 0 ? 0 : stride(subs);
            n = 16 + k * st;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_region_io_fds_reply.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_region_io_fds_reply.flags');
            v.setUint32(o + 4, u, true);
            u = s.index as number;
            if (u >>> 0 !== u) field('vfio_user_region_io_fds_reply.index');
            v.setUint32(o + 8, u, true);
            u = s.count as number;
            if (u >>> 0 !== u) field('vfio_user_region_io_fds_reply.count');
            v.setUint32(o + 12, u, true);
            if (k !== 0 && k !== u) length();
            for (let i = 0; i < k; i++) {
              const e = subs[i] as Body;
              const p = o + 16 + i * st;
              if (st === 48) {
                q = e.gpa_offset as bigint;
                if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_sub_region_ioeventfd.gpa_offset');
                v.setBigUint64(p, q, true);
                q = e.size as bigint;
                if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_sub_region_ioeventfd.size');
                v.setBigUint64(p + 8, q, true);
                u = e.fd_index as number;
                if (u >>> 0 !== u) field('vfio_user_sub_region_ioeventfd.fd_index');
                v.setUint32(p + 16, u, true);
                u = e.type as number;
                if (u >>> 0 !== u) field('vfio_user_sub_region_ioeventfd.type');
                v.setUint32(p + 20, u, true);
                u = e.flags as number;
                if (u >>> 0 !== u) field('vfio_user_sub_region_ioeventfd.flags');
                v.setUint32(p + 24, u, true);
                u = e.shadow_mem_fd_index as number;
                if (u >>> 0 !== u) field('vfio_user_sub_region_ioeventfd.shadow_mem_fd_index');
                v.setUint32(p + 28, u, true);
                q = e.shadow_offset as bigint;
                if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_sub_region_ioeventfd.shadow_offset');
                v.setBigUint64(p + 32, q, true);
                q = e.datamatch as bigint;
                if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_sub_region_ioeventfd.datamatch');
                v.setBigUint64(p + 40, q, true);
              } else {
                q = e.offset as bigint;
                if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_sub_region_ioregionfd.offset');
                v.setBigUint64(p, q, true);
                q = e.size as bigint;
                if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_sub_region_ioregionfd.size');
                v.setBigUint64(p + 8, q, true);
                u = e.fd_index as number;
                if (u >>> 0 !== u) field('vfio_user_sub_region_ioregionfd.fd_index');
                v.setUint32(p + 16, u, true);
                u = e.type as number;
                if (u >>> 0 !== u) field('vfio_user_sub_region_ioregionfd.type');
                v.setUint32(p + 20, u, true);
                u = e.flags as number;
                if (u >>> 0 !== u) field('vfio_user_sub_region_ioregionfd.flags');
                v.setUint32(p + 24, u, true);
                u = e.padding as number;
                if (u >>> 0 !== u) field('vfio_user_sub_region_ioregionfd.padding');
                v.setUint32(p + 28, u, true);
                q = e.user_data as bigint;
                if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_sub_region_ioregionfd.user_data');
                v.setBigUint64(p + 32, q, true);
              }
            }
            break;
          }
          case 14:
          case 15: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 16;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_irq_info.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_irq_info.flags');
            v.setUint32(o + 4, u, true);
            u = s.index as number;
            if (u >>> 0 !== u) field('vfio_irq_info.index');
            v.setUint32(o + 8, u, true);
            u = s.count as number;
            if (u >>> 0 !== u) field('vfio_irq_info.count');
            v.setUint32(o + 12, u, true);
            break;
          }
          case 16: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            const data = s.data;
            if (!(data instanceof Uint8Array)) shape();
            n = 20 + data.length;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_irq_set.argsz');
            v.setUint32(o, u, true);
            const f = s.flags as number;
            if (f >>> 0 !== f) field('vfio_irq_set.flags');
            v.setUint32(o + 4, f, true);
            u = s.index as number;
            if (u >>> 0 !== u) field('vfio_irq_set.index');
            v.setUint32(o + 8, u, true);
            u = s.start as number;
            if (u >>> 0 !== u) field('vfio_irq_set.start');
            v.setUint32(o + 12, u, true);
            u = s.count as number;
            if (u >>> 0 !== u) field('vfio_irq_set.count');
            v.setUint32(o + 16, u, true);
            if (data.length !== ((f & 0x2) !== 0 ? u : 0)) length();
            b.set(data, o + 20);
            break;
          }
          // REGION_READ command, REGION_WRITE reply.
          case 18:
          case 21: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 16;
            if (n > room) space();
            q = s.offset as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_region_access.offset');
            v.setBigUint64(o, q, true);
            u = s.region as number;
            if (u >>> 0 !== u) field('vfio_user_region_access.region');
            v.setUint32(o + 8, u, true);
            u = s.count as number;
            if (u >>> 0 !== u) field('vfio_user_region_access.count');
            v.setUint32(o + 12, u, true);
            break;
          }
          // REGION_WRITE command, REGION_READ reply: count bytes.
          case 20:
          case 19: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            const data = s.data;
            if (!(data instanceof Uint8Array)) shape();
            n = 16 + data.length;
            if (n > room) space();
            q = s.offset as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_region_access.offset');
            v.setBigUint64(o, q, true);
            u = s.region as number;
            if (u >>> 0 !== u) field('vfio_user_region_access.region');
            v.setUint32(o + 8, u, true);
            u = s.count as number;
            if (u >>> 0 !== u) field('vfio_user_region_access.count');
            v.setUint32(o + 12, u, true);
            if (u !== data.length) length();
            b.set(data, o + 16);
            break;
          }
          // DMA_READ command, DMA_WRITE reply.
          case 22:
          case 25: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 16;
            if (n > room) space();
            q = s.addr as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_dma_region_access.addr');
            v.setBigUint64(o, q, true);
            q = s.count as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_dma_region_access.count');
            v.setBigUint64(o + 8, q, true);
            break;
          }
          // DMA_WRITE command, DMA_READ reply: count bytes.
          case 24:
          case 23: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            const data = s.data;
            if (!(data instanceof Uint8Array)) shape();
            n = 16 + data.length;
            if (n > room) space();
            q = s.addr as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_dma_region_access.addr');
            v.setBigUint64(o, q, true);
            q = s.count as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_dma_region_access.count');
            v.setBigUint64(o + 8, q, true);
            if (Number(q) !== data.length) length();
            b.set(data, o + 16);
            break;
          }
          // DIRTY_PAGES: the range with GET_BITMAP, its bitmap bytes too in a reply.
          case 28:
          case 29: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            const range = s.range as Body | null;
            n = range === null ? 8 : typeof range !== 'object' ? shape() : reply === 0 ? 40 : range.data instanceof Uint8Array ? 40 + range.data.length : shape();
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_dirty_pages.argsz');
            v.setUint32(o, u, true);
            const f = s.flags as number;
            if (f >>> 0 !== f) field('vfio_user_dirty_pages.flags');
            v.setUint32(o + 4, f, true);
            if ((f & 0x4) === 0) {
              if (range !== null) shape();
            } else {
              if (range === null) shape();
              q = range.iova as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_bitmap_range.iova');
              v.setBigUint64(o + 8, q, true);
              q = range.size as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_bitmap_range.size');
              v.setBigUint64(o + 16, q, true);
              const bm = range.bitmap as Body;
              if (typeof bm !== 'object' || bm === null) shape();
              q = bm.pgsize as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_bitmap.pgsize');
              v.setBigUint64(o + 24, q, true);
              q = bm.size as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_bitmap.size');
              v.setBigUint64(o + 32, q, true);
              if (reply === 1) {
                const bits = range.data as Uint8Array;
                if (q > TWO53 || Number(q) !== bits.length) length();
                b.set(bits, o + 40);
              }
            }
            break;
          }
          // REGION_WRITE_MULTI: wr_cnt entries of 24 bytes.
          case 30: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            const wrs = s.wrs;
            if (!Array.isArray(wrs)) shape();
            const k = wrs.length;
            n = 8 + k * 24;
            if (n > room) space();
            q = s.wr_cnt as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('VFIOUserWRMulti.wr_cnt');
            v.setBigUint64(o, q, true);
            if (k !== Number(q)) length();
            for (let i = 0; i < k; i++) {
              const e = wrs[i] as Body;
              if (typeof e !== 'object' || e === null) shape();
              const p = o + 8 + i * 24;
              q = e.offset as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('VFIOUserWROne.offset');
              v.setBigUint64(p, q, true);
              u = e.region as number;
              if (u >>> 0 !== u) field('VFIOUserWROne.region');
              v.setUint32(p + 8, u, true);
              u = e.count as number;
              if (u >>> 0 !== u) field('VFIOUserWROne.count');
              v.setUint32(p + 12, u, true);
              const bytes = e.data;
              if (!(bytes instanceof Uint8Array)) shape();
              if (bytes.length !== 8) field('VFIOUserWROne.data');
              b.set(bytes, p + 16);
            }
            break;
          }
          case 31: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 8;
            if (n > room) space();
            q = s.wr_cnt as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('VFIOUserWRMulti.wr_cnt');
            v.setBigUint64(o, q, true);
            break;
          }
          // DEVICE_FEATURE: the payload its kind names.
          case 32:
          case 33: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            const d = s.data as Body;
            if (typeof d !== 'object' || d === null) shape();
            const fk = d.kind;
            n =
              fk === 'none'
                ? 8
                : fk === 'migration' || fk === 'mig_state'
                  ? 16
                  : fk === 'dma_logging_control'
                    ? Array.isArray(d.ranges) ? 24 + d.ranges.length * 16 : shape()
                    : fk === 'dma_logging_report'
                      ? d.bitmap instanceof Uint8Array ? 32 + d.bitmap.length : shape()
                      : fk === 'raw'
                        ? d.bytes instanceof Uint8Array ? 8 + d.bytes.length : shape()
                        : shape();
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_device_feature.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_device_feature.flags');
            v.setUint32(o + 4, u, true);
            if (fk === 'migration') {
              q = d.flags as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_device_feature_migration.flags');
              v.setBigUint64(o + 8, q, true);
            } else if (fk === 'mig_state') {
              u = d.device_state as number;
              if (u >>> 0 !== u) field('vfio_user_device_feature_mig_state.device_state');
              v.setUint32(o + 8, u, true);
              u = d.data_fd as number;
              if (u >>> 0 !== u) field('vfio_user_device_feature_mig_state.data_fd');
              v.setUint32(o + 12, u, true);
            } else if (fk === 'dma_logging_control') {
              const ranges = d.ranges as unknown[];
              if (d.num_ranges !== ranges.length) length();
              q = d.page_size as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_device_feature_dma_logging_control.page_size');
              v.setBigUint64(o + 8, q, true);
              u = d.num_ranges as number;
              if (u >>> 0 !== u) field('vfio_user_device_feature_dma_logging_control.num_ranges');
              v.setUint32(o + 16, u, true);
              u = d.reserved as number;
              if (u >>> 0 !== u) field('vfio_user_device_feature_dma_logging_control.reserved');
              v.setUint32(o + 20, u, true);
              for (let k = 0; k < ranges.length; k++) {
                const r = ranges[k] as Body;
                if (typeof r !== 'object' || r === null) shape();
                const p = o + 24 + k * 16;
                q = r.iova as bigint;
                if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_device_feature_dma_logging_range.iova');
                v.setBigUint64(p, q, true);
                q = r.length as bigint;
                if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_device_feature_dma_logging_range.length');
                v.setBigUint64(p + 8, q, true);
              }
            } else if (fk === 'dma_logging_report') {
              q = d.iova as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_device_feature_dma_logging_report.iova');
              v.setBigUint64(o + 8, q, true);
              q = d.length as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_device_feature_dma_logging_report.length');
              v.setBigUint64(o + 16, q, true);
              q = d.page_size as bigint;
              if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_device_feature_dma_logging_report.page_size');
              v.setBigUint64(o + 24, q, true);
              b.set(d.bitmap as Uint8Array, o + 32);
            } else if (fk === 'raw') {
              b.set(d.bytes as Uint8Array, o + 8);
            }
            break;
          }
          case 34: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 8;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_mig_data.argsz');
            v.setUint32(o, u, true);
            u = s.size as number;
            if (u >>> 0 !== u) field('vfio_user_mig_data.size');
            v.setUint32(o + 4, u, true);
            break;
          }
          // MIG_DATA_WRITE command, MIG_DATA_READ reply: the data (a reply may pad it).
          case 36:
          case 35: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            const data = s.data;
            if (!(data instanceof Uint8Array)) shape();
            n = 8 + data.length;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_mig_data.argsz');
            v.setUint32(o, u, true);
            u = s.size as number;
            if (u >>> 0 !== u) field('vfio_user_mig_data.size');
            v.setUint32(o + 4, u, true);
            if (reply === 0 ? data.length !== u : data.length < u) length();
            b.set(data, o + 8);
            break;
          }
          case 38:
          case 39: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 16;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_alloc_ioas.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_alloc_ioas.flags');
            v.setUint32(o + 4, u, true);
            u = s.out_ioas_id as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_alloc_ioas.out_ioas_id');
            v.setUint32(o + 8, u, true);
            u = s.__reserved as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_alloc_ioas.__reserved');
            v.setUint32(o + 12, u, true);
            break;
          }
          case 40: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 16;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_destroy_ioas.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_destroy_ioas.flags');
            v.setUint32(o + 4, u, true);
            u = s.ioas_id as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_destroy_ioas.ioas_id');
            v.setUint32(o + 8, u, true);
            u = s.__reserved as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_destroy_ioas.__reserved');
            v.setUint32(o + 12, u, true);
            break;
          }
          case 42:
          case 43: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 48;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_map.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_map.flags');
            v.setUint32(o + 4, u, true);
            u = s.ioas_id as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_map.ioas_id');
            v.setUint32(o + 8, u, true);
            u = s.__reserved as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_map.__reserved');
            v.setUint32(o + 12, u, true);
            q = s.user_va as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_iommufd_ioas_map.user_va');
            v.setBigUint64(o + 16, q, true);
            q = s.length as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_iommufd_ioas_map.length');
            v.setBigUint64(o + 24, q, true);
            q = s.iova as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_iommufd_ioas_map.iova');
            v.setBigUint64(o + 32, q, true);
            q = s.offset as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_iommufd_ioas_map.offset');
            v.setBigUint64(o + 40, q, true);
            break;
          }
          case 44: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 32;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_unmap.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_unmap.flags');
            v.setUint32(o + 4, u, true);
            u = s.ioas_id as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_unmap.ioas_id');
            v.setUint32(o + 8, u, true);
            u = s.__reserved as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_unmap.__reserved');
            v.setUint32(o + 12, u, true);
            q = s.iova as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_iommufd_ioas_unmap.iova');
            v.setBigUint64(o + 16, q, true);
            q = s.length as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_iommufd_ioas_unmap.length');
            v.setBigUint64(o + 24, q, true);
            break;
          }
          case 46: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 40;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_copy.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_copy.flags');
            v.setUint32(o + 4, u, true);
            u = s.src_ioas_id as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_copy.src_ioas_id');
            v.setUint32(o + 8, u, true);
            u = s.dst_ioas_id as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_ioas_copy.dst_ioas_id');
            v.setUint32(o + 12, u, true);
            q = s.src_iova as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_iommufd_ioas_copy.src_iova');
            v.setBigUint64(o + 16, q, true);
            q = s.dst_iova as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_iommufd_ioas_copy.dst_iova');
            v.setBigUint64(o + 24, q, true);
            q = s.length as bigint;
            if (typeof q !== 'bigint' || q < 0n || q > U64) field('vfio_user_iommufd_ioas_copy.length');
            v.setBigUint64(o + 32, q, true);
            break;
          }
          case 48:
          case 49: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 16;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_bind.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_bind.flags');
            v.setUint32(o + 4, u, true);
            u = s.iommufd as number;
            if ((u | 0) !== u) field('vfio_user_iommufd_bind.iommufd');
            v.setInt32(o + 8, u, true);
            u = s.out_devid as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_bind.out_devid');
            v.setUint32(o + 12, u, true);
            break;
          }
          case 50: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 16;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_attach_pt.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_attach_pt.flags');
            v.setUint32(o + 4, u, true);
            u = s.pt_id as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_attach_pt.pt_id');
            v.setUint32(o + 8, u, true);
            u = s.pasid as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_attach_pt.pasid');
            v.setUint32(o + 12, u, true);
            break;
          }
          case 52: {
            const s = body;
            if (typeof s !== 'object' || s === null) shape();
            n = 16;
            if (n > room) space();
            u = s.argsz as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_detach_pt.argsz');
            v.setUint32(o, u, true);
            u = s.flags as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_detach_pt.flags');
            v.setUint32(o + 4, u, true);
            u = s.pasid as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_detach_pt.pasid');
            v.setUint32(o + 8, u, true);
            u = s.__reserved as number;
            if (u >>> 0 !== u) field('vfio_user_iommufd_detach_pt.__reserved');
            v.setUint32(o + 12, u, true);
            break;
          }
          default:
            // A body that must be null: DEVICE_RESET, and the header-only replies (DMA_MAP, SET_IRQS, the iommufd ones...).
            shape();
        }
      }
    } else {
      // Error replies and raw messages: a body of bytes.
      if (flags >>> 0 !== flags) field('vfio_user_header.flags');
      if (kind === 'error') {
        if ((flags & 0x2f) !== 0x21) shape();
      } else if (kind !== 'raw') {
        shape();
      }
      const body = m.body;
      if (!(body instanceof Uint8Array)) shape();
      n = body.length;
      if (n > room) space();
      if ((msg_id & 0xffff) !== msg_id) field('vfio_user_header.msg_id');
      if ((cmd & 0xffff) !== cmd) field('vfio_user_header.cmd');
      if (error_no >>> 0 !== error_no) field('vfio_user_header.error_no');
      if (n !== 0) b.set(body, h + 16);
    }
    v.setUint16(h, msg_id, true);
    v.setUint16(h + 2, cmd, true);
    v.setUint32(h + 4, 16 + n, true);
    v.setUint32(h + 8, flags, true);
    v.setUint32(h + 12, error_no, true);
    return 16 + n;
  } catch (e) {
    if (e instanceof TypeError) encFail('ERR_ENCODE_FIELD');
    throw e;
  }
}

function stride(subs: readonly unknown[]): number {
  const first = subs[0];
  const is48 = isObj(first) && 'gpa_offset' in first;
  for (let i = 0; i < subs.length; i++) {
    const s = subs[i];
    if (!isObj(s) || 'gpa_offset' in s !== is48) shape();
  }
  return is48 ? 48 : 40;
}

function capSize(cap: unknown): number {
  const c = cap as Body;
  switch (c.kind) {
    case 'sparse_mmap': return 16 + arrayOf(c.areas).length * 16;
    case 'type': return 16;
    case 'msix_mappable': return 8;
    case 'raw': return 8 + bytesOf(c.data).length;
    default: return shape();
  }
}

/**
 * The bytes the capability chain takes after the struct, checking the
 * chain's links and that the capabilities tile the bytes without gaps or
 * overlaps; allocates nothing.
 */
function capsPlan(body: Body): number {
  const caps = arrayOf(body.caps);
  const k = caps.length;
  if (k === 0) return 0;
  let pos = body.cap_offset as number;
  for (let i = 0; i < k; i++) {
    const next = ((caps[i] as Body).header as { next: number }).next;
    if (i === k - 1 ? next !== 0 : next === 0) shape();
  }
  // Sizes first (they may throw), in chain order, as the package does. A chain whose links run forward, each
  // capability right after the one before, is tiled: linear. Otherwise a scan per step (k is small).
  let total = 0;
  let tiled = pos === 32;
  for (let i = 0; i < k; i++) {
    total += capSize(caps[i]);
    if (tiled && i < k - 1 && ((caps[i] as Body).header as { next: number }).next !== 32 + total) tiled = false;
  }
  if (tiled) return total;
  // Tiling: starting at 32, there must be a capability at each end, k times.
  let end = 32;
  for (let step = 0; step < k; step++) {
    let found = -1;
    let lowest = Infinity;
    pos = body.cap_offset as number;
    for (let i = 0; i < k; i++) {
      if (pos === end && found === -1) found = i;
      if (pos >= end && pos < lowest) lowest = pos;
      pos = ((caps[i] as Body).header as { next: number }).next;
    }
    if (found === -1 || lowest !== end) shape();
    end += capSize(caps[found]);
  }
  // Two capabilities at one offset would leave one unvisited, and end would not add up.
  if (end !== 32 + total) shape();
  return end - 32;
}

function writeCaps(v: DataView, b: Uint8Array, o: number, s: Body): number {
  const caps = s.caps as Body[];
  let pos = s.cap_offset as number;
  let total = 0;
  for (let i = 0; i < caps.length; i++) {
    const cap = caps[i]!;
    const c = o + pos;
    const h = cap.header as { id: number; version: number; next: number };
    w16(v, c, h.id, 'vfio_info_cap_header.id');
    w16(v, c + 2, h.version, 'vfio_info_cap_header.version');
    w32(v, c + 4, h.next, 'vfio_info_cap_header.next');
    switch (cap.kind) {
      case 'sparse_mmap': {
        const areas = cap.areas as unknown[];
        if (cap.nr_areas !== areas.length) encFail('ERR_ENCODE_LENGTH');
        w32(v, c + 8, cap.nr_areas, 'vfio_region_info_cap_sparse_mmap.nr_areas');
        w32(v, c + 12, cap.reserved, 'vfio_region_info_cap_sparse_mmap.reserved');
        for (let a = 0; a < areas.length; a++) {
          const e = areas[a];
          if (!isObj(e)) shape();
          w64(v, c + 16 + a * 16, e.offset, 'vfio_region_sparse_mmap_area.offset');
          w64(v, c + 24 + a * 16, e.size, 'vfio_region_sparse_mmap_area.size');
        }
        total += 16 + areas.length * 16;
        break;
      }
      case 'type':
        w32(v, c + 8, cap.type, 'vfio_region_info_cap_type.type');
        w32(v, c + 12, cap.subtype, 'vfio_region_info_cap_type.subtype');
        total += 16;
        break;
      case 'msix_mappable':
        total += 8;
        break;
      default: {
        const data = cap.data as Uint8Array;
        b.set(data, c + 8);
        total += 8 + data.length;
      }
    }
    pos = h.next;
  }
  return total;
}

function w32(v: DataView, o: number, x: unknown, name: string): void {
  if ((x as number) >>> 0 !== x) field(name);
  v.setUint32(o, x as number, true);
}
function w16(v: DataView, o: number, x: unknown, name: string): void {
  if (((x as number) & 0xffff) !== x) field(name);
  v.setUint16(o, x as number, true);
}
function w64(v: DataView, o: number, x: unknown, name: string): void {
  if (!u64ok(x)) field(name);
  v.setBigUint64(o, x, true);
}

// ---------------------------------------------------------------------------
// The header struct alone

/** Reads the 16-byte header at the start of `bytes` (the caller has checked the length). */
export function handReadHeader(bytes: Uint8Array): vfio_user_header {
  const buf = bytes.buffer;
  const v = buf === inBuf ? inView : rememberIn(buf);
  const o = bytes.byteOffset;
  return { msg_id: v.getUint16(o, true), cmd: v.getUint16(o + 2, true), msg_size: v.getUint32(o + 4, true), flags: v.getUint32(o + 8, true), error_no: v.getUint32(o + 12, true) };
}

/** Writes a header struct at `offset` of `target`, checking every field; returns 16. */
export function handWriteHeader(h: vfio_user_header, target: Uint8Array, offset: number): number {
  if (!isObj(h)) shape();
  const buf = target.buffer;
  const v = buf === headerBuf ? headerView : rememberHeaderBuffer(buf);
  const o = target.byteOffset + offset;
  w16(v, o, h.msg_id, 'vfio_user_header.msg_id');
  w16(v, o + 2, h.cmd, 'vfio_user_header.cmd');
  w32(v, o + 4, h.msg_size, 'vfio_user_header.msg_size');
  w32(v, o + 8, h.flags, 'vfio_user_header.flags');
  w32(v, o + 12, h.error_no, 'vfio_user_header.error_no');
  return 16;
}
