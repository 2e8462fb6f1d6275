/**
 * Dialects: how each implementation writes and reads the messages where the
 * implementations disagree. A message is decoded and encoded with the
 * dialect of the side that sent it.
 */
import type { DialectSpec } from './types.js';

export const dialects: readonly DialectSpec[] = [
  {
    name: 'default',
    doc: 'The QEMU document where it is consistent; libvfio-user\'s wire behaviour where the document is silent or contradicts itself (DMA_WRITE reply with a u64 count, 48-byte IO_FDS entries, DMA_UNMAP flags, the migration capability).',
    overrides: [],
    defaultPeerMaxMsgFds: 1,
    evidence: [
      'The QEMU document gives DMA_WRITE\'s reply count as 4 bytes in one table and 8 in the request tables; libvfio-user sends and expects 8 (a 32-byte reply seen on real traffic).',
      'The QEMU document computes the IO_FDS stride as (argsz - 32) / count and says 40 bytes; the fixed part is 16 bytes and libvfio-user sends 48-byte entries. Both strides are accepted.',
    ],
  },
  {
    name: 'libvfio-user',
    doc: 'nutanix/libvfio-user (server, and its sample client): writes every message as the default dialect does.',
    overrides: [],
    defaultPeerMaxMsgFds: 1,
    evidence: ['libvfio-user assumes max_msg_fds 1 for a client that does not advertise it (tran.c) and advertises 8 itself.'],
  },
  {
    name: 'qemu',
    doc: 'QEMU\'s vfio-user client (hw/vfio-user): DMA_READ/DMA_WRITE with a 32-bit count and data at offset 12, DMA_WRITE replies without a body, 8 fds assumed for a peer that does not say.',
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
        body: { kind: 'struct', struct: 'VFIOUserDMARW', padded: true, tail: { kind: 'data', name: 'data', length: { field: 'count' }, limit: 'maxDataXferSize', doc: 'The bytes read, at body offset 12 (message byte 28).' } },
        doc: 'msg_size 32 + count: offset u64, count u32, the data at body offset 12, then 4 zero bytes (sizeof(VFIOUserDMARW) + count).',
      },
      {
        cmd: 12,
        message: 'request',
        body: { kind: 'struct', struct: 'VFIOUserDMARW', padded: true, tail: { kind: 'data', name: 'data', length: { field: 'count' }, limit: 'maxDataXferSize', doc: 'The bytes to write, at body offset 12 (message byte 28).' } },
        doc: 'msg_size 32 + count: the layout QEMU reads as meant (data at body offset 12, 4 zero bytes after it).',
      },
      { cmd: 12, message: 'reply', body: { kind: 'empty' }, doc: 'QEMU replies to DMA_WRITE with a bare header.' },
    ],
    defaultPeerMaxMsgFds: 8,
    evidence: [
      'QEMU hw/vfio-user/protocol.h declares VFIOUserDMARW { uint64_t offset; uint32_t count; char data[]; }: count is 32 bits and data starts at 12.',
      'QEMU 10.2.2 against libvfio-user\'s sample server: QEMU answered DMA_WRITE with a 16-byte header and no body; libvfio-user logged "bad reply to DMA transfer" and the server exited.',
      'QEMU hw/vfio-user/proxy.c assumes 8 fds for a server that does not send max_msg_fds.',
    ],
  },
];

/** The dialect used when none is named. */
export const DEFAULT_DIALECT = 'default';
