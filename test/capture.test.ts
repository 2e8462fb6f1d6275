/**
 * The public capture API (vfio-user-protocol/capture): JSONL with time,
 * raw, hex and pcapng read as streams with bounded memory; the writers; and
 * the decode command's streaming, filters and summary, run in-process.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { appendFileSync, createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CaptureWriter,
  DEFAULT_MAX_LINE_BYTES,
  followFile,
  PCAPNG_SNAPLEN,
  PcapngReader,
  readCapture,
  readCaptureStream,
  toPcapng,
  VfioUserCaptureError,
  type CaptureRecord,
} from '../src/capture/index.js';
import { parseArgs } from 'node:util';
import { decodeCommand, encodeCommand, layoutCommand, pcapCommand, type Output } from '../src/cli/commands.js';
import { optionWords, UsageError } from '../src/cli/errors.js';
import { exampleSession } from '../src/cli/example.js';
import { exampleRecords } from './helpers/fixture.js';
import { useColour } from '../src/cli/view.js';
import { VfioUserError } from '../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The example session as a file: without FILE the command would read standard input. */
const EXAMPLE = join(root, 'examples/session.jsonl');
const example: CaptureRecord[] = exampleRecords();

test('the built-in example session is the one declared in spec/fixtures/session.ts', (t) => {
  t.true(example.length > 80);
  t.deepEqual(
    exampleSession().map((r) => ({ ...r, bytes: Uint8Array.from(r.bytes) })),
    example,
  );
});

function tmp(t: import('ava').ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'vfio-user-capture-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function collect(source: AsyncIterable<CaptureRecord>): Promise<CaptureRecord[]> {
  const out: CaptureRecord[] = [];
  for await (const r of source) out.push(r);
  return out;
}

function jsonl(records: readonly CaptureRecord[]): string {
  const lines: string[] = [];
  const w = new CaptureWriter({ write: (c) => lines.push(String(c)) }, 'jsonl', null);
  for (const r of records) w.write(r);
  return lines.join('');
}

function sink(): Output & { text(): string; bytes(): Buffer } {
  const chunks: Buffer[] = [];
  return { write: (c) => void chunks.push(Buffer.from(c)), text: () => Buffer.concat(chunks).toString('utf8'), bytes: () => Buffer.concat(chunks) };
}

function codeOf(e: unknown): string | undefined {
  return e instanceof VfioUserError ? e.code : undefined;
}

test('a JSONL capture read in chunks of every size gives the same records as read whole', async (t) => {
  const text = Buffer.from(jsonl(example.slice(0, 12)));
  const whole = readCapture(text).records;
  t.is(whole.length, 12);
  for (const size of [1, 2, 7, 64, 1000]) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < text.length; i += size) chunks.push(text.subarray(i, i + size));
    const got = await collect(readCaptureStream(chunks));
    t.deepEqual(got.map((r) => [r.seq, r.dir, r.nfds, Buffer.from(r.bytes).toString('hex')]), whole.map((r) => [r.seq, r.dir, r.nfds, Buffer.from(r.bytes).toString('hex')]), `chunks of ${size}`);
  }
});

test('JSONL lines keep a time, written to the microsecond and read back', (t) => {
  const lines: string[] = [];
  let now = 1733450000.123456;
  const w = new CaptureWriter({ write: (c) => lines.push(String(c)) }, 'jsonl', () => (now += 0.000001));
  w.write({ dir: 'c2s', nfds: 0, conn: 3, socket: null, bytes: example[0]!.bytes });
  const [r] = readCapture(Buffer.from(lines.join(''))).records;
  t.is(r!.time, 1733450000.123457);
  t.is(r!.conn, 3);
  t.is(r!.seq, 1);
  t.regex(lines[0]!, /^\{"seq":1,"time":1733450000\.123457,"conn":3,"dir":"c2s","nfds":0,"hex":"/);
});

test('an endless line stops at maxLineBytes with ERR_CAPTURE_LINE_LENGTH, having held no more than that', async (t) => {
  for (const format of ['jsonl', 'raw', 'hex', undefined] as const) {
    let pulled = 0;
    const zeros = Buffer.alloc(65536, format === 'hex' ? 0x30 : format === 'jsonl' ? 0x20 : 0);
    const endless = (function* () {
      for (;;) {
        pulled += zeros.length;
        yield zeros;
      }
    })();
    const options = format === undefined ? { maxLineBytes: 1 << 20 } : { format, maxLineBytes: 1 << 20 };
    const e = await t.throwsAsync(collect(readCaptureStream(endless, options)));
    t.is(codeOf(e), 'ERR_CAPTURE_LINE_LENGTH', String(format));
    t.true(e instanceof VfioUserCaptureError);
    t.true(pulled <= (1 << 20) + 2 * 65536, `${format}: read ${pulled} bytes`);
  }
  t.is(DEFAULT_MAX_LINE_BYTES, 4 * 1024 * 1024);
});

test('malformed captures are ERR_CAPTURE_FORMAT', async (t) => {
  const cases: [string, Uint8Array, 'jsonl' | 'pcapng' | undefined][] = [
    ['not JSON', Buffer.from('{"hex":"00"}\nnope\n'), 'jsonl'],
    ['no hex', Buffer.from('{"seq":1}\n'), undefined],
    ['bad time', Buffer.from('{"hex":"00","time":"noon"}\n'), undefined],
    ['pcapng without a section header', Buffer.from('00000000000000000000000000000000', 'hex'), 'pcapng'],
  ];
  for (const [name, bytes, format] of cases) {
    const e = await t.throwsAsync(collect(readCaptureStream([bytes], format === undefined ? {} : { format })));
    t.is(codeOf(e), 'ERR_CAPTURE_FORMAT', name);
  }
});

test('pcapng keeps every message with its direction, socket, fd count, connection, seq and time', (t) => {
  const records: CaptureRecord[] = [
    { ...example[0]!, time: 1733450000.5, conn: 7, socket: 'main' },
    { ...example[1]!, time: 1733450000.500001, conn: 'qemu-1', socket: 'twin' },
    { ...example[2]!, dir: null, nfds: null },
    ...example.slice(3),
  ];
  const file = toPcapng(records);
  const reader = new PcapngReader(1 << 20);
  const back: CaptureRecord[] = [];
  for (let i = 0; i < file.length; i += 100) back.push(...reader.push(file.subarray(i, i + 100)));
  reader.end();
  t.is(back.length, records.length);
  for (let i = 0; i < records.length; i++) {
    const a = records[i]!;
    const b = back[i]!;
    t.deepEqual([b.seq, b.dir, b.nfds, b.conn, b.socket, b.time ?? null, Buffer.from(b.bytes).toString('hex')], [a.seq, a.dir, a.nfds, a.conn, a.socket, a.time ?? null, Buffer.from(a.bytes).toString('hex')]);
  }
});

test('pcapng cuts a message above the snap length and keeps its original length', (t) => {
  const big = new Uint8Array(PCAPNG_SNAPLEN + 100);
  const file = toPcapng([{ seq: 1, dir: 'c2s', nfds: 0, conn: null, socket: null, bytes: big }]);
  const [r] = new PcapngReader(1 << 20).push(file);
  t.true(r!.bytes.length < big.length);
  t.true(r!.bytes.length > PCAPNG_SNAPLEN - 64);
  const v = new DataView(file.buffer, file.byteOffset);
  const epb = file.length - (12 + 20 + Math.ceil((PCAPNG_SNAPLEN) / 4) * 4);
  t.is(v.getUint32(epb + 24, true), 4 + 20 + 4 + 16 + big.length, 'original length');
});

test('followFile yields what a file holds, then what is appended, until aborted', async (t) => {
  const dir = tmp(t);
  const file = join(dir, 'live.jsonl');
  writeFileSync(file, jsonl(example.slice(0, 1)));
  const ac = new AbortController();
  const it = readCaptureStream(followFile(file, { signal: ac.signal }), { format: 'jsonl' })[Symbol.asyncIterator]();
  const first = await it.next();
  t.is(first.value?.seq, 1);
  appendFileSync(file, jsonl(example.slice(1, 2)));
  const second = await it.next();
  t.is(second.value?.seq, 2);
  ac.abort();
  const end = await it.next();
  t.true(end.done);
});

const haveMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

(haveMkfifo ? test : test.skip)('decode prints the lines of a named pipe as they come, before the writer closes it (skips without mkfifo)', async (t) => {
  const dir = tmp(t);
  const fifo = join(dir, 'pipe');
  t.is(spawnSync('mkfifo', [fifo]).status, 0);
  let sawLine!: () => void;
  const firstLine = new Promise<void>((resolve) => (sawLine = resolve));
  const out: string[] = [];
  const done = decodeCommand({}, [fifo], {
    write: (c) => {
      out.push(String(c));
      sawLine();
    },
  });
  // Opened off the event loop: opening a FIFO blocks until its reader opens it too.
  const fh = await open(fifo, 'w');
  await fh.write(jsonl(example.slice(0, 1)));
  await firstLine;
  t.regex(out.join(''), /VFIO_USER_VERSION/);
  await fh.write(jsonl(example.slice(1, 2)));
  await fh.close();
  t.is(await done, 0);
  t.is(out.join('').trim().split('\n').length, 2);
});

test('decode --stats counts commands, replies and errors per command', async (t) => {
  const o = sink();
  t.is(await decodeCommand({ stats: true }, [EXAMPLE], o), 0);
  const rows = o.text().trim().split('\n');
  t.regex(rows[0]!, /^command\s+commands\s+replies\s+errors\s+undecoded\s+bytes\s+fds$/);
  const total = rows.at(-1)!.split(/\s+/);
  t.is(total[0], 'total');
  t.is(Number(total[1]) + Number(total[2]) + Number(total[3]), example.length);
  t.regex(o.text(), /^VFIO_USER_DMA_MAP\s+2\s+2\s+0\s+0/m);
});

test('decode --cmd, --conn and --errors keep only the matching messages', async (t) => {
  const byCmd = sink();
  await decodeCommand({ cmd: 'dma_map,VFIO_USER_DMA_UNMAP' }, [EXAMPLE], byCmd);
  const lines = byCmd.text().trim().split('\n');
  t.true(lines.length >= 4);
  t.true(lines.every((l) => /VFIO_USER_DMA_(UN)?MAP /.test(l)), lines.join('\n'));
  const errors = sink();
  await decodeCommand({ errors: true }, [EXAMPLE], errors);
  const e = errors.text().trim().split('\n');
  t.true(e.length >= 1);
  t.true(e.every((l) => / error /.test(l)), e.join('\n'));
  const dir = tmp(t);
  const file = join(dir, 'two.jsonl');
  writeFileSync(file, jsonl([{ ...example[0]!, conn: 1 }, { ...example[1]!, conn: 1 }, { ...example[0]!, conn: 2, seq: 3 }]));
  const conn = sink();
  await decodeCommand({ conn: '2' }, [file], conn);
  t.deepEqual(conn.text().trim().split('\n').map((l) => l.trim().split(/\s+/)[0]), ['3']);
  const err = await t.throwsAsync(decodeCommand({ cmd: 'DMA_MAPP' }, [EXAMPLE], sink()));
  t.true(err instanceof UsageError);
});

test('decode shows a relative-time column when the capture has times, and truncates hexdumps unless --full', async (t) => {
  const dir = tmp(t);
  const file = join(dir, 'timed.jsonl');
  writeFileSync(file, jsonl([{ ...example[0]!, time: 100.25 }, { ...example[1]!, time: 100.5 }]));
  const o = sink();
  await decodeCommand({ verbose: true }, [file], o);
  t.regex(o.text(), /^ +\+0\.000000 +1 c2s/m);
  t.regex(o.text(), /^ +\+0\.250000 +2 s2c/m);
  // 200 bytes of an unknown command: shown as a hexdump.
  const unknown = Buffer.alloc(200, 0x41);
  unknown.writeUInt16LE(1, 0);
  unknown.writeUInt16LE(99, 2);
  unknown.writeUInt32LE(200, 4);
  unknown.writeUInt32LE(0, 8);
  unknown.writeUInt32LE(0, 12);
  const raw = join(dir, 'unknown.jsonl');
  writeFileSync(raw, jsonl([{ seq: 1, dir: 'c2s', nfds: 0, conn: null, socket: null, bytes: unknown }]));
  const short = sink();
  await decodeCommand({ verbose: true }, [raw], short);
  t.regex(short.text(), /0010  41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41  \|AAAAAAAAAAAAAAAA\|/, 'an ASCII column');
  t.regex(short.text(), /\.\.\. 136 more bytes \(--full shows them\)/);
  const full = sink();
  await decodeCommand({ verbose: true, full: true }, [raw], full);
  t.notRegex(full.text(), /more bytes/);
  t.regex(full.text(), /00c0  41 41 41 41 41 41 41 41/);
});

test('colours only on a terminal, never with NO_COLOR, and --color decides when given', (t) => {
  t.true(useColour(undefined, true, {}, 'decode'));
  t.false(useColour(undefined, false, {}, 'decode'));
  t.false(useColour(undefined, true, { NO_COLOR: '1' }, 'decode'));
  t.true(useColour(undefined, true, { NO_COLOR: '' }, 'decode'));
  t.true(useColour('always', false, { NO_COLOR: '1' }, 'decode'));
  t.false(useColour('never', true, {}, 'decode'));
  t.throws(() => useColour('sometimes', true, {}, 'decode'), { instanceOf: UsageError });
});

test('pcap writes pcapng that reads back as the capture, and refuses to write binary to a terminal', async (t) => {
  const o = sink();
  t.is(await pcapCommand({}, [EXAMPLE], o), 0);
  const back = readCapture(o.bytes()).records;
  t.is(back.length, example.length);
  t.deepEqual(back.map((r) => r.dir), example.map((r) => r.dir));
  const tty = { write: () => undefined, isTTY: true };
  t.true((await t.throwsAsync(pcapCommand({}, [EXAMPLE], tty))) instanceof UsageError);
  const file = join(tmp(t), 'out.pcapng');
  const said = sink();
  await pcapCommand({ write: file }, [EXAMPLE], said);
  t.regex(said.text(), new RegExp(`wrote ${example.length} messages`));
  const fromFile = await collect(readCaptureStream(createReadStream(file)));
  t.is(fromFile.length, example.length);
});

test('encode: defaults for flags and error_no from kind, and coded errors for a missing field, an unknown command name and a message above maxMessageSize', async (t) => {
  const dir = tmp(t);
  const run = async (lines: readonly unknown[], values: Record<string, string | boolean> = {}): Promise<string> => {
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const o = sink();
    await encodeCommand(values, [file], o);
    return o.text();
  };
  t.is(await run([{ command: 'DEVICE_RESET', msg_id: 1, kind: 'error', error_no: 22 }]), '01000d00100000002100000016000000\n');
  t.is(await run([{ command: 'VFIO_USER_DEVICE_RESET', msg_id: 2, kind: 'command' }]), '02000d00100000000000000000000000\n');
  const codeAndField = async (lines: readonly unknown[], values: Record<string, string | boolean> = {}): Promise<[string | undefined, string | undefined]> => {
    const e = await t.throwsAsync(run(lines, values));
    return [codeOf(e), e instanceof VfioUserError ? e.details.field : undefined];
  };
  t.deepEqual(await codeAndField([{ command: 'DEVICE_RESET', kind: 'command' }]), ['ERR_ENCODE_FIELD', 'msg_id']);
  t.deepEqual(await codeAndField([{ command: 'DEVICE_RESET', msg_id: 1 }]), ['ERR_ENCODE_FIELD', 'flags']);
  t.deepEqual(await codeAndField([{ msg_id: 1, kind: 'command' }]), ['ERR_ENCODE_FIELD', 'cmd']);
  t.deepEqual(await codeAndField([{ command: 'DMA_MAPP', msg_id: 1, kind: 'command' }]), ['ERR_UNKNOWN_COMMAND', undefined]);
  t.deepEqual(await codeAndField([{ command: 'DMA_MAP', msg_id: 1, kind: 'command', body: { argsz: 32, flags: 3, offset: '0', addr: '0x1000' } }]), ['ERR_ENCODE_FIELD', 'size']);
  const big = { command: 'REGION_WRITE', msg_id: 1, kind: 'command', body: { offset: '0', region: 0, count: 1536 * 1024, data: '00'.repeat(1536 * 1024) } };
  t.deepEqual(await codeAndField([big]), ['ERR_MESSAGE_TOO_LARGE', undefined]);
  t.is((await run([big], { 'allow-large': true })).length, 2 * (32 + 1536 * 1024) + 1);
});

test('unknown options and missing values are worded for people', (t) => {
  const words = (args: string[]): string => {
    try {
      parseArgs({ args, options: { cmd: { type: 'string' }, stats: { type: 'boolean' } }, strict: true, allowPositionals: false });
    } catch (e) {
      return optionWords(e as Error & { code?: string });
    }
    return 'parsed';
  };
  t.is(words(['--bogus']), "unknown option '--bogus'");
  t.is(words(['--cmd']), "option '--cmd' needs a value");
  t.is(words(['--stats=yes']), "option '--stats' takes no value");
  t.is(words(['file']), "unexpected argument 'file'");
});

test('layout takes --output like every other command (and still --format)', async (t) => {
  const a = sink();
  const b = sink();
  layoutCommand({ output: 'json' }, [], a);
  layoutCommand({ format: 'json' }, [], b);
  t.true((JSON.parse(a.text()) as unknown[]).length > 100);
  t.is(a.text(), b.text());
  t.throws(() => layoutCommand({ output: 'xml' }, [], sink()), { instanceOf: UsageError });
});
