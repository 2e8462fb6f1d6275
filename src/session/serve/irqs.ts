/**
 * Interrupts: DEVICE_GET_IRQ_INFO and DEVICE_SET_IRQS (mask, unmask,
 * trigger, and the eventfds a client installs, checked and made
 * non-blocking before the server keeps them).
 */
import {
  VFIO_IRQ_SET_ACTION_MASK,
  VFIO_IRQ_SET_ACTION_TRIGGER,
  VFIO_IRQ_SET_ACTION_UNMASK,
  VFIO_IRQ_SET_DATA_BOOL,
  VFIO_IRQ_SET_DATA_EVENTFD,
  VFIO_IRQ_SET_DATA_NONE,
  VFIO_PCI_ERR_IRQ_INDEX,
  VFIO_PCI_REQ_IRQ_INDEX,
  VFIO_USER_DEVICE_GET_IRQ_INFO,
  VFIO_USER_DEVICE_SET_IRQS,
} from '../../../generated/ts/constants.js';
import type { CommandByCmd } from '../../../generated/ts/messages.js';
import type { ReplyBody } from './outcome.js';
import type { ReceivedFds } from '../endpoint.js';
import { ERRNO, ErrnoError } from '../errors.js';
import { closeFds } from '../fds.js';
import { overSessionLimit } from '../limits.js';
import { prepareSignalFd } from '../peerfds.js';
import { Served, type IrqState } from './served.js';
import {
  vfio_irq_info_SIZE,
} from '../../../generated/ts/structs.js';

export function irqInfo(s: Served, m: CommandByCmd[typeof VFIO_USER_DEVICE_GET_IRQ_INFO]): ReplyBody<typeof VFIO_USER_DEVICE_GET_IRQ_INFO> {
  const { index } = m.body;
  const irq = s.device.irqs[index];
  if (irq === undefined) throw new ErrnoError(ERRNO.EINVAL, `no IRQ index ${index}`);
  return { argsz: vfio_irq_info_SIZE, flags: irq.flags, index, count: irq.count };
}

export function setIrqs(s: Served, m: CommandByCmd[typeof VFIO_USER_DEVICE_SET_IRQS], fds: ReceivedFds): null {
  const { flags, index, start, count, data } = m.body;
  const irq = s.device.irqs[index];
  if (irq === undefined) throw new ErrnoError(ERRNO.EINVAL, `no IRQ index ${index}`);
  const type = flags & (VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_DATA_EVENTFD);
  const action = flags & (VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_ACTION_UNMASK | VFIO_IRQ_SET_ACTION_TRIGGER);
  if (count === 0 ? start !== 0 || action !== VFIO_IRQ_SET_ACTION_TRIGGER || type !== VFIO_IRQ_SET_DATA_NONE : start + count > irq.count) {
    throw new ErrnoError(ERRNO.EINVAL, `vectors ${start}+${count} of index ${index} (${irq.count} vectors)`);
  }
  if ((index === VFIO_PCI_ERR_IRQ_INDEX || index === VFIO_PCI_REQ_IRQ_INDEX) && (action !== VFIO_IRQ_SET_ACTION_TRIGGER || count > 1)) throw new ErrnoError(ERRNO.EINVAL, 'ERR and REQ take TRIGGER of one vector');
  if (type === VFIO_IRQ_SET_DATA_EVENTFD && action !== VFIO_IRQ_SET_ACTION_TRIGGER) throw new ErrnoError(ERRNO.EINVAL, 'eventfds only with ACTION_TRIGGER');
  const state = s.irqState(index, irq.count);
  const vectors = count === 0 ? irq.count : count;
  const first = count === 0 ? 0 : start;
  const chosen = (i: number): boolean => type !== VFIO_IRQ_SET_DATA_BOOL || (data[i] ?? 0) !== 0;
  if (action === VFIO_IRQ_SET_ACTION_TRIGGER) {
    if (type === VFIO_IRQ_SET_DATA_EVENTFD || count === 0) {
      const installed = prepareIrqFds(s, state, first, vectors, fds);
      for (let i = 0; i < vectors; i++) {
        const old = state.fds[first + i];
        if (old !== null && old !== undefined) closeFds([old]);
        state.fds[first + i] = installed[i] ?? null;
        state.pending[first + i] = false;
      }
    } else {
      for (let i = 0; i < vectors; i++) if (chosen(i)) s.conn.triggerIrq(index, first + i);
    }
    return null;
  }
  const masked = action === VFIO_IRQ_SET_ACTION_MASK;
  for (let i = 0; i < vectors; i++) {
    if (!chosen(i)) continue;
    const v = first + i;
    state.masked[v] = masked;
    if (!masked && state.pending[v] === true) {
      state.pending[v] = false;
      s.conn.triggerIrq(index, v);
    }
  }
  s.device.irqMask?.(s.conn, index, first, vectors, masked);
  return null;
}

/**
 * Takes the eventfds of a SET_IRQS for vectors [first, first + vectors),
 * each checked and made non-blocking, within maxFdsPerConnection (counting
 * the fds they replace as released); none is taken when one is refused.
 */
function prepareIrqFds(s: Served, state: IrqState, first: number, vectors: number, fds: ReceivedFds): (number | null)[] {
  if (fds.length === 0) return [];
  let replaced = 0;
  for (let i = 0; i < vectors; i++) if (state.fds[first + i] !== null && state.fds[first + i] !== undefined) replaced++;
  const held = s.heldFds() - replaced;
  const max = s.limits.maxFdsPerConnection;
  if (held + fds.length > max) throw overSessionLimit('maxFdsPerConnection', max, `${held + fds.length} fds`, VFIO_USER_DEVICE_SET_IRQS);
  const out: number[] = [];
  try {
    for (let i = 0; i < fds.length; i++) {
      out.push(prepareSignalFd(fds.all[i]!));
      // Taken either way: a pipe's original was replaced (and closed) by the server's own description.
      fds.take(i);
    }
  } catch (e) {
    closeFds(out);
    throw e;
  }
  return out;
}
