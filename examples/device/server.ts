/**
 * The example server: serves the example PCI device (device.ts) on a Unix
 * socket to any vfio-user client.
 *
 *     node dist/examples/device/server.js --socket /tmp/device.sock [--connections N] [--replace] [--dialect NAME] [-v]
 *
 * `--dialect qemu` writes and reads QEMU's layouts (its DMA_READ/DMA_WRITE),
 * which a QEMU client without shared guest memory needs.
 *
 * It prints `listening on PATH` once the socket accepts connections, one line
 * per connection and device event, and exits after N clients have come and
 * gone (default: never; SIGINT or SIGTERM stop it).
 */
import { pathToFileURL } from 'node:url';
import { commandName } from '../../src/index.js';
import { listen, Server, type ServerConnection, type TapEvent } from '../../src/unix/index.js';
import type { DialectName } from '../../src/index.js';
import { ExampleDevice } from './device.js';

interface Args {
  readonly socket: string;
  readonly connections: number;
  readonly replace: boolean;
  readonly verbose: boolean;
  readonly dialect: DialectName;
}

const USAGE = 'usage: server --socket PATH [--connections N] [--replace] [--dialect default|libvfio-user|qemu] [-v]';

function parseArgs(argv: readonly string[]): Args {
  let socket: string | undefined;
  let connections = 0;
  let replace = false;
  let verbose = false;
  let dialect: DialectName = 'default';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--socket') socket = argv[++i];
    else if (a === '--connections') connections = Number(argv[++i]);
    else if (a === '--replace') replace = true;
    else if (a === '-v' || a === '--verbose') verbose = true;
    else if (a === '--dialect') {
      const d = argv[++i];
      if (d !== 'default' && d !== 'libvfio-user' && d !== 'qemu') throw new Error(`--dialect takes default, libvfio-user or qemu\n${USAGE}`);
      dialect = d;
    }
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  if (socket === undefined) throw new Error(USAGE);
  if (!Number.isInteger(connections) || connections < 0) throw new Error(`--connections takes a count\n${USAGE}`);
  return { socket, connections, replace, verbose, dialect };
}

function describe(conn: ServerConnection, e: TapEvent): string {
  const m = e.message;
  const what = m.kind === 'error' ? `error ${m.error_no}` : m.kind;
  return `[${conn.id}${e.socket === 'twin' ? ' twin' : ''}] ${e.dir === 'in' ? '<-' : '->'} ${commandName(m.cmd)} ${what}${e.nfds > 0 ? ` fds=${e.nfds}` : ''}`;
}

/** Runs the server until it is told to stop or has served `connections` clients. */
export async function main(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv);
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const device = new ExampleDevice({ log: (line) => say(`device: ${line}`) });
  const server = new Server(device, {
    dialect: args.dialect,
    clientDialect: args.dialect,
    onViolation: (conn, error) => say(`[${conn.id}] refused: ${(error as { code?: string }).code ?? error.name}: ${error.message}`),
    ...(args.verbose ? { tap: (conn: ServerConnection, e: TapEvent) => say(describe(conn, e)) } : {}),
  });
  let served = 0;
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await listener.close();
    server.close();
    await Promise.all(server.connections.map((c) => c.whenClosed));
    device.close();
    say('stopped');
  };
  const listener = await listen(
    args.socket,
    (channel) => {
      const conn = server.accept(channel);
      say(`[${conn.id}] connected`);
      void conn.whenClosed.then((error) => {
        say(`[${conn.id}] closed${error === null ? '' : `: ${error.message}`}`);
        served++;
        if (args.connections > 0 && served >= args.connections) void stop();
      });
    },
    { replace: args.replace },
  );
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  say(`listening on ${args.socket}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`server: ${(e as Error).message}\n`);
    process.exitCode = 2;
  });
}
