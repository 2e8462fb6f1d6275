/**
 * The benchmark's inputs: one representative message per command 1-26 and
 * kind (command, reply) that has a body, the empty DEVICE_RESET command, an
 * empty reply, an error reply and a 1 MiB REGION_WRITE.
 *
 * Each message is built with the package's builders, encoded with the
 * package's encoder and written back to back, at unaligned offsets, into one
 * receive buffer. The benchmark decodes subarrays of that buffer, as a
 * transport delivers them, and re-encodes the decoded messages (whose tails
 * are views into the receive buffer) into one send buffer.
 */
import { decode, encode } from '../src/codec.js';
import { command, errorReply, reply } from '../src/build.js';
import type { ResolvedOptions } from '../src/options.js';
import type { Message } from '../generated/ts/messages.js';

/** One message of the benchmark. */
export interface CodecCase {
  /** Row label, e.g. `DMA_MAP command`. */
  readonly name: string;
  /** The bytes, a subarray of the shared receive buffer. */
  readonly bytes: Uint8Array;
  /** The package's decoding of `bytes` (tails are views into the receive buffer): the encode input. */
  readonly message: Message;
  /** typed-struct and binary-parser versions exist for this message. */
  readonly libraries: boolean;
}

const utf8 = new TextEncoder();

function bytesOf(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** Messages before placement: name, message, and whether the libraries cover it. */
function catalogue(): [string, Message, boolean][] {
  const clientJson = utf8.encode(
    '{"capabilities":{"max_msg_fds":8,"max_data_xfer_size":1048576,"migration":{"pgsize":4096},"twin_socket":{"supported":true},"iommufd":{"supported":true}}}',
  );
  const serverJson = utf8.encode('{"capabilities":{"max_msg_fds":8,"max_data_xfer_size":1048576,"pgsizes":4096,"iommufd":{"supported":true}}}');
  const req = (cmd: number): { cmd: number; msg_id: number } => ({ cmd, msg_id: 0x1234 });
  const ioeventfd = (i: number): { gpa_offset: bigint; size: bigint; fd_index: number; type: number; flags: number; shadow_mem_fd_index: number; shadow_offset: bigint; datamatch: bigint } => ({
    gpa_offset: BigInt(0x1000 * i),
    size: 4n,
    fd_index: i,
    type: 0,
    flags: 0,
    shadow_mem_fd_index: 0,
    shadow_offset: 0n,
    datamatch: 0n,
  });
  const wrOne = (i: number): { offset: bigint; region: number; count: number; data: Uint8Array } => ({ offset: BigInt(0x10 * i), region: 0, count: 4, data: bytesOf(8, i) });
  const rows: [string, Message, boolean][] = [
    ['VERSION command (JSON)', command(1, 1, { major: 0, minor: 1, data: clientJson, json: null }), false],
    ['VERSION reply (JSON)', reply({ cmd: 1, msg_id: 1 }, { major: 0, minor: 1, data: serverJson, json: null }), false],
    ['DMA_MAP command', command(2, 2, { argsz: 32, flags: 3, offset: 0n, addr: 0x10000n, size: 0x1000n }), true],
    ['DMA_MAP reply (empty)', reply({ cmd: 2, msg_id: 2 }, null), false],
    ['DMA_UNMAP command (bitmap)', command(3, 3, { argsz: 72, flags: 1, addr: 0x100000n, size: 0x100000n, bitmap: { pgsize: 4096n, size: 32n } }), false],
    ['DMA_UNMAP reply (bitmap 32 B)', reply({ cmd: 3, msg_id: 3 }, { argsz: 72, flags: 1, addr: 0x100000n, size: 0x100000n, bitmap: { pgsize: 4096n, size: 32n, data: bytesOf(32, 3) } }), true],
    ['DEVICE_GET_INFO command', command(4, 4, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }), false],
    ['DEVICE_GET_INFO reply', reply(req(4) as { cmd: 4; msg_id: number }, { argsz: 16, flags: 3, num_regions: 9, num_irqs: 5 }), false],
    ['GET_REGION_INFO command', command(5, 5, { argsz: 32, flags: 0, index: 0, cap_offset: 0, size: 0n, offset: 0n, padding: new Uint8Array(0) }), false],
    [
      'GET_REGION_INFO reply (sparse caps)',
      reply({ cmd: 5, msg_id: 5 }, {
        argsz: 80,
        flags: 0xf,
        index: 0,
        cap_offset: 32,
        size: 0x10000n,
        offset: 0n,
        caps: [{ kind: 'sparse_mmap', header: { id: 1, version: 1, next: 0 }, nr_areas: 2, reserved: 0, areas: [{ offset: 0n, size: 0x1000n }, { offset: 0x3000n, size: 0xd000n }] }],
      }),
      true,
    ],
    ['GET_REGION_IO_FDS command', command(6, 6, { argsz: 16, flags: 0, index: 0, count: 0 }), false],
    ['GET_REGION_IO_FDS reply (2 x 48 B)', reply({ cmd: 6, msg_id: 6 }, { argsz: 112, flags: 0, index: 0, count: 2, sub_regions: [ioeventfd(0), ioeventfd(1)] }), false],
    ['GET_IRQ_INFO command', command(7, 7, { argsz: 16, flags: 0, index: 2, count: 0 }), false],
    ['GET_IRQ_INFO reply', reply({ cmd: 7, msg_id: 7 }, { argsz: 16, flags: 0x7, index: 2, count: 16 }), false],
    ['SET_IRQS command (eventfd)', command(8, 8, { argsz: 20, flags: 0x24, index: 2, start: 0, count: 4, data: new Uint8Array(0) }), false],
    ['REGION_READ command', command(9, 9, { offset: 0x10n, region: 0, count: 4 }), false],
    ['REGION_READ reply (4 B)', reply({ cmd: 9, msg_id: 9 }, { offset: 0x10n, region: 0, count: 4, data: bytesOf(4, 9) }), false],
    ['REGION_WRITE command (4 B)', command(10, 10, { offset: 0x10n, region: 0, count: 4, data: bytesOf(4, 10) }), true],
    ['REGION_WRITE command (1 MiB)', command(10, 11, { offset: 0n, region: 1, count: 1 << 20, data: bytesOf(1 << 20, 11) }), true],
    ['REGION_WRITE reply', reply({ cmd: 10, msg_id: 10 }, { offset: 0x10n, region: 0, count: 4 }), false],
    ['DMA_READ command', command(11, 12, { addr: 0x10000n, count: 64n }), false],
    ['DMA_READ reply (64 B)', reply({ cmd: 11, msg_id: 12 }, { addr: 0x10000n, count: 64n, data: bytesOf(64, 12) }), false],
    ['DMA_WRITE command (64 B)', command(12, 13, { addr: 0x10000n, count: 64n, data: bytesOf(64, 13) }), false],
    ['DMA_WRITE reply', reply({ cmd: 12, msg_id: 13 }, { addr: 0x10000n, count: 64n }), false],
    ['DEVICE_RESET command (no body)', command(13, 14, null), false],
    ['DIRTY_PAGES command (GET_BITMAP)', command(14, 15, { argsz: 40, flags: 4, range: { iova: 0n, size: 0x100000n, bitmap: { pgsize: 4096n, size: 32n } } }), false],
    [
      'DIRTY_PAGES reply (bitmap 32 B)',
      reply({ cmd: 14, msg_id: 15 }, { argsz: 72, flags: 4, range: { iova: 0n, size: 0x100000n, bitmap: { pgsize: 4096n, size: 32n }, data: bytesOf(32, 15) } }),
      false,
    ],
    ['REGION_WRITE_MULTI command (4 writes)', command(15, 16, { wr_cnt: 4n, wrs: [wrOne(0), wrOne(1), wrOne(2), wrOne(3)] }), false],
    ['REGION_WRITE_MULTI reply', reply({ cmd: 15, msg_id: 16 }, { wr_cnt: 4n }), false],
    ['DEVICE_FEATURE command (SET mig_state)', command(16, 17, { argsz: 16, flags: 0x20002, data: { kind: 'mig_state', device_state: 2, data_fd: 0xffffffff } }), false],
    ['DEVICE_FEATURE reply (GET migration)', reply({ cmd: 16, msg_id: 17 }, { argsz: 16, flags: 0x10001, data: { kind: 'migration', flags: 3n } }), false],
    ['MIG_DATA_READ command', command(17, 18, { argsz: 8, size: 64 }), false],
    ['MIG_DATA_READ reply (64 B)', reply({ cmd: 17, msg_id: 18 }, { argsz: 72, size: 64, data: bytesOf(64, 18) }), false],
    ['MIG_DATA_WRITE command (64 B)', command(18, 19, { argsz: 72, size: 64, data: bytesOf(64, 19) }), false],
    ['IOMMUFD_ALLOC_IOAS command', command(19, 20, { argsz: 16, flags: 0, out_ioas_id: 0, __reserved: 0 }), false],
    ['IOMMUFD_ALLOC_IOAS reply', reply({ cmd: 19, msg_id: 20 }, { argsz: 16, flags: 0, out_ioas_id: 1, __reserved: 0 }), false],
    ['IOMMUFD_DESTROY_IOAS command', command(20, 21, { argsz: 16, flags: 0, ioas_id: 1, __reserved: 0 }), false],
    ['IOMMUFD_IOAS_MAP command', command(21, 22, { argsz: 48, flags: 3, ioas_id: 1, __reserved: 0, user_va: 0x7f0000000000n, length: 0x200000n, iova: 0n, offset: 0n }), true],
    ['IOMMUFD_IOAS_MAP reply', reply({ cmd: 21, msg_id: 22 }, { argsz: 48, flags: 3, ioas_id: 1, __reserved: 0, user_va: 0x7f0000000000n, length: 0x200000n, iova: 0x100000n, offset: 0n }), false],
    ['IOMMUFD_IOAS_UNMAP command', command(22, 23, { argsz: 32, flags: 0, ioas_id: 1, __reserved: 0, iova: 0x100000n, length: 0x200000n }), false],
    ['IOMMUFD_IOAS_COPY command', command(23, 24, { argsz: 40, flags: 3, src_ioas_id: 1, dst_ioas_id: 2, src_iova: 0x100000n, dst_iova: 0n, length: 0x200000n }), false],
    ['IOMMUFD_BIND command', command(24, 25, { argsz: 16, flags: 0, iommufd: -1, out_devid: 0 }), false],
    ['IOMMUFD_BIND reply', reply({ cmd: 24, msg_id: 25 }, { argsz: 0, flags: 0, iommufd: -1, out_devid: 1 }), false],
    ['IOMMUFD_ATTACH_PT command', command(25, 26, { argsz: 16, flags: 0, pt_id: 1, pasid: 0 }), false],
    ['IOMMUFD_DETACH_PT command', command(26, 27, { argsz: 16, flags: 0, pasid: 0, __reserved: 0 }), false],
    ['error reply (EINVAL)', errorReply(req(2), 22), false],
  ];
  return rows;
}

/** Where each message goes: back to back from an odd offset, each start moved by 3 bytes to stay unaligned. */
export function buildCases(opt: ResolvedOptions): { cases: CodecCase[]; receive: Uint8Array } {
  const encoded = catalogue().map(([name, message, libraries]) => ({ name, bytes: encode(message, opt), libraries }));
  let size = 3;
  for (const e of encoded) size += e.bytes.length + 3;
  const receive = new Uint8Array(new ArrayBuffer(size));
  let at = 3;
  const cases: CodecCase[] = [];
  for (const e of encoded) {
    receive.set(e.bytes, at);
    const bytes = receive.subarray(at, at + e.bytes.length);
    cases.push({ name: e.name, bytes, message: decode(bytes, opt), libraries: e.libraries });
    at += e.bytes.length + 3;
  }
  return { cases, receive };
}
