/**
 * The client end of a vfio-user connection (the VMM's side): VERSION
 * negotiation, one typed method per command, concurrent requests, and the
 * server's DMA_READ/DMA_WRITE served from a handler. Each typed method is the
 * command of the same name in the vfio-user specification (QEMU
 * docs/interop/vfio-user.rst; the iommufd ones: libvfio-user pull request
 * #833); generated/docs/protocol.md has their layouts and errors.
 *
 * @example
 * const client = await Client.connect(channel, { capabilities: { max_msg_fds: 16 } });
 * const info = await client.getDeviceInfo();
 * const { info: bar1, fd } = await client.getRegionInfo(1);
 */
import type {
  Command,
  CommandByCmd,
  DeviceFeatureReplyBody,
  DeviceGetRegionInfoReplyBody,
  DeviceGetRegionIoFdsReplyBody,
  DmaUnmapReplyBody,
  Message,
  MigDataReadReplyBody,
  Reply,
  ReplyByCmd,
} from '../../generated/ts/messages.js';
import { size_DeviceFeatureData } from '../../generated/ts/messages.js';
import type {
  vfio_irq_info,
  vfio_user_device_feature_dma_logging_range,
  vfio_user_device_info,
  vfio_user_iommufd_ioas_map,
  VFIOUserWROne,
} from '../../generated/ts/structs.js';
import {
  CAPABILITY_DEFAULTS,
  DEFAULT_PEER_MAX_MSG_FDS,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
  VFIO_DEVICE_FEATURE_GET,
  VFIO_DEVICE_FEATURE_MIGRATION,
  VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
  VFIO_DEVICE_FEATURE_SET,
  VFIO_DMA_UNMAP_FLAG_ALL,
  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
  VFIO_USER_DEVICE_FEATURE,
  VFIO_USER_DEVICE_GET_INFO,
  VFIO_USER_DEVICE_GET_IRQ_INFO,
  VFIO_USER_DEVICE_GET_REGION_INFO,
  VFIO_USER_DEVICE_GET_REGION_IO_FDS,
  VFIO_USER_DEVICE_RESET,
  VFIO_USER_DEVICE_SET_IRQS,
  VFIO_USER_DMA_MAP,
  VFIO_USER_DMA_READ,
  VFIO_USER_DMA_UNMAP,
  VFIO_USER_DMA_WRITE,
  VFIO_USER_HEADER_OFFSET,
  VFIO_USER_HEADER_SIZE,
  VFIO_USER_IOMMUFD_ALLOC_IOAS,
  VFIO_USER_IOMMUFD_ATTACH_PT,
  VFIO_USER_IOMMUFD_BIND,
  VFIO_USER_IOMMUFD_DESTROY_IOAS,
  VFIO_USER_IOMMUFD_DETACH_PT,
  VFIO_USER_IOMMUFD_IOAS_COPY,
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
} from '../../generated/ts/constants.js';
import {
  vfio_irq_info_SIZE,
  vfio_irq_set_SIZE,
  vfio_region_info_SIZE,
  vfio_user_bitmap_SIZE,
  vfio_user_device_feature_SIZE,
  vfio_user_device_feature_dma_logging_report_SIZE,
  vfio_user_device_feature_mig_state_SIZE,
  vfio_user_device_info_SIZE,
  vfio_user_dma_map_SIZE,
  vfio_user_dma_unmap_SIZE,
  vfio_user_iommufd_alloc_ioas_SIZE,
  vfio_user_iommufd_attach_pt_SIZE,
  vfio_user_iommufd_bind_SIZE,
  vfio_user_iommufd_destroy_ioas_SIZE,
  vfio_user_iommufd_detach_pt_SIZE,
  vfio_user_iommufd_ioas_copy_SIZE,
  vfio_user_iommufd_ioas_map_SIZE,
  vfio_user_iommufd_ioas_unmap_SIZE,
  vfio_user_mig_data_SIZE,
  vfio_user_region_io_fds_request_SIZE,
} from '../../generated/ts/structs.js';
import type { KnownCmd } from '../build.js';
import { emitVersionJson, type Capabilities, type Negotiated, type VersionJson } from '../capabilities.js';
import { commandName } from '../codec.js';
import { ConnectionModel } from '../model/connection.js';
import { VfioUserProtocolError } from '../errors.js';
import type { DialectName, Limits } from '../options.js';
import type { Channel } from './channel.js';
import { Endpoint, type Answer, type EndpointHooks, type EndpointOptions, type Outcome, type ReceivedFds, type RequestOptions, type Tap } from './endpoint.js';
import { ERRNO, ErrnoError, VfioUserSessionError } from './errors.js';
import { closeFds } from './fds.js';
import { resolveSessionLimits, type SessionLimits } from './limits.js';

/** Serves the server's DMA_READ and DMA_WRITE: client memory that was mapped without an fd. */
export interface ClientDmaHandler {
  /** The `count` bytes at DMA address `addr`. Throw an {@link ErrnoError} (EFAULT) for memory that is not there. */
  read(addr: bigint, count: number): Uint8Array | Promise<Uint8Array>;
  /** Stores `data` at DMA address `addr`. */
  write(addr: bigint, data: Uint8Array): void | Promise<void>;
}

/** Options of {@link Client.connect}. */
export interface ClientOptions {
  /**
   * What the client advertises in VERSION: what it can receive. Default
   * `{ max_msg_fds: 16, max_data_xfer_size: 1048576, iommufd: { supported: true } }`.
   * max_msg_fds and max_data_xfer_size also bound what the client accepts.
   */
  readonly capabilities?: Capabilities;
  /** The VERSION minor proposed. Default 2. */
  readonly minor?: number;
  /** Serves DMA_READ/DMA_WRITE; without it they are answered with EFAULT. */
  readonly dma?: ClientDmaHandler;
  /**
   * Twin-socket mode, where the server's DMA_READ/DMA_WRITE and their replies
   * travel on a second socket the server passes with its VERSION reply:
   * `true` asks for it and goes on without it when the server does not grant
   * it, `'required'` asks and fails the connect then (ERR_NOT_NEGOTIATED),
   * `false` does not ask. Asking needs a channel that can take the socket
   * ({@link Channel.adopt}; the Unix and in-memory channels can). Default:
   * `true` when the channel can, else `false`.
   */
  readonly twinSocket?: boolean | 'required';
  /** Dialect the client writes. Default `default`. */
  readonly dialect?: DialectName;
  /** Dialect the server writes. Default `default`. */
  readonly serverDialect?: DialectName;
  /**
   * Default request timeout in milliseconds, VERSION included; 0 waits for
   * ever. Default 30000 (sessionLimits.requestTimeoutMs).
   */
  readonly timeoutMs?: number;
  /**
   * Limits on what the server can make the client hold: maxQueuedCommands
   * and maxOutputBytes (backpressure on the server's DMA_READ/DMA_WRITE),
   * requestTimeoutMs; defaults in spec/limits.ts `sessionLimits`.
   */
  readonly sessionLimits?: Partial<SessionLimits>;
  /** Further limits on what the client accepts (maxMessageSize, maxJsonBytes, ...). */
  readonly limits?: Partial<Limits>;
  /** Sees every message sent and received, in order: a capture. */
  readonly tap?: Tap;
  /** Called with messages that break a rule and are dropped (a reply to nothing, a failed send). */
  readonly onViolation?: (error: Error) => void;
}

/** The default capabilities of a client. */
export const DEFAULT_CLIENT_CAPABILITIES: Capabilities = Object.freeze({ max_msg_fds: 16, max_data_xfer_size: 1048576, iommufd: { supported: true } });

/** A region's info and, for an mmap-able region, its fd (the caller owns it). */
export interface RegionInfo {
  readonly info: DeviceGetRegionInfoReplyBody;
  readonly fd: number | null;
}

/** The sub-regions of GET_REGION_IO_FDS and the fds their fd_index fields name (the caller owns them). */
export interface RegionIoFds {
  readonly reply: DeviceGetRegionIoFdsReplyBody;
  readonly fds: number[];
}

/** One window of client memory for {@link Client.dmaMap}. */
export interface DmaMapArgs {
  /** READ (1) and WRITE (2), plus MMAP (4) or FILE_IO (8) with an fd. */
  readonly flags: number;
  readonly addr: bigint;
  readonly size: bigint;
  /** Offset of the window in `fd`. Default 0. */
  readonly offset?: bigint;
}

/** Arguments of {@link Client.ioasMap}. */
export interface IoasMapArgs {
  readonly ioas_id: number;
  /** WRITEABLE (1) and READABLE (2). Default 3. */
  readonly flags?: number;
  readonly length: bigint;
  /** Offset into the fd. Default 0. */
  readonly offset?: bigint;
  /** The client's own address of the memory (remembered by the server, not used). Default 0. */
  readonly user_va?: bigint;
}

const GET = VFIO_DEVICE_FEATURE_GET;
const SET = VFIO_DEVICE_FEATURE_SET;
/** argsz of a DEVICE_FEATURE with an 8-byte payload (migration flags, device state). */
const FEATURE_SIZE = vfio_user_device_feature_SIZE + vfio_user_device_feature_mig_state_SIZE;
/** Bytes of data in one REGION_WRITE_MULTI entry (VFIOUserWROne.data). */
const WR_ONE_DATA = 8;
/** Where a DMA_READ/DMA_WRITE count is in the message: after the header and the u64 address. */
const COUNT_OFFSET = VFIO_USER_HEADER_SIZE + 8;
/** data_fd -1, as libvfio-user's client sends it. */
const NO_DATA_FD = 0xffffffff;
const NO_REQUEST_OPTIONS: RequestOptions = Object.freeze({});

type RegionReadCommand = CommandByCmd[typeof VFIO_USER_REGION_READ];
type RegionReadReply = ReplyByCmd[typeof VFIO_USER_REGION_READ];

/** Copies a REGION_READ reply's `n` bytes of data into `out` at `at`; throws ERR_BAD_REPLY when it has another length. */
function readData(n: number, body: RegionReadReply['body'], out: Uint8Array, at: number): Uint8Array {
  if (body === null || body.data.length !== n) {
    const cause = new VfioUserProtocolError('ERR_REPLY_MISMATCH', `REGION_READ of ${n} bytes answered with ${body?.data.length ?? 0}`, 0, { cmd: VFIO_USER_REGION_READ });
    throw new VfioUserSessionError('ERR_BAD_REPLY', cause.message, { cmd: VFIO_USER_REGION_READ, cause });
  }
  out.set(body.data, at);
  return out;
}

/** The client end of a connection; see the module doc. */
export class Client {
  readonly #channel: Channel;
  readonly #endpointOptions: EndpointOptions;
  /** The violation hook of both endpoints, when the options give one. */
  readonly #violation: Pick<EndpointHooks, 'violation'>;
  readonly #endpoint: Endpoint;
  /** The twin socket's endpoint, on which the server's commands arrive, once granted. */
  #twin: Endpoint | null = null;
  readonly #dma: ClientDmaHandler | undefined;
  readonly #ours: { readonly maxMsgFds: number; readonly maxDataXferSize: number };
  readonly #dialect: DialectName;
  #server: VersionJson | null = null;
  #version: { major: number; minor: number } = { major: 0, minor: 0 };
  /** The connection's protocol state: what the client may send next. */
  readonly #model: ConnectionModel;

  private constructor(channel: Channel, options: ClientOptions, caps: Capabilities) {
    this.#channel = channel;
    this.#dma = options.dma;
    this.#dialect = options.dialect ?? 'default';
    this.#model = new ConnectionModel({
      serverDialect: options.serverDialect ?? 'default',
      // A server that does not say how many fds it takes gets what the client's dialect assumes.
      defaultMaxMsgFds: { server: DEFAULT_PEER_MAX_MSG_FDS[this.#dialect] },
    });
    this.#violation = options.onViolation === undefined ? {} : { violation: options.onViolation };
    this.#ours = { maxMsgFds: caps.max_msg_fds ?? CAPABILITY_DEFAULTS.max_msg_fds, maxDataXferSize: caps.max_data_xfer_size ?? CAPABILITY_DEFAULTS.max_data_xfer_size };
    const sessionLimits = resolveSessionLimits(options.sessionLimits);
    this.#endpointOptions = {
      side: 'client',
      dialect: this.#dialect,
      peerDialect: options.serverDialect ?? 'default',
      limits: { ...options.limits, maxMsgFds: this.#ours.maxMsgFds, maxDataXferSize: this.#ours.maxDataXferSize },
      timeoutMs: options.timeoutMs ?? sessionLimits.requestTimeoutMs,
      maxQueuedCommands: sessionLimits.maxQueuedCommands,
      maxOutputBytes: sessionLimits.maxOutputBytes,
      outputTimeoutMs: sessionLimits.outputTimeoutMs,
      ...(options.tap === undefined ? {} : { tap: options.tap }),
    };
    this.#endpoint = new Endpoint(channel, this.#endpointOptions, {
      command: (m, fds) => {
        if (this.#twin !== null) {
          throw new VfioUserProtocolError('ERR_WRONG_SOCKET', `${commandName(m.cmd)} on the main socket, while the twin socket carries the server's commands`, VFIO_USER_HEADER_OFFSET.cmd, { cmd: m.cmd });
        }
        return this.#serve(m, fds);
      },
      ...this.#violation,
      closed: () => this.#twin?.close(),
    });
  }

  /**
   * Negotiates over `channel`: sends VERSION with the client's capabilities,
   * checks the reply (major 0, minor not above the proposal) and works out
   * the session ({@link negotiated}; iommufd is on when both sides advertise it).
   * @throws (rejects) VfioUserRemoteError when the server refuses VERSION;
   *   VfioUserSessionError ERR_BAD_REPLY for a reply the protocol does not
   *   allow; ERR_CLOSED, ERR_TIMEOUT. The channel is closed on failure.
   */
  static async connect(channel: Channel, options: ClientOptions = {}): Promise<Client> {
    const twin = options.twinSocket ?? channel.adopt !== undefined;
    if (twin !== false && channel.adopt === undefined) throw new TypeError('twinSocket needs a channel that can adopt a socket (Channel.adopt)');
    const given = options.capabilities ?? DEFAULT_CLIENT_CAPABILITIES;
    const caps = twin === false ? given : { ...given, twin_socket: { supported: true } };
    const client = new Client(channel, options, caps);
    try {
      await client.#negotiate(caps, options.minor ?? 2, twin === 'required');
    } catch (e) {
      client.close();
      throw e;
    }
    return client;
  }

  /** The negotiated session. */
  get negotiated(): Negotiated {
    const negotiated = this.#model.negotiated;
    if (negotiated === null) throw new Error('not negotiated');
    return negotiated;
  }

  /** The server's VERSION JSON (null when it sent none). */
  get serverCapabilities(): VersionJson | null {
    return this.#server;
  }

  /** Whether the server's commands come over a twin socket. */
  get twinSocket(): boolean {
    return this.#twin !== null;
  }

  /** The version the server answered with. */
  get version(): { readonly major: number; readonly minor: number } {
    return this.#version;
  }

  /** True once the connection has ended. */
  get isClosed(): boolean {
    return this.#endpoint.isClosed;
  }

  /** Resolves when the connection has ended. */
  get whenClosed(): Promise<Error | null> {
    return this.#endpoint.whenClosed;
  }

  /** Requests still waiting for their reply. */
  get outstanding(): number {
    return this.#endpoint.outstanding;
  }

  /** Closes the connection (and its twin socket); requests still waiting fail with ERR_CLOSED. */
  close(): void {
    this.#endpoint.close();
    this.#twin?.close();
  }

  /**
   * Sends any command as it is and resolves with its reply and fds. The
   * typed methods below check the negotiated rules first; this does not
   * (except the peer's max_msg_fds), so it can also send what a server must
   * refuse.
   */
  request<C extends KnownCmd>(cmd: C, body: CommandByCmd[C]['body'], options: RequestOptions = {}): Promise<Answer<C>> {
    return this.#endpoint.requestMapped(cmd, body, options, this.#accepted) as Promise<Answer<C>>;
  }

  /** The server accepted a request: the connection's state moves on. */
  readonly #accepted = (request: Command, reply: Message, fds: number[]): Answer<KnownCmd> => {
    this.#model.apply(request, (reply as Reply).body as never, fds.length);
    return { reply: reply as ReplyByCmd[KnownCmd], fds };
  };

  /** A one-request REGION_READ's reply: its data, copied out of the receive buffer. */
  readonly #readReply = (request: Command, reply: Message, fds: number[]): Uint8Array => {
    this.#model.apply(request, (reply as Reply).body as never, fds.length);
    const count = (request as RegionReadCommand).body.count;
    return readData(count, (reply as RegionReadReply).body, new Uint8Array(count), 0);
  };

  /** The connection's state as the client's accepted commands left it (read its getters). */
  get model(): ConnectionModel {
    return this.#model;
  }

  /** Sends any command with NO_REPLY. */
  post<C extends KnownCmd>(cmd: C, body: CommandByCmd[C]['body'], fds: readonly number[] = []): void {
    this.#endpoint.post(cmd, body, fds);
  }

  async #negotiate(caps: Capabilities, minor: number, twinRequired: boolean): Promise<void> {
    const json: VersionJson = { capabilities: caps };
    const data = new TextEncoder().encode(emitVersionJson(json));
    // The JSON goes as `data`; `json` stays beside it for the model.
    const request = { major: 0, minor, data, json };
    const { reply, fds } = await this.#endpoint.request(VFIO_USER_VERSION, request);
    try {
      this.#accept(request, reply, fds, twinRequired);
    } finally {
      closeFds(fds);
    }
  }

  /** Checks the VERSION reply with the model and takes the session it gives; takes the twin socket out of `fds`. */
  #accept(request: CommandByCmd[typeof VFIO_USER_VERSION]['body'], reply: ReplyByCmd[typeof VFIO_USER_VERSION], fds: number[], twinRequired: boolean): void {
    const body = reply.body;
    const rule = this.#model.apply({ cmd: VFIO_USER_VERSION, body: request } as Command, body, fds.length)[0];
    const negotiated = this.#model.negotiated;
    if (rule !== undefined || negotiated === null) {
      const cause = new VfioUserProtocolError(rule?.code ?? 'ERR_VERSION_MAJOR', rule?.message ?? `the server answered version ${body.major}.${body.minor}`, 0, { cmd: VFIO_USER_VERSION });
      throw new VfioUserSessionError('ERR_BAD_REPLY', cause.message, { cmd: VFIO_USER_VERSION, msgId: reply.msg_id, cause });
    }
    if (negotiated.twinSocket === null && twinRequired) {
      throw new VfioUserSessionError('ERR_NOT_NEGOTIATED', 'the server did not grant the twin socket the client requires', { cmd: VFIO_USER_VERSION, msgId: reply.msg_id });
    }
    if (negotiated.twinSocket !== null) this.#twin = this.#adoptTwin(fds, negotiated.twinSocket.fdIndex, negotiated, reply.msg_id);
    this.#server = body.json;
    this.#version = { major: body.major, minor: body.minor };
    this.#endpoint.peerLimits = negotiated.toServer;
  }

  /** The endpoint over the twin socket at `fds[index]` (taken out of `fds`): the server's commands arrive and are answered there. */
  #adoptTwin(fds: number[], index: number, negotiated: Negotiated, msgId: number): Endpoint {
    let channel: Channel;
    try {
      channel = this.#channel.adopt!(fds[index]!);
    } catch (e) {
      const cause = new VfioUserProtocolError('ERR_TWIN_SOCKET', `the twin socket (fd_index ${index}) is not usable: ${(e as Error).message}`, 0, { cmd: VFIO_USER_VERSION, msgId });
      throw new VfioUserSessionError('ERR_BAD_REPLY', cause.message, { cmd: VFIO_USER_VERSION, msgId, cause });
    }
    fds.splice(index, 1);
    const endpoint = new Endpoint(channel, { ...this.#endpointOptions, socket: 'twin' }, {
      command: (m, received) => this.#serve(m, received),
      ...this.#violation,
      // Without the socket the server's commands come on, the connection cannot go on.
      closed: () => this.close(),
    });
    endpoint.peerLimits = negotiated.toServer;
    return endpoint;
  }

  // -- the server's commands ------------------------------------------------

  async #serve(m: Command, fds: ReceivedFds): Promise<Outcome> {
    if (fds.length > 0) throw new ErrnoError(ERRNO.EINVAL, `${fds.length} fds on a command that takes none`);
    if (m.cmd === VFIO_USER_DMA_READ) {
      const { addr, count } = dmaAccess(m.body);
      this.#checkXfer(count);
      if (this.#dma === undefined) throw new ErrnoError(ERRNO.EFAULT, 'no DMA handler');
      const data = await this.#dma.read(addr, Number(count));
      if (data.length !== Number(count)) throw new ErrnoError(ERRNO.EFAULT, `the DMA handler gave ${data.length} bytes for ${count}`);
      return { body: this.#dialect === 'qemu' ? { offset: addr, count: Number(count), data } : { addr, count, data } };
    }
    if (m.cmd === VFIO_USER_DMA_WRITE) {
      const { addr, count } = dmaAccess(m.body);
      this.#checkXfer(count);
      if (this.#dma === undefined) throw new ErrnoError(ERRNO.EFAULT, 'no DMA handler');
      await this.#dma.write(addr, m.body.data);
      return { body: this.#dialect === 'qemu' ? null : { addr, count } };
    }
    throw new VfioUserProtocolError('ERR_WRONG_SENDER', `the server sent ${m.cmd}, which only a client sends`, VFIO_USER_HEADER_OFFSET.cmd, { cmd: m.cmd });
  }


  #checkXfer(count: bigint): void {
    if (count > BigInt(this.#ours.maxDataXferSize)) {
      throw new VfioUserProtocolError('ERR_XFER_SIZE', `count ${count} exceeds the client's max_data_xfer_size ${this.#ours.maxDataXferSize}`, COUNT_OFFSET, { cmd: VFIO_USER_DMA_READ, value: count });
    }
  }

  // -- checks against what was negotiated -------------------------------------

  /** Refuses, before it goes, a command (or a flag bit) that needs a capability the session lacks. */
  #gate(cmd: number, flags = 0): void {
    const rule = this.#model.gate(cmd, flags);
    if (rule !== null) throw new VfioUserProtocolError(rule.code, rule.message, VFIO_USER_HEADER_OFFSET.cmd, { cmd });
  }

  /** The largest data count of one transfer: the server's limit and the client's own. */
  get maxTransfer(): number {
    return Math.min(this.negotiated.toServer.maxDataXferSize, this.#ours.maxDataXferSize);
  }

  // -- DMA (legacy) -----------------------------------------------------------

  /** DMA_MAP: a window of client memory; with `fd` the server reaches it through the fd, else by DMA_READ/DMA_WRITE. */
  async dmaMap(args: DmaMapArgs, fd?: number): Promise<void> {
    await this.request(VFIO_USER_DMA_MAP, { argsz: vfio_user_dma_map_SIZE, flags: args.flags, offset: args.offset ?? 0n, addr: args.addr, size: args.size }, { fds: fd === undefined ? [] : [fd] });
  }

  /** DMA_UNMAP of one window (it must match a DMA_MAP exactly). */
  async dmaUnmap(addr: bigint, size: bigint): Promise<DmaUnmapReplyBody> {
    return (await this.request(VFIO_USER_DMA_UNMAP, { argsz: vfio_user_dma_unmap_SIZE, flags: 0, addr, size, bitmap: null })).reply.body;
  }

  /** DMA_UNMAP with GET_DIRTY_BITMAP: unmaps the window and returns its dirty bitmap (bit i = page i of `pgsize`). */
  async dmaUnmapDirty(addr: bigint, size: bigint, pgsize: bigint, bitmapSize: bigint): Promise<Uint8Array> {
    const body = (await this.request(VFIO_USER_DMA_UNMAP, { argsz: vfio_user_dma_unmap_SIZE + vfio_user_bitmap_SIZE + Number(bitmapSize), flags: VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, addr, size, bitmap: { pgsize, size: bitmapSize } })).reply.body;
    return body.bitmap?.data ?? new Uint8Array(0);
  }

  /** DMA_UNMAP with ALL: every window. */
  async dmaUnmapAll(): Promise<void> {
    await this.request(VFIO_USER_DMA_UNMAP, { argsz: vfio_user_dma_unmap_SIZE, flags: VFIO_DMA_UNMAP_FLAG_ALL, addr: 0n, size: 0n, bitmap: null });
  }

  // -- the device ---------------------------------------------------------------

  /** DEVICE_GET_INFO. */
  async getDeviceInfo(): Promise<vfio_user_device_info> {
    return (await this.request(VFIO_USER_DEVICE_GET_INFO, { argsz: vfio_user_device_info_SIZE, flags: 0, num_regions: 0, num_irqs: 0 })).reply.body;
  }

  /**
   * DEVICE_GET_REGION_INFO with its two steps: asks with `argsz` (default
   * 32) and, when the reply needs more room for its capabilities, asks again
   * with the argsz it gave. The fd of an mmap-able region comes back with
   * the caps; the caller owns it.
   */
  async getRegionInfo(index: number, argsz: number = vfio_region_info_SIZE): Promise<RegionInfo> {
    let size = argsz;
    for (let attempt = 0; attempt < 2; attempt++) {
      const { reply, fds } = await this.request(VFIO_USER_DEVICE_GET_REGION_INFO, { argsz: size, flags: 0, index, cap_offset: 0, size: 0n, offset: 0n, padding: new Uint8Array(size - vfio_region_info_SIZE) });
      const body = reply.body;
      if (body.argsz <= size || attempt === 1) return { info: body, fd: fds[0] ?? null };
      closeFds(fds);
      size = body.argsz;
    }
    throw new Error('unreachable');
  }

  /**
   * DEVICE_GET_REGION_IO_FDS with its two steps: asks with room for no entry
   * and, when the server has some, again with the argsz it gave.
   */
  async getRegionIoFds(index: number): Promise<RegionIoFds> {
    let argsz: number = vfio_user_region_io_fds_request_SIZE;
    for (let attempt = 0; attempt < 2; attempt++) {
      const { reply, fds } = await this.request(VFIO_USER_DEVICE_GET_REGION_IO_FDS, { argsz, flags: 0, index, count: 0 });
      if (reply.body.argsz <= argsz || attempt === 1) return { reply: reply.body, fds };
      closeFds(fds);
      argsz = reply.body.argsz;
    }
    throw new Error('unreachable');
  }

  /** DEVICE_GET_IRQ_INFO. */
  async getIrqInfo(index: number): Promise<vfio_irq_info> {
    return (await this.request(VFIO_USER_DEVICE_GET_IRQ_INFO, { argsz: vfio_irq_info_SIZE, flags: 0, index, count: 0 })).reply.body;
  }

  /**
   * DEVICE_SET_IRQS. With DATA_EVENTFD and `fds`, one fd per vector from
   * `start`: sent in as many messages as the server's max_msg_fds needs.
   * DATA_BOOL takes `data`, one byte per vector.
   */
  async setIrqs(args: { flags: number; index: number; start: number; count: number; data?: Uint8Array }, fds: readonly number[] = []): Promise<void> {
    const data = args.data ?? new Uint8Array(0);
    if (fds.length === 0) {
      await this.request(VFIO_USER_DEVICE_SET_IRQS, { argsz: vfio_irq_set_SIZE + data.length, flags: args.flags, index: args.index, start: args.start, count: args.count, data });
      return;
    }
    if (fds.length !== args.count) throw new RangeError(`${fds.length} fds for ${args.count} vectors`);
    const step = Math.max(1, this.negotiated.toServer.maxMsgFds);
    for (let i = 0; i < fds.length; i += step) {
      const part = fds.slice(i, i + step);
      await this.request(VFIO_USER_DEVICE_SET_IRQS, { argsz: vfio_irq_set_SIZE, flags: args.flags, index: args.index, start: args.start + i, count: part.length, data }, { fds: part });
    }
  }

  /** REGION_READ of `count` bytes, in as many requests as the transfer limits need. */
  regionRead(region: number, offset: bigint, count: number): Promise<Uint8Array> {
    // One request (the usual case): its reply's data is copied out as it comes, no promise beyond the request's.
    if (count > 0 && this.#model.negotiated !== null && count <= this.maxTransfer) return this.#endpoint.requestMapped(VFIO_USER_REGION_READ, { offset, region, count }, NO_REQUEST_OPTIONS, this.#readReply);
    return this.#regionReadParts(region, offset, count);
  }

  async #regionReadParts(region: number, offset: bigint, count: number): Promise<Uint8Array> {
    const out = new Uint8Array(count);
    const step = this.maxTransfer;
    for (let done = 0; done < count || (count === 0 && done === 0); done += step) {
      const n = Math.min(step, count - done);
      const body = (await this.request(VFIO_USER_REGION_READ, { offset: offset + BigInt(done), region, count: n })).reply.body;
      if (n === 0) break;
      readData(n, body, out, done);
    }
    return out;
  }

  /** REGION_WRITE of `data`, in as many requests as the server's limit needs. */
  async regionWrite(region: number, offset: bigint, data: Uint8Array): Promise<void> {
    const step = this.maxTransfer;
    for (let done = 0; done < data.length; done += step) {
      const part = data.subarray(done, Math.min(done + step, data.length));
      await this.request(VFIO_USER_REGION_WRITE, { offset: offset + BigInt(done), region, count: part.length, data: part });
    }
  }

  /** REGION_WRITE with NO_REPLY (a posted write): resolves once sent. */
  postRegionWrite(region: number, offset: bigint, data: Uint8Array): void {
    if (data.length > this.negotiated.toServer.maxDataXferSize) {
      throw new VfioUserProtocolError('ERR_XFER_SIZE', `count ${data.length} exceeds the server's max_data_xfer_size`, 0, { cmd: VFIO_USER_REGION_WRITE, value: data.length });
    }
    this.post(VFIO_USER_REGION_WRITE, { offset, region, count: data.length, data });
  }

  /**
   * REGION_WRITE_MULTI: writes of at most 8 bytes each, only to a server that
   * advertised write_multiple (else ERR_NOT_ADVERTISED, before it goes).
   * With `noReply` it is posted (as QEMU does).
   */
  async regionWriteMulti(writes: readonly { region: number; offset: bigint; data: Uint8Array }[], options: { noReply?: boolean } = {}): Promise<void> {
    this.#gate(VFIO_USER_REGION_WRITE_MULTI);
    const wrs: VFIOUserWROne[] = writes.map((w) => {
      if (w.data.length > WR_ONE_DATA) throw new RangeError(`a REGION_WRITE_MULTI entry carries at most ${WR_ONE_DATA} bytes`);
      const data = new Uint8Array(WR_ONE_DATA);
      data.set(w.data);
      return { offset: w.offset, region: w.region, count: w.data.length, data };
    });
    const body = { wr_cnt: BigInt(wrs.length), wrs };
    if (options.noReply === true) this.post(VFIO_USER_REGION_WRITE_MULTI, body);
    else await this.request(VFIO_USER_REGION_WRITE_MULTI, body);
  }

  /** DEVICE_RESET. */
  async reset(): Promise<void> {
    await this.request(VFIO_USER_DEVICE_RESET, null);
  }

  /** DEVICE_FEATURE with the given flags (feature index | GET/SET/PROBE) and payload. */
  async deviceFeature(flags: number, data: CommandByCmd[typeof VFIO_USER_DEVICE_FEATURE]['body']['data'], argsz?: number): Promise<DeviceFeatureReplyBody> {
    const size = argsz ?? vfio_user_device_feature_SIZE + size_DeviceFeatureData(data);
    return (await this.request(VFIO_USER_DEVICE_FEATURE, { argsz: Math.max(size, FEATURE_SIZE), flags, data })).reply.body;
  }

  // -- migration ------------------------------------------------------------------

  /** GET VFIO_DEVICE_FEATURE_MIGRATION: the migration flags (STOP_COPY 1, P2P 2, PRE_COPY 4). */
  async getMigrationFlags(): Promise<bigint> {
    const body = await this.deviceFeature(GET | VFIO_DEVICE_FEATURE_MIGRATION, { kind: 'none' }, FEATURE_SIZE);
    if (body.data.kind !== 'migration') throw badReply(VFIO_USER_DEVICE_FEATURE, 'no migration flags in the reply');
    return body.data.flags;
  }

  /** GET VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE. */
  async getDeviceState(): Promise<number> {
    const body = await this.deviceFeature(GET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, { kind: 'none' }, FEATURE_SIZE);
    if (body.data.kind !== 'mig_state') throw badReply(VFIO_USER_DEVICE_FEATURE, 'no device state in the reply');
    return body.data.device_state;
  }

  /** SET VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE (data_fd -1, as libvfio-user's client sends). */
  async setDeviceState(state: number): Promise<void> {
    await this.deviceFeature(SET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, { kind: 'mig_state', device_state: state, data_fd: NO_DATA_FD }, FEATURE_SIZE);
  }

  /** MIG_DATA_READ: up to `size` bytes of the migration stream; empty at its end. */
  async migDataRead(size: number): Promise<Uint8Array> {
    const body: MigDataReadReplyBody = (await this.request(VFIO_USER_MIG_DATA_READ, { argsz: vfio_user_mig_data_SIZE + size, size })).reply.body;
    if (body.size > size) throw badReply(VFIO_USER_MIG_DATA_READ, `MIG_DATA_READ of ${size} bytes answered with ${body.size}`);
    return body.data.subarray(0, body.size);
  }

  /** MIG_DATA_WRITE of `data`. */
  async migDataWrite(data: Uint8Array): Promise<void> {
    await this.request(VFIO_USER_MIG_DATA_WRITE, { argsz: vfio_user_mig_data_SIZE + data.length, size: data.length, data });
  }

  /** Reads the migration stream to its end, in chunks of at most the transfer limits. */
  async migDataReadAll(): Promise<Uint8Array[]> {
    const chunks: Uint8Array[] = [];
    for (;;) {
      const chunk = await this.migDataRead(this.maxTransfer);
      if (chunk.length === 0) return chunks;
      chunks.push(Uint8Array.from(chunk));
    }
  }

  // -- DMA dirty logging -------------------------------------------------------------

  /** SET DMA_LOGGING_START with a page size and the ranges to track. */
  async dmaLoggingStart(pageSize: bigint, ranges: readonly vfio_user_device_feature_dma_logging_range[]): Promise<void> {
    await this.deviceFeature(SET | VFIO_DEVICE_FEATURE_DMA_LOGGING_START, { kind: 'dma_logging_control', page_size: pageSize, num_ranges: ranges.length, reserved: 0, ranges: [...ranges] });
  }

  /** SET DMA_LOGGING_STOP. */
  async dmaLoggingStop(): Promise<void> {
    await this.deviceFeature(SET | VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP, { kind: 'dma_logging_control', page_size: 0n, num_ranges: 0, reserved: 0, ranges: [] });
  }

  /** GET DMA_LOGGING_REPORT: the dirty bitmap of one window (bit i = page i), cleared as it is read. */
  async dmaLoggingReport(iova: bigint, length: bigint, pageSize: bigint, bitmapSize: number): Promise<Uint8Array> {
    const body = await this.deviceFeature(
      GET | VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
      { kind: 'dma_logging_report', iova, length, page_size: pageSize, bitmap: new Uint8Array(0) },
      vfio_user_device_feature_SIZE + vfio_user_device_feature_dma_logging_report_SIZE + bitmapSize,
    );
    if (body.data.kind !== 'dma_logging_report') throw badReply(VFIO_USER_DEVICE_FEATURE, 'no bitmap in the DMA_LOGGING_REPORT reply');
    return body.data.bitmap;
  }

  // -- iommufd ---------------------------------------------------------------------------

  /** IOMMUFD_BIND; resolves with the device id. */
  async bind(): Promise<number> {
    this.#gate(VFIO_USER_IOMMUFD_BIND);
    return (await this.request(VFIO_USER_IOMMUFD_BIND, { argsz: vfio_user_iommufd_bind_SIZE, flags: 0, iommufd: -1, out_devid: 0 })).reply.body.out_devid;
  }

  /** IOMMUFD_ALLOC_IOAS; resolves with the new IOAS id. */
  async allocIoas(): Promise<number> {
    this.#gate(VFIO_USER_IOMMUFD_ALLOC_IOAS);
    return (await this.request(VFIO_USER_IOMMUFD_ALLOC_IOAS, { argsz: vfio_user_iommufd_alloc_ioas_SIZE, flags: 0, out_ioas_id: 0, __reserved: 0 })).reply.body.out_ioas_id;
  }

  /** IOMMUFD_DESTROY_IOAS. */
  async destroyIoas(ioasId: number): Promise<void> {
    this.#gate(VFIO_USER_IOMMUFD_DESTROY_IOAS);
    await this.request(VFIO_USER_IOMMUFD_DESTROY_IOAS, { argsz: vfio_user_iommufd_destroy_ioas_SIZE, flags: 0, ioas_id: ioasId, __reserved: 0 });
  }

  /** IOMMUFD_IOAS_MAP of the memory behind `fd`; resolves with the reply, whose `iova` the server chose. */
  async ioasMap(args: IoasMapArgs, fd: number): Promise<vfio_user_iommufd_ioas_map> {
    const flags = args.flags ?? VFIO_USER_IOMMUFD_MAP_READABLE | VFIO_USER_IOMMUFD_MAP_WRITEABLE;
    this.#gate(VFIO_USER_IOMMUFD_IOAS_MAP, flags);
    const body = { argsz: vfio_user_iommufd_ioas_map_SIZE, flags, ioas_id: args.ioas_id, __reserved: 0, user_va: args.user_va ?? 0n, length: args.length, iova: 0n, offset: args.offset ?? 0n };
    return (await this.request(VFIO_USER_IOMMUFD_IOAS_MAP, body, { fds: [fd] })).reply.body;
  }

  /** IOMMUFD_IOAS_UNMAP of one mapping (iova and length exactly as mapped). */
  async ioasUnmap(ioasId: number, iova: bigint, length: bigint): Promise<void> {
    this.#gate(VFIO_USER_IOMMUFD_IOAS_UNMAP);
    await this.request(VFIO_USER_IOMMUFD_IOAS_UNMAP, { argsz: vfio_user_iommufd_ioas_unmap_SIZE, flags: 0, ioas_id: ioasId, __reserved: 0, iova, length });
  }

  /** IOMMUFD_IOAS_COPY (PR #833 defines it; its server has no handler and answers EINVAL). */
  async ioasCopy(args: { flags: number; src_ioas_id: number; dst_ioas_id: number; src_iova: bigint; dst_iova: bigint; length: bigint }): Promise<void> {
    this.#gate(VFIO_USER_IOMMUFD_IOAS_COPY);
    await this.request(VFIO_USER_IOMMUFD_IOAS_COPY, { argsz: vfio_user_iommufd_ioas_copy_SIZE, ...args });
  }

  /** IOMMUFD_ATTACH_PT of an IOAS. */
  async attachPt(ptId: number): Promise<void> {
    this.#gate(VFIO_USER_IOMMUFD_ATTACH_PT);
    await this.request(VFIO_USER_IOMMUFD_ATTACH_PT, { argsz: vfio_user_iommufd_attach_pt_SIZE, flags: 0, pt_id: ptId, pasid: 0 });
  }

  /** IOMMUFD_DETACH_PT. */
  async detachPt(): Promise<void> {
    this.#gate(VFIO_USER_IOMMUFD_DETACH_PT);
    await this.request(VFIO_USER_IOMMUFD_DETACH_PT, { argsz: vfio_user_iommufd_detach_pt_SIZE, flags: 0, pasid: 0, __reserved: 0 });
  }
}

function dmaAccess(body: CommandByCmd[typeof VFIO_USER_DMA_READ]['body'] | CommandByCmd[typeof VFIO_USER_DMA_WRITE]['body']): { addr: bigint; count: bigint } {
  return 'addr' in body ? { addr: body.addr, count: body.count } : { addr: body.offset, count: BigInt(body.count) };
}

function badReply(cmd: number, message: string): VfioUserSessionError {
  return new VfioUserSessionError('ERR_BAD_REPLY', message, { cmd });
}
