/**
 * The example client: connects to a vfio-user server on a Unix socket,
 * negotiates, and goes through the protocol step by step, reporting each
 * one and writing every message to a JSONL capture as it goes (the format
 * `vfio-user check` and `verify` read).
 *
 *     node dist/examples/device/client.js --socket /tmp/device.sock --capture /tmp/session.jsonl [-q]
 *
 * With any server it uses only what the server advertised: legacy DMA_MAP
 * always, the iommufd commands only when iommufd was negotiated, migration
 * only when the server sent a migration capability, REGION_WRITE_MULTI only
 * with write_multiple; it asks for a twin socket and takes the server's
 * DMA_READ/DMA_WRITE there when the server grants one, on the main socket
 * otherwise. It checks what the protocol requires of every reply
 * (its decoding, fds, echoes, and the errors the protocol names).
 *
 * With the example device (recognised by its PCI ids) it drives every
 * command 1-26: config space, registers, the mmap-able BAR through its fd,
 * interrupts on eventfds, the doorbell ioeventfd, DMA through an fd-backed
 * window and a message-based one, dirty logging, migration, iommufd with
 * server-chosen IOVAs, and the error cases; then a second connection, which
 * asks for neither iommufd nor a twin socket, shows that the server's
 * per-connection state starts clean and that iommufd commands are refused
 * when iommufd was not negotiated.
 *
 * Exit status: 0 when every reply was one the protocol allows (and, with the
 * example device, what the device must answer) and the capture passes the
 * conversation checker; 1 otherwise; 2 for a usage error or no connection.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CaptureWriter, type Direction } from '../../src/capture/index.js';
import { commandName, Conversation, type SocketName } from '../../src/index.js';
import { errnoNames } from '../../spec/index.js';
import {
  closeFds,
  connect,
  ERRNO,
  ErrnoError,
  preadFd,
  pwriteFd,
  VfioUserSessionError,
  type Client,
  type ClientDmaHandler,
  type TapEvent,
} from '../../src/unix/index.js';
import {
  BAR0,
  BAR1,
  BAR1_SIZE,
  BAR1_SPARSE,
  CFG,
  COMMAND_BUS_MASTER,
  COMMAND_MEMORY,
  CONFIG,
  DEVICE_ID,
  DMA_DONE,
  DMA_FAILED,
  DMA_FROM_DEVICE,
  DMA_TO_DEVICE,
  ID_VALUE,
  IRQ_INTX,
  IRQ_MSI,
  MSI_ENABLE,
  MSI_VECTORS,
  REG,
  STATE_PRE_COPY,
  STATE_RESUMING,
  STATE_RUNNING,
  STATE_STOP,
  STATE_STOP_COPY,
  VENDOR_ID,
} from './device.js';
import { signalPair, SignalCounter } from './eventfds.js';

/** What a step must come to. */
type Expect =
  /** The request must succeed. */
  | 'ok'
  /** Success or an error reply are both allowed (device-dependent); only a reply the protocol forbids fails. */
  | 'any'
  /** An error reply with this errno; `null`: any errno. */
  | { readonly errno: number | null };

/** One message for the capture and the final check. */
interface Captured {
  readonly seq: number;
  readonly conn: number;
  readonly dir: Direction;
  readonly nfds: number;
  readonly socket: SocketName;
  readonly bytes: Uint8Array;
}

/** Writes the JSONL capture message by message (the package's CaptureWriter), and keeps the messages for the final check. */
class Capture {
  readonly records: Captured[] = [];
  readonly #fd: number | null;
  readonly #writer: CaptureWriter | null;

  constructor(path: string | undefined) {
    const fd = path === undefined ? null : openSync(path, 'w');
    this.#fd = fd;
    this.#writer = fd === null ? null : new CaptureWriter({ write: (chunk) => (typeof chunk === 'string' ? writeSync(fd, chunk) : writeSync(fd, chunk)) });
  }

  tap(conn: number): (e: TapEvent) => void {
    return (e) => {
      const r: Captured = { seq: this.records.length + 1, conn, dir: e.dir === 'out' ? 'c2s' : 's2c', nfds: e.nfds, socket: e.socket, bytes: Uint8Array.from(e.bytes) };
      this.records.push(r);
      this.#writer?.write(r);
    };
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
  }
}

const hex = (x: number | bigint): string => `0x${x.toString(16)}`;
const u32 = (v: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
};
const readU32 = (b: Uint8Array, o = 0): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(o, true);
const readU16 = (b: Uint8Array, o = 0): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(o, true);
const pattern = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (seed + i * 7 + (i >> 8)) & 0xff);
const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const sum = (b: Uint8Array): number => b.reduce((s, x) => (s + x) >>> 0, 0);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A failed expectation inside a step. */
class Mismatch extends Error {
  override readonly name = 'Mismatch';
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Mismatch(what);
}

/** Runs and reports the steps. */
class Steps {
  failures = 0;
  count = 0;
  readonly #quiet: boolean;

  constructor(quiet: boolean) {
    this.#quiet = quiet;
  }

  say(line: string): void {
    if (!this.#quiet) process.stdout.write(`${line}\n`);
  }

  /** Runs one step; returns its value, or undefined when it failed or ended in an allowed error. */
  async run<T>(name: string, fn: () => Promise<T>, want: Expect = 'ok', show?: (value: T) => string): Promise<T | undefined> {
    this.count++;
    try {
      const value = await fn();
      if (typeof want === 'object') {
        this.#fail(name, `succeeded, expected ${want.errno === null ? 'an error' : (errnoNames[want.errno] ?? want.errno)}`);
        return undefined;
      }
      this.say(`  ok    ${name}${show === undefined ? '' : `: ${show(value)}`}`);
      return value;
    } catch (e) {
      const err = e as Error;
      if (err instanceof VfioUserSessionError && err.code === 'ERR_REMOTE') {
        const errno = `${errnoNames[err.errno] ?? 'errno'} (${err.errno})`;
        if (typeof want === 'object' && (want.errno === null || want.errno === err.errno)) {
          this.say(`  ok    ${name}: refused with ${errno}, as expected`);
          return undefined;
        }
        if (want === 'any') {
          this.say(`  ok    ${name}: refused with ${errno} (the server's choice)`);
          return undefined;
        }
        this.#fail(name, `refused with ${errno}`);
        return undefined;
      }
      const code = (err as { code?: unknown }).code;
      this.#fail(name, `${typeof code === 'string' ? `${code}: ` : ''}${err.message}`);
      return undefined;
    }
  }

  #fail(name: string, why: string): void {
    this.failures++;
    process.stdout.write(`  FAIL  ${name}: ${why}\n`);
  }
}

/** Client memory the server reaches by DMA_READ/DMA_WRITE: windows without an fd. */
class MessageMemory implements ClientDmaHandler {
  readonly windows = new Map<bigint, Uint8Array>();
  reads = 0;
  writes = 0;

  #find(addr: bigint, count: number): { mem: Uint8Array; at: number } {
    for (const [base, mem] of this.windows) {
      if (addr >= base && addr + BigInt(count) <= base + BigInt(mem.length)) return { mem, at: Number(addr - base) };
    }
    throw new ErrnoError(ERRNO.EFAULT, `no client memory at ${hex(addr)}+${hex(count)}`);
  }

  read(addr: bigint, count: number): Uint8Array {
    this.reads++;
    const { mem, at } = this.#find(addr, count);
    return mem.slice(at, at + count);
  }

  write(addr: bigint, data: Uint8Array): void {
    this.writes++;
    const { mem, at } = this.#find(addr, data.length);
    mem.set(data, at);
  }
}

interface Args {
  readonly socket: string;
  readonly capture: string | undefined;
  readonly quiet: boolean;
  readonly sample: boolean;
}

const USAGE = 'usage: client --socket PATH [--capture FILE] [--libvfio-user-sample] [-q]';

function parseArgs(argv: readonly string[]): Args {
  let socket: string | undefined;
  let capture: string | undefined;
  let quiet = false;
  let sample = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--socket') socket = argv[++i];
    else if (a === '--capture') capture = argv[++i];
    else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '--libvfio-user-sample') sample = true;
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (socket === undefined) throw new Error(USAGE);
  return { socket, capture, quiet, sample };
}

// Client memory layout.
const GUEST_SIZE = 0x10000;
const WIN_A = 0x100000n; // fd-backed: guest memory file at offset 0
const WIN_A_SIZE = 0x4000n;
const WIN_B = 0x200000n; // message-based
const WIN_B_SIZE = 0x2000n;
const UNMAPPED = 0x300000n;
const PAGE = 0x1000n;
const MAX_XFER = 4096;

/** Everything one run needs. */
interface Run {
  readonly steps: Steps;
  readonly capture: Capture;
  readonly dir: string;
  /** Guest memory: a file whose fd backs window A and the iommufd mapping. */
  readonly guestFd: number;
  readonly memory: MessageMemory;
  /** Follow the conventions of libvfio-user's sample server (--libvfio-user-sample). */
  readonly sample: boolean;
}

/** Drives one connection; returns true when the device is the example device. */
async function firstConnection(args: Args, run: Run): Promise<boolean> {
  const { steps } = run;
  steps.say(`connection 0 to ${args.socket}`);
  const client = await connect(args.socket, {
    capabilities: { max_msg_fds: 16, max_data_xfer_size: MAX_XFER, migration: { pgsize: 4096 }, iommufd: { supported: true } },
    dma: run.memory,
    timeoutMs: 10000,
    tap: run.capture.tap(0),
    onViolation: (e) => steps.say(`  note  dropped: ${e.message}`),
  });
  const n = client.negotiated;
  steps.count++;
  steps.say(
    `  ok    VERSION: ${client.version.major}.${client.version.minor}, iommufd ${n.iommufd ? 'on' : 'off'}, server max_msg_fds ${n.toServer.maxMsgFds}, ` +
      `max_data_xfer_size ${n.toServer.maxDataXferSize}, write_multiple ${n.writeMultiple}, migration ${client.serverCapabilities?.capabilities?.migration === undefined ? 'no' : 'yes'}, ` +
      `twin socket ${client.twinSocket ? 'on' : 'off'}`,
  );
  let example = false;
  try {
    example = await exerciseDevice(client, run);
  } finally {
    client.close();
    await client.whenClosed;
  }
  return example;
}

async function exerciseDevice(client: Client, run: Run): Promise<boolean> {
  const { steps } = run;
  const n = client.negotiated;
  // -- discovery -----------------------------------------------------------------
  await steps.run('REGION_READ of region 0xdeadbeef', () => client.regionRead(0xdeadbeef, 0n, 4), { errno: null });
  const info = await steps.run('DEVICE_GET_INFO', () => client.getDeviceInfo(), 'ok', (i) => `flags ${hex(i.flags)}, ${i.num_regions} regions, ${i.num_irqs} IRQ indexes`);
  if (info === undefined) return false;
  const regions = new Map<number, { flags: number; size: bigint; offset: bigint; fd: number | null; areas: { offset: bigint; size: bigint }[] }>();
  for (let index = 0; index < info.num_regions; index++) {
    const r = await steps.run(`DEVICE_GET_REGION_INFO ${index}`, async () => {
      const { info: ri, fd } = await client.getRegionInfo(index);
      expect(ri.index === index, `index ${ri.index}`);
      const mmap = (ri.flags & 0x4) !== 0;
      if (fd !== null) expect(mmap && (ri.flags & 0x8) !== 0, 'an fd without MMAP and CAPS');
      const areas = ri.caps.flatMap((c) => (c.kind === 'sparse_mmap' ? c.areas : []));
      for (const a of areas) expect(a.offset + a.size <= ri.size, `sparse area ${hex(a.offset)}+${hex(a.size)} outside the region`);
      return { flags: ri.flags, size: ri.size, offset: ri.offset, fd, areas };
    }, 'ok', (r) => `flags ${hex(r.flags)}, size ${hex(r.size)}${r.fd === null ? '' : `, fd, sparse ${r.areas.map((a) => `${hex(a.offset)}+${hex(a.size)}`).join(' ')}`}`);
    if (r !== undefined) regions.set(index, r);
  }
  await steps.run(`DEVICE_GET_REGION_INFO ${info.num_regions} (past the last)`, () => client.getRegionInfo(info.num_regions), { errno: null });
  for (let index = 0; index < info.num_irqs; index++) {
    await steps.run(`DEVICE_GET_IRQ_INFO ${index}`, () => client.getIrqInfo(index), 'ok', (i) => `flags ${hex(i.flags)}, ${i.count} vectors`);
  }
  await steps.run(`DEVICE_GET_IRQ_INFO ${info.num_irqs} (past the last)`, () => client.getIrqInfo(info.num_irqs), { errno: null });
  const config = regions.get(CONFIG);
  let ids = { vendor: -1, device: -1 };
  if (config !== undefined && (config.flags & 0x1) !== 0 && config.size >= 64n) {
    const header = await steps.run('REGION_READ config space header', () => client.regionRead(CONFIG, 0n, 64), 'ok', (h) => `vendor ${hex(readU16(h, 0))}, device ${hex(readU16(h, 2))}`);
    if (header !== undefined) ids = { vendor: readU16(header, 0), device: readU16(header, 2) };
  }
  for (const [index, r] of regions) {
    if (index === CONFIG || (r.flags & 0x1) === 0 || r.size === 0n) continue;
    const count = Number(r.size < 8n ? r.size : 8n);
    await steps.run(`REGION_READ region ${index}, ${count} bytes`, () => client.regionRead(index, 0n, count), 'any');
  }
  const example = ids.vendor === VENDOR_ID && ids.device === DEVICE_ID;
  steps.say(example ? '  the example device: driving every command' : '  not the example device: generic steps only');

  // -- legacy DMA --------------------------------------------------------------------
  run.memory.windows.set(WIN_B, new Uint8Array(Number(WIN_B_SIZE)));
  await steps.run(`DMA_MAP ${hex(WIN_A)}+${hex(WIN_A_SIZE)} with an fd`, () => client.dmaMap({ flags: 3, addr: WIN_A, size: WIN_A_SIZE }, run.guestFd));
  await steps.run(`DMA_MAP ${hex(WIN_B)}+${hex(WIN_B_SIZE)} without an fd (DMA by message)`, () => client.dmaMap({ flags: 3, addr: WIN_B, size: WIN_B_SIZE }));
  await steps.run('DMA_MAP overlapping the first window', () => client.dmaMap({ flags: 3, addr: WIN_A + 0x2000n, size: 0x4000n }, run.guestFd), { errno: example ? ERRNO.EEXIST : null });
  await steps.run('DMA_MAP with MMAP but no fd', () => client.request(2, { argsz: 32, flags: 0x7, offset: 0n, addr: 0x400000n, size: 0x1000n }), { errno: example ? ERRNO.EINVAL : null });

  if (example) await exampleDevice(client, run, regions);

  await steps.run('DMA_UNMAP of a window never mapped', () => client.dmaUnmap(0x500000n, 0x1000n), { errno: example ? ERRNO.ENOENT : null });
  await steps.run('DMA_UNMAP ALL', () => client.dmaUnmapAll());

  // -- migration, when the server offers it ----------------------------------------------
  if (client.serverCapabilities?.capabilities?.migration !== undefined) await migration(client, run, example);

  await steps.run('DIRTY_PAGES (legacy, removed)', () => client.request(14, { argsz: 8, flags: 0x1, range: null }), example ? { errno: ERRNO.EINVAL } : 'any');

  // -- iommufd, when negotiated ----------------------------------------------------------
  if (n.iommufd) await iommufd(client, run, example);
  else steps.say('  skip  iommufd: the server did not offer it (legacy DMA only)');

  await steps.run('DEVICE_RESET', () => client.reset());
  if (example) {
    await steps.run('SCRATCH is 0 after DEVICE_RESET', async () => expect(readU32(await client.regionRead(BAR0, BigInt(REG.SCRATCH), 4)) === 0, 'SCRATCH kept its value'));
  }
  for (const r of regions.values()) if (r.fd !== null) closeFds([r.fd]);
  return example;
}

/** The example device's own behaviour: registers, BAR1 through its fd, interrupts, DMA, dirty logging. */
async function exampleDevice(client: Client, run: Run, regions: Map<number, { fd: number | null; offset: bigint; areas: { offset: bigint; size: bigint }[] }>): Promise<void> {
  const { steps } = run;
  const rd = async (reg: number): Promise<number> => readU32(await client.regionRead(BAR0, BigInt(reg), 4));
  const wr = (reg: number, value: number): Promise<void> => client.regionWrite(BAR0, BigInt(reg), u32(value));
  const cfg16 = async (at: number): Promise<number> => readU16(await client.regionRead(CONFIG, BigInt(at), 2));

  // Config space: size BAR0, place the BARs, turn on memory and bus mastering.
  await steps.run('config: BAR0 sizing', async () => {
    await client.regionWrite(CONFIG, BigInt(CFG.BAR0), u32(0xffffffff));
    const mask = readU32(await client.regionRead(CONFIG, BigInt(CFG.BAR0), 4));
    expect(mask === 0xffffff00, `BAR0 reads ${hex(mask)}`);
    await client.regionWrite(CONFIG, BigInt(CFG.BAR0), u32(0xfe000000));
    await client.regionWrite(CONFIG, BigInt(CFG.BAR1), u32(0xfe010000));
    return mask;
  }, 'ok', (m) => `size ${hex((~m >>> 0) + 1)}`);
  await steps.run('config: memory and bus master enable', async () => {
    await client.regionWrite(CONFIG, BigInt(CFG.COMMAND), Uint8Array.of(COMMAND_MEMORY | COMMAND_BUS_MASTER, 0));
    expect((await cfg16(CFG.COMMAND)) === (COMMAND_MEMORY | COMMAND_BUS_MASTER), 'command register');
  });

  // BAR0 registers.
  await steps.run('BAR0 ID register', async () => expect((await rd(REG.ID)) === ID_VALUE, 'ID'));
  await steps.run('BAR0 SCRATCH write and read', async () => {
    await wr(REG.SCRATCH, 0x12345678);
    expect((await rd(REG.SCRATCH)) === 0x12345678, 'SCRATCH');
  });
  await steps.run('REGION_WRITE with NO_REPLY (posted)', async () => {
    client.postRegionWrite(BAR0, BigInt(REG.SCRATCH), u32(0xa5a5a5a5));
    expect((await rd(REG.SCRATCH)) === 0xa5a5a5a5, 'the posted write did not land');
  });
  if (client.negotiated.writeMultiple) {
    await steps.run('REGION_WRITE_MULTI with NO_REPLY (posted)', async () => {
      await client.regionWriteMulti([{ region: BAR0, offset: BigInt(REG.SCRATCH), data: u32(1) }, { region: BAR0, offset: BigInt(REG.DMA_LEN), data: u32(2) }], { noReply: true });
      expect((await rd(REG.SCRATCH)) === 1 && (await rd(REG.DMA_LEN)) === 2, 'the writes did not land');
    });
    await steps.run('REGION_WRITE_MULTI with a reply', () => client.regionWriteMulti([{ region: BAR0, offset: BigInt(REG.SCRATCH), data: u32(3) }]));
  }
  await steps.run('REGION_READ past the end of BAR0', () => client.regionRead(BAR0, 0xfcn, 8), { errno: ERRNO.EINVAL });

  // BAR1 through the fd GET_REGION_INFO gave: what is written there the server reads, and the other way round.
  const bar1 = regions.get(BAR1);
  const bar1Image = pattern(BAR1_SIZE, 0x31);
  if (bar1?.fd !== null && bar1 !== undefined) {
    const fd = bar1.fd;
    await steps.run('BAR1: sparse areas as the device declares them', async () => {
      expect(bar1.areas.length === BAR1_SPARSE.length && bar1.areas.every((a, i) => a.offset === BAR1_SPARSE[i]!.offset && a.size === BAR1_SPARSE[i]!.size), 'sparse areas');
    });
    await steps.run('BAR1: written through its fd, read by REGION_READ', async () => {
      for (const a of bar1.areas) pwriteFd(fd, bar1.offset + a.offset, bar1Image.subarray(Number(a.offset), Number(a.offset + a.size)));
      const seen = await client.regionRead(BAR1, BAR1_SPARSE[1]!.offset, 0x100);
      expect(equal(seen, bar1Image.subarray(0x2000, 0x2100)), 'REGION_READ does not see the fd writes');
    });
    await steps.run('BAR1: trapped page written by REGION_WRITE, read through the fd', async () => {
      await client.regionWrite(BAR1, 0x1000n, bar1Image.subarray(0x1000, 0x2000));
      expect(equal(preadFd(fd, bar1.offset + 0x1000n, 0x1000), bar1Image.subarray(0x1000, 0x2000)), 'the fd does not see the write');
    });
  }

  // Interrupts on eventfds: INTx and the four MSI vectors.
  const intx = signalPair();
  const msi = Array.from({ length: MSI_VECTORS }, () => signalPair());
  const intxCount = new SignalCounter(intx.readFd);
  const msiCount = msi.map((p) => new SignalCounter(p.readFd));
  try {
    await steps.run('SET_IRQS INTx: one eventfd', () => client.setIrqs({ flags: 0x24, index: IRQ_INTX, start: 0, count: 1 }, [intx.writeFd]));
    await steps.run(`SET_IRQS MSI: ${MSI_VECTORS} eventfds`, () => client.setIrqs({ flags: 0x24, index: IRQ_MSI, start: 0, count: MSI_VECTORS }, msi.map((p) => p.writeFd)));
    closeFds([intx.writeFd, ...msi.map((p) => p.writeFd)]);
    await steps.run('SET_IRQS with 1 fd for 2 vectors', () => client.request(8, { argsz: 20, flags: 0x24, index: IRQ_MSI, start: 0, count: 2, data: new Uint8Array(0) }, { fds: [intx.readFd] }), { errno: ERRNO.EINVAL });
    await steps.run('SET_IRQS past the last MSI vector', () => client.setIrqs({ flags: 0x21, index: IRQ_MSI, start: 3, count: 2 }), { errno: ERRNO.EINVAL });
    await steps.run('INTx raised by the device', async () => {
      await wr(REG.IRQ_RAISE, 0);
      await intxCount.waitFor(1);
    });
    await steps.run('INTx triggered by SET_IRQS (DATA_NONE)', async () => {
      await client.setIrqs({ flags: 0x21, index: IRQ_INTX, start: 0, count: 1 });
      await intxCount.waitFor(2);
    });
    await steps.run('INTx masked holds the interrupt, unmasked delivers it', async () => {
      await client.setIrqs({ flags: 0x09, index: IRQ_INTX, start: 0, count: 1 });
      await wr(REG.IRQ_RAISE, 0);
      await sleep(50);
      expect(intxCount.count === 2, 'delivered while masked');
      await client.setIrqs({ flags: 0x11, index: IRQ_INTX, start: 0, count: 1 });
      await intxCount.waitFor(3);
    });

    // The doorbell: an ioeventfd over BAR0's DOORBELL register.
    const io = await steps.run('DEVICE_GET_REGION_IO_FDS BAR0 (asked again with the argsz it needs)', () => client.getRegionIoFds(BAR0), 'ok', (r) => `${r.reply.count} sub-region, ${r.fds.length} fd`);
    if (io !== undefined) {
      await steps.run('doorbell rung through the ioeventfd', async () => {
        const entry = io.reply.sub_regions[0];
        expect(entry !== undefined && 'gpa_offset' in entry && entry.gpa_offset === BigInt(REG.DOORBELL), 'the sub-region is not DOORBELL');
        writeSync(io.fds[0]!, Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0));
        for (let i = 0; i < 100 && (await rd(REG.DOORBELL_COUNT)) < 1; i++) await sleep(10);
        expect((await rd(REG.DOORBELL_COUNT)) >= 1, 'DOORBELL_COUNT did not move');
      });
      closeFds(io.fds);
    }
    await steps.run('DEVICE_GET_REGION_IO_FDS BAR1 (none)', () => client.getRegionIoFds(BAR1), 'ok', (r) => `${r.reply.count} sub-regions`);
    await steps.run('DEVICE_GET_REGION_IO_FDS of a region not set up', () => client.getRegionIoFds(2), { errno: ERRNO.EINVAL });

    // DMA: the device copies between BAR1 and client memory, checked against the windows.
    const dma = async (cmd: number, addr: bigint, len: number, offset: number): Promise<number> => {
      const before = intxCount.count;
      await wr(REG.DMA_ADDR_LO, Number(addr & 0xffffffffn));
      await wr(REG.DMA_ADDR_HI, Number(addr >> 32n));
      await wr(REG.DMA_LEN, len);
      await wr(REG.DMA_OFFSET, offset);
      await wr(REG.DMA_CMD, cmd);
      await intxCount.waitFor(before + 1);
      return rd(REG.DMA_STATUS);
    };
    const guest = (at: number, len: number): Uint8Array => preadFd(run.guestFd, BigInt(at), len);
    await steps.run('DEVICE_FEATURE DMA_LOGGING_START over both windows', () =>
      client.dmaLoggingStart(PAGE, [
        { iova: WIN_A, length: WIN_A_SIZE },
        { iova: WIN_B, length: WIN_B_SIZE },
      ]),
    );
    await steps.run('DMA from the device into the fd-backed window', async () => {
      expect((await dma(DMA_FROM_DEVICE, WIN_A + 0x800n, 0x1800, 0)) === DMA_DONE, 'DMA_STATUS');
      expect(equal(guest(0x800, 0x1800), bar1Image.subarray(0, 0x1800)), 'guest memory does not hold BAR1');
      expect((await rd(REG.CHECKSUM)) === sum(bar1Image.subarray(0, 0x1800)), 'CHECKSUM');
    });
    await steps.run('DMA from the device into the message window (DMA_WRITE in chunks)', async () => {
      const writes = run.memory.writes;
      expect((await dma(DMA_FROM_DEVICE, WIN_B, 0x1800, 0x2000)) === DMA_DONE, 'DMA_STATUS');
      expect(run.memory.writes - writes === Math.ceil(0x1800 / MAX_XFER), `${run.memory.writes - writes} DMA_WRITE messages`);
      expect(equal(run.memory.windows.get(WIN_B)!.subarray(0, 0x1800), bar1Image.subarray(0x2000, 0x3800)), 'message memory does not hold BAR1');
    });
    await steps.run('DMA to the device from the fd-backed window', async () => {
      const data = pattern(0x800, 0x77);
      pwriteFd(run.guestFd, 0n, data);
      expect((await dma(DMA_TO_DEVICE, WIN_A, 0x800, 0x3800)) === DMA_DONE, 'DMA_STATUS');
      if (bar1?.fd !== null && bar1 !== undefined) expect(equal(preadFd(bar1.fd, bar1.offset + 0x3800n, 0x800), data), 'BAR1 (through its fd) does not hold the data');
    });
    await steps.run('DMA to the device from the message window (DMA_READ)', async () => {
      const data = pattern(0x800, 0x13);
      run.memory.windows.get(WIN_B)!.set(data, 0x1000);
      const reads = run.memory.reads;
      expect((await dma(DMA_TO_DEVICE, WIN_B + 0x1000n, 0x800, 0x1000)) === DMA_DONE, 'DMA_STATUS');
      expect(run.memory.reads > reads, 'no DMA_READ');
      expect(equal(await client.regionRead(BAR1, 0x1000n, 0x800), data), 'BAR1 does not hold the data');
    });
    await steps.run(`the server's DMA_READ/DMA_WRITE came on the ${client.twinSocket ? 'twin' : 'main'} socket`, async () => {
      const dma = run.capture.records.filter((r) => r.conn === 0 && (readU16(r.bytes, 2) === 11 || readU16(r.bytes, 2) === 12));
      expect(dma.length > 0, 'no DMA_READ or DMA_WRITE in the capture');
      const wrong = dma.filter((r) => r.socket !== (client.twinSocket ? 'twin' : 'main'));
      expect(wrong.length === 0, `${wrong.length} on the other socket`);
    });
    await steps.run('DMA to an address no window covers faults (EFAULT)', async () => {
      const status = await dma(DMA_FROM_DEVICE, UNMAPPED, 0x100, 0);
      expect(status === (DMA_FAILED | ERRNO.EFAULT) >>> 0, `DMA_STATUS ${hex(status)}`);
    });
    await steps.run('DMA running past the end of a window faults, nothing written', async () => {
      const before = guest(Number(WIN_A_SIZE) - 0x100, 0x100);
      const status = await dma(DMA_FROM_DEVICE, WIN_A + WIN_A_SIZE - 0x100n, 0x200, 0);
      expect(status === (DMA_FAILED | ERRNO.EFAULT) >>> 0, `DMA_STATUS ${hex(status)}`);
      expect(equal(guest(Number(WIN_A_SIZE) - 0x100, 0x100), before), 'bytes were written');
    });
    await steps.run('DMA_LOGGING_REPORT of the fd-backed window', async () => {
      const bitmap = await client.dmaLoggingReport(WIN_A, WIN_A_SIZE, PAGE, 8);
      expect(bitmap.length === 8 && bitmap[0] === 0b0011, `bitmap ${Array.from(bitmap).join(',')}`);
      return bitmap;
    }, 'ok', (b) => `pages dirty: ${hex(b[0] ?? 0)}`);
    await steps.run('DMA_LOGGING_REPORT of the message window', async () => {
      const bitmap = await client.dmaLoggingReport(WIN_B, WIN_B_SIZE, PAGE, 8);
      expect(bitmap[0] === 0b0011, `bitmap ${Array.from(bitmap).join(',')}`);
    });
    await steps.run('DMA_LOGGING_REPORT again: cleared', async () => expect((await client.dmaLoggingReport(WIN_A, WIN_A_SIZE, PAGE, 8))[0] === 0, 'not cleared'));
    await steps.run('DMA_LOGGING_REPORT of unmapped memory', () => client.dmaLoggingReport(UNMAPPED, PAGE, PAGE, 8), { errno: ERRNO.ENOENT });
    await steps.run('DMA_LOGGING_REPORT of part of a window', () => client.dmaLoggingReport(WIN_A, PAGE, PAGE, 8), { errno: ERRNO.ENOTSUP });
    await steps.run('DMA_UNMAP with GET_DIRTY_BITMAP', async () => {
      expect((await dma(DMA_FROM_DEVICE, WIN_A + 0x3000n, 0x10, 0)) === DMA_DONE, 'DMA_STATUS');
      const bitmap = await client.dmaUnmapDirty(WIN_A, WIN_A_SIZE, PAGE, 8n);
      expect(bitmap[0] === 0b1000, `bitmap ${Array.from(bitmap).join(',')}`);
    });
    await steps.run('DEVICE_FEATURE DMA_LOGGING_STOP', () => client.dmaLoggingStop());

    // MSI: enabled in config space, raised by the device and by SET_IRQS.
    await steps.run('MSI enabled in config space, vector 2 raised by the device', async () => {
      await client.regionWrite(CONFIG, BigInt(CFG.MSI_CONTROL), Uint8Array.of(MSI_ENABLE | (2 << 4), 0));
      await wr(REG.IRQ_RAISE, 2);
      await msiCount[2]!.waitFor(1);
    });
    await steps.run('SET_IRQS MSI TRIGGER with DATA_BOOL fires vectors 0 and 3', async () => {
      await client.setIrqs({ flags: 0x22, index: IRQ_MSI, start: 0, count: 4, data: Uint8Array.of(1, 0, 0, 1) });
      await msiCount[0]!.waitFor(1);
      await msiCount[3]!.waitFor(1);
      expect(msiCount[1]!.count === 0, 'vector 1 fired');
    });
    await steps.run('SET_IRQS MSI: eventfds removed', () => client.setIrqs({ flags: 0x24, index: IRQ_MSI, start: 0, count: MSI_VECTORS }));
  } finally {
    intxCount.close();
    for (const c of msiCount) c.close();
  }
}

/** Migration v2: save the device's state, disturb it, load it back. */
async function migration(client: Client, run: Run, example: boolean): Promise<void> {
  const { steps } = run;
  const exact = (errno: number): Expect => ({ errno: example ? errno : null });
  const flags = await steps.run('DEVICE_FEATURE GET MIGRATION', () => client.getMigrationFlags(), 'ok', (f) => `flags ${hex(f)}`);
  if (flags === undefined) return;
  await steps.run('DEVICE_FEATURE PROBE MIGRATION (echoed)', () => client.deviceFeature(0x40000 | 0x10000 | 1, { kind: 'raw', bytes: new Uint8Array(0) }, 16), 'any');
  await steps.run('DEVICE_FEATURE GET MIG_DEVICE_STATE', async () => expect((await client.getDeviceState()) === STATE_RUNNING, 'not RUNNING'));
  await steps.run('MIG_DATA_READ while RUNNING', () => client.migDataRead(64), exact(ERRNO.EINVAL));
  const saved: Uint8Array[] = [];
  const stopCopy: Uint8Array[] = [];
  const preCopy = (flags & 0x4n) !== 0n;
  if (run.sample) {
    // libvfio-user's sample device arms a timer from its BAR0 time when it enters RUNNING and refuses a time past.
    await steps.run('REGION_WRITE BAR0: the sample\'s timer one hour ahead', () => {
      const t = new Uint8Array(8);
      new DataView(t.buffer).setBigInt64(0, BigInt(Math.floor(Date.now() / 1000) + 3600), true);
      return client.regionWrite(BAR0, 0n, t);
    });
  }
  if (preCopy) {
    await steps.run('SET MIG_DEVICE_STATE PRE_COPY', () => client.setDeviceState(STATE_PRE_COPY));
    await steps.run('MIG_DATA_READ in PRE_COPY', async () => {
      const chunks = await client.migDataReadAll();
      saved.push(...chunks);
      return chunks;
    }, 'ok', (c) => `${c.length} chunks, ${c.reduce((s, x) => s + x.length, 0)} bytes`);
  }
  await steps.run('SET MIG_DEVICE_STATE STOP_COPY', () => client.setDeviceState(STATE_STOP_COPY));
  await steps.run('MIG_DATA_READ in STOP_COPY', async () => {
    const chunks = await client.migDataReadAll();
    saved.push(...chunks);
    stopCopy.push(...chunks);
    return chunks;
  }, 'ok', (c) => `${c.length} chunks, ${c.reduce((s, x) => s + x.length, 0)} bytes`);
  if (preCopy) await steps.run('SET MIG_DEVICE_STATE PRE_COPY from STOP_COPY (forbidden)', () => client.setDeviceState(STATE_PRE_COPY), exact(ERRNO.EINVAL));
  await steps.run('SET MIG_DEVICE_STATE STOP', () => client.setDeviceState(STATE_STOP));
  if (example) {
    await steps.run('the device changes while stopped', async () => {
      await client.regionWrite(BAR0, BigInt(REG.SCRATCH), u32(0xdead));
      await client.regionWrite(BAR1, 0n, new Uint8Array(0x100));
    });
  }
  await steps.run('SET MIG_DEVICE_STATE RESUMING', () => client.setDeviceState(STATE_RESUMING));
  // The kernel uAPI's stream is everything read, PRE_COPY then STOP_COPY; libvfio-user's sample
  // server takes its whole state in the STOP_COPY part and refuses more, as its own client sends it.
  await steps.run(run.sample ? 'MIG_DATA_WRITE the STOP_COPY part (the sample\'s convention)' : 'MIG_DATA_WRITE the saved stream', async () => {
    for (const chunk of run.sample ? stopCopy : saved) await client.migDataWrite(chunk);
  });
  await steps.run('SET MIG_DEVICE_STATE STOP (loads the stream)', () => client.setDeviceState(STATE_STOP));
  await steps.run('SET MIG_DEVICE_STATE RUNNING', () => client.setDeviceState(STATE_RUNNING));
  if (example) {
    await steps.run('the device is back as saved', async () => {
      expect(readU32(await client.regionRead(BAR0, BigInt(REG.SCRATCH), 4)) === 3, 'SCRATCH');
      expect(equal(await client.regionRead(BAR1, 0n, 0x100), pattern(BAR1_SIZE, 0x31).subarray(0, 0x100)), 'BAR1');
    });
  }
}

/** The iommufd extension: the server chooses the IOVA of what the client maps. */
async function iommufd(client: Client, run: Run, example: boolean): Promise<void> {
  const { steps } = run;
  const exact = (errno: number): Expect => ({ errno: example ? errno : null });
  const devid = await steps.run('IOMMUFD_BIND', () => client.bind(), 'ok', (d) => `devid ${d}`);
  if (devid === undefined) return;
  await steps.run('IOMMUFD_BIND again', () => client.bind(), exact(ERRNO.EEXIST));
  const ioas = await steps.run('IOMMUFD_ALLOC_IOAS', () => client.allocIoas(), 'ok', (id) => `IOAS ${id}`);
  const spare = await steps.run('IOMMUFD_ALLOC_IOAS (a second one)', () => client.allocIoas(), 'ok', (id) => `IOAS ${id}`);
  if (ioas === undefined || spare === undefined) return;
  await steps.run('IOMMUFD_ATTACH_PT of an IOAS that does not exist', () => client.attachPt(0xffff), exact(ERRNO.ENOENT));
  await steps.run(`IOMMUFD_ATTACH_PT ${ioas}`, () => client.attachPt(ioas));
  const offset = 0x8010n;
  const map = await steps.run('IOMMUFD_IOAS_MAP of guest memory at offset 0x8010', () => client.ioasMap({ ioas_id: ioas, length: 0x4000n, offset, user_va: 0x7f00_0000_8010n }, run.guestFd), 'ok', (m) => `the server chose IOVA ${hex(m.iova)}`);
  await steps.run('IOMMUFD_IOAS_MAP into an IOAS that does not exist', () => client.ioasMap({ ioas_id: 0xffff, length: 0x1000n }, run.guestFd), exact(ERRNO.ENOENT));
  await steps.run('IOMMUFD_IOAS_MAP with two fds', () => client.request(21, { argsz: 48, flags: 3, ioas_id: ioas, __reserved: 0, user_va: 0n, length: 0x1000n, iova: 0n, offset: 0n }, { fds: [run.guestFd, run.guestFd] }), exact(ERRNO.EINVAL));
  if (map !== undefined && example) {
    const wr = (reg: number, value: number): Promise<void> => client.regionWrite(BAR0, BigInt(reg), u32(value));
    await steps.run('DMA from the device at the IOVA the server chose', async () => {
      expect(map.iova % PAGE === offset % PAGE, 'the IOVA keeps the offset within its page');
      await wr(REG.DMA_ADDR_LO, Number(map.iova & 0xffffffffn));
      await wr(REG.DMA_ADDR_HI, Number(map.iova >> 32n));
      await wr(REG.DMA_LEN, 0x200);
      await wr(REG.DMA_OFFSET, 0x2000);
      await wr(REG.DMA_CMD, DMA_FROM_DEVICE);
      // The device answers the write first and moves the data after it: poll until the status is set.
      let status = 0;
      for (let i = 0; i < 1000 && status === 0; i++) status = readU32(await client.regionRead(BAR0, BigInt(REG.DMA_STATUS), 4));
      expect(status === DMA_DONE, `DMA_STATUS ${hex(status)}`);
      expect(equal(preadFd(run.guestFd, offset, 0x200), await client.regionRead(BAR1, 0x2000n, 0x200)), 'guest memory at the mapping does not hold BAR1');
    });
  }
  await steps.run('IOMMUFD_IOAS_COPY (no handler in PR #833)', () => client.ioasCopy({ flags: 3, src_ioas_id: ioas, dst_ioas_id: spare, src_iova: map?.iova ?? 0n, dst_iova: 0n, length: 0x1000n }), exact(ERRNO.EINVAL));
  await steps.run(`IOMMUFD_DESTROY_IOAS ${ioas} while attached`, () => client.destroyIoas(ioas), exact(ERRNO.EBUSY));
  if (map !== undefined) {
    await steps.run('IOMMUFD_IOAS_UNMAP with another length', () => client.ioasUnmap(ioas, map.iova, 0x1000n), exact(ERRNO.ENOENT));
    await steps.run('IOMMUFD_IOAS_UNMAP', () => client.ioasUnmap(ioas, map.iova, map.length));
  }
  await steps.run('IOMMUFD_DETACH_PT', () => client.detachPt());
  await steps.run('IOMMUFD_DETACH_PT again', () => client.detachPt(), exact(ERRNO.EINVAL));
  await steps.run(`IOMMUFD_DESTROY_IOAS ${ioas}`, () => client.destroyIoas(ioas));
  await steps.run(`IOMMUFD_DESTROY_IOAS ${spare}`, () => client.destroyIoas(spare));
}

/** A second client: the server's per-connection state is gone, and iommufd needs negotiating. */
async function secondConnection(args: Args, run: Run): Promise<void> {
  const { steps } = run;
  steps.say('connection 1: a second client, legacy mode');
  const client = await connect(args.socket, { capabilities: { max_msg_fds: 4, max_data_xfer_size: MAX_XFER }, twinSocket: false, timeoutMs: 10000, tap: run.capture.tap(1) });
  try {
    steps.count++;
    steps.say(`  ok    VERSION: iommufd ${client.negotiated.iommufd ? 'on' : 'off'}, twin socket ${client.twinSocket ? 'on' : 'off'}`);
    await steps.run('no twin socket without asking', async () => expect(!client.twinSocket, 'twin socket on'));
    await steps.run('iommufd off without asking', async () => expect(!client.negotiated.iommufd, 'iommufd on'));
    await steps.run('IOMMUFD_ALLOC_IOAS without iommufd negotiated', () => client.request(19, { argsz: 16, flags: 0, out_ioas_id: 0, __reserved: 0 }), { errno: ERRNO.EINVAL });
    await steps.run('DMA_UNMAP of the first client\'s window: gone', () => client.dmaUnmap(WIN_B, WIN_B_SIZE), { errno: ERRNO.ENOENT });
    await steps.run('DEVICE_GET_INFO', () => client.getDeviceInfo());
  } finally {
    client.close();
    await client.whenClosed;
  }
}

/** Runs the conversation checker over what was captured, connection by connection. */
function checkCapture(run: Run): number {
  const conversations = new Map<number, Conversation>();
  let violations = 0;
  for (const r of run.capture.records) {
    let c = conversations.get(r.conn);
    if (c === undefined) conversations.set(r.conn, (c = new Conversation()));
    for (const v of c.observe({ seq: r.seq, from: r.dir === 'c2s' ? 'client' : 'server', bytes: r.bytes, fds: r.nfds, socket: r.socket }).violations) {
      violations++;
      process.stdout.write(`  FAIL  capture seq ${v.seq}: ${v.code} ${v.message}\n`);
    }
  }
  return violations;
}

/** Runs the client; resolves with the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const steps = new Steps(args.quiet);
  const capture = new Capture(args.capture);
  const dir = mkdtempSync(join(tmpdir(), 'vfu-client-'));
  const guestPath = join(dir, 'guest.mem');
  const guestFd = openSync(guestPath, 'w+');
  ftruncateSync(guestFd, GUEST_SIZE);
  rmSync(guestPath);
  const run: Run = { steps, capture, dir, guestFd, memory: new MessageMemory(), sample: args.sample };
  let status = 0;
  try {
    const example = await firstConnection(args, run);
    if (example) await secondConnection(args, run);
    const commands = new Set(capture.records.map((r) => readU16(r.bytes, 2)));
    steps.say(`${capture.records.length} messages, commands ${[...commands].sort((a, b) => a - b).join(' ')}`);
    if (example) {
      const missing = Array.from({ length: 26 }, (_, i) => i + 1).filter((c) => !commands.has(c));
      if (missing.length > 0) {
        steps.failures++;
        process.stdout.write(`  FAIL  commands never sent: ${missing.map(commandName).join(', ')}\n`);
      }
    }
    const violations = checkCapture(run);
    steps.say(`${steps.count} steps, ${steps.failures} failed; the capture has ${violations} protocol violations`);
    status = steps.failures === 0 && violations === 0 ? 0 : 1;
  } catch (e) {
    process.stderr.write(`client: ${(e as Error).message}\n`);
    status = 2;
  } finally {
    capture.close();
    closeSync(guestFd);
    rmSync(dir, { recursive: true, force: true });
  }
  if (args.capture !== undefined) steps.say(`capture written to ${args.capture}`);
  return status;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
