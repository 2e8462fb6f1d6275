/**
 * DEVICE_FEATURE (migration capabilities and state, DMA dirty logging) and the migration data, MIG_DATA_READ and MIG_DATA_WRITE.
 */
import {
  VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
  VFIO_DEVICE_FEATURE_GET,
  VFIO_DEVICE_FEATURE_MASK,
  VFIO_DEVICE_FEATURE_MIGRATION,
  VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
  VFIO_DEVICE_FEATURE_PROBE,
  VFIO_DEVICE_FEATURE_SET,
  VFIO_USER_DEVICE_FEATURE,
  VFIO_USER_DEVICE_STATE_PRE_COPY,
  VFIO_USER_DEVICE_STATE_RESUMING,
  VFIO_USER_DEVICE_STATE_STOP_COPY,
  VFIO_USER_HEADER_SIZE,
  VFIO_USER_MIG_DATA_READ,
  VFIO_USER_MIG_DATA_WRITE,
} from '../../../generated/ts/constants.js';
import type { CommandByCmd, ReplyByCmd } from '../../../generated/ts/messages.js';
import { isPowerOfTwo } from '../../bitmap.js';
import { VfioUserProtocolError } from '../../errors.js';
import { migrationPath } from '../../migration.js';
import { bitmapBytesOf, dirtyBitmap } from '../dma.js';
import { ERRNO, ErrnoError } from '../errors.js';
import { overSessionLimit } from '../limits.js';
import { then, inOrder, type MaybePromise } from '../maybe-promise.js';
import type { Served } from './served.js';
import {
  vfio_user_device_feature_SIZE,
  vfio_user_device_feature_dma_logging_report_SIZE,
  vfio_user_device_feature_mig_state_SIZE,
  vfio_user_mig_data_SIZE,
} from '../../../generated/ts/structs.js';

/** Where a MIG_DATA_READ size is in the message: after the header and the u32 argsz. */
const SIZE_OFFSET = VFIO_USER_HEADER_SIZE + 4;
/** argsz of a DEVICE_FEATURE with the migration or mig_state payload (both 8 bytes). */
const FEATURE_SIZE = vfio_user_device_feature_SIZE + vfio_user_device_feature_mig_state_SIZE;
/** Bytes of a DMA_LOGGING_REPORT body before its bitmap. */
const REPORT_SIZE = vfio_user_device_feature_SIZE + vfio_user_device_feature_dma_logging_report_SIZE;
/** The operation bits of vfio_user_device_feature.flags. */
const OP_MASK = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE;
/** The operations each feature allows (libvfio-user's rules): GET or SET alone performs, PROBE echoes. */
const FEATURE_OPS: Readonly<Record<number, number>> = {
  [VFIO_DEVICE_FEATURE_MIGRATION]: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_PROBE,
  [VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE]: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE,
  [VFIO_DEVICE_FEATURE_DMA_LOGGING_START]: VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE,
  [VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP]: VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE,
  [VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT]: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_PROBE,
};

export function feature(s: Served, m: CommandByCmd[typeof VFIO_USER_DEVICE_FEATURE]): MaybePromise<ReplyByCmd[typeof VFIO_USER_DEVICE_FEATURE]['body']> {
  const { argsz, flags, data } = m.body;
  const feature = flags & VFIO_DEVICE_FEATURE_MASK;
  const op = flags & OP_MASK;
  const mig = s.device.migration;
  const migrationFeature = feature === VFIO_DEVICE_FEATURE_MIGRATION || feature === VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
  const allowed = migrationFeature && mig === undefined ? undefined : FEATURE_OPS[feature];
  if (allowed === undefined || (op & ~allowed) !== 0) throw new ErrnoError(ERRNO.EINVAL, `feature ${feature} with operation 0x${op.toString(16)}`);
  if (op !== VFIO_DEVICE_FEATURE_GET && op !== VFIO_DEVICE_FEATURE_SET) {
    if ((op & VFIO_DEVICE_FEATURE_PROBE) === 0) throw new ErrnoError(ERRNO.EINVAL, 'GET and SET together without PROBE');
    return m.body;
  }
  if (feature === VFIO_DEVICE_FEATURE_MIGRATION && mig !== undefined) {
    if (argsz < FEATURE_SIZE) throw new ErrnoError(ERRNO.EINVAL, `argsz ${argsz} below ${FEATURE_SIZE}`);
    return { argsz: FEATURE_SIZE, flags, data: { kind: 'migration', flags: mig.flags } };
  }
  if (feature === VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE && mig !== undefined) {
    if (argsz < FEATURE_SIZE) throw new ErrnoError(ERRNO.EINVAL, `argsz ${argsz} below ${FEATURE_SIZE}`);
    if (op === VFIO_DEVICE_FEATURE_GET) return { argsz: FEATURE_SIZE, flags, data: { kind: 'mig_state', device_state: s.model.deviceState, data_fd: 0 } };
    if (data.kind !== 'mig_state') throw new ErrnoError(ERRNO.EINVAL, 'SET MIG_DEVICE_STATE without a state');
    const path = migrationPath(s.model.deviceState, data.device_state);
    if (path === null) throw new ErrnoError(ERRNO.EINVAL, `no change from state ${s.model.deviceState} to ${data.device_state}`);
    const arc = (i: number): MaybePromise<void> =>
      then(mig.transition(s.conn, path[i]!, path[i + 1]!), () => {
        s.model.stoppedAt(path[i + 1]!);
        if (path[i + 1] === VFIO_USER_DEVICE_STATE_RESUMING) s.resumed = 0;
      });
    return then(inOrder(path.length - 1, arc), () => m.body);
  }
  if (feature === VFIO_DEVICE_FEATURE_DMA_LOGGING_START) {
    if (data.kind !== 'dma_logging_control') throw new ErrnoError(ERRNO.EINVAL, 'DMA_LOGGING_START without its payload');
    if (data.page_size === 0n || (data.page_size & (data.page_size - 1n)) !== 0n) throw new ErrnoError(ERRNO.EINVAL, `page size ${data.page_size}`);
    if (data.page_size < s.minPage()) throw new ErrnoError(ERRNO.EINVAL, `page size ${data.page_size} is below the session's page size ${s.minPage()}`);
    const logging = s.model.logging;
    if (logging !== null && logging !== data.page_size) throw new ErrnoError(ERRNO.EINVAL, 'logging already on at another page size');
    s.checkDirtyBudget(data.page_size, 0n, VFIO_USER_DEVICE_FEATURE);
    for (const r of data.ranges) {
      if (r.length === 0n || !s.covered(r.iova, r.length)) {
        throw new ErrnoError(ERRNO.EINVAL, `logging range 0x${r.iova.toString(16)}+0x${r.length.toString(16)} is not mapped`);
      }
    }
    for (const w of s.allWindows()) w.dirty.clear();
    return m.body;
  }
  if (feature === VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP) {
    for (const w of s.allWindows()) w.dirty.clear();
    return m.body;
  }
  if (feature === VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT) {
    if (data.kind !== 'dma_logging_report') throw new ErrnoError(ERRNO.EINVAL, 'DMA_LOGGING_REPORT without its payload');
    // Dirty logging is on: the model's rule.
    const logging = s.model.logging!;
    const window = s.exactWindow(data.iova, data.length);
    if (!isPowerOfTwo(data.page_size)) throw new ErrnoError(ERRNO.EINVAL, `page size ${data.page_size}`);
    s.checkBitmapReply(VFIO_USER_DEVICE_FEATURE, data.page_size, BigInt(VFIO_USER_HEADER_SIZE + REPORT_SIZE) + bitmapBytesOf(window.size, data.page_size));
    const bitmap = dirtyBitmap(window, data.page_size, logging, true);
    const total = REPORT_SIZE + bitmap.length;
    if (argsz < total) throw new ErrnoError(ERRNO.EINVAL, `argsz ${argsz} below the ${total} bytes of the report`);
    return { argsz: total, flags, data: { kind: 'dma_logging_report', iova: data.iova, length: data.length, page_size: data.page_size, bitmap } };
  }
  throw new ErrnoError(ERRNO.EINVAL, `feature ${feature} is not supported`);
}

export function migDataRead(s: Served, m: CommandByCmd[typeof VFIO_USER_MIG_DATA_READ]): MaybePromise<ReplyByCmd[typeof VFIO_USER_MIG_DATA_READ]['body']> {
  const mig = s.device.migration;
  const { argsz, size } = m.body;
  // The state (PRE_COPY or STOP_COPY) is the model's rule.
  if (mig === undefined) throw new ErrnoError(ERRNO.EINVAL, 'MIG_DATA_READ to a device without migration');
  if (argsz < vfio_user_mig_data_SIZE + size) throw new ErrnoError(ERRNO.EINVAL, `argsz ${argsz} below ${vfio_user_mig_data_SIZE} + ${size}`);
  const limit = s.model.maxDataXferSize('server');
  if (size > limit) throw new VfioUserProtocolError('ERR_XFER_SIZE', `size ${size} exceeds the client's max_data_xfer_size ${limit}`, SIZE_OFFSET, { cmd: VFIO_USER_MIG_DATA_READ, value: size });
  return then(mig.read(s.conn, size), (data) => {
    if (data.length > size) throw new ErrnoError(ERRNO.EIO, `the device gave ${data.length} bytes for ${size}`);
    return { argsz: vfio_user_mig_data_SIZE + data.length, size: data.length, data: padded(data, size) };
  });
}

export function migDataWrite(s: Served, m: CommandByCmd[typeof VFIO_USER_MIG_DATA_WRITE]): MaybePromise<null> {
  const mig = s.device.migration;
  // The state (RESUMING) is the model's rule.
  if (mig === undefined) throw new ErrnoError(ERRNO.EINVAL, 'MIG_DATA_WRITE to a device without migration');
  const max = s.limits.maxMigrationBytes;
  if (s.resumed + m.body.data.length > max) throw overSessionLimit('maxMigrationBytes', max, `${s.resumed + m.body.data.length} bytes of migration data`, VFIO_USER_MIG_DATA_WRITE);
  s.resumed += m.body.data.length;
  return then(mig.write(s.conn, m.body.data), () => null);
}

/**
 * The data of a MIG_DATA_READ reply, zero-padded to the `size` the client
 * asked for, as libvfio-user's server sends it: argsz and size say how much
 * is real, and libvfio-user's client reads exactly the size it asked for
 * (a shorter reply leaves it waiting for bytes that never come).
 */
function padded(data: Uint8Array, size: number): Uint8Array {
  if (data.length === size) return data;
  const out = new Uint8Array(size);
  out.set(data);
  return out;
}
