/**
 * A {@link Channel} over a connected Unix stream socket, on the package's
 * own addon (native/unix.c): non-blocking sendmsg/recvmsg driven by libuv's
 * uv_poll, fds passed as SCM_RIGHTS, up to SCM_MAX_FD (253) per message.
 *
 * Sending: each message is one sendmsg(2) of an iovec (the caller's head and
 * tail, never concatenated), its fds attached to its first byte. A message
 * the socket takes at once costs no allocation, and its `sent` is called
 * before send returns. What the socket does not take at once waits in a
 * queue and goes out when the socket is writable again, in order; the fds
 * only ever go with a message's first byte.
 *
 * Receiving: each read goes into memory the receiver hands out
 * ({@link ChannelHandlers.buffer}: the framer's own buffers, so a message
 * needs no reassembly copy), or into a slab of the channel's when the
 * receiver has none. Linux hands over the fds of a message with the read
 * that reaches its first byte and ends that read right after the message's
 * data; bytes of earlier messages, sent without fds, can come in the same
 * read. The fds of a read therefore belong to the last message that starts
 * in it, which is the rule the FrameDecoder applies: each read goes to it
 * whole, with its fds. Received fds are close-on-exec.
 *
 * Twin sockets: {@link UnixChannel.twin} is socketpair(2);
 * {@link UnixChannel.adopt} wraps a received socket descriptor.
 */
import { constants } from 'node:os';
import type { Channel, ChannelHandlers, TwinPair } from '../session/channel.js';
import { closeFds } from '../session/fds.js';
import { VfioUserProtocolError } from '../errors.js';
import { native, READABLE, systemError, WRITABLE, type Native, type NativePoll } from './native.js';

/** The most fds one message can carry on Linux (SCM_MAX_FD in the kernel's include/net/scm.h; unix(7)). */
export const MAX_RECEIVE_FDS = 253;

/** System errno numbers of this host, negated as the addon returns them. */
const EAGAIN = -constants.errno.EAGAIN;
const NO_FDS: number[] = Object.freeze([]) as unknown as number[];
const EMPTY = new Uint8Array(0);
/** Reads taken in one turn before yielding to the event loop. */
const READS_PER_TURN = 16;
/** Channel-owned receive slab, for receivers that hand out no buffer. */
const SLAB_SIZE = 64 * 1024;
const SLAB_MIN_FREE = 4 * 1024;
/** How long close() waits for queued messages to leave. */
const CLOSE_FLUSH_MS = 1000;

/**
 * Scratch for the synchronous sendmsg/recvmsg calls: the addon copies fds in
 * and out during the call, so one array serves every channel of the process.
 */
const sendFds = new Int32Array(MAX_RECEIVE_FDS);
const recvFds = new Int32Array(1 + MAX_RECEIVE_FDS);

interface Out {
  /** Head bytes still to send (a copy: the caller's head is theirs again after send). */
  head: Uint8Array;
  /** Tail bytes still to send, by reference. */
  tail: Uint8Array | null;
  /** Fds to attach to the first byte; null once that byte left. */
  fds: Int32Array | null;
  readonly sent: ((error: Error | null) => void) | undefined;
}

/**
 * Calls `sent` with `error` from a microtask. Kept out of sendParts: a closure
 * there would make every call allocate a context for `sent`, sent at once or not.
 */
function later(sent: (error: Error | null) => void, error: Error): void {
  queueMicrotask(() => sent(error));
}

/** A connected Unix stream socket as a channel; see the module doc. */
export class UnixChannel implements Channel {
  /** The socket's descriptor (owned by the channel; closed when it ends). */
  readonly fd: number;
  readonly #n: Native;
  readonly #poll: NativePoll;
  #handlers: ChannelHandlers | null = null;
  #queue: Out[] = [];
  #watching = 0;
  #closing = false;
  #paused = false;
  #ended = false;
  #endError: Error | null = null;
  #slab: Uint8Array | null = null;
  #slabUsed = 0;

  /**
   * Wraps a connected, non-blocking Unix stream socket descriptor, which the
   * channel owns from now on (see {@link adoptSocket} for one of unknown kind).
   * @throws VfioUserSessionError ERR_ADDON_MISSING when the addon is not available.
   */
  constructor(fd: number) {
    this.#n = native();
    this.fd = fd;
    this.#poll = new this.#n.Poll(fd, (status, events) => this.#ready(status, events));
  }

  start(handlers: ChannelHandlers): void {
    if (this.#handlers !== null) throw new Error('channel already started');
    this.#handlers = handlers;
    if (this.#ended) {
      const error = this.#endError;
      queueMicrotask(() => handlers.closed(error));
      return;
    }
    this.#watch();
  }

  send(bytes: Uint8Array, fds: readonly number[], sent?: (error: Error | null) => void): void {
    this.sendParts(bytes, null, fds, sent);
  }

  /**
   * Sends `head` then `tail` as one message with one sendmsg(2) of an iovec,
   * `fds` attached to its first byte. `head` is the caller's again when the
   * call returns (what must wait is copied); `tail` is kept by reference
   * until `sent` is called: do not change it before. The fds stay the
   * caller's: keep them open until `sent`. When the socket takes the whole
   * message at once, `sent` is called before sendParts returns.
   */
  sendParts(head: Uint8Array, tail: Uint8Array | null, fds: readonly number[], sent?: (error: Error | null) => void): void {
    if (this.#ended || this.#closing) {
      if (sent !== undefined) later(sent, new Error('channel closed'));
      return;
    }
    const nfds = fds.length;
    if (nfds > MAX_RECEIVE_FDS) {
      const error = new VfioUserProtocolError('ERR_FD_LIMIT', `${nfds} fds exceed the ${MAX_RECEIVE_FDS} one message can carry (SCM_MAX_FD)`, 0, { value: nfds, limit: MAX_RECEIVE_FDS, limitName: 'SCM_MAX_FD' });
      if (sent !== undefined) later(sent, error);
      return;
    }
    let sentBytes = 0;
    if (this.#queue.length === 0) {
      for (let i = 0; i < nfds; i++) sendFds[i] = fds[i]!;
      const r = this.#n.sendmsg(this.fd, head, tail, nfds === 0 ? null : sendFds, nfds);
      const total = head.length + (tail === null ? 0 : tail.length);
      if (r === total) {
        sent?.(null);
        return;
      }
      if (r < 0 && r !== EAGAIN) {
        const error = systemError(r, 'sendmsg');
        if (sent !== undefined) later(sent, error);
        this.#end(error);
        return;
      }
      if (r > 0) sentBytes = r;
    }
    // Wait for the socket: copy what is left of the head, keep the tail, keep the fds if none left yet.
    const item: Out = { head: EMPTY, tail, fds: sentBytes === 0 && nfds > 0 ? Int32Array.from(fds) : null, sent };
    if (sentBytes < head.length) item.head = head.slice(sentBytes);
    else if (tail !== null) item.tail = tail.subarray(sentBytes - head.length);
    this.#queue.push(item);
    this.#watch();
  }

  /** Stops reading from the socket until resume(): what the peer sends waits in the kernel. */
  pause(): void {
    this.#paused = true;
    this.#watch();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#watch();
  }

  /** A connected pair of Unix stream sockets (socketpair(2)): this end as a channel, the other's descriptor to send. */
  async twin(): Promise<TwinPair> {
    const [kept, other] = socketPair(this.#n);
    let released = false;
    return {
      channel: new UnixChannel(kept),
      fd: other,
      release: () => {
        if (released) return;
        released = true;
        closeFds([other]);
      },
    };
  }

  /**
   * The channel over a received Unix stream socket descriptor; it owns `fd`
   * from now on (and makes it non-blocking).
   * @throws Error when `fd` is not a Unix stream socket (`fd` is then still the caller's).
   */
  adopt(fd: number): Channel {
    return adoptSocket(fd);
  }

  /** Closes the socket once the messages already queued have left (at most a second later). */
  close(): void {
    if (this.#ended || this.#closing) return;
    this.#closing = true;
    if (this.#queue.length === 0) this.#end(null);
    else setTimeout(() => this.#end(null), CLOSE_FLUSH_MS).unref();
  }

  #watch(): void {
    if (this.#ended) return;
    const want = (this.#handlers === null || this.#paused ? 0 : READABLE) | (this.#queue.length > 0 ? WRITABLE : 0);
    if (want === this.#watching) return;
    this.#watching = want;
    const r = this.#poll.watch(want);
    if (r < 0) this.#end(systemError(r, 'uv_poll_start'));
  }

  #ready(status: number, events: number): void {
    if (this.#ended) return;
    if (status < 0) {
      this.#end(systemError(status, 'poll'));
      return;
    }
    if ((events & WRITABLE) !== 0) this.#flush();
    if ((events & READABLE) !== 0) this.#read();
  }

  #flush(): void {
    const q = this.#queue;
    while (q.length > 0 && !this.#ended) {
      const item = q[0]!;
      const nfds = item.fds === null ? 0 : item.fds.length;
      const r = this.#n.sendmsg(this.fd, item.head, item.tail, item.fds, nfds);
      if (r === EAGAIN) return;
      if (r < 0) {
        this.#end(systemError(r, 'sendmsg'));
        return;
      }
      if (r > 0) item.fds = null;
      const h = item.head.length;
      if (r < h) {
        item.head = item.head.subarray(r);
        continue;
      }
      item.head = EMPTY;
      if (item.tail !== null && r - h < item.tail.length) {
        item.tail = item.tail.subarray(r - h);
        continue;
      }
      q.shift();
      item.sent?.(null);
    }
    if (this.#closing && q.length === 0) this.#end(null);
    else this.#watch();
  }

  #read(): void {
    const h = this.#handlers;
    if (h === null) return;
    for (let i = 0; i < READS_PER_TURN && !this.#ended && !this.#paused; i++) {
      const buf = h.buffer?.() ?? this.#ownBuffer();
      const r = this.#n.recvmsg(this.fd, buf, recvFds);
      if (r === EAGAIN) return;
      let count = recvFds[0]!;
      // Negative: the kernel dropped fds it could not install (MSG_CTRUNC: the process is at its fd limit).
      if (count < 0) count = -count - 1;
      const fds = count === 0 ? NO_FDS : Array.from(recvFds.subarray(1, 1 + count));
      if (r < 0) {
        closeFds(fds);
        this.#end(systemError(r, 'recvmsg'));
        return;
      }
      if (r === 0) {
        closeFds(fds);
        this.#end(null);
        return;
      }
      if (h.buffer === undefined) this.#slabUsed += r;
      h.data(buf.subarray(0, r), fds);
      // A short read without fds drained the socket (the poll is level-triggered: more data wakes it again).
      if (r < buf.length && count === 0) return;
    }
  }

  #ownBuffer(): Uint8Array {
    let slab = this.#slab;
    if (slab === null || slab.length - this.#slabUsed < SLAB_MIN_FREE) {
      slab = new Uint8Array(SLAB_SIZE);
      this.#slab = slab;
      this.#slabUsed = 0;
    }
    return slab.subarray(this.#slabUsed);
  }

  #end(error: Error | null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#endError = error;
    this.#poll.close();
    const queued = this.#queue;
    this.#queue = [];
    const why = error ?? new Error('channel closed');
    for (const item of queued) item.sent?.(why);
    const h = this.#handlers;
    if (h !== null) queueMicrotask(() => h.closed(error));
  }
}

/**
 * A connected pair of Unix stream sockets, both non-blocking and close-on-exec.
 * @throws the system error of socketpair(2).
 */
export function socketPair(n: Native = native()): [number, number] {
  const r = n.socketpair();
  if (typeof r === 'number') throw systemError(r, 'socketpair');
  return r;
}

/**
 * A channel over `fd`, which must be a connected Unix stream socket; the
 * channel owns it from then on and makes it non-blocking.
 * @throws Error when `fd` is not a Unix stream socket (`fd` stays the caller's);
 *   the system error of getsockopt(2) or fcntl(2).
 */
export function adoptSocket(fd: number): UnixChannel {
  const n = native();
  const kind = n.isUnixStream(fd);
  if (kind < 0) throw systemError(kind, 'getsockopt');
  if (kind === 0) throw new Error(`fd ${fd} is not a socket (a Unix stream socket is needed)`);
  const r = n.setNonBlocking(fd, 1);
  if (r < 0) throw systemError(r, 'fcntl');
  return new UnixChannel(fd);
}
