/**
 * The example session: a client and a server going through every command
 * 1-26 (the legacy DIRTY_PAGES and the iommufd extension included), with
 * replies, error replies and file descriptors, built with the package's own
 * encoder. `vfio-user decode` shows it when given no file, and
 * examples/session.jsonl is this session written out:
 *
 *     node dist/src/cli/example.js --write examples/session.jsonl
 *
 * The client speaks like QEMU (its VERSION JSON has QEMU's keys and
 * spacing) and asks for iommufd; the server answers like libvfio-user
 * (json-c's spacing) with iommufd granted, as the iommufd pull request's
 * server does. The session is legal: `vfio-user check` finds nothing in it,
 * and every message re-encodes to its own bytes.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CommandByCmd, Message, ReplyByCmd } from '../../generated/ts/messages.js';
import { command, errorReply, reply, type KnownCmd } from '../build.js';
import { encode } from '../codec.js';
import { errno } from '../spec.js';
import { captureLine, NO_META, type Direction } from './capture.js';
import {
  VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
  VFIO_DEVICE_FEATURE_GET,
  VFIO_DEVICE_FEATURE_MIGRATION,
  VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
  VFIO_DEVICE_FEATURE_SET,
  VFIO_USER_DEVICE_FEATURE,
  VFIO_USER_DEVICE_GET_INFO,
  VFIO_USER_DEVICE_GET_IRQ_INFO,
  VFIO_USER_DEVICE_GET_REGION_INFO,
  VFIO_USER_DEVICE_GET_REGION_IO_FDS,
  VFIO_USER_DEVICE_RESET,
  VFIO_USER_DEVICE_SET_IRQS,
  VFIO_USER_DEVICE_STATE_PRE_COPY,
  VFIO_USER_DEVICE_STATE_RESUMING,
  VFIO_USER_DEVICE_STATE_RUNNING,
  VFIO_USER_DEVICE_STATE_STOP,
  VFIO_USER_DEVICE_STATE_STOP_COPY,
  VFIO_USER_DIRTY_PAGES,
  VFIO_USER_DMA_MAP,
  VFIO_USER_DMA_UNMAP,
  VFIO_USER_IOMMUFD_ALLOC_IOAS,
  VFIO_USER_IOMMUFD_ATTACH_PT,
  VFIO_USER_IOMMUFD_BIND,
  VFIO_USER_IOMMUFD_DESTROY_IOAS,
  VFIO_USER_IOMMUFD_DETACH_PT,
  VFIO_USER_IOMMUFD_IOAS_COPY,
  VFIO_USER_IOMMUFD_IOAS_MAP,
  VFIO_USER_IOMMUFD_IOAS_UNMAP,
  VFIO_USER_IOMMUFD_MAP_READABLE,
  VFIO_USER_IOMMUFD_MAP_WRITEABLE,
  VFIO_USER_MIG_DATA_READ,
  VFIO_USER_MIG_DATA_WRITE,
  VFIO_USER_REGION_READ,
  VFIO_USER_REGION_WRITE,
  VFIO_USER_VERSION,
} from '../../generated/ts/constants.js';
import {
  vfio_irq_info_SIZE,
  vfio_irq_set_SIZE,
  vfio_region_info_SIZE,
  vfio_user_device_feature_SIZE,
  vfio_user_device_feature_dma_logging_control_SIZE,
  vfio_user_device_feature_dma_logging_range_SIZE,
  vfio_user_device_feature_dma_logging_report_SIZE,
  vfio_user_device_feature_mig_state_SIZE,
  vfio_user_device_info_SIZE,
  vfio_user_dirty_pages_SIZE,
  vfio_user_dma_map_SIZE,
  vfio_user_dma_unmap_SIZE,
  vfio_user_iommufd_alloc_ioas_SIZE,
  vfio_user_iommufd_attach_pt_SIZE,
  vfio_user_iommufd_bind_SIZE,
  vfio_user_iommufd_destroy_ioas_SIZE,
  vfio_user_iommufd_detach_pt_SIZE,
  vfio_user_iommufd_ioas_copy_SIZE,
  vfio_user_iommufd_ioas_map_SIZE,
  vfio_user_iommufd_ioas_unmap_SIZE,
  vfio_user_mig_data_SIZE,
  vfio_user_region_io_fds_reply_SIZE,
  vfio_user_region_io_fds_request_SIZE,
  vfio_user_sub_region_ioeventfd_SIZE,
} from '../../generated/ts/structs.js';

/** One message of the example: the bytes as sent, who sent them and with how many fds. */
export interface ExampleMessage {
  readonly seq: number;
  readonly dir: Direction;
  readonly nfds: number;
  readonly message: Message;
  readonly bytes: Uint8Array;
}

const EINVAL = errno['EINVAL']!;
const ENOENT = errno['ENOENT']!;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
/** `n` bytes counting up from `start`: recognisable payloads. */
const ramp = (n: number, start = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);

/** QEMU's VERSION proposal (its keys, `": "` and `", "` spacing), asking for iommufd. */
const CLIENT_JSON =
  '{"capabilities": {"max_msg_fds": 16, "max_data_xfer_size": 1048576, "pgsizes": 4096, "max_dma_maps": 65535, ' +
  '"migration": {"max_bitmap_size": 268435456, "pgsize": 4096}, "write_multiple": true, "iommufd": {"supported": true}}}';

/**
 * libvfio-user's reply as json-c writes it, with iommufd granted as the pull
 * request's server does; it also accepts REGION_WRITE_MULTI (write_multiple),
 * which the client uses below.
 */
const SERVER_JSON =
  '{ "capabilities": { "max_msg_fds": 8, "max_data_xfer_size": 1048576, "migration": { "pgsize": 4096 }, ' +
  '"write_multiple": true, "iommufd": { "supported": true } } }';

interface Sent<C extends KnownCmd> {
  readonly cmd: C;
  readonly message: CommandByCmd[C];
  readonly dir: Direction;
}

/** Numbers msg_ids per sender and records every message in order. */
class Session {
  readonly messages: ExampleMessage[] = [];
  readonly #nextId: Record<Direction, number> = { c2s: 1, s2c: 1 };

  /** A command from the client (`c2s`) or the server (`s2c`). */
  send<C extends KnownCmd>(dir: Direction, cmd: C, body: CommandByCmd[C]['body'], options: { fds?: number; noReply?: boolean } = {}): Sent<C> {
    const message = command(cmd, this.#nextId[dir]++, body, options.noReply === true ? { noReply: true } : {});
    this.#push(dir, message, options.fds ?? 0);
    return { cmd, message, dir };
  }

  /** The successful reply to `req`, from the other side. */
  reply<C extends KnownCmd>(req: Sent<C>, body: ReplyByCmd[C]['body'], fds = 0): void {
    this.#push(other(req.dir), reply({ cmd: req.cmd, msg_id: req.message.msg_id }, body), fds);
  }

  /** An error reply to `req`, from the other side. */
  fail(req: Sent<KnownCmd>, errno: number): void {
    this.#push(other(req.dir), errorReply(req.message, errno), 0);
  }

  #push(dir: Direction, message: Message, nfds: number): void {
    this.messages.push({ seq: this.messages.length + 1, dir, nfds, message, bytes: encode(message) });
  }
}

function other(dir: Direction): Direction {
  return dir === 'c2s' ? 's2c' : 'c2s';
}

/** argsz of a DEVICE_FEATURE with an 8-byte payload (migration flags, device state). */
const FEATURE_SIZE = vfio_user_device_feature_SIZE + vfio_user_device_feature_mig_state_SIZE;
/** argsz of DMA_LOGGING_START with one range, and of DMA_LOGGING_STOP with none. */
const LOGGING_START_SIZE = vfio_user_device_feature_SIZE + vfio_user_device_feature_dma_logging_control_SIZE + vfio_user_device_feature_dma_logging_range_SIZE;
const LOGGING_STOP_SIZE = vfio_user_device_feature_SIZE + vfio_user_device_feature_dma_logging_control_SIZE;
/** argsz of DMA_LOGGING_REPORT before its bitmap. */
const REPORT_SIZE = vfio_user_device_feature_SIZE + vfio_user_device_feature_dma_logging_report_SIZE;

/** Builds the example session, message by message. */
export function exampleSession(): ExampleMessage[] {
  const s = new Session();
  const c = 'c2s';

  // Negotiation: version 0.2 and both sides' capabilities.
  const version = s.send(c, VFIO_USER_VERSION, { major: 0, minor: 2, data: utf8(CLIENT_JSON), json: null });
  s.reply(version, { major: 0, minor: 2, data: utf8(SERVER_JSON), json: null });

  // The device: a PCI function that can be reset, 9 regions, 5 IRQ indexes.
  const info = s.send(c, VFIO_USER_DEVICE_GET_INFO, { argsz: vfio_user_device_info_SIZE, flags: 0, num_regions: 0, num_irqs: 0 });
  s.reply(info, { argsz: vfio_user_device_info_SIZE, flags: 0x3, num_regions: 9, num_irqs: 5 });

  // BAR0: an 8-byte register the client reaches by messages only.
  const bar0 = s.send(c, VFIO_USER_DEVICE_GET_REGION_INFO, { argsz: vfio_region_info_SIZE, flags: 0, index: 0, cap_offset: 0, size: 0n, offset: 0n, padding: new Uint8Array(0) });
  s.reply(bar0, { argsz: vfio_region_info_SIZE, flags: 0x3, index: 0, cap_offset: 0, size: 0x8n, offset: 0n, caps: [] });

  // BAR1: mmap-able in two areas. The caps do not fit in 32 bytes: the server
  // says how much room it needs (argsz 0x50), the client asks again with that
  // room (padded with zeroes, as libvfio-user's client does) and gets the caps
  // and the region's fd.
  const bar1 = s.send(c, VFIO_USER_DEVICE_GET_REGION_INFO, { argsz: vfio_region_info_SIZE, flags: 0, index: 1, cap_offset: 0, size: 0n, offset: 0n, padding: new Uint8Array(0) });
  s.reply(bar1, { argsz: 0x50, flags: 0x7, index: 1, cap_offset: 0, size: 0x3000n, offset: 0n, caps: [] });
  const bar1Again = s.send(c, VFIO_USER_DEVICE_GET_REGION_INFO, { argsz: 0x50, flags: 0, index: 1, cap_offset: 0, size: 0n, offset: 0n, padding: new Uint8Array(0x30) });
  s.reply(
    bar1Again,
    {
      argsz: 0x50,
      flags: 0xf,
      index: 1,
      cap_offset: 0x20,
      size: 0x3000n,
      offset: 0n,
      caps: [
        {
          kind: 'sparse_mmap',
          header: { id: 1, version: 1, next: 0 },
          nr_areas: 2,
          reserved: 0,
          areas: [
            { offset: 0n, size: 0x1000n },
            { offset: 0x2000n, size: 0x1000n },
          ],
        },
      ],
    },
    1,
  );

  // An ioeventfd for BAR0's doorbell (one 48-byte entry, its eventfd as fd 0).
  const ioFds = s.send(c, VFIO_USER_DEVICE_GET_REGION_IO_FDS, { argsz: vfio_user_region_io_fds_request_SIZE + vfio_user_sub_region_ioeventfd_SIZE, flags: 0, index: 0, count: 0 });
  s.reply(
    ioFds,
    {
      argsz: vfio_user_region_io_fds_reply_SIZE + vfio_user_sub_region_ioeventfd_SIZE,
      flags: 0,
      index: 0,
      count: 1,
      sub_regions: [{ gpa_offset: 0n, size: 4n, fd_index: 0, type: 0, flags: 0, shadow_mem_fd_index: 0, shadow_offset: 0n, datamatch: 0n }],
    },
    1,
  );

  // MSI-X: 4 vectors, then one eventfd per vector.
  const irqInfo = s.send(c, VFIO_USER_DEVICE_GET_IRQ_INFO, { argsz: vfio_irq_info_SIZE, flags: 0, index: 2, count: 0 });
  s.reply(irqInfo, { argsz: vfio_irq_info_SIZE, flags: 0x9, index: 2, count: 4 });
  const irqs = s.send(c, VFIO_USER_DEVICE_SET_IRQS, { argsz: vfio_irq_set_SIZE, flags: 0x24, index: 2, start: 0, count: 4, data: new Uint8Array(0) }, { fds: 4 });
  s.reply(irqs, null);

  // Region access: a BAR0 write, the config space's vendor and device ids, and
  // a read of a region that does not exist (EINVAL, as libvfio-user's client expects).
  const write = s.send(c, VFIO_USER_REGION_WRITE, { offset: 0n, region: 0, count: 4, data: bytes(0x01, 0x00, 0x00, 0x00) });
  s.reply(write, { offset: 0n, region: 0, count: 4 });
  const read = s.send(c, VFIO_USER_REGION_READ, { offset: 0n, region: 7, count: 4 });
  s.reply(read, { offset: 0n, region: 7, count: 4, data: bytes(0xad, 0xde, 0xef, 0xbe) });
  const badRead = s.send(c, VFIO_USER_REGION_READ, { offset: 0n, region: 0xdeadbeef, count: 4 });
  s.fail(badRead, EINVAL);

  // Guest memory: one window backed by an fd, one the server reaches by messages.
  const map = s.send(c, VFIO_USER_DMA_MAP, { argsz: vfio_user_dma_map_SIZE, flags: 0x3, offset: 0n, addr: 0x10000n, size: 0x1000n }, { fds: 1 });
  s.reply(map, null);
  const mapMsg = s.send(c, VFIO_USER_DMA_MAP, { argsz: vfio_user_dma_map_SIZE, flags: 0x3, offset: 0n, addr: 0x20000n, size: 0x1000n });
  s.reply(mapMsg, null);

  // The server's DMA into the fd-less window.
  const dmaWrite = s.send('s2c', 12, { addr: 0x20000n, count: 8n, data: ramp(8, 0xa0) });
  s.reply(dmaWrite, { addr: 0x20000n, count: 8n });
  const dmaRead = s.send('s2c', 11, { addr: 0x20000n, count: 8n });
  s.reply(dmaRead, { addr: 0x20000n, count: 8n, data: ramp(8, 0xa0) });

  // Dirty page logging of the first window.
  const migCaps = s.send(c, VFIO_USER_DEVICE_FEATURE, { argsz: FEATURE_SIZE, flags: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIGRATION, data: { kind: 'none' } });
  s.reply(migCaps, { argsz: FEATURE_SIZE, flags: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIGRATION, data: { kind: 'migration', flags: 0x5n } });
  const logging = { kind: 'dma_logging_control', page_size: 0x1000n, num_ranges: 1, reserved: 0, ranges: [{ iova: 0x10000n, length: 0x1000n }] } as const;
  const logStart = s.send(c, VFIO_USER_DEVICE_FEATURE, { argsz: LOGGING_START_SIZE, flags: VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_DMA_LOGGING_START, data: { ...logging, ranges: [...logging.ranges] } });
  s.reply(logStart, { argsz: LOGGING_START_SIZE, flags: VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_DMA_LOGGING_START, data: { ...logging, ranges: [...logging.ranges] } });
  const report = s.send(c, VFIO_USER_DEVICE_FEATURE, {
    argsz: REPORT_SIZE + 8,
    flags: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
    data: { kind: 'dma_logging_report', iova: 0x10000n, length: 0x1000n, page_size: 0x1000n, bitmap: new Uint8Array(0) },
  });
  s.reply(report, {
    argsz: REPORT_SIZE + 8,
    flags: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
    data: { kind: 'dma_logging_report', iova: 0x10000n, length: 0x1000n, page_size: 0x1000n, bitmap: bytes(1, 0, 0, 0, 0, 0, 0, 0) },
  });
  const stopLogging = { kind: 'dma_logging_control', page_size: 0x1000n, num_ranges: 0, reserved: 0, ranges: [] } as const;
  const logStop = s.send(c, VFIO_USER_DEVICE_FEATURE, { argsz: LOGGING_STOP_SIZE, flags: VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP, data: { ...stopLogging, ranges: [] } });
  s.reply(logStop, { argsz: LOGGING_STOP_SIZE, flags: VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP, data: { ...stopLogging, ranges: [] } });

  // Migration: RUNNING -> PRE_COPY -> STOP_COPY -> STOP, saving the device's
  // state; then RESUMING to load it back, STOP and RUNNING again. The client
  // writes data_fd as -1, as libvfio-user's client does.
  const setState = (state: number): void => {
    const req = s.send(c, VFIO_USER_DEVICE_FEATURE, { argsz: FEATURE_SIZE, flags: VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, data: { kind: 'mig_state', device_state: state, data_fd: 0xffffffff } });
    s.reply(req, { argsz: FEATURE_SIZE, flags: VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, data: { kind: 'mig_state', device_state: state, data_fd: 0xffffffff } });
  };
  const getState = s.send(c, VFIO_USER_DEVICE_FEATURE, { argsz: FEATURE_SIZE, flags: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, data: { kind: 'none' } });
  s.reply(getState, { argsz: FEATURE_SIZE, flags: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, data: { kind: 'mig_state', device_state: VFIO_USER_DEVICE_STATE_RUNNING, data_fd: 0 } });
  setState(VFIO_USER_DEVICE_STATE_PRE_COPY);
  const preCopy = s.send(c, VFIO_USER_MIG_DATA_READ, { argsz: vfio_user_mig_data_SIZE + 16, size: 16 });
  s.reply(preCopy, { argsz: vfio_user_mig_data_SIZE + 16, size: 16, data: ramp(16) });
  setState(VFIO_USER_DEVICE_STATE_STOP_COPY);
  // The last chunk: 8 bytes of data, padded to the 16 asked for (libvfio-user does).
  const stopCopy = s.send(c, VFIO_USER_MIG_DATA_READ, { argsz: vfio_user_mig_data_SIZE + 16, size: 16 });
  s.reply(stopCopy, { argsz: vfio_user_mig_data_SIZE + 16, size: 8, data: Uint8Array.from([...ramp(8, 16), ...new Uint8Array(8)]) });
  setState(VFIO_USER_DEVICE_STATE_STOP);
  setState(VFIO_USER_DEVICE_STATE_RESUMING);
  const load = s.send(c, VFIO_USER_MIG_DATA_WRITE, { argsz: vfio_user_mig_data_SIZE + 24, size: 24, data: ramp(24) });
  s.reply(load, null);
  setState(VFIO_USER_DEVICE_STATE_STOP);
  setState(VFIO_USER_DEVICE_STATE_RUNNING);

  // Unmapping: the fd-backed window; a window that was never mapped (ENOENT).
  const unmap = s.send(c, VFIO_USER_DMA_UNMAP, { argsz: vfio_user_dma_unmap_SIZE, flags: 0, addr: 0x10000n, size: 0x1000n, bitmap: null });
  s.reply(unmap, { argsz: vfio_user_dma_unmap_SIZE, flags: 0, addr: 0x10000n, size: 0x1000n, bitmap: null });
  const unmapUnknown = s.send(c, VFIO_USER_DMA_UNMAP, { argsz: vfio_user_dma_unmap_SIZE, flags: 0, addr: 0x30000n, size: 0x1000n, bitmap: null });
  s.fail(unmapUnknown, ENOENT);

  // Legacy dirty page tracking: a current server answers EINVAL.
  const dirty = s.send(c, VFIO_USER_DIRTY_PAGES, { argsz: vfio_user_dirty_pages_SIZE, flags: 0x1, range: null });
  s.fail(dirty, EINVAL);

  // Two posted 4-byte writes to BAR0 in one message, without a reply.
  s.send(
    c,
    15,
    {
      wr_cnt: 2n,
      wrs: [
        { offset: 0n, region: 0, count: 4, data: bytes(0x02, 0, 0, 0, 0, 0, 0, 0) },
        { offset: 4n, region: 0, count: 4, data: bytes(0x03, 0, 0, 0, 0, 0, 0, 0) },
      ],
    },
    { noReply: true },
  );

  const reset = s.send(c, VFIO_USER_DEVICE_RESET, null);
  s.reply(reset, null);

  // All remaining windows at once.
  const unmapAll = s.send(c, VFIO_USER_DMA_UNMAP, { argsz: vfio_user_dma_unmap_SIZE, flags: 0x2, addr: 0n, size: 0n, bitmap: null });
  s.reply(unmapAll, { argsz: vfio_user_dma_unmap_SIZE, flags: 0x2, addr: 0n, size: 0n, bitmap: null });

  // iommufd: the server chooses the IOVA of the mapping it is handed.
  const bind = s.send(c, VFIO_USER_IOMMUFD_BIND, { argsz: vfio_user_iommufd_bind_SIZE, flags: 0, iommufd: -1, out_devid: 0 });
  s.reply(bind, { argsz: 0, flags: 0, iommufd: 0, out_devid: 1 });
  const alloc = s.send(c, VFIO_USER_IOMMUFD_ALLOC_IOAS, { argsz: vfio_user_iommufd_alloc_ioas_SIZE, flags: 0, out_ioas_id: 0, __reserved: 0 });
  s.reply(alloc, { argsz: 0, flags: 0, out_ioas_id: 1, __reserved: 0 });
  const attach = s.send(c, VFIO_USER_IOMMUFD_ATTACH_PT, { argsz: vfio_user_iommufd_attach_pt_SIZE, flags: 0, pt_id: 1, pasid: 0 });
  s.reply(attach, null);
  const ioasMap = { argsz: vfio_user_iommufd_ioas_map_SIZE, flags: VFIO_USER_IOMMUFD_MAP_READABLE | VFIO_USER_IOMMUFD_MAP_WRITEABLE, ioas_id: 1, __reserved: 0, user_va: 0x7f3a_c000_0000n, length: 0x10000n, iova: 0n, offset: 0x1010n };
  const iomap = s.send(c, VFIO_USER_IOMMUFD_IOAS_MAP, ioasMap, { fds: 1 });
  s.reply(iomap, { ...ioasMap, iova: 0x7f12_3456_7010n });
  // Defined by the pull request, which has no handler for it.
  const copy = s.send(c, VFIO_USER_IOMMUFD_IOAS_COPY, { argsz: vfio_user_iommufd_ioas_copy_SIZE, flags: 0x3, src_ioas_id: 1, dst_ioas_id: 1, src_iova: 0x7f12_3456_7010n, dst_iova: 0n, length: 0x1000n });
  s.fail(copy, EINVAL);
  const iounmap = s.send(c, VFIO_USER_IOMMUFD_IOAS_UNMAP, { argsz: vfio_user_iommufd_ioas_unmap_SIZE, flags: 0, ioas_id: 1, __reserved: 0, iova: 0x7f12_3456_7010n, length: 0x10000n });
  s.reply(iounmap, null);
  const detach = s.send(c, VFIO_USER_IOMMUFD_DETACH_PT, { argsz: vfio_user_iommufd_detach_pt_SIZE, flags: 0, pasid: 0, __reserved: 0 });
  s.reply(detach, null);
  const destroy = s.send(c, VFIO_USER_IOMMUFD_DESTROY_IOAS, { argsz: vfio_user_iommufd_destroy_ioas_SIZE, flags: 0, ioas_id: 1, __reserved: 0 });
  s.reply(destroy, null);

  return s.messages;
}

/** The example session as a JSONL capture (`seq`, `dir`, `nfds`, `hex` per line). */
export function exampleJsonl(): string {
  return exampleSession()
    .map((m) => captureLine({ ...NO_META, seq: m.seq, dir: m.dir, nfds: m.nfds, bytes: m.bytes }))
    .join('\n')
    .concat('\n');
}

function main(argv: readonly string[]): void {
  if (argv.length === 2 && argv[0] === '--write') {
    writeFileSync(argv[1]!, exampleJsonl());
    process.stdout.write(`wrote ${argv[1]!}\n`);
    return;
  }
  if (argv.length === 0) {
    process.stdout.write(exampleJsonl());
    return;
  }
  process.stderr.write('usage: node dist/src/cli/example.js [--write FILE]\n');
  process.exitCode = 2;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
