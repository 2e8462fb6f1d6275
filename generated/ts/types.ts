// Generated from spec/ by generator/types.ts (npm run generate). Do not edit.

import type { JsonObject } from '../../src/json.js';

/** Every limit on a length taken from the wire (spec/limits.ts `limits`). */
export interface Limits {
  /** Largest msg_size accepted, header included: 16 + 16 + 1 MiB. Default 1048608. */
  readonly maxMessageSize: number;
  /** Largest data count of REGION_READ/WRITE, DMA_READ/WRITE and MIG_DATA_READ/WRITE; the default of the max_data_xfer_size capability. Default 1048576. */
  readonly maxDataXferSize: number;
  /** File descriptors a receiver accepts on one message unless it advertises max_msg_fds. Default 1. */
  readonly maxMsgFds: number;
  /** Largest error_no accepted in an error reply; 0 is accepted too (peers send it). Default 4096. */
  readonly maxErrorNo: number;
  /** Largest VERSION capabilities JSON text, NUL included. Default 65536. */
  readonly maxJsonBytes: number;
  /** Deepest nesting of arrays and objects in the capabilities JSON. Default 32. */
  readonly maxJsonDepth: number;
  /** Most capabilities in one GET_REGION_INFO chain. Default 64. */
  readonly maxRegionCaps: number;
  /** Most areas of one sparse-mmap capability. Default 4096. */
  readonly maxSparseAreas: number;
  /** Most entries of one GET_REGION_IO_FDS reply. Default 4096. */
  readonly maxSubRegions: number;
  /** Largest SET_IRQS count (the MSI-X maximum). Default 2048. */
  readonly maxIrqVectors: number;
  /** Largest dirty bitmap in DMA_UNMAP, DMA_LOGGING_REPORT, DIRTY_PAGES and the draft IOAS dirty bitmap. Default 1048576. */
  readonly maxBitmapBytes: number;
  /** Most ranges of DMA_LOGGING_START/STOP. Default 4096. */
  readonly maxLoggingRanges: number;
  /** Most ranges of an IOMMUFD_IOAS_IOVA_RANGES reply (draft). Default 4096. */
  readonly maxIovaRanges: number;
  /** Most entries of one REGION_WRITE_MULTI. Default 200. */
  readonly maxWriteMultiEntries: number;
}

/** Every limit on what a peer can make a client or server hold (spec/limits.ts `sessionLimits`). */
export interface SessionLimits {
  /** Connections a Server serves at once; a connection beyond them is closed at once, before VERSION. Default 64. */
  readonly maxConnections: number;
  /** File descriptors one connection makes the server hold: DMA windows with an fd, IOAS mappings, interrupt eventfds. Default 1024. */
  readonly maxFdsPerConnection: number;
  /** DMA windows (DMA_MAP and IOAS_MAP) of one connection. The server advertises the smaller of this and its max_dma_maps. Default 1024. */
  readonly maxDmaWindows: number;
  /** IOAS objects (IOMMUFD_IOAS_ALLOC) of one connection. Default 64. */
  readonly maxIoas: number;
  /** Commands from the peer received and not yet answered; beyond them the end stops reading from the connection until some are answered (backpressure). Default 64. */
  readonly maxQueuedCommands: number;
  /** Bytes written to a connection and not yet taken by the peer; beyond them the end stops reading from it until the peer reads its replies (backpressure). Default 8388608. */
  readonly maxOutputBytes: number;
  /** A connection paused because its peer takes none of the bytes queued for it (maxOutputBytes) is closed when the peer has taken nothing for this long (ERR_TIMEOUT): a peer that stops reading cannot hold a connection, its memory and its fds for ever. 0: never. Default 30000. */
  readonly outputTimeoutMs: number;
  /** Memory of dirty-page logging of one connection: one bit per logged page of every window. DMA_LOGGING_START beyond it is refused. Default 8388608. */
  readonly maxDirtyBitmapBytes: number;
  /** Migration data one connection may write (MIG_DATA_WRITE) in one RESUMING state. Default 268435456. */
  readonly maxMigrationBytes: number;
  /** Time a new connection has to complete VERSION; then it is closed (ERR_TIMEOUT). 0: no limit. Default 10000. */
  readonly handshakeTimeoutMs: number;
  /** A negotiated connection that sends nothing for this long is closed (ERR_TIMEOUT). 0 (the default): never, since a VMM can leave a device idle for hours. Default 0. */
  readonly idleTimeoutMs: number;
  /** Default time a client request (VERSION included) waits for its reply before ERR_TIMEOUT. 0: for ever. Default 30000. */
  readonly requestTimeoutMs: number;
}

/** The dialect names of spec/dialects.ts. */
export type DialectName =
  | 'default'
  | 'libvfio-user'
  | 'qemu'
  | 'rust-vmm'
  | 'spdk';

/** `capabilities.migration`: Migration parameters; no longer in the QEMU document, still sent by QEMU, libvfio-user and rust-vmm. */
export interface MigrationCapability {
  /** Page size of dirty bitmaps. libvfio-user refuses a value other than its own page size when the device supports migration. No default. */
  pgsize?: number;
  /** Largest dirty bitmap in bytes (QEMU; default 256 MiB there). No default. */
  max_bitmap_size?: number;
  /** Keys of this object not known to spec/capabilities.ts, in order. */
  extra?: JsonObject;
}

/** `capabilities.twin_socket`: A second socket for server-to-client commands. */
export interface TwinSocketCapability {
  /** Request (client) or grant (server) of the twin socket. Default false. */
  supported?: boolean;
  /** Reply only: index of the twin socket in the reply's fd array. No default. */
  fd_index?: number;
  /** Keys of this object not known to spec/capabilities.ts, in order. */
  extra?: JsonObject;
}

/** `capabilities.iommufd`: The iommufd extension (commands 19-26). Used only when both sides send supported: true. */
export interface IommufdCapability {
  /** The sender speaks the iommufd extension. Default false. */
  supported?: boolean;
  /** Draft: the sender accepts IOAS_MAP with VFIO_USER_IOMMUFD_MAP_FIXED_IOVA. Default false. */
  fixed_iova?: boolean;
  /** Draft: the sender accepts IOMMUFD_IOAS_IOVA_RANGES. Default false. */
  iova_ranges?: boolean;
  /** Draft: the sender accepts IOMMUFD_IOAS_SET_DIRTY_TRACKING and IOMMUFD_IOAS_GET_DIRTY_BITMAP. Default false. */
  dirty_tracking?: boolean;
  /** Keys of this object not known to spec/capabilities.ts, in order. */
  extra?: JsonObject;
}

/** The `capabilities` object of the VERSION JSON: What the sender supports and can receive. Absent means every default. Every key is optional. */
export interface Capabilities {
  /** Most file descriptors the sender accepts in one message. libvfio-user refuses a client value above 1024. Default 1. */
  max_msg_fds?: number;
  /** Largest data count (REGION_READ/WRITE, DMA_READ/WRITE, MIG_DATA_READ/WRITE) the sender accepts. Default 1048576. */
  max_data_xfer_size?: number;
  /** Most DMA windows the sender accepts at once. Default 65535. */
  max_dma_maps?: number;
  /** Bitwise OR of the page sizes allowed for DMA maps. Default 4096. */
  pgsizes?: number;
  /** Migration parameters; no longer in the QEMU document, still sent by QEMU, libvfio-user and rust-vmm. */
  migration?: MigrationCapability;
  /** A second socket for server-to-client commands. */
  twin_socket?: TwinSocketCapability;
  /** The sender accepts REGION_WRITE_MULTI. Default false. */
  write_multiple?: boolean;
  /** The iommufd extension (commands 19-26). Used only when both sides send supported: true. */
  iommufd?: IommufdCapability;
  /** Keys of this object not known to spec/capabilities.ts, in order. */
  extra?: JsonObject;
}

/** The codes of the codec's errors (`VfioUserError`), from spec/errors.ts. */
export type ErrorCode =
  | 'ERR_NEED_MORE'
  | 'ERR_MSG_SIZE_SMALL'
  | 'ERR_MSG_SIZE_MISMATCH'
  | 'ERR_BAD_TYPE'
  | 'ERR_UNKNOWN_COMMAND'
  | 'ERR_ERRNO_RANGE'
  | 'ERR_BODY_SHORT'
  | 'ERR_BODY_LONG'
  | 'ERR_EMPTY_BODY'
  | 'ERR_BAD_FLAGS'
  | 'ERR_ARGSZ'
  | 'ERR_BAD_VALUE'
  | 'ERR_TAIL_LENGTH'
  | 'ERR_CAP_CHAIN'
  | 'ERR_STRIDE'
  | 'ERR_FEATURE_PAYLOAD'
  | 'ERR_JSON_NUL'
  | 'ERR_JSON_UTF8'
  | 'ERR_JSON_SYNTAX'
  | 'ERR_JSON_DUPLICATE_KEY'
  | 'ERR_CAPS_TYPE'
  | 'ERR_FD_COUNT'
  | 'ERR_LIMIT'
  | 'ERR_MESSAGE_TOO_LARGE'
  | 'ERR_ENCODE_FIELD'
  | 'ERR_ENCODE_LENGTH'
  | 'ERR_ENCODE_SHAPE'
  | 'ERR_ENCODE_SPACE'
  | 'ERR_VERSION_FIRST'
  | 'ERR_VERSION_MAJOR'
  | 'ERR_IOMMUFD_NOT_NEGOTIATED'
  | 'ERR_NOT_ADVERTISED'
  | 'ERR_TWIN_SOCKET'
  | 'ERR_WRONG_SOCKET'
  | 'ERR_ORPHAN_REPLY'
  | 'ERR_REPLY_TO_NO_REPLY'
  | 'ERR_WRONG_SENDER'
  | 'ERR_FD_RULE'
  | 'ERR_FD_LIMIT'
  | 'ERR_XFER_SIZE'
  | 'ERR_MIGRATION_ARC'
  | 'ERR_MIGRATION_PHASE'
  | 'ERR_DIRTY_LOGGING'
  | 'ERR_UNMAP_UNKNOWN'
  | 'ERR_IOAS_STATE'
  | 'ERR_REPLY_MISMATCH'
  | 'ERR_COMMAND_BEFORE_REPLY'
  | 'ERR_INTEROP_REFUSED'
  | 'ERR_INTEROP_MISREAD'
  | 'ERR_UNDECODABLE'
  | 'ERR_CAPTURE_FORMAT'
  | 'ERR_CAPTURE_LINE_LENGTH';

/** errno numbers by name, Linux numbering (spec/errno.ts): what error replies carry and device handlers throw. */
export const ERRNO = Object.freeze({
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EIO: 5,
  E2BIG: 7,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  EMFILE: 24,
  ENOSPC: 28,
  ERANGE: 34,
  ENOSYS: 38,
  EPROTO: 71,
  EMSGSIZE: 90,
  ENOTSUP: 95,
  ETIMEDOUT: 110,
});

/** The codes of the session layer's own errors (`VfioUserSessionError`), from spec/errors.ts. */
export type SessionErrorCode =
  | 'ERR_REMOTE'
  | 'ERR_CLOSED'
  | 'ERR_TIMEOUT'
  | 'ERR_BAD_REPLY'
  | 'ERR_DMA_FAULT'
  | 'ERR_SESSION_LIMIT'
  | 'ERR_REPLY_TOO_LARGE'
  | 'ERR_FD_KIND'
  | 'ERR_NOT_NEGOTIATED'
  | 'ERR_ADDON_MISSING'
  | 'ERR_ACCEPT';
