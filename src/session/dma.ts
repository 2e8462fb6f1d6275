/**
 * A server's view of client memory: the windows of DMA_MAP (legacy) and of
 * IOMMUFD_IOAS_MAP (one set per I/O address space), how a device address
 * resolves to them, and dirty-page logging of what the device writes.
 *
 * A window with an fd is reached by reading and writing the fd at the
 * window's offset (pread/pwrite, no mmap); one without an fd by DMA_READ and
 * DMA_WRITE messages to the client. Every access is checked against the
 * windows: a byte no window covers, or covers without the access asked for,
 * fails with ERR_DMA_FAULT (EFAULT) before anything is read or written.
 */
import { isPowerOfTwo } from '../bitmap.js';
import { ERRNO, ErrnoError, VfioUserSessionError } from './errors.js';
import { closeFds } from './fds.js';

/** The window may be read by the device (DMA_MAP READ, IOAS_MAP READABLE). */
export const PROT_READ = 0x1;
/** The window may be written by the device (DMA_MAP WRITE, IOAS_MAP WRITEABLE). */
export const PROT_WRITE = 0x2;

/** One window of client memory. */
export interface DmaWindow {
  /** DMA address (IOVA) of its first byte. */
  readonly addr: bigint;
  readonly size: bigint;
  /** The memory's fd (owned by the window set), or null: reached by DMA_READ/DMA_WRITE. */
  readonly fd: number | null;
  /** Offset of the window in `fd`. */
  readonly offset: bigint;
  /** PROT_READ and PROT_WRITE. */
  readonly prot: number;
  /** DMA_MAP flags as sent (legacy windows), or IOAS_MAP flags. */
  readonly flags: number;
  /** Pages the device wrote while logging was on, at the logging page size. */
  readonly dirty: DirtyPages;
}

/**
 * The pages of one window the device wrote while logging was on: a bitmap at
 * the logging page size (one bit per page), allocated at the first write, so
 * its memory is what the server budgets (sessionLimits.maxDirtyBitmapBytes).
 */
export class DirtyPages {
  #bits: Uint8Array | null = null;
  #count = 0;

  /** Pages marked. */
  get size(): number {
    return this.#count;
  }

  /** Marks pages first..last (inclusive) of a window of `pages` pages. */
  mark(first: bigint, last: bigint, pages: bigint): void {
    const bits = (this.#bits ??= new Uint8Array(Number((pages + 7n) / 8n)));
    const end = last < pages - 1n ? Number(last) : Number(pages) - 1;
    for (let i = Number(first); i <= end; i++) {
      const m = 1 << (i & 7);
      if ((bits[i >>> 3]! & m) === 0) {
        bits[i >>> 3]! |= m;
        this.#count++;
      }
    }
  }

  /** Marks one page (of a window whose page count is not known here: the bitmap grows to hold it). */
  add(page: bigint): void {
    const need = Number(page / 8n) + 1;
    if (this.#bits === null || this.#bits.length < need) {
      const grown = new Uint8Array(need);
      if (this.#bits !== null) grown.set(this.#bits);
      this.#bits = grown;
    }
    this.mark(page, page, BigInt(this.#bits.length * 8));
  }

  has(page: bigint): boolean {
    const i = Number(page);
    return this.#bits !== null && i < this.#bits.length * 8 && (this.#bits[i >>> 3]! & (1 << (i & 7))) !== 0;
  }

  /** Forgets every page and frees the bitmap. */
  clear(): void {
    this.#bits = null;
    this.#count = 0;
  }

  /** The marked pages, ascending. */
  *[Symbol.iterator](): IterableIterator<bigint> {
    const bits = this.#bits;
    if (bits === null) return;
    for (let b = 0; b < bits.length; b++) {
      const x = bits[b]!;
      if (x === 0) continue;
      for (let k = 0; k < 8; k++) if ((x & (1 << k)) !== 0) yield BigInt(b * 8 + k);
    }
  }
}

/** Bytes of a bitmap of one bit per `pageSize` page of `size` bytes, in whole u64 words (the protocol's layout). */
export function bitmapBytesOf(size: bigint, pageSize: bigint): bigint {
  const pages = (size + pageSize - 1n) / pageSize;
  return ((pages + 63n) / 64n) * 8n;
}

/** A piece of an access: `length` bytes at `start` within `window`. */
export interface DmaPiece {
  readonly window: DmaWindow;
  readonly start: bigint;
  readonly length: number;
}

const U64_END = 1n << 64n;

/** A set of windows that do not overlap, ordered by address. */
export class DmaWindows {
  readonly #windows: DmaWindow[] = [];

  /** The windows, by address. */
  get list(): readonly DmaWindow[] {
    return this.#windows;
  }

  get count(): number {
    return this.#windows.length;
  }

  /** The window whose addr and size are exactly these. */
  exact(addr: bigint, size: bigint): DmaWindow | undefined {
    return this.#windows.find((w) => w.addr === addr && w.size === size);
  }

  /** Windows that share at least one byte with [addr, addr + size). */
  overlapping(addr: bigint, size: bigint): DmaWindow[] {
    return this.#windows.filter((w) => w.addr < addr + size && addr < w.addr + w.size);
  }

  /**
   * Adds a window.
   * @throws ErrnoError EINVAL (size 0, past 2^64), EEXIST (overlaps another).
   */
  add(window: DmaWindow): void {
    if (window.size === 0n) throw new ErrnoError(ERRNO.EINVAL, 'a window of size 0');
    if (window.addr + window.size > U64_END) throw new ErrnoError(ERRNO.EINVAL, 'the window runs past 2^64');
    if (this.overlapping(window.addr, window.size).length > 0) {
      throw new ErrnoError(ERRNO.EEXIST, `0x${window.addr.toString(16)}+0x${window.size.toString(16)} overlaps a mapped window`);
    }
    const at = this.#windows.findIndex((w) => w.addr > window.addr);
    this.#windows.splice(at === -1 ? this.#windows.length : at, 0, window);
  }

  /** Removes and returns the window of exactly addr and size, or undefined. Its fd is the caller's to close. */
  remove(addr: bigint, size: bigint): DmaWindow | undefined {
    const i = this.#windows.findIndex((w) => w.addr === addr && w.size === size);
    if (i === -1) return undefined;
    return this.#windows.splice(i, 1)[0];
  }

  /** Removes and returns every window. */
  clear(): DmaWindow[] {
    return this.#windows.splice(0, this.#windows.length);
  }

  /**
   * The pieces of [addr, addr + count) in order, or null when a byte of it
   * is in no window or in one without `prot`.
   */
  resolve(addr: bigint, count: number, prot: number): DmaPiece[] | null {
    const pieces: DmaPiece[] = [];
    let at = addr;
    const end = addr + BigInt(count);
    if (end > U64_END) return null;
    while (at < end) {
      const w = this.#windows.find((x) => x.addr <= at && at < x.addr + x.size);
      if (w === undefined || (w.prot & prot) !== prot) return null;
      const stop = end < w.addr + w.size ? end : w.addr + w.size;
      pieces.push({ window: w, start: at - w.addr, length: Number(stop - at) });
      at = stop;
    }
    return pieces;
  }

  /** Closes the fds of every window and forgets them. */
  close(): void {
    closeFds(this.clear().flatMap((w) => (w.fd === null ? [] : [w.fd])));
  }
}

/** An I/O address space of the iommufd extension: its windows at IOVAs the server chose. */
export class Ioas {
  readonly id: number;
  readonly windows = new DmaWindows();
  #next: bigint;

  constructor(id: number, base: bigint) {
    this.id = id;
    this.#next = base;
  }

  /**
   * Chooses the IOVA of a new mapping of `length` bytes at `offset` in its
   * fd: the next free page, plus offset's place within its page (as a
   * server that mmaps the fd would return), then a guard page.
   */
  allocate(offset: bigint, length: bigint, page: bigint): bigint {
    const iova = this.#next + (offset % page);
    const end = iova + length;
    this.#next = ((end + page - 1n) / page) * page + page;
    return iova;
  }
}

/** Dirty-page logging: the page size, once started. */
export interface DmaLogging {
  readonly pageSize: bigint;
}

/**
 * Marks the pages of [start, start + length) of `window` dirty, at
 * `pageSize` per page.
 */
export function markDirty(window: DmaWindow, start: bigint, length: number, pageSize: bigint): void {
  if (length === 0) return;
  window.dirty.mark(start / pageSize, (start + BigInt(length) - 1n) / pageSize, (window.size + pageSize - 1n) / pageSize);
}

/**
 * The dirty bitmap of `window` at `pageSize` per bit (bit i = page i,
 * ceil(ceil(size / pageSize) / 64) u64 words), from pages logged at
 * `logged` per page; with `clear` the logged pages are forgotten.
 * @throws ErrnoError EINVAL when pageSize is not a power of two.
 */
export function dirtyBitmap(window: DmaWindow, pageSize: bigint, logged: bigint, clear: boolean): Uint8Array {
  if (!isPowerOfTwo(pageSize)) throw new ErrnoError(ERRNO.EINVAL, `page size ${pageSize} is not a power of two`);
  const pages = (window.size + pageSize - 1n) / pageSize;
  const bitmap = new Uint8Array(Number(((pages + 63n) / 64n) * 8n));
  for (const p of window.dirty) {
    const first = (p * logged) / pageSize;
    const last = ((p + 1n) * logged - 1n) / pageSize;
    for (let q = first; q <= last && q < pages; q++) {
      const i = Number(q);
      bitmap[i >>> 3] = (bitmap[i >>> 3] ?? 0) | (1 << (i & 7));
    }
  }
  if (clear) window.dirty.clear();
  return bitmap;
}

/** An access that failed the window check. */
export function dmaFault(addr: bigint, count: number, write: boolean): VfioUserSessionError {
  return new VfioUserSessionError('ERR_DMA_FAULT', `DMA ${write ? 'write to' : 'read of'} 0x${addr.toString(16)}+0x${count.toString(16)} is outside the mapped windows or not ${write ? 'writable' : 'readable'}`);
}
