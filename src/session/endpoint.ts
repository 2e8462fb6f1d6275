/**
 * One end of a vfio-user connection, client or server: frames what arrives
 * (FrameDecoder, so fds stay with their message), pairs replies with the
 * commands this end sent, runs the commands the other end sends one at a
 * time in arrival order and answers them, and writes every message in one
 * send with its fds. Client and ServerConnection are built on it.
 */
import type { Command, CommandByCmd, Message, ReplyByCmd } from '../../generated/ts/messages.js';
import { command, errorReply, reply, type KnownCmd } from '../build.js';
import { commandName, encode, encodeInto, encodingLength, FLAG_NO_REPLY, FLAG_TYPE_MASK, FLAG_TYPE_REPLY, HEADER_SIZE } from '../codec.js';
import type { DirectionLimits } from '../capabilities.js';
import { commandInfo, fdRuleAllows, type Side, type SocketName } from '../conversation.js';
import { VfioUserError, VfioUserProtocolError } from '../errors.js';
import { FrameDecoder, type Frame } from '../frame.js';
import { resolveOptions, type DialectName, type Limits, type ResolvedOptions } from '../options.js';
import type { MessageHead } from './boundaries.js';
import type { Channel } from './channel.js';
import { errnoOf, VfioUserRemoteError, VfioUserSessionError } from './errors.js';
import { closeFds } from './fds.js';
import { DEFAULT_SESSION_LIMITS } from './limits.js';
import { isPromise } from './maybe-promise.js';
import { splitTail } from './split.js';

/** One message as it went over the channel, for a capture. */
export interface TapEvent {
  /** `out`: this end sent it; `in`: it arrived (framed, or refused: see {@link rejected}). */
  readonly dir: 'in' | 'out';
  /** The socket it travelled on. */
  readonly socket: SocketName;
  /** The whole message, header included. */
  readonly bytes: Uint8Array;
  /** Number of fds that travelled with it. */
  readonly nfds: number;
  /** The decoded message; `raw` (header fields and the body's bytes) for one this end refused. */
  readonly message: Message;
  /**
   * Set when this end refused the message (it did not decode or broke a
   * limit): why. `bytes` is then the whole message when the framer kept it,
   * or its 16-byte header only (msg_size as it came, error_no 0) for one
   * skipped unread, and `message` a raw message of those bytes, so that a
   * capture still pairs the error reply this end answers it with.
   */
  readonly rejected?: VfioUserError;
}

/** Sees every message an endpoint sends and every message it frames, in that end's order. */
export type Tap = (event: TapEvent) => void;

/** A reply and the fds that came with it (the caller owns them). */
export interface Answer<C extends KnownCmd> {
  readonly reply: ReplyByCmd[C];
  readonly fds: number[];
}

/** Options of one request. */
export interface RequestOptions {
  /** Fds to send with the command; they stay the caller's. Default none. */
  readonly fds?: readonly number[];
  /** Milliseconds to wait for the reply before failing with ERR_TIMEOUT; 0 waits for ever. Default: the endpoint's. */
  readonly timeoutMs?: number;
}

/** The fds that came with a command: the handler takes those it keeps; the rest are closed after it. */
export class ReceivedFds {
  readonly #fds: readonly number[];
  /** Indexes taken; made on the first take(). */
  #taken: Set<number> | null = null;

  constructor(fds: readonly number[]) {
    this.#fds = fds;
  }

  /** How many arrived. */
  get length(): number {
    return this.#fds.length;
  }

  /** The fd numbers, in order (still owned by the session unless taken). */
  get all(): readonly number[] {
    return this.#fds;
  }

  /** Takes fd `i`: the session will not close it; the taker will. */
  take(i: number): number {
    const fd = this.#fds[i];
    if (fd === undefined) throw new RangeError(`no fd ${i} (${this.#fds.length} arrived)`);
    (this.#taken ??= new Set()).add(i);
    return fd;
  }

  /** Closes every fd not taken. */
  release(): void {
    if (this.#fds.length === 0) return;
    const taken = this.#taken;
    closeFds(taken === null ? this.#fds : this.#fds.filter((_, i) => !taken.has(i)));
  }
}

/** The fds of every command that came without any: nothing to take, nothing to release. */
const NO_RECEIVED_FDS = new ReceivedFds([]);

/** What a command handler answers with: the reply body, and fds to send with it (they stay the handler's). */
export interface Outcome {
  readonly body: unknown;
  readonly fds?: readonly number[];
  /** Called once the reply has left (error null) or could not be sent; the handler may close its fds then. */
  readonly sent?: (error: Error | null) => void;
}

/** What a command handler can ask of the endpoint besides the reply. */
export interface CommandControl {
  /** Closes the connection once the reply (or error reply) is sent. */
  closeAfterReply(): void;
  /**
   * Runs `work` once the reply (or error reply) has been handed to the
   * channel, outside the one-at-a-time order of commands: the endpoint goes
   * on answering the commands that follow while `work` runs, and `work` may
   * send commands of its own (the server's DMA_READ/DMA_WRITE) and wait for
   * their replies. A rejection of `work` goes to the `deferredFailed` hook.
   */
  afterReply(work: () => void | Promise<void>): void;
}

/** The hooks of an endpoint. */
export interface EndpointHooks {
  /**
   * Runs one command from the other end and gives the reply. Commands run
   * one at a time in arrival order; a command that arrives after the reply
   * to one of this end's requests runs on a later turn of the event loop,
   * once the code awaiting that reply has run. Throw to answer with an error reply
   * (errno from {@link errnoOf}). Not answered when the command has NO_REPLY.
   *
   * The message and every view in it (a REGION_WRITE's `data`, …) are valid
   * until the handler returns, or until the promise it returns settles;
   * the endpoint then reuses their memory for later messages. Copy what you
   * keep (work deferred with {@link CommandControl.afterReply} included).
   */
  command(message: Command, fds: ReceivedFds, control: CommandControl): Promise<Outcome> | Outcome;
  /**
   * A command the framer rejected (not decodable, over a limit): the
   * endpoint answers it with the error's errno (unless NO_REPLY) and closes
   * its fds; return true to close the connection after the answer.
   */
  rejected?(error: VfioUserError, head: MessageHead | undefined): boolean;
  /** A message that breaks a rule and is dropped: a reply to nothing, a fatal framing error. */
  violation?(error: Error): void;
  /** The channel ended; every request still waiting has failed with ERR_CLOSED. */
  closed?(error: Error | null): void;
  /** Work deferred with {@link CommandControl.afterReply} failed. Default: the `violation` hook. */
  deferredFailed?(error: Error): void;
}

/** Options of an endpoint. */
export interface EndpointOptions {
  /** Which end this is. */
  readonly side: Side;
  /** Dialect this end writes. Default `default`. */
  readonly dialect?: DialectName;
  /** Dialect the other end writes (used to decode). Default `default`. */
  readonly peerDialect?: DialectName;
  /**
   * Limits on what this end accepts: maxMsgFds and maxDataXferSize are what
   * this end advertises in VERSION; a message over them is answered with the
   * error's errno and its fds closed.
   */
  readonly limits: Partial<Limits>;
  /** Default timeout of requests in milliseconds; 0 (the default) waits for ever. */
  readonly timeoutMs?: number;
  /**
   * Commands from the other end received and not yet answered before this
   * end stops reading (backpressure). Default 64 (sessionLimits.maxQueuedCommands).
   */
  readonly maxQueuedCommands?: number;
  /**
   * Bytes sent and not yet taken by the other end before this end stops
   * reading (backpressure). Default 8 MiB (sessionLimits.maxOutputBytes).
   */
  readonly maxOutputBytes?: number;
  /**
   * While reading is paused because output waits, the time the peer may take
   * none of it before the connection is closed (ERR_TIMEOUT, reported as a
   * violation). 0 never. Default 30000 (sessionLimits.outputTimeoutMs).
   */
  readonly outputTimeoutMs?: number;
  /** Which socket this endpoint runs on, for the tap. Default `main`. */
  readonly socket?: SocketName;
  /** Sees every message; while one is set, receive buffers are not reused (a tap may keep `bytes`). */
  readonly tap?: Tap;
  /**
   * Overwrite each command's bytes with 0xdb once its handler is done (see
   * {@link EndpointHooks.command} for how long they are valid), so that a
   * handler that keeps a view instead of a copy fails at once in tests.
   * Default: on when the environment variable VFIO_USER_POISON_RECEIVED is `1`.
   */
  readonly poisonReceived?: boolean;
}

/**
 * What a request's promise resolves with, made from the reply when it comes
 * (a function of the module, not a closure per request): the Answer, or what
 * a caller of {@link Endpoint.requestMapped} makes of it. Throwing rejects.
 */
export type ReplyMap<T> = (request: Command, reply: Message, fds: number[]) => T;

interface Pending {
  readonly cmd: number;
  readonly msgId: number;
  /** The command as sent. */
  readonly message: Command;
  readonly map: ReplyMap<unknown>;
  /** Resolve and reject of the request's promise, set by its executor. */
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** When the request times out (Date.now() ms), or 0 for never. */
  deadline: number;
}

function unsettled(): void {}

/** The Pending whose promise is being made: the executor below takes its resolve and reject, without a closure per request. */
let making: Pending | null = null;
function takeSettlers(resolve: (value: unknown) => void, reject: (error: Error) => void): void {
  making!.resolve = resolve;
  making!.reject = reject;
}

function asAnswer(_request: Command, reply: Message, fds: number[]): Answer<KnownCmd> {
  return { reply: reply as ReplyByCmd[KnownCmd], fds };
}

/** Messages up to this size are encoded into the endpoint's scratch buffer (the channel copies them only if they must wait). */
const SCRATCH_SIZE = 4096;
const EMPTY = new Uint8Array(0);
const NO_FDS: readonly number[] = Object.freeze([]);
const NO_OPTIONS: RequestOptions = Object.freeze({});

/** A refused message as a `raw` one: its header fields and the bytes after the header. */
function rawMessage(bytes: Uint8Array): Message {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { kind: 'raw', msg_id: v.getUint16(0, true), cmd: v.getUint16(2, true), flags: v.getUint32(8, true), error_no: v.getUint32(12, true), body: bytes.subarray(HEADER_SIZE) };
}

/** Commands an endpoint answers in one turn of the event loop before it lets other connections run. */
const BURST = 32;

/** Until VERSION says otherwise: one fd per message and 1 MiB transfers (the capabilities' defaults). */
const DEFAULT_PEER_LIMITS: DirectionLimits = { maxMsgFds: 1, maxDataXferSize: 1048576 };

/** One end of a connection; see the module doc. */
export class Endpoint {
  readonly side: Side;
  readonly #channel: Channel;
  readonly #hooks: EndpointHooks;
  readonly #write: ResolvedOptions;
  readonly #decoder: FrameDecoder;
  readonly #pending = new Map<number, Pending>();
  readonly #tap: Tap | undefined;
  readonly #socket: SocketName;
  readonly #timeoutMs: number;
  readonly #maxQueued: number;
  readonly #maxOutput: number;
  readonly #outputTimeoutMs: number;
  readonly #poison: boolean;
  /** Runs while output is over maxOutputBytes; restarted whenever the peer takes some. */
  #outputTimer: NodeJS.Timeout | null = null;
  /** Commands framed and not yet answered. */
  #queued = 0;
  /** Bytes handed to the channel whose `sent` has not come. */
  #output = 0;
  #paused = false;
  /** Set by {@link pause}, cleared by {@link resume}. */
  #held = false;
  /** Commands finished since the endpoint last yielded to the event loop. */
  #burst = 0;
  /** The next command waits for a turn of the event loop (see #yieldTurn). */
  #yielding = false;
  /**
   * A reply settled one of this end's requests since the last turn: the
   * code awaiting it (a device's DMA) has not run yet, so a command framed
   * now waits for a turn of the event loop, by which time that code has run.
   */
  #replied = false;
  /** Set while #pump frames, so that what finishes inside it lets its loop go on rather than pump again. */
  #pumping = false;
  /** The command whose handler is running, and the commands framed behind it, in arrival order. */
  #current: Frame | null = null;
  readonly #backlog: Frame[] = [];
  /** What the running command's handler asked for through {@link #control}. */
  #closeAfter = false;
  #deferred: (() => void | Promise<void>)[] | null = null;
  /** The reply being sent, reused (see #reply). */
  readonly #replyOut = { kind: 'reply', cmd: 0, msg_id: 0, flags: FLAG_TYPE_REPLY, error_no: 0, body: null as unknown };
  readonly #control: CommandControl = {
    closeAfterReply: () => {
      if (this.#current !== null) this.#closeAfter = true;
    },
    afterReply: (work) => {
      if (this.#current === null) this.defer(work);
      else (this.#deferred ??= []).push(work);
    },
  };
  /**
   * Sizes of the messages sent without a `sent` callback of the caller's,
   * oldest first, until the channel reports them gone: a ring (an array's
   * push and shift would allocate).
   */
  #plainSizes = new Float64Array(16);
  #plainHead = 0;
  #plainCount = 0;
  readonly #plainSent = (error: Error | null): void => this.#left(this.#shiftPlain(), error, undefined);
  /** Messages that have left, counted to tell whether one left during its send call. */
  #leftCount = 0;
  #nextId = 1;
  /** The one timer of the request timeouts: due at #timerDue for the earliest deadline. */
  #timer: NodeJS.Timeout | null = null;
  #timerDue = 0;
  readonly #scratch = new Uint8Array(SCRATCH_SIZE);
  /** Views of the scratch buffer by length, made once each. */
  readonly #scratchViews: (Uint8Array | undefined)[] = [];
  #closed = false;
  #closeError: Error | null = null;
  #whenClosed: Promise<Error | null>;
  #resolveClosed!: (error: Error | null) => void;
  /** What the other end accepts; set from its VERSION. */
  peerLimits: DirectionLimits = DEFAULT_PEER_LIMITS;

  constructor(channel: Channel, options: EndpointOptions, hooks: EndpointHooks) {
    this.side = options.side;
    this.#channel = channel;
    this.#hooks = hooks;
    this.#write = resolveOptions({ dialect: options.dialect ?? 'default' });
    this.#decoder = new FrameDecoder({ dialect: options.peerDialect ?? 'default', limits: options.limits });
    this.#tap = options.tap;
    this.#socket = options.socket ?? 'main';
    this.#timeoutMs = options.timeoutMs ?? 0;
    this.#maxQueued = options.maxQueuedCommands ?? DEFAULT_SESSION_LIMITS.maxQueuedCommands;
    this.#maxOutput = options.maxOutputBytes ?? DEFAULT_SESSION_LIMITS.maxOutputBytes;
    this.#outputTimeoutMs = options.outputTimeoutMs ?? DEFAULT_SESSION_LIMITS.outputTimeoutMs;
    this.#poison = options.poisonReceived ?? (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env['VFIO_USER_POISON_RECEIVED'] === '1';
    this.#whenClosed = new Promise((resolve) => (this.#resolveClosed = resolve));
    const decoder = this.#decoder;
    channel.start({ data: (chunk, fds) => this.#data(chunk, fds), closed: (error) => this.#ended(error), buffer: () => decoder.receiveBuffer() });
  }

  /** True once the channel has ended. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Resolves when the channel has ended, with the error that ended it (null for a clean end). */
  get whenClosed(): Promise<Error | null> {
    return this.#whenClosed;
  }

  /** Commands sent and still waiting for their reply. */
  get outstanding(): number {
    return this.#pending.size;
  }

  /** Commands from the other end received and not yet answered. */
  get queued(): number {
    return this.#queued;
  }

  /** Bytes sent and not yet taken by the other end (as far as the channel reports). */
  get outputBytes(): number {
    return this.#output;
  }

  /** True while reading is stopped: by {@link pause}, or because of {@link queued} or {@link outputBytes} (backpressure). */
  get paused(): boolean {
    return this.#paused;
  }

  /** True between {@link pause} and {@link resume}. */
  get isPaused(): boolean {
    return this.#held;
  }

  /**
   * Stops taking messages from the peer until {@link resume}: nothing more
   * is read from the channel or framed from what was read, and no command
   * starts; the one running finishes and is answered. What the peer sends
   * meanwhile waits in the channel (the kernel's socket buffer), then in the
   * peer. Replies to this end's own requests wait too.
   */
  pause(): void {
    if (this.#held || this.#closed) return;
    this.#held = true;
    this.#flow();
  }

  /** Takes messages again after {@link pause}: commands already framed run first; reading resumes as far as backpressure allows. */
  resume(): void {
    if (!this.#held) return;
    this.#held = false;
    if (this.#closed) return;
    if (this.#current === null && !this.#yielding && !this.#pumping) this.#continue();
    this.#flow();
  }

  /**
   * Sends a command and resolves with its reply and the reply's fds.
   * @throws (rejects) VfioUserRemoteError for an error reply;
   *   VfioUserSessionError ERR_CLOSED, ERR_TIMEOUT, ERR_BAD_REPLY;
   *   VfioUserProtocolError ERR_FD_LIMIT when `fds` exceed the peer's max_msg_fds;
   *   VfioUserEncodeError when the body does not encode.
   */
  request<C extends KnownCmd>(cmd: C, body: CommandByCmd[C]['body'], options: RequestOptions = NO_OPTIONS): Promise<Answer<C>> {
    return this.requestMapped(cmd, body, options, asAnswer) as Promise<Answer<C>>;
  }

  /**
   * As {@link request}, but the promise resolves with `map(command, reply,
   * fds)`, called when the reply comes (a throw rejects it): one promise
   * per request.
   */
  requestMapped<C extends KnownCmd, T>(cmd: C, body: CommandByCmd[C]['body'], options: RequestOptions, map: ReplyMap<T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closedError(cmd));
    let msgId: number;
    try {
      msgId = this.#allocateId(cmd);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const message = command(cmd, msgId, body);
    try {
      this.send(message, options.fds ?? NO_FDS);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const p: Pending = { cmd, msgId, message: message as Command, map, resolve: unsettled, reject: unsettled, deadline: 0 };
    making = p;
    const promise = new Promise<T>(takeSettlers as (resolve: (value: T) => void, reject: (error: Error) => void) => void);
    making = null;
    this.#pending.set(msgId, p);
    const timeout = options.timeoutMs ?? this.#timeoutMs;
    if (timeout > 0) {
      p.deadline = Date.now() + timeout;
      this.#arm(p.deadline);
    }
    return promise;
  }

  /** Makes the one timeout timer fire by `deadline`. */
  #arm(deadline: number): void {
    if (this.#timer !== null && this.#timerDue <= deadline) {
      this.#timer.ref();
      return;
    }
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timerDue = deadline;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, deadline - Date.now()));
  }

  /** Fails every request past its deadline with ERR_TIMEOUT, and re-arms for the next one. */
  #expire(): void {
    this.#timer = null;
    const now = Date.now();
    let next = Infinity;
    for (const p of [...this.#pending.values()]) {
      if (p.deadline === 0) continue;
      if (p.deadline > now) {
        next = Math.min(next, p.deadline);
        continue;
      }
      this.#pending.delete(p.msgId);
      p.reject(new VfioUserSessionError('ERR_TIMEOUT', `no reply to ${commandName(p.cmd)} (msg_id ${p.msgId}) within its timeout`, { cmd: p.cmd, msgId: p.msgId }));
    }
    if (next !== Infinity) this.#arm(next);
  }

  /**
   * Sends a command with NO_REPLY: nothing comes back, success or failure.
   * @throws as {@link request}, synchronously.
   */
  post<C extends KnownCmd>(cmd: C, body: CommandByCmd[C]['body'], fds: readonly number[] = NO_FDS): void {
    if (this.#closed) throw this.#closedError(cmd);
    this.send(command(cmd, this.#allocateId(cmd), body, { noReply: true }), fds);
  }

  /**
   * Encodes and sends one message with its fds; `sent` is called once it
   * has left (error null), which may be before send returns, or failed to.
   * A header-only or fixed-size message without fds or `sent` is sent
   * without allocating.
   * @returns true when the message left during the call.
   * @throws VfioUserProtocolError ERR_FD_LIMIT when `fds` exceed the peer's
   *   max_msg_fds; VfioUserEncodeError when the message does not encode.
   */
  send(message: Message, fds: readonly number[], sent?: (error: Error | null) => void): boolean {
    if (fds.length > this.peerLimits.maxMsgFds) {
      throw new VfioUserProtocolError('ERR_FD_LIMIT', `${fds.length} fds exceed the peer's max_msg_fds ${this.peerLimits.maxMsgFds}`, 0, {
        cmd: message.cmd,
        value: fds.length,
        limit: this.peerLimits.maxMsgFds,
        limitName: 'max_msg_fds',
      });
    }
    const channel = this.#channel;
    const tap = this.#tap;
    const len = encodingLength(message, this.#write);
    if (tap === undefined && len <= SCRATCH_SIZE) {
      // Small: into the scratch buffer, which the channel copies only when the socket is full.
      encodeInto(message, this.#scratch, 0, this.#write);
      const bytes = (this.#scratchViews[len] ??= this.#scratch.subarray(0, len));
      return this.#write_(bytes, null, len, fds, sent);
    }
    if (tap === undefined && channel.sendParts !== undefined) {
      // A large data tail goes out from the caller's own bytes: one sendmsg of [header + struct, data].
      const split = splitTail(message, this.#write, this.#write.dialect);
      if (split !== null) return this.#write_(split.head, split.tail, len, fds, sent);
    }
    const bytes = encode(message, this.#write);
    tap?.({ dir: 'out', socket: this.#socket, bytes, nfds: fds.length, message });
    // A fresh buffer: the channel may keep it by reference until it has left.
    return this.#write_(EMPTY, bytes, bytes.length, fds, sent);
  }

  /**
   * Hands one encoded message to the channel (head, then tail by reference
   * when there is one) and accounts for it as output until it has left.
   * Returns true when it left during the call.
   */
  #write_(head: Uint8Array, tail: Uint8Array | null, size: number, fds: readonly number[], sent: ((error: Error | null) => void) | undefined): boolean {
    const before = this.#leftCount;
    this.#output += size;
    let done: (error: Error | null) => void;
    if (sent === undefined) {
      // No closure: one shared callback takes the sizes in order.
      this.#pushPlain(size);
      done = this.#plainSent;
    } else {
      done = this.#doneFor(size, sent);
    }
    const channel = this.#channel;
    if (tail === null) channel.send(head, fds, done);
    else if (channel.sendParts !== undefined) channel.sendParts(head, tail, fds, done);
    else if (head.length === 0) channel.send(tail, fds, done);
    else {
      const whole = new Uint8Array(head.length + tail.length);
      whole.set(head);
      whole.set(tail, head.length);
      channel.send(whole, fds, done);
    }
    if (this.#output > this.#maxOutput) this.#flow();
    return this.#leftCount !== before;
  }

  /** The callback of a message with a `sent` of the caller's (made here: a closure in #write_ would allocate on every send). */
  #doneFor(size: number, sent: (error: Error | null) => void): (error: Error | null) => void {
    return (error) => this.#left(size, error, sent);
  }

  #pushPlain(size: number): void {
    let ring = this.#plainSizes;
    if (this.#plainCount === ring.length) {
      const grown = new Float64Array(ring.length * 2);
      for (let i = 0; i < this.#plainCount; i++) grown[i] = ring[(this.#plainHead + i) % ring.length]!;
      this.#plainSizes = ring = grown;
      this.#plainHead = 0;
    }
    ring[(this.#plainHead + this.#plainCount++) % ring.length] = size;
  }

  #shiftPlain(): number {
    if (this.#plainCount === 0) return 0;
    const size = this.#plainSizes[this.#plainHead]!;
    this.#plainHead = (this.#plainHead + 1) % this.#plainSizes.length;
    this.#plainCount--;
    return size;
  }

  /** A message of `size` bytes left (error null) or could not be sent. */
  #left(size: number, error: Error | null, sent: ((error: Error | null) => void) | undefined): void {
    this.#output -= size;
    if (error === null) this.#leftCount++;
    this.#stopOutputTimer();
    // Output went: commands the decoder holds (reading is paused then) may run again.
    if (this.#paused && !this.#yielding && !this.#pumping) this.#pump();
    sent?.(error);
    if (error !== null && !this.#closed) this.#hooks.violation?.(error);
  }

  /** Closes the channel; requests still waiting fail with ERR_CLOSED. */
  close(): void {
    this.#channel.close();
  }

  /** Pauses reading while paused by {@link pause} or too much waits to be answered or taken by the peer; resumes once neither holds. */
  #flow(): void {
    if (this.#output > this.#maxOutput && this.#outputTimer === null && this.#outputTimeoutMs > 0 && !this.#closed) {
      this.#outputTimer = setTimeout(() => {
        this.#outputTimer = null;
        if (this.#closed) return;
        this.#hooks.violation?.(new VfioUserSessionError('ERR_TIMEOUT', `the peer took none of ${this.#output} queued bytes for ${this.#outputTimeoutMs} ms`));
        this.close();
      }, this.#outputTimeoutMs);
    }
    const over = this.#held || this.#over();
    if (over === this.#paused || this.#closed) return;
    this.#paused = over;
    if (over) this.#channel.pause?.();
    else this.#channel.resume?.();
  }

  /** Too many commands wait, or too many bytes wait for the peer. */
  #over(): boolean {
    return this.#queued >= this.#maxQueued || this.#output > this.#maxOutput;
  }

  #stopOutputTimer(): void {
    if (this.#outputTimer === null) return;
    clearTimeout(this.#outputTimer);
    this.#outputTimer = null;
  }

  #closedError(cmd?: number): VfioUserSessionError {
    const why = this.#closeError === null ? '' : `: ${this.#closeError.message}`;
    return new VfioUserSessionError('ERR_CLOSED', `the connection is closed${why}`, cmd === undefined ? {} : { cmd });
  }

  #allocateId(cmd: number): number {
    for (let n = 0; n < 0x10000; n++) {
      const id = this.#nextId;
      this.#nextId = (this.#nextId + 1) & 0xffff;
      if (!this.#pending.has(id)) return id;
    }
    throw new VfioUserSessionError('ERR_CLOSED', 'every msg_id is waiting for a reply', { cmd });
  }

  #data(chunk: Uint8Array, fds: number[]): void {
    if (this.#closed) {
      closeFds(fds);
      return;
    }
    this.#decoder.push(chunk, fds);
    this.#pump();
  }

  /**
   * Frames what the decoder holds, unless paused, while fewer than maxQueuedCommands wait
   * and fewer than maxOutputBytes wait for the peer (the rest stays in the
   * decoder, and reading pauses), then works out whether to pause or resume
   * reading.
   */
  #pump(): void {
    this.#pumping = true;
    try {
      while (!this.#closed && !this.#held && !this.#over()) {
        let frame: Frame | null;
        try {
          frame = this.#decoder.next();
        } catch (e) {
          if (!(e instanceof VfioUserError)) throw e;
          if (this.#rejected(e)) continue;
          break;
        }
        if (frame === null) break;
        this.#frame(frame);
      }
    } finally {
      this.#pumping = false;
    }
    this.#flow();
  }

  /**
   * A command finished: run the next one framed, or frame more; after a
   * burst, yield to the event loop first so that one peer cannot hold it.
   */
  #finished(): void {
    this.#queued--;
    this.#current = null;
    if (!this.#yielding && ++this.#burst < BURST) {
      this.#continue();
      return;
    }
    this.#flow();
    this.#yieldTurn();
  }

  /**
   * Runs the next command on a later turn of the event loop: after a burst,
   * so that one peer cannot hold the loop, and after a reply, so that every
   * promise continuation the reply set off has run before the command that
   * arrived behind it.
   */
  #yieldTurn(): void {
    if (this.#yielding) return;
    this.#yielding = true;
    setImmediate(() => {
      this.#yielding = false;
      this.#burst = 0;
      this.#replied = false;
      if (this.#current === null) this.#continue();
    });
  }

  #continue(): void {
    if (this.#held) return;
    const next = this.#backlog.shift();
    if (next !== undefined) this.#begin(next);
    else if (!this.#pumping) this.#pump();
  }

  /** A message the framer refused; returns false when the stream cannot go on. */
  #rejected(e: VfioUserError): boolean {
    const nfds = e.fds.length;
    closeFds(e.fds);
    e.fds = [];
    const at = e.streamOffset;
    const head: MessageHead | undefined = at === undefined || e.head === undefined ? undefined : { streamOffset: at, ...e.head };
    if (this.#tap !== undefined) this.#tapRejected(head, e, nfds);
    if (e.fatal || head === undefined) {
      this.#hooks.violation?.(e);
      if (e.fatal) {
        this.close();
        return false;
      }
      return true;
    }
    if ((head.flags & FLAG_TYPE_MASK) !== 0) {
      const p = this.#pending.get(head.msg_id);
      if (p !== undefined && p.cmd === head.cmd) {
        this.#settle(p);
        p.reject(new VfioUserSessionError('ERR_BAD_REPLY', `the reply to ${commandName(head.cmd)} (msg_id ${head.msg_id}) is refused: ${e.code}: ${e.message}`, { cmd: head.cmd, msgId: head.msg_id, cause: e }));
      } else {
        this.#hooks.violation?.(e);
      }
      return true;
    }
    const closeAfter = this.#hooks.rejected?.(e, head) ?? false;
    if ((head.flags & FLAG_NO_REPLY) === 0) this.#trySend(errorReply({ cmd: head.cmd, msg_id: head.msg_id }, e.errno), []);
    if (closeAfter) {
      this.close();
      return false;
    }
    return true;
  }

  #tapRejected(head: MessageHead | undefined, e: VfioUserError, nfds: number): void {
    if (e.bytes !== undefined && e.bytes.length >= HEADER_SIZE) {
      this.#tap!({ dir: 'in', socket: this.#socket, bytes: e.bytes, nfds, message: rawMessage(e.bytes), rejected: e });
      return;
    }
    if (head === undefined) return;
    const bytes = new Uint8Array(HEADER_SIZE);
    const v = new DataView(bytes.buffer);
    v.setUint16(0, head.msg_id, true);
    v.setUint16(2, head.cmd, true);
    v.setUint32(4, head.msg_size, true);
    v.setUint32(8, head.flags, true);
    const message: Message = { kind: 'raw', msg_id: head.msg_id, cmd: head.cmd, flags: head.flags, error_no: 0, body: new Uint8Array(0) };
    this.#tap!({ dir: 'in', socket: this.#socket, bytes, nfds, message, rejected: e });
  }

  #frame(frame: Frame): void {
    const m = frame.message;
    this.#tap?.({ dir: 'in', socket: this.#socket, bytes: frame.bytes, nfds: frame.fds.length, message: m });
    if (m.kind === 'command') {
      this.#queued++;
      if (this.#replied) this.#yieldTurn();
      if (this.#current === null && !this.#yielding && !this.#held && this.#backlog.length === 0) this.#begin(frame);
      else this.#backlog.push(frame);
      return;
    }
    if (m.kind === 'raw') {
      // Only with allowUnknownCommands, which an endpoint does not set.
      closeFds(frame.fds);
      return;
    }
    const p = this.#pending.get(m.msg_id);
    if (p === undefined || p.cmd !== m.cmd) {
      closeFds(frame.fds);
      this.#hooks.violation?.(
        new VfioUserProtocolError('ERR_ORPHAN_REPLY', `a ${commandName(m.cmd)} reply with msg_id ${m.msg_id} answers no command of this end`, 0, { cmd: m.cmd, msgId: m.msg_id }),
      );
      return;
    }
    this.#settle(p);
    if (m.kind === 'error') {
      closeFds(frame.fds);
      p.reject(new VfioUserRemoteError(m.cmd, m.msg_id, m.error_no));
      return;
    }
    const spec = commandInfo(m.cmd);
    if (spec !== undefined && !fdRuleAllows(spec.fds.reply, frame.fds.length, m)) {
      closeFds(frame.fds);
      const cause = new VfioUserProtocolError('ERR_FD_RULE', `${frame.fds.length} fds do not fit the ${spec.name} reply's rule (${spec.fds.reply.kind})`, 0, { cmd: m.cmd, msgId: m.msg_id });
      p.reject(new VfioUserSessionError('ERR_BAD_REPLY', cause.message, { cmd: m.cmd, msgId: m.msg_id, cause }));
      return;
    }
    let value: unknown;
    try {
      value = p.map(p.message, m, frame.fds);
    } catch (e) {
      p.reject(e as Error);
      return;
    }
    p.resolve(value);
  }

  #settle(p: Pending): void {
    this.#replied = true;
    this.#pending.delete(p.msgId);
    // Nothing waits: the timeout timer need not keep the process alive (it is kept to be re-armed cheaply).
    if (this.#pending.size === 0) this.#timer?.unref();
  }

  /**
   * Runs one command's handler: commands run one at a time, in arrival
   * order; a handler that answers synchronously is answered in the same
   * call, without a promise.
   */
  #begin(frame: Frame): void {
    this.#current = frame;
    if (this.#closed) {
      closeFds(frame.fds);
      this.#finished();
      return;
    }
    const fds = frame.fds.length === 0 ? NO_RECEIVED_FDS : new ReceivedFds(frame.fds);
    let result: Promise<Outcome> | Outcome;
    try {
      result = this.#hooks.command(frame.message as Command, fds, this.#control);
    } catch (e) {
      this.#answer(frame, fds, null, e);
      return;
    }
    if (isPromise(result)) this.#answerLater(result, frame, fds);
    else this.#answer(frame, fds, result, null);
  }

  /** Answers once the handler's promise settles (its closures live here, so that a synchronous answer allocates none). */
  #answerLater(result: PromiseLike<Outcome>, frame: Frame, fds: ReceivedFds): void {
    result.then(
      (outcome) => this.#answer(frame, fds, outcome, null),
      (e: unknown) => this.#answer(frame, fds, null, e),
    );
  }

  /**
   * The reply to `m` with `body`. Without a tap nothing keeps the message
   * once sent (send encodes it at once), so one object serves every reply.
   */
  #reply(m: Command, body: unknown): Message {
    if (this.#tap !== undefined) return reply(m as { cmd: KnownCmd; msg_id: number }, body as never);
    const out = this.#replyOut;
    out.cmd = m.cmd;
    out.msg_id = m.msg_id;
    out.body = body;
    return out as unknown as Message;
  }

  /** Answers the running command with its handler's outcome, or with an error reply for `failure`. */
  #answer(frame: Frame, fds: ReceivedFds, result: Outcome | null, failure: unknown): void {
    const m = frame.message as Command;
    let outcome = result;
    // The reply may carry views of the command's bytes (an echo): they are reused only once it has left.
    let reuse = this.#tap === undefined;
    fds.release();
    if ((m.flags & FLAG_NO_REPLY) === 0 && !this.#closed) {
      if (failure === null) {
        try {
          if (!this.send(this.#reply(m, outcome!.body), outcome!.fds ?? NO_FDS, outcome!.sent)) reuse = false;
          outcome = null;
        } catch (e) {
          failure = e;
        }
        this.#replyOut.body = null;
      }
      if (failure !== null) this.#trySend(errorReply(m, errnoOf(failure)), NO_FDS);
    }
    // A reply that never went (NO_REPLY, closed, refused by the encoder): its fds are done with.
    outcome?.sent?.(new Error('the reply was not sent'));
    const closeAfter = this.#closeAfter;
    const deferred = this.#deferred;
    this.#closeAfter = false;
    this.#deferred = null;
    if (reuse) this.#decoder.recycle(frame, this.#poison);
    if (closeAfter) this.close();
    if (deferred !== null) for (const work of deferred) this.defer(work);
    this.#finished();
  }

  /**
   * Runs `work` on its own, outside the order of commands (see
   * {@link CommandControl.afterReply}); a failure goes to the
   * `deferredFailed` hook, or to `violation` without one.
   */
  defer(work: () => void | Promise<void>): void {
    void Promise.resolve()
      .then(work)
      .catch((e: unknown) => {
        const error = e instanceof Error ? e : new Error(String(e));
        if (this.#hooks.deferredFailed !== undefined) this.#hooks.deferredFailed(error);
        else this.#hooks.violation?.(error);
      });
  }

  #trySend(message: Message, fds: readonly number[]): void {
    try {
      this.send(message, fds);
    } catch (e) {
      this.#hooks.violation?.(e as Error);
    }
  }

  #ended(error: Error | null): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeError = error;
    this.#stopOutputTimer();
    closeFds(this.#decoder.close());
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    for (const p of [...this.#pending.values()]) {
      this.#settle(p);
      p.reject(this.#closedError(p.cmd));
    }
    this.#hooks.closed?.(error);
    this.#resolveClosed(error);
  }
}
