/**
 * Linux errno numbers the protocol's error replies carry (vfio_user_header.error_no),
 * by name. vfio-user uses the Linux numbering on every host.
 */
export const errno: Readonly<Record<string, number>> = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EIO: 5,
  E2BIG: 7,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  EMFILE: 24,
  ENOSPC: 28,
  ERANGE: 34,
  ENOSYS: 38,
  EPROTO: 71,
  EMSGSIZE: 90,
  ENOTSUP: 95,
  ETIMEDOUT: 110,
};

/** errno names by number. */
export const errnoNames: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(errno).map(([k, v]) => [v, k]));
