/**
 * Session limits and the refusals that protect a session, one by one and
 * in memory (the hostile-peer suite runs them over Unix sockets): every
 * refusal's code and errno, the defaults beside the codec's limits, the
 * timeouts, backpressure, peer fd kinds, and the codec-level checks that
 * came with them (zero capabilities, REPORT bitmaps, wrong-typed fields,
 * long capability chains).
 */
import test from 'ava';
import { closeSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { command, Conversation, decode, encode, encodeInto, negotiate, VfioUserError } from '../src/index.js';
import { channelPair, closeFds, Client, DEFAULT_SESSION_LIMITS, ERRNO, Server, VfioUserSessionError, type ServerOptions, type TapEvent } from '../src/session/index.js';
import { sessionLimits } from '../spec/limits.js';
import { pipePair, SignalCounter } from './helpers/pipes.js';
import { throwsCode } from './helpers/errors.js';
import { RawPeer, TempFiles, TestDevice } from './helpers/session-peer.js';
import { checkDmaFd, EVENTFD_WRITE_MS, peerFdKind, prepareSignalFd, signalFd, signalOffLoop } from '../src/session/peerfds.js';
import { resolveSessionLimits } from '../src/session/limits.js';
import { DirtyPages } from '../src/session/dma.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function version(caps: object): Uint8Array {
  return encode(command(1, 0, { major: 0, minor: 2, data: utf8(JSON.stringify({ capabilities: caps })), json: null }));
}

/** A server on an in-memory channel, a raw peer in the client's place, and what the server reported. */
function raw(options: ServerOptions = {}): { server: Server; peer: RawPeer; files: TempFiles; violations: Error[] } {
  const files = new TempFiles();
  const violations: Error[] = [];
  const server = new Server(new TestDevice(files.file(0x2000)), { ...options, onViolation: (_c, e) => violations.push(e) });
  const [a, b] = channelPair();
  server.accept(b);
  return { server, peer: new RawPeer(a), files, violations };
}

async function negotiated(options: ServerOptions = {}, caps: object = { max_msg_fds: 8 }): Promise<ReturnType<typeof raw>> {
  const r = raw(options);
  r.peer.send(version(caps));
  const v = await r.peer.next();
  if (v.message.kind !== 'reply') throw new Error('VERSION refused');
  return r;
}

function errnoOf(m: { message: { kind: string; error_no?: number } }): number {
  return m.message.kind === 'error' ? m.message.error_no! : 0;
}

function sessionError(e: Error | undefined): VfioUserSessionError {
  if (!(e instanceof VfioUserSessionError)) throw new Error(`not a session error: ${String(e)}`);
  return e;
}

test('every session limit has a default, a unit, a side and a doc; resolveSessionLimits checks overrides', (t) => {
  for (const l of sessionLimits) {
    t.true(Number.isFinite(l.default) && l.default >= 0, l.name);
    t.true(l.doc.length > 20, l.name);
    t.is((DEFAULT_SESSION_LIMITS as unknown as Record<string, number>)[l.name], l.default);
  }
  t.is(resolveSessionLimits(undefined), DEFAULT_SESSION_LIMITS);
  t.is(resolveSessionLimits({ maxIoas: 3 }).maxIoas, 3);
  t.throws(() => resolveSessionLimits({ nope: 1 } as never), { instanceOf: TypeError });
  t.throws(() => resolveSessionLimits({ maxIoas: -1 }), { instanceOf: TypeError });
});

test('maxConnections: a connection beyond it is closed at once and reported with ERR_SESSION_LIMIT', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const violations: Error[] = [];
  const server = new Server(new TestDevice(files.file(0x1000)), { sessionLimits: { maxConnections: 1 }, onViolation: (_c, e) => violations.push(e) });
  const [a1, b1] = channelPair();
  server.accept(b1);
  const first = await Client.connect(a1, { twinSocket: false });
  const [a2, b2] = channelPair();
  const refused = server.accept(b2);
  const peer = new RawPeer(a2);
  await peer.whenClosed;
  t.true(refused.isClosed);
  const e = sessionError(violations[0]);
  t.is(e.code, 'ERR_SESSION_LIMIT');
  t.is(e.limitName, 'maxConnections');
  t.is(server.connections.length, 1);
  first.close();
});

test('handshakeTimeoutMs: a connection without VERSION is closed with ERR_TIMEOUT; idleTimeoutMs closes a silent one', async (t) => {
  const r = raw({ sessionLimits: { handshakeTimeoutMs: 50 } });
  t.teardown(() => r.files.remove());
  await r.peer.whenClosed;
  t.is(sessionError(r.violations[0]).code, 'ERR_TIMEOUT');
  const idle = await negotiated({ sessionLimits: { idleTimeoutMs: 50 } });
  t.teardown(() => idle.files.remove());
  idle.peer.send(command(4, 1, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }));
  t.is(errnoOf(await idle.peer.next()), 0);
  await idle.peer.whenClosed;
  t.is(sessionError(idle.violations[0]).code, 'ERR_TIMEOUT');
});

test('maxIoas: IOAS_ALLOC beyond it is answered ENOSPC, reported as ERR_SESSION_LIMIT', async (t) => {
  const r = await negotiated({ sessionLimits: { maxIoas: 2 } }, { max_msg_fds: 8, iommufd: { supported: true } });
  t.teardown(() => r.files.remove());
  for (const expected of [0, 0, ERRNO.ENOSPC]) {
    r.peer.send(command(19, 1, { argsz: 16, flags: 0, out_ioas_id: 0, __reserved: 0 }));
    t.is(errnoOf(await r.peer.next()), expected);
  }
  const e = sessionError(r.violations[0]);
  t.is(e.code, 'ERR_SESSION_LIMIT');
  t.is(e.limitName, 'maxIoas');
  t.is(e.errno, ERRNO.ENOSPC);
  r.peer.close();
});

test('maxDmaWindows and maxFdsPerConnection: EINVAL and EMFILE; the server advertises the smaller max_dma_maps', async (t) => {
  const r = await negotiated({ sessionLimits: { maxDmaWindows: 3, maxFdsPerConnection: 1 } });
  t.teardown(() => r.files.remove());
  t.is(r.server.capabilities().max_dma_maps, 3);
  const fd = r.files.file(0x1000);
  const map = (id: number, addr: bigint, fds: number[] = []): void => r.peer.send(command(2, id, { argsz: 32, flags: 3, offset: 0n, addr, size: 0x1000n }), fds);
  map(1, 0x1000n, [fd]);
  t.is(errnoOf(await r.peer.next()), 0);
  map(2, 0x2000n, [fd]);
  t.is(errnoOf(await r.peer.next()), ERRNO.EMFILE);
  map(3, 0x3000n);
  t.is(errnoOf(await r.peer.next()), 0);
  map(4, 0x4000n);
  t.is(errnoOf(await r.peer.next()), 0);
  map(5, 0x5000n);
  t.is(errnoOf(await r.peer.next()), ERRNO.EINVAL);
  t.deepEqual(r.violations.map((e) => sessionError(e).limitName), ['maxFdsPerConnection', 'maxDmaWindows']);
  r.peer.close();
});

test('ERR_FD_KIND: a DMA window on a character device, an interrupt fd that is a regular file', async (t) => {
  const r = await negotiated();
  t.teardown(() => r.files.remove());
  const zero = openSync('/dev/zero', 'r+');
  r.peer.send(command(2, 1, { argsz: 32, flags: 3, offset: 0n, addr: 0x1000n, size: 0x1000n }), [zero]);
  t.is(errnoOf(await r.peer.next()), ERRNO.EINVAL);
  r.peer.send(command(8, 2, { argsz: 24, flags: 0x24, index: 0, start: 0, count: 1, data: new Uint8Array(0) }), [r.files.file(16)]);
  t.is(errnoOf(await r.peer.next()), ERRNO.EINVAL);
  closeSync(zero);
  t.deepEqual(r.violations.map((e) => sessionError(e).code), ['ERR_FD_KIND', 'ERR_FD_KIND']);
  r.peer.close();
});

test('a window whose fd range ends above 2^53 is refused with EINVAL and a clear reason', async (t) => {
  const r = await negotiated();
  t.teardown(() => r.files.remove());
  r.peer.send(command(2, 1, { argsz: 32, flags: 3, offset: 1n << 60n, addr: 0x1000n, size: 0x1000n }), [r.files.file(16)]);
  t.is(errnoOf(await r.peer.next()), ERRNO.EINVAL);
  r.peer.close();
});

test('maxMigrationBytes: MIG_DATA_WRITE beyond it in one RESUMING state is refused with ENOSPC', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const device = new TestDevice(files.file(0x1000));
  const violations: Error[] = [];
  const server = new Server(device, { sessionLimits: { maxMigrationBytes: 8 }, onViolation: (_c, e) => violations.push(e) });
  const [a, b] = channelPair();
  server.accept(b);
  const client = await Client.connect(a, { twinSocket: false });
  await client.setDeviceState(4);
  await client.migDataWrite(new Uint8Array(8));
  const e = (await t.throwsAsync(client.migDataWrite(new Uint8Array(1)))) as { errno?: number };
  t.is(e.errno, ERRNO.ENOSPC);
  t.is(sessionError(violations[0]).limitName, 'maxMigrationBytes');
  client.close();
});

test('dirty logging: page size below the session page refused (EINVAL), bitmap memory over maxDirtyBitmapBytes (ENOSPC), reply over maxMessageSize (ERR_REPLY_TOO_LARGE, ENOSPC)', async (t) => {
  const r = await negotiated({ sessionLimits: { maxDirtyBitmapBytes: 1024 } });
  t.teardown(() => r.files.remove());
  const start = (id: number, page: bigint, length: bigint): void =>
    r.peer.send(command(16, id, { argsz: 48, flags: 0x20006, data: { kind: 'dma_logging_control', page_size: page, num_ranges: 1, reserved: 0, ranges: [{ iova: 0n, length }] } }));
  r.peer.send(command(2, 1, { argsz: 32, flags: 3, offset: 0n, addr: 0n, size: 1n << 30n }));
  t.is(errnoOf(await r.peer.next()), 0);
  start(2, 2048n, 4096n);
  t.is(errnoOf(await r.peer.next()), ERRNO.EINVAL);
  // 2^30 at 4 KiB: 32 KiB of bitmap, above 1024.
  start(3, 4096n, 1n << 30n);
  t.is(errnoOf(await r.peer.next()), ERRNO.ENOSPC);
  // At 2^20: 128 bytes. A REPORT at 4 KiB then needs a 32 KiB reply, fine; the limit is maxMessageSize.
  start(4, 1n << 20n, 1n << 30n);
  t.is(errnoOf(await r.peer.next()), 0);
  r.peer.send(command(16, 5, { argsz: 8 + 24 + 32768, flags: 0x10008, data: { kind: 'dma_logging_report', iova: 0n, length: 1n << 30n, page_size: 4096n, bitmap: new Uint8Array(0) } }));
  t.is(errnoOf(await r.peer.next()), 0);
  t.deepEqual(r.violations.map((e) => sessionError(e).code), ['ERR_SESSION_LIMIT']);
  r.peer.close();
  const small = await negotiated({ limits: { maxMessageSize: 4096 } });
  t.teardown(() => small.files.remove());
  small.peer.send(command(2, 1, { argsz: 32, flags: 3, offset: 0n, addr: 0n, size: 1n << 30n }));
  t.is(errnoOf(await small.peer.next()), 0);
  small.peer.send(command(16, 2, { argsz: 48, flags: 0x20006, data: { kind: 'dma_logging_control', page_size: 4096n, num_ranges: 0, reserved: 0, ranges: [] } }));
  t.is(errnoOf(await small.peer.next()), 0);
  small.peer.send(command(16, 3, { argsz: 8 + 24 + 32768, flags: 0x10008, data: { kind: 'dma_logging_report', iova: 0n, length: 1n << 30n, page_size: 4096n, bitmap: new Uint8Array(0) } }));
  t.is(errnoOf(await small.peer.next()), ERRNO.ENOSPC);
  t.is(sessionError(small.violations[0]).code, 'ERR_REPLY_TOO_LARGE');
  small.peer.close();
});

test('maxQueuedCommands: 100 pipelined commands framed 4 at a time are all answered', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const violations: Error[] = [];
  const server = new Server(new TestDevice(files.file(0x2000)), { sessionLimits: { maxQueuedCommands: 4 }, onViolation: (_c, e) => violations.push(e) });
  const [a, b] = channelPair();
  const conn = server.accept(b);
  let delivered = 0;
  // The peer: sends VERSION and 100 reads, counts what arrives.
  a.start({ data: () => void delivered++, closed: () => undefined });
  a.send(version({ max_msg_fds: 1 }), []);
  for (let i = 1; i <= 100; i++) a.send(encode(command(9, i, { offset: 0n, region: 0, count: 4 })), []);
  // Every reply arrives: the in-memory channel takes output at once, so only the command queue limits.
  await new Promise<void>((resolve) => {
    const check = (): void => (delivered >= 101 ? resolve() : void setImmediate(check));
    check();
  });
  t.is(delivered, 101);
  conn.close();
  t.deepEqual(violations, []);
});

test('peer fd kinds: files, pipes and sockets are told apart; a pipe is reopened non-blocking; a full pipe coalesces', (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const file = files.file(16);
  t.is(peerFdKind(file), 'file');
  checkDmaFd(file);
  t.is((t.throws(() => checkDmaFd(file, [0x1234])) as VfioUserSessionError).code, 'ERR_FD_KIND');
  const pair = pipePair();
  t.is(peerFdKind(pair.writeFd), 'fifo');
  const blocking = openSync(`/proc/self/fd/${pair.writeFd}`, 'w');
  const own = prepareSignalFd(blocking);
  t.not(own, blocking);
  t.true(signalFd(own));
  try {
    for (;;) writeSync(pair.writeFd, new Uint8Array(65536));
  } catch {
    // full
  }
  t.false(signalFd(own), 'a full pipe: the signal is pending already');
  t.is((t.throws(() => prepareSignalFd(file)) as VfioUserSessionError).code, 'ERR_FD_KIND');
  closeSync(own);
  closeSync(pair.readFd);
  closeSync(pair.writeFd);
});

test('DirtyPages: a bitmap of the pages marked, freed by clear', (t) => {
  const d = new DirtyPages();
  d.mark(3n, 5n, 16n);
  d.mark(15n, 40n, 16n);
  d.add(100n);
  t.deepEqual([...d], [3n, 4n, 5n, 15n, 100n]);
  t.is(d.size, 5);
  t.true(d.has(4n));
  d.clear();
  t.is(d.size, 0);
  t.deepEqual([...d], []);
});

test('negotiate refuses 0 for max_data_xfer_size, max_dma_maps, pgsizes and migration sizes on either side (ERR_CAPS_TYPE); max_msg_fds 0 is allowed', (t) => {
  for (const caps of [{ max_data_xfer_size: 0 }, { max_dma_maps: 0 }, { pgsizes: 0 }, { migration: { pgsize: 0 } }, { migration: { max_bitmap_size: 0 } }]) {
    throwsCode(t, () => negotiate({ capabilities: caps }, { capabilities: {} }), 'ERR_CAPS_TYPE');
    throwsCode(t, () => negotiate({ capabilities: {} }, { capabilities: caps }), 'ERR_CAPS_TYPE');
  }
  t.is(negotiate({ capabilities: { max_msg_fds: 0 } }, null).toClient.maxMsgFds, 0);
});

test('the decoder refuses a DMA_LOGGING_REPORT request whose reply bitmap would exceed maxBitmapBytes (ERR_LIMIT)', (t) => {
  const report = (page: bigint): Uint8Array =>
    encode(command(16, 1, { argsz: 32, flags: 0x10008, data: { kind: 'dma_logging_report', iova: 0n, length: 1n << 30n, page_size: page, bitmap: new Uint8Array(0) } }));
  t.is(decode(report(4096n)).cmd, 16);
  const e = throwsCode(t, () => decode(report(1n)), 'ERR_LIMIT');
  t.is(e.details.limitName, 'maxBitmapBytes');
});

test('encode: a bigint msg_id or flags, a bigint in a u32 field and a missing field are ERR_ENCODE_FIELD, never a TypeError', (t) => {
  const base = { kind: 'command', cmd: 4, msg_id: 1, flags: 0, error_no: 0, body: { argsz: 16 } };
  for (const m of [{ ...base, msg_id: 1n }, { ...base, flags: 0n }, { ...base, body: { argsz: 16n } }, { ...base, error_no: undefined }]) {
    const e = throwsCode(t, () => encode(m as never), 'ERR_ENCODE_FIELD');
    t.true(e instanceof VfioUserError);
    throwsCode(t, () => encodeInto(m as never, new Uint8Array(64)), 'ERR_ENCODE_FIELD');
  }
  t.is(throwsCode(t, () => encode({ ...base, msg_id: 1n } as never), 'ERR_ENCODE_FIELD').details.field, 'vfio_user_header.msg_id');
});

test('a capability chain of 20,000 entries (maxRegionCaps raised) is checked in linear time', (t) => {
  const n = 20000;
  const size = 32 + n * 8;
  const body = new Uint8Array(size);
  const v = new DataView(body.buffer);
  v.setUint32(0, size, true);
  v.setUint32(4, 0x8 | 0x1, true);
  v.setUint32(12, 32, true);
  for (let i = 0; i < n; i++) {
    const at = 32 + i * 8;
    v.setUint16(at, 3, true); // MSIX_MAPPABLE: a header only
    v.setUint16(at + 2, 1, true);
    v.setUint32(at + 4, i + 1 < n ? at + 8 : 0, true);
  }
  const message = new Uint8Array(16 + size);
  const h = new DataView(message.buffer);
  h.setUint16(2, 5, true);
  h.setUint32(4, 16 + size, true);
  h.setUint32(8, 1, true);
  message.set(body, 16);
  const t0 = performance.now();
  const m = decode(message, { limits: { maxRegionCaps: n, maxMessageSize: 1 << 24 } });
  const ms = performance.now() - t0;
  t.is(m.kind, 'reply');
  // Quadratic checking took seconds here (4 × 10^8 steps); linear takes milliseconds.
  t.true(ms < 1000, `${ms.toFixed(0)} ms`);
});

test('the tap records a command the framer refused (whole, as the framer kept it), so the checker pairs the error reply with it', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const events: TapEvent[] = [];
  const server = new Server(new TestDevice(files.file(0x2000)), { capabilities: { max_msg_fds: 1, max_data_xfer_size: 64 }, tap: (_c, e) => events.push(e) });
  const [a, b] = channelPair();
  server.accept(b);
  const peer = new RawPeer(a);
  peer.send(version({ max_msg_fds: 1 }));
  await peer.next();
  // 128 bytes: above the server's max_data_xfer_size, refused by its framer.
  peer.send(command(10, 7, { offset: 0n, region: 0, count: 128, data: new Uint8Array(128) }));
  t.is(errnoOf(await peer.next()), ERRNO.E2BIG);
  const refused = events.find((e) => e.rejected !== undefined);
  t.is(refused?.rejected?.code, 'ERR_LIMIT');
  t.is(refused?.bytes.length, 16 + 16 + 128);
  t.is(refused?.message.kind, 'raw');
  const conversation = new Conversation();
  const codes = events.flatMap((e, i) => conversation.observe({ seq: i + 1, from: e.dir === 'in' ? 'client' : 'server', bytes: e.bytes, fds: e.nfds }).violations.map((v) => v.code));
  t.false(codes.includes('ERR_ORPHAN_REPLY'), codes.join(' '));
  peer.close();
});

test('requestTimeoutMs is the client\'s default: a VERSION never answered fails connect with ERR_TIMEOUT', async (t) => {
  const [a, b] = channelPair();
  // The other end reads and never answers.
  b.start({ data: () => undefined, closed: () => undefined });
  const e = (await t.throwsAsync(Client.connect(a, { twinSocket: false, sessionLimits: { requestTimeoutMs: 50 } }))) as VfioUserSessionError;
  t.is(e.code, 'ERR_TIMEOUT');
  t.is(e.cmd, 1);
  b.close();
});

test('a signal that would block runs on the thread pool: the event loop goes on, the fd is reported after EVENTFD_WRITE_MS, and its close waits for the write', async (t) => {
  const pair = pipePair();
  // A blocking description of a full pipe: a write of 8 bytes blocks until the pipe is read.
  const blocking = openSync(`/proc/self/fd/${pair.writeFd}`, 'w');
  try {
    for (;;) writeSync(pair.writeFd, new Uint8Array(65536));
  } catch {
    // full
  }
  const t0 = performance.now();
  const reported = new Promise<VfioUserSessionError>((resolve) => t.true(signalOffLoop(blocking, resolve)));
  t.true(signalOffLoop(blocking), 'one write per fd at a time: the next is queued, to be added when the first is done');
  t.true(performance.now() - t0 < EVENTFD_WRITE_MS, 'the event loop was not blocked');
  const e = await reported;
  t.is(e.code, 'ERR_FD_KIND');
  t.true(performance.now() - t0 >= EVENTFD_WRITE_MS - 5);
  // Closed while the write is stuck: the close waits, the number stays taken.
  closeFds([blocking]);
  t.notThrows(() => fstatSync(blocking));
  // The peer reads: the write finishes, then the fd is closed.
  const drain = new SignalCounter(pair.readFd);
  await new Promise<void>((resolve) => {
    const check = (): void => {
      try {
        fstatSync(blocking);
        setTimeout(check, 5);
      } catch {
        resolve();
      }
    };
    check();
  });
  t.throws(() => fstatSync(blocking));
  drain.close();
  closeSync(pair.writeFd);
});

test('eventfd signals asked for while a write is out are added by one write when it is done: none is lost', async (t) => {
  const { eventfd, readEventfd } = await import('../src/unix/index.js');
  const fd = eventfd({ nonBlocking: false });
  t.teardown(() => closeSync(fd));
  for (let i = 0; i < 5; i++) t.true(signalFd(fd));
  // The first write is on the thread pool; the other four wait for it and go as one write of 4.
  const count = (): bigint => BigInt(`0x${/^eventfd-count:\s+([0-9a-f]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'))![1]!}`);
  await new Promise<void>((resolve) => {
    const check = (): void => (count() === 5n ? resolve() : void setImmediate(check));
    check();
  });
  t.is(readEventfd(fd), 5n);
});

test('an eventfd write that waits for a busy thread pool past EVENTFD_WRITE_MS is not taken for blocked: the counter had room', async (t) => {
  const { eventfd, readEventfd } = await import('../src/unix/index.js');
  const { read } = await import('node:fs');
  // Every pool thread (libuv's default 4, or UV_THREADPOOL_SIZE) blocked on a read of an empty FIFO.
  const threads = Number(process.env['UV_THREADPOOL_SIZE'] ?? 4);
  const fifos = Array.from({ length: threads }, () => pipePair());
  const readers = fifos.map((p) => openSync(`/proc/self/fd/${p.readFd}`, 'r'));
  const reads = readers.map((fd) => new Promise<void>((resolve) => read(fd, new Uint8Array(1), 0, 1, null, () => resolve())));
  const fd = eventfd({ nonBlocking: false });
  const reports: VfioUserSessionError[] = [];
  t.true(signalOffLoop(fd, (e) => reports.push(e)));
  // Past the bound while the write still waits for a thread (a timeout is what is under test).
  await new Promise((resolve) => setTimeout(resolve, 3 * EVENTFD_WRITE_MS));
  t.deepEqual(reports, [], 'not reported: the write only waited for a thread');
  for (const p of fifos) writeSync(p.writeFd, new Uint8Array(1));
  await Promise.all(reads);
  const count = (): bigint => BigInt(`0x${/^eventfd-count:\s+([0-9a-f]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'))![1]!}`);
  await new Promise<void>((resolve) => {
    const check = (): void => (count() === 1n ? resolve() : void setImmediate(check));
    check();
  });
  t.is(readEventfd(fd), 1n);
  t.deepEqual(reports, []);
  closeSync(fd);
  for (const r of readers) closeSync(r);
  for (const p of fifos) {
    closeSync(p.readFd);
    closeSync(p.writeFd);
  }
});
