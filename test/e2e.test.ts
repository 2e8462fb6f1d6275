/**
 * End to end: the example server and the example client in two processes
 * over a real Unix socket, with real fds (file-backed memory, eventfds for
 * interrupts and the doorbell); then the `vfio-user` command checks and
 * verifies the capture the client wrote.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExample } from '../examples/device/run.js';
import { serve, Server } from '../src/unix/index.js';
import { TempFiles, TestDevice } from './helpers/session-peer.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');
const exampleDir = join(root, 'dist/examples/device');

interface Exit {
  readonly status: number | null;
  readonly stdout: string;
}

/** Runs node with `args`; killed after `timeoutMs`. */
function node(args: readonly string[], timeoutMs = 20000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stdout += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout });
    });
  });
}

interface Line {
  readonly seq: number;
  readonly conn: number;
  readonly dir: string;
  readonly nfds: number;
  readonly socket: string;
  readonly hex: string;
}

function readCapture(path: string): Line[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);
}

const cmdOf = (l: Line): number => parseInt(l.hex.slice(6, 8) + l.hex.slice(4, 6), 16);

test('example server and client in two processes: every command 1-26, and the capture passes check and verify', async (t) => {
  t.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'vfu-e2e-'));
  try {
    const out: string[] = [];
    const result = await runExample({ dir, timeoutMs: 30000, onLine: (who, line) => out.push(`${who}: ${line}`) });
    const log = out.join('\n');
    t.false(result.timedOut, log);
    t.is(result.client, 0, log);
    t.is(result.server, 0, log);
    t.false(existsSync(result.socket));
    t.regex(log, /client: \d+ steps, 0 failed; the capture has 0 protocol violations/);

    const lines = readCapture(result.capture);
    const cmds = new Set(lines.map(cmdOf));
    for (let c = 1; c <= 26; c++) t.true(cmds.has(c), `command ${c} is in the capture`);
    t.deepEqual(new Set(lines.map((l) => l.conn)), new Set([0, 1]));
    t.deepEqual(new Set(lines.map((l) => l.dir)), new Set(['c2s', 's2c']));
    // fds went both ways: DMA_MAP and SET_IRQS to the server, region and ioeventfd fds to the client.
    t.true(lines.some((l) => l.dir === 'c2s' && l.nfds === 4));
    t.true(lines.some((l) => l.dir === 's2c' && l.nfds === 1));
    t.deepEqual(lines.map((l) => l.seq), lines.map((_, i) => i + 1));
    // Connection 0 runs in twin-socket mode: its VERSION reply passed the socket, and the
    // server's DMA_READ/DMA_WRITE with their replies, and only they, went over it.
    const first = lines.filter((l) => l.conn === 0);
    t.is(first.find((l) => cmdOf(l) === 1 && l.dir === 's2c')?.nfds, 1);
    t.true(first.some((l) => l.socket === 'twin'));
    for (const l of lines) t.is(l.socket, l.conn === 0 && (cmdOf(l) === 11 || cmdOf(l) === 12) ? 'twin' : 'main', `seq ${l.seq}`);

    const check = await node([cli, 'check', result.capture]);
    t.is(check.status, 0, check.stdout);
    t.regex(check.stdout, new RegExp(`^${lines.length} messages, 0 violations$`, 'm'));
    const verify = await node([cli, 'verify', result.capture]);
    t.is(verify.status, 0, verify.stdout);
    t.regex(verify.stdout, new RegExp(`^${lines.length} messages, ${lines.length} ok, 0 failed$`, 'm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the example runner prints the capture path as its last line', async (t) => {
  t.timeout(60000);
  const run = await node([join(exampleDir, 'run.js')], 40000);
  const last = run.stdout.trimEnd().split('\n').at(-1)!;
  t.teardown(() => {
    if (last.endsWith('session.jsonl')) rmSync(join(last, '..'), { recursive: true, force: true });
  });
  t.is(run.status, 0, run.stdout);
  t.regex(last, /session\.jsonl$/);
  t.true(existsSync(last));
  t.false(existsSync(join(last, '..', 'device.sock')));
});

test('the example client drives another server with what it advertised: legacy DMA when iommufd is not offered', async (t) => {
  t.timeout(60000);
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const server = new Server(new TestDevice(files.file(0x2000)), { iommufd: false });
  const socket = join(files.dir, 'other.sock');
  const capture = join(files.dir, 'other.jsonl');
  const listener = await serve(socket, server);
  try {
    const run = await node([join(exampleDir, 'client.js'), '--socket', socket, '--capture', capture]);
    t.is(run.status, 0, run.stdout);
    t.regex(run.stdout, /iommufd off/);
    t.regex(run.stdout, /not the example device: generic steps only/);
    t.regex(run.stdout, /skip {2}iommufd/);
    const cmds = new Set(readCapture(capture).map(cmdOf));
    t.true(cmds.has(2) && cmds.has(3));
    for (let c = 19; c <= 26; c++) t.false(cmds.has(c), `command ${c} was not sent`);
    const check = await node([cli, 'check', capture]);
    t.is(check.status, 0, check.stdout);
  } finally {
    await listener.close();
    await Promise.all(server.connections.map((c) => c.whenClosed));
    files.remove();
  }
});

test('the example client exits 2 when nothing listens', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vfu-e2e-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const run = await node([join(exampleDir, 'client.js'), '--socket', join(dir, 'none.sock')]);
  t.is(run.status, 2, run.stdout);
});
