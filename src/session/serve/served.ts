/**
 * What the server keeps for one connection besides its protocol state (which
 * is the connection model's): the resources a client makes it hold — DMA
 * windows with their fds and dirty pages, IOAS objects, interrupt eventfds,
 * migration data received — and the checks on them that the handlers of
 * every area share.
 */
import { commandName } from '../../codec.js';
import type { ConnectionModel } from '../../model/connection.js';
import { DEFAULT_LIMITS } from '../../options.js';
import type { Capabilities } from '../../capabilities.js';
import { bitmapBytesOf, DmaWindows, type DmaPiece, type DmaWindow, type Ioas } from '../dma.js';
import { ERRNO, ErrnoError, VfioUserSessionError } from '../errors.js';
import { closeFds } from '../fds.js';
import { overSessionLimit, type SessionLimits } from '../limits.js';
import { checkDmaFd, LOCAL_FS_TYPES } from '../peerfds.js';
import type { Device, RegionSpec, ServerConnection, ServerOptions } from '../server.js';
import { CAPABILITY_DEFAULTS, VFIO_REGION_INFO_FLAG_READ } from '../../../generated/ts/constants.js';

/** The page size of DMA windows and dirty bitmaps when the session names none. */
export const PAGE = BigInt(CAPABILITY_DEFAULTS.pgsizes);

/** Past this a file position is not a safe JavaScript number. */
const MAX_FILE_POSITION = BigInt(Number.MAX_SAFE_INTEGER);

/** The interrupt fds and mask state of one IRQ index. */
export interface IrqState {
  readonly fds: (number | null)[];
  readonly masked: boolean[];
  readonly pending: boolean[];
}

/** One connection's resources and the server's view of it, as the handlers see them. */
export class Served {
  /** The legacy DMA windows (DMA_MAP). */
  readonly legacy = new DmaWindows();
  /** The IOAS objects by id, each with its windows. */
  readonly ioas = new Map<number, Ioas>();
  /** The id the next IOAS gets. */
  nextIoas = 1;
  /** Interrupt state by IRQ index. */
  readonly irqs = new Map<number, IrqState>();
  /** Bytes of MIG_DATA_WRITE since the device entered RESUMING. */
  resumed = 0;

  constructor(
    readonly conn: ServerConnection,
    readonly device: Device,
    readonly model: ConnectionModel,
    readonly limits: SessionLimits,
    readonly options: ServerOptions,
    /** The capabilities the server advertises. */
    readonly capabilities: () => Capabilities,
  ) {}

  /**
   * Checks a new window against the session limits (windows, fds, dirty
   * memory while logging) and its fd against the kinds the server reads and
   * writes without blocking.
   * @throws ERR_SESSION_LIMIT, ERR_FD_KIND, EINVAL for an fd range above 2^53.
   */
  admitWindow(cmd: number, fd: number | null, offset: bigint, size: bigint): void {
    const windows = this.allWindows();
    const l = this.limits;
    if (windows.length >= l.maxDmaWindows) throw overSessionLimit('maxDmaWindows', l.maxDmaWindows, `window ${windows.length + 1}`, cmd);
    if (fd === null) return;
    if (this.heldFds() >= l.maxFdsPerConnection) throw overSessionLimit('maxFdsPerConnection', l.maxFdsPerConnection, `fd ${this.heldFds() + 1}`, cmd);
    if (offset + size > MAX_FILE_POSITION) throw new ErrnoError(ERRNO.EINVAL, `the window's fd range 0x${offset.toString(16)}+0x${size.toString(16)} ends above 2^53, beyond any file the server can reach`);
    checkDmaFd(fd, this.options.dmaFsTypes ?? LOCAL_FS_TYPES);
    const logging = this.model.logging;
    if (logging !== null) this.checkDirtyBudget(logging, size, cmd);
  }

  /** The fds this connection makes the server hold: windows with an fd and interrupt fds. */
  heldFds(): number {
    let n = 0;
    for (const w of this.allWindows()) if (w.fd !== null) n++;
    for (const s of this.irqs.values()) for (const fd of s.fds) if (fd !== null) n++;
    return n;
  }

  /** Refuses dirty logging at `pageSize` whose bitmaps (with `extra` bytes of window more) would exceed maxDirtyBitmapBytes. */
  checkDirtyBudget(pageSize: bigint, extra: bigint, cmd: number): void {
    let bytes = extra === 0n ? 0n : bitmapBytesOf(extra, pageSize);
    for (const w of this.allWindows()) bytes += bitmapBytesOf(w.size, pageSize);
    const max = this.limits.maxDirtyBitmapBytes;
    if (bytes > BigInt(max)) throw overSessionLimit('maxDirtyBitmapBytes', max, `dirty logging at page size ${pageSize} needs ${bytes} bytes of bitmap`, cmd);
  }

  /** The smallest page size the session allows: the lowest bit of the negotiated pgsizes. */
  minPage(): bigint {
    const p = this.model.negotiated?.pgsizes ?? Number(PAGE);
    return BigInt(p & -p) || PAGE;
  }

  /**
   * Refuses a reply of `bytes` (header included) above maxMessageSize, and
   * a bitmap page size below the negotiated page size, before anything is
   * allocated.
   */
  checkBitmapReply(cmd: number, pageSize: bigint, bytes: bigint): void {
    if (pageSize < this.minPage()) throw new ErrnoError(ERRNO.EINVAL, `bitmap page size ${pageSize} is below the session's page size ${this.minPage()}`);
    const max = this.options.limits?.maxMessageSize ?? DEFAULT_LIMITS.maxMessageSize;
    if (bytes > BigInt(max)) {
      throw new VfioUserSessionError('ERR_REPLY_TOO_LARGE', `the ${commandName(cmd)} reply would be ${bytes} bytes, above maxMessageSize ${max}`, { cmd });
    }
  }

  unmapped(w: DmaWindow): void {
    this.device.dmaUnmapped?.(this.conn, w);
    if (w.fd !== null) closeFds([w.fd]);
  }

  region(index: number): RegionSpec {
    if (index >= this.device.regions.length) throw new ErrnoError(ERRNO.EINVAL, `no region ${index}`);
    return this.device.regions[index] ?? { flags: 0, size: 0n };
  }

  access(region: number, offset: bigint, count: number, need: number): void {
    const r = this.region(region);
    if ((r.flags & need) === 0) throw new ErrnoError(ERRNO.EINVAL, `region ${region} is not ${need === VFIO_REGION_INFO_FLAG_READ ? 'readable' : 'writable'}`);
    if (offset + BigInt(count) > r.size) throw new ErrnoError(ERRNO.EINVAL, `0x${offset.toString(16)}+${count} is outside region ${region} (0x${r.size.toString(16)} bytes)`);
  }

  /** Every window a device address can reach. */
  allWindows(): DmaWindow[] {
    return [...this.legacy.list, ...[...this.ioas.values()].flatMap((i) => i.windows.list)];
  }

  /** Whether [addr, addr + length) lies in mapped windows (any access). */
  covered(addr: bigint, length: bigint): boolean {
    const count = Number(length);
    return Number.isSafeInteger(count) && this.resolve(addr, count, 0) !== null;
  }

  /** The window of exactly [iova, iova + length): ENOENT when nothing is mapped there, ENOTSUP for part of a window. */
  exactWindow(iova: bigint, length: bigint): DmaWindow {
    const attached = this.model.attached;
    const ioas = attached === null ? undefined : this.ioas.get(attached);
    for (const set of [ioas?.windows, this.legacy]) {
      const w = set?.exact(iova, length);
      if (w !== undefined) return w;
    }
    const any = (ioas?.windows.overlapping(iova, length).length ?? 0) + this.legacy.overlapping(iova, length).length;
    throw new ErrnoError(any > 0 ? ERRNO.ENOTSUP : ERRNO.ENOENT, `0x${iova.toString(16)}+0x${length.toString(16)} is ${any > 0 ? 'part of a window' : 'not mapped'}`);
  }

  ioasOf(id: number): Ioas {
    const ioas = this.ioas.get(id);
    if (ioas === undefined) throw new ErrnoError(ERRNO.ENOENT, `no IOAS ${id}`);
    return ioas;
  }

  irqState(index: number, count: number): IrqState {
    let s = this.irqs.get(index);
    if (s === undefined) {
      s = { fds: new Array<number | null>(count).fill(null), masked: new Array<boolean>(count).fill(false), pending: new Array<boolean>(count).fill(false) };
      this.irqs.set(index, s);
    }
    return s;
  }

  resolve(addr: bigint, count: number, prot: number): DmaPiece[] | null {
    const attached = this.model.attached;
    const ioas = attached === null ? undefined : this.ioas.get(attached);
    return ioas?.windows.resolve(addr, count, prot) ?? this.legacy.resolve(addr, count, prot);
  }

  /** Everything the connection held goes (the client left). */
  drop(): void {
    for (const w of this.legacy.clear()) this.unmapped(w);
    for (const ioas of this.ioas.values()) for (const w of ioas.windows.clear()) this.unmapped(w);
    this.ioas.clear();
    for (const s of this.irqs.values()) closeFds(s.fds.filter((fd): fd is number => fd !== null));
    this.irqs.clear();
  }
}
