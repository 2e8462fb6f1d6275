// Generated from spec/ by generator/ts.ts (npm run generate). Do not edit.

import type { VersionJson } from '../../src/capabilities.js';
import { resolveOptions, type CodecOptions, type ResolvedOptions } from '../../src/options.js';
import {
  bitmapBytes, isBitmapSize, isPowerOfTwo,
} from '../../src/bitmap.js';
import {
  checkMsgSize, decodeOther, refuseSize,
} from '../../src/decode-paths.js';
import {
  checkHeader, encodeOther, noRoom, tooLarge, unknownCommand, wrongJsType,
} from '../../src/encode-paths.js';
import {
  capCut, capGap, capOverlap, capOverrun, type Chain, chainLength, decodeJsonTail, encodeChain, walkChain,
} from '../../src/tails.js';
import {
  badArgsz, badBitmapSize, badField, badFlags, badPayload, badShape, badStride, bodyLong, bodyShort, checkArray,
  checkBytes, dataViewOfBuffer, emptyBody, encodeLength, limitExceeded, notArray, notBytes, notPowerOfTwo, tailLength,
  view, viewsOf, zeroPad,
} from '../../src/wire.js';
import {
  type vfio_user_version, type vfio_user_dma_map, type vfio_user_bitmap, type vfio_user_dma_unmap,
  type vfio_user_device_info, type vfio_region_info, type vfio_info_cap_header, type vfio_region_sparse_mmap_area,
  type vfio_region_info_cap_sparse_mmap, type vfio_region_info_cap_type, type vfio_user_region_io_fds_request,
  type vfio_user_sub_region_ioeventfd, type vfio_user_sub_region_ioregionfd, type vfio_user_region_io_fds_reply,
  type vfio_irq_info, type vfio_irq_set, type vfio_user_region_access, type vfio_user_dma_region_access,
  type VFIOUserDMARW, type vfio_user_device_feature, type vfio_user_device_feature_migration,
  type vfio_user_device_feature_mig_state, type vfio_user_device_feature_dma_logging_range,
  type vfio_user_device_feature_dma_logging_control, type vfio_user_device_feature_dma_logging_report,
  type vfio_user_mig_data, type vfio_user_dirty_pages, type vfio_user_bitmap_range, type VFIOUserWRMulti,
  type VFIOUserWROne, type vfio_user_iommufd_alloc_ioas, type vfio_user_iommufd_destroy_ioas,
  type vfio_user_iommufd_ioas_map, type vfio_user_iommufd_ioas_unmap, type vfio_user_iommufd_ioas_copy,
  type vfio_user_iommufd_bind, type vfio_user_iommufd_attach_pt, type vfio_user_iommufd_detach_pt,
  type vfio_user_iommufd_iova_range, type vfio_user_iommufd_ioas_iova_ranges,
  type vfio_user_iommufd_ioas_set_dirty_tracking, type vfio_user_iommufd_ioas_get_dirty_bitmap,
} from './structs.js';
import {
  write_vfio_info_cap_header, write_vfio_region_sparse_mmap_area, write_vfio_region_info_cap_sparse_mmap,
  write_vfio_region_info_cap_type,
} from './structs.js';

// Message types ------------------------------------------------------------

/** vfio_user_bitmap with data: With GET_DIRTY_BITMAP: the bitmap header and bitmap.size bitmap bytes. */
export interface UnmapBitmapWithData extends vfio_user_bitmap {
  /** The bitmap; bit i stands for page i. */
  data: Uint8Array;
}

/** vfio_user_bitmap_range with data: With GET_BITMAP: the range, bitmap header and bitmap. */
export interface DirtyBitmapRangeWithData extends vfio_user_bitmap_range {
  /** The bitmap; bit i stands for page i. */
  data: Uint8Array;
}

/** A payload chosen by the fields before it; anything no case takes is kept raw. */
export type DeviceFeatureData =
  /** No payload (a GET request of MIGRATION or MIG_DEVICE_STATE). */
  | ({ kind: 'none' })
  /** vfio_user_device_feature_dma_logging_report (feature 8, GET); the bitmap comes in the reply. */
  | ({ kind: 'dma_logging_report' } & vfio_user_device_feature_dma_logging_report & { bitmap: Uint8Array })
  /** vfio_user_device_feature_mig_state (feature 2: GET reply, SET request and reply). */
  | ({ kind: 'mig_state' } & vfio_user_device_feature_mig_state)
  /** vfio_user_device_feature_dma_logging_control with its ranges (features 6 and 7, SET). */
  | ({ kind: 'dma_logging_control' } & vfio_user_device_feature_dma_logging_control & { ranges: vfio_user_device_feature_dma_logging_range[] })
  /** vfio_user_device_feature_migration (GET reply of feature 1). */
  | ({ kind: 'migration' } & vfio_user_device_feature_migration)
  /** Any other payload, kept as bytes (a view into the input). */
  | { kind: 'raw'; bytes: Uint8Array };

/** The header every capability starts with (vfio_info_cap_header). */
export type CapHeader = vfio_info_cap_header;

/** Capability 1: vfio_region_info_cap_sparse_mmap. */
export interface SparseMmapCap extends vfio_region_info_cap_sparse_mmap {
  kind: 'sparse_mmap';
  /** nr_areas areas. */
  areas: vfio_region_sparse_mmap_area[];
}

/** Capability 2: vfio_region_info_cap_type. */
export interface TypeCap extends vfio_region_info_cap_type {
  kind: 'type';
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

/** The capability chain, from cap_offset by next. One capability, in chain order. */
export type RegionCap = SparseMmapCap | TypeCap | MsixMappableCap | RawCap;

export interface VersionCommandBody extends vfio_user_version {
  /** Capabilities JSON, NUL-terminated; may be absent. The JSON text without its NUL (a view into the input); empty when absent. */
  data: Uint8Array;
  /** The parsed JSON; null when absent. Encoding writes `data`, not this. */
  json: VersionJson | null;
}
/** VFIO_USER_VERSION command (sent by the client): First message of every connection: proposes a version and the client's capabilities; the reply carries the server's. Capability values say what the sender can receive. */
export interface VersionCommand {
  kind: 'command';
  cmd: 1;
  msg_id: number;
  flags: number;
  error_no: number;
  body: VersionCommandBody;
}

export interface VersionReplyBody extends vfio_user_version {
  /** Capabilities JSON, NUL-terminated; may be absent. The JSON text without its NUL (a view into the input); empty when absent. */
  data: Uint8Array;
  /** The parsed JSON; null when absent. Encoding writes `data`, not this. */
  json: VersionJson | null;
}
/** VFIO_USER_VERSION reply: First message of every connection: proposes a version and the client's capabilities; the reply carries the server's. Capability values say what the sender can receive. */
export interface VersionReply {
  kind: 'reply';
  cmd: 1;
  msg_id: number;
  flags: number;
  error_no: number;
  body: VersionReplyBody;
}

export type DmaMapCommandBody = vfio_user_dma_map;
/** VFIO_USER_DMA_MAP command (sent by the client): Tells the server about a window of client memory. With an fd the server maps or reads the fd; without one it reaches the memory by DMA_READ/DMA_WRITE. */
export interface DmaMapCommand {
  kind: 'command';
  cmd: 2;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DmaMapCommandBody;
}

export type DmaMapReplyBody = null;
/** VFIO_USER_DMA_MAP reply: Tells the server about a window of client memory. With an fd the server maps or reads the fd; without one it reaches the memory by DMA_READ/DMA_WRITE. */
export interface DmaMapReply {
  kind: 'reply';
  cmd: 2;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DmaMapReplyBody;
}

export interface DmaUnmapCommandBody extends vfio_user_dma_unmap {
  /** With GET_DIRTY_BITMAP: the 16-byte bitmap header; argsz leaves room for the bitmap the reply carries. Null without VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP. */
  bitmap: vfio_user_bitmap | null;
}
export interface DmaUnmapCommandBody_rust_vmm extends vfio_user_dma_unmap {
  /** Never present: bit 0, which announces it, is no rust-vmm flag. Null without VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP. */
  bitmap: vfio_user_bitmap | null;
}
/** VFIO_USER_DMA_UNMAP command (sent by the client): Withdraws a window, which must match an earlier DMA_MAP exactly, or all windows with ALL. With GET_DIRTY_BITMAP the reply carries the window's dirty bitmap. */
export interface DmaUnmapCommand {
  kind: 'command';
  cmd: 3;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DmaUnmapCommandBody | DmaUnmapCommandBody_rust_vmm;
}

export interface DmaUnmapReplyBody extends vfio_user_dma_unmap {
  /** With GET_DIRTY_BITMAP: the bitmap header and bitmap.size bitmap bytes. Null without VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP. */
  bitmap: UnmapBitmapWithData | null;
}
export interface DmaUnmapReplyBody_rust_vmm extends vfio_user_dma_unmap {
  /** Never present: bit 0, which announces it, is no rust-vmm flag. Null without VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP. */
  bitmap: UnmapBitmapWithData | null;
}
/** VFIO_USER_DMA_UNMAP reply: Withdraws a window, which must match an earlier DMA_MAP exactly, or all windows with ALL. With GET_DIRTY_BITMAP the reply carries the window's dirty bitmap. */
export interface DmaUnmapReply {
  kind: 'reply';
  cmd: 3;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DmaUnmapReplyBody | DmaUnmapReplyBody_rust_vmm;
}

export type DeviceGetInfoCommandBody = vfio_user_device_info;
/** VFIO_USER_DEVICE_GET_INFO command (sent by the client): Device flags and the number of regions and IRQ indexes. */
export interface DeviceGetInfoCommand {
  kind: 'command';
  cmd: 4;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceGetInfoCommandBody;
}

export type DeviceGetInfoReplyBody = vfio_user_device_info;
/** VFIO_USER_DEVICE_GET_INFO reply: Device flags and the number of regions and IRQ indexes. */
export interface DeviceGetInfoReply {
  kind: 'reply';
  cmd: 4;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceGetInfoReplyBody;
}

export interface DeviceGetRegionInfoCommandBody extends vfio_region_info {
  /** Zero bytes up to argsz, as libvfio-user's client sends. (a view into the input) */
  padding: Uint8Array;
}
/** VFIO_USER_DEVICE_GET_REGION_INFO command (sent by the client): One region's flags, size and mmap offset, and its capability chain when argsz leaves room for it; otherwise argsz in the reply says how much room to ask for. */
export interface DeviceGetRegionInfoCommand {
  kind: 'command';
  cmd: 5;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceGetRegionInfoCommandBody;
}

export interface DeviceGetRegionInfoReplyBody extends vfio_region_info {
  /** The capability chain, from cap_offset by next. */
  caps: RegionCap[];
}
/** VFIO_USER_DEVICE_GET_REGION_INFO reply: One region's flags, size and mmap offset, and its capability chain when argsz leaves room for it; otherwise argsz in the reply says how much room to ask for. */
export interface DeviceGetRegionInfoReply {
  kind: 'reply';
  cmd: 5;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceGetRegionInfoReplyBody;
}

export type DeviceGetRegionIoFdsCommandBody = vfio_user_region_io_fds_request;
/** VFIO_USER_DEVICE_GET_REGION_IO_FDS command (sent by the client): Sub-ranges of a region the client may drive through ioeventfds or ioregionfds the server hands out. */
export interface DeviceGetRegionIoFdsCommand {
  kind: 'command';
  cmd: 6;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceGetRegionIoFdsCommandBody;
}

export interface DeviceGetRegionIoFdsReplyBody extends vfio_user_region_io_fds_reply {
  /** count entries of 48 (libvfio-user) or 40 (QEMU document) bytes, or none if they did not fit. */
  sub_regions: vfio_user_sub_region_ioeventfd[] | vfio_user_sub_region_ioregionfd[];
}
/** VFIO_USER_DEVICE_GET_REGION_IO_FDS reply: Sub-ranges of a region the client may drive through ioeventfds or ioregionfds the server hands out. */
export interface DeviceGetRegionIoFdsReply {
  kind: 'reply';
  cmd: 6;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceGetRegionIoFdsReplyBody;
}

export type DeviceGetIrqInfoCommandBody = vfio_irq_info;
/** VFIO_USER_DEVICE_GET_IRQ_INFO command (sent by the client): Flags and vector count of one IRQ index. */
export interface DeviceGetIrqInfoCommand {
  kind: 'command';
  cmd: 7;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceGetIrqInfoCommandBody;
}

export type DeviceGetIrqInfoReplyBody = vfio_irq_info;
/** VFIO_USER_DEVICE_GET_IRQ_INFO reply: Flags and vector count of one IRQ index. */
export interface DeviceGetIrqInfoReply {
  kind: 'reply';
  cmd: 7;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceGetIrqInfoReplyBody;
}

export interface DeviceSetIrqsCommandBody extends vfio_irq_set {
  /** With DATA_BOOL: one byte per vector. (a view into the input) */
  data: Uint8Array;
}
/** VFIO_USER_DEVICE_SET_IRQS command (sent by the client): Masks, unmasks or triggers a range of vectors, or installs eventfds for them (one fd per vector; none removes them). */
export interface DeviceSetIrqsCommand {
  kind: 'command';
  cmd: 8;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceSetIrqsCommandBody;
}

export type DeviceSetIrqsReplyBody = null;
/** VFIO_USER_DEVICE_SET_IRQS reply: Masks, unmasks or triggers a range of vectors, or installs eventfds for them (one fd per vector; none removes them). */
export interface DeviceSetIrqsReply {
  kind: 'reply';
  cmd: 8;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceSetIrqsReplyBody;
}

export type RegionReadCommandBody = vfio_user_region_access;
/** VFIO_USER_REGION_READ command (sent by the client): Reads count bytes of a region. A read of 0 bytes gets an empty reply. */
export interface RegionReadCommand {
  kind: 'command';
  cmd: 9;
  msg_id: number;
  flags: number;
  error_no: number;
  body: RegionReadCommandBody;
}

export interface RegionReadReplyBody_present extends vfio_user_region_access {
  /** The bytes read. (a view into the input) */
  data: Uint8Array;
}
export type RegionReadReplyBody = RegionReadReplyBody_present | null;
/** VFIO_USER_REGION_READ reply: Reads count bytes of a region. A read of 0 bytes gets an empty reply. */
export interface RegionReadReply {
  kind: 'reply';
  cmd: 9;
  msg_id: number;
  flags: number;
  error_no: number;
  body: RegionReadReplyBody;
}

export interface RegionWriteCommandBody extends vfio_user_region_access {
  /** The bytes to write. (a view into the input) */
  data: Uint8Array;
}
/** VFIO_USER_REGION_WRITE command (sent by the client): Writes count bytes to a region; the reply echoes the descriptor. A write of 0 bytes gets an empty reply. */
export interface RegionWriteCommand {
  kind: 'command';
  cmd: 10;
  msg_id: number;
  flags: number;
  error_no: number;
  body: RegionWriteCommandBody;
}

export type RegionWriteReplyBody = vfio_user_region_access | null;
/** VFIO_USER_REGION_WRITE reply: Writes count bytes to a region; the reply echoes the descriptor. A write of 0 bytes gets an empty reply. */
export interface RegionWriteReply {
  kind: 'reply';
  cmd: 10;
  msg_id: number;
  flags: number;
  error_no: number;
  body: RegionWriteReplyBody;
}

export type DmaReadCommandBody = vfio_user_dma_region_access;
export type DmaReadCommandBody_qemu = VFIOUserDMARW;
/** VFIO_USER_DMA_READ command (sent by the server): The server reads client memory mapped without an fd. Chunks are at most the client's max_data_xfer_size. */
export interface DmaReadCommand {
  kind: 'command';
  cmd: 11;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DmaReadCommandBody | DmaReadCommandBody_qemu;
}

export interface DmaReadReplyBody extends vfio_user_dma_region_access {
  /** The bytes read. (a view into the input) */
  data: Uint8Array;
}
export interface DmaReadReplyBody_qemu extends VFIOUserDMARW {
  /** The bytes read, at body offset 12 (message byte 28). (a view into the input) */
  data: Uint8Array;
}
/** VFIO_USER_DMA_READ reply: The server reads client memory mapped without an fd. Chunks are at most the client's max_data_xfer_size. */
export interface DmaReadReply {
  kind: 'reply';
  cmd: 11;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DmaReadReplyBody | DmaReadReplyBody_qemu;
}

export interface DmaWriteCommandBody extends vfio_user_dma_region_access {
  /** The bytes to write. (a view into the input) */
  data: Uint8Array;
}
export interface DmaWriteCommandBody_qemu extends VFIOUserDMARW {
  /** The bytes to write, at body offset 12 (message byte 28). (a view into the input) */
  data: Uint8Array;
}
/** VFIO_USER_DMA_WRITE command (sent by the server): The server writes client memory mapped without an fd; the reply echoes the 16-byte descriptor. */
export interface DmaWriteCommand {
  kind: 'command';
  cmd: 12;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DmaWriteCommandBody | DmaWriteCommandBody_qemu;
}

export type DmaWriteReplyBody = vfio_user_dma_region_access;
export type DmaWriteReplyBody_qemu = null;
/** VFIO_USER_DMA_WRITE reply: The server writes client memory mapped without an fd; the reply echoes the 16-byte descriptor. */
export interface DmaWriteReply {
  kind: 'reply';
  cmd: 12;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DmaWriteReplyBody | DmaWriteReplyBody_qemu;
}

export type DeviceResetCommandBody = null;
/** VFIO_USER_DEVICE_RESET command (sent by the client): Resets the device. The only command with no body. */
export interface DeviceResetCommand {
  kind: 'command';
  cmd: 13;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceResetCommandBody;
}

export type DeviceResetReplyBody = null;
/** VFIO_USER_DEVICE_RESET reply: Resets the device. The only command with no body. */
export interface DeviceResetReply {
  kind: 'reply';
  cmd: 13;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceResetReplyBody;
}

export interface DirtyPagesCommandBody extends vfio_user_dirty_pages {
  /** With GET_BITMAP: the range and bitmap header. Null without VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP. */
  range: vfio_user_bitmap_range | null;
}
/** VFIO_USER_DIRTY_PAGES command (sent by the client): Legacy dirty page tracking (migration v1): START, STOP, or GET_BITMAP of a range. Removed from libvfio-user in 2023; current servers answer EINVAL. */
export interface DirtyPagesCommand {
  kind: 'command';
  cmd: 14;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DirtyPagesCommandBody;
}

export interface DirtyPagesReplyBody_present extends vfio_user_dirty_pages {
  /** With GET_BITMAP: the range, bitmap header and bitmap. Null without VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP. */
  range: DirtyBitmapRangeWithData | null;
}
export type DirtyPagesReplyBody = DirtyPagesReplyBody_present | null;
/** VFIO_USER_DIRTY_PAGES reply: Legacy dirty page tracking (migration v1): START, STOP, or GET_BITMAP of a range. Removed from libvfio-user in 2023; current servers answer EINVAL. */
export interface DirtyPagesReply {
  kind: 'reply';
  cmd: 14;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DirtyPagesReplyBody;
}

export interface RegionWriteMultiCommandBody extends VFIOUserWRMulti {
  /** wr_cnt writes. */
  wrs: VFIOUserWROne[];
}
/** VFIO_USER_REGION_WRITE_MULTI command (sent by the client): Many small (at most 8-byte) region writes in one message; only to a server that advertised write_multiple. QEMU sends it with NO_REPLY; libvfio-user does not implement it. */
export interface RegionWriteMultiCommand {
  kind: 'command';
  cmd: 15;
  msg_id: number;
  flags: number;
  error_no: number;
  body: RegionWriteMultiCommandBody;
}

export type RegionWriteMultiReplyBody = VFIOUserWRMulti;
/** VFIO_USER_REGION_WRITE_MULTI reply: Many small (at most 8-byte) region writes in one message; only to a server that advertised write_multiple. QEMU sends it with NO_REPLY; libvfio-user does not implement it. */
export interface RegionWriteMultiReply {
  kind: 'reply';
  cmd: 15;
  msg_id: number;
  flags: number;
  error_no: number;
  body: RegionWriteMultiReplyBody;
}

export interface DeviceFeatureCommandBody extends vfio_user_device_feature {
  /** The payload of the feature and operation. */
  data: DeviceFeatureData;
}
/** VFIO_USER_DEVICE_FEATURE command (sent by the client): Gets, sets or probes a device feature: migration capabilities, migration state, DMA dirty logging. SET and PROBE replies echo the request; GET replies carry the value. */
export interface DeviceFeatureCommand {
  kind: 'command';
  cmd: 16;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceFeatureCommandBody;
}

export interface DeviceFeatureReplyBody extends vfio_user_device_feature {
  /** The payload of the feature and operation. */
  data: DeviceFeatureData;
}
/** VFIO_USER_DEVICE_FEATURE reply: Gets, sets or probes a device feature: migration capabilities, migration state, DMA dirty logging. SET and PROBE replies echo the request; GET replies carry the value. */
export interface DeviceFeatureReply {
  kind: 'reply';
  cmd: 16;
  msg_id: number;
  flags: number;
  error_no: number;
  body: DeviceFeatureReplyBody;
}

export type MigDataReadCommandBody = vfio_user_mig_data;
/** VFIO_USER_MIG_DATA_READ command (sent by the client): Reads the next chunk of the migration stream (PRE_COPY, STOP_COPY). The reply's size says how much is real; libvfio-user pads the data to the size asked for. */
export interface MigDataReadCommand {
  kind: 'command';
  cmd: 17;
  msg_id: number;
  flags: number;
  error_no: number;
  body: MigDataReadCommandBody;
}

export interface MigDataReadReplyBody extends vfio_user_mig_data {
  /** size bytes of migration data, then padding. (a view into the input) */
  data: Uint8Array;
}
/** VFIO_USER_MIG_DATA_READ reply: Reads the next chunk of the migration stream (PRE_COPY, STOP_COPY). The reply's size says how much is real; libvfio-user pads the data to the size asked for. */
export interface MigDataReadReply {
  kind: 'reply';
  cmd: 17;
  msg_id: number;
  flags: number;
  error_no: number;
  body: MigDataReadReplyBody;
}

export interface MigDataWriteCommandBody extends vfio_user_mig_data {
  /** size bytes of migration data. (a view into the input) */
  data: Uint8Array;
}
/** VFIO_USER_MIG_DATA_WRITE command (sent by the client): Writes the next chunk of the migration stream (RESUMING). */
export interface MigDataWriteCommand {
  kind: 'command';
  cmd: 18;
  msg_id: number;
  flags: number;
  error_no: number;
  body: MigDataWriteCommandBody;
}

export type MigDataWriteReplyBody = null;
/** VFIO_USER_MIG_DATA_WRITE reply: Writes the next chunk of the migration stream (RESUMING). */
export interface MigDataWriteReply {
  kind: 'reply';
  cmd: 18;
  msg_id: number;
  flags: number;
  error_no: number;
  body: MigDataWriteReplyBody;
}

export type IommufdAllocIoasCommandBody = vfio_user_iommufd_alloc_ioas;
/** VFIO_USER_IOMMUFD_ALLOC_IOAS command (sent by the client): Allocates an I/O address space; the reply carries its id in out_ioas_id. */
export interface IommufdAllocIoasCommand {
  kind: 'command';
  cmd: 19;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdAllocIoasCommandBody;
}

export type IommufdAllocIoasReplyBody = vfio_user_iommufd_alloc_ioas;
/** VFIO_USER_IOMMUFD_ALLOC_IOAS reply: Allocates an I/O address space; the reply carries its id in out_ioas_id. */
export interface IommufdAllocIoasReply {
  kind: 'reply';
  cmd: 19;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdAllocIoasReplyBody;
}

export type IommufdDestroyIoasCommandBody = vfio_user_iommufd_destroy_ioas;
/** VFIO_USER_IOMMUFD_DESTROY_IOAS command (sent by the client): Destroys an I/O address space that is not attached. */
export interface IommufdDestroyIoasCommand {
  kind: 'command';
  cmd: 20;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdDestroyIoasCommandBody;
}

export type IommufdDestroyIoasReplyBody = null;
/** VFIO_USER_IOMMUFD_DESTROY_IOAS reply: Destroys an I/O address space that is not attached. */
export interface IommufdDestroyIoasReply {
  kind: 'reply';
  cmd: 20;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdDestroyIoasReplyBody;
}

export type IommufdIoasMapCommandBody = vfio_user_iommufd_ioas_map;
/** VFIO_USER_IOMMUFD_IOAS_MAP command (sent by the client): Maps the passed fd into an IOAS. The server chooses the IOVA and returns it in iova: a real DMA address the client may hand to the device as is. */
export interface IommufdIoasMapCommand {
  kind: 'command';
  cmd: 21;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasMapCommandBody;
}

export type IommufdIoasMapReplyBody = vfio_user_iommufd_ioas_map;
/** VFIO_USER_IOMMUFD_IOAS_MAP reply: Maps the passed fd into an IOAS. The server chooses the IOVA and returns it in iova: a real DMA address the client may hand to the device as is. */
export interface IommufdIoasMapReply {
  kind: 'reply';
  cmd: 21;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasMapReplyBody;
}

export type IommufdIoasUnmapCommandBody = vfio_user_iommufd_ioas_unmap;
/** VFIO_USER_IOMMUFD_IOAS_UNMAP command (sent by the client): Removes one mapping of an IOAS; iova and length must match it exactly. */
export interface IommufdIoasUnmapCommand {
  kind: 'command';
  cmd: 22;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasUnmapCommandBody;
}

export type IommufdIoasUnmapReplyBody = null;
/** VFIO_USER_IOMMUFD_IOAS_UNMAP reply: Removes one mapping of an IOAS; iova and length must match it exactly. */
export interface IommufdIoasUnmapReply {
  kind: 'reply';
  cmd: 22;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasUnmapReplyBody;
}

export type IommufdIoasCopyCommandBody = vfio_user_iommufd_ioas_copy;
/** VFIO_USER_IOMMUFD_IOAS_COPY command (sent by the client): Copies a mapping from one IOAS to another. Defined by the PR, which has no handler: its server answers EINVAL. */
export interface IommufdIoasCopyCommand {
  kind: 'command';
  cmd: 23;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasCopyCommandBody;
}

export type IommufdIoasCopyReplyBody = null;
/** VFIO_USER_IOMMUFD_IOAS_COPY reply: Copies a mapping from one IOAS to another. Defined by the PR, which has no handler: its server answers EINVAL. */
export interface IommufdIoasCopyReply {
  kind: 'reply';
  cmd: 23;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasCopyReplyBody;
}

export type IommufdBindCommandBody = vfio_user_iommufd_bind;
/** VFIO_USER_IOMMUFD_BIND command (sent by the client): Binds the device to the connection's iommufd context; the reply carries a device id in out_devid. */
export interface IommufdBindCommand {
  kind: 'command';
  cmd: 24;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdBindCommandBody;
}

export type IommufdBindReplyBody = vfio_user_iommufd_bind;
/** VFIO_USER_IOMMUFD_BIND reply: Binds the device to the connection's iommufd context; the reply carries a device id in out_devid. */
export interface IommufdBindReply {
  kind: 'reply';
  cmd: 24;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdBindReplyBody;
}

export type IommufdAttachPtCommandBody = vfio_user_iommufd_attach_pt;
/** VFIO_USER_IOMMUFD_ATTACH_PT command (sent by the client): Makes an IOAS the device's DMA address space. */
export interface IommufdAttachPtCommand {
  kind: 'command';
  cmd: 25;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdAttachPtCommandBody;
}

export type IommufdAttachPtReplyBody = null;
/** VFIO_USER_IOMMUFD_ATTACH_PT reply: Makes an IOAS the device's DMA address space. */
export interface IommufdAttachPtReply {
  kind: 'reply';
  cmd: 25;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdAttachPtReplyBody;
}

export type IommufdDetachPtCommandBody = vfio_user_iommufd_detach_pt;
/** VFIO_USER_IOMMUFD_DETACH_PT command (sent by the client): Detaches the device from its IOAS. */
export interface IommufdDetachPtCommand {
  kind: 'command';
  cmd: 26;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdDetachPtCommandBody;
}

export type IommufdDetachPtReplyBody = null;
/** VFIO_USER_IOMMUFD_DETACH_PT reply: Detaches the device from its IOAS. */
export interface IommufdDetachPtReply {
  kind: 'reply';
  cmd: 26;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdDetachPtReplyBody;
}

export type IommufdIoasIovaRangesCommandBody = vfio_user_iommufd_ioas_iova_ranges;
/** VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES command (sent by the client): Draft: the IOVA windows an IOAS accepts, and the alignment of its mappings. The ranges come only if they all fit in argsz; otherwise the reply's argsz says how much room to ask for. */
export interface IommufdIoasIovaRangesCommand {
  kind: 'command';
  cmd: 27;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasIovaRangesCommandBody;
}

export interface IommufdIoasIovaRangesReplyBody extends vfio_user_iommufd_ioas_iova_ranges {
  /** num_iovas ranges, or none if they did not fit. */
  allowed_iovas: vfio_user_iommufd_iova_range[];
}
/** VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES reply: Draft: the IOVA windows an IOAS accepts, and the alignment of its mappings. The ranges come only if they all fit in argsz; otherwise the reply's argsz says how much room to ask for. */
export interface IommufdIoasIovaRangesReply {
  kind: 'reply';
  cmd: 27;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasIovaRangesReplyBody;
}

export type IommufdIoasSetDirtyTrackingCommandBody = vfio_user_iommufd_ioas_set_dirty_tracking;
/** VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING command (sent by the client): Draft: starts (ENABLE) or stops dirty-page tracking of an IOAS. */
export interface IommufdIoasSetDirtyTrackingCommand {
  kind: 'command';
  cmd: 28;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasSetDirtyTrackingCommandBody;
}

export type IommufdIoasSetDirtyTrackingReplyBody = null;
/** VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING reply: Draft: starts (ENABLE) or stops dirty-page tracking of an IOAS. */
export interface IommufdIoasSetDirtyTrackingReply {
  kind: 'reply';
  cmd: 28;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasSetDirtyTrackingReplyBody;
}

export type IommufdIoasGetDirtyBitmapCommandBody = vfio_user_iommufd_ioas_get_dirty_bitmap;
/** VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP command (sent by the client): Draft: the dirty bitmap of a range of an IOAS, cleared as it is read unless NO_CLEAR is set. */
export interface IommufdIoasGetDirtyBitmapCommand {
  kind: 'command';
  cmd: 29;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasGetDirtyBitmapCommandBody;
}

export interface IommufdIoasGetDirtyBitmapReplyBody extends vfio_user_iommufd_ioas_get_dirty_bitmap {
  /** The bitmap, bit i for page i. (a view into the input) */
  data: Uint8Array;
}
/** VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP reply: Draft: the dirty bitmap of a range of an IOAS, cleared as it is read unless NO_CLEAR is set. */
export interface IommufdIoasGetDirtyBitmapReply {
  kind: 'reply';
  cmd: 29;
  msg_id: number;
  flags: number;
  error_no: number;
  body: IommufdIoasGetDirtyBitmapReplyBody;
}

/** An error reply: ERROR set in flags. Its body is kept raw (usually empty). */
export interface ErrorReply {
  kind: 'error';
  cmd: number;
  msg_id: number;
  flags: number;
  error_no: number;
  /** Whatever followed the header (a view into the input). */
  body: Uint8Array;
}

/** A message of a command number this package does not know (only with `allowUnknownCommands`). */
export interface RawMessage {
  kind: 'raw';
  cmd: number;
  msg_id: number;
  flags: number;
  error_no: number;
  /** Whatever followed the header (a view into the input). */
  body: Uint8Array;
}

/** Every command message. */
export type Command =
  | VersionCommand
  | DmaMapCommand
  | DmaUnmapCommand
  | DeviceGetInfoCommand
  | DeviceGetRegionInfoCommand
  | DeviceGetRegionIoFdsCommand
  | DeviceGetIrqInfoCommand
  | DeviceSetIrqsCommand
  | RegionReadCommand
  | RegionWriteCommand
  | DmaReadCommand
  | DmaWriteCommand
  | DeviceResetCommand
  | DirtyPagesCommand
  | RegionWriteMultiCommand
  | DeviceFeatureCommand
  | MigDataReadCommand
  | MigDataWriteCommand
  | IommufdAllocIoasCommand
  | IommufdDestroyIoasCommand
  | IommufdIoasMapCommand
  | IommufdIoasUnmapCommand
  | IommufdIoasCopyCommand
  | IommufdBindCommand
  | IommufdAttachPtCommand
  | IommufdDetachPtCommand
  | IommufdIoasIovaRangesCommand
  | IommufdIoasSetDirtyTrackingCommand
  | IommufdIoasGetDirtyBitmapCommand;

/** Every successful reply. */
export type Reply =
  | VersionReply
  | DmaMapReply
  | DmaUnmapReply
  | DeviceGetInfoReply
  | DeviceGetRegionInfoReply
  | DeviceGetRegionIoFdsReply
  | DeviceGetIrqInfoReply
  | DeviceSetIrqsReply
  | RegionReadReply
  | RegionWriteReply
  | DmaReadReply
  | DmaWriteReply
  | DeviceResetReply
  | DirtyPagesReply
  | RegionWriteMultiReply
  | DeviceFeatureReply
  | MigDataReadReply
  | MigDataWriteReply
  | IommufdAllocIoasReply
  | IommufdDestroyIoasReply
  | IommufdIoasMapReply
  | IommufdIoasUnmapReply
  | IommufdIoasCopyReply
  | IommufdBindReply
  | IommufdAttachPtReply
  | IommufdDetachPtReply
  | IommufdIoasIovaRangesReply
  | IommufdIoasSetDirtyTrackingReply
  | IommufdIoasGetDirtyBitmapReply;

/** Command message type by command number. */
export interface CommandByCmd {
  1: VersionCommand;
  2: DmaMapCommand;
  3: DmaUnmapCommand;
  4: DeviceGetInfoCommand;
  5: DeviceGetRegionInfoCommand;
  6: DeviceGetRegionIoFdsCommand;
  7: DeviceGetIrqInfoCommand;
  8: DeviceSetIrqsCommand;
  9: RegionReadCommand;
  10: RegionWriteCommand;
  11: DmaReadCommand;
  12: DmaWriteCommand;
  13: DeviceResetCommand;
  14: DirtyPagesCommand;
  15: RegionWriteMultiCommand;
  16: DeviceFeatureCommand;
  17: MigDataReadCommand;
  18: MigDataWriteCommand;
  19: IommufdAllocIoasCommand;
  20: IommufdDestroyIoasCommand;
  21: IommufdIoasMapCommand;
  22: IommufdIoasUnmapCommand;
  23: IommufdIoasCopyCommand;
  24: IommufdBindCommand;
  25: IommufdAttachPtCommand;
  26: IommufdDetachPtCommand;
  27: IommufdIoasIovaRangesCommand;
  28: IommufdIoasSetDirtyTrackingCommand;
  29: IommufdIoasGetDirtyBitmapCommand;
}

/** Reply message type by command number. */
export interface ReplyByCmd {
  1: VersionReply;
  2: DmaMapReply;
  3: DmaUnmapReply;
  4: DeviceGetInfoReply;
  5: DeviceGetRegionInfoReply;
  6: DeviceGetRegionIoFdsReply;
  7: DeviceGetIrqInfoReply;
  8: DeviceSetIrqsReply;
  9: RegionReadReply;
  10: RegionWriteReply;
  11: DmaReadReply;
  12: DmaWriteReply;
  13: DeviceResetReply;
  14: DirtyPagesReply;
  15: RegionWriteMultiReply;
  16: DeviceFeatureReply;
  17: MigDataReadReply;
  18: MigDataWriteReply;
  19: IommufdAllocIoasReply;
  20: IommufdDestroyIoasReply;
  21: IommufdIoasMapReply;
  22: IommufdIoasUnmapReply;
  23: IommufdIoasCopyReply;
  24: IommufdBindReply;
  25: IommufdAttachPtReply;
  26: IommufdDetachPtReply;
  27: IommufdIoasIovaRangesReply;
  28: IommufdIoasSetDirtyTrackingReply;
  29: IommufdIoasGetDirtyBitmapReply;
}

/** Every message: commands, replies, error replies and raw messages. */
export type Message = Command | Reply | ErrorReply | RawMessage;

// The decoder ---------------------------------------------------------------
//
// One function per entry, as the encoder: its switch on the command number holds each body's
// code in its case, so a message costs one call. Checks are inline; only the throwing, the
// capability chain walk, the VERSION JSON and the bitmap arithmetic are calls.

/**
 * Decodes one whole message. `bytes` must hold exactly one message
 * (msg_size bytes); use FrameDecoder for a stream. Tails are views into
 * `bytes`' buffer.
 *
 * @throws VfioUserTruncatedError (ERR_NEED_MORE) when bytes end early;
 *   VfioUserInvalidError or VfioUserLimitError when the bytes are wrong.
 *   No other exception escapes, whatever the input.
 */
export function decode(bytes: Uint8Array, options?: CodecOptions): Message {
  // The default options (left out, or the resolved defaults) are one comparison; others are resolved.
  const opt = options === DEFAULT_OPTIONS || options === undefined ? DEFAULT_OPTIONS : resolveOptions(options);
  const avail = bytes.length;
  if (avail < 16) return refuseSize(bytes, opt);
  const buf = bytes.buffer;
  const v = dataViewOfBuffer(buf);
  const m0 = bytes.byteOffset;
  const msgSize = v.getUint32(m0 + 4, true);
  if (msgSize !== avail || msgSize < 16 || msgSize > opt.limits.maxMessageSize) return refuseSize(bytes, opt);
  const msg_id = v.getUint16(m0, true);
  const cmd = v.getUint16(m0 + 2, true);
  const flags = v.getUint32(m0 + 8, true);
  const error_no = v.getUint32(m0 + 12, true);
  const type = flags & 0xf;
  const o = m0 + 16;
  const n = msgSize - 16;
  if (type > 0x1 || (flags & 0x20) !== 0) {
    // An error reply in its range; anything else (an error typed as a command, a bad type) is checked there.
    if (type === 0x1 && error_no <= opt.limits.maxErrorNo) return { kind: 'error', cmd, msg_id, flags, error_no, body: new Uint8Array(buf, o, n) };
    return decodeOther(v, buf, m0, msgSize, opt);
  }
  let body: unknown;
  if (type === 0x0) {
    command: {
      switch (cmd) {
        case 1: {
          if (n < 4) bodyShort(1, 4, n, o - m0);
          const f_major = v.getUint16(o, true);
          const f_minor = v.getUint16(o + 2, true);
          const len = n - 4;
          const text = new Uint8Array(buf, o + 4, len === 0 ? 0 : len - 1);
          body = { major: f_major, minor: f_minor, data: text, json: decodeJsonTail(v, o + 4, len, text, o + 4 - m0, opt) };
          break command;
        }
        case 2: {
          if (n < 32) bodyShort(2, 32, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_offset = v.getBigUint64(o + 8, true);
          const f_addr = v.getBigUint64(o + 16, true);
          const f_size = v.getBigUint64(o + 24, true);
          if (f_argsz < n) badArgsz(2, 'vfio_user_dma_map.argsz', f_argsz, n, o - m0);
          if ((f_flags & ~0xf) !== 0) badFlags(2, 'vfio_user_dma_map.flags', f_flags, o + 4 - m0, 'unknown bits');
          if ((f_flags & 0xc) === 0xc) badFlags(2, 'vfio_user_dma_map.flags', f_flags, o + 4 - m0, 'bits 0xc exclude each other');
          if (n !== 32) bodyLong(2, 32, n, o + 32 - m0);
          body = { argsz: f_argsz, flags: f_flags, offset: f_offset, addr: f_addr, size: f_size };
          break command;
        }
        case 3: {
          if (opt.dialect === 'rust-vmm') {
            if (n < 24) bodyShort(3, 24, n, o - m0);
            const f_argsz = v.getUint32(o, true);
            const f_flags = v.getUint32(o + 4, true);
            const f_addr = v.getBigUint64(o + 8, true);
            const f_size = v.getBigUint64(o + 16, true);
            if (f_argsz < n) badArgsz(3, 'vfio_user_dma_unmap.argsz', f_argsz, n, o - m0);
            if (f_flags !== 0 && f_flags !== 2 && f_flags !== 4) badFlags(3, 'vfio_user_dma_unmap.flags', f_flags, o + 4 - m0, 'allowed: 0, 2, 4');
            let x: vfio_user_bitmap | null = null;
            if ((f_flags & 0x1) === 0) {
              if (n !== 24) bodyLong(3, 24, n, o + 24 - m0);
            } else {
              if (n < 40) bodyShort(3, 40, n, o - m0);
              const t_pgsize = v.getBigUint64(o + 24, true);
              const t_size = v.getBigUint64(o + 32, true);
              if (t_size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_size, o + 32 - m0, 3);
              if (!isPowerOfTwo(t_pgsize)) notPowerOfTwo(t_pgsize, 'vfio_user_bitmap.pgsize', o + 24 - m0, 3);
              if (!isBitmapSize(t_size, f_size, t_pgsize)) badBitmapSize(3, 'vfio_user_bitmap.size', t_size, bitmapBytes(f_size, t_pgsize), o + 32 - m0);
              if (n !== 40) bodyLong(3, 40, n, o + 40 - m0);
              const room = 40 + Number(t_size);
              if (f_argsz < room) badArgsz(3, 'vfio_user_dma_unmap.argsz', f_argsz, room, o - m0);
              x = { pgsize: t_pgsize, size: t_size };
            }
            body = { argsz: f_argsz, flags: f_flags, addr: f_addr, size: f_size, bitmap: x };
            break command;
          }
          if (n < 24) bodyShort(3, 24, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_addr = v.getBigUint64(o + 8, true);
          const f_size = v.getBigUint64(o + 16, true);
          if (f_argsz < n) badArgsz(3, 'vfio_user_dma_unmap.argsz', f_argsz, n, o - m0);
          if (f_flags !== 0 && f_flags !== 1 && f_flags !== 2) badFlags(3, 'vfio_user_dma_unmap.flags', f_flags, o + 4 - m0, 'allowed: 0, 1, 2');
          let x: vfio_user_bitmap | null = null;
          if ((f_flags & 0x1) === 0) {
            if (n !== 24) bodyLong(3, 24, n, o + 24 - m0);
          } else {
            if (n < 40) bodyShort(3, 40, n, o - m0);
            const t_pgsize = v.getBigUint64(o + 24, true);
            const t_size = v.getBigUint64(o + 32, true);
            if (t_size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_size, o + 32 - m0, 3);
            if (!isPowerOfTwo(t_pgsize)) notPowerOfTwo(t_pgsize, 'vfio_user_bitmap.pgsize', o + 24 - m0, 3);
            if (!isBitmapSize(t_size, f_size, t_pgsize)) badBitmapSize(3, 'vfio_user_bitmap.size', t_size, bitmapBytes(f_size, t_pgsize), o + 32 - m0);
            if (n !== 40) bodyLong(3, 40, n, o + 40 - m0);
            const room = 40 + Number(t_size);
            if (f_argsz < room) badArgsz(3, 'vfio_user_dma_unmap.argsz', f_argsz, room, o - m0);
            x = { pgsize: t_pgsize, size: t_size };
          }
          body = { argsz: f_argsz, flags: f_flags, addr: f_addr, size: f_size, bitmap: x };
          break command;
        }
        case 4: {
          if (n < 16) bodyShort(4, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_num_regions = v.getUint32(o + 8, true);
          const f_num_irqs = v.getUint32(o + 12, true);
          if (f_argsz < n) badArgsz(4, 'vfio_user_device_info.argsz', f_argsz, n, o - m0);
          if (n !== 16) bodyLong(4, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, num_regions: f_num_regions, num_irqs: f_num_irqs };
          break command;
        }
        case 5: {
          if (n < 32) bodyShort(5, 32, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_index = v.getUint32(o + 8, true);
          const f_cap_offset = v.getUint32(o + 12, true);
          const f_size = v.getBigUint64(o + 16, true);
          const f_offset = v.getBigUint64(o + 24, true);
          if (f_argsz < n) badArgsz(5, 'vfio_region_info.argsz', f_argsz, n, o - m0);
          body = { argsz: f_argsz, flags: f_flags, index: f_index, cap_offset: f_cap_offset, size: f_size, offset: f_offset, padding: new Uint8Array(buf, o + 32, n - 32) };
          break command;
        }
        case 6: {
          if (n < 16) bodyShort(6, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_index = v.getUint32(o + 8, true);
          const f_count = v.getUint32(o + 12, true);
          if (f_argsz < n) badArgsz(6, 'vfio_user_region_io_fds_request.argsz', f_argsz, n, o - m0);
          if (f_flags !== 0) badFlags(6, 'vfio_user_region_io_fds_request.flags', f_flags, o + 4 - m0, 'must be 0');
          if (f_count !== 0) badFlags(6, 'vfio_user_region_io_fds_request.count', f_count, o + 12 - m0, 'must be 0');
          if (n !== 16) bodyLong(6, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, index: f_index, count: f_count };
          break command;
        }
        case 7: {
          if (n < 16) bodyShort(7, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_index = v.getUint32(o + 8, true);
          const f_count = v.getUint32(o + 12, true);
          if (f_argsz < n) badArgsz(7, 'vfio_irq_info.argsz', f_argsz, n, o - m0);
          if (n !== 16) bodyLong(7, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, index: f_index, count: f_count };
          break command;
        }
        case 8: {
          if (n < 20) bodyShort(8, 20, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_index = v.getUint32(o + 8, true);
          const f_start = v.getUint32(o + 12, true);
          const f_count = v.getUint32(o + 16, true);
          if (f_argsz < n) badArgsz(8, 'vfio_irq_set.argsz', f_argsz, n, o - m0);
          if ((f_flags & ~0x3f) !== 0 || !((f_flags & 0x7) !== 0 && ((f_flags & 0x7) & ((f_flags & 0x7) - 1)) === 0) || !((f_flags & 0x38) !== 0 && ((f_flags & 0x38) & ((f_flags & 0x38) - 1)) === 0)) badFlags(8, 'vfio_irq_set.flags', f_flags, o + 4 - m0, 'needs exactly one bit of each of 0x7, 0x38');
          if (f_count > opt.limits.maxIrqVectors) limitExceeded('maxIrqVectors', opt.limits.maxIrqVectors, f_count, o + 16 - m0, 8);
          const len = (f_flags & 0x2) !== 0 ? f_count : 0;
          if (n !== 20 + len) tailLength(8, 'vfio_irq_set.count', len, n - 20, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, index: f_index, start: f_start, count: f_count, data: new Uint8Array(buf, o + 20, len) };
          break command;
        }
        case 9: {
          if (n < 16) bodyShort(9, 16, n, o - m0);
          const f_offset = v.getBigUint64(o, true);
          const f_region = v.getUint32(o + 8, true);
          const f_count = v.getUint32(o + 12, true);
          if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 12 - m0, 9);
          if (n !== 16) bodyLong(9, 16, n, o + 16 - m0);
          body = { offset: f_offset, region: f_region, count: f_count };
          break command;
        }
        case 10: {
          if (n < 16) bodyShort(10, 16, n, o - m0);
          const f_offset = v.getBigUint64(o, true);
          const f_region = v.getUint32(o + 8, true);
          const f_count = v.getUint32(o + 12, true);
          if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 12 - m0, 10);
          const len = f_count;
          if (n !== 16 + len) tailLength(10, 'vfio_user_region_access.count', len, n - 16, o + 12 - m0);
          body = { offset: f_offset, region: f_region, count: f_count, data: new Uint8Array(buf, o + 16, len) };
          break command;
        }
        case 11: {
          if (opt.dialect === 'qemu') {
            if (n < 16) bodyShort(11, 16, n, o - m0);
            const f_offset = v.getBigUint64(o, true);
            const f_count = v.getUint32(o + 8, true);
            if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 11);
            if (n !== 16) bodyLong(11, 16, n, o + 16 - m0);
            zeroPad(v, o + 12, 4, 11, o + 12 - m0);
            body = { offset: f_offset, count: f_count };
            break command;
          }
          if (n < 16) bodyShort(11, 16, n, o - m0);
          const f_addr = v.getBigUint64(o, true);
          const f_count = v.getBigUint64(o + 8, true);
          if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 11);
          if (n !== 16) bodyLong(11, 16, n, o + 16 - m0);
          body = { addr: f_addr, count: f_count };
          break command;
        }
        case 12: {
          if (opt.dialect === 'qemu') {
            if (n < 12) bodyShort(12, 12, n, o - m0);
            const f_offset = v.getBigUint64(o, true);
            const f_count = v.getUint32(o + 8, true);
            if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 12);
            const len = f_count;
            if (n !== 16 + len) tailLength(12, 'VFIOUserDMARW.count', len, n - 16, o + 8 - m0);
            zeroPad(v, o + 12 + len, 4, 12, o + 12 + len - m0);
            body = { offset: f_offset, count: f_count, data: new Uint8Array(buf, o + 12, len) };
            break command;
          }
          if (n < 16) bodyShort(12, 16, n, o - m0);
          const f_addr = v.getBigUint64(o, true);
          const f_count = v.getBigUint64(o + 8, true);
          if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 12);
          const len = Number(f_count);
          if (n !== 16 + len) tailLength(12, 'vfio_user_dma_region_access.count', len, n - 16, o + 8 - m0);
          body = { addr: f_addr, count: f_count, data: new Uint8Array(buf, o + 16, len) };
          break command;
        }
        case 13: {
          if (n !== 0) emptyBody(13, n, o - m0);
          body = null;
          break command;
        }
        case 14: {
          if (n < 8) bodyShort(14, 8, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          if ((f_flags & ~0x7) !== 0 || !((f_flags & 0x7) !== 0 && ((f_flags & 0x7) & ((f_flags & 0x7) - 1)) === 0)) badFlags(14, 'vfio_user_dirty_pages.flags', f_flags, o + 4 - m0, 'needs exactly one bit of each of 0x7');
          let x: vfio_user_bitmap_range | null = null;
          if ((f_flags & 0x4) === 0) {
            if (n !== 8) bodyLong(14, 8, n, o + 8 - m0);
          } else {
            if (n < 40) bodyShort(14, 40, n, o - m0);
            const t_iova = v.getBigUint64(o + 8, true);
            const t_size = v.getBigUint64(o + 16, true);
            const t_bitmap = { pgsize: v.getBigUint64(o + 24, true), size: v.getBigUint64(o + 24 + 8, true) };
            if (t_bitmap.size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_bitmap.size, o + 32 - m0, 14);
            if (n !== 40) bodyLong(14, 40, n, o + 40 - m0);
            x = { iova: t_iova, size: t_size, bitmap: t_bitmap };
          }
          body = { argsz: f_argsz, flags: f_flags, range: x };
          break command;
        }
        case 15: {
          if (n < 8) bodyShort(15, 8, n, o - m0);
          const f_wr_cnt = v.getBigUint64(o, true);
          if (f_wr_cnt > opt.limits.maxWriteMultiEntries) limitExceeded('maxWriteMultiEntries', opt.limits.maxWriteMultiEntries, f_wr_cnt, o + 0 - m0, 15);
          const cnt = Number(f_wr_cnt);
          if (n !== 8 + cnt * 24) tailLength(15, 'VFIOUserWRMulti.wr_cnt', cnt * 24, n - 8, o + 0 - m0);
          const arr: VFIOUserWROne[] = new Array(cnt);
          for (let i = 0; i < cnt; i++) {
            const e = { offset: v.getBigUint64(o + 8 + i * 24, true), region: v.getUint32(o + 8 + i * 24 + 8, true), count: v.getUint32(o + 8 + i * 24 + 12, true), data: new Uint8Array(buf, o + 8 + i * 24 + 16, 8) };
            if (e.count > 8) tailLength(15, 'VFIOUserWROne.count', e.count, 8, o + 8 + i * 24 + 12 - m0);
            arr[i] = e;
          }
          body = { wr_cnt: f_wr_cnt, wrs: arr };
          break command;
        }
        case 16: {
          if (n < 8) bodyShort(16, 8, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          if (f_argsz < n) badArgsz(16, 'vfio_user_device_feature.argsz', f_argsz, n, o - m0);
          if ((f_flags & ~0x7ffff) !== 0) badFlags(16, 'vfio_user_device_feature.flags', f_flags, o + 4 - m0, 'unknown bits');
          if ((f_flags & 0x70000) === 0) badFlags(16, 'vfio_user_device_feature.flags', f_flags, o + 4 - m0, 'needs a bit of 0x70000');
          const p = o + 8;
          const pn = n - 8;
          const w0 = f_flags & 0xffff;
          const w1 = f_flags & 0x70000;
          let d: DeviceFeatureData;
          if ((w0 === 0x1 || w0 === 0x2) && w1 === 0x10000) {
            if (pn !== 0) badPayload(16, 'vfio_user_device_feature.data', pn, 0, p - m0);
            d = { kind: 'none' };
          } else if (w0 === 0x8 && w1 === 0x10000) {
            if (pn !== 24) badPayload(16, 'vfio_user_device_feature.data', pn, 24, p - m0);
            const q_iova = v.getBigUint64(p, true);
            const q_length = v.getBigUint64(p + 8, true);
            const q_page_size = v.getBigUint64(p + 16, true);
            if (isPowerOfTwo(q_page_size) && bitmapBytes(q_length, q_page_size) > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, bitmapBytes(q_length, q_page_size), p + 8 - m0, 16);
            d = { kind: 'dma_logging_report', iova: q_iova, length: q_length, page_size: q_page_size, bitmap: new Uint8Array(buf, p + 24, 0) };
          } else if (w0 === 0x2 && w1 === 0x20000) {
            if (pn !== 8) badPayload(16, 'vfio_user_device_feature.data', pn, 8, p - m0);
            const q_device_state = v.getUint32(p, true);
            const q_data_fd = v.getUint32(p + 4, true);
            d = { kind: 'mig_state', device_state: q_device_state, data_fd: q_data_fd };
          } else if ((w0 === 0x6 || w0 === 0x7) && w1 === 0x20000) {
            if (pn < 16) badPayload(16, 'vfio_user_device_feature.data', pn, 16, p - m0);
            const q_page_size = v.getBigUint64(p, true);
            const q_num_ranges = v.getUint32(p + 8, true);
            const q_reserved = v.getUint32(p + 12, true);
            if (q_num_ranges > opt.limits.maxLoggingRanges) limitExceeded('maxLoggingRanges', opt.limits.maxLoggingRanges, q_num_ranges, p + 8 - m0, 16);
            const cnt = q_num_ranges;
            if (pn !== 16 + cnt * 16) tailLength(16, 'vfio_user_device_feature_dma_logging_control.num_ranges', cnt * 16, pn - 16, p + 8 - m0);
            const arr: vfio_user_device_feature_dma_logging_range[] = new Array(cnt);
            for (let i = 0; i < cnt; i++) arr[i] = { iova: v.getBigUint64(p + 16 + i * 16, true), length: v.getBigUint64(p + 16 + i * 16 + 8, true) };
            d = { kind: 'dma_logging_control', page_size: q_page_size, num_ranges: q_num_ranges, reserved: q_reserved, ranges: arr };
          } else {
            d = { kind: 'raw', bytes: new Uint8Array(buf, p, pn) };
          }
          body = { argsz: f_argsz, flags: f_flags, data: d };
          break command;
        }
        case 17: {
          if (n < 8) bodyShort(17, 8, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_size = v.getUint32(o + 4, true);
          if (f_size > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_size, o + 4 - m0, 17);
          if (n !== 8) bodyLong(17, 8, n, o + 8 - m0);
          body = { argsz: f_argsz, size: f_size };
          break command;
        }
        case 18: {
          if (n < 8) bodyShort(18, 8, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_size = v.getUint32(o + 4, true);
          if (f_argsz < n) badArgsz(18, 'vfio_user_mig_data.argsz', f_argsz, n, o - m0);
          if (f_size > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_size, o + 4 - m0, 18);
          const len = f_size;
          if (n !== 8 + len) tailLength(18, 'vfio_user_mig_data.size', len, n - 8, o + 4 - m0);
          body = { argsz: f_argsz, size: f_size, data: new Uint8Array(buf, o + 8, len) };
          break command;
        }
        case 19: {
          if (n < 16) bodyShort(19, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_out_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          if (f_flags !== 0) badFlags(19, 'vfio_user_iommufd_alloc_ioas.flags', f_flags, o + 4 - m0, 'must be 0');
          if (f_reserved !== 0) badFlags(19, 'vfio_user_iommufd_alloc_ioas.__reserved', f_reserved, o + 12 - m0, 'must be 0');
          if (n !== 16) bodyLong(19, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, out_ioas_id: f_out_ioas_id, __reserved: f_reserved };
          break command;
        }
        case 20: {
          if (n < 16) bodyShort(20, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          if (f_flags !== 0) badFlags(20, 'vfio_user_iommufd_destroy_ioas.flags', f_flags, o + 4 - m0, 'must be 0');
          if (f_reserved !== 0) badFlags(20, 'vfio_user_iommufd_destroy_ioas.__reserved', f_reserved, o + 12 - m0, 'must be 0');
          if (n !== 16) bodyLong(20, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved };
          break command;
        }
        case 21: {
          if (n < 48) bodyShort(21, 48, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          const f_user_va = v.getBigUint64(o + 16, true);
          const f_length = v.getBigUint64(o + 24, true);
          const f_iova = v.getBigUint64(o + 32, true);
          const f_offset = v.getBigUint64(o + 40, true);
          if ((f_flags & ~(opt.drafts ? 0x7 : 0x3)) !== 0) badFlags(21, 'vfio_user_iommufd_ioas_map.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (f_reserved !== 0) badFlags(21, 'vfio_user_iommufd_ioas_map.__reserved', f_reserved, o + 12 - m0, 'must be 0');
          if (n !== 48) bodyLong(21, 48, n, o + 48 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved, user_va: f_user_va, length: f_length, iova: f_iova, offset: f_offset };
          break command;
        }
        case 22: {
          if (n < 32) bodyShort(22, 32, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          const f_iova = v.getBigUint64(o + 16, true);
          const f_length = v.getBigUint64(o + 24, true);
          if ((f_flags & ~0x1) !== 0) badFlags(22, 'vfio_user_iommufd_ioas_unmap.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (f_reserved !== 0) badFlags(22, 'vfio_user_iommufd_ioas_unmap.__reserved', f_reserved, o + 12 - m0, 'must be 0');
          if (n !== 32) bodyLong(22, 32, n, o + 32 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved, iova: f_iova, length: f_length };
          break command;
        }
        case 23: {
          if (n < 40) bodyShort(23, 40, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_src_ioas_id = v.getUint32(o + 8, true);
          const f_dst_ioas_id = v.getUint32(o + 12, true);
          const f_src_iova = v.getBigUint64(o + 16, true);
          const f_dst_iova = v.getBigUint64(o + 24, true);
          const f_length = v.getBigUint64(o + 32, true);
          if ((f_flags & ~(opt.drafts ? 0x7 : 0x3)) !== 0) badFlags(23, 'vfio_user_iommufd_ioas_copy.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (n !== 40) bodyLong(23, 40, n, o + 40 - m0);
          body = { argsz: f_argsz, flags: f_flags, src_ioas_id: f_src_ioas_id, dst_ioas_id: f_dst_ioas_id, src_iova: f_src_iova, dst_iova: f_dst_iova, length: f_length };
          break command;
        }
        case 24: {
          if (n < 16) bodyShort(24, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_iommufd = v.getInt32(o + 8, true);
          const f_out_devid = v.getUint32(o + 12, true);
          if (f_flags !== 0) badFlags(24, 'vfio_user_iommufd_bind.flags', f_flags, o + 4 - m0, 'must be 0');
          if (n !== 16) bodyLong(24, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, iommufd: f_iommufd, out_devid: f_out_devid };
          break command;
        }
        case 25: {
          if (n < 16) bodyShort(25, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_pt_id = v.getUint32(o + 8, true);
          const f_pasid = v.getUint32(o + 12, true);
          if ((f_flags & ~0x1) !== 0) badFlags(25, 'vfio_user_iommufd_attach_pt.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (n !== 16) bodyLong(25, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, pt_id: f_pt_id, pasid: f_pasid };
          break command;
        }
        case 26: {
          if (n < 16) bodyShort(26, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_pasid = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          if ((f_flags & ~0x1) !== 0) badFlags(26, 'vfio_user_iommufd_detach_pt.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (f_reserved !== 0) badFlags(26, 'vfio_user_iommufd_detach_pt.__reserved', f_reserved, o + 12 - m0, 'must be 0');
          if (n !== 16) bodyLong(26, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, pasid: f_pasid, __reserved: f_reserved };
          break command;
        }
        case 27: {
          if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
          if (n < 24) bodyShort(27, 24, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_num_iovas = v.getUint32(o + 12, true);
          const f_out_iova_alignment = v.getBigUint64(o + 16, true);
          if (f_flags !== 0) badFlags(27, 'vfio_user_iommufd_ioas_iova_ranges.flags', f_flags, o + 4 - m0, 'must be 0');
          if (n !== 24) bodyLong(27, 24, n, o + 24 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, num_iovas: f_num_iovas, out_iova_alignment: f_out_iova_alignment };
          break command;
        }
        case 28: {
          if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
          if (n < 16) bodyShort(28, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          if ((f_flags & ~0x1) !== 0) badFlags(28, 'vfio_user_iommufd_ioas_set_dirty_tracking.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (n !== 16) bodyLong(28, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved };
          break command;
        }
        case 29: {
          if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
          if (n < 40) bodyShort(29, 40, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          const f_iova = v.getBigUint64(o + 16, true);
          const f_length = v.getBigUint64(o + 24, true);
          const f_page_size = v.getBigUint64(o + 32, true);
          if ((f_flags & ~0x1) !== 0) badFlags(29, 'vfio_user_iommufd_ioas_get_dirty_bitmap.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (n !== 40) bodyLong(29, 40, n, o + 40 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved, iova: f_iova, length: f_length, page_size: f_page_size };
          break command;
        }
        default:
          return decodeOther(v, buf, m0, msgSize, opt);
      }
    }
    return { kind: 'command', cmd, msg_id, flags, error_no, body } as Message;
  }
  reply: {
    switch (cmd) {
      case 1: {
        if (n < 4) bodyShort(1, 4, n, o - m0);
        const f_major = v.getUint16(o, true);
        const f_minor = v.getUint16(o + 2, true);
        const len = n - 4;
        const text = new Uint8Array(buf, o + 4, len === 0 ? 0 : len - 1);
        body = { major: f_major, minor: f_minor, data: text, json: decodeJsonTail(v, o + 4, len, text, o + 4 - m0, opt) };
        break reply;
      }
      case 2: {
        if (n !== 0) emptyBody(2, n, o - m0);
        body = null;
        break reply;
      }
      case 3: {
        if (opt.dialect === 'rust-vmm') {
          if (n < 24) bodyShort(3, 24, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_addr = v.getBigUint64(o + 8, true);
          const f_size = v.getBigUint64(o + 16, true);
          if (f_flags !== 0 && f_flags !== 2 && f_flags !== 4) badFlags(3, 'vfio_user_dma_unmap.flags', f_flags, o + 4 - m0, 'allowed: 0, 2, 4');
          let x: UnmapBitmapWithData | null = null;
          if ((f_flags & 0x1) === 0) {
            if (n !== 24) bodyLong(3, 24, n, o + 24 - m0);
          } else {
            if (n < 40) bodyShort(3, 40, n, o - m0);
            const t_pgsize = v.getBigUint64(o + 24, true);
            const t_size = v.getBigUint64(o + 32, true);
            if (t_size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_size, o + 32 - m0, 3);
            if (!isPowerOfTwo(t_pgsize)) notPowerOfTwo(t_pgsize, 'vfio_user_bitmap.pgsize', o + 24 - m0, 3);
            if (!isBitmapSize(t_size, f_size, t_pgsize)) badBitmapSize(3, 'vfio_user_bitmap.size', t_size, bitmapBytes(f_size, t_pgsize), o + 32 - m0);
            const len = Number(t_size);
            if (n !== 40 + len) tailLength(3, 'vfio_user_bitmap.size', len, n - 40, o + 32 - m0);
            x = { pgsize: t_pgsize, size: t_size, data: new Uint8Array(buf, o + 40, len) };
          }
          body = { argsz: f_argsz, flags: f_flags, addr: f_addr, size: f_size, bitmap: x };
          break reply;
        }
        if (n < 24) bodyShort(3, 24, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_addr = v.getBigUint64(o + 8, true);
        const f_size = v.getBigUint64(o + 16, true);
        if (f_flags !== 0 && f_flags !== 1 && f_flags !== 2) badFlags(3, 'vfio_user_dma_unmap.flags', f_flags, o + 4 - m0, 'allowed: 0, 1, 2');
        let x: UnmapBitmapWithData | null = null;
        if ((f_flags & 0x1) === 0) {
          if (n !== 24) bodyLong(3, 24, n, o + 24 - m0);
        } else {
          if (n < 40) bodyShort(3, 40, n, o - m0);
          const t_pgsize = v.getBigUint64(o + 24, true);
          const t_size = v.getBigUint64(o + 32, true);
          if (t_size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_size, o + 32 - m0, 3);
          if (!isPowerOfTwo(t_pgsize)) notPowerOfTwo(t_pgsize, 'vfio_user_bitmap.pgsize', o + 24 - m0, 3);
          if (!isBitmapSize(t_size, f_size, t_pgsize)) badBitmapSize(3, 'vfio_user_bitmap.size', t_size, bitmapBytes(f_size, t_pgsize), o + 32 - m0);
          const len = Number(t_size);
          if (n !== 40 + len) tailLength(3, 'vfio_user_bitmap.size', len, n - 40, o + 32 - m0);
          x = { pgsize: t_pgsize, size: t_size, data: new Uint8Array(buf, o + 40, len) };
        }
        body = { argsz: f_argsz, flags: f_flags, addr: f_addr, size: f_size, bitmap: x };
        break reply;
      }
      case 4: {
        if (n < 16) bodyShort(4, 16, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_num_regions = v.getUint32(o + 8, true);
        const f_num_irqs = v.getUint32(o + 12, true);
        if ((f_flags & ~0xff) !== 0) badFlags(4, 'vfio_user_device_info.flags', f_flags, o + 4 - m0, 'unknown bits');
        if (n !== 16) bodyLong(4, 16, n, o + 16 - m0);
        body = { argsz: f_argsz, flags: f_flags, num_regions: f_num_regions, num_irqs: f_num_irqs };
        break reply;
      }
      case 5: {
        if (n < 32) bodyShort(5, 32, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_index = v.getUint32(o + 8, true);
        const f_cap_offset = v.getUint32(o + 12, true);
        const f_size = v.getBigUint64(o + 16, true);
        const f_offset = v.getBigUint64(o + 24, true);
        if ((f_flags & ~0xf) !== 0) badFlags(5, 'vfio_region_info.flags', f_flags, o + 4 - m0, 'unknown bits');
        const caps = walkChain(v, o, n, (f_flags & 0x8) !== 0, f_cap_offset, m0, opt, opt.limits.maxRegionCaps, CHAIN_RegionCap);
        body = { argsz: f_argsz, flags: f_flags, index: f_index, cap_offset: f_cap_offset, size: f_size, offset: f_offset, caps: caps };
        break reply;
      }
      case 6: {
        if (n < 16) bodyShort(6, 16, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_index = v.getUint32(o + 8, true);
        const f_count = v.getUint32(o + 12, true);
        if (f_flags !== 0) badFlags(6, 'vfio_user_region_io_fds_reply.flags', f_flags, o + 4 - m0, 'must be 0');
        if (f_count > opt.limits.maxSubRegions) limitExceeded('maxSubRegions', opt.limits.maxSubRegions, f_count, o + 12 - m0, 6);
        let arr: vfio_user_sub_region_ioeventfd[] | vfio_user_sub_region_ioregionfd[] = [];
        if (n !== 16) {
          const cnt = f_count;
          if (cnt === 0) bodyLong(6, 16, n, o + 16 - m0);
          const stride = (n - 16) / cnt;
          if (stride === 48) {
            const a: vfio_user_sub_region_ioeventfd[] = new Array(cnt);
            for (let i = 0; i < cnt; i++) a[i] = { gpa_offset: v.getBigUint64(o + 16 + i * 48, true), size: v.getBigUint64(o + 16 + i * 48 + 8, true), fd_index: v.getUint32(o + 16 + i * 48 + 16, true), type: v.getUint32(o + 16 + i * 48 + 20, true), flags: v.getUint32(o + 16 + i * 48 + 24, true), shadow_mem_fd_index: v.getUint32(o + 16 + i * 48 + 28, true), shadow_offset: v.getBigUint64(o + 16 + i * 48 + 32, true), datamatch: v.getBigUint64(o + 16 + i * 48 + 40, true) };
            arr = a;
          } else if (stride === 40) {
            const a: vfio_user_sub_region_ioregionfd[] = new Array(cnt);
            for (let i = 0; i < cnt; i++) a[i] = { offset: v.getBigUint64(o + 16 + i * 40, true), size: v.getBigUint64(o + 16 + i * 40 + 8, true), fd_index: v.getUint32(o + 16 + i * 40 + 16, true), type: v.getUint32(o + 16 + i * 40 + 20, true), flags: v.getUint32(o + 16 + i * 40 + 24, true), padding: v.getUint32(o + 16 + i * 40 + 28, true), user_data: v.getBigUint64(o + 16 + i * 40 + 32, true) };
            arr = a;
          } else {
            badStride(6, 'vfio_user_region_io_fds_reply.sub_regions', n - 16, cnt, [48, 40], o + 16 - m0);
          }
        }
        body = { argsz: f_argsz, flags: f_flags, index: f_index, count: f_count, sub_regions: arr };
        break reply;
      }
      case 7: {
        if (n < 16) bodyShort(7, 16, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_index = v.getUint32(o + 8, true);
        const f_count = v.getUint32(o + 12, true);
        if ((f_flags & ~0xf) !== 0) badFlags(7, 'vfio_irq_info.flags', f_flags, o + 4 - m0, 'unknown bits');
        if (n !== 16) bodyLong(7, 16, n, o + 16 - m0);
        body = { argsz: f_argsz, flags: f_flags, index: f_index, count: f_count };
        break reply;
      }
      case 8: {
        if (n !== 0) emptyBody(8, n, o - m0);
        body = null;
        break reply;
      }
      case 9: {
        if (n === 0) {
          body = null;
          break reply;
        }
        if (n < 16) bodyShort(9, 16, n, o - m0);
        const f_offset = v.getBigUint64(o, true);
        const f_region = v.getUint32(o + 8, true);
        const f_count = v.getUint32(o + 12, true);
        if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 12 - m0, 9);
        const len = f_count;
        if (n !== 16 + len) tailLength(9, 'vfio_user_region_access.count', len, n - 16, o + 12 - m0);
        body = { offset: f_offset, region: f_region, count: f_count, data: new Uint8Array(buf, o + 16, len) };
        break reply;
      }
      case 10: {
        if (n === 0) {
          body = null;
          break reply;
        }
        if (n < 16) bodyShort(10, 16, n, o - m0);
        const f_offset = v.getBigUint64(o, true);
        const f_region = v.getUint32(o + 8, true);
        const f_count = v.getUint32(o + 12, true);
        if (n !== 16) bodyLong(10, 16, n, o + 16 - m0);
        body = { offset: f_offset, region: f_region, count: f_count };
        break reply;
      }
      case 11: {
        if (opt.dialect === 'qemu') {
          if (n < 12) bodyShort(11, 12, n, o - m0);
          const f_offset = v.getBigUint64(o, true);
          const f_count = v.getUint32(o + 8, true);
          if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 11);
          const len = f_count;
          if (n !== 16 + len) tailLength(11, 'VFIOUserDMARW.count', len, n - 16, o + 8 - m0);
          zeroPad(v, o + 12 + len, 4, 11, o + 12 + len - m0);
          body = { offset: f_offset, count: f_count, data: new Uint8Array(buf, o + 12, len) };
          break reply;
        }
        if (n < 16) bodyShort(11, 16, n, o - m0);
        const f_addr = v.getBigUint64(o, true);
        const f_count = v.getBigUint64(o + 8, true);
        if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 11);
        const len = Number(f_count);
        if (n !== 16 + len) tailLength(11, 'vfio_user_dma_region_access.count', len, n - 16, o + 8 - m0);
        body = { addr: f_addr, count: f_count, data: new Uint8Array(buf, o + 16, len) };
        break reply;
      }
      case 12: {
        if (opt.dialect === 'qemu') {
          if (n !== 0) emptyBody(12, n, o - m0);
          body = null;
          break reply;
        }
        if (n < 16) bodyShort(12, 16, n, o - m0);
        const f_addr = v.getBigUint64(o, true);
        const f_count = v.getBigUint64(o + 8, true);
        if (n !== 16) bodyLong(12, 16, n, o + 16 - m0);
        body = { addr: f_addr, count: f_count };
        break reply;
      }
      case 13: {
        if (n !== 0) emptyBody(13, n, o - m0);
        body = null;
        break reply;
      }
      case 14: {
        if (n === 0) {
          body = null;
          break reply;
        }
        if (n < 8) bodyShort(14, 8, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        let x: DirtyBitmapRangeWithData | null = null;
        if ((f_flags & 0x4) === 0) {
          if (n !== 8) bodyLong(14, 8, n, o + 8 - m0);
        } else {
          if (n < 40) bodyShort(14, 40, n, o - m0);
          const t_iova = v.getBigUint64(o + 8, true);
          const t_size = v.getBigUint64(o + 16, true);
          const t_bitmap = { pgsize: v.getBigUint64(o + 24, true), size: v.getBigUint64(o + 24 + 8, true) };
          if (t_bitmap.size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_bitmap.size, o + 32 - m0, 14);
          const len = Number(t_bitmap.size);
          if (n !== 40 + len) tailLength(14, 'vfio_user_bitmap_range.bitmap.size', len, n - 40, o + 32 - m0);
          x = { iova: t_iova, size: t_size, bitmap: t_bitmap, data: new Uint8Array(buf, o + 40, len) };
        }
        body = { argsz: f_argsz, flags: f_flags, range: x };
        break reply;
      }
      case 15: {
        if (n < 8) bodyShort(15, 8, n, o - m0);
        const f_wr_cnt = v.getBigUint64(o, true);
        if (n !== 8) bodyLong(15, 8, n, o + 8 - m0);
        body = { wr_cnt: f_wr_cnt };
        break reply;
      }
      case 16: {
        if (n < 8) bodyShort(16, 8, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        if ((f_flags & ~0x7ffff) !== 0) badFlags(16, 'vfio_user_device_feature.flags', f_flags, o + 4 - m0, 'unknown bits');
        const p = o + 8;
        const pn = n - 8;
        const w0 = f_flags & 0xffff;
        const w1 = f_flags & 0x70000;
        let d: DeviceFeatureData;
        if (w0 === 0x1 && w1 === 0x10000) {
          if (pn !== 8) badPayload(16, 'vfio_user_device_feature.data', pn, 8, p - m0);
          const q_flags = v.getBigUint64(p, true);
          d = { kind: 'migration', flags: q_flags };
        } else if (w0 === 0x2 && w1 === 0x10000) {
          if (pn !== 8) badPayload(16, 'vfio_user_device_feature.data', pn, 8, p - m0);
          const q_device_state = v.getUint32(p, true);
          const q_data_fd = v.getUint32(p + 4, true);
          d = { kind: 'mig_state', device_state: q_device_state, data_fd: q_data_fd };
        } else if (w0 === 0x8 && w1 === 0x10000) {
          if (pn < 24) badPayload(16, 'vfio_user_device_feature.data', pn, 24, p - m0);
          const q_iova = v.getBigUint64(p, true);
          const q_length = v.getBigUint64(p + 8, true);
          const q_page_size = v.getBigUint64(p + 16, true);
          if (!isPowerOfTwo(q_page_size)) notPowerOfTwo(q_page_size, 'vfio_user_device_feature_dma_logging_report.page_size', p + 16 - m0, 16);
          const want = bitmapBytes(q_length, q_page_size);
          if (want > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, want, p + 8 - m0, 16);
          if (BigInt(pn - 24) !== want) badPayload(16, 'vfio_user_device_feature.data', pn, 24n + want, p - m0);
          d = { kind: 'dma_logging_report', iova: q_iova, length: q_length, page_size: q_page_size, bitmap: new Uint8Array(buf, p + 24, pn - 24) };
        } else if (w0 === 0x2 && w1 === 0x20000) {
          if (pn !== 8) badPayload(16, 'vfio_user_device_feature.data', pn, 8, p - m0);
          const q_device_state = v.getUint32(p, true);
          const q_data_fd = v.getUint32(p + 4, true);
          d = { kind: 'mig_state', device_state: q_device_state, data_fd: q_data_fd };
        } else if ((w0 === 0x6 || w0 === 0x7) && w1 === 0x20000) {
          if (pn < 16) badPayload(16, 'vfio_user_device_feature.data', pn, 16, p - m0);
          const q_page_size = v.getBigUint64(p, true);
          const q_num_ranges = v.getUint32(p + 8, true);
          const q_reserved = v.getUint32(p + 12, true);
          if (q_num_ranges > opt.limits.maxLoggingRanges) limitExceeded('maxLoggingRanges', opt.limits.maxLoggingRanges, q_num_ranges, p + 8 - m0, 16);
          const cnt = q_num_ranges;
          if (pn !== 16 + cnt * 16) tailLength(16, 'vfio_user_device_feature_dma_logging_control.num_ranges', cnt * 16, pn - 16, p + 8 - m0);
          const arr: vfio_user_device_feature_dma_logging_range[] = new Array(cnt);
          for (let i = 0; i < cnt; i++) arr[i] = { iova: v.getBigUint64(p + 16 + i * 16, true), length: v.getBigUint64(p + 16 + i * 16 + 8, true) };
          d = { kind: 'dma_logging_control', page_size: q_page_size, num_ranges: q_num_ranges, reserved: q_reserved, ranges: arr };
        } else {
          d = { kind: 'raw', bytes: new Uint8Array(buf, p, pn) };
        }
        body = { argsz: f_argsz, flags: f_flags, data: d };
        break reply;
      }
      case 17: {
        if (n < 8) bodyShort(17, 8, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_size = v.getUint32(o + 4, true);
        if (f_size > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_size, o + 4 - m0, 17);
        const len = f_size;
        if (n < 8 + len) tailLength(17, 'vfio_user_mig_data.size', len, n - 8, o + 4 - m0);
        body = { argsz: f_argsz, size: f_size, data: new Uint8Array(buf, o + 8, n - 8) };
        break reply;
      }
      case 18: {
        if (n !== 0) emptyBody(18, n, o - m0);
        body = null;
        break reply;
      }
      case 19: {
        if (n < 16) bodyShort(19, 16, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_out_ioas_id = v.getUint32(o + 8, true);
        const f_reserved = v.getUint32(o + 12, true);
        if (f_flags !== 0) badFlags(19, 'vfio_user_iommufd_alloc_ioas.flags', f_flags, o + 4 - m0, 'must be 0');
        if (f_reserved !== 0) badFlags(19, 'vfio_user_iommufd_alloc_ioas.__reserved', f_reserved, o + 12 - m0, 'must be 0');
        if (n !== 16) bodyLong(19, 16, n, o + 16 - m0);
        body = { argsz: f_argsz, flags: f_flags, out_ioas_id: f_out_ioas_id, __reserved: f_reserved };
        break reply;
      }
      case 20: {
        if (n !== 0) emptyBody(20, n, o - m0);
        body = null;
        break reply;
      }
      case 21: {
        if (n < 48) bodyShort(21, 48, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_ioas_id = v.getUint32(o + 8, true);
        const f_reserved = v.getUint32(o + 12, true);
        const f_user_va = v.getBigUint64(o + 16, true);
        const f_length = v.getBigUint64(o + 24, true);
        const f_iova = v.getBigUint64(o + 32, true);
        const f_offset = v.getBigUint64(o + 40, true);
        if ((f_flags & ~(opt.drafts ? 0x7 : 0x3)) !== 0) badFlags(21, 'vfio_user_iommufd_ioas_map.flags', f_flags, o + 4 - m0, 'unknown bits');
        if (f_reserved !== 0) badFlags(21, 'vfio_user_iommufd_ioas_map.__reserved', f_reserved, o + 12 - m0, 'must be 0');
        if (n !== 48) bodyLong(21, 48, n, o + 48 - m0);
        body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved, user_va: f_user_va, length: f_length, iova: f_iova, offset: f_offset };
        break reply;
      }
      case 22: {
        if (n !== 0) emptyBody(22, n, o - m0);
        body = null;
        break reply;
      }
      case 23: {
        if (n !== 0) emptyBody(23, n, o - m0);
        body = null;
        break reply;
      }
      case 24: {
        if (n < 16) bodyShort(24, 16, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_iommufd = v.getInt32(o + 8, true);
        const f_out_devid = v.getUint32(o + 12, true);
        if (f_flags !== 0) badFlags(24, 'vfio_user_iommufd_bind.flags', f_flags, o + 4 - m0, 'must be 0');
        if (n !== 16) bodyLong(24, 16, n, o + 16 - m0);
        body = { argsz: f_argsz, flags: f_flags, iommufd: f_iommufd, out_devid: f_out_devid };
        break reply;
      }
      case 25: {
        if (n !== 0) emptyBody(25, n, o - m0);
        body = null;
        break reply;
      }
      case 26: {
        if (n !== 0) emptyBody(26, n, o - m0);
        body = null;
        break reply;
      }
      case 27: {
        if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
        if (n < 24) bodyShort(27, 24, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_ioas_id = v.getUint32(o + 8, true);
        const f_num_iovas = v.getUint32(o + 12, true);
        const f_out_iova_alignment = v.getBigUint64(o + 16, true);
        if (f_num_iovas > opt.limits.maxIovaRanges) limitExceeded('maxIovaRanges', opt.limits.maxIovaRanges, f_num_iovas, o + 12 - m0, 27);
        const cnt = n === 24 ? 0 : f_num_iovas;
        if (n !== 24 + cnt * 16) tailLength(27, 'vfio_user_iommufd_ioas_iova_ranges.num_iovas', cnt * 16, n - 24, o + 12 - m0);
        const arr: vfio_user_iommufd_iova_range[] = new Array(cnt);
        for (let i = 0; i < cnt; i++) {
          const e = { start: v.getBigUint64(o + 24 + i * 16, true), last: v.getBigUint64(o + 24 + i * 16 + 8, true) };
          arr[i] = e;
        }
        body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, num_iovas: f_num_iovas, out_iova_alignment: f_out_iova_alignment, allowed_iovas: arr };
        break reply;
      }
      case 28: {
        if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
        if (n !== 0) emptyBody(28, n, o - m0);
        body = null;
        break reply;
      }
      case 29: {
        if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
        if (n < 40) bodyShort(29, 40, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_ioas_id = v.getUint32(o + 8, true);
        const f_reserved = v.getUint32(o + 12, true);
        const f_iova = v.getBigUint64(o + 16, true);
        const f_length = v.getBigUint64(o + 24, true);
        const f_page_size = v.getBigUint64(o + 32, true);
        if (!isPowerOfTwo(f_page_size)) notPowerOfTwo(f_page_size, 'vfio_user_iommufd_ioas_get_dirty_bitmap.page_size', o + 32 - m0, 29);
        const want = bitmapBytes(f_length, f_page_size);
        if (want > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, want, o + 24 - m0, 29);
        if (BigInt(n - 40) !== want) tailLength(29, 'vfio_user_iommufd_ioas_get_dirty_bitmap.length / page_size', want, n - 40, o + 32 - m0);
        body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved, iova: f_iova, length: f_length, page_size: f_page_size, data: new Uint8Array(buf, o + 40, n - 40) };
        break reply;
      }
      default:
        return decodeOther(v, buf, m0, msgSize, opt);
    }
  }
  return { kind: 'reply', cmd, msg_id, flags, error_no, body } as Message;
}

/**
 * Decodes the message of `msgSize` bytes at absolute offset `m0` of `buf`
 * (`v` its DataView), msg_size already checked (checkMsgSize).
 */
export function decodeMessage(v: DataView, buf: ArrayBufferLike, m0: number, msgSize: number, opt: ResolvedOptions): Message {
  const msg_id = v.getUint16(m0, true);
  const cmd = v.getUint16(m0 + 2, true);
  const flags = v.getUint32(m0 + 8, true);
  const error_no = v.getUint32(m0 + 12, true);
  const type = flags & 0xf;
  const o = m0 + 16;
  const n = msgSize - 16;
  if (type > 0x1 || (flags & 0x20) !== 0) {
    // An error reply in its range; anything else (an error typed as a command, a bad type) is checked there.
    if (type === 0x1 && error_no <= opt.limits.maxErrorNo) return { kind: 'error', cmd, msg_id, flags, error_no, body: new Uint8Array(buf, o, n) };
    return decodeOther(v, buf, m0, msgSize, opt);
  }
  let body: unknown;
  if (type === 0x0) {
    command: {
      switch (cmd) {
        case 1: {
          if (n < 4) bodyShort(1, 4, n, o - m0);
          const f_major = v.getUint16(o, true);
          const f_minor = v.getUint16(o + 2, true);
          const len = n - 4;
          const text = new Uint8Array(buf, o + 4, len === 0 ? 0 : len - 1);
          body = { major: f_major, minor: f_minor, data: text, json: decodeJsonTail(v, o + 4, len, text, o + 4 - m0, opt) };
          break command;
        }
        case 2: {
          if (n < 32) bodyShort(2, 32, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_offset = v.getBigUint64(o + 8, true);
          const f_addr = v.getBigUint64(o + 16, true);
          const f_size = v.getBigUint64(o + 24, true);
          if (f_argsz < n) badArgsz(2, 'vfio_user_dma_map.argsz', f_argsz, n, o - m0);
          if ((f_flags & ~0xf) !== 0) badFlags(2, 'vfio_user_dma_map.flags', f_flags, o + 4 - m0, 'unknown bits');
          if ((f_flags & 0xc) === 0xc) badFlags(2, 'vfio_user_dma_map.flags', f_flags, o + 4 - m0, 'bits 0xc exclude each other');
          if (n !== 32) bodyLong(2, 32, n, o + 32 - m0);
          body = { argsz: f_argsz, flags: f_flags, offset: f_offset, addr: f_addr, size: f_size };
          break command;
        }
        case 3: {
          if (opt.dialect === 'rust-vmm') {
            if (n < 24) bodyShort(3, 24, n, o - m0);
            const f_argsz = v.getUint32(o, true);
            const f_flags = v.getUint32(o + 4, true);
            const f_addr = v.getBigUint64(o + 8, true);
            const f_size = v.getBigUint64(o + 16, true);
            if (f_argsz < n) badArgsz(3, 'vfio_user_dma_unmap.argsz', f_argsz, n, o - m0);
            if (f_flags !== 0 && f_flags !== 2 && f_flags !== 4) badFlags(3, 'vfio_user_dma_unmap.flags', f_flags, o + 4 - m0, 'allowed: 0, 2, 4');
            let x: vfio_user_bitmap | null = null;
            if ((f_flags & 0x1) === 0) {
              if (n !== 24) bodyLong(3, 24, n, o + 24 - m0);
            } else {
              if (n < 40) bodyShort(3, 40, n, o - m0);
              const t_pgsize = v.getBigUint64(o + 24, true);
              const t_size = v.getBigUint64(o + 32, true);
              if (t_size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_size, o + 32 - m0, 3);
              if (!isPowerOfTwo(t_pgsize)) notPowerOfTwo(t_pgsize, 'vfio_user_bitmap.pgsize', o + 24 - m0, 3);
              if (!isBitmapSize(t_size, f_size, t_pgsize)) badBitmapSize(3, 'vfio_user_bitmap.size', t_size, bitmapBytes(f_size, t_pgsize), o + 32 - m0);
              if (n !== 40) bodyLong(3, 40, n, o + 40 - m0);
              const room = 40 + Number(t_size);
              if (f_argsz < room) badArgsz(3, 'vfio_user_dma_unmap.argsz', f_argsz, room, o - m0);
              x = { pgsize: t_pgsize, size: t_size };
            }
            body = { argsz: f_argsz, flags: f_flags, addr: f_addr, size: f_size, bitmap: x };
            break command;
          }
          if (n < 24) bodyShort(3, 24, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_addr = v.getBigUint64(o + 8, true);
          const f_size = v.getBigUint64(o + 16, true);
          if (f_argsz < n) badArgsz(3, 'vfio_user_dma_unmap.argsz', f_argsz, n, o - m0);
          if (f_flags !== 0 && f_flags !== 1 && f_flags !== 2) badFlags(3, 'vfio_user_dma_unmap.flags', f_flags, o + 4 - m0, 'allowed: 0, 1, 2');
          let x: vfio_user_bitmap | null = null;
          if ((f_flags & 0x1) === 0) {
            if (n !== 24) bodyLong(3, 24, n, o + 24 - m0);
          } else {
            if (n < 40) bodyShort(3, 40, n, o - m0);
            const t_pgsize = v.getBigUint64(o + 24, true);
            const t_size = v.getBigUint64(o + 32, true);
            if (t_size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_size, o + 32 - m0, 3);
            if (!isPowerOfTwo(t_pgsize)) notPowerOfTwo(t_pgsize, 'vfio_user_bitmap.pgsize', o + 24 - m0, 3);
            if (!isBitmapSize(t_size, f_size, t_pgsize)) badBitmapSize(3, 'vfio_user_bitmap.size', t_size, bitmapBytes(f_size, t_pgsize), o + 32 - m0);
            if (n !== 40) bodyLong(3, 40, n, o + 40 - m0);
            const room = 40 + Number(t_size);
            if (f_argsz < room) badArgsz(3, 'vfio_user_dma_unmap.argsz', f_argsz, room, o - m0);
            x = { pgsize: t_pgsize, size: t_size };
          }
          body = { argsz: f_argsz, flags: f_flags, addr: f_addr, size: f_size, bitmap: x };
          break command;
        }
        case 4: {
          if (n < 16) bodyShort(4, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_num_regions = v.getUint32(o + 8, true);
          const f_num_irqs = v.getUint32(o + 12, true);
          if (f_argsz < n) badArgsz(4, 'vfio_user_device_info.argsz', f_argsz, n, o - m0);
          if (n !== 16) bodyLong(4, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, num_regions: f_num_regions, num_irqs: f_num_irqs };
          break command;
        }
        case 5: {
          if (n < 32) bodyShort(5, 32, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_index = v.getUint32(o + 8, true);
          const f_cap_offset = v.getUint32(o + 12, true);
          const f_size = v.getBigUint64(o + 16, true);
          const f_offset = v.getBigUint64(o + 24, true);
          if (f_argsz < n) badArgsz(5, 'vfio_region_info.argsz', f_argsz, n, o - m0);
          body = { argsz: f_argsz, flags: f_flags, index: f_index, cap_offset: f_cap_offset, size: f_size, offset: f_offset, padding: new Uint8Array(buf, o + 32, n - 32) };
          break command;
        }
        case 6: {
          if (n < 16) bodyShort(6, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_index = v.getUint32(o + 8, true);
          const f_count = v.getUint32(o + 12, true);
          if (f_argsz < n) badArgsz(6, 'vfio_user_region_io_fds_request.argsz', f_argsz, n, o - m0);
          if (f_flags !== 0) badFlags(6, 'vfio_user_region_io_fds_request.flags', f_flags, o + 4 - m0, 'must be 0');
          if (f_count !== 0) badFlags(6, 'vfio_user_region_io_fds_request.count', f_count, o + 12 - m0, 'must be 0');
          if (n !== 16) bodyLong(6, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, index: f_index, count: f_count };
          break command;
        }
        case 7: {
          if (n < 16) bodyShort(7, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_index = v.getUint32(o + 8, true);
          const f_count = v.getUint32(o + 12, true);
          if (f_argsz < n) badArgsz(7, 'vfio_irq_info.argsz', f_argsz, n, o - m0);
          if (n !== 16) bodyLong(7, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, index: f_index, count: f_count };
          break command;
        }
        case 8: {
          if (n < 20) bodyShort(8, 20, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_index = v.getUint32(o + 8, true);
          const f_start = v.getUint32(o + 12, true);
          const f_count = v.getUint32(o + 16, true);
          if (f_argsz < n) badArgsz(8, 'vfio_irq_set.argsz', f_argsz, n, o - m0);
          if ((f_flags & ~0x3f) !== 0 || !((f_flags & 0x7) !== 0 && ((f_flags & 0x7) & ((f_flags & 0x7) - 1)) === 0) || !((f_flags & 0x38) !== 0 && ((f_flags & 0x38) & ((f_flags & 0x38) - 1)) === 0)) badFlags(8, 'vfio_irq_set.flags', f_flags, o + 4 - m0, 'needs exactly one bit of each of 0x7, 0x38');
          if (f_count > opt.limits.maxIrqVectors) limitExceeded('maxIrqVectors', opt.limits.maxIrqVectors, f_count, o + 16 - m0, 8);
          const len = (f_flags & 0x2) !== 0 ? f_count : 0;
          if (n !== 20 + len) tailLength(8, 'vfio_irq_set.count', len, n - 20, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, index: f_index, start: f_start, count: f_count, data: new Uint8Array(buf, o + 20, len) };
          break command;
        }
        case 9: {
          if (n < 16) bodyShort(9, 16, n, o - m0);
          const f_offset = v.getBigUint64(o, true);
          const f_region = v.getUint32(o + 8, true);
          const f_count = v.getUint32(o + 12, true);
          if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 12 - m0, 9);
          if (n !== 16) bodyLong(9, 16, n, o + 16 - m0);
          body = { offset: f_offset, region: f_region, count: f_count };
          break command;
        }
        case 10: {
          if (n < 16) bodyShort(10, 16, n, o - m0);
          const f_offset = v.getBigUint64(o, true);
          const f_region = v.getUint32(o + 8, true);
          const f_count = v.getUint32(o + 12, true);
          if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 12 - m0, 10);
          const len = f_count;
          if (n !== 16 + len) tailLength(10, 'vfio_user_region_access.count', len, n - 16, o + 12 - m0);
          body = { offset: f_offset, region: f_region, count: f_count, data: new Uint8Array(buf, o + 16, len) };
          break command;
        }
        case 11: {
          if (opt.dialect === 'qemu') {
            if (n < 16) bodyShort(11, 16, n, o - m0);
            const f_offset = v.getBigUint64(o, true);
            const f_count = v.getUint32(o + 8, true);
            if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 11);
            if (n !== 16) bodyLong(11, 16, n, o + 16 - m0);
            zeroPad(v, o + 12, 4, 11, o + 12 - m0);
            body = { offset: f_offset, count: f_count };
            break command;
          }
          if (n < 16) bodyShort(11, 16, n, o - m0);
          const f_addr = v.getBigUint64(o, true);
          const f_count = v.getBigUint64(o + 8, true);
          if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 11);
          if (n !== 16) bodyLong(11, 16, n, o + 16 - m0);
          body = { addr: f_addr, count: f_count };
          break command;
        }
        case 12: {
          if (opt.dialect === 'qemu') {
            if (n < 12) bodyShort(12, 12, n, o - m0);
            const f_offset = v.getBigUint64(o, true);
            const f_count = v.getUint32(o + 8, true);
            if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 12);
            const len = f_count;
            if (n !== 16 + len) tailLength(12, 'VFIOUserDMARW.count', len, n - 16, o + 8 - m0);
            zeroPad(v, o + 12 + len, 4, 12, o + 12 + len - m0);
            body = { offset: f_offset, count: f_count, data: new Uint8Array(buf, o + 12, len) };
            break command;
          }
          if (n < 16) bodyShort(12, 16, n, o - m0);
          const f_addr = v.getBigUint64(o, true);
          const f_count = v.getBigUint64(o + 8, true);
          if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 12);
          const len = Number(f_count);
          if (n !== 16 + len) tailLength(12, 'vfio_user_dma_region_access.count', len, n - 16, o + 8 - m0);
          body = { addr: f_addr, count: f_count, data: new Uint8Array(buf, o + 16, len) };
          break command;
        }
        case 13: {
          if (n !== 0) emptyBody(13, n, o - m0);
          body = null;
          break command;
        }
        case 14: {
          if (n < 8) bodyShort(14, 8, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          if ((f_flags & ~0x7) !== 0 || !((f_flags & 0x7) !== 0 && ((f_flags & 0x7) & ((f_flags & 0x7) - 1)) === 0)) badFlags(14, 'vfio_user_dirty_pages.flags', f_flags, o + 4 - m0, 'needs exactly one bit of each of 0x7');
          let x: vfio_user_bitmap_range | null = null;
          if ((f_flags & 0x4) === 0) {
            if (n !== 8) bodyLong(14, 8, n, o + 8 - m0);
          } else {
            if (n < 40) bodyShort(14, 40, n, o - m0);
            const t_iova = v.getBigUint64(o + 8, true);
            const t_size = v.getBigUint64(o + 16, true);
            const t_bitmap = { pgsize: v.getBigUint64(o + 24, true), size: v.getBigUint64(o + 24 + 8, true) };
            if (t_bitmap.size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_bitmap.size, o + 32 - m0, 14);
            if (n !== 40) bodyLong(14, 40, n, o + 40 - m0);
            x = { iova: t_iova, size: t_size, bitmap: t_bitmap };
          }
          body = { argsz: f_argsz, flags: f_flags, range: x };
          break command;
        }
        case 15: {
          if (n < 8) bodyShort(15, 8, n, o - m0);
          const f_wr_cnt = v.getBigUint64(o, true);
          if (f_wr_cnt > opt.limits.maxWriteMultiEntries) limitExceeded('maxWriteMultiEntries', opt.limits.maxWriteMultiEntries, f_wr_cnt, o + 0 - m0, 15);
          const cnt = Number(f_wr_cnt);
          if (n !== 8 + cnt * 24) tailLength(15, 'VFIOUserWRMulti.wr_cnt', cnt * 24, n - 8, o + 0 - m0);
          const arr: VFIOUserWROne[] = new Array(cnt);
          for (let i = 0; i < cnt; i++) {
            const e = { offset: v.getBigUint64(o + 8 + i * 24, true), region: v.getUint32(o + 8 + i * 24 + 8, true), count: v.getUint32(o + 8 + i * 24 + 12, true), data: new Uint8Array(buf, o + 8 + i * 24 + 16, 8) };
            if (e.count > 8) tailLength(15, 'VFIOUserWROne.count', e.count, 8, o + 8 + i * 24 + 12 - m0);
            arr[i] = e;
          }
          body = { wr_cnt: f_wr_cnt, wrs: arr };
          break command;
        }
        case 16: {
          if (n < 8) bodyShort(16, 8, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          if (f_argsz < n) badArgsz(16, 'vfio_user_device_feature.argsz', f_argsz, n, o - m0);
          if ((f_flags & ~0x7ffff) !== 0) badFlags(16, 'vfio_user_device_feature.flags', f_flags, o + 4 - m0, 'unknown bits');
          if ((f_flags & 0x70000) === 0) badFlags(16, 'vfio_user_device_feature.flags', f_flags, o + 4 - m0, 'needs a bit of 0x70000');
          const p = o + 8;
          const pn = n - 8;
          const w0 = f_flags & 0xffff;
          const w1 = f_flags & 0x70000;
          let d: DeviceFeatureData;
          if ((w0 === 0x1 || w0 === 0x2) && w1 === 0x10000) {
            if (pn !== 0) badPayload(16, 'vfio_user_device_feature.data', pn, 0, p - m0);
            d = { kind: 'none' };
          } else if (w0 === 0x8 && w1 === 0x10000) {
            if (pn !== 24) badPayload(16, 'vfio_user_device_feature.data', pn, 24, p - m0);
            const q_iova = v.getBigUint64(p, true);
            const q_length = v.getBigUint64(p + 8, true);
            const q_page_size = v.getBigUint64(p + 16, true);
            if (isPowerOfTwo(q_page_size) && bitmapBytes(q_length, q_page_size) > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, bitmapBytes(q_length, q_page_size), p + 8 - m0, 16);
            d = { kind: 'dma_logging_report', iova: q_iova, length: q_length, page_size: q_page_size, bitmap: new Uint8Array(buf, p + 24, 0) };
          } else if (w0 === 0x2 && w1 === 0x20000) {
            if (pn !== 8) badPayload(16, 'vfio_user_device_feature.data', pn, 8, p - m0);
            const q_device_state = v.getUint32(p, true);
            const q_data_fd = v.getUint32(p + 4, true);
            d = { kind: 'mig_state', device_state: q_device_state, data_fd: q_data_fd };
          } else if ((w0 === 0x6 || w0 === 0x7) && w1 === 0x20000) {
            if (pn < 16) badPayload(16, 'vfio_user_device_feature.data', pn, 16, p - m0);
            const q_page_size = v.getBigUint64(p, true);
            const q_num_ranges = v.getUint32(p + 8, true);
            const q_reserved = v.getUint32(p + 12, true);
            if (q_num_ranges > opt.limits.maxLoggingRanges) limitExceeded('maxLoggingRanges', opt.limits.maxLoggingRanges, q_num_ranges, p + 8 - m0, 16);
            const cnt = q_num_ranges;
            if (pn !== 16 + cnt * 16) tailLength(16, 'vfio_user_device_feature_dma_logging_control.num_ranges', cnt * 16, pn - 16, p + 8 - m0);
            const arr: vfio_user_device_feature_dma_logging_range[] = new Array(cnt);
            for (let i = 0; i < cnt; i++) arr[i] = { iova: v.getBigUint64(p + 16 + i * 16, true), length: v.getBigUint64(p + 16 + i * 16 + 8, true) };
            d = { kind: 'dma_logging_control', page_size: q_page_size, num_ranges: q_num_ranges, reserved: q_reserved, ranges: arr };
          } else {
            d = { kind: 'raw', bytes: new Uint8Array(buf, p, pn) };
          }
          body = { argsz: f_argsz, flags: f_flags, data: d };
          break command;
        }
        case 17: {
          if (n < 8) bodyShort(17, 8, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_size = v.getUint32(o + 4, true);
          if (f_size > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_size, o + 4 - m0, 17);
          if (n !== 8) bodyLong(17, 8, n, o + 8 - m0);
          body = { argsz: f_argsz, size: f_size };
          break command;
        }
        case 18: {
          if (n < 8) bodyShort(18, 8, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_size = v.getUint32(o + 4, true);
          if (f_argsz < n) badArgsz(18, 'vfio_user_mig_data.argsz', f_argsz, n, o - m0);
          if (f_size > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_size, o + 4 - m0, 18);
          const len = f_size;
          if (n !== 8 + len) tailLength(18, 'vfio_user_mig_data.size', len, n - 8, o + 4 - m0);
          body = { argsz: f_argsz, size: f_size, data: new Uint8Array(buf, o + 8, len) };
          break command;
        }
        case 19: {
          if (n < 16) bodyShort(19, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_out_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          if (f_flags !== 0) badFlags(19, 'vfio_user_iommufd_alloc_ioas.flags', f_flags, o + 4 - m0, 'must be 0');
          if (f_reserved !== 0) badFlags(19, 'vfio_user_iommufd_alloc_ioas.__reserved', f_reserved, o + 12 - m0, 'must be 0');
          if (n !== 16) bodyLong(19, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, out_ioas_id: f_out_ioas_id, __reserved: f_reserved };
          break command;
        }
        case 20: {
          if (n < 16) bodyShort(20, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          if (f_flags !== 0) badFlags(20, 'vfio_user_iommufd_destroy_ioas.flags', f_flags, o + 4 - m0, 'must be 0');
          if (f_reserved !== 0) badFlags(20, 'vfio_user_iommufd_destroy_ioas.__reserved', f_reserved, o + 12 - m0, 'must be 0');
          if (n !== 16) bodyLong(20, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved };
          break command;
        }
        case 21: {
          if (n < 48) bodyShort(21, 48, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          const f_user_va = v.getBigUint64(o + 16, true);
          const f_length = v.getBigUint64(o + 24, true);
          const f_iova = v.getBigUint64(o + 32, true);
          const f_offset = v.getBigUint64(o + 40, true);
          if ((f_flags & ~(opt.drafts ? 0x7 : 0x3)) !== 0) badFlags(21, 'vfio_user_iommufd_ioas_map.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (f_reserved !== 0) badFlags(21, 'vfio_user_iommufd_ioas_map.__reserved', f_reserved, o + 12 - m0, 'must be 0');
          if (n !== 48) bodyLong(21, 48, n, o + 48 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved, user_va: f_user_va, length: f_length, iova: f_iova, offset: f_offset };
          break command;
        }
        case 22: {
          if (n < 32) bodyShort(22, 32, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          const f_iova = v.getBigUint64(o + 16, true);
          const f_length = v.getBigUint64(o + 24, true);
          if ((f_flags & ~0x1) !== 0) badFlags(22, 'vfio_user_iommufd_ioas_unmap.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (f_reserved !== 0) badFlags(22, 'vfio_user_iommufd_ioas_unmap.__reserved', f_reserved, o + 12 - m0, 'must be 0');
          if (n !== 32) bodyLong(22, 32, n, o + 32 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved, iova: f_iova, length: f_length };
          break command;
        }
        case 23: {
          if (n < 40) bodyShort(23, 40, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_src_ioas_id = v.getUint32(o + 8, true);
          const f_dst_ioas_id = v.getUint32(o + 12, true);
          const f_src_iova = v.getBigUint64(o + 16, true);
          const f_dst_iova = v.getBigUint64(o + 24, true);
          const f_length = v.getBigUint64(o + 32, true);
          if ((f_flags & ~(opt.drafts ? 0x7 : 0x3)) !== 0) badFlags(23, 'vfio_user_iommufd_ioas_copy.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (n !== 40) bodyLong(23, 40, n, o + 40 - m0);
          body = { argsz: f_argsz, flags: f_flags, src_ioas_id: f_src_ioas_id, dst_ioas_id: f_dst_ioas_id, src_iova: f_src_iova, dst_iova: f_dst_iova, length: f_length };
          break command;
        }
        case 24: {
          if (n < 16) bodyShort(24, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_iommufd = v.getInt32(o + 8, true);
          const f_out_devid = v.getUint32(o + 12, true);
          if (f_flags !== 0) badFlags(24, 'vfio_user_iommufd_bind.flags', f_flags, o + 4 - m0, 'must be 0');
          if (n !== 16) bodyLong(24, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, iommufd: f_iommufd, out_devid: f_out_devid };
          break command;
        }
        case 25: {
          if (n < 16) bodyShort(25, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_pt_id = v.getUint32(o + 8, true);
          const f_pasid = v.getUint32(o + 12, true);
          if ((f_flags & ~0x1) !== 0) badFlags(25, 'vfio_user_iommufd_attach_pt.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (n !== 16) bodyLong(25, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, pt_id: f_pt_id, pasid: f_pasid };
          break command;
        }
        case 26: {
          if (n < 16) bodyShort(26, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_pasid = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          if ((f_flags & ~0x1) !== 0) badFlags(26, 'vfio_user_iommufd_detach_pt.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (f_reserved !== 0) badFlags(26, 'vfio_user_iommufd_detach_pt.__reserved', f_reserved, o + 12 - m0, 'must be 0');
          if (n !== 16) bodyLong(26, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, pasid: f_pasid, __reserved: f_reserved };
          break command;
        }
        case 27: {
          if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
          if (n < 24) bodyShort(27, 24, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_num_iovas = v.getUint32(o + 12, true);
          const f_out_iova_alignment = v.getBigUint64(o + 16, true);
          if (f_flags !== 0) badFlags(27, 'vfio_user_iommufd_ioas_iova_ranges.flags', f_flags, o + 4 - m0, 'must be 0');
          if (n !== 24) bodyLong(27, 24, n, o + 24 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, num_iovas: f_num_iovas, out_iova_alignment: f_out_iova_alignment };
          break command;
        }
        case 28: {
          if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
          if (n < 16) bodyShort(28, 16, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          if ((f_flags & ~0x1) !== 0) badFlags(28, 'vfio_user_iommufd_ioas_set_dirty_tracking.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (n !== 16) bodyLong(28, 16, n, o + 16 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved };
          break command;
        }
        case 29: {
          if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
          if (n < 40) bodyShort(29, 40, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_ioas_id = v.getUint32(o + 8, true);
          const f_reserved = v.getUint32(o + 12, true);
          const f_iova = v.getBigUint64(o + 16, true);
          const f_length = v.getBigUint64(o + 24, true);
          const f_page_size = v.getBigUint64(o + 32, true);
          if ((f_flags & ~0x1) !== 0) badFlags(29, 'vfio_user_iommufd_ioas_get_dirty_bitmap.flags', f_flags, o + 4 - m0, 'unknown bits');
          if (n !== 40) bodyLong(29, 40, n, o + 40 - m0);
          body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved, iova: f_iova, length: f_length, page_size: f_page_size };
          break command;
        }
        default:
          return decodeOther(v, buf, m0, msgSize, opt);
      }
    }
    return { kind: 'command', cmd, msg_id, flags, error_no, body } as Message;
  }
  reply: {
    switch (cmd) {
      case 1: {
        if (n < 4) bodyShort(1, 4, n, o - m0);
        const f_major = v.getUint16(o, true);
        const f_minor = v.getUint16(o + 2, true);
        const len = n - 4;
        const text = new Uint8Array(buf, o + 4, len === 0 ? 0 : len - 1);
        body = { major: f_major, minor: f_minor, data: text, json: decodeJsonTail(v, o + 4, len, text, o + 4 - m0, opt) };
        break reply;
      }
      case 2: {
        if (n !== 0) emptyBody(2, n, o - m0);
        body = null;
        break reply;
      }
      case 3: {
        if (opt.dialect === 'rust-vmm') {
          if (n < 24) bodyShort(3, 24, n, o - m0);
          const f_argsz = v.getUint32(o, true);
          const f_flags = v.getUint32(o + 4, true);
          const f_addr = v.getBigUint64(o + 8, true);
          const f_size = v.getBigUint64(o + 16, true);
          if (f_flags !== 0 && f_flags !== 2 && f_flags !== 4) badFlags(3, 'vfio_user_dma_unmap.flags', f_flags, o + 4 - m0, 'allowed: 0, 2, 4');
          let x: UnmapBitmapWithData | null = null;
          if ((f_flags & 0x1) === 0) {
            if (n !== 24) bodyLong(3, 24, n, o + 24 - m0);
          } else {
            if (n < 40) bodyShort(3, 40, n, o - m0);
            const t_pgsize = v.getBigUint64(o + 24, true);
            const t_size = v.getBigUint64(o + 32, true);
            if (t_size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_size, o + 32 - m0, 3);
            if (!isPowerOfTwo(t_pgsize)) notPowerOfTwo(t_pgsize, 'vfio_user_bitmap.pgsize', o + 24 - m0, 3);
            if (!isBitmapSize(t_size, f_size, t_pgsize)) badBitmapSize(3, 'vfio_user_bitmap.size', t_size, bitmapBytes(f_size, t_pgsize), o + 32 - m0);
            const len = Number(t_size);
            if (n !== 40 + len) tailLength(3, 'vfio_user_bitmap.size', len, n - 40, o + 32 - m0);
            x = { pgsize: t_pgsize, size: t_size, data: new Uint8Array(buf, o + 40, len) };
          }
          body = { argsz: f_argsz, flags: f_flags, addr: f_addr, size: f_size, bitmap: x };
          break reply;
        }
        if (n < 24) bodyShort(3, 24, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_addr = v.getBigUint64(o + 8, true);
        const f_size = v.getBigUint64(o + 16, true);
        if (f_flags !== 0 && f_flags !== 1 && f_flags !== 2) badFlags(3, 'vfio_user_dma_unmap.flags', f_flags, o + 4 - m0, 'allowed: 0, 1, 2');
        let x: UnmapBitmapWithData | null = null;
        if ((f_flags & 0x1) === 0) {
          if (n !== 24) bodyLong(3, 24, n, o + 24 - m0);
        } else {
          if (n < 40) bodyShort(3, 40, n, o - m0);
          const t_pgsize = v.getBigUint64(o + 24, true);
          const t_size = v.getBigUint64(o + 32, true);
          if (t_size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_size, o + 32 - m0, 3);
          if (!isPowerOfTwo(t_pgsize)) notPowerOfTwo(t_pgsize, 'vfio_user_bitmap.pgsize', o + 24 - m0, 3);
          if (!isBitmapSize(t_size, f_size, t_pgsize)) badBitmapSize(3, 'vfio_user_bitmap.size', t_size, bitmapBytes(f_size, t_pgsize), o + 32 - m0);
          const len = Number(t_size);
          if (n !== 40 + len) tailLength(3, 'vfio_user_bitmap.size', len, n - 40, o + 32 - m0);
          x = { pgsize: t_pgsize, size: t_size, data: new Uint8Array(buf, o + 40, len) };
        }
        body = { argsz: f_argsz, flags: f_flags, addr: f_addr, size: f_size, bitmap: x };
        break reply;
      }
      case 4: {
        if (n < 16) bodyShort(4, 16, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_num_regions = v.getUint32(o + 8, true);
        const f_num_irqs = v.getUint32(o + 12, true);
        if ((f_flags & ~0xff) !== 0) badFlags(4, 'vfio_user_device_info.flags', f_flags, o + 4 - m0, 'unknown bits');
        if (n !== 16) bodyLong(4, 16, n, o + 16 - m0);
        body = { argsz: f_argsz, flags: f_flags, num_regions: f_num_regions, num_irqs: f_num_irqs };
        break reply;
      }
      case 5: {
        if (n < 32) bodyShort(5, 32, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_index = v.getUint32(o + 8, true);
        const f_cap_offset = v.getUint32(o + 12, true);
        const f_size = v.getBigUint64(o + 16, true);
        const f_offset = v.getBigUint64(o + 24, true);
        if ((f_flags & ~0xf) !== 0) badFlags(5, 'vfio_region_info.flags', f_flags, o + 4 - m0, 'unknown bits');
        const caps = walkChain(v, o, n, (f_flags & 0x8) !== 0, f_cap_offset, m0, opt, opt.limits.maxRegionCaps, CHAIN_RegionCap);
        body = { argsz: f_argsz, flags: f_flags, index: f_index, cap_offset: f_cap_offset, size: f_size, offset: f_offset, caps: caps };
        break reply;
      }
      case 6: {
        if (n < 16) bodyShort(6, 16, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_index = v.getUint32(o + 8, true);
        const f_count = v.getUint32(o + 12, true);
        if (f_flags !== 0) badFlags(6, 'vfio_user_region_io_fds_reply.flags', f_flags, o + 4 - m0, 'must be 0');
        if (f_count > opt.limits.maxSubRegions) limitExceeded('maxSubRegions', opt.limits.maxSubRegions, f_count, o + 12 - m0, 6);
        let arr: vfio_user_sub_region_ioeventfd[] | vfio_user_sub_region_ioregionfd[] = [];
        if (n !== 16) {
          const cnt = f_count;
          if (cnt === 0) bodyLong(6, 16, n, o + 16 - m0);
          const stride = (n - 16) / cnt;
          if (stride === 48) {
            const a: vfio_user_sub_region_ioeventfd[] = new Array(cnt);
            for (let i = 0; i < cnt; i++) a[i] = { gpa_offset: v.getBigUint64(o + 16 + i * 48, true), size: v.getBigUint64(o + 16 + i * 48 + 8, true), fd_index: v.getUint32(o + 16 + i * 48 + 16, true), type: v.getUint32(o + 16 + i * 48 + 20, true), flags: v.getUint32(o + 16 + i * 48 + 24, true), shadow_mem_fd_index: v.getUint32(o + 16 + i * 48 + 28, true), shadow_offset: v.getBigUint64(o + 16 + i * 48 + 32, true), datamatch: v.getBigUint64(o + 16 + i * 48 + 40, true) };
            arr = a;
          } else if (stride === 40) {
            const a: vfio_user_sub_region_ioregionfd[] = new Array(cnt);
            for (let i = 0; i < cnt; i++) a[i] = { offset: v.getBigUint64(o + 16 + i * 40, true), size: v.getBigUint64(o + 16 + i * 40 + 8, true), fd_index: v.getUint32(o + 16 + i * 40 + 16, true), type: v.getUint32(o + 16 + i * 40 + 20, true), flags: v.getUint32(o + 16 + i * 40 + 24, true), padding: v.getUint32(o + 16 + i * 40 + 28, true), user_data: v.getBigUint64(o + 16 + i * 40 + 32, true) };
            arr = a;
          } else {
            badStride(6, 'vfio_user_region_io_fds_reply.sub_regions', n - 16, cnt, [48, 40], o + 16 - m0);
          }
        }
        body = { argsz: f_argsz, flags: f_flags, index: f_index, count: f_count, sub_regions: arr };
        break reply;
      }
      case 7: {
        if (n < 16) bodyShort(7, 16, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_index = v.getUint32(o + 8, true);
        const f_count = v.getUint32(o + 12, true);
        if ((f_flags & ~0xf) !== 0) badFlags(7, 'vfio_irq_info.flags', f_flags, o + 4 - m0, 'unknown bits');
        if (n !== 16) bodyLong(7, 16, n, o + 16 - m0);
        body = { argsz: f_argsz, flags: f_flags, index: f_index, count: f_count };
        break reply;
      }
      case 8: {
        if (n !== 0) emptyBody(8, n, o - m0);
        body = null;
        break reply;
      }
      case 9: {
        if (n === 0) {
          body = null;
          break reply;
        }
        if (n < 16) bodyShort(9, 16, n, o - m0);
        const f_offset = v.getBigUint64(o, true);
        const f_region = v.getUint32(o + 8, true);
        const f_count = v.getUint32(o + 12, true);
        if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 12 - m0, 9);
        const len = f_count;
        if (n !== 16 + len) tailLength(9, 'vfio_user_region_access.count', len, n - 16, o + 12 - m0);
        body = { offset: f_offset, region: f_region, count: f_count, data: new Uint8Array(buf, o + 16, len) };
        break reply;
      }
      case 10: {
        if (n === 0) {
          body = null;
          break reply;
        }
        if (n < 16) bodyShort(10, 16, n, o - m0);
        const f_offset = v.getBigUint64(o, true);
        const f_region = v.getUint32(o + 8, true);
        const f_count = v.getUint32(o + 12, true);
        if (n !== 16) bodyLong(10, 16, n, o + 16 - m0);
        body = { offset: f_offset, region: f_region, count: f_count };
        break reply;
      }
      case 11: {
        if (opt.dialect === 'qemu') {
          if (n < 12) bodyShort(11, 12, n, o - m0);
          const f_offset = v.getBigUint64(o, true);
          const f_count = v.getUint32(o + 8, true);
          if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 11);
          const len = f_count;
          if (n !== 16 + len) tailLength(11, 'VFIOUserDMARW.count', len, n - 16, o + 8 - m0);
          zeroPad(v, o + 12 + len, 4, 11, o + 12 + len - m0);
          body = { offset: f_offset, count: f_count, data: new Uint8Array(buf, o + 12, len) };
          break reply;
        }
        if (n < 16) bodyShort(11, 16, n, o - m0);
        const f_addr = v.getBigUint64(o, true);
        const f_count = v.getBigUint64(o + 8, true);
        if (f_count > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_count, o + 8 - m0, 11);
        const len = Number(f_count);
        if (n !== 16 + len) tailLength(11, 'vfio_user_dma_region_access.count', len, n - 16, o + 8 - m0);
        body = { addr: f_addr, count: f_count, data: new Uint8Array(buf, o + 16, len) };
        break reply;
      }
      case 12: {
        if (opt.dialect === 'qemu') {
          if (n !== 0) emptyBody(12, n, o - m0);
          body = null;
          break reply;
        }
        if (n < 16) bodyShort(12, 16, n, o - m0);
        const f_addr = v.getBigUint64(o, true);
        const f_count = v.getBigUint64(o + 8, true);
        if (n !== 16) bodyLong(12, 16, n, o + 16 - m0);
        body = { addr: f_addr, count: f_count };
        break reply;
      }
      case 13: {
        if (n !== 0) emptyBody(13, n, o - m0);
        body = null;
        break reply;
      }
      case 14: {
        if (n === 0) {
          body = null;
          break reply;
        }
        if (n < 8) bodyShort(14, 8, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        let x: DirtyBitmapRangeWithData | null = null;
        if ((f_flags & 0x4) === 0) {
          if (n !== 8) bodyLong(14, 8, n, o + 8 - m0);
        } else {
          if (n < 40) bodyShort(14, 40, n, o - m0);
          const t_iova = v.getBigUint64(o + 8, true);
          const t_size = v.getBigUint64(o + 16, true);
          const t_bitmap = { pgsize: v.getBigUint64(o + 24, true), size: v.getBigUint64(o + 24 + 8, true) };
          if (t_bitmap.size > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, t_bitmap.size, o + 32 - m0, 14);
          const len = Number(t_bitmap.size);
          if (n !== 40 + len) tailLength(14, 'vfio_user_bitmap_range.bitmap.size', len, n - 40, o + 32 - m0);
          x = { iova: t_iova, size: t_size, bitmap: t_bitmap, data: new Uint8Array(buf, o + 40, len) };
        }
        body = { argsz: f_argsz, flags: f_flags, range: x };
        break reply;
      }
      case 15: {
        if (n < 8) bodyShort(15, 8, n, o - m0);
        const f_wr_cnt = v.getBigUint64(o, true);
        if (n !== 8) bodyLong(15, 8, n, o + 8 - m0);
        body = { wr_cnt: f_wr_cnt };
        break reply;
      }
      case 16: {
        if (n < 8) bodyShort(16, 8, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        if ((f_flags & ~0x7ffff) !== 0) badFlags(16, 'vfio_user_device_feature.flags', f_flags, o + 4 - m0, 'unknown bits');
        const p = o + 8;
        const pn = n - 8;
        const w0 = f_flags & 0xffff;
        const w1 = f_flags & 0x70000;
        let d: DeviceFeatureData;
        if (w0 === 0x1 && w1 === 0x10000) {
          if (pn !== 8) badPayload(16, 'vfio_user_device_feature.data', pn, 8, p - m0);
          const q_flags = v.getBigUint64(p, true);
          d = { kind: 'migration', flags: q_flags };
        } else if (w0 === 0x2 && w1 === 0x10000) {
          if (pn !== 8) badPayload(16, 'vfio_user_device_feature.data', pn, 8, p - m0);
          const q_device_state = v.getUint32(p, true);
          const q_data_fd = v.getUint32(p + 4, true);
          d = { kind: 'mig_state', device_state: q_device_state, data_fd: q_data_fd };
        } else if (w0 === 0x8 && w1 === 0x10000) {
          if (pn < 24) badPayload(16, 'vfio_user_device_feature.data', pn, 24, p - m0);
          const q_iova = v.getBigUint64(p, true);
          const q_length = v.getBigUint64(p + 8, true);
          const q_page_size = v.getBigUint64(p + 16, true);
          if (!isPowerOfTwo(q_page_size)) notPowerOfTwo(q_page_size, 'vfio_user_device_feature_dma_logging_report.page_size', p + 16 - m0, 16);
          const want = bitmapBytes(q_length, q_page_size);
          if (want > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, want, p + 8 - m0, 16);
          if (BigInt(pn - 24) !== want) badPayload(16, 'vfio_user_device_feature.data', pn, 24n + want, p - m0);
          d = { kind: 'dma_logging_report', iova: q_iova, length: q_length, page_size: q_page_size, bitmap: new Uint8Array(buf, p + 24, pn - 24) };
        } else if (w0 === 0x2 && w1 === 0x20000) {
          if (pn !== 8) badPayload(16, 'vfio_user_device_feature.data', pn, 8, p - m0);
          const q_device_state = v.getUint32(p, true);
          const q_data_fd = v.getUint32(p + 4, true);
          d = { kind: 'mig_state', device_state: q_device_state, data_fd: q_data_fd };
        } else if ((w0 === 0x6 || w0 === 0x7) && w1 === 0x20000) {
          if (pn < 16) badPayload(16, 'vfio_user_device_feature.data', pn, 16, p - m0);
          const q_page_size = v.getBigUint64(p, true);
          const q_num_ranges = v.getUint32(p + 8, true);
          const q_reserved = v.getUint32(p + 12, true);
          if (q_num_ranges > opt.limits.maxLoggingRanges) limitExceeded('maxLoggingRanges', opt.limits.maxLoggingRanges, q_num_ranges, p + 8 - m0, 16);
          const cnt = q_num_ranges;
          if (pn !== 16 + cnt * 16) tailLength(16, 'vfio_user_device_feature_dma_logging_control.num_ranges', cnt * 16, pn - 16, p + 8 - m0);
          const arr: vfio_user_device_feature_dma_logging_range[] = new Array(cnt);
          for (let i = 0; i < cnt; i++) arr[i] = { iova: v.getBigUint64(p + 16 + i * 16, true), length: v.getBigUint64(p + 16 + i * 16 + 8, true) };
          d = { kind: 'dma_logging_control', page_size: q_page_size, num_ranges: q_num_ranges, reserved: q_reserved, ranges: arr };
        } else {
          d = { kind: 'raw', bytes: new Uint8Array(buf, p, pn) };
        }
        body = { argsz: f_argsz, flags: f_flags, data: d };
        break reply;
      }
      case 17: {
        if (n < 8) bodyShort(17, 8, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_size = v.getUint32(o + 4, true);
        if (f_size > opt.limits.maxDataXferSize) limitExceeded('maxDataXferSize', opt.limits.maxDataXferSize, f_size, o + 4 - m0, 17);
        const len = f_size;
        if (n < 8 + len) tailLength(17, 'vfio_user_mig_data.size', len, n - 8, o + 4 - m0);
        body = { argsz: f_argsz, size: f_size, data: new Uint8Array(buf, o + 8, n - 8) };
        break reply;
      }
      case 18: {
        if (n !== 0) emptyBody(18, n, o - m0);
        body = null;
        break reply;
      }
      case 19: {
        if (n < 16) bodyShort(19, 16, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_out_ioas_id = v.getUint32(o + 8, true);
        const f_reserved = v.getUint32(o + 12, true);
        if (f_flags !== 0) badFlags(19, 'vfio_user_iommufd_alloc_ioas.flags', f_flags, o + 4 - m0, 'must be 0');
        if (f_reserved !== 0) badFlags(19, 'vfio_user_iommufd_alloc_ioas.__reserved', f_reserved, o + 12 - m0, 'must be 0');
        if (n !== 16) bodyLong(19, 16, n, o + 16 - m0);
        body = { argsz: f_argsz, flags: f_flags, out_ioas_id: f_out_ioas_id, __reserved: f_reserved };
        break reply;
      }
      case 20: {
        if (n !== 0) emptyBody(20, n, o - m0);
        body = null;
        break reply;
      }
      case 21: {
        if (n < 48) bodyShort(21, 48, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_ioas_id = v.getUint32(o + 8, true);
        const f_reserved = v.getUint32(o + 12, true);
        const f_user_va = v.getBigUint64(o + 16, true);
        const f_length = v.getBigUint64(o + 24, true);
        const f_iova = v.getBigUint64(o + 32, true);
        const f_offset = v.getBigUint64(o + 40, true);
        if ((f_flags & ~(opt.drafts ? 0x7 : 0x3)) !== 0) badFlags(21, 'vfio_user_iommufd_ioas_map.flags', f_flags, o + 4 - m0, 'unknown bits');
        if (f_reserved !== 0) badFlags(21, 'vfio_user_iommufd_ioas_map.__reserved', f_reserved, o + 12 - m0, 'must be 0');
        if (n !== 48) bodyLong(21, 48, n, o + 48 - m0);
        body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved, user_va: f_user_va, length: f_length, iova: f_iova, offset: f_offset };
        break reply;
      }
      case 22: {
        if (n !== 0) emptyBody(22, n, o - m0);
        body = null;
        break reply;
      }
      case 23: {
        if (n !== 0) emptyBody(23, n, o - m0);
        body = null;
        break reply;
      }
      case 24: {
        if (n < 16) bodyShort(24, 16, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_iommufd = v.getInt32(o + 8, true);
        const f_out_devid = v.getUint32(o + 12, true);
        if (f_flags !== 0) badFlags(24, 'vfio_user_iommufd_bind.flags', f_flags, o + 4 - m0, 'must be 0');
        if (n !== 16) bodyLong(24, 16, n, o + 16 - m0);
        body = { argsz: f_argsz, flags: f_flags, iommufd: f_iommufd, out_devid: f_out_devid };
        break reply;
      }
      case 25: {
        if (n !== 0) emptyBody(25, n, o - m0);
        body = null;
        break reply;
      }
      case 26: {
        if (n !== 0) emptyBody(26, n, o - m0);
        body = null;
        break reply;
      }
      case 27: {
        if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
        if (n < 24) bodyShort(27, 24, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_ioas_id = v.getUint32(o + 8, true);
        const f_num_iovas = v.getUint32(o + 12, true);
        const f_out_iova_alignment = v.getBigUint64(o + 16, true);
        if (f_num_iovas > opt.limits.maxIovaRanges) limitExceeded('maxIovaRanges', opt.limits.maxIovaRanges, f_num_iovas, o + 12 - m0, 27);
        const cnt = n === 24 ? 0 : f_num_iovas;
        if (n !== 24 + cnt * 16) tailLength(27, 'vfio_user_iommufd_ioas_iova_ranges.num_iovas', cnt * 16, n - 24, o + 12 - m0);
        const arr: vfio_user_iommufd_iova_range[] = new Array(cnt);
        for (let i = 0; i < cnt; i++) {
          const e = { start: v.getBigUint64(o + 24 + i * 16, true), last: v.getBigUint64(o + 24 + i * 16 + 8, true) };
          arr[i] = e;
        }
        body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, num_iovas: f_num_iovas, out_iova_alignment: f_out_iova_alignment, allowed_iovas: arr };
        break reply;
      }
      case 28: {
        if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
        if (n !== 0) emptyBody(28, n, o - m0);
        body = null;
        break reply;
      }
      case 29: {
        if (!opt.drafts) return decodeOther(v, buf, m0, msgSize, opt);
        if (n < 40) bodyShort(29, 40, n, o - m0);
        const f_argsz = v.getUint32(o, true);
        const f_flags = v.getUint32(o + 4, true);
        const f_ioas_id = v.getUint32(o + 8, true);
        const f_reserved = v.getUint32(o + 12, true);
        const f_iova = v.getBigUint64(o + 16, true);
        const f_length = v.getBigUint64(o + 24, true);
        const f_page_size = v.getBigUint64(o + 32, true);
        if (!isPowerOfTwo(f_page_size)) notPowerOfTwo(f_page_size, 'vfio_user_iommufd_ioas_get_dirty_bitmap.page_size', o + 32 - m0, 29);
        const want = bitmapBytes(f_length, f_page_size);
        if (want > opt.limits.maxBitmapBytes) limitExceeded('maxBitmapBytes', opt.limits.maxBitmapBytes, want, o + 24 - m0, 29);
        if (BigInt(n - 40) !== want) tailLength(29, 'vfio_user_iommufd_ioas_get_dirty_bitmap.length / page_size', want, n - 40, o + 32 - m0);
        body = { argsz: f_argsz, flags: f_flags, ioas_id: f_ioas_id, __reserved: f_reserved, iova: f_iova, length: f_length, page_size: f_page_size, data: new Uint8Array(buf, o + 40, n - 40) };
        break reply;
      }
      default:
        return decodeOther(v, buf, m0, msgSize, opt);
    }
  }
  return { kind: 'reply', cmd, msg_id, flags, error_no, body } as Message;
}

// Body lengths and the encoder ------------------------------------------------
//
// One switch on the command number per kind, with each body's code in its case. In a
// mixed stream of messages every case is rarely taken, and V8 does not inline a call
// made that rarely: a function per body would cost one more call per message.
// Draft commands are known to the length switches; refusing them without `drafts` is the caller's job.

/** Size in bytes of the body of a command of `cmd` in `opt`'s dialect, after checking its shape; -1 for an unknown command. */
export function commandBodyLength(cmd: number, body: unknown, opt: ResolvedOptions): number {
  switch (cmd) {
    case 1: {
      const s = body as VersionCommandBody;
      if (typeof s !== 'object' || s === null) badShape('VersionCommandBody must be an object');
      return 4 + (s.data instanceof Uint8Array ? (s.data.length === 0 ? 0 : s.data.length + 1) : notBytes('data'));
    }
    case 2: {
      const s = body as DmaMapCommandBody;
      if (typeof s !== 'object' || s === null) badShape('DmaMapCommandBody must be an object');
      return 32;
    }
    case 3: {
      if (opt.dialect === 'rust-vmm') {
        const s = body as DmaUnmapCommandBody_rust_vmm;
        if (typeof s !== 'object' || s === null) badShape('DmaUnmapCommandBody_rust_vmm must be an object');
        return 24 + (s.bitmap === null ? 0 : typeof s.bitmap === 'object' ? 16 : badShape('bitmap must be an object or null'));
      }
      const s = body as DmaUnmapCommandBody;
      if (typeof s !== 'object' || s === null) badShape('DmaUnmapCommandBody must be an object');
      return 24 + (s.bitmap === null ? 0 : typeof s.bitmap === 'object' ? 16 : badShape('bitmap must be an object or null'));
    }
    case 4: {
      const s = body as DeviceGetInfoCommandBody;
      if (typeof s !== 'object' || s === null) badShape('DeviceGetInfoCommandBody must be an object');
      return 16;
    }
    case 5: {
      const s = body as DeviceGetRegionInfoCommandBody;
      if (typeof s !== 'object' || s === null) badShape('DeviceGetRegionInfoCommandBody must be an object');
      return 32 + (s.padding instanceof Uint8Array ? s.padding.length : notBytes('padding'));
    }
    case 6: {
      const s = body as DeviceGetRegionIoFdsCommandBody;
      if (typeof s !== 'object' || s === null) badShape('DeviceGetRegionIoFdsCommandBody must be an object');
      return 16;
    }
    case 7: {
      const s = body as DeviceGetIrqInfoCommandBody;
      if (typeof s !== 'object' || s === null) badShape('DeviceGetIrqInfoCommandBody must be an object');
      return 16;
    }
    case 8: {
      const s = body as DeviceSetIrqsCommandBody;
      if (typeof s !== 'object' || s === null) badShape('DeviceSetIrqsCommandBody must be an object');
      return 20 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
    }
    case 9: {
      const s = body as RegionReadCommandBody;
      if (typeof s !== 'object' || s === null) badShape('RegionReadCommandBody must be an object');
      return 16;
    }
    case 10: {
      const s = body as RegionWriteCommandBody;
      if (typeof s !== 'object' || s === null) badShape('RegionWriteCommandBody must be an object');
      return 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
    }
    case 11: {
      if (opt.dialect === 'qemu') {
        const s = body as DmaReadCommandBody_qemu;
        if (typeof s !== 'object' || s === null) badShape('DmaReadCommandBody_qemu must be an object');
        return 16;
      }
      const s = body as DmaReadCommandBody;
      if (typeof s !== 'object' || s === null) badShape('DmaReadCommandBody must be an object');
      return 16;
    }
    case 12: {
      if (opt.dialect === 'qemu') {
        const s = body as DmaWriteCommandBody_qemu;
        if (typeof s !== 'object' || s === null) badShape('DmaWriteCommandBody_qemu must be an object');
        return 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
      }
      const s = body as DmaWriteCommandBody;
      if (typeof s !== 'object' || s === null) badShape('DmaWriteCommandBody must be an object');
      return 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
    }
    case 13: {
      if (body !== null) badShape('DeviceResetCommandBody must be null');
      return 0;
    }
    case 14: {
      const s = body as DirtyPagesCommandBody;
      if (typeof s !== 'object' || s === null) badShape('DirtyPagesCommandBody must be an object');
      return 8 + (s.range === null ? 0 : typeof s.range === 'object' ? 32 : badShape('range must be an object or null'));
    }
    case 15: {
      const s = body as RegionWriteMultiCommandBody;
      if (typeof s !== 'object' || s === null) badShape('RegionWriteMultiCommandBody must be an object');
      return 8 + (Array.isArray(s.wrs) ? s.wrs.length * 24 : notArray('wrs'));
    }
    case 16: {
      const s = body as DeviceFeatureCommandBody;
      if (typeof s !== 'object' || s === null) badShape('DeviceFeatureCommandBody must be an object');
      const sel = s.data;
      let sel_n: number;
      if (typeof sel !== 'object' || sel === null) badShape('DeviceFeatureData must be an object');
      switch (sel.kind) {
        case 'none':
          sel_n = 0;
          break;
        case 'dma_logging_report':
          sel_n = 24 + checkBytes('bitmap', sel.bitmap).length;
          break;
        case 'mig_state':
          sel_n = 8;
          break;
        case 'dma_logging_control':
          sel_n = 16 + checkArray('ranges', sel.ranges).length * 16;
          break;
        case 'migration':
          sel_n = 8;
          break;
        case 'raw':
          sel_n = checkBytes('bytes', sel.bytes).length;
          break;
        default:
          sel_n = badShape(`unknown DeviceFeatureData kind ${String((sel as { kind?: unknown }).kind)}`);
      }
      return 8 + sel_n;
    }
    case 17: {
      const s = body as MigDataReadCommandBody;
      if (typeof s !== 'object' || s === null) badShape('MigDataReadCommandBody must be an object');
      return 8;
    }
    case 18: {
      const s = body as MigDataWriteCommandBody;
      if (typeof s !== 'object' || s === null) badShape('MigDataWriteCommandBody must be an object');
      return 8 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
    }
    case 19: {
      const s = body as IommufdAllocIoasCommandBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdAllocIoasCommandBody must be an object');
      return 16;
    }
    case 20: {
      const s = body as IommufdDestroyIoasCommandBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdDestroyIoasCommandBody must be an object');
      return 16;
    }
    case 21: {
      const s = body as IommufdIoasMapCommandBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdIoasMapCommandBody must be an object');
      return 48;
    }
    case 22: {
      const s = body as IommufdIoasUnmapCommandBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdIoasUnmapCommandBody must be an object');
      return 32;
    }
    case 23: {
      const s = body as IommufdIoasCopyCommandBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdIoasCopyCommandBody must be an object');
      return 40;
    }
    case 24: {
      const s = body as IommufdBindCommandBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdBindCommandBody must be an object');
      return 16;
    }
    case 25: {
      const s = body as IommufdAttachPtCommandBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdAttachPtCommandBody must be an object');
      return 16;
    }
    case 26: {
      const s = body as IommufdDetachPtCommandBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdDetachPtCommandBody must be an object');
      return 16;
    }
    case 27: {
      const s = body as IommufdIoasIovaRangesCommandBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdIoasIovaRangesCommandBody must be an object');
      return 24;
    }
    case 28: {
      const s = body as IommufdIoasSetDirtyTrackingCommandBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdIoasSetDirtyTrackingCommandBody must be an object');
      return 16;
    }
    case 29: {
      const s = body as IommufdIoasGetDirtyBitmapCommandBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdIoasGetDirtyBitmapCommandBody must be an object');
      return 40;
    }
    default:
      return -1;
  }
}

/** Size in bytes of the body of a reply of `cmd` in `opt`'s dialect, after checking its shape; -1 for an unknown command. */
export function replyBodyLength(cmd: number, body: unknown, opt: ResolvedOptions): number {
  switch (cmd) {
    case 1: {
      const s = body as VersionReplyBody;
      if (typeof s !== 'object' || s === null) badShape('VersionReplyBody must be an object');
      return 4 + (s.data instanceof Uint8Array ? (s.data.length === 0 ? 0 : s.data.length + 1) : notBytes('data'));
    }
    case 2: {
      if (body !== null) badShape('DmaMapReplyBody must be null');
      return 0;
    }
    case 3: {
      if (opt.dialect === 'rust-vmm') {
        const s = body as DmaUnmapReplyBody_rust_vmm;
        if (typeof s !== 'object' || s === null) badShape('DmaUnmapReplyBody_rust_vmm must be an object');
        return 24 + (s.bitmap === null ? 0 : typeof s.bitmap === 'object' ? 16 + (s.bitmap.data instanceof Uint8Array ? s.bitmap.data.length : notBytes('bitmap.data')) : badShape('bitmap must be an object or null'));
      }
      const s = body as DmaUnmapReplyBody;
      if (typeof s !== 'object' || s === null) badShape('DmaUnmapReplyBody must be an object');
      return 24 + (s.bitmap === null ? 0 : typeof s.bitmap === 'object' ? 16 + (s.bitmap.data instanceof Uint8Array ? s.bitmap.data.length : notBytes('bitmap.data')) : badShape('bitmap must be an object or null'));
    }
    case 4: {
      const s = body as DeviceGetInfoReplyBody;
      if (typeof s !== 'object' || s === null) badShape('DeviceGetInfoReplyBody must be an object');
      return 16;
    }
    case 5: {
      const s = body as DeviceGetRegionInfoReplyBody;
      if (typeof s !== 'object' || s === null) badShape('DeviceGetRegionInfoReplyBody must be an object');
      return 32 + chainLength(s.cap_offset, s.caps, CHAIN_RegionCap);
    }
    case 6: {
      const s = body as DeviceGetRegionIoFdsReplyBody;
      if (typeof s !== 'object' || s === null) badShape('DeviceGetRegionIoFdsReplyBody must be an object');
      const ua = checkArray('sub_region', s.sub_regions);
      const ua_stride = ua.length === 0 ? 0 : stride_sub_region(ua);
      return 16 + ua.length * ua_stride;
    }
    case 7: {
      const s = body as DeviceGetIrqInfoReplyBody;
      if (typeof s !== 'object' || s === null) badShape('DeviceGetIrqInfoReplyBody must be an object');
      return 16;
    }
    case 8: {
      if (body !== null) badShape('DeviceSetIrqsReplyBody must be null');
      return 0;
    }
    case 9: {
      const s = body as RegionReadReplyBody;
      if (s === null) return 0;
      if (typeof s !== 'object' || s === null) badShape('RegionReadReplyBody must be an object');
      return 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
    }
    case 10: {
      const s = body as RegionWriteReplyBody;
      if (s === null) return 0;
      if (typeof s !== 'object' || s === null) badShape('RegionWriteReplyBody must be an object');
      return 16;
    }
    case 11: {
      if (opt.dialect === 'qemu') {
        const s = body as DmaReadReplyBody_qemu;
        if (typeof s !== 'object' || s === null) badShape('DmaReadReplyBody_qemu must be an object');
        return 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
      }
      const s = body as DmaReadReplyBody;
      if (typeof s !== 'object' || s === null) badShape('DmaReadReplyBody must be an object');
      return 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
    }
    case 12: {
      if (opt.dialect === 'qemu') {
        if (body !== null) badShape('DmaWriteReplyBody_qemu must be null');
        return 0;
      }
      const s = body as DmaWriteReplyBody;
      if (typeof s !== 'object' || s === null) badShape('DmaWriteReplyBody must be an object');
      return 16;
    }
    case 13: {
      if (body !== null) badShape('DeviceResetReplyBody must be null');
      return 0;
    }
    case 14: {
      const s = body as DirtyPagesReplyBody;
      if (s === null) return 0;
      if (typeof s !== 'object' || s === null) badShape('DirtyPagesReplyBody must be an object');
      return 8 + (s.range === null ? 0 : typeof s.range === 'object' ? 32 + (s.range.data instanceof Uint8Array ? s.range.data.length : notBytes('range.data')) : badShape('range must be an object or null'));
    }
    case 15: {
      const s = body as RegionWriteMultiReplyBody;
      if (typeof s !== 'object' || s === null) badShape('RegionWriteMultiReplyBody must be an object');
      return 8;
    }
    case 16: {
      const s = body as DeviceFeatureReplyBody;
      if (typeof s !== 'object' || s === null) badShape('DeviceFeatureReplyBody must be an object');
      const sel = s.data;
      let sel_n: number;
      if (typeof sel !== 'object' || sel === null) badShape('DeviceFeatureData must be an object');
      switch (sel.kind) {
        case 'none':
          sel_n = 0;
          break;
        case 'dma_logging_report':
          sel_n = 24 + checkBytes('bitmap', sel.bitmap).length;
          break;
        case 'mig_state':
          sel_n = 8;
          break;
        case 'dma_logging_control':
          sel_n = 16 + checkArray('ranges', sel.ranges).length * 16;
          break;
        case 'migration':
          sel_n = 8;
          break;
        case 'raw':
          sel_n = checkBytes('bytes', sel.bytes).length;
          break;
        default:
          sel_n = badShape(`unknown DeviceFeatureData kind ${String((sel as { kind?: unknown }).kind)}`);
      }
      return 8 + sel_n;
    }
    case 17: {
      const s = body as MigDataReadReplyBody;
      if (typeof s !== 'object' || s === null) badShape('MigDataReadReplyBody must be an object');
      return 8 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
    }
    case 18: {
      if (body !== null) badShape('MigDataWriteReplyBody must be null');
      return 0;
    }
    case 19: {
      const s = body as IommufdAllocIoasReplyBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdAllocIoasReplyBody must be an object');
      return 16;
    }
    case 20: {
      if (body !== null) badShape('IommufdDestroyIoasReplyBody must be null');
      return 0;
    }
    case 21: {
      const s = body as IommufdIoasMapReplyBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdIoasMapReplyBody must be an object');
      return 48;
    }
    case 22: {
      if (body !== null) badShape('IommufdIoasUnmapReplyBody must be null');
      return 0;
    }
    case 23: {
      if (body !== null) badShape('IommufdIoasCopyReplyBody must be null');
      return 0;
    }
    case 24: {
      const s = body as IommufdBindReplyBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdBindReplyBody must be an object');
      return 16;
    }
    case 25: {
      if (body !== null) badShape('IommufdAttachPtReplyBody must be null');
      return 0;
    }
    case 26: {
      if (body !== null) badShape('IommufdDetachPtReplyBody must be null');
      return 0;
    }
    case 27: {
      const s = body as IommufdIoasIovaRangesReplyBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdIoasIovaRangesReplyBody must be an object');
      return 24 + (Array.isArray(s.allowed_iovas) ? s.allowed_iovas.length * 16 : notArray('allowed_iovas'));
    }
    case 28: {
      if (body !== null) badShape('IommufdIoasSetDirtyTrackingReplyBody must be null');
      return 0;
    }
    case 29: {
      const s = body as IommufdIoasGetDirtyBitmapReplyBody;
      if (typeof s !== 'object' || s === null) badShape('IommufdIoasGetDirtyBitmapReplyBody must be an object');
      return 40 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
    }
    default:
      return -1;
  }
}

/**
 * Writes the message into `target` at `offset`; returns the bytes written.
 * Allocates nothing. Every field is checked against its wire type, and
 * every length field against its tail; protocol rules are decode's job.
 *
 * @throws VfioUserEncodeError (ERR_ENCODE_SPACE when target is too small).
 */
export function encodeInto(message: Message, target: Uint8Array, offset?: number, options?: CodecOptions): number {
  // The defaults cost nothing on the common path: the default options are one comparison, and an offset left
  // out fails the room checks below, whose cold branch encodes again at offset 0.
  const opt = options === DEFAULT_OPTIONS || options === undefined ? DEFAULT_OPTIONS : resolveOptions(options);
  const at = offset as number;
  try {
    if (typeof message !== 'object' || message === null) return encodeOther(message, target, offset ?? 0, opt);
    const { kind, msg_id, cmd, flags, error_no } = message;
    const body: unknown = message.body;
    // The views first, for every kind: a call on a path that few messages take is not inlined.
    const v = target === lastTarget ? lastView : rememberTarget(target);
    const b = lastBytes;
    const h = target.byteOffset + at;
    if (kind === 'command' || kind === 'reply') {
      const type = kind === 'reply' ? 0x1 : 0x0;
      // The header checks of checkHeader, in its order; any that fails (or a draft command number) replays them there.
      if (
        flags >>> 0 !== flags ||
        (flags & 0x2f) !== type ||
        typeof cmd !== 'number' ||
        (cmd >= 27 && !opt.drafts) ||
        (msg_id & 0xffff) !== msg_id ||
        (cmd & 0xffff) !== cmd ||
        error_no >>> 0 !== error_no
      ) {
        checkHeader(message, opt);
      }
      const room = target.length - at - 16;
      if (!(at >= 0 && room >= 0) || !Number.isInteger(at)) {
        return offset === undefined ? encodeInto(message, target, 0, opt) : noRoomForMessage(message, at, target, opt);
      }
      const o = h + 16;
      let len = 0;
      sized: {
        if (type === 0x0) {
          switch (cmd) {
            case 1: {
              const s = body as VersionCommandBody;
              if (typeof s !== 'object' || s === null) badShape('VersionCommandBody must be an object');
              const n = 4 + (s.data instanceof Uint8Array ? (s.data.length === 0 ? 0 : s.data.length + 1) : notBytes('data'));
              if (n > room) return noRoom(16 + n, at, target.length);
              const f_major = s.major;
              if ((f_major & 0xffff) !== f_major) badField('vfio_user_version.major', f_major);
              v.setUint16(o, f_major, true);
              const f_minor = s.minor;
              if ((f_minor & 0xffff) !== f_minor) badField('vfio_user_version.minor', f_minor);
              v.setUint16(o + 2, f_minor, true);
              const tail = s.data;
              if (tail.length !== 0) {
                b.set(tail, o + 4);
                b[o + 4 + tail.length] = 0;
              }
              if (4 + (tail.length === 0 ? 0 : tail.length + 1) !== n) badShape('VersionCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 2: {
              const s = body as DmaMapCommandBody;
              if (typeof s !== 'object' || s === null) badShape('DmaMapCommandBody must be an object');
              const n = 32;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (32 !== n) badShape('DmaMapCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 3: {
              if (opt.dialect === 'rust-vmm') {
                const s = body as DmaUnmapCommandBody_rust_vmm;
                if (typeof s !== 'object' || s === null) badShape('DmaUnmapCommandBody_rust_vmm must be an object');
                const n = 24 + (s.bitmap === null ? 0 : typeof s.bitmap === 'object' ? 16 : badShape('bitmap must be an object or null'));
                if (n > room) return noRoom(16 + n, at, target.length);
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
                const x = s.bitmap;
                let w = 24;
                if ((f_flags & 0x1) === 0) {
                  if (x !== null) badShape('bitmap must be null without VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP');
                } else {
                  if (x === null) badShape('bitmap is required with VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP');
                  if (typeof x !== 'object' || x === null) badShape('vfio_user_bitmap must be an object');
                  const x_pgsize = x.pgsize;
                  if (typeof x_pgsize !== 'bigint' || x_pgsize < 0n || x_pgsize > 0xffffffffffffffffn) badField('vfio_user_bitmap.pgsize', x_pgsize);
                  v.setBigUint64(o + 24, x_pgsize, true);
                  const x_size = x.size;
                  if (typeof x_size !== 'bigint' || x_size < 0n || x_size > 0xffffffffffffffffn) badField('vfio_user_bitmap.size', x_size);
                  v.setBigUint64(o + 24 + 8, x_size, true);
                  w = 40;
                }
                if (w !== n) badShape('DmaUnmapCommandBody_rust_vmm: wrote a different size than it measured');
                { len = n; break sized; }
              }
              const s = body as DmaUnmapCommandBody;
              if (typeof s !== 'object' || s === null) badShape('DmaUnmapCommandBody must be an object');
              const n = 24 + (s.bitmap === null ? 0 : typeof s.bitmap === 'object' ? 16 : badShape('bitmap must be an object or null'));
              if (n > room) return noRoom(16 + n, at, target.length);
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
              const x = s.bitmap;
              let w = 24;
              if ((f_flags & 0x1) === 0) {
                if (x !== null) badShape('bitmap must be null without VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP');
              } else {
                if (x === null) badShape('bitmap is required with VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP');
                if (typeof x !== 'object' || x === null) badShape('vfio_user_bitmap must be an object');
                const x_pgsize = x.pgsize;
                if (typeof x_pgsize !== 'bigint' || x_pgsize < 0n || x_pgsize > 0xffffffffffffffffn) badField('vfio_user_bitmap.pgsize', x_pgsize);
                v.setBigUint64(o + 24, x_pgsize, true);
                const x_size = x.size;
                if (typeof x_size !== 'bigint' || x_size < 0n || x_size > 0xffffffffffffffffn) badField('vfio_user_bitmap.size', x_size);
                v.setBigUint64(o + 24 + 8, x_size, true);
                w = 40;
              }
              if (w !== n) badShape('DmaUnmapCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 4: {
              const s = body as DeviceGetInfoCommandBody;
              if (typeof s !== 'object' || s === null) badShape('DeviceGetInfoCommandBody must be an object');
              const n = 16;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (16 !== n) badShape('DeviceGetInfoCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 5: {
              const s = body as DeviceGetRegionInfoCommandBody;
              if (typeof s !== 'object' || s === null) badShape('DeviceGetRegionInfoCommandBody must be an object');
              const n = 32 + (s.padding instanceof Uint8Array ? s.padding.length : notBytes('padding'));
              if (n > room) return noRoom(16 + n, at, target.length);
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
              const tail = s.padding;
              b.set(tail, o + 32);
              if (32 + tail.length !== n) badShape('DeviceGetRegionInfoCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 6: {
              const s = body as DeviceGetRegionIoFdsCommandBody;
              if (typeof s !== 'object' || s === null) badShape('DeviceGetRegionIoFdsCommandBody must be an object');
              const n = 16;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (16 !== n) badShape('DeviceGetRegionIoFdsCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 7: {
              const s = body as DeviceGetIrqInfoCommandBody;
              if (typeof s !== 'object' || s === null) badShape('DeviceGetIrqInfoCommandBody must be an object');
              const n = 16;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (16 !== n) badShape('DeviceGetIrqInfoCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 8: {
              const s = body as DeviceSetIrqsCommandBody;
              if (typeof s !== 'object' || s === null) badShape('DeviceSetIrqsCommandBody must be an object');
              const n = 20 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
              if (n > room) return noRoom(16 + n, at, target.length);
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
              const tail = s.data;
              if (tail.length !== ((f_flags & 0x2) !== 0 ? f_count : 0)) encodeLength('vfio_irq_set.count', ((f_flags & 0x2) !== 0 ? f_count : 0), tail.length);
              b.set(tail, o + 20);
              if (20 + tail.length !== n) badShape('DeviceSetIrqsCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 9: {
              const s = body as RegionReadCommandBody;
              if (typeof s !== 'object' || s === null) badShape('RegionReadCommandBody must be an object');
              const n = 16;
              if (n > room) return noRoom(16 + n, at, target.length);
              const f_offset = s.offset;
              if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('vfio_user_region_access.offset', f_offset);
              v.setBigUint64(o, f_offset, true);
              const f_region = s.region;
              if (f_region >>> 0 !== f_region) badField('vfio_user_region_access.region', f_region);
              v.setUint32(o + 8, f_region, true);
              const f_count = s.count;
              if (f_count >>> 0 !== f_count) badField('vfio_user_region_access.count', f_count);
              v.setUint32(o + 12, f_count, true);
              if (16 !== n) badShape('RegionReadCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 10: {
              const s = body as RegionWriteCommandBody;
              if (typeof s !== 'object' || s === null) badShape('RegionWriteCommandBody must be an object');
              const n = 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
              if (n > room) return noRoom(16 + n, at, target.length);
              const f_offset = s.offset;
              if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('vfio_user_region_access.offset', f_offset);
              v.setBigUint64(o, f_offset, true);
              const f_region = s.region;
              if (f_region >>> 0 !== f_region) badField('vfio_user_region_access.region', f_region);
              v.setUint32(o + 8, f_region, true);
              const f_count = s.count;
              if (f_count >>> 0 !== f_count) badField('vfio_user_region_access.count', f_count);
              v.setUint32(o + 12, f_count, true);
              const tail = s.data;
              if (tail.length !== f_count) encodeLength('vfio_user_region_access.count', f_count, tail.length);
              b.set(tail, o + 16);
              if (16 + tail.length !== n) badShape('RegionWriteCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 11: {
              if (opt.dialect === 'qemu') {
                const s = body as DmaReadCommandBody_qemu;
                if (typeof s !== 'object' || s === null) badShape('DmaReadCommandBody_qemu must be an object');
                const n = 16;
                if (n > room) return noRoom(16 + n, at, target.length);
                const f_offset = s.offset;
                if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('VFIOUserDMARW.offset', f_offset);
                v.setBigUint64(o, f_offset, true);
                const f_count = s.count;
                if (f_count >>> 0 !== f_count) badField('VFIOUserDMARW.count', f_count);
                v.setUint32(o + 8, f_count, true);
                b.fill(0, o + 12, o + 16);
                if (16 !== n) badShape('DmaReadCommandBody_qemu: wrote a different size than it measured');
                { len = n; break sized; }
              }
              const s = body as DmaReadCommandBody;
              if (typeof s !== 'object' || s === null) badShape('DmaReadCommandBody must be an object');
              const n = 16;
              if (n > room) return noRoom(16 + n, at, target.length);
              const f_addr = s.addr;
              if (typeof f_addr !== 'bigint' || f_addr < 0n || f_addr > 0xffffffffffffffffn) badField('vfio_user_dma_region_access.addr', f_addr);
              v.setBigUint64(o, f_addr, true);
              const f_count = s.count;
              if (typeof f_count !== 'bigint' || f_count < 0n || f_count > 0xffffffffffffffffn) badField('vfio_user_dma_region_access.count', f_count);
              v.setBigUint64(o + 8, f_count, true);
              if (16 !== n) badShape('DmaReadCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 12: {
              if (opt.dialect === 'qemu') {
                const s = body as DmaWriteCommandBody_qemu;
                if (typeof s !== 'object' || s === null) badShape('DmaWriteCommandBody_qemu must be an object');
                const n = 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
                if (n > room) return noRoom(16 + n, at, target.length);
                const f_offset = s.offset;
                if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('VFIOUserDMARW.offset', f_offset);
                v.setBigUint64(o, f_offset, true);
                const f_count = s.count;
                if (f_count >>> 0 !== f_count) badField('VFIOUserDMARW.count', f_count);
                v.setUint32(o + 8, f_count, true);
                const tail = s.data;
                if (tail.length !== f_count) encodeLength('VFIOUserDMARW.count', f_count, tail.length);
                b.set(tail, o + 12);
                b.fill(0, o + 12 + tail.length, o + 16 + tail.length);
                if (16 + tail.length !== n) badShape('DmaWriteCommandBody_qemu: wrote a different size than it measured');
                { len = n; break sized; }
              }
              const s = body as DmaWriteCommandBody;
              if (typeof s !== 'object' || s === null) badShape('DmaWriteCommandBody must be an object');
              const n = 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
              if (n > room) return noRoom(16 + n, at, target.length);
              const f_addr = s.addr;
              if (typeof f_addr !== 'bigint' || f_addr < 0n || f_addr > 0xffffffffffffffffn) badField('vfio_user_dma_region_access.addr', f_addr);
              v.setBigUint64(o, f_addr, true);
              const f_count = s.count;
              if (typeof f_count !== 'bigint' || f_count < 0n || f_count > 0xffffffffffffffffn) badField('vfio_user_dma_region_access.count', f_count);
              v.setBigUint64(o + 8, f_count, true);
              const tail = s.data;
              if (tail.length !== Number(f_count)) encodeLength('vfio_user_dma_region_access.count', Number(f_count), tail.length);
              b.set(tail, o + 16);
              if (16 + tail.length !== n) badShape('DmaWriteCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 13: {
              if (body !== null) badShape('DeviceResetCommandBody must be null');
              { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
            }
            case 14: {
              const s = body as DirtyPagesCommandBody;
              if (typeof s !== 'object' || s === null) badShape('DirtyPagesCommandBody must be an object');
              const n = 8 + (s.range === null ? 0 : typeof s.range === 'object' ? 32 : badShape('range must be an object or null'));
              if (n > room) return noRoom(16 + n, at, target.length);
              const f_argsz = s.argsz;
              if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_dirty_pages.argsz', f_argsz);
              v.setUint32(o, f_argsz, true);
              const f_flags = s.flags;
              if (f_flags >>> 0 !== f_flags) badField('vfio_user_dirty_pages.flags', f_flags);
              v.setUint32(o + 4, f_flags, true);
              const x = s.range;
              let w = 8;
              if ((f_flags & 0x4) === 0) {
                if (x !== null) badShape('range must be null without VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP');
              } else {
                if (x === null) badShape('range is required with VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP');
                if (typeof x !== 'object' || x === null) badShape('vfio_user_bitmap_range must be an object');
                const x_iova = x.iova;
                if (typeof x_iova !== 'bigint' || x_iova < 0n || x_iova > 0xffffffffffffffffn) badField('vfio_user_bitmap_range.iova', x_iova);
                v.setBigUint64(o + 8, x_iova, true);
                const x_size = x.size;
                if (typeof x_size !== 'bigint' || x_size < 0n || x_size > 0xffffffffffffffffn) badField('vfio_user_bitmap_range.size', x_size);
                v.setBigUint64(o + 8 + 8, x_size, true);
                const x_bitmap = x.bitmap;
                if (typeof x_bitmap !== 'object' || x_bitmap === null) badShape('vfio_user_bitmap must be an object');
                const x_bitmap_pgsize = x_bitmap.pgsize;
                if (typeof x_bitmap_pgsize !== 'bigint' || x_bitmap_pgsize < 0n || x_bitmap_pgsize > 0xffffffffffffffffn) badField('vfio_user_bitmap.pgsize', x_bitmap_pgsize);
                v.setBigUint64(o + 8 + 16, x_bitmap_pgsize, true);
                const x_bitmap_size = x_bitmap.size;
                if (typeof x_bitmap_size !== 'bigint' || x_bitmap_size < 0n || x_bitmap_size > 0xffffffffffffffffn) badField('vfio_user_bitmap.size', x_bitmap_size);
                v.setBigUint64(o + 8 + 16 + 8, x_bitmap_size, true);
                w = 40;
              }
              if (w !== n) badShape('DirtyPagesCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 15: {
              const s = body as RegionWriteMultiCommandBody;
              if (typeof s !== 'object' || s === null) badShape('RegionWriteMultiCommandBody must be an object');
              const n = 8 + (Array.isArray(s.wrs) ? s.wrs.length * 24 : notArray('wrs'));
              if (n > room) return noRoom(16 + n, at, target.length);
              const f_wr_cnt = s.wr_cnt;
              if (typeof f_wr_cnt !== 'bigint' || f_wr_cnt < 0n || f_wr_cnt > 0xffffffffffffffffn) badField('VFIOUserWRMulti.wr_cnt', f_wr_cnt);
              v.setBigUint64(o, f_wr_cnt, true);
              const arr = s.wrs;
              if (arr.length !== Number(f_wr_cnt)) encodeLength('VFIOUserWRMulti.wr_cnt', Number(f_wr_cnt), arr.length);
              for (let i = 0; i < arr.length; i++) {
                const e = arr[i] as VFIOUserWROne;
                const p = o + 8 + i * 24;
                if (typeof e !== 'object' || e === null) badShape('VFIOUserWROne must be an object');
                const e_offset = e.offset;
                if (typeof e_offset !== 'bigint' || e_offset < 0n || e_offset > 0xffffffffffffffffn) badField('VFIOUserWROne.offset', e_offset);
                v.setBigUint64(p, e_offset, true);
                const e_region = e.region;
                if (e_region >>> 0 !== e_region) badField('VFIOUserWROne.region', e_region);
                v.setUint32(p + 8, e_region, true);
                const e_count = e.count;
                if (e_count >>> 0 !== e_count) badField('VFIOUserWROne.count', e_count);
                v.setUint32(p + 12, e_count, true);
                const e_data = e.data;
                if (!(e_data instanceof Uint8Array)) notBytes('VFIOUserWROne.data');
                if (e_data.length !== 8) badField('VFIOUserWROne.data', e_data);
                b.set(e_data, p + 16);
              }
              if (8 + arr.length * 24 !== n) badShape('RegionWriteMultiCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 16: {
              const s = body as DeviceFeatureCommandBody;
              if (typeof s !== 'object' || s === null) badShape('DeviceFeatureCommandBody must be an object');
              const sel = s.data;
              let sel_n: number;
              if (typeof sel !== 'object' || sel === null) badShape('DeviceFeatureData must be an object');
              switch (sel.kind) {
                case 'none':
                  sel_n = 0;
                  break;
                case 'dma_logging_report':
                  sel_n = 24 + checkBytes('bitmap', sel.bitmap).length;
                  break;
                case 'mig_state':
                  sel_n = 8;
                  break;
                case 'dma_logging_control':
                  sel_n = 16 + checkArray('ranges', sel.ranges).length * 16;
                  break;
                case 'migration':
                  sel_n = 8;
                  break;
                case 'raw':
                  sel_n = checkBytes('bytes', sel.bytes).length;
                  break;
                default:
                  sel_n = badShape(`unknown DeviceFeatureData kind ${String((sel as { kind?: unknown }).kind)}`);
              }
              const n = 8 + sel_n;
              if (n > room) return noRoom(16 + n, at, target.length);
              const f_argsz = s.argsz;
              if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_device_feature.argsz', f_argsz);
              v.setUint32(o, f_argsz, true);
              const f_flags = s.flags;
              if (f_flags >>> 0 !== f_flags) badField('vfio_user_device_feature.flags', f_flags);
              v.setUint32(o + 4, f_flags, true);
              const sw = s.data;
              let sw_n = 0;
              switch (sw.kind) {
                case 'none':
                  break;
                case 'dma_logging_report': {
                  if (typeof sw !== 'object' || sw === null) badShape('vfio_user_device_feature_dma_logging_report must be an object');
                  const sw_iova = sw.iova;
                  if (typeof sw_iova !== 'bigint' || sw_iova < 0n || sw_iova > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_report.iova', sw_iova);
                  v.setBigUint64(o + 8, sw_iova, true);
                  const sw_length = sw.length;
                  if (typeof sw_length !== 'bigint' || sw_length < 0n || sw_length > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_report.length', sw_length);
                  v.setBigUint64(o + 8 + 8, sw_length, true);
                  const sw_page_size = sw.page_size;
                  if (typeof sw_page_size !== 'bigint' || sw_page_size < 0n || sw_page_size > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_report.page_size', sw_page_size);
                  v.setBigUint64(o + 8 + 16, sw_page_size, true);
                  b.set(sw.bitmap, o + 8 + 24);
                  sw_n = 24 + sw.bitmap.length;
                  break;
                }
                case 'mig_state': {
                  if (typeof sw !== 'object' || sw === null) badShape('vfio_user_device_feature_mig_state must be an object');
                  const sw_device_state = sw.device_state;
                  if (sw_device_state >>> 0 !== sw_device_state) badField('vfio_user_device_feature_mig_state.device_state', sw_device_state);
                  v.setUint32(o + 8, sw_device_state, true);
                  const sw_data_fd = sw.data_fd;
                  if (sw_data_fd >>> 0 !== sw_data_fd) badField('vfio_user_device_feature_mig_state.data_fd', sw_data_fd);
                  v.setUint32(o + 8 + 4, sw_data_fd, true);
                  sw_n = 8;
                  break;
                }
                case 'dma_logging_control': {
                  const arr = sw.ranges;
                  if (sw.num_ranges !== arr.length) encodeLength('vfio_user_device_feature_dma_logging_control.num_ranges', sw.num_ranges, arr.length);
                  if (typeof sw !== 'object' || sw === null) badShape('vfio_user_device_feature_dma_logging_control must be an object');
                  const sw_page_size = sw.page_size;
                  if (typeof sw_page_size !== 'bigint' || sw_page_size < 0n || sw_page_size > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_control.page_size', sw_page_size);
                  v.setBigUint64(o + 8, sw_page_size, true);
                  const sw_num_ranges = sw.num_ranges;
                  if (sw_num_ranges >>> 0 !== sw_num_ranges) badField('vfio_user_device_feature_dma_logging_control.num_ranges', sw_num_ranges);
                  v.setUint32(o + 8 + 8, sw_num_ranges, true);
                  const sw_reserved = sw.reserved;
                  if (sw_reserved >>> 0 !== sw_reserved) badField('vfio_user_device_feature_dma_logging_control.reserved', sw_reserved);
                  v.setUint32(o + 8 + 12, sw_reserved, true);
                  for (let i = 0; i < arr.length; i++) {
                    const e = arr[i]!;
                    const p = o + 8 + 16 + i * 16;
                    if (typeof e !== 'object' || e === null) badShape('vfio_user_device_feature_dma_logging_range must be an object');
                    const e_iova = e.iova;
                    if (typeof e_iova !== 'bigint' || e_iova < 0n || e_iova > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_range.iova', e_iova);
                    v.setBigUint64(p, e_iova, true);
                    const e_length = e.length;
                    if (typeof e_length !== 'bigint' || e_length < 0n || e_length > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_range.length', e_length);
                    v.setBigUint64(p + 8, e_length, true);
                  }
                  sw_n = 16 + arr.length * 16;
                  break;
                }
                case 'migration': {
                  if (typeof sw !== 'object' || sw === null) badShape('vfio_user_device_feature_migration must be an object');
                  const sw_flags = sw.flags;
                  if (typeof sw_flags !== 'bigint' || sw_flags < 0n || sw_flags > 0xffffffffffffffffn) badField('vfio_user_device_feature_migration.flags', sw_flags);
                  v.setBigUint64(o + 8, sw_flags, true);
                  sw_n = 8;
                  break;
                }
                case 'raw':
                  b.set(sw.bytes, o + 8);
                  sw_n = sw.bytes.length;
                  break;
              }
              if (8 + sw_n !== n) badShape('DeviceFeatureCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 17: {
              const s = body as MigDataReadCommandBody;
              if (typeof s !== 'object' || s === null) badShape('MigDataReadCommandBody must be an object');
              const n = 8;
              if (n > room) return noRoom(16 + n, at, target.length);
              const f_argsz = s.argsz;
              if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_mig_data.argsz', f_argsz);
              v.setUint32(o, f_argsz, true);
              const f_size = s.size;
              if (f_size >>> 0 !== f_size) badField('vfio_user_mig_data.size', f_size);
              v.setUint32(o + 4, f_size, true);
              if (8 !== n) badShape('MigDataReadCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 18: {
              const s = body as MigDataWriteCommandBody;
              if (typeof s !== 'object' || s === null) badShape('MigDataWriteCommandBody must be an object');
              const n = 8 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
              if (n > room) return noRoom(16 + n, at, target.length);
              const f_argsz = s.argsz;
              if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_mig_data.argsz', f_argsz);
              v.setUint32(o, f_argsz, true);
              const f_size = s.size;
              if (f_size >>> 0 !== f_size) badField('vfio_user_mig_data.size', f_size);
              v.setUint32(o + 4, f_size, true);
              const tail = s.data;
              if (tail.length !== f_size) encodeLength('vfio_user_mig_data.size', f_size, tail.length);
              b.set(tail, o + 8);
              if (8 + tail.length !== n) badShape('MigDataWriteCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 19: {
              const s = body as IommufdAllocIoasCommandBody;
              if (typeof s !== 'object' || s === null) badShape('IommufdAllocIoasCommandBody must be an object');
              const n = 16;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (16 !== n) badShape('IommufdAllocIoasCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 20: {
              const s = body as IommufdDestroyIoasCommandBody;
              if (typeof s !== 'object' || s === null) badShape('IommufdDestroyIoasCommandBody must be an object');
              const n = 16;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (16 !== n) badShape('IommufdDestroyIoasCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 21: {
              const s = body as IommufdIoasMapCommandBody;
              if (typeof s !== 'object' || s === null) badShape('IommufdIoasMapCommandBody must be an object');
              const n = 48;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (48 !== n) badShape('IommufdIoasMapCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 22: {
              const s = body as IommufdIoasUnmapCommandBody;
              if (typeof s !== 'object' || s === null) badShape('IommufdIoasUnmapCommandBody must be an object');
              const n = 32;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (32 !== n) badShape('IommufdIoasUnmapCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 23: {
              const s = body as IommufdIoasCopyCommandBody;
              if (typeof s !== 'object' || s === null) badShape('IommufdIoasCopyCommandBody must be an object');
              const n = 40;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (40 !== n) badShape('IommufdIoasCopyCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 24: {
              const s = body as IommufdBindCommandBody;
              if (typeof s !== 'object' || s === null) badShape('IommufdBindCommandBody must be an object');
              const n = 16;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (16 !== n) badShape('IommufdBindCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 25: {
              const s = body as IommufdAttachPtCommandBody;
              if (typeof s !== 'object' || s === null) badShape('IommufdAttachPtCommandBody must be an object');
              const n = 16;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (16 !== n) badShape('IommufdAttachPtCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 26: {
              const s = body as IommufdDetachPtCommandBody;
              if (typeof s !== 'object' || s === null) badShape('IommufdDetachPtCommandBody must be an object');
              const n = 16;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (16 !== n) badShape('IommufdDetachPtCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 27: {
              const s = body as IommufdIoasIovaRangesCommandBody;
              if (typeof s !== 'object' || s === null) badShape('IommufdIoasIovaRangesCommandBody must be an object');
              const n = 24;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (24 !== n) badShape('IommufdIoasIovaRangesCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 28: {
              const s = body as IommufdIoasSetDirtyTrackingCommandBody;
              if (typeof s !== 'object' || s === null) badShape('IommufdIoasSetDirtyTrackingCommandBody must be an object');
              const n = 16;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (16 !== n) badShape('IommufdIoasSetDirtyTrackingCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            case 29: {
              const s = body as IommufdIoasGetDirtyBitmapCommandBody;
              if (typeof s !== 'object' || s === null) badShape('IommufdIoasGetDirtyBitmapCommandBody must be an object');
              const n = 40;
              if (n > room) return noRoom(16 + n, at, target.length);
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
              if (40 !== n) badShape('IommufdIoasGetDirtyBitmapCommandBody: wrote a different size than it measured');
              { len = n; break sized; }
            }
            default:
              return unknownCommand(cmd);
          }
        }
        switch (cmd) {
          case 1: {
            const s = body as VersionReplyBody;
            if (typeof s !== 'object' || s === null) badShape('VersionReplyBody must be an object');
            const n = 4 + (s.data instanceof Uint8Array ? (s.data.length === 0 ? 0 : s.data.length + 1) : notBytes('data'));
            if (n > room) return noRoom(16 + n, at, target.length);
            const f_major = s.major;
            if ((f_major & 0xffff) !== f_major) badField('vfio_user_version.major', f_major);
            v.setUint16(o, f_major, true);
            const f_minor = s.minor;
            if ((f_minor & 0xffff) !== f_minor) badField('vfio_user_version.minor', f_minor);
            v.setUint16(o + 2, f_minor, true);
            const tail = s.data;
            if (tail.length !== 0) {
              b.set(tail, o + 4);
              b[o + 4 + tail.length] = 0;
            }
            if (4 + (tail.length === 0 ? 0 : tail.length + 1) !== n) badShape('VersionReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 2: {
            if (body !== null) badShape('DmaMapReplyBody must be null');
            { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
          }
          case 3: {
            if (opt.dialect === 'rust-vmm') {
              const s = body as DmaUnmapReplyBody_rust_vmm;
              if (typeof s !== 'object' || s === null) badShape('DmaUnmapReplyBody_rust_vmm must be an object');
              const n = 24 + (s.bitmap === null ? 0 : typeof s.bitmap === 'object' ? 16 + (s.bitmap.data instanceof Uint8Array ? s.bitmap.data.length : notBytes('bitmap.data')) : badShape('bitmap must be an object or null'));
              if (n > room) return noRoom(16 + n, at, target.length);
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
              const x = s.bitmap;
              let w = 24;
              if ((f_flags & 0x1) === 0) {
                if (x !== null) badShape('bitmap must be null without VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP');
              } else {
                if (x === null) badShape('bitmap is required with VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP');
                if (typeof x !== 'object' || x === null) badShape('vfio_user_bitmap must be an object');
                const x_pgsize = x.pgsize;
                if (typeof x_pgsize !== 'bigint' || x_pgsize < 0n || x_pgsize > 0xffffffffffffffffn) badField('vfio_user_bitmap.pgsize', x_pgsize);
                v.setBigUint64(o + 24, x_pgsize, true);
                const x_size = x.size;
                if (typeof x_size !== 'bigint' || x_size < 0n || x_size > 0xffffffffffffffffn) badField('vfio_user_bitmap.size', x_size);
                v.setBigUint64(o + 24 + 8, x_size, true);
                const d = x.data;
                if (!(x_size <= 0x1fffffffffffffn && Number(x_size) === d.length)) encodeLength('vfio_user_bitmap.size', x_size, d.length);
                b.set(d, o + 40);
                w = 40 + d.length;
              }
              if (w !== n) badShape('DmaUnmapReplyBody_rust_vmm: wrote a different size than it measured');
              { len = n; break sized; }
            }
            const s = body as DmaUnmapReplyBody;
            if (typeof s !== 'object' || s === null) badShape('DmaUnmapReplyBody must be an object');
            const n = 24 + (s.bitmap === null ? 0 : typeof s.bitmap === 'object' ? 16 + (s.bitmap.data instanceof Uint8Array ? s.bitmap.data.length : notBytes('bitmap.data')) : badShape('bitmap must be an object or null'));
            if (n > room) return noRoom(16 + n, at, target.length);
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
            const x = s.bitmap;
            let w = 24;
            if ((f_flags & 0x1) === 0) {
              if (x !== null) badShape('bitmap must be null without VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP');
            } else {
              if (x === null) badShape('bitmap is required with VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP');
              if (typeof x !== 'object' || x === null) badShape('vfio_user_bitmap must be an object');
              const x_pgsize = x.pgsize;
              if (typeof x_pgsize !== 'bigint' || x_pgsize < 0n || x_pgsize > 0xffffffffffffffffn) badField('vfio_user_bitmap.pgsize', x_pgsize);
              v.setBigUint64(o + 24, x_pgsize, true);
              const x_size = x.size;
              if (typeof x_size !== 'bigint' || x_size < 0n || x_size > 0xffffffffffffffffn) badField('vfio_user_bitmap.size', x_size);
              v.setBigUint64(o + 24 + 8, x_size, true);
              const d = x.data;
              if (!(x_size <= 0x1fffffffffffffn && Number(x_size) === d.length)) encodeLength('vfio_user_bitmap.size', x_size, d.length);
              b.set(d, o + 40);
              w = 40 + d.length;
            }
            if (w !== n) badShape('DmaUnmapReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 4: {
            const s = body as DeviceGetInfoReplyBody;
            if (typeof s !== 'object' || s === null) badShape('DeviceGetInfoReplyBody must be an object');
            const n = 16;
            if (n > room) return noRoom(16 + n, at, target.length);
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
            if (16 !== n) badShape('DeviceGetInfoReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 5: {
            const s = body as DeviceGetRegionInfoReplyBody;
            if (typeof s !== 'object' || s === null) badShape('DeviceGetRegionInfoReplyBody must be an object');
            const n = 32 + chainLength(s.cap_offset, s.caps, CHAIN_RegionCap);
            if (n > room) return noRoom(16 + n, at, target.length);
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
            if (32 + encodeChain(v, b, o, s.cap_offset, s.caps, CHAIN_RegionCap) !== n) badShape('DeviceGetRegionInfoReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 6: {
            const s = body as DeviceGetRegionIoFdsReplyBody;
            if (typeof s !== 'object' || s === null) badShape('DeviceGetRegionIoFdsReplyBody must be an object');
            const ua = checkArray('sub_region', s.sub_regions);
            const ua_stride = ua.length === 0 ? 0 : stride_sub_region(ua);
            const n = 16 + ua.length * ua_stride;
            if (n > room) return noRoom(16 + n, at, target.length);
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
            const arr = s.sub_regions;
            if (arr.length !== f_count && arr.length !== 0) encodeLength('vfio_user_region_io_fds_reply.count', f_count, arr.length);
            const stride = ua_stride;
            for (let i = 0; i < arr.length; i++) {
              if (stride === 48) {
                const e = arr[i] as vfio_user_sub_region_ioeventfd;
                const p = o + 16 + i * 48;
                if (typeof e !== 'object' || e === null) badShape('vfio_user_sub_region_ioeventfd must be an object');
                const e_gpa_offset = e.gpa_offset;
                if (typeof e_gpa_offset !== 'bigint' || e_gpa_offset < 0n || e_gpa_offset > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioeventfd.gpa_offset', e_gpa_offset);
                v.setBigUint64(p, e_gpa_offset, true);
                const e_size = e.size;
                if (typeof e_size !== 'bigint' || e_size < 0n || e_size > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioeventfd.size', e_size);
                v.setBigUint64(p + 8, e_size, true);
                const e_fd_index = e.fd_index;
                if (e_fd_index >>> 0 !== e_fd_index) badField('vfio_user_sub_region_ioeventfd.fd_index', e_fd_index);
                v.setUint32(p + 16, e_fd_index, true);
                const e_type = e.type;
                if (e_type >>> 0 !== e_type) badField('vfio_user_sub_region_ioeventfd.type', e_type);
                v.setUint32(p + 20, e_type, true);
                const e_flags = e.flags;
                if (e_flags >>> 0 !== e_flags) badField('vfio_user_sub_region_ioeventfd.flags', e_flags);
                v.setUint32(p + 24, e_flags, true);
                const e_shadow_mem_fd_index = e.shadow_mem_fd_index;
                if (e_shadow_mem_fd_index >>> 0 !== e_shadow_mem_fd_index) badField('vfio_user_sub_region_ioeventfd.shadow_mem_fd_index', e_shadow_mem_fd_index);
                v.setUint32(p + 28, e_shadow_mem_fd_index, true);
                const e_shadow_offset = e.shadow_offset;
                if (typeof e_shadow_offset !== 'bigint' || e_shadow_offset < 0n || e_shadow_offset > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioeventfd.shadow_offset', e_shadow_offset);
                v.setBigUint64(p + 32, e_shadow_offset, true);
                const e_datamatch = e.datamatch;
                if (typeof e_datamatch !== 'bigint' || e_datamatch < 0n || e_datamatch > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioeventfd.datamatch', e_datamatch);
                v.setBigUint64(p + 40, e_datamatch, true);
              } else {
                const e = arr[i] as vfio_user_sub_region_ioregionfd;
                const p = o + 16 + i * 40;
                if (typeof e !== 'object' || e === null) badShape('vfio_user_sub_region_ioregionfd must be an object');
                const e_offset = e.offset;
                if (typeof e_offset !== 'bigint' || e_offset < 0n || e_offset > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioregionfd.offset', e_offset);
                v.setBigUint64(p, e_offset, true);
                const e_size = e.size;
                if (typeof e_size !== 'bigint' || e_size < 0n || e_size > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioregionfd.size', e_size);
                v.setBigUint64(p + 8, e_size, true);
                const e_fd_index = e.fd_index;
                if (e_fd_index >>> 0 !== e_fd_index) badField('vfio_user_sub_region_ioregionfd.fd_index', e_fd_index);
                v.setUint32(p + 16, e_fd_index, true);
                const e_type = e.type;
                if (e_type >>> 0 !== e_type) badField('vfio_user_sub_region_ioregionfd.type', e_type);
                v.setUint32(p + 20, e_type, true);
                const e_flags = e.flags;
                if (e_flags >>> 0 !== e_flags) badField('vfio_user_sub_region_ioregionfd.flags', e_flags);
                v.setUint32(p + 24, e_flags, true);
                const e_padding = e.padding;
                if (e_padding >>> 0 !== e_padding) badField('vfio_user_sub_region_ioregionfd.padding', e_padding);
                v.setUint32(p + 28, e_padding, true);
                const e_user_data = e.user_data;
                if (typeof e_user_data !== 'bigint' || e_user_data < 0n || e_user_data > 0xffffffffffffffffn) badField('vfio_user_sub_region_ioregionfd.user_data', e_user_data);
                v.setBigUint64(p + 32, e_user_data, true);
              }
            }
            if (16 + arr.length * stride !== n) badShape('DeviceGetRegionIoFdsReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 7: {
            const s = body as DeviceGetIrqInfoReplyBody;
            if (typeof s !== 'object' || s === null) badShape('DeviceGetIrqInfoReplyBody must be an object');
            const n = 16;
            if (n > room) return noRoom(16 + n, at, target.length);
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
            if (16 !== n) badShape('DeviceGetIrqInfoReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 8: {
            if (body !== null) badShape('DeviceSetIrqsReplyBody must be null');
            { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
          }
          case 9: {
            const s = body as RegionReadReplyBody;
            if (s === null) { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
            if (typeof s !== 'object' || s === null) badShape('RegionReadReplyBody must be an object');
            const n = 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
            if (n > room) return noRoom(16 + n, at, target.length);
            const f_offset = s.offset;
            if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('vfio_user_region_access.offset', f_offset);
            v.setBigUint64(o, f_offset, true);
            const f_region = s.region;
            if (f_region >>> 0 !== f_region) badField('vfio_user_region_access.region', f_region);
            v.setUint32(o + 8, f_region, true);
            const f_count = s.count;
            if (f_count >>> 0 !== f_count) badField('vfio_user_region_access.count', f_count);
            v.setUint32(o + 12, f_count, true);
            const tail = s.data;
            if (tail.length !== f_count) encodeLength('vfio_user_region_access.count', f_count, tail.length);
            b.set(tail, o + 16);
            if (16 + tail.length !== n) badShape('RegionReadReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 10: {
            const s = body as RegionWriteReplyBody;
            if (s === null) { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
            if (typeof s !== 'object' || s === null) badShape('RegionWriteReplyBody must be an object');
            const n = 16;
            if (n > room) return noRoom(16 + n, at, target.length);
            const f_offset = s.offset;
            if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('vfio_user_region_access.offset', f_offset);
            v.setBigUint64(o, f_offset, true);
            const f_region = s.region;
            if (f_region >>> 0 !== f_region) badField('vfio_user_region_access.region', f_region);
            v.setUint32(o + 8, f_region, true);
            const f_count = s.count;
            if (f_count >>> 0 !== f_count) badField('vfio_user_region_access.count', f_count);
            v.setUint32(o + 12, f_count, true);
            if (16 !== n) badShape('RegionWriteReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 11: {
            if (opt.dialect === 'qemu') {
              const s = body as DmaReadReplyBody_qemu;
              if (typeof s !== 'object' || s === null) badShape('DmaReadReplyBody_qemu must be an object');
              const n = 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
              if (n > room) return noRoom(16 + n, at, target.length);
              const f_offset = s.offset;
              if (typeof f_offset !== 'bigint' || f_offset < 0n || f_offset > 0xffffffffffffffffn) badField('VFIOUserDMARW.offset', f_offset);
              v.setBigUint64(o, f_offset, true);
              const f_count = s.count;
              if (f_count >>> 0 !== f_count) badField('VFIOUserDMARW.count', f_count);
              v.setUint32(o + 8, f_count, true);
              const tail = s.data;
              if (tail.length !== f_count) encodeLength('VFIOUserDMARW.count', f_count, tail.length);
              b.set(tail, o + 12);
              b.fill(0, o + 12 + tail.length, o + 16 + tail.length);
              if (16 + tail.length !== n) badShape('DmaReadReplyBody_qemu: wrote a different size than it measured');
              { len = n; break sized; }
            }
            const s = body as DmaReadReplyBody;
            if (typeof s !== 'object' || s === null) badShape('DmaReadReplyBody must be an object');
            const n = 16 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
            if (n > room) return noRoom(16 + n, at, target.length);
            const f_addr = s.addr;
            if (typeof f_addr !== 'bigint' || f_addr < 0n || f_addr > 0xffffffffffffffffn) badField('vfio_user_dma_region_access.addr', f_addr);
            v.setBigUint64(o, f_addr, true);
            const f_count = s.count;
            if (typeof f_count !== 'bigint' || f_count < 0n || f_count > 0xffffffffffffffffn) badField('vfio_user_dma_region_access.count', f_count);
            v.setBigUint64(o + 8, f_count, true);
            const tail = s.data;
            if (tail.length !== Number(f_count)) encodeLength('vfio_user_dma_region_access.count', Number(f_count), tail.length);
            b.set(tail, o + 16);
            if (16 + tail.length !== n) badShape('DmaReadReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 12: {
            if (opt.dialect === 'qemu') {
              if (body !== null) badShape('DmaWriteReplyBody_qemu must be null');
              { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
            }
            const s = body as DmaWriteReplyBody;
            if (typeof s !== 'object' || s === null) badShape('DmaWriteReplyBody must be an object');
            const n = 16;
            if (n > room) return noRoom(16 + n, at, target.length);
            const f_addr = s.addr;
            if (typeof f_addr !== 'bigint' || f_addr < 0n || f_addr > 0xffffffffffffffffn) badField('vfio_user_dma_region_access.addr', f_addr);
            v.setBigUint64(o, f_addr, true);
            const f_count = s.count;
            if (typeof f_count !== 'bigint' || f_count < 0n || f_count > 0xffffffffffffffffn) badField('vfio_user_dma_region_access.count', f_count);
            v.setBigUint64(o + 8, f_count, true);
            if (16 !== n) badShape('DmaWriteReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 13: {
            if (body !== null) badShape('DeviceResetReplyBody must be null');
            { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
          }
          case 14: {
            const s = body as DirtyPagesReplyBody;
            if (s === null) { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
            if (typeof s !== 'object' || s === null) badShape('DirtyPagesReplyBody must be an object');
            const n = 8 + (s.range === null ? 0 : typeof s.range === 'object' ? 32 + (s.range.data instanceof Uint8Array ? s.range.data.length : notBytes('range.data')) : badShape('range must be an object or null'));
            if (n > room) return noRoom(16 + n, at, target.length);
            const f_argsz = s.argsz;
            if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_dirty_pages.argsz', f_argsz);
            v.setUint32(o, f_argsz, true);
            const f_flags = s.flags;
            if (f_flags >>> 0 !== f_flags) badField('vfio_user_dirty_pages.flags', f_flags);
            v.setUint32(o + 4, f_flags, true);
            const x = s.range;
            let w = 8;
            if ((f_flags & 0x4) === 0) {
              if (x !== null) badShape('range must be null without VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP');
            } else {
              if (x === null) badShape('range is required with VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP');
              if (typeof x !== 'object' || x === null) badShape('vfio_user_bitmap_range must be an object');
              const x_iova = x.iova;
              if (typeof x_iova !== 'bigint' || x_iova < 0n || x_iova > 0xffffffffffffffffn) badField('vfio_user_bitmap_range.iova', x_iova);
              v.setBigUint64(o + 8, x_iova, true);
              const x_size = x.size;
              if (typeof x_size !== 'bigint' || x_size < 0n || x_size > 0xffffffffffffffffn) badField('vfio_user_bitmap_range.size', x_size);
              v.setBigUint64(o + 8 + 8, x_size, true);
              const x_bitmap = x.bitmap;
              if (typeof x_bitmap !== 'object' || x_bitmap === null) badShape('vfio_user_bitmap must be an object');
              const x_bitmap_pgsize = x_bitmap.pgsize;
              if (typeof x_bitmap_pgsize !== 'bigint' || x_bitmap_pgsize < 0n || x_bitmap_pgsize > 0xffffffffffffffffn) badField('vfio_user_bitmap.pgsize', x_bitmap_pgsize);
              v.setBigUint64(o + 8 + 16, x_bitmap_pgsize, true);
              const x_bitmap_size = x_bitmap.size;
              if (typeof x_bitmap_size !== 'bigint' || x_bitmap_size < 0n || x_bitmap_size > 0xffffffffffffffffn) badField('vfio_user_bitmap.size', x_bitmap_size);
              v.setBigUint64(o + 8 + 16 + 8, x_bitmap_size, true);
              const d = x.data;
              if (!(x_bitmap.size <= 0x1fffffffffffffn && Number(x_bitmap.size) === d.length)) encodeLength('vfio_user_bitmap_range.bitmap.size', x_bitmap.size, d.length);
              b.set(d, o + 40);
              w = 40 + d.length;
            }
            if (w !== n) badShape('DirtyPagesReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 15: {
            const s = body as RegionWriteMultiReplyBody;
            if (typeof s !== 'object' || s === null) badShape('RegionWriteMultiReplyBody must be an object');
            const n = 8;
            if (n > room) return noRoom(16 + n, at, target.length);
            const f_wr_cnt = s.wr_cnt;
            if (typeof f_wr_cnt !== 'bigint' || f_wr_cnt < 0n || f_wr_cnt > 0xffffffffffffffffn) badField('VFIOUserWRMulti.wr_cnt', f_wr_cnt);
            v.setBigUint64(o, f_wr_cnt, true);
            if (8 !== n) badShape('RegionWriteMultiReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 16: {
            const s = body as DeviceFeatureReplyBody;
            if (typeof s !== 'object' || s === null) badShape('DeviceFeatureReplyBody must be an object');
            const sel = s.data;
            let sel_n: number;
            if (typeof sel !== 'object' || sel === null) badShape('DeviceFeatureData must be an object');
            switch (sel.kind) {
              case 'none':
                sel_n = 0;
                break;
              case 'dma_logging_report':
                sel_n = 24 + checkBytes('bitmap', sel.bitmap).length;
                break;
              case 'mig_state':
                sel_n = 8;
                break;
              case 'dma_logging_control':
                sel_n = 16 + checkArray('ranges', sel.ranges).length * 16;
                break;
              case 'migration':
                sel_n = 8;
                break;
              case 'raw':
                sel_n = checkBytes('bytes', sel.bytes).length;
                break;
              default:
                sel_n = badShape(`unknown DeviceFeatureData kind ${String((sel as { kind?: unknown }).kind)}`);
            }
            const n = 8 + sel_n;
            if (n > room) return noRoom(16 + n, at, target.length);
            const f_argsz = s.argsz;
            if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_device_feature.argsz', f_argsz);
            v.setUint32(o, f_argsz, true);
            const f_flags = s.flags;
            if (f_flags >>> 0 !== f_flags) badField('vfio_user_device_feature.flags', f_flags);
            v.setUint32(o + 4, f_flags, true);
            const sw = s.data;
            let sw_n = 0;
            switch (sw.kind) {
              case 'none':
                break;
              case 'dma_logging_report': {
                if (typeof sw !== 'object' || sw === null) badShape('vfio_user_device_feature_dma_logging_report must be an object');
                const sw_iova = sw.iova;
                if (typeof sw_iova !== 'bigint' || sw_iova < 0n || sw_iova > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_report.iova', sw_iova);
                v.setBigUint64(o + 8, sw_iova, true);
                const sw_length = sw.length;
                if (typeof sw_length !== 'bigint' || sw_length < 0n || sw_length > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_report.length', sw_length);
                v.setBigUint64(o + 8 + 8, sw_length, true);
                const sw_page_size = sw.page_size;
                if (typeof sw_page_size !== 'bigint' || sw_page_size < 0n || sw_page_size > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_report.page_size', sw_page_size);
                v.setBigUint64(o + 8 + 16, sw_page_size, true);
                b.set(sw.bitmap, o + 8 + 24);
                sw_n = 24 + sw.bitmap.length;
                break;
              }
              case 'mig_state': {
                if (typeof sw !== 'object' || sw === null) badShape('vfio_user_device_feature_mig_state must be an object');
                const sw_device_state = sw.device_state;
                if (sw_device_state >>> 0 !== sw_device_state) badField('vfio_user_device_feature_mig_state.device_state', sw_device_state);
                v.setUint32(o + 8, sw_device_state, true);
                const sw_data_fd = sw.data_fd;
                if (sw_data_fd >>> 0 !== sw_data_fd) badField('vfio_user_device_feature_mig_state.data_fd', sw_data_fd);
                v.setUint32(o + 8 + 4, sw_data_fd, true);
                sw_n = 8;
                break;
              }
              case 'dma_logging_control': {
                const arr = sw.ranges;
                if (sw.num_ranges !== arr.length) encodeLength('vfio_user_device_feature_dma_logging_control.num_ranges', sw.num_ranges, arr.length);
                if (typeof sw !== 'object' || sw === null) badShape('vfio_user_device_feature_dma_logging_control must be an object');
                const sw_page_size = sw.page_size;
                if (typeof sw_page_size !== 'bigint' || sw_page_size < 0n || sw_page_size > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_control.page_size', sw_page_size);
                v.setBigUint64(o + 8, sw_page_size, true);
                const sw_num_ranges = sw.num_ranges;
                if (sw_num_ranges >>> 0 !== sw_num_ranges) badField('vfio_user_device_feature_dma_logging_control.num_ranges', sw_num_ranges);
                v.setUint32(o + 8 + 8, sw_num_ranges, true);
                const sw_reserved = sw.reserved;
                if (sw_reserved >>> 0 !== sw_reserved) badField('vfio_user_device_feature_dma_logging_control.reserved', sw_reserved);
                v.setUint32(o + 8 + 12, sw_reserved, true);
                for (let i = 0; i < arr.length; i++) {
                  const e = arr[i]!;
                  const p = o + 8 + 16 + i * 16;
                  if (typeof e !== 'object' || e === null) badShape('vfio_user_device_feature_dma_logging_range must be an object');
                  const e_iova = e.iova;
                  if (typeof e_iova !== 'bigint' || e_iova < 0n || e_iova > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_range.iova', e_iova);
                  v.setBigUint64(p, e_iova, true);
                  const e_length = e.length;
                  if (typeof e_length !== 'bigint' || e_length < 0n || e_length > 0xffffffffffffffffn) badField('vfio_user_device_feature_dma_logging_range.length', e_length);
                  v.setBigUint64(p + 8, e_length, true);
                }
                sw_n = 16 + arr.length * 16;
                break;
              }
              case 'migration': {
                if (typeof sw !== 'object' || sw === null) badShape('vfio_user_device_feature_migration must be an object');
                const sw_flags = sw.flags;
                if (typeof sw_flags !== 'bigint' || sw_flags < 0n || sw_flags > 0xffffffffffffffffn) badField('vfio_user_device_feature_migration.flags', sw_flags);
                v.setBigUint64(o + 8, sw_flags, true);
                sw_n = 8;
                break;
              }
              case 'raw':
                b.set(sw.bytes, o + 8);
                sw_n = sw.bytes.length;
                break;
            }
            if (8 + sw_n !== n) badShape('DeviceFeatureReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 17: {
            const s = body as MigDataReadReplyBody;
            if (typeof s !== 'object' || s === null) badShape('MigDataReadReplyBody must be an object');
            const n = 8 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
            if (n > room) return noRoom(16 + n, at, target.length);
            const f_argsz = s.argsz;
            if (f_argsz >>> 0 !== f_argsz) badField('vfio_user_mig_data.argsz', f_argsz);
            v.setUint32(o, f_argsz, true);
            const f_size = s.size;
            if (f_size >>> 0 !== f_size) badField('vfio_user_mig_data.size', f_size);
            v.setUint32(o + 4, f_size, true);
            const tail = s.data;
            if (tail.length < f_size) encodeLength('vfio_user_mig_data.size', f_size, tail.length);
            b.set(tail, o + 8);
            if (8 + tail.length !== n) badShape('MigDataReadReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 18: {
            if (body !== null) badShape('MigDataWriteReplyBody must be null');
            { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
          }
          case 19: {
            const s = body as IommufdAllocIoasReplyBody;
            if (typeof s !== 'object' || s === null) badShape('IommufdAllocIoasReplyBody must be an object');
            const n = 16;
            if (n > room) return noRoom(16 + n, at, target.length);
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
            if (16 !== n) badShape('IommufdAllocIoasReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 20: {
            if (body !== null) badShape('IommufdDestroyIoasReplyBody must be null');
            { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
          }
          case 21: {
            const s = body as IommufdIoasMapReplyBody;
            if (typeof s !== 'object' || s === null) badShape('IommufdIoasMapReplyBody must be an object');
            const n = 48;
            if (n > room) return noRoom(16 + n, at, target.length);
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
            if (48 !== n) badShape('IommufdIoasMapReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 22: {
            if (body !== null) badShape('IommufdIoasUnmapReplyBody must be null');
            { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
          }
          case 23: {
            if (body !== null) badShape('IommufdIoasCopyReplyBody must be null');
            { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
          }
          case 24: {
            const s = body as IommufdBindReplyBody;
            if (typeof s !== 'object' || s === null) badShape('IommufdBindReplyBody must be an object');
            const n = 16;
            if (n > room) return noRoom(16 + n, at, target.length);
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
            if (16 !== n) badShape('IommufdBindReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 25: {
            if (body !== null) badShape('IommufdAttachPtReplyBody must be null');
            { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
          }
          case 26: {
            if (body !== null) badShape('IommufdDetachPtReplyBody must be null');
            { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
          }
          case 27: {
            const s = body as IommufdIoasIovaRangesReplyBody;
            if (typeof s !== 'object' || s === null) badShape('IommufdIoasIovaRangesReplyBody must be an object');
            const n = 24 + (Array.isArray(s.allowed_iovas) ? s.allowed_iovas.length * 16 : notArray('allowed_iovas'));
            if (n > room) return noRoom(16 + n, at, target.length);
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
            const arr = s.allowed_iovas;
            if (arr.length !== f_num_iovas && arr.length !== 0) encodeLength('vfio_user_iommufd_ioas_iova_ranges.num_iovas', f_num_iovas, arr.length);
            for (let i = 0; i < arr.length; i++) {
              const e = arr[i] as vfio_user_iommufd_iova_range;
              const p = o + 24 + i * 16;
              if (typeof e !== 'object' || e === null) badShape('vfio_user_iommufd_iova_range must be an object');
              const e_start = e.start;
              if (typeof e_start !== 'bigint' || e_start < 0n || e_start > 0xffffffffffffffffn) badField('vfio_user_iommufd_iova_range.start', e_start);
              v.setBigUint64(p, e_start, true);
              const e_last = e.last;
              if (typeof e_last !== 'bigint' || e_last < 0n || e_last > 0xffffffffffffffffn) badField('vfio_user_iommufd_iova_range.last', e_last);
              v.setBigUint64(p + 8, e_last, true);
            }
            if (24 + arr.length * 16 !== n) badShape('IommufdIoasIovaRangesReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          case 28: {
            if (body !== null) badShape('IommufdIoasSetDirtyTrackingReplyBody must be null');
            { v.setUint16(h + 0, msg_id, true); v.setUint16(h + 2, cmd, true); v.setUint32(h + 4, 16, true); v.setUint32(h + 8, flags, true); v.setUint32(h + 12, error_no, true); return 16; }
          }
          case 29: {
            const s = body as IommufdIoasGetDirtyBitmapReplyBody;
            if (typeof s !== 'object' || s === null) badShape('IommufdIoasGetDirtyBitmapReplyBody must be an object');
            const n = 40 + (s.data instanceof Uint8Array ? s.data.length : notBytes('data'));
            if (n > room) return noRoom(16 + n, at, target.length);
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
            const tail = s.data;
            if (f_page_size > 0n && BigInt(tail.length) !== bitmapBytes(f_length, f_page_size)) encodeLength('vfio_user_iommufd_ioas_get_dirty_bitmap.length / page_size', bitmapBytes(f_length, f_page_size), tail.length);
            b.set(tail, o + 40);
            if (40 + tail.length !== n) badShape('IommufdIoasGetDirtyBitmapReplyBody: wrote a different size than it measured');
            { len = n; break sized; }
          }
          default:
            return unknownCommand(cmd);
        }
      }
      if (len > 4294967279) tooLarge(16 + len);
      v.setUint16(h + 0, msg_id, true);
      v.setUint16(h + 2, cmd, true);
      v.setUint32(h + 4, 16 + len, true);
      v.setUint32(h + 8, flags, true);
      v.setUint32(h + 12, error_no, true);
      return 16 + len;
    }
    if (kind === 'error') {
      // Flags REPLY | ERROR, a Uint8Array body and fields that fit; anything else is checked in order by encodeOther.
      const n = body instanceof Uint8Array ? body.length : -1;
      if (
        n < 0 ||
        flags >>> 0 !== flags ||
        (flags & 0x2f) !== 0x21 ||
        !(at >= 0 && n <= target.length - at - 16) ||
        !Number.isInteger(at) ||
        (msg_id & 0xffff) !== msg_id ||
        (cmd & 0xffff) !== cmd ||
        error_no >>> 0 !== error_no
      ) {
        return offset === undefined ? encodeInto(message, target, 0, opt) : encodeOther(message, target, at, opt);
      }
      if (n !== 0) {
        // msg_size is a u32: a body this large is refused by encodeOther (tested only when there is a body).
        if (n > 4294967279) return encodeOther(message, target, at, opt);
        b.set(body as Uint8Array, h + 16);
      }
      v.setUint16(h + 0, msg_id, true);
      v.setUint16(h + 2, cmd, true);
      v.setUint32(h + 4, 16 + n, true);
      v.setUint32(h + 8, flags, true);
      v.setUint32(h + 12, error_no, true);
      return 16 + n;
    }
    return encodeOther(message, target, offset ?? 0, opt);
  } catch (e) {
    return wrongJsType(e, message);
  }
}

/** The default options, resolved once. */
const DEFAULT_OPTIONS = resolveOptions();

/**
 * The last target encodeInto wrote into and its views, remembered by the
 * Uint8Array itself: its buffer never changes, and reading `.buffer` is a
 * call into the runtime that V8 does not inline (about 8 ns per message).
 */
let lastTarget: Uint8Array | null = null;
let lastView: DataView = new DataView(new ArrayBuffer(0));
let lastBytes: Uint8Array = new Uint8Array(0);

/** Looks up and remembers the views of a target other than the last one. */
function rememberTarget(target: Uint8Array): DataView {
  if (!(target instanceof Uint8Array)) return badShape('target must be a Uint8Array');
  const { v, b } = viewsOf(target);
  lastTarget = target;
  lastView = v;
  lastBytes = b;
  return v;
}

/** The target has no room for the header at `offset`: throws, naming the whole message's size (its body checked first). */
function noRoomForMessage(m: Message, offset: number, target: Uint8Array, opt: ResolvedOptions): never {
  const n = (m.kind === 'reply' ? replyBodyLength : commandBodyLength)(m.cmd, m.body, opt);
  return n < 0 ? unknownCommand(m.cmd) : noRoom(16 + n, offset, target.length);
}

// Tail helpers ---------------------------------------------------------------

/** The stride of an array of sub_region: the size of the member whose own field the first element has; every element must be that member. */
function stride_sub_region(a: readonly unknown[]): number {
  const first = a[0];
  const k = typeof first === 'object' && first !== null && 'gpa_offset' in first ? 0 : 1;
  for (const e of a) {
    if (typeof e !== 'object' || e === null || ('gpa_offset' in e) !== (k === 0)) badShape('sub_region entries must all be vfio_user_sub_region_ioeventfd or vfio_user_sub_region_ioregionfd');
  }
  return k === 0 ? 48 : 40;
}

/** Bytes a DeviceFeatureData takes, after checking its shape. */
export function size_DeviceFeatureData(d: DeviceFeatureData): number {
  if (typeof d !== 'object' || d === null) return badShape('DeviceFeatureData must be an object');
  switch (d.kind) {
    case 'none':
      return 0;
    case 'dma_logging_report':
      return 24 + checkBytes('bitmap', d.bitmap).length;
    case 'mig_state':
      return 8;
    case 'dma_logging_control':
      return 16 + checkArray('ranges', d.ranges).length * 16;
    case 'migration':
      return 8;
    case 'raw':
      return checkBytes('bytes', d.bytes).length;
    default:
      return badShape(`unknown DeviceFeatureData kind ${String((d as { kind?: unknown }).kind)}`);
  }
}

/** Decodes the capability at `p` (from the struct at `o`), which must end exactly at `end`. */
function dec_RegionCap(v: DataView, o: number, p: number, end: number, m0: number, opt: ResolvedOptions): RegionCap {
  const c = o + p;
  const id = v.getUint16(c, true);
  let size: number;
  let cap: RegionCap;
  if (id === 1) {
    if (end - p < 16) capCut(p, c, m0, 5);
    const k_header = { id: v.getUint16(c, true), version: v.getUint16(c + 2, true), next: v.getUint32(c + 4, true) };
    const k_nr_areas = v.getUint32(c + 8, true);
    const k_reserved = v.getUint32(c + 12, true);
    if (k_nr_areas > opt.limits.maxSparseAreas) limitExceeded('maxSparseAreas', opt.limits.maxSparseAreas, k_nr_areas, c + 8 - m0, 5);
    size = 16 + k_nr_areas * 16;
    if (p + size > end) capOverrun(p, k_nr_areas, end, c + 8, m0, 5);
    const arr: vfio_region_sparse_mmap_area[] = new Array(k_nr_areas);
    for (let i = 0; i < k_nr_areas; i++) arr[i] = { offset: v.getBigUint64(c + 16 + i * 16, true), size: v.getBigUint64(c + 16 + i * 16 + 8, true) };
    cap = { kind: 'sparse_mmap', header: k_header, nr_areas: k_nr_areas, reserved: k_reserved, areas: arr };
  } else if (id === 2) {
    size = 16;
    if (p + size > end) capCut(p, c, m0, 5);
    const k_header = { id: v.getUint16(c, true), version: v.getUint16(c + 2, true), next: v.getUint32(c + 4, true) };
    const k_type = v.getUint32(c + 8, true);
    const k_subtype = v.getUint32(c + 12, true);
    cap = { kind: 'type', header: k_header, type: k_type, subtype: k_subtype };
  } else if (id === 3) {
    size = 8;
    cap = { kind: 'msix_mappable', header: { id: v.getUint16(c, true), version: v.getUint16(c + 2, true), next: v.getUint32(c + 4, true) } };
  } else {
    size = end - p;
    // The next capability may start inside this one's header.
    if (size < 8) capOverlap(p, end, c, m0, 5);
    cap = { kind: 'raw', header: { id: v.getUint16(c, true), version: v.getUint16(c + 2, true), next: v.getUint32(c + 4, true) }, data: view(v, c + 8, size - 8) };
  }
  if (p + size !== end) capGap(p + size, end, o + p + size, m0, 5);
  return cap;
}

/** Bytes a RegionCap takes, after checking its shape. */
function size_RegionCap(cap: RegionCap): number {
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

/** Writes a RegionCap, header included, at absolute offset `c`. */
function write_RegionCap(v: DataView, b: Uint8Array, c: number, cap: RegionCap): void {
  switch (cap.kind) {
    case 'sparse_mmap':
      if (cap.nr_areas !== cap.areas.length) encodeLength('vfio_region_info_cap_sparse_mmap.nr_areas', cap.nr_areas, cap.areas.length);
      write_vfio_region_info_cap_sparse_mmap(v, b, c, cap);
      for (let i = 0; i < cap.areas.length; i++) write_vfio_region_sparse_mmap_area(v, b, c + 16 + i * 16, cap.areas[i]!);
      return;
    case 'type':
      write_vfio_region_info_cap_type(v, b, c, cap);
      return;
    case 'msix_mappable':
      write_vfio_info_cap_header(v, b, c, cap.header);
      return;
    case 'raw':
      write_vfio_info_cap_header(v, b, c, cap.header);
      b.set(cap.data, c + 8);
  }
}

/** The caps chain of vfio_region_info. */
const CHAIN_RegionCap: Chain<RegionCap> = { s: 32, flagAt: 4, firstAt: 12, limit: 'maxRegionCaps', cmd: 5, decode: dec_RegionCap, size: size_RegionCap, write: write_RegionCap };
