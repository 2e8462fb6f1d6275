/**
 * The lifetime of a received command's bytes: valid until its handler
 * returns or its promise settles, then reused for later messages (and, with
 * poisonReceived or VFIO_USER_POISON_RECEIVED=1, overwritten with 0xdb).
 */
import test from 'ava';
import type { Command } from '../generated/ts/messages.js';
import { POISON_BYTE } from '../src/frame.js';
import { connect, serve, Server, socketPair, UnixChannel, type Device, type Outcome } from '../src/unix/index.js';
import { TempFiles } from './helpers/session-peer.js';
import { Endpoint, type EndpointHooks } from '../src/session/endpoint.js';

const MiB = 1 << 20;

/** A client endpoint and a server endpoint over a socketpair; the server answers REGION_WRITE through `handle`. */
function pair(handle: (m: Command) => Outcome | Promise<Outcome>, poisonReceived: boolean): { client: Endpoint; server: Endpoint; close: () => void } {
  const [a, b] = socketPair();
  const hooks: EndpointHooks = { command: (m) => handle(m) };
  const server = new Endpoint(new UnixChannel(a), { side: 'server', limits: {}, poisonReceived }, hooks);
  const client = new Endpoint(new UnixChannel(b), { side: 'client', limits: {} }, { command: () => ({ body: null }) });
  return {
    client,
    server,
    close: () => {
      client.close();
      server.close();
    },
  };
}

function write(client: Endpoint, fill: number): Promise<unknown> {
  return client.request(10, { offset: 0n, region: 0, count: MiB, data: new Uint8Array(MiB).fill(fill) });
}

test('a command\'s data is reused once its handler is done: a kept view shows a later message, a copy does not', async (t) => {
  const kept: Uint8Array[] = [];
  const copies: Uint8Array[] = [];
  const p = pair((m) => {
    const data = (m.body as { data: Uint8Array }).data;
    kept.push(data);
    copies.push(data.slice());
    return { body: { offset: 0n, region: 0, count: data.length } };
  }, false);
  await write(p.client, 1);
  await write(p.client, 2);
  await write(p.client, 3);
  t.deepEqual(copies.map((c) => [c[0], c[MiB - 1], c.every((x) => x === c[0])]), [
    [1, 1, true],
    [2, 2, true],
    [3, 3, true],
  ]);
  // The second and third writes were received in the first one's buffer.
  t.is(kept[1]!.buffer, kept[0]!.buffer);
  t.is(kept[2]!.buffer, kept[0]!.buffer);
  t.true(kept[0]!.every((x) => x === 3));
  p.close();
});

test('poisonReceived overwrites a command\'s bytes with 0xdb when its handler returns, or when its promise settles', async (t) => {
  const kept: Uint8Array[] = [];
  const seenInside: number[] = [];
  const p = pair(async (m) => {
    const data = (m.body as { data: Uint8Array }).data;
    kept.push(data);
    await new Promise((r) => setTimeout(r, 5));
    // Still valid while the handler's promise is pending.
    seenInside.push(data[MiB - 1]!);
    return { body: { offset: 0n, region: 0, count: data.length } };
  }, true);
  await write(p.client, 7);
  t.deepEqual(seenInside, [7]);
  t.true(kept[0]!.every((x) => x === POISON_BYTE));
  // A small command (a view of the receive slab) is poisoned as well.
  await p.client.request(10, { offset: 0n, region: 0, count: 4, data: Uint8Array.of(1, 2, 3, 4) });
  t.deepEqual(kept[1], new Uint8Array(4).fill(POISON_BYTE));
  p.close();
});

test('VFIO_USER_POISON_RECEIVED=1: a device that keeps a REGION_WRITE view instead of a copy sees 0xdb', async (t) => {
  const files = new TempFiles();
  t.teardown(() => files.remove());
  let kept: Uint8Array | null = null;
  let copy: Uint8Array | null = null;
  const device: Device = {
    flags: 2,
    regions: [{ flags: 3, size: BigInt(2 * MiB) }],
    irqs: [],
    regionRead: (_conn, _region, _offset, count) => new Uint8Array(count),
    regionWrite: (_conn, _region, _offset, data) => {
      kept = data;
      copy = data.slice();
    },
  };
  process.env['VFIO_USER_POISON_RECEIVED'] = '1';
  const server = new Server(device);
  const path = `${files.dir}/s.sock`;
  const listener = await serve(path, server);
  const client = await connect(path, { twinSocket: false });
  delete process.env['VFIO_USER_POISON_RECEIVED'];
  await client.regionWrite(0, 0n, new Uint8Array(MiB).fill(9));
  t.true(copy!.every((x) => x === 9));
  t.true(kept!.every((x) => x === POISON_BYTE));
  client.close();
  await client.whenClosed;
  await listener.close();
  await Promise.all(server.connections.map((c) => c.whenClosed));
});
