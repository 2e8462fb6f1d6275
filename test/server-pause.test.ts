/**
 * ServerConnection.pause() and resume() over a real Unix socket pair: while
 * paused the server reads nothing, so what the client sends fills the
 * socket and then waits in the client; after resume every command is
 * answered in order. Resume never overrides backpressure.
 */
import test, { type ExecutionContext } from 'ava';
import { command, encode } from '../src/index.js';
import { VFIO_USER_REGION_READ, VFIO_USER_REGION_WRITE, VFIO_USER_VERSION } from '../src/constants.js';
import { Server, socketPair, UnixChannel, type ServerConnection, type ServerOptions } from '../src/unix/index.js';
import { RawPeer, TempFiles, TestDevice } from './helpers/session-peer.js';

/** The most posted writes sent before the socket must have filled: far more than any socket buffer holds. */
const MAX_WRITES = 100000;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

interface Setup {
  readonly device: TestDevice;
  readonly conn: ServerConnection;
  readonly client: UnixChannel;
  readonly peer: RawPeer;
  /** Commands the server framed (its tap's `in` events). */
  readonly framed: () => number;
  readonly violations: Error[];
}

/** A server on one end of a socketpair, a raw client on the other, VERSION done. */
async function negotiated(t: ExecutionContext, options: ServerOptions = {}): Promise<Setup> {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  const device = new TestDevice(files.file(0x2000));
  const violations: Error[] = [];
  let framed = 0;
  const server = new Server(device, { ...options, tap: (_c, e) => void (e.dir === 'in' && framed++), onViolation: (_c, e) => void violations.push(e) });
  const [a, b] = socketPair();
  const conn = server.accept(new UnixChannel(a));
  const client = new UnixChannel(b);
  const peer = new RawPeer(client);
  t.teardown(() => {
    peer.close();
    conn.close();
  });
  peer.send(command(VFIO_USER_VERSION, 0, { major: 0, minor: 2, data: utf8(JSON.stringify({ capabilities: { max_msg_fds: 1 } })), json: null }));
  const v = await peer.next();
  t.is(v.message.kind, 'reply');
  return { device, conn, client, peer, framed: () => framed, violations };
}

/** A posted (NO_REPLY) 4-byte write of `value` to region 0 at `offset`. */
function postedWrite(msgId: number, offset: number, value: number): Uint8Array {
  const data = new Uint8Array(4);
  new DataView(data.buffer).setUint32(0, value, true);
  return encode(command(VFIO_USER_REGION_WRITE, msgId, { offset: BigInt(offset), region: 0, count: 4, data }, { noReply: true }));
}

/**
 * Sends posted writes to region 0 offset 0 (values 1, 2, ...), one per turn
 * of the event loop, until the socket does not take one at once: the server
 * has stopped reading. Returns how many were sent, or MAX_WRITES when the
 * socket never filled.
 */
async function fillSocket(client: UnixChannel): Promise<number> {
  for (let n = 1; n <= MAX_WRITES; n++) {
    let taken = false;
    client.send(postedWrite(n & 0xffff, 0, n), [], () => void (taken = true));
    if (!taken) return n;
    await new Promise((r) => setImmediate(r));
  }
  return MAX_WRITES;
}

/** Reads region 0 offset 0 and returns the 4-byte value. */
async function readBack(peer: RawPeer): Promise<number> {
  peer.send(command(VFIO_USER_REGION_READ, 0xfff0, { offset: 0n, region: 0, count: 4 }));
  const r = await peer.next(10000);
  const body = r.message.kind === 'reply' && r.message.cmd === VFIO_USER_REGION_READ ? r.message.body : null;
  if (body === null) throw new Error(`not a REGION_READ reply: ${r.message.kind}`);
  return new DataView(body.data.buffer, body.data.byteOffset, 4).getUint32(0, true);
}

test('pause: the server reads nothing, the client\'s socket fills; resume: every write lands in order and a read sees the last', async (t) => {
  const s = await negotiated(t);
  t.false(s.conn.isPaused);
  s.conn.pause();
  s.conn.pause();
  t.true(s.conn.isPaused);
  const before = s.framed();
  const sent = await fillSocket(s.client);
  t.true(sent < MAX_WRITES, 'the socket filled while the server was paused');
  t.is(s.framed(), before, 'nothing was framed while paused');
  s.conn.resume();
  t.false(s.conn.isPaused);
  t.is(await readBack(s.peer), sent, 'every posted write was handled, in order, before the read');
  t.is(s.framed(), before + sent + 1);
  t.deepEqual(s.violations, []);
});

test('pause in a handler: the commands behind it, framed or not, wait for resume', async (t) => {
  const s = await negotiated(t);
  // Pause in the handler of the first write of 3: writes 1..3 land, 4 and 5 (framed behind it, most likely) wait.
  let conn = null as ServerConnection | null;
  const seen: number[] = [];
  const device = s.device;
  const write = device.regionWrite.bind(device);
  device.regionWrite = async (c, index, offset, data) => {
    const value = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
    seen.push(value);
    if (value === 3 && conn === null) {
      conn = c;
      c.pause();
    }
    return write(c, index, offset, data);
  };
  for (let v = 1; v <= 5; v++) s.peer.send(postedWrite(v, 0, v));
  // The socket fills behind the paused server: no write after the third was started.
  const sent = await fillSocket(s.client);
  t.true(sent < MAX_WRITES);
  t.deepEqual(seen, [1, 2, 3]);
  t.is(conn, s.conn);
  s.conn.resume();
  t.is(await readBack(s.peer), sent);
  t.is(seen.length, 5 + sent);
  t.deepEqual(s.violations, []);
});

test('resume does not override backpressure: with maxQueuedCommands reached, reading stays stopped until a command finishes', async (t) => {
  const s = await negotiated(t, { sessionLimits: { maxQueuedCommands: 1 } });
  // The doorbell (a write at 0x3c) waits until released: the one command allowed in the queue is held.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let rung = false;
  s.device.onDoorbell = async () => {
    rung = true;
    await held;
  };
  s.peer.send(postedWrite(1, 0x3c, 1));
  s.conn.pause();
  s.conn.resume();
  t.false(s.conn.isPaused);
  const sent = await fillSocket(s.client);
  t.true(rung, 'the doorbell rang');
  t.true(sent < MAX_WRITES, 'the socket filled: backpressure still stops reading after resume');
  release();
  t.is(await readBack(s.peer), sent);
  t.deepEqual(s.violations, []);
});

test('a client that leaves while the server is paused: the connection ends once the server resumes', async (t) => {
  const s = await negotiated(t);
  s.conn.pause();
  s.peer.close();
  await s.peer.whenClosed;
  s.conn.resume();
  t.is(await s.conn.whenClosed, null);
  t.true(s.conn.isClosed);
  t.deepEqual(s.violations, []);
});
