/**
 * Live interoperability with QEMU 10.2.2 (../shared/peers/qemu): a guest
 * (../shared/peers/guest) drives the example device, served by this
 * package's Server in the test process, through QEMU's vfio-user-pci: config
 * space, registers, BAR1, DMA both ways, INTx, the doorbell, a DMA fault.
 * Two VMs run at once:
 *
 * - boot.img with memfd-backed guest RAM: QEMU maps its memory with fds and
 *   the device reaches it through them;
 * - boot-burst.img without shared memory, the device's BAR1 not mmap-able:
 *   every DMA travels as DMA_READ/DMA_WRITE, and QEMU posts the burst of
 *   20000 register writes; the server stops reading for a moment during the
 *   burst so that QEMU must coalesce some into REGION_WRITE_MULTI (see
 *   holdDuringBurst).
 *
 * Each result is checked from the guest's debug console and from the
 * capture, which must pass `check` and `verify` in the qemu dialect. QEMU
 * runs on TCG and boots from a virtio disk with no default devices: SeaBIOS
 * takes about half a second, and a guest run about 5 s, most of it the
 * guest's own waits for RTC ticks.
 *
 * A known race of the guest program without shared memory: after each DMA
 * command it waits for one tick of the RTC's seconds before it reads
 * DMA_STATUS. Before the first DMA that wait is anywhere from 0 to 1 s.
 * When the tick comes before QEMU's main loop has served the server's
 * DMA_READ (a few ms, tens under load), the status read holds QEMU's big
 * lock while it waits for its reply, the DMA cannot finish first, and
 * 'to device: DMA_STATUS' reads 0 (CHECKSUM, read next, is right). Only a
 * longer wait in the guest can remove it. The test accepts that 0 only when
 * the capture shows this order: the status read came before QEMU's reply to
 * the device's first DMA_READ, and the device answered it 0 (busy), as it
 * must; a read behind the reply must see DMA_DONE.
 */
import test, { type ExecutionContext } from 'ava';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { decode, FLAG_NO_REPLY, type Message } from '../src/index.js';
import { VFIO_USER_REGION_WRITE, VFIO_USER_REGION_WRITE_MULTI } from '../src/constants.js';
import { serve, Server, type ServerConnection } from '../src/unix/index.js';
import { BAR0, DMA_DONE, DMA_FAILED, ExampleDevice, ID_VALUE, REG } from '../examples/device/device.js';
import { ERRNO } from '../src/session/errors.js';
import { CaptureFile, checkAndVerify, Child, missing, peer, scratch } from './helpers/peers.js';
import { statusReadBeforeDmaReply, type SeenMessage } from './helpers/guest-race.js';
import { consoleValues, DebugConsole, guestArgs } from './helpers/qemu.js';

interface Run {
  /** The guest's debug console. */
  readonly console: string;
  /** key=value lines of the console (the key keeps its "what: " prefix). */
  readonly values: ReadonlyMap<string, number>;
  /** Every message of the connection, decoded in the qemu dialect. */
  readonly messages: readonly SeenMessage[];
  readonly capture: string;
  /** QEMU's own output, without its trace lines. */
  readonly qemu: string;
  /** How many writes each REGION_WRITE_MULTI held, as QEMU's trace told when it queued them. */
  readonly multis: readonly number[];
  /** How the server held QEMU back during the burst (runs with `burst`). */
  readonly hold: Readonly<Hold>;
  readonly problems: readonly string[];
}

/** Sends one HMP command to QEMU's monitor socket. */
function monitor(path: string, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createConnection(path, () => s.end(`${line}\n`, () => resolve()));
    s.on('error', reject);
  });
}

/** The trace line of QEMU's that says it queued a REGION_WRITE_MULTI (its trace event vfio_user_wrmulti, "flush"). */
const MULTI_QUEUED = /vfio_user_wrmulti\s+flush count 0x([0-9a-f]+)/g;

/** Whether `m` is the first write of the guest's burst: a posted 4-byte write of 0 to BAR0 SCRATCH. */
function burstStart(m: Message): boolean {
  return (
    m.kind === 'command' &&
    m.cmd === VFIO_USER_REGION_WRITE &&
    (m.flags & FLAG_NO_REPLY) !== 0 &&
    m.body.region === BAR0 &&
    m.body.offset === BigInt(REG.SCRATCH) &&
    m.body.data.length === 4 &&
    m.body.data.every((b) => b === 0)
  );
}

/**
 * Holds the server back during the guest's burst so that QEMU must coalesce
 * its posted writes (QEMU 10.2.2, hw/vfio-user/device.c and proxy.c): a
 * posted write of at most 8 bytes joins a REGION_WRITE_MULTI only while more
 * than 1024 messages (VFIO_USER_OUT_HIGH) wait in QEMU's outgoing queue. A
 * multi is queued when it holds 200 writes (VFIO_USER_MULTI_MAX), when the
 * queue falls under 128, when it empties, or before any other request.
 * Messages wait in that queue until QEMU's I/O thread sends them, one
 * sendmsg each, and for as long as the socket is full. (In 10.2.2 the flag
 * that write_multiple sets is 0x16, which includes the flag that queues
 * every send, 0x4: seen in the binary, `orl $0x16`; upstream fixed the
 * value for 11.0. Without write_multiple, QEMU sends inline while the queue
 * is empty.) So whether the queue grew that long depended on how the guest's
 * vCPU thread, QEMU's I/O thread and this server were scheduled. Here the
 * server stops reading when the burst's first write arrives; the socket
 * fills, QEMU queues, and the server reads again once QEMU's trace says a
 * multi was queued. Should that never come, it reads again after 3 s, inside
 * QEMU's 5-s reply timeout for the read that follows the burst, and the
 * capture checks fail.
 */
function holdDuringBurst(conn: ServerConnection, message: Message, qemu: Child, hold: Hold): void {
  if (!burstStart(message) || hold.from !== 0) return;
  conn.pause();
  hold.from = Date.now();
  const resume = (by: Hold['by']): void => {
    if (hold.by !== null) return;
    hold.by = by;
    hold.ms = Date.now() - hold.from;
    conn.resume();
  };
  const fallback = setTimeout(() => resume('fallback'), 3000);
  void qemu.waitFor(new RegExp(MULTI_QUEUED.source)).then(
    () => {
      clearTimeout(fallback);
      resume('trace');
    },
    () => undefined,
  );
}

/** How the server held QEMU back during the burst. */
interface Hold {
  /** When the burst's first write arrived (Date.now()), 0 before. */
  from: number;
  /** What ended the hold: QEMU's trace of a queued multi, or the fallback timer; null while holding. */
  by: 'trace' | 'fallback' | null;
  /** How long the server read nothing. */
  ms: number;
}

/**
 * Boots `image` and waits for the guest's "VFUTEST done"; with `reset`, then
 * resets the machine from QEMU's monitor and waits for the guest to finish
 * again (the console then holds both runs; `values` are those of the second).
 * With `burst`, the server holds QEMU back during the guest's burst (see
 * {@link holdDuringBurst}).
 */
async function runGuest(t: ExecutionContext, name: string, image: string, memfd: boolean, { reset = false, burst = false } = {}): Promise<Run> {
  const dir = scratch(t, `qemu-${name}`);
  const socket = join(dir, 'device.sock');
  const debugcon = await DebugConsole.listen(t, join(dir, 'debugcon.sock'));
  const capture = new CaptureFile(join(dir, `${name}.jsonl`));
  const problems: string[] = [];
  const device = new ExampleDevice({ mmap: memfd });
  t.teardown(() => device.close());
  let qemu: Child | null = null;
  const hold: Hold = { from: 0, by: null, ms: 0 };
  // QEMU writes and reads its own DMA layout, and waits 5 s for any reply.
  const server = new Server(device, {
    dialect: 'qemu',
    clientDialect: 'qemu',
    timeoutMs: 5000,
    tap: (c, e) => {
      capture.serverTap(c.id)(e);
      if (burst && e.dir === 'in' && qemu !== null) holdDuringBurst(c, e.message, qemu, hold);
    },
    onViolation: (_c, e) => void problems.push(`violation ${(e as { code?: string }).code ?? e.name}: ${e.message}`),
    onDeferredError: (_c, e) => void problems.push(`deferred ${(e as { code?: string }).code ?? e.name}: ${e.message}`),
  });
  const listener = await serve(socket, server);
  t.teardown(() => listener.close());
  const args = [
    ...guestArgs(dir, image, socket, memfd),
    ...['-monitor', `unix:${join(dir, 'monitor.sock')},server=on,wait=off`],
    ...(burst ? ['-trace', 'vfio_user_wrmulti'] : []),
  ];
  const vm = new Child(t, peer('qemu/bin/qemu-system-x86_64'), args, { cwd: dir });
  qemu = vm;
  await debugcon.until('VFUTEST done', vm, 60000);
  if (reset) {
    await monitor(join(dir, 'monitor.sock'), 'system_reset');
    await debugcon.until('VFUTEST done', vm, 60000, 2);
  }
  const conn = server.connections[0];
  vm.kill();
  await vm.exited;
  // A paused connection would not see the socket close.
  conn?.resume();
  await conn?.whenClosed;
  capture.close();
  const text = debugcon.text;
  const values = consoleValues(text.slice(text.lastIndexOf('VFUTEST start')));
  const messages = capture.records.map((r) => {
    const from = r.dir === 'c2s' ? ('client' as const) : ('server' as const);
    return { from, nfds: r.nfds, message: decode(r.bytes, { dialect: 'qemu' }) };
  });
  // QEMU's output without its trace lines, and the sizes of the multis its trace says it queued.
  const multis = [...vm.output.matchAll(MULTI_QUEUED)].map((m) => parseInt(m[1]!, 16));
  const output = vm.output.replace(/^.*vfio_user_wrmulti.*\n/gm, '');
  return { console: text.slice(text.indexOf('VFUTEST start')), values, messages, capture: capture.path, qemu: output, multis, hold, problems };
}

/** What the guest must report, whatever the memory sharing. */
function guestChecks(t: ExecutionContext, run: Run): void {
  const g = (key: string): number | undefined => run.values.get(key);
  // Each check names its console key: many values are 0 or 1, so a bare difference would not say which one failed.
  const is = (key: string, want: number | undefined, why = ''): boolean => t.is(g(key), want, why === '' ? key : `${key}: ${why}`);
  const firstStatus = g('to device: DMA_STATUS');
  const log = run.console;
  t.notRegex(log, /VFUTEST (no device|BARs not assigned)/, log);
  // It sees the device: vendor/device found on bus 0, BARs assigned, memory and bus mastering on.
  t.not(g('dev'), undefined, log);
  t.not(g('bar0'), 0);
  t.not(g('bar1'), 0);
  t.is((g('cmd/status after enabling MEM|BUSMASTER') ?? 0) & 0x6, 0x6);
  // Registers.
  is('ID', ID_VALUE);
  is('VERSION', 1);
  is('SCRATCH before', 0, 'registers start as reset left them');
  is('SCRATCH after posted write', 0xcafef00d);
  is('16-bit read of ID+2', ID_VALUE >>> 16);
  is('SCRATCH after a 1-byte write (device refuses)', 0xcafef00d);
  // DMA to the device and back.
  if (firstStatus === 0 && statusReadBeforeDmaReply(run.messages)) t.log('to device: DMA_STATUS read 0 (busy): the guest read it before QEMU answered the DMA_READ');
  else is('to device: DMA_STATUS', DMA_DONE);
  is('to device: CHECKSUM', g('expected checksum'));
  is('from device: DMA_STATUS', DMA_DONE);
  is('from device: CHECKSUM', g('expected checksum'));
  is('RAM 0x20000 first dword', g('BAR1+0x1800 (trapped, REGION_READ)'));
  is('compare (0 = equal, else first bad index+1)', 0);
  // BAR1 written by the CPU, read back, and moved to guest RAM by the device.
  is('BAR1+0x0 readback', 0x11223344);
  is('BAR1+0x2000 readback', 0x55667788);
  is('BAR1+0x1000 readback (trapped)', 0x99aabbcc);
  is('BAR1+0 from device: DMA_STATUS', DMA_DONE);
  is('RAM 0x30000 (expect 11223344)', 0x11223344);
  is('BAR1+0x2000 from device: DMA_STATUS', DMA_DONE);
  is('RAM 0x30000 (expect 55667788)', 0x55667788);
  // The interrupt status, the doorbell, and a DMA the device cannot do.
  is('IRQ_STATUS', 1);
  is('IRQ_STATUS after clear', 0);
  is('DOORBELL_COUNT', 1);
  is('unmapped from device: DMA_STATUS', (DMA_FAILED | ERRNO.EFAULT) >>> 0);
  t.regex(log, /VFUTEST done/);
}

/** What the capture must show, whatever the memory sharing. */
function captureChecks(t: ExecutionContext, run: Run): void {
  const commands = (from: 'client' | 'server', cmd: number): Message[] => run.messages.filter((m) => m.from === from && m.message.kind === 'command' && m.message.cmd === cmd).map((m) => m.message);
  const replies = (cmd: number): Message[] => run.messages.filter((m) => m.from === 'server' && m.message.kind === 'reply' && m.message.cmd === cmd).map((m) => m.message);
  // QEMU speaks version 0.0.
  const version = commands('client', 1)[0];
  t.true(version?.kind === 'command' && version.cmd === 1 && version.body.major === 0 && version.body.minor === 0);
  // Reset, answered.
  t.true(commands('client', 13).length >= 1);
  t.true(replies(13).length >= 1);
  // INTx: QEMU installs an eventfd for it, and unmasks it again after the device raised it (after its first DMA).
  const intxEventfd = run.messages.find((m) => m.from === 'client' && m.nfds === 1 && m.message.kind === 'command' && m.message.cmd === 8 && m.message.body.index === 0 && m.message.body.flags === 0x24);
  t.not(intxEventfd, undefined);
  const firstDmaStart = run.messages.findIndex((m) => m.from === 'client' && m.message.kind === 'command' && m.message.cmd === 10 && m.message.body.offset === 0x20n);
  const unmasks = run.messages.slice(firstDmaStart).filter((m) => m.from === 'client' && m.message.kind === 'command' && m.message.cmd === 8 && m.message.body.index === 0 && m.message.body.flags === 0x11);
  t.true(firstDmaStart > 0 && unmasks.length >= 4, `${unmasks.length} INTx unmasks after the first DMA`);
  // No message timed out: QEMU says nothing of the kind, and the server saw no failure.
  t.notRegex(run.qemu, /time(d)? ?out/i, run.qemu);
  t.deepEqual(run.problems, []);
}

const qemuMissing = missing('qemu/bin/qemu-system-x86_64', 'guest/boot.img', 'guest/boot-burst.img');
const qemuTest = qemuMissing === null ? test : test.skip;
const why = qemuMissing === null ? '' : ` [skipped: ${qemuMissing}]`;

qemuTest(`QEMU with memfd guest RAM: the guest drives the example device, DMA through the memory fds, and again after a machine reset${why}`, async (t) => {
  t.timeout(150000);
  const run = await runGuest(t, 'memfd', 'boot.img', true, { reset: true });
  guestChecks(t, run);
  captureChecks(t, run);
  // The reset: both runs completed, the first left SCRATCH at 0xcafef00d and the second found it reset to 0 (checked above),
  // after QEMU reset the device again.
  t.is(run.console.split('VFUTEST done').length - 1, 2, run.console);
  const resets = run.messages.filter((m) => m.from === 'client' && m.message.kind === 'command' && m.message.cmd === 13);
  const firstRunDma = run.messages.findIndex((m) => m.from === 'client' && m.message.kind === 'command' && m.message.cmd === 10 && m.message.body.offset === 0x20n);
  t.true(run.messages.slice(firstRunDma).some((m) => m.from === 'client' && m.message.kind === 'command' && m.message.cmd === 13), `${resets.length} DEVICE_RESET, none after the first run`);
  const maps = run.messages.filter((m) => m.from === 'client' && m.message.kind === 'command' && m.message.cmd === 2);
  t.true(maps.some((m) => m.nfds === 1), 'QEMU maps guest RAM with its fd');
  t.is(run.messages.filter((m) => m.from === 'server' && m.message.kind === 'command').length, 0, 'no DMA_READ/DMA_WRITE: the device used the fds');
  const n = await checkAndVerify(t, run.capture, { client: 'qemu', server: 'qemu' }, 200);
  t.log(`QEMU, memfd: ${n} messages`);
});

qemuTest(`QEMU without shared memory: every DMA as DMA_READ/DMA_WRITE, posted write bursts${why}`, async (t) => {
  t.timeout(90000);
  const run = await runGuest(t, 'nomemfd', 'boot-burst.img', false, { burst: true });
  guestChecks(t, run);
  captureChecks(t, run);
  t.is(run.values.get('SCRATCH after 20000 writes (expect 00004e1f)'), 0x4e1f);
  const maps = run.messages.filter((m) => m.from === 'client' && m.message.kind === 'command' && m.message.cmd === 2);
  t.true(maps.length > 0 && maps.every((m) => m.nfds === 0), 'QEMU maps guest RAM without fds');
  const dmaReads = run.messages.filter((m) => m.from === 'server' && m.message.kind === 'command' && m.message.cmd === 11);
  const dmaWrites = run.messages.filter((m) => m.from === 'server' && m.message.kind === 'command' && m.message.cmd === 12);
  t.true(dmaReads.length >= 1, 'DMA to the device went as DMA_READ');
  t.true(dmaWrites.length >= 3, 'DMA from the device went as DMA_WRITE');
  const answered = run.messages.filter((m) => m.from === 'client' && m.message.kind === 'reply' && (m.message.cmd === 11 || m.message.cmd === 12));
  t.is(answered.length, dmaReads.length + dmaWrites.length, 'QEMU answered every DMA message');
  // The burst: posted writes (NO_REPLY), coalesced into REGION_WRITE_MULTI.
  const posted = run.messages.filter((m) => m.from === 'client' && m.message.kind === 'command' && (m.message.cmd === 10 || m.message.cmd === 15) && (m.message.flags & 0x10) !== 0);
  const multi = run.messages.filter((m) => m.from === 'client' && m.message.kind === 'command' && m.message.cmd === 15);
  t.true(posted.length > 0, 'QEMU posted register writes');
  t.true(run.hold.from !== 0, 'the burst\'s first write arrived and the server stopped reading');
  t.is(run.hold.by, 'trace', 'the server read again because QEMU queued a REGION_WRITE_MULTI');
  t.true(multi.length > 0, 'QEMU coalesced writes into REGION_WRITE_MULTI');
  t.deepEqual(
    multi.map(({ message: m }) => (m.kind === 'command' && m.cmd === VFIO_USER_REGION_WRITE_MULTI ? m.body.wr_cnt : -1n)),
    run.multis.map(BigInt),
    'every REGION_WRITE_MULTI QEMU queued arrived, with the writes QEMU put in it',
  );
  const n = await checkAndVerify(t, run.capture, { client: 'qemu', server: 'qemu' }, 200);
  t.log(`QEMU, no memfd, burst: ${n} messages (${dmaReads.length} DMA_READ, ${dmaWrites.length} DMA_WRITE, ${posted.length} posted writes, ${multi.length} REGION_WRITE_MULTI; the server read nothing for ${run.hold.ms} ms)`);
});
