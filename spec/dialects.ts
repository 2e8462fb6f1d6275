/**
 * Dialects: how each implementation writes and reads the messages where the
 * implementations disagree. A message is decoded and encoded with the
 * dialect of the side that sent it; the receiver's dialect says how it reads
 * it (its read rules where it is less strict than its own layout, else its
 * own layout, exactly), which is how the checker tells a message the
 * receiver refuses from one it misreads (src/interop.ts).
 */
import { bitmapData, unmapBitmap } from './tails.js';
import type { DialectSpec, InteropSampleSpec, ReadRuleSpec, ServerRefusalSpec } from './types.js';

const QEMU_PCI = 'QEMU hw/vfio-user/pci.c (commit b1f4f4695c96, unchanged since 10.1)';
const QEMU_PROXY = 'QEMU hw/vfio-user/proxy.c (commit f79afdf7dafd) and protocol.h (commit aec6836c7340)';
const LIBVFIO_USER = 'libvfio-user lib/libvfio-user.c vfu_dma_transfer (master efd091bce1c1)';

/** How libvfio-user's vfu_dma_transfer() reads the reply to its own DMA_READ / DMA_WRITE. */
const libvfioUserDmaReplyReads: readonly ReadRuleSpec[] = [
  {
    cmd: 11,
    message: 'reply',
    checks: [{ kind: 'echo', fields: ['addr', 'count'], errno: 'EINVAL', why: 'bad reply to DMA transfer: the reply\'s u64 addr and count (body 0 and 8) are not the request\'s' }],
    fields: [
      { name: 'addr', means: 'addr', at: 0, type: 'u64' },
      { name: 'count', means: 'count', at: 8, type: 'u64' },
      { name: 'data', means: 'data', at: 16, type: 'data', length: 'count' },
    ],
    doc: 'Compares a u64 addr and a u64 count with what it asked, then copies count bytes from body offset 16.',
    evidence: `${LIBVFIO_USER}: dma_reply->addr/count compared with dma_req, then memcpy from rbuf + sizeof(*dma_reply)`,
  },
  {
    cmd: 12,
    message: 'reply',
    checks: [{ kind: 'echo', fields: ['addr', 'count'], errno: 'EINVAL', why: 'bad reply to DMA transfer: the reply\'s u64 addr and count (body 0 and 8) are not the request\'s' }],
    fields: [
      { name: 'addr', means: 'addr', at: 0, type: 'u64' },
      { name: 'count', means: 'count', at: 8, type: 'u64' },
    ],
    doc: 'Compares a u64 addr and a u64 count with what it asked; a reply without them fails the comparison.',
    evidence: `${LIBVFIO_USER}; QEMU 10.2.2 against the sample server: a bare-header DMA_WRITE reply logged "bad reply to DMA transfer" and the transfer failed`,
  },
];

/** Where libvfio-user filters the commands of a stopped device. */
const STOPPED_FILTER = 'libvfio-user lib/libvfio-user.c, the command filter of a stopped device (device_is_stopped, device_is_stopped_and_copying in lib/migration.c), master efd091bce1c1';

/**
 * The iommufd state errnos of pull request #833, the only implementation of
 * the extension. The kernel's uAPI, which the extension mirrors, agrees on
 * DESTROY and not on BIND.
 */
const pr833IommufdErrnos = {
  bindAgain: 'EEXIST',
  destroyAttached: 'EBUSY',
  evidence:
    'libvfio-user pull request #833 (head 304407498bfd) lib/iommufd.c, observed against its fixed samples/server: a second BIND answered EEXIST (17), DESTROY_IOAS of the attached IOAS EBUSY (16). The kernel answers a second VFIO_DEVICE_BIND_IOMMUFD on a bound device fd with EINVAL ("one device cannot be bound twice", drivers/vfio/device_cdev.c vfio_df_ioctl_bind_iommufd) and IOMMU_DESTROY of an IOAS a device is attached to with EBUSY, as the object still has users: drivers/iommu/iommufd/main.c iommufd_destroy',
} as const;

/** Commands libvfio-user master refuses as a server although the protocol lets them through. */
const libvfioUserRefusals: readonly ServerRefusalSpec[] = [
  {
    kind: 'only-in-states',
    // VFIO_DEVICE_STATE_STOP (1): REGION_READ, REGION_WRITE, DEVICE_FEATURE, MIG_DATA_READ.
    states: [1],
    commands: [9, 10, 16, 17],
    errno: 'EINVAL',
    why: 'in STOP libvfio-user serves only REGION_READ, REGION_WRITE, DEVICE_FEATURE and MIG_DATA_READ (DEVICE_RESET, DMA_MAP, SET_IRQS and the others are refused)',
    evidence: `${STOPPED_FILTER}; samples/server at master efd091bce1c1, observed: DEVICE_RESET in STOP answered EINVAL, logged "bad command 13 while device in stopped state"`,
  },
  {
    kind: 'only-in-states',
    // VFIO_DEVICE_STATE_STOP_COPY (3): DEVICE_FEATURE, MIG_DATA_READ.
    states: [3],
    commands: [16, 17],
    errno: 'EINVAL',
    why: 'in STOP_COPY libvfio-user serves only DEVICE_FEATURE and MIG_DATA_READ: DEVICE_RESET and the others are refused, and so are REGION_READ and REGION_WRITE',
    evidence: `${STOPPED_FILTER}; samples/server at master efd091bce1c1, observed: DEVICE_RESET in STOP_COPY answered EINVAL ("bad command 13 while device in stop-and-copy state"), REGION_READ and REGION_WRITE of regions 1 and 7 EINVAL ("cannot access region N while device in stop-and-copy state")`,
  },
  {
    kind: 'command-in-states',
    cmd: 17,
    // VFIO_USER_DEVICE_STATE_STOP_COPY (3) and PRE_COPY (6).
    states: [3, 6],
    errno: 'EINVAL',
    why: 'libvfio-user serves MIG_DATA_READ only in PRE_COPY and STOP_COPY ("bad migration state to read data")',
    evidence: 'libvfio-user lib/migration.c handle_mig_data_read (master efd091bce1c1)',
  },
  {
    kind: 'command-in-states',
    cmd: 18,
    // VFIO_USER_DEVICE_STATE_RESUMING (4).
    states: [4],
    errno: 'EINVAL',
    why: 'libvfio-user serves MIG_DATA_WRITE only in RESUMING ("bad migration state to write data")',
    evidence: 'libvfio-user lib/migration.c handle_mig_data_write (master efd091bce1c1)',
  },
  {
    kind: 'argsz-below',
    cmd: 17,
    field: 'size',
    plus: 8,
    errno: 'EINVAL',
    why: 'libvfio-user needs MIG_DATA_READ argsz >= sizeof(struct vfio_user_mig_data) (8) + size',
    evidence: 'libvfio-user lib/migration.c handle_mig_data_read, "argsz too small" (master efd091bce1c1)',
  },
  {
    kind: 'map-overlap',
    cmd: 2,
    errno: 'EINVAL',
    why: 'libvfio-user refuses a DMA_MAP that overlaps a mapped window (an exact duplicate succeeds, and its new fd is closed)',
    evidence: 'libvfio-user lib/dma.c dma_controller_add_region (master efd091bce1c1)',
  },
  {
    kind: 'bits-without',
    cmd: 16,
    field: 'flags',
    // VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET without VFIO_DEVICE_FEATURE_PROBE.
    all: 0x30000,
    without: 0x40000,
    errno: 'EINVAL',
    why: 'libvfio-user refuses DEVICE_FEATURE with both GET and SET and no PROBE',
    evidence: 'libvfio-user lib/libvfio-user.c handle_device_feature (master efd091bce1c1)',
  },
];

/** libvfio-user master behaviours the wire shows (shared by the default and libvfio-user dialects). */
const libvfioUserBehaviours = [
  { key: 'reset-migration-state', doc: 'DEVICE_RESET leaves the migration state as it is (since 4f4fce4, pull request #844), and the state survives a reconnect; before that commit a reset returned the device to RUNNING.', evidence: 'libvfio-user commit 4f4fce4 (#844), in master efd091bce1c1' },
  { key: 'dma-map-duplicate', doc: 'An exact duplicate DMA_MAP succeeds (the new fd is closed); a map that overlaps another is EINVAL; nothing answers EEXIST (the QEMU document asks for EEXIST).', evidence: 'libvfio-user lib/dma.c dma_controller_add_region (master efd091bce1c1)' },
  { key: 'version-fds', doc: 'A VERSION that carries fds is EINVAL.', evidence: 'libvfio-user lib/tran.c handle_version_and_get_caps (master efd091bce1c1)' },
] as const;

export const dialects: readonly DialectSpec[] = [
  {
    name: 'default',
    doc: 'The QEMU document where it is consistent; libvfio-user\'s wire behaviour where the document is silent or contradicts itself (DMA_WRITE reply with a u64 count, 48-byte IO_FDS entries, DMA_UNMAP flags, the migration capability).',
    overrides: [],
    resetMigrationState: 'unchanged',
    iommufdErrnos: pr833IommufdErrnos,
    behaviours: libvfioUserBehaviours,
    defaultPeerMaxMsgFds: 1,
    evidence: [
      'The QEMU document gives DMA_WRITE\'s reply count as 4 bytes in one table and 8 in the request tables; libvfio-user sends and expects 8 (a 32-byte reply seen on real traffic).',
      'The QEMU document computes the IO_FDS stride as (argsz - 32) / count and says 40 bytes; the fixed part is 16 bytes and libvfio-user sends 48-byte entries. Both strides are accepted.',
      'DEVICE_RESET leaves the migration state unchanged, as libvfio-user master does; the QEMU document\'s reset to RUNNING is the qemu dialect\'s.',
    ],
  },
  {
    name: 'libvfio-user',
    roles: ['server', 'client'],
    doc: 'nutanix/libvfio-user master (efd091bce1c1; server, and its sample client): writes every message as the default dialect does, and reads DMA replies by comparing a u64 addr and count with its request.',
    overrides: [],
    reads: libvfioUserDmaReplyReads,
    serverRefuses: libvfioUserRefusals,
    version: { client: [0, 0], server: [0, 0] },
    resetMigrationState: 'unchanged',
    iommufdErrnos: pr833IommufdErrnos,
    behaviours: libvfioUserBehaviours,
    defaultPeerMaxMsgFds: 1,
    evidence: ['libvfio-user assumes max_msg_fds 1 for a client that does not advertise it (tran.c) and advertises 8 itself.'],
  },
  {
    name: 'qemu',
    roles: ['client'],
    doc: 'QEMU\'s vfio-user client (hw/vfio-user, 10.1 onwards): DMA_READ/DMA_WRITE as VFIOUserDMARW (u32 count, data at body offset 12, message sizeof(VFIOUserDMARW) + count), DMA_WRITE replies without a body, 8 fds assumed for a peer that does not say; it checks the server\'s VERSION reply and GET_INFO counts, and reads DMA requests by msg_size rather than by layout.',
    overrides: [
      {
        cmd: 11,
        message: 'request',
        body: { kind: 'struct', struct: 'VFIOUserDMARW', padded: true, checks: [{ kind: 'limit', field: 'count', limit: 'maxDataXferSize' }] },
        doc: 'sizeof(VFIOUserDMARW), 32 bytes with the header: offset u64, count u32, 4 zero bytes.',
      },
      {
        cmd: 11,
        message: 'reply',
        body: { kind: 'struct', struct: 'VFIOUserDMARW', padded: true, tail: { kind: 'bytes', name: 'data', length: { field: 'count' }, limit: 'maxDataXferSize', doc: 'The bytes read, at body offset 12 (message byte 28).' } },
        doc: 'msg_size 32 + count: offset u64, count u32, the data at body offset 12, then 4 zero bytes (sizeof(VFIOUserDMARW) + count).',
      },
      {
        cmd: 12,
        message: 'request',
        body: { kind: 'struct', struct: 'VFIOUserDMARW', padded: true, tail: { kind: 'bytes', name: 'data', length: { field: 'count' }, limit: 'maxDataXferSize', doc: 'The bytes to write, at body offset 12 (message byte 28).' } },
        doc: 'msg_size 32 + count: the layout QEMU reads as meant (data at body offset 12, 4 zero bytes after it).',
      },
      { cmd: 12, message: 'reply', body: { kind: 'empty' }, doc: 'QEMU replies to DMA_WRITE with a bare header.' },
    ],
    reads: [
      {
        cmd: 11,
        message: 'request',
        checks: [
          { kind: 'msg-size-min', size: 32, errno: 'EINVAL', why: 'msg_size below sizeof(VFIOUserDMARW), 32' },
          { kind: 'at-most', field: 'count', bound: 'max_data_xfer_size', errno: 'E2BIG', why: 'count above its max_data_xfer_size' },
        ],
        fields: [
          { name: 'offset', means: 'addr', at: 0, type: 'u64' },
          { name: 'count', means: 'count', at: 8, type: 'u32' },
        ],
        doc: 'Needs msg_size >= 32 and count <= its max_data_xfer_size; reads offset (u64 at body 0) and count (u32 at body 8); body bytes 12-15 are ignored.',
        evidence: `${QEMU_PCI} vfio_user_dma_read`,
      },
      {
        cmd: 12,
        message: 'request',
        checks: [
          { kind: 'msg-size-min', size: 32, errno: 'EINVAL', why: 'msg_size below sizeof(VFIOUserDMARW), 32' },
          { kind: 'at-most', field: 'count', bound: 'msg_size', minus: 32, errno: 'E2BIG', why: 'count above msg_size - 32' },
        ],
        fields: [
          { name: 'offset', means: 'addr', at: 0, type: 'u64' },
          { name: 'count', means: 'count', at: 8, type: 'u32' },
          { name: 'data', means: 'data', at: 12, type: 'data', length: 'count' },
        ],
        doc: 'Needs msg_size >= 32 and count <= msg_size - 32; writes count bytes from body offset 12 (message byte 28) to guest memory, and replies with a bare header.',
        evidence: `${QEMU_PCI} vfio_user_dma_write`,
      },
    ],
    serves: { commands: [11, 12], unknownErrno: 'ENOSYS', fdsErrno: 'EINVAL', evidence: `${QEMU_PCI} vfio_user_pci_process_req` },
    versionReply: {
      jsonRequired: true,
      maxMinor: 0,
      maxima: [
        { path: 'max_msg_fds', max: 16 },
        { path: 'max_data_xfer_size', max: 67108864 },
        { path: 'max_dma_maps', max: 65535 },
        { path: 'migration.max_bitmap_size', max: 268435456 },
      ],
      multiples: [
        { path: 'pgsizes', of: 4096 },
        { path: 'migration.pgsize', of: 4096 },
      ],
      evidence: `${QEMU_PROXY}: vfio_user_validate_version, caps_check, check_max_fds (VFIO_USER_MAX_MAX_FDS 16), check_max_xfer (VFIO_USER_MAX_MAX_XFER 64 MiB), check_max_dma (VFIO_USER_DEF_MAP_MAX 65535), check_bitmap (256 MiB), check_pgsizes and check_migr_pgsize (multiples of 4096); unknown keys only warn`,
    },
    replyMaxima: [
      { cmd: 4, field: 'num_regions', max: 100, errno: 'EINVAL', evidence: 'QEMU hw/vfio-user/device.c vfio_user_get_device_info, VFIO_USER_MAX_REGIONS 100 (commit 395347bdf9f8)' },
      { cmd: 4, field: 'num_irqs', max: 50, errno: 'EINVAL', evidence: 'QEMU hw/vfio-user/device.c vfio_user_get_device_info, VFIO_USER_MAX_IRQS 50 (commit 395347bdf9f8)' },
    ],
    dmaErrors: [
      { errno: 'EFAULT', when: 'MEMTX_ERROR: the guest memory access failed' },
      { errno: 'ENODEV', when: 'MEMTX_DECODE_ERROR: no memory at the address, or bus mastering is off' },
      { errno: 'EPERM', when: 'MEMTX_ACCESS_ERROR: the access is not permitted' },
      { errno: 'EINVAL', when: 'any other memory transaction result; msg_size below 32; fds attached to the request' },
      { errno: 'E2BIG', when: 'DMA_READ count above its max_data_xfer_size; DMA_WRITE count above msg_size - 32' },
      { errno: 'ENOSYS', when: 'a server command other than DMA_READ and DMA_WRITE' },
    ],
    errorRepliesToNoReply: true,
    version: {
      client: [0, 0],
      clientKeys: ['max_msg_fds', 'max_data_xfer_size', 'pgsizes', 'max_dma_maps', 'migration.pgsize', 'migration.max_bitmap_size', 'write_multiple'],
    },
    resetMigrationState: 'running',
    behaviours: [
      { key: 'reset-migration-state', doc: 'The QEMU document says DEVICE_RESET returns the device to RUNNING; QEMU itself has no vfio-user migration yet.', evidence: 'QEMU docs/interop/vfio-user.rst "VFIO_USER_DEVICE_RESET"' },
      { key: 'never-offers', doc: 'QEMU sends version 0.0 and never offers iommufd or twin_socket.', evidence: `${QEMU_PROXY} caps_json; QEMU 10.2.2 observed` },
      {
        key: 'write-multi-coalescing',
        doc: 'QEMU puts a posted region write of at most 8 bytes into a REGION_WRITE_MULTI only while more than 1024 messages wait in its send queue (they wait only once the socket is full), and sends the multi at 200 writes, when the queue falls below 128 or empties, or before any other request. In 10.2.2 the flag that records write_multiple is 0x16 instead of 0x10, so it also sets the always-queue bit 0x4: once a server advertises write_multiple, QEMU sends every message through its I/O thread. Fixed after 10.2.',
        evidence: `QEMU hw/vfio-user/proxy.h VFIO_PROXY_USE_MULTI 0x16, VFIO_USER_OUT_HIGH 1024, VFIO_USER_OUT_LOW 128, and device.c vfio_user_region_write; QEMU commit 6a66c9f75292 "vfio-user: fix VFIO_PROXY_USE_MULTI constant value"; the 10.2.2 binary sets 0x16 (observed); test/interop-qemu.test.ts burst`,
      },
    ],
    defaultPeerMaxMsgFds: 8,
    evidence: [
      'QEMU hw/vfio-user/protocol.h declares VFIOUserDMARW { VFIOUserHdr hdr; uint64_t offset; uint32_t count; char data[]; }: count is 32 bits, data is at message byte 28 and sizeof is 32.',
      'QEMU hw/vfio-user/pci.c vfio_user_dma_read sizes its reply count + sizeof(VFIOUserDMARW) from a zeroed buffer: 32 + count bytes, 4 zero bytes after the data.',
      'QEMU 10.2.2 without shared guest memory, driving the example device: the device\'s 256-byte DMA_READ (a 32-byte request) was answered with msg_size 288, count 256 as a u32 at body offset 8, the data from body offset 12 and 4 zero bytes at the end; decoded in the qemu dialect, its checksum matched the guest\'s.',
      'QEMU 10.2.2 against libvfio-user\'s sample server: QEMU answered DMA_WRITE with a 16-byte header and no body; libvfio-user logged "bad reply to DMA transfer" and the server exited.',
      'QEMU hw/vfio-user/proxy.c assumes 8 fds for a server that does not send max_msg_fds.',
    ],
  },
  {
    name: 'rust-vmm',
    roles: ['client', 'server'],
    lacks: { commands: [11, 12], evidence: 'rust-vmm/vfio vfio-user/src/lib.rs (HEAD 96c82d1): no DMA_READ or DMA_WRITE in its client or server' },
    doc: 'The rust-vmm vfio-user crate (rust-vmm/vfio, vfio-user/src/lib.rs): DMA_UNMAP numbers GET_DIRTY_BITMAP 1<<1 and UNMAP_ALL 1<<2, one bit off everybody else; error replies carry errno 0; its client proposes 0.1 and its server answers 0.0; it advertises max_msg_fds 1.',
    overrides: [
      {
        cmd: 3,
        message: 'request',
        body: {
          kind: 'struct',
          struct: 'vfio_user_dma_unmap',
          checks: [{ kind: 'argsz-covers' }, { kind: 'allowed', field: 'flags', values: [0, 2, 4] }],
          tail: { ...unmapBitmap, argszRoom: 'size', doc: 'Never present: bit 0, which announces it, is no rust-vmm flag.' },
        },
        doc: 'flags: GET_DIRTY_PAGE_INFO is 1<<1 and UNMAP_ALL 1<<2; no bitmap follows.',
      },
      {
        cmd: 3,
        message: 'reply',
        body: {
          kind: 'struct',
          struct: 'vfio_user_dma_unmap',
          checks: [{ kind: 'allowed', field: 'flags', values: [0, 2, 4] }],
          tail: { ...unmapBitmap, then: bitmapData, type: 'UnmapBitmapWithData', doc: 'Never present: bit 0, which announces it, is no rust-vmm flag.' },
        },
        doc: 'The request echoed, flags numbered as in the request.',
      },
    ],
    flags: [
      {
        cmd: 3,
        field: 'flags',
        values: [
          { name: 'GET_DIRTY_PAGE_INFO', value: 0x2, means: 'VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP' },
          { name: 'UNMAP_ALL', value: 0x4, means: 'VFIO_DMA_UNMAP_FLAG_ALL' },
        ],
      },
    ],
    version: { client: [0, 1], server: [0, 0] },
    errorTypedAsCommand: {
      until: '2026-04-21',
      evidence: 'rust-vmm/vfio vfio-user/src/lib.rs: the failed-command reply was a header with flags HeaderFlags::Error alone (0x20, type bits 0) and error 0 until 2026-04-21',
    },
    behaviours: [
      { key: 'error-errno', doc: 'Error replies carry error_no 0; before 2026-04-21 they were typed as commands (type bits 0 with ERROR set).', evidence: 'rust-vmm/vfio vfio-user/src/lib.rs, the server\'s reply when handle_command fails: a bare header with error 0 (older versions: flags HeaderFlags::Error alone, no reply type); HEAD 96c82d1, 2026-04-22' },
      { key: 'max-msg-fds', doc: 'Advertises max_msg_fds 1.', evidence: 'rust-vmm/vfio vfio-user/src/lib.rs default_max_msg_fds' },
    ],
    defaultPeerMaxMsgFds: 1,
    evidence: [
      'rust-vmm/vfio vfio-user/src/lib.rs: bitflags DmaUnmapFlags { GET_DIRTY_PAGE_INFO = 1 << 1; UNMAP_ALL = 1 << 2 } (HEAD 96c82d1; the same in the archived rust-vmm/vfio-user and its forks).',
      'rust-vmm/vfio vfio-user/src/lib.rs: const fn default_max_msg_fds() -> u32 { 1 }.',
    ],
  },
  {
    name: 'spdk',
    roles: ['client'],
    lacks: { commands: [11, 12], evidence: 'spdk lib/vfio_user/host (commit 70b31195eeaa): the client handles no server command, so no DMA_READ or DMA_WRITE' },
    version: { client: [0, 1] },
    doc: 'SPDK\'s host client (lib/vfio_user/host): VERSION without the capabilities JSON; the region fd attached to DMA_UNMAP; payloads of at most 4 KiB.',
    overrides: [],
    behaviours: [
      { key: 'version-no-json', doc: 'Its VERSION proposes 0.1 (VFIO_USER_MINOR_VER 1 in vfio_user_internal.h) and carries no JSON, so the server takes every capability\'s default.', evidence: 'spdk lib/vfio_user/host/vfio_user.c vfio_user_check_version (commit 70b31195eeaa)' },
      { key: 'dma-unmap-fd', doc: 'Attaches the region\'s fd to DMA_UNMAP, which the protocol sends without fds (the checker reports ERR_FD_RULE).', evidence: 'spdk lib/vfio_user/host/vfio_user.c vfio_user_dev_dma_map_unmap (commit 70b31195eeaa)' },
    ],
    defaultPeerMaxMsgFds: 1,
    evidence: ['spdk/spdk lib/vfio_user/host/vfio_user.c (commit 70b31195eeaa): VFIO_USER_MAX_PAYLOAD_SIZE 4096; vfio_user_check_version sends sizeof(struct vfio_user_version) and no JSON; vfio_user_dev_dma_map_unmap passes &mr->fd with DMA_UNMAP as with DMA_MAP.'],
  },
];

/**
 * The sample messages of the Interoperability chapter: each is written in
 * its sender's dialect and read in its receiver's, for every pair of
 * implementations whose layouts or reading of it differ.
 */
export const interopSamples: readonly InteropSampleSpec[] = [
  { cmd: 3, message: 'request', name: 'unmap all', values: { argsz: 24, flags: ['VFIO_DMA_UNMAP_FLAG_ALL'] } },
  { cmd: 11, message: 'request', name: '8 bytes', values: { addr: 0x7000, count: 8 } },
  { cmd: 11, message: 'reply', name: 'data not starting with 4 zero bytes', values: { addr: 0x7000, count: 8, data: 'deadbeef01020304' }, request: { addr: 0x7000, count: 8 } },
  { cmd: 11, message: 'reply', name: 'data starting with 4 zero bytes', values: { addr: 0x7000, count: 8, data: '0000000001020304' }, request: { addr: 0x7000, count: 8 } },
  { cmd: 12, message: 'request', name: '8 bytes', values: { addr: 0x7000, count: 8, data: 'deadbeef01020304' } },
  { cmd: 12, message: 'reply', name: '8 bytes written', values: { addr: 0x7000, count: 8 }, request: { addr: 0x7000, count: 8, data: 'deadbeef01020304' } },
];

/** The dialect used when none is named. */
export const DEFAULT_DIALECT = 'default';
