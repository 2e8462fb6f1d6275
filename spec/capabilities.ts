/**
 * The VERSION capabilities JSON: `{"capabilities": {...}}`, every key
 * optional. Values describe what the sender can receive.
 */
import type { CapabilitySpec } from './types.js';

export const capabilities: CapabilitySpec = {
  name: 'capabilities',
  type: 'object',
  doc: 'What the sender supports and can receive. Absent means every default.',
  keys: [
    { name: 'max_msg_fds', type: 'integer', default: 1, minimum: 0, doc: 'Most file descriptors the sender accepts in one message. libvfio-user refuses a client value above 1024.' },
    { name: 'max_data_xfer_size', type: 'integer', default: 1048576, minimum: 0, doc: 'Largest data count (REGION_READ/WRITE, DMA_READ/WRITE, MIG_DATA_READ/WRITE) the sender accepts.' },
    { name: 'max_dma_maps', type: 'integer', default: 65535, minimum: 0, doc: 'Most DMA windows the sender accepts at once.', origin: 'qemu' },
    { name: 'pgsizes', type: 'integer', default: 4096, minimum: 0, doc: 'Bitwise OR of the page sizes allowed for DMA maps.', origin: 'qemu' },
    {
      name: 'migration',
      type: 'object',
      doc: 'Migration parameters; no longer in the QEMU document, still sent by QEMU, libvfio-user and rust-vmm.',
      keys: [
        { name: 'pgsize', type: 'integer', minimum: 0, doc: 'Page size of dirty bitmaps. libvfio-user refuses a value other than its own page size when the device supports migration.' },
        { name: 'max_bitmap_size', type: 'integer', minimum: 0, doc: 'Largest dirty bitmap in bytes (QEMU; default 256 MiB there).', origin: 'qemu' },
      ],
    },
    {
      name: 'twin_socket',
      type: 'object',
      doc: 'A second socket for server-to-client commands.',
      keys: [
        { name: 'supported', type: 'boolean', default: false, doc: 'Request (client) or grant (server) of the twin socket.' },
        { name: 'fd_index', type: 'integer', minimum: 0, doc: 'Reply only: index of the twin socket in the reply\'s fd array.' },
      ],
    },
    { name: 'write_multiple', type: 'boolean', default: false, doc: 'The sender accepts REGION_WRITE_MULTI.', origin: 'qemu' },
    {
      name: 'iommufd',
      type: 'object',
      origin: 'iommufd',
      doc: 'The iommufd extension (commands 19-26). Used only when both sides send supported: true.',
      keys: [
        { name: 'supported', type: 'boolean', default: false, doc: 'The sender speaks the iommufd extension.' },
        { name: 'fixed_iova', type: 'boolean', default: false, origin: 'draft', doc: 'Draft: the sender accepts IOAS_MAP with VFIO_USER_IOMMUFD_MAP_FIXED_IOVA.' },
        { name: 'iova_ranges', type: 'boolean', default: false, origin: 'draft', doc: 'Draft: the sender accepts IOMMUFD_IOAS_IOVA_RANGES.' },
        { name: 'dirty_tracking', type: 'boolean', default: false, origin: 'draft', doc: 'Draft: the sender accepts IOMMUFD_IOAS_SET_DIRTY_TRACKING and IOMMUFD_IOAS_GET_DIRTY_BITMAP.' },
      ],
    },
  ],
};
