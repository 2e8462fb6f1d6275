/**
 * The state of one vfio-user connection and the rules it puts on the next
 * message: one model, used by the checker (src/conversation.ts), the server
 * (src/session/server.ts) and the client (src/session/client.ts).
 *
 * It is pure: no I/O, no fds, no timers. {@link ConnectionModel.check} says
 * what is wrong with a command in the connection's present state (empty: the
 * command may go); {@link ConnectionModel.apply} advances the state once the
 * receiver accepted a command (a success reply, or a NO_REPLY command).
 * What the model tracks: VERSION first and the negotiated capabilities, the
 * legacy DMA windows, the IOAS objects with their mappings, IOMMUFD bind and
 * attach, the migration device state with its data phase, and dirty logging.
 */
import {
  CAPABILITY_DEFAULTS,
  COMMANDS,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
  VFIO_DEVICE_FEATURE_GET,
  VFIO_DEVICE_FEATURE_MASK,
  VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
  VFIO_DEVICE_FEATURE_PROBE,
  VFIO_DEVICE_FEATURE_SET,
  VFIO_DMA_UNMAP_FLAG_ALL,
  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
  VFIO_IRQ_SET_DATA_EVENTFD,
  VFIO_USER_F_DMA_REGION_FILE_IO,
  VFIO_USER_F_DMA_REGION_MMAP,
  VFIO_USER_DEVICE_FEATURE,
  VFIO_USER_DEVICE_RESET,
  VFIO_USER_DEVICE_SET_IRQS,
  VFIO_USER_DMA_MAP,
  VFIO_USER_DMA_READ,
  VFIO_USER_DMA_UNMAP,
  VFIO_USER_DMA_WRITE,
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
  type CommandInfo,
  type FdRuleKind,
} from '../../generated/ts/constants.js';
import type { Command, CommandByCmd, Message, ReplyByCmd } from '../../generated/ts/messages.js';
import type { DialectName } from '../../generated/ts/types.js';
import { DEFAULT_DIALECT, dialects, migration, type DialectSpec, type ErrnoName } from '../spec.js';
import { checkServerRefusals } from './refusals.js';
import { negotiate, type Negotiated } from '../capabilities.js';
import { VfioUserError, type ErrorCode } from '../errors.js';
import { migrationPath } from '../migration.js';

/** The two ends of a connection. */
export type Side = 'client' | 'server';

/** A rule a message breaks, as the model finds it. */
export interface Rule {
  readonly code: ErrorCode;
  readonly message: string;
  /**
   * The errno name a server answers with when it is not the catalogue's for
   * `code` (an IOAS that does not exist is ENOENT, while ERR_IOAS_STATE is
   * EINVAL), or the one its dialect refuses with (ERR_INTEROP_REFUSED).
   */
  readonly errno?: ErrnoName;
}

/** Options of a {@link ConnectionModel}. */
export interface ModelOptions {
  /**
   * The server's dialect (spec/dialects.ts): the commands it refuses although
   * the protocol lets them through (`serverRefuses`, reported as
   * ERR_INTEROP_REFUSED with its errno), the errnos of its iommufd state
   * rules (`iommufdErrnos`), and what DEVICE_RESET does to the migration
   * state. Default `default`.
   */
  readonly serverDialect?: DialectName;
  /**
   * DEVICE_RESET's effect on the migration state: `unchanged` (libvfio-user
   * since 4f4fce4, the default dialect) or back to `running` (the QEMU
   * document). Default: the server dialect's, else `unchanged`.
   */
  readonly resetMigrationState?: 'running' | 'unchanged';
  /**
   * The max_msg_fds assumed for a side whose VERSION JSON does not give it:
   * an end assumes what its dialect assumes of its peer
   * (`DEFAULT_PEER_MAX_MSG_FDS`; QEMU assumes 8). Default: the protocol's
   * default for both (`CAPABILITY_DEFAULTS.max_msg_fds`).
   */
  readonly defaultMaxMsgFds?: { readonly client?: number; readonly server?: number };
}

/** A window of memory, by its start and length. */
export interface Range {
  readonly addr: bigint;
  readonly size: bigint;
}

/** The command table's entry of `cmd`, or undefined for a number the spec does not define. */
export function commandInfo(cmd: number): CommandInfo | undefined {
  return (COMMANDS as Readonly<Record<number, CommandInfo>>)[cmd];
}

/** Whether `fds` file descriptors satisfy an fd rule of the command table. */
export function fdRuleAllows(rule: FdRuleKind, fds: number, message: Message): boolean {
  switch (rule.kind) {
    case 'none':
      return fds === 0;
    case 'exactly':
      return fds === rule.count;
    case 'optional':
      // DMA_MAP's fd is required with MMAP or FILE_IO.
      if (message.kind === 'command' && message.cmd === VFIO_USER_DMA_MAP && (message.body.flags & DMA_MAP_NEEDS_FD) !== 0) return fds === 1;
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

/** Whether the capability path (`iommufd.supported`, `iommufd.fixed_iova`, ...) is in force. */
export function isNegotiated(path: string, n: Negotiated | null): boolean {
  if (n === null) return false;
  if (path === 'iommufd.supported') return n.iommufd;
  if (path === 'write_multiple') return n.writeMultiple;
  const [head, key] = path.split('.');
  if (head === 'iommufd' && key !== undefined && key in n.iommufdDrafts) return n.iommufdDrafts[key as keyof Negotiated['iommufdDrafts']];
  return false;
}

/**
 * The rule broken by `name` sent before the capability at `path` was
 * advertised: by both sides for the iommufd keys, by the server for
 * write_multiple.
 */
export function notNegotiated(name: string, path: string): Rule {
  return path.startsWith('iommufd.')
    ? { code: 'ERR_IOMMUFD_NOT_NEGOTIATED', message: `${name} before both sides advertised ${path}` }
    : { code: 'ERR_NOT_ADVERTISED', message: `${name} to a server that did not advertise ${path}` };
}

/** The DMA_MAP flags that reach the window through its fd. */
const DMA_MAP_NEEDS_FD = VFIO_USER_F_DMA_REGION_MMAP | VFIO_USER_F_DMA_REGION_FILE_IO;

/** The operation bits of vfio_user_device_feature.flags. */
const FEATURE_OP_MASK = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE;

/** A DEVICE_FEATURE body's feature index when its operation is SET alone, else null. */
function featureSet(flags: number): number | null {
  return (flags & FEATURE_OP_MASK) === VFIO_DEVICE_FEATURE_SET ? flags & VFIO_DEVICE_FEATURE_MASK : null;
}

/** A dialect's spec by name. */
function dialectOf(name: string): DialectSpec {
  const d = dialects.find((x) => x.name === name);
  if (d === undefined) throw new Error(`spec: no dialect ${name}`);
  return d;
}

/** The iommufd state errnos of the default dialect, for a dialect that does not give its own. */
const DEFAULT_IOMMUFD_ERRNOS = dialectOf(DEFAULT_DIALECT).iommufdErrnos!;

/** No rule broken. */
const NONE: readonly Rule[] = Object.freeze([]);

function peer(from: Side): Side {
  return from === 'client' ? 'server' : 'client';
}

function key(addr: bigint, size: bigint): string {
  return `${addr}:${size}`;
}

function hex(n: bigint): string {
  return `0x${n.toString(16)}`;
}

/** One connection's protocol state; see the module doc. */
export class ConnectionModel {
  readonly #resetToRunning: boolean;
  /** The server dialect, when it refuses commands the protocol lets through. */
  readonly #refusing: DialectSpec | null;
  readonly #iommufdErrnos: NonNullable<DialectSpec['iommufdErrnos']>;
  readonly #negotiateOptions: { readonly clientDefaultMaxMsgFds?: number; readonly serverDefaultMaxMsgFds?: number };
  #firstSeen = false;
  #negotiated: Negotiated | null = null;
  #deviceState: number = migration.initial;
  readonly #dma = new Map<string, Range>();
  readonly #ioas = new Map<number, Map<string, Range>>();
  #bound = false;
  #attached: number | null = null;
  #logging: bigint | null = null;

  constructor(options: ModelOptions = {}) {
    const server = dialectOf(options.serverDialect ?? DEFAULT_DIALECT);
    this.#resetToRunning = (options.resetMigrationState ?? server.resetMigrationState) === 'running';
    this.#refusing = (server.serverRefuses?.length ?? 0) > 0 ? server : null;
    this.#iommufdErrnos = server.iommufdErrnos ?? DEFAULT_IOMMUFD_ERRNOS;
    const d = options.defaultMaxMsgFds;
    this.#negotiateOptions = {
      ...(d?.client === undefined ? {} : { clientDefaultMaxMsgFds: d.client }),
      ...(d?.server === undefined ? {} : { serverDefaultMaxMsgFds: d.server }),
    };
  }

  /** The negotiated session, once a VERSION was accepted. */
  get negotiated(): Negotiated | null {
    return this.#negotiated;
  }

  /** The migration device state. */
  get deviceState(): number {
    return this.#deviceState;
  }

  /** The legacy DMA windows (DMA_MAP), by `addr:size`. */
  get dmaWindows(): ReadonlyMap<string, Range> {
    return this.#dma;
  }

  /** The IOAS ids, each with its mappings by `iova:length`. */
  get ioas(): ReadonlyMap<number, ReadonlyMap<string, Range>> {
    return this.#ioas;
  }

  /** Whether IOMMUFD_BIND was accepted. */
  get bound(): boolean {
    return this.#bound;
  }

  /** The IOAS the device is attached to, or null. */
  get attached(): number | null {
    return this.#attached;
  }

  /** The dirty-logging page size while DMA logging is on, else null. */
  get logging(): bigint | null {
    return this.#logging;
  }

  /** The most fds the receiver of a message from `from` takes in one message. */
  maxMsgFds(from: Side): number {
    const n = this.#negotiated;
    if (n !== null) return from === 'client' ? n.toServer.maxMsgFds : n.toClient.maxMsgFds;
    return (from === 'client' ? this.#negotiateOptions.serverDefaultMaxMsgFds : this.#negotiateOptions.clientDefaultMaxMsgFds) ?? CAPABILITY_DEFAULTS.max_msg_fds;
  }

  /** The largest data count the receiver of a message from `from` takes. */
  maxDataXferSize(from: Side): number {
    const n = this.#negotiated;
    return (from === 'client' ? n?.toServer.maxDataXferSize : n?.toClient.maxDataXferSize) ?? CAPABILITY_DEFAULTS.max_data_xfer_size;
  }

  /**
   * The rules `message`, a command from `from` carrying `fds` file
   * descriptors (null: not known), breaks in the present state, in the order
   * a receiver checks them: VERSION first, the sender, the fd rule and
   * limit, the capability gates, what the server's dialect refuses, the
   * migration data phase, then the state rules (with the transfer limit).
   * Empty when the command may go. It changes nothing but the note that a
   * first command was seen.
   */
  check(from: Side, message: Message, fds: number | null): readonly Rule[] {
    // No array until a rule is broken: the common path allocates nothing.
    let out: Rule[] | null = null;
    const cmd = message.cmd;
    const first = this.first(from, cmd);
    if (first !== null) (out ??= []).push(first);
    else if (cmd === VFIO_USER_VERSION && this.#negotiated !== null) (out ??= []).push({ code: 'ERR_VERSION_FIRST', message: 'VERSION again, after the connection negotiated' });
    const info = commandInfo(cmd);
    if (info === undefined || message.kind !== 'command') return out ?? NONE;
    if (info.sender !== from) (out ??= []).push({ code: 'ERR_WRONG_SENDER', message: `${info.name} is sent by the ${info.sender}` });
    if (fds !== null && !fdRuleAllows(info.fds.request, fds, message)) (out ??= []).push({ code: 'ERR_FD_RULE', message: `${fds} fds do not fit ${info.name}'s rule (${info.fds.request.kind})` });
    if (fds !== null && fds > this.maxMsgFds(from)) (out ??= []).push({ code: 'ERR_FD_LIMIT', message: `${fds} fds exceed the ${peer(from)}'s max_msg_fds ${this.maxMsgFds(from)}` });
    if (info.negotiated !== null && !isNegotiated(info.negotiated, this.#negotiated)) (out ??= []).push(notNegotiated(info.name, info.negotiated));
    if (info.negotiatedBits.length > 0) {
      const flags = (message.body as { flags?: unknown } | null)?.flags;
      const bit = this.#bitGate(info, typeof flags === 'number' ? flags : 0);
      if (bit !== null) (out ??= []).push(bit);
    }
    if (this.#refusing !== null && from === 'client') {
      const r = checkServerRefusals(this.#refusing, cmd, message.body, this.#deviceState, this.#dma.values());
      if (r !== null) (out ??= []).push({ code: 'ERR_INTEROP_REFUSED', message: r.why, errno: r.errno });
    }
    const phase = this.#phaseRule(message);
    if (phase !== null) (out ??= []).push(phase);
    const state = this.#stateRule(from, message);
    if (state !== null) (out ??= []).push(state);
    return out ?? NONE;
  }

  /**
   * The capability gate alone: ERR_IOMMUFD_NOT_NEGOTIATED (ERR_NOT_ADVERTISED
   * for write_multiple) when `cmd`, or a
   * bit of its request `flags`, needs a capability both sides did not
   * advertise (the command table's `negotiated` and `negotiatedBits`).
   */
  gate(cmd: number, flags = 0): Rule | null {
    const info = commandInfo(cmd);
    if (info === undefined) return null;
    if (info.negotiated !== null && !isNegotiated(info.negotiated, this.#negotiated)) return notNegotiated(info.name, info.negotiated);
    return this.#bitGate(info, flags);
  }

  #bitGate(info: CommandInfo, flags: number): Rule | null {
    for (const b of info.negotiatedBits) {
      if ((flags & b.bit) !== 0 && !isNegotiated(b.path, this.#negotiated)) return notNegotiated(b.name, b.path);
    }
    return null;
  }

  /**
   * Notes a command from `from` whose body may not be known (it did not
   * decode): ERR_VERSION_FIRST when it is the client's first and not VERSION.
   */
  first(from: Side, cmd: number): Rule | null {
    if (from !== 'client' || this.#firstSeen) return null;
    this.#firstSeen = true;
    return cmd === VFIO_USER_VERSION ? null : { code: 'ERR_VERSION_FIRST', message: `the first command is ${commandInfo(cmd)?.name ?? `command ${cmd}`}, not VERSION` };
  }

  /** The rule of the connection's state a command breaks, if any. */
  #stateRule(from: Side, message: Command): Rule | null {
    switch (message.cmd) {
      case VFIO_USER_DMA_UNMAP: {
        const b = message.body;
        if ((b.flags & VFIO_DMA_UNMAP_FLAG_ALL) === 0 && !this.#dma.has(key(b.addr, b.size))) return { code: 'ERR_UNMAP_UNKNOWN', message: `no DMA_MAP of ${hex(b.addr)}+${hex(b.size)}` };
        return (b.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) !== 0 ? this.#loggingOff('DMA_UNMAP with GET_DIRTY_BITMAP') : null;
      }
      case VFIO_USER_REGION_READ:
      case VFIO_USER_REGION_WRITE:
      case VFIO_USER_DMA_READ:
      case VFIO_USER_DMA_WRITE:
        return this.#xfer(from, message.body.count);
      case VFIO_USER_MIG_DATA_READ:
      case VFIO_USER_MIG_DATA_WRITE:
        return this.#xfer(from, message.body.size);
      case VFIO_USER_DEVICE_FEATURE: {
        const b = message.body;
        if ((b.flags & FEATURE_OP_MASK) === VFIO_DEVICE_FEATURE_GET && (b.flags & VFIO_DEVICE_FEATURE_MASK) === VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT) return this.#loggingOff('DMA_LOGGING_REPORT');
        if (featureSet(b.flags) !== VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE || b.data.kind !== 'mig_state' || migrationPath(this.#deviceState, b.data.device_state) !== null) return null;
        return { code: 'ERR_MIGRATION_ARC', message: `no allowed change from state ${this.#deviceState} to ${b.data.device_state}` };
      }
      case VFIO_USER_IOMMUFD_DESTROY_IOAS: {
        const id = message.body.ioas_id;
        return this.#noIoas(id) ?? (this.#attached === id ? { code: 'ERR_IOAS_STATE', message: `IOAS ${id} is attached`, errno: this.#iommufdErrnos.destroyAttached } : null);
      }
      case VFIO_USER_IOMMUFD_BIND:
        return this.#bound ? { code: 'ERR_IOAS_STATE', message: 'BIND again', errno: this.#iommufdErrnos.bindAgain } : null;
      case VFIO_USER_IOMMUFD_IOAS_MAP:
      case VFIO_USER_IOMMUFD_IOAS_IOVA_RANGES:
      case VFIO_USER_IOMMUFD_IOAS_SET_DIRTY_TRACKING:
      case VFIO_USER_IOMMUFD_IOAS_GET_DIRTY_BITMAP:
        return this.#noIoas(message.body.ioas_id);
      case VFIO_USER_IOMMUFD_IOAS_UNMAP: {
        const b = message.body;
        const maps = this.#ioas.get(b.ioas_id);
        if (maps === undefined) return this.#noIoas(b.ioas_id);
        return maps.has(key(b.iova, b.length)) ? null : { code: 'ERR_UNMAP_UNKNOWN', message: `no IOAS_MAP of ${hex(b.iova)}+${hex(b.length)}` };
      }
      case VFIO_USER_IOMMUFD_ATTACH_PT:
        return this.#bound ? this.#noIoas(message.body.pt_id) : { code: 'ERR_IOAS_STATE', message: 'ATTACH_PT before BIND' };
      case VFIO_USER_IOMMUFD_DETACH_PT:
        return this.#attached === null ? { code: 'ERR_IOAS_STATE', message: 'DETACH_PT while not attached' } : null;
      default:
        return null;
    }
  }

  /** Migration data only in its phase: read while the device saves, written while it loads (spec/migration.ts). */
  #phaseRule(message: Command): Rule | null {
    const cmd = message.cmd;
    if (cmd !== VFIO_USER_MIG_DATA_READ && cmd !== VFIO_USER_MIG_DATA_WRITE) return null;
    const states = cmd === VFIO_USER_MIG_DATA_READ ? migration.saving : migration.loading;
    if (states.includes(this.#deviceState)) return null;
    return { code: 'ERR_MIGRATION_PHASE', message: `${commandInfo(cmd)!.name} in state ${this.#deviceState}, not in ${states.join(' or ')}` };
  }

  /** A dirty bitmap needs dirty logging on (DMA_LOGGING_START). */
  #loggingOff(what: string): Rule | null {
    return this.#logging === null ? { code: 'ERR_DIRTY_LOGGING', message: `${what} while dirty logging is off` } : null;
  }

  #xfer(from: Side, count: number | bigint): Rule | null {
    const limit = this.maxDataXferSize(from);
    return count > limit ? { code: 'ERR_XFER_SIZE', message: `count ${count} exceeds the ${peer(from)}'s max_data_xfer_size ${limit}` } : null;
  }

  #noIoas(id: number): Rule | null {
    return this.#ioas.has(id) ? null : { code: 'ERR_IOAS_STATE', message: `no IOAS ${id}`, errno: 'ENOENT' };
  }

  /**
   * Advances the state past `request`, which its receiver accepted with a
   * reply of body `reply` (null: none, as for a command sent with NO_REPLY);
   * `fds` is the number of fds the reply carried (null: not known). Returns
   * what is wrong with the reply itself: a version or capabilities the
   * protocol does not allow, a reply that does not echo its command.
   */
  apply<C extends Command['cmd']>(request: CommandByCmd[C], reply: ReplyByCmd[C]['body'] | null, fds: number | null = null): readonly Rule[] {
    const q = request as Command;
    switch (q.cmd) {
      case VFIO_USER_VERSION:
        // A side that applies VERSION without checking it first (the client) has seen its first command.
        this.#firstSeen = true;
        return reply === null ? NONE : this.#version(q.body, reply as ReplyByCmd[typeof VFIO_USER_VERSION]['body'], fds);
      case VFIO_USER_DMA_MAP:
        this.#dma.set(key(q.body.addr, q.body.size), { addr: q.body.addr, size: q.body.size });
        return NONE;
      case VFIO_USER_DMA_UNMAP:
        if ((q.body.flags & VFIO_DMA_UNMAP_FLAG_ALL) !== 0) this.#dma.clear();
        else this.#dma.delete(key(q.body.addr, q.body.size));
        return NONE;
      case VFIO_USER_REGION_READ: {
        const r = reply as ReplyByCmd[typeof VFIO_USER_REGION_READ]['body'];
        if (r === null || (r.count === q.body.count && r.offset === q.body.offset && r.region === q.body.region)) return NONE;
        return [{ code: 'ERR_REPLY_MISMATCH', message: 'REGION_READ reply does not echo the request' }];
      }
      case VFIO_USER_DMA_READ:
      case VFIO_USER_DMA_WRITE:
        return this.#dmaEcho(q, reply as { offset?: bigint; addr?: bigint; count: number | bigint } | null);
      case VFIO_USER_DEVICE_RESET:
        if (this.#resetToRunning) this.#deviceState = migration.initial;
        return NONE;
      case VFIO_USER_DEVICE_FEATURE:
        this.#feature(q.body);
        return NONE;
      case VFIO_USER_IOMMUFD_ALLOC_IOAS: {
        const r = reply as ReplyByCmd[typeof VFIO_USER_IOMMUFD_ALLOC_IOAS]['body'] | null;
        if (r !== null) this.#ioas.set(r.out_ioas_id, new Map());
        return NONE;
      }
      case VFIO_USER_IOMMUFD_DESTROY_IOAS:
        this.#ioas.delete(q.body.ioas_id);
        return NONE;
      case VFIO_USER_IOMMUFD_IOAS_MAP: {
        const r = reply as ReplyByCmd[typeof VFIO_USER_IOMMUFD_IOAS_MAP]['body'] | null;
        if (r === null) return NONE;
        this.#ioas.get(q.body.ioas_id)?.set(key(r.iova, r.length), { addr: r.iova, size: r.length });
        if ((q.body.flags & VFIO_USER_IOMMUFD_MAP_FIXED_IOVA) === 0 || r.iova === q.body.iova) return NONE;
        return [{ code: 'ERR_REPLY_MISMATCH', message: 'IOAS_MAP with FIXED_IOVA answered at another iova' }];
      }
      case VFIO_USER_IOMMUFD_IOAS_UNMAP:
        this.#ioas.get(q.body.ioas_id)?.delete(key(q.body.iova, q.body.length));
        return NONE;
      case VFIO_USER_IOMMUFD_BIND:
        this.#bound = true;
        return NONE;
      case VFIO_USER_IOMMUFD_ATTACH_PT:
        this.#attached = q.body.pt_id;
        return NONE;
      case VFIO_USER_IOMMUFD_DETACH_PT:
        this.#attached = null;
        return NONE;
      default:
        return NONE;
    }
  }

  /**
   * A multi-arc migration change that failed part way: the device stays in
   * `state`, the last one it reached.
   */
  stoppedAt(state: number): void {
    this.#deviceState = state;
  }

  #version(q: CommandByCmd[typeof VFIO_USER_VERSION]['body'], r: ReplyByCmd[typeof VFIO_USER_VERSION]['body'], fds: number | null): readonly Rule[] {
    const out: Rule[] = [];
    if (r.major !== q.major || r.minor > q.minor) out.push({ code: 'ERR_VERSION_MAJOR', message: `reply version ${r.major}.${r.minor} against proposal ${q.major}.${q.minor}` });
    try {
      this.#negotiated = negotiate(q.json, r.json, fds === null ? this.#negotiateOptions : { ...this.#negotiateOptions, serverFds: fds });
    } catch (e) {
      if (!(e instanceof VfioUserError)) throw e;
      out.push({ code: e.code, message: e.message });
    }
    return out;
  }

  #dmaEcho(request: CommandByCmd[typeof VFIO_USER_DMA_READ] | CommandByCmd[typeof VFIO_USER_DMA_WRITE], body: { offset?: bigint; addr?: bigint; count: number | bigint } | null): readonly Rule[] {
    if (body === null) return NONE;
    const addr = body.addr ?? body.offset;
    const asked = 'addr' in request.body ? request.body.addr : request.body.offset;
    if (addr === asked && BigInt(body.count) === BigInt(request.body.count)) return NONE;
    return [{ code: 'ERR_REPLY_MISMATCH', message: `${commandInfo(request.cmd)!.name} reply does not echo addr and count` }];
  }

  #feature(b: CommandByCmd[typeof VFIO_USER_DEVICE_FEATURE]['body']): void {
    const feature = featureSet(b.flags);
    if (feature === VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE && b.data.kind === 'mig_state') this.#deviceState = b.data.device_state;
    else if (feature === VFIO_DEVICE_FEATURE_DMA_LOGGING_START && b.data.kind === 'dma_logging_control') this.#logging = b.data.page_size;
    else if (feature === VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP) this.#logging = null;
  }

  /** Everything the connection held goes (the client left): a new connection starts from here. */
  reset(): void {
    this.#dma.clear();
    this.#ioas.clear();
    this.#bound = false;
    this.#attached = null;
    this.#logging = null;
  }
}
