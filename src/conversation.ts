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
import { errorCodes, migration } from './spec.js';
import {
  COMMANDS,
  type CommandInfo,
  type FdRuleKind,
  VFIO_DEVICE_FEATURE_GET,
  VFIO_DEVICE_FEATURE_MASK,
  VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
  VFIO_DEVICE_FEATURE_PROBE,
  VFIO_DEVICE_FEATURE_SET,
  VFIO_DMA_UNMAP_FLAG_ALL,
  VFIO_IRQ_SET_DATA_EVENTFD,
  VFIO_USER_DEVICE_FEATURE,
  VFIO_USER_DEVICE_RESET,
  VFIO_USER_DEVICE_SET_IRQS,
  VFIO_USER_DMA_MAP,
  VFIO_USER_DMA_READ,
  VFIO_USER_DMA_UNMAP,
  VFIO_USER_DMA_WRITE,
  VFIO_USER_F_TYPE_COMMAND,
  VFIO_USER_F_TYPE_MASK,
  VFIO_USER_IOMMUFD_ALLOC_IOAS,
  VFIO_USER_IOMMUFD_ATTACH_PT,
  VFIO_USER_IOMMUFD_BIND,
  VFIO_USER_IOMMUFD_DESTROY_IOAS,
  VFIO_USER_IOMMUFD_DETACH_PT,
  VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP,
  VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES,
  VFIO_USER_IOMMUFD_IOAS_MAP,
  VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING,
  VFIO_USER_IOMMUFD_IOAS_UNMAP,
  VFIO_USER_IOMMUFD_MAP_FIXED_IOVA,
  VFIO_USER_MIG_DATA_READ,
  VFIO_USER_MIG_DATA_WRITE,
  VFIO_USER_REGION_READ,
  VFIO_USER_REGION_WRITE,
  VFIO_USER_VERSION,
} from '../generated/ts/constants.js';
import type { Message } from '../generated/ts/messages.js';
import { negotiate, type Negotiated, type VersionJson } from './capabilities.js';
import { commandName, decode, FLAG_NO_REPLY } from './codec.js';
import { VfioUserError, VfioUserProtocolError, type ErrorCode } from './errors.js';
import { checkReplyMaxima, checkServerRefusals, checkVersionReply, describeVerdict, dialectSpec, judge, meantFields, type Verdict } from './interop.js';
import { migrationPath } from './migration.js';
import { resolveOptions, type DialectName, type Limits, type ResolvedOptions } from './options.js';

/** The two ends of a connection. */
export type Side = 'client' | 'server';

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

/** The generated command table's entry of `cmd`, or undefined for a number the spec does not define. */
export function commandInfo(cmd: number): CommandInfo | undefined {
  return (COMMANDS as Readonly<Record<number, CommandInfo>>)[cmd];
}

/** The operation bits of vfio_user_device_feature.flags. */
const FEATURE_OP_MASK = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE;

/** Whether the capability path (`iommufd.supported`, `iommufd.fixed_iova`, ...) is in force. */
export function isNegotiated(path: string, n: Negotiated | null): boolean {
  if (n === null) return false;
  if (path === 'iommufd.supported') return n.iommufd;
  const [head, key] = path.split('.');
  if (head === 'iommufd' && key !== undefined && key in n.iommufdDrafts) return n.iommufdDrafts[key as keyof Negotiated['iommufdDrafts']];
  return false;
}
const VERSION = VFIO_USER_VERSION;

/**
 * Throws ERR_IOMMUFD_NOT_NEGOTIATED when `cmd` is an iommufd command (the
 * command table's gate `iommufd.supported`) and iommufd mode is off. A server
 * answers such a command with EINVAL (`error.errno`). Legacy
 * DMA_MAP/DMA_UNMAP stay valid in iommufd mode.
 */
export function checkIommufdGate(cmd: number, iommufd: boolean): void {
  if (commandInfo(cmd)?.negotiated === 'iommufd.supported' && !iommufd) {
    throw new VfioUserProtocolError('ERR_IOMMUFD_NOT_NEGOTIATED', `${commandName(cmd)} before both sides advertised iommufd`, 2, { cmd });
  }
}

/** Whether `fds` file descriptors satisfy the fd rule of a message. */
export function fdRuleAllows(rule: FdRuleKind, fds: number, message: Message): boolean {
  switch (rule.kind) {
    case 'none':
      return fds === 0;
    case 'exactly':
      return fds === rule.count;
    case 'optional':
      return fds <= 1;
    case 'indexed':
      return true;
    case 'per_vector': {
      if (message.kind !== 'command' || message.cmd !== VFIO_USER_DEVICE_SET_IRQS) return fds === 0;
      const { flags, count } = message.body;
      return (flags & VFIO_IRQ_SET_DATA_EVENTFD) !== 0 ? fds === 0 || fds === count : fds === 0;
    }
  }
}

/**
 * Follows one connection. Feed every message in wire order with
 * {@link observe}; read the state through the getters.
 */
export class Conversation {
  readonly #dialect: Record<Side, ResolvedOptions>;
  readonly #pending = new Map<string, Pending[]>();
  #seenCommand = false;
  #clientJson: VersionJson | null = null;
  #negotiated: Negotiated | null = null;
  #deviceState: number = migration.initial;
  /** DMA windows mapped, by `addr:size`. */
  readonly #dmaMaps = new Map<string, { readonly addr: bigint; readonly size: bigint }>();
  readonly #ioas = new Map<number, Set<string>>();
  #bound = false;
  #attached: number | null = null;

  constructor(options: ConversationOptions = {}) {
    // The negotiated max_data_xfer_size is checked as a rule (ERR_XFER_SIZE),
    // so the decoder only bounds transfers by the message size.
    const limits = { maxDataXferSize: Number.MAX_SAFE_INTEGER, ...options.limits };
    this.#dialect = {
      client: resolveOptions({ dialect: options.clientDialect ?? 'default', limits, allowUnknownCommands: true, drafts: true }),
      server: resolveOptions({ dialect: options.serverDialect ?? 'default', limits, allowUnknownCommands: true, drafts: true }),
    };
  }

  /** The negotiated session, once the VERSION reply was seen. */
  get negotiated(): Negotiated | null {
    return this.#negotiated;
  }

  /** Whether iommufd mode is on. */
  get iommufd(): boolean {
    return this.#negotiated?.iommufd ?? false;
  }

  /** The migration device state as far as the conversation shows. */
  get deviceState(): number {
    return this.#deviceState;
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
    const verdictViolation = (verdict: Verdict): Violation => ({
      seq: m.seq,
      code: verdict.kind === 'refused' ? 'ERR_INTEROP_REFUSED' : 'ERR_INTEROP_MISREAD',
      message: `the ${to} (${toD}) ${describeVerdict(verdict)}`,
      cmd: message.cmd,
      msg_id: message.msg_id,
      interop: verdict,
    });
    if (message.kind === 'raw' && isCommand && m.from === 'server') {
      // A server command the receiver does not know: QEMU answers ENOSYS.
      const serves = dialectSpec(toD).serves;
      if (serves !== undefined) out.push(verdictViolation({ kind: 'refused', errno: serves.unknownErrno, why: `${toD} serves only ${serves.commands.map(commandName).join(' and ')}` }));
    }
    if (fromD !== toD && message.kind !== 'raw') {
      const n = this.#negotiated;
      const xfer = to === 'server' ? n?.toServer.maxDataXferSize : n?.toClient.maxDataXferSize;
      let request = null;
      if (!isCommand) {
        const pending = this.#pending.get(this.#key(to, message.msg_id, message.cmd))?.[0];
        if (pending !== undefined) request = meantFields(pending.bytes, toD, message.cmd, 'request');
      }
      const verdict = judge(m.bytes, fromD, toD, message.cmd, kind, { maxDataXferSize: xfer ?? 1048576, request, fds: m.fds });
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
    if (message.kind === 'command' && to === 'server') {
      const refusal = checkServerRefusals(dialectSpec(toD), message.cmd, message.body, this.#deviceState, [...this.#dmaMaps.values()]);
      if (refusal !== null) out.push(verdictViolation({ kind: 'refused', ...refusal }));
    }
    if (message.kind === 'reply') {
      const reader = dialectSpec(toD);
      const refusal = message.cmd === VERSION ? checkVersionReply(reader, message.body) : checkReplyMaxima(reader, message.cmd, message.body);
      if (refusal !== null) out.push(verdictViolation({ kind: 'refused', ...refusal }));
    }
    return out;
  }

  /** A command whose body could not be decoded still awaits its reply: record it from its header. */
  #undecodableCommand(m: ObservedMessage): void {
    if (m.bytes.length < 16) return;
    const view = new DataView(m.bytes.buffer, m.bytes.byteOffset, 16);
    const flags = view.getUint32(8, true);
    if ((flags & VFIO_USER_F_TYPE_MASK) !== VFIO_USER_F_TYPE_COMMAND) return;
    const msgId = view.getUint16(0, true);
    const cmd = view.getUint16(2, true);
    if (m.from === 'client') this.#seenCommand = true;
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
    if (!this.#seenCommand && m.from === 'client') {
      this.#seenCommand = true;
      if (cmd !== VERSION) now.push(v('ERR_VERSION_FIRST', `the first command is ${commandName(cmd)}, not VERSION`));
    }
    const spec = commandInfo(cmd);
    if (spec !== undefined) {
      if (spec.sender !== m.from) deferred.push(v('ERR_WRONG_SENDER', `${spec.name} is sent by the ${spec.sender}`));
      if (m.fds !== null && !fdRuleAllows(spec.fds.request, m.fds, message)) deferred.push(v('ERR_FD_RULE', `${m.fds} fds do not fit ${spec.name}'s rule (${spec.fds.request.kind})`));
    }
    const socket = m.socket ?? null;
    if (socket !== null) {
      const twin = (this.#negotiated?.twinSocket ?? null) !== null;
      const expected: SocketName = twin && m.from === 'server' ? 'twin' : 'main';
      if (socket === 'twin' && !twin) now.push(v('ERR_WRONG_SOCKET', 'a message on a twin socket that was never granted'));
      else if (socket !== expected) deferred.push(v('ERR_WRONG_SOCKET', `a ${m.from} command on the ${socket} socket; in twin-socket mode the ${m.from}'s commands go on the ${expected} one`));
    }
    if (m.from === 'server') this.#commandBeforeReply(socket, now, v);
    const maxFds = to === 'server' ? this.#negotiated?.toServer.maxMsgFds : this.#negotiated?.toClient.maxMsgFds;
    if (m.fds !== null && m.fds > (maxFds ?? 1)) deferred.push(v('ERR_FD_LIMIT', `${m.fds} fds exceed the ${to}'s max_msg_fds ${maxFds ?? 1}`));
    if (message.kind === 'command') this.#commandRules(message, to, deferred, v);
    if (cmd === VERSION && message.kind === 'command') this.#clientJson = message.body.json;
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

  #commandRules(message: Message & { kind: 'command' }, to: Side, out: Violation[], v: (c: ErrorCode, t: string) => Violation): void {
    const n = this.#negotiated;
    const xfer = to === 'server' ? n?.toServer.maxDataXferSize : n?.toClient.maxDataXferSize;
    const limit = xfer ?? 1048576;
    const checkXfer = (count: number | bigint): void => {
      if (count > limit) out.push(v('ERR_XFER_SIZE', `count ${count} exceeds the ${to}'s max_data_xfer_size ${limit}`));
    };
    const spec = commandInfo(message.cmd);
    if (spec !== undefined && spec.negotiated !== null && !isNegotiated(spec.negotiated, n)) {
      out.push(v('ERR_IOMMUFD_NOT_NEGOTIATED', `${spec.name} before both sides advertised ${spec.negotiated}`));
    }
    const flags = (message.body as { flags?: unknown } | null)?.flags;
    for (const b of spec?.negotiatedBits ?? []) {
      if (typeof flags === 'number' && (flags & b.bit) !== 0 && !isNegotiated(b.path, n)) {
        out.push(v('ERR_IOMMUFD_NOT_NEGOTIATED', `${b.name} before both sides advertised ${b.path}`));
      }
    }
    switch (message.cmd) {
      case VFIO_USER_DMA_UNMAP: {
        const b = message.body;
        if ((b.flags & VFIO_DMA_UNMAP_FLAG_ALL) === 0 && !this.#dmaMaps.has(`${b.addr}:${b.size}`)) out.push(v('ERR_UNMAP_UNKNOWN', `no DMA_MAP of 0x${b.addr.toString(16)}+0x${b.size.toString(16)}`));
        break;
      }
      case VFIO_USER_REGION_READ:
      case VFIO_USER_REGION_WRITE:
        checkXfer(message.body.count);
        break;
      case VFIO_USER_DMA_READ:
      case VFIO_USER_DMA_WRITE:
        checkXfer(message.body.count);
        break;
      case VFIO_USER_DEVICE_FEATURE: {
        const b = message.body;
        if ((b.flags & VFIO_DEVICE_FEATURE_MASK) === VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE && (b.flags & FEATURE_OP_MASK) === VFIO_DEVICE_FEATURE_SET && b.data.kind === 'mig_state') {
          if (migrationPath(this.#deviceState, b.data.device_state) === null) {
            out.push(v('ERR_MIGRATION_ARC', `no allowed change from state ${this.#deviceState} to ${b.data.device_state}`));
          }
        }
        break;
      }
      case VFIO_USER_MIG_DATA_READ:
      case VFIO_USER_MIG_DATA_WRITE:
        checkXfer(message.body.size);
        break;
      case VFIO_USER_IOMMUFD_DESTROY_IOAS:
      case VFIO_USER_IOMMUFD_IOAS_MAP:
      case VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES:
      case VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING:
      case VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP:
        if (!this.#ioas.has(message.body.ioas_id)) out.push(v('ERR_IOAS_STATE', `no IOAS ${message.body.ioas_id}`));
        break;
      case VFIO_USER_IOMMUFD_IOAS_UNMAP: {
        const maps = this.#ioas.get(message.body.ioas_id);
        if (maps === undefined) out.push(v('ERR_IOAS_STATE', `no IOAS ${message.body.ioas_id}`));
        else if (!maps.has(`${message.body.iova}:${message.body.length}`)) out.push(v('ERR_UNMAP_UNKNOWN', `no IOAS_MAP of 0x${message.body.iova.toString(16)}+0x${message.body.length.toString(16)}`));
        break;
      }
      case VFIO_USER_IOMMUFD_ATTACH_PT:
        if (!this.#bound) out.push(v('ERR_IOAS_STATE', 'ATTACH_PT before BIND'));
        else if (!this.#ioas.has(message.body.pt_id)) out.push(v('ERR_IOAS_STATE', `no IOAS ${message.body.pt_id}`));
        break;
      case VFIO_USER_IOMMUFD_DETACH_PT:
        if (this.#attached === null) out.push(v('ERR_IOAS_STATE', 'DETACH_PT while not attached'));
        break;
      default:
        break;
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

  /** State changes of a command the receiver accepted. */
  #accepted(req: Message & { kind: 'command' }, rep: Message & { kind: 'reply' }, m: ObservedMessage, out: Violation[], v: (c: ErrorCode, t: string) => Violation): void {
    if (req.cmd === VFIO_USER_VERSION && rep.cmd === VFIO_USER_VERSION) {
      if (rep.body.major !== req.body.major || rep.body.minor > req.body.minor) {
        out.push(v('ERR_VERSION_MAJOR', `reply version ${rep.body.major}.${rep.body.minor} against proposal ${req.body.major}.${req.body.minor}`));
      }
      try {
        this.#negotiated = negotiate(this.#clientJson, rep.body.json, {
          clientDefaultMaxMsgFds: 1,
          serverDefaultMaxMsgFds: 1,
          ...(m.fds === null ? {} : { serverFds: m.fds }),
        });
      } catch (e) {
        if (!(e instanceof VfioUserError)) throw e;
        out.push(v(e.code, e.message));
      }
      return;
    }
    switch (req.cmd) {
      case VFIO_USER_DMA_MAP:
        this.#dmaMaps.set(`${req.body.addr}:${req.body.size}`, { addr: req.body.addr, size: req.body.size });
        break;
      case VFIO_USER_DMA_UNMAP:
        if ((req.body.flags & VFIO_DMA_UNMAP_FLAG_ALL) !== 0) this.#dmaMaps.clear();
        else this.#dmaMaps.delete(`${req.body.addr}:${req.body.size}`);
        break;
      case VFIO_USER_REGION_READ:
        if (rep.cmd === VFIO_USER_REGION_READ && rep.body !== null && (rep.body.count !== req.body.count || rep.body.offset !== req.body.offset || rep.body.region !== req.body.region)) {
          out.push(v('ERR_REPLY_MISMATCH', 'REGION_READ reply does not echo the request'));
        }
        break;
      case VFIO_USER_DMA_READ:
      case VFIO_USER_DMA_WRITE: {
        const body = rep.body as { offset?: bigint; addr?: bigint; count: number | bigint } | null;
        if (body !== null) {
          const addr = body.addr ?? body.offset;
          const rAddr = 'addr' in req.body ? req.body.addr : req.body.offset;
          if (addr !== rAddr || BigInt(body.count) !== BigInt(req.body.count)) out.push(v('ERR_REPLY_MISMATCH', `${commandName(req.cmd)} reply does not echo addr and count`));
        }
        break;
      }
      case VFIO_USER_DEVICE_RESET:
        // libvfio-user since 4f4fce4 leaves the state alone; the QEMU document returns to RUNNING.
        if (dialectSpec(this.#dialect.server.dialect).resetMigrationState === 'running') this.#deviceState = migration.initial;
        break;
      case VFIO_USER_DEVICE_FEATURE:
        if ((req.body.flags & VFIO_DEVICE_FEATURE_MASK) === VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE && (req.body.flags & FEATURE_OP_MASK) === VFIO_DEVICE_FEATURE_SET && req.body.data.kind === 'mig_state') {
          this.#deviceState = req.body.data.device_state;
        }
        break;
      case VFIO_USER_IOMMUFD_ALLOC_IOAS:
        if (rep.cmd === VFIO_USER_IOMMUFD_ALLOC_IOAS && rep.body !== null) this.#ioas.set(rep.body.out_ioas_id, new Set());
        break;
      case VFIO_USER_IOMMUFD_DESTROY_IOAS:
        this.#ioas.delete(req.body.ioas_id);
        break;
      case VFIO_USER_IOMMUFD_IOAS_MAP:
        if (rep.cmd === VFIO_USER_IOMMUFD_IOAS_MAP && rep.body !== null) {
          if ((req.body.flags & VFIO_USER_IOMMUFD_MAP_FIXED_IOVA) !== 0 && rep.body.iova !== req.body.iova) out.push(v('ERR_REPLY_MISMATCH', 'IOAS_MAP with FIXED_IOVA answered at another iova'));
          this.#ioas.get(req.body.ioas_id)?.add(`${rep.body.iova}:${rep.body.length}`);
        }
        break;
      case VFIO_USER_IOMMUFD_IOAS_UNMAP:
        this.#ioas.get(req.body.ioas_id)?.delete(`${req.body.iova}:${req.body.length}`);
        break;
      case VFIO_USER_IOMMUFD_BIND:
        this.#bound = true;
        break;
      case VFIO_USER_IOMMUFD_ATTACH_PT:
        this.#attached = req.body.pt_id;
        break;
      case VFIO_USER_IOMMUFD_DETACH_PT:
        this.#attached = null;
        break;
      default:
        break;
    }
  }
}
