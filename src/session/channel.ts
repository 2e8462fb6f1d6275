/**
 * The channel a session runs over: a duplex stream of bytes with file
 * descriptors beside them, the way a Unix socket carries them (SCM_RIGHTS).
 * The Unix-socket transport (`vfio-user-protocol/unix`) is one; an in-memory
 * pair ({@link channelPair}) is another, for tests and for running a client
 * and a server in one process.
 */
import { constants, fstatSync, openSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeFds } from './fds.js';

/** Where a channel delivers what arrives. */
export interface ChannelHandlers {
  /**
   * A chunk of the byte stream and the fds that arrived with it; the
   * receiver owns the fds and closes them. The fds of a chunk belong to the
   * last message that starts in it (FrameDecoder's rule, and what a Linux
   * stream read delivers).
   */
  data(chunk: Uint8Array, fds: number[]): void;
  /**
   * Optional: where the channel should read the next bytes (a view of at
   * least 1 byte the receiver owns, e.g. FrameDecoder.receiveBuffer()). The
   * chunk then passed to data() is a prefix of it. Without it the channel
   * reads into buffers of its own.
   */
  buffer?(): Uint8Array;
  /** The channel ended: the peer closed it, it failed (`error`), or close() was called. Called once. */
  closed(error: Error | null): void;
}

/** A duplex byte stream with file descriptors beside the bytes. */
export interface Channel {
  /** Starts delivering to `handlers`. Called once; nothing is delivered before. */
  start(handlers: ChannelHandlers): void;
  /**
   * Sends one whole message in one write, its fds attached to its first
   * byte. The fds stay the caller's: keep them open until `sent` is called
   * (then the peer holds its own copies). Bytes may be reused after the call.
   * `sent` is called once, in the order of the sends, when the message has
   * left (error null) or could not be sent; a channel may call it before
   * send returns, when the message leaves at once.
   */
  send(bytes: Uint8Array, fds: readonly number[], sent?: (error: Error | null) => void): void;
  /**
   * Optional: sends `head` then `tail` as one message in one write (an
   * iovec: no concatenation), fds attached to its first byte. `head` may be
   * reused after the call; `tail` is kept by reference until `sent`, called
   * as for {@link send}.
   */
  sendParts?(head: Uint8Array, tail: Uint8Array | null, fds: readonly number[], sent?: (error: Error | null) => void): void;
  /** Closes the channel; `closed` follows. Idempotent. */
  close(): void;
  /**
   * Stops delivering until {@link resume}: what the peer sends waits in the
   * kernel (or the peer's queue), so a peer that floods is held back.
   * Optional: a channel without it cannot be paused (no backpressure).
   */
  pause?(): void;
  /** Delivers again after {@link pause}. */
  resume?(): void;
  /**
   * Server side of a twin socket: a new connected pair of this kind of
   * channel, one end kept and the other's descriptor to send to the peer.
   * Optional: a server whose channel lacks it never grants a twin socket.
   * @throws (rejects) the system error of making the pair.
   */
  twin?(): Promise<TwinPair>;
  /**
   * Client side of a twin socket: a channel over the socket descriptor the
   * peer sent with its VERSION reply. The channel owns `fd` from then on.
   * Optional: a client whose channel lacks it never asks for a twin socket.
   * @throws Error when `fd` is not a socket this kind of channel can use
   *   (`fd` is then still the caller's).
   */
  adopt?(fd: number): Channel;
}

/** A twin socket as the server makes it: its own end, and the peer's end to send. */
export interface TwinPair {
  /** The server's end. */
  readonly channel: Channel;
  /** The client's end: send it as the VERSION reply's fd, then call {@link release}. */
  readonly fd: number;
  /** Closes this process's copy of {@link fd}, once sent (or when it will not be). Idempotent. */
  release(): void;
}

/** Options of {@link channelPair}. */
export interface ChannelPairOptions {
  /**
   * Largest chunk delivered: a message longer than this arrives in several
   * chunks, its fds with the first. Default: each message in one chunk.
   */
  readonly maxChunk?: number;
  /**
   * Gives the receiving end its own copy of a sent fd, as SCM_RIGHTS does.
   * Default {@link reopenFd}: a new descriptor for the same file, pipe or
   * FIFO through /proc/self/fd (Linux).
   */
  readonly dupFd?: (fd: number) => number;
}

/**
 * A new descriptor for the file, pipe or FIFO behind `fd`, opened through
 * /proc/self/fd (Linux): read-write when allowed, else read-only or
 * write-only; pipes and FIFOs non-blocking. It has its own file offset, which
 * pread/pwrite-style access (a position on every call) does not use.
 * @throws the system error of open(2) (sockets cannot be reopened: ENXIO).
 */
export function reopenFd(fd: number): number {
  const path = `/proc/self/fd/${fd}`;
  const extra = fstatSync(fd).isFIFO() ? constants.O_NONBLOCK : 0;
  let last: unknown;
  for (const mode of [constants.O_RDWR, constants.O_RDONLY, constants.O_WRONLY]) {
    try {
      return openSync(path, mode | extra);
    } catch (e) {
      last = e;
      if ((e as NodeJS.ErrnoException).code !== 'EACCES') break;
    }
  }
  throw last;
}

interface Queued {
  readonly chunk: Uint8Array;
  readonly fds: number[];
  /** The peer closed after sending everything before this. */
  readonly end: boolean;
}

/**
 * In-memory twin sockets not yet adopted, by the identity (device and inode)
 * of the descriptor that stands for them: a deleted temporary file, which a
 * sent copy (a new descriptor for the same file) still names.
 */
const unadopted = new Map<string, MemoryEnd>();

function identity(fd: number): string {
  const s = fstatSync(fd, { bigint: true });
  return `${s.dev}:${s.ino}`;
}

/** A descriptor of a new, already deleted, temporary file: a token that travels like any fd. */
function tokenFd(): number {
  const path = join(tmpdir(), `vfio-user-twin-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
  unlinkSync(path);
  return fd;
}

class MemoryEnd implements Channel {
  peer: MemoryEnd | null = null;
  /** The key in {@link unadopted} of the twin this end made and its peer has not adopted yet. */
  #twinKey: string | null = null;
  #handlers: ChannelHandlers | null = null;
  #queue: Queued[] = [];
  #scheduled = false;
  /** No more deliveries: closed here, or the peer's end was delivered. */
  #done = false;
  #paused = false;
  #endNotified = false;
  readonly #options: ChannelPairOptions;

  constructor(options: ChannelPairOptions) {
    this.#options = options;
  }

  start(handlers: ChannelHandlers): void {
    if (this.#handlers !== null) throw new Error('channel already started');
    this.#handlers = handlers;
    if (this.#done) this.#notifyEnd();
    else this.#schedule();
  }

  send(bytes: Uint8Array, fds: readonly number[], sent?: (error: Error | null) => void): void {
    const peer = this.peer;
    if (this.#done || peer === null || peer.#done) {
      if (sent !== undefined) queueMicrotask(() => sent(new Error('channel closed')));
      return;
    }
    const copies: number[] = [];
    try {
      for (const fd of fds) copies.push((this.#options.dupFd ?? reopenFd)(fd));
    } catch (e) {
      closeFds(copies);
      if (sent !== undefined) queueMicrotask(() => sent(e as Error));
      return;
    }
    const all = Uint8Array.from(bytes);
    const step = Math.max(1, this.#options.maxChunk ?? all.length);
    let o = 0;
    do {
      const end = Math.min(o + step, all.length);
      peer.#receive({ chunk: all.subarray(o, end), fds: o === 0 ? copies : [], end: false });
      o = end;
    } while (o < all.length);
    if (sent !== undefined) queueMicrotask(() => sent(null));
  }

  async twin(): Promise<TwinPair> {
    const [local, remote] = channelPair(this.#options) as [MemoryEnd, MemoryEnd];
    const fd = tokenFd();
    const key = identity(fd);
    unadopted.set(key, remote);
    local.#twinKey = key;
    let released = false;
    return {
      channel: local,
      fd,
      release: () => {
        if (released) return;
        released = true;
        closeFds([fd]);
      },
    };
  }

  adopt(fd: number): Channel {
    const key = identity(fd);
    const end = unadopted.get(key);
    if (end === undefined) throw new Error(`fd ${fd} is not the twin socket of an in-memory channel`);
    unadopted.delete(key);
    closeFds([fd]);
    return end;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#schedule();
  }

  close(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#twinKey !== null) unadopted.delete(this.#twinKey);
    for (const item of this.#queue) closeFds(item.fds);
    this.#queue = [];
    this.#notifyEnd();
    const peer = this.peer;
    if (peer !== null) peer.#receive({ chunk: new Uint8Array(0), fds: [], end: true });
  }

  #receive(item: Queued): void {
    if (this.#done) {
      closeFds(item.fds);
      return;
    }
    this.#queue.push(item);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#handlers === null) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#deliver();
    });
  }

  #deliver(): void {
    const h = this.#handlers;
    while (h !== null && !this.#done && !this.#paused && this.#queue.length > 0) {
      const item = this.#queue.shift()!;
      if (item.end) {
        this.#done = true;
        this.#notifyEnd();
        return;
      }
      h.data(item.chunk, item.fds);
    }
  }

  #notifyEnd(): void {
    const h = this.#handlers;
    if (h === null || this.#endNotified) return;
    this.#endNotified = true;
    queueMicrotask(() => h.closed(null));
  }
}

/**
 * Two connected in-memory channels. Each `send` arrives at the other end as
 * one chunk (or several, with `maxChunk`) on a later turn of the event loop,
 * its fds duplicated for the receiver (see {@link ChannelPairOptions.dupFd}).
 * Closing one end delivers what it sent, then ends the other.
 *
 * The pair also makes twin sockets ({@link Channel.twin}): another pair, whose
 * client end travels as the descriptor of a deleted temporary file and is
 * found again by {@link Channel.adopt} from the copy the peer received.
 */
export function channelPair(options: ChannelPairOptions = {}): [Channel, Channel] {
  const a = new MemoryEnd(options);
  const b = new MemoryEnd(options);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
