/**
 * A {@link Channel} over a Unix stream socket, with fds passed as
 * SCM_RIGHTS by usocket.
 *
 * Sending: each message goes out as one write, its fds attached to its first
 * byte (one sendmsg unless the socket buffer is full; the fds go with the
 * first part).
 *
 * Receiving: Linux hands over the fds of a message with the read that
 * reaches its first byte, and ends that read right after the message's
 * data; bytes of earlier messages, sent without fds, can come in the same
 * read. The fds of a read therefore belong to the last message that starts
 * in it, which is the rule the FrameDecoder applies: each read goes to it
 * whole, with its fds.
 *
 * Twin sockets: {@link UnixChannel.twin} makes a connected pair of Unix
 * stream sockets (usocket has no socketpair(2), so it listens on a
 * temporary path in a private directory, connects to it and removes both at
 * once); {@link UnixChannel.adopt} wraps a received socket descriptor.
 */
import { fstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Channel, ChannelHandlers, TwinPair } from '../session/channel.js';
import { closeFds } from '../session/fds.js';
import { holdNative, usocket, type USocket } from './usocket.js';

/** The most fds one read can take: the size of usocket's control buffer (the kernel closes any beyond it). */
export const MAX_RECEIVE_FDS = 64;

/** A connected Unix socket as a channel; see the module doc. */
export class UnixChannel implements Channel {
  readonly #socket: USocket;
  #handlers: ChannelHandlers | null = null;
  /** Fds reported by usocket for the chunk about to arrive. */
  #fds: number[] = [];
  #writes = 0;
  #closing = false;
  #paused = false;
  #ended = false;
  #endError: Error | null = null;
  readonly #release: () => void;

  /** Wraps a connected usocket socket (from connect or accept). */
  constructor(socket: USocket) {
    this.#socket = socket;
    this.#release = holdNative(socket);
    socket.on('error', (e: Error) => this.#end(e));
    socket.on('end', () => this.#end(null));
    socket.on('close', () => this.#end(null));
    // Reading is paused in the native wrap; the stream must not resume it behind pause()'s back.
    if (typeof socket._read === 'function') {
      const read = socket._read.bind(socket);
      socket._read = (size: number) => {
        if (!this.#paused) read(size);
      };
    }
  }

  /** Stops reading from the socket (the native read watcher) until resume(). */
  pause(): void {
    this.#paused = true;
    this.#socket._wrap?.pause();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    if (!this.#ended) this.#socket._wrap?.resume();
  }

  start(handlers: ChannelHandlers): void {
    if (this.#handlers !== null) throw new Error('channel already started');
    this.#handlers = handlers;
    if (this.#ended) {
      const error = this.#endError;
      queueMicrotask(() => handlers.closed(error));
      return;
    }
    // usocket reports a read's fds just before its data.
    this.#socket.on('fds', (fds: number[]) => this.#fds.push(...fds));
    this.#socket.on('data', (chunk: Buffer) => this.#chunk(chunk));
  }

  send(bytes: Uint8Array, fds: readonly number[], sent?: (error: Error | null) => void): void {
    if (this.#ended || this.#closing) {
      if (sent !== undefined) queueMicrotask(() => sent(new Error('channel closed')));
      return;
    }
    this.#writes++;
    const chunk = fds.length === 0 ? { data: Buffer.from(bytes) } : { data: Buffer.from(bytes), fds: [...fds] };
    this.#socket.write(chunk, (error) => {
      this.#writes--;
      sent?.(error ?? null);
      if (error !== undefined && error !== null) this.#end(error);
      else if (this.#closing && this.#writes === 0) this.#end(null);
    });
  }

  /** A connected pair of Unix stream sockets: this end as a channel, the other's descriptor to send. */
  async twin(): Promise<TwinPair> {
    const { kept, sent, releaseSent } = await socketPair();
    let released = false;
    return {
      channel: new UnixChannel(kept),
      fd: sent.fd,
      release: () => {
        if (released) return;
        released = true;
        releaseSent();
      },
    };
  }

  /**
   * The channel over a received Unix socket descriptor; it owns `fd` from now on.
   * @throws Error when `fd` is not a socket.
   */
  adopt(fd: number): Channel {
    if (!fstatSync(fd).isSocket()) throw new Error(`fd ${fd} is not a socket`);
    const { USocket } = usocket();
    return new UnixChannel(new USocket({ fd }));
  }

  /** Closes the socket once the messages already sent have left (at most a second later). */
  close(): void {
    if (this.#ended || this.#closing) return;
    this.#closing = true;
    if (this.#writes === 0) this.#end(null);
    else setTimeout(() => this.#end(null), 1000).unref();
  }

  #chunk(buffer: Buffer): void {
    const chunk = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    const fds = this.#fds;
    this.#fds = [];
    const h = this.#handlers;
    if (h === null || this.#ended) {
      closeFds(fds);
      return;
    }
    h.data(chunk, fds);
  }

  #end(error: Error | null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#endError = error;
    this.#socket.destroy();
    this.#release();
    closeFds(this.#fds);
    this.#fds = [];
    const h = this.#handlers;
    if (h !== null) queueMicrotask(() => h.closed(error));
  }
}

/**
 * Two connected Unix stream sockets: a listener on a fresh path in a private
 * temporary directory accepts one connection, then the listener, the path
 * and the directory go. `releaseSent` closes the connecting end.
 * @throws (rejects) the system error of socket(2), bind(2), listen(2) or connect(2).
 */
async function socketPair(): Promise<{ kept: USocket; sent: USocket & { readonly fd: number }; releaseSent: () => void }> {
  const { UServer, USocket } = usocket();
  const dir = mkdtempSync(join(tmpdir(), 'vfio-user-'));
  const path = join(dir, 'twin');
  const server = new UServer();
  const connector = new USocket();
  let releaseServer = (): void => undefined;
  let releaseConnector = (): void => undefined;
  const releaseSent = (): void => {
    connector.destroy();
    releaseConnector();
  };
  try {
    const kept = await new Promise<USocket>((resolve, reject) => {
      let accepted: USocket | null = null;
      let connected = false;
      const done = (): void => {
        if (accepted !== null && connected) resolve(accepted);
      };
      server.once('error', reject);
      connector.once('error', reject);
      server.once('connection', (socket: USocket) => {
        accepted = socket;
        done();
      });
      connector.once('connected', () => {
        connected = true;
        done();
      });
      server.listen(path, 1, () => {
        connector.connect(path);
        releaseConnector = holdNative(connector);
      });
      releaseServer = holdNative(server);
    });
    return { kept, sent: connector as USocket & { readonly fd: number }, releaseSent };
  } catch (e) {
    releaseSent();
    throw e;
  } finally {
    server.close();
    releaseServer();
    rmSync(dir, { recursive: true, force: true });
  }
}
