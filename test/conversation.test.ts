import test from 'ava';
import {
  Conversation,
  checkIommufdGate,
  command,
  emitVersionJson,
  encode,
  errorReply,
  migrationPath,
  reply,
  type Message,
  type Side,
  type Violation,
} from '../src/index.js';
import { throwsCode } from './helpers/errors.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function version(id: number, iommufd: boolean, minor = 2): Message {
  const text = emitVersionJson({ capabilities: { max_msg_fds: 8, ...(iommufd ? { iommufd: { supported: true } } : {}) } });
  return command(1, id, { major: 0, minor, data: utf8(text), json: null });
}

function versionReply(req: Message, iommufd: boolean, minor = 2): Message {
  const text = emitVersionJson({ capabilities: { max_msg_fds: 8, max_data_xfer_size: 1048576, ...(iommufd ? { iommufd: { supported: true } } : {}) } });
  return reply({ cmd: 1, msg_id: req.msg_id }, { major: 0, minor, data: utf8(text), json: null });
}

/** Runs messages through a conversation; returns every violation. */
function run(conv: Conversation, steps: readonly [Side, Message, number?][]): Violation[] {
  const all: Violation[] = [];
  steps.forEach(([from, message, fds], seq) => {
    const r = conv.observe({ seq, from, bytes: encode(message), fds: fds ?? 0 });
    t_error(r.error);
    all.push(...r.violations);
  });
  return all;
}
function t_error(e: unknown): void {
  if (e !== null) throw e as Error;
}

const bind = command(24, 2, { argsz: 16, flags: 0, iommufd: -1, out_devid: 0 });
const bindReply = reply(bind as { cmd: 24; msg_id: number }, { argsz: 0, flags: 0, iommufd: 0, out_devid: 1 });
const alloc = command(19, 3, { argsz: 16, flags: 0, out_ioas_id: 0, __reserved: 0 });
const allocReply = reply(alloc as { cmd: 19; msg_id: number }, { argsz: 0, flags: 0, out_ioas_id: 1, __reserved: 0 });
const attach = command(25, 4, { argsz: 16, flags: 0, pt_id: 1, pasid: 0 });
const map = command(21, 5, { argsz: 48, flags: 3, ioas_id: 1, __reserved: 0, user_va: 0x7f00_0000_0000n, length: 0x10000n, iova: 0n, offset: 0x1010n });
const mapReply = reply(map as { cmd: 21; msg_id: number }, { ...(map.body as object), iova: 0x7f12_3456_7010n } as never);
const unmap = command(22, 6, { argsz: 32, flags: 0, ioas_id: 1, __reserved: 0, iova: 0x7f12_3456_7010n, length: 0x10000n });
const detach = command(26, 7, { argsz: 16, flags: 0, pasid: 0, __reserved: 0 });
const destroy = command(20, 8, { argsz: 16, flags: 0, ioas_id: 1, __reserved: 0 });

test('the typical iommufd sequence is legal when both sides advertise iommufd', (t) => {
  const conv = new Conversation();
  const v = version(1, true);
  const violations = run(conv, [
    ['client', v],
    ['server', versionReply(v, true)],
    ['client', bind],
    ['server', bindReply],
    ['client', alloc],
    ['server', allocReply],
    ['client', attach],
    ['server', reply(attach as { cmd: 25; msg_id: number }, null)],
    ['client', map, 1],
    ['server', mapReply],
    ['client', unmap],
    ['server', reply(unmap as { cmd: 22; msg_id: number }, null)],
    ['client', detach],
    ['server', reply(detach as { cmd: 26; msg_id: number }, null)],
    ['client', destroy],
    ['server', reply(destroy as { cmd: 20; msg_id: number }, null)],
  ]);
  t.deepEqual(violations, []);
  t.true(conv.iommufd);
  t.is(conv.outstanding, 0);
});

for (const [client, server] of [
  [true, false],
  [false, true],
  [false, false],
] as const) {
  test(`iommufd gate: client ${client ? 'advertises' : 'silent'}, server ${server ? 'advertises' : 'silent'} -> an accepted iommufd command is ERR_IOMMUFD_NOT_NEGOTIATED`, (t) => {
    const conv = new Conversation();
    const v = version(1, client);
    const violations = run(conv, [
      ['client', v],
      ['server', versionReply(v, server)],
      ['client', bind],
      ['server', bindReply],
    ]);
    t.false(conv.iommufd);
    t.deepEqual(
      violations.map((x) => [x.seq, x.code]),
      [[2, 'ERR_IOMMUFD_NOT_NEGOTIATED']],
    );
  });
}

test('iommufd gate: an EINVAL reply to the gated command is legal traffic', (t) => {
  const conv = new Conversation();
  const v = version(1, true);
  const violations = run(conv, [
    ['client', v],
    ['server', versionReply(v, false)],
    ['client', bind],
    ['server', errorReply(bind, 22)],
  ]);
  t.deepEqual(violations, []);
});

test('legacy DMA_MAP and DMA_UNMAP stay valid in iommufd mode', (t) => {
  const conv = new Conversation();
  const v = version(1, true);
  const dmaMap = command(2, 2, { argsz: 32, flags: 3, offset: 0n, addr: 0x10000n, size: 0x1000n });
  const dmaUnmap = command(3, 3, { argsz: 24, flags: 0, addr: 0x10000n, size: 0x1000n, bitmap: null });
  t.deepEqual(
    run(conv, [
      ['client', v],
      ['server', versionReply(v, true)],
      ['client', dmaMap, 1],
      ['server', reply(dmaMap as { cmd: 2; msg_id: number }, null)],
      ['client', dmaUnmap],
      ['server', reply(dmaUnmap as { cmd: 3; msg_id: number }, { ...(dmaUnmap.body as object) } as never)],
    ]),
    [],
  );
  t.true(conv.iommufd);
});

test('checkIommufdGate throws ERR_IOMMUFD_NOT_NEGOTIATED with errno EINVAL for 19-26 only', (t) => {
  for (let cmd = 19; cmd <= 26; cmd++) {
    const e = throwsCode(t, () => checkIommufdGate(cmd, false), 'ERR_IOMMUFD_NOT_NEGOTIATED');
    t.is(e.errno, 22);
    t.regex(e.message, /^VFIO_USER_IOMMUFD_\w+ before both sides advertised iommufd\.supported$/);
    t.notThrows(() => checkIommufdGate(cmd, true));
  }
  for (const cmd of [1, 2, 3, 18, 27]) t.notThrows(() => checkIommufdGate(cmd, false));
});

test('VERSION first, orphan replies, replies to NO_REPLY', (t) => {
  const conv = new Conversation();
  const reset = command(13, 1, null);
  const write = command(10, 9, { offset: 0n, region: 0, count: 1, data: Uint8Array.of(1) }, { noReply: true });
  const violations = run(conv, [
    ['client', reset],
    ['server', reply(reset as { cmd: 13; msg_id: number }, null)],
    ['server', reply({ cmd: 4, msg_id: 77 }, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 })],
    ['client', write],
    ['server', reply(write as { cmd: 10; msg_id: number }, { offset: 0n, region: 0, count: 1 })],
  ]);
  t.deepEqual(
    violations.map((x) => [x.seq, x.code]),
    [
      [0, 'ERR_VERSION_FIRST'],
      [2, 'ERR_ORPHAN_REPLY'],
      [4, 'ERR_REPLY_TO_NO_REPLY'],
    ],
  );
});

test('fd rules and max_msg_fds, held until the receiver accepts', (t) => {
  const conv = new Conversation();
  const v = version(1, true);
  const twoFds = { ...map, msg_id: 10 };
  const violations = run(conv, [
    ['client', v],
    ['server', versionReply(v, true)],
    ['client', bind],
    ['server', bindReply],
    ['client', alloc],
    ['server', allocReply],
    ['client', twoFds, 2],
    ['server', errorReply(twoFds, 22)],
    ['client', { ...map, msg_id: 11 }, 9],
    ['server', reply({ cmd: 21, msg_id: 11 }, mapReply.body as never)],
  ]);
  t.deepEqual(
    violations.map((x) => [x.seq, x.code]),
    // Held at seq 8 (the command) and reported when seq 9 accepts it; seq 6 was refused.
    [
      [8, 'ERR_FD_RULE'],
      [8, 'ERR_FD_LIMIT'],
    ],
  );
});

test('DMA_UNMAP of an unknown window, transfer sizes, reply echo', (t) => {
  const conv = new Conversation();
  const v = version(1, false);
  const unmapUnknown = command(3, 2, { argsz: 24, flags: 0, addr: 0x5000n, size: 0x1000n, bitmap: null });
  const bigRead = command(9, 3, { offset: 0n, region: 0, count: 2 * 1048576 });
  const read = command(9, 4, { offset: 0n, region: 0, count: 4 });
  const violations = run(conv, [
    ['client', v],
    ['server', versionReply(v, false)],
    ['client', unmapUnknown],
    ['server', reply(unmapUnknown as { cmd: 3; msg_id: number }, { ...(unmapUnknown.body as object) } as never)],
    ['client', bigRead],
    ['server', errorReply(bigRead, 22)],
    ['client', read],
    ['server', reply(read as { cmd: 9; msg_id: number }, { offset: 0n, region: 0, count: 2, data: Uint8Array.of(1, 2) })],
  ]);
  t.deepEqual(
    violations.map((x) => [x.seq, x.code]),
    [
      [2, 'ERR_UNMAP_UNKNOWN'],
      [7, 'ERR_REPLY_MISMATCH'],
    ],
  );
});

test('migration arcs: RUNNING to STOP_COPY walks through STOP; STOP_COPY to PRE_COPY is refused', (t) => {
  t.deepEqual(migrationPath(2, 3), [2, 1, 3]);
  t.deepEqual(migrationPath(6, 1), [6, 2, 1]);
  t.deepEqual(migrationPath(4, 2), [4, 1, 2]);
  t.is(migrationPath(3, 6), null);
  t.is(migrationPath(2, 5), null);
  t.is(migrationPath(0, 1), null);
  const conv = new Conversation();
  const v = version(1, false);
  const set = (id: number, state: number): Message => command(16, id, { argsz: 16, flags: 0x20002, data: { kind: 'mig_state', device_state: state, data_fd: 0 } });
  const s1 = set(2, 3);
  const s2 = set(3, 6);
  const violations = run(conv, [
    ['client', v],
    ['server', versionReply(v, false)],
    ['client', s1],
    ['server', reply(s1 as { cmd: 16; msg_id: number }, s1.body as never)],
    ['client', s2],
    ['server', reply(s2 as { cmd: 16; msg_id: number }, s2.body as never)],
  ]);
  t.is(conv.deviceState, 6);
  t.deepEqual(
    violations.map((x) => [x.seq, x.code]),
    [[4, 'ERR_MIGRATION_ARC']],
  );
});

test('interop: QEMU misreads libvfio-user\'s DMA_WRITE (data from message byte 28) and libvfio-user refuses QEMU\'s bare reply with EINVAL', (t) => {
  const conv = new Conversation({ clientDialect: 'qemu', serverDialect: 'libvfio-user' });
  const v = version(1, false);
  run(conv, [
    ['client', v],
    ['server', versionReply(v, false)],
  ]);
  const dmaWrite = command(12, 1, { addr: 0x1000n, count: 8n, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) });
  const r1 = conv.observe({ seq: 2, from: 'server', bytes: encode(dmaWrite), fds: 0 });
  t.deepEqual(r1.violations.map((x) => x.code), ['ERR_INTEROP_MISREAD']);
  const verdict = r1.violations[0]?.interop;
  if (verdict?.kind !== 'misread') return t.fail('no misread verdict');
  t.deepEqual(
    verdict.fields.map((f) => [f.field, f.readAt, f.meantAt, f.read]),
    [['data', 28, 32, '0000000001020304']],
  );
  const bare = encode(reply({ cmd: 12, msg_id: 1 }, null), { dialect: 'qemu' });
  const r2 = conv.observe({ seq: 3, from: 'client', bytes: bare, fds: 0 });
  t.is(r2.error, null);
  t.deepEqual(r2.violations.map((x) => x.code), ['ERR_INTEROP_REFUSED']);
  t.like(r2.violations[0]?.interop, { kind: 'refused', errno: 'EINVAL' });
});

test('an undecodable message is reported in place and the conversation goes on', (t) => {
  const conv = new Conversation();
  const r = conv.observe({ seq: 0, from: 'client', bytes: Uint8Array.of(1, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), fds: 0 });
  t.is(r.message, null);
  t.is(r.error?.code, 'ERR_MSG_SIZE_SMALL');
  t.deepEqual(r.violations.map((x) => x.code), ['ERR_UNDECODABLE']);
  const v = version(1, false);
  t.deepEqual(conv.observe({ seq: 1, from: 'client', bytes: encode(v), fds: 0 }).violations, []);
});

test('an undecodable command still pairs with its error reply; unknown fd counts are not checked', (t) => {
  const conv = new Conversation();
  const v = version(1, false);
  run(conv, [
    ['client', v],
    ['server', versionReply(v, false)],
  ]);
  const shortMap = Uint8Array.from([...encode(command(2, 5, { argsz: 32, flags: 3, offset: 0n, addr: 0n, size: 0x1000n }))].slice(0, 40));
  shortMap[4] = 40;
  const bad = conv.observe({ seq: 2, from: 'client', bytes: shortMap, fds: 0 });
  t.deepEqual(bad.violations.map((x) => x.code), ['ERR_UNDECODABLE']);
  const answer = conv.observe({ seq: 3, from: 'server', bytes: encode(errorReply({ cmd: 2, msg_id: 5 }, 22)), fds: 0 });
  t.deepEqual(answer.violations, []);
  // A DMA_MAP whose fd count the capture does not give: no fd rule is applied.
  const map = command(2, 6, { argsz: 32, flags: 3, offset: 0n, addr: 0n, size: 0x1000n });
  t.deepEqual(conv.observe({ seq: 4, from: 'client', bytes: encode(map), fds: null }).violations, []);
  t.deepEqual(conv.observe({ seq: 5, from: 'server', bytes: encode(reply({ cmd: 2, msg_id: 6 }, null)), fds: null }).violations, []);
  t.is(conv.outstanding, 0);
});

test('twin socket: a message on a twin socket never granted; the rules hold only for messages whose socket is known', (t) => {
  const ask = command(1, 1, { major: 0, minor: 2, data: utf8('{"capabilities":{"twin_socket":{"supported":true}}}'), json: null });
  const grant = reply({ cmd: 1, msg_id: 1 }, { major: 0, minor: 2, data: utf8('{"capabilities":{"twin_socket":{"supported":true,"fd_index":0}}}'), json: null });
  const noGrant = reply({ cmd: 1, msg_id: 1 }, { major: 0, minor: 2, data: utf8('{"capabilities":{}}'), json: null });
  const dmaRead = command(11, 9, { addr: 0x1000n, count: 2n });
  const dmaReadReply = reply({ cmd: 11, msg_id: 9 }, { addr: 0x1000n, count: 2n, data: new Uint8Array(2) });
  type Step = readonly [Side, Message, ('main' | 'twin' | null)?, number?];
  const observe = (steps: readonly Step[]): Violation[] => {
    const conv = new Conversation();
    return steps.flatMap(([from, message, socket, fds], seq) => conv.observe({ seq, from, bytes: encode(message), fds: fds ?? 0, socket: socket ?? null }).violations);
  };
  // Not granted: anything on a twin socket is wrong, at once.
  const notGranted = observe([
    ['client', ask, 'main'],
    ['server', noGrant, 'main'],
    ['server', dmaRead, 'twin'],
  ]);
  t.deepEqual(notGranted.map((v) => [v.seq, v.code]), [[2, 'ERR_WRONG_SOCKET']]);
  t.regex(notGranted[0]!.message, /never granted/);
  // Granted: the server's DMA on the main socket is reported when the client accepts it, not when it refuses it.
  const granted: Step[] = [
    ['client', ask, 'main'],
    ['server', grant, 'main', 1],
  ];
  t.deepEqual(observe([...granted, ['server', dmaRead, 'main'], ['client', dmaReadReply, 'main']]).map((v) => [v.seq, v.code]), [[2, 'ERR_WRONG_SOCKET']]);
  t.deepEqual(observe([...granted, ['server', dmaRead, 'main'], ['client', errorReply({ cmd: 11, msg_id: 9 }, 22), 'main']]), []);
  t.deepEqual(observe([...granted, ['server', dmaRead, 'twin'], ['client', dmaReadReply, 'twin']]), []);
  // Unknown sockets are not checked, and a reply with an unknown socket matches any.
  t.deepEqual(observe([...granted, ['server', dmaRead], ['client', dmaReadReply]]), []);
  t.deepEqual(observe([...granted, ['server', dmaRead, 'twin'], ['client', dmaReadReply]]), []);
});
