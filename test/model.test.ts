/**
 * The connection model (src/model/connection.ts): its rules and state on
 * their own, and the property that the checker, the server and the model
 * decide alike on generated command sequences.
 */
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import {
  VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
  VFIO_DEVICE_FEATURE_SET,
  VFIO_DMA_UNMAP_FLAG_ALL,
  VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
  VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
  VFIO_DEVICE_FEATURE_GET,
  VFIO_USER_F_DMA_REGION_MMAP,
  VFIO_USER_DEVICE_FEATURE,
  VFIO_USER_DEVICE_RESET,
  VFIO_USER_DEVICE_SET_IRQS,
  VFIO_IRQ_SET_ACTION_TRIGGER,
  VFIO_IRQ_SET_DATA_EVENTFD,
  VFIO_PCI_MSIX_IRQ_INDEX,
  VFIO_USER_DEVICE_STATE_RUNNING,
  VFIO_USER_DEVICE_STATE_STOP,
  VFIO_USER_DEVICE_STATE_STOP_COPY,
  VFIO_USER_DMA_MAP,
  VFIO_USER_DMA_UNMAP,
  VFIO_USER_F_DMA_REGION_READ,
  VFIO_USER_F_DMA_REGION_WRITE,
  VFIO_USER_IOMMUFD_ALLOC_IOAS,
  VFIO_USER_IOMMUFD_ATTACH_PT,
  VFIO_USER_IOMMUFD_BIND,
  VFIO_USER_IOMMUFD_DESTROY_IOAS,
  VFIO_USER_IOMMUFD_DETACH_PT,
  VFIO_USER_IOMMUFD_IOAS_UNMAP,
  VFIO_USER_IOMMUFD_MAP_FIXED_IOVA,
  VFIO_USER_IOMMUFD_MAP_READABLE,
  VFIO_USER_DEVICE_STATE_PRE_COPY,
  VFIO_USER_MIG_DATA_READ,
  VFIO_USER_MIG_DATA_WRITE,
  VFIO_USER_REGION_WRITE_MULTI,
  VFIO_USER_VERSION,
} from '../src/constants.js';
import { vfio_user_dma_map_SIZE, vfio_user_dma_unmap_SIZE, vfio_user_mig_data_SIZE } from '../generated/ts/structs.js';
import { command, Conversation, emitVersionJson, encode, errorReply, reply, type KnownCmd, type Message, type Side } from '../src/index.js';
import { fixtures } from '../spec/fixtures/index.js';
import { ConnectionModel, type Rule } from '../src/model/connection.js';
import { errorCodes } from '../src/spec.js';
import type { DialectName } from '../generated/ts/types.js';
import type { CommandByCmd } from '../generated/ts/messages.js';
import { channelPair, Client, DEFAULT_SERVER_CAPABILITIES, ERRNO, Server, VfioUserRemoteError, type ClientOptions, type ServerConnection, type ServerOptions, type TapEvent } from '../src/session/index.js';
import { TempFiles, TestDevice } from './helpers/session-peer.js';

const RW = VFIO_USER_F_DMA_REGION_READ | VFIO_USER_F_DMA_REGION_WRITE;
const IOAS_SIZE = 16;
const WINDOW = 0x1000n;

function version(iommufd: boolean): CommandByCmd[typeof VFIO_USER_VERSION] {
  return command(VFIO_USER_VERSION, 0, { major: 0, minor: 2, data: new Uint8Array(0), json: iommufd ? { capabilities: { iommufd: { supported: true } } } : null });
}

/** A server on a test device with `options`, and a client connected to it with `clientOptions`. */
async function connected(t: ExecutionContext, options: ServerOptions = {}, clientOptions: ClientOptions = {}): Promise<{ conn: ServerConnection; client: Client }> {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const server = new Server(new TestDevice(files.file(0x2000)), options);
  const [a, b] = channelPair();
  const conn = server.accept(b);
  return { conn, client: await Client.connect(a, { twinSocket: false, ...clientOptions }) };
}

function setState(state: number): CommandByCmd[typeof VFIO_USER_DEVICE_FEATURE]['body'] {
  return { argsz: 16, flags: VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, data: { kind: 'mig_state', device_state: state, data_fd: 0 } };
}

test('the model: VERSION first, the iommufd gate, unmap of an unknown window, and state moved only by apply', (t) => {
  const model = new ConnectionModel();
  const map = command(VFIO_USER_DMA_MAP, 1, { argsz: vfio_user_dma_map_SIZE, flags: RW, offset: 0n, addr: 0x10000n, size: WINDOW });
  t.deepEqual(
    model.check('client', map, 0).map((r) => r.code),
    ['ERR_VERSION_FIRST'],
  );
  const v = version(false);
  t.deepEqual(model.check('client', v, 0), []);
  t.deepEqual(model.apply(v, { major: 0, minor: 2, data: new Uint8Array(0), json: null }, 0), []);
  t.false(model.negotiated!.iommufd);
  const bind = command(VFIO_USER_IOMMUFD_BIND, 2, { argsz: 16, flags: 0, iommufd: -1, out_devid: 0 });
  t.deepEqual(model.check('client', bind, 0).map((r) => r.code), ['ERR_IOMMUFD_NOT_NEGOTIATED']);
  const unmap = command(VFIO_USER_DMA_UNMAP, 3, { argsz: vfio_user_dma_unmap_SIZE, flags: 0, addr: 0x10000n, size: WINDOW, bitmap: null });
  t.deepEqual(model.check('client', unmap, 0).map((r) => r.code), ['ERR_UNMAP_UNKNOWN']);
  t.deepEqual(model.check('client', map, 0), [], 'check alone changes nothing');
  t.is(model.dmaWindows.size, 0);
  model.apply(map, null);
  t.deepEqual(model.check('client', unmap, 0), []);
  t.deepEqual(model.check('server', map, 0).map((r) => r.code), ['ERR_WRONG_SENDER']);
  t.deepEqual(model.check('client', map, 2).map((r) => r.code), ['ERR_FD_RULE', 'ERR_FD_LIMIT']);
  // Migration data only in its phase: read while saving (PRE_COPY, STOP_COPY).
  const read = command(VFIO_USER_MIG_DATA_READ, 4, { argsz: vfio_user_mig_data_SIZE + 16, size: 16 });
  t.deepEqual(model.check('client', read, 0).map((r) => r.code), ['ERR_MIGRATION_PHASE']);
  const preCopy = command(VFIO_USER_DEVICE_FEATURE, 5, setState(VFIO_USER_DEVICE_STATE_PRE_COPY));
  model.apply(preCopy, preCopy.body);
  t.deepEqual(model.check('client', read, 0), []);
  // A side that applies VERSION without checking it (the client) has seen its first command.
  const client = new ConnectionModel();
  client.apply(v, { major: 0, minor: 2, data: new Uint8Array(0), json: null }, 0);
  t.deepEqual(client.check('client', map, 0), []);
});

test('DEVICE_RESET: the migration state stays unless the server dialect returns it to RUNNING; the server follows its model', async (t) => {
  const reset = command(VFIO_USER_DEVICE_RESET, 4, null);
  const stop = command(VFIO_USER_DEVICE_FEATURE, 5, setState(VFIO_USER_DEVICE_STATE_STOP));
  for (const [rule, after] of [['unchanged', VFIO_USER_DEVICE_STATE_STOP], ['running', VFIO_USER_DEVICE_STATE_RUNNING]] as const) {
    const model = new ConnectionModel({ resetMigrationState: rule });
    model.apply(stop, stop.body);
    t.is(model.deviceState, VFIO_USER_DEVICE_STATE_STOP);
    model.apply(reset, null);
    t.is(model.deviceState, after, rule);
  }
  const { conn, client } = await connected(t);
  await client.setDeviceState(VFIO_USER_DEVICE_STATE_STOP);
  await client.reset();
  t.is(await client.getDeviceState(), VFIO_USER_DEVICE_STATE_STOP);
  t.is(conn.deviceState, VFIO_USER_DEVICE_STATE_STOP);
  client.close();
  await conn.whenClosed;
});

/** The VERSION pair with real JSON bytes, for the checker: `client` and `server` are the two capability sets. */
function versionPair(client: object, server: object): [Message, Message] {
  const q = command(VFIO_USER_VERSION, 0, { major: 0, minor: 0, data: new TextEncoder().encode(emitVersionJson({ capabilities: client })), json: null });
  return [q, reply(q, { major: 0, minor: 0, data: new TextEncoder().encode(emitVersionJson({ capabilities: server })), json: null })];
}

/** The violations a checker finds in `steps`, each a message from a side with its fd count. */
function check(conv: Conversation, steps: readonly (readonly [Side, Message, number?])[]): string[] {
  return steps.flatMap(([from, message, fds], seq) => conv.observe({ seq, from, bytes: encode(message), fds: fds ?? 0 }).violations.map((v) => v.code));
}

test('iommufd state: a second BIND is EEXIST and DESTROY_IOAS of the attached IOAS is EBUSY, in the model, the server and the checker', async (t) => {
  const iommufd = { iommufd: { supported: true } };
  const bind = command(VFIO_USER_IOMMUFD_BIND, 1, { argsz: IOAS_SIZE, flags: 0, iommufd: -1, out_devid: 0 });
  const bound = { argsz: IOAS_SIZE, flags: 0, iommufd: 0, out_devid: 1 };
  const alloc = command(VFIO_USER_IOMMUFD_ALLOC_IOAS, 2, { argsz: IOAS_SIZE, flags: 0, out_ioas_id: 0, __reserved: 0 });
  const attach = command(VFIO_USER_IOMMUFD_ATTACH_PT, 3, { argsz: IOAS_SIZE, flags: 0, pt_id: 1, pasid: 0 });
  const destroy = command(VFIO_USER_IOMMUFD_DESTROY_IOAS, 4, { argsz: IOAS_SIZE, flags: 0, ioas_id: 1, __reserved: 0 });
  const detach = command(VFIO_USER_IOMMUFD_DETACH_PT, 5, { argsz: IOAS_SIZE, flags: 0, pasid: 0, __reserved: 0 });
  const model = new ConnectionModel();
  model.check('client', version(true), 0);
  model.apply(version(true), { major: 0, minor: 2, data: new Uint8Array(0), json: { capabilities: iommufd } }, 0);
  t.deepEqual(model.check('client', bind, 0), []);
  model.apply(bind, bound);
  t.deepEqual(model.check('client', bind, 0).map((r) => [r.code, r.errno]), [['ERR_IOAS_STATE', 'EEXIST']]);
  model.apply(alloc, { argsz: IOAS_SIZE, flags: 0, out_ioas_id: 1, __reserved: 0 });
  t.deepEqual(model.check('client', destroy, 0), [], 'an IOAS nobody is attached to goes');
  model.apply(attach, null);
  t.deepEqual(model.check('client', destroy, 0).map((r) => [r.code, r.errno]), [['ERR_IOAS_STATE', 'EBUSY']]);
  model.apply(detach, null);
  t.deepEqual(model.check('client', destroy, 0), []);

  // The server answers from the model: a custom BIND handler that always succeeds is not asked the second time.
  let binds = 0;
  const { conn, client } = await connected(t, { handlers: { [VFIO_USER_IOMMUFD_BIND]: () => ({ body: { ...bound, out_devid: ++binds } }) } }, { capabilities: iommufd });
  await client.bind();
  const again = await t.throwsAsync(client.bind(), { instanceOf: VfioUserRemoteError });
  t.is(again?.errno, ERRNO.EEXIST);
  t.is(binds, 1);
  const id = await client.allocIoas();
  await client.attachPt(id);
  const busy = await t.throwsAsync(client.destroyIoas(id), { instanceOf: VfioUserRemoteError });
  t.is(busy?.errno, ERRNO.EBUSY);
  t.is(conn.ioas.size, 1, 'the IOAS stays');
  client.close();
  await conn.whenClosed;

  // The checker reports a server that accepts them, and takes the error replies.
  const [vq, vr] = versionPair(iommufd, iommufd);
  const bind2 = command(VFIO_USER_IOMMUFD_BIND, 6, bind.body);
  const destroy2 = command(VFIO_USER_IOMMUFD_DESTROY_IOAS, 7, destroy.body);
  const opening: [Side, Message][] = [['client', vq], ['server', vr], ['client', bind], ['server', reply(bind, bound)], ['client', alloc], ['server', reply(alloc, { argsz: IOAS_SIZE, flags: 0, out_ioas_id: 1, __reserved: 0 })], ['client', attach], ['server', reply(attach, null)]];
  t.deepEqual(check(new Conversation(), [...opening, ['client', bind2], ['server', reply(bind2, bound)], ['client', destroy2], ['server', reply(destroy2, null)]]), ['ERR_IOAS_STATE', 'ERR_IOAS_STATE']);
  t.deepEqual(check(new Conversation(), [...opening, ['client', bind2], ['server', errorReply(bind2, ERRNO.EEXIST)], ['client', destroy2], ['server', errorReply(destroy2, ERRNO.EBUSY)]]), []);
});

test('DEVICE_RESET of a stopped device: the libvfio-user dialect refuses it with EINVAL in STOP and STOP_COPY, the default serves it', async (t) => {
  const reset = command(VFIO_USER_DEVICE_RESET, 9, null);
  const to = (state: number): CommandByCmd[typeof VFIO_USER_DEVICE_FEATURE] => command(VFIO_USER_DEVICE_FEATURE, 8, setState(state));
  for (const dialect of ['default', 'libvfio-user'] as const) {
    const model = new ConnectionModel({ serverDialect: dialect });
    model.check('client', version(false), 0);
    model.apply(version(false), { major: 0, minor: 2, data: new Uint8Array(0), json: null }, 0);
    const refusals: string[] = [];
    for (const state of [VFIO_USER_DEVICE_STATE_STOP, VFIO_USER_DEVICE_STATE_STOP_COPY, VFIO_USER_DEVICE_STATE_STOP, VFIO_USER_DEVICE_STATE_RUNNING]) {
      model.apply(to(state), setState(state));
      refusals.push(model.check('client', reset, 0).map((r) => `${state}:${r.code}:${r.errno}`).join());
    }
    t.deepEqual(refusals, dialect === 'default' ? ['', '', '', ''] : ['1:ERR_INTEROP_REFUSED:EINVAL', '3:ERR_INTEROP_REFUSED:EINVAL', '1:ERR_INTEROP_REFUSED:EINVAL', ''], dialect);
  }

  // Our server speaks its dialect.
  for (const dialect of ['default', 'libvfio-user'] as const) {
    const { conn, client } = await connected(t, { dialect }, { serverDialect: dialect });
    await client.setDeviceState(VFIO_USER_DEVICE_STATE_STOP);
    if (dialect === 'default') await t.notThrowsAsync(client.reset());
    else t.is((await t.throwsAsync(client.reset(), { instanceOf: VfioUserRemoteError }))?.errno, ERRNO.EINVAL);
    client.close();
    await conn.whenClosed;
  }

  // The checker: libvfio-user's error reply (the corpus fixture) is legal traffic; a success reply is not what it does.
  const fixture = fixtures.find((f) => f.name === 'device-reset-error-einval')!;
  const refusal = Uint8Array.from(fixture.bytes.flatMap(([, hex]) => hex.split(' ').map((x) => parseInt(x, 16))));
  const [vq, vr] = versionPair({}, {});
  const stop = to(VFIO_USER_DEVICE_STATE_STOP);
  const reset40 = command(VFIO_USER_DEVICE_RESET, 40, null);
  const opening: [Side, Message][] = [['client', vq], ['server', vr], ['client', stop], ['server', reply(stop, setState(VFIO_USER_DEVICE_STATE_STOP))], ['client', reset40]];
  const conv = new Conversation({ serverDialect: 'libvfio-user' });
  t.deepEqual(check(conv, opening), []);
  t.deepEqual(conv.observe({ seq: 9, from: 'server', bytes: refusal, fds: 0 }).violations, []);
  t.deepEqual(check(new Conversation({ serverDialect: 'libvfio-user' }), [...opening, ['server', reply(reset40, null)]]), ['ERR_INTEROP_REFUSED']);
  t.deepEqual(check(new Conversation(), [...opening, ['server', reply(reset40, null)]]), []);
});

test('the checker takes max_msg_fds from the VERSION JSON, else from what the sender\'s dialect assumes of its peer', (t) => {
  const [vq, vr] = versionPair({}, {});
  const irqs = command(VFIO_USER_DEVICE_SET_IRQS, 3, { argsz: 20, flags: VFIO_IRQ_SET_ACTION_TRIGGER | VFIO_IRQ_SET_DATA_EVENTFD, index: VFIO_PCI_MSIX_IRQ_INDEX, start: 0, count: 4, data: new Uint8Array(0) });
  const steps: [Side, Message, number?][] = [['client', vq], ['server', vr], ['client', irqs, 4], ['server', reply(irqs, null)]];
  // Neither side advertised max_msg_fds: QEMU assumes 8 of its server, the default dialect 1.
  t.deepEqual(check(new Conversation({ clientDialect: 'qemu' }), steps), []);
  t.deepEqual(check(new Conversation(), steps), ['ERR_FD_LIMIT']);
  // An advertised value wins over the dialect's assumption.
  const [aq, ar] = versionPair({}, { max_msg_fds: 2 });
  t.deepEqual(check(new Conversation({ clientDialect: 'qemu' }), [['client', aq], ['server', ar], ['client', irqs, 4], ['server', reply(irqs, null)]]), ['ERR_FD_LIMIT']);
});

test('MMAP and FILE_IO maps need their fd; dirty bitmaps need dirty logging on: model rules the server answers with EINVAL', async (t) => {
  const model = new ConnectionModel();
  model.check('client', version(false), 0);
  model.apply(version(false), { major: 0, minor: 2, data: new Uint8Array(0), json: null }, 0);
  const mmap = command(VFIO_USER_DMA_MAP, 1, { argsz: vfio_user_dma_map_SIZE, flags: RW | VFIO_USER_F_DMA_REGION_MMAP, offset: 0n, addr: 0x10000n, size: WINDOW });
  t.deepEqual(model.check('client', mmap, 0).map((r) => r.code), ['ERR_FD_RULE']);
  t.deepEqual(model.check('client', mmap, 1), []);
  model.apply(mmap, null);
  const unmap = command(VFIO_USER_DMA_UNMAP, 2, { argsz: 48, flags: VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, addr: 0x10000n, size: WINDOW, bitmap: { pgsize: 0x1000n, size: 8n } });
  const report = command(VFIO_USER_DEVICE_FEATURE, 3, { argsz: 40, flags: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT, data: { kind: 'dma_logging_report', iova: 0x10000n, length: WINDOW, page_size: 0x1000n, bitmap: new Uint8Array(0) } });
  t.deepEqual(model.check('client', unmap, 0).map((r) => r.code), ['ERR_DIRTY_LOGGING']);
  t.deepEqual(model.check('client', report, 0).map((r) => r.code), ['ERR_DIRTY_LOGGING']);
  const start = command(VFIO_USER_DEVICE_FEATURE, 4, logging(VFIO_DEVICE_FEATURE_DMA_LOGGING_START).body as CommandByCmd[typeof VFIO_USER_DEVICE_FEATURE]['body']);
  model.apply(start, start.body);
  t.deepEqual(model.check('client', unmap, 0), []);
  t.deepEqual(model.check('client', report, 0), []);

  // The server answers from the model, and the checker reports a server that accepts them.
  const { conn, client } = await connected(t);
  for (const [cmd, body] of [[VFIO_USER_DMA_MAP, mmap.body], [VFIO_USER_DEVICE_FEATURE, report.body]] as const) {
    t.is((await t.throwsAsync(client.request(cmd as KnownCmd, body as never), { instanceOf: VfioUserRemoteError }))?.errno, ERRNO.EINVAL);
  }
  client.close();
  await conn.whenClosed;
  const [vq, vr] = versionPair({}, {});
  t.deepEqual(check(new Conversation(), [['client', vq], ['server', vr], ['client', mmap, 0], ['server', reply(mmap, null)], ['client', report], ['server', reply(report, { ...report.body, argsz: 48, data: { ...report.body.data, bitmap: new Uint8Array(8) } } as never)]]), ['ERR_FD_RULE', 'ERR_DIRTY_LOGGING']);
});

test('VERSION again after the connection negotiated: a model rule; the server answers EINVAL and keeps the connection, as libvfio-user does', async (t) => {
  const model = new ConnectionModel();
  t.deepEqual(model.check('client', version(false), 0), []);
  model.apply(version(false), { major: 0, minor: 2, data: new Uint8Array(0), json: null }, 0);
  t.deepEqual(model.check('client', version(false), 0).map((r) => r.code), ['ERR_VERSION_FIRST']);

  const { conn, client } = await connected(t);
  const again = versionPair({}, {})[0];
  t.is((await t.throwsAsync(client.request(VFIO_USER_VERSION, again.body as never), { instanceOf: VfioUserRemoteError }))?.errno, ERRNO.EINVAL);
  t.is(await client.getDeviceState(), VFIO_USER_DEVICE_STATE_RUNNING, 'the connection goes on');
  client.close();
  await conn.whenClosed;

  // The checker takes the refusal and reports a server that accepts it.
  const [vq, vr] = versionPair({}, {});
  const vq2 = command(VFIO_USER_VERSION, 1, vq.body as CommandByCmd[typeof VFIO_USER_VERSION]['body']);
  t.deepEqual(check(new Conversation(), [['client', vq], ['server', vr], ['client', vq2], ['server', errorReply(vq2, ERRNO.EINVAL)]]), []);
  t.deepEqual(check(new Conversation(), [['client', vq], ['server', vr], ['client', vq2], ['server', reply(vq2, vr.body as never)]]), ['ERR_VERSION_FIRST']);
});

/** One command of a generated sequence, sent as it is (no client-side checks). */
type Step = { readonly cmd: number; readonly body: unknown };

const single: fc.Arbitrary<Step> = fc.oneof(
  fc.integer({ min: 0, max: 2 }).map((i) => ({ cmd: VFIO_USER_DMA_MAP, body: { argsz: vfio_user_dma_map_SIZE, flags: RW, offset: 0n, addr: 0x10000n * BigInt(i + 1), size: WINDOW } })),
  fc.integer({ min: 0, max: 2 }).map((i) => ({ cmd: VFIO_USER_DMA_UNMAP, body: { argsz: vfio_user_dma_unmap_SIZE, flags: 0, addr: 0x10000n * BigInt(i + 1), size: WINDOW, bitmap: null } })),
  fc.constant({ cmd: VFIO_USER_DMA_UNMAP, body: { argsz: vfio_user_dma_unmap_SIZE, flags: VFIO_DMA_UNMAP_FLAG_ALL, addr: 0n, size: 0n, bitmap: null } }),
  fc.constant({ cmd: VFIO_USER_IOMMUFD_ALLOC_IOAS, body: { argsz: IOAS_SIZE, flags: 0, out_ioas_id: 0, __reserved: 0 } }),
  fc.integer({ min: 1, max: 3 }).map((id) => ({ cmd: VFIO_USER_IOMMUFD_DESTROY_IOAS, body: { argsz: IOAS_SIZE, flags: 0, ioas_id: id, __reserved: 0 } })),
  fc.integer({ min: 1, max: 3 }).map((id) => ({ cmd: VFIO_USER_IOMMUFD_IOAS_UNMAP, body: { argsz: 32, flags: 0, ioas_id: id, __reserved: 0, iova: 0x1_0000_0000n, length: WINDOW } })),
  fc.constant({ cmd: VFIO_USER_IOMMUFD_BIND, body: { argsz: IOAS_SIZE, flags: 0, iommufd: -1, out_devid: 0 } }),
  fc.integer({ min: 1, max: 3 }).map((id) => ({ cmd: VFIO_USER_IOMMUFD_ATTACH_PT, body: { argsz: IOAS_SIZE, flags: 0, pt_id: id, pasid: 0 } })),
  fc.constant({ cmd: VFIO_USER_IOMMUFD_DETACH_PT, body: { argsz: IOAS_SIZE, flags: 0, pasid: 0, __reserved: 0 } }),
  fc.constantFrom(1, 2, 3, 4, 6).map((s) => ({ cmd: VFIO_USER_DEVICE_FEATURE, body: setState(s) })),
  fc.constant({ cmd: VFIO_USER_DEVICE_RESET, body: null }),
  fc.constant({ cmd: VFIO_USER_MIG_DATA_READ, body: { argsz: vfio_user_mig_data_SIZE + 16, size: 16 } }),
  fc.constant({ cmd: VFIO_USER_MIG_DATA_WRITE, body: { argsz: vfio_user_mig_data_SIZE + 4, size: 4, data: Uint8Array.of(1, 2, 3, 4) } }),
  fc.constant({ cmd: VFIO_USER_VERSION, body: { major: 0, minor: 2, data: new TextEncoder().encode(emitVersionJson({ capabilities: {} })), json: null } }),
  // MMAP without its fd: the property sends no fds.
  fc.integer({ min: 0, max: 2 }).map((i) => ({ cmd: VFIO_USER_DMA_MAP, body: { argsz: vfio_user_dma_map_SIZE, flags: RW | VFIO_USER_F_DMA_REGION_MMAP, offset: 0n, addr: 0x10000n * BigInt(i + 1), size: WINDOW } })),
  fc.integer({ min: 0, max: 2 }).map((i) => ({ cmd: VFIO_USER_DMA_UNMAP, body: { argsz: 48, flags: VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, addr: 0x10000n * BigInt(i + 1), size: WINDOW, bitmap: { pgsize: 0x1000n, size: 8n } } })),
  fc.constantFrom(VFIO_DEVICE_FEATURE_DMA_LOGGING_START, VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP).map(logging),
);

/** DEVICE_FEATURE SET of dirty logging: START at 4 KiB pages over every mapped window, or STOP. */
function logging(feature: number): Step {
  return { cmd: VFIO_USER_DEVICE_FEATURE, body: { argsz: 24, flags: VFIO_DEVICE_FEATURE_SET | feature, data: { kind: 'dma_logging_control', page_size: 0x1000n, num_ranges: 0, reserved: 0, ranges: [] } } };
}

const bindStep: Step = { cmd: VFIO_USER_IOMMUFD_BIND, body: { argsz: IOAS_SIZE, flags: 0, iommufd: -1, out_devid: 0 } };
const resetStep: Step = { cmd: VFIO_USER_DEVICE_RESET, body: null };
/** Needs write_multiple, which the server advertises in half the runs. */
const writeMultiStep: Step = { cmd: VFIO_USER_REGION_WRITE_MULTI, body: { wr_cnt: 1n, wrs: [{ offset: 0n, region: 0, count: 1, data: new Uint8Array(8) }] } };

/**
 * Single commands, and short runs that reach the state rules a random mix
 * seldom does: BIND twice, destroying the IOAS the device is attached to, a
 * reset of a stopped device.
 */
const steps: fc.Arbitrary<readonly Step[]> = fc.oneof(
  { arbitrary: single.map((x) => [x]), weight: 6 },
  fc.constant([bindStep, bindStep]),
  fc.constant([writeMultiStep]),
  fc.integer({ min: 1, max: 3 }).map((id) => [
    bindStep,
    // Three IOAS, so that ids 1-3 exist unless an earlier DESTROY_IOAS took one.
    ...[1, 2, 3].map(() => ({ cmd: VFIO_USER_IOMMUFD_ALLOC_IOAS, body: { argsz: IOAS_SIZE, flags: 0, out_ioas_id: 0, __reserved: 0 } })),
    { cmd: VFIO_USER_IOMMUFD_ATTACH_PT, body: { argsz: IOAS_SIZE, flags: 0, pt_id: id, pasid: 0 } },
    { cmd: VFIO_USER_IOMMUFD_DESTROY_IOAS, body: { argsz: IOAS_SIZE, flags: 0, ioas_id: id, __reserved: 0 } },
  ]),
  fc.constantFrom([VFIO_USER_DEVICE_STATE_STOP], [VFIO_USER_DEVICE_STATE_STOP, VFIO_USER_DEVICE_STATE_STOP_COPY]).map((states) => [...states.map((x) => ({ cmd: VFIO_USER_DEVICE_FEATURE, body: setState(x) })), resetStep]),
  // A report right after logging stopped (a report while logging is on needs its window mapped, which a random mix seldom has).
  fc.constant([
    logging(VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP),
    { cmd: VFIO_USER_DEVICE_FEATURE, body: { argsz: 40, flags: VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT, data: { kind: 'dma_logging_report', iova: 0x10000n, length: WINDOW, page_size: 0x1000n, bitmap: new Uint8Array(0) } } },
  ]),
);

/** The errno a server answers a broken rule with: the rule's own, else its code's in the catalogue. */
function ruleErrno(rule: Rule): string {
  return rule.errno ?? errorCodes.find((e) => e.code === rule.code)!.errno;
}

test('property: the model, the server, the client and the checker decide alike on generated command sequences', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const device = new TestDevice(files.file(0x2000));
  const errnoName = new Map<number, string>(Object.entries(ERRNO).map(([k, v]) => [v, k]));
  let accepted = 0;
  let refused = 0;
  // How often each rule of the iommufd state and of the server dialect refused a command.
  const seen = { bindAgain: 0, destroyAttached: 0, resetStopped: 0, mmapWithoutFd: 0, loggingOff: 0, versionAgain: 0, notAdvertised: 0 };
  await fc.assert(
    fc.asyncProperty(fc.constantFrom<DialectName>('default', 'libvfio-user'), fc.boolean(), fc.boolean(), fc.array(steps, { maxLength: 16 }), async (dialect, iommufd, writeMultiple, runs) => {
      const server = new Server(device, { iommufd: true, dialect, capabilities: { ...DEFAULT_SERVER_CAPABILITIES, write_multiple: writeMultiple } });
      const [a, b] = channelPair();
      const conn = server.accept(b);
      const tapped: TapEvent[] = [];
      const client = await Client.connect(a, { twinSocket: false, serverDialect: dialect, capabilities: { iommufd: { supported: iommufd } }, tap: (e) => tapped.push(e) });
      const model = new ConnectionModel({ serverDialect: dialect });
      model.check('client', version(iommufd), 0);
      model.apply(version(iommufd), { major: 0, minor: 2, data: new Uint8Array(0), json: { capabilities: { write_multiple: writeMultiple, ...(iommufd ? { iommufd: { supported: true } } : {}) } } }, 0);
      for (const step of runs.flat()) {
        const message = command(step.cmd as KnownCmd, 0, step.body as never);
        const rules = model.check('client', message, 0);
        let body: unknown = null;
        let errno: string | null = null;
        try {
          body = (await client.request(step.cmd as KnownCmd, step.body as never)).reply.body;
        } catch (e) {
          if (!(e instanceof VfioUserRemoteError)) throw e;
          errno = errnoName.get(e.errno) ?? String(e.errno);
        }
        if (errno === null) {
          if (rules.length > 0) return false;
          model.apply(message, body as never);
          accepted++;
        } else {
          // The server refuses exactly what the model forbids, with the errno of the model's first rule.
          if (rules.length === 0 || errno !== ruleErrno(rules[0]!)) return false;
          refused++;
          if (step.cmd === VFIO_USER_IOMMUFD_BIND && errno === 'EEXIST') seen.bindAgain++;
          if (step.cmd === VFIO_USER_IOMMUFD_DESTROY_IOAS && errno === 'EBUSY') seen.destroyAttached++;
          if (step.cmd === VFIO_USER_DEVICE_RESET && rules[0]!.code === 'ERR_INTEROP_REFUSED') seen.resetStopped++;
          if (rules[0]!.code === 'ERR_FD_RULE') seen.mmapWithoutFd++;
          if (rules[0]!.code === 'ERR_DIRTY_LOGGING') seen.loggingOff++;
          if (rules[0]!.code === 'ERR_VERSION_FIRST') seen.versionAgain++;
          if (rules[0]!.code === 'ERR_NOT_ADVERTISED') seen.notAdvertised++;
        }
        if (conn.deviceState !== model.deviceState || conn.iommufdState.bound !== model.bound || conn.iommufdState.attached !== model.attached) return false;
        // The client's own model, fed by the replies it got, agrees too.
        const mine = client.model;
        if (mine.deviceState !== model.deviceState || mine.bound !== model.bound || mine.attached !== model.attached || mine.dmaWindows.size !== model.dmaWindows.size || mine.ioas.size !== model.ioas.size) return false;
      }
      client.close();
      await conn.whenClosed;
      // The checker, reading the same bytes, finds every command the server accepted within the rules.
      const conv = new Conversation({ serverDialect: dialect });
      const violations = tapped.flatMap((e, seq) => conv.observe({ seq, from: e.dir === 'out' ? 'client' : 'server', bytes: e.bytes, fds: e.nfds }).violations);
      return violations.length === 0 && conv.deviceState === model.deviceState;
    }),
    { numRuns: 100 },
  );
  // Both outcomes were exercised, so agreement was tested on each side.
  t.true(accepted > 50, `${accepted} accepted`);
  t.true(refused > 50, `${refused} refused`);
  // The generated sequences reached each of these rules.
  t.log(JSON.stringify(seen));
  t.true(Object.values(seen).every((n) => n > 0), JSON.stringify(seen));
});

test('a side that does not advertise max_msg_fds gets what the other end\'s dialect assumes: 8 for a QEMU client, 1 by default', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const device = new TestDevice(files.file(0x2000));
  const silent = { max_data_xfer_size: 1048576 };
  for (const [dialect, expected] of [['qemu', 8], ['default', 1]] as const) {
    const server = new Server(device, { capabilities: silent, clientDialect: dialect });
    const [a, b] = channelPair();
    const conn = server.accept(b);
    const client = await Client.connect(a, { twinSocket: false, dialect, capabilities: silent });
    t.is(client.negotiated.toServer.maxMsgFds, expected, dialect);
    t.is(conn.negotiated?.toClient.maxMsgFds, 1, 'the server speaks the default dialect');
    client.close();
    await conn.whenClosed;
  }
});

test('the client refuses FIXED_IOVA before sending it unless both sides advertised iommufd.fixed_iova', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const server = new Server(new TestDevice(files.file(0x2000)));
  const [a, b] = channelPair();
  const conn = server.accept(b);
  const sent: number[] = [];
  const client = await Client.connect(a, { twinSocket: false, tap: (e) => void (e.dir === 'out' && sent.push(e.message.cmd)) });
  const id = await client.allocIoas();
  const before = sent.length;
  const error = await t.throwsAsync(client.ioasMap({ ioas_id: id, flags: VFIO_USER_IOMMUFD_MAP_FIXED_IOVA | VFIO_USER_IOMMUFD_MAP_READABLE, length: WINDOW }, files.file(0x1000)));
  t.is((error as { code?: string }).code, 'ERR_IOMMUFD_NOT_NEGOTIATED');
  t.is(sent.length, before, 'nothing went out');
  client.close();
  await conn.whenClosed;
});

test('a custom handler replaces the built-in one, typed by its command, and its success moves the model on', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const server = new Server(new TestDevice(files.file(0x2000)), {
    handlers: {
      [VFIO_USER_IOMMUFD_BIND]: () => ({ body: { argsz: 16, flags: 0, iommufd: 0, out_devid: 7 } }),
    },
  });
  const [a, b] = channelPair();
  const conn = server.accept(b);
  const client = await Client.connect(a, { twinSocket: false });
  t.is(await client.bind(), 7);
  t.true(conn.iommufdState.bound, 'the model saw the BIND the handler accepted');
  const id = await client.allocIoas();
  await client.attachPt(id);
  t.is(conn.iommufdState.attached, id);
  client.close();
  await conn.whenClosed;
});
