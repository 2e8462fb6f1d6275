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
 * Rules enforced before a command reaches the device: the connection
 * model's (src/model/connection.ts: VERSION first, else EINVAL and the
 * connection closes; the iommufd gate; each command's fd rule; commands only
 * a server sends; the limits the server advertised; the IOAS, bind, attach,
 * migration and dirty-logging state; what the server's dialect refuses),
 * each answered with the rule's errno, and every DMA address against the
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
import { builtIn } from './serve/index.js';
import { isPromise, then, type MaybePromise } from './maybe-promise.js';
import { asOutcome, WithFds, type Handler } from './serve/outcome.js';
import { PAGE, Served } from './serve/served.js';
import { ConnectionModel, type Rule } from '../model/connection.js';
import {
  VFIO_DEVICE_FEATURE_MIGRATION,
  VFIO_USER_DMA_READ,
  VFIO_USER_DMA_WRITE,
  VFIO_USER_VERSION,
  CAPABILITY_DEFAULTS,
  DEFAULT_PEER_MAX_MSG_FDS,
  VFIO_USER_HEADER_OFFSET,
  VFIO_USER_HEADER_SIZE,
} from '../../generated/ts/constants.js';
import { VfioUserProtocolError } from '../errors.js';
import type { DialectName, Limits } from '../options.js';
import type { Channel, TwinPair } from './channel.js';
import { dmaFault, Ioas, markDirty, PROT_READ, PROT_WRITE, type DmaWindow } from './dma.js';
import { Endpoint, type CommandControl, type EndpointHooks, type EndpointOptions, type Outcome, type ReceivedFds, type Tap } from './endpoint.js';
import { ERRNO, ErrnoError, VfioUserSessionError } from './errors.js';
import { closeFds, preadFd, pwriteFd } from './fds.js';
import { dmaCommandBody, dmaReplyAnswers } from './dma-messages.js';
import { overSessionLimit, resolveSessionLimits, type SessionLimits } from './limits.js';
import { LOCAL_FS_TYPES, signalFd } from './peerfds.js';

/** One region of the device (a PCI BAR, the config space, ...). */
export interface RegionSpec {
  /** VFIO_REGION_INFO_FLAG_READ (1), _WRITE (2), _MMAP (4, with `fd`). */
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

/** What a handler of command `C` answers with: `C`'s reply body, and fds to send beside it. */
export interface HandlerOutcome<C extends KnownCmd> extends Outcome {
  readonly body: ReplyByCmd[C]['body'];
}

/**
 * A command handler that replaces the built-in handling of one command
 * (after the connection model's checks: VERSION first, the capability gates,
 * the fd rule, the state rules). Return `{ body, fds }`, typed by the
 * command; throw an ErrnoError to fail. A success moves the connection's
 * model on as the built-in handling would.
 */
export type CommandHandler<C extends KnownCmd> = (message: CommandByCmd[C], fds: ReceivedFds, conn: ServerConnection) => HandlerOutcome<C> | Promise<HandlerOutcome<C>>;

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
  /**
   * Dialect the server writes, and whose server it behaves as: it refuses
   * what that dialect's server refuses (spec/dialects.ts `serverRefuses`,
   * through the connection model: `libvfio-user` refuses DEVICE_RESET in
   * STOP and STOP_COPY with EINVAL), answers the dialect's iommufd state
   * errnos, and resets the migration state as it does. Default `default`.
   */
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
  /** The resources the connection holds (windows, IOAS, interrupt fds), dropped when the client goes. */
  readonly #served: Served;
  /** The control of the command being handled, while one is. */
  #control: CommandControl | null = null;
  /** The outcome of every synchronous built-in answer without fds (see #outcomeOf). */
  readonly #outcome: { body: unknown } = { body: null };
  readonly #limits: SessionLimits;
  /** The handshake timer, then the idle timer. */
  #timer: NodeJS.Timeout | null = null;
  /** What the timer waits for, and for how long: an idle timer is refreshed, not made again, after each command. */
  #timerFor = '';
  #timerMs = 0;

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
    this.#model = new ConnectionModel({
      serverDialect: o.dialect ?? 'default',
      // A client that does not say how many fds it takes gets what the server's dialect assumes.
      defaultMaxMsgFds: { client: DEFAULT_PEER_MAX_MSG_FDS[o.dialect ?? 'default'] },
    });
    this.#served = new Served(this, this.#device, this.#model, this.#limits, o, () => server.capabilities());
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
    if (this.#timer !== null && this.#timerFor === what && this.#timerMs === ms) {
      this.#timer.refresh();
      return;
    }
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (ms <= 0 || this.#endpoint.isClosed || this.#endpoint.isPaused) return;
    this.#timerFor = what;
    this.#timerMs = ms;
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
    return this.#served.legacy.list;
  }

  /** The IOAS ids and their windows. */
  get ioas(): ReadonlyMap<number, Ioas> {
    return this.#served.ioas;
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

  /**
   * Stops taking messages from the client until {@link resume}: the server
   * reads nothing more from the socket and starts no command; the one being
   * handled finishes and is answered. What the client sends meanwhile waits
   * in the socket's buffer and then in the client: a device that cannot
   * keep up (or a test that needs the client's queue full) holds it back
   * this way.
   * Replies to the server's DMA_READ/DMA_WRITE on the main socket wait too,
   * and time out if the pause outlasts them. The handshake and idle timers
   * stop while paused, and a client that goes away is noticed only after
   * resume (nothing is read meanwhile). Idempotent.
   */
  pause(): void {
    this.#endpoint.pause();
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Takes messages again after {@link pause}, as far as backpressure (maxQueuedCommands, maxOutputBytes) allows. Idempotent. */
  resume(): void {
    if (!this.#endpoint.isPaused) return;
    this.#endpoint.resume();
    if (this.#model.negotiated === null) this.#arm(this.#limits.handshakeTimeoutMs, 'VERSION');
    else this.#arm(this.#limits.idleTimeoutMs, 'command');
  }

  /** True between {@link pause} and {@link resume}. */
  get isPaused(): boolean {
    return this.#endpoint.isPaused;
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
    const pieces = this.#served.resolve(addr, count, PROT_READ);
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
    const pieces = this.#served.resolve(addr, data.length, PROT_WRITE);
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
    const irq = this.#served.irqs.get(index);
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
    for (const s of this.#served.irqs.values()) {
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
      // A connection that does not begin with a good VERSION goes; a refused command after it does not.
      if (this.#model.negotiated === null) control.closeAfterReply();
      throw refusal(rules[0]!, m.cmd);
    }
    const custom = this.#server.options.handlers?.[m.cmd as KnownCmd] as CommandHandler<KnownCmd> | undefined;
    this.#control = control;
    const result = custom !== undefined ? custom(m as CommandByCmd[KnownCmd], fds, this) : this.#builtIn(m, fds, control);
    // VERSION feeds the model itself, before its reply goes (the twin socket needs the session).
    if (m.cmd === VFIO_USER_VERSION) return result;
    return isPromise(result) ? result.then((outcome) => this.#accepted(m, outcome)) : this.#accepted(m, result);
  }

  /** The model moves past a command the server answered with success. */
  #accepted(m: Command, outcome: Outcome): Outcome {
    this.#model.apply(m, outcome.body as never);
    return outcome;
  }

  /** The built-in handling of a command: VERSION here, the others by the table of src/session/serve/. */
  #builtIn(m: Command, fds: ReceivedFds, control: CommandControl): MaybePromise<Outcome> {
    if (m.cmd === VFIO_USER_VERSION) return then(this.#version(m, control), asOutcome);
    const handler = builtIn[m.cmd as KnownCmd] as Handler<KnownCmd> | undefined;
    // DIRTY_PAGES (removed with migration v1), IOAS_COPY (no handler in PR #833), drafts.
    if (handler === undefined) throw new ErrnoError(ERRNO.EINVAL, `${commandName(m.cmd)} is not supported`);
    const answer = handler(this.#served, m as CommandByCmd[KnownCmd], fds);
    return isPromise(answer) ? answer.then(asOutcome) : this.#outcomeOf(answer);
  }

  /**
   * A synchronous answer as the endpoint takes it: a body without fds goes in
   * the connection's one outcome object, which the endpoint reads before it
   * runs the connection's next command.
   */
  #outcomeOf(answer: unknown): Outcome {
    if (answer instanceof WithFds) return answer;
    const out = this.#outcome;
    out.body = answer;
    return out;
  }

  async #version(m: CommandByCmd[typeof VFIO_USER_VERSION], control: CommandControl): Promise<ReplyByCmd[typeof VFIO_USER_VERSION]['body'] | WithFds> {
    // Not negotiated yet: the model's rule.
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









  // -- regions and interrupts ----------------------------------------------------------













  // -- device features and migration ----------------------------------------------------







  // -- iommufd ----------------------------------------------------------------------------









  // -- the client goes --------------------------------------------------------------------

  #drop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#twin?.close();
    this.#served.drop();
    this.#model.reset();
    if (this.#connected) this.#device.disconnected?.(this);
    this.#connected = false;
  }
}

/** The error a server answers a broken rule with: the rule's own errno when it names one, else its code's. */
function refusal(rule: Rule, cmd: number): Error {
  return rule.errno !== undefined ? new ErrnoError(ERRNO[rule.errno], rule.message) : new VfioUserProtocolError(rule.code, rule.message, 0, { cmd });
}

export { WithFds } from './serve/outcome.js';
