// Generated from spec/ by generator/ts.ts (npm run generate). Do not edit.

// header_flags (flags): vfio_user_header.flags. Bits 0-3 hold the message type (mask VFIO_USER_F_TYPE_MASK); bits 6-31 are reserved and sent as 0.
/** Type: a command. */
export const VFIO_USER_F_TYPE_COMMAND = 0x0;
/** Type: a reply. */
export const VFIO_USER_F_TYPE_REPLY = 0x1;
/** Mask of the type bits. */
export const VFIO_USER_F_TYPE_MASK = 0xf;
/** On a command: the receiver sends no reply, not even an error. (The header's stale VFIO_USER_FLAGS_NO_REPLY = 0x1 is not this bit.) */
export const VFIO_USER_F_NO_REPLY = 0x10;
/** On a reply: the command failed and error_no holds the errno. */
export const VFIO_USER_F_ERROR = 0x20;

// vfio_user_command (enum): Command numbers (vfio_user_header.cmd).
/** Negotiate version and capabilities. */
export const VFIO_USER_VERSION = 1;
/** Map client memory for DMA. */
export const VFIO_USER_DMA_MAP = 2;
/** Unmap client memory. */
export const VFIO_USER_DMA_UNMAP = 3;
/** Device information. */
export const VFIO_USER_DEVICE_GET_INFO = 4;
/** Region information. */
export const VFIO_USER_DEVICE_GET_REGION_INFO = 5;
/** Region ioeventfds and ioregionfds. */
export const VFIO_USER_DEVICE_GET_REGION_IO_FDS = 6;
/** IRQ information. */
export const VFIO_USER_DEVICE_GET_IRQ_INFO = 7;
/** Configure IRQs. */
export const VFIO_USER_DEVICE_SET_IRQS = 8;
/** Read a region. */
export const VFIO_USER_REGION_READ = 9;
/** Write a region. */
export const VFIO_USER_REGION_WRITE = 10;
/** Server reads client memory. */
export const VFIO_USER_DMA_READ = 11;
/** Server writes client memory. */
export const VFIO_USER_DMA_WRITE = 12;
/** Reset the device. */
export const VFIO_USER_DEVICE_RESET = 13;
/** Legacy dirty page tracking (removed). */
export const VFIO_USER_DIRTY_PAGES = 14;
/** Batched small region writes. */
export const VFIO_USER_REGION_WRITE_MULTI = 15;
/** Get, set or probe a device feature. */
export const VFIO_USER_DEVICE_FEATURE = 16;
/** Read migration data. */
export const VFIO_USER_MIG_DATA_READ = 17;
/** Write migration data. */
export const VFIO_USER_MIG_DATA_WRITE = 18;
/** Allocate an I/O address space. */
export const VFIO_USER_IOMMUFD_ALLOC_IOAS = 19;
/** Destroy an I/O address space. */
export const VFIO_USER_IOMMUFD_DESTROY_IOAS = 20;
/** Map memory into an IOAS. */
export const VFIO_USER_IOMMUFD_IOAS_MAP = 21;
/** Unmap memory from an IOAS. */
export const VFIO_USER_IOMMUFD_IOAS_UNMAP = 22;
/** Copy mappings between IOASes. */
export const VFIO_USER_IOMMUFD_IOAS_COPY = 23;
/** Bind the device to iommufd. */
export const VFIO_USER_IOMMUFD_BIND = 24;
/** Attach the device to an IOAS. */
export const VFIO_USER_IOMMUFD_ATTACH_PT = 25;
/** Detach the device from its IOAS. */
export const VFIO_USER_IOMMUFD_DETACH_PT = 26;
/** Query the IOVA windows of an IOAS (draft). */
export const VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES = 27;
/** Start or stop dirty tracking of an IOAS (draft). */
export const VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING = 28;
/** Read the dirty bitmap of an IOAS range (draft). */
export const VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP = 29;

// dma_map_flags (flags): vfio_user_dma_map.flags.
/** The server may read the window. */
export const VFIO_USER_F_DMA_REGION_READ = 0x1;
/** The server may write the window. */
export const VFIO_USER_F_DMA_REGION_WRITE = 0x2;
/** Reach the window by mmap() of the passed fd (libvfio-user master, 2026; needs an fd). */
export const VFIO_USER_F_DMA_REGION_MMAP = 0x4;
/** Reach the window by reading and writing the passed fd (libvfio-user master, 2026; needs an fd; not with MMAP). */
export const VFIO_USER_F_DMA_REGION_FILE_IO = 0x8;

// dma_unmap_flags (flags): vfio_user_dma_unmap.flags. The QEMU document calls the field unused; QEMU sends ALL and libvfio-user accepts both.
/** Return the window's dirty bitmap before unmapping; a vfio_user_bitmap follows the struct. */
export const VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP = 0x1;
/** Unmap every window; addr and size are 0. */
export const VFIO_DMA_UNMAP_FLAG_ALL = 0x2;

// device_flags (flags): vfio_user_device_info.flags.
/** The device supports reset. */
export const VFIO_DEVICE_FLAGS_RESET = 0x1;
/** A PCI device. */
export const VFIO_DEVICE_FLAGS_PCI = 0x2;
/** A platform device. */
export const VFIO_DEVICE_FLAGS_PLATFORM = 0x4;
/** An AMBA device. */
export const VFIO_DEVICE_FLAGS_AMBA = 0x8;
/** A CCW device. */
export const VFIO_DEVICE_FLAGS_CCW = 0x10;
/** An AP device. */
export const VFIO_DEVICE_FLAGS_AP = 0x20;
/** An FSL-MC device. */
export const VFIO_DEVICE_FLAGS_FSL_MC = 0x40;
/** Kernel only: info has a capability chain (vfio-user has none). */
export const VFIO_DEVICE_FLAGS_CAPS = 0x80;

// region_info_flags (flags): vfio_region_info.flags.
/** The region may be read. */
export const VFIO_REGION_INFO_FLAG_READ = 0x1;
/** The region may be written. */
export const VFIO_REGION_INFO_FLAG_WRITE = 0x2;
/** The region may be mmap()ed through the fd passed with the reply. */
export const VFIO_REGION_INFO_FLAG_MMAP = 0x4;
/** A capability chain starts at cap_offset. */
export const VFIO_REGION_INFO_FLAG_CAPS = 0x8;

// region_index (enum): Region indexes of a PCI device.
/** BAR 0. */
export const VFIO_PCI_BAR0_REGION_INDEX = 0;
/** BAR 1. */
export const VFIO_PCI_BAR1_REGION_INDEX = 1;
/** BAR 2. */
export const VFIO_PCI_BAR2_REGION_INDEX = 2;
/** BAR 3. */
export const VFIO_PCI_BAR3_REGION_INDEX = 3;
/** BAR 4. */
export const VFIO_PCI_BAR4_REGION_INDEX = 4;
/** BAR 5. */
export const VFIO_PCI_BAR5_REGION_INDEX = 5;
/** Expansion ROM. */
export const VFIO_PCI_ROM_REGION_INDEX = 6;
/** Configuration space. */
export const VFIO_PCI_CONFIG_REGION_INDEX = 7;
/** VGA. */
export const VFIO_PCI_VGA_REGION_INDEX = 8;

// region_info_cap (enum): vfio_info_cap_header.id in a region-info capability chain.
/** Sparse mmap areas (vfio_region_info_cap_sparse_mmap). */
export const VFIO_REGION_INFO_CAP_SPARSE_MMAP = 1;
/** Region type and subtype (vfio_region_info_cap_type). */
export const VFIO_REGION_INFO_CAP_TYPE = 2;
/** The MSI-X table may be mmap()ed; header only. */
export const VFIO_REGION_INFO_CAP_MSIX_MAPPABLE = 3;

// io_fd_type (enum): Sub-region entry type of DEVICE_GET_REGION_IO_FDS.
/** An ioeventfd. */
export const VFIO_USER_IO_FD_TYPE_IOEVENTFD = 0;
/** An ioregionfd. */
export const VFIO_USER_IO_FD_TYPE_IOREGIONFD = 1;
/** An ioeventfd with shadow memory (libvfio-user). */
export const VFIO_USER_IO_FD_TYPE_IOEVENTFD_SHADOW = 2;

// irq_index (enum): IRQ indexes of a PCI device.
/** INTx. */
export const VFIO_PCI_INTX_IRQ_INDEX = 0;
/** MSI. */
export const VFIO_PCI_MSI_IRQ_INDEX = 1;
/** MSI-X. */
export const VFIO_PCI_MSIX_IRQ_INDEX = 2;
/** Error reporting. */
export const VFIO_PCI_ERR_IRQ_INDEX = 3;
/** Device request. */
export const VFIO_PCI_REQ_IRQ_INDEX = 4;

// irq_info_flags (flags): vfio_irq_info.flags.
/** Signalled through an eventfd. */
export const VFIO_IRQ_INFO_EVENTFD = 0x1;
/** Can be masked. */
export const VFIO_IRQ_INFO_MASKABLE = 0x2;
/** Masked automatically when it fires. */
export const VFIO_IRQ_INFO_AUTOMASKED = 0x4;
/** Vector count cannot change. */
export const VFIO_IRQ_INFO_NORESIZE = 0x8;

// irq_set_flags (flags): vfio_irq_set.flags: exactly one data type (DATA_*) and exactly one action (ACTION_*).
/** No data. */
export const VFIO_IRQ_SET_DATA_NONE = 0x1;
/** One byte per vector follows. */
export const VFIO_IRQ_SET_DATA_BOOL = 0x2;
/** One eventfd per vector travels as an fd. */
export const VFIO_IRQ_SET_DATA_EVENTFD = 0x4;
/** Mask. */
export const VFIO_IRQ_SET_ACTION_MASK = 0x8;
/** Unmask. */
export const VFIO_IRQ_SET_ACTION_UNMASK = 0x10;
/** Trigger, or install the trigger eventfds. */
export const VFIO_IRQ_SET_ACTION_TRIGGER = 0x20;

// device_feature_flags (flags): vfio_user_device_feature.flags: the feature index (mask 0xffff) and operation bits.
/** Mask of the feature index. */
export const VFIO_DEVICE_FEATURE_MASK = 0xffff;
/** Get the feature's value. */
export const VFIO_DEVICE_FEATURE_GET = 0x10000;
/** Set the feature's value. */
export const VFIO_DEVICE_FEATURE_SET = 0x20000;
/** Ask whether the other bits are supported. */
export const VFIO_DEVICE_FEATURE_PROBE = 0x40000;

// device_feature (enum): Feature index in vfio_user_device_feature.flags.
/** Migration capabilities (GET). */
export const VFIO_DEVICE_FEATURE_MIGRATION = 1;
/** Migration state (GET, SET). */
export const VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE = 2;
/** Start dirty page logging (SET). */
export const VFIO_DEVICE_FEATURE_DMA_LOGGING_START = 6;
/** Stop dirty page logging (SET). */
export const VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP = 7;
/** Read and clear the dirty bitmap (GET). */
export const VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT = 8;

// migration_flags (flags): vfio_user_device_feature_migration.flags.
/** Supports STOP_COPY. */
export const VFIO_MIGRATION_STOP_COPY = 0x1;
/** Supports the P2P states (never set by libvfio-user). */
export const VFIO_MIGRATION_P2P = 0x2;
/** Supports PRE_COPY. */
export const VFIO_MIGRATION_PRE_COPY = 0x4;

// vfio_user_device_mig_state (enum): Migration device states (vfio_user_device_feature_mig_state.device_state), numbered as the kernel's.
/** Error; left only by DEVICE_RESET. */
export const VFIO_USER_DEVICE_STATE_ERROR = 0;
/** Stopped. */
export const VFIO_USER_DEVICE_STATE_STOP = 1;
/** Running. */
export const VFIO_USER_DEVICE_STATE_RUNNING = 2;
/** Stopped, saving the rest of the state. */
export const VFIO_USER_DEVICE_STATE_STOP_COPY = 3;
/** Receiving state. */
export const VFIO_USER_DEVICE_STATE_RESUMING = 4;
/** Running, no peer-to-peer DMA (unused by vfio-user). */
export const VFIO_USER_DEVICE_STATE_RUNNING_P2P = 5;
/** Running, saving state ahead of time. */
export const VFIO_USER_DEVICE_STATE_PRE_COPY = 6;
/** PRE_COPY without peer-to-peer DMA (unused by vfio-user). */
export const VFIO_USER_DEVICE_STATE_PRE_COPY_P2P = 7;

// dirty_pages_flags (flags): vfio_user_dirty_pages.flags (legacy command 14).
/** Start tracking. */
export const VFIO_IOMMU_DIRTY_PAGES_FLAG_START = 0x1;
/** Stop tracking. */
export const VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP = 0x2;
/** Return the bitmap of a range. */
export const VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP = 0x4;

// iommufd_ioas_map_flags (flags): vfio_user_iommufd_ioas_map.flags. Note the order: the kernel has FIXED_IOVA at bit 0, WRITEABLE at 1, READABLE at 2.
/** The device may write. */
export const VFIO_USER_IOMMUFD_MAP_WRITEABLE = 0x1;
/** The device may read. */
export const VFIO_USER_IOMMUFD_MAP_READABLE = 0x2;
/** Draft: iova is an input; map exactly there or fail with EEXIST. */
export const VFIO_USER_IOMMUFD_MAP_FIXED_IOVA = 0x4;

// iommufd_ioas_unmap_flags (flags): vfio_user_iommufd_ioas_unmap.flags.
/** Unmap everything (defined, ignored by the PR's server). */
export const VFIO_USER_IOMMUFD_UNMAP_ALL = 0x1;

// iommufd_attach_pt_flags (flags): vfio_user_iommufd_attach_pt.flags.
/** pasid is valid. */
export const VFIO_USER_IOMMUFD_ATTACH_PASID = 0x1;

// iommufd_dirty_tracking_flags (flags): vfio_user_iommufd_ioas_set_dirty_tracking.flags (draft).
/** Start tracking; clear to stop. */
export const VFIO_USER_IOMMUFD_DIRTY_TRACKING_ENABLE = 0x1;

// iommufd_get_dirty_bitmap_flags (flags): vfio_user_iommufd_ioas_get_dirty_bitmap.flags (draft).
/** Read the bitmap without clearing it. */
export const VFIO_USER_IOMMUFD_GET_DIRTY_BITMAP_NO_CLEAR = 0x1;

// iommufd_detach_pt_flags (flags): vfio_user_iommufd_detach_pt.flags.
/** pasid is valid. */
export const VFIO_USER_IOMMUFD_DETACH_PASID = 0x1;

/** Every flag set and enumeration: name, kind and `[C name, value]` pairs. */
export const CONST_SETS: Readonly<Record<string, { readonly kind: 'flags' | 'enum'; readonly values: readonly (readonly [string, number])[] }>> = {
  header_flags: { kind: 'flags', values: [['VFIO_USER_F_TYPE_COMMAND', 0x0], ['VFIO_USER_F_TYPE_REPLY', 0x1], ['VFIO_USER_F_TYPE_MASK', 0xf], ['VFIO_USER_F_NO_REPLY', 0x10], ['VFIO_USER_F_ERROR', 0x20]] },
  vfio_user_command: { kind: 'enum', values: [['VFIO_USER_VERSION', 1], ['VFIO_USER_DMA_MAP', 2], ['VFIO_USER_DMA_UNMAP', 3], ['VFIO_USER_DEVICE_GET_INFO', 4], ['VFIO_USER_DEVICE_GET_REGION_INFO', 5], ['VFIO_USER_DEVICE_GET_REGION_IO_FDS', 6], ['VFIO_USER_DEVICE_GET_IRQ_INFO', 7], ['VFIO_USER_DEVICE_SET_IRQS', 8], ['VFIO_USER_REGION_READ', 9], ['VFIO_USER_REGION_WRITE', 10], ['VFIO_USER_DMA_READ', 11], ['VFIO_USER_DMA_WRITE', 12], ['VFIO_USER_DEVICE_RESET', 13], ['VFIO_USER_DIRTY_PAGES', 14], ['VFIO_USER_REGION_WRITE_MULTI', 15], ['VFIO_USER_DEVICE_FEATURE', 16], ['VFIO_USER_MIG_DATA_READ', 17], ['VFIO_USER_MIG_DATA_WRITE', 18], ['VFIO_USER_IOMMUFD_ALLOC_IOAS', 19], ['VFIO_USER_IOMMUFD_DESTROY_IOAS', 20], ['VFIO_USER_IOMMUFD_IOAS_MAP', 21], ['VFIO_USER_IOMMUFD_IOAS_UNMAP', 22], ['VFIO_USER_IOMMUFD_IOAS_COPY', 23], ['VFIO_USER_IOMMUFD_BIND', 24], ['VFIO_USER_IOMMUFD_ATTACH_PT', 25], ['VFIO_USER_IOMMUFD_DETACH_PT', 26], ['VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES', 27], ['VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING', 28], ['VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP', 29]] },
  dma_map_flags: { kind: 'flags', values: [['VFIO_USER_F_DMA_REGION_READ', 0x1], ['VFIO_USER_F_DMA_REGION_WRITE', 0x2], ['VFIO_USER_F_DMA_REGION_MMAP', 0x4], ['VFIO_USER_F_DMA_REGION_FILE_IO', 0x8]] },
  dma_unmap_flags: { kind: 'flags', values: [['VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP', 0x1], ['VFIO_DMA_UNMAP_FLAG_ALL', 0x2]] },
  device_flags: { kind: 'flags', values: [['VFIO_DEVICE_FLAGS_RESET', 0x1], ['VFIO_DEVICE_FLAGS_PCI', 0x2], ['VFIO_DEVICE_FLAGS_PLATFORM', 0x4], ['VFIO_DEVICE_FLAGS_AMBA', 0x8], ['VFIO_DEVICE_FLAGS_CCW', 0x10], ['VFIO_DEVICE_FLAGS_AP', 0x20], ['VFIO_DEVICE_FLAGS_FSL_MC', 0x40], ['VFIO_DEVICE_FLAGS_CAPS', 0x80]] },
  region_info_flags: { kind: 'flags', values: [['VFIO_REGION_INFO_FLAG_READ', 0x1], ['VFIO_REGION_INFO_FLAG_WRITE', 0x2], ['VFIO_REGION_INFO_FLAG_MMAP', 0x4], ['VFIO_REGION_INFO_FLAG_CAPS', 0x8]] },
  region_index: { kind: 'enum', values: [['VFIO_PCI_BAR0_REGION_INDEX', 0], ['VFIO_PCI_BAR1_REGION_INDEX', 1], ['VFIO_PCI_BAR2_REGION_INDEX', 2], ['VFIO_PCI_BAR3_REGION_INDEX', 3], ['VFIO_PCI_BAR4_REGION_INDEX', 4], ['VFIO_PCI_BAR5_REGION_INDEX', 5], ['VFIO_PCI_ROM_REGION_INDEX', 6], ['VFIO_PCI_CONFIG_REGION_INDEX', 7], ['VFIO_PCI_VGA_REGION_INDEX', 8]] },
  region_info_cap: { kind: 'enum', values: [['VFIO_REGION_INFO_CAP_SPARSE_MMAP', 1], ['VFIO_REGION_INFO_CAP_TYPE', 2], ['VFIO_REGION_INFO_CAP_MSIX_MAPPABLE', 3]] },
  io_fd_type: { kind: 'enum', values: [['VFIO_USER_IO_FD_TYPE_IOEVENTFD', 0], ['VFIO_USER_IO_FD_TYPE_IOREGIONFD', 1], ['VFIO_USER_IO_FD_TYPE_IOEVENTFD_SHADOW', 2]] },
  irq_index: { kind: 'enum', values: [['VFIO_PCI_INTX_IRQ_INDEX', 0], ['VFIO_PCI_MSI_IRQ_INDEX', 1], ['VFIO_PCI_MSIX_IRQ_INDEX', 2], ['VFIO_PCI_ERR_IRQ_INDEX', 3], ['VFIO_PCI_REQ_IRQ_INDEX', 4]] },
  irq_info_flags: { kind: 'flags', values: [['VFIO_IRQ_INFO_EVENTFD', 0x1], ['VFIO_IRQ_INFO_MASKABLE', 0x2], ['VFIO_IRQ_INFO_AUTOMASKED', 0x4], ['VFIO_IRQ_INFO_NORESIZE', 0x8]] },
  irq_set_flags: { kind: 'flags', values: [['VFIO_IRQ_SET_DATA_NONE', 0x1], ['VFIO_IRQ_SET_DATA_BOOL', 0x2], ['VFIO_IRQ_SET_DATA_EVENTFD', 0x4], ['VFIO_IRQ_SET_ACTION_MASK', 0x8], ['VFIO_IRQ_SET_ACTION_UNMASK', 0x10], ['VFIO_IRQ_SET_ACTION_TRIGGER', 0x20]] },
  device_feature_flags: { kind: 'flags', values: [['VFIO_DEVICE_FEATURE_MASK', 0xffff], ['VFIO_DEVICE_FEATURE_GET', 0x10000], ['VFIO_DEVICE_FEATURE_SET', 0x20000], ['VFIO_DEVICE_FEATURE_PROBE', 0x40000]] },
  device_feature: { kind: 'enum', values: [['VFIO_DEVICE_FEATURE_MIGRATION', 1], ['VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE', 2], ['VFIO_DEVICE_FEATURE_DMA_LOGGING_START', 6], ['VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP', 7], ['VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT', 8]] },
  migration_flags: { kind: 'flags', values: [['VFIO_MIGRATION_STOP_COPY', 0x1], ['VFIO_MIGRATION_P2P', 0x2], ['VFIO_MIGRATION_PRE_COPY', 0x4]] },
  vfio_user_device_mig_state: { kind: 'enum', values: [['VFIO_USER_DEVICE_STATE_ERROR', 0], ['VFIO_USER_DEVICE_STATE_STOP', 1], ['VFIO_USER_DEVICE_STATE_RUNNING', 2], ['VFIO_USER_DEVICE_STATE_STOP_COPY', 3], ['VFIO_USER_DEVICE_STATE_RESUMING', 4], ['VFIO_USER_DEVICE_STATE_RUNNING_P2P', 5], ['VFIO_USER_DEVICE_STATE_PRE_COPY', 6], ['VFIO_USER_DEVICE_STATE_PRE_COPY_P2P', 7]] },
  dirty_pages_flags: { kind: 'flags', values: [['VFIO_IOMMU_DIRTY_PAGES_FLAG_START', 0x1], ['VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP', 0x2], ['VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP', 0x4]] },
  iommufd_ioas_map_flags: { kind: 'flags', values: [['VFIO_USER_IOMMUFD_MAP_WRITEABLE', 0x1], ['VFIO_USER_IOMMUFD_MAP_READABLE', 0x2], ['VFIO_USER_IOMMUFD_MAP_FIXED_IOVA', 0x4]] },
  iommufd_ioas_unmap_flags: { kind: 'flags', values: [['VFIO_USER_IOMMUFD_UNMAP_ALL', 0x1]] },
  iommufd_attach_pt_flags: { kind: 'flags', values: [['VFIO_USER_IOMMUFD_ATTACH_PASID', 0x1]] },
  iommufd_dirty_tracking_flags: { kind: 'flags', values: [['VFIO_USER_IOMMUFD_DIRTY_TRACKING_ENABLE', 0x1]] },
  iommufd_get_dirty_bitmap_flags: { kind: 'flags', values: [['VFIO_USER_IOMMUFD_GET_DIRTY_BITMAP_NO_CLEAR', 0x1]] },
  iommufd_detach_pt_flags: { kind: 'flags', values: [['VFIO_USER_IOMMUFD_DETACH_PASID', 0x1]] },
};

/** Command names by number. */
export const COMMAND_NAMES: Readonly<Record<number, string>> = {
  1: 'VFIO_USER_VERSION',
  2: 'VFIO_USER_DMA_MAP',
  3: 'VFIO_USER_DMA_UNMAP',
  4: 'VFIO_USER_DEVICE_GET_INFO',
  5: 'VFIO_USER_DEVICE_GET_REGION_INFO',
  6: 'VFIO_USER_DEVICE_GET_REGION_IO_FDS',
  7: 'VFIO_USER_DEVICE_GET_IRQ_INFO',
  8: 'VFIO_USER_DEVICE_SET_IRQS',
  9: 'VFIO_USER_REGION_READ',
  10: 'VFIO_USER_REGION_WRITE',
  11: 'VFIO_USER_DMA_READ',
  12: 'VFIO_USER_DMA_WRITE',
  13: 'VFIO_USER_DEVICE_RESET',
  14: 'VFIO_USER_DIRTY_PAGES',
  15: 'VFIO_USER_REGION_WRITE_MULTI',
  16: 'VFIO_USER_DEVICE_FEATURE',
  17: 'VFIO_USER_MIG_DATA_READ',
  18: 'VFIO_USER_MIG_DATA_WRITE',
  19: 'VFIO_USER_IOMMUFD_ALLOC_IOAS',
  20: 'VFIO_USER_IOMMUFD_DESTROY_IOAS',
  21: 'VFIO_USER_IOMMUFD_IOAS_MAP',
  22: 'VFIO_USER_IOMMUFD_IOAS_UNMAP',
  23: 'VFIO_USER_IOMMUFD_IOAS_COPY',
  24: 'VFIO_USER_IOMMUFD_BIND',
  25: 'VFIO_USER_IOMMUFD_ATTACH_PT',
  26: 'VFIO_USER_IOMMUFD_DETACH_PT',
  27: 'VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES',
  28: 'VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING',
  29: 'VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP',
};

/** Command numbers of this package's draft extension: unknown unless the `drafts` option is set. */
export const DRAFT_COMMANDS: ReadonlySet<number> = new Set([27, 28, 29]);

/** The command numbers this package knows. */
export type CommandNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20 | 21 | 22 | 23 | 24 | 25 | 26 | 27 | 28 | 29;

/** Byte offsets of the vfio_user_header fields. */
export const VFIO_USER_HEADER_OFFSET = { msg_id: 0, cmd: 2, msg_size: 4, flags: 8, error_no: 12 } as const;
/** Bytes of vfio_user_header, in front of every message. */
export const VFIO_USER_HEADER_SIZE = 16;

/** The value of each top-level VERSION capability a side does not advertise. */
export const CAPABILITY_DEFAULTS = { max_msg_fds: 1, max_data_xfer_size: 1048576, max_dma_maps: 65535, pgsizes: 4096, write_multiple: false } as const;

/** The max_msg_fds each dialect assumes for a peer that does not advertise it. */
export const DEFAULT_PEER_MAX_MSG_FDS = { default: 1, 'libvfio-user': 1, qemu: 8, 'rust-vmm': 1, spdk: 1 } as const;

/** How many fds travel with a message (the doc-free form of spec/types.ts FdRule). */
export type FdRuleKind = { readonly kind: 'none' } | { readonly kind: 'exactly'; readonly count: number } | { readonly kind: 'optional' } | { readonly kind: 'per_vector' } | { readonly kind: 'indexed' };

/** What the runtime needs to know of a command before its body: who sends it, its fd rules, and the capability that gates it. */
export interface CommandInfo {
  readonly name: string;
  readonly sender: 'client' | 'server';
  readonly status: 'base' | 'legacy' | 'iommufd' | 'draft';
  /** The capability path both sides must advertise first (`iommufd.supported`), or null. */
  readonly negotiated: string | null;
  readonly fds: { readonly request: FdRuleKind; readonly reply: FdRuleKind };
  /** Request flag bits that need a capability path both sides advertised (`VFIO_USER_IOMMUFD_MAP_FIXED_IOVA`: `iommufd.fixed_iova`). */
  readonly negotiatedBits: readonly { readonly name: string; readonly bit: number; readonly path: string }[];
}

/** Every command's {@link CommandInfo}, by number. */
export const COMMANDS: { readonly [C in CommandNumber]: CommandInfo } = {
  1: {
    name: 'VFIO_USER_VERSION', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'optional' } },
    negotiatedBits: [],
  },
  2: {
    name: 'VFIO_USER_DMA_MAP', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'optional' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  3: {
    name: 'VFIO_USER_DMA_UNMAP', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  4: {
    name: 'VFIO_USER_DEVICE_GET_INFO', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  5: {
    name: 'VFIO_USER_DEVICE_GET_REGION_INFO', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'optional' } },
    negotiatedBits: [],
  },
  6: {
    name: 'VFIO_USER_DEVICE_GET_REGION_IO_FDS', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'indexed' } },
    negotiatedBits: [],
  },
  7: {
    name: 'VFIO_USER_DEVICE_GET_IRQ_INFO', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  8: {
    name: 'VFIO_USER_DEVICE_SET_IRQS', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'per_vector' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  9: {
    name: 'VFIO_USER_REGION_READ', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  10: {
    name: 'VFIO_USER_REGION_WRITE', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  11: {
    name: 'VFIO_USER_DMA_READ', sender: 'server', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  12: {
    name: 'VFIO_USER_DMA_WRITE', sender: 'server', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  13: {
    name: 'VFIO_USER_DEVICE_RESET', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  14: {
    name: 'VFIO_USER_DIRTY_PAGES', sender: 'client', status: 'legacy', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  15: {
    name: 'VFIO_USER_REGION_WRITE_MULTI', sender: 'client', status: 'base', negotiated: 'write_multiple',
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  16: {
    name: 'VFIO_USER_DEVICE_FEATURE', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  17: {
    name: 'VFIO_USER_MIG_DATA_READ', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  18: {
    name: 'VFIO_USER_MIG_DATA_WRITE', sender: 'client', status: 'base', negotiated: null,
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  19: {
    name: 'VFIO_USER_IOMMUFD_ALLOC_IOAS', sender: 'client', status: 'iommufd', negotiated: 'iommufd.supported',
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  20: {
    name: 'VFIO_USER_IOMMUFD_DESTROY_IOAS', sender: 'client', status: 'iommufd', negotiated: 'iommufd.supported',
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  21: {
    name: 'VFIO_USER_IOMMUFD_IOAS_MAP', sender: 'client', status: 'iommufd', negotiated: 'iommufd.supported',
    fds: { request: { kind: 'exactly', count: 1 }, reply: { kind: 'none' } },
    negotiatedBits: [{ name: 'VFIO_USER_IOMMUFD_MAP_FIXED_IOVA', bit: 0x4, path: 'iommufd.fixed_iova' }],
  },
  22: {
    name: 'VFIO_USER_IOMMUFD_IOAS_UNMAP', sender: 'client', status: 'iommufd', negotiated: 'iommufd.supported',
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  23: {
    name: 'VFIO_USER_IOMMUFD_IOAS_COPY', sender: 'client', status: 'iommufd', negotiated: 'iommufd.supported',
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [{ name: 'VFIO_USER_IOMMUFD_MAP_FIXED_IOVA', bit: 0x4, path: 'iommufd.fixed_iova' }],
  },
  24: {
    name: 'VFIO_USER_IOMMUFD_BIND', sender: 'client', status: 'iommufd', negotiated: 'iommufd.supported',
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  25: {
    name: 'VFIO_USER_IOMMUFD_ATTACH_PT', sender: 'client', status: 'iommufd', negotiated: 'iommufd.supported',
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  26: {
    name: 'VFIO_USER_IOMMUFD_DETACH_PT', sender: 'client', status: 'iommufd', negotiated: 'iommufd.supported',
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  27: {
    name: 'VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES', sender: 'client', status: 'draft', negotiated: 'iommufd.iova_ranges',
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  28: {
    name: 'VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING', sender: 'client', status: 'draft', negotiated: 'iommufd.dirty_tracking',
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
  29: {
    name: 'VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP', sender: 'client', status: 'draft', negotiated: 'iommufd.dirty_tracking',
    fds: { request: { kind: 'none' }, reply: { kind: 'none' } },
    negotiatedBits: [],
  },
};
