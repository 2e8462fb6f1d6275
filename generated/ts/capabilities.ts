// Generated from spec/ by generator/ts.ts (npm run generate). Do not edit.

/** Every key of the VERSION JSON by its path from the root (`capabilities.migration.pgsize`), numbered by its place here. */
export const CAPABILITY_KEYS: readonly string[] = [
  'capabilities',
  'capabilities.max_msg_fds',
  'capabilities.max_data_xfer_size',
  'capabilities.max_dma_maps',
  'capabilities.pgsizes',
  'capabilities.migration',
  'capabilities.migration.pgsize',
  'capabilities.migration.max_bitmap_size',
  'capabilities.twin_socket',
  'capabilities.twin_socket.supported',
  'capabilities.twin_socket.fd_index',
  'capabilities.write_multiple',
  'capabilities.iommufd',
  'capabilities.iommufd.supported',
  'capabilities.iommufd.fixed_iova',
  'capabilities.iommufd.iova_ranges',
  'capabilities.iommufd.dirty_tracking',
];

/** Stores `x` in `o` under the name of key number `id` of CAPABILITY_KEYS. */
export function setCapability(o: Record<string, unknown>, id: number, x: unknown): void {
  switch (id) {
    case 0:
      o.capabilities = x;
      return;
    case 1:
      o.max_msg_fds = x;
      return;
    case 2:
      o.max_data_xfer_size = x;
      return;
    case 3:
      o.max_dma_maps = x;
      return;
    case 4:
      o.pgsizes = x;
      return;
    case 5:
      o.migration = x;
      return;
    case 6:
      o.pgsize = x;
      return;
    case 7:
      o.max_bitmap_size = x;
      return;
    case 8:
      o.twin_socket = x;
      return;
    case 9:
      o.supported = x;
      return;
    case 10:
      o.fd_index = x;
      return;
    case 11:
      o.write_multiple = x;
      return;
    case 12:
      o.iommufd = x;
      return;
    case 13:
      o.supported = x;
      return;
    case 14:
      o.fixed_iova = x;
      return;
    case 15:
      o.iova_ranges = x;
      return;
    case 16:
      o.dirty_tracking = x;
      return;
  }
}
