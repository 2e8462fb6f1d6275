/**
 * Dirty-page bitmaps: DMA_UNMAP with GET_DIRTY_BITMAP, DEVICE_FEATURE
 * DMA_LOGGING_REPORT and legacy DIRTY_PAGES. Bit i stands for page i of the
 * range: byte i >> 3, bit i & 7 (little-endian u64 words, so the same bit as
 * word i / 64, bit i % 64).
 */

/** True when `x` is a power of two (and not 0). */
export function isPowerOfTwo(x: bigint): boolean {
  if (x >= 0n && x < 0x100000000n) {
    // Below 2^32 the value is exact in a double and ToInt32 keeps all its bits: no bigint is made.
    const n = Number(x);
    return n !== 0 && (n & (n - 1)) === 0;
  }
  return x > 0n && (x & (x - 1n)) === 0n;
}

/**
 * Whether `size` equals bitmapBytes(length, pgsize) for a power-of-two
 * pgsize, in doubles when every value is exact in one (no bigint is made).
 */
export function isBitmapSize(size: bigint, length: bigint, pgsize: bigint): boolean {
  if (length <= 0x1fffffffffffffn && pgsize <= 0x1fffffffffffffn && size <= 0x1fffffffffffffn) {
    return Math.ceil(Math.ceil(Number(length) / Number(pgsize)) / 64) * 8 === Number(size);
  }
  return bitmapBytes(length, pgsize) === size;
}

/**
 * Size in bytes of the bitmap of `length` bytes at `pgsize` per bit:
 * ceil(ceil(length / pgsize) / 64) * 8, whole u64 words.
 * @throws RangeError when pgsize is 0.
 */
export function bitmapBytes(length: bigint, pgsize: bigint): bigint {
  if (pgsize <= 0n) throw new RangeError('pgsize must be positive');
  const pages = (length + pgsize - 1n) / pgsize;
  return ((pages + 63n) / 64n) * 8n;
}

/** Allocates a zeroed bitmap for `length` bytes at `pgsize` per bit. */
export function createBitmap(length: bigint, pgsize: bigint): Uint8Array {
  return new Uint8Array(Number(bitmapBytes(length, pgsize)));
}

/** Whether page `page` is marked dirty. */
export function isDirty(bitmap: Uint8Array, page: number): boolean {
  return ((bitmap[page >>> 3] ?? 0) & (1 << (page & 7))) !== 0;
}

/** Marks page `page` dirty. @throws RangeError when the page is outside the bitmap. */
export function setDirty(bitmap: Uint8Array, page: number): void {
  const i = page >>> 3;
  if (i >= bitmap.length) throw new RangeError(`page ${page} outside a ${bitmap.length}-byte bitmap`);
  bitmap[i] = (bitmap[i] ?? 0) | (1 << (page & 7));
}

/** The dirty page numbers, ascending. */
export function dirtyPages(bitmap: Uint8Array): number[] {
  const pages: number[] = [];
  for (let i = 0; i < bitmap.length; i++) {
    const byte = bitmap[i] ?? 0;
    if (byte === 0) continue;
    for (let bit = 0; bit < 8; bit++) if ((byte & (1 << bit)) !== 0) pages.push(i * 8 + bit);
  }
  return pages;
}
