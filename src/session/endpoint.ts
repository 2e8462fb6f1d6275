/**
 * One end of a vfio-user connection, client or server: frames what arrives
 * (FrameDecoder, so fds stay with their message), pairs replies with the
 * commands this end sent, runs the commands the other end sends one at a
 * time in arrival order and answers them, and writes every message in one
 * send with its fds. Client and ServerConnection are built on it.
 */
import { commands } from '../../spec/commands.js';
import type { Command, CommandByCmd, Message, ReplyByCmd } from '../../generated/ts/messages.js';
import { command, errorReply, reply, type KnownCmd } from '../build.js';
import { commandName, encode, encodeInto, encodingLength, FLAG_NO_REPLY, FLAG_TYPE_MASK } from '../codec.js';
import type { DirectionLimits } from '../capabilities.js';
import { fdRuleAllows, type Side, type SocketName } from '../conversation.js';
import { VfioUserError, VfioUserProtocolError } from '../errors.js';
import { FrameDecoder, type Frame } from '../frame.js';
import { resolveOptions, type DialectName, type Limits, type ResolvedOptions } from '../options.js';
import type { MessageHead } from './boundaries.js';
import type { Channel } from './channel.js';
import { errnoOf, VfioUserRemoteError, VfioUserSessionError } from './errors.js';
import { closeFds } from './fds.js';
import { splitTail } from './split.js';

/** One message as it went over the channel, for a capture. */
export interface TapEvent {
  /** `out`: this end sent it; `in`: it arrived and was framed. */
  readonly dir: 'in' | 'out';
  /** The socket it travelled on. */
  readonly socket: SocketName;
  /** The whole message, header included. */
  readonly bytes: Uint8Array;
  /** Number of fds that travelled with it. */
  readonly nfds: number;
  readonly message: Message;
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
  readonly #taken = new Set<number>();

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
    this.#taken.add(i);
    return fd;
  }

  /** Closes every fd not taken. */
  release(): void {
    closeFds(this.#fds.filter((_, i) => !this.#taken.has(i)));
  }
}

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
}

/** The hooks of an endpoint. */
export interface EndpointHooks {
  /**
   * Runs one command from the other end and gives the reply. Commands run
   * one at a time in arrival order. Throw to answer with an error reply
   * (errno from {@link errnoOf}). Not answered when the command has NO_REPLY.
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
  /** Which socket this endpoint runs on, for the tap. Default `main`. */
  readonly socket?: SocketName;
  readonly tap?: Tap;
}

interface Pending {
  readonly cmd: number;
  readonly msgId: number;
  readonly resolve: (frame: Frame) => void;
  readonly reject: (error: Error) => void;
  /** When the request times out (Date.now() ms), or 0 for never. */
  deadline: number;
}

/** Messages up to this size are encoded into the endpoint's scratch buffer (the channel copies them only if they must wait). */
const SCRATCH_SIZE = 4096;
const EMPTY = new Uint8Array(0);

const commandSpecs = new Map(commands.map((c) => [c.cmd, c]));

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
  #nextId = 1;
  /** The one timer of the request timeouts: due at #timerDue for the earliest deadline. */
  #timer: NodeJS.Timeout | null = null;
  #timerDue = 0;
  readonly #scratch = new Uint8Array(SCRATCH_SIZE);
  /** Views of the scratch buffer by length, made once each. */
  readonly #scratchViews: (Uint8Array | undefined)[] = [];
  readonly #onSendError = (error: Error | null): void => {
    if (error !== null && !this.#closed) this.#hooks.violation?.(error);
  };
  #chain: Promise<void> = Promise.resolve();
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

  /**
   * Sends a command and resolves with its reply and the reply's fds.
   * @throws (rejects) VfioUserRemoteError for an error reply;
   *   VfioUserSessionError ERR_CLOSED, ERR_TIMEOUT, ERR_BAD_REPLY;
   *   VfioUserProtocolError ERR_FD_LIMIT when `fds` exceed the peer's max_msg_fds;
   *   VfioUserEncodeError when the body does not encode.
   */
  request<C extends KnownCmd>(cmd: C, body: CommandByCmd[C]['body'], options: RequestOptions = {}): Promise<Answer<C>> {
    if (this.#closed) return Promise.reject(this.#closedError(cmd));
    let msgId: number;
    try {
      msgId = this.#allocateId(cmd);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const message = command(cmd, msgId, body);
    return new Promise<Answer<C>>((resolve, reject) => {
      const p: Pending = {
        cmd,
        msgId,
        resolve: (frame) => resolve({ reply: frame.message as ReplyByCmd[C], fds: frame.fds }),
        reject,
        deadline: 0,
      };
      try {
        this.send(message, options.fds ?? []);
      } catch (e) {
        reject(e as Error);
        return;
      }
      this.#pending.set(msgId, p);
      const timeout = options.timeoutMs ?? this.#timeoutMs;
      if (timeout > 0) {
        p.deadline = Date.now() + timeout;
        this.#arm(p.deadline);
      }
    });
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
  post<C extends KnownCmd>(cmd: C, body: CommandByCmd[C]['body'], fds: readonly number[] = []): void {
    if (this.#closed) throw this.#closedError(cmd);
    this.send(command(cmd, this.#allocateId(cmd), body, { noReply: true }), fds);
  }

  /**
   * Encodes and sends one message with its fds; `sent` is called once it
   * has left (error null) or failed to.
   * @throws VfioUserProtocolError ERR_FD_LIMIT when `fds` exceed the peer's
   *   max_msg_fds; VfioUserEncodeError when the message does not encode.
   */
  send(message: Message, fds: readonly number[], sent?: (error: Error | null) => void): void {
    if (fds.length > this.peerLimits.maxMsgFds) {
      throw new VfioUserProtocolError('ERR_FD_LIMIT', `${fds.length} fds exceed the peer's max_msg_fds ${this.peerLimits.maxMsgFds}`, 0, {
        cmd: message.cmd,
        value: fds.length,
        limit: this.peerLimits.maxMsgFds,
        limitName: 'max_msg_fds',
      });
    }
    const done =
      sent === undefined
        ? this.#onSendError
        : (error: Error | null): void => {
            sent(error);
            this.#onSendError(error);
          };
    const channel = this.#channel;
    const tap = this.#tap;
    const len = encodingLength(message, this.#write);
    if (tap === undefined && len <= SCRATCH_SIZE) {
      // Small: into the scratch buffer, which the channel copies only when the socket is full.
      encodeInto(message, this.#scratch, 0, this.#write);
      const bytes = (this.#scratchViews[len] ??= this.#scratch.subarray(0, len));
      channel.send(bytes, fds, done);
      return;
    }
    if (tap === undefined && channel.sendParts !== undefined) {
      // A large data tail goes out from the caller's own bytes: one sendmsg of [header + struct, data].
      const split = splitTail(message, this.#write, this.#write.dialect);
      if (split !== null) {
        channel.sendParts(split.head, split.tail, fds, done);
        return;
      }
    }
    const bytes = encode(message, this.#write);
    tap?.({ dir: 'out', socket: this.#socket, bytes, nfds: fds.length, message });
    // A fresh buffer: the channel may keep it by reference until it has left.
    if (channel.sendParts !== undefined) channel.sendParts(EMPTY, bytes, fds, done);
    else channel.send(bytes, fds, done);
  }

  /** Closes the channel; requests still waiting fail with ERR_CLOSED. */
  close(): void {
    this.#channel.close();
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
    for (;;) {
      let frame: Frame | null;
      try {
        frame = this.#decoder.next();
      } catch (e) {
        if (!(e instanceof VfioUserError)) throw e;
        if (this.#rejected(e)) continue;
        return;
      }
      if (frame === null) return;
      this.#frame(frame);
    }
  }

  /** A message the framer refused; returns false when the stream cannot go on. */
  #rejected(e: VfioUserError): boolean {
    closeFds(e.fds);
    e.fds = [];
    const at = e.streamOffset;
    const head: MessageHead | undefined = at === undefined || e.head === undefined ? undefined : { streamOffset: at, ...e.head };
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

  #frame(frame: Frame): void {
    const m = frame.message;
    this.#tap?.({ dir: 'in', socket: this.#socket, bytes: frame.bytes, nfds: frame.fds.length, message: m });
    if (m.kind === 'command') {
      const fds = new ReceivedFds(frame.fds);
      this.#chain = this.#chain.then(() => this.#run(m, fds));
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
    const spec = commandSpecs.get(m.cmd);
    if (spec !== undefined && !fdRuleAllows(spec.fds.reply, frame.fds.length, m)) {
      closeFds(frame.fds);
      const cause = new VfioUserProtocolError('ERR_FD_RULE', `${frame.fds.length} fds do not fit the ${spec.name} reply's rule (${spec.fds.reply.kind})`, 0, { cmd: m.cmd, msgId: m.msg_id });
      p.reject(new VfioUserSessionError('ERR_BAD_REPLY', cause.message, { cmd: m.cmd, msgId: m.msg_id, cause }));
      return;
    }
    p.resolve(frame);
  }

  #settle(p: Pending): void {
    this.#pending.delete(p.msgId);
    // Nothing waits: the timeout timer need not keep the process alive (it is kept to be re-armed cheaply).
    if (this.#pending.size === 0) this.#timer?.unref();
  }

  async #run(m: Command, fds: ReceivedFds): Promise<void> {
    if (this.#closed) {
      fds.release();
      return;
    }
    const noReply = (m.flags & FLAG_NO_REPLY) !== 0;
    let closeAfter = false;
    const control: CommandControl = { closeAfterReply: () => (closeAfter = true) };
    let outcome: Outcome | null = null;
    let failure: unknown = null;
    try {
      outcome = await this.#hooks.command(m, fds, control);
    } catch (e) {
      failure = e;
    }
    fds.release();
    if (!noReply && !this.#closed) {
      if (outcome !== null) {
        try {
          this.send(reply(m as { cmd: KnownCmd; msg_id: number }, outcome.body as never), outcome.fds ?? [], outcome.sent);
          outcome = null;
        } catch (e) {
          failure = e;
        }
      }
      if (failure !== null) this.#trySend(errorReply(m, errnoOf(failure)), []);
    }
    // A reply that never went (NO_REPLY, closed, refused by the encoder): its fds are done with.
    outcome?.sent?.(new Error('the reply was not sent'));
    if (closeAfter) this.close();
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
