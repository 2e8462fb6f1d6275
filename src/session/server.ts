/**
 * The server end of vfio-user (the device's side): accepts connections,
 * negotiates VERSION, runs each command through the protocol's rules and a
 * device model, and answers with the reply or an error reply carrying the
 * errno. Per connection it keeps the DMA windows, the iommufd objects (IOAS
 * with the IOVAs the server chose, bound and attached state), the interrupt
 * eventfds and the migration state; all of it goes when the client goes, so
 * the next client starts clean. The device model itself (registers, memory)
 * lives as long as the Server.
 *
 * Rules enforced before a command reaches the device: VERSION first (else
 * EINVAL and the connection closes), the iommufd gate ({@link checkIommufdGate}:
 * EINVAL), each command's fd rule (EINVAL), the limits the server advertised
 * (the framer: max_msg_fds and max_data_xfer_size; the errno of the error),
 * commands only a server sends (EINVAL), and every DMA address against the
 * mapped windows (EFAULT for the device, ENOENT/ENOTSUP for the client).
 *
 * Each command is answered as the vfio-user specification (QEMU
 * docs/interop/vfio-user.rst) says, with libvfio-user's choices where it is
 * silent (errnos, the two-step GET_REGION_INFO, DEVICE_FEATURE operations)
 * and, for commands 19-26, as libvfio-user pull request #833's server does,
 * except that its state goes with the connection.
 */
import type { Command, CommandByCmd, ReplyByCmd } from '../../generated/ts/messages.js';
import type { vfio_region_sparse_mmap_area, vfio_user_sub_region_ioeventfd } from '../../generated/ts/structs.js';
import type { KnownCmd } from '../build.js';
import { emitVersionJson, type Capabilities, type Negotiated, type VersionJson } from '../capabilities.js';
import { commandName } from '../codec.js';
import { dialectSpec } from '../interop.js';
import { ConnectionModel, type Rule } from '../model/connection.js';
import {
  VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
  VFIO_DEVICE_FEATURE_GET,
  VFIO_DEVICE_FEATURE_MIGRATION,
  VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
  VFIO_DEVICE_FEATURE_PROBE,
  VFIO_DEVICE_FEATURE_SET,
  VFIO_DMA_UNMAP_FLAG_ALL,
  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
  VFIO_IRQ_SET_ACTION_MASK,
  VFIO_IRQ_SET_ACTION_TRIGGER,
  VFIO_IRQ_SET_ACTION_UNMASK,
  VFIO_IRQ_SET_DATA_BOOL,
  VFIO_IRQ_SET_DATA_EVENTFD,
  VFIO_IRQ_SET_DATA_NONE,
  VFIO_PCI_ERR_IRQ_INDEX,
  VFIO_PCI_REQ_IRQ_INDEX,
  VFIO_REGION_INFO_FLAG_CAPS,
  VFIO_REGION_INFO_FLAG_MMAP,
  VFIO_REGION_INFO_FLAG_READ,
  VFIO_REGION_INFO_FLAG_WRITE,
  VFIO_USER_DEVICE_FEATURE,
  VFIO_USER_DEVICE_GET_INFO,
  VFIO_USER_DEVICE_GET_IRQ_INFO,
  VFIO_USER_DEVICE_GET_REGION_INFO,
  VFIO_USER_DEVICE_GET_REGION_IO_FDS,
  VFIO_USER_DEVICE_RESET,
  VFIO_USER_DEVICE_SET_IRQS,
  VFIO_USER_DEVICE_STATE_PRE_COPY,
  VFIO_USER_DEVICE_STATE_RESUMING,
  VFIO_USER_DEVICE_STATE_STOP_COPY,
  VFIO_USER_DMA_MAP,
  VFIO_USER_DMA_READ,
  VFIO_USER_DMA_UNMAP,
  VFIO_USER_DMA_WRITE,
  VFIO_USER_F_DMA_REGION_FILE_IO,
  VFIO_USER_F_DMA_REGION_MMAP,
  VFIO_USER_F_DMA_REGION_READ,
  VFIO_USER_F_DMA_REGION_WRITE,
  VFIO_USER_IOMMUFD_ALLOC_IOAS,
  VFIO_USER_IOMMUFD_ATTACH_PT,
  VFIO_USER_IOMMUFD_BIND,
  VFIO_USER_IOMMUFD_DESTROY_IOAS,
  VFIO_USER_IOMMUFD_DETACH_PT,
  VFIO_USER_IOMMUFD_IOAS_MAP,
  VFIO_USER_IOMMUFD_IOAS_UNMAP,
  VFIO_USER_IOMMUFD_MAP_READABLE,
  VFIO_USER_IOMMUFD_MAP_WRITEABLE,
  VFIO_USER_MIG_DATA_READ,
  VFIO_USER_MIG_DATA_WRITE,
  VFIO_USER_REGION_READ,
  VFIO_USER_REGION_WRITE,
  VFIO_USER_REGION_WRITE_MULTI,
  VFIO_USER_VERSION,
  CAPABILITY_DEFAULTS,
  VFIO_DEVICE_FEATURE_MASK,
  VFIO_REGION_INFO_CAP_SPARSE_MMAP,
  VFIO_USER_HEADER_OFFSET,
  VFIO_USER_HEADER_SIZE,
} from '../../generated/ts/constants.js';
import {
  vfio_irq_info_SIZE,
  vfio_region_info_cap_sparse_mmap_SIZE,
  vfio_region_info_SIZE,
  vfio_region_sparse_mmap_area_SIZE,
  vfio_user_bitmap_SIZE,
  vfio_user_device_feature_dma_logging_report_SIZE,
  vfio_user_device_feature_mig_state_SIZE,
  vfio_user_device_feature_SIZE,
  vfio_user_device_info_SIZE,
  vfio_user_dma_unmap_SIZE,
  vfio_user_iommufd_alloc_ioas_SIZE,
  vfio_user_iommufd_bind_SIZE,
  vfio_user_mig_data_SIZE,
  vfio_user_region_io_fds_reply_SIZE,
  vfio_user_sub_region_ioeventfd_SIZE,
} from '../../generated/ts/structs.js';
import { VfioUserProtocolError } from '../errors.js';
import { isPowerOfTwo } from '../bitmap.js';
import { migrationPath } from '../migration.js';
import type { DialectName, Limits } from '../options.js';
import type { Channel, TwinPair } from './channel.js';
import { bitmapBytesOf, dirtyBitmap, DirtyPages, dmaFault, DmaWindows, Ioas, markDirty, PROT_READ, PROT_WRITE, type DmaPiece, type DmaWindow } from './dma.js';
import { Endpoint, type CommandControl, type EndpointHooks, type EndpointOptions, type Outcome, type ReceivedFds, type Tap } from './endpoint.js';
import { ERRNO, ErrnoError, VfioUserSessionError } from './errors.js';
import { closeFds, preadFd, pwriteFd } from './fds.js';
import { dmaCommandBody, dmaReplyAnswers } from './dma-messages.js';
import { overSessionLimit, resolveSessionLimits, type SessionLimits } from './limits.js';
import { checkDmaFd, LOCAL_FS_TYPES, prepareSignalFd, signalFd } from './peerfds.js';
import { DEFAULT_LIMITS } from '../options.js';

/** One region of the device (a PCI BAR, the config space, ...). */
export interface RegionSpec {
  /** REGION_READ (1), _WRITE (2), _MMAP (4, with `fd`). */
  readonly flags: number;
  readonly size: bigint;
  /** The fd the client maps: sent with GET_REGION_INFO when its caps fit. Stays the device's. */
  readonly fd?: number;
  /**
   * Instead of `fd`: opens a new file description of the region's memory for
   * each GET_REGION_INFO reply, closed by the server once sent. Each client
   * then holds a description of its own, so flags it sets on it (O_APPEND,
   * O_NONBLOCK) reach no one else.
   */
  readonly openFd?: () => number;
  /** Offset of the region in `fd`. Default 0. */
  readonly offset?: bigint;
  /** The areas the client may mmap (the sparse mmap capability). Default: the whole region. */
  readonly sparse?: readonly vfio_region_sparse_mmap_area[];
}

/** One IRQ index: its GET_IRQ_INFO flags and vector count. */
export interface IrqSpec {
  readonly flags: number;
  readonly count: number;
}

/** What GET_REGION_IO_FDS returns for a region: entries whose fd_index name `fds` (which stay the device's). */
export interface IoFdsSpec {
  readonly entries: readonly vfio_user_sub_region_ioeventfd[];
  readonly fds: readonly number[];
}

/** Migration v2 of a device. */
export interface DeviceMigration {
  /** VFIO_DEVICE_FEATURE_MIGRATION flags: STOP_COPY 1, P2P 2, PRE_COPY 4. */
  readonly flags: bigint;
  /** The device moves along one arc of the state machine (called for each arc of a combined change). */
  transition(conn: ServerConnection, from: number, to: number): void | Promise<void>;
  /** The next chunk of at most `max` bytes of the migration stream (PRE_COPY, STOP_COPY); empty at its end. */
  read(conn: ServerConnection, max: number): Uint8Array | Promise<Uint8Array>;
  /** A chunk of the stream being loaded (RESUMING). */
  write(conn: ServerConnection, data: Uint8Array): void | Promise<void>;
}

/**
 * The device a server exposes. Region accesses arrive checked (the region
 * exists, allows the access, and the range is inside it); throw an
 * {@link ErrnoError} to fail one with an errno.
 */
export interface Device {
  /** DEVICE_GET_INFO flags: RESET 1, PCI 2, ... */
  readonly flags: number;
  /** Regions by index; num_regions is the length. An undefined entry is a region of size 0. */
  readonly regions: readonly (RegionSpec | undefined)[];
  /** IRQ indexes; num_irqs is the length. */
  readonly irqs: readonly IrqSpec[];
  regionRead(conn: ServerConnection, index: number, offset: bigint, count: number): Uint8Array | Promise<Uint8Array>;
  regionWrite(conn: ServerConnection, index: number, offset: bigint, data: Uint8Array): void | Promise<void>;
  /** GET_REGION_IO_FDS; absent or null: no sub-regions. */
  ioFds?(conn: ServerConnection, index: number): IoFdsSpec | null;
  /** DEVICE_RESET. */
  reset?(conn: ServerConnection): void | Promise<void>;
  /** SET_IRQS MASK or UNMASK of vectors [start, start + count). */
  irqMask?(conn: ServerConnection, index: number, start: number, count: number, masked: boolean): void;
  /** Migration v2; without it the migration features and MIG_DATA are refused with EINVAL. */
  readonly migration?: DeviceMigration;
  /** A window stops being valid (DMA_UNMAP, IOAS_UNMAP, the client left). */
  dmaUnmapped?(conn: ServerConnection, window: DmaWindow): void;
  /**
   * Whether the device reaches a window that has an fd by DMA_READ/DMA_WRITE
   * messages instead of reading and writing the fd, as libvfio-user's
   * vfu_sgl_read/vfu_sgl_write can: true for every window, or a predicate
   * per window. Windows without an fd always go by message. Default false.
   */
  readonly messageDma?: boolean | ((conn: ServerConnection, window: DmaWindow) => boolean);
  /** A client connected (after VERSION) or left. */
  connected?(conn: ServerConnection): void;
  disconnected?(conn: ServerConnection): void;
}

/**
 * A command handler that replaces the built-in handling of one command
 * (after VERSION-first, the iommufd gate and the fd rule). Return the reply
 * body, or `{ body, fds }` through {@link Outcome}; throw an ErrnoError to fail.
 */
export type CommandHandler<C extends KnownCmd> = (message: CommandByCmd[C], fds: ReceivedFds, conn: ServerConnection) => Outcome | Promise<Outcome>;

/** Handlers by command number. */
export type CommandHandlers = { readonly [C in KnownCmd]?: CommandHandler<C> };

/** Options of a {@link Server}. */
export interface ServerOptions {
  /**
   * What the server advertises (what it can receive). Default
   * `{ max_msg_fds: 8, max_data_xfer_size: 1048576, max_dma_maps: 65535, pgsizes: 4096,
   * write_multiple: true }`, plus `migration: { pgsize: 4096 }` for a device
   * with migration. max_msg_fds and max_data_xfer_size also bound what it accepts.
   */
  readonly capabilities?: Capabilities;
  /** Grant iommufd to a client that asks for it. Default true. */
  readonly iommufd?: boolean;
  /**
   * Grant a twin socket to a client that asks for one (and accepts fds), when
   * the connection's channel can make one ({@link Channel.twin}): the
   * server's DMA_READ/DMA_WRITE then go over it. Default true.
   */
  readonly twinSocket?: boolean;
  /** The highest VERSION minor. Default 2. */
  readonly minor?: number;
  /** Dialect the server writes. Default `default`. */
  readonly dialect?: DialectName;
  /** Dialect clients write. Default `default`. */
  readonly clientDialect?: DialectName;
  /** Timeout of the server's DMA_READ/DMA_WRITE in milliseconds; 0 waits for ever. Default 10000. */
  readonly timeoutMs?: number;
  /** Further limits on what the server accepts. */
  readonly limits?: Partial<Limits>;
  /**
   * Limits on what a client can make the server hold (connections, fds,
   * windows, IOAS objects, queued commands and output, dirty-bitmap memory,
   * migration data) and the handshake and idle timeouts; defaults in
   * spec/limits.ts `sessionLimits`.
   */
  readonly sessionLimits?: Partial<SessionLimits>;
  /**
   * Filesystem types (statfs magic numbers) whose regular files may back
   * DMA windows that the server reads and writes. Default {@link LOCAL_FS_TYPES}.
   */
  readonly dmaFsTypes?: readonly number[];
  /** Replaces the built-in handling of commands. */
  readonly handlers?: CommandHandlers;
  /** Sees every message of every connection. */
  readonly tap?: (conn: ServerConnection, event: Parameters<Tap>[0]) => void;
  /**
   * Messages that broke a rule and were dropped or refused, requests refused
   * by a session limit (ERR_SESSION_LIMIT), fds refused (ERR_FD_KIND), and
   * connections closed by a timeout (ERR_TIMEOUT) or refused because the
   * server is full (ERR_SESSION_LIMIT maxConnections).
   */
  readonly onViolation?: (conn: ServerConnection, error: Error) => void;
  /** Work a device deferred with {@link ServerConnection.afterReply} failed. Default: `onViolation`. */
  readonly onDeferredError?: (conn: ServerConnection, error: Error) => void;
}

/** The default capabilities of a server. */
export const DEFAULT_SERVER_CAPABILITIES: Capabilities = Object.freeze({
  max_msg_fds: 8,
  max_data_xfer_size: CAPABILITY_DEFAULTS.max_data_xfer_size,
  max_dma_maps: CAPABILITY_DEFAULTS.max_dma_maps,
  pgsizes: CAPABILITY_DEFAULTS.pgsizes,
  write_multiple: true,
});

/** The page size of DMA windows and dirty bitmaps when the session names none. */
const PAGE = BigInt(CAPABILITY_DEFAULTS.pgsizes);
/** Past this a file position is not a safe JavaScript number. */
const MAX_FILE_POSITION = BigInt(Number.MAX_SAFE_INTEGER);
/** Where the IOVAs a server chooses for an IOAS start. */
const IOVA_BASE = 0x1_0000_0000n;

/** argsz of a DEVICE_FEATURE with the migration or mig_state payload (both 8 bytes). */
const FEATURE_SIZE = vfio_user_device_feature_SIZE + vfio_user_device_feature_mig_state_SIZE;
/** Bytes of a DMA_LOGGING_REPORT body before its bitmap. */
const REPORT_SIZE = vfio_user_device_feature_SIZE + vfio_user_device_feature_dma_logging_report_SIZE;
/** The operation bits of vfio_user_device_feature.flags. */
const OP_MASK = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE;
/** The operations each feature allows (libvfio-user's rules): GET or SET alone performs, PROBE echoes. */
const FEATURE_OPS: Readonly<Record<number, number>> = {
  [VFIO_DEVICE_FEATURE_MIGRATION]: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_PROBE,
  [VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE]: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE,
  [VFIO_DEVICE_FEATURE_DMA_LOGGING_START]: VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE,
  [VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP]: VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE,
  [VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT]: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_PROBE,
};

/** Serves a {@link Device} to any number of connections; see the module doc. */
export class Server {
  readonly device: Device;
  readonly options: ServerOptions;
  readonly #connections = new Set<ServerConnection>();
  #nextId = 0;
  /** The session limits, defaults filled in. */
  readonly sessionLimits: SessionLimits;

  constructor(device: Device, options: ServerOptions = {}) {
    this.device = device;
    this.options = options;
    this.sessionLimits = resolveSessionLimits(options.sessionLimits);
  }

  /** The connections open now. */
  get connections(): readonly ServerConnection[] {
    return [...this.#connections];
  }

  /** Serves one client over `channel`. */
  accept(channel: Channel): ServerConnection {
    const full = this.#connections.size >= this.sessionLimits.maxConnections;
    const conn = new ServerConnection(this, channel, this.#nextId++);
    if (full) {
      // Served no further than this: closed before it can send anything.
      this.options.onViolation?.(conn, overSessionLimit('maxConnections', this.sessionLimits.maxConnections, `connection ${conn.id} refused`));
      conn.close();
      return conn;
    }
    this.#connections.add(conn);
    void conn.whenClosed.then(() => this.#connections.delete(conn));
    return conn;
  }

  /** Closes every connection. */
  close(): void {
    for (const c of this.#connections) c.close();
  }

  /** The capabilities this server advertises, before iommufd. */
  capabilities(): Capabilities {
    const given = this.options.capabilities ?? DEFAULT_SERVER_CAPABILITIES;
    // The windows a client may map are the smaller of what the capabilities say and the session limit.
    const maps = Math.min(given.max_dma_maps ?? CAPABILITY_DEFAULTS.max_dma_maps, this.sessionLimits.maxDmaWindows);
    const base = maps === given.max_dma_maps ? given : { ...given, max_dma_maps: maps };
    if (this.device.migration === undefined || base.migration !== undefined) return base;
    return { ...base, migration: { pgsize: Number(PAGE) } };
  }
}

interface IrqState {
  readonly fds: (number | null)[];
  readonly masked: boolean[];
  readonly pending: boolean[];
}

/** One client's connection to a {@link Server}: its state, and what a device reaches through it. */
export class ServerConnection {
  /** Numbered from 0 in the order of accept. */
  readonly id: number;
  readonly #server: Server;
  readonly #device: Device;
  readonly #channel: Channel;
  readonly #endpointOptions: EndpointOptions;
  /** The violation hook of both endpoints, when the options give one. */
  readonly #violation: Pick<EndpointHooks, 'violation'>;
  readonly #endpoint: Endpoint;
  /** The twin socket's endpoint, which carries the server's DMA_READ/DMA_WRITE, once granted. */
  #twin: Endpoint | null = null;
  readonly #ours: { readonly maxMsgFds: number; readonly maxDataXferSize: number };
  /** The connection's protocol state: what it may do next. */
  readonly #model: ConnectionModel;
  #client: VersionJson | null = null;
  #connected = false;
  // Per-connection state, dropped when the client goes.
  readonly #legacy = new DmaWindows();
  readonly #ioas = new Map<number, Ioas>();
  #nextIoas = 1;
  readonly #irqs = new Map<number, IrqState>();
  /** The control of the command being handled, while one is. */
  #control: CommandControl | null = null;
  readonly #limits: SessionLimits;
  /** Bytes of MIG_DATA_WRITE since the device entered RESUMING. */
  #resumed = 0;
  /** The handshake timer, then the idle timer. */
  #timer: NodeJS.Timeout | null = null;

  constructor(server: Server, channel: Channel, id: number) {
    this.id = id;
    this.#server = server;
    this.#device = server.device;
    this.#channel = channel;
    const o = server.options;
    const caps = server.capabilities();
    this.#ours = { maxMsgFds: caps.max_msg_fds ?? CAPABILITY_DEFAULTS.max_msg_fds, maxDataXferSize: caps.max_data_xfer_size ?? CAPABILITY_DEFAULTS.max_data_xfer_size };
    const tap = o.tap;
    const violation = o.onViolation;
    const deferredFailed = o.onDeferredError;
    this.#violation = {
      ...(violation === undefined ? {} : { violation: (error: Error) => violation(this, error) }),
      ...(deferredFailed === undefined ? {} : { deferredFailed: (error: Error) => deferredFailed(this, error) }),
    };
    this.#endpointOptions = {
      side: 'server',
      dialect: o.dialect ?? 'default',
      peerDialect: o.clientDialect ?? 'default',
      limits: { ...o.limits, maxMsgFds: this.#ours.maxMsgFds, maxDataXferSize: this.#ours.maxDataXferSize },
      timeoutMs: o.timeoutMs ?? 10000,
      maxQueuedCommands: server.sessionLimits.maxQueuedCommands,
      maxOutputBytes: server.sessionLimits.maxOutputBytes,
      outputTimeoutMs: server.sessionLimits.outputTimeoutMs,
      ...(tap === undefined ? {} : { tap: (event) => tap(this, event) }),
    };
    this.#limits = server.sessionLimits;
    this.#model = new ConnectionModel({ resetMigrationState: dialectSpec(o.dialect ?? 'default').resetMigrationState ?? 'unchanged' });
    this.#endpoint = new Endpoint(
      channel,
      this.#endpointOptions,
      {
        command: (m, fds, control) => this.#command(m, fds, control),
        // A command refused before VERSION closes the connection, as VERSION-first requires.
        rejected: (error) => {
          violation?.(this, error);
          return this.#model.negotiated === null;
        },
        ...this.#violation,
        closed: () => this.#drop(),
      },
    );
    this.#arm(this.#limits.handshakeTimeoutMs, 'VERSION');
  }

  /** (Re)starts the handshake or idle timer: when it fires the connection closes with ERR_TIMEOUT. */
  #arm(ms: number, what: string): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (ms <= 0 || this.#endpoint.isClosed) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#server.options.onViolation?.(this, new VfioUserSessionError('ERR_TIMEOUT', `connection ${this.id}: no ${what} within ${ms} ms`));
      this.close();
    }, ms);
  }

  /** The negotiated session; null before VERSION. */
  get negotiated(): Negotiated | null {
    return this.#model.negotiated;
  }

  /** The client's VERSION JSON. */
  get clientCapabilities(): VersionJson | null {
    return this.#client;
  }

  /** The migration device state. */
  get deviceState(): number {
    return this.#model.deviceState;
  }

  /** Whether the server's DMA_READ/DMA_WRITE go over a twin socket. */
  get twinSocket(): boolean {
    return this.#twin !== null;
  }

  /** The legacy DMA windows (DMA_MAP). */
  get dmaWindows(): readonly DmaWindow[] {
    return this.#legacy.list;
  }

  /** The IOAS ids and their windows. */
  get ioas(): ReadonlyMap<number, Ioas> {
    return this.#ioas;
  }

  /** Whether IOMMUFD_BIND was done, and the attached IOAS. */
  get iommufdState(): { readonly bound: boolean; readonly attached: number | null } {
    return { bound: this.#model.bound, attached: this.#model.attached };
  }

  /** True once the connection has ended. */
  get isClosed(): boolean {
    return this.#endpoint.isClosed;
  }

  /** Resolves when the connection has ended. */
  get whenClosed(): Promise<Error | null> {
    return this.#endpoint.whenClosed;
  }

  /** Closes the connection (and its twin socket). */
  close(): void {
    this.#endpoint.close();
    this.#twin?.close();
  }

  // -- what a device reaches ----------------------------------------------

  /**
   * Runs `work` once the reply to the command being handled has been sent,
   * while the connection goes on serving the commands that follow (called
   * outside a command, it simply runs `work` on its own). This is how a
   * device answers first and then does DMA: a client such as QEMU waits for
   * the reply of its REGION_WRITE before it serves DMA_READ/DMA_WRITE, so a
   * handler that waits for DMA before replying deadlocks against it. A
   * failure of `work` goes to `onDeferredError` (default `onViolation`).
   */
  afterReply(work: () => void | Promise<void>): void {
    if (this.#control !== null) this.#control.afterReply(work);
    else this.#endpoint.defer(work);
  }

  /**
   * Reads `count` bytes of client memory at device address `addr`: through
   * the attached IOAS's windows first, then the DMA_MAP windows; fd-backed
   * windows by pread, the others by DMA_READ messages no larger than both
   * sides' max_data_xfer_size.
   * @throws (rejects) VfioUserSessionError ERR_DMA_FAULT when a byte is not
   *   mapped readable; the errors of the DMA_READ request.
   */
  async dmaRead(addr: bigint, count: number): Promise<Uint8Array> {
    const pieces = this.#resolve(addr, count, PROT_READ);
    if (pieces === null) throw dmaFault(addr, count, false);
    const out = new Uint8Array(count);
    let at = 0;
    for (const p of pieces) {
      const fd = this.#byMessage(p.window) ? null : p.window.fd;
      out.set(fd === null ? await this.#messageRead(p.window.addr + p.start, p.length) : preadFd(fd, p.window.offset + p.start, p.length), at);
      at += p.length;
    }
    return out;
  }

  /**
   * Writes `data` to client memory at device address `addr` (see
   * {@link dmaRead}); pages written are logged dirty while logging is on.
   * @throws (rejects) VfioUserSessionError ERR_DMA_FAULT when a byte is not
   *   mapped writable; the errors of the DMA_WRITE request.
   */
  async dmaWrite(addr: bigint, data: Uint8Array): Promise<void> {
    const pieces = this.#resolve(addr, data.length, PROT_WRITE);
    if (pieces === null) throw dmaFault(addr, data.length, true);
    let at = 0;
    for (const p of pieces) {
      const part = data.subarray(at, at + p.length);
      const fd = this.#byMessage(p.window) ? null : p.window.fd;
      if (fd === null) await this.#messageWrite(p.window.addr + p.start, part);
      else pwriteFd(fd, p.window.offset + p.start, part);
      const logging = this.#model.logging;
      if (logging !== null) markDirty(p.window, p.start, p.length, logging);
      at += p.length;
    }
  }

  /**
   * Signals vector `vector` of IRQ index `index` on the eventfd the client
   * installed (an 8-byte 1, as an eventfd counts). A masked vector is left
   * pending until unmasked. Returns false when no eventfd is installed.
   */
  triggerIrq(index: number, vector: number): boolean {
    const irq = this.#irqs.get(index);
    if (irq === undefined || irq.fds[vector] === undefined || irq.fds[vector] === null) return false;
    if (irq.masked[vector] === true) {
      irq.pending[vector] = true;
      return true;
    }
    return this.#signal(irq.fds[vector]);
  }

  /** Signals an eventfd or pipe without blocking; one the client made blocking (or that fails) is dropped and reported. */
  #signal(fd: number): boolean {
    try {
      return signalFd(fd, (e) => this.#dropSignalFd(fd, e));
    } catch (e) {
      this.#dropSignalFd(fd, e as Error);
      return false;
    }
  }

  /** Forgets an interrupt fd that cannot be signalled without blocking, and reports it. */
  #dropSignalFd(fd: number, error: Error): void {
    let found = false;
    for (const s of this.#irqs.values()) {
      const i = s.fds.indexOf(fd);
      if (i !== -1) {
        s.fds[i] = null;
        found = true;
      }
    }
    if (found) closeFds([fd]);
    this.#server.options.onViolation?.(this, error);
  }

  /** Whether the device reaches `window` by DMA_READ/DMA_WRITE messages. */
  #byMessage(window: DmaWindow): boolean {
    const m = this.#device.messageDma;
    return window.fd === null || m === true || (typeof m === 'function' && m(this, window));
  }

  #resolve(addr: bigint, count: number, prot: number): DmaPiece[] | null {
    const attached = this.#model.attached;
    const ioas = attached === null ? undefined : this.#ioas.get(attached);
    return ioas?.windows.resolve(addr, count, prot) ?? this.#legacy.resolve(addr, count, prot);
  }

  #chunk(): number {
    return Math.min(this.#model.maxDataXferSize('server'), this.#ours.maxDataXferSize);
  }

  async #messageRead(addr: bigint, count: number): Promise<Uint8Array> {
    const out = new Uint8Array(count);
    const step = this.#chunk();
    for (let done = 0; done < count; done += step) {
      const n = Math.min(step, count - done);
      const a = addr + BigInt(done);
      const { reply } = await this.#dmaEndpoint.request(VFIO_USER_DMA_READ, dmaCommandBody(this.#endpointOptions.dialect ?? 'default', VFIO_USER_DMA_READ, a, n));
      if (!dmaReplyAnswers(VFIO_USER_DMA_READ, reply.body, a, n)) throw this.#mismatch(VFIO_USER_DMA_READ, reply.msg_id);
      out.set(reply.body.data.subarray(0, n), done);
    }
    return out;
  }

  async #messageWrite(addr: bigint, data: Uint8Array): Promise<void> {
    const step = this.#chunk();
    for (let done = 0; done < data.length; done += step) {
      const part = data.subarray(done, Math.min(done + step, data.length));
      const a = addr + BigInt(done);
      const { reply } = await this.#dmaEndpoint.request(VFIO_USER_DMA_WRITE, dmaCommandBody(this.#endpointOptions.dialect ?? 'default', VFIO_USER_DMA_WRITE, a, part.length, part));
      if (!dmaReplyAnswers(VFIO_USER_DMA_WRITE, reply.body, a, part.length)) throw this.#mismatch(VFIO_USER_DMA_WRITE, reply.msg_id);
    }
  }

  /** Where the server's own commands go: the twin socket when there is one. */
  get #dmaEndpoint(): Endpoint {
    return this.#twin ?? this.#endpoint;
  }

  #mismatch(cmd: number, msgId: number): VfioUserSessionError {
    const cause = new VfioUserProtocolError('ERR_REPLY_MISMATCH', `the ${commandName(cmd)} reply does not echo addr and count`, 0, { cmd, msgId });
    return new VfioUserSessionError('ERR_BAD_REPLY', cause.message, { cmd, msgId, cause });
  }

  // -- commands -----------------------------------------------------------------

  /**
   * Runs one command: synchronously when the device answers synchronously
   * (no promise per command), else through the device's promise.
   */
  #command(m: Command, fds: ReceivedFds, control: CommandControl): Outcome | Promise<Outcome> {
    let result: Outcome | Promise<Outcome>;
    try {
      result = this.#commandChecked(m, fds, control);
    } catch (e) {
      this.#finished(e);
      throw e;
    }
    if (!isPromise(result)) {
      this.#finished(null);
      return result;
    }
    return result.then(
      (outcome) => {
        this.#finished(null);
        return outcome;
      },
      (e: unknown) => {
        this.#finished(e);
        throw e;
      },
    );
  }

  /** After a command: refusals that protect the server are reported besides the error reply; the idle timer restarts. */
  #finished(error: unknown): void {
    this.#control = null;
    if (error instanceof VfioUserSessionError && (error.code === 'ERR_SESSION_LIMIT' || error.code === 'ERR_FD_KIND' || error.code === 'ERR_REPLY_TOO_LARGE')) this.#server.options.onViolation?.(this, error);
    if (this.#model.negotiated !== null) this.#arm(this.#limits.idleTimeoutMs, 'command');
  }

  /** Checks the command with the model, runs its handler, and feeds the model what the handler accepted. */
  #commandChecked(m: Command, fds: ReceivedFds, control: CommandControl): Outcome | Promise<Outcome> {
    const rules = this.#model.check('client', m, fds.length);
    if (rules.length > 0) {
      // A connection that does not begin with a good VERSION goes.
      if (m.cmd === VFIO_USER_VERSION || rules[0]!.code === 'ERR_VERSION_FIRST') control.closeAfterReply();
      throw refusal(rules[0]!, m.cmd);
    }
    const custom = this.#server.options.handlers?.[m.cmd as KnownCmd] as CommandHandler<KnownCmd> | undefined;
    this.#control = control;
    const result = custom !== undefined ? custom(m as CommandByCmd[KnownCmd], fds, this) : then(this.#builtIn(m, fds, control), asOutcome);
    // VERSION feeds the model itself, before its reply goes (the twin socket needs the session).
    return m.cmd === VFIO_USER_VERSION ? result : then(result, (outcome) => this.#accepted(m, outcome));
  }

  /** The model moves past a command the server answered with success. */
  #accepted(m: Command, outcome: Outcome): Outcome {
    this.#model.apply(m, outcome.body as never);
    return outcome;
  }

  #builtIn(m: Command, fds: ReceivedFds, control: CommandControl): unknown {
    switch (m.cmd) {
      case VFIO_USER_VERSION:
        return this.#version(m, control);
      case VFIO_USER_DMA_MAP:
        return this.#dmaMap(m, fds);
      case VFIO_USER_DMA_UNMAP:
        return this.#dmaUnmap(m);
      case VFIO_USER_DEVICE_GET_INFO:
        return { argsz: vfio_user_device_info_SIZE, flags: this.#device.flags, num_regions: this.#device.regions.length, num_irqs: this.#device.irqs.length };
      case VFIO_USER_DEVICE_GET_REGION_INFO:
        return this.#regionInfo(m);
      case VFIO_USER_DEVICE_GET_REGION_IO_FDS:
        return this.#ioFds(m);
      case VFIO_USER_DEVICE_GET_IRQ_INFO:
        return this.#irqInfo(m);
      case VFIO_USER_DEVICE_SET_IRQS:
        return this.#setIrqs(m, fds);
      case VFIO_USER_REGION_READ:
        return this.#regionRead(m);
      case VFIO_USER_REGION_WRITE:
        return this.#regionWrite(m);
      case VFIO_USER_DEVICE_RESET:
        // The migration state after a reset is the model's (the server dialect's rule).
        return then(this.#device.reset?.(this), () => null);
      case VFIO_USER_REGION_WRITE_MULTI:
        return this.#writeMulti(m);
      case VFIO_USER_DEVICE_FEATURE:
        return this.#feature(m);
      case VFIO_USER_MIG_DATA_READ:
        return this.#migDataRead(m);
      case VFIO_USER_MIG_DATA_WRITE:
        return this.#migDataWrite(m);
      case VFIO_USER_IOMMUFD_ALLOC_IOAS:
        return this.#allocIoas();
      case VFIO_USER_IOMMUFD_DESTROY_IOAS:
        return this.#destroyIoas(m);
      case VFIO_USER_IOMMUFD_IOAS_MAP:
        return this.#ioasMap(m, fds);
      case VFIO_USER_IOMMUFD_IOAS_UNMAP:
        return this.#ioasUnmap(m);
      case VFIO_USER_IOMMUFD_BIND:
        return this.#bind();
      case VFIO_USER_IOMMUFD_ATTACH_PT:
        return this.#attach(m);
      case VFIO_USER_IOMMUFD_DETACH_PT:
        return this.#detach();
      default:
        // DIRTY_PAGES (removed with migration v1), IOAS_COPY (no handler in PR #833), drafts.
        throw new ErrnoError(ERRNO.EINVAL, `${commandName(m.cmd)} is not supported`);
    }
  }

  async #version(m: CommandByCmd[typeof VFIO_USER_VERSION], control: CommandControl): Promise<ReplyByCmd[typeof VFIO_USER_VERSION]['body'] | WithFds> {
    if (this.#model.negotiated !== null) throw new ErrnoError(ERRNO.EINVAL, 'VERSION again');
    try {
      return await this.#negotiate(m);
    } catch (e) {
      // A VERSION the server refuses ends the connection.
      control.closeAfterReply();
      throw e;
    }
  }

  async #negotiate(m: CommandByCmd[typeof VFIO_USER_VERSION]): Promise<ReplyByCmd[typeof VFIO_USER_VERSION]['body'] | WithFds> {
    const b = m.body;
    if (b.major !== 0) throw new VfioUserProtocolError('ERR_VERSION_MAJOR', `major ${b.major}`, VFIO_USER_HEADER_SIZE, { cmd: VFIO_USER_VERSION, value: b.major });
    const client = b.json;
    const caps = this.#server.capabilities();
    const pgsize = client?.capabilities?.migration?.pgsize;
    if (this.#device.migration !== undefined && pgsize !== undefined && pgsize !== caps.migration?.pgsize) {
      throw new ErrnoError(ERRNO.EINVAL, `migration.pgsize ${pgsize} is not the server's ${caps.migration?.pgsize}`);
    }
    const grant = this.#server.options.iommufd !== false && client?.capabilities?.iommufd?.supported === true;
    const pair = await this.#twinPair(client);
    const ours: VersionJson = {
      capabilities: {
        ...caps,
        ...(pair === null ? {} : { twin_socket: { supported: true, fd_index: 0 } }),
        ...(grant ? { iommufd: { supported: true } } : {}),
      },
    };
    const minor = Math.min(b.minor, this.#server.options.minor ?? 2);
    const body = { major: 0, minor, data: new TextEncoder().encode(emitVersionJson(ours)), json: ours };
    const rules = this.#model.apply(m, body, pair === null ? 0 : 1);
    const negotiated = this.#model.negotiated;
    if (rules.length > 0 || negotiated === null) {
      if (pair !== null) {
        pair.channel.close();
        pair.release();
      }
      throw refusal(rules[0] ?? { code: 'ERR_VERSION_MAJOR', message: 'no session' }, VFIO_USER_VERSION);
    }
    this.#client = client;
    this.#endpoint.peerLimits = negotiated.toClient;
    if (pair !== null) this.#twin = this.#twinEndpoint(pair.channel, negotiated);
    this.#connected = true;
    this.#device.connected?.(this);
    return pair === null ? body : new WithFds(body, [pair.fd], () => pair.release());
  }

  /** A twin socket for a client that asked for one and accepts an fd, when the server grants them and the channel makes them. */
  async #twinPair(client: VersionJson | null): Promise<TwinPair | null> {
    const c = client?.capabilities;
    if (c?.twin_socket?.supported !== true || (c.max_msg_fds ?? CAPABILITY_DEFAULTS.max_msg_fds) < 1) return null;
    if (this.#server.options.twinSocket === false || this.#channel.twin === undefined) return null;
    return this.#channel.twin();
  }

  /** The endpoint of the twin socket: the server's commands go out on it; a command from the client there is refused. */
  #twinEndpoint(channel: Channel, negotiated: Negotiated): Endpoint {
    const hooks: EndpointHooks = {
      command: (m) => {
        throw new VfioUserProtocolError('ERR_WRONG_SOCKET', `${commandName(m.cmd)} on the twin socket, which carries only the server's commands`, VFIO_USER_HEADER_OFFSET.cmd, { cmd: m.cmd });
      },
      ...this.#violation,
      // Without its twin socket the connection cannot do message-based DMA: both go.
      closed: () => this.close(),
    };
    const endpoint = new Endpoint(channel, { ...this.#endpointOptions, socket: 'twin' }, hooks);
    endpoint.peerLimits = negotiated.toClient;
    return endpoint;
  }

  // -- legacy DMA ------------------------------------------------------------------

  #dmaMap(m: CommandByCmd[typeof VFIO_USER_DMA_MAP], fds: ReceivedFds): null {
    const b = m.body;
    const mode = b.flags & (VFIO_USER_F_DMA_REGION_MMAP | VFIO_USER_F_DMA_REGION_FILE_IO);
    if (mode !== 0 && fds.length === 0) throw new ErrnoError(ERRNO.EINVAL, 'MMAP or FILE_IO without an fd');
    const prot = (b.flags & VFIO_USER_F_DMA_REGION_READ ? PROT_READ : 0) | (b.flags & VFIO_USER_F_DMA_REGION_WRITE ? PROT_WRITE : 0);
    const same = this.#legacy.exact(b.addr, b.size);
    if (same !== undefined && same.flags === b.flags && same.offset === b.offset && (same.fd === null) === (fds.length === 0)) return null;
    const fd = fds.all[0] ?? null;
    this.#admitWindow(VFIO_USER_DMA_MAP, fd, fd === null ? 0n : b.offset, b.size);
    const limit = this.#server.capabilities().max_dma_maps ?? CAPABILITY_DEFAULTS.max_dma_maps;
    if (this.#legacy.count >= limit) throw new ErrnoError(ERRNO.EINVAL, `max_dma_maps ${limit} windows are mapped`);
    this.#legacy.add({ addr: b.addr, size: b.size, fd, offset: fd === null ? 0n : b.offset, prot, flags: b.flags, dirty: new DirtyPages() });
    if (fd !== null) fds.take(0);
    return null;
  }

  #dmaUnmap(m: CommandByCmd[typeof VFIO_USER_DMA_UNMAP]): ReplyByCmd[typeof VFIO_USER_DMA_UNMAP]['body'] {
    const b = m.body;
    const echo = { argsz: b.argsz, flags: b.flags, addr: b.addr, size: b.size, bitmap: null };
    if (b.flags === VFIO_DMA_UNMAP_FLAG_ALL) {
      if (b.addr !== 0n || b.size !== 0n) throw new ErrnoError(ERRNO.EINVAL, 'ALL with an address or size');
      for (const w of this.#legacy.clear()) this.#unmapped(w);
      return echo;
    }
    const window = this.#legacy.exact(b.addr, b.size);
    if (window === undefined) throw new ErrnoError(ERRNO.ENOENT, `no window 0x${b.addr.toString(16)}+0x${b.size.toString(16)}`);
    let bitmap: ReplyByCmd[typeof VFIO_USER_DMA_UNMAP]['body']['bitmap'] = null;
    if ((b.flags & VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) !== 0 && b.bitmap !== null) {
      const logging = this.#model.logging;
      if (logging === null) throw new ErrnoError(ERRNO.EINVAL, 'GET_DIRTY_BITMAP while dirty logging is off');
      if (b.bitmap.pgsize === 0n || (b.bitmap.pgsize & (b.bitmap.pgsize - 1n)) !== 0n) throw new ErrnoError(ERRNO.EINVAL, `page size ${b.bitmap.pgsize}`);
      this.#checkBitmapReply(VFIO_USER_DMA_UNMAP, b.bitmap.pgsize, BigInt(VFIO_USER_HEADER_SIZE + vfio_user_dma_unmap_SIZE + vfio_user_bitmap_SIZE) + bitmapBytesOf(window.size, b.bitmap.pgsize));
      bitmap = { pgsize: b.bitmap.pgsize, size: b.bitmap.size, data: dirtyBitmap(window, b.bitmap.pgsize, logging, true) };
    }
    this.#legacy.remove(b.addr, b.size);
    this.#unmapped(window);
    return { ...echo, bitmap };
  }

  /**
   * Checks a new window against the session limits (windows, fds, dirty
   * memory while logging) and its fd against the kinds the server reads and
   * writes without blocking.
   * @throws ERR_SESSION_LIMIT, ERR_FD_KIND, EINVAL for an fd range above 2^53.
   */
  #admitWindow(cmd: number, fd: number | null, offset: bigint, size: bigint): void {
    const windows = this.#allWindows();
    const l = this.#limits;
    if (windows.length >= l.maxDmaWindows) throw overSessionLimit('maxDmaWindows', l.maxDmaWindows, `window ${windows.length + 1}`, cmd);
    if (fd === null) return;
    if (this.#heldFds() >= l.maxFdsPerConnection) throw overSessionLimit('maxFdsPerConnection', l.maxFdsPerConnection, `fd ${this.#heldFds() + 1}`, cmd);
    if (offset + size > MAX_FILE_POSITION) throw new ErrnoError(ERRNO.EINVAL, `the window's fd range 0x${offset.toString(16)}+0x${size.toString(16)} ends above 2^53, beyond any file the server can reach`);
    checkDmaFd(fd, this.#server.options.dmaFsTypes ?? LOCAL_FS_TYPES);
    const logging = this.#model.logging;
    if (logging !== null) this.#checkDirtyBudget(logging, size, cmd);
  }

  /** The fds this connection makes the server hold: windows with an fd and interrupt fds. */
  #heldFds(): number {
    let n = 0;
    for (const w of this.#allWindows()) if (w.fd !== null) n++;
    for (const s of this.#irqs.values()) for (const fd of s.fds) if (fd !== null) n++;
    return n;
  }

  /** Refuses dirty logging at `pageSize` whose bitmaps (with `extra` bytes of window more) would exceed maxDirtyBitmapBytes. */
  #checkDirtyBudget(pageSize: bigint, extra: bigint, cmd: number): void {
    let bytes = extra === 0n ? 0n : bitmapBytesOf(extra, pageSize);
    for (const w of this.#allWindows()) bytes += bitmapBytesOf(w.size, pageSize);
    const max = this.#limits.maxDirtyBitmapBytes;
    if (bytes > BigInt(max)) throw overSessionLimit('maxDirtyBitmapBytes', max, `dirty logging at page size ${pageSize} needs ${bytes} bytes of bitmap`, cmd);
  }

  /** The smallest page size the session allows: the lowest bit of the negotiated pgsizes. */
  #minPage(): bigint {
    const p = this.#model.negotiated?.pgsizes ?? Number(PAGE);
    return BigInt(p & -p) || PAGE;
  }

  /**
   * Refuses a reply of `bytes` (header included) above maxMessageSize, and
   * a bitmap page size below the negotiated page size, before anything is
   * allocated.
   */
  #checkBitmapReply(cmd: number, pageSize: bigint, bytes: bigint): void {
    if (pageSize < this.#minPage()) throw new ErrnoError(ERRNO.EINVAL, `bitmap page size ${pageSize} is below the session's page size ${this.#minPage()}`);
    const max = this.#server.options.limits?.maxMessageSize ?? DEFAULT_LIMITS.maxMessageSize;
    if (bytes > BigInt(max)) {
      throw new VfioUserSessionError('ERR_REPLY_TOO_LARGE', `the ${commandName(cmd)} reply would be ${bytes} bytes, above maxMessageSize ${max}`, { cmd });
    }
  }

  #unmapped(w: DmaWindow): void {
    this.#device.dmaUnmapped?.(this, w);
    if (w.fd !== null) closeFds([w.fd]);
  }

  // -- regions and interrupts ----------------------------------------------------------

  #region(index: number): RegionSpec {
    if (index >= this.#device.regions.length) throw new ErrnoError(ERRNO.EINVAL, `no region ${index}`);
    return this.#device.regions[index] ?? { flags: 0, size: 0n };
  }

  #regionInfo(m: CommandByCmd[typeof VFIO_USER_DEVICE_GET_REGION_INFO]): unknown {
    const { argsz, index } = m.body;
    const r = this.#region(index);
    const mappable = (r.flags & VFIO_REGION_INFO_FLAG_MMAP) !== 0 && (r.fd !== undefined || r.openFd !== undefined) && r.size > 0n && this.#model.maxMsgFds('server') >= 1;
    const flags = mappable ? r.flags : r.flags & ~VFIO_REGION_INFO_FLAG_MMAP;
    const base = { index, size: r.size, offset: mappable ? (r.offset ?? 0n) : 0n };
    if (!mappable) return { argsz: vfio_region_info_SIZE, flags, cap_offset: 0, ...base, caps: [] };
    const areas = [...(r.sparse ?? [{ offset: 0n, size: r.size }])];
    const needed = vfio_region_info_SIZE + vfio_region_info_cap_sparse_mmap_SIZE + areas.length * vfio_region_sparse_mmap_area_SIZE;
    if (argsz < needed) return { argsz: needed, flags, cap_offset: 0, ...base, caps: [] };
    const caps = [{ kind: 'sparse_mmap' as const, header: { id: VFIO_REGION_INFO_CAP_SPARSE_MMAP, version: 1, next: 0 }, nr_areas: areas.length, reserved: 0, areas }];
    const body = { argsz: needed, flags: flags | VFIO_REGION_INFO_FLAG_CAPS, cap_offset: vfio_region_info_SIZE, ...base, caps };
    if (r.openFd === undefined) return this.#withFds(body, [r.fd!]);
    const fd = r.openFd();
    return new WithFds(body, [fd], () => closeFds([fd]));
  }

  #ioFds(m: CommandByCmd[typeof VFIO_USER_DEVICE_GET_REGION_IO_FDS]): unknown {
    const { argsz, index } = m.body;
    const r = this.#region(index);
    if (r.flags === 0) throw new ErrnoError(ERRNO.EINVAL, `region ${index} is not set up`);
    const spec = this.#device.ioFds?.(this, index) ?? { entries: [], fds: [] };
    const needed = vfio_user_region_io_fds_reply_SIZE + spec.entries.length * vfio_user_sub_region_ioeventfd_SIZE;
    if (argsz < needed || spec.entries.length === 0) return { argsz: needed, flags: 0, index, count: spec.entries.length, sub_regions: [] };
    return this.#withFds({ argsz: needed, flags: 0, index, count: spec.entries.length, sub_regions: [...spec.entries] }, spec.fds);
  }

  /** A reply body with fds, which #command passes on as they are. */
  #withFds(body: unknown, fds: readonly number[]): WithFds {
    return new WithFds(body, fds);
  }

  #irqInfo(m: CommandByCmd[typeof VFIO_USER_DEVICE_GET_IRQ_INFO]): unknown {
    const { index } = m.body;
    const irq = this.#device.irqs[index];
    if (irq === undefined) throw new ErrnoError(ERRNO.EINVAL, `no IRQ index ${index}`);
    return { argsz: vfio_irq_info_SIZE, flags: irq.flags, index, count: irq.count };
  }

  #irqState(index: number, count: number): IrqState {
    let s = this.#irqs.get(index);
    if (s === undefined) {
      s = { fds: new Array<number | null>(count).fill(null), masked: new Array<boolean>(count).fill(false), pending: new Array<boolean>(count).fill(false) };
      this.#irqs.set(index, s);
    }
    return s;
  }

  #setIrqs(m: CommandByCmd[typeof VFIO_USER_DEVICE_SET_IRQS], fds: ReceivedFds): null {
    const { flags, index, start, count, data } = m.body;
    const irq = this.#device.irqs[index];
    if (irq === undefined) throw new ErrnoError(ERRNO.EINVAL, `no IRQ index ${index}`);
    const type = flags & (VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_DATA_EVENTFD);
    const action = flags & (VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_ACTION_UNMASK | VFIO_IRQ_SET_ACTION_TRIGGER);
    if (count === 0 ? start !== 0 || action !== VFIO_IRQ_SET_ACTION_TRIGGER || type !== VFIO_IRQ_SET_DATA_NONE : start + count > irq.count) {
      throw new ErrnoError(ERRNO.EINVAL, `vectors ${start}+${count} of index ${index} (${irq.count} vectors)`);
    }
    if ((index === VFIO_PCI_ERR_IRQ_INDEX || index === VFIO_PCI_REQ_IRQ_INDEX) && (action !== VFIO_IRQ_SET_ACTION_TRIGGER || count > 1)) throw new ErrnoError(ERRNO.EINVAL, 'ERR and REQ take TRIGGER of one vector');
    if (type === VFIO_IRQ_SET_DATA_EVENTFD && action !== VFIO_IRQ_SET_ACTION_TRIGGER) throw new ErrnoError(ERRNO.EINVAL, 'eventfds only with ACTION_TRIGGER');
    const s = this.#irqState(index, irq.count);
    const vectors = count === 0 ? irq.count : count;
    const first = count === 0 ? 0 : start;
    const chosen = (i: number): boolean => type !== VFIO_IRQ_SET_DATA_BOOL || (data[i] ?? 0) !== 0;
    if (action === VFIO_IRQ_SET_ACTION_TRIGGER) {
      if (type === VFIO_IRQ_SET_DATA_EVENTFD || count === 0) {
        const installed = this.#prepareIrqFds(s, first, vectors, fds);
        for (let i = 0; i < vectors; i++) {
          const old = s.fds[first + i];
          if (old !== null && old !== undefined) closeFds([old]);
          s.fds[first + i] = installed[i] ?? null;
          s.pending[first + i] = false;
        }
      } else {
        for (let i = 0; i < vectors; i++) if (chosen(i)) this.triggerIrq(index, first + i);
      }
      return null;
    }
    const masked = action === VFIO_IRQ_SET_ACTION_MASK;
    for (let i = 0; i < vectors; i++) {
      if (!chosen(i)) continue;
      const v = first + i;
      s.masked[v] = masked;
      if (!masked && s.pending[v] === true) {
        s.pending[v] = false;
        this.triggerIrq(index, v);
      }
    }
    this.#device.irqMask?.(this, index, first, vectors, masked);
    return null;
  }

  /**
   * Takes the eventfds of a SET_IRQS for vectors [first, first + vectors),
   * each checked and made non-blocking, within maxFdsPerConnection (counting
   * the fds they replace as released); none is taken when one is refused.
   */
  #prepareIrqFds(s: IrqState, first: number, vectors: number, fds: ReceivedFds): (number | null)[] {
    if (fds.length === 0) return [];
    let replaced = 0;
    for (let i = 0; i < vectors; i++) if (s.fds[first + i] !== null && s.fds[first + i] !== undefined) replaced++;
    const held = this.#heldFds() - replaced;
    const max = this.#limits.maxFdsPerConnection;
    if (held + fds.length > max) throw overSessionLimit('maxFdsPerConnection', max, `${held + fds.length} fds`, VFIO_USER_DEVICE_SET_IRQS);
    const out: number[] = [];
    try {
      for (let i = 0; i < fds.length; i++) {
        out.push(prepareSignalFd(fds.all[i]!));
        // Taken either way: a pipe's original was replaced (and closed) by the server's own description.
        fds.take(i);
      }
    } catch (e) {
      closeFds(out);
      throw e;
    }
    return out;
  }

  #access(region: number, offset: bigint, count: number, need: number): void {
    const r = this.#region(region);
    if ((r.flags & need) === 0) throw new ErrnoError(ERRNO.EINVAL, `region ${region} is not ${need === VFIO_REGION_INFO_FLAG_READ ? 'readable' : 'writable'}`);
    if (offset + BigInt(count) > r.size) throw new ErrnoError(ERRNO.EINVAL, `0x${offset.toString(16)}+${count} is outside region ${region} (0x${r.size.toString(16)} bytes)`);
  }

  #regionRead(m: CommandByCmd[typeof VFIO_USER_REGION_READ]): MaybePromise<ReplyByCmd[typeof VFIO_USER_REGION_READ]['body']> {
    const { offset, region, count } = m.body;
    this.#access(region, offset, count, VFIO_REGION_INFO_FLAG_READ);
    if (count === 0) return null;
    return then(this.#device.regionRead(this, region, offset, count), (data) => {
      if (data.length !== count) throw new ErrnoError(ERRNO.EIO, `the device read ${data.length} of ${count} bytes`);
      return { offset, region, count, data };
    });
  }

  #regionWrite(m: CommandByCmd[typeof VFIO_USER_REGION_WRITE]): MaybePromise<ReplyByCmd[typeof VFIO_USER_REGION_WRITE]['body']> {
    const { offset, region, count, data } = m.body;
    this.#access(region, offset, count, VFIO_REGION_INFO_FLAG_WRITE);
    if (count === 0) return null;
    return then(this.#device.regionWrite(this, region, offset, data), () => ({ offset, region, count }));
  }

  #writeMulti(m: CommandByCmd[typeof VFIO_USER_REGION_WRITE_MULTI]): MaybePromise<ReplyByCmd[typeof VFIO_USER_REGION_WRITE_MULTI]['body']> {
    if (this.#model.negotiated?.writeMultiple !== true) throw new ErrnoError(ERRNO.EINVAL, 'write_multiple was not advertised');
    const wrs = m.body.wrs;
    for (const w of wrs) this.#access(w.region, w.offset, w.count, VFIO_REGION_INFO_FLAG_WRITE);
    return then(inOrder(wrs.length, (i) => this.#device.regionWrite(this, wrs[i]!.region, wrs[i]!.offset, wrs[i]!.data.subarray(0, wrs[i]!.count))), () => ({ wr_cnt: m.body.wr_cnt }));
  }

  // -- device features and migration ----------------------------------------------------

  #feature(m: CommandByCmd[typeof VFIO_USER_DEVICE_FEATURE]): MaybePromise<ReplyByCmd[typeof VFIO_USER_DEVICE_FEATURE]['body']> {
    const { argsz, flags, data } = m.body;
    const feature = flags & VFIO_DEVICE_FEATURE_MASK;
    const op = flags & OP_MASK;
    const mig = this.#device.migration;
    const migrationFeature = feature === VFIO_DEVICE_FEATURE_MIGRATION || feature === VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
    const allowed = migrationFeature && mig === undefined ? undefined : FEATURE_OPS[feature];
    if (allowed === undefined || (op & ~allowed) !== 0) throw new ErrnoError(ERRNO.EINVAL, `feature ${feature} with operation 0x${op.toString(16)}`);
    if (op !== VFIO_DEVICE_FEATURE_GET && op !== VFIO_DEVICE_FEATURE_SET) {
      if ((op & VFIO_DEVICE_FEATURE_PROBE) === 0) throw new ErrnoError(ERRNO.EINVAL, 'GET and SET together without PROBE');
      return m.body;
    }
    if (feature === VFIO_DEVICE_FEATURE_MIGRATION && mig !== undefined) {
      if (argsz < FEATURE_SIZE) throw new ErrnoError(ERRNO.EINVAL, `argsz ${argsz} below ${FEATURE_SIZE}`);
      return { argsz: FEATURE_SIZE, flags, data: { kind: 'migration', flags: mig.flags } };
    }
    if (feature === VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE && mig !== undefined) {
      if (argsz < FEATURE_SIZE) throw new ErrnoError(ERRNO.EINVAL, `argsz ${argsz} below ${FEATURE_SIZE}`);
      if (op === VFIO_DEVICE_FEATURE_GET) return { argsz: FEATURE_SIZE, flags, data: { kind: 'mig_state', device_state: this.#model.deviceState, data_fd: 0 } };
      if (data.kind !== 'mig_state') throw new ErrnoError(ERRNO.EINVAL, 'SET MIG_DEVICE_STATE without a state');
      const path = migrationPath(this.#model.deviceState, data.device_state);
      if (path === null) throw new ErrnoError(ERRNO.EINVAL, `no change from state ${this.#model.deviceState} to ${data.device_state}`);
      const arc = (i: number): MaybePromise<void> =>
        then(mig.transition(this, path[i]!, path[i + 1]!), () => {
          this.#model.stoppedAt(path[i + 1]!);
          if (path[i + 1] === VFIO_USER_DEVICE_STATE_RESUMING) this.#resumed = 0;
        });
      return then(inOrder(path.length - 1, arc), () => m.body);
    }
    if (feature === VFIO_DEVICE_FEATURE_DMA_LOGGING_START) {
      if (data.kind !== 'dma_logging_control') throw new ErrnoError(ERRNO.EINVAL, 'DMA_LOGGING_START without its payload');
      if (data.page_size === 0n || (data.page_size & (data.page_size - 1n)) !== 0n) throw new ErrnoError(ERRNO.EINVAL, `page size ${data.page_size}`);
      if (data.page_size < this.#minPage()) throw new ErrnoError(ERRNO.EINVAL, `page size ${data.page_size} is below the session's page size ${this.#minPage()}`);
      const logging = this.#model.logging;
      if (logging !== null && logging !== data.page_size) throw new ErrnoError(ERRNO.EINVAL, 'logging already on at another page size');
      this.#checkDirtyBudget(data.page_size, 0n, VFIO_USER_DEVICE_FEATURE);
      for (const r of data.ranges) {
        if (r.length === 0n || !this.#covered(r.iova, r.length)) {
          throw new ErrnoError(ERRNO.EINVAL, `logging range 0x${r.iova.toString(16)}+0x${r.length.toString(16)} is not mapped`);
        }
      }
      for (const w of this.#allWindows()) w.dirty.clear();
      return m.body;
    }
    if (feature === VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP) {
      for (const w of this.#allWindows()) w.dirty.clear();
      return m.body;
    }
    if (feature === VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT) {
      if (data.kind !== 'dma_logging_report') throw new ErrnoError(ERRNO.EINVAL, 'DMA_LOGGING_REPORT without its payload');
      const logging = this.#model.logging;
      if (logging === null) throw new ErrnoError(ERRNO.EINVAL, 'dirty logging is off');
      const window = this.#exactWindow(data.iova, data.length);
      if (!isPowerOfTwo(data.page_size)) throw new ErrnoError(ERRNO.EINVAL, `page size ${data.page_size}`);
      this.#checkBitmapReply(VFIO_USER_DEVICE_FEATURE, data.page_size, BigInt(VFIO_USER_HEADER_SIZE + REPORT_SIZE) + bitmapBytesOf(window.size, data.page_size));
      const bitmap = dirtyBitmap(window, data.page_size, logging, true);
      const total = REPORT_SIZE + bitmap.length;
      if (argsz < total) throw new ErrnoError(ERRNO.EINVAL, `argsz ${argsz} below the ${total} bytes of the report`);
      return { argsz: total, flags, data: { kind: 'dma_logging_report', iova: data.iova, length: data.length, page_size: data.page_size, bitmap } };
    }
    throw new ErrnoError(ERRNO.EINVAL, `feature ${feature} is not supported`);
  }

  /** Every window a device address can reach. */
  #allWindows(): DmaWindow[] {
    return [...this.#legacy.list, ...[...this.#ioas.values()].flatMap((i) => i.windows.list)];
  }

  /** Whether [addr, addr + length) lies in mapped windows (any access). */
  #covered(addr: bigint, length: bigint): boolean {
    const count = Number(length);
    return Number.isSafeInteger(count) && this.#resolve(addr, count, 0) !== null;
  }

  /** The window of exactly [iova, iova + length): ENOENT when nothing is mapped there, ENOTSUP for part of a window. */
  #exactWindow(iova: bigint, length: bigint): DmaWindow {
    const attached = this.#model.attached;
    const ioas = attached === null ? undefined : this.#ioas.get(attached);
    for (const set of [ioas?.windows, this.#legacy]) {
      const w = set?.exact(iova, length);
      if (w !== undefined) return w;
    }
    const any = (ioas?.windows.overlapping(iova, length).length ?? 0) + this.#legacy.overlapping(iova, length).length;
    throw new ErrnoError(any > 0 ? ERRNO.ENOTSUP : ERRNO.ENOENT, `0x${iova.toString(16)}+0x${length.toString(16)} is ${any > 0 ? 'part of a window' : 'not mapped'}`);
  }

  #migDataRead(m: CommandByCmd[typeof VFIO_USER_MIG_DATA_READ]): MaybePromise<ReplyByCmd[typeof VFIO_USER_MIG_DATA_READ]['body']> {
    const mig = this.#device.migration;
    const { argsz, size } = m.body;
    if (mig === undefined || (this.#model.deviceState !== VFIO_USER_DEVICE_STATE_PRE_COPY && this.#model.deviceState !== VFIO_USER_DEVICE_STATE_STOP_COPY)) {
      throw new ErrnoError(ERRNO.EINVAL, `MIG_DATA_READ in state ${this.#model.deviceState}`);
    }
    if (argsz < vfio_user_mig_data_SIZE + size) throw new ErrnoError(ERRNO.EINVAL, `argsz ${argsz} below ${vfio_user_mig_data_SIZE} + ${size}`);
    const limit = this.#model.maxDataXferSize('server');
    if (size > limit) throw new VfioUserProtocolError('ERR_XFER_SIZE', `size ${size} exceeds the client's max_data_xfer_size ${limit}`, 20, { cmd: VFIO_USER_MIG_DATA_READ, value: size });
    return then(mig.read(this, size), (data) => {
      if (data.length > size) throw new ErrnoError(ERRNO.EIO, `the device gave ${data.length} bytes for ${size}`);
      return { argsz: vfio_user_mig_data_SIZE + data.length, size: data.length, data: padded(data, size) };
    });
  }

  #migDataWrite(m: CommandByCmd[typeof VFIO_USER_MIG_DATA_WRITE]): MaybePromise<null> {
    const mig = this.#device.migration;
    if (mig === undefined || this.#model.deviceState !== VFIO_USER_DEVICE_STATE_RESUMING) throw new ErrnoError(ERRNO.EINVAL, `MIG_DATA_WRITE in state ${this.#model.deviceState}`);
    const max = this.#limits.maxMigrationBytes;
    if (this.#resumed + m.body.data.length > max) throw overSessionLimit('maxMigrationBytes', max, `${this.#resumed + m.body.data.length} bytes of migration data`, VFIO_USER_MIG_DATA_WRITE);
    this.#resumed += m.body.data.length;
    return then(mig.write(this, m.body.data), () => null);
  }

  // -- iommufd ----------------------------------------------------------------------------

  #allocIoas(): ReplyByCmd[typeof VFIO_USER_IOMMUFD_ALLOC_IOAS]['body'] {
    if (this.#ioas.size >= this.#limits.maxIoas) throw overSessionLimit('maxIoas', this.#limits.maxIoas, `IOAS ${this.#ioas.size + 1}`, VFIO_USER_IOMMUFD_ALLOC_IOAS);
    const id = this.#nextIoas++;
    this.#ioas.set(id, new Ioas(id, IOVA_BASE));
    return { argsz: vfio_user_iommufd_alloc_ioas_SIZE, flags: 0, out_ioas_id: id, __reserved: 0 };
  }

  #ioasOf(id: number): Ioas {
    const ioas = this.#ioas.get(id);
    if (ioas === undefined) throw new ErrnoError(ERRNO.ENOENT, `no IOAS ${id}`);
    return ioas;
  }

  #destroyIoas(m: CommandByCmd[typeof VFIO_USER_IOMMUFD_DESTROY_IOAS]): null {
    const ioas = this.#ioasOf(m.body.ioas_id);
    if (this.#model.attached === ioas.id) throw new ErrnoError(ERRNO.EBUSY, `IOAS ${ioas.id} is attached`);
    for (const w of ioas.windows.clear()) this.#unmapped(w);
    this.#ioas.delete(ioas.id);
    return null;
  }

  #ioasMap(m: CommandByCmd[typeof VFIO_USER_IOMMUFD_IOAS_MAP], fds: ReceivedFds): ReplyByCmd[typeof VFIO_USER_IOMMUFD_IOAS_MAP]['body'] {
    const b = m.body;
    const ioas = this.#ioasOf(b.ioas_id);
    if (b.length === 0n) throw new ErrnoError(ERRNO.EINVAL, 'a mapping of length 0');
    const prot = (b.flags & VFIO_USER_IOMMUFD_MAP_READABLE ? PROT_READ : 0) | (b.flags & VFIO_USER_IOMMUFD_MAP_WRITEABLE ? PROT_WRITE : 0);
    this.#admitWindow(VFIO_USER_IOMMUFD_IOAS_MAP, fds.all[0]!, b.offset, b.length);
    const iova = ioas.allocate(b.offset, b.length, PAGE);
    ioas.windows.add({ addr: iova, size: b.length, fd: fds.all[0]!, offset: b.offset, prot, flags: b.flags, dirty: new DirtyPages() });
    fds.take(0);
    return { ...b, iova };
  }

  #ioasUnmap(m: CommandByCmd[typeof VFIO_USER_IOMMUFD_IOAS_UNMAP]): null {
    const b = m.body;
    const ioas = this.#ioasOf(b.ioas_id);
    const w = ioas.windows.remove(b.iova, b.length);
    if (w === undefined) throw new ErrnoError(ERRNO.ENOENT, `no mapping 0x${b.iova.toString(16)}+0x${b.length.toString(16)} in IOAS ${ioas.id}`);
    this.#unmapped(w);
    return null;
  }

  #bind(): ReplyByCmd[typeof VFIO_USER_IOMMUFD_BIND]['body'] {
    if (this.#model.bound) throw new ErrnoError(ERRNO.EEXIST, 'already bound');
    return { argsz: vfio_user_iommufd_bind_SIZE, flags: 0, iommufd: 0, out_devid: 1 };
  }

  #attach(m: CommandByCmd[typeof VFIO_USER_IOMMUFD_ATTACH_PT]): null {
    // BIND first and an IOAS that exists: the model's rules.
    this.#ioasOf(m.body.pt_id);
    return null;
  }

  #detach(): null {
    // Attached first: the model's rule.
    return null;
  }

  // -- the client goes --------------------------------------------------------------------

  #drop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#twin?.close();
    for (const w of this.#legacy.clear()) this.#unmapped(w);
    for (const ioas of this.#ioas.values()) for (const w of ioas.windows.clear()) this.#unmapped(w);
    this.#ioas.clear();
    this.#model.reset();
    for (const s of this.#irqs.values()) closeFds(s.fds.filter((fd): fd is number => fd !== null));
    this.#irqs.clear();
    if (this.#connected) this.#device.disconnected?.(this);
    this.#connected = false;
  }
}

/**
 * The data of a MIG_DATA_READ reply, zero-padded to the `size` the client
 * asked for, as libvfio-user's server sends it: argsz and size say how much
 * is real, and libvfio-user's client reads exactly the size it asked for
 * (a shorter reply leaves it waiting for bytes that never come).
 */
function padded(data: Uint8Array, size: number): Uint8Array {
  if (data.length === size) return data;
  const out = new Uint8Array(size);
  out.set(data);
  return out;
}

type MaybePromise<T> = T | Promise<T>;

function isPromise<T>(x: MaybePromise<T>): x is Promise<T> {
  return typeof (x as { then?: unknown } | null)?.then === 'function';
}

/** `f(x)`, after `x` settles when it is a promise: a synchronous value stays synchronous. */
function then<T, U>(x: MaybePromise<T>, f: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(x) ? x.then(f) : f(x);
}

/** The error a server answers a broken rule with: the rule's own errno when it names one, else its code's. */
function refusal(rule: Rule, cmd: number): Error {
  return rule.errno !== undefined ? new ErrnoError(ERRNO[rule.errno], rule.message) : new VfioUserProtocolError(rule.code, rule.message, 0, { cmd });
}

/** Runs `step(0)` to `step(n - 1)` one after another: synchronously while the steps are, waiting for those that return a promise. */
function inOrder(n: number, step: (i: number) => void | Promise<void>, from = 0): void | Promise<void> {
  for (let i = from; i < n; i++) {
    const r = step(i);
    if (isPromise(r)) return r.then(() => inOrder(n, step, i + 1));
  }
}

/** A built-in handler's result as the endpoint takes it. */
function asOutcome(body: unknown): Outcome {
  return body instanceof WithFds ? body : { body };
}

/** A reply body with the fds to send beside it (and what to do once they are sent). */
export class WithFds implements Outcome {
  readonly body: unknown;
  readonly fds: readonly number[];
  readonly sent?: (error: Error | null) => void;

  constructor(body: unknown, fds: readonly number[], sent?: (error: Error | null) => void) {
    this.body = body;
    this.fds = fds;
    if (sent !== undefined) this.sent = sent;
  }
}
