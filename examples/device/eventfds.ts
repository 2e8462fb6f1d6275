/**
 * Interrupts and doorbells on eventfds (eventfd(2), made by the transport's
 * addon): one end to hand to the other side, one to count on. A signal is an
 * 8-byte write of 1, as KVM and QEMU signal an eventfd; the counting side
 * reads the counter, which adds up signals that came between two reads.
 */
import { dupFd, eventfd, EventfdWatcher } from '../../src/unix/index.js';

/** Two descriptors of one eventfd. */
export interface SignalPair {
  /** The descriptor counted on (owned by a {@link SignalCounter} once given to one). */
  readonly readFd: number;
  /** A copy to hand to the other side, then close. */
  readonly writeFd: number;
}

/** A new non-blocking eventfd and a second descriptor of it. */
export function signalPair(): SignalPair {
  const readFd = eventfd();
  return { readFd, writeFd: dupFd(readFd) };
}

/**
 * Counts the signals that arrive on an eventfd; `onSignal` runs once for
 * each. Owns `readFd`: close() stops counting and closes it.
 */
export class SignalCounter {
  readonly #watcher: EventfdWatcher;

  constructor(readFd: number, onSignal?: (count: number) => void) {
    this.#watcher = new EventfdWatcher(readFd, (value, total) => {
      for (let n = total - value + 1n; n <= total; n++) onSignal?.(Number(n));
    });
  }

  /** Signals counted so far. */
  get count(): number {
    return Number(this.#watcher.total);
  }

  /** Resolves once `count` signals have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      this.#watcher.waitFor(BigInt(count)).finally(() => clearTimeout(timer)),
      new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${this.count} of ${count} signals after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  }

  close(): void {
    this.#watcher.close();
  }
}
