/**
 * Descriptors a vfio-user peer passes besides sockets, made with the
 * transport's addon: eventfds (interrupts, ioeventfds; eventfd(2)) and
 * memory files (memfd_create(2)) for regions and DMA memory.
 */
import { readSync, writeSync } from 'node:fs';
import { native, READABLE, systemError, type NativePoll } from './native.js';

/** Options of {@link eventfd}. */
export interface EventfdOptions {
  /** The counter's first value. Default 0. */
  readonly initval?: number;
  /** O_NONBLOCK: reads of a zero counter and writes that would overflow it fail with EAGAIN. Default true. */
  readonly nonBlocking?: boolean;
}

/**
 * A new eventfd (close-on-exec; non-blocking unless told otherwise).
 * @throws the system error of eventfd(2); VfioUserSessionError ERR_ADDON_MISSING.
 */
export function eventfd(options: EventfdOptions = {}): number {
  const fd = native().eventfd(options.initval ?? 0, options.nonBlocking === false ? 0 : 1);
  if (fd < 0) throw systemError(fd, 'eventfd');
  return fd;
}

/**
 * A new anonymous memory file of `size` bytes (memfd_create(2),
 * close-on-exec, sealing allowed), for memory to share with a peer.
 * @throws the system error of memfd_create(2) or ftruncate(2); VfioUserSessionError ERR_ADDON_MISSING.
 */
export function memfd(name: string, size: number | bigint): number {
  const fd = native().memfd(name, Number(size));
  if (fd < 0) throw systemError(fd, 'memfd_create');
  return fd;
}

/**
 * Sets or clears O_NONBLOCK on `fd` (a pipe, FIFO, eventfd or socket a peer
 * sent), so that writes to it never block the event loop.
 * @throws the system error of fcntl(2); VfioUserSessionError ERR_ADDON_MISSING.
 */
export function setNonBlocking(fd: number, on = true): void {
  const r = native().setNonBlocking(fd, on ? 1 : 0);
  if (r < 0) throw systemError(r, 'fcntl');
}

const signalBuffer = new Uint8Array(8);
const signalView = new DataView(signalBuffer.buffer);

/**
 * Adds `value` (default 1) to an eventfd's counter: one 8-byte write.
 * Returns false when the counter is full and the fd non-blocking (EAGAIN).
 * @throws the system error of write(2) otherwise.
 */
export function signalEventfd(fd: number, value: bigint = 1n): boolean {
  signalView.setBigUint64(0, value, true);
  try {
    writeSync(fd, signalBuffer, 0, 8);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return false;
    throw e;
  }
}

/**
 * Reads and resets an eventfd's counter: its value, or 0n when it is zero
 * and the fd non-blocking (EAGAIN).
 * @throws the system error of read(2) otherwise.
 */
export function readEventfd(fd: number): bigint {
  try {
    readSync(fd, signalBuffer, 0, 8, null);
    return signalView.getBigUint64(0, true);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return 0n;
    throw e;
  }
}

/**
 * Watches an eventfd (one this process keeps after sending a copy to a
 * peer, e.g. an interrupt) and reports each time its counter is read:
 * `onSignal(value, total)`, value being the counter read (several signals
 * between two reads add up). The watcher owns `fd`: close() stops watching
 * and closes it. It does not keep the process alive on its own.
 */
export class EventfdWatcher {
  readonly #fd: number;
  readonly #poll: NativePoll;
  #total = 0n;
  #waiters: { total: bigint; resolve: () => void }[] = [];
  #closed = false;

  /**
   * @param fd a non-blocking eventfd, owned from now on.
   * @throws VfioUserSessionError ERR_ADDON_MISSING; the libuv error of uv_poll_init.
   */
  constructor(fd: number, onSignal?: (value: bigint, total: bigint) => void) {
    this.#fd = fd;
    this.#poll = new (native().Poll)(fd, (status) => {
      if (status < 0 || this.#closed) return;
      const value = readEventfd(this.#fd);
      if (value === 0n) return;
      this.#total += value;
      onSignal?.(value, this.#total);
      this.#waiters = this.#waiters.filter((w) => {
        if (this.#total < w.total) return true;
        w.resolve();
        return false;
      });
      if (this.#waiters.length === 0) this.#poll.ref(false);
    });
    this.#poll.watch(READABLE);
    this.#poll.ref(false);
  }

  /** The sum of every counter value read so far. */
  get total(): bigint {
    return this.#total;
  }

  /** Resolves once the total reaches `total` (the watch keeps the process alive meanwhile). */
  waitFor(total: bigint): Promise<void> {
    if (this.#total >= total) return Promise.resolve();
    this.#poll.ref(true);
    return new Promise((resolve) => this.#waiters.push({ total, resolve }));
  }

  /** Stops watching and closes the fd. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#poll.close();
  }
}

/**
 * A new close-on-exec descriptor for what `fd` refers to (fcntl F_DUPFD_CLOEXEC):
 * for an eventfd, to send one copy and keep another.
 * @throws the system error of fcntl(2); VfioUserSessionError ERR_ADDON_MISSING.
 */
export function dupFd(fd: number): number {
  const d = native().dup(fd);
  if (d < 0) throw systemError(d, 'fcntl');
  return d;
}
