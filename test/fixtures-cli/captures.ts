/**
 * The small captures the `vfio-user` command tests run on: one per
 * violation code of the conversation checker, a few legal ones, and a raw
 * and a hex stream. Built with the package's encoder; the files next to this
 * one are its output, and a test fails when they drift:
 *
 *     node dist/test/fixtures-cli/captures.js --write test/fixtures-cli
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { command, encode, errorReply, reply, type DialectName, type Message, type SocketName } from '../../src/index.js';
import { captureLine, toHex, type Direction } from '../../src/cli/capture.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** One message of a capture: direction, message (or raw bytes), fds, connection. */
interface Step {
  readonly dir: Direction;
  readonly message: Message | Uint8Array;
  readonly nfds?: number;
  readonly conn?: number;
  /** The socket it travels on; default: not said. */
  readonly socket?: SocketName;
  /** Dialect the sender writes with; default `default`. */
  readonly dialect?: DialectName;
}

function jsonl(steps: readonly Step[]): string {
  return steps
    .map((s, i) =>
      captureLine({
        seq: i + 1,
        conn: s.conn ?? null,
        dir: s.dir,
        nfds: s.nfds ?? 0,
        socket: s.socket ?? null,
        bytes: s.message instanceof Uint8Array ? s.message : encode(s.message, { dialect: s.dialect ?? 'default' }),
      }),
    )
    .join('\n')
    .concat('\n');
}

const CAPS = '{"capabilities":{"max_msg_fds":8,"max_data_xfer_size":1048576}}';
/** QEMU's client capabilities (its key set, as QEMU 10.2.2 sends them). */
const QEMU_CAPS =
  '{"capabilities": {"migration": {"pgsize": 4096, "max_bitmap_size": 268435456}, "max_msg_fds": 16, "max_data_xfer_size": 1048576, "pgsizes": 4096, "max_dma_maps": 65535, "write_multiple": true}}';
const CAPS_IOMMUFD = '{"capabilities":{"max_msg_fds":8,"iommufd":{"supported":true}}}';

function version(id: number, json = CAPS, minor = 2): Message {
  return command(1, id, { major: 0, minor, data: utf8(json), json: null });
}

function versionReply(id: number, json = CAPS, minor = 2): Message {
  return reply({ cmd: 1, msg_id: id }, { major: 0, minor, data: utf8(json), json: null });
}

/** VERSION and its reply, with the same JSON both ways. */
function hello(json = CAPS, conn?: number): Step[] {
  const c = conn === undefined ? {} : { conn };
  return [
    { dir: 'c2s', message: version(1, json), ...c },
    { dir: 's2c', message: versionReply(1, json), ...c },
  ];
}

const getInfo = (id: number): Message => command(4, id, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 });
const getInfoReply = (id: number): Message => reply({ cmd: 4, msg_id: id }, { argsz: 16, flags: 3, num_regions: 9, num_irqs: 5 });

function setState(id: number, state: number): Step[] {
  const body = { argsz: 16, flags: 0x20002, data: { kind: 'mig_state' as const, device_state: state, data_fd: 0 } };
  return [
    { dir: 'c2s', message: command(16, id, body) },
    { dir: 's2c', message: reply({ cmd: 16, msg_id: id }, body) },
  ];
}

/** A DMA_MAP whose body is 8 bytes instead of 32. */
const shortDmaMap = Uint8Array.from([0x02, 0x00, 0x02, 0x00, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0x03, 0, 0, 0]);

/** The JSONL captures by file name. */
export function jsonlCaptures(): Map<string, string> {
  const files = new Map<string, string>();
  const add = (name: string, steps: readonly Step[]): void => void files.set(`${name}.jsonl`, jsonl(steps));

  add('version-first', [
    { dir: 'c2s', message: getInfo(1) },
    { dir: 's2c', message: errorReply({ cmd: 4, msg_id: 1 }, 22) },
  ]);
  add('orphan-reply', [...hello(), { dir: 's2c', message: getInfoReply(7) }]);
  add('reply-to-no-reply', [
    ...hello(),
    { dir: 'c2s', message: command(10, 2, { offset: 0n, region: 0, count: 4, data: Uint8Array.of(1, 0, 0, 0) }, { noReply: true }) },
    { dir: 's2c', message: reply({ cmd: 10, msg_id: 2 }, { offset: 0n, region: 0, count: 4 }) },
  ]);
  add('fd-rule', [...hello(), { dir: 'c2s', message: getInfo(2), nfds: 1 }, { dir: 's2c', message: getInfoReply(2) }]);
  // The server does not advertise max_msg_fds: it takes 1 fd per message.
  add('fd-limit', [
    ...hello('{"capabilities":{}}'),
    { dir: 'c2s', message: command(8, 2, { argsz: 20, flags: 0x24, index: 2, start: 0, count: 2, data: new Uint8Array(0) }), nfds: 2 },
    { dir: 's2c', message: reply({ cmd: 8, msg_id: 2 }, null) },
  ]);
  add('xfer-size', [
    ...hello('{"capabilities":{"max_data_xfer_size":64}}'),
    { dir: 'c2s', message: command(9, 2, { offset: 0n, region: 0, count: 128 }) },
    { dir: 's2c', message: reply({ cmd: 9, msg_id: 2 }, { offset: 0n, region: 0, count: 128, data: new Uint8Array(128) }) },
  ]);
  add('iommufd-not-negotiated', [
    ...hello(),
    { dir: 'c2s', message: command(24, 2, { argsz: 16, flags: 0, iommufd: -1, out_devid: 0 }) },
    { dir: 's2c', message: reply({ cmd: 24, msg_id: 2 }, { argsz: 0, flags: 0, iommufd: 0, out_devid: 1 }) },
  ]);
  // PRE_COPY, STOP_COPY, then back to PRE_COPY: the one change the kernel forbids.
  add('migration-arc', [...hello(), ...setState(2, 6), ...setState(3, 3), ...setState(4, 6)]);
  add('unmap-unknown', [
    ...hello(),
    { dir: 'c2s', message: command(3, 2, { argsz: 24, flags: 0, addr: 0x10000n, size: 0x1000n, bitmap: null }) },
    { dir: 's2c', message: reply({ cmd: 3, msg_id: 2 }, { argsz: 24, flags: 0, addr: 0x10000n, size: 0x1000n, bitmap: null }) },
  ]);
  add('ioas-state', [
    ...hello(CAPS_IOMMUFD),
    { dir: 'c2s', message: command(25, 2, { argsz: 16, flags: 0, pt_id: 1, pasid: 0 }) },
    { dir: 's2c', message: reply({ cmd: 25, msg_id: 2 }, null) },
  ]);
  add('reply-mismatch', [
    ...hello(),
    { dir: 'c2s', message: command(9, 2, { offset: 0n, region: 7, count: 4 }) },
    { dir: 's2c', message: reply({ cmd: 9, msg_id: 2 }, { offset: 8n, region: 7, count: 4, data: Uint8Array.of(0xad, 0xde, 0xef, 0xbe) }) },
  ]);
  // A QEMU client (checked with --client-dialect qemu) against a libvfio-user server:
  // QEMU misreads the server's DMA_WRITE (data taken from message byte 28, 4 bytes early),
  // and the server refuses QEMU's bare-header reply.
  add('interop', [
    { dir: 'c2s', message: version(1, QEMU_CAPS, 0) },
    { dir: 's2c', message: versionReply(1, CAPS, 0) },
    { dir: 'c2s', message: command(2, 2, { argsz: 32, flags: 3, offset: 0n, addr: 0x20000n, size: 0x1000n }) },
    { dir: 's2c', message: reply({ cmd: 2, msg_id: 2 }, null) },
    { dir: 's2c', message: command(12, 1, { addr: 0x20000n, count: 8n, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }) },
    { dir: 'c2s', message: reply({ cmd: 12, msg_id: 1 }, null), dialect: 'qemu' },
  ]);
  // A DMA_MAP cut short, then a good exchange: decoding goes on after the bad message.
  add('undecodable', [...hello(), { dir: 'c2s', message: shortDmaMap }, { dir: 'c2s', message: getInfo(3) }, { dir: 's2c', message: getInfoReply(3) }]);
  add('version-major', [
    { dir: 'c2s', message: version(1) },
    { dir: 's2c', message: versionReply(1, CAPS, 3) },
  ]);
  add('wrong-sender', [
    ...hello(),
    { dir: 'c2s', message: command(11, 2, { addr: 0x20000n, count: 4n }) },
    { dir: 's2c', message: reply({ cmd: 11, msg_id: 2 }, { addr: 0x20000n, count: 4n, data: new Uint8Array(4) }) },
  ]);
  add('twin-socket', [
    { dir: 'c2s', message: version(1) },
    { dir: 's2c', message: versionReply(1, '{"capabilities":{"twin_socket":{"supported":true,"fd_index":0}}}'), nfds: 1 },
  ]);
  // Twin-socket mode: the server's commands and their replies on the twin socket, nothing else.
  const TWIN_ASK = '{"capabilities":{"max_msg_fds":8,"twin_socket":{"supported":true}}}';
  const TWIN_GRANT = '{"capabilities":{"max_msg_fds":8,"twin_socket":{"supported":true,"fd_index":0}}}';
  const dmaRead = (id: number): Message => command(11, id, { addr: 0x20000n, count: 4n });
  const dmaReadReply = (id: number): Message => reply({ cmd: 11, msg_id: id }, { addr: 0x20000n, count: 4n, data: new Uint8Array(4) });
  add('wrong-socket', [
    { dir: 'c2s', message: version(1, TWIN_ASK), socket: 'main' },
    { dir: 's2c', message: versionReply(1, TWIN_GRANT), nfds: 1, socket: 'main' },
    { dir: 's2c', message: dmaRead(1), socket: 'main' },
    { dir: 'c2s', message: dmaReadReply(1), socket: 'main' },
    { dir: 'c2s', message: getInfo(2), socket: 'twin' },
    { dir: 's2c', message: getInfoReply(2), socket: 'twin' },
    { dir: 's2c', message: dmaRead(2), socket: 'twin' },
    { dir: 'c2s', message: dmaReadReply(2), socket: 'main' },
    { dir: 's2c', message: dmaRead(3), socket: 'twin' },
    { dir: 'c2s', message: dmaReadReply(3), socket: 'twin' },
  ]);
  // Bad requests answered with errors: legal traffic.
  add('legal-errors', [
    ...hello(),
    { dir: 'c2s', message: command(3, 2, { argsz: 24, flags: 0, addr: 0x30000n, size: 0x1000n, bitmap: null }) },
    { dir: 's2c', message: errorReply({ cmd: 3, msg_id: 2 }, 2) },
    { dir: 'c2s', message: command(9, 3, { offset: 0n, region: 0xdeadbeef, count: 4 }) },
    { dir: 's2c', message: errorReply({ cmd: 9, msg_id: 3 }, 22) },
    { dir: 'c2s', message: command(24, 4, { argsz: 16, flags: 0, iommufd: -1, out_devid: 0 }) },
    { dir: 's2c', message: errorReply({ cmd: 24, msg_id: 4 }, 22) },
    { dir: 'c2s', message: getInfo(5), nfds: 1 },
    { dir: 's2c', message: errorReply({ cmd: 4, msg_id: 5 }, 22) },
  ]);
  // Two connections, interleaved, with the same msg_ids: connection 2 starts without VERSION.
  add('two-connections', [
    ...hello(CAPS, 1),
    { dir: 'c2s', message: getInfo(2), conn: 2 },
    { dir: 'c2s', message: getInfo(2), conn: 1 },
    { dir: 's2c', message: getInfoReply(2), conn: 2 },
    { dir: 's2c', message: getInfoReply(2), conn: 1 },
  ]);
  return files;
}

/** The client's side of a short session as one raw stream, and the same as hex text. */
export function streamCaptures(): Map<string, string | Uint8Array> {
  const messages = [version(1), getInfo(2), command(2, 3, { argsz: 32, flags: 3, offset: 0n, addr: 0x10000n, size: 0x1000n }), command(13, 4, null)];
  const parts = messages.map((m) => encode(m));
  const raw = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    raw.set(p, o);
    o += p.length;
  }
  const hex = ['# the client side of a short session, one message per line', ...parts.map((p) => toHex(p))].join('\n').concat('\n');
  // The same stream with the GET_INFO body cut to 8 bytes (msg_size 24), then cut short in the last message.
  const broken = Uint8Array.from([...parts[0]!, ...parts[1]!.subarray(0, 24), ...parts[2]!, ...parts[3]!.subarray(0, 10)]);
  new DataView(broken.buffer).setUint32(parts[0]!.length + 4, 24, true);
  return new Map<string, string | Uint8Array>([
    ['client.bin', raw],
    ['client.hex', hex],
    ['broken.bin', broken],
  ]);
}

/** Every file of test/fixtures-cli/ this module builds. */
export function allCaptures(): Map<string, string | Uint8Array> {
  return new Map<string, string | Uint8Array>([...jsonlCaptures(), ...streamCaptures()]);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] === '--write' ? process.argv[3] : undefined;
  if (dir === undefined) {
    process.stderr.write('usage: node dist/test/fixtures-cli/captures.js --write DIR\n');
    process.exitCode = 2;
  } else {
    for (const [name, content] of allCaptures()) writeFileSync(join(dir, name), content);
    process.stdout.write(`wrote ${allCaptures().size} files to ${dir}\n`);
  }
}
