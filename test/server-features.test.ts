/**
 * Server features real peers depend on: message DMA on fd-backed windows when
 * the device asks, MIG_DATA_READ replies padded to the size asked, work a
 * handler defers until its reply has gone (with the connection still serving
 * commands while that work waits for DMA), and DMA commands in any dialect.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { command, Conversation, decode, encode, reply } from '../src/index.js';
import { BAR0, BAR1, CFG, COMMAND_BUS_MASTER, COMMAND_MEMORY, CONFIG, DMA_DONE, DMA_TO_DEVICE, ExampleDevice, REG } from '../examples/device/device.js';
import { channelPair, Client, connect, preadFd, pwriteFd, Server, type ClientDmaHandler, type ClientOptions, type DmaWindow, type ServerConnection, type ServerOptions, type TapEvent } from '../src/unix/index.js';
import { TempFiles, TestDevice } from './helpers/session-peer.js';

/** Client memory at `base` whose reads can be held until released. */
class HeldMemory implements ClientDmaHandler {
  readonly bytes = new Uint8Array(0x4000);
  readonly requests: string[] = [];
  #hold: Promise<void> | null = null;
  #release: () => void = () => undefined;
  #arrived: (() => void) | null = null;

  constructor(readonly base: bigint) {}

  /** Holds the next reads until {@link release}; resolves when one arrives. */
  hold(): Promise<void> {
    this.#hold = new Promise((r) => (this.#release = r));
    return new Promise((r) => (this.#arrived = r));
  }

  release(): void {
    this.#hold = null;
    this.#release();
  }

  async read(addr: bigint, count: number): Promise<Uint8Array> {
    this.requests.push(`read ${count}`);
    this.#arrived?.();
    this.#arrived = null;
    if (this.#hold !== null) await this.#hold;
    const o = Number(addr - this.base);
    return this.bytes.slice(o, o + count);
  }

  write(addr: bigint, data: Uint8Array): void {
    this.requests.push(`write ${data.length}`);
    this.bytes.set(data, Number(addr - this.base));
  }
}

class MessageDmaDevice extends TestDevice {
  messageDma: boolean | ((conn: ServerConnection, window: DmaWindow) => boolean) = false;
}

interface Setup {
  readonly files: TempFiles;
  readonly device: MessageDmaDevice;
  readonly server: Server;
  readonly client: Client;
  readonly conn: ServerConnection;
  /** Every message the server sent or framed, as bytes, with its direction from the client's view. */
  readonly captured: { readonly from: 'client' | 'server'; readonly bytes: Uint8Array }[];
  done(): Promise<void>;
}

async function setup(t: ExecutionContext, clientOptions: ClientOptions = {}, serverOptions: ServerOptions = {}): Promise<Setup> {
  const files = new TempFiles();
  const device = new MessageDmaDevice(files.file(0x2000));
  const captured: { from: 'client' | 'server'; bytes: Uint8Array }[] = [];
  const tap = (_c: ServerConnection, e: TapEvent): void => void captured.push({ from: e.dir === 'in' ? 'client' : 'server', bytes: Uint8Array.from(e.bytes) });
  const server = new Server(device, { twinSocket: false, tap, ...serverOptions });
  const [a, b] = channelPair();
  server.accept(b);
  const client = await Client.connect(a, { timeoutMs: 5000, twinSocket: false, ...clientOptions });
  const conn = server.connections[0]!;
  t.teardown(() => {
    client.close();
    server.close();
    files.remove();
  });
  return {
    files,
    device,
    server,
    client,
    conn,
    captured,
    done: async () => {
      client.close();
      await conn.whenClosed;
    },
  };
}

/** The commands of the capture, in order, as `cmd/kind` from the sender. */
function sequence(s: Setup, dialects: { client: 'default' | 'qemu'; server: 'default' | 'qemu' } = { client: 'default', server: 'default' }): string[] {
  return s.captured.map((c) => {
    const m = decode(c.bytes, { dialect: c.from === 'client' ? dialects.client : dialects.server });
    return `${c.from}:${m.cmd}/${m.kind}`;
  });
}

function violations(s: Setup, clientDialect: 'default' | 'qemu' = 'default', serverDialect: 'default' | 'qemu' = 'default'): string[] {
  const conv = new Conversation({ clientDialect, serverDialect });
  return s.captured.flatMap((c, i) => conv.observe({ seq: i + 1, from: c.from, bytes: c.bytes, fds: null }).violations.map((v) => v.code));
}

test('message DMA on request: a device that asks reaches fd-backed windows by DMA_READ/DMA_WRITE, per device or per window', async (t) => {
  const memory = new HeldMemory(0x10000n);
  const s = await setup(t, { dma: memory, capabilities: { max_msg_fds: 4 } });
  const guestA = s.files.file(0x4000);
  const guestB = s.files.file(0x4000);
  await s.client.dmaMap({ flags: 3, addr: 0x10000n, size: 0x4000n }, guestA);
  await s.client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x4000n }, guestB);
  // Default: through the fds.
  await s.conn.dmaWrite(0x10010n, Uint8Array.of(1, 2));
  t.deepEqual(preadFd(guestA, 0x10n, 2), Uint8Array.of(1, 2));
  t.deepEqual(memory.requests, []);
  // Per device: every window by message, whatever its fd.
  s.device.messageDma = true;
  await s.conn.dmaWrite(0x10020n, Uint8Array.of(3, 4, 5));
  t.deepEqual(memory.bytes.subarray(0x20, 0x23), Uint8Array.of(3, 4, 5));
  t.deepEqual(preadFd(guestA, 0x20n, 3), Uint8Array.of(0, 0, 0));
  memory.bytes.set([9, 9], 0x30);
  t.deepEqual(await s.conn.dmaRead(0x10030n, 2), Uint8Array.of(9, 9));
  t.deepEqual(memory.requests, ['write 3', 'read 2']);
  // Per window: only the first window by message.
  s.device.messageDma = (_conn, w): boolean => w.addr === 0x10000n;
  pwriteFd(guestB, 0x40n, Uint8Array.of(7, 7, 7));
  t.deepEqual(await s.conn.dmaRead(0x20040n, 3), Uint8Array.of(7, 7, 7));
  await s.conn.dmaWrite(0x10050n, Uint8Array.of(6));
  t.deepEqual(memory.requests, ['write 3', 'read 2', 'write 1']);
  t.deepEqual(violations(s), []);
  await s.done();
});

test('MIG_DATA_READ: the reply is padded to the size asked; argsz and size give the real amount', async (t) => {
  const s = await setup(t);
  s.device.mem.set([1, 2, 3], 0);
  await s.client.setDeviceState(3);
  const start = s.captured.length;
  const data = await s.client.migDataRead(100);
  t.is(data.length, 64);
  t.deepEqual(Array.from(data.subarray(0, 3)), [1, 2, 3]);
  const end = await s.client.migDataRead(100);
  t.is(end.length, 0);
  const replies = s.captured.slice(start).filter((c) => c.from === 'server').map((c) => decode(c.bytes));
  t.is(replies.length, 2);
  for (const [i, m] of replies.entries()) {
    t.is(m.kind, 'reply');
    if (m.kind !== 'reply' || m.cmd !== 17) continue;
    const real = i === 0 ? 64 : 0;
    t.is(m.body.size, real);
    t.is(m.body.argsz, 8 + real);
    t.is(m.body.data.length, 100, 'the data is padded to the size asked');
    t.true(m.body.data.subarray(real).every((b) => b === 0));
  }
  t.deepEqual(violations(s), []);
  await s.done();
});

test('afterReply: a REGION_WRITE is answered before its DMA, and the connection serves commands while the DMA waits', async (t) => {
  const memory = new HeldMemory(0x20000n);
  const s = await setup(t, { dma: memory });
  await s.client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x1000n });
  memory.bytes.set([1, 2, 3, 4], 0x10);
  let finished!: () => void;
  const copied = new Promise<void>((r) => (finished = r));
  s.device.onDoorbell = (conn): void => {
    conn.afterReply(async () => {
      const got = await conn.dmaRead(0x20010n, 4);
      await conn.dmaWrite(0x20020n, got.map((x) => x * 2));
      finished();
    });
  };
  const arrived = memory.hold();
  // The write is answered although the DMA it started cannot finish yet.
  await s.client.regionWrite(0, 0x3cn, Uint8Array.of(1, 0, 0, 0));
  await arrived;
  // While the DMA_READ waits for the client, other commands are served.
  t.deepEqual(await s.client.regionRead(0, 0n, 4), Uint8Array.of(0, 0, 0, 0));
  t.is((await s.client.getDeviceInfo()).num_regions, 2);
  memory.release();
  await copied;
  t.deepEqual(memory.bytes.subarray(0x20, 0x24), Uint8Array.of(2, 4, 6, 8));
  const seq = sequence(s).filter((x) => !x.startsWith('client:1/') && !x.startsWith('server:1/'));
  // REGION_WRITE's reply leaves before the server's DMA_READ command.
  t.true(seq.indexOf('server:10/reply') < seq.indexOf('server:11/command'), seq.join(' '));
  t.deepEqual(violations(s), []);
  await s.done();
});

test('afterReply: a failure of the deferred work goes to onDeferredError', async (t) => {
  const failures: string[] = [];
  const s = await setup(t, {}, { onDeferredError: (_c, e) => void failures.push((e as { code?: string }).code ?? e.message) });
  let reported!: () => void;
  const done = new Promise<void>((r) => (reported = r));
  s.device.onDoorbell = (conn): void => {
    conn.afterReply(async () => {
      try {
        await conn.dmaRead(0x90000n, 4);
      } finally {
        setImmediate(reported);
      }
    });
  };
  await s.client.regionWrite(0, 0x3cn, Uint8Array.of(1, 0, 0, 0));
  await done;
  t.deepEqual(failures, ['ERR_DMA_FAULT']);
  await s.done();
});

test('DMA in the qemu dialect: the server writes VFIOUserDMARW commands and takes a body-less DMA_WRITE reply', async (t) => {
  const memory = new HeldMemory(0x20000n);
  // As QEMU: version 0.0, and its own layouts.
  const s = await setup(t, { dma: memory, minor: 0, dialect: 'qemu', serverDialect: 'qemu', capabilities: { max_data_xfer_size: 256 } }, { dialect: 'qemu', clientDialect: 'qemu' });
  await s.client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x1000n });
  const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  await s.conn.dmaWrite(0x20100n, data);
  t.deepEqual(memory.bytes.subarray(0x100, 0x100 + 300), data);
  t.deepEqual(await s.conn.dmaRead(0x20100n, 300), data);
  t.deepEqual(memory.requests, ['write 256', 'write 44', 'read 256', 'read 44']);
  const commands = s.captured.filter((c) => c.from === 'server').map((c) => decode(c.bytes, { dialect: 'qemu' }));
  const reads = commands.filter((m) => m.kind === 'command' && m.cmd === 11);
  t.is(reads.length, 2);
  for (const m of reads) if (m.kind === 'command' && m.cmd === 11) t.true('offset' in m.body && typeof m.body.count === 'number');
  t.deepEqual(violations(s, 'qemu', 'qemu'), []);
  await s.done();
});

test('check names the deadlock pattern: a server command while the same socket has a client command awaiting its reply', async (t) => {
  const memory = new HeldMemory(0x20000n);
  const s = await setup(t, { dma: memory });
  await s.client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x1000n });
  // DMA inside the handler, before the reply: legal for this client (it serves DMA while it waits), fatal for QEMU.
  s.device.onDoorbell = async (conn): Promise<void> => {
    await conn.dmaRead(0x20010n, 4);
  };
  await s.client.regionWrite(0, 0x3cn, Uint8Array.of(1, 0, 0, 0));
  t.deepEqual(violations(s), ['ERR_COMMAND_BEFORE_REPLY']);
  await s.done();
});

test('the rule in the checker: only on the socket where the client waits, and not for NO_REPLY commands', (t) => {
  const json = new TextEncoder().encode('{"capabilities":{}}');
  type Step = readonly [from: 'client' | 'server', bytes: Uint8Array, socket?: 'main' | 'twin'];
  const run = (steps: readonly Step[]): string[] => {
    const conv = new Conversation();
    return steps.flatMap(([from, bytes, socket], i) => conv.observe({ seq: i + 1, from, bytes, fds: null, ...(socket === undefined ? {} : { socket }) }).violations.map((v) => v.code));
  };
  const version: Step[] = [
    ['client', encode(command(1, 1, { major: 0, minor: 2, data: json, json: null }))],
    ['server', encode(reply({ cmd: 1, msg_id: 1 }, { major: 0, minor: 2, data: json, json: null }))],
  ];
  const write = encode(command(10, 2, { offset: 0n, region: 0, count: 4, data: Uint8Array.of(1, 2, 3, 4) }));
  const written = encode(reply({ cmd: 10, msg_id: 2 }, { offset: 0n, region: 0, count: 4 }));
  const dma = encode(command(11, 1, { addr: 0x1000n, count: 4n }));
  const dmaDone = encode(reply({ cmd: 11, msg_id: 1 }, { addr: 0x1000n, count: 4n, data: Uint8Array.of(0, 0, 0, 0) }));
  t.deepEqual(run([...version, ['client', write], ['server', dma], ['client', dmaDone], ['server', written]]), ['ERR_COMMAND_BEFORE_REPLY']);
  t.deepEqual(run([...version, ['client', write], ['server', written], ['server', dma], ['client', dmaDone]]), []);
  const posted = encode(command(10, 2, { offset: 0n, region: 0, count: 4, data: Uint8Array.of(1, 2, 3, 4) }, { noReply: true }));
  t.deepEqual(run([...version, ['client', posted], ['server', dma], ['client', dmaDone]]), []);
  // Without a socket named the rule assumes one socket; on another socket than the waiting command's it does not apply.
  t.deepEqual(run([...version, ['client', write, 'main'], ['server', dma, 'twin'], ['client', dmaDone, 'twin'], ['server', written, 'main']]).filter((c) => c === 'ERR_COMMAND_BEFORE_REPLY'), []);
});

test('the example device answers its DMA_CMD write first and moves the data after: no deadlock pattern on one socket', async (t) => {
  const device = new ExampleDevice();
  t.teardown(() => device.close());
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const captured: { from: 'client' | 'server'; bytes: Uint8Array }[] = [];
  const server = new Server(device, { twinSocket: false, tap: (_c, e) => void captured.push({ from: e.dir === 'in' ? 'client' : 'server', bytes: Uint8Array.from(e.bytes) }) });
  const [a, b] = channelPair();
  server.accept(b);
  const memory = new HeldMemory(0x40000n);
  memory.bytes.set([1, 2, 3, 4, 5, 6, 7, 8], 0);
  const client = await Client.connect(a, { timeoutMs: 5000, twinSocket: false, dma: memory });
  t.teardown(() => client.close());
  const u32 = (x: number): Uint8Array => Uint8Array.of(x & 0xff, (x >> 8) & 0xff, (x >> 16) & 0xff, x >>> 24);
  await client.regionWrite(CONFIG, BigInt(CFG.COMMAND), Uint8Array.of(COMMAND_MEMORY | COMMAND_BUS_MASTER, 0));
  await client.dmaMap({ flags: 3, addr: 0x40000n, size: 0x1000n });
  await client.regionWrite(BAR0, BigInt(REG.DMA_ADDR_LO), u32(0x40000));
  await client.regionWrite(BAR0, BigInt(REG.DMA_ADDR_HI), u32(0));
  await client.regionWrite(BAR0, BigInt(REG.DMA_LEN), u32(8));
  await client.regionWrite(BAR0, BigInt(REG.DMA_OFFSET), u32(0x1800));
  const arrived = memory.hold();
  await client.regionWrite(BAR0, BigInt(REG.DMA_CMD), u32(DMA_TO_DEVICE));
  // The write was answered while the device's DMA_READ still waits for the client.
  await arrived;
  t.deepEqual(await client.regionRead(BAR0, BigInt(REG.DMA_STATUS), 4), u32(0));
  memory.release();
  let status = 0;
  while (status === 0) status = new DataView((await client.regionRead(BAR0, BigInt(REG.DMA_STATUS), 4)).buffer).getUint32(0, true);
  t.is(status, DMA_DONE);
  t.deepEqual(await client.regionRead(BAR1, 0x1800n, 8), Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
  const conv = new Conversation();
  t.deepEqual(captured.flatMap((c, i) => conv.observe({ seq: i + 1, from: c.from, bytes: c.bytes, fds: null }).violations.map((v) => v.code)), []);
  client.close();
});

test('the example server with --dialect qemu serves a client that speaks like QEMU, DMA by message included', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vfu-exq-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const socket = join(dir, 'device.sock');
  const server = spawn(process.execPath, [fileURLToPath(new URL('../examples/device/server.js', import.meta.url)), '--socket', socket, '--connections', '1', '--dialect', 'qemu'], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => void server.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    server.stdout.on('data', (c: Buffer) => (c.toString().includes('listening on') ? resolve() : undefined));
    server.once('exit', () => reject(new Error('the server exited')));
  });
  const memory = new HeldMemory(0x40000n);
  memory.bytes.set([9, 8, 7, 6], 0);
  const client = await connect(socket, { minor: 0, dialect: 'qemu', serverDialect: 'qemu', twinSocket: false, dma: memory, timeoutMs: 5000 });
  const u32 = (x: number): Uint8Array => Uint8Array.of(x & 0xff, (x >> 8) & 0xff, (x >> 16) & 0xff, x >>> 24);
  await client.regionWrite(CONFIG, BigInt(CFG.COMMAND), Uint8Array.of(COMMAND_MEMORY | COMMAND_BUS_MASTER, 0));
  await client.dmaMap({ flags: 3, addr: 0x40000n, size: 0x1000n });
  for (const [reg, value] of [[REG.DMA_ADDR_LO, 0x40000], [REG.DMA_ADDR_HI, 0], [REG.DMA_LEN, 4], [REG.DMA_OFFSET, 0x1800], [REG.DMA_CMD, DMA_TO_DEVICE]] as const) {
    await client.regionWrite(BAR0, BigInt(reg), u32(value));
  }
  let status = 0;
  while (status === 0) status = new DataView((await client.regionRead(BAR0, BigInt(REG.DMA_STATUS), 4)).buffer).getUint32(0, true);
  t.is(status, DMA_DONE);
  t.deepEqual(memory.requests, ['read 4']);
  t.deepEqual(await client.regionRead(BAR1, 0x1800n, 4), Uint8Array.of(9, 8, 7, 6));
  client.close();
  const code = await new Promise<number | null>((r) => (server.exitCode !== null ? r(server.exitCode) : server.once('exit', r)));
  t.is(code, 0);
});

test('the example server refuses an unknown --dialect', async (t) => {
  const server = spawn(process.execPath, [fileURLToPath(new URL('../examples/device/server.js', import.meta.url)), '--socket', '/nonexistent/x.sock', '--dialect', 'vmware'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void server.kill('SIGKILL'));
  let err = '';
  server.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((r) => server.once('exit', r));
  t.is(code, 2);
  t.regex(err, /--dialect takes default, libvfio-user or qemu/);
});
