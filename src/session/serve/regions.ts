/**
 * The device and its regions: DEVICE_GET_REGION_INFO (with its two steps), DEVICE_GET_REGION_IO_FDS, REGION_READ, REGION_WRITE and REGION_WRITE_MULTI.
 */
import {
  VFIO_REGION_INFO_CAP_SPARSE_MMAP,
  VFIO_REGION_INFO_FLAG_CAPS,
  VFIO_REGION_INFO_FLAG_MMAP,
  VFIO_REGION_INFO_FLAG_READ,
  VFIO_REGION_INFO_FLAG_WRITE,
  VFIO_USER_DEVICE_GET_INFO,
  VFIO_USER_DEVICE_GET_REGION_INFO,
  VFIO_USER_DEVICE_GET_REGION_IO_FDS,
  VFIO_USER_REGION_READ,
  VFIO_USER_REGION_WRITE,
  VFIO_USER_REGION_WRITE_MULTI,
} from '../../../generated/ts/constants.js';
import type { CommandByCmd, ReplyByCmd } from '../../../generated/ts/messages.js';
import { ERRNO, ErrnoError } from '../errors.js';
import { closeFds } from '../fds.js';
import { isPromise, then, inOrder, type MaybePromise } from '../maybe-promise.js';
import { WithFds, type Answer, type ReplyBody } from './outcome.js';
import type { Served } from './served.js';
import {
  vfio_user_device_info_SIZE,
  vfio_region_info_SIZE,
  vfio_region_info_cap_sparse_mmap_SIZE,
  vfio_region_sparse_mmap_area_SIZE,
  vfio_user_region_io_fds_reply_SIZE,
  vfio_user_sub_region_ioeventfd_SIZE,
} from '../../../generated/ts/structs.js';

/** DEVICE_GET_INFO: the device's flags and how many regions and IRQ indexes it has. */
export function deviceInfo(s: Served): ReplyBody<typeof VFIO_USER_DEVICE_GET_INFO> {
  return { argsz: vfio_user_device_info_SIZE, flags: s.device.flags, num_regions: s.device.regions.length, num_irqs: s.device.irqs.length };
}

/** DEVICE_RESET; the migration state afterwards is the model's (the server dialect's rule). */
export function deviceReset(s: Served): MaybePromise<null> {
  return then(s.device.reset?.(s.conn), () => null);
}

/** DEVICE_GET_REGION_INFO: without room for the caps, the argsz they need; with it, the caps and the region's fd. */
export function regionInfo(s: Served, m: CommandByCmd[typeof VFIO_USER_DEVICE_GET_REGION_INFO]): Answer<typeof VFIO_USER_DEVICE_GET_REGION_INFO> {
  const { argsz, index } = m.body;
  const r = s.region(index);
  const mappable = (r.flags & VFIO_REGION_INFO_FLAG_MMAP) !== 0 && (r.fd !== undefined || r.openFd !== undefined) && r.size > 0n && s.model.maxMsgFds('server') >= 1;
  const flags = mappable ? r.flags : r.flags & ~VFIO_REGION_INFO_FLAG_MMAP;
  const base = { index, size: r.size, offset: mappable ? (r.offset ?? 0n) : 0n };
  if (!mappable) return { argsz: vfio_region_info_SIZE, flags, cap_offset: 0, ...base, caps: [] };
  const areas = [...(r.sparse ?? [{ offset: 0n, size: r.size }])];
  const needed = vfio_region_info_SIZE + vfio_region_info_cap_sparse_mmap_SIZE + areas.length * vfio_region_sparse_mmap_area_SIZE;
  if (argsz < needed) return { argsz: needed, flags, cap_offset: 0, ...base, caps: [] };
  const caps = [{ kind: 'sparse_mmap' as const, header: { id: VFIO_REGION_INFO_CAP_SPARSE_MMAP, version: 1, next: 0 }, nr_areas: areas.length, reserved: 0, areas }];
  const body = { argsz: needed, flags: flags | VFIO_REGION_INFO_FLAG_CAPS, cap_offset: vfio_region_info_SIZE, ...base, caps };
  if (r.openFd === undefined) return new WithFds(body, [r.fd!]);
  const fd = r.openFd();
  return new WithFds(body, [fd], () => closeFds([fd]));
}

export function ioFds(s: Served, m: CommandByCmd[typeof VFIO_USER_DEVICE_GET_REGION_IO_FDS]): Answer<typeof VFIO_USER_DEVICE_GET_REGION_IO_FDS> {
  const { argsz, index } = m.body;
  const r = s.region(index);
  if (r.flags === 0) throw new ErrnoError(ERRNO.EINVAL, `region ${index} is not set up`);
  const spec = s.device.ioFds?.(s.conn, index) ?? { entries: [], fds: [] };
  const needed = vfio_user_region_io_fds_reply_SIZE + spec.entries.length * vfio_user_sub_region_ioeventfd_SIZE;
  if (argsz < needed || spec.entries.length === 0) return { argsz: needed, flags: 0, index, count: spec.entries.length, sub_regions: [] };
  return new WithFds({ argsz: needed, flags: 0, index, count: spec.entries.length, sub_regions: [...spec.entries] }, spec.fds);
}

export function regionRead(s: Served, m: CommandByCmd[typeof VFIO_USER_REGION_READ]): MaybePromise<ReplyByCmd[typeof VFIO_USER_REGION_READ]['body']> {
  const { offset, region, count } = m.body;
  s.access(region, offset, count, VFIO_REGION_INFO_FLAG_READ);
  if (count === 0) return null;
  const data = s.device.regionRead(s.conn, region, offset, count);
  return isPromise(data) ? data.then((d) => readReply(d, offset, region, count)) : readReply(data, offset, region, count);
}

/** The REGION_READ reply of the bytes the device read (no closure on the synchronous path). */
function readReply(data: Uint8Array, offset: bigint, region: number, count: number): ReplyBody<typeof VFIO_USER_REGION_READ> {
  if (data.length !== count) throw new ErrnoError(ERRNO.EIO, `the device read ${data.length} of ${count} bytes`);
  return { offset, region, count, data };
}

export function regionWrite(s: Served, m: CommandByCmd[typeof VFIO_USER_REGION_WRITE]): MaybePromise<ReplyByCmd[typeof VFIO_USER_REGION_WRITE]['body']> {
  const { offset, region, count, data } = m.body;
  s.access(region, offset, count, VFIO_REGION_INFO_FLAG_WRITE);
  if (count === 0) return null;
  const done = s.device.regionWrite(s.conn, region, offset, data);
  return isPromise(done) ? done.then(() => ({ offset, region, count })) : { offset, region, count };
}

export function writeMulti(s: Served, m: CommandByCmd[typeof VFIO_USER_REGION_WRITE_MULTI]): MaybePromise<ReplyByCmd[typeof VFIO_USER_REGION_WRITE_MULTI]['body']> {
  const wrs = m.body.wrs;
  for (const w of wrs) s.access(w.region, w.offset, w.count, VFIO_REGION_INFO_FLAG_WRITE);
  return then(inOrder(wrs.length, (i) => s.device.regionWrite(s.conn, wrs[i]!.region, wrs[i]!.offset, wrs[i]!.data.subarray(0, wrs[i]!.count))), () => ({ wr_cnt: m.body.wr_cnt }));
}
