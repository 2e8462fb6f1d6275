/**
 * The iommufd commands of libvfio-user pull request #833: IOAS objects whose IOVAs the server chooses, BIND, ATTACH_PT and DETACH_PT. The model checks that an IOAS exists, BIND once and before ATTACH, ATTACH before DETACH, and that the attached IOAS is not destroyed; these handlers keep the windows and fds.
 */
import {
  VFIO_USER_IOMMUFD_ALLOC_IOAS,
  VFIO_USER_IOMMUFD_ATTACH_PT,
  VFIO_USER_IOMMUFD_BIND,
  VFIO_USER_IOMMUFD_DESTROY_IOAS,
  VFIO_USER_IOMMUFD_IOAS_MAP,
  VFIO_USER_IOMMUFD_IOAS_UNMAP,
  VFIO_USER_IOMMUFD_MAP_READABLE,
  VFIO_USER_IOMMUFD_MAP_WRITEABLE,
} from '../../../generated/ts/constants.js';
import type { CommandByCmd, ReplyByCmd } from '../../../generated/ts/messages.js';
import { DirtyPages, Ioas, PROT_READ, PROT_WRITE } from '../dma.js';
import type { ReceivedFds } from '../endpoint.js';
import { ERRNO, ErrnoError } from '../errors.js';
import { overSessionLimit } from '../limits.js';
import { Served, PAGE } from './served.js';
import {
  vfio_user_iommufd_alloc_ioas_SIZE,
  vfio_user_iommufd_bind_SIZE,
} from '../../../generated/ts/structs.js';

/** Where the IOVAs a server chooses for an IOAS start. */
const IOVA_BASE = 0x1_0000_0000n;

export function allocIoas(s: Served): ReplyByCmd[typeof VFIO_USER_IOMMUFD_ALLOC_IOAS]['body'] {
  if (s.ioas.size >= s.limits.maxIoas) throw overSessionLimit('maxIoas', s.limits.maxIoas, `IOAS ${s.ioas.size + 1}`, VFIO_USER_IOMMUFD_ALLOC_IOAS);
  const id = s.nextIoas++;
  s.ioas.set(id, new Ioas(id, IOVA_BASE));
  return { argsz: vfio_user_iommufd_alloc_ioas_SIZE, flags: 0, out_ioas_id: id, __reserved: 0 };
}

export function destroyIoas(s: Served, m: CommandByCmd[typeof VFIO_USER_IOMMUFD_DESTROY_IOAS]): null {
  // An IOAS that exists and is not the attached one: the model's rules.
  const ioas = s.ioasOf(m.body.ioas_id);
  for (const w of ioas.windows.clear()) s.unmapped(w);
  s.ioas.delete(ioas.id);
  return null;
}

export function ioasMap(s: Served, m: CommandByCmd[typeof VFIO_USER_IOMMUFD_IOAS_MAP], fds: ReceivedFds): ReplyByCmd[typeof VFIO_USER_IOMMUFD_IOAS_MAP]['body'] {
  const b = m.body;
  const ioas = s.ioasOf(b.ioas_id);
  if (b.length === 0n) throw new ErrnoError(ERRNO.EINVAL, 'a mapping of length 0');
  const prot = (b.flags & VFIO_USER_IOMMUFD_MAP_READABLE ? PROT_READ : 0) | (b.flags & VFIO_USER_IOMMUFD_MAP_WRITEABLE ? PROT_WRITE : 0);
  s.admitWindow(VFIO_USER_IOMMUFD_IOAS_MAP, fds.all[0]!, b.offset, b.length);
  const iova = ioas.allocate(b.offset, b.length, PAGE);
  ioas.windows.add({ addr: iova, size: b.length, fd: fds.all[0]!, offset: b.offset, prot, flags: b.flags, dirty: new DirtyPages() });
  fds.take(0);
  return { ...b, iova };
}

export function ioasUnmap(s: Served, m: CommandByCmd[typeof VFIO_USER_IOMMUFD_IOAS_UNMAP]): null {
  const b = m.body;
  const ioas = s.ioasOf(b.ioas_id);
  const w = ioas.windows.remove(b.iova, b.length);
  if (w === undefined) throw new ErrnoError(ERRNO.ENOENT, `no mapping 0x${b.iova.toString(16)}+0x${b.length.toString(16)} in IOAS ${ioas.id}`);
  s.unmapped(w);
  return null;
}

export function bind(): ReplyByCmd[typeof VFIO_USER_IOMMUFD_BIND]['body'] {
  // Not bound yet: the model's rule.
  return { argsz: vfio_user_iommufd_bind_SIZE, flags: 0, iommufd: 0, out_devid: 1 };
}

export function attach(s: Served, m: CommandByCmd[typeof VFIO_USER_IOMMUFD_ATTACH_PT]): null {
  // BIND first and an IOAS that exists: the model's rules.
  s.ioasOf(m.body.pt_id);
  return null;
}

export function detach(s: Served): null {
  // Attached first: the model's rule.
  return null;
}
