/**
 * The native part of the Unix transport: usocket (a node-gyp addon that
 * passes fds with SCM_RIGHTS), loaded on first use so that the session
 * layer works without it. Only what the transport uses is typed here.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

/** usocket's USocket: a stream socket whose writes carry fds and whose reads report them. */
export interface USocket extends EventEmitter {
  connect(path: string): void;
  /** Writes data with fds attached to its first byte; `done` runs when it left the process. */
  write(chunk: { data?: Buffer; fds?: number[] }, done?: (error?: Error | null) => void): boolean;
  destroy(): void;
  readonly readableLength: number;
  /** The descriptor, once connected or adopted. */
  readonly fd?: number;
  /** The stream's read request (it resumes the native read watcher). */
  _read(size: number): void;
  /** The native socket: pause() and resume() stop and start its read watcher; null once closed. */
  readonly _wrap?: { pause(): void; resume(): void } | null;
}

/** usocket's UServer: a listening socket whose connections are USockets. */
export interface UServer extends EventEmitter {
  listen(path: string, backlog: number, listening?: () => void): void;
  close(): void;
}

interface USocketModule {
  /** A socket to connect, or (with `fd`) one over a connected socket descriptor, which it then owns. */
  readonly USocket: new (options?: { readonly fd: number }) => USocket;
  readonly UServer: new () => UServer;
}

let loaded: USocketModule | null = null;

/** Native socket objects kept alive while libuv finishes closing them. */
const held = new Set<object>();

/**
 * Keeps `owner`'s native socket object alive until two turns of the event
 * loop after the returned function is called. usocket frees that object
 * (and the libuv handle inside it) when the garbage collector takes it,
 * which can happen after close() and before libuv has finished closing the
 * handle: libuv then aborts (uv__finish_close assertion). Call this right
 * after creating or adopting the socket, and the returned function once it
 * is closed.
 */
export function holdNative(owner: object): () => void {
  const wrap = (owner as { _wrap?: unknown })._wrap;
  if (typeof wrap !== 'object' || wrap === null) return () => undefined;
  held.add(wrap);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // The first turn's check phase runs before its closing phase; the second turn comes after it.
    setImmediate(() => setImmediate(() => held.delete(wrap)));
  };
}

/**
 * The usocket module.
 * @throws Error when its native addon is not built (it builds during
 *   `npm install` with node-gyp: python3, make and a C++ compiler).
 */
export function usocket(): USocketModule {
  if (loaded === null) {
    try {
      loaded = createRequire(import.meta.url)('usocket') as USocketModule;
    } catch (e) {
      throw new Error(`the Unix transport needs the usocket addon, which did not load (${(e as Error).message}); it builds during npm install with python3, make and a C++ compiler`, { cause: e });
    }
  }
  return loaded;
}
