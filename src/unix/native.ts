/**
 * The native part of the Unix transport: the package's own Node-API addon
 * (native/unix.c), loaded on first use so that everything else in the
 * package works without it. The binary is looked for in
 * `prebuilds/<platform>-<arch>[-musl]/vfio_user_unix.node` under the package
 * root (shipped for linux-x64 and linux-arm64 with glibc and linux-x64 with
 * musl; `scripts/build-addon.mjs` builds it there from source), or at the
 * path in `VFIO_USER_ADDON`.
 *
 * I/O calls return a count or a negative errno; {@link systemError} turns a
 * negative errno into the error Node's own fs and net calls throw.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSystemErrorName } from 'node:util';
import { VfioUserSessionError } from '../session/errors.js';

/** Watches one descriptor; owns it (closes it on close(), or when collected). */
export interface NativePoll {
  /** Events to watch: 0 none, {@link READABLE}, {@link WRITABLE}, or both. Returns 0 or a negative libuv errno. */
  watch(events: number): number;
  /** Whether the watch keeps the event loop alive (default true). */
  ref(on: boolean): void;
  /** Stops watching and closes the descriptor (at once); the handle is freed once libuv has let go. Idempotent. */
  close(): void;
}

/** The addon's exports (native/unix.c). */
export interface Native {
  socketpair(): [number, number] | number;
  listen(path: string, backlog: number): number;
  connect(path: string): number;
  accept(fd: number): number;
  sendmsg(fd: number, head: Uint8Array, tail: Uint8Array | null, fds: Int32Array | null, fdCount: number): number;
  /** fdsOut[0] is the number of fds received (negative, minus one, when some were lost), fdsOut[1..] the fds. */
  recvmsg(fd: number, buf: Uint8Array, fdsOut: Int32Array): number;
  eventfd(initval: number, nonblock: number): number;
  memfd(name: string, size: number): number;
  setNonBlocking(fd: number, on: number): number;
  dup(fd: number): number;
  /** 1: a Unix stream socket; 0: another kind of descriptor; negative errno. */
  isUnixStream(fd: number): number;
  readonly Poll: new (fd: number, callback: (status: number, events: number) => void) => NativePoll;
  /** The most fds one message can carry on Linux (SCM_MAX_FD, 253). */
  readonly SCM_MAX_FD: number;
  readonly ABI: number;
}

/** uv_poll event bits (uv.h). */
export const READABLE = 1;
export const WRITABLE = 2;

/** The interface revision of native/unix.c this file speaks. */
const ABI = 1;

let loaded: Native | null = null;

/** PT_INTERP in an ELF program header: the path of the program's dynamic loader. */
const PT_INTERP = 3;

/**
 * Whether this Node runs on musl libc (Alpine): the dynamic loader named in
 * its executable (ELF PT_INTERP) is musl's. False when that cannot be read.
 */
function onMusl(): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(process.execPath, 'r');
    const h = new Uint8Array(4096);
    readSync(fd, h, 0, h.length, 0);
    const v = new DataView(h.buffer);
    // ELF magic, 64-bit class, little-endian.
    if (v.getUint32(0) !== 0x7f454c46 || h[4] !== 2 || h[5] !== 1) return false;
    const phoff = Number(v.getBigUint64(0x20, true));
    const size = v.getUint16(0x36, true);
    for (let i = 0, at = phoff; i < v.getUint16(0x38, true) && at + 56 <= h.length; i++, at += size) {
      if (v.getUint32(at, true) !== PT_INTERP) continue;
      const name = new Uint8Array(Math.min(256, Number(v.getBigUint64(at + 32, true))));
      readSync(fd, name, 0, name.length, Number(v.getBigUint64(at + 8, true)));
      return new TextDecoder('latin1').decode(name).includes('musl');
    }
    return false;
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Where the binary for this platform is expected. */
export function addonPath(): string {
  const fromEnv = process.env['VFIO_USER_ADDON'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  // dist/src/unix/native.js -> the package root.
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const libc = process.platform === 'linux' && onMusl() ? '-musl' : '';
  return join(root, 'prebuilds', `${process.platform}-${process.arch}${libc}`, 'vfio_user_unix.node');
}

/**
 * The addon, loaded once.
 * @throws VfioUserSessionError ERR_ADDON_MISSING when there is no binary for
 *   this platform or it does not load (its cause says why), with how to build it.
 */
export function native(): Native {
  if (loaded !== null) return loaded;
  const path = addonPath();
  const build = 'build it with `node node_modules/vfio-user-protocol/scripts/build-addon.mjs` (needs a C compiler and Node\'s headers), or set VFIO_USER_ADDON to a built vfio_user_unix.node';
  if (process.platform !== 'linux') {
    throw new VfioUserSessionError('ERR_ADDON_MISSING', `vfio-user-protocol/unix needs Linux (SCM_RIGHTS over AF_UNIX, eventfd, memfd_create); this is ${process.platform}`);
  }
  if (!existsSync(path)) {
    throw new VfioUserSessionError('ERR_ADDON_MISSING', `vfio-user-protocol/unix: no native addon for ${process.platform}-${process.arch} at ${path}; ${build}`);
  }
  let m: Native;
  try {
    m = createRequire(import.meta.url)(path) as Native;
  } catch (e) {
    throw new VfioUserSessionError('ERR_ADDON_MISSING', `vfio-user-protocol/unix: the native addon at ${path} did not load (${(e as Error).message}); ${build}`, { cause: e as Error });
  }
  if (m.ABI !== ABI) {
    throw new VfioUserSessionError('ERR_ADDON_MISSING', `vfio-user-protocol/unix: the native addon at ${path} is revision ${String(m.ABI)}, this package needs ${ABI}; ${build}`);
  }
  loaded = m;
  return m;
}

/** The error Node throws for a failed system call: code ('ENOENT'), errno (negative), syscall, path. */
export function systemError(errno: number, syscall: string, path?: string): NodeJS.ErrnoException {
  let code: string;
  try {
    code = getSystemErrorName(errno);
  } catch {
    code = `E${-errno}`;
  }
  const error = new Error(`${syscall} ${code}${path === undefined ? '' : ` ${path}`}`) as NodeJS.ErrnoException;
  error.code = code;
  error.errno = errno;
  error.syscall = syscall;
  if (path !== undefined) error.path = path;
  return error;
}

/** Returns `r` when it is not a negative errno; throws the system error otherwise. */
export function check(r: number, syscall: string, path?: string): number {
  if (r < 0) throw systemError(r, syscall, path);
  return r;
}
