/**
 * (c) typed-struct and (d) binary-parser versions of the representative
 * subset: the header, DMA_MAP, REGION_WRITE with data, GET_REGION_INFO reply
 * with a sparse-mmap capability, DMA_UNMAP reply with a bitmap, IOAS_MAP.
 * Writing library versions of every other tail would be disproportionate.
 *
 * Both read the layout sequentially and check nothing the libraries do not
 * check themselves (no flag, argsz, limit or length checks; the capability
 * is read where this message has it, not by walking cap_offset/next), which
 * favours them. typed-struct gets Buffer views of the receive buffer, as a
 * Node transport delivers them (a plain Uint8Array would be copied), and
 * its decode reads every field into the package's message shape, since its
 * instances are lazy; its encode makes an instance over a Buffer view of
 * the send buffer and assigns every field. binary-parser gets the same
 * Uint8Array subarrays as the package and returns its own objects; it has
 * no encoder.
 */
import { Parser } from 'binary-parser';
import { Struct } from 'typed-struct';

// ---------------------------------------------------------------------------
// typed-struct

const TsHeader = new Struct('vfio_user_header').UInt16LE('msg_id').UInt16LE('cmd').UInt32LE('msg_size').UInt32LE('flags').UInt32LE('error_no').compile();
const TsArea = new Struct('vfio_region_sparse_mmap_area').BigUInt64LE('offset').BigUInt64LE('size').compile();
const TsCapHeader = new Struct('vfio_info_cap_header').UInt16LE('id').UInt16LE('version').UInt32LE('next').compile();

const TsDmaMap = new Struct('dma_map_message')
  .Struct('header', TsHeader)
  .UInt32LE('argsz')
  .UInt32LE('flags')
  .BigUInt64LE('offset')
  .BigUInt64LE('addr')
  .BigUInt64LE('size')
  .compile();

const TsRegionWrite = new Struct('region_write_message')
  .Struct('header', TsHeader)
  .BigUInt64LE('offset')
  .UInt32LE('region')
  .UInt32LE('count')
  .Buffer('data')
  .compile();

const TsRegionInfoSparse = new Struct('region_info_reply_message')
  .Struct('header', TsHeader)
  .UInt32LE('argsz')
  .UInt32LE('flags')
  .UInt32LE('index')
  .UInt32LE('cap_offset')
  .BigUInt64LE('size')
  .BigUInt64LE('offset')
  .Struct('cap_header', TsCapHeader)
  .UInt32LE('nr_areas')
  .UInt32LE('reserved')
  .StructArray('areas', TsArea)
  .compile();

const TsDmaUnmapBitmap = new Struct('dma_unmap_reply_message')
  .Struct('header', TsHeader)
  .UInt32LE('argsz')
  .UInt32LE('flags')
  .BigUInt64LE('addr')
  .BigUInt64LE('size')
  .BigUInt64LE('pgsize')
  .BigUInt64LE('bitmap_size')
  .Buffer('data')
  .compile();

const TsIoasMap = new Struct('ioas_map_message')
  .Struct('header', TsHeader)
  .UInt32LE('argsz')
  .UInt32LE('flags')
  .UInt32LE('ioas_id')
  .UInt32LE('__reserved')
  .BigUInt64LE('user_va')
  .BigUInt64LE('length')
  .BigUInt64LE('iova')
  .BigUInt64LE('offset')
  .compile();

interface HeaderFields {
  msg_id: number;
  cmd: number;
  msg_size: number;
  flags: number;
  error_no: number;
}

function kindOf(flags: number): 'command' | 'reply' {
  return (flags & 0xf) === 0 ? 'command' : 'reply';
}

/** A decoder (Buffer view in, the package's message shape out) and an encoder (message in, send buffer view out). */
export interface LibraryCodec {
  readonly decodeTs: (buf: Buffer) => unknown;
  readonly encodeTs: (m: unknown, out: Buffer) => number;
  readonly decodeBp: (bytes: Uint8Array) => unknown;
  /** binary-parser's result in the package's message shape (for the start-up check only). */
  readonly projectBp: (r: unknown) => unknown;
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function setHeader(h: HeaderFields, m: Any, len: number): void {
  h.msg_id = m.msg_id;
  h.cmd = m.cmd;
  h.msg_size = len;
  h.flags = m.flags;
  h.error_no = m.error_no;
}

function message(h: Any, body: unknown): unknown {
  return { kind: kindOf(h.flags), cmd: h.cmd, msg_id: h.msg_id, flags: h.flags, error_no: h.error_no, body };
}

/**
 * typed-struct's results as plain objects. Each literal starts with a `$ts`
 * key so that its hidden class differs from the package's objects of the
 * same fields: sharing one would let typed-struct's Buffer tails generalise
 * the field types the package's optimized code depends on, and deoptimize it
 * (measured: encodeInto of REGION_WRITE 2-4x slower in some runs).
 * The start-up check removes the key (see withoutTags).
 */
function tsMessage(h: Any, body: unknown): unknown {
  return { $ts: 1, kind: kindOf(h.flags), cmd: h.cmd, msg_id: h.msg_id, flags: h.flags, error_no: h.error_no, body };
}

/** A typed-struct result without its `$ts` tags, for comparison with the package's. */
export function withoutTags(x: unknown): unknown {
  if (x instanceof Uint8Array || typeof x !== 'object' || x === null) return x;
  if (Array.isArray(x)) return x.map(withoutTags);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) if (k !== '$ts') out[k] = withoutTags(v);
  return out;
}

// ---------------------------------------------------------------------------
// binary-parser

const BpHeader = new Parser().endianness('little').uint16('msg_id').uint16('cmd').uint32('msg_size').uint32('flags').uint32('error_no');
/** The header row's own parser: one that is also nested in the message parsers is compiled differently by binary-parser. */
const BpHeaderAlone = new Parser().endianness('little').uint16('msg_id').uint16('cmd').uint32('msg_size').uint32('flags').uint32('error_no');
const BpArea = new Parser().endianness('little').uint64('offset').uint64('size');
const BpCapHeader = new Parser().endianness('little').uint16('id').uint16('version').uint32('next');

const BpDmaMap = new Parser()
  .endianness('little')
  .nest('header', { type: BpHeader })
  .nest('body', { type: new Parser().endianness('little').uint32('argsz').uint32('flags').uint64('offset').uint64('addr').uint64('size') });

const BpRegionWrite = new Parser()
  .endianness('little')
  .nest('header', { type: BpHeader })
  .nest('body', { type: new Parser().endianness('little').uint64('offset').uint32('region').uint32('count').buffer('data', { length: 'count' }) });

const BpRegionInfoSparse = new Parser()
  .endianness('little')
  .nest('header', { type: BpHeader })
  .nest('body', {
    type: new Parser()
      .endianness('little')
      .uint32('argsz')
      .uint32('flags')
      .uint32('index')
      .uint32('cap_offset')
      .uint64('size')
      .uint64('offset')
      .nest('cap', {
        type: new Parser().endianness('little').nest('header', { type: BpCapHeader }).uint32('nr_areas').uint32('reserved').array('areas', { type: BpArea, length: 'nr_areas' }),
      }),
  });

const BpDmaUnmapBitmap = new Parser()
  .endianness('little')
  .nest('header', { type: BpHeader })
  .nest('body', {
    type: new Parser()
      .endianness('little')
      .uint32('argsz')
      .uint32('flags')
      .uint64('addr')
      .uint64('size')
      .nest('bitmap', {
        type: new Parser()
          .endianness('little')
          .uint64('pgsize')
          .uint64('size')
          .buffer('data', {
            length(this: { size: bigint }): number {
              return Number(this.size);
            },
          }),
      }),
  });

const BpIoasMap = new Parser()
  .endianness('little')
  .nest('header', { type: BpHeader })
  .nest('body', {
    type: new Parser().endianness('little').uint32('argsz').uint32('flags').uint32('ioas_id').uint32('__reserved').uint64('user_va').uint64('length').uint64('iova').uint64('offset'),
  });

function bpMessage(r: unknown): unknown {
  const x = r as Any;
  return message(x.header, x.body);
}

// ---------------------------------------------------------------------------
// The codecs, by benchmark row

/** The header struct alone (decoded from / encoded into the first 16 bytes of a message). */
export const header: LibraryCodec = {
  decodeTs(buf) {
    const h = new TsHeader(buf);
    return { $ts: 1, msg_id: h.msg_id, cmd: h.cmd, msg_size: h.msg_size, flags: h.flags, error_no: h.error_no };
  },
  encodeTs(m, out) {
    const h = new TsHeader(out);
    const s = m as HeaderFields;
    h.msg_id = s.msg_id;
    h.cmd = s.cmd;
    h.msg_size = s.msg_size;
    h.flags = s.flags;
    h.error_no = s.error_no;
    return 16;
  },
  decodeBp: (bytes) => BpHeaderAlone.parse(bytes),
  projectBp: (r) => r,
};

/** Library codecs by case name. */
export const libraries: Readonly<Record<string, LibraryCodec>> = {
  'DMA_MAP command': {
    decodeTs(buf) {
      const x = new TsDmaMap(buf);
      return tsMessage(x.header, { $ts: 1, argsz: x.argsz, flags: x.flags, offset: x.offset, addr: x.addr, size: x.size });
    },
    encodeTs(m, out) {
      const x = new TsDmaMap(out);
      const s = m as Any;
      const b = s.body as Any;
      setHeader(x.header, s, 48);
      x.argsz = b.argsz;
      x.flags = b.flags;
      x.offset = b.offset;
      x.addr = b.addr;
      x.size = b.size;
      return 48;
    },
    decodeBp: (bytes) => BpDmaMap.parse(bytes),
    projectBp: bpMessage,
  },
  'REGION_WRITE command (8 B)': regionWrite(),
  'REGION_WRITE command (1 MiB)': regionWrite(),
  'GET_REGION_INFO reply (sparse caps)': {
    decodeTs(buf) {
      const x = new TsRegionInfoSparse(buf);
      const h = x.cap_header;
      const areas = x.areas.map((a) => ({ $ts: 1, offset: a.offset, size: a.size }));
      const cap = { $ts: 1, kind: 'sparse_mmap', header: { $ts: 1, id: h.id, version: h.version, next: h.next }, nr_areas: x.nr_areas, reserved: x.reserved, areas };
      return tsMessage(x.header, { $ts: 1, argsz: x.argsz, flags: x.flags, index: x.index, cap_offset: x.cap_offset, size: x.size, offset: x.offset, caps: [cap] });
    },
    encodeTs(m, out) {
      const x = new TsRegionInfoSparse(out);
      const s = m as Any;
      const b = s.body as Any;
      setHeader(x.header, s, out.length);
      x.argsz = b.argsz;
      x.flags = b.flags;
      x.index = b.index;
      x.cap_offset = b.cap_offset;
      x.size = b.size;
      x.offset = b.offset;
      const cap = (b.caps as Any[])[0]!;
      x.cap_header.id = cap.header.id;
      x.cap_header.version = cap.header.version;
      x.cap_header.next = cap.header.next;
      x.nr_areas = cap.nr_areas;
      x.reserved = cap.reserved;
      const areas = cap.areas as Any[];
      for (let i = 0; i < areas.length; i++) {
        const a = x.areas[i]!;
        a.offset = areas[i]!.offset;
        a.size = areas[i]!.size;
      }
      return out.length;
    },
    decodeBp: (bytes) => BpRegionInfoSparse.parse(bytes),
    projectBp(r) {
      const x = r as Any;
      const b = x.body as Any;
      const c = b.cap as Any;
      const cap = { kind: 'sparse_mmap', header: c.header, nr_areas: c.nr_areas, reserved: c.reserved, areas: c.areas };
      return message(x.header, { argsz: b.argsz, flags: b.flags, index: b.index, cap_offset: b.cap_offset, size: b.size, offset: b.offset, caps: [cap] });
    },
  },
  'DMA_UNMAP reply (bitmap 8 B)': {
    decodeTs(buf) {
      const x = new TsDmaUnmapBitmap(buf);
      return tsMessage(x.header, { $ts: 1, argsz: x.argsz, flags: x.flags, addr: x.addr, size: x.size, bitmap: { $ts: 1, pgsize: x.pgsize, size: x.bitmap_size, data: x.data } });
    },
    encodeTs(m, out) {
      const x = new TsDmaUnmapBitmap(out);
      const s = m as Any;
      const b = s.body as Any;
      setHeader(x.header, s, out.length);
      x.argsz = b.argsz;
      x.flags = b.flags;
      x.addr = b.addr;
      x.size = b.size;
      x.pgsize = b.bitmap.pgsize;
      x.bitmap_size = b.bitmap.size;
      x.data.set(b.bitmap.data as Uint8Array);
      return out.length;
    },
    decodeBp: (bytes) => BpDmaUnmapBitmap.parse(bytes),
    projectBp: bpMessage,
  },
  'IOMMUFD_IOAS_MAP command': {
    decodeTs(buf) {
      const x = new TsIoasMap(buf);
      return tsMessage(x.header, {
        $ts: 1,
        argsz: x.argsz,
        flags: x.flags,
        ioas_id: x.ioas_id,
        __reserved: x.__reserved,
        user_va: x.user_va,
        length: x.length,
        iova: x.iova,
        offset: x.offset,
      });
    },
    encodeTs(m, out) {
      const x = new TsIoasMap(out);
      const s = m as Any;
      const b = s.body as Any;
      setHeader(x.header, s, 64);
      x.argsz = b.argsz;
      x.flags = b.flags;
      x.ioas_id = b.ioas_id;
      x.__reserved = b.__reserved;
      x.user_va = b.user_va;
      x.length = b.length;
      x.iova = b.iova;
      x.offset = b.offset;
      return 64;
    },
    decodeBp: (bytes) => BpIoasMap.parse(bytes),
    projectBp: bpMessage,
  },
};

function regionWrite(): LibraryCodec {
  return {
    decodeTs(buf) {
      const x = new TsRegionWrite(buf);
      return tsMessage(x.header, { $ts: 1, offset: x.offset, region: x.region, count: x.count, data: x.data });
    },
    encodeTs(m, out) {
      const x = new TsRegionWrite(out);
      const s = m as Any;
      const b = s.body as Any;
      setHeader(x.header, s, out.length);
      x.offset = b.offset;
      x.region = b.region;
      x.count = b.count;
      x.data.set(b.data as Uint8Array);
      return out.length;
    },
    decodeBp: (bytes) => BpRegionWrite.parse(bytes),
    projectBp: bpMessage,
  };
}
