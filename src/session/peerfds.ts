/**
 * I/O on file descriptors a peer sent, made safe for the process: none of
 * it may block the event loop, whatever the fd is.
 *
 * - DMA windows are read and written (pread/pwrite) only when their fd is a
 *   regular file on a local filesystem ({@link LOCAL_FS_TYPES}: tmpfs and
 *   hugetlbfs, which memfd and shared memory live on, and local disk
 *   filesystems). A character device (/dev/kmsg blocks on read), a FIFO, a
 *   socket, or a file of FUSE, NFS, procfs, sysfs or tracefs could block a
 *   read or write without bound: refused when the window is mapped.
 * - Interrupts are signalled only on eventfds and pipes. A pipe is reopened
 *   through /proc/self/fd as a new, non-blocking file description of the
 *   server's own. An eventfd cannot be reopened, and its file description
 *   is shared with the peer, which may read it blocking (libvfio-user's
 *   sample client does): its flags are left alone. Before each signal its
 *   counter is read (/proc/self/fdinfo `eventfd-count`); a write of 1 blocks
 *   only at the counter's maximum, so a counter there means the interrupt is
 *   pending already and the signal is coalesced, as it is for a full pipe.
 *   Before each signal on a pipe its description's flags are read again: a
 *   peer that cleared O_NONBLOCK gets ERR_FD_KIND instead of a blocked
 *   process.
 *
 * The check and the write are not atomic: a peer could saturate its
 * eventfd in between. So eventfd writes run on the thread pool, one per fd
 * at a time: such a peer blocks a pool thread, not the event loop; a write
 * still out after {@link EVENTFD_WRITE_MS} while the counter has no room
 * for it gets the fd dropped (ERR_FD_KIND; with room, it is only waiting
 * for a pool thread and is looked at again later), and once {@link MAX_STUCK_EVENTFD_WRITES} writes are stuck
 * further eventfd signals are refused rather than risk the pool. Known
 * gap: a stuck write holds its pool thread until the peer reads its
 * counter; freeing it needs a helper process that can be killed.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readlinkSync, statfsSync, write, writeSync } from 'node:fs';
import { VfioUserSessionError } from './errors.js';

/**
 * Filesystem magic numbers (statfs f_type, linux/magic.h) whose regular
 * files a server reads and writes as DMA windows: tmpfs (memfd, /dev/shm),
 * hugetlbfs, ramfs, ext2/3/4, xfs, btrfs, overlayfs, f2fs, zfs.
 */
export const LOCAL_FS_TYPES: readonly number[] = Object.freeze([0x01021994, 0x958458f6, 0x858458f6, 0xef53, 0x58465342, 0x9123683e, 0x794c7630, 0xf2f52010, 0x2fc12fc1]);

/** What a peer's fd is, as far as the session cares. */
export type PeerFdKind = 'eventfd' | 'fifo' | 'socket' | 'file' | 'directory' | 'character' | 'block' | 'other';

/** The kind of `fd` (fstat, and the /proc/self/fd link for anonymous inodes). */
export function peerFdKind(fd: number): PeerFdKind {
  const s = fstatSync(fd);
  if (s.isFile()) return 'file';
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  if (s.isDirectory()) return 'directory';
  if (s.isCharacterDevice()) return 'character';
  if (s.isBlockDevice()) return 'block';
  let link = '';
  try {
    link = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    // No /proc: unknown.
  }
  return link === 'anon_inode:[eventfd]' ? 'eventfd' : 'other';
}

function refuse(fd: number, why: string): never {
  throw new VfioUserSessionError('ERR_FD_KIND', `fd ${fd} ${why}`);
}

/**
 * Checks that a DMA window's fd can be read and written without blocking:
 * a regular file on one of `fsTypes`.
 * @throws VfioUserSessionError ERR_FD_KIND (EINVAL) otherwise.
 */
export function checkDmaFd(fd: number, fsTypes: readonly number[] = LOCAL_FS_TYPES): void {
  const kind = peerFdKind(fd);
  if (kind !== 'file') refuse(fd, `is a ${kind}, not a regular file: reading or writing it as DMA memory could block`);
  const type = statfsSync(`/proc/self/fd/${fd}`).type;
  if (!fsTypes.includes(type)) refuse(fd, `is a file on a filesystem of type 0x${type.toString(16)}, where I/O could block (not a local filesystem)`);
}

/**
 * Closes a peer fd later when a write to it is on the thread pool: it is
 * closed when the write is done (closed before, its number could be reused
 * and the write land in another file). Returns false when the caller is to
 * close it now.
 */
export function closePeerFd(fd: number): boolean {
  if (!writing.has(fd)) return false;
  closeAfterWrite.add(fd);
  return true;
}

const O_NONBLOCK = constants.O_NONBLOCK;

/** The file status flags of a description, from its /proc/self/fdinfo text. */
function statusFlags(info: string): number {
  const m = /^flags:\s+([0-7]+)/m.exec(info);
  return m === null ? 0 : parseInt(m[1]!, 8);
}

/** An eventfd's counter, from its /proc/self/fdinfo text; null for any other fd. */
function eventfdCount(info: string): bigint | null {
  const m = /^eventfd-count:\s+([0-9a-f]+)/m.exec(info);
  return m === null ? null : BigInt(`0x${m[1]!}`);
}

/** The largest value an eventfd counter holds; a write that would pass it blocks. */
const EVENTFD_MAX = 0xfffffffffffffffen;

/**
 * Prepares an fd a peer sent for signalling interrupts: an eventfd is kept
 * as it is (its flags are the peer's); a pipe is replaced by a non-blocking
 * description of the server's own (the original is closed). Returns the fd
 * to keep.
 * @throws VfioUserSessionError ERR_FD_KIND for any other kind (the fd is
 *   then still the caller's).
 */
export function prepareSignalFd(fd: number): number {
  const kind = peerFdKind(fd);
  if (kind === 'eventfd') return fd;
  if (kind === 'fifo') {
    let own: number;
    try {
      own = openSync(`/proc/self/fd/${fd}`, constants.O_WRONLY | O_NONBLOCK);
    } catch (e) {
      refuse(fd, `is a pipe that cannot be reopened non-blocking (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    closeSync(fd);
    return own;
  }
  refuse(fd, `is a ${kind}: interrupts are signalled only on eventfds and pipes`);
}

const ONE = new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]);

/** Eventfd writes on the thread pool not finished yet, by fd. */
const writing = new Set<number>();
/** Fds closed while their write was on the thread pool: closed when it is done. */
const closeAfterWrite = new Set<number>();
/** Writes that outlived {@link EVENTFD_WRITE_MS}: each holds a thread-pool thread until its peer reads its counter. */
let stuck = 0;
/** Time an eventfd write may take before its fd is taken for hostile. */
export const EVENTFD_WRITE_MS = 100;
/** Stuck writes the process tolerates (of libuv's 4 pool threads): beyond them eventfd signals are refused. */
export const MAX_STUCK_EVENTFD_WRITES = 2;

/** Signals asked for on an eventfd while its write was out, by fd: added in one write when it is done. */
const queued = new Map<number, number>();

/**
 * Adds `amount` (default 1) to the eventfd `fd` on the thread pool, not on
 * the event loop ({@link signalFd} does so for eventfds): a peer that
 * saturates the counter between the check and the write (its file
 * description is shared and may be blocking) then blocks a pool thread, not
 * the process. One write per fd at a time: signals meanwhile are counted and
 * added together by one write when it is done, so none is lost while the
 * counter has room. A write not done within {@link EVENTFD_WRITE_MS} while
 * the counter has no room for it calls `blocked` (the caller drops the fd),
 * and at most
 * {@link MAX_STUCK_EVENTFD_WRITES} such writes are tolerated at once.
 */
export function signalOffLoop(fd: number, blocked?: (error: VfioUserSessionError) => void, amount = 1): boolean {
  if (writing.has(fd)) {
    queued.set(fd, (queued.get(fd) ?? 0) + amount);
    return true;
  }
  if (stuck >= MAX_STUCK_EVENTFD_WRITES) refuse(fd, `is an eventfd, and ${stuck} writes to eventfds are blocked already`);
  writing.add(fd);
  let late = false;
  // A write still out after EVENTFD_WRITE_MS is blocked only if the counter has no room for it; with room it is
  // merely waiting for a pool thread (a busy process), and the check is made again later.
  const overdue = (): void => {
    const count = eventfdCount(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    if (count !== null && count + BigInt(amount) <= EVENTFD_MAX) {
      timer = setTimeout(overdue, EVENTFD_WRITE_MS);
      timer.unref();
      return;
    }
    late = true;
    stuck++;
    blocked?.(new VfioUserSessionError('ERR_FD_KIND', `fd ${fd}: a write of ${amount} to this eventfd did not finish within ${EVENTFD_WRITE_MS} ms (its counter is saturated and its description blocking)`));
  };
  let timer = setTimeout(overdue, EVENTFD_WRITE_MS);
  timer.unref();
  const value = new Uint8Array(8);
  new DataView(value.buffer).setBigUint64(0, BigInt(amount), true);
  write(fd, value, 0, value.length, null, () => {
    clearTimeout(timer);
    writing.delete(fd);
    if (late) stuck--;
    const more = queued.get(fd) ?? 0;
    queued.delete(fd);
    if (closeAfterWrite.delete(fd)) {
      closeSync(fd);
      return;
    }
    if (more === 0 || late) return;
    const count = eventfdCount(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    if (count !== null && count + BigInt(more) <= EVENTFD_MAX) signalOffLoop(fd, blocked, more);
  });
  return true;
}

/**
 * Signals an interrupt on an fd {@link prepareSignalFd} returned: writes an
 * 8-byte 1. Returns false when the signal is coalesced (the eventfd is
 * saturated or the pipe full: one is pending there already).
 * @throws VfioUserSessionError ERR_FD_KIND when a pipe's description is no
 *   longer non-blocking (the peer cleared O_NONBLOCK); the system error of
 *   write(2) other than EAGAIN.
 */
export function signalFd(fd: number, blocked?: (error: VfioUserSessionError) => void): boolean {
  const info = readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1');
  const count = eventfdCount(info);
  if (count !== null) {
    if (count >= EVENTFD_MAX) return false;
    return signalOffLoop(fd, blocked);
  } else if ((statusFlags(info) & O_NONBLOCK) === 0) {
    refuse(fd, 'was made blocking by the peer: interrupts on it are no longer signalled');
  }
  try {
    writeSync(fd, ONE);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return false;
    throw e;
  }
}
