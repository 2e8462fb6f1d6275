// Generated from spec/ by generator/ts.ts (npm run generate). Do not edit.

/** Stores `x` under the name of key number `i` of one object node. */
export type KeySetter = (o: Record<string, unknown>, i: number, x: unknown) => void;

function set_root(o: Record<string, unknown>, i: number, x: unknown): void {
  switch (i) {
    case 0:
      o.capabilities = x;
      return;
  }
}

function set_capabilities(o: Record<string, unknown>, i: number, x: unknown): void {
  switch (i) {
    case 0:
      o.max_msg_fds = x;
      return;
    case 1:
      o.max_data_xfer_size = x;
      return;
    case 2:
      o.max_dma_maps = x;
      return;
    case 3:
      o.pgsizes = x;
      return;
    case 4:
      o.migration = x;
      return;
    case 5:
      o.twin_socket = x;
      return;
    case 6:
      o.write_multiple = x;
      return;
    case 7:
      o.iommufd = x;
      return;
  }
}

function set_capabilities_migration(o: Record<string, unknown>, i: number, x: unknown): void {
  switch (i) {
    case 0:
      o.pgsize = x;
      return;
    case 1:
      o.max_bitmap_size = x;
      return;
  }
}

function set_capabilities_twin_socket(o: Record<string, unknown>, i: number, x: unknown): void {
  switch (i) {
    case 0:
      o.supported = x;
      return;
    case 1:
      o.fd_index = x;
      return;
  }
}

function set_capabilities_iommufd(o: Record<string, unknown>, i: number, x: unknown): void {
  switch (i) {
    case 0:
      o.supported = x;
      return;
    case 1:
      o.fixed_iova = x;
      return;
    case 2:
      o.iova_ranges = x;
      return;
    case 3:
      o.dirty_tracking = x;
      return;
  }
}

/** The setter of each object node by its path (`capabilities.migration`; the root is `''`). */
export const CAPABILITY_SETTERS: Readonly<Record<string, KeySetter>> = {
  '': set_root,
  'capabilities': set_capabilities,
  'capabilities.migration': set_capabilities_migration,
  'capabilities.twin_socket': set_capabilities_twin_socket,
  'capabilities.iommufd': set_capabilities_iommufd,
};
