-- Generated from spec/ by generator/wireshark.ts (npm run generate). Do not edit.
--
-- A Wireshark dissector for vfio-user. Load it with
--   wireshark -X lua_script:vfio-user.lua capture.pcapng
--   tshark -X lua_script:vfio-user.lua -r capture.pcapng -V
-- or copy it to ~/.local/lib/wireshark/plugins/. Captures come from
-- `vfio-user pcap` (pcapng with LINKTYPE_WIRESHARK_UPPER_PDU, 252: exported-PDU
-- tags name the dissector vfio_user_capture, which reads a 16-byte pseudo-header
-- -- direction, socket, fd count, connection, seq -- and then the message).
-- For bytes of a Unix-socket stream, "Decode As" vfio_user.
--
-- Field names are the paths of `vfio-user decode --output json`:
-- vfio_user.<command>.<C field>[.<C field>...]. The dialect of each side is a
-- preference (Edit > Preferences > Protocols > VFIO_USER).

local STRUCTS = {
  vfio_user_header = {
    size = 16,
    fields = {
      { name = "msg_id", type = "u16", off = 0, len = 2 },
      { name = "cmd", type = "u16", off = 2, len = 2 },
      { name = "msg_size", type = "u32", off = 4, len = 4 },
      { name = "flags", type = "u32", off = 8, len = 4 },
      { name = "error_no", type = "u32", off = 12, len = 4 },
    },
  },
  vfio_user_version = {
    size = 4,
    fields = {
      { name = "major", type = "u16", off = 0, len = 2 },
      { name = "minor", type = "u16", off = 2, len = 2 },
    },
    flex = { name = "data" },
  },
  vfio_user_dma_map = {
    size = 32,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "offset", type = "u64", off = 8, len = 8 },
      { name = "addr", type = "u64", off = 16, len = 8 },
      { name = "size", type = "u64", off = 24, len = 8 },
    },
  },
  vfio_user_bitmap = {
    size = 16,
    fields = {
      { name = "pgsize", type = "u64", off = 0, len = 8 },
      { name = "size", type = "u64", off = 8, len = 8 },
    },
    flex = { name = "data" },
  },
  vfio_user_dma_unmap = {
    size = 24,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "addr", type = "u64", off = 8, len = 8 },
      { name = "size", type = "u64", off = 16, len = 8 },
    },
    flex = { name = "bitmap", struct = "vfio_user_bitmap" },
  },
  vfio_user_device_info = {
    size = 16,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "num_regions", type = "u32", off = 8, len = 4 },
      { name = "num_irqs", type = "u32", off = 12, len = 4 },
    },
  },
  vfio_region_info = {
    size = 32,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "index", type = "u32", off = 8, len = 4 },
      { name = "cap_offset", type = "u32", off = 12, len = 4 },
      { name = "size", type = "u64", off = 16, len = 8 },
      { name = "offset", type = "u64", off = 24, len = 8 },
    },
  },
  vfio_info_cap_header = {
    size = 8,
    fields = {
      { name = "id", type = "u16", off = 0, len = 2 },
      { name = "version", type = "u16", off = 2, len = 2 },
      { name = "next", type = "u32", off = 4, len = 4 },
    },
  },
  vfio_region_sparse_mmap_area = {
    size = 16,
    fields = {
      { name = "offset", type = "u64", off = 0, len = 8 },
      { name = "size", type = "u64", off = 8, len = 8 },
    },
  },
  vfio_region_info_cap_sparse_mmap = {
    size = 16,
    fields = {
      { name = "header", type = "struct", off = 0, len = 8, struct = "vfio_info_cap_header" },
      { name = "nr_areas", type = "u32", off = 8, len = 4 },
      { name = "reserved", type = "u32", off = 12, len = 4 },
    },
    flex = { name = "areas", struct = "vfio_region_sparse_mmap_area" },
  },
  vfio_region_info_cap_type = {
    size = 16,
    fields = {
      { name = "header", type = "struct", off = 0, len = 8, struct = "vfio_info_cap_header" },
      { name = "type", type = "u32", off = 8, len = 4 },
      { name = "subtype", type = "u32", off = 12, len = 4 },
    },
  },
  vfio_user_region_io_fds_request = {
    size = 16,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "index", type = "u32", off = 8, len = 4 },
      { name = "count", type = "u32", off = 12, len = 4 },
    },
  },
  vfio_user_sub_region_ioeventfd = {
    size = 48,
    fields = {
      { name = "gpa_offset", type = "u64", off = 0, len = 8 },
      { name = "size", type = "u64", off = 8, len = 8 },
      { name = "fd_index", type = "u32", off = 16, len = 4 },
      { name = "type", type = "u32", off = 20, len = 4 },
      { name = "flags", type = "u32", off = 24, len = 4 },
      { name = "shadow_mem_fd_index", type = "u32", off = 28, len = 4 },
      { name = "shadow_offset", type = "u64", off = 32, len = 8 },
      { name = "datamatch", type = "u64", off = 40, len = 8 },
    },
  },
  vfio_user_sub_region_ioregionfd = {
    size = 40,
    fields = {
      { name = "offset", type = "u64", off = 0, len = 8 },
      { name = "size", type = "u64", off = 8, len = 8 },
      { name = "fd_index", type = "u32", off = 16, len = 4 },
      { name = "type", type = "u32", off = 20, len = 4 },
      { name = "flags", type = "u32", off = 24, len = 4 },
      { name = "padding", type = "u32", off = 28, len = 4 },
      { name = "user_data", type = "u64", off = 32, len = 8 },
    },
  },
  vfio_user_region_io_fds_reply = {
    size = 16,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "index", type = "u32", off = 8, len = 4 },
      { name = "count", type = "u32", off = 12, len = 4 },
    },
    flex = { name = "sub_regions" },
  },
  vfio_irq_info = {
    size = 16,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "index", type = "u32", off = 8, len = 4 },
      { name = "count", type = "u32", off = 12, len = 4 },
    },
  },
  vfio_user_irq_info = { size = 4, fields = { { name = "subindex", type = "u32", off = 0, len = 4 } } },
  vfio_irq_set = {
    size = 20,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "index", type = "u32", off = 8, len = 4 },
      { name = "start", type = "u32", off = 12, len = 4 },
      { name = "count", type = "u32", off = 16, len = 4 },
    },
    flex = { name = "data" },
  },
  vfio_user_region_access = {
    size = 16,
    fields = {
      { name = "offset", type = "u64", off = 0, len = 8 },
      { name = "region", type = "u32", off = 8, len = 4 },
      { name = "count", type = "u32", off = 12, len = 4 },
    },
    flex = { name = "data" },
  },
  vfio_user_dma_region_access = {
    size = 16,
    fields = {
      { name = "addr", type = "u64", off = 0, len = 8 },
      { name = "count", type = "u64", off = 8, len = 8 },
    },
    flex = { name = "data" },
  },
  VFIOUserDMARW = {
    size = 12,
    fields = {
      { name = "offset", type = "u64", off = 0, len = 8 },
      { name = "count", type = "u32", off = 8, len = 4 },
    },
    flex = { name = "data" },
  },
  vfio_user_device_feature = {
    size = 8,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
    },
    flex = { name = "data" },
  },
  vfio_user_device_feature_migration = { size = 8, fields = { { name = "flags", type = "u64", off = 0, len = 8 } } },
  vfio_user_device_feature_mig_state = {
    size = 8,
    fields = {
      { name = "device_state", type = "u32", off = 0, len = 4 },
      { name = "data_fd", type = "u32", off = 4, len = 4 },
    },
  },
  vfio_user_device_feature_dma_logging_range = {
    size = 16,
    fields = {
      { name = "iova", type = "u64", off = 0, len = 8 },
      { name = "length", type = "u64", off = 8, len = 8 },
    },
  },
  vfio_user_device_feature_dma_logging_control = {
    size = 16,
    fields = {
      { name = "page_size", type = "u64", off = 0, len = 8 },
      { name = "num_ranges", type = "u32", off = 8, len = 4 },
      { name = "reserved", type = "u32", off = 12, len = 4 },
    },
    flex = { name = "ranges", struct = "vfio_user_device_feature_dma_logging_range" },
  },
  vfio_user_device_feature_dma_logging_report = {
    size = 24,
    fields = {
      { name = "iova", type = "u64", off = 0, len = 8 },
      { name = "length", type = "u64", off = 8, len = 8 },
      { name = "page_size", type = "u64", off = 16, len = 8 },
    },
    flex = { name = "bitmap" },
  },
  vfio_user_mig_data = {
    size = 8,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "size", type = "u32", off = 4, len = 4 },
    },
    flex = { name = "data" },
  },
  vfio_user_dirty_pages = {
    size = 8,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
    },
  },
  vfio_user_bitmap_range = {
    size = 32,
    fields = {
      { name = "iova", type = "u64", off = 0, len = 8 },
      { name = "size", type = "u64", off = 8, len = 8 },
      { name = "bitmap", type = "struct", off = 16, len = 16, struct = "vfio_user_bitmap" },
    },
  },
  VFIOUserWRMulti = {
    size = 8,
    fields = { { name = "wr_cnt", type = "u64", off = 0, len = 8 } },
    flex = { name = "wrs", struct = "VFIOUserWROne" },
  },
  VFIOUserWROne = {
    size = 24,
    fields = {
      { name = "offset", type = "u64", off = 0, len = 8 },
      { name = "region", type = "u32", off = 8, len = 4 },
      { name = "count", type = "u32", off = 12, len = 4 },
      { name = "data", type = "bytes", off = 16, len = 8 },
    },
  },
  vfio_user_iommufd_alloc_ioas = {
    size = 16,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "out_ioas_id", type = "u32", off = 8, len = 4 },
      { name = "__reserved", type = "u32", off = 12, len = 4 },
    },
  },
  vfio_user_iommufd_destroy_ioas = {
    size = 16,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "ioas_id", type = "u32", off = 8, len = 4 },
      { name = "__reserved", type = "u32", off = 12, len = 4 },
    },
  },
  vfio_user_iommufd_ioas_map = {
    size = 48,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "ioas_id", type = "u32", off = 8, len = 4 },
      { name = "__reserved", type = "u32", off = 12, len = 4 },
      { name = "user_va", type = "u64", off = 16, len = 8 },
      { name = "length", type = "u64", off = 24, len = 8 },
      { name = "iova", type = "u64", off = 32, len = 8 },
      { name = "offset", type = "u64", off = 40, len = 8 },
    },
  },
  vfio_user_iommufd_ioas_unmap = {
    size = 32,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "ioas_id", type = "u32", off = 8, len = 4 },
      { name = "__reserved", type = "u32", off = 12, len = 4 },
      { name = "iova", type = "u64", off = 16, len = 8 },
      { name = "length", type = "u64", off = 24, len = 8 },
    },
  },
  vfio_user_iommufd_ioas_copy = {
    size = 40,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "src_ioas_id", type = "u32", off = 8, len = 4 },
      { name = "dst_ioas_id", type = "u32", off = 12, len = 4 },
      { name = "src_iova", type = "u64", off = 16, len = 8 },
      { name = "dst_iova", type = "u64", off = 24, len = 8 },
      { name = "length", type = "u64", off = 32, len = 8 },
    },
  },
  vfio_user_iommufd_bind = {
    size = 16,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "iommufd", type = "s32", off = 8, len = 4 },
      { name = "out_devid", type = "u32", off = 12, len = 4 },
    },
  },
  vfio_user_iommufd_attach_pt = {
    size = 16,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "pt_id", type = "u32", off = 8, len = 4 },
      { name = "pasid", type = "u32", off = 12, len = 4 },
    },
  },
  vfio_user_iommufd_detach_pt = {
    size = 16,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "pasid", type = "u32", off = 8, len = 4 },
      { name = "__reserved", type = "u32", off = 12, len = 4 },
    },
  },
  vfio_user_iommufd_iova_range = {
    size = 16,
    fields = {
      { name = "start", type = "u64", off = 0, len = 8 },
      { name = "last", type = "u64", off = 8, len = 8 },
    },
  },
  vfio_user_iommufd_ioas_iova_ranges = {
    size = 24,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "ioas_id", type = "u32", off = 8, len = 4 },
      { name = "num_iovas", type = "u32", off = 12, len = 4 },
      { name = "out_iova_alignment", type = "u64", off = 16, len = 8 },
    },
    flex = { name = "allowed_iovas", struct = "vfio_user_iommufd_iova_range" },
  },
  vfio_user_iommufd_ioas_set_dirty_tracking = {
    size = 16,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "ioas_id", type = "u32", off = 8, len = 4 },
      { name = "__reserved", type = "u32", off = 12, len = 4 },
    },
  },
  vfio_user_iommufd_ioas_get_dirty_bitmap = {
    size = 40,
    fields = {
      { name = "argsz", type = "u32", off = 0, len = 4 },
      { name = "flags", type = "u32", off = 4, len = 4 },
      { name = "ioas_id", type = "u32", off = 8, len = 4 },
      { name = "__reserved", type = "u32", off = 12, len = 4 },
      { name = "iova", type = "u64", off = 16, len = 8 },
      { name = "length", type = "u64", off = 24, len = 8 },
      { name = "page_size", type = "u64", off = 32, len = 8 },
    },
    flex = { name = "data" },
  },
}

local COMMANDS = {
  ["1"] = {
    name = "VFIO_USER_VERSION",
    prefix = "vfio_user.version",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_version",
      tail = { kind = "json", name = "data" },
      checks = {},
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_version",
      tail = { kind = "json", name = "data" },
      checks = {},
    },
  },
  ["2"] = {
    name = "VFIO_USER_DMA_MAP",
    prefix = "vfio_user.dma_map",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_dma_map",
      checks = {
        { kind = "argsz-covers" },
        { kind = "known-bits", field = "flags", mask = 15 },
        { kind = "not-all", field = "flags", bits = 12 },
      },
    },
    reply = { kind = "empty" },
  },
  ["3"] = {
    name = "VFIO_USER_DMA_UNMAP",
    prefix = "vfio_user.dma_unmap",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_dma_unmap",
      tail = {
        kind = "optional",
        name = "bitmap",
        struct = "vfio_user_bitmap",
        flagField = "flags",
        flag = 1,
        checks = {
          { kind = "limit", field = "size", limit = "maxBitmapBytes" },
          { kind = "power-of-two", field = "pgsize" },
          { kind = "bitmap-size", field = "size", length = "size", pageSize = "pgsize" },
        },
        argszRoom = "size",
      },
      checks = { { kind = "argsz-covers" }, { kind = "allowed", field = "flags", values = { 0, 1, 2 } } },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_dma_unmap",
      tail = {
        kind = "optional",
        name = "bitmap",
        struct = "vfio_user_bitmap",
        flagField = "flags",
        flag = 1,
        checks = {
          { kind = "limit", field = "size", limit = "maxBitmapBytes" },
          { kind = "power-of-two", field = "pgsize" },
          { kind = "bitmap-size", field = "size", length = "size", pageSize = "pgsize" },
        },
        thenName = "data",
        thenField = "size",
      },
      checks = { { kind = "allowed", field = "flags", values = { 0, 1, 2 } } },
    },
  },
  ["4"] = {
    name = "VFIO_USER_DEVICE_GET_INFO",
    prefix = "vfio_user.device_get_info",
    sender = "client",
    request = { kind = "struct", struct = "vfio_user_device_info", checks = { { kind = "argsz-covers" } } },
    reply = {
      kind = "struct",
      struct = "vfio_user_device_info",
      checks = { { kind = "known-bits", field = "flags", mask = 255 } },
    },
  },
  ["5"] = {
    name = "VFIO_USER_DEVICE_GET_REGION_INFO",
    prefix = "vfio_user.device_get_region_info",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_region_info",
      tail = { kind = "bytes", name = "padding", rest = true },
      checks = { { kind = "argsz-covers" } },
    },
    reply = {
      kind = "struct",
      struct = "vfio_region_info",
      tail = {
        kind = "chain",
        name = "caps",
        header = "vfio_info_cap_header",
        flagField = "flags",
        flag = 8,
        offsetField = "cap_offset",
        limit = "maxRegionCaps",
        cases = {
          {
            kind = "sparse_mmap",
            id = 1,
            struct = "vfio_region_info_cap_sparse_mmap",
            countAt = 8,
            thenKind = "array",
            thenName = "areas",
            field = "nr_areas",
            of = "vfio_region_sparse_mmap_area",
            limit = "maxSparseAreas",
          },
          { kind = "type", id = 2, struct = "vfio_region_info_cap_type" },
          { kind = "msix_mappable", id = 3 },
        },
      },
      checks = { { kind = "known-bits", field = "flags", mask = 15 } },
    },
  },
  ["6"] = {
    name = "VFIO_USER_DEVICE_GET_REGION_IO_FDS",
    prefix = "vfio_user.device_get_region_io_fds",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_region_io_fds_request",
      checks = {
        { kind = "argsz-covers" },
        { kind = "zero", field = "flags" },
        { kind = "zero", field = "count" },
      },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_region_io_fds_reply",
      tail = {
        kind = "array",
        name = "sub_regions",
        members = { "vfio_user_sub_region_ioeventfd", "vfio_user_sub_region_ioregionfd" },
        field = "count",
        limit = "maxSubRegions",
        omittable = true,
      },
      checks = { { kind = "zero", field = "flags" } },
    },
  },
  ["7"] = {
    name = "VFIO_USER_DEVICE_GET_IRQ_INFO",
    prefix = "vfio_user.device_get_irq_info",
    sender = "client",
    request = { kind = "struct", struct = "vfio_irq_info", checks = { { kind = "argsz-covers" } } },
    reply = {
      kind = "struct",
      struct = "vfio_irq_info",
      checks = { { kind = "known-bits", field = "flags", mask = 15 } },
    },
  },
  ["8"] = {
    name = "VFIO_USER_DEVICE_SET_IRQS",
    prefix = "vfio_user.device_set_irqs",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_irq_set",
      tail = { kind = "bytes", name = "data", field = "count", whenField = "flags", whenFlag = 2 },
      checks = {
        { kind = "argsz-covers" },
        { kind = "one-of", field = "flags", masks = { 7, 56 } },
        { kind = "limit", field = "count", limit = "maxIrqVectors" },
      },
    },
    reply = { kind = "empty" },
  },
  ["9"] = {
    name = "VFIO_USER_REGION_READ",
    prefix = "vfio_user.region_read",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_region_access",
      checks = { { kind = "limit", field = "count", limit = "maxDataXferSize" } },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_region_access",
      emptyAllowed = true,
      tail = { kind = "bytes", name = "data", field = "count", limit = "maxDataXferSize" },
      checks = {},
    },
  },
  ["10"] = {
    name = "VFIO_USER_REGION_WRITE",
    prefix = "vfio_user.region_write",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_region_access",
      tail = { kind = "bytes", name = "data", field = "count", limit = "maxDataXferSize" },
      checks = {},
    },
    reply = { kind = "struct", struct = "vfio_user_region_access", emptyAllowed = true, checks = {} },
  },
  ["11"] = {
    name = "VFIO_USER_DMA_READ",
    prefix = "vfio_user.dma_read",
    sender = "server",
    request = {
      kind = "struct",
      struct = "vfio_user_dma_region_access",
      checks = { { kind = "limit", field = "count", limit = "maxDataXferSize" } },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_dma_region_access",
      tail = { kind = "bytes", name = "data", field = "count", limit = "maxDataXferSize" },
      checks = {},
    },
  },
  ["12"] = {
    name = "VFIO_USER_DMA_WRITE",
    prefix = "vfio_user.dma_write",
    sender = "server",
    request = {
      kind = "struct",
      struct = "vfio_user_dma_region_access",
      tail = { kind = "bytes", name = "data", field = "count", limit = "maxDataXferSize" },
      checks = {},
    },
    reply = { kind = "struct", struct = "vfio_user_dma_region_access", checks = {} },
  },
  ["13"] = {
    name = "VFIO_USER_DEVICE_RESET",
    prefix = "vfio_user.device_reset",
    sender = "client",
    request = { kind = "empty" },
    reply = { kind = "empty" },
  },
  ["14"] = {
    name = "VFIO_USER_DIRTY_PAGES",
    prefix = "vfio_user.dirty_pages",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_dirty_pages",
      tail = {
        kind = "optional",
        name = "range",
        struct = "vfio_user_bitmap_range",
        flagField = "flags",
        flag = 4,
        checks = { { kind = "limit", field = "bitmap.size", limit = "maxBitmapBytes" } },
      },
      checks = { { kind = "one-of", field = "flags", masks = { 7 } } },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_dirty_pages",
      emptyAllowed = true,
      tail = {
        kind = "optional",
        name = "range",
        struct = "vfio_user_bitmap_range",
        flagField = "flags",
        flag = 4,
        checks = { { kind = "limit", field = "bitmap.size", limit = "maxBitmapBytes" } },
        thenName = "data",
        thenField = "bitmap.size",
      },
      checks = {},
    },
  },
  ["15"] = {
    name = "VFIO_USER_REGION_WRITE_MULTI",
    prefix = "vfio_user.region_write_multi",
    sender = "client",
    request = {
      kind = "struct",
      struct = "VFIOUserWRMulti",
      tail = {
        kind = "array",
        name = "wrs",
        struct = "VFIOUserWROne",
        field = "wr_cnt",
        limit = "maxWriteMultiEntries",
        elementField = "count",
        elementMax = 8,
      },
      checks = {},
    },
    reply = { kind = "struct", struct = "VFIOUserWRMulti", checks = {} },
  },
  ["16"] = {
    name = "VFIO_USER_DEVICE_FEATURE",
    prefix = "vfio_user.device_feature",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_device_feature",
      tail = {
        kind = "select",
        name = "data",
        cases = {
          {
            kind = "none",
            when = {
              { field = "flags", mask = 65535, is = { 1, 2 } },
              { field = "flags", mask = 458752, is = { 65536 } },
            },
          },
          {
            kind = "dma_logging_report",
            when = {
              { field = "flags", mask = 65535, is = { 8 } },
              { field = "flags", mask = 458752, is = { 65536 } },
            },
            struct = "vfio_user_device_feature_dma_logging_report",
            replyBitmap = { length = "length", pageSize = "page_size", limit = "maxBitmapBytes" },
            thenKind = "bytes",
            thenName = "bitmap",
            fixed = 0,
          },
          {
            kind = "mig_state",
            when = {
              { field = "flags", mask = 65535, is = { 2 } },
              { field = "flags", mask = 458752, is = { 131072 } },
            },
            struct = "vfio_user_device_feature_mig_state",
          },
          {
            kind = "dma_logging_control",
            when = {
              { field = "flags", mask = 65535, is = { 6, 7 } },
              { field = "flags", mask = 458752, is = { 131072 } },
            },
            struct = "vfio_user_device_feature_dma_logging_control",
            thenKind = "array",
            thenName = "ranges",
            field = "num_ranges",
            of = "vfio_user_device_feature_dma_logging_range",
            limit = "maxLoggingRanges",
          },
        },
      },
      checks = {
        { kind = "argsz-covers" },
        { kind = "known-bits", field = "flags", mask = 524287 },
        { kind = "some-of", field = "flags", mask = 458752 },
      },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_device_feature",
      tail = {
        kind = "select",
        name = "data",
        cases = {
          {
            kind = "migration",
            when = {
              { field = "flags", mask = 65535, is = { 1 } },
              { field = "flags", mask = 458752, is = { 65536 } },
            },
            struct = "vfio_user_device_feature_migration",
          },
          {
            kind = "mig_state",
            when = {
              { field = "flags", mask = 65535, is = { 2 } },
              { field = "flags", mask = 458752, is = { 65536 } },
            },
            struct = "vfio_user_device_feature_mig_state",
          },
          {
            kind = "dma_logging_report",
            when = {
              { field = "flags", mask = 65535, is = { 8 } },
              { field = "flags", mask = 458752, is = { 65536 } },
            },
            struct = "vfio_user_device_feature_dma_logging_report",
            thenKind = "bytes",
            thenName = "bitmap",
            length = "length",
            pageSize = "page_size",
            limit = "maxBitmapBytes",
          },
          {
            kind = "mig_state",
            when = {
              { field = "flags", mask = 65535, is = { 2 } },
              { field = "flags", mask = 458752, is = { 131072 } },
            },
            struct = "vfio_user_device_feature_mig_state",
          },
          {
            kind = "dma_logging_control",
            when = {
              { field = "flags", mask = 65535, is = { 6, 7 } },
              { field = "flags", mask = 458752, is = { 131072 } },
            },
            struct = "vfio_user_device_feature_dma_logging_control",
            thenKind = "array",
            thenName = "ranges",
            field = "num_ranges",
            of = "vfio_user_device_feature_dma_logging_range",
            limit = "maxLoggingRanges",
          },
        },
      },
      checks = { { kind = "known-bits", field = "flags", mask = 524287 } },
    },
  },
  ["17"] = {
    name = "VFIO_USER_MIG_DATA_READ",
    prefix = "vfio_user.mig_data_read",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_mig_data",
      checks = { { kind = "limit", field = "size", limit = "maxDataXferSize" } },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_mig_data",
      tail = { kind = "bytes", name = "data", field = "size", atLeast = true, limit = "maxDataXferSize" },
      checks = {},
    },
  },
  ["18"] = {
    name = "VFIO_USER_MIG_DATA_WRITE",
    prefix = "vfio_user.mig_data_write",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_mig_data",
      tail = { kind = "bytes", name = "data", field = "size", limit = "maxDataXferSize" },
      checks = { { kind = "argsz-covers" } },
    },
    reply = { kind = "empty" },
  },
  ["19"] = {
    name = "VFIO_USER_IOMMUFD_ALLOC_IOAS",
    prefix = "vfio_user.iommufd_alloc_ioas",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_iommufd_alloc_ioas",
      checks = { { kind = "zero", field = "flags" }, { kind = "zero", field = "__reserved" } },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_iommufd_alloc_ioas",
      checks = { { kind = "zero", field = "flags" }, { kind = "zero", field = "__reserved" } },
    },
  },
  ["20"] = {
    name = "VFIO_USER_IOMMUFD_DESTROY_IOAS",
    prefix = "vfio_user.iommufd_destroy_ioas",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_iommufd_destroy_ioas",
      checks = { { kind = "zero", field = "flags" }, { kind = "zero", field = "__reserved" } },
    },
    reply = { kind = "empty" },
  },
  ["21"] = {
    name = "VFIO_USER_IOMMUFD_IOAS_MAP",
    prefix = "vfio_user.iommufd_ioas_map",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_iommufd_ioas_map",
      checks = { { kind = "known-bits", field = "flags", mask = 7 }, { kind = "zero", field = "__reserved" } },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_iommufd_ioas_map",
      checks = { { kind = "known-bits", field = "flags", mask = 7 }, { kind = "zero", field = "__reserved" } },
    },
  },
  ["22"] = {
    name = "VFIO_USER_IOMMUFD_IOAS_UNMAP",
    prefix = "vfio_user.iommufd_ioas_unmap",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_iommufd_ioas_unmap",
      checks = { { kind = "known-bits", field = "flags", mask = 1 }, { kind = "zero", field = "__reserved" } },
    },
    reply = { kind = "empty" },
  },
  ["23"] = {
    name = "VFIO_USER_IOMMUFD_IOAS_COPY",
    prefix = "vfio_user.iommufd_ioas_copy",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_iommufd_ioas_copy",
      checks = { { kind = "known-bits", field = "flags", mask = 7 } },
    },
    reply = { kind = "empty" },
  },
  ["24"] = {
    name = "VFIO_USER_IOMMUFD_BIND",
    prefix = "vfio_user.iommufd_bind",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_iommufd_bind",
      checks = { { kind = "zero", field = "flags" } },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_iommufd_bind",
      checks = { { kind = "zero", field = "flags" } },
    },
  },
  ["25"] = {
    name = "VFIO_USER_IOMMUFD_ATTACH_PT",
    prefix = "vfio_user.iommufd_attach_pt",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_iommufd_attach_pt",
      checks = { { kind = "known-bits", field = "flags", mask = 1 } },
    },
    reply = { kind = "empty" },
  },
  ["26"] = {
    name = "VFIO_USER_IOMMUFD_DETACH_PT",
    prefix = "vfio_user.iommufd_detach_pt",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_iommufd_detach_pt",
      checks = { { kind = "known-bits", field = "flags", mask = 1 }, { kind = "zero", field = "__reserved" } },
    },
    reply = { kind = "empty" },
  },
  ["27"] = {
    name = "VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES",
    prefix = "vfio_user.iommufd_ioas_iova_ranges",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_iommufd_ioas_iova_ranges",
      checks = { { kind = "zero", field = "flags" } },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_iommufd_ioas_iova_ranges",
      tail = {
        kind = "array",
        name = "allowed_iovas",
        struct = "vfio_user_iommufd_iova_range",
        field = "num_iovas",
        limit = "maxIovaRanges",
        omittable = true,
      },
      checks = {},
    },
  },
  ["28"] = {
    name = "VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING",
    prefix = "vfio_user.iommufd_ioas_set_dirty_tracking",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_iommufd_ioas_set_dirty_tracking",
      checks = { { kind = "known-bits", field = "flags", mask = 1 } },
    },
    reply = { kind = "empty" },
  },
  ["29"] = {
    name = "VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP",
    prefix = "vfio_user.iommufd_ioas_get_dirty_bitmap",
    sender = "client",
    request = {
      kind = "struct",
      struct = "vfio_user_iommufd_ioas_get_dirty_bitmap",
      checks = { { kind = "known-bits", field = "flags", mask = 1 } },
    },
    reply = {
      kind = "struct",
      struct = "vfio_user_iommufd_ioas_get_dirty_bitmap",
      tail = {
        kind = "bytes",
        name = "data",
        lengthField = "length",
        pageSizeField = "page_size",
        limit = "maxBitmapBytes",
      },
      checks = {},
    },
  },
}

local OVERRIDES = {
  default = {  },
  ["libvfio-user"] = {  },
  qemu = {
    ["11"] = {
      request = {
        kind = "struct",
        struct = "VFIOUserDMARW",
        checks = { { kind = "limit", field = "count", limit = "maxDataXferSize" } },
        pad = 4,
      },
      reply = {
        kind = "struct",
        struct = "VFIOUserDMARW",
        tail = { kind = "bytes", name = "data", field = "count", limit = "maxDataXferSize" },
        checks = {},
        pad = 4,
      },
    },
    ["12"] = {
      request = {
        kind = "struct",
        struct = "VFIOUserDMARW",
        tail = { kind = "bytes", name = "data", field = "count", limit = "maxDataXferSize" },
        checks = {},
        pad = 4,
      },
      reply = { kind = "empty" },
    },
  },
  ["rust-vmm"] = {
    ["3"] = {
      request = {
        kind = "struct",
        struct = "vfio_user_dma_unmap",
        tail = {
          kind = "optional",
          name = "bitmap",
          struct = "vfio_user_bitmap",
          flagField = "flags",
          flag = 1,
          checks = {
            { kind = "limit", field = "size", limit = "maxBitmapBytes" },
            { kind = "power-of-two", field = "pgsize" },
            { kind = "bitmap-size", field = "size", length = "size", pageSize = "pgsize" },
          },
          argszRoom = "size",
        },
        checks = { { kind = "argsz-covers" }, { kind = "allowed", field = "flags", values = { 0, 2, 4 } } },
      },
      reply = {
        kind = "struct",
        struct = "vfio_user_dma_unmap",
        tail = {
          kind = "optional",
          name = "bitmap",
          struct = "vfio_user_bitmap",
          flagField = "flags",
          flag = 1,
          checks = {
            { kind = "limit", field = "size", limit = "maxBitmapBytes" },
            { kind = "power-of-two", field = "pgsize" },
            { kind = "bitmap-size", field = "size", length = "size", pageSize = "pgsize" },
          },
          thenName = "data",
          thenField = "size",
        },
        checks = { { kind = "allowed", field = "flags", values = { 0, 2, 4 } } },
      },
    },
  },
  spdk = {  },
}

local DIALECTS = { "default", "libvfio-user", "qemu", "rust-vmm", "spdk" }
local ERROR_TYPED_AS_COMMAND = { ["rust-vmm"] = true }
local DEFAULT_DIALECT = "default"

local LIMITS = {
  maxMessageSize = 1048608,
  maxDataXferSize = 1048576,
  maxMsgFds = 1,
  maxErrorNo = 4096,
  maxJsonBytes = 65536,
  maxJsonDepth = 32,
  maxRegionCaps = 64,
  maxSparseAreas = 4096,
  maxSubRegions = 4096,
  maxIrqVectors = 2048,
  maxBitmapBytes = 1048576,
  maxLoggingRanges = 4096,
  maxIovaRanges = 4096,
  maxWriteMultiEntries = 200,
}

local ERRNO_NAMES = {
  ["1"] = "EPERM",
  ["2"] = "ENOENT",
  ["4"] = "EINTR",
  ["5"] = "EIO",
  ["7"] = "E2BIG",
  ["9"] = "EBADF",
  ["11"] = "EAGAIN",
  ["12"] = "ENOMEM",
  ["13"] = "EACCES",
  ["14"] = "EFAULT",
  ["16"] = "EBUSY",
  ["17"] = "EEXIST",
  ["19"] = "ENODEV",
  ["22"] = "EINVAL",
  ["24"] = "EMFILE",
  ["28"] = "ENOSPC",
  ["34"] = "ERANGE",
  ["38"] = "ENOSYS",
  ["71"] = "EPROTO",
  ["90"] = "EMSGSIZE",
  ["95"] = "ENOTSUP",
  ["110"] = "ETIMEDOUT",
}

local VS_NAMES = {
  vfio_user_command = {
    ["1"] = "VFIO_USER_VERSION",
    ["2"] = "VFIO_USER_DMA_MAP",
    ["3"] = "VFIO_USER_DMA_UNMAP",
    ["4"] = "VFIO_USER_DEVICE_GET_INFO",
    ["5"] = "VFIO_USER_DEVICE_GET_REGION_INFO",
    ["6"] = "VFIO_USER_DEVICE_GET_REGION_IO_FDS",
    ["7"] = "VFIO_USER_DEVICE_GET_IRQ_INFO",
    ["8"] = "VFIO_USER_DEVICE_SET_IRQS",
    ["9"] = "VFIO_USER_REGION_READ",
    ["10"] = "VFIO_USER_REGION_WRITE",
    ["11"] = "VFIO_USER_DMA_READ",
    ["12"] = "VFIO_USER_DMA_WRITE",
    ["13"] = "VFIO_USER_DEVICE_RESET",
    ["14"] = "VFIO_USER_DIRTY_PAGES",
    ["15"] = "VFIO_USER_REGION_WRITE_MULTI",
    ["16"] = "VFIO_USER_DEVICE_FEATURE",
    ["17"] = "VFIO_USER_MIG_DATA_READ",
    ["18"] = "VFIO_USER_MIG_DATA_WRITE",
    ["19"] = "VFIO_USER_IOMMUFD_ALLOC_IOAS",
    ["20"] = "VFIO_USER_IOMMUFD_DESTROY_IOAS",
    ["21"] = "VFIO_USER_IOMMUFD_IOAS_MAP",
    ["22"] = "VFIO_USER_IOMMUFD_IOAS_UNMAP",
    ["23"] = "VFIO_USER_IOMMUFD_IOAS_COPY",
    ["24"] = "VFIO_USER_IOMMUFD_BIND",
    ["25"] = "VFIO_USER_IOMMUFD_ATTACH_PT",
    ["26"] = "VFIO_USER_IOMMUFD_DETACH_PT",
    ["27"] = "VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES",
    ["28"] = "VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING",
    ["29"] = "VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP",
  },
  region_index = {
    ["0"] = "VFIO_PCI_BAR0_REGION_INDEX",
    ["1"] = "VFIO_PCI_BAR1_REGION_INDEX",
    ["2"] = "VFIO_PCI_BAR2_REGION_INDEX",
    ["3"] = "VFIO_PCI_BAR3_REGION_INDEX",
    ["4"] = "VFIO_PCI_BAR4_REGION_INDEX",
    ["5"] = "VFIO_PCI_BAR5_REGION_INDEX",
    ["6"] = "VFIO_PCI_ROM_REGION_INDEX",
    ["7"] = "VFIO_PCI_CONFIG_REGION_INDEX",
    ["8"] = "VFIO_PCI_VGA_REGION_INDEX",
  },
  region_info_cap = {
    ["1"] = "VFIO_REGION_INFO_CAP_SPARSE_MMAP",
    ["2"] = "VFIO_REGION_INFO_CAP_TYPE",
    ["3"] = "VFIO_REGION_INFO_CAP_MSIX_MAPPABLE",
  },
  io_fd_type = {
    ["0"] = "VFIO_USER_IO_FD_TYPE_IOEVENTFD",
    ["1"] = "VFIO_USER_IO_FD_TYPE_IOREGIONFD",
    ["2"] = "VFIO_USER_IO_FD_TYPE_IOEVENTFD_SHADOW",
  },
  irq_index = {
    ["0"] = "VFIO_PCI_INTX_IRQ_INDEX",
    ["1"] = "VFIO_PCI_MSI_IRQ_INDEX",
    ["2"] = "VFIO_PCI_MSIX_IRQ_INDEX",
    ["3"] = "VFIO_PCI_ERR_IRQ_INDEX",
    ["4"] = "VFIO_PCI_REQ_IRQ_INDEX",
  },
  device_feature = {
    ["1"] = "VFIO_DEVICE_FEATURE_MIGRATION",
    ["2"] = "VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE",
    ["6"] = "VFIO_DEVICE_FEATURE_DMA_LOGGING_START",
    ["7"] = "VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP",
    ["8"] = "VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT",
  },
  vfio_user_device_mig_state = {
    ["0"] = "VFIO_USER_DEVICE_STATE_ERROR",
    ["1"] = "VFIO_USER_DEVICE_STATE_STOP",
    ["2"] = "VFIO_USER_DEVICE_STATE_RUNNING",
    ["3"] = "VFIO_USER_DEVICE_STATE_STOP_COPY",
    ["4"] = "VFIO_USER_DEVICE_STATE_RESUMING",
    ["5"] = "VFIO_USER_DEVICE_STATE_RUNNING_P2P",
    ["6"] = "VFIO_USER_DEVICE_STATE_PRE_COPY",
    ["7"] = "VFIO_USER_DEVICE_STATE_PRE_COPY_P2P",
  },
}

local CAPS = { type = "object", keys = { capabilities = {
    type = "object",
    keys = {
      max_msg_fds = { type = "integer", min = 0 },
      max_data_xfer_size = { type = "integer", min = 0 },
      max_dma_maps = { type = "integer", min = 0 },
      pgsizes = { type = "integer", min = 0 },
      migration = {
        type = "object",
        keys = { pgsize = { type = "integer", min = 0 }, max_bitmap_size = { type = "integer", min = 0 } },
      },
      twin_socket = {
        type = "object",
        keys = { supported = { type = "boolean" }, fd_index = { type = "integer", min = 0 } },
      },
      write_multiple = { type = "boolean" },
      iommufd = {
        type = "object",
        keys = {
          supported = { type = "boolean" },
          fixed_iova = { type = "boolean" },
          iova_ranges = { type = "boolean" },
          dirty_tracking = { type = "boolean" },
        },
      },
    },
  } } }

local BITS = {
  ["vfio_user.flags"] = {
    "vfio_user.flags.VFIO_USER_F_TYPE_REPLY",
    "vfio_user.flags.VFIO_USER_F_NO_REPLY",
    "vfio_user.flags.VFIO_USER_F_ERROR",
  },
  ["vfio_user.dma_map.flags"] = {
    "vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_READ",
    "vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_WRITE",
    "vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_MMAP",
    "vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_FILE_IO",
  },
  ["vfio_user.dma_unmap.flags"] = {
    "vfio_user.dma_unmap.flags.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP",
    "vfio_user.dma_unmap.flags.VFIO_DMA_UNMAP_FLAG_ALL",
  },
  ["vfio_user.device_get_info.flags"] = {
    "vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_RESET",
    "vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_PCI",
    "vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_PLATFORM",
    "vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_AMBA",
    "vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_CCW",
    "vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_AP",
    "vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_FSL_MC",
    "vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_CAPS",
  },
  ["vfio_user.device_get_region_info.flags"] = {
    "vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_READ",
    "vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_WRITE",
    "vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_MMAP",
    "vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_CAPS",
  },
  ["vfio_user.device_get_irq_info.flags"] = {
    "vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_EVENTFD",
    "vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_MASKABLE",
    "vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_AUTOMASKED",
    "vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_NORESIZE",
  },
  ["vfio_user.device_set_irqs.flags"] = {
    "vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_NONE",
    "vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_BOOL",
    "vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_EVENTFD",
    "vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_MASK",
    "vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_UNMASK",
    "vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_TRIGGER",
  },
  ["vfio_user.dirty_pages.flags"] = {
    "vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_START",
    "vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP",
    "vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP",
  },
  ["vfio_user.device_feature.flags"] = {
    "vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_MASK",
    "vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_GET",
    "vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_SET",
    "vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_PROBE",
  },
  ["vfio_user.iommufd_ioas_map.flags"] = {
    "vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_WRITEABLE",
    "vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_READABLE",
    "vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_FIXED_IOVA",
  },
  ["vfio_user.iommufd_ioas_unmap.flags"] = { "vfio_user.iommufd_ioas_unmap.flags.VFIO_USER_IOMMUFD_UNMAP_ALL" },
  ["vfio_user.iommufd_ioas_copy.flags"] = {
    "vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_WRITEABLE",
    "vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_READABLE",
    "vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_FIXED_IOVA",
  },
  ["vfio_user.iommufd_attach_pt.flags"] = { "vfio_user.iommufd_attach_pt.flags.VFIO_USER_IOMMUFD_ATTACH_PASID" },
  ["vfio_user.iommufd_detach_pt.flags"] = { "vfio_user.iommufd_detach_pt.flags.VFIO_USER_IOMMUFD_DETACH_PASID" },
  ["vfio_user.iommufd_ioas_set_dirty_tracking.flags"] = { "vfio_user.iommufd_ioas_set_dirty_tracking.flags.VFIO_USER_IOMMUFD_DIRTY_TRACKING_ENABLE" },
  ["vfio_user.iommufd_ioas_get_dirty_bitmap.flags"] = { "vfio_user.iommufd_ioas_get_dirty_bitmap.flags.VFIO_USER_IOMMUFD_GET_DIRTY_BITMAP_NO_CLEAR" },
}

local FIELD_TYPE = {
  ["vfio_user_capture.seq"] = "u32",
  ["vfio_user_capture.dir"] = "u8",
  ["vfio_user_capture.socket"] = "u8",
  ["vfio_user_capture.nfds"] = "u32",
  ["vfio_user_capture.conn"] = "u32",
  ["vfio_user.kind"] = "string",
  ["vfio_user.msg_id"] = "u16",
  ["vfio_user.cmd"] = "u16",
  ["vfio_user.msg_size"] = "u32",
  ["vfio_user.flags"] = "u32",
  ["vfio_user.flags.VFIO_USER_F_TYPE_REPLY"] = "u32",
  ["vfio_user.flags.VFIO_USER_F_NO_REPLY"] = "u32",
  ["vfio_user.flags.VFIO_USER_F_ERROR"] = "u32",
  ["vfio_user.error_no"] = "u32",
  ["vfio_user.body"] = "bytes",
  ["vfio_user.refused"] = "string",
  ["vfio_user.version.major"] = "u16",
  ["vfio_user.version.minor"] = "u16",
  ["vfio_user.version.data"] = "bytes",
  ["vfio_user.dma_map.argsz"] = "u32",
  ["vfio_user.dma_map.flags"] = "u32",
  ["vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_READ"] = "u32",
  ["vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_WRITE"] = "u32",
  ["vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_MMAP"] = "u32",
  ["vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_FILE_IO"] = "u32",
  ["vfio_user.dma_map.offset"] = "u64",
  ["vfio_user.dma_map.addr"] = "u64",
  ["vfio_user.dma_map.size"] = "u64",
  ["vfio_user.dma_unmap.argsz"] = "u32",
  ["vfio_user.dma_unmap.flags"] = "u32",
  ["vfio_user.dma_unmap.flags.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP"] = "u32",
  ["vfio_user.dma_unmap.flags.VFIO_DMA_UNMAP_FLAG_ALL"] = "u32",
  ["vfio_user.dma_unmap.addr"] = "u64",
  ["vfio_user.dma_unmap.size"] = "u64",
  ["vfio_user.dma_unmap.bitmap.pgsize"] = "u64",
  ["vfio_user.dma_unmap.bitmap.size"] = "u64",
  ["vfio_user.dma_unmap.bitmap.data"] = "bytes",
  ["vfio_user.device_get_info.argsz"] = "u32",
  ["vfio_user.device_get_info.flags"] = "u32",
  ["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_RESET"] = "u32",
  ["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_PCI"] = "u32",
  ["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_PLATFORM"] = "u32",
  ["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_AMBA"] = "u32",
  ["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_CCW"] = "u32",
  ["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_AP"] = "u32",
  ["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_FSL_MC"] = "u32",
  ["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_CAPS"] = "u32",
  ["vfio_user.device_get_info.num_regions"] = "u32",
  ["vfio_user.device_get_info.num_irqs"] = "u32",
  ["vfio_user.device_get_region_info.argsz"] = "u32",
  ["vfio_user.device_get_region_info.flags"] = "u32",
  ["vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_READ"] = "u32",
  ["vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_WRITE"] = "u32",
  ["vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_MMAP"] = "u32",
  ["vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_CAPS"] = "u32",
  ["vfio_user.device_get_region_info.index"] = "u32",
  ["vfio_user.device_get_region_info.cap_offset"] = "u32",
  ["vfio_user.device_get_region_info.size"] = "u64",
  ["vfio_user.device_get_region_info.offset"] = "u64",
  ["vfio_user.device_get_region_info.padding"] = "bytes",
  ["vfio_user.device_get_region_info.caps.header.id"] = "u16",
  ["vfio_user.device_get_region_info.caps.header.version"] = "u16",
  ["vfio_user.device_get_region_info.caps.header.next"] = "u32",
  ["vfio_user.device_get_region_info.caps.nr_areas"] = "u32",
  ["vfio_user.device_get_region_info.caps.reserved"] = "u32",
  ["vfio_user.device_get_region_info.caps.areas.offset"] = "u64",
  ["vfio_user.device_get_region_info.caps.areas.size"] = "u64",
  ["vfio_user.device_get_region_info.caps.type"] = "u32",
  ["vfio_user.device_get_region_info.caps.subtype"] = "u32",
  ["vfio_user.device_get_region_info.caps.data"] = "bytes",
  ["vfio_user.device_get_region_io_fds.argsz"] = "u32",
  ["vfio_user.device_get_region_io_fds.flags"] = "u32",
  ["vfio_user.device_get_region_io_fds.index"] = "u32",
  ["vfio_user.device_get_region_io_fds.count"] = "u32",
  ["vfio_user.device_get_region_io_fds.sub_regions.gpa_offset"] = "u64",
  ["vfio_user.device_get_region_io_fds.sub_regions.size"] = "u64",
  ["vfio_user.device_get_region_io_fds.sub_regions.fd_index"] = "u32",
  ["vfio_user.device_get_region_io_fds.sub_regions.type"] = "u32",
  ["vfio_user.device_get_region_io_fds.sub_regions.flags"] = "u32",
  ["vfio_user.device_get_region_io_fds.sub_regions.shadow_mem_fd_index"] = "u32",
  ["vfio_user.device_get_region_io_fds.sub_regions.shadow_offset"] = "u64",
  ["vfio_user.device_get_region_io_fds.sub_regions.datamatch"] = "u64",
  ["vfio_user.device_get_region_io_fds.sub_regions.offset"] = "u64",
  ["vfio_user.device_get_region_io_fds.sub_regions.padding"] = "u32",
  ["vfio_user.device_get_region_io_fds.sub_regions.user_data"] = "u64",
  ["vfio_user.device_get_irq_info.argsz"] = "u32",
  ["vfio_user.device_get_irq_info.flags"] = "u32",
  ["vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_EVENTFD"] = "u32",
  ["vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_MASKABLE"] = "u32",
  ["vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_AUTOMASKED"] = "u32",
  ["vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_NORESIZE"] = "u32",
  ["vfio_user.device_get_irq_info.index"] = "u32",
  ["vfio_user.device_get_irq_info.count"] = "u32",
  ["vfio_user.device_set_irqs.argsz"] = "u32",
  ["vfio_user.device_set_irqs.flags"] = "u32",
  ["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_NONE"] = "u32",
  ["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_BOOL"] = "u32",
  ["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_EVENTFD"] = "u32",
  ["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_MASK"] = "u32",
  ["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_UNMASK"] = "u32",
  ["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_TRIGGER"] = "u32",
  ["vfio_user.device_set_irqs.index"] = "u32",
  ["vfio_user.device_set_irqs.start"] = "u32",
  ["vfio_user.device_set_irqs.count"] = "u32",
  ["vfio_user.device_set_irqs.data"] = "bytes",
  ["vfio_user.region_read.offset"] = "u64",
  ["vfio_user.region_read.region"] = "u32",
  ["vfio_user.region_read.count"] = "u32",
  ["vfio_user.region_read.data"] = "bytes",
  ["vfio_user.region_write.offset"] = "u64",
  ["vfio_user.region_write.region"] = "u32",
  ["vfio_user.region_write.count"] = "u32",
  ["vfio_user.region_write.data"] = "bytes",
  ["vfio_user.dma_read.addr"] = "u64",
  ["vfio_user.dma_read.count"] = "u64",
  ["vfio_user.dma_read.data"] = "bytes",
  ["vfio_user.dma_read.offset"] = "u64",
  ["vfio_user.dma_write.addr"] = "u64",
  ["vfio_user.dma_write.count"] = "u64",
  ["vfio_user.dma_write.data"] = "bytes",
  ["vfio_user.dma_write.offset"] = "u64",
  ["vfio_user.dirty_pages.argsz"] = "u32",
  ["vfio_user.dirty_pages.flags"] = "u32",
  ["vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_START"] = "u32",
  ["vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP"] = "u32",
  ["vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP"] = "u32",
  ["vfio_user.dirty_pages.range.iova"] = "u64",
  ["vfio_user.dirty_pages.range.size"] = "u64",
  ["vfio_user.dirty_pages.range.bitmap.pgsize"] = "u64",
  ["vfio_user.dirty_pages.range.bitmap.size"] = "u64",
  ["vfio_user.dirty_pages.range.data"] = "bytes",
  ["vfio_user.region_write_multi.wr_cnt"] = "u64",
  ["vfio_user.region_write_multi.wrs.offset"] = "u64",
  ["vfio_user.region_write_multi.wrs.region"] = "u32",
  ["vfio_user.region_write_multi.wrs.count"] = "u32",
  ["vfio_user.region_write_multi.wrs.data"] = "bytes",
  ["vfio_user.device_feature.argsz"] = "u32",
  ["vfio_user.device_feature.flags"] = "u32",
  ["vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_MASK"] = "u32",
  ["vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_GET"] = "u32",
  ["vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_SET"] = "u32",
  ["vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_PROBE"] = "u32",
  ["vfio_user.device_feature.data.iova"] = "u64",
  ["vfio_user.device_feature.data.length"] = "u64",
  ["vfio_user.device_feature.data.page_size"] = "u64",
  ["vfio_user.device_feature.data.bitmap"] = "bytes",
  ["vfio_user.device_feature.data.device_state"] = "u32",
  ["vfio_user.device_feature.data.data_fd"] = "u32",
  ["vfio_user.device_feature.data.num_ranges"] = "u32",
  ["vfio_user.device_feature.data.reserved"] = "u32",
  ["vfio_user.device_feature.data.ranges.iova"] = "u64",
  ["vfio_user.device_feature.data.ranges.length"] = "u64",
  ["vfio_user.device_feature.data.bytes"] = "bytes",
  ["vfio_user.device_feature.data.flags"] = "u64",
  ["vfio_user.mig_data_read.argsz"] = "u32",
  ["vfio_user.mig_data_read.size"] = "u32",
  ["vfio_user.mig_data_read.data"] = "bytes",
  ["vfio_user.mig_data_write.argsz"] = "u32",
  ["vfio_user.mig_data_write.size"] = "u32",
  ["vfio_user.mig_data_write.data"] = "bytes",
  ["vfio_user.iommufd_alloc_ioas.argsz"] = "u32",
  ["vfio_user.iommufd_alloc_ioas.flags"] = "u32",
  ["vfio_user.iommufd_alloc_ioas.out_ioas_id"] = "u32",
  ["vfio_user.iommufd_alloc_ioas.__reserved"] = "u32",
  ["vfio_user.iommufd_destroy_ioas.argsz"] = "u32",
  ["vfio_user.iommufd_destroy_ioas.flags"] = "u32",
  ["vfio_user.iommufd_destroy_ioas.ioas_id"] = "u32",
  ["vfio_user.iommufd_destroy_ioas.__reserved"] = "u32",
  ["vfio_user.iommufd_ioas_map.argsz"] = "u32",
  ["vfio_user.iommufd_ioas_map.flags"] = "u32",
  ["vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_WRITEABLE"] = "u32",
  ["vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_READABLE"] = "u32",
  ["vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_FIXED_IOVA"] = "u32",
  ["vfio_user.iommufd_ioas_map.ioas_id"] = "u32",
  ["vfio_user.iommufd_ioas_map.__reserved"] = "u32",
  ["vfio_user.iommufd_ioas_map.user_va"] = "u64",
  ["vfio_user.iommufd_ioas_map.length"] = "u64",
  ["vfio_user.iommufd_ioas_map.iova"] = "u64",
  ["vfio_user.iommufd_ioas_map.offset"] = "u64",
  ["vfio_user.iommufd_ioas_unmap.argsz"] = "u32",
  ["vfio_user.iommufd_ioas_unmap.flags"] = "u32",
  ["vfio_user.iommufd_ioas_unmap.flags.VFIO_USER_IOMMUFD_UNMAP_ALL"] = "u32",
  ["vfio_user.iommufd_ioas_unmap.ioas_id"] = "u32",
  ["vfio_user.iommufd_ioas_unmap.__reserved"] = "u32",
  ["vfio_user.iommufd_ioas_unmap.iova"] = "u64",
  ["vfio_user.iommufd_ioas_unmap.length"] = "u64",
  ["vfio_user.iommufd_ioas_copy.argsz"] = "u32",
  ["vfio_user.iommufd_ioas_copy.flags"] = "u32",
  ["vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_WRITEABLE"] = "u32",
  ["vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_READABLE"] = "u32",
  ["vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_FIXED_IOVA"] = "u32",
  ["vfio_user.iommufd_ioas_copy.src_ioas_id"] = "u32",
  ["vfio_user.iommufd_ioas_copy.dst_ioas_id"] = "u32",
  ["vfio_user.iommufd_ioas_copy.src_iova"] = "u64",
  ["vfio_user.iommufd_ioas_copy.dst_iova"] = "u64",
  ["vfio_user.iommufd_ioas_copy.length"] = "u64",
  ["vfio_user.iommufd_bind.argsz"] = "u32",
  ["vfio_user.iommufd_bind.flags"] = "u32",
  ["vfio_user.iommufd_bind.iommufd"] = "s32",
  ["vfio_user.iommufd_bind.out_devid"] = "u32",
  ["vfio_user.iommufd_attach_pt.argsz"] = "u32",
  ["vfio_user.iommufd_attach_pt.flags"] = "u32",
  ["vfio_user.iommufd_attach_pt.flags.VFIO_USER_IOMMUFD_ATTACH_PASID"] = "u32",
  ["vfio_user.iommufd_attach_pt.pt_id"] = "u32",
  ["vfio_user.iommufd_attach_pt.pasid"] = "u32",
  ["vfio_user.iommufd_detach_pt.argsz"] = "u32",
  ["vfio_user.iommufd_detach_pt.flags"] = "u32",
  ["vfio_user.iommufd_detach_pt.flags.VFIO_USER_IOMMUFD_DETACH_PASID"] = "u32",
  ["vfio_user.iommufd_detach_pt.pasid"] = "u32",
  ["vfio_user.iommufd_detach_pt.__reserved"] = "u32",
  ["vfio_user.iommufd_ioas_iova_ranges.argsz"] = "u32",
  ["vfio_user.iommufd_ioas_iova_ranges.flags"] = "u32",
  ["vfio_user.iommufd_ioas_iova_ranges.ioas_id"] = "u32",
  ["vfio_user.iommufd_ioas_iova_ranges.num_iovas"] = "u32",
  ["vfio_user.iommufd_ioas_iova_ranges.out_iova_alignment"] = "u64",
  ["vfio_user.iommufd_ioas_iova_ranges.allowed_iovas.start"] = "u64",
  ["vfio_user.iommufd_ioas_iova_ranges.allowed_iovas.last"] = "u64",
  ["vfio_user.iommufd_ioas_set_dirty_tracking.argsz"] = "u32",
  ["vfio_user.iommufd_ioas_set_dirty_tracking.flags"] = "u32",
  ["vfio_user.iommufd_ioas_set_dirty_tracking.flags.VFIO_USER_IOMMUFD_DIRTY_TRACKING_ENABLE"] = "u32",
  ["vfio_user.iommufd_ioas_set_dirty_tracking.ioas_id"] = "u32",
  ["vfio_user.iommufd_ioas_set_dirty_tracking.__reserved"] = "u32",
  ["vfio_user.iommufd_ioas_get_dirty_bitmap.argsz"] = "u32",
  ["vfio_user.iommufd_ioas_get_dirty_bitmap.flags"] = "u32",
  ["vfio_user.iommufd_ioas_get_dirty_bitmap.flags.VFIO_USER_IOMMUFD_GET_DIRTY_BITMAP_NO_CLEAR"] = "u32",
  ["vfio_user.iommufd_ioas_get_dirty_bitmap.ioas_id"] = "u32",
  ["vfio_user.iommufd_ioas_get_dirty_bitmap.__reserved"] = "u32",
  ["vfio_user.iommufd_ioas_get_dirty_bitmap.iova"] = "u64",
  ["vfio_user.iommufd_ioas_get_dirty_bitmap.length"] = "u64",
  ["vfio_user.iommufd_ioas_get_dirty_bitmap.page_size"] = "u64",
  ["vfio_user.iommufd_ioas_get_dirty_bitmap.data"] = "bytes",
}

-- Tables keyed by number -------------------------------------------------------

local function numkeys(t)
  local out = {}
  for k, v in pairs(t) do out[tonumber(k)] = v end
  return out
end

COMMANDS = numkeys(COMMANDS)
for name, o in pairs(OVERRIDES) do OVERRIDES[name] = numkeys(o) end
local ERRNO = numkeys(ERRNO_NAMES)
ERRNO[0] = ERRNO[0] or "none"
local VS = {}
for name, t in pairs(VS_NAMES) do VS[name] = numkeys(t) end
local COMMAND_NAMES = {}
for cmd, c in pairs(COMMANDS) do COMMAND_NAMES[cmd] = c.name end
VS["vfio_user_command"] = COMMAND_NAMES
local DIR_NAMES = { [0] = "unknown", [1] = "c2s", [2] = "s2c" }
local SOCKET_NAMES = { [0] = "unknown", [1] = "main", [2] = "twin" }

local vfio = Proto("vfio_user", "vfio-user")
local capture = Proto("vfio_user_capture", "vfio-user capture")

local F = {}
local CF = {}

CF["vfio_user_capture.seq"] = ProtoField.uint32("vfio_user_capture.seq", "seq", base.DEC, nil)
CF["vfio_user_capture.dir"] = ProtoField.uint8("vfio_user_capture.dir", "dir", base.DEC, DIR_NAMES)
CF["vfio_user_capture.socket"] = ProtoField.uint8("vfio_user_capture.socket", "socket", base.DEC, SOCKET_NAMES)
CF["vfio_user_capture.nfds"] = ProtoField.uint32("vfio_user_capture.nfds", "nfds", base.DEC, nil)
CF["vfio_user_capture.conn"] = ProtoField.uint32("vfio_user_capture.conn", "conn", base.DEC, nil)
F["vfio_user.kind"] = ProtoField.string("vfio_user.kind", "kind")
F["vfio_user.msg_id"] = ProtoField.uint16("vfio_user.msg_id", "msg_id", base.DEC, nil)
F["vfio_user.cmd"] = ProtoField.uint16("vfio_user.cmd", "cmd", base.DEC, VS["vfio_user_command"])
F["vfio_user.msg_size"] = ProtoField.uint32("vfio_user.msg_size", "msg_size", base.DEC, nil)
F["vfio_user.flags"] = ProtoField.uint32("vfio_user.flags", "flags", base.HEX, nil)
F["vfio_user.flags.VFIO_USER_F_TYPE_REPLY"] = ProtoField.bool("vfio_user.flags.VFIO_USER_F_TYPE_REPLY", "VFIO_USER_F_TYPE_REPLY", 32, nil, 1)
F["vfio_user.flags.VFIO_USER_F_NO_REPLY"] = ProtoField.bool("vfio_user.flags.VFIO_USER_F_NO_REPLY", "VFIO_USER_F_NO_REPLY", 32, nil, 16)
F["vfio_user.flags.VFIO_USER_F_ERROR"] = ProtoField.bool("vfio_user.flags.VFIO_USER_F_ERROR", "VFIO_USER_F_ERROR", 32, nil, 32)
F["vfio_user.error_no"] = ProtoField.uint32("vfio_user.error_no", "error_no", base.DEC, ERRNO)
F["vfio_user.body"] = ProtoField.bytes("vfio_user.body", "body")
F["vfio_user.refused"] = ProtoField.string("vfio_user.refused", "refused")
F["vfio_user.version.major"] = ProtoField.uint16("vfio_user.version.major", "major", base.DEC, nil)
F["vfio_user.version.minor"] = ProtoField.uint16("vfio_user.version.minor", "minor", base.DEC, nil)
F["vfio_user.version.data"] = ProtoField.bytes("vfio_user.version.data", "data")
F["vfio_user.dma_map.argsz"] = ProtoField.uint32("vfio_user.dma_map.argsz", "argsz", base.DEC, nil)
F["vfio_user.dma_map.flags"] = ProtoField.uint32("vfio_user.dma_map.flags", "flags", base.HEX, nil)
F["vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_READ"] = ProtoField.bool("vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_READ", "VFIO_USER_F_DMA_REGION_READ", 32, nil, 1)
F["vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_WRITE"] = ProtoField.bool("vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_WRITE", "VFIO_USER_F_DMA_REGION_WRITE", 32, nil, 2)
F["vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_MMAP"] = ProtoField.bool("vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_MMAP", "VFIO_USER_F_DMA_REGION_MMAP", 32, nil, 4)
F["vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_FILE_IO"] = ProtoField.bool("vfio_user.dma_map.flags.VFIO_USER_F_DMA_REGION_FILE_IO", "VFIO_USER_F_DMA_REGION_FILE_IO", 32, nil, 8)
F["vfio_user.dma_map.offset"] = ProtoField.uint64("vfio_user.dma_map.offset", "offset", base.DEC, nil)
F["vfio_user.dma_map.addr"] = ProtoField.uint64("vfio_user.dma_map.addr", "addr", base.DEC, nil)
F["vfio_user.dma_map.size"] = ProtoField.uint64("vfio_user.dma_map.size", "size", base.DEC, nil)
F["vfio_user.dma_unmap.argsz"] = ProtoField.uint32("vfio_user.dma_unmap.argsz", "argsz", base.DEC, nil)
F["vfio_user.dma_unmap.flags"] = ProtoField.uint32("vfio_user.dma_unmap.flags", "flags", base.HEX, nil)
F["vfio_user.dma_unmap.flags.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP"] = ProtoField.bool("vfio_user.dma_unmap.flags.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP", "VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP", 32, nil, 1)
F["vfio_user.dma_unmap.flags.VFIO_DMA_UNMAP_FLAG_ALL"] = ProtoField.bool("vfio_user.dma_unmap.flags.VFIO_DMA_UNMAP_FLAG_ALL", "VFIO_DMA_UNMAP_FLAG_ALL", 32, nil, 2)
F["vfio_user.dma_unmap.addr"] = ProtoField.uint64("vfio_user.dma_unmap.addr", "addr", base.DEC, nil)
F["vfio_user.dma_unmap.size"] = ProtoField.uint64("vfio_user.dma_unmap.size", "size", base.DEC, nil)
F["vfio_user.dma_unmap.bitmap.pgsize"] = ProtoField.uint64("vfio_user.dma_unmap.bitmap.pgsize", "pgsize", base.DEC, nil)
F["vfio_user.dma_unmap.bitmap.size"] = ProtoField.uint64("vfio_user.dma_unmap.bitmap.size", "size", base.DEC, nil)
F["vfio_user.dma_unmap.bitmap.data"] = ProtoField.bytes("vfio_user.dma_unmap.bitmap.data", "data")
F["vfio_user.device_get_info.argsz"] = ProtoField.uint32("vfio_user.device_get_info.argsz", "argsz", base.DEC, nil)
F["vfio_user.device_get_info.flags"] = ProtoField.uint32("vfio_user.device_get_info.flags", "flags", base.HEX, nil)
F["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_RESET"] = ProtoField.bool("vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_RESET", "VFIO_DEVICE_FLAGS_RESET", 32, nil, 1)
F["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_PCI"] = ProtoField.bool("vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_PCI", "VFIO_DEVICE_FLAGS_PCI", 32, nil, 2)
F["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_PLATFORM"] = ProtoField.bool("vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_PLATFORM", "VFIO_DEVICE_FLAGS_PLATFORM", 32, nil, 4)
F["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_AMBA"] = ProtoField.bool("vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_AMBA", "VFIO_DEVICE_FLAGS_AMBA", 32, nil, 8)
F["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_CCW"] = ProtoField.bool("vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_CCW", "VFIO_DEVICE_FLAGS_CCW", 32, nil, 16)
F["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_AP"] = ProtoField.bool("vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_AP", "VFIO_DEVICE_FLAGS_AP", 32, nil, 32)
F["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_FSL_MC"] = ProtoField.bool("vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_FSL_MC", "VFIO_DEVICE_FLAGS_FSL_MC", 32, nil, 64)
F["vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_CAPS"] = ProtoField.bool("vfio_user.device_get_info.flags.VFIO_DEVICE_FLAGS_CAPS", "VFIO_DEVICE_FLAGS_CAPS", 32, nil, 128)
F["vfio_user.device_get_info.num_regions"] = ProtoField.uint32("vfio_user.device_get_info.num_regions", "num_regions", base.DEC, nil)
F["vfio_user.device_get_info.num_irqs"] = ProtoField.uint32("vfio_user.device_get_info.num_irqs", "num_irqs", base.DEC, nil)
F["vfio_user.device_get_region_info.argsz"] = ProtoField.uint32("vfio_user.device_get_region_info.argsz", "argsz", base.DEC, nil)
F["vfio_user.device_get_region_info.flags"] = ProtoField.uint32("vfio_user.device_get_region_info.flags", "flags", base.HEX, nil)
F["vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_READ"] = ProtoField.bool("vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_READ", "VFIO_REGION_INFO_FLAG_READ", 32, nil, 1)
F["vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_WRITE"] = ProtoField.bool("vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_WRITE", "VFIO_REGION_INFO_FLAG_WRITE", 32, nil, 2)
F["vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_MMAP"] = ProtoField.bool("vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_MMAP", "VFIO_REGION_INFO_FLAG_MMAP", 32, nil, 4)
F["vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_CAPS"] = ProtoField.bool("vfio_user.device_get_region_info.flags.VFIO_REGION_INFO_FLAG_CAPS", "VFIO_REGION_INFO_FLAG_CAPS", 32, nil, 8)
F["vfio_user.device_get_region_info.index"] = ProtoField.uint32("vfio_user.device_get_region_info.index", "index", base.DEC, nil)
F["vfio_user.device_get_region_info.cap_offset"] = ProtoField.uint32("vfio_user.device_get_region_info.cap_offset", "cap_offset", base.DEC, nil)
F["vfio_user.device_get_region_info.size"] = ProtoField.uint64("vfio_user.device_get_region_info.size", "size", base.DEC, nil)
F["vfio_user.device_get_region_info.offset"] = ProtoField.uint64("vfio_user.device_get_region_info.offset", "offset", base.DEC, nil)
F["vfio_user.device_get_region_info.padding"] = ProtoField.bytes("vfio_user.device_get_region_info.padding", "padding")
F["vfio_user.device_get_region_info.caps.header.id"] = ProtoField.uint16("vfio_user.device_get_region_info.caps.header.id", "id", base.DEC, VS["region_info_cap"])
F["vfio_user.device_get_region_info.caps.header.version"] = ProtoField.uint16("vfio_user.device_get_region_info.caps.header.version", "version", base.DEC, nil)
F["vfio_user.device_get_region_info.caps.header.next"] = ProtoField.uint32("vfio_user.device_get_region_info.caps.header.next", "next", base.DEC, nil)
F["vfio_user.device_get_region_info.caps.nr_areas"] = ProtoField.uint32("vfio_user.device_get_region_info.caps.nr_areas", "nr_areas", base.DEC, nil)
F["vfio_user.device_get_region_info.caps.reserved"] = ProtoField.uint32("vfio_user.device_get_region_info.caps.reserved", "reserved", base.DEC, nil)
F["vfio_user.device_get_region_info.caps.areas.offset"] = ProtoField.uint64("vfio_user.device_get_region_info.caps.areas.offset", "offset", base.DEC, nil)
F["vfio_user.device_get_region_info.caps.areas.size"] = ProtoField.uint64("vfio_user.device_get_region_info.caps.areas.size", "size", base.DEC, nil)
F["vfio_user.device_get_region_info.caps.type"] = ProtoField.uint32("vfio_user.device_get_region_info.caps.type", "type", base.DEC, nil)
F["vfio_user.device_get_region_info.caps.subtype"] = ProtoField.uint32("vfio_user.device_get_region_info.caps.subtype", "subtype", base.DEC, nil)
F["vfio_user.device_get_region_info.caps.data"] = ProtoField.bytes("vfio_user.device_get_region_info.caps.data", "data")
F["vfio_user.device_get_region_io_fds.argsz"] = ProtoField.uint32("vfio_user.device_get_region_io_fds.argsz", "argsz", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.flags"] = ProtoField.uint32("vfio_user.device_get_region_io_fds.flags", "flags", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.index"] = ProtoField.uint32("vfio_user.device_get_region_io_fds.index", "index", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.count"] = ProtoField.uint32("vfio_user.device_get_region_io_fds.count", "count", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.sub_regions.gpa_offset"] = ProtoField.uint64("vfio_user.device_get_region_io_fds.sub_regions.gpa_offset", "gpa_offset", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.sub_regions.size"] = ProtoField.uint64("vfio_user.device_get_region_io_fds.sub_regions.size", "size", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.sub_regions.fd_index"] = ProtoField.uint32("vfio_user.device_get_region_io_fds.sub_regions.fd_index", "fd_index", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.sub_regions.type"] = ProtoField.uint32("vfio_user.device_get_region_io_fds.sub_regions.type", "type", base.DEC, VS["io_fd_type"])
F["vfio_user.device_get_region_io_fds.sub_regions.flags"] = ProtoField.uint32("vfio_user.device_get_region_io_fds.sub_regions.flags", "flags", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.sub_regions.shadow_mem_fd_index"] = ProtoField.uint32("vfio_user.device_get_region_io_fds.sub_regions.shadow_mem_fd_index", "shadow_mem_fd_index", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.sub_regions.shadow_offset"] = ProtoField.uint64("vfio_user.device_get_region_io_fds.sub_regions.shadow_offset", "shadow_offset", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.sub_regions.datamatch"] = ProtoField.uint64("vfio_user.device_get_region_io_fds.sub_regions.datamatch", "datamatch", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.sub_regions.offset"] = ProtoField.uint64("vfio_user.device_get_region_io_fds.sub_regions.offset", "offset", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.sub_regions.padding"] = ProtoField.uint32("vfio_user.device_get_region_io_fds.sub_regions.padding", "padding", base.DEC, nil)
F["vfio_user.device_get_region_io_fds.sub_regions.user_data"] = ProtoField.uint64("vfio_user.device_get_region_io_fds.sub_regions.user_data", "user_data", base.DEC, nil)
F["vfio_user.device_get_irq_info.argsz"] = ProtoField.uint32("vfio_user.device_get_irq_info.argsz", "argsz", base.DEC, nil)
F["vfio_user.device_get_irq_info.flags"] = ProtoField.uint32("vfio_user.device_get_irq_info.flags", "flags", base.HEX, nil)
F["vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_EVENTFD"] = ProtoField.bool("vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_EVENTFD", "VFIO_IRQ_INFO_EVENTFD", 32, nil, 1)
F["vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_MASKABLE"] = ProtoField.bool("vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_MASKABLE", "VFIO_IRQ_INFO_MASKABLE", 32, nil, 2)
F["vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_AUTOMASKED"] = ProtoField.bool("vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_AUTOMASKED", "VFIO_IRQ_INFO_AUTOMASKED", 32, nil, 4)
F["vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_NORESIZE"] = ProtoField.bool("vfio_user.device_get_irq_info.flags.VFIO_IRQ_INFO_NORESIZE", "VFIO_IRQ_INFO_NORESIZE", 32, nil, 8)
F["vfio_user.device_get_irq_info.index"] = ProtoField.uint32("vfio_user.device_get_irq_info.index", "index", base.DEC, VS["irq_index"])
F["vfio_user.device_get_irq_info.count"] = ProtoField.uint32("vfio_user.device_get_irq_info.count", "count", base.DEC, nil)
F["vfio_user.device_set_irqs.argsz"] = ProtoField.uint32("vfio_user.device_set_irqs.argsz", "argsz", base.DEC, nil)
F["vfio_user.device_set_irqs.flags"] = ProtoField.uint32("vfio_user.device_set_irqs.flags", "flags", base.HEX, nil)
F["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_NONE"] = ProtoField.bool("vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_NONE", "VFIO_IRQ_SET_DATA_NONE", 32, nil, 1)
F["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_BOOL"] = ProtoField.bool("vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_BOOL", "VFIO_IRQ_SET_DATA_BOOL", 32, nil, 2)
F["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_EVENTFD"] = ProtoField.bool("vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_DATA_EVENTFD", "VFIO_IRQ_SET_DATA_EVENTFD", 32, nil, 4)
F["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_MASK"] = ProtoField.bool("vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_MASK", "VFIO_IRQ_SET_ACTION_MASK", 32, nil, 8)
F["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_UNMASK"] = ProtoField.bool("vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_UNMASK", "VFIO_IRQ_SET_ACTION_UNMASK", 32, nil, 16)
F["vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_TRIGGER"] = ProtoField.bool("vfio_user.device_set_irqs.flags.VFIO_IRQ_SET_ACTION_TRIGGER", "VFIO_IRQ_SET_ACTION_TRIGGER", 32, nil, 32)
F["vfio_user.device_set_irqs.index"] = ProtoField.uint32("vfio_user.device_set_irqs.index", "index", base.DEC, VS["irq_index"])
F["vfio_user.device_set_irqs.start"] = ProtoField.uint32("vfio_user.device_set_irqs.start", "start", base.DEC, nil)
F["vfio_user.device_set_irqs.count"] = ProtoField.uint32("vfio_user.device_set_irqs.count", "count", base.DEC, nil)
F["vfio_user.device_set_irqs.data"] = ProtoField.bytes("vfio_user.device_set_irqs.data", "data")
F["vfio_user.region_read.offset"] = ProtoField.uint64("vfio_user.region_read.offset", "offset", base.DEC, nil)
F["vfio_user.region_read.region"] = ProtoField.uint32("vfio_user.region_read.region", "region", base.DEC, nil)
F["vfio_user.region_read.count"] = ProtoField.uint32("vfio_user.region_read.count", "count", base.DEC, nil)
F["vfio_user.region_read.data"] = ProtoField.bytes("vfio_user.region_read.data", "data")
F["vfio_user.region_write.offset"] = ProtoField.uint64("vfio_user.region_write.offset", "offset", base.DEC, nil)
F["vfio_user.region_write.region"] = ProtoField.uint32("vfio_user.region_write.region", "region", base.DEC, nil)
F["vfio_user.region_write.count"] = ProtoField.uint32("vfio_user.region_write.count", "count", base.DEC, nil)
F["vfio_user.region_write.data"] = ProtoField.bytes("vfio_user.region_write.data", "data")
F["vfio_user.dma_read.addr"] = ProtoField.uint64("vfio_user.dma_read.addr", "addr", base.DEC, nil)
F["vfio_user.dma_read.count"] = ProtoField.uint64("vfio_user.dma_read.count", "count", base.DEC, nil)
F["vfio_user.dma_read.data"] = ProtoField.bytes("vfio_user.dma_read.data", "data")
F["vfio_user.dma_read.offset"] = ProtoField.uint64("vfio_user.dma_read.offset", "offset", base.DEC, nil)
F["vfio_user.dma_write.addr"] = ProtoField.uint64("vfio_user.dma_write.addr", "addr", base.DEC, nil)
F["vfio_user.dma_write.count"] = ProtoField.uint64("vfio_user.dma_write.count", "count", base.DEC, nil)
F["vfio_user.dma_write.data"] = ProtoField.bytes("vfio_user.dma_write.data", "data")
F["vfio_user.dma_write.offset"] = ProtoField.uint64("vfio_user.dma_write.offset", "offset", base.DEC, nil)
F["vfio_user.dirty_pages.argsz"] = ProtoField.uint32("vfio_user.dirty_pages.argsz", "argsz", base.DEC, nil)
F["vfio_user.dirty_pages.flags"] = ProtoField.uint32("vfio_user.dirty_pages.flags", "flags", base.HEX, nil)
F["vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_START"] = ProtoField.bool("vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_START", "VFIO_IOMMU_DIRTY_PAGES_FLAG_START", 32, nil, 1)
F["vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP"] = ProtoField.bool("vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP", "VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP", 32, nil, 2)
F["vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP"] = ProtoField.bool("vfio_user.dirty_pages.flags.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP", "VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP", 32, nil, 4)
F["vfio_user.dirty_pages.range.iova"] = ProtoField.uint64("vfio_user.dirty_pages.range.iova", "iova", base.DEC, nil)
F["vfio_user.dirty_pages.range.size"] = ProtoField.uint64("vfio_user.dirty_pages.range.size", "size", base.DEC, nil)
F["vfio_user.dirty_pages.range.bitmap.pgsize"] = ProtoField.uint64("vfio_user.dirty_pages.range.bitmap.pgsize", "pgsize", base.DEC, nil)
F["vfio_user.dirty_pages.range.bitmap.size"] = ProtoField.uint64("vfio_user.dirty_pages.range.bitmap.size", "size", base.DEC, nil)
F["vfio_user.dirty_pages.range.data"] = ProtoField.bytes("vfio_user.dirty_pages.range.data", "data")
F["vfio_user.region_write_multi.wr_cnt"] = ProtoField.uint64("vfio_user.region_write_multi.wr_cnt", "wr_cnt", base.DEC, nil)
F["vfio_user.region_write_multi.wrs.offset"] = ProtoField.uint64("vfio_user.region_write_multi.wrs.offset", "offset", base.DEC, nil)
F["vfio_user.region_write_multi.wrs.region"] = ProtoField.uint32("vfio_user.region_write_multi.wrs.region", "region", base.DEC, nil)
F["vfio_user.region_write_multi.wrs.count"] = ProtoField.uint32("vfio_user.region_write_multi.wrs.count", "count", base.DEC, nil)
F["vfio_user.region_write_multi.wrs.data"] = ProtoField.bytes("vfio_user.region_write_multi.wrs.data", "data")
F["vfio_user.device_feature.argsz"] = ProtoField.uint32("vfio_user.device_feature.argsz", "argsz", base.DEC, nil)
F["vfio_user.device_feature.flags"] = ProtoField.uint32("vfio_user.device_feature.flags", "flags", base.HEX, nil)
F["vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_MASK"] = ProtoField.uint32("vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_MASK", "VFIO_DEVICE_FEATURE_MASK", base.DEC, VS["device_feature"], 65535)
F["vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_GET"] = ProtoField.bool("vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_GET", "VFIO_DEVICE_FEATURE_GET", 32, nil, 65536)
F["vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_SET"] = ProtoField.bool("vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_SET", "VFIO_DEVICE_FEATURE_SET", 32, nil, 131072)
F["vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_PROBE"] = ProtoField.bool("vfio_user.device_feature.flags.VFIO_DEVICE_FEATURE_PROBE", "VFIO_DEVICE_FEATURE_PROBE", 32, nil, 262144)
F["vfio_user.device_feature.data.iova"] = ProtoField.uint64("vfio_user.device_feature.data.iova", "iova", base.DEC, nil)
F["vfio_user.device_feature.data.length"] = ProtoField.uint64("vfio_user.device_feature.data.length", "length", base.DEC, nil)
F["vfio_user.device_feature.data.page_size"] = ProtoField.uint64("vfio_user.device_feature.data.page_size", "page_size", base.DEC, nil)
F["vfio_user.device_feature.data.bitmap"] = ProtoField.bytes("vfio_user.device_feature.data.bitmap", "bitmap")
F["vfio_user.device_feature.data.device_state"] = ProtoField.uint32("vfio_user.device_feature.data.device_state", "device_state", base.DEC, VS["vfio_user_device_mig_state"])
F["vfio_user.device_feature.data.data_fd"] = ProtoField.uint32("vfio_user.device_feature.data.data_fd", "data_fd", base.DEC, nil)
F["vfio_user.device_feature.data.num_ranges"] = ProtoField.uint32("vfio_user.device_feature.data.num_ranges", "num_ranges", base.DEC, nil)
F["vfio_user.device_feature.data.reserved"] = ProtoField.uint32("vfio_user.device_feature.data.reserved", "reserved", base.DEC, nil)
F["vfio_user.device_feature.data.ranges.iova"] = ProtoField.uint64("vfio_user.device_feature.data.ranges.iova", "iova", base.DEC, nil)
F["vfio_user.device_feature.data.ranges.length"] = ProtoField.uint64("vfio_user.device_feature.data.ranges.length", "length", base.DEC, nil)
F["vfio_user.device_feature.data.bytes"] = ProtoField.bytes("vfio_user.device_feature.data.bytes", "bytes")
F["vfio_user.device_feature.data.flags"] = ProtoField.uint64("vfio_user.device_feature.data.flags", "flags", base.HEX, nil)
F["vfio_user.mig_data_read.argsz"] = ProtoField.uint32("vfio_user.mig_data_read.argsz", "argsz", base.DEC, nil)
F["vfio_user.mig_data_read.size"] = ProtoField.uint32("vfio_user.mig_data_read.size", "size", base.DEC, nil)
F["vfio_user.mig_data_read.data"] = ProtoField.bytes("vfio_user.mig_data_read.data", "data")
F["vfio_user.mig_data_write.argsz"] = ProtoField.uint32("vfio_user.mig_data_write.argsz", "argsz", base.DEC, nil)
F["vfio_user.mig_data_write.size"] = ProtoField.uint32("vfio_user.mig_data_write.size", "size", base.DEC, nil)
F["vfio_user.mig_data_write.data"] = ProtoField.bytes("vfio_user.mig_data_write.data", "data")
F["vfio_user.iommufd_alloc_ioas.argsz"] = ProtoField.uint32("vfio_user.iommufd_alloc_ioas.argsz", "argsz", base.DEC, nil)
F["vfio_user.iommufd_alloc_ioas.flags"] = ProtoField.uint32("vfio_user.iommufd_alloc_ioas.flags", "flags", base.DEC, nil)
F["vfio_user.iommufd_alloc_ioas.out_ioas_id"] = ProtoField.uint32("vfio_user.iommufd_alloc_ioas.out_ioas_id", "out_ioas_id", base.DEC, nil)
F["vfio_user.iommufd_alloc_ioas.__reserved"] = ProtoField.uint32("vfio_user.iommufd_alloc_ioas.__reserved", "__reserved", base.DEC, nil)
F["vfio_user.iommufd_destroy_ioas.argsz"] = ProtoField.uint32("vfio_user.iommufd_destroy_ioas.argsz", "argsz", base.DEC, nil)
F["vfio_user.iommufd_destroy_ioas.flags"] = ProtoField.uint32("vfio_user.iommufd_destroy_ioas.flags", "flags", base.DEC, nil)
F["vfio_user.iommufd_destroy_ioas.ioas_id"] = ProtoField.uint32("vfio_user.iommufd_destroy_ioas.ioas_id", "ioas_id", base.DEC, nil)
F["vfio_user.iommufd_destroy_ioas.__reserved"] = ProtoField.uint32("vfio_user.iommufd_destroy_ioas.__reserved", "__reserved", base.DEC, nil)
F["vfio_user.iommufd_ioas_map.argsz"] = ProtoField.uint32("vfio_user.iommufd_ioas_map.argsz", "argsz", base.DEC, nil)
F["vfio_user.iommufd_ioas_map.flags"] = ProtoField.uint32("vfio_user.iommufd_ioas_map.flags", "flags", base.HEX, nil)
F["vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_WRITEABLE"] = ProtoField.bool("vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_WRITEABLE", "VFIO_USER_IOMMUFD_MAP_WRITEABLE", 32, nil, 1)
F["vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_READABLE"] = ProtoField.bool("vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_READABLE", "VFIO_USER_IOMMUFD_MAP_READABLE", 32, nil, 2)
F["vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_FIXED_IOVA"] = ProtoField.bool("vfio_user.iommufd_ioas_map.flags.VFIO_USER_IOMMUFD_MAP_FIXED_IOVA", "VFIO_USER_IOMMUFD_MAP_FIXED_IOVA", 32, nil, 4)
F["vfio_user.iommufd_ioas_map.ioas_id"] = ProtoField.uint32("vfio_user.iommufd_ioas_map.ioas_id", "ioas_id", base.DEC, nil)
F["vfio_user.iommufd_ioas_map.__reserved"] = ProtoField.uint32("vfio_user.iommufd_ioas_map.__reserved", "__reserved", base.DEC, nil)
F["vfio_user.iommufd_ioas_map.user_va"] = ProtoField.uint64("vfio_user.iommufd_ioas_map.user_va", "user_va", base.DEC, nil)
F["vfio_user.iommufd_ioas_map.length"] = ProtoField.uint64("vfio_user.iommufd_ioas_map.length", "length", base.DEC, nil)
F["vfio_user.iommufd_ioas_map.iova"] = ProtoField.uint64("vfio_user.iommufd_ioas_map.iova", "iova", base.DEC, nil)
F["vfio_user.iommufd_ioas_map.offset"] = ProtoField.uint64("vfio_user.iommufd_ioas_map.offset", "offset", base.DEC, nil)
F["vfio_user.iommufd_ioas_unmap.argsz"] = ProtoField.uint32("vfio_user.iommufd_ioas_unmap.argsz", "argsz", base.DEC, nil)
F["vfio_user.iommufd_ioas_unmap.flags"] = ProtoField.uint32("vfio_user.iommufd_ioas_unmap.flags", "flags", base.HEX, nil)
F["vfio_user.iommufd_ioas_unmap.flags.VFIO_USER_IOMMUFD_UNMAP_ALL"] = ProtoField.bool("vfio_user.iommufd_ioas_unmap.flags.VFIO_USER_IOMMUFD_UNMAP_ALL", "VFIO_USER_IOMMUFD_UNMAP_ALL", 32, nil, 1)
F["vfio_user.iommufd_ioas_unmap.ioas_id"] = ProtoField.uint32("vfio_user.iommufd_ioas_unmap.ioas_id", "ioas_id", base.DEC, nil)
F["vfio_user.iommufd_ioas_unmap.__reserved"] = ProtoField.uint32("vfio_user.iommufd_ioas_unmap.__reserved", "__reserved", base.DEC, nil)
F["vfio_user.iommufd_ioas_unmap.iova"] = ProtoField.uint64("vfio_user.iommufd_ioas_unmap.iova", "iova", base.DEC, nil)
F["vfio_user.iommufd_ioas_unmap.length"] = ProtoField.uint64("vfio_user.iommufd_ioas_unmap.length", "length", base.DEC, nil)
F["vfio_user.iommufd_ioas_copy.argsz"] = ProtoField.uint32("vfio_user.iommufd_ioas_copy.argsz", "argsz", base.DEC, nil)
F["vfio_user.iommufd_ioas_copy.flags"] = ProtoField.uint32("vfio_user.iommufd_ioas_copy.flags", "flags", base.HEX, nil)
F["vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_WRITEABLE"] = ProtoField.bool("vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_WRITEABLE", "VFIO_USER_IOMMUFD_MAP_WRITEABLE", 32, nil, 1)
F["vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_READABLE"] = ProtoField.bool("vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_READABLE", "VFIO_USER_IOMMUFD_MAP_READABLE", 32, nil, 2)
F["vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_FIXED_IOVA"] = ProtoField.bool("vfio_user.iommufd_ioas_copy.flags.VFIO_USER_IOMMUFD_MAP_FIXED_IOVA", "VFIO_USER_IOMMUFD_MAP_FIXED_IOVA", 32, nil, 4)
F["vfio_user.iommufd_ioas_copy.src_ioas_id"] = ProtoField.uint32("vfio_user.iommufd_ioas_copy.src_ioas_id", "src_ioas_id", base.DEC, nil)
F["vfio_user.iommufd_ioas_copy.dst_ioas_id"] = ProtoField.uint32("vfio_user.iommufd_ioas_copy.dst_ioas_id", "dst_ioas_id", base.DEC, nil)
F["vfio_user.iommufd_ioas_copy.src_iova"] = ProtoField.uint64("vfio_user.iommufd_ioas_copy.src_iova", "src_iova", base.DEC, nil)
F["vfio_user.iommufd_ioas_copy.dst_iova"] = ProtoField.uint64("vfio_user.iommufd_ioas_copy.dst_iova", "dst_iova", base.DEC, nil)
F["vfio_user.iommufd_ioas_copy.length"] = ProtoField.uint64("vfio_user.iommufd_ioas_copy.length", "length", base.DEC, nil)
F["vfio_user.iommufd_bind.argsz"] = ProtoField.uint32("vfio_user.iommufd_bind.argsz", "argsz", base.DEC, nil)
F["vfio_user.iommufd_bind.flags"] = ProtoField.uint32("vfio_user.iommufd_bind.flags", "flags", base.DEC, nil)
F["vfio_user.iommufd_bind.iommufd"] = ProtoField.int32("vfio_user.iommufd_bind.iommufd", "iommufd", base.DEC, nil)
F["vfio_user.iommufd_bind.out_devid"] = ProtoField.uint32("vfio_user.iommufd_bind.out_devid", "out_devid", base.DEC, nil)
F["vfio_user.iommufd_attach_pt.argsz"] = ProtoField.uint32("vfio_user.iommufd_attach_pt.argsz", "argsz", base.DEC, nil)
F["vfio_user.iommufd_attach_pt.flags"] = ProtoField.uint32("vfio_user.iommufd_attach_pt.flags", "flags", base.HEX, nil)
F["vfio_user.iommufd_attach_pt.flags.VFIO_USER_IOMMUFD_ATTACH_PASID"] = ProtoField.bool("vfio_user.iommufd_attach_pt.flags.VFIO_USER_IOMMUFD_ATTACH_PASID", "VFIO_USER_IOMMUFD_ATTACH_PASID", 32, nil, 1)
F["vfio_user.iommufd_attach_pt.pt_id"] = ProtoField.uint32("vfio_user.iommufd_attach_pt.pt_id", "pt_id", base.DEC, nil)
F["vfio_user.iommufd_attach_pt.pasid"] = ProtoField.uint32("vfio_user.iommufd_attach_pt.pasid", "pasid", base.DEC, nil)
F["vfio_user.iommufd_detach_pt.argsz"] = ProtoField.uint32("vfio_user.iommufd_detach_pt.argsz", "argsz", base.DEC, nil)
F["vfio_user.iommufd_detach_pt.flags"] = ProtoField.uint32("vfio_user.iommufd_detach_pt.flags", "flags", base.HEX, nil)
F["vfio_user.iommufd_detach_pt.flags.VFIO_USER_IOMMUFD_DETACH_PASID"] = ProtoField.bool("vfio_user.iommufd_detach_pt.flags.VFIO_USER_IOMMUFD_DETACH_PASID", "VFIO_USER_IOMMUFD_DETACH_PASID", 32, nil, 1)
F["vfio_user.iommufd_detach_pt.pasid"] = ProtoField.uint32("vfio_user.iommufd_detach_pt.pasid", "pasid", base.DEC, nil)
F["vfio_user.iommufd_detach_pt.__reserved"] = ProtoField.uint32("vfio_user.iommufd_detach_pt.__reserved", "__reserved", base.DEC, nil)
F["vfio_user.iommufd_ioas_iova_ranges.argsz"] = ProtoField.uint32("vfio_user.iommufd_ioas_iova_ranges.argsz", "argsz", base.DEC, nil)
F["vfio_user.iommufd_ioas_iova_ranges.flags"] = ProtoField.uint32("vfio_user.iommufd_ioas_iova_ranges.flags", "flags", base.DEC, nil)
F["vfio_user.iommufd_ioas_iova_ranges.ioas_id"] = ProtoField.uint32("vfio_user.iommufd_ioas_iova_ranges.ioas_id", "ioas_id", base.DEC, nil)
F["vfio_user.iommufd_ioas_iova_ranges.num_iovas"] = ProtoField.uint32("vfio_user.iommufd_ioas_iova_ranges.num_iovas", "num_iovas", base.DEC, nil)
F["vfio_user.iommufd_ioas_iova_ranges.out_iova_alignment"] = ProtoField.uint64("vfio_user.iommufd_ioas_iova_ranges.out_iova_alignment", "out_iova_alignment", base.DEC, nil)
F["vfio_user.iommufd_ioas_iova_ranges.allowed_iovas.start"] = ProtoField.uint64("vfio_user.iommufd_ioas_iova_ranges.allowed_iovas.start", "start", base.DEC, nil)
F["vfio_user.iommufd_ioas_iova_ranges.allowed_iovas.last"] = ProtoField.uint64("vfio_user.iommufd_ioas_iova_ranges.allowed_iovas.last", "last", base.DEC, nil)
F["vfio_user.iommufd_ioas_set_dirty_tracking.argsz"] = ProtoField.uint32("vfio_user.iommufd_ioas_set_dirty_tracking.argsz", "argsz", base.DEC, nil)
F["vfio_user.iommufd_ioas_set_dirty_tracking.flags"] = ProtoField.uint32("vfio_user.iommufd_ioas_set_dirty_tracking.flags", "flags", base.HEX, nil)
F["vfio_user.iommufd_ioas_set_dirty_tracking.flags.VFIO_USER_IOMMUFD_DIRTY_TRACKING_ENABLE"] = ProtoField.bool("vfio_user.iommufd_ioas_set_dirty_tracking.flags.VFIO_USER_IOMMUFD_DIRTY_TRACKING_ENABLE", "VFIO_USER_IOMMUFD_DIRTY_TRACKING_ENABLE", 32, nil, 1)
F["vfio_user.iommufd_ioas_set_dirty_tracking.ioas_id"] = ProtoField.uint32("vfio_user.iommufd_ioas_set_dirty_tracking.ioas_id", "ioas_id", base.DEC, nil)
F["vfio_user.iommufd_ioas_set_dirty_tracking.__reserved"] = ProtoField.uint32("vfio_user.iommufd_ioas_set_dirty_tracking.__reserved", "__reserved", base.DEC, nil)
F["vfio_user.iommufd_ioas_get_dirty_bitmap.argsz"] = ProtoField.uint32("vfio_user.iommufd_ioas_get_dirty_bitmap.argsz", "argsz", base.DEC, nil)
F["vfio_user.iommufd_ioas_get_dirty_bitmap.flags"] = ProtoField.uint32("vfio_user.iommufd_ioas_get_dirty_bitmap.flags", "flags", base.HEX, nil)
F["vfio_user.iommufd_ioas_get_dirty_bitmap.flags.VFIO_USER_IOMMUFD_GET_DIRTY_BITMAP_NO_CLEAR"] = ProtoField.bool("vfio_user.iommufd_ioas_get_dirty_bitmap.flags.VFIO_USER_IOMMUFD_GET_DIRTY_BITMAP_NO_CLEAR", "VFIO_USER_IOMMUFD_GET_DIRTY_BITMAP_NO_CLEAR", 32, nil, 1)
F["vfio_user.iommufd_ioas_get_dirty_bitmap.ioas_id"] = ProtoField.uint32("vfio_user.iommufd_ioas_get_dirty_bitmap.ioas_id", "ioas_id", base.DEC, nil)
F["vfio_user.iommufd_ioas_get_dirty_bitmap.__reserved"] = ProtoField.uint32("vfio_user.iommufd_ioas_get_dirty_bitmap.__reserved", "__reserved", base.DEC, nil)
F["vfio_user.iommufd_ioas_get_dirty_bitmap.iova"] = ProtoField.uint64("vfio_user.iommufd_ioas_get_dirty_bitmap.iova", "iova", base.DEC, nil)
F["vfio_user.iommufd_ioas_get_dirty_bitmap.length"] = ProtoField.uint64("vfio_user.iommufd_ioas_get_dirty_bitmap.length", "length", base.DEC, nil)
F["vfio_user.iommufd_ioas_get_dirty_bitmap.page_size"] = ProtoField.uint64("vfio_user.iommufd_ioas_get_dirty_bitmap.page_size", "page_size", base.DEC, nil)
F["vfio_user.iommufd_ioas_get_dirty_bitmap.data"] = ProtoField.bytes("vfio_user.iommufd_ioas_get_dirty_bitmap.data", "data")

local function values(t)
  local out = {}
  for _, v in pairs(t) do out[#out + 1] = v end
  return out
end
vfio.fields = values(F)
capture.fields = values(CF)

local E_REFUSED = ProtoExpert.new("vfio_user.expert.refused", "The codec refuses this message", expert.group.MALFORMED, expert.severity.ERROR)
local E_ERROR_REPLY = ProtoExpert.new("vfio_user.expert.error_reply", "Error reply", expert.group.RESPONSE_CODE, expert.severity.NOTE)
vfio.experts = { E_REFUSED, E_ERROR_REPLY }

local dialect_enum = {}
for i, name in ipairs(DIALECTS) do dialect_enum[i] = { i, name, i } end
vfio.prefs.client_dialect = Pref.enum("Client dialect", 1, "How the client lays out the messages where implementations disagree", dialect_enum, false)
vfio.prefs.server_dialect = Pref.enum("Server dialect", 1, "How the server lays out the messages where implementations disagree", dialect_enum, false)

local json_dissector = Dissector.get("json")

-- Reading ----------------------------------------------------------------------

local SIZE = { u8 = 1, u16 = 2, u32 = 4, u64 = 8, s32 = 4 }

local function refuse(code, why)
  error({ code = code, why = why }, 0)
end

local function read(tvb, off, ty)
  if ty == "u8" then return tvb(off, 1):le_uint() end
  if ty == "u16" then return tvb(off, 2):le_uint() end
  if ty == "u32" then return tvb(off, 4):le_uint() end
  if ty == "s32" then return tvb(off, 4):le_int() end
  return tvb(off, 8):le_uint64()
end

local function as_number(x)
  if type(x) == "number" then return x end
  return x:tonumber()
end

local function add_value(tree, abbrev, range, value)
  local f = F[abbrev]
  if f == nil then
    tree:add(range, abbrev .. ": " .. tostring(value))
    return nil
  end
  if FIELD_TYPE[abbrev] == "u64" and type(value) == "number" then value = UInt64.new(value) end
  local item = tree:add_le(f, range, value)
  local bits = BITS[abbrev]
  if bits ~= nil then
    for _, b in ipairs(bits) do item:add_le(F[b], range) end
  end
  return item
end

local function add_bytes(tree, abbrev, tvb, off, len)
  if len == 0 then return tree:add(F[abbrev], tvb(off, 0)) end
  return tree:add(F[abbrev], tvb(off, len))
end

-- A struct's scalar and nested fields, added under prefix; returns their values by name.
local function read_struct(tvb, tree, off, sname, prefix)
  local s = STRUCTS[sname]
  local v = {}
  local sub = tree:add(tvb(off, s.size), sname)
  for _, f in ipairs(s.fields) do
    local at = off + f.off
    if f.type == "struct" then
      v[f.name] = read_struct(tvb, sub, at, f.struct, prefix .. "." .. f.name)
    elseif f.type == "bytes" then
      add_bytes(sub, prefix .. "." .. f.name, tvb, at, f.len)
    else
      v[f.name] = read(tvb, at, f.type)
      add_value(sub, prefix .. "." .. f.name, tvb(at, SIZE[f.type]), v[f.name])
    end
  end
  return v, sub
end

local function check_limit(name, value)
  local max = LIMITS[name]
  if type(value) ~= "number" then
    if value > UInt64.new(max) then refuse("ERR_LIMIT", name .. " exceeded") end
  elseif value > max then
    refuse("ERR_LIMIT", name .. " exceeded")
  end
end

local function one_bit(x)
  return x ~= 0 and bit32.band(x, x - 1) == 0
end

local function power_of_two(x)
  if type(x) == "number" then x = UInt64.new(x) end
  return x ~= UInt64.new(0) and x:band(x - 1) == UInt64.new(0)
end

-- ceil(ceil(length / page) / 64) * 8
local function bitmap_bytes(length, page)
  local zero = UInt64.new(0)
  if length == zero then return zero end
  local pages = (length - 1) / page + 1
  return ((pages - 1) / 64 + 1) * 8
end

local function run_checks(b, v, n)
  for _, c in ipairs(b.checks) do
    local x = v[c.field]
    if c.kind == "known-bits" then
      if bit32.band(x, bit32.bnot(c.mask)) ~= 0 then refuse("ERR_BAD_FLAGS", c.field .. ": unknown bits") end
    elseif c.kind == "one-of" then
      local all = 0
      for _, m in ipairs(c.masks) do all = bit32.bor(all, m) end
      if bit32.band(x, bit32.bnot(all)) ~= 0 then refuse("ERR_BAD_FLAGS", c.field .. ": unknown bits") end
      for _, m in ipairs(c.masks) do
        if not one_bit(bit32.band(x, m)) then refuse("ERR_BAD_FLAGS", c.field .. ": needs one bit of each group") end
      end
    elseif c.kind == "some-of" then
      if bit32.band(x, c.mask) == 0 then refuse("ERR_BAD_FLAGS", c.field .. ": needs a bit of the mask") end
    elseif c.kind == "allowed" then
      local ok = false
      for _, a in ipairs(c.values) do if x == a then ok = true end end
      if not ok then refuse("ERR_BAD_FLAGS", c.field .. ": value not allowed") end
    elseif c.kind == "zero" then
      if x ~= 0 then refuse("ERR_BAD_FLAGS", c.field .. " must be 0") end
    elseif c.kind == "not-all" then
      if bit32.band(x, c.bits) == c.bits then refuse("ERR_BAD_FLAGS", c.field .. ": bits exclude each other") end
    elseif c.kind == "argsz-covers" then
      if v.argsz < n then refuse("ERR_ARGSZ", "argsz smaller than the body") end
    elseif c.kind == "limit" then
      check_limit(c.limit, x)
    end
  end
end

-- Tails ------------------------------------------------------------------------

local TAILS = {}

-- A field of a decoded struct by a dotted path (bitmap.size).
local function field_of(v, path)
  for part in string.gmatch(path, "[^.]+") do v = v[part] end
  return v
end

-- Bytes: the rest, a fixed count, a length field, or a dirty bitmap sized by two fields.
TAILS.bytes = function(tvb, tree, o, n, S, t, v, prefix)
  local at = prefix .. "." .. t.name
  if t.rest then
    add_bytes(tree, at, tvb, o + S, n - S)
    return
  end
  if t.fixed ~= nil then
    if n ~= S + t.fixed then refuse("ERR_BODY_LONG", "bytes after the body") end
    add_bytes(tree, at, tvb, o + S, t.fixed)
    return
  end
  if t.pageSizeField ~= nil then
    local length = v[t.lengthField]
    local page = v[t.pageSizeField]
    if not power_of_two(page) then refuse("ERR_BAD_VALUE", t.pageSizeField .. " is not a power of two") end
    local want = bitmap_bytes(length, page)
    if t.limit ~= nil then check_limit(t.limit, want) end
    if UInt64.new(n - S) ~= want then refuse("ERR_TAIL_LENGTH", "the bitmap and length / page size disagree") end
    add_bytes(tree, at, tvb, o + S, n - S)
    return
  end
  if t.limit ~= nil then check_limit(t.limit, v[t.field]) end
  local len = as_number(v[t.field])
  if t.whenFlag ~= nil and bit32.band(v[t.whenField], t.whenFlag) == 0 then len = 0 end
  if t.atLeast then
    if n < S + len then refuse("ERR_TAIL_LENGTH", t.field .. " says more bytes than follow") end
    add_bytes(tree, at, tvb, o + S, n - S)
  else
    if n ~= S + len then refuse("ERR_TAIL_LENGTH", t.field .. " and the bytes that follow disagree") end
    add_bytes(tree, at, tvb, o + S, len)
  end
end

-- An array of structs, or of a union whose member the stride tells.
TAILS.array = function(tvb, tree, o, n, S, t, v, prefix)
  if t.limit ~= nil then check_limit(t.limit, v[t.field]) end
  local cnt = as_number(v[t.field])
  if t.members ~= nil then
    local rest = n - S
    if rest == 0 and t.omittable then return end
    if cnt == 0 then refuse("ERR_BODY_LONG", "entries without a count") end
    local stride = rest / cnt
    local sname
    for _, m in ipairs(t.members) do
      if STRUCTS[m].size == stride then sname = m end
    end
    if sname == nil then refuse("ERR_STRIDE", "entries of no member's size") end
    for i = 0, cnt - 1 do read_struct(tvb, tree, o + S + i * stride, sname, prefix .. "." .. t.name) end
    return
  end
  if t.omittable and n == S then cnt = 0 end
  local size = STRUCTS[t.struct].size
  if n ~= S + cnt * size then refuse("ERR_TAIL_LENGTH", t.field .. " and the entries that follow disagree") end
  for i = 0, cnt - 1 do
    local e = read_struct(tvb, tree, o + S + i * size, t.struct, prefix .. "." .. t.name)
    if t.elementMax ~= nil and as_number(e[t.elementField]) > t.elementMax then refuse("ERR_TAIL_LENGTH", t.elementField .. " above " .. t.elementMax) end
  end
end

-- A struct present when a flag is set, its rules, and the bytes its field counts.
TAILS.optional = function(tvb, tree, o, n, S, t, v, prefix)
  local rest = n - S
  if bit32.band(v[t.flagField], t.flag) == 0 then
    if rest ~= 0 then refuse("ERR_BODY_LONG", "bytes after the body") end
    return
  end
  local T = STRUCTS[t.struct].size
  if rest < T then refuse("ERR_BODY_SHORT", t.struct .. " is cut short") end
  local at = prefix .. "." .. t.name
  local x, sub = read_struct(tvb, tree, o + S, t.struct, at)
  for _, c in ipairs(t.checks) do
    if c.kind == "limit" then
      check_limit(c.limit, field_of(x, c.field))
    elseif c.kind == "power-of-two" then
      if not power_of_two(field_of(x, c.field)) then refuse("ERR_BAD_VALUE", c.field .. " is not a power of two") end
    elseif c.kind == "bitmap-size" then
      if field_of(x, c.field) ~= bitmap_bytes(v[c.length], field_of(x, c.pageSize)) then refuse("ERR_BAD_VALUE", c.field .. " does not fit the window") end
    end
  end
  if t.thenField == nil then
    if rest ~= T then refuse("ERR_BODY_LONG", "bytes after " .. t.struct) end
    if t.argszRoom ~= nil and v.argsz < S + T + as_number(field_of(x, t.argszRoom)) then refuse("ERR_ARGSZ", "argsz leaves no room for what the reply carries") end
    return
  end
  local bytes = as_number(field_of(x, t.thenField))
  if rest ~= T + bytes then refuse("ERR_TAIL_LENGTH", t.thenField .. " and the bytes that follow disagree") end
  add_bytes(sub, at .. "." .. t.thenName, tvb, o + S + T, bytes)
end

-- Whether every test of a payload case holds: the field's bits under the mask are one of the values.
local function case_holds(c, v)
  for _, w in ipairs(c.when) do
    local x = bit32.band(v[w.field], w.mask)
    local any = false
    for _, y in ipairs(w.is) do
      if x == y then any = true end
    end
    if not any then return false end
  end
  return true
end

-- A payload chosen by the fields before it; anything no case takes is raw bytes.
TAILS.select = function(tvb, tree, o, n, S, t, v, prefix)
  local at = prefix .. "." .. t.name
  local d = o + S
  local rest = n - S
  local function need(ok)
    if not ok then refuse("ERR_FEATURE_PAYLOAD", "the payload does not have the size its case needs") end
  end
  for _, c in ipairs(t.cases) do
    if case_holds(c, v) then
      if c.struct == nil then
        need(rest == 0)
        return
      end
      local T = STRUCTS[c.struct].size
      if c.thenKind == nil then
        need(rest == T)
        read_struct(tvb, tree, d, c.struct, at)
        return
      end
      if c.fixed ~= nil then need(rest == T + c.fixed) else need(rest >= T) end
      local x, sub = read_struct(tvb, tree, d, c.struct, at)
      local r = c.replyBitmap
      if r ~= nil and power_of_two(x[r.pageSize]) then check_limit(r.limit, bitmap_bytes(x[r.length], x[r.pageSize])) end
      local thenAt = at .. "." .. c.thenName
      if c.fixed ~= nil then
        add_bytes(sub, thenAt, tvb, d + T, c.fixed)
      elseif c.thenKind == "array" then
        if c.limit ~= nil then check_limit(c.limit, x[c.field]) end
        local cnt = as_number(x[c.field])
        local E = STRUCTS[c.of].size
        if rest ~= T + cnt * E then refuse("ERR_TAIL_LENGTH", c.field .. " and the entries that follow disagree") end
        for i = 0, cnt - 1 do read_struct(tvb, sub, d + T + i * E, c.of, thenAt) end
      elseif c.pageSize ~= nil then
        local page = x[c.pageSize]
        if not power_of_two(page) then refuse("ERR_BAD_VALUE", c.pageSize .. " is not a power of two") end
        local want = bitmap_bytes(x[c.length], page)
        if c.limit ~= nil then check_limit(c.limit, want) end
        need(UInt64.new(rest - T) == want)
        add_bytes(sub, thenAt, tvb, d + T, rest - T)
      elseif c.field ~= nil then
        local len = as_number(x[c.field])
        need(rest == T + len)
        add_bytes(sub, thenAt, tvb, d + T, len)
      else
        add_bytes(sub, thenAt, tvb, d + T, rest - T)
      end
      return
    end
  end
  add_bytes(tree, at .. ".bytes", tvb, d, rest)
end

-- The VERSION JSON, read as strictly as the codec reads it (src/json.ts, src/capabilities.ts).
local function check_utf8(s)
  local i, len = 1, #s
  while i <= len do
    local c = s:byte(i)
    local need, min
    if c < 0x80 then need, min = 0, 0
    elseif c >= 0xc2 and c < 0xe0 then need, min = 1, 0x80
    elseif c >= 0xe0 and c < 0xf0 then need, min = 2, 0x800
    elseif c >= 0xf0 and c < 0xf5 then need, min = 3, 0x10000
    else refuse("ERR_JSON_UTF8", "not UTF-8") end
    if i + need > len then refuse("ERR_JSON_UTF8", "not UTF-8") end
    local cp = need == 0 and c or bit32.band(c, bit32.rshift(0x7f, need + 1))
    for k = 1, need do
      local b = s:byte(i + k)
      if bit32.band(b, 0xc0) ~= 0x80 then refuse("ERR_JSON_UTF8", "not UTF-8") end
      cp = cp * 64 + bit32.band(b, 0x3f)
    end
    if cp < min or cp > 0x10ffff or (cp >= 0xd800 and cp <= 0xdfff) then refuse("ERR_JSON_UTF8", "not UTF-8") end
    i = i + need + 1
  end
end

local BACKSLASH = string.char(92)

local function parse_json(s)
  local pos = 1
  local function syntax() refuse("ERR_JSON_SYNTAX", "not JSON at byte " .. (pos - 1)) end
  local function ws()
    while true do
      local c = s:sub(pos, pos)
      if c == " " or c == "\t" or c == "\n" or c == "\r" then pos = pos + 1 else return end
    end
  end
  local value
  local function str()
    pos = pos + 1
    local parts = {}
    while true do
      local c = s:sub(pos, pos)
      if c == "" then syntax() end
      if c == '"' then pos = pos + 1; return table.concat(parts) end
      if c:byte() < 0x20 then syntax() end
      if c == BACKSLASH then
        local e = s:sub(pos + 1, pos + 1)
        if e == "u" then
          if not s:sub(pos + 2, pos + 5):match("^%x%x%x%x$") then syntax() end
          parts[#parts + 1] = s:sub(pos, pos + 5)
          pos = pos + 6
        elseif e == BACKSLASH or e:match('^["/bfnrt]$') then
          parts[#parts + 1] = s:sub(pos, pos + 1)
          pos = pos + 2
        else syntax() end
      else
        parts[#parts + 1] = c
        pos = pos + 1
      end
    end
  end
  value = function(depth)
    ws()
    local c = s:sub(pos, pos)
    if c == "{" or c == "[" then
      if depth + 1 > LIMITS.maxJsonDepth then refuse("ERR_LIMIT", "maxJsonDepth exceeded") end
    end
    if c == "{" then
      pos = pos + 1
      local obj = { kind = "object", keys = {}, order = {} }
      ws()
      if s:sub(pos, pos) == "}" then pos = pos + 1; return obj end
      while true do
        ws()
        if s:sub(pos, pos) ~= '"' then syntax() end
        local k = str()
        ws()
        if s:sub(pos, pos) ~= ":" then syntax() end
        pos = pos + 1
        local v = value(depth + 1)
        if obj.keys[k] ~= nil then refuse("ERR_JSON_DUPLICATE_KEY", "key " .. k .. " twice") end
        obj.keys[k] = v
        obj.order[#obj.order + 1] = k
        ws()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "}" then return obj end
        if d ~= "," then syntax() end
      end
    elseif c == "[" then
      pos = pos + 1
      ws()
      if s:sub(pos, pos) == "]" then pos = pos + 1; return { kind = "array" } end
      while true do
        value(depth + 1)
        ws()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "]" then return { kind = "array" } end
        if d ~= "," then syntax() end
      end
    elseif c == '"' then
      str()
      return { kind = "string" }
    elseif s:sub(pos, pos + 3) == "true" then pos = pos + 4; return { kind = "boolean" }
    elseif s:sub(pos, pos + 4) == "false" then pos = pos + 5; return { kind = "boolean" }
    elseif s:sub(pos, pos + 3) == "null" then pos = pos + 4; return { kind = "null" }
    else
      local text = s:match("^-?%d+%.?%d*[eE]?[+-]?%d*", pos)
      if text == nil then syntax() end
      if not (text:match("^-?0$") or text:match("^-?[1-9]%d*$") or text:match("^-?0%.%d+$") or text:match("^-?[1-9]%d*%.%d+$")
        or text:match("^-?0[eE][+-]?%d+$") or text:match("^-?[1-9]%d*[eE][+-]?%d+$") or text:match("^-?0%.%d+[eE][+-]?%d+$") or text:match("^-?[1-9]%d*%.%d+[eE][+-]?%d+$")) then
        syntax()
      end
      pos = pos + #text
      local n = tonumber(text)
      if n == nil or n == math.huge or n == -math.huge then syntax() end
      return { kind = "number", value = n }
    end
  end
  local root = value(0)
  ws()
  if pos <= #s then syntax() end
  return root
end

local function check_caps(node, v, path)
  for _, k in ipairs(v.order) do
    local child = node.keys and node.keys[k]
    if child ~= nil then
      local x = v.keys[k]
      local ok
      if child.type == "object" then ok = x.kind == "object"
      elseif child.type == "boolean" then ok = x.kind == "boolean"
      else
        ok = x.kind == "number" and x.value == math.floor(x.value) and math.abs(x.value) <= 9007199254740991
          and x.value >= (child.min or -9007199254740991) and x.value <= (child.max or 9007199254740991)
      end
      if not ok then refuse("ERR_CAPS_TYPE", path .. k .. " has the wrong type") end
      if child.type == "object" then check_caps(child, x, path .. k .. ".") end
    end
  end
end

TAILS.json = function(tvb, tree, o, n, S, t, v, prefix, pinfo)
  local len = n - S
  if len == 0 then
    add_bytes(tree, prefix .. "." .. t.name, tvb, o + S, 0)
    return
  end
  local text = len - 1
  check_limit("maxJsonBytes", len)
  if tvb(o + S + len - 1, 1):uint() ~= 0 then refuse("ERR_JSON_NUL", "the JSON does not end in a NUL byte") end
  for i = 0, text - 1 do
    if tvb(o + S + i, 1):uint() == 0 then refuse("ERR_JSON_NUL", "a NUL inside the JSON") end
  end
  local s = text > 0 and tvb(o + S, text):raw() or ""
  check_utf8(s)
  local root = parse_json(s)
  if root.kind ~= "object" then refuse("ERR_CAPS_TYPE", "the JSON is not an object") end
  check_caps(CAPS, root, "")
  add_bytes(tree, prefix .. "." .. t.name, tvb, o + S, text)
  if json_dissector ~= nil and text > 0 then
    pcall(function() json_dissector:call(tvb(o + S, text):tvb(), pinfo, tree) end)
  end
end

-- The capability chain must tile the bytes after the struct; each capability is chosen by its header's id.
TAILS.chain = function(tvb, tree, o, n, S, t, v, prefix)
  if bit32.band(v[t.flagField], t.flag) == 0 then
    if n ~= S then refuse("ERR_BODY_LONG", "bytes after the struct") end
    return
  end
  if n == S then refuse("ERR_CAP_CHAIN", "the flag is set but no capability follows") end
  local H = STRUCTS[t.header].size
  local function case_of(id)
    for _, c in ipairs(t.cases) do
      if c.id == id then return c end
    end
    return nil
  end
  local positions, seen = {}, {}
  local pos = v[t.offsetField]
  while pos ~= 0 do
    if #positions >= LIMITS[t.limit] then refuse("ERR_LIMIT", t.limit .. " exceeded") end
    if seen[pos] then refuse("ERR_CAP_CHAIN", "the chain loops") end
    if pos < S or pos + 8 > n then refuse("ERR_CAP_CHAIN", "a capability outside the body") end
    seen[pos] = true
    positions[#positions + 1] = pos
    pos = tvb(o + pos + 4, 4):le_uint()
  end
  if #positions == 0 then refuse("ERR_CAP_CHAIN", "the flag is set but the first offset is 0") end
  local sorted = {}
  for i, p in ipairs(positions) do sorted[i] = p end
  table.sort(sorted)
  if sorted[1] ~= S then refuse("ERR_CAP_CHAIN", "bytes that belong to no capability") end
  local size_at = {}
  for i, p in ipairs(sorted) do
    local stop = sorted[i + 1] or n
    local c = case_of(tvb(o + p, 2):le_uint())
    local size
    if c == nil then
      size = stop - p
      if size < H then refuse("ERR_CAP_CHAIN", "capabilities overlap") end
    elseif c.struct == nil then
      size = H
    else
      local T = STRUCTS[c.struct].size
      if c.thenKind == "array" then
        if stop - p < T then refuse("ERR_CAP_CHAIN", c.struct .. " cut short") end
        local cnt = tvb(o + p + c.countAt, 4):le_uint()
        if c.limit ~= nil then check_limit(c.limit, cnt) end
        size = T + cnt * STRUCTS[c.of].size
        if p + size > stop then refuse("ERR_CAP_CHAIN", c.thenName .. " run past the next capability") end
      else
        size = T
        if p + size > stop then refuse("ERR_CAP_CHAIN", c.struct .. " cut short") end
      end
    end
    if p + size ~= stop then refuse("ERR_CAP_CHAIN", "bytes that belong to no capability") end
    size_at[p] = size
  end
  local at = prefix .. "." .. t.name
  for _, p in ipairs(positions) do
    local cc = o + p
    local c = case_of(tvb(cc, 2):le_uint())
    if c ~= nil and c.struct ~= nil then
      local x, sub = read_struct(tvb, tree, cc, c.struct, at)
      if c.thenKind == "array" then
        local E = STRUCTS[c.of].size
        local T = STRUCTS[c.struct].size
        for a = 0, x[c.field] - 1 do read_struct(tvb, sub, cc + T + a * E, c.of, at .. "." .. c.thenName) end
      end
    else
      local _, sub = read_struct(tvb, tree, cc, t.header, at .. ".header")
      if c == nil then add_bytes(sub, at .. ".data", tvb, cc + H, size_at[p] - H) end
    end
  end
end

-- Messages ---------------------------------------------------------------------

-- The struct's C tail padding after the tail: zero bytes.
local function check_zero_pad(tvb, o, pad)
  for i = 0, pad - 1 do
    if tvb(o + i, 1):uint() ~= 0 then refuse("ERR_BAD_VALUE", "a padding byte after the body is not 0") end
  end
end

local function dissect_body(tvb, tree, o, n, b, prefix, pinfo)
  if b.kind == "empty" then
    if n ~= 0 then refuse("ERR_EMPTY_BODY", "a body where none belongs") end
    return
  end
  if b.emptyAllowed and n == 0 then return end
  local s = STRUCTS[b.struct]
  if n < s.size then refuse("ERR_BODY_SHORT", "the body is shorter than " .. b.struct) end
  local v = read_struct(tvb, tree, o, b.struct, prefix)
  run_checks(b, v, n)
  local t = b.tail
  local pad = b.pad or 0
  if t == nil then
    if n < s.size + pad then refuse("ERR_BODY_SHORT", "the body is shorter than sizeof(" .. b.struct .. ")") end
    if n ~= s.size + pad then refuse("ERR_BODY_LONG", "bytes after " .. b.struct) end
    check_zero_pad(tvb, o + s.size, pad)
    return
  end
  TAILS[t.kind](tvb, tree, o, n - pad, s.size, t, v, prefix, pinfo)
  check_zero_pad(tvb, o + n - pad, pad)
end

local function dialect_of(side)
  local i = side == "client" and vfio.prefs.client_dialect or vfio.prefs.server_dialect
  return DIALECTS[i] or DEFAULT_DIALECT
end

-- dir: "c2s", "s2c" or nil (then the sender follows from the command).
local function dissect_message(tvb, pinfo, root, m0, avail, dir)
  local tree = root:add(vfio, tvb(m0, math.min(avail, math.max(avail, 0))))
  local ok, err = pcall(function()
    if avail < 16 then refuse("ERR_NEED_MORE", "a header needs 16 bytes") end
    local msg_id = tvb(m0, 2):le_uint()
    local cmd = tvb(m0 + 2, 2):le_uint()
    local msg_size = tvb(m0 + 4, 4):le_uint()
    local flags = tvb(m0 + 8, 4):le_uint()
    local error_no = tvb(m0 + 12, 4):le_uint()
    local typ = bit32.band(flags, 0xf)
    local is_error = bit32.band(flags, 0x20) ~= 0
    local kind = typ == 0 and "command" or "reply"
    if typ == 1 and is_error then kind = "error" end
    local c = COMMANDS[cmd]
    if typ == 0 and is_error then
      -- Dialects whose error replies were once typed as commands (ERROR with type bits 0).
      local replier = (dir == "c2s" and "client") or (dir == "s2c" and "server") or ((c and c.sender == "server") and "client" or "server")
      if ERROR_TYPED_AS_COMMAND[dialect_of(replier)] then kind = "error" end
    end
    local cname = c and c.name or ("UNKNOWN(" .. cmd .. ")")
    tree:append_text(", " .. cname .. " " .. kind .. ", msg_id " .. msg_id)
    pinfo.cols.info:append(cname .. " " .. kind .. " id=" .. msg_id .. "  ")
    if msg_size < 16 then refuse("ERR_MSG_SIZE_SMALL", "msg_size below 16") end
    if msg_size > LIMITS.maxMessageSize then refuse("ERR_MESSAGE_TOO_LARGE", "msg_size above maxMessageSize") end
    if avail < msg_size then refuse("ERR_NEED_MORE", "the message is cut short") end
    if avail > msg_size then refuse("ERR_MSG_SIZE_MISMATCH", "bytes after msg_size") end
    tree:add(F["vfio_user.kind"], tvb(m0 + 8, 4), kind)
    add_value(tree, "vfio_user.msg_id", tvb(m0, 2), msg_id)
    add_value(tree, "vfio_user.cmd", tvb(m0 + 2, 2), cmd)
    add_value(tree, "vfio_user.msg_size", tvb(m0 + 4, 4), msg_size)
    add_value(tree, "vfio_user.flags", tvb(m0 + 8, 4), flags)
    add_value(tree, "vfio_user.error_no", tvb(m0 + 12, 4), error_no)
    local o = m0 + 16
    local n = msg_size - 16
    if kind == "error" then
      tree:add_proto_expert_info(E_ERROR_REPLY, "error reply: " .. (ERRNO[error_no] or tostring(error_no)))
      if error_no > LIMITS.maxErrorNo then refuse("ERR_ERRNO_RANGE", "error_no above maxErrorNo") end
      add_bytes(tree, "vfio_user.body", tvb, o, n)
      return
    end
    if typ > 1 or is_error then refuse("ERR_BAD_TYPE", "flags hold no message type") end
    if c == nil then refuse("ERR_UNKNOWN_COMMAND", "unknown command") end
    local sender = c.sender
    if dir == "c2s" then sender = "client" elseif dir == "s2c" then sender = "server"
    elseif kind == "reply" then sender = (c.sender == "client") and "server" or "client" end
    local which = kind == "command" and "request" or "reply"
    local over = OVERRIDES[dialect_of(sender)]
    local b = (over and over[cmd] and over[cmd][which]) or c[which]
    dissect_body(tvb, tree, o, n, b, c.prefix, pinfo)
  end)
  if not ok then
    local code = type(err) == "table" and err.code or "ERR_DISSECTOR"
    local why = type(err) == "table" and err.why or tostring(err)
    tree:add(F["vfio_user.refused"], tvb(m0, 0), code)
    tree:add_proto_expert_info(E_REFUSED, code .. ": " .. why)
  end
end

function vfio.dissector(tvb, pinfo, root)
  pinfo.cols.protocol = "VFIO-USER"
  pinfo.cols.info:clear()
  local len = tvb:len()
  local o = 0
  while o < len do
    local size = 0
    if len - o >= 16 then size = tvb(o + 4, 4):le_uint() end
    if size < 16 or size > len - o then size = len - o end
    dissect_message(tvb, pinfo, root, o, size, nil)
    o = o + size
  end
  return len
end

local KNOWN_NFDS, KNOWN_CONN = 1, 2

function capture.dissector(tvb, pinfo, root)
  pinfo.cols.protocol = "VFIO-USER"
  pinfo.cols.info:clear()
  if tvb:len() < 16 then return 0 end
  local t = root:add(capture, tvb(0, 16))
  local dir = tvb(1, 1):uint()
  local known = tvb(3, 1):uint()
  t:add_le(CF["vfio_user_capture.seq"], tvb(12, 4))
  t:add_le(CF["vfio_user_capture.dir"], tvb(1, 1))
  t:add_le(CF["vfio_user_capture.socket"], tvb(2, 1))
  if bit32.band(known, KNOWN_NFDS) ~= 0 then t:add_le(CF["vfio_user_capture.nfds"], tvb(4, 4)) end
  if bit32.band(known, KNOWN_CONN) ~= 0 then t:add_le(CF["vfio_user_capture.conn"], tvb(8, 4)) end
  local d = DIR_NAMES[dir]
  if d == "c2s" then pinfo.cols.src = "client"; pinfo.cols.dst = "server"
  elseif d == "s2c" then pinfo.cols.src = "server"; pinfo.cols.dst = "client" end
  if d ~= "c2s" and d ~= "s2c" then d = nil end
  dissect_message(tvb, pinfo, root, 16, tvb:len() - 16, d)
  return tvb:len()
end
