/**
 * The variable tails whose layout depends on more than one field: the
 * VERSION JSON, the DMA_UNMAP bitmap, the region-info capability chain, the
 * IO_FDS sub-region array, DEVICE_FEATURE payloads and the legacy
 * DIRTY_PAGES range. The generated body codecs call these.
 *
 * Decoders take absolute offsets `o` into the buffer behind `v`, the tail's
 * length `n`, and `m0`, the absolute offset of the message start (errors
 * report offsets relative to it).
 */
import type {
  vfio_region_sparse_mmap_area,
  vfio_user_bitmap,
  vfio_user_bitmap_range,
  vfio_user_device_feature_dma_logging_range,
  vfio_user_sub_region_ioeventfd,
  vfio_user_sub_region_ioregionfd,
} from '../generated/ts/structs.js';
import {
  vfio_info_cap_header_SIZE,
  vfio_region_info_cap_sparse_mmap_SIZE,
  vfio_region_info_cap_type_SIZE,
  vfio_region_info_SIZE,
  vfio_region_sparse_mmap_area_SIZE,
  read_vfio_region_sparse_mmap_area,
  read_vfio_user_device_feature_dma_logging_range,
  read_vfio_user_sub_region_ioeventfd,
  read_vfio_user_sub_region_ioregionfd,
  write_vfio_region_sparse_mmap_area,
  write_vfio_user_device_feature_dma_logging_range,
  write_vfio_user_sub_region_ioeventfd,
  write_vfio_user_sub_region_ioregionfd,
} from '../generated/ts/structs.js';
import {
  VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
  VFIO_REGION_INFO_CAP_SPARSE_MMAP,
  VFIO_REGION_INFO_CAP_TYPE,
  VFIO_REGION_INFO_FLAG_CAPS,
  VFIO_USER_DEVICE_GET_REGION_INFO,
  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
  VFIO_DEVICE_FEATURE_GET,
  VFIO_DEVICE_FEATURE_MASK,
  VFIO_DEVICE_FEATURE_SET,
  VFIO_DEVICE_FEATURE_PROBE,
  VFIO_DEVICE_FEATURE_MIGRATION,
  VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
  VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP,
  VFIO_USER_DEVICE_GET_REGION_IO_FDS,
  VFIO_USER_DEVICE_FEATURE,
  VFIO_USER_DIRTY_PAGES,
} from '../generated/ts/constants.js';
import { bitmapBytes, isBitmapSize, isPowerOfTwo } from './bitmap.js';
import { parseVersionJson, type VersionJson } from './capabilities.js';
import { invalid } from './errors.js';
import type { ResolvedOptions } from './options.js';
import {
  badArgsz,
  badField,
  badShape,
  bodyLong,
  bodyShort,
  checkArray,
  checkBytes,
  checkLimit,
  encodeLength,
  isU64,
  tailLength,
  view,
} from './wire.js';

// ---------------------------------------------------------------------------
// VERSION JSON

/** The JSON text of a VERSION tail without its NUL (a view). Validation is decodeJsonTail's. */
export function jsonText(tail: Uint8Array): Uint8Array {
  return tail.length === 0 ? tail : tail.subarray(0, tail.length - 1);
}

/** Parses a VERSION tail (JSON and its NUL); null when the tail is empty. */
export function decodeJsonTail(tail: Uint8Array, offset: number, opt: ResolvedOptions): VersionJson | null {
  if (tail.length === 0) return null;
  return parseVersionJson(tail, offset, opt.limits);
}

/** Bytes a VERSION tail takes: the text and its NUL, or nothing. */
export function jsonTailLength(data: unknown): number {
  const d = checkBytes('data', data);
  return d.length === 0 ? 0 : d.length + 1;
}

/** Writes the JSON text and its NUL; returns the bytes written. */
export function encodeJsonTail(b: Uint8Array, o: number, data: Uint8Array): number {
  if (data.length === 0) return 0;
  b.set(data, o);
  b[o + data.length] = 0;
  return data.length + 1;
}

// ---------------------------------------------------------------------------
// DMA_UNMAP bitmap

/** A vfio_user_bitmap with its bitmap bytes, as in a DMA_UNMAP reply. */
export interface UnmapBitmapWithData extends vfio_user_bitmap {
  /** The bitmap (a view into the input). */
  data: Uint8Array;
}


/** x === BigInt(n) for a u64 x and a length n, without making a bigint. */
function sameLength(x: bigint, n: number): boolean {
  return x <= 0x1fffffffffffffn && Number(x) === n;
}

function checkPgsize(pgsize: bigint, field: string, offset: number, cmd: number): void {
  if (!isPowerOfTwo(pgsize)) invalid('ERR_BAD_VALUE', `${field} = ${pgsize} is not a power of two`, offset, { cmd, field, value: pgsize });
}

/**
 * The bitmap that follows vfio_user_dma_unmap when flags has
 * GET_DIRTY_BITMAP: its 16-byte header (request), or header and bitmap
 * (reply). bitmap.size must equal the size computed from the window size and
 * pgsize, and argsz of a request must leave room for the bitmap.
 */
export function decodeUnmapBitmap(
  v: DataView,
  o: number,
  n: number,
  flags: number,
  argsz: number,
  withData: boolean,
  windowSize: bigint,
  m0: number,
  opt: ResolvedOptions,
  cmd: number,
): UnmapBitmapWithData | vfio_user_bitmap | null {
  if ((flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) === 0) {
    if (n !== 0) bodyLong(cmd, 24, 24 + n, o - m0);
    return null;
  }
  if (n < 16) bodyShort(cmd, 40, 24 + n, o - m0 - 24);
  const pgsize = v.getBigUint64(o, true);
  const size = v.getBigUint64(o + 8, true);
  checkLimit('maxBitmapBytes', opt.limits.maxBitmapBytes, size, o + 8 - m0, cmd);
  checkPgsize(pgsize, 'vfio_user_bitmap.pgsize', o - m0, cmd);
  if (!isBitmapSize(size, windowSize, pgsize)) {
    invalid('ERR_BAD_VALUE', `vfio_user_bitmap.size = ${size}, the window needs ${bitmapBytes(windowSize, pgsize)}`, o + 8 - m0, { cmd, field: 'vfio_user_bitmap.size', value: size });
  }
  const bytes = Number(size);
  if (!withData) {
    if (n !== 16) bodyLong(cmd, 40, 24 + n, o + 16 - m0);
    if (argsz < 40 + bytes) badArgsz(cmd, 'vfio_user_dma_unmap.argsz', argsz, 40 + bytes, o - 24 - m0);
    return { pgsize, size };
  }
  if (n !== 16 + bytes) tailLength(cmd, 'vfio_user_bitmap.size', bytes, n - 16, o + 8 - m0);
  return { pgsize, size, data: view(v, o + 16, bytes) };
}

/** Bytes the DMA_UNMAP bitmap takes. */
export function unmapBitmapLength(bitmap: unknown, withData: boolean): number {
  if (bitmap === null) return 0;
  if (typeof bitmap !== 'object' || bitmap === undefined) badShape('bitmap must be an object or null');
  return 16 + (withData ? checkBytes('bitmap.data', (bitmap as UnmapBitmapWithData).data).length : 0);
}

/** Writes the DMA_UNMAP bitmap; returns the bytes written. */
export function encodeUnmapBitmap(
  v: DataView,
  b: Uint8Array,
  o: number,
  bitmap: vfio_user_bitmap | UnmapBitmapWithData | null,
  flags: number,
  withData: boolean,
): number {
  if ((flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) === 0) {
    if (bitmap !== null) badShape('bitmap must be null without VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP');
    return 0;
  }
  if (bitmap === null) badShape('bitmap is required with VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP');
  if (!isU64(bitmap.pgsize)) badField('vfio_user_bitmap.pgsize', bitmap.pgsize);
  if (!isU64(bitmap.size)) badField('vfio_user_bitmap.size', bitmap.size);
  v.setBigUint64(o, bitmap.pgsize, true);
  v.setBigUint64(o + 8, bitmap.size, true);
  if (!withData) return 16;
  const data = (bitmap as UnmapBitmapWithData).data;
  if (!sameLength(bitmap.size, data.length)) encodeLength('vfio_user_bitmap.size', bitmap.size, data.length);
  b.set(data, o + 16);
  return 16 + data.length;
}

// ---------------------------------------------------------------------------
// Region-info capability chain

/** The header every capability starts with (vfio_info_cap_header). */
export interface CapHeader {
  id: number;
  version: number;
  /** Offset of the next capability from the start of vfio_region_info; 0 ends the chain. */
  next: number;
}

/** Capability 1: vfio_region_info_cap_sparse_mmap. */
export interface SparseMmapCap {
  kind: 'sparse_mmap';
  header: CapHeader;
  nr_areas: number;
  reserved: number;
  areas: vfio_region_sparse_mmap_area[];
}

/** Capability 2: vfio_region_info_cap_type. */
export interface TypeCap {
  kind: 'type';
  header: CapHeader;
  type: number;
  subtype: number;
}

/** Capability 3: MSI-X mappable, header only. */
export interface MsixMappableCap {
  kind: 'msix_mappable';
  header: CapHeader;
}

/** A capability this package does not know: its header and the bytes up to the next capability. */
export interface RawCap {
  kind: 'raw';
  header: CapHeader;
  /** The bytes after the header (a view into the input). */
  data: Uint8Array;
}

/** One capability of a GET_REGION_INFO reply, in chain order. */
export type RegionCap = SparseMmapCap | TypeCap | MsixMappableCap | RawCap;

/**
 * The spec struct that lays out each `kind` of {@link RegionCap} (null: the
 * header alone, or the header and raw bytes).
 */
export const REGION_CAP_STRUCTS = {
  sparse_mmap: 'vfio_region_info_cap_sparse_mmap',
  type: 'vfio_region_info_cap_type',
  msix_mappable: null,
  raw: null,
} as const satisfies Record<RegionCap['kind'], string | null>;

const REGION_INFO_SIZE = vfio_region_info_SIZE;

/**
 * Walks the capability chain of a GET_REGION_INFO reply from cap_offset by
 * next (offsets from the start of the region info at `o`). The chain must
 * tile the bytes after the 32-byte struct exactly: no loop, no capability
 * outside the reply, no overlap, no unaccounted byte. Without the CAPS flag
 * the reply must end after the struct.
 *
 * Linear in the chain's length when the links run in offset order (as every
 * known server writes them): no loop is possible then, and each capability
 * ends where the next begins. Out of order, a Set finds loops and one sort
 * orders the offsets (k log k).
 */
export function decodeRegionCaps(v: DataView, o: number, n: number, flags: number, capOffset: number, m0: number, opt: ResolvedOptions): RegionCap[] {
  const cmd = VFIO_USER_DEVICE_GET_REGION_INFO;
  if ((flags & VFIO_REGION_INFO_FLAG_CAPS) === 0) {
    if (n !== REGION_INFO_SIZE) bodyLong(cmd, REGION_INFO_SIZE, n, o + REGION_INFO_SIZE - m0);
    return [];
  }
  if (n === REGION_INFO_SIZE) chainError(CHAIN_NO_CAP, o + 4, m0);
  const positions: number[] = [];
  // Set once the links go backwards: only then can they loop.
  let seen: Set<number> | null = null;
  let pos = capOffset;
  let prev = -1;
  let at = o + 12;
  const max = opt.limits.maxRegionCaps;
  while (pos !== 0) {
    if (positions.length >= max) checkLimit('maxRegionCaps', max, positions.length + 1, at - m0, cmd);
    if (pos <= prev) {
      if (seen === null) seen = new Set(positions);
      if (seen.has(pos)) chainLoop(pos, at, m0);
    }
    if (pos < REGION_INFO_SIZE || pos + 8 > n) chainOutside(pos, n, at, m0);
    if (seen !== null) seen.add(pos);
    else prev = pos;
    positions.push(pos);
    at = o + pos + 4;
    pos = v.getUint32(at, true);
  }
  const k = positions.length;
  if (k === 0) chainError(CHAIN_ZERO, o + 12, m0);
  if (seen === null) {
    // In offset order: the chain's order is the bytes' order.
    if (positions[0] !== REGION_INFO_SIZE) chainGap(REGION_INFO_SIZE, positions[0]!, o + REGION_INFO_SIZE, m0);
    const inOrder: RegionCap[] = new Array<RegionCap>(k);
    for (let i = 0; i < k; i++) inOrder[i] = decodeCap(v, o, positions[i]!, i + 1 < k ? positions[i + 1]! : n, m0, opt);
    return inOrder;
  }
  // Out of order: visit the capabilities by offset, each ending where the next one by offset begins.
  const order = positions.map((q, i) => [q, i] as const).sort((x, y) => x[0] - y[0]);
  if (order[0]![0] !== REGION_INFO_SIZE) chainGap(REGION_INFO_SIZE, order[0]![0], o + REGION_INFO_SIZE, m0);
  const caps: RegionCap[] = new Array<RegionCap>(k);
  for (let step = 0; step < k; step++) {
    const [p, index] = order[step]!;
    caps[index] = decodeCap(v, o, p, order[step + 1]?.[0] ?? n, m0, opt);
  }
  return caps;
}

/** Decodes the capability at `p` (from the region info at `o`) that must end exactly at `end`. */
function decodeCap(v: DataView, o: number, p: number, end: number, m0: number, opt: ResolvedOptions): RegionCap {
  const c = o + p;
  const header: CapHeader = { id: v.getUint16(c, true), version: v.getUint16(c + 2, true), next: v.getUint32(c + 4, true) };
  let size: number;
  let cap: RegionCap;
  if (header.id === VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
    if (end - p < vfio_region_info_cap_sparse_mmap_SIZE) chainCut('sparse mmap', p, c, m0);
    const nr = v.getUint32(c + 8, true);
    checkLimit('maxSparseAreas', opt.limits.maxSparseAreas, nr, c + 8 - m0, VFIO_USER_DEVICE_GET_REGION_INFO);
    size = vfio_region_info_cap_sparse_mmap_SIZE + nr * vfio_region_sparse_mmap_area_SIZE;
    if (p + size > end) chainAreas(p, nr, end, c + 8, m0);
    const areas: vfio_region_sparse_mmap_area[] = new Array(nr);
    for (let a = 0; a < nr; a++) areas[a] = read_vfio_region_sparse_mmap_area(v, c + 16 + a * 16);
    cap = { kind: 'sparse_mmap', header, nr_areas: nr, reserved: v.getUint32(c + 12, true), areas };
  } else if (header.id === VFIO_REGION_INFO_CAP_TYPE) {
    size = vfio_region_info_cap_type_SIZE;
    if (p + size > end) chainCut('type', p, c, m0);
    cap = { kind: 'type', header, type: v.getUint32(c + 8, true), subtype: v.getUint32(c + 12, true) };
  } else if (header.id === VFIO_REGION_INFO_CAP_MSIX_MAPPABLE) {
    size = vfio_info_cap_header_SIZE;
    cap = { kind: 'msix_mappable', header };
  } else {
    size = end - p;
    // The next capability may start inside this one's 8-byte header.
    if (size < vfio_info_cap_header_SIZE) chainOverlap(p, end, c, m0);
    cap = { kind: 'raw', header, data: view(v, c + 8, size - 8) };
  }
  if (p + size !== end) chainGap(p + size, end, o + p + size, m0);
  return cap;
}

// Cold paths: the messages are built here, off the walk.
const CHAIN_NO_CAP = 'VFIO_REGION_INFO_FLAG_CAPS set but no capability follows';
const CHAIN_ZERO = 'VFIO_REGION_INFO_FLAG_CAPS set but cap_offset is 0';
function chainLoop(pos: number, at: number, m0: number): never {
  return chainError(`capability chain loops back to offset ${pos}`, at, m0);
}
function chainOutside(pos: number, n: number, at: number, m0: number): never {
  return chainError(`capability at offset ${pos} lies outside the ${n}-byte reply`, at, m0);
}
function chainGap(from: number, to: number, at: number, m0: number): never {
  return chainError(`bytes ${from}..${to} belong to no capability`, at, m0);
}
function chainCut(what: string, p: number, at: number, m0: number): never {
  return chainError(`${what} capability at ${p} is cut short`, at, m0);
}
function chainAreas(p: number, nr: number, end: number, at: number, m0: number): never {
  return chainError(`sparse mmap capability at ${p} with ${nr} areas runs past ${end}`, at, m0);
}
function chainOverlap(p: number, end: number, at: number, m0: number): never {
  return chainError(`capability at ${p} overlaps the one at ${end}`, at, m0);
}

function chainError(why: string, at: number, m0: number): never {
  return invalid('ERR_CAP_CHAIN', why, at - m0, { cmd: 5 });
}

function capSize(cap: RegionCap): number {
  switch (cap.kind) {
    case 'sparse_mmap':
      return 16 + checkArray('areas', cap.areas).length * 16;
    case 'type':
      return 16;
    case 'msix_mappable':
      return 8;
    case 'raw':
      return 8 + checkBytes('data', cap.data).length;
    default:
      return badShape(`unknown capability kind ${String((cap as { kind?: unknown }).kind)}`);
  }
}

/**
 * The bytes the capability chain takes after the struct, checking that the
 * links end with the last capability and that the capabilities tile the
 * bytes after the struct without gaps or overlaps. Linear and allocation-free
 * when the links run in offset order, each capability right after the one
 * before; otherwise one sorted copy of the offsets (k log k).
 */
function capsPlan(body: { cap_offset: number; caps: RegionCap[] }): number {
  const caps = checkArray('caps', body.caps) as RegionCap[];
  const k = caps.length;
  if (k === 0) return 0;
  for (let i = 0; i < k; i++) {
    const next = caps[i]!.header.next;
    if (i === k - 1 ? next !== 0 : next === 0) badLink(i, k);
  }
  let total = 0;
  let tiled = body.cap_offset === REGION_INFO_SIZE;
  for (let i = 0; i < k; i++) {
    const size = capSize(caps[i]!);
    total += size;
    if (tiled && i < k - 1 && caps[i]!.header.next !== REGION_INFO_SIZE + total) tiled = false;
  }
  if (tiled) return total;
  // Out of order: by offset (ties in chain order), some capability must sit exactly at each end, k times over.
  const order: number[][] = new Array<number[]>(k);
  let pos = body.cap_offset;
  for (let i = 0; i < k; i++) {
    order[i] = [pos, i];
    pos = caps[i]!.header.next;
  }
  order.sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
  let end = REGION_INFO_SIZE;
  let j = 0;
  for (let step = 0; step < k; step++) {
    while (j < k && order[j]![0]! < end) j++;
    if (j === k || order[j]![0] !== end) untiled(j === k ? Infinity : order[j]![0]!, end);
    end += capSize(caps[order[j]![1]!]!);
    j++;
  }
  if (end !== REGION_INFO_SIZE + total) badShape('capabilities must follow the struct without gaps or overlaps (two at one offset)');
  return total;
}
function badLink(i: number, k: number): never {
  return badShape(`caps[${i}].header.next must ${i === k - 1 ? 'be 0' : 'name the next capability'}`);
}
function untiled(lowest: number, end: number): never {
  return badShape(`capabilities must follow the struct without gaps or overlaps (one at ${lowest}, expected ${end})`);
}

/** Bytes the capability chain takes after the 32-byte struct. */
export function regionCapsLength(body: unknown): number {
  return capsPlan(body as { cap_offset: number; caps: RegionCap[] });
}

/** Writes the capability chain; `o` is the start of the region info. Returns the bytes after the struct. */
export function encodeRegionCaps(v: DataView, b: Uint8Array, o: number, body: { cap_offset: number; caps: RegionCap[] }): number {
  const total = capsPlan(body);
  let pos = body.cap_offset;
  for (let i = 0; i < body.caps.length; i++) {
    const cap = body.caps[i]!;
    const c = o + pos;
    const h = cap.header;
    pos = h.next;
    if ((h.id & 0xffff) !== h.id) badField('vfio_info_cap_header.id', h.id);
    if ((h.version & 0xffff) !== h.version) badField('vfio_info_cap_header.version', h.version);
    if (h.next >>> 0 !== h.next) badField('vfio_info_cap_header.next', h.next);
    v.setUint16(c, h.id, true);
    v.setUint16(c + 2, h.version, true);
    v.setUint32(c + 4, h.next, true);
    switch (cap.kind) {
      case 'sparse_mmap':
        if (cap.nr_areas !== cap.areas.length) encodeLength('vfio_region_info_cap_sparse_mmap.nr_areas', cap.nr_areas, cap.areas.length);
        if (cap.reserved >>> 0 !== cap.reserved) badField('vfio_region_info_cap_sparse_mmap.reserved', cap.reserved);
        v.setUint32(c + 8, cap.nr_areas, true);
        v.setUint32(c + 12, cap.reserved, true);
        for (let k = 0; k < cap.areas.length; k++) write_vfio_region_sparse_mmap_area(v, b, c + 16 + k * 16, cap.areas[k]!);
        break;
      case 'type':
        if (cap.type >>> 0 !== cap.type) badField('vfio_region_info_cap_type.type', cap.type);
        if (cap.subtype >>> 0 !== cap.subtype) badField('vfio_region_info_cap_type.subtype', cap.subtype);
        v.setUint32(c + 8, cap.type, true);
        v.setUint32(c + 12, cap.subtype, true);
        break;
      case 'msix_mappable':
        break;
      case 'raw':
        b.set(cap.data, c + 8);
        break;
    }
  }
  return total;
}

// ---------------------------------------------------------------------------
// GET_REGION_IO_FDS sub-regions

/**
 * The sub-region array of an IO_FDS reply: empty when the reply left it out
 * (count may still be non-zero), else `count` entries whose stride, derived
 * from the bytes present, must be 48 (libvfio-user: vfio_user_sub_region_ioeventfd)
 * or 40 (the QEMU document: vfio_user_sub_region_ioregionfd layout).
 */
export function decodeSubRegions(
  v: DataView,
  o: number,
  n: number,
  count: number,
  m0: number,
  opt: ResolvedOptions,
): vfio_user_sub_region_ioeventfd[] | vfio_user_sub_region_ioregionfd[] {
  const cmd = VFIO_USER_DEVICE_GET_REGION_IO_FDS;
  checkLimit('maxSubRegions', opt.limits.maxSubRegions, count, o - 4 - m0, cmd);
  if (n === 0) return [];
  if (count === 0) bodyLong(cmd, 16, 16 + n, o - m0);
  const stride = n / count;
  if (stride === 48) {
    const out: vfio_user_sub_region_ioeventfd[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = read_vfio_user_sub_region_ioeventfd(v, o + i * 48);
    return out;
  }
  if (stride === 40) {
    const out: vfio_user_sub_region_ioregionfd[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = read_vfio_user_sub_region_ioregionfd(v, o + i * 40);
    return out;
  }
  return invalid('ERR_STRIDE', `${n} bytes for ${count} entries is neither 40 nor 48 per entry`, o - m0, { cmd, needed: count * 48, available: n });
}

function subRegionStride(subs: readonly unknown[]): 40 | 48 {
  const first = subs[0];
  const is48 = typeof first === 'object' && first !== null && 'gpa_offset' in first;
  for (const s of subs) {
    if (typeof s !== 'object' || s === null || ('gpa_offset' in s) !== is48) badShape('sub_regions must all be ioeventfd (48-byte) or all ioregionfd (40-byte) entries');
  }
  return is48 ? 48 : 40;
}

/** Bytes the sub-region array takes. */
export function subRegionsLength(subs: unknown): number {
  const a = checkArray('sub_regions', subs);
  return a.length === 0 ? 0 : a.length * subRegionStride(a);
}

/** Writes the sub-region array; the array is either empty or has `count` entries. */
export function encodeSubRegions(
  v: DataView,
  b: Uint8Array,
  o: number,
  subs: vfio_user_sub_region_ioeventfd[] | vfio_user_sub_region_ioregionfd[],
  count: number,
): number {
  if (subs.length === 0) return 0;
  if (subs.length !== count) encodeLength('vfio_user_region_io_fds_reply.count', count, subs.length);
  const stride = subRegionStride(subs);
  for (let i = 0; i < subs.length; i++) {
    if (stride === 48) write_vfio_user_sub_region_ioeventfd(v, b, o + i * 48, subs[i] as vfio_user_sub_region_ioeventfd);
    else write_vfio_user_sub_region_ioregionfd(v, b, o + i * 40, subs[i] as vfio_user_sub_region_ioregionfd);
  }
  return subs.length * stride;
}

// ---------------------------------------------------------------------------
// DEVICE_FEATURE payloads

/**
 * The payload after vfio_user_device_feature, typed by feature index and
 * operation (GET alone or SET alone); PROBE and unknown features keep the
 * bytes raw.
 */
export type DeviceFeatureData =
  /** No payload (a GET request of MIGRATION or MIG_DEVICE_STATE). */
  | { kind: 'none' }
  /** vfio_user_device_feature_migration (GET reply of feature 1). */
  | { kind: 'migration'; flags: bigint }
  /** vfio_user_device_feature_mig_state (feature 2: GET reply, SET request and reply). */
  | { kind: 'mig_state'; device_state: number; data_fd: number }
  /** vfio_user_device_feature_dma_logging_control with its ranges (features 6 and 7, SET). */
  | {
      kind: 'dma_logging_control';
      page_size: bigint;
      num_ranges: number;
      reserved: number;
      ranges: vfio_user_device_feature_dma_logging_range[];
    }
  /** vfio_user_device_feature_dma_logging_report (feature 8, GET); the bitmap only in the reply. */
  | { kind: 'dma_logging_report'; iova: bigint; length: bigint; page_size: bigint; bitmap: Uint8Array }
  /** Any other payload, kept as bytes (a view into the input). */
  | { kind: 'raw'; bytes: Uint8Array };

/**
 * The spec struct that lays out each `kind` of {@link DeviceFeatureData}
 * after vfio_user_device_feature (null: no struct, the payload is bytes or
 * nothing).
 */
export const FEATURE_DATA_STRUCTS = {
  none: null,
  migration: 'vfio_user_device_feature_migration',
  mig_state: 'vfio_user_device_feature_mig_state',
  dma_logging_control: 'vfio_user_device_feature_dma_logging_control',
  dma_logging_report: 'vfio_user_device_feature_dma_logging_report',
  raw: null,
} as const satisfies Record<DeviceFeatureData['kind'], string | null>;

const OP_MASK = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE;

function wrongPayload(feature: number, op: number, reply: boolean, n: number, offset: number, want: string): never {
  return invalid('ERR_FEATURE_PAYLOAD', `feature ${feature} ${op === VFIO_DEVICE_FEATURE_GET ? 'GET' : 'SET'} ${reply ? 'reply' : 'request'} carries ${n} bytes, needs ${want}`, offset, { cmd: VFIO_USER_DEVICE_FEATURE, available: n });
}

/** Decodes the payload of a DEVICE_FEATURE request or reply. */
export function decodeFeature(v: DataView, o: number, n: number, flags: number, reply: boolean, m0: number, opt: ResolvedOptions): DeviceFeatureData {
  const cmd = VFIO_USER_DEVICE_FEATURE;
  const feature = flags & VFIO_DEVICE_FEATURE_MASK;
  const op = flags & OP_MASK;
  if (op === VFIO_DEVICE_FEATURE_GET) {
    if ((feature === VFIO_DEVICE_FEATURE_MIGRATION || feature === VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE) && !reply) {
      if (n !== 0) wrongPayload(feature, op, reply, n, o - m0, '0');
      return { kind: 'none' };
    }
    if (feature === VFIO_DEVICE_FEATURE_MIGRATION) {
      if (n !== 8) wrongPayload(feature, op, reply, n, o - m0, '8');
      return { kind: 'migration', flags: v.getBigUint64(o, true) };
    }
    if (feature === VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE) {
      if (n !== 8) wrongPayload(feature, op, reply, n, o - m0, '8');
      return { kind: 'mig_state', device_state: v.getUint32(o, true), data_fd: v.getUint32(o + 4, true) };
    }
    if (feature === VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT) {
      if (n < 24) wrongPayload(feature, op, reply, n, o - m0, '24');
      const iova = v.getBigUint64(o, true);
      const length = v.getBigUint64(o + 8, true);
      const page_size = v.getBigUint64(o + 16, true);
      if (!reply) {
        if (n !== 24) wrongPayload(feature, op, reply, n, o - m0, '24');
        // The reply's bitmap is sized by this request: one that could not be received is refused here already.
        if (page_size !== 0n && (page_size & (page_size - 1n)) === 0n) checkLimit('maxBitmapBytes', opt.limits.maxBitmapBytes, bitmapBytes(length, page_size), o + 8 - m0, cmd);
        return { kind: 'dma_logging_report', iova, length, page_size, bitmap: view(v, o + 24, 0) };
      }
      checkPgsize(page_size, 'vfio_user_device_feature_dma_logging_report.page_size', o + 16 - m0, cmd);
      const want = bitmapBytes(length, page_size);
      checkLimit('maxBitmapBytes', opt.limits.maxBitmapBytes, want, o + 8 - m0, cmd);
      if (BigInt(n - 24) !== want) wrongPayload(feature, op, reply, n, o - m0, `${24n + want}`);
      return { kind: 'dma_logging_report', iova, length, page_size, bitmap: view(v, o + 24, n - 24) };
    }
  } else if (op === VFIO_DEVICE_FEATURE_SET) {
    if (feature === VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE) {
      if (n !== 8) wrongPayload(feature, op, reply, n, o - m0, '8');
      return { kind: 'mig_state', device_state: v.getUint32(o, true), data_fd: v.getUint32(o + 4, true) };
    }
    if (feature === VFIO_DEVICE_FEATURE_DMA_LOGGING_START || feature === VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP) {
      if (n < 16) wrongPayload(feature, op, reply, n, o - m0, '16');
      const num = v.getUint32(o + 8, true);
      checkLimit('maxLoggingRanges', opt.limits.maxLoggingRanges, num, o + 8 - m0, cmd);
      if (n !== 16 + num * 16) tailLength(cmd, 'vfio_user_device_feature_dma_logging_control.num_ranges', num * 16, n - 16, o + 8 - m0);
      const ranges: vfio_user_device_feature_dma_logging_range[] = new Array(num);
      for (let i = 0; i < num; i++) ranges[i] = read_vfio_user_device_feature_dma_logging_range(v, o + 16 + i * 16);
      return { kind: 'dma_logging_control', page_size: v.getBigUint64(o, true), num_ranges: num, reserved: v.getUint32(o + 12, true), ranges };
    }
  }
  return { kind: 'raw', bytes: view(v, o, n) };
}

/** Bytes a DEVICE_FEATURE payload takes. */
export function featureLength(d: DeviceFeatureData): number {
  if (typeof d !== 'object' || d === null) return badShape('data must be a DeviceFeatureData object');
  switch (d.kind) {
    case 'none':
      return 0;
    case 'migration':
    case 'mig_state':
      return 8;
    case 'dma_logging_control':
      return 16 + checkArray('ranges', d.ranges).length * 16;
    case 'dma_logging_report':
      return 24 + checkBytes('bitmap', d.bitmap).length;
    case 'raw':
      return checkBytes('bytes', d.bytes).length;
    default:
      return badShape(`unknown feature payload kind ${String((d as { kind?: unknown }).kind)}`);
  }
}

function setU64(v: DataView, o: number, x: bigint, field: string): void {
  if (!isU64(x)) badField(field, x);
  v.setBigUint64(o, x, true);
}

function setU32(v: DataView, o: number, x: number, field: string): void {
  if (x >>> 0 !== x) badField(field, x);
  v.setUint32(o, x, true);
}

/** Writes a DEVICE_FEATURE payload; returns the bytes written. */
export function encodeFeature(v: DataView, b: Uint8Array, o: number, d: DeviceFeatureData): number {
  switch (d.kind) {
    case 'none':
      return 0;
    case 'migration':
      setU64(v, o, d.flags, 'vfio_user_device_feature_migration.flags');
      return 8;
    case 'mig_state':
      setU32(v, o, d.device_state, 'vfio_user_device_feature_mig_state.device_state');
      setU32(v, o + 4, d.data_fd, 'vfio_user_device_feature_mig_state.data_fd');
      return 8;
    case 'dma_logging_control':
      if (d.num_ranges !== d.ranges.length) encodeLength('vfio_user_device_feature_dma_logging_control.num_ranges', d.num_ranges, d.ranges.length);
      setU64(v, o, d.page_size, 'vfio_user_device_feature_dma_logging_control.page_size');
      setU32(v, o + 8, d.num_ranges, 'vfio_user_device_feature_dma_logging_control.num_ranges');
      setU32(v, o + 12, d.reserved, 'vfio_user_device_feature_dma_logging_control.reserved');
      for (let i = 0; i < d.ranges.length; i++) write_vfio_user_device_feature_dma_logging_range(v, b, o + 16 + i * 16, d.ranges[i]!);
      return 16 + d.ranges.length * 16;
    case 'dma_logging_report':
      setU64(v, o, d.iova, 'vfio_user_device_feature_dma_logging_report.iova');
      setU64(v, o + 8, d.length, 'vfio_user_device_feature_dma_logging_report.length');
      setU64(v, o + 16, d.page_size, 'vfio_user_device_feature_dma_logging_report.page_size');
      b.set(d.bitmap, o + 24);
      return 24 + d.bitmap.length;
    case 'raw':
      b.set(d.bytes, o);
      return d.bytes.length;
  }
}

// ---------------------------------------------------------------------------
// Inline dirty bitmap sized by a length and a page size

/**
 * A bitmap of ceil(ceil(length / pageSize) / 64) * 8 bytes that makes up
 * the rest of the body. `pageSizeOffset` is where the page size field is,
 * for the error.
 */
export function decodeBitmapTail(v: DataView, o: number, n: number, length: bigint, pageSize: bigint, pageSizeOffset: number, opt: ResolvedOptions, cmd: number): Uint8Array {
  checkPgsize(pageSize, 'page_size', pageSizeOffset, cmd);
  const want = bitmapBytes(length, pageSize);
  checkLimit('maxBitmapBytes', opt.limits.maxBitmapBytes, want, pageSizeOffset, cmd);
  if (BigInt(n) !== want) tailLength(cmd, 'length / page_size', want, n, pageSizeOffset);
  return view(v, o, n);
}

/** Writes an inline bitmap; its length must match length and pageSize. */
export function encodeBitmapTail(b: Uint8Array, o: number, bitmap: Uint8Array, length: bigint, pageSize: bigint): number {
  if (pageSize > 0n && BigInt(bitmap.length) !== bitmapBytes(length, pageSize)) encodeLength('length / page_size', bitmapBytes(length, pageSize), bitmap.length);
  b.set(bitmap, o);
  return bitmap.length;
}

// ---------------------------------------------------------------------------
// Legacy DIRTY_PAGES range

/** A vfio_user_bitmap_range with its bitmap bytes, as in a DIRTY_PAGES GET_BITMAP reply. */
export interface DirtyBitmapRangeWithData extends vfio_user_bitmap_range {
  /** The bitmap (a view into the input). */
  data: Uint8Array;
}


/** The vfio_user_bitmap_range after vfio_user_dirty_pages when flags has GET_BITMAP. */
export function decodeDirtyRange(
  v: DataView,
  o: number,
  n: number,
  flags: number,
  withData: boolean,
  m0: number,
  opt: ResolvedOptions,
): DirtyBitmapRangeWithData | vfio_user_bitmap_range | null {
  const cmd = VFIO_USER_DIRTY_PAGES;
  if ((flags & VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP) === 0) {
    if (n !== 0) bodyLong(cmd, 8, 8 + n, o - m0);
    return null;
  }
  if (n < 32) bodyShort(cmd, 40, 8 + n, o - 8 - m0);
  const iova = v.getBigUint64(o, true);
  const size = v.getBigUint64(o + 8, true);
  const pgsize = v.getBigUint64(o + 16, true);
  const bsize = v.getBigUint64(o + 24, true);
  checkLimit('maxBitmapBytes', opt.limits.maxBitmapBytes, bsize, o + 24 - m0, cmd);
  const range = { iova, size, bitmap: { pgsize, size: bsize } };
  if (!withData) {
    if (n !== 32) bodyLong(cmd, 40, 8 + n, o + 32 - m0);
    return range;
  }
  const bytes = Number(bsize);
  if (n !== 32 + bytes) tailLength(cmd, 'vfio_user_bitmap.size', bytes, n - 32, o + 24 - m0);
  return { iova, size, bitmap: range.bitmap, data: view(v, o + 32, bytes) };
}

/** Bytes the DIRTY_PAGES range takes. */
export function dirtyRangeLength(range: unknown, withData: boolean): number {
  if (range === null) return 0;
  if (typeof range !== 'object' || range === undefined) badShape('range must be an object or null');
  return 32 + (withData ? checkBytes('range.data', (range as DirtyBitmapRangeWithData).data).length : 0);
}

/** Writes the DIRTY_PAGES range; returns the bytes written. */
export function encodeDirtyRange(
  v: DataView,
  b: Uint8Array,
  o: number,
  range: vfio_user_bitmap_range | DirtyBitmapRangeWithData | null,
  flags: number,
  withData: boolean,
): number {
  if ((flags & VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP) === 0) {
    if (range !== null) badShape('range must be null without VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP');
    return 0;
  }
  if (range === null) badShape('range is required with VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP');
  setU64(v, o, range.iova, 'vfio_user_bitmap_range.iova');
  setU64(v, o + 8, range.size, 'vfio_user_bitmap_range.size');
  setU64(v, o + 16, range.bitmap.pgsize, 'vfio_user_bitmap.pgsize');
  setU64(v, o + 24, range.bitmap.size, 'vfio_user_bitmap.size');
  if (!withData) return 32;
  const data = (range as DirtyBitmapRangeWithData).data;
  if (!sameLength(range.bitmap.size, data.length)) encodeLength('vfio_user_bitmap.size', range.bitmap.size, data.length);
  b.set(data, o + 32);
  return 32 + data.length;
}
