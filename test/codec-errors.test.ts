import test from 'ava';
import { command, decode, encode, encodeInto, encodingLength, errorReply, reply, resolveOptions, type Message } from '../src/index.js';
import { throwsCode } from './helpers/errors.js';

/** Little-endian byte writers, independent of the package's encoder. */
const u16 = (x: number): number[] => [x & 0xff, (x >>> 8) & 0xff];
const u32 = (x: number): number[] => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff];
const u64 = (x: bigint): number[] => [...u32(Number(x & 0xffffffffn)), ...u32(Number(x >> 32n))];

/** A whole message: header with the right msg_size, then `body`. */
function msg(cmd: number, flags: number, body: number[], msgId = 1, errorNo = 0): Uint8Array {
  return Uint8Array.from([...u16(msgId), ...u16(cmd), ...u32(16 + body.length), ...u32(flags), ...u32(errorNo), ...body]);
}

const dmaMap = (argsz: number, flags: number): number[] => [...u32(argsz), ...u32(flags), ...u64(0n), ...u64(0x10000n), ...u64(0x1000n)];

test('ERR_NEED_MORE: fewer than 16 bytes, and fewer than msg_size', (t) => {
  let e = throwsCode(t, () => decode(new Uint8Array(15)), 'ERR_NEED_MORE');
  t.is(e.offset, 0);
  t.is(e.details.needed, 16);
  t.is(e.details.available, 15);
  const whole = msg(2, 0, dmaMap(32, 3));
  e = throwsCode(t, () => decode(whole.subarray(0, 40)), 'ERR_NEED_MORE');
  t.is(e.offset, 40);
  t.is(e.details.needed, 48);
  t.is(e.name, 'VfioUserTruncatedError');
});

test('ERR_MSG_SIZE_SMALL at offset 4', (t) => {
  const b = msg(13, 0, []);
  b[4] = 15;
  const e = throwsCode(t, () => decode(b), 'ERR_MSG_SIZE_SMALL');
  t.is(e.offset, 4);
  t.is(e.details.value, 15);
});

test('ERR_MSG_SIZE_MISMATCH: more bytes than msg_size', (t) => {
  const b = Uint8Array.from([...msg(13, 0, []), 0, 0]);
  const e = throwsCode(t, () => decode(b), 'ERR_MSG_SIZE_MISMATCH');
  t.is(e.offset, 16);
});

test('maxMessageSize: at the limit decodes, one above is ERR_MESSAGE_TOO_LARGE', (t) => {
  const count = 1048576;
  const body = [...u64(0n), ...u32(0), ...u32(count), ...new Array<number>(count).fill(0)];
  const atLimit = msg(10, 0, body);
  t.is(atLimit.length, 1048608);
  t.is(decode(atLimit).cmd, 10);
  const over = msg(10, 0, [...u64(0n), ...u32(0), ...u32(count + 1), ...new Array<number>(count + 1).fill(0)]);
  const e = throwsCode(t, () => decode(over), 'ERR_MESSAGE_TOO_LARGE');
  t.is(e.offset, 4);
  t.is(e.details.limit, 1048608);
  t.is(e.name, 'VfioUserLimitError');
});

test('ERR_BAD_TYPE: type 2, and ERROR on a command', (t) => {
  let e = throwsCode(t, () => decode(msg(13, 2, [])), 'ERR_BAD_TYPE');
  t.is(e.offset, 8);
  e = throwsCode(t, () => decode(msg(13, 0x20, [])), 'ERR_BAD_TYPE');
  t.is(e.offset, 8);
});

test('reserved flag bits and NO_REPLY survive a round trip', (t) => {
  const b = msg(13, 0x10 | 0x4000_0000, []);
  const m = decode(b);
  t.is(m.flags, 0x4000_0010);
  t.deepEqual(encode(m), b);
});

test('ERR_UNKNOWN_COMMAND at offset 2, raw with allowUnknownCommands, error replies of any cmd decode', (t) => {
  const b = msg(99, 0, [1, 2, 3]);
  const e = throwsCode(t, () => decode(b), 'ERR_UNKNOWN_COMMAND');
  t.is(e.offset, 2);
  t.is(e.cmd, 99);
  const raw = decode(b, { allowUnknownCommands: true });
  t.is(raw.kind, 'raw');
  t.deepEqual(encode(raw), b);
  const err = decode(msg(99, 0x21, [], 5, 22));
  t.is(err.kind, 'error');
  t.is(err.error_no, 22);
  t.is(decode(msg(0, 0x21, [], 5, 22)).kind, 'error');
});

test('maxErrorNo: 4096 decodes, 4097 is ERR_ERRNO_RANGE at offset 12; 0 decodes', (t) => {
  t.is(decode(msg(2, 0x21, [], 1, 4096)).error_no, 4096);
  t.is(decode(msg(2, 0x21, [], 1, 0)).error_no, 0);
  const e = throwsCode(t, () => decode(msg(2, 0x21, [], 1, 4097)), 'ERR_ERRNO_RANGE');
  t.is(e.offset, 12);
});

test('ERR_BODY_SHORT, ERR_BODY_LONG and ERR_EMPTY_BODY with offsets', (t) => {
  let e = throwsCode(t, () => decode(msg(2, 0, dmaMap(32, 3).slice(0, 31))), 'ERR_BODY_SHORT');
  t.is(e.offset, 16);
  t.is(e.details.needed, 32);
  t.is(e.details.available, 31);
  e = throwsCode(t, () => decode(msg(4, 0, [...u32(20), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])), 'ERR_BODY_LONG');
  t.is(e.offset, 32);
  e = throwsCode(t, () => decode(msg(13, 0, [0, 0, 0, 0])), 'ERR_EMPTY_BODY');
  t.is(e.offset, 16);
  e = throwsCode(t, () => decode(msg(2, 1, [0])), 'ERR_EMPTY_BODY');
  t.is(e.offset, 16);
  e = throwsCode(t, () => decode(msg(4, 0, [])), 'ERR_BODY_SHORT');
  t.is(e.offset, 16);
});

test('ERR_BAD_FLAGS: unknown DMA_MAP bit, MMAP with FILE_IO, DMA_UNMAP 3, SET_IRQS two actions, IO_FDS flags, DEVICE_FEATURE without an op', (t) => {
  let e = throwsCode(t, () => decode(msg(2, 0, dmaMap(32, 0x13))), 'ERR_BAD_FLAGS');
  t.is(e.offset, 20);
  t.is(e.details.field, 'vfio_user_dma_map.flags');
  throwsCode(t, () => decode(msg(2, 0, dmaMap(32, 0xf))), 'ERR_BAD_FLAGS');
  t.is(decode(msg(2, 0, dmaMap(32, 0x7))).cmd, 2);
  e = throwsCode(t, () => decode(msg(3, 0, [...u32(24), ...u32(3), ...u64(0n), ...u64(0n)])), 'ERR_BAD_FLAGS');
  t.is(e.offset, 20);
  e = throwsCode(t, () => decode(msg(8, 0, [...u32(20), ...u32(0x4 | 0x8 | 0x20), ...u32(0), ...u32(0), ...u32(1)])), 'ERR_BAD_FLAGS');
  t.is(e.offset, 20);
  throwsCode(t, () => decode(msg(8, 0, [...u32(20), ...u32(0x1 | 0x4 | 0x20), ...u32(0), ...u32(0), ...u32(1)])), 'ERR_BAD_FLAGS');
  throwsCode(t, () => decode(msg(8, 0, [...u32(20), ...u32(0x40 | 0x1 | 0x20), ...u32(0), ...u32(0), ...u32(1)])), 'ERR_BAD_FLAGS');
  e = throwsCode(t, () => decode(msg(6, 0, [...u32(16), ...u32(1), ...u32(0), ...u32(0)])), 'ERR_BAD_FLAGS');
  t.is(e.offset, 20);
  e = throwsCode(t, () => decode(msg(6, 0, [...u32(16), ...u32(0), ...u32(0), ...u32(2)])), 'ERR_BAD_FLAGS');
  t.is(e.offset, 28);
  e = throwsCode(t, () => decode(msg(16, 0, [...u32(16), ...u32(1)])), 'ERR_BAD_FLAGS');
  t.is(e.offset, 20);
});

test('ERR_ARGSZ: argsz below the body', (t) => {
  const e = throwsCode(t, () => decode(msg(2, 0, dmaMap(31, 3))), 'ERR_ARGSZ');
  t.is(e.offset, 16);
  t.is(e.details.needed, 32);
});

test('ERR_TAIL_LENGTH: REGION_WRITE count and data disagree', (t) => {
  const e = throwsCode(t, () => decode(msg(10, 0, [...u64(0n), ...u32(0), ...u32(5), 1, 2, 3, 4])), 'ERR_TAIL_LENGTH');
  t.is(e.offset, 28);
  t.is(e.details.needed, 5);
  t.is(e.details.available, 4);
});

test('maxDataXferSize: at the limit decodes, above is ERR_LIMIT naming the limit', (t) => {
  const limits = { maxDataXferSize: 8 };
  t.is(decode(msg(9, 0, [...u64(0n), ...u32(0), ...u32(8)]), { limits }).cmd, 9);
  const e = throwsCode(t, () => decode(msg(9, 0, [...u64(0n), ...u32(0), ...u32(9)]), { limits }), 'ERR_LIMIT');
  t.is(e.details.limitName, 'maxDataXferSize');
  t.is(e.offset, 28);
  // The u64 count of DMA_READ is bounded the same way.
  const e2 = throwsCode(t, () => decode(msg(11, 0, [...u64(0n), ...u64(1n << 40n)])), 'ERR_LIMIT');
  t.is(e2.offset, 24);
});

test('maxIrqVectors: SET_IRQS count at and above', (t) => {
  const setIrqs = (count: number): Uint8Array => msg(8, 0, [...u32(20), ...u32(0x4 | 0x20), ...u32(2), ...u32(0), ...u32(count)]);
  t.is(decode(setIrqs(2048)).cmd, 8);
  const e = throwsCode(t, () => decode(setIrqs(2049)), 'ERR_LIMIT');
  t.is(e.details.limitName, 'maxIrqVectors');
});

test('maxWriteMultiEntries and the 8-byte entry count', (t) => {
  const entry = (count: number): number[] => [...u64(0n), ...u32(0), ...u32(count), 0, 0, 0, 0, 0, 0, 0, 0];
  const multi = (n: number, count = 4): Uint8Array => msg(15, 0x10, [...u64(BigInt(n)), ...Array.from({ length: n }, () => entry(count)).flat()]);
  t.is(decode(multi(200)).cmd, 15);
  throwsCode(t, () => decode(multi(201)), 'ERR_LIMIT');
  const e = throwsCode(t, () => decode(multi(1, 9)), 'ERR_TAIL_LENGTH');
  t.is(e.offset, 16 + 8 + 12);
});

/** A GET_REGION_INFO reply whose body is the 32-byte struct followed by `caps`. */
function regionInfo(flags: number, capOffset: number, caps: number[]): Uint8Array {
  return msg(5, 1, [...u32(32 + caps.length), ...u32(flags), ...u32(1), ...u32(capOffset), ...u64(0x3000n), ...u64(0n), ...caps]);
}
const capHeader = (id: number, next: number): number[] => [...u16(id), ...u16(1), ...u32(next)];

test('ERR_CAP_CHAIN: loop, outside the reply, gap, overlap, CAPS without caps', (t) => {
  // A msix-mappable cap at 32 whose next points back to itself.
  let e = throwsCode(t, () => decode(regionInfo(0xf, 32, capHeader(3, 32))), 'ERR_CAP_CHAIN');
  t.is(e.offset, 16 + 32 + 4);
  e = throwsCode(t, () => decode(regionInfo(0xf, 32, capHeader(3, 64))), 'ERR_CAP_CHAIN');
  t.is(e.offset, 16 + 32 + 4);
  // cap_offset 40 leaves bytes 32..40 to no capability.
  throwsCode(t, () => decode(regionInfo(0xf, 40, [0, 0, 0, 0, 0, 0, 0, 0, ...capHeader(3, 0)])), 'ERR_CAP_CHAIN');
  // A type cap (16 bytes) followed by 4 stray bytes.
  throwsCode(t, () => decode(regionInfo(0xf, 32, [...capHeader(2, 0), ...u32(3), ...u32(1), 9, 9, 9, 9])), 'ERR_CAP_CHAIN');
  // Two caps where the second starts inside the first.
  throwsCode(t, () => decode(regionInfo(0xf, 32, [...capHeader(2, 40), ...u32(3), ...u32(1)])), 'ERR_CAP_CHAIN');
  e = throwsCode(t, () => decode(regionInfo(0xf, 32, [])), 'ERR_CAP_CHAIN');
  t.is(e.offset, 20);
  // Without CAPS, bytes after the struct are ERR_BODY_LONG.
  throwsCode(t, () => decode(regionInfo(0x7, 0, capHeader(3, 0))), 'ERR_BODY_LONG');
});

test('maxRegionCaps and maxSparseAreas', (t) => {
  const chain = (n: number): number[] => Array.from({ length: n }, (_, i) => capHeader(3, i === n - 1 ? 0 : 32 + (i + 1) * 8)).flat();
  t.is(decode(regionInfo(0xf, 32, chain(4)), { limits: { maxRegionCaps: 4 } }).cmd, 5);
  let e = throwsCode(t, () => decode(regionInfo(0xf, 32, chain(5)), { limits: { maxRegionCaps: 4 } }), 'ERR_LIMIT');
  t.is(e.details.limitName, 'maxRegionCaps');
  const sparse = (n: number): number[] => [...capHeader(1, 0), ...u32(n), ...u32(0), ...Array.from({ length: n }, () => [...u64(0n), ...u64(0x1000n)]).flat()];
  t.is(decode(regionInfo(0xf, 32, sparse(2)), { limits: { maxSparseAreas: 2 } }).cmd, 5);
  e = throwsCode(t, () => decode(regionInfo(0xf, 32, sparse(3)), { limits: { maxSparseAreas: 2 } }), 'ERR_LIMIT');
  t.is(e.details.limitName, 'maxSparseAreas');
  t.is(e.offset, 16 + 32 + 8);
});

test('ERR_STRIDE and maxSubRegions in IO_FDS replies', (t) => {
  const ioFds = (count: number, entryBytes: number): Uint8Array =>
    msg(6, 1, [...u32(16 + count * entryBytes), ...u32(0), ...u32(0), ...u32(count), ...new Array<number>(count * entryBytes).fill(0)]);
  t.is(decode(ioFds(2, 48)).cmd, 6);
  t.is(decode(ioFds(2, 40)).cmd, 6);
  const e = throwsCode(t, () => decode(ioFds(2, 44)), 'ERR_STRIDE');
  t.is(e.offset, 32);
  t.is(decode(ioFds(3, 48), { limits: { maxSubRegions: 3 } }).cmd, 6);
  throwsCode(t, () => decode(ioFds(4, 48), { limits: { maxSubRegions: 3 } }), 'ERR_LIMIT');
});

test('ERR_FEATURE_PAYLOAD and maxLoggingRanges in DEVICE_FEATURE', (t) => {
  const e = throwsCode(t, () => decode(msg(16, 1, [...u32(16), ...u32(0x10001), 1, 2, 3, 4])), 'ERR_FEATURE_PAYLOAD');
  t.is(e.offset, 24);
  const start = (n: number): Uint8Array =>
    msg(16, 0, [...u32(24 + 16 * n), ...u32(0x20006), ...u64(4096n), ...u32(n), ...u32(0), ...Array.from({ length: n }, () => [...u64(0n), ...u64(0x1000n)]).flat()]);
  t.is(decode(start(2), { limits: { maxLoggingRanges: 2 } }).cmd, 16);
  throwsCode(t, () => decode(start(3), { limits: { maxLoggingRanges: 2 } }), 'ERR_LIMIT');
});

test('ERR_BAD_VALUE and maxBitmapBytes in the DMA_UNMAP bitmap', (t) => {
  const unmap = (pgsize: bigint, size: bigint, windowSize = 0x40000n): Uint8Array =>
    msg(3, 0, [...u32(40 + Number(size)), ...u32(1), ...u64(0x10000n), ...u64(windowSize), ...u64(pgsize), ...u64(size)]);
  t.is(decode(unmap(4096n, 8n)).cmd, 3);
  let e = throwsCode(t, () => decode(unmap(3000n, 8n)), 'ERR_BAD_VALUE');
  t.is(e.offset, 40);
  e = throwsCode(t, () => decode(unmap(4096n, 16n)), 'ERR_BAD_VALUE');
  t.is(e.offset, 48);
  const big = 65536n * 4096n; // 65536 pages: 8192 bitmap bytes
  t.is(decode(unmap(4096n, 1024n * 8n, big), { limits: { maxBitmapBytes: 8192 } }).cmd, 3);
  e = throwsCode(t, () => decode(unmap(4096n, 1024n * 8n, big), { limits: { maxBitmapBytes: 8191 } }), 'ERR_LIMIT');
  t.is(e.details.limitName, 'maxBitmapBytes');
  // argsz must leave room for the bitmap the reply will carry.
  const short = unmap(4096n, 8n);
  short[16] = 40;
  throwsCode(t, () => decode(short), 'ERR_ARGSZ');
});

test('VERSION JSON errors surface with offsets inside the message', (t) => {
  const text = [...Buffer.from('{"capabilities":{}}')];
  let e = throwsCode(t, () => decode(msg(1, 0, [...u16(0), ...u16(2), ...text])), 'ERR_JSON_NUL');
  t.true(e.offset >= 20);
  e = throwsCode(t, () => decode(msg(1, 0, [...u16(0), ...u16(2), ...Buffer.from('{"capabilities":{"iommufd":{"supported":1}}}'), 0])), 'ERR_CAPS_TYPE');
  t.true(e.offset > 20);
  t.is(decode(msg(1, 0, [...u16(0), ...u16(2), ...text, 0])).cmd, 1);
});

test('encode: ERR_ENCODE_FIELD for values outside their wire type', (t) => {
  const bad = (body: object): Message => ({ kind: 'command', cmd: 2, msg_id: 1, flags: 0, error_no: 0, body }) as Message;
  const ok = { argsz: 32, flags: 3, offset: 0n, addr: 0n, size: 0n };
  t.is(encode(bad(ok)).length, 48);
  for (const body of [
    { ...ok, argsz: -1 },
    { ...ok, argsz: 2 ** 32 },
    { ...ok, argsz: 1.5 },
    { ...ok, argsz: '32' },
    { ...ok, addr: -1n },
    { ...ok, addr: 2n ** 64n },
    { ...ok, addr: 5 },
  ]) {
    throwsCode(t, () => encode(bad(body)), 'ERR_ENCODE_FIELD');
  }
  throwsCode(t, () => encode({ ...command(13, 0, null), msg_id: 65536 }), 'ERR_ENCODE_FIELD');
});

test('encode: ERR_ENCODE_LENGTH, ERR_ENCODE_SHAPE, ERR_ENCODE_SPACE', (t) => {
  throwsCode(t, () => encode(command(10, 1, { offset: 0n, region: 0, count: 3, data: new Uint8Array(4) })), 'ERR_ENCODE_LENGTH');
  throwsCode(t, () => encode({ ...command(13, 1, null), flags: 1 }), 'ERR_ENCODE_SHAPE');
  throwsCode(t, () => encode({ ...errorReply({ cmd: 2, msg_id: 1 }, 22), flags: 1 }), 'ERR_ENCODE_SHAPE');
  throwsCode(t, () => encode({ kind: 'command', cmd: 99, msg_id: 1, flags: 0, error_no: 0, body: null } as unknown as Message), 'ERR_ENCODE_SHAPE');
  throwsCode(t, () => encode({ kind: 'command', cmd: 2, msg_id: 1, flags: 0, error_no: 0, body: null } as unknown as Message), 'ERR_ENCODE_SHAPE');
  throwsCode(t, () => encode(reply({ cmd: 13, msg_id: 1 }, new Uint8Array(1) as unknown as null)), 'ERR_ENCODE_SHAPE');
  const m = command(13, 1, null);
  const e = throwsCode(t, () => encodeInto(m, new Uint8Array(20), 5), 'ERR_ENCODE_SPACE');
  t.is(e.details.needed, 16);
  t.is(encodeInto(m, new Uint8Array(21), 5), 16);
  t.is(encodingLength(m), 16);
});

test('encode: a cmd that is not a number is an unknown command, whatever it converts to', (t) => {
  for (const cmd of ['2', 2n, new Number(2), 'length']) {
    const m = { kind: 'reply', cmd, msg_id: 1, flags: 1, error_no: 0, body: null } as unknown as Message;
    throwsCode(t, () => encode(m), 'ERR_ENCODE_SHAPE');
    throwsCode(t, () => encodeInto(m, new Uint8Array(64)), 'ERR_ENCODE_SHAPE');
  }
});

test('resolveOptions: a resolved object is reused; a spread copy with new limits is merged, not trusted', (t) => {
  const opt = resolveOptions({ dialect: 'qemu' });
  t.is(resolveOptions(opt), opt);
  const copy = resolveOptions({ ...opt, limits: { maxDataXferSize: 8 } });
  t.not(copy, opt);
  t.is(copy.dialect, 'qemu');
  t.is(copy.limits.maxDataXferSize, 8);
  t.is(copy.limits.maxMessageSize, 1048608);
  throwsCode(t, () => decode(msg(9, 0, [...u64(0n), ...u32(0), ...u32(9)]), copy), 'ERR_LIMIT');
});

test('maxIovaRanges: a draft IOVA-ranges reply at the limit decodes, one range more is ERR_LIMIT', (t) => {
  const ranges = (n: number): Uint8Array =>
    msg(27, 1, [...u32(24 + 16 * n), ...u32(0), ...u32(1), ...u32(n), ...u64(0x1000n), ...Array.from({ length: n }, (_, i) => [...u64(BigInt(i) << 32n), ...u64((BigInt(i) << 32n) + 0xfffn)]).flat()]);
  const opt = { drafts: true, limits: { maxIovaRanges: 3 } };
  t.is(decode(ranges(3), opt).cmd, 27);
  const e = throwsCode(t, () => decode(ranges(4), opt), 'ERR_LIMIT');
  t.is(e.details.limitName, 'maxIovaRanges');
  t.is(e.offset, 28);
});
