/**
 * `vfio-user-protocol/unix`: vfio-user clients and servers on a Unix
 * socket, with file descriptors passed beside the bytes (SCM_RIGHTS through
 * the usocket addon), and the transport-agnostic session layer they run on.
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
import { lstatSync, unlinkSync } from 'node:fs';
import { Client, type ClientOptions } from '../session/client.js';
import type { Server } from '../session/server.js';
import { MAX_RECEIVE_FDS, UnixChannel } from './channel.js';
import { holdNative, usocket, type USocket } from './usocket.js';

export * from '../session/index.js';
export { MAX_RECEIVE_FDS, UnixChannel } from './channel.js';

/**
 * Connects to the Unix socket at `path`.
 * @throws (rejects) the system error of socket(2) or connect(2) (ENOENT,
 *   ECONNREFUSED, ...); an Error when usocket's addon is not built.
 */
export function connectChannel(path: string): Promise<UnixChannel> {
  const { USocket } = usocket();
  return new Promise((resolve, reject) => {
    const socket = new USocket();
    const failed = (error: Error): void => {
      release();
      reject(error);
    };
    socket.once('error', failed);
    socket.once('connected', () => {
      socket.off('error', failed);
      resolve(new UnixChannel(socket));
    });
    let release = (): void => undefined;
    try {
      socket.connect(path);
      release = holdNative(socket);
    } catch (e) {
      reject(e as Error);
    }
  });
}

function checkFds(max: number | undefined, who: string): void {
  if (max !== undefined && max > MAX_RECEIVE_FDS) {
    throw new RangeError(`${who} max_msg_fds ${max} is above the ${MAX_RECEIVE_FDS} fds the Unix transport can receive in one read`);
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

/** Options of {@link listen} and {@link serve}. */
export interface ListenOptions {
  /** Pending connections the kernel queues. Default 511 (the kernel caps it at net.core.somaxconn). */
  readonly backlog?: number;
  /**
   * Replace a socket file already at `path` (a server that went away left
   * it). Anything else at `path` is never replaced. Default false: EADDRINUSE.
   */
  readonly replace?: boolean;
}

function pathInUse(path: string, replace: boolean): Error | null {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return null;
  }
  if (replace && stat.isSocket()) return null;
  const error = new Error(`${path} already exists${stat.isSocket() ? ' (a socket: pass replace to take it over)' : ''}`) as NodeJS.ErrnoException;
  error.code = 'EADDRINUSE';
  return error;
}

/**
 * Listens on `path` and hands every connection to `accept`.
 * @throws (rejects) EADDRINUSE when something is at `path` (see
 *   {@link ListenOptions.replace}); the system error of bind(2) or listen(2).
 */
export function listen(path: string, accept: (channel: UnixChannel) => void, options: ListenOptions = {}): Promise<UnixListener> {
  const inUse = pathInUse(path, options.replace === true);
  if (inUse !== null) return Promise.reject(inUse);
  const { UServer } = usocket();
  return new Promise((resolve, reject) => {
    const server = new UServer();
    let release = (): void => undefined;
    const failed = (error: Error): void => {
      release();
      reject(error);
    };
    server.once('error', failed);
    server.on('connection', (socket: USocket) => accept(new UnixChannel(socket)));
    server.listen(path, options.backlog ?? 511, () => {
      server.off('error', failed);
      let closed = false;
      resolve({
        path,
        close: async () => {
          if (closed) return;
          closed = true;
          server.close();
          release();
          try {
            unlinkSync(path);
          } catch {
            // Already gone.
          }
        },
      });
    });
    release = holdNative(server);
  });
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
