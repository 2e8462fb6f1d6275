/**
 * `vfio-user proxy --listen PATH --connect PATH`: a transparent interposer
 * between a vfio-user client and server on Unix sockets.
 *
 * Every connection accepted on --listen gets a connection of its own to
 * --connect. Each direction is cut into whole messages by the FrameDecoder,
 * and each message is sent on with exactly the fds that came with it (the
 * proxy closes its copies once sent), so both programs see what they would
 * see connected directly. The twin socket is intercepted: a VERSION reply
 * carrying the server's twin socket reaches the client with one end of the
 * proxy's own socket pair instead, and the proxy forwards between the two,
 * so the twin traffic is seen too.
 *
 * Each message is printed as one `decode` line with a time column; with
 * --capture / --pcapng it is written to a capture (conn, dir, nfds, socket,
 * time); with --check each connection runs a Conversation and its violations
 * are printed as they happen. The proxy runs until SIGINT or SIGTERM.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { FLAG_TYPE_MASK, FLAG_TYPE_REPLY } from '../codec.js';
import { Conversation } from '../conversation.js';
import { VfioUserError } from '../errors.js';
import { FrameDecoder } from '../frame.js';
import { VFIO_USER_VERSION } from '../../generated/ts/constants.js';
import { CaptureWriter } from '../capture/stream.js';
import type { CaptureRecord, Direction } from './capture.js';
import type { SocketName } from '../conversation.js';
import { closeFds } from '../session/fds.js';
import { adoptSocket, connectChannel, listen, socketPair, UnixChannel, type UnixListener } from '../unix/index.js';
import { dialectsOf, type Output, type Values } from './commands.js';
import { decodeRecord, rawHeader, sideOf } from './decoded.js';
import { UsageError } from './errors.js';
import { columnsFor, summaryLine, type Columns } from './text.js';
import { Clock } from './view.js';
import { commandName } from '../codec.js';

function widest(a: Columns, b: Columns): Columns {
  return { seq: Math.max(a.seq, b.seq), conn: Math.max(a.conn, b.conn), dir: a.dir || b.dir, socket: a.socket || b.socket, id: Math.max(a.id, b.id), name: Math.max(a.name, b.name) };
}

function pathOption(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} PATH is required`, 'proxy');
  return v;
}

function endStream(s: WriteStream | null): Promise<void> {
  return s === null ? Promise.resolve() : new Promise((resolve) => s.end(resolve));
}

/** `vfio-user proxy --listen PATH --connect PATH [--capture FILE] [--pcapng FILE] [--check]`. */
export async function proxyCommand(values: Values, positionals: readonly string[], out: Output): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, 'proxy');
  const listenPath = pathOption(values, 'listen');
  const connectPath = pathOption(values, 'connect');
  const dialects = dialectsOf(values, 'proxy');
  const drafts = values['drafts'] === true;
  const check = values['check'] === true;
  const quiet = values['quiet'] === true;
  const jsonlFile = typeof values['capture'] === 'string' ? createWriteStream(values['capture']) : null;
  const pcapFile = typeof values['pcapng'] === 'string' ? createWriteStream(values['pcapng']) : null;
  const jsonl = jsonlFile === null ? null : new CaptureWriter(jsonlFile, 'jsonl', null);
  const pcap = pcapFile === null ? null : new CaptureWriter(pcapFile, 'pcapng', null);
  const clock = new Clock();
  let columns: Columns | null = null;
  let seq = 0;
  let nextConn = 0;
  let violations = 0;
  const channels = new Set<UnixChannel>();
  const say = (line: string): void => out.write(`${line}\n`);

  const own = (c: UnixChannel): UnixChannel => {
    channels.add(c);
    return c;
  };

  /** One message seen: numbered, printed, captured, checked. */
  const seen = (conn: number, dir: Direction, socket: SocketName, bytes: Uint8Array, nfds: number, conv: Conversation | null): void => {
    seq++;
    const time = (performance.timeOrigin + performance.now()) / 1000;
    const record: CaptureRecord = { seq, time, conn, dir, nfds, socket, bytes };
    jsonl?.write(record);
    pcap?.write(record);
    if (!quiet) {
      const d = decodeRecord(record, dialects, drafts);
      const c = columnsFor([d]);
      columns = columns === null ? widest(c, { seq: 4, conn: 3, dir: true, socket: true, id: 1, name: 0 }) : widest(columns, c);
      say(`${clock.column(time)} ${summaryLine(d, columns)}`);
    }
    if (conv !== null) {
      for (const v of conv.observe({ seq, from: sideOf(dir), bytes, fds: nfds, socket }).violations) {
        violations++;
        say(`violation: seq ${v.seq} #${conn} ${v.code}${v.cmd === undefined ? '' : ` ${commandName(v.cmd)}`}: ${v.message}`);
      }
    }
  };

  /**
   * Forwards from `from` to `to` message by message. `onReply` may replace
   * a message's fds before it is sent (the twin socket's swap). When the
   * main socket ends, every channel of `group` (the connection's twin
   * socket too) is closed.
   */
  const pipe = (conn: number, dir: Direction, socket: SocketName, from: UnixChannel, to: UnixChannel, conv: Conversation | null, group: UnixChannel[], swap?: (bytes: Uint8Array, fds: number[]) => number[]): void => {
    const decoder = new FrameDecoder({ dialect: dialects[sideOf(dir)], drafts });
    const forward = (bytes: Uint8Array, fds: number[]): void => {
      seen(conn, dir, socket, bytes, fds.length, conv);
      const sent = swap === undefined ? fds : swap(bytes, fds);
      to.send(bytes, sent, () => closeFds(sent));
    };
    from.start({
      buffer: () => decoder.receiveBuffer(),
      data: (chunk, fds) => {
        decoder.push(chunk, fds);
        for (;;) {
          let frame;
          try {
            frame = decoder.next();
          } catch (e) {
            if (!(e instanceof VfioUserError)) throw e;
            if (e.bytes !== undefined && e.fatal !== true) {
              // Not decodable by the codec, but whole: still forwarded as it came.
              forward(e.bytes, e.fds ?? []);
              continue;
            }
            closeFds(e.fds ?? []);
            say(`#${conn} ${dir}${socket === 'twin' ? ' twin' : ''}: the stream cannot be forwarded message by message (${e.code}: ${e.message}); closing the connection`);
            from.close();
            to.close();
            return;
          }
          if (frame === null) return;
          forward(frame.bytes, frame.fds);
        }
      },
      closed: () => {
        closeFds(decoder.close());
        channels.delete(from);
        to.close();
        if (socket === 'main') for (const c of group) c.close();
      },
    });
  };

  const accept = async (client: UnixChannel): Promise<void> => {
    own(client);
    const conn = nextConn++;
    let server: UnixChannel;
    try {
      server = own(await connectChannel(connectPath));
    } catch (e) {
      say(`#${conn}: connecting to ${connectPath} failed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); closing the client's connection`);
      client.close();
      channels.delete(client);
      return;
    }
    say(`#${conn}: connected`);
    const conv = check ? new Conversation({ clientDialect: dialects.client, serverDialect: dialects.server }) : null;
    let twinDone = false;
    const swapTwin = (bytes: Uint8Array, fds: number[]): number[] => {
      const h = rawHeader(bytes);
      if (twinDone || fds.length !== 1 || h === null || h.cmd !== VFIO_USER_VERSION || (h.flags & FLAG_TYPE_MASK) !== FLAG_TYPE_REPLY) return fds;
      twinDone = true;
      let serverTwin: UnixChannel;
      try {
        serverTwin = own(adoptSocket(fds[0]!));
      } catch {
        return fds;
      }
      const [kept, given] = socketPair();
      const clientTwin = own(new UnixChannel(kept));
      group.push(serverTwin, clientTwin);
      pipe(conn, 's2c', 'twin', serverTwin, clientTwin, conv, group);
      pipe(conn, 'c2s', 'twin', clientTwin, serverTwin, conv, group);
      say(`#${conn}: twin socket intercepted`);
      return [given];
    };
    const group = [client, server];
    pipe(conn, 'c2s', 'main', client, server, conv, group);
    pipe(conn, 's2c', 'main', server, client, conv, group, swapTwin);
  };

  let listener: UnixListener;
  try {
    listener = await listen(listenPath, (c) => void accept(c), { replace: true });
  } catch (e) {
    throw new UsageError(`cannot listen on ${listenPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'proxy');
  }
  process.stderr.write(`vfio-user proxy: listening on ${listenPath}, forwarding to ${connectPath}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await listener.close();
  for (const c of channels) c.close();
  await Promise.all([endStream(jsonlFile), endStream(pcapFile)]);
  if (check) say(`${seq} messages, ${violations} violation${violations === 1 ? '' : 's'}`);
  return violations === 0 ? 0 : 1;
}
