/**
 * pcapng for vfio-user captures: one Enhanced Packet Block per message.
 *
 * The link type is LINKTYPE_WIRESHARK_UPPER_PDU (252): each packet starts
 * with Wireshark's exported-PDU tags, big-endian TLVs, naming the dissector
 * that reads the rest (tag 12, EXP_PDU_TAG_DISSECTOR_NAME, value
 * `vfio_user_capture`, NUL-padded to 4 bytes; then tag 0, the end). After
 * the tags comes a 16-byte pseudo-header, little-endian, then the whole
 * vfio-user message, header included:
 *
 * | offset | size | field | meaning |
 * | --- | --- | --- | --- |
 * | 0 | 1 | version | 1 |
 * | 1 | 1 | dir | 0 unknown, 1 client to server (`c2s`), 2 server to client (`s2c`) |
 * | 2 | 1 | socket | 0 unknown, 1 main, 2 twin |
 * | 3 | 1 | known | bit 0: nfds is known; bit 1: conn is known; bit 2: the timestamp is known |
 * | 4 | 4 | nfds | file descriptors that travelled with the message |
 * | 8 | 4 | conn | connection number |
 * | 12 | 4 | seq | the message's number in the capture |
 *
 * The packet's timestamp is the message's `time` (microseconds); a
 * connection named by a string rather than a number travels in the
 * packet's comment as `conn=NAME`. Wireshark with the generated dissector
 * (generated/wireshark/vfio-user.lua) shows all of it.
 */
import { VfioUserCaptureError } from '../errors.js';
import type { CaptureRecord, Direction } from './jsonl.js';

/** LINKTYPE_WIRESHARK_UPPER_PDU: packets start with exported-PDU tags. */
export const LINKTYPE_WIRESHARK_UPPER_PDU = 252;
/** The dissector the exported-PDU tag names: the pseudo-header, then the message. */
export const PCAPNG_DISSECTOR = 'vfio_user_capture';
/**
 * The snap length: the most bytes of one packet the file keeps (Wireshark's
 * limit for exported PDUs, 256 KiB). A longer message is cut there and keeps
 * its original length in the block, as a capture with a snap length does.
 */
export const PCAPNG_SNAPLEN = 262144;
/** Size of the pseudo-header before each message. */
export const PSEUDO_HEADER_SIZE = 16;

const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 1;
const BLOCK_EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const EXP_PDU_TAG_END = 0;
const EXP_PDU_TAG_DISSECTOR_NAME = 12;
const OPT_END = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_TSRESOL = 9;

const KNOWN_NFDS = 1;
const KNOWN_CONN = 2;
const KNOWN_TIME = 4;

const DIRS: readonly (Direction | null)[] = [null, 'c2s', 's2c'];
const SOCKETS = [null, 'main', 'twin'] as const;

function formatError(message: string, offset: number): never {
  throw new VfioUserCaptureError('ERR_CAPTURE_FORMAT', message, offset);
}

const pad4 = (n: number): number => (n + 3) & ~3;

function option(code: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + pad4(value.length));
  const v = new DataView(out.buffer);
  v.setUint16(0, code, true);
  v.setUint16(2, value.length, true);
  out.set(value, 4);
  return out;
}

function block(type: number, body: Uint8Array): Uint8Array {
  const len = 12 + body.length;
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, len, true);
  out.set(body, 8);
  v.setUint32(len - 4, len, true);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/** The Section Header Block and the one Interface Description Block every file starts with. */
export function pcapngHeader(): Uint8Array {
  const shb = new Uint8Array(16);
  const s = new DataView(shb.buffer);
  s.setUint32(0, BYTE_ORDER_MAGIC, true);
  s.setUint16(4, 1, true);
  s.setUint16(6, 0, true);
  s.setBigInt64(8, -1n, true);
  const appl = option(SHB_USERAPPL, new TextEncoder().encode('vfio-user-protocol'));
  const idb = new Uint8Array(8);
  const i = new DataView(idb.buffer);
  i.setUint16(0, LINKTYPE_WIRESHARK_UPPER_PDU, true);
  i.setUint32(4, PCAPNG_SNAPLEN, true);
  const tsresol = option(IF_TSRESOL, Uint8Array.of(6));
  return concat([block(BLOCK_SHB, concat([shb, appl, new Uint8Array(4)])), block(BLOCK_IDB, concat([idb, tsresol, new Uint8Array(4)]))]);
}

const TAGS = ((): Uint8Array => {
  const name = new TextEncoder().encode(PCAPNG_DISSECTOR);
  const len = pad4(name.length);
  const out = new Uint8Array(4 + len + 4);
  const v = new DataView(out.buffer);
  v.setUint16(0, EXP_PDU_TAG_DISSECTOR_NAME, false);
  v.setUint16(2, len, false);
  out.set(name, 4);
  v.setUint16(4 + len, EXP_PDU_TAG_END, false);
  v.setUint16(6 + len, 0, false);
  return out;
})();

/** One Enhanced Packet Block for `r`. @throws VfioUserCaptureError (`ERR_CAPTURE_FORMAT`) for a seq or numeric conn outside 0..2^32-1. */
export function pcapngPacket(r: CaptureRecord): Uint8Array {
  const ph = new Uint8Array(PSEUDO_HEADER_SIZE);
  const p = new DataView(ph.buffer);
  const time = r.time ?? null;
  let known = 0;
  if (r.nfds !== null) known |= KNOWN_NFDS;
  if (typeof r.conn === 'number') {
    if (r.conn < 0 || r.conn > 0xffffffff) formatError(`seq ${r.seq}: conn ${r.conn} does not fit in 32 bits`, 0);
    known |= KNOWN_CONN;
  }
  if (time !== null) known |= KNOWN_TIME;
  if (r.seq > 0xffffffff) formatError(`seq ${r.seq} does not fit in 32 bits`, 0);
  p.setUint8(0, 1);
  p.setUint8(1, r.dir === null ? 0 : DIRS.indexOf(r.dir));
  p.setUint8(2, r.socket === null ? 0 : SOCKETS.indexOf(r.socket));
  p.setUint8(3, known);
  p.setUint32(4, Math.min(r.nfds ?? 0, 0xffffffff), true);
  p.setUint32(8, typeof r.conn === 'number' ? r.conn : 0, true);
  p.setUint32(12, r.seq, true);
  const whole = TAGS.length + ph.length + r.bytes.length;
  const data = concat([TAGS, ph, r.bytes.subarray(0, Math.max(0, PCAPNG_SNAPLEN - TAGS.length - ph.length))]);
  const head = new Uint8Array(20);
  const h = new DataView(head.buffer);
  const us = time === null ? 0n : BigInt(Math.round(time * 1e6));
  h.setUint32(0, 0, true);
  h.setUint32(4, Number(us >> 32n), true);
  h.setUint32(8, Number(us & 0xffffffffn), true);
  h.setUint32(12, data.length, true);
  h.setUint32(16, whole, true);
  const parts = [head, data, new Uint8Array(pad4(data.length) - data.length)];
  if (typeof r.conn === 'string') parts.push(option(OPT_COMMENT, new TextEncoder().encode(`conn=${r.conn}`)), new Uint8Array(4));
  return block(BLOCK_EPB, concat(parts));
}

/** A whole pcapng file of `records`. */
export function toPcapng(records: Iterable<CaptureRecord>): Uint8Array {
  const parts = [pcapngHeader()];
  for (const r of records) parts.push(pcapngPacket(r));
  return concat(parts);
}

interface Iface {
  readonly linktype: number;
  /** Timestamp units per second. */
  readonly units: bigint;
}

/**
 * Reads pcapng block by block: feed it bytes with {@link PcapngReader.push},
 * take the records it could complete. Holds at most one block (bounded by
 * `maxBlockBytes`) besides the interfaces it has seen.
 */
export class PcapngReader {
  readonly #maxBlockBytes: number;
  #pending: Buffer = Buffer.alloc(0);
  #offset = 0;
  #ifaces: Iface[] = [];
  #seq = 0;
  #started = false;

  constructor(maxBlockBytes: number) {
    this.#maxBlockBytes = maxBlockBytes;
  }

  /** Records completed by `chunk`. @throws VfioUserCaptureError */
  push(chunk: Uint8Array): CaptureRecord[] {
    this.#pending = this.#pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.#pending, chunk]);
    const out: CaptureRecord[] = [];
    let o = 0;
    const buf = this.#pending;
    while (buf.length - o >= 12) {
      const type = buf.readUInt32LE(o);
      if (!this.#started && type !== BLOCK_SHB) formatError('not pcapng: no Section Header Block', this.#offset + o);
      const len = buf.readUInt32LE(o + 4);
      if (type === BLOCK_SHB && buf.readUInt32LE(o + 8) !== BYTE_ORDER_MAGIC) formatError('big-endian pcapng is not supported', this.#offset + o + 8);
      if (len < 12 || len % 4 !== 0) formatError(`block length ${len} is not a multiple of 4 of at least 12`, this.#offset + o + 4);
      if (len > this.#maxBlockBytes) throw new VfioUserCaptureError('ERR_CAPTURE_LINE_LENGTH', `pcapng block of ${len} bytes exceeds maxLineBytes ${this.#maxBlockBytes}`, this.#offset + o, { limitName: 'maxLineBytes', limit: this.#maxBlockBytes, value: len });
      if (buf.length - o < len) break;
      if (buf.readUInt32LE(o + len - 4) !== len) formatError('block lengths at start and end differ', this.#offset + o + len - 4);
      const body = buf.subarray(o + 8, o + len - 4);
      const r = this.#block(type, body, this.#offset + o);
      if (r !== null) out.push(r);
      o += len;
    }
    this.#offset += o;
    this.#pending = o === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(o));
    return out;
  }

  /** Checks that the input ended on a block boundary. @throws VfioUserCaptureError */
  end(): void {
    if (this.#pending.length > 0) formatError(`pcapng ends inside a block (${this.#pending.length} bytes left)`, this.#offset);
  }

  #block(type: number, body: Buffer, at: number): CaptureRecord | null {
    if (type === BLOCK_SHB) {
      this.#started = true;
      this.#ifaces = [];
      return null;
    }
    if (type === BLOCK_IDB) {
      if (body.length < 8) formatError('Interface Description Block too short', at);
      let units = 1_000_000n;
      for (const [code, value] of options(body.subarray(8), at + 16)) {
        if (code === IF_TSRESOL && value.length >= 1) {
          const r = value[0]!;
          units = r & 0x80 ? 2n ** BigInt(r & 0x7f) : 10n ** BigInt(r);
        }
      }
      this.#ifaces.push({ linktype: body.readUInt16LE(0), units });
      return null;
    }
    if (type !== BLOCK_EPB) return null;
    if (body.length < 20) formatError('Enhanced Packet Block too short', at);
    const iface = this.#ifaces[body.readUInt32LE(0)];
    if (iface === undefined) formatError('packet names an interface that was not described', at + 8);
    const ts = (BigInt(body.readUInt32LE(4)) << 32n) | BigInt(body.readUInt32LE(8));
    const caplen = body.readUInt32LE(12);
    if (20 + caplen > body.length) formatError('packet longer than its block', at + 20);
    const data = body.subarray(20, 20 + caplen);
    let connName: string | null = null;
    for (const [code, value] of options(body.subarray(20 + pad4(caplen)), at + 28 + pad4(caplen))) {
      if (code === OPT_COMMENT) {
        const text = value.toString('utf8');
        if (text.startsWith('conn=')) connName = text.slice(5);
      }
    }
    if (iface.linktype !== LINKTYPE_WIRESHARK_UPPER_PDU) formatError(`link type ${iface.linktype} is not ${LINKTYPE_WIRESHARK_UPPER_PDU} (exported PDUs)`, at);
    return this.#packet(data, ts, iface.units, connName, at + 28);
  }

  #packet(data: Buffer, ts: bigint, units: bigint, connName: string | null, at: number): CaptureRecord {
    let o = 0;
    let dissector: string | null = null;
    for (;;) {
      if (data.length - o < 4) formatError('exported-PDU tags run past the packet', at + o);
      const tag = data.readUInt16BE(o);
      const len = data.readUInt16BE(o + 2);
      o += 4;
      if (tag === EXP_PDU_TAG_END) break;
      if (data.length - o < len) formatError('exported-PDU tag runs past the packet', at + o);
      if (tag === EXP_PDU_TAG_DISSECTOR_NAME) dissector = data.toString('latin1', o, o + len).replace(/\0+$/, '');
      o += len;
    }
    this.#seq++;
    if (dissector === 'vfio_user') return { seq: this.#seq, dir: null, nfds: null, conn: connName, socket: null, bytes: new Uint8Array(data.subarray(o)) };
    if (dissector !== PCAPNG_DISSECTOR) formatError(`packet for dissector '${dissector ?? '(none)'}', not ${PCAPNG_DISSECTOR}`, at);
    if (data.length - o < PSEUDO_HEADER_SIZE) formatError('pseudo-header cut short', at + o);
    if (data[o] !== 1) formatError(`pseudo-header version ${data[o]!} is not 1`, at + o);
    const dir = DIRS[data[o + 1]!];
    const socket = SOCKETS[data[o + 2]!];
    if (dir === undefined) formatError(`pseudo-header dir ${data[o + 1]!} is not 0, 1 or 2`, at + o + 1);
    if (socket === undefined) formatError(`pseudo-header socket ${data[o + 2]!} is not 0, 1 or 2`, at + o + 2);
    const known = data[o + 3]!;
    const r: CaptureRecord = {
      seq: data.readUInt32LE(o + 12),
      dir,
      nfds: known & KNOWN_NFDS ? data.readUInt32LE(o + 4) : null,
      conn: known & KNOWN_CONN ? data.readUInt32LE(o + 8) : connName,
      socket,
      bytes: new Uint8Array(data.subarray(o + PSEUDO_HEADER_SIZE)),
    };
    if (!(known & KNOWN_TIME)) return r;
    const whole = ts / units;
    return { ...r, time: Number(whole) + Number(ts - whole * units) / Number(units) };
  }
}

function* options(b: Buffer, at: number): Generator<[number, Buffer]> {
  let o = 0;
  while (b.length - o >= 4) {
    const code = b.readUInt16LE(o);
    const len = b.readUInt16LE(o + 2);
    if (code === OPT_END) return;
    if (b.length - o - 4 < len) formatError('option runs past its block', at + o);
    yield [code, b.subarray(o + 4, o + 4 + len)];
    o += 4 + pad4(len);
  }
}
