/**
 * The legacy DMA commands: DMA_MAP and DMA_UNMAP (windows named by the client).
 */
import {
  CAPABILITY_DEFAULTS,
  VFIO_DMA_UNMAP_FLAG_ALL,
  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
  VFIO_USER_DMA_MAP,
  VFIO_USER_DMA_UNMAP,
  VFIO_USER_F_DMA_REGION_READ,
  VFIO_USER_F_DMA_REGION_WRITE,
  VFIO_USER_HEADER_SIZE,
} from '../../../generated/ts/constants.js';
import type { CommandByCmd, ReplyByCmd } from '../../../generated/ts/messages.js';
import { bitmapBytesOf, dirtyBitmap, DirtyPages, PROT_READ, PROT_WRITE } from '../dma.js';
import type { ReceivedFds } from '../endpoint.js';
import { ERRNO, ErrnoError } from '../errors.js';
import type { Served } from './served.js';
import {
  vfio_user_bitmap_SIZE,
  vfio_user_dma_unmap_SIZE,
} from '../../../generated/ts/structs.js';

export function dmaMap(s: Served, m: CommandByCmd[typeof VFIO_USER_DMA_MAP], fds: ReceivedFds): null {
  const b = m.body;
  // MMAP and FILE_IO come with their fd: the model's fd rule.
  const prot = (b.flags & VFIO_USER_F_DMA_REGION_READ ? PROT_READ : 0) | (b.flags & VFIO_USER_F_DMA_REGION_WRITE ? PROT_WRITE : 0);
  const same = s.legacy.exact(b.addr, b.size);
  if (same !== undefined && same.flags === b.flags && same.offset === b.offset && (same.fd === null) === (fds.length === 0)) return null;
  const fd = fds.all[0] ?? null;
  s.admitWindow(VFIO_USER_DMA_MAP, fd, fd === null ? 0n : b.offset, b.size);
  const limit = s.capabilities().max_dma_maps ?? CAPABILITY_DEFAULTS.max_dma_maps;
  if (s.legacy.count >= limit) throw new ErrnoError(ERRNO.EINVAL, `max_dma_maps ${limit} windows are mapped`);
  s.legacy.add({ addr: b.addr, size: b.size, fd, offset: fd === null ? 0n : b.offset, prot, flags: b.flags, dirty: new DirtyPages() });
  if (fd !== null) fds.take(0);
  return null;
}

export function dmaUnmap(s: Served, m: CommandByCmd[typeof VFIO_USER_DMA_UNMAP]): ReplyByCmd[typeof VFIO_USER_DMA_UNMAP]['body'] {
  const b = m.body;
  const echo = { argsz: b.argsz, flags: b.flags, addr: b.addr, size: b.size, bitmap: null };
  if (b.flags === VFIO_DMA_UNMAP_FLAG_ALL) {
    if (b.addr !== 0n || b.size !== 0n) throw new ErrnoError(ERRNO.EINVAL, 'ALL with an address or size');
    for (const w of s.legacy.clear()) s.unmapped(w);
    return echo;
  }
  const window = s.legacy.exact(b.addr, b.size);
  if (window === undefined) throw new ErrnoError(ERRNO.ENOENT, `no window 0x${b.addr.toString(16)}+0x${b.size.toString(16)}`);
  let bitmap: ReplyByCmd[typeof VFIO_USER_DMA_UNMAP]['body']['bitmap'] = null;
  if ((b.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) !== 0 && b.bitmap !== null) {
    // Dirty logging is on: the model's rule.
    const logging = s.model.logging!;
    if (b.bitmap.pgsize === 0n || (b.bitmap.pgsize & (b.bitmap.pgsize - 1n)) !== 0n) throw new ErrnoError(ERRNO.EINVAL, `page size ${b.bitmap.pgsize}`);
    s.checkBitmapReply(VFIO_USER_DMA_UNMAP, b.bitmap.pgsize, BigInt(VFIO_USER_HEADER_SIZE + vfio_user_dma_unmap_SIZE + vfio_user_bitmap_SIZE) + bitmapBytesOf(window.size, b.bitmap.pgsize));
    bitmap = { pgsize: b.bitmap.pgsize, size: b.bitmap.size, data: dirtyBitmap(window, b.bitmap.pgsize, logging, true) };
  }
  s.legacy.remove(b.addr, b.size);
  s.unmapped(window);
  return { ...echo, bitmap };
}
