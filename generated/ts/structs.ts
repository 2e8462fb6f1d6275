// Generated from spec/ by generator/ts.ts (npm run generate). Do not edit.

import { badField, badShape, notBytes, view } from '../../src/wire.js';

/** The header in front of every message, command or reply. (16 bytes; vfio-user) */
export interface vfio_user_header {
  /** @0 u16: Chosen by the sender of a command; the reply carries the same value. */
  msg_id: number;
  /** @2 u16: The command number; the reply carries the same value. */
  cmd: number;
  /** @4 u32: Size of the whole message, header included. */
  msg_size: number;
  /** @8 u32: Message type in bits 0-3, NO_REPLY, ERROR; other bits reserved. */
  flags: number;
  /** @12 u32: errno (Linux numbering) in a reply with the ERROR flag; 0 otherwise. */
  error_no: number;
}

/** Bytes vfio_user_header occupies on the wire before any flexible member. */
export const vfio_user_header_SIZE = 16;

/** Reads vfio_user_header at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_header(v: DataView, o: number): vfio_user_header {
  return {
    msg_id: v.getUint16(o, true),
    cmd: v.getUint16(o + 2, true),
    msg_size: v.getUint32(o + 4, true),
    flags: v.getUint32(o + 8, true),
    error_no: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_header at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_header(v: DataView, b: Uint8Array, o: number, s: vfio_user_header): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_header must be an object');
  const f_msg_id = s.msg_id;
  if ((f_msg_id & 0xffff) !== f_msg_id) badField('vfio_user_header.msg_id', f_msg_id);
  v.setUint16(o, f_msg_id, true);
  const f_cmd = s.cmd;
  if ((f_cmd & 0xffff) !== f_cmd) badField('vfio_user_header.cmd', f_cmd);
  v.setUint16(o + 2, f_cmd, true);
  const f_msg_size = s.msg_size;
  if (f_msg_size >>> 0 !== f_msg_size) badField('vfio_user_header.msg_size', f_msg_size);
  v.setUint32(o + 4, f_msg_size, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_header.flags', f_flags);
  v.setUint32(o + 8, f_flags, true);
  const f_error_no = s.error_no;
  if (f_error_no >>> 0 !== f_error_no) badField('vfio_user_header.error_no', f_error_no);
  v.setUint32(o + 12, f_error_no, true);
  return 16;
}

/** VERSION request and reply: the protocol version, then an optional NUL-terminated JSON capabilities object. (4 bytes; vfio-user) */
export interface vfio_user_version {
  /** @0 u16: Major version; 0 is the only one defined. */
  major: number;
  /** @2 u16: Minor version; the reply carries a value not above the request's. */
  minor: number;
}

/** Bytes vfio_user_version occupies on the wire before any flexible member. */
export const vfio_user_version_SIZE = 4;

/** Reads vfio_user_version at absolute offset `o`; the caller has checked that 4 bytes are there. */
export function read_vfio_user_version(v: DataView, o: number): vfio_user_version {
  return {
    major: v.getUint16(o, true),
    minor: v.getUint16(o + 2, true),
  };
}

/** Writes vfio_user_version at absolute offset `o`, checking every field fits its wire type; returns 4. */
export function write_vfio_user_version(v: DataView, b: Uint8Array, o: number, s: vfio_user_version): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_version must be an object');
  const f_major = s.major;
  if ((f_major & 0xffff) !== f_major) badField('vfio_user_version.major', f_major);
  v.setUint16(o, f_major, true);
  const f_minor = s.minor;
  if ((f_minor & 0xffff) !== f_minor) badField('vfio_user_version.minor', f_minor);
  v.setUint16(o + 2, f_minor, true);
  return 4;
}

/** DMA_MAP request: a window of client memory the server may use for DMA. (32 bytes; vfio-user) */
export interface vfio_user_dma_map {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: Access permissions and how the server reaches the memory. */
  flags: number;
  /** @8 u64: Offset into the passed file descriptor where the window starts; 0 without an fd. */
  offset: bigint;
  /** @16 u64: DMA address (IOVA) of the window. */
  addr: bigint;
  /** @24 u64: Size of the window in bytes. */
  size: bigint;
}

/** Bytes vfio_user_dma_map occupies on the wire before any flexible member. */
export const vfio_user_dma_map_SIZE = 32;

/** Reads vfio_user_dma_map at absolute offset `o`; the caller has checked that 32 bytes are there. */
export function read_vfio_user_dma_map(v: DataView, o: number): vfio_user_dma_map {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    offset: v.getBigUint64(o + 8, true),
    addr: v.getBigUint64(o + 16, true),
    size: v.getBigUint64(o + 24, true),
  };
}

/** Writes vfio_user_dma_map at absolute offset `o`, checking every field fits its wire type; returns 32. */
export function write_vfio_user_dma_map(v: DataView, b: Uint8Array, o: number, s: vfio_user_dma_map): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_dma_map must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_dma_map.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_dma_map.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_offset = s.offset;
  if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('vfio_user_dma_map.offset', f_offset);
  v.setBigUint64(o + 8, f_offset, true);
  const f_addr = s.addr;
  if (typeof f_addr !== 'bigint' || f_addr < 0n || f_addr > 0xffffffffffffffffn) badField('vfio_user_dma_map.addr', f_addr);
  v.setBigUint64(o + 16, f_addr, true);
  const f_size = s.size;
  if (typeof f_size !== 'bigint' || f_size < 0n || f_size > 0xffffffffffffffffn) badField('vfio_user_dma_map.size', f_size);
  v.setBigUint64(o + 24, f_size, true);
  return 32;
}

/** A dirty-page bitmap header, inline version of the kernel's vfio_bitmap. (16 bytes; vfio-user) */
export interface vfio_user_bitmap {
  /** @0 u64: Page size one bit stands for. */
  pgsize: bigint;
  /** @8 u64: Size of the bitmap in bytes: ceil(ceil(length / pgsize) / 64) * 8. */
  size: bigint;
}

/** Bytes vfio_user_bitmap occupies on the wire before any flexible member. */
export const vfio_user_bitmap_SIZE = 16;

/** Reads vfio_user_bitmap at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_bitmap(v: DataView, o: number): vfio_user_bitmap {
  return {
    pgsize: v.getBigUint64(o, true),
    size: v.getBigUint64(o + 8, true),
  };
}

/** Writes vfio_user_bitmap at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_bitmap(v: DataView, b: Uint8Array, o: number, s: vfio_user_bitmap): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_bitmap must be an object');
  const f_pgsize = s.pgsize;
  if (typeof f_pgsize !== 'bigint' || f_pgsize < 0n || f_pgsize > 0xffffffffffffffffn) badField('vfio_user_bitmap.pgsize', f_pgsize);
  v.setBigUint64(o, f_pgsize, true);
  const f_size = s.size;
  if (typeof f_size !== 'bigint' || f_size < 0n || f_size > 0xffffffffffffffffn) badField('vfio_user_bitmap.size', f_size);
  v.setBigUint64(o + 8, f_size, true);
  return 16;
}

/** DMA_UNMAP request and reply. The only vfio-user struct that is not packed; it has no padding either way. (24 bytes; vfio-user) */
export interface vfio_user_dma_unmap {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: GET_DIRTY_BITMAP or ALL, or 0. */
  flags: number;
  /** @8 u64: DMA address of the window; 0 with ALL. */
  addr: bigint;
  /** @16 u64: Size of the window; 0 with ALL. */
  size: bigint;
}

/** Bytes vfio_user_dma_unmap occupies on the wire before any flexible member. */
export const vfio_user_dma_unmap_SIZE = 24;

/** Reads vfio_user_dma_unmap at absolute offset `o`; the caller has checked that 24 bytes are there. */
export function read_vfio_user_dma_unmap(v: DataView, o: number): vfio_user_dma_unmap {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    addr: v.getBigUint64(o + 8, true),
    size: v.getBigUint64(o + 16, true),
  };
}

/** Writes vfio_user_dma_unmap at absolute offset `o`, checking every field fits its wire type; returns 24. */
export function write_vfio_user_dma_unmap(v: DataView, b: Uint8Array, o: number, s: vfio_user_dma_unmap): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_dma_unmap must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_dma_unmap.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_dma_unmap.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_addr = s.addr;
  if (typeof f_addr !== 'bigint' || f_addr < 0n || f_addr > 0xffffffffffffffffn) badField('vfio_user_dma_unmap.addr', f_addr);
  v.setBigUint64(o + 8, f_addr, true);
  const f_size = s.size;
  if (typeof f_size !== 'bigint' || f_size < 0n || f_size > 0xffffffffffffffffn) badField('vfio_user_dma_unmap.size', f_size);
  v.setBigUint64(o + 16, f_size, true);
  return 24;
}

/** DEVICE_GET_INFO request and reply. 16 bytes, unlike the kernel's vfio_device_info (20 or 24). (16 bytes; vfio-user) */
export interface vfio_user_device_info {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32 (out): Device capabilities. */
  flags: number;
  /** @8 u32 (out): Number of regions. */
  num_regions: number;
  /** @12 u32 (out): Number of IRQ indexes. */
  num_irqs: number;
}

/** Bytes vfio_user_device_info occupies on the wire before any flexible member. */
export const vfio_user_device_info_SIZE = 16;

/** Reads vfio_user_device_info at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_device_info(v: DataView, o: number): vfio_user_device_info {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    num_regions: v.getUint32(o + 8, true),
    num_irqs: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_device_info at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_device_info(v: DataView, b: Uint8Array, o: number, s: vfio_user_device_info): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_device_info must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_device_info.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_device_info.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_num_regions = s.num_regions;
  if (f_num_regions >>> 0 !== f_num_regions) badField('vfio_user_device_info.num_regions', f_num_regions);
  v.setUint32(o + 8, f_num_regions, true);
  const f_num_irqs = s.num_irqs;
  if (f_num_irqs >>> 0 !== f_num_irqs) badField('vfio_user_device_info.num_irqs', f_num_irqs);
  v.setUint32(o + 12, f_num_irqs, true);
  return 16;
}

/** DEVICE_GET_REGION_INFO request and reply: the kernel struct, followed in the reply by a capability chain. (32 bytes; linux/vfio.h) */
export interface vfio_region_info {
  /** @0 u32 (inout): Request: buffer size the client accepts. Reply: size needed for the whole answer, caps included. */
  argsz: number;
  /** @4 u32 (out): Region access and capability flags. */
  flags: number;
  /** @8 u32: Region index. */
  index: number;
  /** @12 u32 (out): Offset of the first capability from the start of this struct; 0 when none. */
  cap_offset: number;
  /** @16 u64 (out): Region size in bytes. */
  size: bigint;
  /** @24 u64 (out): Offset of the region in the file descriptor passed with the reply (for mmap). */
  offset: bigint;
}

/** Bytes vfio_region_info occupies on the wire before any flexible member. */
export const vfio_region_info_SIZE = 32;

/** Reads vfio_region_info at absolute offset `o`; the caller has checked that 32 bytes are there. */
export function read_vfio_region_info(v: DataView, o: number): vfio_region_info {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    index: v.getUint32(o + 8, true),
    cap_offset: v.getUint32(o + 12, true),
    size: v.getBigUint64(o + 16, true),
    offset: v.getBigUint64(o + 24, true),
  };
}

/** Writes vfio_region_info at absolute offset `o`, checking every field fits its wire type; returns 32. */
export function write_vfio_region_info(v: DataView, b: Uint8Array, o: number, s: vfio_region_info): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_region_info must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_region_info.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_region_info.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_index = s.index;
  if (f_index >>> 0 !== f_index) badField('vfio_region_info.index', f_index);
  v.setUint32(o + 8, f_index, true);
  const f_cap_offset = s.cap_offset;
  if (f_cap_offset >>> 0 !== f_cap_offset) badField('vfio_region_info.cap_offset', f_cap_offset);
  v.setUint32(o + 12, f_cap_offset, true);
  const f_size = s.size;
  if (typeof f_size !== 'bigint' || f_size < 0n || f_size > 0xffffffffffffffffn) badField('vfio_region_info.size', f_size);
  v.setBigUint64(o + 16, f_size, true);
  const f_offset = s.offset;
  if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('vfio_region_info.offset', f_offset);
  v.setBigUint64(o + 24, f_offset, true);
  return 32;
}

/** Header of every capability in a region-info chain. (8 bytes; linux/vfio.h) */
export interface vfio_info_cap_header {
  /** @0 u16: Capability id. */
  id: number;
  /** @2 u16: Capability version. */
  version: number;
  /** @4 u32: Offset of the next capability from the start of vfio_region_info; 0 ends the chain. */
  next: number;
}

/** Bytes vfio_info_cap_header occupies on the wire before any flexible member. */
export const vfio_info_cap_header_SIZE = 8;

/** Reads vfio_info_cap_header at absolute offset `o`; the caller has checked that 8 bytes are there. */
export function read_vfio_info_cap_header(v: DataView, o: number): vfio_info_cap_header {
  return {
    id: v.getUint16(o, true),
    version: v.getUint16(o + 2, true),
    next: v.getUint32(o + 4, true),
  };
}

/** Writes vfio_info_cap_header at absolute offset `o`, checking every field fits its wire type; returns 8. */
export function write_vfio_info_cap_header(v: DataView, b: Uint8Array, o: number, s: vfio_info_cap_header): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_info_cap_header must be an object');
  const f_id = s.id;
  if ((f_id & 0xffff) !== f_id) badField('vfio_info_cap_header.id', f_id);
  v.setUint16(o, f_id, true);
  const f_version = s.version;
  if ((f_version & 0xffff) !== f_version) badField('vfio_info_cap_header.version', f_version);
  v.setUint16(o + 2, f_version, true);
  const f_next = s.next;
  if (f_next >>> 0 !== f_next) badField('vfio_info_cap_header.next', f_next);
  v.setUint32(o + 4, f_next, true);
  return 8;
}

/** One mmap-able area of a region. (16 bytes; linux/vfio.h) */
export interface vfio_region_sparse_mmap_area {
  /** @0 u64: Offset of the area within the region. */
  offset: bigint;
  /** @8 u64: Size of the area. */
  size: bigint;
}

/** Bytes vfio_region_sparse_mmap_area occupies on the wire before any flexible member. */
export const vfio_region_sparse_mmap_area_SIZE = 16;

/** Reads vfio_region_sparse_mmap_area at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_region_sparse_mmap_area(v: DataView, o: number): vfio_region_sparse_mmap_area {
  return {
    offset: v.getBigUint64(o, true),
    size: v.getBigUint64(o + 8, true),
  };
}

/** Writes vfio_region_sparse_mmap_area at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_region_sparse_mmap_area(v: DataView, b: Uint8Array, o: number, s: vfio_region_sparse_mmap_area): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_region_sparse_mmap_area must be an object');
  const f_offset = s.offset;
  if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('vfio_region_sparse_mmap_area.offset', f_offset);
  v.setBigUint64(o, f_offset, true);
  const f_size = s.size;
  if (typeof f_size !== 'bigint' || f_size < 0n || f_size > 0xffffffffffffffffn) badField('vfio_region_sparse_mmap_area.size', f_size);
  v.setBigUint64(o + 8, f_size, true);
  return 16;
}

/** Capability 1: the parts of a region that may be mmap()ed. (16 bytes; linux/vfio.h) */
export interface vfio_region_info_cap_sparse_mmap {
  /** @0 struct: id 1, version 1. */
  header: vfio_info_cap_header;
  /** @8 u32: Number of areas that follow. */
  nr_areas: number;
  /** @12 u32: Reserved, 0. */
  reserved: number;
}

/** Bytes vfio_region_info_cap_sparse_mmap occupies on the wire before any flexible member. */
export const vfio_region_info_cap_sparse_mmap_SIZE = 16;

/** Reads vfio_region_info_cap_sparse_mmap at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_region_info_cap_sparse_mmap(v: DataView, o: number): vfio_region_info_cap_sparse_mmap {
  return {
    header: { id: v.getUint16(o, true), version: v.getUint16(o + 2, true), next: v.getUint32(o + 4, true) },
    nr_areas: v.getUint32(o + 8, true),
    reserved: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_region_info_cap_sparse_mmap at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_region_info_cap_sparse_mmap(v: DataView, b: Uint8Array, o: number, s: vfio_region_info_cap_sparse_mmap): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_region_info_cap_sparse_mmap must be an object');
  const f_header = s.header;
  write_vfio_info_cap_header(v, b, o, f_header);
  const f_nr_areas = s.nr_areas;
  if (f_nr_areas >>> 0 !== f_nr_areas) badField('vfio_region_info_cap_sparse_mmap.nr_areas', f_nr_areas);
  v.setUint32(o + 8, f_nr_areas, true);
  const f_reserved = s.reserved;
  if (f_reserved >>> 0 !== f_reserved) badField('vfio_region_info_cap_sparse_mmap.reserved', f_reserved);
  v.setUint32(o + 12, f_reserved, true);
  return 16;
}

/** Capability 2: a device-specific region type. (16 bytes; linux/vfio.h) */
export interface vfio_region_info_cap_type {
  /** @0 struct: id 2, version 1. */
  header: vfio_info_cap_header;
  /** @8 u32: Region type. */
  type: number;
  /** @12 u32: Region subtype. */
  subtype: number;
}

/** Bytes vfio_region_info_cap_type occupies on the wire before any flexible member. */
export const vfio_region_info_cap_type_SIZE = 16;

/** Reads vfio_region_info_cap_type at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_region_info_cap_type(v: DataView, o: number): vfio_region_info_cap_type {
  return {
    header: { id: v.getUint16(o, true), version: v.getUint16(o + 2, true), next: v.getUint32(o + 4, true) },
    type: v.getUint32(o + 8, true),
    subtype: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_region_info_cap_type at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_region_info_cap_type(v: DataView, b: Uint8Array, o: number, s: vfio_region_info_cap_type): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_region_info_cap_type must be an object');
  const f_header = s.header;
  write_vfio_info_cap_header(v, b, o, f_header);
  const f_type = s.type;
  if (f_type >>> 0 !== f_type) badField('vfio_region_info_cap_type.type', f_type);
  v.setUint32(o + 8, f_type, true);
  const f_subtype = s.subtype;
  if (f_subtype >>> 0 !== f_subtype) badField('vfio_region_info_cap_type.subtype', f_subtype);
  v.setUint32(o + 12, f_subtype, true);
  return 16;
}

/** DEVICE_GET_REGION_IO_FDS request. (16 bytes; vfio-user) */
export interface vfio_user_region_io_fds_request {
  /** @0 u32: Size of the reply buffer the client accepts, 16 or more. */
  argsz: number;
  /** @4 u32: Must be 0. */
  flags: number;
  /** @8 u32: Region index. */
  index: number;
  /** @12 u32: Must be 0. */
  count: number;
}

/** Bytes vfio_user_region_io_fds_request occupies on the wire before any flexible member. */
export const vfio_user_region_io_fds_request_SIZE = 16;

/** Reads vfio_user_region_io_fds_request at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_region_io_fds_request(v: DataView, o: number): vfio_user_region_io_fds_request {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    index: v.getUint32(o + 8, true),
    count: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_region_io_fds_request at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_region_io_fds_request(v: DataView, b: Uint8Array, o: number, s: vfio_user_region_io_fds_request): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_region_io_fds_request must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_region_io_fds_request.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_region_io_fds_request.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_index = s.index;
  if (f_index >>> 0 !== f_index) badField('vfio_user_region_io_fds_request.index', f_index);
  v.setUint32(o + 8, f_index, true);
  const f_count = s.count;
  if (f_count >>> 0 !== f_count) badField('vfio_user_region_io_fds_request.count', f_count);
  v.setUint32(o + 12, f_count, true);
  return 16;
}

/** An IO_FDS entry for an ioeventfd, 48 bytes (libvfio-user; with the shadow-memory fields). (48 bytes; vfio-user) */
export interface vfio_user_sub_region_ioeventfd {
  /** @0 u64: Offset of the sub-region within the region. */
  gpa_offset: bigint;
  /** @8 u64: Size of the sub-region. */
  size: bigint;
  /** @16 u32: Index of the eventfd in the reply's fd array. */
  fd_index: number;
  /** @20 u32: Entry type. */
  type: number;
  /** @24 u32: KVM ioeventfd flags the device registered. */
  flags: number;
  /** @28 u32: Index of the shadow memory fd (type IOEVENTFD_SHADOW), else 0. */
  shadow_mem_fd_index: number;
  /** @32 u64: Offset in the shadow memory fd. */
  shadow_offset: bigint;
  /** @40 u64: Value a write must carry to signal the eventfd. */
  datamatch: bigint;
}

/** Bytes vfio_user_sub_region_ioeventfd occupies on the wire before any flexible member. */
export const vfio_user_sub_region_ioeventfd_SIZE = 48;

/** Reads vfio_user_sub_region_ioeventfd at absolute offset `o`; the caller has checked that 48 bytes are there. */
export function read_vfio_user_sub_region_ioeventfd(v: DataView, o: number): vfio_user_sub_region_ioeventfd {
  return {
    gpa_offset: v.getBigUint64(o, true),
    size: v.getBigUint64(o + 8, true),
    fd_index: v.getUint32(o + 16, true),
    type: v.getUint32(o + 20, true),
    flags: v.getUint32(o + 24, true),
    shadow_mem_fd_index: v.getUint32(o + 28, true),
    shadow_offset: v.getBigUint64(o + 32, true),
    datamatch: v.getBigUint64(o + 40, true),
  };
}

/** Writes vfio_user_sub_region_ioeventfd at absolute offset `o`, checking every field fits its wire type; returns 48. */
export function write_vfio_user_sub_region_ioeventfd(v: DataView, b: Uint8Array, o: number, s: vfio_user_sub_region_ioeventfd): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_sub_region_ioeventfd must be an object');
  const f_gpa_offset = s.gpa_offset;
  if (typeof f_gpa_offset !== 'bigint' || f_gpa_offset < 0n || f_gpa_offset > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioeventfd.gpa_offset', f_gpa_offset);
  v.setBigUint64(o, f_gpa_offset, true);
  const f_size = s.size;
  if (typeof f_size !== 'bigint' || f_size < 0n || f_size > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioeventfd.size', f_size);
  v.setBigUint64(o + 8, f_size, true);
  const f_fd_index = s.fd_index;
  if (f_fd_index >>> 0 !== f_fd_index) badField('vfio_user_sub_region_ioeventfd.fd_index', f_fd_index);
  v.setUint32(o + 16, f_fd_index, true);
  const f_type = s.type;
  if (f_type >>> 0 !== f_type) badField('vfio_user_sub_region_ioeventfd.type', f_type);
  v.setUint32(o + 20, f_type, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_sub_region_ioeventfd.flags', f_flags);
  v.setUint32(o + 24, f_flags, true);
  const f_shadow_mem_fd_index = s.shadow_mem_fd_index;
  if (f_shadow_mem_fd_index >>> 0 !== f_shadow_mem_fd_index) badField('vfio_user_sub_region_ioeventfd.shadow_mem_fd_index', f_shadow_mem_fd_index);
  v.setUint32(o + 28, f_shadow_mem_fd_index, true);
  const f_shadow_offset = s.shadow_offset;
  if (typeof f_shadow_offset !== 'bigint' || f_shadow_offset < 0n || f_shadow_offset > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioeventfd.shadow_offset', f_shadow_offset);
  v.setBigUint64(o + 32, f_shadow_offset, true);
  const f_datamatch = s.datamatch;
  if (typeof f_datamatch !== 'bigint' || f_datamatch < 0n || f_datamatch > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioeventfd.datamatch', f_datamatch);
  v.setBigUint64(o + 40, f_datamatch, true);
  return 48;
}

/** An IO_FDS entry for an ioregionfd, 40 bytes. Also the layout of the QEMU document's 40-byte entries. (40 bytes; vfio-user) */
export interface vfio_user_sub_region_ioregionfd {
  /** @0 u64: Offset of the sub-region within the region. */
  offset: bigint;
  /** @8 u64: Size of the sub-region. */
  size: bigint;
  /** @16 u32: Index of the fd in the reply's fd array. */
  fd_index: number;
  /** @20 u32: Entry type. */
  type: number;
  /** @24 u32: Entry flags. */
  flags: number;
  /** @28 u32: Reserved, 0. */
  padding: number;
  /** @32 u64: Value passed back to the server with each access (datamatch for ioeventfd entries in the QEMU document). */
  user_data: bigint;
}

/** Bytes vfio_user_sub_region_ioregionfd occupies on the wire before any flexible member. */
export const vfio_user_sub_region_ioregionfd_SIZE = 40;

/** Reads vfio_user_sub_region_ioregionfd at absolute offset `o`; the caller has checked that 40 bytes are there. */
export function read_vfio_user_sub_region_ioregionfd(v: DataView, o: number): vfio_user_sub_region_ioregionfd {
  return {
    offset: v.getBigUint64(o, true),
    size: v.getBigUint64(o + 8, true),
    fd_index: v.getUint32(o + 16, true),
    type: v.getUint32(o + 20, true),
    flags: v.getUint32(o + 24, true),
    padding: v.getUint32(o + 28, true),
    user_data: v.getBigUint64(o + 32, true),
  };
}

/** Writes vfio_user_sub_region_ioregionfd at absolute offset `o`, checking every field fits its wire type; returns 40. */
export function write_vfio_user_sub_region_ioregionfd(v: DataView, b: Uint8Array, o: number, s: vfio_user_sub_region_ioregionfd): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_sub_region_ioregionfd must be an object');
  const f_offset = s.offset;
  if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioregionfd.offset', f_offset);
  v.setBigUint64(o, f_offset, true);
  const f_size = s.size;
  if (typeof f_size !== 'bigint' || f_size < 0n || f_size > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioregionfd.size', f_size);
  v.setBigUint64(o + 8, f_size, true);
  const f_fd_index = s.fd_index;
  if (f_fd_index >>> 0 !== f_fd_index) badField('vfio_user_sub_region_ioregionfd.fd_index', f_fd_index);
  v.setUint32(o + 16, f_fd_index, true);
  const f_type = s.type;
  if (f_type >>> 0 !== f_type) badField('vfio_user_sub_region_ioregionfd.type', f_type);
  v.setUint32(o + 20, f_type, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_sub_region_ioregionfd.flags', f_flags);
  v.setUint32(o + 24, f_flags, true);
  const f_padding = s.padding;
  if (f_padding >>> 0 !== f_padding) badField('vfio_user_sub_region_ioregionfd.padding', f_padding);
  v.setUint32(o + 28, f_padding, true);
  const f_user_data = s.user_data;
  if (typeof f_user_data !== 'bigint' || f_user_data < 0n || f_user_data > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioregionfd.user_data', f_user_data);
  v.setBigUint64(o + 32, f_user_data, true);
  return 40;
}

/** DEVICE_GET_REGION_IO_FDS reply: the request fields, then the sub-region array if it fitted in argsz. (16 bytes; vfio-user) */
export interface vfio_user_region_io_fds_reply {
  /** @0 u32 (out): Size needed for the whole answer: 16 + stride * count. */
  argsz: number;
  /** @4 u32 (out): 0. */
  flags: number;
  /** @8 u32: Region index. */
  index: number;
  /** @12 u32 (out): Number of sub-regions, even when the array is left out. */
  count: number;
}

/** Bytes vfio_user_region_io_fds_reply occupies on the wire before any flexible member. */
export const vfio_user_region_io_fds_reply_SIZE = 16;

/** Reads vfio_user_region_io_fds_reply at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_region_io_fds_reply(v: DataView, o: number): vfio_user_region_io_fds_reply {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    index: v.getUint32(o + 8, true),
    count: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_region_io_fds_reply at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_region_io_fds_reply(v: DataView, b: Uint8Array, o: number, s: vfio_user_region_io_fds_reply): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_region_io_fds_reply must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_region_io_fds_reply.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_region_io_fds_reply.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_index = s.index;
  if (f_index >>> 0 !== f_index) badField('vfio_user_region_io_fds_reply.index', f_index);
  v.setUint32(o + 8, f_index, true);
  const f_count = s.count;
  if (f_count >>> 0 !== f_count) badField('vfio_user_region_io_fds_reply.count', f_count);
  v.setUint32(o + 12, f_count, true);
  return 16;
}

/** DEVICE_GET_IRQ_INFO request and reply. (16 bytes; linux/vfio.h) */
export interface vfio_irq_info {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32 (out): IRQ capabilities. */
  flags: number;
  /** @8 u32: IRQ index. */
  index: number;
  /** @12 u32 (out): Number of vectors. */
  count: number;
}

/** Bytes vfio_irq_info occupies on the wire before any flexible member. */
export const vfio_irq_info_SIZE = 16;

/** Reads vfio_irq_info at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_irq_info(v: DataView, o: number): vfio_irq_info {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    index: v.getUint32(o + 8, true),
    count: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_irq_info at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_irq_info(v: DataView, b: Uint8Array, o: number, s: vfio_irq_info): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_irq_info must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_irq_info.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_irq_info.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_index = s.index;
  if (f_index >>> 0 !== f_index) badField('vfio_irq_info.index', f_index);
  v.setUint32(o + 8, f_index, true);
  const f_count = s.count;
  if (f_count >>> 0 !== f_count) badField('vfio_irq_info.count', f_count);
  v.setUint32(o + 12, f_count, true);
  return 16;
}

/** Defined by the protocol header; never carried by any message. (4 bytes; vfio-user) */
export interface vfio_user_irq_info {
  /** @0 u32: Unused. */
  subindex: number;
}

/** Bytes vfio_user_irq_info occupies on the wire before any flexible member. */
export const vfio_user_irq_info_SIZE = 4;

/** Reads vfio_user_irq_info at absolute offset `o`; the caller has checked that 4 bytes are there. */
export function read_vfio_user_irq_info(v: DataView, o: number): vfio_user_irq_info {
  return {
    subindex: v.getUint32(o, true),
  };
}

/** Writes vfio_user_irq_info at absolute offset `o`, checking every field fits its wire type; returns 4. */
export function write_vfio_user_irq_info(v: DataView, b: Uint8Array, o: number, s: vfio_user_irq_info): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_irq_info must be an object');
  const f_subindex = s.subindex;
  if (f_subindex >>> 0 !== f_subindex) badField('vfio_user_irq_info.subindex', f_subindex);
  v.setUint32(o, f_subindex, true);
  return 4;
}

/** DEVICE_SET_IRQS request. Eventfds travel as file descriptors, not in data. (20 bytes; linux/vfio.h) */
export interface vfio_irq_set {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: Exactly one DATA_* and one ACTION_* flag. */
  flags: number;
  /** @8 u32: IRQ index. */
  index: number;
  /** @12 u32: First vector. */
  start: number;
  /** @16 u32: Number of vectors. */
  count: number;
}

/** Bytes vfio_irq_set occupies on the wire before any flexible member. */
export const vfio_irq_set_SIZE = 20;

/** Reads vfio_irq_set at absolute offset `o`; the caller has checked that 20 bytes are there. */
export function read_vfio_irq_set(v: DataView, o: number): vfio_irq_set {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    index: v.getUint32(o + 8, true),
    start: v.getUint32(o + 12, true),
    count: v.getUint32(o + 16, true),
  };
}

/** Writes vfio_irq_set at absolute offset `o`, checking every field fits its wire type; returns 20. */
export function write_vfio_irq_set(v: DataView, b: Uint8Array, o: number, s: vfio_irq_set): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_irq_set must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_irq_set.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_irq_set.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_index = s.index;
  if (f_index >>> 0 !== f_index) badField('vfio_irq_set.index', f_index);
  v.setUint32(o + 8, f_index, true);
  const f_start = s.start;
  if (f_start >>> 0 !== f_start) badField('vfio_irq_set.start', f_start);
  v.setUint32(o + 12, f_start, true);
  const f_count = s.count;
  if (f_count >>> 0 !== f_count) badField('vfio_irq_set.count', f_count);
  v.setUint32(o + 16, f_count, true);
  return 20;
}

/** REGION_READ and REGION_WRITE request and reply. (16 bytes; vfio-user) */
export interface vfio_user_region_access {
  /** @0 u64: Offset within the region. */
  offset: bigint;
  /** @8 u32: Region index. */
  region: number;
  /** @12 u32: Number of bytes. */
  count: number;
}

/** Bytes vfio_user_region_access occupies on the wire before any flexible member. */
export const vfio_user_region_access_SIZE = 16;

/** Reads vfio_user_region_access at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_region_access(v: DataView, o: number): vfio_user_region_access {
  return {
    offset: v.getBigUint64(o, true),
    region: v.getUint32(o + 8, true),
    count: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_region_access at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_region_access(v: DataView, b: Uint8Array, o: number, s: vfio_user_region_access): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_region_access must be an object');
  const f_offset = s.offset;
  if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('vfio_user_region_access.offset', f_offset);
  v.setBigUint64(o, f_offset, true);
  const f_region = s.region;
  if (f_region >>> 0 !== f_region) badField('vfio_user_region_access.region', f_region);
  v.setUint32(o + 8, f_region, true);
  const f_count = s.count;
  if (f_count >>> 0 !== f_count) badField('vfio_user_region_access.count', f_count);
  v.setUint32(o + 12, f_count, true);
  return 16;
}

/** DMA_READ and DMA_WRITE request and reply (server to client). (16 bytes; vfio-user) */
export interface vfio_user_dma_region_access {
  /** @0 u64: DMA address. */
  addr: bigint;
  /** @8 u64: Number of bytes. */
  count: bigint;
}

/** Bytes vfio_user_dma_region_access occupies on the wire before any flexible member. */
export const vfio_user_dma_region_access_SIZE = 16;

/** Reads vfio_user_dma_region_access at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_dma_region_access(v: DataView, o: number): vfio_user_dma_region_access {
  return {
    addr: v.getBigUint64(o, true),
    count: v.getBigUint64(o + 8, true),
  };
}

/** Writes vfio_user_dma_region_access at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_dma_region_access(v: DataView, b: Uint8Array, o: number, s: vfio_user_dma_region_access): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_dma_region_access must be an object');
  const f_addr = s.addr;
  if (typeof f_addr !== 'bigint' || f_addr < 0n || f_addr > 0xffffffffffffffffn) badField('vfio_user_dma_region_access.addr', f_addr);
  v.setBigUint64(o, f_addr, true);
  const f_count = s.count;
  if (typeof f_count !== 'bigint' || f_count < 0n || f_count > 0xffffffffffffffffn) badField('vfio_user_dma_region_access.count', f_count);
  v.setBigUint64(o + 8, f_count, true);
  return 16;
}

/** QEMU's layout of DMA_READ and DMA_WRITE: a 32-bit count and the data right after it, at offset 12; sizeof is 16 (32 with the header), and QEMU sizes a message sizeof + count, so 4 zero bytes follow the data. (fields 12 bytes, sizeof 16; qemu) */
export interface VFIOUserDMARW {
  /** @0 u64: DMA address. */
  offset: bigint;
  /** @8 u32: Number of bytes. */
  count: number;
}

/** Bytes VFIOUserDMARW occupies on the wire before any flexible member. */
export const VFIOUserDMARW_SIZE = 12;

/** Reads VFIOUserDMARW at absolute offset `o`; the caller has checked that 12 bytes are there. */
export function read_VFIOUserDMARW(v: DataView, o: number): VFIOUserDMARW {
  return {
    offset: v.getBigUint64(o, true),
    count: v.getUint32(o + 8, true),
  };
}

/** Writes VFIOUserDMARW at absolute offset `o`, checking every field fits its wire type; returns 12. */
export function write_VFIOUserDMARW(v: DataView, b: Uint8Array, o: number, s: VFIOUserDMARW): number {
  if (typeof s !== 'object' || s === null) badShape('VFIOUserDMARW must be an object');
  const f_offset = s.offset;
  if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('VFIOUserDMARW.offset', f_offset);
  v.setBigUint64(o, f_offset, true);
  const f_count = s.count;
  if (f_count >>> 0 !== f_count) badField('VFIOUserDMARW.count', f_count);
  v.setUint32(o + 8, f_count, true);
  return 12;
}

/** DEVICE_FEATURE request and reply: the kernel's vfio_device_feature over the socket. (8 bytes; vfio-user) */
export interface vfio_user_device_feature {
  /** @0 u32 (inout): Request: the largest reply the client accepts. Reply: the reply's size. */
  argsz: number;
  /** @4 u32: Feature index in bits 0-15 and the GET, SET, PROBE operation bits. */
  flags: number;
}

/** Bytes vfio_user_device_feature occupies on the wire before any flexible member. */
export const vfio_user_device_feature_SIZE = 8;

/** Reads vfio_user_device_feature at absolute offset `o`; the caller has checked that 8 bytes are there. */
export function read_vfio_user_device_feature(v: DataView, o: number): vfio_user_device_feature {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
  };
}

/** Writes vfio_user_device_feature at absolute offset `o`, checking every field fits its wire type; returns 8. */
export function write_vfio_user_device_feature(v: DataView, b: Uint8Array, o: number, s: vfio_user_device_feature): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_device_feature must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_device_feature.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_device_feature.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  return 8;
}

/** Payload of feature 1, MIGRATION (GET). (8 bytes; vfio-user) */
export interface vfio_user_device_feature_migration {
  /** @0 u64 (out): Migration capabilities. */
  flags: bigint;
}

/** Bytes vfio_user_device_feature_migration occupies on the wire before any flexible member. */
export const vfio_user_device_feature_migration_SIZE = 8;

/** Reads vfio_user_device_feature_migration at absolute offset `o`; the caller has checked that 8 bytes are there. */
export function read_vfio_user_device_feature_migration(v: DataView, o: number): vfio_user_device_feature_migration {
  return {
    flags: v.getBigUint64(o, true),
  };
}

/** Writes vfio_user_device_feature_migration at absolute offset `o`, checking every field fits its wire type; returns 8. */
export function write_vfio_user_device_feature_migration(v: DataView, b: Uint8Array, o: number, s: vfio_user_device_feature_migration): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_device_feature_migration must be an object');
  const f_flags = s.flags;
  if (typeof f_flags !== 'bigint' || f_flags < 0n || f_flags > 0xffffffffffffffffn) badField('vfio_user_device_feature_migration.flags', f_flags);
  v.setBigUint64(o, f_flags, true);
  return 8;
}

/** Payload of feature 2, MIG_DEVICE_STATE (GET and SET). (8 bytes; vfio-user) */
export interface vfio_user_device_feature_mig_state {
  /** @0 u32 (inout): Migration state. */
  device_state: number;
  /** @4 u32: Unused in vfio-user (the kernel's data fd); libvfio-user sends 0 and its client -1. */
  data_fd: number;
}

/** Bytes vfio_user_device_feature_mig_state occupies on the wire before any flexible member. */
export const vfio_user_device_feature_mig_state_SIZE = 8;

/** Reads vfio_user_device_feature_mig_state at absolute offset `o`; the caller has checked that 8 bytes are there. */
export function read_vfio_user_device_feature_mig_state(v: DataView, o: number): vfio_user_device_feature_mig_state {
  return {
    device_state: v.getUint32(o, true),
    data_fd: v.getUint32(o + 4, true),
  };
}

/** Writes vfio_user_device_feature_mig_state at absolute offset `o`, checking every field fits its wire type; returns 8. */
export function write_vfio_user_device_feature_mig_state(v: DataView, b: Uint8Array, o: number, s: vfio_user_device_feature_mig_state): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_device_feature_mig_state must be an object');
  const f_device_state = s.device_state;
  if (f_device_state >>> 0 !== f_device_state) badField('vfio_user_device_feature_mig_state.device_state', f_device_state);
  v.setUint32(o, f_device_state, true);
  const f_data_fd = s.data_fd;
  if (f_data_fd >>> 0 !== f_data_fd) badField('vfio_user_device_feature_mig_state.data_fd', f_data_fd);
  v.setUint32(o + 4, f_data_fd, true);
  return 8;
}

/** One IOVA range of DMA_LOGGING_START/STOP. (16 bytes; vfio-user) */
export interface vfio_user_device_feature_dma_logging_range {
  /** @0 u64: Start of the range. */
  iova: bigint;
  /** @8 u64: Length of the range. */
  length: bigint;
}

/** Bytes vfio_user_device_feature_dma_logging_range occupies on the wire before any flexible member. */
export const vfio_user_device_feature_dma_logging_range_SIZE = 16;

/** Reads vfio_user_device_feature_dma_logging_range at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_device_feature_dma_logging_range(v: DataView, o: number): vfio_user_device_feature_dma_logging_range {
  return {
    iova: v.getBigUint64(o, true),
    length: v.getBigUint64(o + 8, true),
  };
}

/** Writes vfio_user_device_feature_dma_logging_range at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_device_feature_dma_logging_range(v: DataView, b: Uint8Array, o: number, s: vfio_user_device_feature_dma_logging_range): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_device_feature_dma_logging_range must be an object');
  const f_iova = s.iova;
  if (typeof f_iova !== 'bigint' || f_iova < 0n || f_iova > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_range.iova', f_iova);
  v.setBigUint64(o, f_iova, true);
  const f_length = s.length;
  if (typeof f_length !== 'bigint' || f_length < 0n || f_length > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_range.length', f_length);
  v.setBigUint64(o + 8, f_length, true);
  return 16;
}

/** Payload of features 6 and 7, DMA_LOGGING_START and _STOP (SET). Ranges are inline, not a pointer. (16 bytes; vfio-user) */
export interface vfio_user_device_feature_dma_logging_control {
  /** @0 u64 (inout): Tracking granularity: a hint in, the chosen size out. */
  page_size: bigint;
  /** @8 u32: Number of ranges that follow; 0 means all memory. */
  num_ranges: number;
  /** @12 u32: Reserved, 0. */
  reserved: number;
}

/** Bytes vfio_user_device_feature_dma_logging_control occupies on the wire before any flexible member. */
export const vfio_user_device_feature_dma_logging_control_SIZE = 16;

/** Reads vfio_user_device_feature_dma_logging_control at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_device_feature_dma_logging_control(v: DataView, o: number): vfio_user_device_feature_dma_logging_control {
  return {
    page_size: v.getBigUint64(o, true),
    num_ranges: v.getUint32(o + 8, true),
    reserved: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_device_feature_dma_logging_control at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_device_feature_dma_logging_control(v: DataView, b: Uint8Array, o: number, s: vfio_user_device_feature_dma_logging_control): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_device_feature_dma_logging_control must be an object');
  const f_page_size = s.page_size;
  if (typeof f_page_size !== 'bigint' || f_page_size < 0n || f_page_size > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_control.page_size', f_page_size);
  v.setBigUint64(o, f_page_size, true);
  const f_num_ranges = s.num_ranges;
  if (f_num_ranges >>> 0 !== f_num_ranges) badField('vfio_user_device_feature_dma_logging_control.num_ranges', f_num_ranges);
  v.setUint32(o + 8, f_num_ranges, true);
  const f_reserved = s.reserved;
  if (f_reserved >>> 0 !== f_reserved) badField('vfio_user_device_feature_dma_logging_control.reserved', f_reserved);
  v.setUint32(o + 12, f_reserved, true);
  return 16;
}

/** Payload of feature 8, DMA_LOGGING_REPORT (GET). The bitmap is inline, not a pointer. (24 bytes; vfio-user) */
export interface vfio_user_device_feature_dma_logging_report {
  /** @0 u64: Start of the range to report. */
  iova: bigint;
  /** @8 u64: Length of the range. */
  length: bigint;
  /** @16 u64: Page size one bit stands for. */
  page_size: bigint;
}

/** Bytes vfio_user_device_feature_dma_logging_report occupies on the wire before any flexible member. */
export const vfio_user_device_feature_dma_logging_report_SIZE = 24;

/** Reads vfio_user_device_feature_dma_logging_report at absolute offset `o`; the caller has checked that 24 bytes are there. */
export function read_vfio_user_device_feature_dma_logging_report(v: DataView, o: number): vfio_user_device_feature_dma_logging_report {
  return {
    iova: v.getBigUint64(o, true),
    length: v.getBigUint64(o + 8, true),
    page_size: v.getBigUint64(o + 16, true),
  };
}

/** Writes vfio_user_device_feature_dma_logging_report at absolute offset `o`, checking every field fits its wire type; returns 24. */
export function write_vfio_user_device_feature_dma_logging_report(v: DataView, b: Uint8Array, o: number, s: vfio_user_device_feature_dma_logging_report): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_device_feature_dma_logging_report must be an object');
  const f_iova = s.iova;
  if (typeof f_iova !== 'bigint' || f_iova < 0n || f_iova > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_report.iova', f_iova);
  v.setBigUint64(o, f_iova, true);
  const f_length = s.length;
  if (typeof f_length !== 'bigint' || f_length < 0n || f_length > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_report.length', f_length);
  v.setBigUint64(o + 8, f_length, true);
  const f_page_size = s.page_size;
  if (typeof f_page_size !== 'bigint' || f_page_size < 0n || f_page_size > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_report.page_size', f_page_size);
  v.setBigUint64(o + 16, f_page_size, true);
  return 24;
}

/** MIG_DATA_READ and MIG_DATA_WRITE request and reply. (8 bytes; vfio-user) */
export interface vfio_user_mig_data {
  /** @0 u32: Size of this struct and the data it carries or asks for. */
  argsz: number;
  /** @4 u32: Bytes wanted (read request), carried (write request) or actually read (read reply; 0 at the end of the stream). */
  size: number;
}

/** Bytes vfio_user_mig_data occupies on the wire before any flexible member. */
export const vfio_user_mig_data_SIZE = 8;

/** Reads vfio_user_mig_data at absolute offset `o`; the caller has checked that 8 bytes are there. */
export function read_vfio_user_mig_data(v: DataView, o: number): vfio_user_mig_data {
  return {
    argsz: v.getUint32(o, true),
    size: v.getUint32(o + 4, true),
  };
}

/** Writes vfio_user_mig_data at absolute offset `o`, checking every field fits its wire type; returns 8. */
export function write_vfio_user_mig_data(v: DataView, b: Uint8Array, o: number, s: vfio_user_mig_data): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_mig_data must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_mig_data.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_size = s.size;
  if (f_size >>> 0 !== f_size) badField('vfio_user_mig_data.size', f_size);
  v.setUint32(o + 4, f_size, true);
  return 8;
}

/** DIRTY_PAGES (14) request and reply, removed with migration v2 in 2023. (8 bytes; legacy) */
export interface vfio_user_dirty_pages {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: START, STOP or GET_BITMAP. */
  flags: number;
}

/** Bytes vfio_user_dirty_pages occupies on the wire before any flexible member. */
export const vfio_user_dirty_pages_SIZE = 8;

/** Reads vfio_user_dirty_pages at absolute offset `o`; the caller has checked that 8 bytes are there. */
export function read_vfio_user_dirty_pages(v: DataView, o: number): vfio_user_dirty_pages {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
  };
}

/** Writes vfio_user_dirty_pages at absolute offset `o`, checking every field fits its wire type; returns 8. */
export function write_vfio_user_dirty_pages(v: DataView, b: Uint8Array, o: number, s: vfio_user_dirty_pages): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_dirty_pages must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_dirty_pages.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_dirty_pages.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  return 8;
}

/** DIRTY_PAGES GET_BITMAP range, followed in the reply by the bitmap. (32 bytes; legacy) */
export interface vfio_user_bitmap_range {
  /** @0 u64: Start of the range. */
  iova: bigint;
  /** @8 u64: Length of the range. */
  size: bigint;
  /** @16 struct: Bitmap header. */
  bitmap: vfio_user_bitmap;
}

/** Bytes vfio_user_bitmap_range occupies on the wire before any flexible member. */
export const vfio_user_bitmap_range_SIZE = 32;

/** Reads vfio_user_bitmap_range at absolute offset `o`; the caller has checked that 32 bytes are there. */
export function read_vfio_user_bitmap_range(v: DataView, o: number): vfio_user_bitmap_range {
  return {
    iova: v.getBigUint64(o, true),
    size: v.getBigUint64(o + 8, true),
    bitmap: { pgsize: v.getBigUint64(o + 16, true), size: v.getBigUint64(o + 16 + 8, true) },
  };
}

/** Writes vfio_user_bitmap_range at absolute offset `o`, checking every field fits its wire type; returns 32. */
export function write_vfio_user_bitmap_range(v: DataView, b: Uint8Array, o: number, s: vfio_user_bitmap_range): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_bitmap_range must be an object');
  const f_iova = s.iova;
  if (typeof f_iova !== 'bigint' || f_iova < 0n || f_iova > 0xffffffffffffffffn) badField('vfio_user_bitmap_range.iova', f_iova);
  v.setBigUint64(o, f_iova, true);
  const f_size = s.size;
  if (typeof f_size !== 'bigint' || f_size < 0n || f_size > 0xffffffffffffffffn) badField('vfio_user_bitmap_range.size', f_size);
  v.setBigUint64(o + 8, f_size, true);
  const f_bitmap = s.bitmap;
  write_vfio_user_bitmap(v, b, o + 16, f_bitmap);
  return 32;
}

/** REGION_WRITE_MULTI (15) request body after the header (QEMU's struct also embeds the header); the reply is the same 8 bytes (writes completed). (8 bytes; qemu) */
export interface VFIOUserWRMulti {
  /** @0 u64: Number of write entries. */
  wr_cnt: bigint;
}

/** Bytes VFIOUserWRMulti occupies on the wire before any flexible member. */
export const VFIOUserWRMulti_SIZE = 8;

/** Reads VFIOUserWRMulti at absolute offset `o`; the caller has checked that 8 bytes are there. */
export function read_VFIOUserWRMulti(v: DataView, o: number): VFIOUserWRMulti {
  return {
    wr_cnt: v.getBigUint64(o, true),
  };
}

/** Writes VFIOUserWRMulti at absolute offset `o`, checking every field fits its wire type; returns 8. */
export function write_VFIOUserWRMulti(v: DataView, b: Uint8Array, o: number, s: VFIOUserWRMulti): number {
  if (typeof s !== 'object' || s === null) badShape('VFIOUserWRMulti must be an object');
  const f_wr_cnt = s.wr_cnt;
  if (typeof f_wr_cnt !== 'bigint' || f_wr_cnt < 0n || f_wr_cnt > 0xffffffffffffffffn) badField('VFIOUserWRMulti.wr_cnt', f_wr_cnt);
  v.setBigUint64(o, f_wr_cnt, true);
  return 8;
}

/** One REGION_WRITE_MULTI entry: a write of at most 8 bytes. (24 bytes; qemu) */
export interface VFIOUserWROne {
  /** @0 u64: Offset within the region. */
  offset: bigint;
  /** @8 u32: Region index. */
  region: number;
  /** @12 u32: Bytes to write, at most 8. */
  count: number;
  /** @16 bytes[8]: The bytes, left-aligned. */
  data: Uint8Array;
}

/** Bytes VFIOUserWROne occupies on the wire before any flexible member. */
export const VFIOUserWROne_SIZE = 24;

/** Reads VFIOUserWROne at absolute offset `o`; the caller has checked that 24 bytes are there. */
export function read_VFIOUserWROne(v: DataView, o: number): VFIOUserWROne {
  return {
    offset: v.getBigUint64(o, true),
    region: v.getUint32(o + 8, true),
    count: v.getUint32(o + 12, true),
    data: view(v, o + 16, 8),
  };
}

/** Writes VFIOUserWROne at absolute offset `o`, checking every field fits its wire type; returns 24. */
export function write_VFIOUserWROne(v: DataView, b: Uint8Array, o: number, s: VFIOUserWROne): number {
  if (typeof s !== 'object' || s === null) badShape('VFIOUserWROne must be an object');
  const f_offset = s.offset;
  if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('VFIOUserWROne.offset', f_offset);
  v.setBigUint64(o, f_offset, true);
  const f_region = s.region;
  if (f_region >>> 0 !== f_region) badField('VFIOUserWROne.region', f_region);
  v.setUint32(o + 8, f_region, true);
  const f_count = s.count;
  if (f_count >>> 0 !== f_count) badField('VFIOUserWROne.count', f_count);
  v.setUint32(o + 12, f_count, true);
  const f_data = s.data;
  if (!(f_data instanceof Uint8Array)) notBytes('VFIOUserWROne.data');
  if (f_data.length !== 8) badField('VFIOUserWROne.data', f_data);
  b.set(f_data, o + 16);
  return 24;
}

/** IOMMUFD_ALLOC_IOAS request and reply: creates an I/O address space. (16 bytes; iommufd) */
export interface vfio_user_iommufd_alloc_ioas {
  /** @0 u32: Size of this struct; the PR's server replies with 0. */
  argsz: number;
  /** @4 u32: Reserved, 0. */
  flags: number;
  /** @8 u32 (out): The new IOAS id (1, 2, ...). */
  out_ioas_id: number;
  /** @12 u32: Reserved, 0. */
  __reserved: number;
}

/** Bytes vfio_user_iommufd_alloc_ioas occupies on the wire before any flexible member. */
export const vfio_user_iommufd_alloc_ioas_SIZE = 16;

/** Reads vfio_user_iommufd_alloc_ioas at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_iommufd_alloc_ioas(v: DataView, o: number): vfio_user_iommufd_alloc_ioas {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    out_ioas_id: v.getUint32(o + 8, true),
    __reserved: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_iommufd_alloc_ioas at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_iommufd_alloc_ioas(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_alloc_ioas): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_alloc_ioas must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_iommufd_alloc_ioas.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_iommufd_alloc_ioas.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_out_ioas_id = s.out_ioas_id;
  if (f_out_ioas_id >>> 0 !== f_out_ioas_id) badField('vfio_user_iommufd_alloc_ioas.out_ioas_id', f_out_ioas_id);
  v.setUint32(o + 8, f_out_ioas_id, true);
  const f_reserved = s.__reserved;
  if (f_reserved >>> 0 !== f_reserved) badField('vfio_user_iommufd_alloc_ioas.__reserved', f_reserved);
  v.setUint32(o + 12, f_reserved, true);
  return 16;
}

/** IOMMUFD_DESTROY_IOAS request. (16 bytes; iommufd) */
export interface vfio_user_iommufd_destroy_ioas {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: Reserved, 0. */
  flags: number;
  /** @8 u32: IOAS to destroy. */
  ioas_id: number;
  /** @12 u32: Reserved, 0. */
  __reserved: number;
}

/** Bytes vfio_user_iommufd_destroy_ioas occupies on the wire before any flexible member. */
export const vfio_user_iommufd_destroy_ioas_SIZE = 16;

/** Reads vfio_user_iommufd_destroy_ioas at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_iommufd_destroy_ioas(v: DataView, o: number): vfio_user_iommufd_destroy_ioas {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    ioas_id: v.getUint32(o + 8, true),
    __reserved: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_iommufd_destroy_ioas at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_iommufd_destroy_ioas(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_destroy_ioas): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_destroy_ioas must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_iommufd_destroy_ioas.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_iommufd_destroy_ioas.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_ioas_id = s.ioas_id;
  if (f_ioas_id >>> 0 !== f_ioas_id) badField('vfio_user_iommufd_destroy_ioas.ioas_id', f_ioas_id);
  v.setUint32(o + 8, f_ioas_id, true);
  const f_reserved = s.__reserved;
  if (f_reserved >>> 0 !== f_reserved) badField('vfio_user_iommufd_destroy_ioas.__reserved', f_reserved);
  v.setUint32(o + 12, f_reserved, true);
  return 16;
}

/** IOMMUFD_IOAS_MAP request and reply: maps the passed fd into an IOAS at an IOVA the server chooses. (48 bytes; iommufd) */
export interface vfio_user_iommufd_ioas_map {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: WRITEABLE (bit 0) and READABLE (bit 1). */
  flags: number;
  /** @8 u32: Target IOAS. */
  ioas_id: number;
  /** @12 u32: Reserved, 0. */
  __reserved: number;
  /** @16 u64: The client's own address of the memory; remembered, not used. */
  user_va: bigint;
  /** @24 u64: Size of the mapping. */
  length: bigint;
  /** @32 u64 (out): The IOVA the server chose for the mapping. */
  iova: bigint;
  /** @40 u64: Offset into the passed fd. */
  offset: bigint;
}

/** Bytes vfio_user_iommufd_ioas_map occupies on the wire before any flexible member. */
export const vfio_user_iommufd_ioas_map_SIZE = 48;

/** Reads vfio_user_iommufd_ioas_map at absolute offset `o`; the caller has checked that 48 bytes are there. */
export function read_vfio_user_iommufd_ioas_map(v: DataView, o: number): vfio_user_iommufd_ioas_map {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    ioas_id: v.getUint32(o + 8, true),
    __reserved: v.getUint32(o + 12, true),
    user_va: v.getBigUint64(o + 16, true),
    length: v.getBigUint64(o + 24, true),
    iova: v.getBigUint64(o + 32, true),
    offset: v.getBigUint64(o + 40, true),
  };
}

/** Writes vfio_user_iommufd_ioas_map at absolute offset `o`, checking every field fits its wire type; returns 48. */
export function write_vfio_user_iommufd_ioas_map(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_ioas_map): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_ioas_map must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_iommufd_ioas_map.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_iommufd_ioas_map.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_ioas_id = s.ioas_id;
  if (f_ioas_id >>> 0 !== f_ioas_id) badField('vfio_user_iommufd_ioas_map.ioas_id', f_ioas_id);
  v.setUint32(o + 8, f_ioas_id, true);
  const f_reserved = s.__reserved;
  if (f_reserved >>> 0 !== f_reserved) badField('vfio_user_iommufd_ioas_map.__reserved', f_reserved);
  v.setUint32(o + 12, f_reserved, true);
  const f_user_va = s.user_va;
  if (typeof f_user_va !== 'bigint' || f_user_va < 0n || f_user_va > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_map.user_va', f_user_va);
  v.setBigUint64(o + 16, f_user_va, true);
  const f_length = s.length;
  if (typeof f_length !== 'bigint' || f_length < 0n || f_length > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_map.length', f_length);
  v.setBigUint64(o + 24, f_length, true);
  const f_iova = s.iova;
  if (typeof f_iova !== 'bigint' || f_iova < 0n || f_iova > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_map.iova', f_iova);
  v.setBigUint64(o + 32, f_iova, true);
  const f_offset = s.offset;
  if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_map.offset', f_offset);
  v.setBigUint64(o + 40, f_offset, true);
  return 48;
}

/** IOMMUFD_IOAS_UNMAP request: removes one mapping, matched exactly. (32 bytes; iommufd) */
export interface vfio_user_iommufd_ioas_unmap {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: UNMAP_ALL (bit 0), defined but ignored by the PR's server. */
  flags: number;
  /** @8 u32: IOAS. */
  ioas_id: number;
  /** @12 u32: Reserved, 0. */
  __reserved: number;
  /** @16 u64: IOVA of the mapping. */
  iova: bigint;
  /** @24 u64: Length of the mapping. */
  length: bigint;
}

/** Bytes vfio_user_iommufd_ioas_unmap occupies on the wire before any flexible member. */
export const vfio_user_iommufd_ioas_unmap_SIZE = 32;

/** Reads vfio_user_iommufd_ioas_unmap at absolute offset `o`; the caller has checked that 32 bytes are there. */
export function read_vfio_user_iommufd_ioas_unmap(v: DataView, o: number): vfio_user_iommufd_ioas_unmap {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    ioas_id: v.getUint32(o + 8, true),
    __reserved: v.getUint32(o + 12, true),
    iova: v.getBigUint64(o + 16, true),
    length: v.getBigUint64(o + 24, true),
  };
}

/** Writes vfio_user_iommufd_ioas_unmap at absolute offset `o`, checking every field fits its wire type; returns 32. */
export function write_vfio_user_iommufd_ioas_unmap(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_ioas_unmap): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_ioas_unmap must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_iommufd_ioas_unmap.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_iommufd_ioas_unmap.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_ioas_id = s.ioas_id;
  if (f_ioas_id >>> 0 !== f_ioas_id) badField('vfio_user_iommufd_ioas_unmap.ioas_id', f_ioas_id);
  v.setUint32(o + 8, f_ioas_id, true);
  const f_reserved = s.__reserved;
  if (f_reserved >>> 0 !== f_reserved) badField('vfio_user_iommufd_ioas_unmap.__reserved', f_reserved);
  v.setUint32(o + 12, f_reserved, true);
  const f_iova = s.iova;
  if (typeof f_iova !== 'bigint' || f_iova < 0n || f_iova > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_unmap.iova', f_iova);
  v.setBigUint64(o + 16, f_iova, true);
  const f_length = s.length;
  if (typeof f_length !== 'bigint' || f_length < 0n || f_length > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_unmap.length', f_length);
  v.setBigUint64(o + 24, f_length, true);
  return 32;
}

/** IOMMUFD_IOAS_COPY request: defined by the PR, which has no handler for it. Source before destination, unlike the kernel. (40 bytes; iommufd) */
export interface vfio_user_iommufd_ioas_copy {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: Map flags for the copy. */
  flags: number;
  /** @8 u32: Source IOAS. */
  src_ioas_id: number;
  /** @12 u32: Destination IOAS. */
  dst_ioas_id: number;
  /** @16 u64: Source IOVA. */
  src_iova: bigint;
  /** @24 u64 (inout): Destination IOVA. */
  dst_iova: bigint;
  /** @32 u64: Length to copy. */
  length: bigint;
}

/** Bytes vfio_user_iommufd_ioas_copy occupies on the wire before any flexible member. */
export const vfio_user_iommufd_ioas_copy_SIZE = 40;

/** Reads vfio_user_iommufd_ioas_copy at absolute offset `o`; the caller has checked that 40 bytes are there. */
export function read_vfio_user_iommufd_ioas_copy(v: DataView, o: number): vfio_user_iommufd_ioas_copy {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    src_ioas_id: v.getUint32(o + 8, true),
    dst_ioas_id: v.getUint32(o + 12, true),
    src_iova: v.getBigUint64(o + 16, true),
    dst_iova: v.getBigUint64(o + 24, true),
    length: v.getBigUint64(o + 32, true),
  };
}

/** Writes vfio_user_iommufd_ioas_copy at absolute offset `o`, checking every field fits its wire type; returns 40. */
export function write_vfio_user_iommufd_ioas_copy(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_ioas_copy): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_ioas_copy must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_iommufd_ioas_copy.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_iommufd_ioas_copy.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_src_ioas_id = s.src_ioas_id;
  if (f_src_ioas_id >>> 0 !== f_src_ioas_id) badField('vfio_user_iommufd_ioas_copy.src_ioas_id', f_src_ioas_id);
  v.setUint32(o + 8, f_src_ioas_id, true);
  const f_dst_ioas_id = s.dst_ioas_id;
  if (f_dst_ioas_id >>> 0 !== f_dst_ioas_id) badField('vfio_user_iommufd_ioas_copy.dst_ioas_id', f_dst_ioas_id);
  v.setUint32(o + 12, f_dst_ioas_id, true);
  const f_src_iova = s.src_iova;
  if (typeof f_src_iova !== 'bigint' || f_src_iova < 0n || f_src_iova > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_copy.src_iova', f_src_iova);
  v.setBigUint64(o + 16, f_src_iova, true);
  const f_dst_iova = s.dst_iova;
  if (typeof f_dst_iova !== 'bigint' || f_dst_iova < 0n || f_dst_iova > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_copy.dst_iova', f_dst_iova);
  v.setBigUint64(o + 24, f_dst_iova, true);
  const f_length = s.length;
  if (typeof f_length !== 'bigint' || f_length < 0n || f_length > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_copy.length', f_length);
  v.setBigUint64(o + 32, f_length, true);
  return 40;
}

/** IOMMUFD_BIND request and reply: binds the device to the iommufd context. (16 bytes; iommufd) */
export interface vfio_user_iommufd_bind {
  /** @0 u32: Size of this struct; the PR's server replies with 0. */
  argsz: number;
  /** @4 u32: Reserved, 0. */
  flags: number;
  /** @8 s32: The client's iommufd number; ignored (no fd is passed). */
  iommufd: number;
  /** @12 u32 (out): Device id (the PR's server always returns 1). */
  out_devid: number;
}

/** Bytes vfio_user_iommufd_bind occupies on the wire before any flexible member. */
export const vfio_user_iommufd_bind_SIZE = 16;

/** Reads vfio_user_iommufd_bind at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_iommufd_bind(v: DataView, o: number): vfio_user_iommufd_bind {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    iommufd: v.getInt32(o + 8, true),
    out_devid: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_iommufd_bind at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_iommufd_bind(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_bind): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_bind must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_iommufd_bind.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_iommufd_bind.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_iommufd = s.iommufd;
  if ((f_iommufd | 0) !== f_iommufd) badField('vfio_user_iommufd_bind.iommufd', f_iommufd);
  v.setInt32(o + 8, f_iommufd, true);
  const f_out_devid = s.out_devid;
  if (f_out_devid >>> 0 !== f_out_devid) badField('vfio_user_iommufd_bind.out_devid', f_out_devid);
  v.setUint32(o + 12, f_out_devid, true);
  return 16;
}

/** IOMMUFD_ATTACH_PT request: makes an IOAS the device's DMA address space. (16 bytes; iommufd) */
export interface vfio_user_iommufd_attach_pt {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: ATTACH_PASID (bit 0), ignored by the PR's server. */
  flags: number;
  /** @8 u32 (inout): IOAS to attach. Documented as in/out; the PR's server never writes it back. */
  pt_id: number;
  /** @12 u32: PASID, with ATTACH_PASID. */
  pasid: number;
}

/** Bytes vfio_user_iommufd_attach_pt occupies on the wire before any flexible member. */
export const vfio_user_iommufd_attach_pt_SIZE = 16;

/** Reads vfio_user_iommufd_attach_pt at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_iommufd_attach_pt(v: DataView, o: number): vfio_user_iommufd_attach_pt {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    pt_id: v.getUint32(o + 8, true),
    pasid: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_iommufd_attach_pt at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_iommufd_attach_pt(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_attach_pt): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_attach_pt must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_iommufd_attach_pt.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_iommufd_attach_pt.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_pt_id = s.pt_id;
  if (f_pt_id >>> 0 !== f_pt_id) badField('vfio_user_iommufd_attach_pt.pt_id', f_pt_id);
  v.setUint32(o + 8, f_pt_id, true);
  const f_pasid = s.pasid;
  if (f_pasid >>> 0 !== f_pasid) badField('vfio_user_iommufd_attach_pt.pasid', f_pasid);
  v.setUint32(o + 12, f_pasid, true);
  return 16;
}

/** IOMMUFD_DETACH_PT request: detaches the device from its IOAS. (16 bytes; iommufd) */
export interface vfio_user_iommufd_detach_pt {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: DETACH_PASID (bit 0). */
  flags: number;
  /** @8 u32: PASID, with DETACH_PASID. */
  pasid: number;
  /** @12 u32: Reserved, 0. */
  __reserved: number;
}

/** Bytes vfio_user_iommufd_detach_pt occupies on the wire before any flexible member. */
export const vfio_user_iommufd_detach_pt_SIZE = 16;

/** Reads vfio_user_iommufd_detach_pt at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_iommufd_detach_pt(v: DataView, o: number): vfio_user_iommufd_detach_pt {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    pasid: v.getUint32(o + 8, true),
    __reserved: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_iommufd_detach_pt at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_iommufd_detach_pt(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_detach_pt): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_detach_pt must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_iommufd_detach_pt.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_iommufd_detach_pt.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_pasid = s.pasid;
  if (f_pasid >>> 0 !== f_pasid) badField('vfio_user_iommufd_detach_pt.pasid', f_pasid);
  v.setUint32(o + 8, f_pasid, true);
  const f_reserved = s.__reserved;
  if (f_reserved >>> 0 !== f_reserved) badField('vfio_user_iommufd_detach_pt.__reserved', f_reserved);
  v.setUint32(o + 12, f_reserved, true);
  return 16;
}

/** One IOVA window of an IOAS, both ends included (draft). (16 bytes; draft) */
export interface vfio_user_iommufd_iova_range {
  /** @0 u64: First IOVA of the window. */
  start: bigint;
  /** @8 u64: Last IOVA of the window (inclusive). */
  last: bigint;
}

/** Bytes vfio_user_iommufd_iova_range occupies on the wire before any flexible member. */
export const vfio_user_iommufd_iova_range_SIZE = 16;

/** Reads vfio_user_iommufd_iova_range at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_iommufd_iova_range(v: DataView, o: number): vfio_user_iommufd_iova_range {
  return {
    start: v.getBigUint64(o, true),
    last: v.getBigUint64(o + 8, true),
  };
}

/** Writes vfio_user_iommufd_iova_range at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_iommufd_iova_range(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_iova_range): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_iova_range must be an object');
  const f_start = s.start;
  if (typeof f_start !== 'bigint' || f_start < 0n || f_start > 0xffffffffffffffffn) badField('vfio_user_iommufd_iova_range.start', f_start);
  v.setBigUint64(o, f_start, true);
  const f_last = s.last;
  if (typeof f_last !== 'bigint' || f_last < 0n || f_last > 0xffffffffffffffffn) badField('vfio_user_iommufd_iova_range.last', f_last);
  v.setBigUint64(o + 8, f_last, true);
  return 16;
}

/** IOMMUFD_IOAS_IOVA_RANGES request and reply (draft): the IOVA windows an IOAS accepts and their alignment. (24 bytes; draft) */
export interface vfio_user_iommufd_ioas_iova_ranges {
  /** @0 u32 (inout): Request: size of the reply buffer the client accepts. Reply: size needed for every range. */
  argsz: number;
  /** @4 u32: Reserved, 0. */
  flags: number;
  /** @8 u32: The IOAS. */
  ioas_id: number;
  /** @12 u32 (inout): Request: ranges that fit in the reply. Reply: number of ranges, even when they are left out. */
  num_iovas: number;
  /** @16 u64 (out): Alignment every mapping of the IOAS needs. */
  out_iova_alignment: bigint;
}

/** Bytes vfio_user_iommufd_ioas_iova_ranges occupies on the wire before any flexible member. */
export const vfio_user_iommufd_ioas_iova_ranges_SIZE = 24;

/** Reads vfio_user_iommufd_ioas_iova_ranges at absolute offset `o`; the caller has checked that 24 bytes are there. */
export function read_vfio_user_iommufd_ioas_iova_ranges(v: DataView, o: number): vfio_user_iommufd_ioas_iova_ranges {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    ioas_id: v.getUint32(o + 8, true),
    num_iovas: v.getUint32(o + 12, true),
    out_iova_alignment: v.getBigUint64(o + 16, true),
  };
}

/** Writes vfio_user_iommufd_ioas_iova_ranges at absolute offset `o`, checking every field fits its wire type; returns 24. */
export function write_vfio_user_iommufd_ioas_iova_ranges(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_ioas_iova_ranges): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_ioas_iova_ranges must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_iommufd_ioas_iova_ranges.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_iommufd_ioas_iova_ranges.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_ioas_id = s.ioas_id;
  if (f_ioas_id >>> 0 !== f_ioas_id) badField('vfio_user_iommufd_ioas_iova_ranges.ioas_id', f_ioas_id);
  v.setUint32(o + 8, f_ioas_id, true);
  const f_num_iovas = s.num_iovas;
  if (f_num_iovas >>> 0 !== f_num_iovas) badField('vfio_user_iommufd_ioas_iova_ranges.num_iovas', f_num_iovas);
  v.setUint32(o + 12, f_num_iovas, true);
  const f_out_iova_alignment = s.out_iova_alignment;
  if (typeof f_out_iova_alignment !== 'bigint' || f_out_iova_alignment < 0n || f_out_iova_alignment > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_iova_ranges.out_iova_alignment', f_out_iova_alignment);
  v.setBigUint64(o + 16, f_out_iova_alignment, true);
  return 24;
}

/** IOMMUFD_IOAS_SET_DIRTY_TRACKING request (draft): starts or stops dirty-page tracking of an IOAS. (16 bytes; draft) */
export interface vfio_user_iommufd_ioas_set_dirty_tracking {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: ENABLE (bit 0) starts tracking; clear stops it. */
  flags: number;
  /** @8 u32: The IOAS. */
  ioas_id: number;
  /** @12 u32: Reserved, 0. */
  __reserved: number;
}

/** Bytes vfio_user_iommufd_ioas_set_dirty_tracking occupies on the wire before any flexible member. */
export const vfio_user_iommufd_ioas_set_dirty_tracking_SIZE = 16;

/** Reads vfio_user_iommufd_ioas_set_dirty_tracking at absolute offset `o`; the caller has checked that 16 bytes are there. */
export function read_vfio_user_iommufd_ioas_set_dirty_tracking(v: DataView, o: number): vfio_user_iommufd_ioas_set_dirty_tracking {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    ioas_id: v.getUint32(o + 8, true),
    __reserved: v.getUint32(o + 12, true),
  };
}

/** Writes vfio_user_iommufd_ioas_set_dirty_tracking at absolute offset `o`, checking every field fits its wire type; returns 16. */
export function write_vfio_user_iommufd_ioas_set_dirty_tracking(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_ioas_set_dirty_tracking): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_ioas_set_dirty_tracking must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_iommufd_ioas_set_dirty_tracking.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_iommufd_ioas_set_dirty_tracking.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_ioas_id = s.ioas_id;
  if (f_ioas_id >>> 0 !== f_ioas_id) badField('vfio_user_iommufd_ioas_set_dirty_tracking.ioas_id', f_ioas_id);
  v.setUint32(o + 8, f_ioas_id, true);
  const f_reserved = s.__reserved;
  if (f_reserved >>> 0 !== f_reserved) badField('vfio_user_iommufd_ioas_set_dirty_tracking.__reserved', f_reserved);
  v.setUint32(o + 12, f_reserved, true);
  return 16;
}

/** IOMMUFD_IOAS_GET_DIRTY_BITMAP request and reply (draft): the dirty bitmap of a range, inline in the reply. (40 bytes; draft) */
export interface vfio_user_iommufd_ioas_get_dirty_bitmap {
  /** @0 u32: Size of the whole argument, this struct and what follows it, in bytes. */
  argsz: number;
  /** @4 u32: NO_CLEAR (bit 0): read without clearing. */
  flags: number;
  /** @8 u32: The IOAS. */
  ioas_id: number;
  /** @12 u32: Reserved, 0. */
  __reserved: number;
  /** @16 u64: Start of the range. */
  iova: bigint;
  /** @24 u64: Length of the range. */
  length: bigint;
  /** @32 u64: Page size one bit stands for; a power of two. */
  page_size: bigint;
}

/** Bytes vfio_user_iommufd_ioas_get_dirty_bitmap occupies on the wire before any flexible member. */
export const vfio_user_iommufd_ioas_get_dirty_bitmap_SIZE = 40;

/** Reads vfio_user_iommufd_ioas_get_dirty_bitmap at absolute offset `o`; the caller has checked that 40 bytes are there. */
export function read_vfio_user_iommufd_ioas_get_dirty_bitmap(v: DataView, o: number): vfio_user_iommufd_ioas_get_dirty_bitmap {
  return {
    argsz: v.getUint32(o, true),
    flags: v.getUint32(o + 4, true),
    ioas_id: v.getUint32(o + 8, true),
    __reserved: v.getUint32(o + 12, true),
    iova: v.getBigUint64(o + 16, true),
    length: v.getBigUint64(o + 24, true),
    page_size: v.getBigUint64(o + 32, true),
  };
}

/** Writes vfio_user_iommufd_ioas_get_dirty_bitmap at absolute offset `o`, checking every field fits its wire type; returns 40. */
export function write_vfio_user_iommufd_ioas_get_dirty_bitmap(v: DataView, b: Uint8Array, o: number, s: vfio_user_iommufd_ioas_get_dirty_bitmap): number {
  if (typeof s !== 'object' || s === null) badShape('vfio_user_iommufd_ioas_get_dirty_bitmap must be an object');
  const f_argsz = s.argsz;
  if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_iommufd_ioas_get_dirty_bitmap.argsz', f_argsz);
  v.setUint32(o, f_argsz, true);
  const f_flags = s.flags;
  if (f_flags >>> 0 !== f_flags) badField('vfio_user_iommufd_ioas_get_dirty_bitmap.flags', f_flags);
  v.setUint32(o + 4, f_flags, true);
  const f_ioas_id = s.ioas_id;
  if (f_ioas_id >>> 0 !== f_ioas_id) badField('vfio_user_iommufd_ioas_get_dirty_bitmap.ioas_id', f_ioas_id);
  v.setUint32(o + 8, f_ioas_id, true);
  const f_reserved = s.__reserved;
  if (f_reserved >>> 0 !== f_reserved) badField('vfio_user_iommufd_ioas_get_dirty_bitmap.__reserved', f_reserved);
  v.setUint32(o + 12, f_reserved, true);
  const f_iova = s.iova;
  if (typeof f_iova !== 'bigint' || f_iova < 0n || f_iova > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_get_dirty_bitmap.iova', f_iova);
  v.setBigUint64(o + 16, f_iova, true);
  const f_length = s.length;
  if (typeof f_length !== 'bigint' || f_length < 0n || f_length > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_get_dirty_bitmap.length', f_length);
  v.setBigUint64(o + 24, f_length, true);
  const f_page_size = s.page_size;
  if (typeof f_page_size !== 'bigint' || f_page_size < 0n || f_page_size > 0xffffffffffffffffn) badField('vfio_user_iommufd_ioas_get_dirty_bitmap.page_size', f_page_size);
  v.setBigUint64(o + 32, f_page_size, true);
  return 40;
}
