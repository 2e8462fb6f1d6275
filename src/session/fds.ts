/**
 * File descriptors a session owns: closing them, and reaching the memory
 * behind them at a position (pread/pwrite semantics, no mmap).
 */
import { closeSync, readSync, writeSync } from 'node:fs';
import { ERRNO, ErrnoError } from './errors.js';
import { closePeerFd } from './peerfds.js';

/** Closes every fd, ignoring those already closed. */
export function closeFds(fds: readonly number[]): void {
  for (const fd of fds) {
    try {
      if (!closePeerFd(fd)) closeSync(fd);
    } catch {
      // Already closed, or never valid: nothing to release.
    }
  }
}

/**
 * Reads `count` bytes of the file behind `fd` at `position` (pread).
 * Bytes past the end of the file read as zero, as mapped memory would.
 * @throws the system error of read(2).
 */
export function preadFd(fd: number, position: bigint, count: number): Uint8Array {
  const at = filePosition(position, count);
  const out = new Uint8Array(count);
  let done = 0;
  while (done < count) {
    const n = readSync(fd, out, done, count - done, at + done);
    if (n === 0) break;
    done += n;
  }
  return out;
}

/**
 * Writes `data` to the file behind `fd` at `position` (pwrite), all of it.
 * @throws the system error of write(2).
 */
export function pwriteFd(fd: number, position: bigint, data: Uint8Array): void {
  const at = filePosition(position, data.length);
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, at + done);
}

/** A file position as a number; positions past 2^53 are refused (no file is that large). */
function filePosition(position: bigint, count: number): number {
  if (position < 0n || position + BigInt(count) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ErrnoError(ERRNO.EFAULT, `file position 0x${position.toString(16)}+0x${count.toString(16)} is above 2^53, beyond any file this server can reach`);
  }
  return Number(position);
}
