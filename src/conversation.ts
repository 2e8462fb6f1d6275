/**
 * The conversation checker: follows one connection message by message,
 * pairs commands with replies, tracks negotiation and device state, and
 * reports every protocol rule a message breaks.
 *
 * A rule a command breaks is held until its reply: when the receiver
 * answers with an error reply it did its job (an error reply to a bad
 * request is legal traffic), so only a command the receiver accepted, or
 * one sent with NO_REPLY, is reported.
 */
import { errorCodes } from './spec.js';
import { DEFAULT_PEER_MAX_MSG_FDS, VFIO_USER_F_TYPE_COMMAND, VFIO_USER_F_TYPE_MASK, VFIO_USER_HEADER_OFFSET, VFIO_USER_HEADER_SIZE, VFIO_USER_VERSION } from '../generated/ts/constants.js';
import type { Message } from '../generated/ts/messages.js';
import type { Negotiated } from './capabilities.js';
import { commandName, decode, FLAG_NO_REPLY } from './codec.js';
import { VfioUserError, VfioUserProtocolError, type ErrorCode } from './errors.js';
import { checkReplyMaxima, checkVersionReply, describeVerdict, dialectSpec, judge, meantFields, type Verdict } from './interop.js';
import { commandInfo, ConnectionModel, fdRuleAllows, notNegotiated, type Rule, type Side } from './model/connection.js';
import { resolveOptions, type DialectName, type Limits, type ResolvedOptions } from './options.js';

export { commandInfo, fdRuleAllows, isNegotiated, type Side } from './model/connection.js';

/** The sockets of a connection: its own, and the twin socket of server-to-client commands. */
export type SocketName = 'main' | 'twin';

/** One message as it went over the wire. */
export interface ObservedMessage {
  /** Position in the capture; violations name it. */
  readonly seq: number;
  readonly from: Side;
  /** The whole message, header included. */
  readonly bytes: Uint8Array;
  /**
   * Number of file descriptors that travelled with it; null when the capture
   * does not say (fd rules and limits are then not checked for it).
   */
  readonly fds: number | null;
  /**
   * The socket it travelled on; null or absent when the capture does not
   * say (the twin-socket rules are then not checked for it).
   */
  readonly socket?: SocketName | null;
}

/** A broken rule. */
export interface Violation {
  readonly seq: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly cmd?: number;
  readonly msg_id?: number;
  /** For ERR_INTEROP_REFUSED and ERR_INTEROP_MISREAD: what the receiver does (errno, or the fields it misreads). */
  readonly interop?: Verdict;
}

/** Options of a {@link Conversation}. */
export interface ConversationOptions {
  /** Dialect the client writes and reads. Default `default`. */
  readonly clientDialect?: DialectName;
  /** Dialect the server writes and reads. Default `default`. */
  readonly serverDialect?: DialectName;
  /** Decode limits (both sides). */
  readonly limits?: Partial<Limits>;
}

/** What {@link Conversation.observe} found in one message. */
export interface Observation {
  /** The decoded message, or null when it could not be decoded. */
  readonly message: Message | null;
  /** The decode error, when there was one. */
  readonly error: VfioUserError | null;
  /** Rules broken, now (this message, or a command this reply accepted). */
  readonly violations: Violation[];
}

interface Pending {
  readonly seq: number;
  /** Null when the command could not be decoded (its reply still pairs with it). */
  readonly message: Message | null;
  readonly noReply: boolean;
  /** Rules the command breaks, reported only if the receiver accepts it. */
  readonly deferred: Violation[];
  /** The socket it came on, when known: its reply goes back on the same one. */
  readonly socket: SocketName | null;
  /** Its bytes: a reply's receiver compares the reply with what it asked. */
  readonly bytes: Uint8Array;
}

const VERSION = VFIO_USER_VERSION;

/**
 * Throws ERR_IOMMUFD_NOT_NEGOTIATED when `cmd` is an iommufd command (the
 * command table's gate `iommufd.supported`) and iommufd mode is off. A server
 * answers such a command with EINVAL (`error.errno`). Legacy
 * DMA_MAP/DMA_UNMAP stay valid in iommufd mode.
 */
export function checkIommufdGate(cmd: number, iommufd: boolean): void {
  const info = commandInfo(cmd);
  if (info?.negotiated === 'iommufd.supported' && !iommufd) {
    // The model's own rule, so the code and text are those a Conversation reports.
    const rule = notNegotiated(info.name, info.negotiated);
    throw new VfioUserProtocolError(rule.code, rule.message, 2, { cmd });
  }
}

/**
 * Follows one connection. Feed every message in wire order with
 * {@link observe}; read the state through the getters.
 */
export class Conversation {
  readonly #dialect: Record<Side, ResolvedOptions>;
  readonly #pending = new Map<string, Pending[]>();
  readonly #model: ConnectionModel;

  constructor(options: ConversationOptions = {}) {
    // The negotiated max_data_xfer_size is checked as a rule (ERR_XFER_SIZE),
    // so the decoder only bounds transfers by the message size.
    const limits = { maxDataXferSize: Number.MAX_SAFE_INTEGER, ...options.limits };
    this.#dialect = {
      client: resolveOptions({ dialect: options.clientDialect ?? 'default', limits, allowUnknownCommands: true, drafts: true }),
      server: resolveOptions({ dialect: options.serverDialect ?? 'default', limits, allowUnknownCommands: true, drafts: true }),
    };
    const clientDialect = this.#dialect.client.dialect;
    const serverDialect = this.#dialect.server.dialect;
    this.#model = new ConnectionModel({
      serverDialect,
      // A side that does not advertise max_msg_fds takes what the other end's dialect assumes of it.
      defaultMaxMsgFds: { client: DEFAULT_PEER_MAX_MSG_FDS[serverDialect], server: DEFAULT_PEER_MAX_MSG_FDS[clientDialect] },
    });
  }

  /** The connection's state as the messages so far show it. */
  get model(): ConnectionModel {
    return this.#model;
  }

  /** The negotiated session, once the VERSION reply was seen. */
  get negotiated(): Negotiated | null {
    return this.#model.negotiated;
  }

  /** Whether iommufd mode is on. */
  get iommufd(): boolean {
    return this.#model.negotiated?.iommufd ?? false;
  }

  /** The migration device state as far as the conversation shows. */
  get deviceState(): number {
    return this.#model.deviceState;
  }

  /** Commands still waiting for their reply. */
  get outstanding(): number {
    let n = 0;
    for (const list of this.#pending.values()) n += list.filter((p) => !p.noReply).length;
    return n;
  }

  /**
   * The refusals (ERR_INTEROP_REFUSED) held for commands that have no reply
   * yet, each returned once. A command its receiver refuses is legal traffic
   * when the error reply shows the refusal, so the verdict waits for the
   * reply: a success reply reports it, an error reply drops it. Call this at
   * the end of a capture for the commands that were never answered.
   */
  unanswered(): Violation[] {
    const out: Violation[] = [];
    for (const list of this.#pending.values()) {
      for (const p of list) {
        const held = p.deferred.filter((x) => x.code === 'ERR_INTEROP_REFUSED');
        if (held.length === 0) continue;
        out.push(...held);
        p.deferred.splice(0, p.deferred.length, ...p.deferred.filter((x) => x.code !== 'ERR_INTEROP_REFUSED'));
      }
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** Checks one message; see {@link Observation}. */
  observe(m: ObservedMessage): Observation {
    const to: Side = m.from === 'client' ? 'server' : 'client';
    const violations: Violation[] = [];
    let message: Message;
    try {
      message = decode(m.bytes, this.#dialect[m.from]);
    } catch (e) {
      if (!(e instanceof VfioUserError)) throw e;
      violations.push({ seq: m.seq, code: 'ERR_UNDECODABLE', message: `${e.code} at offset ${e.offset}: ${e.message}`, ...(e.cmd === undefined ? {} : { cmd: e.cmd }) });
      this.#undecodableCommand(m);
      return { message: null, error: e, violations };
    }
    const v = (code: ErrorCode, text: string): Violation => ({ seq: m.seq, code, message: text, cmd: message.cmd, msg_id: message.msg_id });
    const interop = this.#interop(m, message, to);
    if (message.kind === 'command' || (message.kind === 'raw' && (message.flags & VFIO_USER_F_TYPE_MASK) === VFIO_USER_F_TYPE_COMMAND)) {
      // A command the receiver refuses is legal traffic once its error reply shows the refusal: held like the other rules.
      violations.push(...interop.filter((x) => x.code !== 'ERR_INTEROP_REFUSED'));
      this.#command(m, message, to, violations, v, interop.filter((x) => x.code === 'ERR_INTEROP_REFUSED'));
    } else {
      violations.push(...interop);
      this.#reply(m, message, violations, v);
    }
    return { message, error: null, violations };
  }

  /**
   * What the receiver, reading its own dialect, does with the message: the
   * interop verdict (src/interop.ts) when the two sides write different
   * dialects, and the receiver's own checks of a VERSION or GET_INFO reply.
   */
  #interop(m: ObservedMessage, message: Message, to: Side): Violation[] {
    if (message.kind === 'error') return [];
    const isCommand = message.kind === 'command' || (message.kind === 'raw' && (message.flags & VFIO_USER_F_TYPE_MASK) === VFIO_USER_F_TYPE_COMMAND);
    const kind = isCommand ? 'request' : 'reply';
    const fromD = this.#dialect[m.from].dialect;
    const toD = this.#dialect[to].dialect;
    const out: Violation[] = [];
    const verdictViolation = (verdict: Verdict): Violation => this.#verdict(m.seq, to, message, verdict);
    if (message.kind === 'raw' && isCommand && m.from === 'server') {
      // A server command the receiver does not know: QEMU answers ENOSYS.
      const serves = dialectSpec(toD).serves;
      if (serves !== undefined) out.push(verdictViolation({ kind: 'refused', errno: serves.unknownErrno, why: `${toD} serves only ${serves.commands.map(commandName).join(' and ')}` }));
    }
    if (fromD !== toD && message.kind !== 'raw') {
      const xfer = this.#model.maxDataXferSize(m.from);
      let request = null;
      if (!isCommand) {
        const pending = this.#pending.get(this.#key(to, message.msg_id, message.cmd))?.[0];
        if (pending !== undefined) request = meantFields(pending.bytes, toD, message.cmd, 'request');
      }
      const verdict = judge(m.bytes, fromD, toD, message.cmd, kind, { maxDataXferSize: xfer, request, fds: m.fds });
      if (verdict !== null) {
        if (verdict.kind !== 'accepted') out.push(verdictViolation(verdict));
      } else {
        try {
          decode(m.bytes, this.#dialect[to]);
        } catch (e) {
          if (!(e instanceof VfioUserError)) throw e;
          const errno = errorCodes.find((x) => x.code === e.code)?.errno ?? 'EINVAL';
          out.push(verdictViolation({ kind: 'refused', errno: errno === 'E2BIG' ? 'E2BIG' : 'EINVAL', why: `it decodes it as ${e.code} at offset ${e.offset}` }));
        }
      }
    }
    if (message.kind === 'reply') {
      const reader = dialectSpec(toD);
      const refusal = message.cmd === VERSION ? checkVersionReply(reader, message.body) : checkReplyMaxima(reader, message.cmd, message.body);
      if (refusal !== null) out.push(verdictViolation({ kind: 'refused', ...refusal }));
    }
    return out;
  }

  /** The violation of a receiver's verdict on a message. */
  #verdict(seq: number, to: Side, message: Message, verdict: Verdict): Violation {
    return {
      seq,
      code: verdict.kind === 'refused' ? 'ERR_INTEROP_REFUSED' : 'ERR_INTEROP_MISREAD',
      message: `the ${to} (${this.#dialect[to].dialect}) ${describeVerdict(verdict)}`,
      cmd: message.cmd,
      msg_id: message.msg_id,
      interop: verdict,
    };
  }

  /** A command whose body could not be decoded still awaits its reply: record it from its header. */
  #undecodableCommand(m: ObservedMessage): void {
    if (m.bytes.length < VFIO_USER_HEADER_SIZE) return;
    const view = new DataView(m.bytes.buffer, m.bytes.byteOffset, VFIO_USER_HEADER_SIZE);
    const flags = view.getUint32(VFIO_USER_HEADER_OFFSET.flags, true);
    if ((flags & VFIO_USER_F_TYPE_MASK) !== VFIO_USER_F_TYPE_COMMAND) return;
    const msgId = view.getUint16(VFIO_USER_HEADER_OFFSET.msg_id, true);
    const cmd = view.getUint16(VFIO_USER_HEADER_OFFSET.cmd, true);
    this.#model.first(m.from, cmd);
    const key = this.#key(m.from, msgId, cmd);
    const list = this.#pending.get(key) ?? [];
    list.push({ seq: m.seq, message: null, noReply: (flags & FLAG_NO_REPLY) !== 0, deferred: [], socket: m.socket ?? null, bytes: m.bytes });
    this.#pending.set(key, list);
  }

  #key(from: Side, msgId: number, cmd: number): string {
    return `${from}:${msgId}:${cmd}`;
  }

  #command(m: ObservedMessage, message: Message, to: Side, now: Violation[], v: (c: ErrorCode, t: string) => Violation, refused: readonly Violation[]): void {
    const deferred: Violation[] = [...refused];
    const cmd = message.cmd;
    // What the server's dialect refuses is the receiver's verdict; the other rules are the protocol's.
    const asViolation = (r: Rule): Violation =>
      r.code === 'ERR_INTEROP_REFUSED' && r.errno !== undefined ? this.#verdict(m.seq, to, message, { kind: 'refused', errno: r.errno, why: r.message }) : v(r.code, r.message);
    // A first command other than VERSION is reported at once; the other rules (VERSION again among them) wait for the receiver's answer.
    for (const r of this.#model.check(m.from, message, m.fds)) (r.code === 'ERR_VERSION_FIRST' && cmd !== VERSION ? now : deferred).push(asViolation(r));
    const socket = m.socket ?? null;
    if (socket !== null) {
      const twin = (this.#model.negotiated?.twinSocket ?? null) !== null;
      const expected: SocketName = twin && m.from === 'server' ? 'twin' : 'main';
      if (socket === 'twin' && !twin) now.push(v('ERR_WRONG_SOCKET', 'a message on a twin socket that was never granted'));
      else if (socket !== expected) deferred.push(v('ERR_WRONG_SOCKET', `a ${m.from} command on the ${socket} socket; in twin-socket mode the ${m.from}'s commands go on the ${expected} one`));
    }
    if (m.from === 'server') this.#commandBeforeReply(socket, now, v);
    const noReply = (message.flags & FLAG_NO_REPLY) !== 0;
    if (noReply) now.push(...deferred);
    const key = this.#key(m.from, message.msg_id, cmd);
    const list = this.#pending.get(key) ?? [];
    list.push({ seq: m.seq, message, noReply, deferred, socket, bytes: m.bytes });
    this.#pending.set(key, list);
  }

  /**
   * A server command on a socket where a client command still awaits its
   * reply (the socket `main` when the capture does not say): the deadlock
   * pattern of a server that waits for its DMA before it answers.
   */
  #commandBeforeReply(socket: SocketName | null, now: Violation[], v: (c: ErrorCode, t: string) => Violation): void {
    const on = socket ?? 'main';
    for (const [key, list] of this.#pending) {
      if (!key.startsWith('client:')) continue;
      const waiting = list.find((p) => !p.noReply && (p.socket ?? 'main') === on);
      if (waiting === undefined) continue;
      const what = waiting.message === null ? `command #${waiting.seq}` : `${commandName(waiting.message.cmd)} (msg_id ${waiting.message.msg_id}, #${waiting.seq})`;
      now.push(v('ERR_COMMAND_BEFORE_REPLY', `a server command on the ${on} socket while the client's ${what} awaits its reply there`));
      return;
    }
  }

  #reply(m: ObservedMessage, message: Message, now: Violation[], v: (c: ErrorCode, t: string) => Violation): void {
    const other: Side = m.from === 'client' ? 'server' : 'client';
    const key = this.#key(other, message.msg_id, message.cmd);
    const list = this.#pending.get(key);
    const pending = list?.shift();
    if (list !== undefined && list.length === 0) this.#pending.delete(key);
    if (pending === undefined) {
      now.push(v('ERR_ORPHAN_REPLY', `no ${commandName(message.cmd)} with msg_id ${message.msg_id} from the ${other} awaits a reply`));
      return;
    }
    if (pending.noReply) {
      const habit = message.kind === 'error' && dialectSpec(this.#dialect[m.from].dialect).errorRepliesToNoReply === true;
      now.push(v('ERR_REPLY_TO_NO_REPLY', `the command at seq ${pending.seq} was sent with NO_REPLY${habit ? ` (the ${m.from}'s dialect, ${this.#dialect[m.from].dialect}, answers errors even to NO_REPLY commands)` : ''}`));
    }
    const socket = m.socket ?? null;
    if (socket !== null && pending.socket !== null && socket !== pending.socket) {
      now.push(v('ERR_WRONG_SOCKET', `a reply on the ${socket} socket to the command at seq ${pending.seq}, which came on the ${pending.socket} one`));
    }
    if (message.kind === 'error') return;
    now.push(...pending.deferred);
    const spec = commandInfo(message.cmd);
    if (spec !== undefined && m.fds !== null && !fdRuleAllows(spec.fds.reply, m.fds, message)) now.push(v('ERR_FD_RULE', `${m.fds} fds do not fit the ${spec.name} reply's rule (${spec.fds.reply.kind})`));
    if (message.kind === 'reply' && pending.message !== null && pending.message.kind === 'command') this.#accepted(pending.message, message, m, now, v);
  }

  /** State changes of a command the receiver accepted, and what is wrong with the reply. */
  #accepted(req: Message & { kind: 'command' }, rep: Message & { kind: 'reply' }, m: ObservedMessage, out: Violation[], v: (c: ErrorCode, t: string) => Violation): void {
    for (const r of this.#model.apply(req, rep.body as never, m.fds)) out.push(v(r.code, r.message));
  }
}
