/**
 * Limits on every length taken from the wire, with their defaults.
 * Each is an option of the same name in the runtime's `Limits`.
 */
import type { LimitSpec } from './types.js';

export const limits: readonly LimitSpec[] = [
  { name: 'maxMessageSize', default: 1048608, doc: 'Largest msg_size accepted, header included: 16 + 16 + 1 MiB.', ref: 'libvfio-user SERVER_MAX_MSG_SIZE' },
  { name: 'maxDataXferSize', default: 1048576, doc: 'Largest data count of REGION_READ/WRITE, DMA_READ/WRITE and MIG_DATA_READ/WRITE; the default of the max_data_xfer_size capability.', ref: 'QEMU vfio-user.rst "Version"; libvfio-user VFIO_USER_DEFAULT_MAX_DATA_XFER_SIZE' },
  { name: 'maxMsgFds', default: 1, doc: 'File descriptors a receiver accepts on one message unless it advertises max_msg_fds.', ref: 'QEMU vfio-user.rst "Version" (default 1)' },
  { name: 'maxErrorNo', default: 4096, doc: 'Largest error_no accepted in an error reply; 0 is accepted too (peers send it).', ref: 'libvfio-user SERVER_MAX_ERROR_NO' },
  { name: 'maxJsonBytes', default: 65536, doc: 'Largest VERSION capabilities JSON text, NUL included.', ref: 'this package' },
  { name: 'maxJsonDepth', default: 32, doc: 'Deepest nesting of arrays and objects in the capabilities JSON.', ref: 'this package' },
  { name: 'maxRegionCaps', default: 64, doc: 'Most capabilities in one GET_REGION_INFO chain.', ref: 'this package', tails: ['region_caps'] },
  { name: 'maxSparseAreas', default: 4096, doc: 'Most areas of one sparse-mmap capability.', ref: 'this package', tails: ['region_caps'] },
  { name: 'maxSubRegions', default: 4096, doc: 'Most entries of one GET_REGION_IO_FDS reply.', ref: 'this package', tails: ['sub_regions'] },
  { name: 'maxIrqVectors', default: 2048, doc: 'Largest SET_IRQS count (the MSI-X maximum).', ref: 'PCI MSI-X table size limit' },
  { name: 'maxBitmapBytes', default: 1048576, doc: 'Largest dirty bitmap in DMA_UNMAP, DMA_LOGGING_REPORT, DIRTY_PAGES and the draft IOAS dirty bitmap.', ref: 'this package', tails: ['unmap_bitmap', 'feature', 'dirty_bitmap', 'bitmap'] },
  { name: 'maxLoggingRanges', default: 4096, doc: 'Most ranges of DMA_LOGGING_START/STOP.', ref: 'this package', tails: ['feature'] },
  { name: 'maxIovaRanges', default: 4096, doc: 'Most ranges of an IOMMUFD_IOAS_IOVA_RANGES reply (draft).', ref: 'this package' },
  { name: 'maxWriteMultiEntries', default: 200, doc: 'Most entries of one REGION_WRITE_MULTI.', ref: 'QEMU VFIO_USER_MULTI_MAX' },
];

/** The most bytes one REGION_WRITE_MULTI entry carries. */
export const WRITE_MULTI_DATA_MAX = 8;
