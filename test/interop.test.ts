/**
 * Interoperability: what a receiver in one dialect does with a message its
 * sender wrote in another (src/interop.ts), the checker's verdicts, and the
 * protocol document's Interoperability chapter checked against them.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commands } from '../spec/commands.js';
import { interopSamples } from '../spec/dialects.js';
import { fixtures } from '../spec/fixtures/index.js';
import { command, decode, encode, errorReply, reply, type Message } from '../src/index.js';
import { Conversation, type Observation, type ObservedMessage, type Side, type Violation } from '../src/conversation.js';
import { describeVerdict, readingOf, readMessage, writeSample } from '../src/interop.js';
import { emitVersionJson } from '../src/capabilities.js';
import type { DialectName } from '../src/options.js';
import { throwsCode } from './helpers/errors.js';
import { fixtureBytes } from './helpers/fixture.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const root = fileURLToPath(new URL('../..', import.meta.url));

function versionMessages(reply_caps: object, minor = 0): [Message, Message] {
  const req = command(1, 1, { major: 0, minor: 0, data: utf8(emitVersionJson({ capabilities: { max_msg_fds: 16 } })), json: null });
  const rep = reply({ cmd: 1, msg_id: 1 }, { major: 0, minor, data: utf8(emitVersionJson({ capabilities: reply_caps })), json: null });
  return [req, rep];
}

/**
 * A conversation whose `observe` also returns the refusals the checker holds
 * until a reply comes: these tests judge one message at a time, and no reply
 * is to come.
 */
class Judged extends Conversation {
  override observe(m: ObservedMessage): Observation {
    const r = super.observe(m);
    return { ...r, violations: [...r.violations, ...this.unanswered()] };
  }
}

/** A conversation past VERSION (a reply QEMU takes), judged message by message. */
function started(clientDialect: DialectName, serverDialect: DialectName): Conversation {
  const conv = new Judged({ clientDialect, serverDialect });
  const [req, rep] = versionMessages({ max_msg_fds: 8, max_data_xfer_size: 1048576 });
  conv.observe({ seq: 0, from: 'client', bytes: encode(req), fds: 0 });
  const r = conv.observe({ seq: 1, from: 'server', bytes: encode(rep), fds: 0 });
  if (r.violations.length > 0) throw new Error(`VERSION: ${r.violations.map((v) => v.code).join(', ')}`);
  return conv;
}

const interopCodes = (vs: readonly Violation[]): string[] => vs.map((v) => v.code).filter((c) => c.startsWith('ERR_INTEROP'));

// ---------------------------------------------------------------------------
// QEMU's DMA layout

test('a QEMU DMA_READ reply (msg_size 32 + count, 4 zero bytes) decodes in the qemu dialect and re-encodes byte for byte', (t) => {
  const f = fixtures.find((x) => x.name === 'dma-read-reply-qemu')!;
  const bytes = fixtureBytes(f);
  t.is(bytes.length, 32 + 8);
  t.deepEqual([...bytes.subarray(28, 36)], [0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]);
  t.deepEqual([...bytes.subarray(36)], [0, 0, 0, 0]);
  const m = decode(bytes, { dialect: 'qemu' });
  t.like(m, { kind: 'reply', cmd: 11, body: { offset: 0x7000n, count: 8 } });
  t.deepEqual(encode(m, { dialect: 'qemu' }), bytes);
});

test('the qemu dialect writes DMA_READ as 32 bytes and DMA_WRITE as 32 + count, data at message byte 28', (t) => {
  const rd = encode(command(11, 1, { offset: 0x7000n, count: 8 }), { dialect: 'qemu' });
  t.is(rd.length, 32);
  const wr = encode(command(12, 2, { offset: 0x7000n, count: 3, data: Uint8Array.of(7, 8, 9) }), { dialect: 'qemu' });
  t.is(wr.length, 35);
  t.deepEqual([...wr.subarray(28)], [7, 8, 9, 0, 0, 0, 0]);
});

test('QEMU refuses a 28 + count DMA_WRITE: E2BIG for count >= 4, EINVAL below 32 bytes', (t) => {
  const reading = readingOf('qemu', 12, 'request')!;
  const old = (count: number): Uint8Array => {
    const b = new Uint8Array(28 + count);
    const v = new DataView(b.buffer);
    v.setUint16(2, 12, true);
    v.setUint32(4, b.length, true);
    v.setUint32(24, count, true);
    return b;
  };
  t.like(readMessage(old(8), reading, 12), { refused: { errno: 'E2BIG' } });
  t.like(readMessage(old(2), reading, 12), { refused: { errno: 'EINVAL' } });
  t.true('fields' in readMessage(writeSample('qemu', 12, 'request', { addr: 0x7000, count: 8, data: '0102030405060708' }), reading, 12));
});

// ---------------------------------------------------------------------------
// The checker's verdicts

test('QEMU reads libvfio-user\'s DMA_READ request as meant', (t) => {
  const conv = started('qemu', 'libvfio-user');
  const r = conv.observe({ seq: 2, from: 'server', bytes: encode(command(11, 1, { addr: 0x7000n, count: 8n })), fds: 0 });
  t.deepEqual(interopCodes(r.violations), []);
});

test('QEMU accepts libvfio-user\'s DMA_WRITE and misreads its data from message byte 28', (t) => {
  const conv = started('qemu', 'libvfio-user');
  const r = conv.observe({ seq: 2, from: 'server', bytes: encode(command(12, 1, { addr: 0x7000n, count: 8n, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) })), fds: 0 });
  t.deepEqual(interopCodes(r.violations), ['ERR_INTEROP_MISREAD']);
  const v = r.violations[0]!.interop;
  if (v?.kind !== 'misread') return t.fail('no misread');
  t.deepEqual(
    v.fields.map((f) => ({ field: f.field, readAt: f.readAt, meantAt: f.meantAt, read: f.read })),
    [{ field: 'data', readAt: 28, meantAt: 32, read: '0000000001020304' }],
  );
});

test('libvfio-user refuses QEMU\'s DMA_READ reply with EINVAL unless its data starts with 4 zero bytes, and then misreads it', (t) => {
  const run = (data: string): Violation[] => {
    const conv = started('qemu', 'libvfio-user');
    conv.observe({ seq: 2, from: 'server', bytes: encode(command(11, 1, { addr: 0x7000n, count: 8n })), fds: 0 });
    return conv.observe({ seq: 3, from: 'client', bytes: writeSample('qemu', 11, 'reply', { addr: 0x7000, count: 8, data }), fds: 0 }).violations;
  };
  const refused = run('deadbeef01020304');
  t.deepEqual(interopCodes(refused), ['ERR_INTEROP_REFUSED']);
  t.like(refused[0]!.interop, { kind: 'refused', errno: 'EINVAL' });
  const misread = run('0000000001020304');
  t.deepEqual(interopCodes(misread), ['ERR_INTEROP_MISREAD']);
  t.like(misread[0]!.interop, { kind: 'misread', fields: [{ field: 'data', readAt: 32, meantAt: 28 }] });
});

test('QEMU refuses a DMA command with fds (EINVAL) and one larger than its max_data_xfer_size (E2BIG)', (t) => {
  const withFd = started('qemu', 'libvfio-user').observe({ seq: 2, from: 'server', bytes: encode(command(11, 1, { addr: 0x7000n, count: 8n })), fds: 1 });
  t.like(withFd.violations.find((v) => v.code === 'ERR_INTEROP_REFUSED')?.interop, { kind: 'refused', errno: 'EINVAL' });
  const big = started('qemu', 'libvfio-user').observe({ seq: 2, from: 'server', bytes: encode(command(11, 1, { addr: 0x7000n, count: 2n * 1048576n })), fds: 0 });
  t.like(big.violations.find((v) => v.code === 'ERR_INTEROP_REFUSED')?.interop, { kind: 'refused', errno: 'E2BIG' });
});

test('QEMU answers ENOSYS to a server command other than DMA_READ and DMA_WRITE', (t) => {
  const unknown = new Uint8Array(16);
  const v = new DataView(unknown.buffer);
  v.setUint16(0, 9, true);
  v.setUint16(2, 99, true);
  v.setUint32(4, 16, true);
  const r = started('qemu', 'libvfio-user').observe({ seq: 2, from: 'server', bytes: unknown, fds: 0 });
  t.like(r.violations.find((x) => x.code === 'ERR_INTEROP_REFUSED')?.interop, { kind: 'refused', errno: 'ENOSYS' });
  const other = started('libvfio-user', 'libvfio-user').observe({ seq: 2, from: 'server', bytes: unknown, fds: 0 });
  t.deepEqual(interopCodes(other.violations), []);
});

test('SPDK\'s client sends the region fd with DMA_UNMAP, which the protocol sends without fds', (t) => {
  const conv = started('spdk', 'libvfio-user');
  const unmap = encode(command(3, 2, { argsz: 24, flags: 0, addr: 0x10000n, size: 0x1000n, bitmap: null }), { dialect: 'spdk' });
  conv.observe({ seq: 2, from: 'client', bytes: unmap, fds: 1 });
  const r = conv.observe({ seq: 3, from: 'server', bytes: encode(reply({ cmd: 3, msg_id: 2 }, { argsz: 24, flags: 0, addr: 0x10000n, size: 0x1000n, bitmap: null })), fds: 0 });
  t.true(r.violations.some((x) => x.code === 'ERR_FD_RULE'));
});

test('a QEMU client refuses a VERSION reply it does not take', (t) => {
  const cases: [string, object, number][] = [
    ['minor 1', { max_msg_fds: 8 }, 1],
    ['max_msg_fds 17', { max_msg_fds: 17 }, 0],
    ['max_data_xfer_size above 64 MiB', { max_data_xfer_size: 67108865 }, 0],
    ['max_dma_maps 65536', { max_dma_maps: 65536 }, 0],
    ['max_bitmap_size above 256 MiB', { migration: { pgsize: 4096, max_bitmap_size: 268435457 } }, 0],
    ['pgsizes not a multiple of 4 KiB', { pgsizes: 2048 }, 0],
    ['migration pgsize not a multiple of 4 KiB', { migration: { pgsize: 512 } }, 0],
  ];
  for (const [what, caps, minor] of cases) {
    const conv = new Conversation({ clientDialect: 'qemu', serverDialect: 'libvfio-user' });
    const [req, rep] = versionMessages(caps, minor);
    conv.observe({ seq: 0, from: 'client', bytes: encode(req), fds: 0 });
    const r = conv.observe({ seq: 1, from: 'server', bytes: encode(rep), fds: 0 });
    t.deepEqual(interopCodes(r.violations), ['ERR_INTEROP_REFUSED'], what);
  }
  const noJson = new Conversation({ clientDialect: 'qemu' });
  const [req] = versionMessages({});
  noJson.observe({ seq: 0, from: 'client', bytes: encode(req), fds: 0 });
  const bare = reply({ cmd: 1, msg_id: 1 }, { major: 0, minor: 0, data: new Uint8Array(0), json: null });
  t.deepEqual(interopCodes(noJson.observe({ seq: 1, from: 'server', bytes: encode(bare), fds: 0 }).violations), ['ERR_INTEROP_REFUSED'], 'no JSON');
  const fine = new Conversation({ clientDialect: 'qemu' });
  const [req2, rep2] = versionMessages({ max_msg_fds: 16, max_data_xfer_size: 67108864, max_dma_maps: 65535, pgsizes: 8192, migration: { pgsize: 4096, max_bitmap_size: 268435456 } });
  fine.observe({ seq: 0, from: 'client', bytes: encode(req2), fds: 0 });
  t.deepEqual(interopCodes(fine.observe({ seq: 1, from: 'server', bytes: encode(rep2), fds: 0 }).violations), [], 'every limit at its maximum');
  // Another client takes what QEMU refuses.
  const other = new Conversation({ clientDialect: 'libvfio-user' });
  const [req3, rep3] = versionMessages({ max_msg_fds: 17 }, 0);
  other.observe({ seq: 0, from: 'client', bytes: encode(req3), fds: 0 });
  t.deepEqual(interopCodes(other.observe({ seq: 1, from: 'server', bytes: encode(rep3), fds: 0 }).violations), []);
});

test('a QEMU client refuses a GET_INFO reply with more than 100 regions or 50 IRQ indexes', (t) => {
  const info = (num_regions: number, num_irqs: number): string[] => {
    const conv = started('qemu', 'libvfio-user');
    conv.observe({ seq: 2, from: 'client', bytes: encode(command(4, 2, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 })), fds: 0 });
    return interopCodes(conv.observe({ seq: 3, from: 'server', bytes: encode(reply({ cmd: 4, msg_id: 2 }, { argsz: 16, flags: 0, num_regions, num_irqs })), fds: 0 }).violations);
  };
  t.deepEqual(info(100, 50), []);
  t.deepEqual(info(101, 5), ['ERR_INTEROP_REFUSED']);
  t.deepEqual(info(9, 51), ['ERR_INTEROP_REFUSED']);
});

test('rust-vmm numbers DMA_UNMAP flags one bit off: libvfio-user refuses its UNMAP_ALL, rust-vmm misreads everybody else\'s ALL', (t) => {
  const f = fixtures.find((x) => x.name === 'dma-unmap-request-all-rust-vmm')!;
  const fromRust = started('rust-vmm', 'libvfio-user').observe({ seq: 2, from: 'client', bytes: fixtureBytes(f), fds: 0 });
  t.deepEqual(interopCodes(fromRust.violations), ['ERR_INTEROP_REFUSED']);
  const all = encode(command(3, 2, { argsz: 24, flags: 2, addr: 0n, size: 0n, bitmap: null }));
  const toRust = started('qemu', 'rust-vmm').observe({ seq: 2, from: 'client', bytes: all, fds: 0 });
  t.deepEqual(interopCodes(toRust.violations), ['ERR_INTEROP_MISREAD']);
  t.like(toRust.violations[0]!.interop, { kind: 'misread', fields: [{ field: 'flags', read: 'VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP', meant: 'VFIO_DMA_UNMAP_FLAG_ALL' }] });
});

test('rust-vmm\'s old error reply typed as a command decodes as an error reply in its dialect only, and answers the command', (t) => {
  const f = fixtures.find((x) => x.name === 'error-reply-rust-vmm-typed-as-command')!;
  const bytes = fixtureBytes(f);
  t.like(decode(bytes, { dialect: 'rust-vmm' }), { kind: 'error', flags: 0x20, error_no: 0 });
  throwsCode(t, () => decode(bytes), 'ERR_BAD_TYPE');
  const conv = started('libvfio-user', 'rust-vmm');
  conv.observe({ seq: 2, from: 'client', bytes: encode(command(3, 21, { argsz: 24, flags: 0, addr: 0x10000n, size: 0x1000n, bitmap: null })), fds: 0 });
  const r = conv.observe({ seq: 3, from: 'server', bytes, fds: 0 });
  t.is(r.message?.kind, 'error');
  t.is(conv.outstanding, 0);
});

test('DEVICE_RESET leaves the migration state with a libvfio-user server (since 4f4fce4) and returns it to RUNNING in the qemu dialect', (t) => {
  const states = (server: DialectName): number => {
    const conv = started('qemu', server);
    // RUNNING (2) to STOP (1), then a reset.
    const state = { argsz: 16, flags: 0x20002, data: { kind: 'mig_state', device_state: 1, data_fd: 0 } } as const;
    conv.observe({ seq: 2, from: 'client', bytes: encode(command(16, 2, state)), fds: 0 });
    conv.observe({ seq: 3, from: 'server', bytes: encode(reply({ cmd: 16, msg_id: 2 }, state)), fds: 0 });
    t.is(conv.deviceState, 1);
    conv.observe({ seq: 4, from: 'client', bytes: encode(command(13, 3, null)), fds: 0 });
    conv.observe({ seq: 5, from: 'server', bytes: encode(reply({ cmd: 13, msg_id: 3 }, null)), fds: 0 });
    return conv.deviceState;
  };
  t.is(states('libvfio-user'), 1);
  t.is(states('qemu'), 2);
});

test('a libvfio-user server refuses what its master branch refuses: commands in STOP, a short MIG_DATA_READ argsz, GET|SET without PROBE, an overlapping DMA_MAP', (t) => {
  const conv = started('qemu', 'libvfio-user');
  // MIG_DATA_READ only in PRE_COPY and STOP_COPY: RUNNING, then PRE_COPY (6).
  const running = conv.observe({ seq: 2, from: 'client', bytes: encode(command(17, 2, { argsz: 72, size: 64 })), fds: 0 });
  t.deepEqual(interopCodes(running.violations), ['ERR_INTEROP_REFUSED']);
  const preCopy = { argsz: 16, flags: 0x20002, data: { kind: 'mig_state', device_state: 6, data_fd: 0 } } as const;
  conv.observe({ seq: 2, from: 'client', bytes: encode(command(16, 20, preCopy)), fds: 0 });
  conv.observe({ seq: 2, from: 'server', bytes: encode(reply({ cmd: 16, msg_id: 20 }, preCopy)), fds: 0 });
  t.is(conv.deviceState, 6);
  const short = conv.observe({ seq: 2, from: 'client', bytes: encode(command(17, 2, { argsz: 8, size: 64 })), fds: 0 });
  t.like(short.violations.find((v) => v.code === 'ERR_INTEROP_REFUSED')?.interop, { kind: 'refused', errno: 'EINVAL' });
  const enough = conv.observe({ seq: 3, from: 'client', bytes: encode(command(17, 3, { argsz: 72, size: 64 })), fds: 0 });
  t.deepEqual(interopCodes(enough.violations), []);
  const write = conv.observe({ seq: 3, from: 'client', bytes: encode(command(18, 9, { argsz: 12, size: 4, data: Uint8Array.of(1, 2, 3, 4) })), fds: 0 });
  t.deepEqual(interopCodes(write.violations), ['ERR_INTEROP_REFUSED'], 'MIG_DATA_WRITE outside RESUMING');
  const getSet = conv.observe({ seq: 4, from: 'client', bytes: encode(command(16, 4, { argsz: 16, flags: 0x30001, data: { kind: 'raw', bytes: new Uint8Array(8) } })), fds: 0 });
  t.deepEqual(interopCodes(getSet.violations), ['ERR_INTEROP_REFUSED']);
  // PRE_COPY to STOP (through STOP_COPY): then only REGION_READ/WRITE, DEVICE_FEATURE and MIG_DATA_READ.
  const stop = { argsz: 16, flags: 0x20002, data: { kind: 'mig_state', device_state: 1, data_fd: 0 } } as const;
  conv.observe({ seq: 5, from: 'client', bytes: encode(command(16, 5, stop)), fds: 0 });
  conv.observe({ seq: 6, from: 'server', bytes: encode(reply({ cmd: 16, msg_id: 5 }, stop)), fds: 0 });
  const info = conv.observe({ seq: 7, from: 'client', bytes: encode(command(4, 6, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 })), fds: 0 });
  t.deepEqual(interopCodes(info.violations), ['ERR_INTEROP_REFUSED']);
  const read = conv.observe({ seq: 8, from: 'client', bytes: encode(command(9, 7, { offset: 0n, region: 0, count: 4 })), fds: 0 });
  t.deepEqual(interopCodes(read.violations), []);
  // A DMA_MAP that overlaps a window is refused; the exact duplicate is served.
  const maps = started('qemu', 'libvfio-user');
  const map = (id: number, addr: bigint, size: bigint): Uint8Array => encode(command(2, id, { argsz: 32, flags: 3, offset: 0n, addr, size }));
  maps.observe({ seq: 2, from: 'client', bytes: map(2, 0x10000n, 0x2000n), fds: 1 });
  maps.observe({ seq: 3, from: 'server', bytes: encode(reply({ cmd: 2, msg_id: 2 }, null)), fds: 0 });
  t.deepEqual(interopCodes(maps.observe({ seq: 4, from: 'client', bytes: map(3, 0x10000n, 0x2000n), fds: 1 }).violations), []);
  t.deepEqual(interopCodes(maps.observe({ seq: 5, from: 'client', bytes: map(4, 0x11000n, 0x2000n), fds: 1 }).violations), ['ERR_INTEROP_REFUSED']);
  t.deepEqual(interopCodes(maps.observe({ seq: 6, from: 'client', bytes: map(5, 0x12000n, 0x1000n), fds: 1 }).violations), []);
  // The default dialect describes the protocol, not one server's refusals.
  const plain = started('qemu', 'default').observe({ seq: 2, from: 'client', bytes: encode(command(17, 2, { argsz: 8, size: 64 })), fds: 0 });
  t.deepEqual(interopCodes(plain.violations), []);
});

test('a command its receiver refuses is legal traffic once an error reply shows it; a success reply or no reply reports it', (t) => {
  const overlap = (clientDialect: DialectName): { conv: Conversation; held: Violation[] } => {
    const conv = new Conversation({ clientDialect, serverDialect: 'libvfio-user' });
    const [req, rep] = versionMessages({ max_msg_fds: 8 });
    conv.observe({ seq: 0, from: 'client', bytes: encode(req), fds: 0 });
    conv.observe({ seq: 1, from: 'server', bytes: encode(rep), fds: 0 });
    const map = (id: number, addr: bigint): Uint8Array => encode(command(2, id, { argsz: 32, flags: 3, offset: 0n, addr, size: 0x2000n }));
    conv.observe({ seq: 2, from: 'client', bytes: map(2, 0x10000n), fds: 1 });
    conv.observe({ seq: 3, from: 'server', bytes: encode(reply({ cmd: 2, msg_id: 2 }, null)), fds: 0 });
    const held = conv.observe({ seq: 4, from: 'client', bytes: map(3, 0x11000n), fds: 1 }).violations;
    return { conv, held };
  };
  // Refused with EINVAL, as libvfio-user does: nothing to report.
  const refused = overlap('qemu');
  t.deepEqual(interopCodes(refused.held), [], 'held until the reply');
  const answered = refused.conv.observe({ seq: 5, from: 'server', bytes: encode(errorReply({ cmd: 2, msg_id: 3 }, 22)), fds: 0 });
  t.deepEqual(interopCodes(answered.violations), []);
  t.deepEqual(refused.conv.unanswered(), []);
  // Served: the refusal the dialect predicts is reported with the reply.
  const served = overlap('qemu');
  const ok = served.conv.observe({ seq: 5, from: 'server', bytes: encode(reply({ cmd: 2, msg_id: 3 }, null)), fds: 0 });
  t.deepEqual(interopCodes(ok.violations), ['ERR_INTEROP_REFUSED']);
  t.is(ok.violations.find((v) => v.code === 'ERR_INTEROP_REFUSED')?.seq, 4);
  // Never answered: unanswered() reports it, once.
  const silent = overlap('qemu');
  t.deepEqual(silent.conv.unanswered().map((v) => [v.code, v.seq]), [['ERR_INTEROP_REFUSED', 4]]);
  t.deepEqual(silent.conv.unanswered(), []);
});

// ---------------------------------------------------------------------------
// The chapter

/** The rows of the chapter's matrix: cells without Markdown escapes. */
function chapterRows(): string[][] {
  const doc = readFileSync(`${root}/generated/docs/protocol.md`, 'utf8');
  const start = doc.indexOf('\n### What the receiver does\n');
  const end = doc.indexOf('\n### ', start + 5);
  const rows = doc
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| `'));
  const unescape = (s: string): string => s.replace(/\\([\\|*_])/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return rows.map((l) =>
    l
      .slice(2, -2)
      .split(/(?<!\\) \| /)
      .map(unescape),
  );
}

test('the Interoperability chapter says what the checker finds, row by row', (t) => {
  const rows = chapterRows();
  t.true(rows.length >= 8, `${rows.length} rows`);
  const messages = new Set<string>();
  for (const [senderCell, receiverCell, messageCell, sampleName, said] of rows) {
    const sender = /^`([a-z-]+)` \((client|server)\)$/.exec(senderCell!)!;
    const receiver = /^`([a-z-]+)`$/.exec(receiverCell!)![1] as DialectName;
    const msg = /^\[(VFIO_USER_[A-Z_]+)\]\(#[^)]+\) (request|reply)$/.exec(messageCell!)!;
    const cmd = commands.find((c) => c.name === msg[1])!.cmd;
    const message = msg[2] as 'request' | 'reply';
    const sample = interopSamples.find((s) => s.cmd === cmd && s.message === message && s.name === sampleName)!;
    t.truthy(sample, `${cmd} ${message} ${sampleName}`);
    const from = sender[2] as Side;
    const dialects = from === 'client' ? { clientDialect: sender[1] as DialectName, serverDialect: receiver } : { clientDialect: receiver, serverDialect: sender[1] as DialectName };
    const conv = started(dialects.clientDialect, dialects.serverDialect);
    if (message === 'reply') {
      const to: Side = from === 'client' ? 'server' : 'client';
      conv.observe({ seq: 2, from: to, bytes: writeSample(receiver, cmd, 'request', sample.request!), fds: 0 });
    }
    const seen = conv.observe({ seq: 3, from, bytes: writeSample(sender[1] as DialectName, cmd, message, sample.values), fds: 0 }).violations.filter((v) => v.interop !== undefined);
    const found = seen.length === 0 ? 'accepts it as meant' : describeVerdict(seen[0]!.interop!);
    t.is(found, said ?? '', `${senderCell} to ${receiverCell}, ${messageCell}, ${sampleName}`);
    t.true(seen.length <= 1);
    messages.add(`${cmd} ${message}`);
  }
  // The chapter covers QEMU's DMA both ways and the rust-vmm flags.
  t.true(['11 request', '11 reply', '12 request', '12 reply', '3 request'].every((m) => messages.has(m)), [...messages].join(', '));
});
