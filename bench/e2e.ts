/**
 * End-to-end rows of the benchmark: a client in this process, a server in a
 * child process, over a Unix socket, measured in one run and interleaved
 * round by round:
 *
 * - 8-byte REGION_READ round trips per second through the session layer
 *   (Client.regionRead against a Server), against a raw ping-pong of the same
 *   sizes (a 32-byte request, a 40-byte answer) on the same addon and on
 *   Node's `net` Unix socket;
 * - 1 MiB REGION_WRITE MB/s through the session layer (one write in flight),
 *   against a raw bulk loop of the same sizes (a 1 MiB + 32-byte message, a
 *   32-byte answer, one in flight) on the same addon and on `net`.
 *
 * The raw loops do no framing and no decoding: they count bytes into one
 * reused buffer. Ratios are session / raw on the same transport, median of
 * the per-round ratios. Targets: both >= 0.8.
 *
 * Then heap bytes allocated per Endpoint.send over a UnixChannel (target 0
 * for header-only and fixed-size messages), measured in a child with
 * --expose-gc and a 32 MiB young generation (`--alloc` is that child).
 *
 * `node dist/bench/e2e.js [--quick] [--json] [--rounds N] [--only read|write]`;
 * run by `npm run bench` after the codec rows. The child role is
 * `--serve KIND PATH`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { command, reply } from '../src/build.js';
import type { Message } from '../generated/ts/messages.js';
import { closeFds, connect, connectChannel, listen, memfd, serve, Server, socketPair, UnixChannel, type Device } from '../src/unix/index.js';
import { native } from '../src/unix/native.js';
import { bytesPerOp } from './harness.js';
import { Endpoint } from '../src/session/endpoint.js';

const REQUEST = 32;
const ANSWER = 40;
const BULK = (1 << 20) + 32;
const ACK = 32;
const READ_COUNT = 8;
const WRITE_BYTES = 1 << 20;

type Kind = 'addon-pingpong' | 'net-pingpong' | 'session-read' | 'addon-bulk' | 'net-bulk' | 'session-write';

/** Bytes a raw server reads per answer, and the answer's size. */
const RAW: Partial<Record<Kind, { readonly per: number; readonly answer: number }>> = {
  'addon-pingpong': { per: REQUEST, answer: ANSWER },
  'net-pingpong': { per: REQUEST, answer: ANSWER },
  'addon-bulk': { per: BULK, answer: ACK },
  'net-bulk': { per: BULK, answer: ACK },
};

// -- server side (child) -----------------------------------------------------------------------

/** Counts bytes and answers every `per` bytes with `answer` bytes. */
function rawCounter(per: number, answer: number, write: (bytes: Uint8Array) => void): (n: number) => void {
  const reply = new Uint8Array(answer);
  let have = 0;
  return (n) => {
    have += n;
    while (have >= per) {
      have -= per;
      write(reply);
    }
  };
}

async function serveKind(kind: Kind, path: string): Promise<void> {
  const raw = RAW[kind];
  if (kind === 'session-read' || kind === 'session-write') {
    const readData = new Uint8Array(READ_COUNT);
    const device: Device = {
      flags: 2,
      regions: [{ flags: 3, size: BigInt(2 * WRITE_BYTES) }],
      irqs: [],
      regionRead: () => readData,
      regionWrite: () => undefined,
    };
    await serve(path, new Server(device));
  } else if (raw !== undefined && kind.startsWith('addon')) {
    const buf = new Uint8Array(256 * 1024);
    await listen(path, (channel: UnixChannel) => {
      const count = rawCounter(raw.per, raw.answer, (b) => channel.send(b, []));
      channel.start({ data: (chunk) => count(chunk.length), closed: () => undefined, buffer: () => buf });
    });
  } else if (raw !== undefined) {
    await new Promise<void>((resolve) => {
      const server = net.createServer((socket) => {
        const count = rawCounter(raw.per, raw.answer, (b) => socket.write(b));
        socket.on('data', (chunk) => count(chunk.length));
      });
      server.listen(path, resolve);
    });
  }
  process.stdout.write('ready\n');
}

// -- client side (this process) ----------------------------------------------------------------

/** Time each sample runs before it is measured, so that the code of this connection's path is compiled. */
const WARM_UP_MS = 300;

async function warmUp(once: () => Promise<unknown>): Promise<void> {
  const end = performance.now() + WARM_UP_MS;
  while (performance.now() < end) for (let i = 0; i < 16; i++) await once();
}

/** CPU time (user + system) of process `pid` so far, in microseconds, from /proc (clock ticks of 10 ms). */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** One sample: operations per second, and CPU microseconds per operation of this process and of the server. */
interface Sample {
  readonly rate: number;
  readonly clientUs: number;
  readonly serverUs: number;
}

/** Runs `once` for about `ms` milliseconds after the warm-up and measures it. */
async function measure(once: () => Promise<unknown>, ms: number, serverPid: number): Promise<Sample> {
  await warmUp(once);
  let ops = 0;
  const cpu = process.cpuUsage();
  const server = cpuOf(serverPid);
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 16; i++) await once();
    ops += 16;
  }
  const rate = ops / ((performance.now() - start) / 1000);
  const used = process.cpuUsage(cpu);
  return { rate, clientUs: (used.user + used.system) / ops, serverUs: (cpuOf(serverPid) - server) / ops };
}

/** Runs `kind` against a server for about `ms` milliseconds. */
async function runKind(kind: Kind, path: string, ms: number, serverPid: number): Promise<Sample> {
  const raw = RAW[kind];
  if (kind === 'session-read' || kind === 'session-write') {
    const client = await connect(path, { twinSocket: false });
    const data = new Uint8Array(WRITE_BYTES).fill(0x5a);
    const once = kind === 'session-read' ? (): Promise<unknown> => client.regionRead(0, 0n, READ_COUNT) : (): Promise<unknown> => client.regionWrite(0, 0n, data);
    const sample = await measure(once, ms, serverPid);
    client.close();
    await client.whenClosed;
    return sample;
  }
  if (raw === undefined) throw new Error(kind);
  const message = new Uint8Array(raw.per).fill(0x5a);
  const head = message.subarray(0, 32);
  const tail = message.subarray(32);
  const none: number[] = [];
  let send: () => void;
  let done: () => void;
  let onAnswer: () => void = () => undefined;
  if (kind.startsWith('addon')) {
    const channel = await connectChannel(path);
    const buf = new Uint8Array(64 * 1024);
    const count = rawCounter(raw.answer, 1, () => onAnswer());
    channel.start({ data: (chunk) => count(chunk.length), closed: () => undefined, buffer: () => buf });
    send = kind === 'addon-bulk' ? (): void => channel.sendParts(head, tail, none) : (): void => channel.send(message, none);
    done = (): void => channel.close();
  } else {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(path, () => resolve(s));
      s.once('error', reject);
    });
    const count = rawCounter(raw.answer, 1, () => onAnswer());
    socket.on('data', (chunk) => count(chunk.length));
    send =
      kind === 'net-bulk'
        ? (): void => {
            socket.cork();
            socket.write(head);
            socket.write(tail);
            socket.uncork();
          }
        : (): void => {
            socket.write(message);
          };
    done = (): void => {
      socket.destroy();
    };
  }
  const roundTrip = (): Promise<void> =>
    new Promise((resolve) => {
      onAnswer = resolve;
      send();
    });
  const sample = await measure(roundTrip, ms, serverPid);
  done();
  return sample;
}

/** Starts a server child of `kind` on `path`; resolves once it listens. */
function startServer(kind: Kind, path: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', kind, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('ready\n')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${String(code)}`)));
  });
}

/** One e2e row: its name, unit, and the operations-per-second to unit factor. */
const ROWS: readonly { readonly kind: Kind; readonly name: string; readonly unit: string; readonly scale: number }[] = [
  { kind: 'session-read', name: 'session: 8-byte REGION_READ round trips', unit: 'round trips/s', scale: 1 },
  { kind: 'addon-pingpong', name: 'raw ping-pong, addon (32 B / 40 B)', unit: 'round trips/s', scale: 1 },
  { kind: 'net-pingpong', name: 'raw ping-pong, node net (32 B / 40 B)', unit: 'round trips/s', scale: 1 },
  { kind: 'session-write', name: 'session: 1 MiB REGION_WRITE', unit: 'MB/s', scale: WRITE_BYTES / 1e6 },
  { kind: 'addon-bulk', name: 'raw bulk, addon (1 MiB + 32 B / 32 B ack)', unit: 'MB/s', scale: WRITE_BYTES / 1e6 },
  { kind: 'net-bulk', name: 'raw bulk, node net (1 MiB + 32 B / 32 B ack)', unit: 'MB/s', scale: WRITE_BYTES / 1e6 },
];

// -- allocations per send (child with --expose-gc) ------------------------------------------

/** The messages whose sends are counted, and the fds sent with them. */
function sendCases(): { name: string; message: Message; fds: number }[] {
  return [
    { name: 'header-only command (DEVICE_RESET)', message: command(13, 1, null), fds: 0 },
    { name: 'header-only reply (DMA_MAP)', message: reply({ cmd: 2, msg_id: 1 }, null), fds: 0 },
    { name: 'fixed-size command (REGION_READ, 32 B)', message: command(9, 1, { offset: 0x1000n, region: 0, count: 8 }), fds: 0 },
    { name: 'fixed-size command (DMA_MAP, 48 B)', message: command(2, 1, { argsz: 32, flags: 3, offset: 0n, addr: 0x10000n, size: 0x1000n }), fds: 0 },
    { name: 'fixed-size command with 1 fd (DMA_MAP)', message: command(2, 1, { argsz: 32, flags: 3, offset: 0n, addr: 0x10000n, size: 0x1000n }), fds: 1 },
    { name: 'REGION_WRITE command, 8 B of data', message: command(10, 1, { offset: 0n, region: 0, count: 8, data: new Uint8Array(8) }), fds: 0 },
  ];
}

/** Heap bytes per Endpoint.send of each case; the other end is drained by plain recvmsg calls between batches of 32. */
function measureSends(): { name: string; bytesPerSend: number }[] {
  const n = native();
  const [mine, other] = socketPair();
  const endpoint = new Endpoint(new UnixChannel(mine), { side: 'client', limits: {} }, { command: () => ({ body: null }) });
  const sink = new Uint8Array(256 * 1024);
  const sinkFds = new Int32Array(254);
  const drain = (): void => {
    for (;;) {
      const r = n.recvmsg(other, sink, sinkFds);
      for (let i = 1; i <= sinkFds[0]!; i++) closeFds([sinkFds[i]!]);
      if (r <= 0) return;
    }
  };
  const memory = memfd('bench', 4096);
  const out: { name: string; bytesPerSend: number }[] = [];
  for (const c of sendCases()) {
    const fds = c.fds === 0 ? [] : [memory];
    const op = (count: number): number => {
      for (let i = 0; i < count; i++) {
        endpoint.send(c.message, fds);
        if ((i & 31) === 31) drain();
      }
      drain();
      return count;
    };
    // Warm up until the send path is compiled (its code objects are heap too).
    op(20_000);
    op(20_000);
    out.push({ name: c.name, bytesPerSend: bytesPerOp(op, 4 << 20, 20_000) });
  }
  closeFds([memory, other]);
  endpoint.close();
  return out;
}

/**
 * Runs measureSends in a child with --expose-gc, a young generation large
 * enough that no scavenge falls in a batch, and compilation on the main
 * thread (code compiled in the background during a batch would count).
 */
function allocationRows(): { name: string; bytesPerSend: number }[] {
  const r = spawnSync(process.execPath, ['--expose-gc', '--no-concurrent-recompilation', '--min-semi-space-size=32', '--max-semi-space-size=32', fileURLToPath(import.meta.url), '--alloc'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`allocation child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { name: string; bytesPerSend: number }[];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const json = process.argv.includes('--json');
  const roundsAt = process.argv.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(process.argv[roundsAt + 1]) : quick ? 3 : 7;
  const ms = quick ? 300 : 800;
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
  const rowsRun = ROWS.filter((r) => only === undefined || (only === 'read' ? r.unit !== 'MB/s' : r.unit === 'MB/s'));
  const dir = mkdtempSync(join(tmpdir(), 'vfu-bench-'));
  const results = new Map<Kind, number[]>(ROWS.map((r) => [r.kind, []]));
  const cpu = new Map<Kind, { client: number[]; server: number[] }>(ROWS.map((r) => [r.kind, { client: [], server: [] }]));
  // One long-lived server per row, as a device server is; each sample is a new connection to it.
  const servers = new Map<Kind, ChildProcess>();
  try {
    for (const row of rowsRun) servers.set(row.kind, await startServer(row.kind, join(dir, `${row.kind}.sock`)));
    for (let round = 0; round < rounds; round++) {
      for (const row of rowsRun) {
        const sample = await runKind(row.kind, join(dir, `${row.kind}.sock`), ms, servers.get(row.kind)!.pid!);
        results.get(row.kind)!.push(sample.rate * row.scale);
        cpu.get(row.kind)!.client.push(sample.clientUs);
        cpu.get(row.kind)!.server.push(sample.serverUs);
      }
      if (!json) process.stderr.write('.');
    }
  } finally {
    for (const child of servers.values()) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  const per = (k: Kind): number[] => results.get(k)!;
  /** Per-round ratios of a to b: median, min, max; null when a row was not run. */
  const ratio = (a: Kind, b: Kind): { median: number; min: number; max: number } | null => {
    if (per(a).length === 0 || per(b).length === 0) return null;
    const rs = per(a).map((x, i) => x / per(b)[i]!);
    return { median: median(rs), min: Math.min(...rs), max: Math.max(...rs) };
  };
  const ratios = {
    readVsAddonPingPong: ratio('session-read', 'addon-pingpong'),
    readVsNetPingPong: ratio('session-read', 'net-pingpong'),
    writeVsAddonBulk: ratio('session-write', 'addon-bulk'),
    writeVsNetBulk: ratio('session-write', 'net-bulk'),
  };
  const allocations = only === undefined ? allocationRows() : [];
  const rows = rowsRun.map((r) => ({
    name: r.name,
    unit: r.unit,
    median: median(per(r.kind)),
    min: Math.min(...per(r.kind)),
    max: Math.max(...per(r.kind)),
    clientCpuUsPerOp: median(cpu.get(r.kind)!.client),
    serverCpuUsPerOp: median(cpu.get(r.kind)!.server),
  }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ benchmark: 'vfio-user-protocol end to end', rounds, msPerSample: ms, rows, ratios, allocations, targets: { session: 0.8, bytesPerSend: 0 } }, null, 2)}\n`);
    return;
  }
  process.stderr.write('\n');
  const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const fmtRatio = (r: { median: number; min: number; max: number } | null): string => (r === null ? '-' : `${r.median.toFixed(2)}x (${r.min.toFixed(2)}-${r.max.toFixed(2)})`);
  console.log(`End to end (client here, server in a child process; ${rounds} rounds of ${ms} ms, median (min-max); CPU µs per operation, client / server)`);
  for (const r of rows) {
    console.log(`  ${r.name.padEnd(48)} ${fmt(r.median).padStart(8)} ${r.unit.padEnd(14)} (${fmt(r.min)}-${fmt(r.max)})  cpu ${fmt(r.clientCpuUsPerOp)} / ${fmt(r.serverCpuUsPerOp)} µs`);
  }
  console.log(`  session / raw, same transport (target >= 0.8): round trips ${fmtRatio(ratios.readVsAddonPingPong)}, 1 MiB writes ${fmtRatio(ratios.writeVsAddonBulk)}`);
  console.log(`  session / raw node net: round trips ${fmtRatio(ratios.readVsNetPingPong)}, 1 MiB writes ${fmtRatio(ratios.writeVsNetBulk)}`);
  if (allocations.length > 0) {
    console.log('Heap bytes allocated per Endpoint.send over a UnixChannel (target 0 for header-only and fixed-size messages)');
    for (const a of allocations) console.log(`  ${a.name.padEnd(48)} ${a.bytesPerSend.toFixed(1).padStart(8)} B`);
  }
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt >= 0) await serveKind(process.argv[serveAt + 1] as Kind, process.argv[serveAt + 2]!);
else if (process.argv.includes('--alloc')) process.stdout.write(JSON.stringify(measureSends()));
else await main();
