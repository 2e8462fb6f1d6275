/**
 * The example device: a small PCI function served over vfio-user.
 *
 * - Config space (region 7, 256 bytes): ids, command register (memory and
 *   bus-master enables, INTx disable), two memory BARs that size themselves,
 *   interrupt pin A, an MSI capability with 4 vectors (64-bit).
 * - BAR0 (region 0, 256 bytes): registers, reached by REGION_READ/WRITE only
 *   (see {@link REG}). A DMA engine copies between BAR1 and client memory;
 *   an ioeventfd covers the DOORBELL register.
 * - BAR1 (region 1, 16 KiB): memory backed by a file; the file's fd goes to
 *   the client with GET_REGION_INFO and its sparse mmap capability covers
 *   [0, 4 KiB) and [8 KiB, 16 KiB); the page between is trapped (the device
 *   still keeps it in the file).
 * - Interrupts: INTx (1 vector) and MSI (4 vectors) on the client's eventfds.
 * - Migration v2 (STOP_COPY and PRE_COPY): the stream carries BAR1 in
 *   PRE_COPY, then the registers, config space and BAR1 again in STOP_COPY.
 *
 * The device is shared by every connection; the session keeps each
 * connection's DMA windows and interrupt fds.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERRNO, ErrnoError, preadFd, pwriteFd, reopenFd, type Device, type DeviceMigration, type IoFdsSpec, type RegionSpec, type ServerConnection } from '../../src/unix/index.js';
import { signalPair, SignalCounter, type SignalPair } from './eventfds.js';

/** PCI ids of the example device. */
export const VENDOR_ID = 0x1234;
export const DEVICE_ID = 0x4e55;
export const SUBSYSTEM_VENDOR_ID = 0x1234;
export const SUBSYSTEM_ID = 0x0001;

/** Region indexes and sizes. */
export const BAR0 = 0;
export const BAR1 = 1;
export const CONFIG = 7;
export const BAR0_SIZE = 0x100;
export const BAR1_SIZE = 0x4000;
export const CONFIG_SIZE = 256;
export const BAR1_SPARSE = [
  { offset: 0x0n, size: 0x1000n },
  { offset: 0x2000n, size: 0x2000n },
] as const;

/** BAR0 registers (32-bit, little-endian). */
export const REG = {
  /** Read-only: 'VFUX'. */
  ID: 0x00,
  /** Read-only: 1. */
  VERSION: 0x04,
  /** Read-write scratch word. */
  SCRATCH: 0x08,
  /** Read-only: doorbell rings counted (ioeventfd signals and DOORBELL writes). */
  DOORBELL_COUNT: 0x0c,
  /** DMA address, low and high words. */
  DMA_ADDR_LO: 0x10,
  DMA_ADDR_HI: 0x14,
  /** Bytes to move. */
  DMA_LEN: 0x18,
  /** Offset in BAR1. */
  DMA_OFFSET: 0x1c,
  /**
   * Write 1: client memory to BAR1; 2: BAR1 to client memory. The write is
   * answered first and the transfer runs after it (a client may serve the
   * device's DMA_READ/DMA_WRITE only once its write is answered); the end of
   * the transfer sets DMA_STATUS and IRQ_STATUS bit 0 and raises the interrupt.
   */
  DMA_CMD: 0x20,
  /** Read-only: 0 idle or running, 1 done, 0x80000000 | errno after a failure. */
  DMA_STATUS: 0x24,
  /** Bit 0: a DMA finished. Write 1 to clear. */
  IRQ_STATUS: 0x28,
  /** Write n: raise MSI vector n (or INTx when MSI is off). */
  IRQ_RAISE: 0x2c,
  /** Read-only: byte sum of the last DMA. */
  CHECKSUM: 0x30,
  /** Write: ring the doorbell (the ioeventfd covers this register). */
  DOORBELL: 0x40,
} as const;

/** The ID register's value: the bytes 'VFUX'. */
export const ID_VALUE = 0x58554656;

export const DMA_TO_DEVICE = 1;
export const DMA_FROM_DEVICE = 2;
export const DMA_DONE = 1;
export const DMA_FAILED = 0x80000000;

/** Config space offsets. */
export const CFG = {
  VENDOR: 0x00,
  DEVICE: 0x02,
  COMMAND: 0x04,
  STATUS: 0x06,
  BAR0: 0x10,
  BAR1: 0x14,
  CAP_PTR: 0x34,
  INTERRUPT_LINE: 0x3c,
  INTERRUPT_PIN: 0x3d,
  MSI: 0x50,
  MSI_CONTROL: 0x52,
} as const;

export const COMMAND_MEMORY = 0x2;
export const COMMAND_BUS_MASTER = 0x4;
export const COMMAND_INTX_DISABLE = 0x400;
export const MSI_ENABLE = 0x1;
export const MSI_VECTORS = 4;

/** IRQ indexes (vfio-pci numbering). */
export const IRQ_INTX = 0;
export const IRQ_MSI = 1;

// vfio_region_info and vfio_irq_info flags
const R = 0x1;
const W = 0x2;
const MMAP = 0x4;
const IRQ_EVENTFD = 0x1;
const IRQ_MASKABLE = 0x2;
const IRQ_AUTOMASKED = 0x4;
const IRQ_NORESIZE = 0x8;

// Migration stream: records of type u32, length u32, then the bytes.
const REC_PRE_COPY_BAR1 = 1;
const REC_STATE = 2;
const REC_BAR1 = 3;
const STATE_STOP = 1;
const STATE_RUNNING = 2;
const STATE_STOP_COPY = 3;
const STATE_RESUMING = 4;
const STATE_PRE_COPY = 6;

/** The config bytes a client may write, by offset: BAR bits beyond the size, command, line, MSI. */
function writableConfigMask(): Uint8Array {
  const m = new Uint8Array(CONFIG_SIZE);
  m[CFG.COMMAND] = COMMAND_MEMORY | COMMAND_BUS_MASTER;
  m[CFG.COMMAND + 1] = COMMAND_INTX_DISABLE >> 8;
  const bar = (at: number, size: number): void => {
    const mask = ~(size - 1) & 0xfffffff0;
    for (let i = 0; i < 4; i++) m[at + i] = (mask >>> (8 * i)) & 0xff;
  };
  bar(CFG.BAR0, BAR0_SIZE);
  bar(CFG.BAR1, BAR1_SIZE);
  m[CFG.INTERRUPT_LINE] = 0xff;
  // MSI: enable and multiple-message enable; address (4-byte aligned) and data.
  m[CFG.MSI_CONTROL] = 0x71;
  for (let i = 0x54; i < 0x5e; i++) m[i] = i === 0x54 ? 0xfc : 0xff;
  return m;
}

function initialConfig(): Uint8Array {
  const c = new Uint8Array(CONFIG_SIZE);
  const v = new DataView(c.buffer);
  v.setUint16(CFG.VENDOR, VENDOR_ID, true);
  v.setUint16(CFG.DEVICE, DEVICE_ID, true);
  v.setUint16(CFG.STATUS, 0x10, true); // capabilities list
  c[0x08] = 1; // revision
  c[0x0b] = 0xff; // class: does not fit a defined class
  v.setUint32(CFG.BAR0, 0x0, true); // 32-bit memory, not prefetchable
  v.setUint32(CFG.BAR1, 0x8, true); // 32-bit memory, prefetchable
  v.setUint16(0x2c, SUBSYSTEM_VENDOR_ID, true);
  v.setUint16(0x2e, SUBSYSTEM_ID, true);
  c[CFG.CAP_PTR] = CFG.MSI;
  c[CFG.INTERRUPT_PIN] = 1;
  c[CFG.MSI] = 0x05; // MSI
  c[CFG.MSI + 1] = 0x00; // last capability
  v.setUint16(CFG.MSI_CONTROL, 0x80 | (2 << 1), true); // 64-bit, 4 vectors capable
  return c;
}

function record(type: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + bytes.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, bytes.length, true);
  out.set(bytes, 8);
  return out;
}

/** Options of {@link ExampleDevice}. */
export interface ExampleDeviceOptions {
  /** Reports what the device does, one line at a time. */
  readonly log?: (line: string) => void;
  /**
  /**
   * Most migration data the device buffers while RESUMING; a MIG_DATA_WRITE
   * beyond it fails with ENOSPC. Default 1 MiB (the device's whole stream
   * is about 33 KiB).
   */
  readonly maxMigrationBytes?: number;
  /**
   * Offer BAR1 for mmap (its fd and sparse areas). Default true; false traps
   * every BAR1 access, and leaves the device without an mmap-able region (QEMU
   * then posts register writes and coalesces them into REGION_WRITE_MULTI).
   */
  readonly mmap?: boolean;
}

/** The example device; see the module doc. */
export class ExampleDevice implements Device {
  readonly flags = 0x3; // RESET | PCI
  readonly regions: readonly (RegionSpec | undefined)[];
  readonly irqs = [
    { flags: IRQ_EVENTFD | IRQ_MASKABLE | IRQ_AUTOMASKED, count: 1 },
    { flags: IRQ_EVENTFD | IRQ_NORESIZE, count: MSI_VECTORS },
    { flags: IRQ_EVENTFD, count: 0 },
    { flags: IRQ_EVENTFD, count: 0 },
    { flags: IRQ_EVENTFD, count: 0 },
  ];
  readonly migration: DeviceMigration;
  readonly #dir: string;
  readonly #bar1Fd: number;
  readonly #regs = new Uint8Array(BAR0_SIZE);
  readonly #config = initialConfig();
  readonly #configMask = writableConfigMask();
  readonly #doorbell: SignalPair;
  readonly #doorbellCounter: SignalCounter;
  readonly #log: (line: string) => void;
  #outgoing: Uint8Array = new Uint8Array(0);
  #incoming: Uint8Array[] = [];
  #incomingBytes = 0;
  /** The connection whose migration stream is being loaded: its buffer goes when it goes. */
  #loading: ServerConnection | null = null;
  readonly #maxMigrationBytes: number;

  constructor(options: ExampleDeviceOptions = {}) {
    this.#log = options.log ?? ((): void => undefined);
    this.#maxMigrationBytes = options.maxMigrationBytes ?? 1 << 20;
    this.#dir = mkdtempSync(join(tmpdir(), 'vfu-device-'));
    this.#bar1Fd = openSync(join(this.#dir, 'bar1'), 'w+');
    ftruncateSync(this.#bar1Fd, BAR1_SIZE);
    rmSync(join(this.#dir, 'bar1'));
    const bar1Fd = this.#bar1Fd;
    this.regions = [
      { flags: R | W, size: BigInt(BAR0_SIZE) },
      // Each client gets a file description of its own: the device's stays private, so no client's fcntl reaches it.
      options.mmap === false
        ? { flags: R | W, size: BigInt(BAR1_SIZE) }
        : { flags: R | W | MMAP, size: BigInt(BAR1_SIZE), openFd: () => reopenFd(bar1Fd), offset: 0n, sparse: [...BAR1_SPARSE] },
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      { flags: R | W, size: BigInt(CONFIG_SIZE) },
      undefined,
    ];
    this.#doorbell = signalPair();
    this.#doorbellCounter = new SignalCounter(this.#doorbell.readFd, () => this.#ring('ioeventfd'));
    this.#resetRegisters();
    const device = this;
    this.migration = {
      flags: 0x1n | 0x4n, // STOP_COPY | PRE_COPY
      transition: (conn, from, to) => device.#transition(conn, from, to),
      read: (_conn, max) => device.#migRead(max),
      write: (conn, data) => {
        if (device.#incomingBytes + data.length > device.#maxMigrationBytes) {
          throw new ErrnoError(ERRNO.ENOSPC, `the device buffers at most ${device.#maxMigrationBytes} bytes of migration data`);
        }
        device.#loading = conn;
        device.#incomingBytes += data.length;
        device.#incoming.push(Uint8Array.from(data));
      },
    };
  }

  /** Releases the BAR1 file and the doorbell eventfd. */
  close(): void {
    this.#doorbellCounter.close();
    closeSync(this.#doorbell.writeFd);
    closeSync(this.#bar1Fd);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #u32(offset: number): number {
    return new DataView(this.#regs.buffer).getUint32(offset, true);
  }

  #setU32(offset: number, value: number): void {
    new DataView(this.#regs.buffer).setUint32(offset, value >>> 0, true);
  }

  #resetRegisters(): void {
    this.#regs.fill(0);
    this.#setU32(REG.ID, ID_VALUE);
    this.#setU32(REG.VERSION, 1);
  }

  #ring(how: string): void {
    this.#setU32(REG.DOORBELL_COUNT, this.#u32(REG.DOORBELL_COUNT) + 1);
    this.#log(`doorbell rung (${how}), count ${this.#u32(REG.DOORBELL_COUNT)}`);
  }

  // -- regions ------------------------------------------------------------

  regionRead(_conn: ServerConnection, index: number, offset: bigint, count: number): Uint8Array {
    const o = Number(offset);
    switch (index) {
      case BAR0:
        return this.#regs.slice(o, o + count);
      case BAR1:
        return preadFd(this.#bar1Fd, offset, count);
      case CONFIG:
        return this.#config.slice(o, o + count);
      default:
        throw new ErrnoError(ERRNO.EINVAL, `region ${index} has no data`);
    }
  }

  async regionWrite(conn: ServerConnection, index: number, offset: bigint, data: Uint8Array): Promise<void> {
    const o = Number(offset);
    switch (index) {
      case BAR0:
        return this.#registerWrite(conn, o, data);
      case BAR1:
        pwriteFd(this.#bar1Fd, offset, data);
        return;
      case CONFIG:
        for (let i = 0; i < data.length; i++) {
          const m = this.#configMask[o + i] ?? 0;
          this.#config[o + i] = ((this.#config[o + i] ?? 0) & ~m) | ((data[i] ?? 0) & m);
        }
        return;
      default:
        throw new ErrnoError(ERRNO.EINVAL, `region ${index} has no data`);
    }
  }

  async #registerWrite(conn: ServerConnection, o: number, data: Uint8Array): Promise<void> {
    if (o % 4 !== 0 || data.length !== 4) throw new ErrnoError(ERRNO.EINVAL, 'registers take aligned 32-bit writes');
    const value = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
    switch (o) {
      case REG.SCRATCH:
      case REG.DMA_ADDR_LO:
      case REG.DMA_ADDR_HI:
      case REG.DMA_LEN:
      case REG.DMA_OFFSET:
        this.#setU32(o, value);
        return;
      case REG.IRQ_STATUS:
        this.#setU32(o, this.#u32(o) & ~value);
        return;
      case REG.IRQ_RAISE:
        this.#raise(conn, value);
        return;
      case REG.DOORBELL:
        this.#ring('register');
        return;
      case REG.DMA_CMD:
        // Reply first, then move the data: never wait for the client's DMA replies while its write waits for ours.
        this.#setU32(REG.DMA_STATUS, 0);
        conn.afterReply(() => this.#dma(conn, value));
        return;
      default:
        // Read-only registers ignore writes.
        return;
    }
  }

  // -- the DMA engine ---------------------------------------------------------

  async #dma(conn: ServerConnection, cmd: number): Promise<void> {
    const addr = (BigInt(this.#u32(REG.DMA_ADDR_HI)) << 32n) | BigInt(this.#u32(REG.DMA_ADDR_LO));
    const len = this.#u32(REG.DMA_LEN);
    const offset = this.#u32(REG.DMA_OFFSET);
    const command = new DataView(this.#config.buffer).getUint16(CFG.COMMAND, true);
    try {
      if ((command & COMMAND_BUS_MASTER) === 0) throw new ErrnoError(ERRNO.EPERM, 'bus mastering is off');
      if (offset + len > BAR1_SIZE) throw new ErrnoError(ERRNO.EINVAL, 'the transfer runs past BAR1');
      let bytes: Uint8Array;
      if (cmd === DMA_TO_DEVICE) {
        bytes = await conn.dmaRead(addr, len);
        pwriteFd(this.#bar1Fd, BigInt(offset), bytes);
      } else if (cmd === DMA_FROM_DEVICE) {
        bytes = preadFd(this.#bar1Fd, BigInt(offset), len);
        await conn.dmaWrite(addr, bytes);
      } else {
        throw new ErrnoError(ERRNO.EINVAL, `DMA command ${cmd}`);
      }
      let sum = 0;
      for (const b of bytes) sum = (sum + b) >>> 0;
      this.#setU32(REG.CHECKSUM, sum);
      this.#setU32(REG.DMA_STATUS, DMA_DONE);
      this.#log(`DMA ${cmd === DMA_TO_DEVICE ? 'to device from' : 'from device to'} 0x${addr.toString(16)}, ${len} bytes, checksum 0x${sum.toString(16)}`);
    } catch (e) {
      const errno = (e as { errno?: number }).errno ?? ERRNO.EIO;
      this.#setU32(REG.DMA_STATUS, DMA_FAILED | Math.abs(errno));
      this.#log(`DMA at 0x${addr.toString(16)} failed: ${(e as Error).message}`);
    }
    this.#setU32(REG.IRQ_STATUS, this.#u32(REG.IRQ_STATUS) | 1);
    this.#raise(conn, 0);
  }

  // -- interrupts -------------------------------------------------------------

  /** MSI vector `vector` when MSI is enabled in config space, else INTx (unless disabled). */
  #raise(conn: ServerConnection, vector: number): void {
    const v = new DataView(this.#config.buffer);
    const msi = v.getUint16(CFG.MSI_CONTROL, true);
    if ((msi & MSI_ENABLE) !== 0) {
      const enabled = 1 << ((msi >> 4) & 0x7);
      if (vector < enabled) conn.triggerIrq(IRQ_MSI, vector);
      return;
    }
    if ((v.getUint16(CFG.COMMAND, true) & COMMAND_INTX_DISABLE) === 0) conn.triggerIrq(IRQ_INTX, 0);
  }

  ioFds(_conn: ServerConnection, index: number): IoFdsSpec | null {
    if (index !== BAR0) return null;
    return {
      entries: [{ gpa_offset: BigInt(REG.DOORBELL), size: 4n, fd_index: 0, type: 0, flags: 0, shadow_mem_fd_index: 0, shadow_offset: 0n, datamatch: 0n }],
      fds: [this.#doorbell.writeFd],
    };
  }

  /** DEVICE_RESET: registers, config space, BAR1 and migration buffers back to their power-on state. */
  reset(): void {
    this.#powerOn();
    this.#log('reset');
  }

  /** A new client starts from the power-on state, whatever the last one left. */
  connected(_conn: ServerConnection): void {
    this.#powerOn();
  }

  /** A client that leaves takes the migration data it was loading with it. */
  disconnected(conn: ServerConnection): void {
    if (this.#loading === conn) this.#dropIncoming();
  }

  #powerOn(): void {
    this.#resetRegisters();
    this.#config.set(initialConfig());
    ftruncateSync(this.#bar1Fd, 0);
    ftruncateSync(this.#bar1Fd, BAR1_SIZE);
    this.#outgoing = new Uint8Array(0);
    this.#dropIncoming();
  }

  #dropIncoming(): void {
    this.#incoming = [];
    this.#incomingBytes = 0;
    this.#loading = null;
  }

  // -- migration ------------------------------------------------------------------

  #bar1(): Uint8Array {
    return preadFd(this.#bar1Fd, 0n, BAR1_SIZE);
  }

  #transition(_conn: ServerConnection, from: number, to: number): void {
    this.#log(`migration state ${from} -> ${to}`);
    if (to === STATE_PRE_COPY) this.#outgoing = record(REC_PRE_COPY_BAR1, this.#bar1());
    else if (to === STATE_STOP_COPY) {
      const state = new Uint8Array(BAR0_SIZE + CONFIG_SIZE);
      state.set(this.#regs, 0);
      state.set(this.#config, BAR0_SIZE);
      const stop = [record(REC_STATE, state), record(REC_BAR1, this.#bar1())];
      const out = new Uint8Array(stop.reduce((n, r) => n + r.length, 0));
      let at = 0;
      for (const r of stop) {
        out.set(r, at);
        at += r.length;
      }
      this.#outgoing = out;
    } else if (to === STATE_RESUMING) this.#dropIncoming();
    else if (from === STATE_RESUMING && to === STATE_STOP) this.#load();
    else if (to === STATE_STOP || to === STATE_RUNNING) this.#outgoing = new Uint8Array(0);
  }

  #migRead(max: number): Uint8Array {
    const n = Math.min(max, this.#outgoing.length);
    const chunk = this.#outgoing.slice(0, n);
    this.#outgoing = this.#outgoing.subarray(n);
    return chunk;
  }

  /** Applies a loaded stream; the pre-copy image is superseded by the stop-copy one. */
  #load(): void {
    const total = this.#incoming.reduce((n, c) => n + c.length, 0);
    const all = new Uint8Array(total);
    let at = 0;
    for (const c of this.#incoming) {
      all.set(c, at);
      at += c.length;
    }
    this.#dropIncoming();
    const v = new DataView(all.buffer);
    let state: Uint8Array | null = null;
    let bar1: Uint8Array | null = null;
    for (let o = 0; o < all.length; ) {
      if (o + 8 > all.length) throw new ErrnoError(ERRNO.EINVAL, 'migration stream cut short');
      const type = v.getUint32(o, true);
      const len = v.getUint32(o + 4, true);
      if (o + 8 + len > all.length) throw new ErrnoError(ERRNO.EINVAL, 'migration record cut short');
      const body = all.subarray(o + 8, o + 8 + len);
      if (type === REC_STATE && len === BAR0_SIZE + CONFIG_SIZE) state = body;
      else if ((type === REC_BAR1 || (type === REC_PRE_COPY_BAR1 && bar1 === null)) && len === BAR1_SIZE) bar1 = body;
      else if (type !== REC_PRE_COPY_BAR1) throw new ErrnoError(ERRNO.EINVAL, `migration record ${type} of ${len} bytes`);
      o += 8 + len;
    }
    if (state === null || bar1 === null) throw new ErrnoError(ERRNO.EINVAL, 'the migration stream has no device state');
    this.#regs.set(state.subarray(0, BAR0_SIZE));
    this.#config.set(state.subarray(BAR0_SIZE));
    pwriteFd(this.#bar1Fd, 0n, bar1);
    this.#log(`migration stream of ${total} bytes loaded`);
  }
}

export { STATE_PRE_COPY, STATE_RESUMING, STATE_RUNNING, STATE_STOP, STATE_STOP_COPY };
