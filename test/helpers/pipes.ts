/**
 * Pipes standing in for eventfds, which Node cannot create: a FIFO made with
 * mkfifo(1), opened at both ends (non-blocking) and unlinked at once. A
 * signal is an 8-byte write, as an eventfd counts; the reading side counts
 * what arrives through a net.Socket on the read end.
 */
import { execFileSync } from 'node:child_process';
import { constants, mkdtempSync, openSync, rmSync, unlinkSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Both ends of a pipe. */
export interface PipePair {
  /** The read end (non-blocking). */
  readonly readFd: number;
  /** The write end (non-blocking): what is handed to the other side. */
  readonly writeFd: number;
}

/** Creates a pipe through a FIFO in a private temporary directory. */
export function pipePair(): PipePair {
  const dir = mkdtempSync(join(tmpdir(), 'vfu-fifo-'));
  const path = join(dir, 'fifo');
  try {
    execFileSync('mkfifo', ['-m', '600', path]);
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const writeFd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    unlinkSync(path);
    return { readFd, writeFd };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Counts the 8-byte signals that arrive on a read end. `onSignal` runs for
 * each; close() stops listening and closes the fd.
 */
export class SignalCounter {
  readonly #socket: Socket;
  #bytes = 0;
  #waiters: { count: number; resolve: () => void }[] = [];

  constructor(readFd: number, onSignal?: (count: number) => void) {
    this.#socket = new Socket({ fd: readFd, readable: true, writable: false });
    this.#socket.on('data', (chunk: Buffer) => {
      const before = this.count;
      this.#bytes += chunk.length;
      for (let n = before + 1; n <= this.count; n++) onSignal?.(n);
      this.#waiters = this.#waiters.filter((w) => {
        if (this.count < w.count) return true;
        w.resolve();
        return false;
      });
    });
    this.#socket.on('error', () => undefined);
    // Nothing here should keep a process alive on its own.
    this.#socket.unref();
  }

  /** Signals counted so far. */
  get count(): number {
    return Math.floor(this.#bytes / 8);
  }

  /** Resolves once `count` signals have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 5000): Promise<void> {
    if (this.count >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.count} of ${count} signals after ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.#socket.destroy();
  }
}
