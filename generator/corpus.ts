/**
 * Generates generated/corpus/: raw message bytes, one file per seed, for
 * libFuzzer/AFL-style fuzzers of any implementation, and manifest.json
 * saying what each seed shows.
 *
 * Seeds are every fixture of the catalogue, plus edge cases written here
 * byte by byte: maximum sizes, zero counts, every flag combination, error
 * replies with every errno the references report, and deliberately invalid
 * messages (their names carry `invalid`).
 *
 * Names: `NN-<command>-request[-case].bin`, `NN-<command>-reply[-case].bin`,
 * `NN-<command>-error[-case].bin`, NN the two-digit command number.
 */
import { commands } from '../spec/commands.js';
import { fixtures, invalidFixtures } from '../spec/fixtures/index.js';
import type { FixtureSpec } from '../spec/types.js';

/** One seed of the manifest. */
export interface SeedEntry {
  readonly file: string;
  readonly cmd: number;
  readonly command: string;
  readonly kind: 'request' | 'reply' | 'error';
  /** Whether a strict decoder accepts it (with `drafts` for draft seeds). */
  readonly valid: boolean;
  /** File descriptors that travel with the message. */
  readonly fds: number;
  readonly dialect: string;
  readonly drafts: boolean;
  readonly doc: string;
  /** The fixture it comes from, if any. */
  readonly fixture?: string;
  /**
   * Seeds too big to ship in the package: their length, and their bytes up
   * to the last non-zero one (hex); the rest are zeros.
   */
  readonly size?: number;
  readonly prefix?: string;
}

/** Seeds above this size are described in the manifest by `size` and `prefix`. */
export const SHIPPED_SEED_MAX = 65536;

const DIR = 'generated/corpus';

function shortName(cmd: number): string {
  const c = commands.find((x) => x.cmd === cmd);
  return c === undefined ? 'unknown' : c.name.replace(/^VFIO_USER_/, '').toLowerCase().replace(/_/g, '-');
}

/** The C name of a command number, or `UNKNOWN(n)`. */
function commandLabel(cmd: number): string {
  return commands.find((c) => c.cmd === cmd)?.name ?? `UNKNOWN(${cmd})`;
}

function fileName(cmd: number, kind: SeedEntry['kind'], caseName: string): string {
  const nn = String(cmd).padStart(2, '0');
  return `${nn}-${shortName(cmd)}-${kind}${caseName === '' ? '' : `-${caseName}`}.bin`;
}

/** The case part of a fixture's seed name: its name without the command's name and the kind word. */
function caseOf(f: FixtureSpec, cmd: number, kind: SeedEntry['kind']): string {
  const drop = new Set([...shortName(cmd).split('-'), kind, kind === 'request' ? 'command' : kind, 'vfio', 'user']);
  const words = f.name.split('-').filter((w) => !drop.has(w));
  return words.join('-');
}

function hexBytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Little-endian byte writer for the edge cases. */
class Bytes {
  readonly #parts: number[] = [];
  u16(x: number): this {
    this.#parts.push(x & 0xff, (x >>> 8) & 0xff);
    return this;
  }
  u32(x: number): this {
    this.#parts.push(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff);
    return this;
  }
  u64(x: bigint): this {
    return this.u32(Number(x & 0xffffffffn)).u32(Number(x >> 32n));
  }
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.#parts.push(bytes[i]!);
    return this;
  }
  get length(): number {
    return this.#parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.#parts);
  }
}

/** A whole message: header with msg_size = 16 + body (or `size` when given), then the body. */
function message(msgId: number, cmd: number, flags: number, body: Uint8Array, errorNo = 0, size?: number): Uint8Array {
  return new Bytes()
    .u16(msgId)
    .u16(cmd)
    .u32(size ?? 16 + body.length)
    .u32(flags)
    .u32(errorNo)
    .raw(body)
    .done();
}

interface Edge {
  readonly cmd: number;
  readonly kind: SeedEntry['kind'];
  readonly caseName: string;
  readonly bytes: Uint8Array;
  readonly valid: boolean;
  readonly doc: string;
  readonly fds?: number;
}

const COMMAND = 0;
const REPLY = 1;
const ERROR = 0x21;

function edgeCases(): Edge[] {
  const e: Edge[] = [];
  const access = (offset: bigint, region: number, count: number): Bytes => new Bytes().u64(offset).u32(region).u32(count);
  // Maximum sizes.
  const max = 1048576;
  e.push({
    cmd: 10,
    kind: 'request',
    caseName: 'max-size',
    bytes: message(1, 10, COMMAND, access(0n, 1, max).raw(new Uint8Array(max)).done()),
    valid: true,
    doc: 'REGION_WRITE of 1 MiB: msg_size 1048608, the largest libvfio-user accepts.',
  });
  e.push({
    cmd: 10,
    kind: 'request',
    caseName: 'invalid-over-max-size',
    bytes: message(1, 10, COMMAND, access(0n, 1, max + 1).done(), 0, 16 + 16 + max + 1),
    valid: false,
    doc: 'REGION_WRITE header announcing 1 MiB + 1 byte of data (msg_size 1048609), body cut after the access struct.',
  });
  // Zero counts.
  e.push({ cmd: 9, kind: 'request', caseName: 'count-0', bytes: message(2, 9, COMMAND, access(0n, 0, 0).done()), valid: true, doc: 'REGION_READ of 0 bytes.' });
  e.push({ cmd: 9, kind: 'reply', caseName: 'count-0-empty', bytes: message(2, 9, REPLY, new Uint8Array(0)), valid: true, doc: 'The empty reply libvfio-user sends to a 0-byte REGION_READ.' });
  e.push({ cmd: 10, kind: 'request', caseName: 'count-0', bytes: message(3, 10, COMMAND, access(0n, 0, 0).done()), valid: true, doc: 'REGION_WRITE of 0 bytes.' });
  e.push({ cmd: 17, kind: 'reply', caseName: 'end-of-stream', bytes: message(4, 17, REPLY, new Bytes().u32(8).u32(0).done()), valid: true, doc: 'MIG_DATA_READ reply with size 0: the end of the migration stream.' });
  e.push({
    cmd: 6,
    kind: 'reply',
    caseName: 'count-0',
    bytes: message(5, 6, REPLY, new Bytes().u32(16).u32(0).u32(0).u32(0).done()),
    valid: true,
    doc: 'GET_REGION_IO_FDS reply for a region without sub-regions.',
  });
  e.push({
    cmd: 15,
    kind: 'request',
    caseName: 'no-writes',
    bytes: message(6, 15, 0x10, new Bytes().u64(0n).done()),
    valid: true,
    doc: 'REGION_WRITE_MULTI with wr_cnt 0, sent with NO_REPLY.',
  });
  // Every valid DMA_MAP flag combination (MMAP and FILE_IO exclude each other and need an fd).
  for (let flags = 0; flags < 16; flags++) {
    if ((flags & 0xc) === 0xc) continue;
    const fds = (flags & 0xc) !== 0 ? 1 : flags === 0 ? 0 : 1;
    e.push({
      cmd: 2,
      kind: 'request',
      caseName: `flags-${flags.toString(16)}`,
      bytes: message(10 + flags, 2, COMMAND, new Bytes().u32(32).u32(flags).u64(0n).u64(0x10000n * BigInt(flags + 1)).u64(0x1000n).done()),
      valid: true,
      fds,
      doc: `DMA_MAP with flags 0x${flags.toString(16)}${fds === 1 ? ' and one fd' : ''}.`,
    });
  }
  e.push({
    cmd: 2,
    kind: 'request',
    caseName: 'invalid-mmap-and-file-io',
    bytes: message(30, 2, COMMAND, new Bytes().u32(32).u32(0xf).u64(0n).u64(0x10000n).u64(0x1000n).done()),
    valid: false,
    fds: 1,
    doc: 'DMA_MAP with MMAP and FILE_IO together (EINVAL).',
  });
  // Every SET_IRQS action with every data type.
  const actions = [
    [0x08, 'mask'],
    [0x10, 'unmask'],
    [0x20, 'trigger'],
  ] as const;
  const datas = [
    [0x01, 'none'],
    [0x02, 'bool'],
    [0x04, 'eventfd'],
  ] as const;
  for (const [a, an] of actions) {
    for (const [d, dn] of datas) {
      const count = 2;
      const body = new Bytes().u32(20 + (d === 0x02 ? count : 0)).u32(a | d).u32(1).u32(0).u32(count);
      if (d === 0x02) body.raw([1, 0]);
      e.push({
        cmd: 8,
        kind: 'request',
        caseName: `${an}-${dn}`,
        bytes: message(40 + a + d, 8, COMMAND, body.done()),
        valid: true,
        fds: d === 0x04 ? count : 0,
        doc: `SET_IRQS ACTION_${an.toUpperCase()}|DATA_${dn.toUpperCase()} on vectors 0-1 of MSI.`,
      });
    }
  }
  e.push({
    cmd: 8,
    kind: 'request',
    caseName: 'invalid-two-actions',
    bytes: message(90, 8, COMMAND, new Bytes().u32(20).u32(0x08 | 0x20 | 0x01).u32(1).u32(0).u32(1).done()),
    valid: false,
    doc: 'SET_IRQS with two actions (EINVAL).',
  });
  // DEVICE_FEATURE operation bits on every feature index the protocol defines.
  for (const feature of [1, 2, 6, 7, 8]) {
    e.push({
      cmd: 16,
      kind: 'request',
      caseName: `probe-${feature}`,
      bytes: message(100 + feature, 16, COMMAND, new Bytes().u32(8).u32(0x40000 | feature).done()),
      valid: true,
      doc: `DEVICE_FEATURE PROBE of feature ${feature}.`,
    });
  }
  // Error replies with the errno values the references report.
  for (const [errno, name, cmd] of [
    [22, 'einval', 4],
    [2, 'enoent', 3],
    [28, 'enospc', 2],
    [95, 'enotsup', 16],
    [16, 'ebusy', 20],
    [17, 'eexist', 24],
    [12, 'enomem', 19],
    [19, 'enodev', 12],
    [14, 'efault', 11],
    [38, 'enosys', 11],
    [0, 'zero', 13],
  ] as const) {
    e.push({ cmd, kind: 'error', caseName: `errno-${errno}-${name}`, bytes: message(200 + errno, cmd, ERROR, new Uint8Array(0), errno), valid: true, doc: `Error reply with error_no ${errno}.` });
  }
  e.push({ cmd: 13, kind: 'error', caseName: 'invalid-errno-4097', bytes: message(250, 13, ERROR, new Uint8Array(0), 4097), valid: false, doc: 'Error reply with error_no 4097, above the largest libvfio-user accepts.' });
  // Deliberately invalid framing and bodies.
  e.push({ cmd: 13, kind: 'request', caseName: 'invalid-msg-size-8', bytes: message(1, 13, COMMAND, new Uint8Array(0), 0, 8), valid: false, doc: 'msg_size 8, below the header: a stream cannot be resynchronised.' });
  e.push({ cmd: 13, kind: 'request', caseName: 'invalid-truncated-header', bytes: message(1, 13, COMMAND, new Uint8Array(0)).subarray(0, 10), valid: false, doc: 'A header cut after 10 bytes.' });
  e.push({ cmd: 13, kind: 'request', caseName: 'invalid-type-2', bytes: message(1, 13, 2, new Uint8Array(0)), valid: false, doc: 'Message type 2.' });
  e.push({ cmd: 13, kind: 'request', caseName: 'invalid-body', bytes: message(1, 13, COMMAND, Uint8Array.of(0, 0, 0, 0)), valid: false, doc: 'DEVICE_RESET with a body.' });
  e.push({
    cmd: 10,
    kind: 'request',
    caseName: 'invalid-count-mismatch',
    bytes: message(1, 10, COMMAND, access(0n, 0, 8).raw([1, 2, 3, 4]).done()),
    valid: false,
    doc: 'REGION_WRITE whose count (8) exceeds its data (4 bytes).',
  });
  const cap = (id: number, next: number): Bytes => new Bytes().u16(id).u16(1).u32(next);
  const regionInfo = (flags: number, capOffset: number, caps: Uint8Array): Uint8Array =>
    new Bytes()
      .u32(32 + caps.length)
      .u32(flags)
      .u32(1)
      .u32(capOffset)
      .u64(0x3000n)
      .u64(0n)
      .raw(caps)
      .done();
  e.push({ cmd: 5, kind: 'reply', caseName: 'invalid-cap-loop', bytes: message(1, 5, REPLY, regionInfo(0xf, 32, cap(3, 32).done())), valid: false, doc: 'A capability whose next points to itself.' });
  e.push({ cmd: 5, kind: 'reply', caseName: 'invalid-cap-outside', bytes: message(1, 5, REPLY, regionInfo(0xf, 32, cap(3, 0x1000).done())), valid: false, doc: 'A capability whose next points past the reply.' });
  e.push({
    cmd: 6,
    kind: 'reply',
    caseName: 'invalid-stride-44',
    bytes: message(1, 6, REPLY, new Bytes().u32(16 + 88).u32(0).u32(0).u32(2).raw(new Uint8Array(88)).done()),
    valid: false,
    doc: 'GET_REGION_IO_FDS reply with 2 entries of 44 bytes.',
  });
  const json = (text: string, nul = true): Uint8Array =>
    new Bytes()
      .u16(0)
      .u16(2)
      .raw(new TextEncoder().encode(text))
      .raw(nul ? [0] : [])
      .done();
  e.push({ cmd: 1, kind: 'request', caseName: 'invalid-json-no-nul', bytes: message(1, 1, COMMAND, json('{"capabilities":{}}', false)), valid: false, doc: 'VERSION JSON without its NUL.' });
  e.push({ cmd: 1, kind: 'request', caseName: 'invalid-json-duplicate-key', bytes: message(1, 1, COMMAND, json('{"capabilities":{"max_msg_fds":1,"max_msg_fds":2}}')), valid: false, doc: 'VERSION JSON with a duplicate key.' });
  e.push({ cmd: 1, kind: 'request', caseName: 'invalid-json-depth-100', bytes: message(1, 1, COMMAND, json(`${'['.repeat(100)}${']'.repeat(100)}`)), valid: false, doc: 'VERSION JSON nested 100 deep.' });
  e.push({ cmd: 1, kind: 'request', caseName: 'proto-key', bytes: message(1, 1, COMMAND, json('{"__proto__":{"x":1},"capabilities":{"constructor":1}}')), valid: true, doc: 'VERSION JSON with __proto__ and constructor keys: plain unknown keys.' });
  e.push({ cmd: 1, kind: 'request', caseName: 'invalid-iommufd-not-boolean', bytes: message(1, 1, COMMAND, json('{"capabilities":{"iommufd":{"supported":1}}}')), valid: false, doc: 'iommufd.supported of the wrong type.' });
  return e;
}

function sizeAndPrefix(bytes: Uint8Array): { size: number; prefix: string } {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  if (end > SHIPPED_SEED_MAX) throw new Error(`corpus: a seed of ${bytes.length} bytes is not mostly zeros`);
  return { size: bytes.length, prefix: Buffer.from(bytes.subarray(0, end)).toString('hex') };
}

/** The corpus files and manifest.json, by path. */
export function generateCorpus(): Map<string, string | Uint8Array> {
  const files = new Map<string, string | Uint8Array>();
  const manifest: SeedEntry[] = [];
  const add = (entry: SeedEntry, bytes: Uint8Array): void => {
    if (files.has(`${DIR}/${entry.file}`)) throw new Error(`corpus: two seeds named ${entry.file}`);
    files.set(`${DIR}/${entry.file}`, bytes);
    manifest.push(bytes.length > SHIPPED_SEED_MAX ? { ...entry, ...sizeAndPrefix(bytes) } : entry);
  };
  for (const f of fixtures) {
    const cmd = f.message['cmd'] as number;
    const k = f.message['kind'] as string;
    const kind: SeedEntry['kind'] = k === 'command' ? 'request' : k === 'reply' ? 'reply' : 'error';
    const caseName = caseOf(f, cmd, kind);
    add(
      {
        file: fileName(cmd, kind, caseName),
        cmd,
        command: commandLabel(cmd),
        kind,
        valid: true,
        fds: f.fds,
        dialect: f.dialect ?? 'default',
        drafts: f.drafts === true,
        doc: f.doc,
        fixture: f.name,
      },
      hexBytes(f.bytes.map(([, h]) => h).join('')),
    );
  }
  for (const f of invalidFixtures) {
    const bytes = hexBytes(f.bytes.map(([, h]) => h).join(''));
    const cmd = bytes.length >= 4 ? bytes[2]! | (bytes[3]! << 8) : 0;
    const type = bytes.length >= 12 ? bytes[8]! & 0xf : 0;
    const kind: SeedEntry['kind'] = type === 0 ? 'request' : (bytes[8]! & 0x20) !== 0 ? 'error' : 'reply';
    add(
      {
        file: fileName(cmd, kind, `invalid-${f.name}`),
        cmd,
        command: commandLabel(cmd),
        kind,
        valid: false,
        fds: f.fds,
        dialect: f.dialect ?? 'default',
        drafts: false,
        doc: `${f.doc} Expected: ${f.error.code} at offset ${f.error.offset}.`,
        fixture: f.name,
      },
      bytes,
    );
  }
  for (const edge of edgeCases()) {
    add(
      {
        file: fileName(edge.cmd, edge.kind, edge.caseName),
        cmd: edge.cmd,
        command: commandLabel(edge.cmd),
        kind: edge.kind,
        valid: edge.valid,
        fds: edge.fds ?? 0,
        dialect: 'default',
        drafts: false,
        doc: edge.doc,
      },
      edge.bytes,
    );
  }
  manifest.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const doc = {
    $comment: 'Generated from spec/ by generator/corpus.ts (npm run generate). Do not edit.',
    description: 'vfio-user fuzz seeds: one whole message per file, header included. fds: file descriptors that travel with the message (SCM_RIGHTS). valid: whether a strict decoder accepts it (drafts: with the draft extension on). Invalid seeds carry "invalid" in their name. size, prefix: a seed the package does not ship (too big), given by its length and its bytes in hex up to the last non-zero one; the rest are zeros.',
    seeds: manifest,
  };
  files.set(`${DIR}/manifest.json`, `${JSON.stringify(doc, null, 2)}\n`);
  return files;
}
