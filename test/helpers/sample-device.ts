/**
 * A device on this package's Server that behaves, on the wire, like
 * libvfio-user's sample server (samples/server.c), so that libvfio-user's
 * unmodified sample client runs against it. Written from what the sample
 * client asks and checks (observed on the wire against the sample server),
 * not from the sample's code:
 *
 * - PCI ids 0xdead:0xbeef, subsystem 0xcafe:0xbabe; 9 regions, 5 IRQ
 *   indexes (INTx, ERR and REQ with one vector each), RESET | PCI.
 * - BAR0: one 8-byte register. A write stores a time (seconds since the
 *   epoch) and, while the device runs, arms a timer for that time; a read
 *   returns now minus that time. Any other access is EINVAL.
 * - BAR1: 16 KiB backed by a file, mmap-able in [0, 4 KiB) and [8, 12 KiB).
 * - When the timer fires: INTx, then DMA to the client's lowest window by
 *   DMA_WRITE/DMA_READ messages (the device asks for message DMA there)
 *   and to the next window through its fd; each written block is read back
 *   and compared.
 * - Migration (PRE_COPY, STOP_COPY): the pre-copy stream is BAR1, the
 *   stop-and-copy stream BAR1 then the BAR0 time; the timer stops in
 *   STOP_COPY. A resumed device takes the last BAR1 + 8 bytes it was given
 *   and, on RUNNING, arms the timer from the BAR0 time it got.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERRNO, ErrnoError, preadFd, pwriteFd, type Device, type DeviceMigration, type DmaWindow, type RegionSpec, type ServerConnection } from '../../src/unix/index.js';

const BAR0 = 0;
const BAR1 = 1;
const CONFIG = 7;
const BAR1_SIZE = 0x4000;
const TIME_SIZE = 8;
/** What the device moves by DMA when the timer fires, per window. */
const DMA_BYTES = 4096;
const STATE_STOP = 1;
const STATE_RUNNING = 2;
const STATE_STOP_COPY = 3;
const STATE_RESUMING = 4;
const STATE_PRE_COPY = 6;
const IRQ_INTX = 0;

/** Options of {@link SampleDevice}. */
export interface SampleDeviceOptions {
  /** Timer delays are multiplied by this (the sample client waits up to 10 s for one). Default 1. */
  readonly timeScale?: number;
  /** One line per event. */
  readonly log?: (line: string) => void;
}

/** See the module doc. */
export class SampleDevice implements Device {
  readonly flags = 0x3;
  readonly regions: readonly (RegionSpec | undefined)[];
  readonly irqs = [
    { flags: 0x1, count: 1 },
    { flags: 0x1, count: 0 },
    { flags: 0x1, count: 0 },
    { flags: 0x1, count: 1 },
    { flags: 0x1, count: 1 },
  ];
  readonly migration: DeviceMigration;
  /** DMA rounds that ended, and those whose read-back differed. */
  dmaRounds = 0;
  dmaMismatches = 0;
  readonly #dir: string;
  readonly #bar1Fd: number;
  readonly #config = new Uint8Array(256);
  readonly #log: (line: string) => void;
  readonly #timeScale: number;
  #time = 0n;
  #state = STATE_RUNNING;
  #timer: NodeJS.Timeout | null = null;
  #outgoing: Uint8Array = new Uint8Array(0);
  #incoming: Uint8Array[] = [];

  constructor(options: SampleDeviceOptions = {}) {
    this.#log = options.log ?? ((): void => undefined);
    this.#timeScale = options.timeScale ?? 1;
    this.#dir = mkdtempSync(join(tmpdir(), 'vfu-sample-'));
    this.#bar1Fd = openSync(join(this.#dir, 'bar1'), 'w+');
    ftruncateSync(this.#bar1Fd, BAR1_SIZE);
    rmSync(join(this.#dir, 'bar1'));
    const v = new DataView(this.#config.buffer);
    v.setUint16(0x00, 0xdead, true);
    v.setUint16(0x02, 0xbeef, true);
    v.setUint16(0x2c, 0xcafe, true);
    v.setUint16(0x2e, 0xbabe, true);
    this.regions = [
      { flags: 0x3, size: BigInt(TIME_SIZE) },
      { flags: 0x7, size: BigInt(BAR1_SIZE), fd: this.#bar1Fd, offset: 0n, sparse: [{ offset: 0n, size: 0x1000n }, { offset: 0x2000n, size: 0x1000n }] },
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      { flags: 0x3, size: 256n },
      undefined,
    ];
    this.migration = {
      flags: 0x1n | 0x4n,
      transition: (conn, _from, to) => this.#transition(conn, to),
      read: (_conn, max) => {
        const chunk = this.#outgoing.slice(0, max);
        this.#outgoing = this.#outgoing.subarray(chunk.length);
        return chunk;
      },
      write: (_conn, data) => void this.#incoming.push(Uint8Array.from(data)),
    };
  }

  /** The device asks for message DMA on the client's lowest window. */
  messageDma = (conn: ServerConnection, window: DmaWindow): boolean => window === conn.dmaWindows[0];

  close(): void {
    this.#disarm();
    closeSync(this.#bar1Fd);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  regionRead(_conn: ServerConnection, index: number, offset: bigint, count: number): Uint8Array {
    if (index === BAR0) {
      this.#bar0Access(offset, count);
      const out = new Uint8Array(TIME_SIZE);
      new DataView(out.buffer).setBigInt64(0, now() - this.#time, true);
      return out;
    }
    if (index === BAR1) return preadFd(this.#bar1Fd, offset, count);
    if (index === CONFIG) return this.#config.slice(Number(offset), Number(offset) + count);
    throw new ErrnoError(ERRNO.EINVAL, `region ${index} has no data`);
  }

  regionWrite(conn: ServerConnection, index: number, offset: bigint, data: Uint8Array): void {
    if (index === BAR0) {
      this.#bar0Access(offset, data.length);
      const t = new DataView(data.buffer, data.byteOffset, TIME_SIZE).getBigInt64(0, true);
      if (this.#state === STATE_RUNNING) this.#arm(conn, t);
      this.#time = t;
      return;
    }
    if (index === BAR1) return pwriteFd(this.#bar1Fd, offset, data);
    if (index === CONFIG) return; // read-only here
    throw new ErrnoError(ERRNO.EINVAL, `region ${index} has no data`);
  }

  reset(): void {
    this.#log('device reset');
  }

  disconnected(): void {
    this.#disarm();
  }

  #bar0Access(offset: bigint, count: number): void {
    if (offset !== 0n || count !== TIME_SIZE) throw new ErrnoError(ERRNO.EINVAL, `BAR0 takes 8 bytes at 0, not ${count} at ${offset}`);
  }

  /**
   * Arms the timer for time `t` (seconds since the epoch) in whole seconds,
   * as the sample does; a time in the past is EINVAL. A time that is now
   * fires in a second rather than never: the sample client asks for
   * `time(NULL) + 1`, and when its write arrives after the next second
   * began, the sample's arithmetic gives 0 s, which leaves no timer, and the
   * client waits for its interrupt for ever. Firing at once is no better:
   * the client reads BAR0 right after its write, and a DMA message in place
   * of that read's reply is a protocol error to it.
   */
  #arm(conn: ServerConnection, t: bigint): void {
    const seconds = Number(t - now());
    if (seconds < 0) throw new ErrnoError(ERRNO.EINVAL, `the timer cannot fire ${-seconds} s in the past`);
    this.#disarm();
    const delay = Math.max(seconds, 1);
    this.#log(`timer armed for ${delay} s`);
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        void this.#fire(conn);
      },
      delay * 1000 * this.#timeScale,
    );
  }

  #disarm(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #fire(conn: ServerConnection): Promise<void> {
    if (conn.isClosed) return;
    this.#log('timer fired: INTx, then DMA');
    conn.triggerIrq(IRQ_INTX, 0);
    const windows = conn.dmaWindows;
    try {
      for (const w of [windows[1], windows[0]]) {
        if (w === undefined) continue;
        const pattern = Uint8Array.from({ length: DMA_BYTES }, (_, i) => (i * 7 + Number(w.addr >> 12n)) & 0xff);
        await conn.dmaWrite(w.addr, pattern);
        const back = await conn.dmaRead(w.addr, DMA_BYTES);
        if (!back.every((b, i) => b === pattern[i])) this.dmaMismatches++;
      }
      this.dmaRounds++;
      this.#log(`DMA done (${this.dmaMismatches} mismatches)`);
    } catch (e) {
      this.#log(`DMA failed: ${(e as Error).message}`);
    }
  }

  #transition(conn: ServerConnection, to: number): void {
    this.#log(`migration state -> ${to}`);
    if (to === STATE_PRE_COPY) this.#outgoing = preadFd(this.#bar1Fd, 0n, BAR1_SIZE);
    else if (to === STATE_STOP_COPY) {
      this.#disarm();
      const out = new Uint8Array(BAR1_SIZE + TIME_SIZE);
      out.set(preadFd(this.#bar1Fd, 0n, BAR1_SIZE));
      new DataView(out.buffer).setBigInt64(BAR1_SIZE, this.#time, true);
      this.#outgoing = out;
    } else if (to === STATE_RESUMING) this.#incoming = [];
    else if (to === STATE_STOP && this.#state === STATE_RESUMING) this.#load();
    else if (to === STATE_RUNNING) this.#arm(conn, this.#time);
    this.#state = to;
  }

  #load(): void {
    const all = Buffer.concat(this.#incoming);
    if (all.length < BAR1_SIZE + TIME_SIZE) throw new ErrnoError(ERRNO.EINVAL, `a migration stream of ${all.length} bytes has no stop-and-copy state`);
    const last = all.subarray(all.length - BAR1_SIZE - TIME_SIZE);
    pwriteFd(this.#bar1Fd, 0n, last.subarray(0, BAR1_SIZE));
    this.#time = last.readBigInt64LE(BAR1_SIZE);
    this.#log(`migration stream of ${all.length} bytes loaded`);
  }
}

function now(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}
