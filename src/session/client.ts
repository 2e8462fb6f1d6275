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
  MigDataReadReplyBody,
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
import type { KnownCmd } from '../build.js';
import { emitVersionJson, negotiate, type Capabilities, type Negotiated, type VersionJson } from '../capabilities.js';
import { commandName } from '../codec.js';
import { checkIommufdGate } from '../conversation.js';
import { VfioUserError, VfioUserProtocolError } from '../errors.js';
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

const GET = 0x10000;
const SET = 0x20000;
const FEATURE_MIGRATION = 1;
const FEATURE_MIG_DEVICE_STATE = 2;
const FEATURE_DMA_LOGGING_START = 6;
const FEATURE_DMA_LOGGING_STOP = 7;
const FEATURE_DMA_LOGGING_REPORT = 8;
const REGION_INFO_SIZE = 32;
const IO_FDS_SIZE = 16;

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
  #negotiated: Negotiated | null = null;
  #server: VersionJson | null = null;
  #version: { major: number; minor: number } = { major: 0, minor: 0 };

  private constructor(channel: Channel, options: ClientOptions, caps: Capabilities) {
    this.#channel = channel;
    this.#dma = options.dma;
    this.#dialect = options.dialect ?? 'default';
    this.#violation = options.onViolation === undefined ? {} : { violation: options.onViolation };
    this.#ours = { maxMsgFds: caps.max_msg_fds ?? 1, maxDataXferSize: caps.max_data_xfer_size ?? 1048576 };
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
          throw new VfioUserProtocolError('ERR_WRONG_SOCKET', `${commandName(m.cmd)} on the main socket, while the twin socket carries the server's commands`, 2, { cmd: m.cmd });
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
    if (this.#negotiated === null) throw new Error('not negotiated');
    return this.#negotiated;
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
    return this.#endpoint.request(cmd, body, options);
  }

  /** Sends any command with NO_REPLY. */
  post<C extends KnownCmd>(cmd: C, body: CommandByCmd[C]['body'], fds: readonly number[] = []): void {
    this.#endpoint.post(cmd, body, fds);
  }

  async #negotiate(caps: Capabilities, minor: number, twinRequired: boolean): Promise<void> {
    const json: VersionJson = { capabilities: caps };
    const data = new TextEncoder().encode(emitVersionJson(json));
    const { reply, fds } = await this.#endpoint.request(1, { major: 0, minor, data, json: null });
    try {
      this.#accept(json, reply, fds, minor, twinRequired);
    } finally {
      closeFds(fds);
    }
  }

  /** Checks the VERSION reply and takes the session it gives; takes the twin socket out of `fds`. */
  #accept(json: VersionJson, reply: ReplyByCmd[1], fds: number[], minor: number, twinRequired: boolean): void {
    const body = reply.body;
    if (body.major !== 0 || body.minor > minor) {
      const cause = new VfioUserProtocolError('ERR_VERSION_MAJOR', `the server answered version ${body.major}.${body.minor} to 0.${minor}`, 0, { cmd: 1 });
      throw new VfioUserSessionError('ERR_BAD_REPLY', cause.message, { cmd: 1, msgId: reply.msg_id, cause });
    }
    let negotiated: Negotiated;
    try {
      negotiated = negotiate(json, body.json, { serverFds: fds.length });
    } catch (e) {
      if (!(e instanceof VfioUserError)) throw e;
      throw new VfioUserSessionError('ERR_BAD_REPLY', e.message, { cmd: 1, msgId: reply.msg_id, cause: e });
    }
    if (negotiated.twinSocket === null && twinRequired) {
      throw new VfioUserSessionError('ERR_NOT_NEGOTIATED', 'the server did not grant the twin socket the client requires', { cmd: 1, msgId: reply.msg_id });
    }
    if (negotiated.twinSocket !== null) this.#twin = this.#adoptTwin(fds, negotiated.twinSocket.fdIndex, negotiated, reply.msg_id);
    this.#server = body.json;
    this.#version = { major: body.major, minor: body.minor };
    this.#negotiated = negotiated;
    this.#endpoint.peerLimits = negotiated.toServer;
  }

  /** The endpoint over the twin socket at `fds[index]` (taken out of `fds`): the server's commands arrive and are answered there. */
  #adoptTwin(fds: number[], index: number, negotiated: Negotiated, msgId: number): Endpoint {
    let channel: Channel;
    try {
      channel = this.#channel.adopt!(fds[index]!);
    } catch (e) {
      const cause = new VfioUserProtocolError('ERR_TWIN_SOCKET', `the twin socket (fd_index ${index}) is not usable: ${(e as Error).message}`, 0, { cmd: 1, msgId });
      throw new VfioUserSessionError('ERR_BAD_REPLY', cause.message, { cmd: 1, msgId, cause });
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
    if (m.cmd === 11) {
      const { addr, count } = dmaAccess(m.body);
      this.#checkXfer(count);
      if (this.#dma === undefined) throw new ErrnoError(ERRNO.EFAULT, 'no DMA handler');
      const data = await this.#dma.read(addr, Number(count));
      if (data.length !== Number(count)) throw new ErrnoError(ERRNO.EFAULT, `the DMA handler gave ${data.length} bytes for ${count}`);
      return { body: this.#dialect === 'qemu' ? { offset: addr, count: Number(count), data } : { addr, count, data } };
    }
    if (m.cmd === 12) {
      const { addr, count } = dmaAccess(m.body);
      this.#checkXfer(count);
      if (this.#dma === undefined) throw new ErrnoError(ERRNO.EFAULT, 'no DMA handler');
      await this.#dma.write(addr, m.body.data);
      return { body: this.#dialect === 'qemu' ? null : { addr, count } };
    }
    throw new VfioUserProtocolError('ERR_WRONG_SENDER', `the server sent ${m.cmd}, which only a client sends`, 2, { cmd: m.cmd });
  }


  #checkXfer(count: bigint): void {
    if (count > BigInt(this.#ours.maxDataXferSize)) {
      throw new VfioUserProtocolError('ERR_XFER_SIZE', `count ${count} exceeds the client's max_data_xfer_size ${this.#ours.maxDataXferSize}`, 16 + 8, { cmd: 11, value: count });
    }
  }

  // -- checks against what was negotiated -------------------------------------

  #gate(cmd: number): void {
    checkIommufdGate(cmd, this.negotiated.iommufd);
  }

  /** The largest data count of one transfer: the server's limit and the client's own. */
  get maxTransfer(): number {
    return Math.min(this.negotiated.toServer.maxDataXferSize, this.#ours.maxDataXferSize);
  }

  // -- DMA (legacy) -----------------------------------------------------------

  /** DMA_MAP: a window of client memory; with `fd` the server reaches it through the fd, else by DMA_READ/DMA_WRITE. */
  async dmaMap(args: DmaMapArgs, fd?: number): Promise<void> {
    await this.request(2, { argsz: 32, flags: args.flags, offset: args.offset ?? 0n, addr: args.addr, size: args.size }, { fds: fd === undefined ? [] : [fd] });
  }

  /** DMA_UNMAP of one window (it must match a DMA_MAP exactly). */
  async dmaUnmap(addr: bigint, size: bigint): Promise<DmaUnmapReplyBody> {
    return (await this.request(3, { argsz: 24, flags: 0, addr, size, bitmap: null })).reply.body;
  }

  /** DMA_UNMAP with GET_DIRTY_BITMAP: unmaps the window and returns its dirty bitmap (bit i = page i of `pgsize`). */
  async dmaUnmapDirty(addr: bigint, size: bigint, pgsize: bigint, bitmapSize: bigint): Promise<Uint8Array> {
    const body = (await this.request(3, { argsz: 24 + 16 + Number(bitmapSize), flags: 1, addr, size, bitmap: { pgsize, size: bitmapSize } })).reply.body;
    return body.bitmap?.data ?? new Uint8Array(0);
  }

  /** DMA_UNMAP with ALL: every window. */
  async dmaUnmapAll(): Promise<void> {
    await this.request(3, { argsz: 24, flags: 2, addr: 0n, size: 0n, bitmap: null });
  }

  // -- the device ---------------------------------------------------------------

  /** DEVICE_GET_INFO. */
  async getDeviceInfo(): Promise<vfio_user_device_info> {
    return (await this.request(4, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 })).reply.body;
  }

  /**
   * DEVICE_GET_REGION_INFO with its two steps: asks with `argsz` (default
   * 32) and, when the reply needs more room for its capabilities, asks again
   * with the argsz it gave. The fd of an mmap-able region comes back with
   * the caps; the caller owns it.
   */
  async getRegionInfo(index: number, argsz = REGION_INFO_SIZE): Promise<RegionInfo> {
    let size = argsz;
    for (let attempt = 0; attempt < 2; attempt++) {
      const { reply, fds } = await this.request(5, { argsz: size, flags: 0, index, cap_offset: 0, size: 0n, offset: 0n, padding: new Uint8Array(size - REGION_INFO_SIZE) });
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
    let argsz = IO_FDS_SIZE;
    for (let attempt = 0; attempt < 2; attempt++) {
      const { reply, fds } = await this.request(6, { argsz, flags: 0, index, count: 0 });
      if (reply.body.argsz <= argsz || attempt === 1) return { reply: reply.body, fds };
      closeFds(fds);
      argsz = reply.body.argsz;
    }
    throw new Error('unreachable');
  }

  /** DEVICE_GET_IRQ_INFO. */
  async getIrqInfo(index: number): Promise<vfio_irq_info> {
    return (await this.request(7, { argsz: 16, flags: 0, index, count: 0 })).reply.body;
  }

  /**
   * DEVICE_SET_IRQS. With DATA_EVENTFD and `fds`, one fd per vector from
   * `start`: sent in as many messages as the server's max_msg_fds needs.
   * DATA_BOOL takes `data`, one byte per vector.
   */
  async setIrqs(args: { flags: number; index: number; start: number; count: number; data?: Uint8Array }, fds: readonly number[] = []): Promise<void> {
    const data = args.data ?? new Uint8Array(0);
    if (fds.length === 0) {
      await this.request(8, { argsz: 20 + data.length, flags: args.flags, index: args.index, start: args.start, count: args.count, data });
      return;
    }
    if (fds.length !== args.count) throw new RangeError(`${fds.length} fds for ${args.count} vectors`);
    const step = Math.max(1, this.negotiated.toServer.maxMsgFds);
    for (let i = 0; i < fds.length; i += step) {
      const part = fds.slice(i, i + step);
      await this.request(8, { argsz: 20, flags: args.flags, index: args.index, start: args.start + i, count: part.length, data }, { fds: part });
    }
  }

  /** REGION_READ of `count` bytes, in as many requests as the transfer limits need. */
  async regionRead(region: number, offset: bigint, count: number): Promise<Uint8Array> {
    const out = new Uint8Array(count);
    const step = this.maxTransfer;
    for (let done = 0; done < count || (count === 0 && done === 0); done += step) {
      const n = Math.min(step, count - done);
      const body = (await this.request(9, { offset: offset + BigInt(done), region, count: n })).reply.body;
      if (n === 0) break;
      if (body === null || body.data.length !== n) {
        const cause = new VfioUserProtocolError('ERR_REPLY_MISMATCH', `REGION_READ of ${n} bytes answered with ${body?.data.length ?? 0}`, 0, { cmd: 9 });
        throw new VfioUserSessionError('ERR_BAD_REPLY', cause.message, { cmd: 9, cause });
      }
      out.set(body.data, done);
    }
    return out;
  }

  /** REGION_WRITE of `data`, in as many requests as the server's limit needs. */
  async regionWrite(region: number, offset: bigint, data: Uint8Array): Promise<void> {
    const step = this.maxTransfer;
    for (let done = 0; done < data.length; done += step) {
      const part = data.subarray(done, Math.min(done + step, data.length));
      await this.request(10, { offset: offset + BigInt(done), region, count: part.length, data: part });
    }
  }

  /** REGION_WRITE with NO_REPLY (a posted write): resolves once sent. */
  postRegionWrite(region: number, offset: bigint, data: Uint8Array): void {
    if (data.length > this.negotiated.toServer.maxDataXferSize) {
      throw new VfioUserProtocolError('ERR_XFER_SIZE', `count ${data.length} exceeds the server's max_data_xfer_size`, 0, { cmd: 10, value: data.length });
    }
    this.post(10, { offset, region, count: data.length, data });
  }

  /**
   * REGION_WRITE_MULTI: writes of at most 8 bytes each, only to a server that
   * advertised write_multiple. With `noReply` it is posted (as QEMU does).
   */
  async regionWriteMulti(writes: readonly { region: number; offset: bigint; data: Uint8Array }[], options: { noReply?: boolean } = {}): Promise<void> {
    if (!this.negotiated.writeMultiple) {
      throw new VfioUserSessionError('ERR_NOT_NEGOTIATED', 'REGION_WRITE_MULTI to a server that did not advertise write_multiple', { cmd: 15 });
    }
    const wrs: VFIOUserWROne[] = writes.map((w) => {
      if (w.data.length > 8) throw new RangeError('a REGION_WRITE_MULTI entry carries at most 8 bytes');
      const data = new Uint8Array(8);
      data.set(w.data);
      return { offset: w.offset, region: w.region, count: w.data.length, data };
    });
    const body = { wr_cnt: BigInt(wrs.length), wrs };
    if (options.noReply === true) this.post(15, body);
    else await this.request(15, body);
  }

  /** DEVICE_RESET. */
  async reset(): Promise<void> {
    await this.request(13, null);
  }

  /** DEVICE_FEATURE with the given flags (feature index | GET/SET/PROBE) and payload. */
  async deviceFeature(flags: number, data: CommandByCmd[16]['body']['data'], argsz?: number): Promise<DeviceFeatureReplyBody> {
    const size = argsz ?? 8 + size_DeviceFeatureData(data);
    return (await this.request(16, { argsz: Math.max(size, 16), flags, data })).reply.body;
  }

  // -- migration ------------------------------------------------------------------

  /** GET VFIO_DEVICE_FEATURE_MIGRATION: the migration flags (STOP_COPY 1, P2P 2, PRE_COPY 4). */
  async getMigrationFlags(): Promise<bigint> {
    const body = await this.deviceFeature(GET | FEATURE_MIGRATION, { kind: 'none' }, 16);
    if (body.data.kind !== 'migration') throw badReply(16, 'no migration flags in the reply');
    return body.data.flags;
  }

  /** GET VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE. */
  async getDeviceState(): Promise<number> {
    const body = await this.deviceFeature(GET | FEATURE_MIG_DEVICE_STATE, { kind: 'none' }, 16);
    if (body.data.kind !== 'mig_state') throw badReply(16, 'no device state in the reply');
    return body.data.device_state;
  }

  /** SET VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE (data_fd -1, as libvfio-user's client sends). */
  async setDeviceState(state: number): Promise<void> {
    await this.deviceFeature(SET | FEATURE_MIG_DEVICE_STATE, { kind: 'mig_state', device_state: state, data_fd: 0xffffffff }, 16);
  }

  /** MIG_DATA_READ: up to `size` bytes of the migration stream; empty at its end. */
  async migDataRead(size: number): Promise<Uint8Array> {
    const body: MigDataReadReplyBody = (await this.request(17, { argsz: 8 + size, size })).reply.body;
    if (body.size > size) throw badReply(17, `MIG_DATA_READ of ${size} bytes answered with ${body.size}`);
    return body.data.subarray(0, body.size);
  }

  /** MIG_DATA_WRITE of `data`. */
  async migDataWrite(data: Uint8Array): Promise<void> {
    await this.request(18, { argsz: 8 + data.length, size: data.length, data });
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
    await this.deviceFeature(SET | FEATURE_DMA_LOGGING_START, { kind: 'dma_logging_control', page_size: pageSize, num_ranges: ranges.length, reserved: 0, ranges: [...ranges] });
  }

  /** SET DMA_LOGGING_STOP. */
  async dmaLoggingStop(): Promise<void> {
    await this.deviceFeature(SET | FEATURE_DMA_LOGGING_STOP, { kind: 'dma_logging_control', page_size: 0n, num_ranges: 0, reserved: 0, ranges: [] });
  }

  /** GET DMA_LOGGING_REPORT: the dirty bitmap of one window (bit i = page i), cleared as it is read. */
  async dmaLoggingReport(iova: bigint, length: bigint, pageSize: bigint, bitmapSize: number): Promise<Uint8Array> {
    const body = await this.deviceFeature(
      GET | FEATURE_DMA_LOGGING_REPORT,
      { kind: 'dma_logging_report', iova, length, page_size: pageSize, bitmap: new Uint8Array(0) },
      8 + 24 + bitmapSize,
    );
    if (body.data.kind !== 'dma_logging_report') throw badReply(16, 'no bitmap in the DMA_LOGGING_REPORT reply');
    return body.data.bitmap;
  }

  // -- iommufd ---------------------------------------------------------------------------

  /** IOMMUFD_BIND; resolves with the device id. */
  async bind(): Promise<number> {
    this.#gate(24);
    return (await this.request(24, { argsz: 16, flags: 0, iommufd: -1, out_devid: 0 })).reply.body.out_devid;
  }

  /** IOMMUFD_ALLOC_IOAS; resolves with the new IOAS id. */
  async allocIoas(): Promise<number> {
    this.#gate(19);
    return (await this.request(19, { argsz: 16, flags: 0, out_ioas_id: 0, __reserved: 0 })).reply.body.out_ioas_id;
  }

  /** IOMMUFD_DESTROY_IOAS. */
  async destroyIoas(ioasId: number): Promise<void> {
    this.#gate(20);
    await this.request(20, { argsz: 16, flags: 0, ioas_id: ioasId, __reserved: 0 });
  }

  /** IOMMUFD_IOAS_MAP of the memory behind `fd`; resolves with the reply, whose `iova` the server chose. */
  async ioasMap(args: IoasMapArgs, fd: number): Promise<vfio_user_iommufd_ioas_map> {
    this.#gate(21);
    const body = { argsz: 48, flags: args.flags ?? 3, ioas_id: args.ioas_id, __reserved: 0, user_va: args.user_va ?? 0n, length: args.length, iova: 0n, offset: args.offset ?? 0n };
    return (await this.request(21, body, { fds: [fd] })).reply.body;
  }

  /** IOMMUFD_IOAS_UNMAP of one mapping (iova and length exactly as mapped). */
  async ioasUnmap(ioasId: number, iova: bigint, length: bigint): Promise<void> {
    this.#gate(22);
    await this.request(22, { argsz: 32, flags: 0, ioas_id: ioasId, __reserved: 0, iova, length });
  }

  /** IOMMUFD_IOAS_COPY (PR #833 defines it; its server has no handler and answers EINVAL). */
  async ioasCopy(args: { flags: number; src_ioas_id: number; dst_ioas_id: number; src_iova: bigint; dst_iova: bigint; length: bigint }): Promise<void> {
    this.#gate(23);
    await this.request(23, { argsz: 40, ...args });
  }

  /** IOMMUFD_ATTACH_PT of an IOAS. */
  async attachPt(ptId: number): Promise<void> {
    this.#gate(25);
    await this.request(25, { argsz: 16, flags: 0, pt_id: ptId, pasid: 0 });
  }

  /** IOMMUFD_DETACH_PT. */
  async detachPt(): Promise<void> {
    this.#gate(26);
    await this.request(26, { argsz: 16, flags: 0, pasid: 0, __reserved: 0 });
  }
}

function dmaAccess(body: CommandByCmd[11]['body'] | CommandByCmd[12]['body']): { addr: bigint; count: bigint } {
  return 'addr' in body ? { addr: body.addr, count: body.count } : { addr: body.offset, count: BigInt(body.count) };
}

function badReply(cmd: number, message: string): VfioUserSessionError {
  return new VfioUserSessionError('ERR_BAD_REPLY', message, { cmd });
}
