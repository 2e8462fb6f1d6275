/**
 * Helpers of the interoperability suite: where the real peers are
 * (`VFIO_USER_PEERS`, else `../shared/peers` beside the repository), a
 * scratch directory per test, child processes that are killed in teardown
 * whatever happens, captures written as JSONL, and the `vfio-user` command's
 * `check` and `verify` run on them.
 */
import type { ExecutionContext } from 'ava';
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaptureWriter, type Direction } from '../../src/capture/index.js';
import type { SocketName } from '../../src/conversation.js';
import type { TapEvent } from '../../src/unix/index.js';

/** The repository root (the folder of package.json). */
export const root = fileURLToPath(new URL('../../../', import.meta.url));
/** The compiled `vfio-user` command. */
export const cli = join(root, 'dist/src/cli/main.js');

/** The peers folder, or null when there is none. */
export function peersDir(): string | null {
  const fromEnv = process.env['VFIO_USER_PEERS'];
  const dir = fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : resolve(root, '..', 'shared', 'peers');
  return existsSync(join(dir, 'README.md')) || existsSync(join(dir, 'libvfio-user')) ? dir : null;
}

/** Why a peer test cannot run, or null when `paths` (relative to the peers folder) are all there. */
export function missing(...paths: string[]): string | null {
  const dir = peersDir();
  if (dir === null) return 'no peers folder: set VFIO_USER_PEERS or put the peers in ../shared/peers';
  for (const p of paths) if (!existsSync(join(dir, p))) return `${p} is not in ${dir}`;
  return null;
}

/** The absolute path of `p` in the peers folder (call after {@link missing} said null). */
export function peer(p: string): string {
  return join(peersDir()!, p);
}

/** A new scratch directory for one test, removed in teardown. */
export function scratch(t: ExecutionContext, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `vfu-${name}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A `lib` folder for the libvfio-user build `flavour` (`libvfio-user`,
 * `libvfio-user-pr833`, ...) with `libvfio-user.so.0` pointing at the real
 * library: the peers' own links may have been copied as small text files
 * naming their target. Put it in LD_LIBRARY_PATH, which the loader searches
 * before the binaries' RUNPATH.
 */
export function libDir(dir: string, flavour: string): string {
  const lib = join(dir, `lib-${flavour}`);
  mkdirSync(lib, { recursive: true });
  const source = peer(`${flavour}/lib`);
  let target = join(source, 'libvfio-user.so.0');
  if (statSync(target).size < 256) {
    const named = readFileSync(target, 'utf8').trim();
    target = join(source, named);
  }
  symlinkSync(realpathSync(target), join(lib, 'libvfio-user.so.0'));
  return lib;
}

/** A child process whose output is kept, killed in teardown if still running. */
export class Child {
  readonly process: ChildProcess;
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #waiters: { readonly pattern: RegExp; readonly resolve: (m: RegExpMatchArray) => void }[] = [];

  constructor(t: ExecutionContext, command: string, args: readonly string[], options: SpawnOptions = {}) {
    // A process group of its own, so that teardown also ends what it started.
    this.process = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
    this.exited = new Promise((r) => this.process.once('close', (code, signal) => r({ code, signal })));
    const take = (chunk: Buffer): void => {
      this.output += chunk.toString();
      for (let i = this.#waiters.length - 1; i >= 0; i--) {
        const w = this.#waiters[i]!;
        const m = this.output.match(w.pattern);
        if (m !== null) {
          this.#waiters.splice(i, 1);
          w.resolve(m);
        }
      }
    };
    this.process.stdout?.on('data', take);
    this.process.stderr?.on('data', take);
    t.teardown(() => this.kill());
  }

  /** Resolves when the output matches `pattern`; rejects when the process ends first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    const m = this.output.match(pattern);
    if (m !== null) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ pattern, resolve });
      void this.exited.then(({ code, signal }) => {
        const again = this.output.match(pattern);
        if (again !== null) resolve(again);
        else reject(new Error(`the process ended (${code ?? signal}) before ${pattern}:\n${this.output}`));
      });
    });
  }

  /**
   * Resolves as {@link exited} when the process ends within `ms`; otherwise
   * kills its group and rejects with what it printed (and `more()`, the
   * other side's log), so that a hang fails with its story, not a bare timeout.
   */
  async exitedWithin(ms: number, more: () => string = () => ''): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), ms)));
    const ended = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (ended !== 'late') return ended;
    this.kill();
    throw new Error(`the process did not end within ${ms} ms; its output:\n${this.output}\n${more()}`);
  }

  /** Kills the process and its group (SIGKILL) unless it has ended. */
  kill(): void {
    const pid = this.process.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // The group is gone.
    }
  }
}

/**
 * Whether a socket listens on `path`: /proc/net/unix lists it with
 * __SO_ACCEPTCON (flags 00010000), under `path` or, for our own listen(),
 * under its provisional name `.<name>.<pid>-<n>` beside it (its file is at
 * `path` only once it listens).
 */
function listensOn(path: string): boolean {
  const twin = join(dirname(path), `.${basename(path)}.`);
  for (const line of readFileSync('/proc/net/unix', 'latin1').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || (parseInt(f[3]!, 16) & 0x10000) === 0) continue;
    if (f[7] === path || (f[7]!.startsWith(twin) && existsSync(path))) return true;
  }
  return false;
}

/**
 * Resolves when a socket listens on `path` (the file appears at bind(2), a
 * moment before listen(2): a connect in between is refused). Polled on the
 * event loop; rejects after `timeoutMs`.
 */
export async function whenListening(path: string, timeoutMs = 10000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!listensOn(path)) {
    if (Date.now() > until) throw new Error(`nothing listened on ${path} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts `program` of a libvfio-user build in the peers folder (its first
 * path segment names the build: `libvfio-user/samples/server`,
 * `libvfio-user-pr833/samples/server`) with `args` and then `socket`, its
 * library found through {@link libDir} in `dir`; resolves once it listens.
 */
export async function startLibvfioUser(t: ExecutionContext, dir: string, program: string, args: readonly string[], socket: string): Promise<Child> {
  const flavour = program.split('/')[0]!;
  const server = new Child(t, peer(program), [...args, socket], { env: { ...process.env, LD_LIBRARY_PATH: libDir(dir, flavour) } });
  await whenListening(socket);
  return server;
}

/** One message of a capture, kept in memory too. */
export interface Captured {
  readonly seq: number;
  readonly conn: number;
  readonly dir: Direction;
  readonly nfds: number;
  readonly socket: SocketName;
  readonly bytes: Uint8Array;
}

/** A JSONL capture file written as messages go, from one side's taps. */
export class CaptureFile {
  readonly path: string;
  readonly records: Captured[] = [];
  readonly #fd: number;
  readonly #writer: CaptureWriter;

  constructor(path: string) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'w');
    this.#fd = fd;
    this.#writer = new CaptureWriter({ write: (chunk) => (typeof chunk === 'string' ? writeSync(fd, chunk) : writeSync(fd, chunk)) });
  }

  /** A tap of the server side of connection `conn`: `in` is c2s. */
  serverTap(conn: number): (e: TapEvent) => void {
    return (e) => this.add(conn, e.dir === 'in' ? 'c2s' : 's2c', e);
  }

  /** A tap of the client side of connection `conn`: `out` is c2s. */
  clientTap(conn: number): (e: TapEvent) => void {
    return (e) => this.add(conn, e.dir === 'out' ? 'c2s' : 's2c', e);
  }

  add(conn: number, dir: Direction, e: TapEvent): void {
    const r: Captured = { seq: this.records.length + 1, conn, dir, nfds: e.nfds, socket: e.socket, bytes: Uint8Array.from(e.bytes) };
    this.records.push(r);
    this.#writer.write(r);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/** The records of a JSONL capture file. */
export function readCapture(path: string): { conn: number; dir: Direction; nfds: number; hex: string }[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { conn: number; dir: Direction; nfds: number; hex: string });
}

/** The command number of a capture record. */
export const cmdOf = (r: { hex: string }): number => parseInt(r.hex.slice(6, 8) + r.hex.slice(4, 6), 16);
/** Whether a capture record is a reply (type bits 1). */
export const isReply = (r: { hex: string }): boolean => (parseInt(r.hex.slice(16, 18), 16) & 0xf) === 1;

/** Runs the `vfio-user` command; resolves with its status and output. */
export function vfioUser(args: readonly string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
  });
}

/**
 * Asserts that `capture` passes `vfio-user check` (with the dialects given)
 * and `vfio-user verify`, and that it holds `minMessages` messages or more.
 */
export async function checkAndVerify(t: ExecutionContext, capture: string, dialects: { readonly client: string; readonly server: string }, minMessages = 1): Promise<number> {
  const check = await vfioUser(['check', '--client-dialect', dialects.client, '--server-dialect', dialects.server, capture]);
  t.is(check.status, 0, check.stdout);
  const counted = check.stdout.match(/(\d+) messages, 0 violations/);
  t.not(counted, null, check.stdout);
  const messages = Number(counted?.[1] ?? 0);
  t.true(messages >= minMessages, `${messages} messages in ${capture}`);
  const verify = await vfioUser(['verify', '--client-dialect', dialects.client, '--server-dialect', dialects.server, capture]);
  t.is(verify.status, 0, verify.stdout);
  t.regex(verify.stdout, new RegExp(`${messages} messages, ${messages} ok, 0 failed`));
  return messages;
}
