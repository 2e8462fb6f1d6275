/**
 * Test helpers for the session layer: a scripted peer that sends whatever
 * bytes a test wants and hands back what arrives, fds that can be checked
 * for being closed, and a small device.
 */
import { closeSync, fstatSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, FrameDecoder, type Frame, type Message } from '../../src/index.js';
import { preadFd, pwriteFd, reopenFd, type Channel, type Device, type DeviceMigration, type ServerConnection } from '../../src/unix/index.js';

/** The other end of a channel, driven by hand. */
export class RawPeer {
  readonly #channel: Channel;
  readonly #decoder = new FrameDecoder({ limits: { maxMsgFds: 1024 }, allowUnknownCommands: true });
  readonly #frames: Frame[] = [];
  #waiters: ((f: Frame) => void)[] = [];
  closed = false;
  readonly whenClosed: Promise<void>;

  constructor(channel: Channel) {
    this.#channel = channel;
    let done!: () => void;
    this.whenClosed = new Promise((r) => (done = r));
    channel.start({
      data: (chunk, fds) => {
        this.#decoder.push(chunk, fds);
        for (let f = this.#decoder.next(); f !== null; f = this.#decoder.next()) {
          const w = this.#waiters.shift();
          if (w === undefined) this.#frames.push(f);
          else w(f);
        }
      },
      closed: () => {
        this.closed = true;
        done();
      },
    });
  }

  /** The next message that arrives. */
  next(timeoutMs = 2000): Promise<Frame> {
    const f = this.#frames.shift();
    if (f !== undefined) return Promise.resolve(f);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message arrived')), timeoutMs);
      this.#waiters.push((frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
    });
  }

  /** Messages already received and not taken. */
  get queued(): number {
    return this.#frames.length;
  }

  send(message: Message | Uint8Array, fds: readonly number[] = []): void {
    this.#channel.send(message instanceof Uint8Array ? message : encode(message), fds);
  }

  close(): void {
    this.#channel.close();
  }
}

/** A temporary directory with files to pass as fds; remove() cleans everything. */
export class TempFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'vfu-test-'));
  readonly #fds: number[] = [];
  #n = 0;

  /** A new file of `size` bytes, open read-write. */
  file(size: number): number {
    const path = join(this.dir, `f${this.#n++}`);
    const fd = openSync(path, 'w+');
    ftruncateSync(fd, size);
    this.#fds.push(fd);
    return fd;
  }

  /** Closes the files and removes the directory; once (a second call must not close reused fd numbers). */
  remove(): void {
    for (const fd of this.#fds.splice(0)) {
      try {
        closeSync(fd);
      } catch {
        // closed by the test
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Whether `fd` is open. */
export function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

/** A descriptor and the file it was opened on. */
export interface OpenedFd {
  readonly fd: number;
  readonly dev: number;
  readonly ino: number;
}

/** Whether `o.fd` is still open on the same file (its number may have been reused for another since). */
export function stillOpen(o: OpenedFd): boolean {
  try {
    const st = fstatSync(o.fd);
    return st.dev === o.dev && st.ino === o.ino;
  } catch {
    return false;
  }
}

/** A dupFd for channelPair that records the descriptors it creates, so a test can check they were closed. */
export function recordingDup(): { dup: (fd: number) => number; created: OpenedFd[] } {
  const created: OpenedFd[] = [];
  return {
    created,
    dup: (fd) => {
      const copy = reopenFd(fd);
      const st = fstatSync(copy);
      created.push({ fd: copy, dev: st.dev, ino: st.ino });
      return copy;
    },
  };
}

/**
 * A small device: region 0 is 64 bytes of plain memory; region 1 is 8 KiB
 * backed by `memFd` and mmap-able in two areas; IRQ 0 has 1 vector, IRQ 1
 * has 4. Writing 4 bytes to region 0 at offset 0x3c runs `onDoorbell`.
 */
export class TestDevice implements Device {
  readonly flags = 3;
  readonly regions;
  readonly irqs = [
    { flags: 0x7, count: 1 },
    { flags: 0x9, count: 4 },
  ];
  readonly mem = new Uint8Array(64);
  readonly events: string[] = [];
  onDoorbell: ((conn: ServerConnection) => Promise<void> | void) | null = null;
  readonly migration: DeviceMigration;
  #stream = new Uint8Array(0);
  #loaded: Uint8Array[] = [];
  readonly #memFd: number;

  constructor(memFd: number) {
    this.#memFd = memFd;
    this.regions = [
      { flags: 0x3, size: 64n },
      { flags: 0x7, size: 0x2000n, fd: memFd, offset: 0n, sparse: [{ offset: 0n, size: 0x1000n }, { offset: 0x1800n, size: 0x800n }] },
    ];
    const self = this;
    this.migration = {
      flags: 0x5n,
      transition: (_c, from, to) => {
        self.events.push(`${from}->${to}`);
        if (to === 3 || to === 6) self.#stream = Uint8Array.from(self.mem);
        if (from === 4 && to === 1) {
          const all = Buffer.concat(self.#loaded);
          self.mem.set(all.subarray(0, 64));
        }
        if (to === 4) self.#loaded = [];
      },
      read: (_c, max) => {
        const chunk = self.#stream.slice(0, max);
        self.#stream = self.#stream.subarray(chunk.length);
        return chunk;
      },
      write: (_c, data) => {
        self.#loaded.push(Uint8Array.from(data));
      },
    };
  }

  regionRead(_c: ServerConnection, index: number, offset: bigint, count: number): Uint8Array {
    if (index === 1) return preadFd(this.#memFd, offset, count);
    return this.mem.slice(Number(offset), Number(offset) + count);
  }

  async regionWrite(conn: ServerConnection, index: number, offset: bigint, data: Uint8Array): Promise<void> {
    if (index === 1) return pwriteFd(this.#memFd, offset, data);
    this.mem.set(data, Number(offset));
    if (offset === 0x3cn && this.onDoorbell !== null) await this.onDoorbell(conn);
  }

  reset(): void {
    this.events.push('reset');
  }

  connected(): void {
    this.events.push('connected');
  }

  disconnected(): void {
    this.events.push('disconnected');
  }
}
