/**
 * The session layer over in-memory channels (and the Unix transport over a
 * real socket): negotiation, typed requests and errors, msg_id matching,
 * DMA both ways, the server's rules and limits, per-connection state, and
 * the transport's fd attribution.
 */
import test, { type ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { fstatSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveOptions } from '../src/options.js';
import { SPLIT_MIN_TAIL, splitTail } from '../src/session/split.js';
import { command, Conversation, encode, errorReply, FrameDecoder, reply, VfioUserProtocolError } from '../src/index.js';
import { VFIO_USER_REGION_WRITE_MULTI } from '../src/constants.js';
import { channelPair, Client, closeFds, connect, connectChannel, ERRNO, listen, preadFd, pwriteFd, serve, Server, UnixChannel, VfioUserRemoteError, VfioUserSessionError, type Channel, type ClientDmaHandler, type ClientOptions, type ServerOptions, type TapEvent } from '../src/unix/index.js';
import { eventfd, EventfdWatcher, memfd, readEventfd, signalEventfd, socketPair } from '../src/unix/index.js';
import { native } from '../src/unix/native.js';
import { errorCodes } from '../spec/errors.js';
import { pipePair, SignalCounter } from './helpers/pipes.js';
import { RawPeer, recordingDup, stillOpen, TempFiles, TestDevice } from './helpers/session-peer.js';
import { MessageStarts } from '../src/session/boundaries.js';

interface Setup {
  readonly files: TempFiles;
  readonly memFd: number;
  readonly device: TestDevice;
  readonly server: Server;
  readonly client: Client;
  readonly done: () => Promise<void>;
}

/** A server with a TestDevice and a client connected to it over an in-memory pair. */
async function setup(t: ExecutionContext, clientOptions: ClientOptions = {}, serverOptions: ServerOptions = {}, pair: Parameters<typeof channelPair>[0] = {}): Promise<Setup> {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const memFd = files.file(0x2000);
  const device = new TestDevice(memFd);
  const server = new Server(device, serverOptions);
  const [a, b] = channelPair(pair);
  server.accept(b);
  const client = await Client.connect(a, { timeoutMs: 5000, ...clientOptions });
  return {
    files,
    memFd,
    device,
    server,
    client,
    done: async () => {
      client.close();
      await client.whenClosed;
      await Promise.all(server.connections.map((c) => c.whenClosed));
      files.remove();
    },
  };
}

/** A server and a raw peer in the client's place. */
function rawSetup(t: ExecutionContext, serverOptions: ServerOptions = {}, pair: Parameters<typeof channelPair>[0] = {}): { files: TempFiles; device: TestDevice; server: Server; peer: RawPeer } {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const device = new TestDevice(files.file(0x2000));
  const server = new Server(device, serverOptions);
  const [a, b] = channelPair(pair);
  server.accept(b);
  return { files, device, server, peer: new RawPeer(a) };
}

const VERSION_JSON = (json: string): Uint8Array => new TextEncoder().encode(json);

async function rejects<T>(t: ExecutionContext, p: Promise<T>, code: string, errno?: number): Promise<Error & { code: string; errno?: number }> {
  const e = (await t.throwsAsync(p)) as Error & { code: string; errno?: number };
  t.is(e.code, code);
  if (errno !== undefined) t.is(e.errno, errno);
  return e;
}

// -- negotiation ---------------------------------------------------------------

test('negotiation: iommufd on when both sides advertise it, limits from each side', async (t) => {
  const s = await setup(t, { capabilities: { max_msg_fds: 5, max_data_xfer_size: 2048, iommufd: { supported: true } } });
  const n = s.client.negotiated;
  t.true(n.iommufd);
  t.deepEqual(n.toServer, { maxMsgFds: 8, maxDataXferSize: 1048576 });
  t.deepEqual(n.toClient, { maxMsgFds: 5, maxDataXferSize: 2048 });
  t.true(n.writeMultiple);
  t.is(n.migrationPgsize, 4096);
  t.deepEqual(s.client.version, { major: 0, minor: 2 });
  t.deepEqual(s.server.connections[0]!.negotiated, n);
  t.deepEqual(s.device.events, ['connected']);
  await s.done();
  t.deepEqual(s.device.events, ['connected', 'disconnected']);
});

test('negotiation: iommufd off when the client does not ask or the server does not grant', async (t) => {
  const a = await setup(t, { capabilities: { max_msg_fds: 4 } });
  t.false(a.client.negotiated.iommufd);
  t.is(a.client.serverCapabilities?.capabilities?.iommufd, undefined);
  await a.done();
  const b = await setup(t, {}, { iommufd: false });
  t.false(b.client.negotiated.iommufd);
  await b.done();
});

test('negotiation: the reply minor is the lower of both, and a refused VERSION rejects connect', async (t) => {
  const a = await setup(t, { minor: 1 });
  t.is(a.client.version.minor, 1);
  await a.done();
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const server = new Server(new TestDevice(files.file(0x2000)));
  const [x, y] = channelPair();
  server.accept(y);
  // A migration page size the device does not use is refused (libvfio-user does the same).
  await rejects(t, Client.connect(x, { capabilities: { migration: { pgsize: 8192 } } }), 'ERR_REMOTE', ERRNO.EINVAL);
  files.remove();
});

// -- typed requests, errors, matching ----------------------------------------------------

test('typed requests resolve with the decoded reply; error replies reject with ERR_REMOTE and the errno', async (t) => {
  const s = await setup(t);
  t.deepEqual(await s.client.getDeviceInfo(), { argsz: 16, flags: 3, num_regions: 2, num_irqs: 2 });
  await s.client.regionWrite(0, 8n, Uint8Array.of(1, 2, 3, 4));
  t.deepEqual(await s.client.regionRead(0, 8n, 4), Uint8Array.of(1, 2, 3, 4));
  const e = await rejects(t, s.client.regionRead(0, 60n, 8), 'ERR_REMOTE', ERRNO.EINVAL);
  t.true(e instanceof VfioUserRemoteError);
  t.is((e as VfioUserRemoteError).cmd, 9);
  await rejects(t, s.client.regionRead(7, 0n, 4), 'ERR_REMOTE', ERRNO.EINVAL);
  await rejects(t, s.client.getIrqInfo(2), 'ERR_REMOTE', ERRNO.EINVAL);
  await s.done();
});

test('region info in two steps: the fd of an mmap-able region comes with its sparse caps', async (t) => {
  const s = await setup(t);
  const first = await s.client.request(5, { argsz: 32, flags: 0, index: 1, cap_offset: 0, size: 0n, offset: 0n, padding: new Uint8Array(0) });
  t.is(first.reply.body.argsz, 32 + 16 + 32);
  t.is(first.reply.body.flags, 0x7);
  t.deepEqual(first.fds, []);
  const { info, fd } = await s.client.getRegionInfo(1);
  t.is(info.flags, 0xf);
  t.is(info.cap_offset, 32);
  t.deepEqual(info.caps[0]?.kind === 'sparse_mmap' ? info.caps[0].areas : null, [
    { offset: 0n, size: 0x1000n },
    { offset: 0x1800n, size: 0x800n },
  ]);
  t.not(fd, null);
  // The fd reaches the region's memory: what the client writes there the device reads.
  pwriteFd(fd!, 0x10n, Uint8Array.of(0xab, 0xcd));
  t.deepEqual(await s.client.regionRead(1, 0x10n, 2), Uint8Array.of(0xab, 0xcd));
  const plain = await s.client.getRegionInfo(0);
  t.is(plain.fd, null);
  t.is(plain.info.argsz, 32);
  await s.done();
});

test('concurrent requests: replies are matched by msg_id and cmd, in any order', async (t) => {
  const [a, b] = channelPair();
  const peer = new RawPeer(b);
  const connecting = Client.connect(a, { capabilities: { max_msg_fds: 1 } });
  const version = await peer.next();
  peer.send(reply(version.message as { cmd: 1; msg_id: number }, { major: 0, minor: 2, data: VERSION_JSON('{"capabilities":{"max_msg_fds":2}}'), json: null }));
  const client = await connecting;
  const calls = [0, 1, 2, 3].map((i) => client.request(9, { offset: BigInt(i), region: 0, count: 1 }));
  const reqs = [];
  for (let i = 0; i < 4; i++) reqs.push(await peer.next());
  t.deepEqual(new Set(reqs.map((r) => r.message.msg_id)).size, 4);
  for (const r of [...reqs].reverse()) {
    const m = r.message as { cmd: 9; msg_id: number; body: { offset: bigint } };
    peer.send(reply(m, { offset: m.body.offset, region: 0, count: 1, data: Uint8Array.of(Number(m.body.offset) + 100) }));
  }
  const answers = await Promise.all(calls);
  t.deepEqual(
    answers.map((x) => x.reply.body?.data[0]),
    [100, 101, 102, 103],
  );
  t.is(client.outstanding, 0);
  client.close();
});

test('msg_ids skip those still waiting, and wrap after 65535', async (t) => {
  const [a, b] = channelPair();
  const peer = new RawPeer(b);
  const connecting = Client.connect(a);
  const version = await peer.next();
  peer.send(reply(version.message as { cmd: 1; msg_id: number }, { major: 0, minor: 2, data: new Uint8Array(0), json: null }));
  const client = await connecting;
  const slow = client.request(13, null);
  const held = (await peer.next()).message.msg_id;
  t.is(held, 2);
  const seen: number[] = [];
  for (let i = 0; i < 65535; i++) {
    const p = client.request(13, null);
    const m = (await peer.next()).message;
    seen.push(m.msg_id);
    peer.send(reply(m as { cmd: 13; msg_id: number }, null));
    await p;
  }
  t.false(seen.includes(held));
  t.is(seen[0], 3);
  t.is(seen.at(-2), 0);
  t.is(seen.at(-1), 1);
  const after = client.request(13, null);
  const next = (await peer.next()).message;
  t.is(next.msg_id, 3);
  peer.send(reply(next as { cmd: 13; msg_id: number }, null));
  await after;
  peer.send(reply({ cmd: 13, msg_id: held }, null));
  await slow;
  client.close();
});

test('a reply to nothing is dropped as a violation; a reply whose fds break its rule rejects with ERR_BAD_REPLY', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const violations: string[] = [];
  const [a, b] = channelPair();
  const peer = new RawPeer(b);
  const connecting = Client.connect(a, { onViolation: (e) => violations.push((e as { code?: string }).code ?? '') });
  const version = await peer.next();
  peer.send(reply(version.message as { cmd: 1; msg_id: number }, { major: 0, minor: 2, data: VERSION_JSON('{"capabilities":{"max_msg_fds":2}}'), json: null }));
  const client = await connecting;
  peer.send(reply({ cmd: 4, msg_id: 999 }, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }));
  const info = client.getDeviceInfo();
  const req = await peer.next();
  peer.send(reply(req.message as { cmd: 4; msg_id: number }, { argsz: 16, flags: 0, num_regions: 1, num_irqs: 0 }), [files.file(16)]);
  const e = await rejects(t, info, 'ERR_BAD_REPLY');
  t.is((e.cause as VfioUserProtocolError).code, 'ERR_FD_RULE');
  t.deepEqual(violations, ['ERR_ORPHAN_REPLY']);
  client.close();
  files.remove();
});

test('a request times out with ERR_TIMEOUT; closing fails what still waits with ERR_CLOSED', async (t) => {
  const [a, b] = channelPair();
  const peer = new RawPeer(b);
  const connecting = Client.connect(a);
  const version = await peer.next();
  peer.send(reply(version.message as { cmd: 1; msg_id: number }, { major: 0, minor: 2, data: new Uint8Array(0), json: null }));
  const client = await connecting;
  await rejects(t, client.request(4, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }, { timeoutMs: 30 }), 'ERR_TIMEOUT', ERRNO.ETIMEDOUT);
  const waiting = client.getDeviceInfo();
  peer.close();
  await rejects(t, waiting, 'ERR_CLOSED');
  t.true(client.isClosed);
  await rejects(t, client.getDeviceInfo(), 'ERR_CLOSED');
});

test('the client refuses locally: more fds than the server accepts, iommufd commands without iommufd', async (t) => {
  const s = await setup(t, { capabilities: { max_msg_fds: 4 } }, { capabilities: { max_msg_fds: 1 } });
  const fds = [s.files.file(16), s.files.file(16)];
  const e = await rejects(t, s.client.request(2, { argsz: 32, flags: 3, offset: 0n, addr: 0n, size: 0x1000n }, { fds }), 'ERR_FD_LIMIT');
  t.true(e instanceof VfioUserProtocolError);
  await rejects(t, s.client.allocIoas(), 'ERR_IOMMUFD_NOT_NEGOTIATED');
  // SET_IRQS with more eventfds than max_msg_fds goes out in several messages.
  const pipes = [0, 1, 2, 3].map(() => pipePair());
  await s.client.setIrqs({ flags: 0x24, index: 1, start: 0, count: 4 }, pipes.map((p) => p.writeFd));
  const counters = pipes.map((p) => new SignalCounter(p.readFd));
  for (let v = 0; v < 4; v++) t.true(s.server.connections[0]!.triggerIrq(1, v));
  await Promise.all(counters.map((c) => c.waitFor(1)));
  for (const c of counters) c.close();
  closeFds(pipes.map((p) => p.writeFd));
  await s.done();
});

// -- DMA both ways --------------------------------------------------------------------------

/** Client memory for message-based windows. */
class Memory implements ClientDmaHandler {
  readonly bytes = new Uint8Array(0x4000);
  reads: number[] = [];
  writes: number[] = [];
  constructor(readonly base: bigint) {}
  read(addr: bigint, count: number): Uint8Array {
    this.reads.push(count);
    const o = Number(addr - this.base);
    return this.bytes.slice(o, o + count);
  }
  write(addr: bigint, data: Uint8Array): void {
    this.writes.push(data.length);
    this.bytes.set(data, Number(addr - this.base));
  }
}

test('server DMA: fd-backed windows by pread/pwrite, the others by DMA_READ/DMA_WRITE in chunks of the client limit', async (t) => {
  const memory = new Memory(0x20000n);
  const s = await setup(t, { capabilities: { max_msg_fds: 4, max_data_xfer_size: 1024 }, dma: memory });
  const guest = s.files.file(0x4000);
  await s.client.dmaMap({ flags: 3, addr: 0x10000n, size: 0x4000n, offset: 0n }, guest);
  await s.client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x4000n });
  const conn = s.server.connections[0]!;
  t.is(conn.dmaWindows.length, 2);
  await conn.dmaWrite(0x10ff0n, Uint8Array.of(1, 2, 3));
  t.deepEqual(preadFd(guest, 0xff0n, 3), Uint8Array.of(1, 2, 3));
  t.deepEqual(await conn.dmaRead(0x10ff0n, 3), Uint8Array.of(1, 2, 3));
  const data = Uint8Array.from({ length: 2500 }, (_, i) => i & 0xff);
  await conn.dmaWrite(0x20100n, data);
  t.deepEqual(memory.writes, [1024, 1024, 452]);
  t.deepEqual(memory.bytes.subarray(0x100, 0x100 + 2500), data);
  t.deepEqual(await conn.dmaRead(0x20100n, 2500), data);
  t.deepEqual(memory.reads, [1024, 1024, 452]);
  await rejects(t, conn.dmaRead(0x30000n, 4), 'ERR_DMA_FAULT', ERRNO.EFAULT);
  await rejects(t, conn.dmaWrite(0x13ffen, Uint8Array.of(1, 2, 3, 4)), 'ERR_DMA_FAULT');
  t.deepEqual(preadFd(guest, 0x3ffen, 2), Uint8Array.of(0, 0));
  await s.done();
});

test('server DMA: windows mapped read-only refuse device writes; a client without a DMA handler answers EFAULT', async (t) => {
  const s = await setup(t);
  const conn = s.server.connections[0]!;
  await s.client.dmaMap({ flags: 1, addr: 0x10000n, size: 0x1000n }, s.files.file(0x1000));
  await rejects(t, conn.dmaWrite(0x10000n, Uint8Array.of(1)), 'ERR_DMA_FAULT');
  t.is((await conn.dmaRead(0x10000n, 1)).length, 1);
  await s.client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x1000n });
  const e = await rejects(t, conn.dmaRead(0x20000n, 8), 'ERR_REMOTE', ERRNO.EFAULT);
  t.is((e as VfioUserRemoteError).cmd, 11);
  await s.done();
});

test('DMA_MAP and DMA_UNMAP rules: overlap EEXIST, exact repeat accepted, unknown ENOENT, ALL, fds closed on unmap', async (t) => {
  const dup = recordingDup();
  const s = await setup(t, {}, {}, { dupFd: dup.dup });
  const fd = s.files.file(0x4000);
  await s.client.dmaMap({ flags: 3, addr: 0x10000n, size: 0x2000n }, fd);
  const serverFd = dup.created.at(-1)!;
  t.true(stillOpen(serverFd));
  await rejects(t, s.client.dmaMap({ flags: 3, addr: 0x11000n, size: 0x2000n }, fd), 'ERR_REMOTE', ERRNO.EEXIST);
  await s.client.dmaMap({ flags: 3, addr: 0x10000n, size: 0x2000n }, fd);
  t.is(s.server.connections[0]!.dmaWindows.length, 1);
  await rejects(t, s.client.request(2, { argsz: 32, flags: 0x7, offset: 0n, addr: 0x40000n, size: 0x1000n }), 'ERR_REMOTE', ERRNO.EINVAL);
  await rejects(t, s.client.dmaUnmap(0x10000n, 0x1000n), 'ERR_REMOTE', ERRNO.ENOENT);
  await rejects(t, s.client.request(3, { argsz: 24, flags: 2, addr: 0x10000n, size: 0n, bitmap: null }), 'ERR_REMOTE', ERRNO.EINVAL);
  const echo = await s.client.dmaUnmap(0x10000n, 0x2000n);
  t.is(echo.addr, 0x10000n);
  // Commands run one at a time: once the next one is answered, the unmap is done with.
  await s.client.getDeviceInfo();
  t.false(stillOpen(serverFd));
  await s.client.dmaMap({ flags: 3, addr: 0x50000n, size: 0x1000n });
  await s.client.dmaUnmapAll();
  t.is(s.server.connections[0]!.dmaWindows.length, 0);
  await s.done();
});

test('dirty logging: pages the device writes, reported per window and with DMA_UNMAP; addresses checked against the windows', async (t) => {
  const memory = new Memory(0x20000n);
  const s = await setup(t, { dma: memory });
  const conn = s.server.connections[0]!;
  await s.client.dmaMap({ flags: 3, addr: 0x10000n, size: 0x4000n }, s.files.file(0x4000));
  await s.client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x2000n });
  await rejects(t, s.client.dmaLoggingReport(0x10000n, 0x4000n, 0x1000n, 8), 'ERR_REMOTE', ERRNO.EINVAL);
  await rejects(t, s.client.dmaLoggingStart(0x1000n, [{ iova: 0x30000n, length: 0x1000n }]), 'ERR_REMOTE', ERRNO.EINVAL);
  await s.client.dmaLoggingStart(0x1000n, [{ iova: 0x10000n, length: 0x4000n }]);
  await conn.dmaWrite(0x10ff0n, new Uint8Array(0x20));
  await conn.dmaWrite(0x20000n, new Uint8Array(1));
  t.deepEqual(await s.client.dmaLoggingReport(0x10000n, 0x4000n, 0x1000n, 8), Uint8Array.of(0b11, 0, 0, 0, 0, 0, 0, 0));
  // A coarser page: both logged pages fall in the first 8 KiB page.
  await conn.dmaWrite(0x10ff0n, new Uint8Array(0x20));
  t.deepEqual(await s.client.dmaLoggingReport(0x10000n, 0x4000n, 0x2000n, 8), Uint8Array.of(0b1, 0, 0, 0, 0, 0, 0, 0));
  t.deepEqual(await s.client.dmaLoggingReport(0x20000n, 0x2000n, 0x1000n, 8), Uint8Array.of(0b1, 0, 0, 0, 0, 0, 0, 0));
  await rejects(t, s.client.dmaLoggingReport(0x30000n, 0x1000n, 0x1000n, 8), 'ERR_REMOTE', ERRNO.ENOENT);
  await rejects(t, s.client.dmaLoggingReport(0x10000n, 0x1000n, 0x1000n, 8), 'ERR_REMOTE', ERRNO.ENOTSUP);
  await conn.dmaWrite(0x13000n, new Uint8Array(1));
  t.deepEqual(await s.client.dmaUnmapDirty(0x10000n, 0x4000n, 0x1000n, 8n), Uint8Array.of(0b1000, 0, 0, 0, 0, 0, 0, 0));
  await s.client.dmaLoggingStop();
  await s.done();
});

// -- the server's rules ----------------------------------------------------------------------

test('VERSION first: any other first command gets EINVAL and the connection closes', async (t) => {
  const { peer, files } = rawSetup(t);
  peer.send(command(4, 7, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }));
  const r = await peer.next();
  t.is(r.message.kind, 'error');
  t.is(r.message.error_no, ERRNO.EINVAL);
  t.is(r.message.msg_id, 7);
  await peer.whenClosed;
  files.remove();
});

test('a VERSION that does not decode gets EINVAL and the connection closes; a second VERSION gets EINVAL', async (t) => {
  const a = rawSetup(t);
  const bad = encode(command(1, 1, { major: 0, minor: 2, data: VERSION_JSON('{"capabilities":'), json: null }));
  a.peer.send(bad);
  const r = await a.peer.next();
  t.is(r.message.kind, 'error');
  t.is(r.message.error_no, ERRNO.EINVAL);
  await a.peer.whenClosed;
  a.files.remove();
  const b = await setup(t);
  await rejects(t, b.client.request(1, { major: 0, minor: 2, data: new Uint8Array(0), json: null }), 'ERR_REMOTE', ERRNO.EINVAL);
  t.false(b.client.isClosed);
  await b.done();
});

test('the iommufd gate: IOAS commands without iommufd negotiated get EINVAL', async (t) => {
  const s = await setup(t, { capabilities: { max_msg_fds: 2 } });
  for (const cmd of [19, 24] as const) {
    const body = cmd === 19 ? { argsz: 16, flags: 0, out_ioas_id: 0, __reserved: 0 } : { argsz: 16, flags: 0, iommufd: -1, out_devid: 0 };
    await rejects(t, s.client.request(cmd, body as never), 'ERR_REMOTE', ERRNO.EINVAL);
  }
  t.is(s.server.connections[0]!.ioas.size, 0);
  await s.done();
});

test('over the server limits: too many fds gets E2BIG, a transfer above max_data_xfer_size its errno, and the fds are closed', async (t) => {
  const dup = recordingDup();
  const { peer, files, server } = rawSetup(t, { capabilities: { max_msg_fds: 2, max_data_xfer_size: 64 } }, { dupFd: dup.dup });
  peer.send(command(1, 1, { major: 0, minor: 2, data: VERSION_JSON('{"capabilities":{"max_msg_fds":8}}'), json: null }));
  t.is((await peer.next()).message.kind, 'reply');
  const fds = [files.file(16), files.file(16), files.file(16)];
  peer.send(command(2, 2, { argsz: 32, flags: 3, offset: 0n, addr: 0n, size: 0x1000n }), fds);
  const r = await peer.next();
  t.is(r.message.kind, 'error');
  t.is(r.message.msg_id, 2);
  t.is(r.message.error_no, ERRNO.E2BIG);
  // The refused command is done with once the next one is answered.
  peer.send(command(4, 20, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }));
  t.is((await peer.next()).message.msg_id, 20);
  t.is(dup.created.length, 3);
  for (const fd of dup.created) t.false(stillOpen(fd));
  peer.send(command(10, 3, { offset: 0n, region: 0, count: 65, data: new Uint8Array(65) }));
  const big = await peer.next();
  t.is(big.message.kind, 'error');
  t.is(big.message.error_no, ERRNO.E2BIG);
  peer.send(command(9, 4, { offset: 0n, region: 0, count: 65 }));
  t.is((await peer.next()).message.error_no, ERRNO.E2BIG);
  // A command over a limit sent with NO_REPLY gets nothing back, and the connection goes on.
  peer.send(command(10, 5, { offset: 0n, region: 0, count: 65, data: new Uint8Array(65) }, { noReply: true }));
  peer.send(command(4, 6, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }));
  const next = await peer.next();
  t.is(next.message.msg_id, 6);
  t.is(next.message.kind, 'reply');
  t.is(server.connections.length, 1);
  peer.close();
  files.remove();
});

test('fd rules: DMA_MAP with two fds and IOAS_MAP without one get EINVAL, and the fds are closed', async (t) => {
  const dup = recordingDup();
  const s = await setup(t, {}, {}, { dupFd: dup.dup });
  const fd = s.files.file(0x1000);
  await rejects(t, s.client.request(2, { argsz: 32, flags: 3, offset: 0n, addr: 0n, size: 0x1000n }, { fds: [fd, fd] }), 'ERR_REMOTE', ERRNO.EINVAL);
  // The refused command is done with once the next one is answered.
  await s.client.getDeviceInfo();
  t.true(dup.created.length >= 2, `${dup.created.length} fds duplicated`);
  for (const copy of dup.created) t.false(stillOpen(copy));
  const ioas = await s.client.allocIoas();
  await rejects(t, s.client.request(21, { argsz: 48, flags: 3, ioas_id: ioas, __reserved: 0, user_va: 0n, length: 0x1000n, iova: 0n, offset: 0n }), 'ERR_REMOTE', ERRNO.EINVAL);
  await s.done();
});

test('commands only a server sends are refused; unknown commands and DIRTY_PAGES get EINVAL', async (t) => {
  const s = await setup(t);
  await rejects(t, s.client.request(11, { addr: 0n, count: 4n }), 'ERR_REMOTE', ERRNO.EINVAL);
  await rejects(t, s.client.request(14, { argsz: 8, flags: 1, range: null }), 'ERR_REMOTE', ERRNO.EINVAL);
  await s.done();
  const { peer, files } = rawSetup(t);
  peer.send(command(1, 1, { major: 0, minor: 2, data: new Uint8Array(0), json: null }));
  await peer.next();
  const unknown = new Uint8Array(16);
  new DataView(unknown.buffer).setUint16(0, 9, true);
  new DataView(unknown.buffer).setUint16(2, 200, true);
  new DataView(unknown.buffer).setUint32(4, 16, true);
  peer.send(unknown);
  const r = await peer.next();
  t.is(r.message.kind, 'error');
  t.is(r.message.cmd, 200);
  t.is(r.message.error_no, ERRNO.EINVAL);
  peer.close();
  files.remove();
});

test('NO_REPLY: a posted write gets no reply and lands before the next command', async (t) => {
  const { peer, files, device } = rawSetup(t);
  peer.send(command(1, 1, { major: 0, minor: 2, data: new Uint8Array(0), json: null }));
  await peer.next();
  peer.send(command(10, 2, { offset: 0n, region: 0, count: 2, data: Uint8Array.of(7, 8) }, { noReply: true }));
  peer.send(command(9, 3, { offset: 0n, region: 0, count: 2 }));
  const r = await peer.next();
  t.is(r.message.msg_id, 3);
  t.deepEqual(r.message.kind === 'reply' && r.message.cmd === 9 ? r.message.body?.data : null, Uint8Array.of(7, 8));
  t.deepEqual(device.mem.subarray(0, 2), Uint8Array.of(7, 8));
  // Replies come in order: the next command's reply is the next message, so none came for the posted write.
  peer.send(command(4, 4, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }));
  t.is((await peer.next()).message.msg_id, 4);
  t.is(peer.queued, 0);
  peer.close();
  files.remove();
});

test('REGION_WRITE_MULTI: posted or answered, each write checked against its region', async (t) => {
  const s = await setup(t);
  await s.client.regionWriteMulti([{ region: 0, offset: 0n, data: Uint8Array.of(1) }, { region: 0, offset: 4n, data: Uint8Array.of(2, 3) }], { noReply: true });
  await s.client.regionWriteMulti([{ region: 0, offset: 8n, data: Uint8Array.of(4) }]);
  t.deepEqual(Array.from(s.device.mem.subarray(0, 9)), [1, 0, 0, 0, 2, 3, 0, 0, 4]);
  await rejects(t, s.client.regionWriteMulti([{ region: 0, offset: 63n, data: Uint8Array.of(1, 2) }]), 'ERR_REMOTE', ERRNO.EINVAL);
  await s.done();
  const none = await setup(t, {}, { capabilities: { max_msg_fds: 8 } });
  // Without write_multiple the client refuses it before it goes, and the server, sent it all the same, answers EINVAL.
  const one = { region: 0, offset: 0n, count: 1, data: new Uint8Array(8) };
  await rejects(t, none.client.regionWriteMulti([{ region: 0, offset: 0n, data: Uint8Array.of(1) }]), 'ERR_NOT_ADVERTISED');
  await rejects(t, none.client.request(VFIO_USER_REGION_WRITE_MULTI, { wr_cnt: 1n, wrs: [one] }), 'ERR_REMOTE', ERRNO.EINVAL);
  t.is(none.device.mem[0], 0, 'not written');
  await none.done();
});

test('SET_IRQS: eventfds installed per vector, masked vectors held until unmasked, DATA_BOOL triggers, bad ranges EINVAL', async (t) => {
  const s = await setup(t);
  const conn = s.server.connections[0]!;
  const pipes = [0, 1, 2, 3].map(() => pipePair());
  const counters = pipes.map((p) => new SignalCounter(p.readFd));
  await s.client.setIrqs({ flags: 0x24, index: 1, start: 0, count: 4 }, pipes.map((p) => p.writeFd));
  await s.client.setIrqs({ flags: 0x22, index: 1, start: 0, count: 4, data: Uint8Array.of(0, 1, 0, 1) });
  await counters[1]!.waitFor(1);
  await counters[3]!.waitFor(1);
  await s.client.setIrqs({ flags: 0x09, index: 1, start: 0, count: 1 });
  t.true(conn.triggerIrq(1, 0));
  // A pipe is signalled by a synchronous write: signal vector 1 after the masked vector 0, wait
  // for it, then let the event loop finish the reads of that turn; a write to vector 0 would show.
  t.true(conn.triggerIrq(1, 1));
  await counters[1]!.waitFor(2);
  await new Promise(setImmediate);
  t.is(counters[0]!.count, 0);
  await s.client.setIrqs({ flags: 0x11, index: 1, start: 0, count: 1 });
  await counters[0]!.waitFor(1);
  await rejects(t, s.client.setIrqs({ flags: 0x21, index: 1, start: 2, count: 3 }), 'ERR_REMOTE', ERRNO.EINVAL);
  await rejects(t, s.client.setIrqs({ flags: 0x21, index: 5, start: 0, count: 1 }), 'ERR_REMOTE', ERRNO.EINVAL);
  await rejects(t, s.client.setIrqs({ flags: 0x0c, index: 1, start: 0, count: 1 }, [pipes[0]!.writeFd]), 'ERR_REMOTE', ERRNO.EINVAL);
  await s.client.setIrqs({ flags: 0x21, index: 1, start: 0, count: 0 });
  t.false(conn.triggerIrq(1, 2));
  for (const c of counters) c.close();
  await s.done();
});

test('migration: the state machine walks allowed paths, MIG_DATA only in its states, the stream loads back', async (t) => {
  const s = await setup(t);
  t.is(await s.client.getMigrationFlags(), 0x5n);
  t.is(await s.client.getDeviceState(), 2);
  s.device.mem.set([9, 8, 7], 0);
  await rejects(t, s.client.migDataRead(16), 'ERR_REMOTE', ERRNO.EINVAL);
  await s.client.setDeviceState(3);
  t.deepEqual(s.device.events.slice(-2), ['2->1', '1->3']);
  const saved = await s.client.migDataReadAll();
  t.is(saved.reduce((n, c) => n + c.length, 0), 64);
  await rejects(t, s.client.setDeviceState(6), 'ERR_REMOTE', ERRNO.EINVAL);
  await rejects(t, s.client.migDataWrite(Uint8Array.of(1)), 'ERR_REMOTE', ERRNO.EINVAL);
  await s.client.setDeviceState(4);
  s.device.mem.fill(0);
  for (const c of saved) await s.client.migDataWrite(c);
  await s.client.setDeviceState(2);
  t.deepEqual(Array.from(s.device.mem.subarray(0, 3)), [9, 8, 7]);
  await s.client.reset();
  t.is(await s.client.getDeviceState(), 2);
  await s.done();
});

test('iommufd: server-chosen IOVAs, DMA through the attached IOAS, object rules and errnos', async (t) => {
  const s = await setup(t);
  const conn = s.server.connections[0]!;
  const guest = s.files.file(0x10000);
  await rejects(t, s.client.attachPt(1), 'ERR_REMOTE', ERRNO.EINVAL);
  t.is(await s.client.bind(), 1);
  await rejects(t, s.client.bind(), 'ERR_REMOTE', ERRNO.EEXIST);
  const ioas = await s.client.allocIoas();
  t.is(ioas, 1);
  await s.client.attachPt(ioas);
  const a = await s.client.ioasMap({ ioas_id: ioas, length: 0x2000n, offset: 0x1010n }, guest);
  const b = await s.client.ioasMap({ ioas_id: ioas, flags: 2, length: 0x1000n, offset: 0x8000n }, guest);
  t.is(a.iova % 0x1000n, 0x10n);
  t.true(b.iova >= a.iova + 0x2000n);
  t.is(conn.ioas.get(ioas)!.windows.count, 2);
  await conn.dmaWrite(a.iova + 4n, Uint8Array.of(5, 6));
  t.deepEqual(preadFd(guest, 0x1014n, 2), Uint8Array.of(5, 6));
  await rejects(t, conn.dmaWrite(b.iova, Uint8Array.of(1)), 'ERR_DMA_FAULT');
  await rejects(t, s.client.ioasMap({ ioas_id: 9, length: 0x1000n }, guest), 'ERR_REMOTE', ERRNO.ENOENT);
  await rejects(t, s.client.ioasCopy({ flags: 3, src_ioas_id: ioas, dst_ioas_id: ioas, src_iova: a.iova, dst_iova: 0n, length: 0x1000n }), 'ERR_REMOTE', ERRNO.EINVAL);
  await rejects(t, s.client.destroyIoas(ioas), 'ERR_REMOTE', ERRNO.EBUSY);
  await rejects(t, s.client.ioasUnmap(ioas, a.iova, 0x1000n), 'ERR_REMOTE', ERRNO.ENOENT);
  await s.client.ioasUnmap(ioas, a.iova, a.length);
  await s.client.detachPt();
  await rejects(t, s.client.detachPt(), 'ERR_REMOTE', ERRNO.EINVAL);
  await rejects(t, conn.dmaWrite(b.iova, Uint8Array.of(1)), 'ERR_DMA_FAULT');
  await s.client.destroyIoas(ioas);
  await rejects(t, s.client.destroyIoas(ioas), 'ERR_REMOTE', ERRNO.ENOENT);
  await s.done();
});

test('a second client starts clean: windows, IOAS, binding and eventfds of the first are gone and their fds closed', async (t) => {
  const dup = recordingDup();
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const device = new TestDevice(files.file(0x2000));
  const server = new Server(device);
  const [a, b] = channelPair({ dupFd: dup.dup });
  server.accept(b);
  const first = await Client.connect(a);
  const guest = files.file(0x4000);
  await first.dmaMap({ flags: 3, addr: 0x10000n, size: 0x1000n }, guest);
  await first.bind();
  const ioas = await first.allocIoas();
  await first.attachPt(ioas);
  await first.ioasMap({ ioas_id: ioas, length: 0x1000n }, guest);
  const pipe = pipePair();
  await first.setIrqs({ flags: 0x24, index: 0, start: 0, count: 1 }, [pipe.writeFd]);
  // The windows' fds are the server's copies; the pipe's copy was replaced by a non-blocking description of the server's own.
  const held = dup.created.filter((fd) => stillOpen(fd));
  t.true(held.length >= 2);
  const pipeIno = fstatSync(pipe.writeFd).ino;
  const onPipe = (): number => readdirSync('/proc/self/fd').filter((n) => {
    try {
      return fstatSync(Number(n)).ino === pipeIno;
    } catch {
      return false;
    }
  }).length;
  t.is(onPipe(), 3, 'both ends here and the server\'s description');
  first.close();
  await Promise.all(server.connections.map((c) => c.whenClosed));
  for (const fd of held) t.false(stillOpen(fd));
  t.is(onPipe(), 2, 'the server\'s description is closed');
  const [c, d] = channelPair();
  const conn = server.accept(d);
  const second = await Client.connect(c);
  t.is(conn.dmaWindows.length, 0);
  t.is(conn.ioas.size, 0);
  t.deepEqual(conn.iommufdState, { bound: false, attached: null });
  await rejects(t, second.dmaUnmap(0x10000n, 0x1000n), 'ERR_REMOTE', ERRNO.ENOENT);
  t.is(await second.allocIoas(), 1);
  t.is(await second.bind(), 1);
  second.close();
  await conn.whenClosed;
  new SignalCounter(pipe.readFd).close();
  files.remove();
});

test('the client serves DMA while its own request waits: a device DMA inside a REGION_WRITE', async (t) => {
  const memory = new Memory(0x20000n);
  const s = await setup(t, { dma: memory, capabilities: { max_data_xfer_size: 256 } });
  memory.bytes.set([1, 2, 3, 4], 0x10);
  s.device.onDoorbell = async (conn): Promise<void> => {
    const got = await conn.dmaRead(0x20010n, 4);
    await conn.dmaWrite(0x20020n, got.map((x) => x * 2));
  };
  await s.client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x1000n });
  await s.client.regionWrite(0, 0x3cn, Uint8Array.of(1, 0, 0, 0));
  t.deepEqual(memory.bytes.subarray(0x20, 0x24), Uint8Array.of(2, 4, 6, 8));
  await s.done();
});

test('framing over a channel that delivers one byte at a time', async (t) => {
  const s = await setup(t, {}, {}, { maxChunk: 1 });
  const { info, fd } = await s.client.getRegionInfo(1);
  t.is(info.flags, 0xf);
  t.not(fd, null);
  t.deepEqual(await s.client.getDeviceInfo(), { argsz: 16, flags: 3, num_regions: 2, num_irqs: 2 });
  await s.done();
});

// -- the Unix transport -------------------------------------------------------------------------

test('MessageStarts finds message starts across chunk boundaries', (t) => {
  const a = encode(command(4, 1, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }));
  const b = encode(command(13, 2, null));
  const stream = new Uint8Array([...a, ...b, ...a]);
  const cuts = [5, 20, 33, 40];
  const found: number[] = [];
  const heads: number[] = [];
  const m = new MessageStarts();
  let prev = 0;
  for (const cut of [...cuts, stream.length]) {
    const r = m.scan(stream.subarray(prev, cut));
    found.push(...r.starts.map((s) => s + prev));
    heads.push(...r.heads.map((h) => h.cmd));
    prev = cut;
  }
  t.deepEqual(found, [0, 32, 48]);
  t.deepEqual(heads, [4, 13, 4]);
});

test('a large data tail is sent from the caller\'s bytes: head and tail together are exactly what encode() writes', (t) => {
  const opt = resolveOptions();
  const data = Uint8Array.from({ length: SPLIT_MIN_TAIL + 5 }, (_, i) => i & 0xff);
  const messages = [
    command(10, 1, { offset: 0x40n, region: 2, count: data.length, data }),
    reply({ cmd: 9, msg_id: 2 }, { offset: 0n, region: 1, count: data.length, data }),
    command(12, 3, { addr: 0x1000n, count: BigInt(data.length), data }),
    reply({ cmd: 11, msg_id: 4 }, { addr: 0x1000n, count: BigInt(data.length), data }),
  ] as const;
  for (const m of messages) {
    const split = splitTail(m, opt, 'default');
    t.not(split, null, `${m.kind} ${m.cmd}`);
    t.is(split!.tail, data, 'the tail is the caller\'s own bytes');
    t.deepEqual(Uint8Array.from([...split!.head, ...split!.tail]), encode(m), `${m.kind} ${m.cmd}`);
  }
  // Small tails, a dialect with its own DMA layout, a count that disagrees: encoded whole.
  t.is(splitTail(command(10, 1, { offset: 0n, region: 0, count: 8, data: data.subarray(0, 8) }), opt, 'default'), null);
  t.is(splitTail(messages[2], resolveOptions({ dialect: 'qemu' }), 'qemu'), null);
  t.is(splitTail(command(10, 1, { offset: 0n, region: 0, count: 3, data }), opt, 'default'), null);
});

test('UnixChannel: the fds of a read that glued messages go with the last message that starts in it', async (t) => {
  const [mine, other] = socketPair();
  const n = native();
  const plain = encode(command(4, 1, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }));
  const withFd = encode(command(2, 2, { argsz: 32, flags: 3, offset: 0n, addr: 0n, size: 0x1000n }));
  const mem = memfd('glued', 0x1000);
  // A message without fds, then one with an fd, both queued before the channel reads.
  t.is(n.sendmsg(other, plain, null, null, 0), plain.length);
  t.is(n.sendmsg(other, withFd, null, Int32Array.of(mem), 1), withFd.length);
  closeFds([mem]);
  const channel = new UnixChannel(mine);
  const framer = new FrameDecoder({ limits: { maxMsgFds: 8 } });
  const got: [number, number][] = [];
  const closed = new Promise<Error | null>((resolve) =>
    channel.start({
      data: (chunk, fds) => {
        got.push([chunk.length, fds.length]);
        framer.push(chunk, fds);
        if (got.length === 1) closeFds([other]);
      },
      closed: resolve,
      buffer: () => framer.receiveBuffer(),
    }),
  );
  t.is(await closed, null);
  // Linux hands both over in one read with the fd; the framer gives the fd to the later message.
  t.deepEqual(got, [[80, 1]]);
  const frames = [framer.next(), framer.next()];
  t.deepEqual(
    frames.map((f) => [f?.message.cmd, f?.fds.length]),
    [
      [4, 0],
      [2, 1],
    ],
  );
  closeFds(frames[1]!.fds);
});

test('UnixChannel: one message carries SCM_MAX_FD (253) fds both ways; a 1 MiB message arrives whole and in order with its fds', async (t) => {
  const [a, b] = socketPair();
  const left = new UnixChannel(a);
  const right = new UnixChannel(b);
  const framer = new FrameDecoder({ limits: { maxMsgFds: 253 } });
  const frames: { cmd: number; fds: number; size: number }[] = [];
  let wanted = 3;
  const all = new Promise<void>((resolve) =>
    right.start({
      data: (chunk, fds) => {
        framer.push(chunk, fds);
        for (let f = framer.next(); f !== null; f = framer.next()) {
          frames.push({ cmd: f.message.cmd, fds: f.fds.length, size: f.bytes.length });
          closeFds(f.fds);
          if (--wanted === 0) resolve();
        }
      },
      closed: () => undefined,
      buffer: () => framer.receiveBuffer(),
    }),
  );
  left.start({ data: () => undefined, closed: () => undefined });
  const ev = eventfd();
  const many = Array.from({ length: 253 }, () => ev);
  const map = encode(command(2, 1, { argsz: 32, flags: 3, offset: 0n, addr: 0n, size: 0x1000n }));
  const big = encode(command(10, 2, { offset: 0n, region: 0, count: 1 << 20, data: new Uint8Array(1 << 20).fill(5) }));
  const sent: (Error | null)[] = [];
  left.send(map, many, (e) => sent.push(e));
  left.sendParts(big.subarray(0, 16), big.subarray(16), [ev], (e) => sent.push(e));
  left.send(map, [ev, ev], (e) => sent.push(e));
  await all;
  t.deepEqual(frames, [
    { cmd: 2, fds: 253, size: map.length },
    { cmd: 10, fds: 1, size: 16 + 16 + (1 << 20) },
    { cmd: 2, fds: 2, size: map.length },
  ]);
  t.deepEqual(sent, [null, null, null]);
  const refused = await new Promise<Error | null>((resolve) => left.send(map, [...many, ev], resolve));
  t.is((refused as VfioUserProtocolError).code, 'ERR_FD_LIMIT');
  closeFds([ev]);
  left.close();
  right.close();
});

test('UnixChannel: SCM_MAX_FD (253) fds the other way, from the accepting end, each a working descriptor', async (t) => {
  const [a, b] = socketPair();
  const left = new UnixChannel(a);
  const right = new UnixChannel(b);
  const framer = new FrameDecoder({ limits: { maxMsgFds: 253 } });
  const got = new Promise<number[]>((resolve) =>
    left.start({
      data: (chunk, fds) => {
        framer.push(chunk, fds);
        const f = framer.next();
        if (f !== null) resolve(f.fds);
      },
      closed: () => undefined,
      buffer: () => framer.receiveBuffer(),
    }),
  );
  right.start({ data: () => undefined, closed: () => undefined });
  // 253 different eventfds: each received fd must be its own descriptor for its own counter.
  const events = Array.from({ length: 253 }, () => eventfd());
  events.forEach((fd, i) => signalEventfd(fd, BigInt(i + 1)));
  const map = encode(command(2, 1, { argsz: 32, flags: 3, offset: 0n, addr: 0n, size: 0x1000n }));
  const sent = new Promise<Error | null>((resolve) => right.send(map, events, resolve));
  t.is(await sent, null);
  const fds = await got;
  t.is(fds.length, 253);
  t.deepEqual(
    fds.map((fd) => readEventfd(fd)),
    events.map((_, i) => BigInt(i + 1)),
  );
  closeFds([...fds, ...events]);
  left.close();
  right.close();
});

/** A server with a TestDevice on a real socket in a temporary directory. */
async function unixSetup(t: ExecutionContext): Promise<{ path: string; files: TempFiles; server: Server; close: () => Promise<void> }> {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const server = new Server(new TestDevice(files.file(0x2000)));
  const path = join(files.dir, 's.sock');
  const listener = await serve(path, server);
  return {
    path,
    files,
    server,
    close: async () => {
      await listener.close();
      await Promise.all(server.connections.map((c) => c.whenClosed));
      files.remove();
    },
  };
}

test('Unix socket: memory and eventfds pass both ways with their messages', async (t) => {
  const u = await unixSetup(t);
  const memory = new Memory(0x20000n);
  const client = await connect(u.path, { dma: memory, capabilities: { max_msg_fds: 8, max_data_xfer_size: 512 } });
  const { fd } = await client.getRegionInfo(1);
  t.not(fd, null);
  pwriteFd(fd!, 0x100n, Uint8Array.of(4, 3, 2, 1));
  t.deepEqual(await client.regionRead(1, 0x100n, 4), Uint8Array.of(4, 3, 2, 1));
  const guest = u.files.file(0x2000);
  await client.dmaMap({ flags: 3, addr: 0x10000n, size: 0x2000n }, guest);
  await client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x1000n });
  const conn = u.server.connections[0]!;
  await conn.dmaWrite(0x10010n, Uint8Array.of(0xee));
  t.deepEqual(preadFd(guest, 0x10n, 1), Uint8Array.of(0xee));
  await conn.dmaWrite(0x20000n, new Uint8Array(1200).fill(3));
  t.deepEqual(memory.writes, [512, 512, 176]);
  const events = [0, 1, 2, 3].map(() => eventfd());
  const watchers = events.map((fd) => new EventfdWatcher(fd));
  await client.setIrqs({ flags: 0x24, index: 1, start: 0, count: 4 }, events);
  for (let v = 0; v < 4; v++) t.true(conn.triggerIrq(1, v));
  await Promise.all(watchers.map((w) => w.waitFor(1n)));
  // Many messages back to back, some with fds, read as they come.
  const many = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? client.getRegionInfo(1) : client.getRegionInfo(0))));
  t.is(many.filter((r) => r.fd !== null).length, 10);
  closeFds(many.flatMap((r) => (r.fd === null ? [] : [r.fd])));
  for (const w of watchers) w.close();
  client.close();
  await client.whenClosed;
  await u.close();
});

test('Unix socket: connect to nothing rejects; listen refuses a path in use unless it is a socket and replace is set', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vfu-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const e = (await t.throwsAsync(connect(join(dir, 'none.sock')))) as NodeJS.ErrnoException;
  t.is(e.code, 'ENOENT');
  const u = await unixSetup(t);
  const again = (await t.throwsAsync(serve(u.path, u.server))) as NodeJS.ErrnoException;
  t.is(again.code, 'EADDRINUSE');
  await u.close();
  rmSync(dir, { recursive: true, force: true });
});

test('Unix socket: listen puts the socket at its path only once it is listening, and leaves no other name', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vfu-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'dev.sock');
  // The directory's entries as they come and go: the provisional name must come first.
  const names: string[] = [];
  let sawPath!: () => void;
  const pathSeen = new Promise<void>((r) => (sawPath = r));
  const watcher = watch(dir, (_event, name) => {
    if (name === null) return;
    names.push(name);
    if (name === 'dev.sock') sawPath();
  });
  t.teardown(() => watcher.close());
  let accepted!: () => void;
  const acceptedOne = new Promise<void>((r) => (accepted = r));
  const l = await listen(path, (c) => {
    c.close();
    accepted();
  });
  await pathSeen;
  t.regex(names[0] ?? '', /^\.dev\.sock\.\d+-\d+$/, names.join(' '));
  t.true(names.indexOf('dev.sock') > 0, names.join(' '));
  // Bound on a provisional name beside it, linked here, the provisional name removed.
  t.deepEqual(readdirSync(dir), ['dev.sock']);
  t.true(lstatSync(path).isSocket());
  (await connectChannel(path, { retries: 0 })).close();
  await acceptedOne;
  await l.close();
  t.deepEqual(readdirSync(dir), []);
});

test('Unix socket: a path too long for a provisional name beside it is bound directly', async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'vfu-test-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  // A directory that leaves room in sun_path (107 bytes) for `d/s`, not for `d/.s.PID-N`.
  const dir = join(base, 'x'.repeat(Math.max(1, 104 - base.length)));
  mkdirSync(dir);
  const path = join(dir, 's');
  t.true(Buffer.byteLength(path) <= 107 && Buffer.byteLength(join(dir, `.s.${process.pid}-0`)) > 107, path);
  let accepted!: () => void;
  const acceptedOne = new Promise<void>((r) => (accepted = r));
  const l = await listen(path, (c) => {
    c.close();
    accepted();
  });
  t.deepEqual(readdirSync(dir), ['s']);
  (await connectChannel(path, { retries: 0 })).close();
  await acceptedOne;
  await l.close();
});

test('Unix socket: closing sockets under garbage collection does not crash the process', async (t) => {
  const child = fileURLToPath(new URL('./helpers/session-gc-child.js', import.meta.url));
  const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const p = spawn(process.execPath, ['--expose-gc', child], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 20000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
  t.is(result.code, 0, result.out);
  t.regex(result.out, /^20 connections closed/m);
});

// -- twin socket ------------------------------------------------------------------------

const isDma = (cmd: number): boolean => cmd === 11 || cmd === 12;

/** Runs the conversation checker over tap events of one end; returns the violation codes. */
function checkTaps(events: readonly TapEvent[], from: (e: TapEvent) => 'client' | 'server'): string[] {
  const conversation = new Conversation();
  return events.flatMap((e, i) => conversation.observe({ seq: i + 1, from: from(e), bytes: e.bytes, fds: e.nfds, socket: e.socket }).violations.map((v) => v.code));
}

test('twin socket: asked for and granted by default; the server\'s DMA goes over it, everything else over the main socket', async (t) => {
  const memory = new Memory(0x20000n);
  const taps: TapEvent[] = [];
  const serverTaps: TapEvent[] = [];
  const s = await setup(t, { dma: memory, capabilities: { max_msg_fds: 4, max_data_xfer_size: 1024 }, tap: (e) => taps.push(e) }, { tap: (_c, e) => serverTaps.push(e) });
  const conn = s.server.connections[0]!;
  t.true(s.client.twinSocket);
  t.true(conn.twinSocket);
  t.deepEqual(s.client.negotiated.twinSocket, { fdIndex: 0 });
  t.deepEqual(conn.clientCapabilities?.capabilities?.twin_socket, { supported: true });
  t.deepEqual(s.client.serverCapabilities?.capabilities?.twin_socket, { supported: true, fd_index: 0 });
  t.is(serverTaps.find((e) => e.dir === 'out' && e.message.cmd === 1)?.nfds, 1);
  await s.client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x1000n });
  const data = Uint8Array.from({ length: 1500 }, (_, i) => i & 0xff);
  await conn.dmaWrite(0x20000n, data);
  t.deepEqual(await conn.dmaRead(0x20000n, 1500), data);
  t.deepEqual(memory.writes, [1024, 476]);
  // The client's own requests still work while the twin socket carries DMA.
  const [, info] = await Promise.all([conn.dmaRead(0x20000n, 8), s.client.getDeviceInfo()]);
  t.is(info.num_regions, 2);
  t.true(taps.some((e) => e.socket === 'twin'));
  for (const e of [...taps, ...serverTaps]) t.is(e.socket, isDma(e.message.cmd) ? 'twin' : 'main', `${e.dir} ${e.message.kind} ${e.message.cmd}`);
  t.deepEqual(checkTaps(taps, (e) => (e.dir === 'out' ? 'client' : 'server')), []);
  await s.done();
});

test('twin socket: off when the client does not ask, the server does not grant, or the client takes no fds; required fails connect', async (t) => {
  const memory = new Memory(0x20000n);
  const a = await setup(t, { twinSocket: false, dma: memory });
  t.false(a.client.twinSocket);
  t.is(a.server.connections[0]!.clientCapabilities?.capabilities?.twin_socket, undefined);
  await a.client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x1000n });
  await a.server.connections[0]!.dmaWrite(0x20000n, Uint8Array.of(9));
  t.is(memory.bytes[0], 9);
  await a.done();
  const b = await setup(t, {}, { twinSocket: false });
  t.false(b.client.twinSocket);
  t.false(b.server.connections[0]!.twinSocket);
  t.is(b.client.serverCapabilities?.capabilities?.twin_socket, undefined);
  await b.done();
  const c = await setup(t, { capabilities: { max_msg_fds: 0 } });
  t.false(c.client.twinSocket);
  await c.done();
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const server = new Server(new TestDevice(files.file(0x2000)), { twinSocket: false });
  const [x, y] = channelPair();
  server.accept(y);
  await rejects(t, Client.connect(x, { twinSocket: 'required' }), 'ERR_NOT_NEGOTIATED');
  await Promise.all(server.connections.map((conn) => conn.whenClosed));
  // A channel that cannot take a socket: the client does not ask, and cannot be made to.
  const [p, q] = channelPair();
  server.accept(q);
  const plain: Channel = { start: (h) => p.start(h), send: (bytes, fds, sent) => p.send(bytes, fds, sent), close: () => p.close() };
  await t.throwsAsync(Client.connect(plain, { twinSocket: true }), { instanceOf: TypeError });
  const d = await Client.connect(plain);
  t.false(d.twinSocket);
  d.close();
  await d.whenClosed;
  files.remove();
});

test('twin socket, server side: a client command on the twin socket gets EINVAL; the server\'s DMA arrives only there; closing it ends the connection', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const server = new Server(new TestDevice(files.file(0x2000)));
  const [a, b] = channelPair();
  const conn = server.accept(b);
  const peer = new RawPeer(a);
  peer.send(command(1, 1, { major: 0, minor: 2, data: VERSION_JSON('{"capabilities":{"max_msg_fds":1,"twin_socket":{"supported":true}}}'), json: null }));
  const version = await peer.next();
  t.is(version.fds.length, 1);
  t.deepEqual(version.message.kind === 'reply' && version.message.cmd === 1 ? version.message.body.json?.capabilities?.twin_socket : null, { supported: true, fd_index: 0 });
  const twin = new RawPeer(a.adopt!(version.fds[0]!));
  twin.send(command(4, 2, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }));
  const refused = await twin.next();
  t.is(refused.message.kind, 'error');
  t.is(refused.message.error_no, ERRNO.EINVAL);
  peer.send(command(2, 3, { argsz: 32, flags: 3, offset: 0n, addr: 0x20000n, size: 0x1000n }));
  t.is((await peer.next()).message.kind, 'reply');
  const reading = conn.dmaRead(0x20010n, 4);
  const dma = await twin.next();
  t.is(dma.message.cmd, 11);
  t.is(peer.queued, 0);
  twin.send(reply({ cmd: 11, msg_id: dma.message.msg_id }, { addr: 0x20010n, count: 4n, data: Uint8Array.of(1, 2, 3, 4) }));
  t.deepEqual(await reading, Uint8Array.of(1, 2, 3, 4));
  twin.close();
  await conn.whenClosed;
  await peer.whenClosed;
  files.remove();
});

test('twin socket, client side: the server\'s command on the main socket gets EINVAL, on the twin socket its reply; closing it ends the connection', async (t) => {
  const memory = new Memory(0x20000n);
  memory.bytes.set([5, 6, 7], 0x10);
  const [a, b] = channelPair();
  const server = new RawPeer(b);
  const connecting = Client.connect(a, { dma: memory });
  const version = await server.next();
  t.deepEqual(version.message.kind === 'command' && version.message.cmd === 1 ? version.message.body.json?.capabilities?.twin_socket : null, { supported: true });
  const pair = await b.twin!();
  server.send(reply({ cmd: 1, msg_id: version.message.msg_id }, { major: 0, minor: 2, data: VERSION_JSON('{"capabilities":{"twin_socket":{"supported":true,"fd_index":0}}}'), json: null }), [pair.fd]);
  const client = await connecting;
  pair.release();
  t.true(client.twinSocket);
  const twin = new RawPeer(pair.channel);
  server.send(command(11, 7, { addr: 0x20010n, count: 3n }));
  const refused = await server.next();
  t.is(refused.message.kind, 'error');
  t.is(refused.message.error_no, ERRNO.EINVAL);
  twin.send(command(11, 7, { addr: 0x20010n, count: 3n }));
  const answer = await twin.next();
  t.is(answer.message.kind, 'reply');
  t.deepEqual(answer.message.kind === 'reply' && answer.message.cmd === 11 ? answer.message.body.data : null, Uint8Array.of(5, 6, 7));
  twin.close();
  await client.whenClosed;
  await server.whenClosed;
});

test('twin socket, client side: a grant whose fd_index names no fd, or whose fd is not a socket, rejects connect with ERR_BAD_REPLY', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  for (const [json, fds] of [
    ['{"capabilities":{"twin_socket":{"supported":true,"fd_index":1}}}', 1],
    ['{"capabilities":{"twin_socket":{"supported":true,"fd_index":0}}}', 1],
    ['{"capabilities":{"twin_socket":{"supported":true}}}', 0],
  ] as const) {
    const dup = recordingDup();
    const [a, b] = channelPair({ dupFd: dup.dup });
    const server = new RawPeer(b);
    const connecting = Client.connect(a);
    const version = await server.next();
    server.send(reply({ cmd: 1, msg_id: version.message.msg_id }, { major: 0, minor: 2, data: VERSION_JSON(json), json: null }), fds === 0 ? [] : [files.file(16)]);
    const e = await rejects(t, connecting, 'ERR_BAD_REPLY');
    t.is(((e as Error).cause as { code?: string } | undefined)?.code, 'ERR_TWIN_SOCKET', json);
    await server.whenClosed;
    t.true(dup.created.every((o) => !stillOpen(o)), 'the fds that came with the reply are closed');
  }
  files.remove();
});

test('UnixChannel.adopt refuses a descriptor that is not a socket, and leaves it open', (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const [kept, other] = socketPair();
  const channel = new UnixChannel(kept);
  const fd = files.file(16);
  t.throws(() => channel.adopt(fd), { message: /is not a socket/ });
  t.notThrows(() => preadFd(fd, 0n, 1));
  channel.close();
  closeFds([other]);
  files.remove();
});

test('Unix socket: the twin socket is a real socket pair; DMA by message goes over it', async (t) => {
  const u = await unixSetup(t);
  const memory = new Memory(0x20000n);
  const taps: TapEvent[] = [];
  const client = await connect(u.path, { dma: memory, twinSocket: 'required', capabilities: { max_msg_fds: 8, max_data_xfer_size: 512 }, tap: (e) => taps.push(e) });
  t.true(client.twinSocket);
  const conn = u.server.connections[0]!;
  t.true(conn.twinSocket);
  await client.dmaMap({ flags: 3, addr: 0x20000n, size: 0x1000n });
  const data = new Uint8Array(1200).fill(7);
  await conn.dmaWrite(0x20000n, data);
  t.deepEqual(await conn.dmaRead(0x20000n, 1200), data);
  t.deepEqual(memory.writes, [512, 512, 176]);
  t.is(taps.filter((e) => e.socket === 'twin').length, 12);
  t.true(taps.every((e) => e.socket === (isDma(e.message.cmd) ? 'twin' : 'main')));
  t.deepEqual(checkTaps(taps, (e) => (e.dir === 'out' ? 'client' : 'server')), []);
  // Two clients at once, each with its own twin socket.
  const second = await connect(u.path, { dma: new Memory(0x20000n) });
  t.true(second.twinSocket);
  t.is(u.server.connections.length, 2);
  second.close();
  client.close();
  await Promise.all([client.whenClosed, second.whenClosed]);
  await u.close();
});

test('a channel that ends before start still reports closed', async (t) => {
  const [a, b] = channelPair();
  b.close();
  const closed = await new Promise<Error | null>((resolve) => (a as Channel).start({ data: () => undefined, closed: resolve }));
  t.is(closed, null);
});

test('session errors carry a stable code and errno', (t) => {
  const e = new VfioUserSessionError('ERR_DMA_FAULT', 'x');
  t.is(e.errno, ERRNO.EFAULT);
  const r = new VfioUserRemoteError(3, 9, ERRNO.ENOENT);
  t.is(r.code, 'ERR_REMOTE');
  t.is(r.errno, 2);
  t.is(r.msgId, 9);
  t.true(r instanceof VfioUserSessionError);
  t.is(errorReply({ cmd: 3, msg_id: 9 }, 2).error_no, 2);
  // Every session code of the catalogue, with the errno it names.
  const session = errorCodes.filter((c) => c.class === 'session');
  t.deepEqual(session.map((c) => c.code).sort(), ['ERR_ACCEPT', 'ERR_ADDON_MISSING', 'ERR_BAD_REPLY', 'ERR_CLOSED', 'ERR_DMA_FAULT', 'ERR_FD_KIND', 'ERR_NOT_NEGOTIATED', 'ERR_REMOTE', 'ERR_REPLY_TOO_LARGE', 'ERR_SESSION_LIMIT', 'ERR_TIMEOUT']);
  for (const c of session) t.is(new VfioUserSessionError(c.code, 'x').errno, ERRNO[c.errno], c.code);
  t.is(new VfioUserSessionError('ERR_TIMEOUT', 'x').errno, 110);
});
