/**
 * `vfio-user-protocol/unix`: vfio-user clients and servers on a Unix
 * socket, with file descriptors passed beside the bytes (SCM_RIGHTS through
 * the package's own Node-API addon, loaded on first use), and the
 * transport-agnostic session layer they run on. Linux only.
 *
 * @example
 * import { connect } from 'vfio-user-protocol/unix';
 * const client = await connect('/run/device.sock');
 * console.log(client.negotiated.iommufd, await client.getDeviceInfo());
 * client.close();
 *
 * @example
 * import { Server, serve } from 'vfio-user-protocol/unix';
 * const listener = await serve('/run/device.sock', new Server(myDevice));
 * // ... later
 * await listener.close();
 */
import { closeSync, linkSync, lstatSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { constants } from 'node:os';
import { Client, type ClientOptions } from '../session/client.js';
import { VfioUserSessionError } from '../session/errors.js';
import type { Server } from '../session/server.js';
import { MAX_RECEIVE_FDS, UnixChannel } from './channel.js';
import { native, READABLE, systemError, type NativePoll } from './native.js';

export * from '../session/index.js';
export { adoptSocket, MAX_RECEIVE_FDS, socketPair, UnixChannel } from './channel.js';
export { dupFd, eventfd, EventfdWatcher, memfd, readEventfd, setNonBlocking, signalEventfd, type EventfdOptions } from './fds.js';
export { addonPath } from './native.js';

/** System errno numbers of this host, negated as the addon returns them. */
const errno = (name: keyof typeof constants.errno): number => -constants.errno[name];
const EAGAIN = errno('EAGAIN');
/** accept(2) errors about one connection that went away: skip it and go on. */
const SKIP_ACCEPT = new Set([errno('ECONNABORTED'), errno('EINTR'), errno('EPROTO'), errno('EPERM')]);

/** Default of {@link ConnectOptions.retries}: tries while the listener's backlog is full (EAGAIN), 10 ms apart. */
export const DEFAULT_CONNECT_RETRIES = 100;
const CONNECT_RETRY_MS = 10;

/** Options of {@link connectChannel}. */
export interface ConnectOptions {
  /** Tries again this many times, 10 ms apart, while the listener's backlog is full (EAGAIN). Default {@link DEFAULT_CONNECT_RETRIES}. */
  readonly retries?: number;
}

/**
 * Connects to the Unix socket at `path`.
 * @throws (rejects) the system error of socket(2) or connect(2) (ENOENT,
 *   ECONNREFUSED, EAGAIN once the retries are spent, ...);
 *   VfioUserSessionError ERR_ADDON_MISSING when the addon is not available.
 */
export async function connectChannel(path: string, options: ConnectOptions = {}): Promise<UnixChannel> {
  const n = native();
  let left = options.retries ?? DEFAULT_CONNECT_RETRIES;
  for (;;) {
    const fd = n.connect(path);
    if (fd >= 0) return new UnixChannel(fd);
    if (fd !== EAGAIN || left-- <= 0) throw systemError(fd, 'connect', path);
    await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS));
  }
}

function checkFds(max: number | undefined, who: string): void {
  if (max !== undefined && max > MAX_RECEIVE_FDS) {
    throw new RangeError(`${who} max_msg_fds ${max} is above the ${MAX_RECEIVE_FDS} fds one message can carry on a Unix socket (SCM_MAX_FD)`);
  }
}

/**
 * Connects to the vfio-user server at `path` and negotiates (see
 * {@link Client.connect}).
 * @throws (rejects) as {@link connectChannel} and {@link Client.connect};
 *   RangeError when the client's max_msg_fds is above {@link MAX_RECEIVE_FDS}.
 */
export async function connect(path: string, options: ClientOptions = {}): Promise<Client> {
  checkFds(options.capabilities?.max_msg_fds, 'the client\'s');
  return Client.connect(await connectChannel(path), options);
}

/** A listening socket; close() stops accepting and removes the path. */
export interface UnixListener {
  readonly path: string;
  /** Stops accepting, removes the socket file; with `connections` (default true) closes the Server's connections too. */
  close(options?: { connections?: boolean }): Promise<void>;
}

/** Default of {@link ListenOptions.acceptBackoffMs}. */
export const DEFAULT_ACCEPT_BACKOFF_MS = 100;

/** Options of {@link listen} and {@link serve}. */
export interface ListenOptions {
  /** Pending connections the kernel queues. Default 511 (the kernel caps it at net.core.somaxconn). */
  readonly backlog?: number;
  /**
   * Replace a socket file already at `path` (a server that went away left
   * it). Anything else at `path` is never replaced. Default false: EADDRINUSE.
   */
  readonly replace?: boolean;
  /**
   * How long accepting pauses after accept(2) fails for want of resources
   * (EMFILE, ENFILE, ENOBUFS, ENOMEM: the pending connection stays queued and
   * would wake the listener again at once). Default {@link DEFAULT_ACCEPT_BACKOFF_MS}.
   */
  readonly acceptBackoffMs?: number;
  /**
   * Told of every accept(2) failure (a VfioUserSessionError ERR_ACCEPT whose
   * cause is the system error); the listener goes on either way. Default: ignore.
   */
  readonly onError?: (error: VfioUserSessionError) => void;
}

function pathInUse(path: string, replace: boolean): Error | null {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return null;
  }
  if (replace && stat.isSocket()) {
    unlinkSync(path);
    return null;
  }
  const error = new Error(`${path} already exists${stat.isSocket() ? ' (a socket: pass replace to take it over)' : ''}`) as NodeJS.ErrnoException;
  error.code = 'EADDRINUSE';
  return error;
}

/** sockaddr_un's sun_path holds 108 bytes, its NUL included. */
const SUN_PATH_MAX = 107;
let bindSeq = 0;

/**
 * The name the socket is first bound to, beside `path`: `.<name>.<pid>-<n>`.
 * The socket keeps it as its address (getsockname(2), `ss -x`). Null when it
 * would not fit sun_path (the socket is then bound at `path` itself).
 */
function provisionalName(path: string): string | null {
  const name = join(dirname(path), `.${basename(path)}.${process.pid}-${bindSeq++}`);
  return Buffer.byteLength(name) <= SUN_PATH_MAX ? name : null;
}

/**
 * Binds and listens on a provisional name, then links the socket to `path`
 * (link(2) fails with EEXIST if anything took `path` meanwhile, so nothing
 * there is ever replaced) and removes the provisional name. So the socket
 * file appears only once it accepts connections: a peer that waits for the
 * file and then connects once (libvfio-user's sample client starting its
 * migration target does) never meets ECONNREFUSED between bind(2) and
 * listen(2). On a filesystem without hard links the socket is bound at
 * `path` directly. Returns the listening descriptor.
 */
function listenAt(path: string, backlog: number): number {
  const n = native();
  const provisional = provisionalName(path);
  if (provisional !== null) {
    const fd = n.listen(provisional, backlog);
    if (fd < 0) throw systemError(fd, 'listen', path);
    let linked: NodeJS.ErrnoException | null = null;
    try {
      linkSync(provisional, path);
    } catch (e) {
      linked = e as NodeJS.ErrnoException;
    }
    try {
      unlinkSync(provisional);
    } catch {
      // Already gone.
    }
    if (linked === null) return fd;
    closeSync(fd);
    if (!NO_HARD_LINKS.has(linked.code ?? '')) throw linked;
  }
  const fd = n.listen(path, backlog);
  if (fd < 0) throw systemError(fd, 'listen', path);
  return fd;
}

/** link(2) errors of a filesystem that has no hard links (then the socket is bound at its path). */
const NO_HARD_LINKS: ReadonlySet<string> = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK']);

/**
 * Listens on `path` and hands every connection to `accept`. The socket file
 * appears at `path` only once it accepts connections. accept(2)
 * failures never throw: a connection that went away is skipped; for want of
 * resources (EMFILE, ENFILE, ...) the listener pauses for
 * {@link ListenOptions.acceptBackoffMs} and tries again; each is reported to
 * {@link ListenOptions.onError}.
 * @throws (rejects) EADDRINUSE when something is at `path` (see
 *   {@link ListenOptions.replace}); the system error of bind(2) or listen(2);
 *   VfioUserSessionError ERR_ADDON_MISSING when the addon is not available.
 */
export async function listen(path: string, accept: (channel: UnixChannel) => void, options: ListenOptions = {}): Promise<UnixListener> {
  const n = native();
  const inUse = pathInUse(path, options.replace === true);
  if (inUse !== null) throw inUse;
  const fd = listenAt(path, options.backlog ?? 511);
  const backoff = options.acceptBackoffMs ?? DEFAULT_ACCEPT_BACKOFF_MS;
  let closed = false;
  let paused: NodeJS.Timeout | null = null;
  const report = (r: number): void => {
    const cause = systemError(r, 'accept', path);
    options.onError?.(new VfioUserSessionError('ERR_ACCEPT', `accepting a connection on ${path} failed: ${cause.code}`, { cause }));
  };
  const ready = (status: number): void => {
    if (closed) return;
    if (status < 0) {
      report(status);
      pause();
      return;
    }
    for (let i = 0; i < 64; i++) {
      const c = n.accept(fd);
      if (c === EAGAIN) return;
      if (c >= 0) {
        accept(new UnixChannel(c));
        continue;
      }
      report(c);
      if (SKIP_ACCEPT.has(c)) continue;
      pause();
      return;
    }
  };
  const poll: NativePoll = new n.Poll(fd, ready);
  const pause = (): void => {
    poll.watch(0);
    paused = setTimeout(() => {
      paused = null;
      if (!closed) poll.watch(READABLE);
    }, backoff);
  };
  const r = poll.watch(READABLE);
  if (r < 0) {
    poll.close();
    throw systemError(r, 'uv_poll_start', path);
  }
  return {
    path,
    close: async () => {
      if (closed) return;
      closed = true;
      if (paused !== null) clearTimeout(paused);
      poll.close();
      try {
        unlinkSync(path);
      } catch {
        // Already gone.
      }
    },
  };
}

/**
 * Serves `server`'s device on `path`: every connection becomes a
 * {@link ServerConnection} of its own.
 * @throws (rejects) as {@link listen}; RangeError when the server's
 *   max_msg_fds is above {@link MAX_RECEIVE_FDS}.
 */
export async function serve(path: string, server: Server, options: ListenOptions = {}): Promise<UnixListener> {
  checkFds(server.capabilities().max_msg_fds, 'the server\'s');
  const listener = await listen(path, (channel) => server.accept(channel), options);
  return {
    path,
    close: async (o = {}) => {
      await listener.close();
      if (o.connections !== false) server.close();
    },
  };
}
