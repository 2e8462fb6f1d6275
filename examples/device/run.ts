/**
 * `npm run example`: starts the example server and the example client as
 * two processes on a socket in a new temporary directory, shows what both
 * report, and prints, as its last line, the path of the capture the client
 * wrote. The socket is removed; the capture is kept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Options of {@link runExample}. */
export interface RunOptions {
  /** Directory for the socket and the capture. Default: a new temporary one. */
  readonly dir?: string;
  /** Each line either process prints, with the process's name. */
  readonly onLine?: (who: 'server' | 'client', line: string) => void;
  /** Longest the whole run may take before both processes are killed. Default 60000 ms. */
  readonly timeoutMs?: number;
  /** Arguments added to the client's. */
  readonly clientArgs?: readonly string[];
}

/** How a run ended. */
export interface RunResult {
  readonly dir: string;
  readonly socket: string;
  readonly capture: string;
  /** Exit statuses (null: killed). */
  readonly client: number | null;
  readonly server: number | null;
  readonly timedOut: boolean;
}

function lines(child: ChildProcess, who: 'server' | 'client', onLine: (who: 'server' | 'client', line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream !== null) createInterface({ input: stream }).on('line', (line) => onLine(who, line));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/**
 * Runs the example server and client; the server serves two connections
 * (the client's second one checks that state starts clean) and then exits.
 */
export async function runExample(options: RunOptions = {}): Promise<RunResult> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'vfu-example-'));
  const socket = join(dir, 'device.sock');
  const capture = join(dir, 'session.jsonl');
  const onLine = options.onLine ?? ((): void => undefined);
  const server = spawn(process.execPath, [join(here, 'server.js'), '--socket', socket, '--connections', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let client: ChildProcess | null = null;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    server.kill('SIGKILL');
    client?.kill('SIGKILL');
  }, options.timeoutMs ?? 60000);
  try {
    const listening = new Promise<boolean>((resolve) => {
      lines(server, 'server', (who, line) => {
        if (line.startsWith('listening on ')) resolve(true);
        onLine(who, line);
      });
      server.once('exit', () => resolve(false));
    });
    if (!(await listening)) return { dir, socket, capture, client: null, server: await exited(server), timedOut };
    client = spawn(process.execPath, [join(here, 'client.js'), '--socket', socket, '--capture', capture, ...(options.clientArgs ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    lines(client, 'client', onLine);
    const clientStatus = await exited(client);
    // The server stops by itself after its two connections; if the client stopped early, stop it.
    const grace = setTimeout(() => server.kill('SIGTERM'), 3000);
    const serverStatus = await exited(server);
    clearTimeout(grace);
    return { dir, socket, capture, client: clientStatus, server: serverStatus, timedOut };
  } finally {
    clearTimeout(timer);
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    if (client !== null && client.exitCode === null && client.signalCode === null) client.kill('SIGKILL');
    rmSync(socket, { force: true });
  }
}

async function main(): Promise<void> {
  const result = await runExample({ onLine: (who, line) => process.stdout.write(`${who === 'server' ? 'server | ' : ''}${line}\n`) });
  if (result.timedOut) process.stdout.write('the example did not finish in time\n');
  process.exitCode = result.client === 0 && result.server === 0 && !result.timedOut ? 0 : 1;
  process.stdout.write(`${result.capture}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
