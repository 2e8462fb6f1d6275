/**
 * Limits on every length taken from the wire, with their defaults.
 * Each is an option of the same name in the runtime's `Limits`.
 */
import type { LimitSpec, SessionLimitSpec } from './types.js';

export const limits: readonly LimitSpec[] = [
  { name: 'maxMessageSize', default: 1048608, doc: 'Largest msg_size accepted, header included: 16 + 16 + 1 MiB.', ref: 'libvfio-user SERVER_MAX_MSG_SIZE' },
  { name: 'maxDataXferSize', default: 1048576, doc: 'Largest data count of REGION_READ/WRITE, DMA_READ/WRITE and MIG_DATA_READ/WRITE; the default of the max_data_xfer_size capability.', ref: 'QEMU vfio-user.rst "Version"; libvfio-user VFIO_USER_DEFAULT_MAX_DATA_XFER_SIZE' },
  { name: 'maxMsgFds', default: 1, doc: 'File descriptors a receiver accepts on one message unless it advertises max_msg_fds.', ref: 'QEMU vfio-user.rst "Version" (default 1)' },
  { name: 'maxErrorNo', default: 4096, doc: 'Largest error_no accepted in an error reply; 0 is accepted too (peers send it).', ref: 'libvfio-user SERVER_MAX_ERROR_NO' },
  { name: 'maxJsonBytes', default: 65536, doc: 'Largest VERSION capabilities JSON text, NUL included.', ref: 'this package' },
  { name: 'maxJsonDepth', default: 32, doc: 'Deepest nesting of arrays and objects in the capabilities JSON.', ref: 'this package' },
  { name: 'maxRegionCaps', default: 64, doc: 'Most capabilities in one GET_REGION_INFO chain.', ref: 'this package' },
  { name: 'maxSparseAreas', default: 4096, doc: 'Most areas of one sparse-mmap capability.', ref: 'this package' },
  { name: 'maxSubRegions', default: 4096, doc: 'Most entries of one GET_REGION_IO_FDS reply.', ref: 'this package' },
  { name: 'maxIrqVectors', default: 2048, doc: 'Largest SET_IRQS count (the MSI-X maximum).', ref: 'PCI MSI-X table size limit' },
  { name: 'maxBitmapBytes', default: 1048576, doc: 'Largest dirty bitmap in DMA_UNMAP, DMA_LOGGING_REPORT, DIRTY_PAGES and the draft IOAS dirty bitmap.', ref: 'this package' },
  { name: 'maxLoggingRanges', default: 4096, doc: 'Most ranges of DMA_LOGGING_START/STOP.', ref: 'this package' },
  { name: 'maxIovaRanges', default: 4096, doc: 'Most ranges of an IOMMUFD_IOAS_IOVA_RANGES reply (draft).', ref: 'this package' },
  { name: 'maxWriteMultiEntries', default: 200, doc: 'Most entries of one REGION_WRITE_MULTI.', ref: 'QEMU VFIO_USER_MULTI_MAX' },
];

/** The most bytes one REGION_WRITE_MULTI entry carries. */
export const WRITE_MULTI_DATA_MAX = 8;

/**
 * Limits on what a peer can make a client or server hold: connections, fds,
 * memory and time. Each is an option of the same name in the session's
 * `SessionLimits` (`sessionLimits` of ServerOptions and ClientOptions). A
 * command refused by one is answered with the limit's errno and the
 * session error ERR_SESSION_LIMIT is reported (onViolation).
 */
export const sessionLimits: readonly SessionLimitSpec[] = [
  { name: 'maxConnections', default: 64, unit: 'connections', side: 'server', doc: 'Connections a Server serves at once; a connection beyond them is closed at once, before VERSION.', ref: 'this package' },
  { name: 'maxFdsPerConnection', default: 1024, unit: 'fds', side: 'server', errno: 'EMFILE', doc: 'File descriptors one connection makes the server hold: DMA windows with an fd, IOAS mappings, interrupt eventfds.', ref: 'this package; libvfio-user refuses a max_msg_fds above 1024' },
  { name: 'maxDmaWindows', default: 1024, unit: 'windows', side: 'server', errno: 'EINVAL', doc: 'DMA windows (DMA_MAP and IOAS_MAP) of one connection. The server advertises the smaller of this and its max_dma_maps.', ref: 'libvfio-user test/py/test_dma_map.py test_dma_region_too_many: the map beyond the maximum fails with EINVAL' },
  { name: 'maxIoas', default: 64, unit: 'objects', side: 'server', errno: 'ENOSPC', doc: 'IOAS objects (IOMMUFD_IOAS_ALLOC) of one connection.', ref: 'this package' },
  { name: 'maxQueuedCommands', default: 64, unit: 'commands', side: 'both', doc: 'Commands from the peer received and not yet answered; beyond them the end stops reading from the connection until some are answered (backpressure).', ref: 'this package' },
  { name: 'maxOutputBytes', default: 8388608, unit: 'bytes', side: 'both', doc: 'Bytes written to a connection and not yet taken by the peer; beyond them the end stops reading from it until the peer reads its replies (backpressure).', ref: 'this package' },
  { name: 'outputTimeoutMs', default: 30000, unit: 'ms', side: 'both', doc: 'A connection paused because its peer takes none of the bytes queued for it (maxOutputBytes) is closed when the peer has taken nothing for this long (ERR_TIMEOUT): a peer that stops reading cannot hold a connection, its memory and its fds for ever. 0: never.', ref: 'this package' },
  { name: 'maxDirtyBitmapBytes', default: 8388608, unit: 'bytes', side: 'server', errno: 'ENOSPC', doc: 'Memory of dirty-page logging of one connection: one bit per logged page of every window. DMA_LOGGING_START beyond it is refused.', ref: 'this package' },
  { name: 'maxMigrationBytes', default: 268435456, unit: 'bytes', side: 'server', errno: 'ENOSPC', doc: 'Migration data one connection may write (MIG_DATA_WRITE) in one RESUMING state.', ref: 'this package' },
  { name: 'handshakeTimeoutMs', default: 10000, unit: 'ms', side: 'server', doc: 'Time a new connection has to complete VERSION; then it is closed (ERR_TIMEOUT). 0: no limit.', ref: 'this package' },
  { name: 'idleTimeoutMs', default: 0, unit: 'ms', side: 'server', doc: 'A negotiated connection that sends nothing for this long is closed (ERR_TIMEOUT). 0 (the default): never, since a VMM can leave a device idle for hours.', ref: 'this package' },
  { name: 'requestTimeoutMs', default: 30000, unit: 'ms', side: 'client', doc: 'Default time a client request (VERSION included) waits for its reply before ERR_TIMEOUT. 0: for ever.', ref: 'this package' },
];
