/**
 * The `vfio-user` command on the captures of test/fixtures-cli/ and on the
 * built-in example session: run in this process through `main(argv, io)`,
 * and a few times as the real command in a child process.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { exampleRecords } from './helpers/fixture.js';
import { generateCorpus } from '../generator/corpus.js';
import { layoutRows } from '../generator/layout.js';
import { conversations } from '../spec/fixtures/conversations.js';
import { COMMAND_NAMES } from '../src/constants.js';
import { main as cliMain } from '../src/cli/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const main = join(root, 'dist/src/cli/main.js');
const fixtures = join(root, 'test/fixtures-cli');
const fixture = (name: string): string => join(fixtures, name);

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly bytes: Buffer;
}

/** Runs the command line `args` in this process, with `input` (or nothing) on a piped standard input. */
async function run(args: readonly string[], input?: string | Uint8Array): Promise<Run> {
  const out: Buffer[] = [];
  let stderr = '';
  const stdin = Object.assign(Readable.from(input === undefined ? [] : [Buffer.from(input)]), { isTTY: false });
  const status = await cliMain(args, {
    write: (chunk) => void out.push(Buffer.from(chunk)),
    isTTY: false,
    env: process.env,
    stderr: { write: (text: string) => (stderr += text) },
    stdin,
  });
  const bytes = Buffer.concat(out);
  return { status, stdout: bytes.toString('utf8'), stderr, bytes };
}

/** Runs the real command, `node dist/src/cli/main.js`, in a child process, feeding `input` (or nothing) to its standard input. */
function runChild(args: readonly string[], input?: string | Uint8Array): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => {
      const bytes = Buffer.concat(out);
      resolve({ status, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), bytes });
    });
    child.stdin.end(input === undefined ? undefined : Buffer.from(input));
  });
}

function outLines(r: Run): string[] {
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** `[seq, code]` of every violation line of `check`'s text output. */
function violations(r: Run): [number, string][] {
  const out: [number, string][] = [];
  for (const line of outLines(r)) {
    const m = /^\s*(\d+)\s+(ERR_[A-Z_]+)\s/.exec(line);
    if (m !== null) out.push([Number(m[1]), m[2]!]);
  }
  return out;
}

/** No stack trace on stderr. */
function noStack(t: import('ava').ExecutionContext, r: Run): void {
  t.false(/\n\s+at /.test(r.stderr), r.stderr);
}

// ---------------------------------------------------------------------------
// Committed files

test('package.json names the vfio-user bin, and the entry starts with a node shebang', (t) => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin?: Record<string, string>; files?: string[]; scripts?: Record<string, string> };
  t.is(pkg.bin?.['vfio-user'], './dist/src/cli/main.js');
  t.true(pkg.files?.includes('examples'));
  t.is(pkg.scripts?.['prepare'], 'npm run build && npm run build:addon');
  t.true(readFileSync(main, 'utf8').startsWith('#!/usr/bin/env node\n'));
});

// ---------------------------------------------------------------------------
// The example session

test('decode without a file shows the example: every command 1-26, replies, error replies and fds', async (t) => {
  const r = await run(['decode']);
  t.is(r.status, 0, r.stderr);
  const lines = outLines(r);
  t.is(lines.length, exampleRecords().length);
  t.regex(lines[0]!, /^ {3}1 c2s {2}id=1 +VFIO_USER_VERSION +command {2}major=0 minor=2 caps=\{max_msg_fds:16,/);
  t.regex(lines[1]!, /^ {3}2 s2c {2}id=1 +VFIO_USER_VERSION +reply {4}major=0 minor=2 caps=\{max_msg_fds:8,.*iommufd:\{supported:true\}\}$/);
  for (let cmd = 1; cmd <= 26; cmd++) {
    const name = COMMAND_NAMES[cmd]!;
    t.true(
      lines.some((l) => new RegExp(` ${name} +command( |$)`).test(l)),
      `${name} is sent`,
    );
  }
  t.true(lines.some((l) => / VFIO_USER_REGION_READ +error {4}EINVAL \(22\)$/.test(l)));
  t.true(lines.some((l) => / VFIO_USER_DMA_UNMAP +error {4}ENOENT \(2\)$/.test(l)));
  t.true(lines.some((l) => / VFIO_USER_DIRTY_PAGES +error {4}EINVAL \(22\)$/.test(l)));
  t.true(lines.some((l) => / VFIO_USER_IOMMUFD_IOAS_COPY +error {4}EINVAL \(22\)$/.test(l)));
  t.true(lines.some((l) => / VFIO_USER_REGION_WRITE_MULTI +command {2}NO_REPLY /.test(l)));
  t.true(lines.some((l) => / VFIO_USER_DMA_MAP +command {2}flags=READ\|WRITE offset=0x0 addr=0x10000 size=0x1000 fds=1$/.test(l)));
  t.true(lines.some((l) => / VFIO_USER_DEVICE_SET_IRQS +command .* fds=4$/.test(l)));
  t.true(lines.some((l) => / VFIO_USER_IOMMUFD_IOAS_MAP +command .* fds=1$/.test(l)));
  t.true(lines.some((l) => / VFIO_USER_DEVICE_GET_REGION_INFO +reply .*caps=\[sparse_mmap\(.*areas=\[0x0\+0x1000,0x2000\+0x1000\]\)\] fds=1$/.test(l)));
  t.true(lines.some((l) => / VFIO_USER_DEVICE_FEATURE +command .*flags=SET\|MIG_DEVICE_STATE device_state=STOP_COPY/.test(l)));
});

test('decode aligns its columns', async (t) => {
  const lines = outLines(await run(['decode']));
  const kindAt = lines.map((l) => l.search(/ (command|reply|error)( |$)/));
  t.true(kindAt.every((k) => k === kindAt[0] && k > 0), 'the type column starts at one offset');
  const nameAt = lines.map((l) => l.indexOf('VFIO_USER_'));
  t.true(nameAt.every((k) => k === nameAt[0]), 'the command column starts at one offset');
});

test('decode -v prints every field as a tree', async (t) => {
  const r = await run(['decode', '-v']);
  t.is(r.status, 0);
  t.true(r.stdout.includes('\n      header: vfio_user_header\n        msg_id: 1\n        cmd: 1 (VFIO_USER_VERSION)\n'));
  t.regex(r.stdout, /\n {6}body: vfio_user_dma_map\n {8}argsz: 32\n {8}flags: 0x3 \(READ\|WRITE\)\n {8}offset: 0x0 \(0\)\n {8}addr: 0x10000 \(65536\)\n {8}size: 0x1000 \(4096\)\n {6}fds: 1\n/);
  t.regex(r.stdout, /caps: 1 entry\n {10}\[0\]: sparse_mmap \(vfio_region_info_cap_sparse_mmap\)\n {12}header: vfio_info_cap_header\n {14}id: 1 \(SPARSE_MMAP\)/);
  t.regex(r.stdout, /iommufd: -1\n/);
});

test('the example is a legal conversation (check) and re-encodes byte for byte (verify)', async (t) => {
  const n = exampleRecords().length;
  const c = await run(['check']);
  t.is(c.status, 0, c.stdout);
  t.deepEqual(outLines(c), [`${n} messages, 0 violations`]);
  const cf = await run(['check', join(root, 'examples/session.jsonl')]);
  t.is(cf.status, 0, cf.stdout);
  const v = await run(['verify', join(root, 'examples/session.jsonl')]);
  t.is(v.status, 0, v.stdout);
  t.deepEqual(outLines(v), [`${n} messages, ${n} ok, 0 failed`]);
});

// ---------------------------------------------------------------------------
// check on captures that break each rule

/** Every conversation of spec/fixtures that breaks a rule, with the options that judge it and what check reports. */
const EXPECTED = conversations
  .filter((c) => c.violations.length > 0)
  .map((c) => [`${c.name}.jsonl`, c.dialects?.client === undefined ? [] : ['--client-dialect', c.dialects.client], c.violations] as const);

test('every rule of the checker has a conversation that breaks it', (t) => {
  t.true(EXPECTED.length >= 18, `${EXPECTED.length} conversations`);
});

for (const [file, args, found] of EXPECTED) {
  test(`check ${file} reports ${found.map(([s, c]) => `${c} at seq ${s}`).join(', ')} and exits 1`, async (t) => {
    const r = await run(['check', ...args, fixture(file)]);
    t.is(r.status, 1, r.stderr);
    t.deepEqual(violations(r), found.map(([s, c]) => [s, c]));
    const last = outLines(r).at(-1)!;
    t.regex(last, new RegExp(`^\\d+ messages, ${found.length} violations?$`));
  });
}

test('check passes bad requests answered with error replies', async (t) => {
  const r = await run(['check', fixture('legal-errors.jsonl')]);
  t.is(r.status, 0, r.stdout);
  t.deepEqual(outLines(r), ['10 messages, 0 violations']);
});

test('check keeps each connection a conversation of its own', async (t) => {
  const r = await run(['check', fixture('two-connections.jsonl')]);
  t.regex(r.stdout, /^ {3}3 {2}ERR_VERSION_FIRST {2}#2 c2s id=2 VFIO_USER_DEVICE_GET_INFO: /m);
});

test('check --output json writes one object per violation', async (t) => {
  const r = await run(['check', '--output', 'json', fixture('unmap-unknown.jsonl')]);
  t.is(r.status, 1);
  const objs = outLines(r).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.is(objs.length, 1);
  t.like(objs[0]!, { seq: 3, code: 'ERR_UNMAP_UNKNOWN', cmd: 3, command: 'VFIO_USER_DMA_UNMAP', msg_id: 2 });
});

test('check --output json carries the interop verdict: the data offset QEMU reads, the errno libvfio-user answers', async (t) => {
  const r = await run(['check', '--client-dialect', 'qemu', '--output', 'json', fixture('interop.jsonl')]);
  t.is(r.status, 1);
  const objs = outLines(r).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.like(objs[0]!, { seq: 5, code: 'ERR_INTEROP_MISREAD', interop: { kind: 'misread', fields: [{ field: 'data', readAt: 28, meantAt: 32 }] } });
  t.like(objs[1]!, { seq: 6, code: 'ERR_INTEROP_REFUSED', interop: { kind: 'refused', errno: 'EINVAL' } });
});

test('the real command: decode, verify and check read a pipe on standard input when no FILE is given', async (t) => {
  const capture = readFileSync(fixture('unmap-unknown.jsonl'));
  const decoded = await runChild(['decode'], capture);
  t.is(decoded.status, 0);
  t.is(outLines(decoded).length, capture.toString('utf8').trim().split('\n').length);
  t.is(decoded.stderr, '');
  const checked = await runChild(['check'], capture);
  t.is(checked.status, 1);
  t.deepEqual(violations(checked), [[3, 'ERR_UNMAP_UNKNOWN']]);
  const verified = await runChild(['verify'], capture);
  t.is(verified.status, 0);
  t.is(verified.stderr, '');
});

test('the real command: the built-in example without input, and a usage error exits 2 without a stack trace', async (t) => {
  // The build leaves the command executable, as npm exec (npx vfio-user in a clone) runs it by its path.
  t.not(statSync(main).mode & 0o111, 0, `${main} is not executable`);
  const example = await runChild(['decode']);
  t.is(example.status, 0);
  t.regex(example.stderr, /built-in example/);
  t.true(outLines(example).length > 50);
  const bad = await runChild(['frobnicate']);
  t.is(bad.status, 2);
  t.is(bad.stderr, "vfio-user: unknown command 'frobnicate'\nTry 'vfio-user --help'.\n");
  t.is(bad.stdout, '');
});

test('the built-in example is announced on stderr when standard input holds nothing', async (t) => {
  const r = await run(['decode']);
  t.is(r.status, 0);
  t.regex(r.stderr, /built-in example/);
  t.is(r.stderr.trim().split('\n').length, 1);
  const withFile = await run(['decode', fixture('unmap-unknown.jsonl')]);
  t.is(withFile.stderr, '');
});

test('a client that looks like QEMU and no dialect: one note on stderr suggesting --client-dialect qemu', async (t) => {
  for (const command of ['decode', 'verify', 'check']) {
    const r = await run([command, fixture('interop.jsonl')]);
    const notes = r.stderr.split('\n').filter((l) => l.includes('--client-dialect qemu'));
    t.is(notes.length, 1, `${command}: ${r.stderr}`);
  }
  const given = await run(['check', '--client-dialect', 'qemu', fixture('interop.jsonl')]);
  t.is(given.stderr, '');
  const other = await run(['check', fixture('unmap-unknown.jsonl')]);
  t.is(other.stderr, '');
});

test('check -v lists the messages before the violations', async (t) => {
  const r = await run(['check', '-v', fixture('fd-rule.jsonl')]);
  t.is(r.status, 1);
  const lines = r.stdout.split('\n');
  t.regex(lines[2]!, /^ {3}3 c2s {2}id=2 {2}VFIO_USER_DEVICE_GET_INFO +command {2}fds=1$/);
  t.deepEqual(violations(r), [[3, 'ERR_FD_RULE']]);
});

test('check without dir infers each sender from its command', async (t) => {
  const r = await run(['check', fixture('client.bin')]);
  t.is(r.status, 0, r.stdout);
  t.deepEqual(outLines(r), ['note: 4 commands still await a reply', '4 messages, 0 violations']);
});

// ---------------------------------------------------------------------------
// decode: errors in place, input formats, dialects

test('decode shows a decoding error in place and goes on', async (t) => {
  const r = await run(['decode', fixture('undecodable.jsonl')]);
  t.is(r.status, 1);
  const lines = outLines(r);
  t.is(lines.length, 5);
  t.regex(lines[2]!, /^ {3}3 c2s {2}id=2 {2}VFIO_USER_DMA_MAP +command {2}!! ERR_BODY_SHORT at offset 16: /);
  t.regex(lines[4]!, /VFIO_USER_DEVICE_GET_INFO +reply {4}flags=RESET\|PCI num_regions=9 num_irqs=5$/);
});

test('decode frames a raw stream by msg_size and goes on after a bad body', async (t) => {
  const r = await run(['decode', fixture('broken.bin')]);
  t.is(r.status, 1);
  const lines = outLines(r);
  t.is(lines.length, 4);
  t.regex(lines[1]!, /VFIO_USER_DEVICE_GET_INFO +command {2}!! ERR_BODY_SHORT at offset 16: /);
  t.regex(lines[2]!, /VFIO_USER_DMA_MAP +command {2}flags=READ\|WRITE offset=0x0 addr=0x10000 size=0x1000$/);
  t.regex(lines[3]!, /!! ERR_NEED_MORE at offset 0: /);
});

test('raw, hex and jsonl captures are told apart, and - reads standard input', async (t) => {
  const fromRaw = await run(['decode', fixture('client.bin')]);
  const fromHex = await run(['decode', fixture('client.hex')]);
  const explicit = await run(['decode', '--input', 'raw', fixture('client.bin')]);
  const stdin = await run(['decode', '-'], readFileSync(fixture('client.hex')));
  t.is(fromRaw.status, 0, fromRaw.stderr);
  t.is(outLines(fromRaw).length, 4);
  t.is(fromHex.stdout, fromRaw.stdout);
  t.is(explicit.stdout, fromRaw.stdout);
  t.is(stdin.stdout, fromRaw.stdout);
  t.regex(outLines(fromRaw)[3]!, /^ {3}4 {2}id=4 {2}VFIO_USER_DEVICE_RESET +command$/);
  const withDir = await run(['decode', '--dir', 'c2s', fixture('client.bin')]);
  t.regex(outLines(withDir)[0]!, /^ {3}1 c2s {2}id=1 /);
});

test('each message is decoded with the dialect of its sender', async (t) => {
  const mixed = await run(['decode', '--client-dialect', 'qemu', fixture('interop.jsonl')]);
  t.is(mixed.status, 0, mixed.stdout);
  t.regex(outLines(mixed)[5]!, /^ {3}6 c2s {2}id=1 {2}VFIO_USER_DMA_WRITE +reply$/);
  const plain = await run(['decode', fixture('interop.jsonl')]);
  t.is(plain.status, 1);
  t.regex(outLines(plain)[5]!, /VFIO_USER_DMA_WRITE +reply {4}!! ERR_/);
  // libvfio-user's DMA_WRITE read with QEMU's layout: msg_size 40 is 32 + count 8, so it
  // decodes, and the data it finds at message byte 28 is the count's high half, then 4 bytes.
  const qemu = await run(['decode', '--dialect', 'qemu', fixture('interop.jsonl')]);
  t.regex(outLines(qemu)[4]!, /VFIO_USER_DMA_WRITE +command {2}!! ERR_BAD_VALUE/);
});

// ---------------------------------------------------------------------------
// JSON form and encode

test('decode --output json: header numbers, C field names, u64 as decimal strings, signed fields signed, tails as hex', async (t) => {
  const r = await run(['decode', '--output', 'json']);
  t.is(r.status, 0);
  const objs = outLines(r).map((l) => JSON.parse(l) as Record<string, unknown>);
  t.deepEqual(objs[0]!['seq'], 1);
  t.like(objs[0]!, { dir: 'c2s', nfds: 0, kind: 'command', cmd: 1, command: 'VFIO_USER_VERSION', msg_id: 1, flags: 0, error_no: 0 });
  const map = objs.find((o) => o['cmd'] === 2 && o['kind'] === 'command')!;
  t.deepEqual(map['body'], { argsz: 32, flags: 3, offset: '0', addr: '65536', size: '4096' });
  t.is(map['nfds'], 1);
  const bind = objs.find((o) => o['cmd'] === 24 && o['kind'] === 'command')!;
  t.deepEqual(bind['body'], { argsz: 16, flags: 0, iommufd: -1, out_devid: 0 });
  const read = objs.find((o) => o['cmd'] === 9 && o['kind'] === 'reply')!;
  t.deepEqual(read['body'], { offset: '0', region: 7, count: 4, data: 'addeefbe' });
  const error = objs.find((o) => o['kind'] === 'error')!;
  t.like(error, { cmd: 9, flags: 0x21, error_no: 22, body: '' });
});

test('decode --output json | encode --output jsonl gives back the capture byte for byte', async (t) => {
  const cases: [string, string[]][] = [
    [join(root, 'examples/session.jsonl'), []],
    ...readdirSync(fixtures)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f): [string, string[]] => [fixture(f), f === 'interop.jsonl' ? ['--client-dialect', 'qemu'] : []]),
  ];
  for (const [file, args] of cases) {
    const json = await run(['decode', '--output', 'json', ...args, file]);
    const back = await run(['encode', '--output', 'jsonl', ...args], json.stdout);
    t.is(back.status, 0, `${file}: ${back.stderr}`);
    t.is(back.stdout, readFileSync(file, 'utf8'), file);
  }
});

test('encode writes hex lines and raw bytes', async (t) => {
  const json = (await run(['decode', '--output', 'json', fixture('client.bin')])).stdout;
  const hex = await run(['encode'], json);
  t.is(hex.status, 0, hex.stderr);
  t.deepEqual(
    outLines(hex),
    readFileSync(fixture('client.hex'), 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
  const raw = await run(['encode', '--output', 'raw', '-'], json);
  t.true(raw.bytes.equals(readFileSync(fixture('client.bin'))));
});

test('encode takes a hand-written message: command by name, u64 as decimal or 0x strings, kind from flags', async (t) => {
  const line = '{"command":"VFIO_USER_DMA_MAP","msg_id":1,"flags":0,"body":{"argsz":32,"flags":3,"offset":"0","addr":"0x10000","size":"4096"}}\n';
  const r = await run(['encode'], line);
  t.is(r.status, 0, r.stderr);
  // The bytes of the catalogue's dma-map-request-fd fixture.
  const want = ['01000200300000000000000000000000', '2000000003000000', '0000000000000000', '0000010000000000', '0010000000000000'].join('');
  t.is(r.stdout, `${want}\n`);
});

test('encode reports a line that is not a message, without a stack trace', async (t) => {
  const notJson = await run(['encode'], '{"kind":\n');
  t.is(notJson.status, 2);
  t.regex(notJson.stderr, /^vfio-user: line 1: not JSON/);
  noStack(t, notJson);
  const missing = await run(['encode'], '\n{"kind":"command","cmd":2,"msg_id":1,"flags":0,"error_no":0,"body":{"argsz":32,"flags":3,"offset":"0","addr":"65536"}}\n');
  t.is(missing.status, 2);
  t.regex(missing.stderr, /^vfio-user: line 2: .*ERR_ENCODE_FIELD/);
  noStack(t, missing);
  const badU64 = await run(['encode'], '{"kind":"command","cmd":2,"msg_id":1,"flags":0,"error_no":0,"body":{"argsz":32,"flags":3,"offset":0.5,"addr":"1","size":"1"}}\n');
  t.is(badU64.status, 2);
  t.regex(badU64.stderr, /line 1: body\.offset must be a u64/);
});

// ---------------------------------------------------------------------------
// verify, layout, corpus

test('verify reports each message that does not come back, and exits 1', async (t) => {
  const r = await run(['verify', fixture('broken.bin')]);
  t.is(r.status, 1);
  const lines = outLines(r);
  t.is(lines.length, 3);
  t.regex(lines[0]!, /^ {3}2 {2}id=2 {2}VFIO_USER_DEVICE_GET_INFO +FAIL {2}does not decode: ERR_BODY_SHORT at offset 16/);
  t.regex(lines[1]!, /^ {3}4 .*FAIL {2}does not decode: ERR_NEED_MORE/);
  t.is(lines[2], '4 messages, 2 ok, 2 failed');
  const ok = await run(['verify', '-v', fixture('client.hex')]);
  t.is(ok.status, 0);
  t.is(outLines(ok).filter((l) => / ok$/.test(l)).length, 4);
  t.is(outLines(ok).at(-1), '4 messages, 4 ok, 0 failed');
});

test('layout lists every struct field from the spec, as TSV or JSON', async (t) => {
  const rows = layoutRows();
  const tsv = await run(['layout']);
  t.is(tsv.status, 0);
  t.deepEqual(outLines(tsv), ['struct\tfield\toffset\tsize', ...rows.map((r) => `${r.struct}\t${r.field}\t${r.offset}\t${r.size}`)]);
  t.true(outLines(tsv).includes('vfio_user_dma_map\taddr\t16\t8'));
  const json = await run(['layout', '--format', 'json']);
  t.deepEqual(JSON.parse(json.stdout), rows);
});

test('corpus DIR writes the generated corpus without its generated/corpus/ prefix', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vfio-user-corpus-'));
  try {
    const r = await run(['corpus', dir]);
    t.is(r.status, 0, r.stderr);
    const want = new Map([...generateCorpus()].map(([p, c]) => [p.replace(/^generated\/corpus\//, ''), c]));
    t.is(r.stdout, `wrote ${want.size} file${want.size === 1 ? '' : 's'} to ${dir}\n`);
    const written: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else written.push(relative(dir, p));
      }
    };
    walk(dir);
    t.deepEqual(written.sort(), [...want.keys()].sort());
    for (const [p, c] of want) t.true(readFileSync(join(dir, p)).equals(Buffer.from(typeof c === 'string' ? Buffer.from(c, 'utf8') : c)), p);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------
// Help and usage errors

test('--help for the command and each subcommand', async (t) => {
  const top = await run(['--help']);
  t.is(top.status, 0);
  t.regex(top.stdout, /^Usage: vfio-user <command>/);
  t.regex(top.stdout, /Exit status: 0 ok; 1 violations or failures; 2 usage or input error\./);
  for (const sub of ['decode', 'verify', 'check', 'encode', 'layout', 'corpus']) {
    const r = await run([sub, '--help']);
    t.is(r.status, 0, sub);
    t.regex(r.stdout, new RegExp(`^Usage: vfio-user ${sub}`), sub);
    t.is((await run(['help', sub])).stdout, r.stdout);
  }
});

test('usage and input errors exit 2 with a message on stderr and no stack trace', async (t) => {
  const cases: [string[], RegExp][] = [
    [[], /^Usage: vfio-user/],
    [['frobnicate'], /^vfio-user: unknown command 'frobnicate'\nTry 'vfio-user --help'\.\n$/],
    [['decode', '--bogus'], /^vfio-user: .*'--bogus'.*\nTry 'vfio-user decode --help'\.\n$/],
    [['decode', '--output', 'xml'], /^vfio-user: --output must be one of text, json, pcapng; got 'xml'\n/],
    [['check', '--client-dialect', 'kvm'], /^vfio-user: --client-dialect must be one of default, libvfio-user, qemu, rust-vmm, spdk; got 'kvm'\n/],
    [['decode', join(fixtures, 'no-such-file.jsonl')], /^vfio-user: cannot read .*no-such-file\.jsonl: no such file\n$/],
    [['decode', 'a', 'b'], /^vfio-user: one FILE at most; got 2\n/],
    [['corpus'], /^vfio-user: corpus needs a DIR\n/],
    [['layout', '--format', 'csv'], /^vfio-user: --format must be one of tsv, json; got 'csv'\n/],
  ];
  for (const [args, re] of cases) {
    const r = await run(args);
    t.is(r.status, 2, args.join(' '));
    t.regex(r.stderr, re, args.join(' '));
    t.is(r.stdout, '', args.join(' '));
    noStack(t, r);
  }
  const badLine = await run(['decode', '-'], '{"hex":"0100"}\nnot json\n');
  t.is(badLine.status, 2);
  t.regex(badLine.stderr, /^vfio-user: line 2: not JSON/);
  const badHex = await run(['decode', '--input', 'jsonl', '-'], '{"hex":"abc"}\n');
  t.regex(badHex.stderr, /^vfio-user: line 1: hex: odd number of hex digits \(ERR_CAPTURE_FORMAT\)\n$/);
  const badDir = await run(['decode', '-'], '{"hex":"00","dir":"up"}\n');
  t.regex(badDir.stderr, /^vfio-user: line 1: dir must be "c2s" or "s2c" \(ERR_CAPTURE_FORMAT\)\n$/);
  const badSocket = await run(['check', '-'], '{"hex":"00","socket":"second"}\n');
  t.is(badSocket.status, 2);
  t.regex(badSocket.stderr, /^vfio-user: line 1: socket must be "main" or "twin" \(ERR_CAPTURE_FORMAT\)\n$/);
});
