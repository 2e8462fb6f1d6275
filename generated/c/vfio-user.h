/* Generated from spec/ by generator/c.ts (npm run generate). Do not edit. */
/*
 * vfio-user protocol: command numbers, flags, enumerations, limits and the wire structs.
 *
 * Constants that <linux/vfio.h> defines are wrapped in #ifndef, so the header adds only those the
 * installed kernel header lacks. The PCI region and IRQ indexes are enumerators there, which
 * #ifndef cannot see: their macros here carry the same values.
 *
 * Structs marked packed are __attribute__((packed)) (alignment 1); the others have their natural
 * alignment. No struct has padding between fields.
 *
 * Flexible array members are marked __extension__: ISO C++ has none, and ISO C forbids an array of
 * structs that end in one (vfio_user_dma_unmap.bitmap) and a struct that embeds such a struct
 * (vfio_user_bitmap_range.bitmap). GNU C and GNU C++ accept all three, with the layout given here;
 * __extension__ keeps -pedantic quiet about them.
 */

#ifndef VFIO_USER_PROTOCOL_VFIO_USER_H
#define VFIO_USER_PROTOCOL_VFIO_USER_H

#include <stdint.h>
#include <linux/vfio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Commands -------------------------------------------------------------------------------- */

/** Command numbers (vfio_user_header.cmd). */
enum vfio_user_command {
    /** Negotiate version and capabilities. */
    VFIO_USER_VERSION = 1,
    /** Map client memory for DMA. */
    VFIO_USER_DMA_MAP = 2,
    /** Unmap client memory. */
    VFIO_USER_DMA_UNMAP = 3,
    /** Device information. */
    VFIO_USER_DEVICE_GET_INFO = 4,
    /** Region information. */
    VFIO_USER_DEVICE_GET_REGION_INFO = 5,
    /** Region ioeventfds and ioregionfds. */
    VFIO_USER_DEVICE_GET_REGION_IO_FDS = 6,
    /** IRQ information. */
    VFIO_USER_DEVICE_GET_IRQ_INFO = 7,
    /** Configure IRQs. */
    VFIO_USER_DEVICE_SET_IRQS = 8,
    /** Read a region. */
    VFIO_USER_REGION_READ = 9,
    /** Write a region. */
    VFIO_USER_REGION_WRITE = 10,
    /** Server reads client memory. */
    VFIO_USER_DMA_READ = 11,
    /** Server writes client memory. */
    VFIO_USER_DMA_WRITE = 12,
    /** Reset the device. */
    VFIO_USER_DEVICE_RESET = 13,
    /**
     * Legacy dirty page tracking (removed). Legacy: removed from the protocol, kept for recognising
     * old traffic.
     */
    VFIO_USER_DIRTY_PAGES = 14,
    /** Batched small region writes. */
    VFIO_USER_REGION_WRITE_MULTI = 15,
    /** Get, set or probe a device feature. */
    VFIO_USER_DEVICE_FEATURE = 16,
    /** Read migration data. */
    VFIO_USER_MIG_DATA_READ = 17,
    /** Write migration data. */
    VFIO_USER_MIG_DATA_WRITE = 18,
    /** Allocate an I/O address space. iommufd extension (libvfio-user pull request #833). */
    VFIO_USER_IOMMUFD_ALLOC_IOAS = 19,
    /** Destroy an I/O address space. iommufd extension (libvfio-user pull request #833). */
    VFIO_USER_IOMMUFD_DESTROY_IOAS = 20,
    /** Map memory into an IOAS. iommufd extension (libvfio-user pull request #833). */
    VFIO_USER_IOMMUFD_IOAS_MAP = 21,
    /** Unmap memory from an IOAS. iommufd extension (libvfio-user pull request #833). */
    VFIO_USER_IOMMUFD_IOAS_UNMAP = 22,
    /** Copy mappings between IOASes. iommufd extension (libvfio-user pull request #833). */
    VFIO_USER_IOMMUFD_IOAS_COPY = 23,
    /** Bind the device to iommufd. iommufd extension (libvfio-user pull request #833). */
    VFIO_USER_IOMMUFD_BIND = 24,
    /** Attach the device to an IOAS. iommufd extension (libvfio-user pull request #833). */
    VFIO_USER_IOMMUFD_ATTACH_PT = 25,
    /** Detach the device from its IOAS. iommufd extension (libvfio-user pull request #833). */
    VFIO_USER_IOMMUFD_DETACH_PT = 26,
    /**
     * Query the IOVA windows of an IOAS (draft). Draft extension of this package, off by default.
     */
    VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES = 27,
    /**
     * Start or stop dirty tracking of an IOAS (draft). Draft extension of this package, off by
     * default.
     */
    VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING = 28,
    /**
     * Read the dirty bitmap of an IOAS range (draft). Draft extension of this package, off by
     * default.
     */
    VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP = 29,
    /** One more than the largest command number. */
    VFIO_USER_MAX = 30,
};

/* ---- Flags and enumerations ------------------------------------------------------------------ */

/*
 * header_flags (flags): vfio_user_header.flags. Bits 0-3 hold the message type (mask
 * VFIO_USER_F_TYPE_MASK); bits 6-31 are reserved and sent as 0.
 */
/** Type: a command. */
#define VFIO_USER_F_TYPE_COMMAND 0x0
/** Type: a reply. */
#define VFIO_USER_F_TYPE_REPLY 0x1
/** Mask of the type bits. */
#define VFIO_USER_F_TYPE_MASK 0xf
/**
 * On a command: the receiver sends no reply, not even an error. (The header's stale
 * VFIO_USER_FLAGS_NO_REPLY = 0x1 is not this bit.)
 */
#define VFIO_USER_F_NO_REPLY 0x10
/** On a reply: the command failed and error_no holds the errno. */
#define VFIO_USER_F_ERROR 0x20

/*
 * dma_map_flags (flags): vfio_user_dma_map.flags.
 */
/** The server may read the window. */
#define VFIO_USER_F_DMA_REGION_READ 0x1
/** The server may write the window. */
#define VFIO_USER_F_DMA_REGION_WRITE 0x2
/** Reach the window by mmap() of the passed fd (libvfio-user master, 2026; needs an fd). */
#define VFIO_USER_F_DMA_REGION_MMAP 0x4
/**
 * Reach the window by reading and writing the passed fd (libvfio-user master, 2026; needs an fd;
 * not with MMAP).
 */
#define VFIO_USER_F_DMA_REGION_FILE_IO 0x8

/*
 * dma_unmap_flags (flags): vfio_user_dma_unmap.flags. The QEMU document calls the field unused;
 * QEMU sends ALL and libvfio-user accepts both.
 */
#ifndef VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP
/**
 * Return the window's dirty bitmap before unmapping; a vfio_user_bitmap follows the struct. From
 * <linux/vfio.h>.
 */
#define VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP 0x1
#endif
#ifndef VFIO_DMA_UNMAP_FLAG_ALL
/** Unmap every window; addr and size are 0. From <linux/vfio.h>. */
#define VFIO_DMA_UNMAP_FLAG_ALL 0x2
#endif

/*
 * device_flags (flags): vfio_user_device_info.flags.
 *
 * From <linux/vfio.h>.
 */
#ifndef VFIO_DEVICE_FLAGS_RESET
/** The device supports reset. */
#define VFIO_DEVICE_FLAGS_RESET 0x1
#endif
#ifndef VFIO_DEVICE_FLAGS_PCI
/** A PCI device. */
#define VFIO_DEVICE_FLAGS_PCI 0x2
#endif
#ifndef VFIO_DEVICE_FLAGS_PLATFORM
/** A platform device. */
#define VFIO_DEVICE_FLAGS_PLATFORM 0x4
#endif
#ifndef VFIO_DEVICE_FLAGS_AMBA
/** An AMBA device. */
#define VFIO_DEVICE_FLAGS_AMBA 0x8
#endif
#ifndef VFIO_DEVICE_FLAGS_CCW
/** A CCW device. */
#define VFIO_DEVICE_FLAGS_CCW 0x10
#endif
#ifndef VFIO_DEVICE_FLAGS_AP
/** An AP device. */
#define VFIO_DEVICE_FLAGS_AP 0x20
#endif
#ifndef VFIO_DEVICE_FLAGS_FSL_MC
/** An FSL-MC device. */
#define VFIO_DEVICE_FLAGS_FSL_MC 0x40
#endif
#ifndef VFIO_DEVICE_FLAGS_CAPS
/** Kernel only: info has a capability chain (vfio-user has none). */
#define VFIO_DEVICE_FLAGS_CAPS 0x80
#endif

/*
 * region_info_flags (flags): vfio_region_info.flags.
 *
 * From <linux/vfio.h>.
 */
#ifndef VFIO_REGION_INFO_FLAG_READ
/** The region may be read. */
#define VFIO_REGION_INFO_FLAG_READ 0x1
#endif
#ifndef VFIO_REGION_INFO_FLAG_WRITE
/** The region may be written. */
#define VFIO_REGION_INFO_FLAG_WRITE 0x2
#endif
#ifndef VFIO_REGION_INFO_FLAG_MMAP
/** The region may be mmap()ed through the fd passed with the reply. */
#define VFIO_REGION_INFO_FLAG_MMAP 0x4
#endif
#ifndef VFIO_REGION_INFO_FLAG_CAPS
/** A capability chain starts at cap_offset. */
#define VFIO_REGION_INFO_FLAG_CAPS 0x8
#endif

/*
 * region_index (enum): Region indexes of a PCI device.
 *
 * From <linux/vfio.h>.
 */
#ifndef VFIO_PCI_BAR0_REGION_INDEX
/** BAR 0. */
#define VFIO_PCI_BAR0_REGION_INDEX 0
#endif
#ifndef VFIO_PCI_BAR1_REGION_INDEX
/** BAR 1. */
#define VFIO_PCI_BAR1_REGION_INDEX 1
#endif
#ifndef VFIO_PCI_BAR2_REGION_INDEX
/** BAR 2. */
#define VFIO_PCI_BAR2_REGION_INDEX 2
#endif
#ifndef VFIO_PCI_BAR3_REGION_INDEX
/** BAR 3. */
#define VFIO_PCI_BAR3_REGION_INDEX 3
#endif
#ifndef VFIO_PCI_BAR4_REGION_INDEX
/** BAR 4. */
#define VFIO_PCI_BAR4_REGION_INDEX 4
#endif
#ifndef VFIO_PCI_BAR5_REGION_INDEX
/** BAR 5. */
#define VFIO_PCI_BAR5_REGION_INDEX 5
#endif
#ifndef VFIO_PCI_ROM_REGION_INDEX
/** Expansion ROM. */
#define VFIO_PCI_ROM_REGION_INDEX 6
#endif
#ifndef VFIO_PCI_CONFIG_REGION_INDEX
/** Configuration space. */
#define VFIO_PCI_CONFIG_REGION_INDEX 7
#endif
#ifndef VFIO_PCI_VGA_REGION_INDEX
/** VGA. */
#define VFIO_PCI_VGA_REGION_INDEX 8
#endif

/*
 * region_info_cap (enum): vfio_info_cap_header.id in a region-info capability chain.
 *
 * From <linux/vfio.h>.
 */
#ifndef VFIO_REGION_INFO_CAP_SPARSE_MMAP
/** Sparse mmap areas (vfio_region_info_cap_sparse_mmap). */
#define VFIO_REGION_INFO_CAP_SPARSE_MMAP 1
#endif
#ifndef VFIO_REGION_INFO_CAP_TYPE
/** Region type and subtype (vfio_region_info_cap_type). */
#define VFIO_REGION_INFO_CAP_TYPE 2
#endif
#ifndef VFIO_REGION_INFO_CAP_MSIX_MAPPABLE
/** The MSI-X table may be mmap()ed; header only. */
#define VFIO_REGION_INFO_CAP_MSIX_MAPPABLE 3
#endif

/*
 * io_fd_type (enum): Sub-region entry type of DEVICE_GET_REGION_IO_FDS.
 */
/** An ioeventfd. */
#define VFIO_USER_IO_FD_TYPE_IOEVENTFD 0
/** An ioregionfd. */
#define VFIO_USER_IO_FD_TYPE_IOREGIONFD 1
/** An ioeventfd with shadow memory (libvfio-user). */
#define VFIO_USER_IO_FD_TYPE_IOEVENTFD_SHADOW 2

/*
 * irq_index (enum): IRQ indexes of a PCI device.
 *
 * From <linux/vfio.h>.
 */
#ifndef VFIO_PCI_INTX_IRQ_INDEX
/** INTx. */
#define VFIO_PCI_INTX_IRQ_INDEX 0
#endif
#ifndef VFIO_PCI_MSI_IRQ_INDEX
/** MSI. */
#define VFIO_PCI_MSI_IRQ_INDEX 1
#endif
#ifndef VFIO_PCI_MSIX_IRQ_INDEX
/** MSI-X. */
#define VFIO_PCI_MSIX_IRQ_INDEX 2
#endif
#ifndef VFIO_PCI_ERR_IRQ_INDEX
/** Error reporting. */
#define VFIO_PCI_ERR_IRQ_INDEX 3
#endif
#ifndef VFIO_PCI_REQ_IRQ_INDEX
/** Device request. */
#define VFIO_PCI_REQ_IRQ_INDEX 4
#endif

/*
 * irq_info_flags (flags): vfio_irq_info.flags.
 *
 * From <linux/vfio.h>.
 */
#ifndef VFIO_IRQ_INFO_EVENTFD
/** Signalled through an eventfd. */
#define VFIO_IRQ_INFO_EVENTFD 0x1
#endif
#ifndef VFIO_IRQ_INFO_MASKABLE
/** Can be masked. */
#define VFIO_IRQ_INFO_MASKABLE 0x2
#endif
#ifndef VFIO_IRQ_INFO_AUTOMASKED
/** Masked automatically when it fires. */
#define VFIO_IRQ_INFO_AUTOMASKED 0x4
#endif
#ifndef VFIO_IRQ_INFO_NORESIZE
/** Vector count cannot change. */
#define VFIO_IRQ_INFO_NORESIZE 0x8
#endif

/*
 * irq_set_flags (flags): vfio_irq_set.flags: exactly one data type (DATA_*) and exactly one action
 * (ACTION_*).
 *
 * From <linux/vfio.h>.
 */
#ifndef VFIO_IRQ_SET_DATA_NONE
/** No data. */
#define VFIO_IRQ_SET_DATA_NONE 0x1
#endif
#ifndef VFIO_IRQ_SET_DATA_BOOL
/** One byte per vector follows. */
#define VFIO_IRQ_SET_DATA_BOOL 0x2
#endif
#ifndef VFIO_IRQ_SET_DATA_EVENTFD
/** One eventfd per vector travels as an fd. */
#define VFIO_IRQ_SET_DATA_EVENTFD 0x4
#endif
#ifndef VFIO_IRQ_SET_ACTION_MASK
/** Mask. */
#define VFIO_IRQ_SET_ACTION_MASK 0x8
#endif
#ifndef VFIO_IRQ_SET_ACTION_UNMASK
/** Unmask. */
#define VFIO_IRQ_SET_ACTION_UNMASK 0x10
#endif
#ifndef VFIO_IRQ_SET_ACTION_TRIGGER
/** Trigger, or install the trigger eventfds. */
#define VFIO_IRQ_SET_ACTION_TRIGGER 0x20
#endif

/*
 * device_feature_flags (flags): vfio_user_device_feature.flags: the feature index (mask 0xffff) and
 * operation bits.
 *
 * From <linux/vfio.h>.
 */
#ifndef VFIO_DEVICE_FEATURE_MASK
/** Mask of the feature index. */
#define VFIO_DEVICE_FEATURE_MASK 0xffff
#endif
#ifndef VFIO_DEVICE_FEATURE_GET
/** Get the feature's value. */
#define VFIO_DEVICE_FEATURE_GET 0x10000
#endif
#ifndef VFIO_DEVICE_FEATURE_SET
/** Set the feature's value. */
#define VFIO_DEVICE_FEATURE_SET 0x20000
#endif
#ifndef VFIO_DEVICE_FEATURE_PROBE
/** Ask whether the other bits are supported. */
#define VFIO_DEVICE_FEATURE_PROBE 0x40000
#endif

/*
 * device_feature (enum): Feature index in vfio_user_device_feature.flags.
 *
 * From <linux/vfio.h>.
 */
#ifndef VFIO_DEVICE_FEATURE_MIGRATION
/** Migration capabilities (GET). */
#define VFIO_DEVICE_FEATURE_MIGRATION 1
#endif
#ifndef VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE
/** Migration state (GET, SET). */
#define VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE 2
#endif
#ifndef VFIO_DEVICE_FEATURE_DMA_LOGGING_START
/** Start dirty page logging (SET). */
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_START 6
#endif
#ifndef VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP
/** Stop dirty page logging (SET). */
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP 7
#endif
#ifndef VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT
/** Read and clear the dirty bitmap (GET). */
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT 8
#endif

/*
 * migration_flags (flags): vfio_user_device_feature_migration.flags.
 *
 * From <linux/vfio.h>.
 */
#ifndef VFIO_MIGRATION_STOP_COPY
/** Supports STOP_COPY. */
#define VFIO_MIGRATION_STOP_COPY 0x1
#endif
#ifndef VFIO_MIGRATION_P2P
/** Supports the P2P states (never set by libvfio-user). */
#define VFIO_MIGRATION_P2P 0x2
#endif
#ifndef VFIO_MIGRATION_PRE_COPY
/** Supports PRE_COPY. */
#define VFIO_MIGRATION_PRE_COPY 0x4
#endif

/**
 * Migration device states (vfio_user_device_feature_mig_state.device_state), numbered as the
 * kernel's.
 */
enum vfio_user_device_mig_state {
    /** Error; left only by DEVICE_RESET. */
    VFIO_USER_DEVICE_STATE_ERROR = 0,
    /** Stopped. */
    VFIO_USER_DEVICE_STATE_STOP = 1,
    /** Running. */
    VFIO_USER_DEVICE_STATE_RUNNING = 2,
    /** Stopped, saving the rest of the state. */
    VFIO_USER_DEVICE_STATE_STOP_COPY = 3,
    /** Receiving state. */
    VFIO_USER_DEVICE_STATE_RESUMING = 4,
    /** Running, no peer-to-peer DMA (unused by vfio-user). */
    VFIO_USER_DEVICE_STATE_RUNNING_P2P = 5,
    /** Running, saving state ahead of time. */
    VFIO_USER_DEVICE_STATE_PRE_COPY = 6,
    /** PRE_COPY without peer-to-peer DMA (unused by vfio-user). */
    VFIO_USER_DEVICE_STATE_PRE_COPY_P2P = 7,
};

/*
 * dirty_pages_flags (flags): vfio_user_dirty_pages.flags (legacy command 14).
 *
 * Legacy: removed from the protocol, kept for recognising old traffic.
 */
#ifndef VFIO_IOMMU_DIRTY_PAGES_FLAG_START
/** Start tracking. From <linux/vfio.h>. */
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_START 0x1
#endif
#ifndef VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP
/** Stop tracking. From <linux/vfio.h>. */
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP 0x2
#endif
#ifndef VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP
/** Return the bitmap of a range. From <linux/vfio.h>. */
#define VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP 0x4
#endif

/*
 * iommufd_ioas_map_flags (flags): vfio_user_iommufd_ioas_map.flags. Note the order: the kernel has
 * FIXED_IOVA at bit 0, WRITEABLE at 1, READABLE at 2.
 *
 * iommufd extension (libvfio-user pull request #833).
 */
/** The device may write. */
#define VFIO_USER_IOMMUFD_MAP_WRITEABLE 0x1
/** The device may read. */
#define VFIO_USER_IOMMUFD_MAP_READABLE 0x2
/**
 * Draft: iova is an input; map exactly there or fail with EEXIST. Draft extension of this package,
 * off by default.
 */
#define VFIO_USER_IOMMUFD_MAP_FIXED_IOVA 0x4

/*
 * iommufd_ioas_unmap_flags (flags): vfio_user_iommufd_ioas_unmap.flags.
 *
 * iommufd extension (libvfio-user pull request #833).
 */
/** Unmap everything (defined, ignored by the PR's server). */
#define VFIO_USER_IOMMUFD_UNMAP_ALL 0x1

/*
 * iommufd_attach_pt_flags (flags): vfio_user_iommufd_attach_pt.flags.
 *
 * iommufd extension (libvfio-user pull request #833).
 */
/** pasid is valid. */
#define VFIO_USER_IOMMUFD_ATTACH_PASID 0x1

/*
 * iommufd_dirty_tracking_flags (flags): vfio_user_iommufd_ioas_set_dirty_tracking.flags (draft).
 *
 * Draft extension of this package, off by default.
 */
/** Start tracking; clear to stop. */
#define VFIO_USER_IOMMUFD_DIRTY_TRACKING_ENABLE 0x1

/*
 * iommufd_get_dirty_bitmap_flags (flags): vfio_user_iommufd_ioas_get_dirty_bitmap.flags (draft).
 *
 * Draft extension of this package, off by default.
 */
/** Read the bitmap without clearing it. */
#define VFIO_USER_IOMMUFD_GET_DIRTY_BITMAP_NO_CLEAR 0x1

/*
 * iommufd_detach_pt_flags (flags): vfio_user_iommufd_detach_pt.flags.
 *
 * iommufd extension (libvfio-user pull request #833).
 */
/** pasid is valid. */
#define VFIO_USER_IOMMUFD_DETACH_PASID 0x1

/* ---- Limits ---------------------------------------------------------------------------------- */

/*
 * Defaults of the limits a receiver applies to every length taken from the wire. Each is the
 * default of the option of the same name (in camelCase) of this package's `Limits`; a receiver may
 * choose other values.
 */

/**
 * Largest msg_size accepted, header included: 16 + 16 + 1 MiB. Default of `maxMessageSize`. Source:
 * libvfio-user SERVER_MAX_MSG_SIZE.
 */
#define VFIO_USER_MAX_MESSAGE_SIZE_DEFAULT 1048608
/**
 * Largest data count of REGION_READ/WRITE, DMA_READ/WRITE and MIG_DATA_READ/WRITE; the default of
 * the max_data_xfer_size capability. Default of `maxDataXferSize`. Source: QEMU vfio-user.rst
 * "Version"; libvfio-user VFIO_USER_DEFAULT_MAX_DATA_XFER_SIZE.
 */
#define VFIO_USER_MAX_DATA_XFER_SIZE_DEFAULT 1048576
/**
 * File descriptors a receiver accepts on one message unless it advertises max_msg_fds. Default of
 * `maxMsgFds`. Source: QEMU vfio-user.rst "Version" (default 1).
 */
#define VFIO_USER_MAX_MSG_FDS_DEFAULT 1
/**
 * Largest error_no accepted in an error reply; 0 is accepted too (peers send it). Default of
 * `maxErrorNo`. Source: libvfio-user SERVER_MAX_ERROR_NO.
 */
#define VFIO_USER_MAX_ERROR_NO_DEFAULT 4096
/**
 * Largest VERSION capabilities JSON text, NUL included. Default of `maxJsonBytes`. Source: this
 * package.
 */
#define VFIO_USER_MAX_JSON_BYTES_DEFAULT 65536
/**
 * Deepest nesting of arrays and objects in the capabilities JSON. Default of `maxJsonDepth`.
 * Source: this package.
 */
#define VFIO_USER_MAX_JSON_DEPTH_DEFAULT 32
/**
 * Most capabilities in one GET_REGION_INFO chain. Default of `maxRegionCaps`. Source: this package.
 */
#define VFIO_USER_MAX_REGION_CAPS_DEFAULT 64
/** Most areas of one sparse-mmap capability. Default of `maxSparseAreas`. Source: this package. */
#define VFIO_USER_MAX_SPARSE_AREAS_DEFAULT 4096
/**
 * Most entries of one GET_REGION_IO_FDS reply. Default of `maxSubRegions`. Source: this package.
 */
#define VFIO_USER_MAX_SUB_REGIONS_DEFAULT 4096
/**
 * Largest SET_IRQS count (the MSI-X maximum). Default of `maxIrqVectors`. Source: PCI MSI-X table
 * size limit.
 */
#define VFIO_USER_MAX_IRQ_VECTORS_DEFAULT 2048
/**
 * Largest dirty bitmap in DMA_UNMAP, DMA_LOGGING_REPORT, DIRTY_PAGES and the draft IOAS dirty
 * bitmap. Default of `maxBitmapBytes`. Source: this package.
 */
#define VFIO_USER_MAX_BITMAP_BYTES_DEFAULT 1048576
/** Most ranges of DMA_LOGGING_START/STOP. Default of `maxLoggingRanges`. Source: this package. */
#define VFIO_USER_MAX_LOGGING_RANGES_DEFAULT 4096
/**
 * Most ranges of an IOMMUFD_IOAS_IOVA_RANGES reply (draft). Default of `maxIovaRanges`. Source:
 * this package.
 */
#define VFIO_USER_MAX_IOVA_RANGES_DEFAULT 4096
/**
 * Most entries of one REGION_WRITE_MULTI. Default of `maxWriteMultiEntries`. Source: QEMU
 * VFIO_USER_MULTI_MAX.
 */
#define VFIO_USER_MAX_WRITE_MULTI_ENTRIES_DEFAULT 200
/** The most data bytes one REGION_WRITE_MULTI entry (VFIOUserWROne) carries. */
#define VFIO_USER_WRITE_MULTI_DATA_MAX 8

/* ---- Structs --------------------------------------------------------------------------------- */

/*
 * Every message body is a byte stream of little-endian fields at the offsets given with each field.
 * The kernel structs that vfio-user reuses unchanged are not declared here: they come from
 * <linux/vfio.h>, included above.
 *
 * struct vfio_region_info: DEVICE_GET_REGION_INFO request and reply: the kernel struct, followed in
 * the reply by a capability chain. sizeof 32.
 *
 * struct vfio_info_cap_header: Header of every capability in a region-info chain. sizeof 8.
 *
 * struct vfio_region_sparse_mmap_area: One mmap-able area of a region. sizeof 16.
 *
 * struct vfio_region_info_cap_sparse_mmap: Capability 1: the parts of a region that may be
 * mmap()ed. sizeof 16.
 *
 * struct vfio_region_info_cap_type: Capability 2: a device-specific region type. sizeof 16.
 *
 * struct vfio_irq_info: DEVICE_GET_IRQ_INFO request and reply. sizeof 16.
 *
 * struct vfio_irq_set: DEVICE_SET_IRQS request. Eventfds travel as file descriptors, not in data.
 * sizeof 20.
 */

/**
 * The header in front of every message, command or reply.
 *
 * sizeof 16, packed.
 *
 * Ref: QEMU vfio-user.rst "Header"; libvfio-user tran_sock.c.
 */
struct vfio_user_header {
    /** Chosen by the sender of a command; the reply carries the same value. Offset 0. */
    uint16_t msg_id;
    /**
     * The command number; the reply carries the same value. Values: enum vfio_user_command. Offset
     * 2.
     */
    uint16_t cmd;
    /** Size of the whole message, header included. Offset 4. */
    uint32_t msg_size;
    /**
     * Message type in bits 0-3, NO_REPLY, ERROR; other bits reserved. Flags:
     * VFIO_USER_F_TYPE_COMMAND, VFIO_USER_F_TYPE_REPLY, VFIO_USER_F_TYPE_MASK,
     * VFIO_USER_F_NO_REPLY, VFIO_USER_F_ERROR. Offset 8.
     */
    uint32_t flags;
    /** errno (Linux numbering) in a reply with the ERROR flag; 0 otherwise. Offset 12. */
    uint32_t error_no;
} __attribute__((packed));

/**
 * VERSION request and reply: the protocol version, then an optional NUL-terminated JSON
 * capabilities object.
 *
 * sizeof 4, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_VERSION".
 */
struct vfio_user_version {
    /** Major version; 0 is the only one defined. Offset 0. */
    uint16_t major;
    /** Minor version; the reply carries a value not above the request's. Offset 2. */
    uint16_t minor;
    /** JSON capabilities text ending in a NUL byte. Flexible array member at offset 4. */
    __extension__ uint8_t data[];
} __attribute__((packed));

/**
 * DMA_MAP request: a window of client memory the server may use for DMA.
 *
 * sizeof 32, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DMA_MAP"; libvfio-user lib/libvfio-user.c handle_dma_map.
 */
struct vfio_user_dma_map {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /**
     * Access permissions and how the server reaches the memory. Flags: VFIO_USER_F_DMA_REGION_READ,
     * VFIO_USER_F_DMA_REGION_WRITE, VFIO_USER_F_DMA_REGION_MMAP, VFIO_USER_F_DMA_REGION_FILE_IO.
     * Offset 4.
     */
    uint32_t flags;
    /**
     * Offset into the passed file descriptor where the window starts; 0 without an fd. Offset 8.
     */
    uint64_t offset;
    /** DMA address (IOVA) of the window. Offset 16. */
    uint64_t addr;
    /** Size of the window in bytes. Offset 24. */
    uint64_t size;
} __attribute__((packed));

/**
 * A dirty-page bitmap header, inline version of the kernel's vfio_bitmap.
 *
 * sizeof 16, packed.
 *
 * Ref: libvfio-user include/vfio-user.h.
 */
struct vfio_user_bitmap {
    /** Page size one bit stands for. Offset 0. */
    uint64_t pgsize;
    /** Size of the bitmap in bytes: ceil(ceil(length / pgsize) / 64) * 8. Offset 8. */
    uint64_t size;
    /** The bitmap; bit i stands for page i. Flexible array member at offset 16. */
    __extension__ uint8_t data[];
} __attribute__((packed));

/**
 * DMA_UNMAP request and reply. The only vfio-user struct that is not packed; it has no padding
 * either way.
 *
 * sizeof 24.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DMA_UNMAP"; libvfio-user lib/libvfio-user.c handle_dma_unmap.
 */
struct vfio_user_dma_unmap {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /**
     * GET_DIRTY_BITMAP or ALL, or 0. Flags: VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
     * VFIO_DMA_UNMAP_FLAG_ALL. Offset 4.
     */
    uint32_t flags;
    /** DMA address of the window; 0 with ALL. Offset 8. */
    uint64_t addr;
    /** Size of the window; 0 with ALL. Offset 16. */
    uint64_t size;
    /**
     * With GET_DIRTY_BITMAP: the bitmap header, and in the reply the bitmap. Flexible array member
     * at offset 24.
     */
    __extension__ struct vfio_user_bitmap bitmap[];
};

/**
 * DEVICE_GET_INFO request and reply. 16 bytes, unlike the kernel's vfio_device_info (20 or 24).
 *
 * sizeof 16, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DEVICE_GET_INFO".
 */
struct vfio_user_device_info {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /**
     * Device capabilities. Flags: VFIO_DEVICE_FLAGS_RESET, VFIO_DEVICE_FLAGS_PCI,
     * VFIO_DEVICE_FLAGS_PLATFORM, VFIO_DEVICE_FLAGS_AMBA, VFIO_DEVICE_FLAGS_CCW,
     * VFIO_DEVICE_FLAGS_AP, VFIO_DEVICE_FLAGS_FSL_MC, VFIO_DEVICE_FLAGS_CAPS. Filled by the
     * responder. Offset 4.
     */
    uint32_t flags;
    /** Number of regions. Filled by the responder. Offset 8. */
    uint32_t num_regions;
    /** Number of IRQ indexes. Filled by the responder. Offset 12. */
    uint32_t num_irqs;
} __attribute__((packed));

/**
 * DEVICE_GET_REGION_IO_FDS request.
 *
 * sizeof 16, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DEVICE_GET_REGION_IO_FDS"; libvfio-user
 * handle_device_get_region_io_fds.
 */
struct vfio_user_region_io_fds_request {
    /** Size of the reply buffer the client accepts, 16 or more. Offset 0. */
    uint32_t argsz;
    /** Must be 0. Offset 4. */
    uint32_t flags;
    /** Region index. Offset 8. */
    uint32_t index;
    /** Must be 0. Offset 12. */
    uint32_t count;
} __attribute__((packed));

/**
 * An IO_FDS entry for an ioeventfd, 48 bytes (libvfio-user; with the shadow-memory fields).
 *
 * sizeof 48, packed.
 *
 * Ref: libvfio-user include/vfio-user.h.
 */
struct vfio_user_sub_region_ioeventfd {
    /** Offset of the sub-region within the region. Offset 0. */
    uint64_t gpa_offset;
    /** Size of the sub-region. Offset 8. */
    uint64_t size;
    /** Index of the eventfd in the reply's fd array. Offset 16. */
    uint32_t fd_index;
    /**
     * Entry type. Values: VFIO_USER_IO_FD_TYPE_IOEVENTFD, VFIO_USER_IO_FD_TYPE_IOREGIONFD,
     * VFIO_USER_IO_FD_TYPE_IOEVENTFD_SHADOW. Offset 20.
     */
    uint32_t type;
    /** KVM ioeventfd flags the device registered. Offset 24. */
    uint32_t flags;
    /** Index of the shadow memory fd (type IOEVENTFD_SHADOW), else 0. Offset 28. */
    uint32_t shadow_mem_fd_index;
    /** Offset in the shadow memory fd. Offset 32. */
    uint64_t shadow_offset;
    /** Value a write must carry to signal the eventfd. Offset 40. */
    uint64_t datamatch;
} __attribute__((packed));

/**
 * An IO_FDS entry for an ioregionfd, 40 bytes. Also the layout of the QEMU document's 40-byte
 * entries.
 *
 * sizeof 40, packed.
 *
 * Ref: libvfio-user include/vfio-user.h; QEMU vfio-user.rst "VFIO_USER_DEVICE_GET_REGION_IO_FDS".
 */
struct vfio_user_sub_region_ioregionfd {
    /** Offset of the sub-region within the region. Offset 0. */
    uint64_t offset;
    /** Size of the sub-region. Offset 8. */
    uint64_t size;
    /** Index of the fd in the reply's fd array. Offset 16. */
    uint32_t fd_index;
    /**
     * Entry type. Values: VFIO_USER_IO_FD_TYPE_IOEVENTFD, VFIO_USER_IO_FD_TYPE_IOREGIONFD,
     * VFIO_USER_IO_FD_TYPE_IOEVENTFD_SHADOW. Offset 20.
     */
    uint32_t type;
    /** Entry flags. Offset 24. */
    uint32_t flags;
    /** Reserved, 0. Offset 28. */
    uint32_t padding;
    /**
     * Value passed back to the server with each access (datamatch for ioeventfd entries in the QEMU
     * document). Offset 32.
     */
    uint64_t user_data;
} __attribute__((packed));

/**
 * One DEVICE_GET_REGION_IO_FDS entry: 48 bytes in libvfio-user.
 *
 * sizeof 48.
 */
union sub_region {
    /** An IO_FDS entry for an ioeventfd, 48 bytes (libvfio-user; with the shadow-memory fields). */
    struct vfio_user_sub_region_ioeventfd ioeventfd;
    /**
     * An IO_FDS entry for an ioregionfd, 40 bytes. Also the layout of the QEMU document's 40-byte
     * entries.
     */
    struct vfio_user_sub_region_ioregionfd ioregionfd;
};

/**
 * DEVICE_GET_REGION_IO_FDS reply: the request fields, then the sub-region array if it fitted in
 * argsz.
 *
 * sizeof 16, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DEVICE_GET_REGION_IO_FDS"; libvfio-user
 * handle_device_get_region_io_fds.
 */
struct vfio_user_region_io_fds_reply {
    /** Size needed for the whole answer: 16 + stride * count. Filled by the responder. Offset 0. */
    uint32_t argsz;
    /** 0. Filled by the responder. Offset 4. */
    uint32_t flags;
    /** Region index. Offset 8. */
    uint32_t index;
    /**
     * Number of sub-regions, even when the array is left out. Filled by the responder. Offset 12.
     */
    uint32_t count;
    /**
     * Present only when argsz of the request was large enough. Flexible array member at offset 16.
     */
    __extension__ union sub_region sub_regions[];
} __attribute__((packed));

/**
 * Defined by the protocol header; never carried by any message.
 *
 * sizeof 4, packed.
 *
 * Ref: libvfio-user include/vfio-user.h.
 */
struct vfio_user_irq_info {
    /** Unused. Offset 0. */
    uint32_t subindex;
} __attribute__((packed));

/**
 * REGION_READ and REGION_WRITE request and reply.
 *
 * sizeof 16, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_REGION_READ", "VFIO_USER_REGION_WRITE".
 */
struct vfio_user_region_access {
    /** Offset within the region. Offset 0. */
    uint64_t offset;
    /** Region index. Offset 8. */
    uint32_t region;
    /** Number of bytes. Offset 12. */
    uint32_t count;
    /** The bytes written, or read. Flexible array member at offset 16. */
    __extension__ uint8_t data[];
} __attribute__((packed));

/**
 * DMA_READ and DMA_WRITE request and reply (server to client).
 *
 * sizeof 16, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DMA_READ", "VFIO_USER_DMA_WRITE"; libvfio-user lib/dma.c.
 */
struct vfio_user_dma_region_access {
    /** DMA address. Offset 0. */
    uint64_t addr;
    /** Number of bytes. Offset 8. */
    uint64_t count;
    /** The bytes written, or read. Flexible array member at offset 16. */
    __extension__ uint8_t data[];
} __attribute__((packed));

/**
 * QEMU's layout of DMA_READ and DMA_WRITE: a 32-bit count and the data right after it, at offset
 * 12; sizeof is 16 (32 with the header), and QEMU sizes a message sizeof + count, so 4 zero bytes
 * follow the data.
 *
 * sizeof 16: the fields end at 12, where the flexible member starts; C pads sizeof to a multiple of
 * the alignment, 8. QEMU's layout (hw/vfio-user/protocol.h).
 *
 * Ref: QEMU hw/vfio-user/protocol.h VFIOUserDMARW.
 */
typedef struct {
    /** DMA address. Offset 0. */
    uint64_t offset;
    /** Number of bytes. Offset 8. */
    uint32_t count;
    /** The bytes written, or read. Flexible array member at offset 12. */
    __extension__ uint8_t data[];
} VFIOUserDMARW;

/**
 * DEVICE_FEATURE request and reply: the kernel's vfio_device_feature over the socket.
 *
 * sizeof 8, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DEVICE_FEATURE"; libvfio-user lib/libvfio-user.c
 * handle_device_feature.
 */
struct vfio_user_device_feature {
    /**
     * Request: the largest reply the client accepts. Reply: the reply's size. Filled by both sides.
     * Offset 0.
     */
    uint32_t argsz;
    /**
     * Feature index in bits 0-15 and the GET, SET, PROBE operation bits. Flags:
     * VFIO_DEVICE_FEATURE_MASK, VFIO_DEVICE_FEATURE_GET, VFIO_DEVICE_FEATURE_SET,
     * VFIO_DEVICE_FEATURE_PROBE. Offset 4.
     */
    uint32_t flags;
    /** The feature's payload. Flexible array member at offset 8. */
    __extension__ uint8_t data[];
} __attribute__((packed));

/**
 * Payload of feature 1, MIGRATION (GET).
 *
 * sizeof 8, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DEVICE_FEATURE".
 */
struct vfio_user_device_feature_migration {
    /**
     * Migration capabilities. Flags: VFIO_MIGRATION_STOP_COPY, VFIO_MIGRATION_P2P,
     * VFIO_MIGRATION_PRE_COPY. Filled by the responder. Offset 0.
     */
    uint64_t flags;
} __attribute__((packed));

/**
 * Payload of feature 2, MIG_DEVICE_STATE (GET and SET).
 *
 * sizeof 8, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DEVICE_FEATURE".
 */
struct vfio_user_device_feature_mig_state {
    /** Migration state. Values: enum vfio_user_device_mig_state. Filled by both sides. Offset 0. */
    uint32_t device_state;
    /**
     * Unused in vfio-user (the kernel's data fd); libvfio-user sends 0 and its client -1. Offset 4.
     */
    uint32_t data_fd;
} __attribute__((packed));

/**
 * One IOVA range of DMA_LOGGING_START/STOP.
 *
 * sizeof 16, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DEVICE_FEATURE".
 */
struct vfio_user_device_feature_dma_logging_range {
    /** Start of the range. Offset 0. */
    uint64_t iova;
    /** Length of the range. Offset 8. */
    uint64_t length;
} __attribute__((packed));

/**
 * Payload of features 6 and 7, DMA_LOGGING_START and _STOP (SET). Ranges are inline, not a pointer.
 *
 * sizeof 16, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DEVICE_FEATURE".
 */
struct vfio_user_device_feature_dma_logging_control {
    /** Tracking granularity: a hint in, the chosen size out. Filled by both sides. Offset 0. */
    uint64_t page_size;
    /** Number of ranges that follow; 0 means all memory. Offset 8. */
    uint32_t num_ranges;
    /** Reserved, 0. Offset 12. */
    uint32_t reserved;
    /** The ranges to track. Flexible array member at offset 16. */
    __extension__ struct vfio_user_device_feature_dma_logging_range ranges[];
} __attribute__((packed));

/**
 * Payload of feature 8, DMA_LOGGING_REPORT (GET). The bitmap is inline, not a pointer.
 *
 * sizeof 24, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_DEVICE_FEATURE".
 */
struct vfio_user_device_feature_dma_logging_report {
    /** Start of the range to report. Offset 0. */
    uint64_t iova;
    /** Length of the range. Offset 8. */
    uint64_t length;
    /** Page size one bit stands for. Offset 16. */
    uint64_t page_size;
    /**
     * Reply only: ceil(ceil(length / page_size) / 64) * 8 bytes, bit i = page i. Flexible array
     * member at offset 24.
     */
    __extension__ uint8_t bitmap[];
} __attribute__((packed));

/**
 * MIG_DATA_READ and MIG_DATA_WRITE request and reply.
 *
 * sizeof 8, packed.
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_MIG_DATA_READ", "VFIO_USER_MIG_DATA_WRITE".
 */
struct vfio_user_mig_data {
    /** Size of this struct and the data it carries or asks for. Offset 0. */
    uint32_t argsz;
    /**
     * Bytes wanted (read request), carried (write request) or actually read (read reply; 0 at the
     * end of the stream). Offset 4.
     */
    uint32_t size;
    /** Migration data. Flexible array member at offset 8. */
    __extension__ uint8_t data[];
} __attribute__((packed));

/**
 * DIRTY_PAGES (14) request and reply, removed with migration v2 in 2023.
 *
 * sizeof 8, packed. Legacy: removed from the protocol, kept for recognising old traffic.
 *
 * Ref: libvfio-user include/vfio-user.h before commit 190f85b.
 */
struct vfio_user_dirty_pages {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /**
     * START, STOP or GET_BITMAP. Flags: VFIO_IOMMU_DIRTY_PAGES_FLAG_START,
     * VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP, VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP. Offset 4.
     */
    uint32_t flags;
} __attribute__((packed));

/**
 * DIRTY_PAGES GET_BITMAP range, followed in the reply by the bitmap.
 *
 * sizeof 32, packed. Legacy: removed from the protocol, kept for recognising old traffic.
 *
 * Ref: libvfio-user include/vfio-user.h before commit 190f85b.
 */
__extension__ struct vfio_user_bitmap_range {
    /** Start of the range. Offset 0. */
    uint64_t iova;
    /** Length of the range. Offset 8. */
    uint64_t size;
    /** Bitmap header. Offset 16. */
    struct vfio_user_bitmap bitmap;
} __attribute__((packed));

/**
 * One REGION_WRITE_MULTI entry: a write of at most 8 bytes.
 *
 * sizeof 24. QEMU's layout (hw/vfio-user/protocol.h).
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_REGION_WRITE_MULTI".
 */
typedef struct {
    /** Offset within the region. Offset 0. */
    uint64_t offset;
    /** Region index. Offset 8. */
    uint32_t region;
    /** Bytes to write, at most 8. Offset 12. */
    uint32_t count;
    /** The bytes, left-aligned. Offset 16. */
    uint8_t data[8];
} VFIOUserWROne;

/**
 * REGION_WRITE_MULTI (15) request body after the header (QEMU's struct also embeds the header); the
 * reply is the same 8 bytes (writes completed).
 *
 * sizeof 8. QEMU's layout (hw/vfio-user/protocol.h).
 *
 * Ref: QEMU vfio-user.rst "VFIO_USER_REGION_WRITE_MULTI"; QEMU hw/vfio-user/protocol.h.
 */
typedef struct {
    /** Number of write entries. Offset 0. */
    uint64_t wr_cnt;
    /** The writes. Flexible array member at offset 8. */
    __extension__ VFIOUserWROne wrs[];
} VFIOUserWRMulti;

/**
 * IOMMUFD_ALLOC_IOAS request and reply: creates an I/O address space.
 *
 * sizeof 16, packed. iommufd extension (libvfio-user pull request #833).
 *
 * Ref: libvfio-user PR #833 include/vfio-user.h; lib/iommufd.c.
 */
struct vfio_user_iommufd_alloc_ioas {
    /** Size of this struct; the PR's server replies with 0. Offset 0. */
    uint32_t argsz;
    /** Reserved, 0. Offset 4. */
    uint32_t flags;
    /** The new IOAS id (1, 2, ...). Filled by the responder. Offset 8. */
    uint32_t out_ioas_id;
    /** Reserved, 0. Offset 12. */
    uint32_t __reserved;
} __attribute__((packed));

/**
 * IOMMUFD_DESTROY_IOAS request.
 *
 * sizeof 16, packed. iommufd extension (libvfio-user pull request #833).
 *
 * Ref: libvfio-user PR #833 include/vfio-user.h; lib/iommufd.c.
 */
struct vfio_user_iommufd_destroy_ioas {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /** Reserved, 0. Offset 4. */
    uint32_t flags;
    /** IOAS to destroy. Offset 8. */
    uint32_t ioas_id;
    /** Reserved, 0. Offset 12. */
    uint32_t __reserved;
} __attribute__((packed));

/**
 * IOMMUFD_IOAS_MAP request and reply: maps the passed fd into an IOAS at an IOVA the server
 * chooses.
 *
 * sizeof 48, packed. iommufd extension (libvfio-user pull request #833).
 *
 * Ref: libvfio-user PR #833 include/vfio-user.h; lib/iommufd.c.
 */
struct vfio_user_iommufd_ioas_map {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /**
     * WRITEABLE (bit 0) and READABLE (bit 1). Flags: VFIO_USER_IOMMUFD_MAP_WRITEABLE,
     * VFIO_USER_IOMMUFD_MAP_READABLE, VFIO_USER_IOMMUFD_MAP_FIXED_IOVA. Offset 4.
     */
    uint32_t flags;
    /** Target IOAS. Offset 8. */
    uint32_t ioas_id;
    /** Reserved, 0. Offset 12. */
    uint32_t __reserved;
    /** The client's own address of the memory; remembered, not used. Offset 16. */
    uint64_t user_va;
    /** Size of the mapping. Offset 24. */
    uint64_t length;
    /** The IOVA the server chose for the mapping. Filled by the responder. Offset 32. */
    uint64_t iova;
    /** Offset into the passed fd. Offset 40. */
    uint64_t offset;
} __attribute__((packed));

/**
 * IOMMUFD_IOAS_UNMAP request: removes one mapping, matched exactly.
 *
 * sizeof 32, packed. iommufd extension (libvfio-user pull request #833).
 *
 * Ref: libvfio-user PR #833 include/vfio-user.h; lib/iommufd.c.
 */
struct vfio_user_iommufd_ioas_unmap {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /**
     * UNMAP_ALL (bit 0), defined but ignored by the PR's server. Flags:
     * VFIO_USER_IOMMUFD_UNMAP_ALL. Offset 4.
     */
    uint32_t flags;
    /** IOAS. Offset 8. */
    uint32_t ioas_id;
    /** Reserved, 0. Offset 12. */
    uint32_t __reserved;
    /** IOVA of the mapping. Offset 16. */
    uint64_t iova;
    /** Length of the mapping. Offset 24. */
    uint64_t length;
} __attribute__((packed));

/**
 * IOMMUFD_IOAS_COPY request: defined by the PR, which has no handler for it. Source before
 * destination, unlike the kernel.
 *
 * sizeof 40, packed. iommufd extension (libvfio-user pull request #833).
 *
 * Ref: libvfio-user PR #833 include/vfio-user.h.
 */
struct vfio_user_iommufd_ioas_copy {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /**
     * Map flags for the copy. Flags: VFIO_USER_IOMMUFD_MAP_WRITEABLE,
     * VFIO_USER_IOMMUFD_MAP_READABLE, VFIO_USER_IOMMUFD_MAP_FIXED_IOVA. Offset 4.
     */
    uint32_t flags;
    /** Source IOAS. Offset 8. */
    uint32_t src_ioas_id;
    /** Destination IOAS. Offset 12. */
    uint32_t dst_ioas_id;
    /** Source IOVA. Offset 16. */
    uint64_t src_iova;
    /** Destination IOVA. Filled by both sides. Offset 24. */
    uint64_t dst_iova;
    /** Length to copy. Offset 32. */
    uint64_t length;
} __attribute__((packed));

/**
 * IOMMUFD_BIND request and reply: binds the device to the iommufd context.
 *
 * sizeof 16, packed. iommufd extension (libvfio-user pull request #833).
 *
 * Ref: libvfio-user PR #833 include/vfio-user.h; lib/iommufd.c.
 */
struct vfio_user_iommufd_bind {
    /** Size of this struct; the PR's server replies with 0. Offset 0. */
    uint32_t argsz;
    /** Reserved, 0. Offset 4. */
    uint32_t flags;
    /** The client's iommufd number; ignored (no fd is passed). Offset 8. */
    int32_t iommufd;
    /** Device id (the PR's server always returns 1). Filled by the responder. Offset 12. */
    uint32_t out_devid;
} __attribute__((packed));

/**
 * IOMMUFD_ATTACH_PT request: makes an IOAS the device's DMA address space.
 *
 * sizeof 16, packed. iommufd extension (libvfio-user pull request #833).
 *
 * Ref: libvfio-user PR #833 include/vfio-user.h; lib/iommufd.c.
 */
struct vfio_user_iommufd_attach_pt {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /**
     * ATTACH_PASID (bit 0), ignored by the PR's server. Flags: VFIO_USER_IOMMUFD_ATTACH_PASID.
     * Offset 4.
     */
    uint32_t flags;
    /**
     * IOAS to attach. Documented as in/out; the PR's server never writes it back. Filled by both
     * sides. Offset 8.
     */
    uint32_t pt_id;
    /** PASID, with ATTACH_PASID. Offset 12. */
    uint32_t pasid;
} __attribute__((packed));

/**
 * IOMMUFD_DETACH_PT request: detaches the device from its IOAS.
 *
 * sizeof 16, packed. iommufd extension (libvfio-user pull request #833).
 *
 * Ref: libvfio-user PR #833 include/vfio-user.h; lib/iommufd.c.
 */
struct vfio_user_iommufd_detach_pt {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /** DETACH_PASID (bit 0). Flags: VFIO_USER_IOMMUFD_DETACH_PASID. Offset 4. */
    uint32_t flags;
    /** PASID, with DETACH_PASID. Offset 8. */
    uint32_t pasid;
    /** Reserved, 0. Offset 12. */
    uint32_t __reserved;
} __attribute__((packed));

/**
 * One IOVA window of an IOAS, both ends included (draft).
 *
 * sizeof 16, packed. Draft extension of this package, off by default.
 *
 * Ref: this package's iommufd draft; the kernel's iommu_iova_range.
 */
struct vfio_user_iommufd_iova_range {
    /** First IOVA of the window. Offset 0. */
    uint64_t start;
    /** Last IOVA of the window (inclusive). Offset 8. */
    uint64_t last;
} __attribute__((packed));

/**
 * IOMMUFD_IOAS_IOVA_RANGES request and reply (draft): the IOVA windows an IOAS accepts and their
 * alignment.
 *
 * sizeof 24, packed. Draft extension of this package, off by default.
 *
 * Ref: this package's iommufd draft; the kernel's IOMMU_IOAS_IOVA_RANGES.
 */
struct vfio_user_iommufd_ioas_iova_ranges {
    /**
     * Request: size of the reply buffer the client accepts. Reply: size needed for every range.
     * Filled by both sides. Offset 0.
     */
    uint32_t argsz;
    /** Reserved, 0. Offset 4. */
    uint32_t flags;
    /** The IOAS. Offset 8. */
    uint32_t ioas_id;
    /**
     * Request: ranges that fit in the reply. Reply: number of ranges, even when they are left out.
     * Filled by both sides. Offset 12.
     */
    uint32_t num_iovas;
    /** Alignment every mapping of the IOAS needs. Filled by the responder. Offset 16. */
    uint64_t out_iova_alignment;
    /** Reply only, when all ranges fit. Flexible array member at offset 24. */
    __extension__ struct vfio_user_iommufd_iova_range allowed_iovas[];
} __attribute__((packed));

/**
 * IOMMUFD_IOAS_SET_DIRTY_TRACKING request (draft): starts or stops dirty-page tracking of an IOAS.
 *
 * sizeof 16, packed. Draft extension of this package, off by default.
 *
 * Ref: this package's iommufd draft; the kernel's IOMMU_HWPT_SET_DIRTY_TRACKING.
 */
struct vfio_user_iommufd_ioas_set_dirty_tracking {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /**
     * ENABLE (bit 0) starts tracking; clear stops it. Flags:
     * VFIO_USER_IOMMUFD_DIRTY_TRACKING_ENABLE. Offset 4.
     */
    uint32_t flags;
    /** The IOAS. Offset 8. */
    uint32_t ioas_id;
    /** Reserved, 0. Offset 12. */
    uint32_t __reserved;
} __attribute__((packed));

/**
 * IOMMUFD_IOAS_GET_DIRTY_BITMAP request and reply (draft): the dirty bitmap of a range, inline in
 * the reply.
 *
 * sizeof 40, packed. Draft extension of this package, off by default.
 *
 * Ref: this package's iommufd draft; the kernel's IOMMU_HWPT_GET_DIRTY_BITMAP.
 */
struct vfio_user_iommufd_ioas_get_dirty_bitmap {
    /** Size of the whole argument, this struct and what follows it, in bytes. Offset 0. */
    uint32_t argsz;
    /**
     * NO_CLEAR (bit 0): read without clearing. Flags: VFIO_USER_IOMMUFD_GET_DIRTY_BITMAP_NO_CLEAR.
     * Offset 4.
     */
    uint32_t flags;
    /** The IOAS. Offset 8. */
    uint32_t ioas_id;
    /** Reserved, 0. Offset 12. */
    uint32_t __reserved;
    /** Start of the range. Offset 16. */
    uint64_t iova;
    /** Length of the range. Offset 24. */
    uint64_t length;
    /** Page size one bit stands for; a power of two. Offset 32. */
    uint64_t page_size;
    /**
     * Reply only: ceil(ceil(length / page_size) / 64) * 8 bytes, bit i = page i. Flexible array
     * member at offset 40.
     */
    __extension__ uint8_t data[];
} __attribute__((packed));

#ifdef __cplusplus
}
#endif

#endif /* VFIO_USER_PROTOCOL_VFIO_USER_H */
