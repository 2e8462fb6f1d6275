/**
 * The sample-compatible device (sample-device.ts) served on a Unix socket,
 * in this process ({@link startSampleServer}) or as a program that takes the
 * sample server's arguments (`[-v] SOCKET`), which libvfio-user's sample
 * client starts as its migration target (`server` beside it):
 *
 *     node dist/test/helpers/sample-server.js [-v] SOCKET
 *
 * The program serves one client and exits 0 when it leaves (1 when a DMA
 * round read back something else than it wrote). `VFU_SAMPLE_CAPTURE` names a
 * JSONL capture to write (connection number `VFU_SAMPLE_CONN`, default 0);
 * `VFU_SAMPLE_TIME_SCALE` scales the device's timer.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { listen, Server, type UnixListener } from '../../src/unix/index.js';
import { CaptureFile } from './peers.js';
import { SampleDevice } from './sample-device.js';

/** A running sample-compatible server. */
export interface SampleServer {
  readonly device: SampleDevice;
  readonly server: Server;
  readonly listener: UnixListener;
  /** Resolves when the first client has left. */
  readonly firstClosed: Promise<void>;
  /** Errors of deferred work and refused messages. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Options of {@link startSampleServer}. */
export interface SampleServerOptions {
  readonly capture?: CaptureFile;
  /** The connection number in the capture. Default 0. */
  readonly conn?: number;
  readonly timeScale?: number;
  readonly log?: (line: string) => void;
}

/** Serves a {@link SampleDevice} on `path`. */
export async function startSampleServer(path: string, options: SampleServerOptions = {}): Promise<SampleServer> {
  const device = new SampleDevice({ ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }), ...(options.log === undefined ? {} : { log: options.log }) });
  const problems: string[] = [];
  const capture = options.capture;
  const conn = options.conn ?? 0;
  const server = new Server(device, {
    // As libvfio-user's sample server: no twin socket, no iommufd.
    twinSocket: false,
    iommufd: false,
    dialect: 'default',
    clientDialect: 'libvfio-user',
    onViolation: (_c, e) => void problems.push(`${(e as { code?: string }).code ?? e.name}: ${e.message}`),
    ...(capture === undefined ? {} : { tap: (c, e) => capture.serverTap(conn + c.id)(e) }),
  });
  let firstClosed!: () => void;
  const closed = new Promise<void>((r) => (firstClosed = r));
  let accepted = 0;
  const listener = await listen(
    path,
    (channel) => {
      const c = server.accept(channel);
      if (accepted++ === 0) void c.whenClosed.then(() => firstClosed());
    },
    { replace: true },
  );
  return {
    device,
    server,
    listener,
    firstClosed: closed,
    problems,
    close: async () => {
      await listener.close();
      server.close();
      device.close();
    },
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('-v');
  const path = argv.filter((a) => a !== '-v').at(-1);
  if (path === undefined) {
    process.stderr.write('usage: sample-server [-v] SOCKET\n');
    return 2;
  }
  const capturePath = process.env['VFU_SAMPLE_CAPTURE'];
  const capture = capturePath === undefined || capturePath === '' ? undefined : new CaptureFile(capturePath);
  const scale = Number(process.env['VFU_SAMPLE_TIME_SCALE'] ?? '1');
  const say = (line: string): void => void process.stderr.write(`sample-server: ${line}\n`);
  const s = await startSampleServer(path, {
    ...(capture === undefined ? {} : { capture }),
    conn: Number(process.env['VFU_SAMPLE_CONN'] ?? '0'),
    timeScale: scale,
    ...(verbose ? { log: say } : {}),
  });
  say(`listening on ${path}`);
  await s.firstClosed;
  // libvfio-user's sample client forks: the parent becomes this server and the child goes on as the client.
  const clients = await childStatuses();
  for (const c of clients) say(`client process ${c.pid} exited with status ${c.status}`);
  const rounds = s.device.dmaRounds;
  const mismatches = s.device.dmaMismatches;
  await s.close();
  capture?.close();
  for (const p of s.problems) say(`problem: ${p}`);
  say(`client left after ${rounds} DMA rounds, ${mismatches} mismatches`);
  return mismatches === 0 && s.problems.length === 0 && clients.every((c) => c.status === 0) ? 0 : 1;
}

/**
 * The exit statuses of this process's children once they have ended (as
 * zombies, /proc/PID/stat field 52 holds the status waitpid would give).
 */
async function childStatuses(): Promise<{ pid: number; status: number | null }[]> {
  let pids: number[];
  try {
    pids = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter((x) => x !== '').map(Number);
  } catch {
    return [];
  }
  const out: { pid: number; status: number | null }[] = [];
  for (const pid of pids) {
    let status: number | null = null;
    for (let i = 0; i < 500 && status === null; i++) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (fields[0] === 'Z') status = (Number(fields[49]) >> 8) & 0xff;
      } catch {
        break;
      }
      if (status === null) await new Promise((r) => setTimeout(r, 10));
    }
    out.push({ pid, status });
  }
  return out;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`sample-server: ${(e as Error).message}\n`);
      process.exit(2);
    },
  );
}
