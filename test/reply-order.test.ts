/**
 * A reply and the commands behind it: when the reply to one of an endpoint's
 * requests arrives, the code that awaits it (a device's DMA, deferred with
 * afterReply) runs before any command that arrived after that reply, even
 * when both come in one read. QEMU sends the reply to a DMA_READ and the
 * guest's next register read back to back; the register read must see the
 * finished DMA.
 */
import test from 'ava';
import type { Command, Message } from '../generated/ts/messages.js';
import { command, reply } from '../src/build.js';
import { emitVersionJson } from '../src/capabilities.js';
import { encode } from '../src/index.js';
import { channelPair } from '../src/session/channel.js';
import { Endpoint } from '../src/session/endpoint.js';
import { Server } from '../src/session/server.js';
import { BAR0, CFG, COMMAND_BUS_MASTER, COMMAND_MEMORY, CONFIG, DMA_DONE, DMA_TO_DEVICE, ExampleDevice, REG } from '../examples/device/device.js';
import { RawPeer } from './helpers/session-peer.js';

const REGION_READ = 9;
const REGION_WRITE = 10;
const DMA_READ = 11;

/** The messages' bytes back to back, to be delivered as one chunk. */
function together(...messages: (Message | Uint8Array)[]): Uint8Array {
  return Buffer.concat(messages.map((m) => (m instanceof Uint8Array ? m : encode(m))));
}

/** A server endpoint whose REGION_WRITE starts a DMA_READ (deferred) and whose REGION_READ reports whether that DMA has finished. */
function dmaEndpoint(b: ReturnType<typeof channelPair>[1], slowWrite: boolean): { endpoint: Endpoint; state: { done: number } } {
  const state = { done: 0 };
  const endpoint: Endpoint = new Endpoint(b, { side: 'server', limits: {} }, {
    command: (m: Command, _fds, control) => {
      if (m.cmd === REGION_WRITE && m.body.offset === 0n) {
        control.afterReply(async () => {
          const answer = await endpoint.request(DMA_READ, { addr: 0x1000n, count: 4n });
          // A few more turns of the microtask queue, as a device's own awaits make.
          for (let i = 0; i < 8; i++) await Promise.resolve();
          state.done = (answer.reply.body as { data: Uint8Array }).data[0]!;
        });
        return { body: null };
      }
      if (m.cmd === REGION_WRITE) {
        // Answered once a promise settles: the command is still running when what follows it is framed.
        const body = { offset: m.body.offset, region: m.body.region, count: m.body.count };
        return slowWrite ? Promise.resolve().then(() => ({ body })) : { body };
      }
      if (m.cmd === REGION_READ) return { body: { offset: m.body.offset, region: m.body.region, count: 1, data: Uint8Array.of(state.done) } };
      throw new Error(`unexpected ${m.cmd}`);
    },
  });
  return { endpoint, state };
}

for (const slowWrite of [false, true]) {
  const what = slowWrite ? 'behind a command whose handler is still running' : 'in the same read';
  test(`a command that arrives right behind a DMA_READ reply runs after the code that awaited the reply (${what})`, async (t) => {
    const [a, b] = channelPair();
    const peer = new RawPeer(a);
    const { endpoint } = dmaEndpoint(b, slowWrite);
    t.teardown(() => endpoint.close());
    // The posted write that starts the DMA.
    peer.send(command(REGION_WRITE, 1, { offset: 0n, region: 0, count: 1, data: Uint8Array.of(1) }, { noReply: true }));
    const dma = await peer.next();
    t.is(dma.message.kind, 'command');
    t.is(dma.message.cmd, DMA_READ);
    // The DMA_READ reply, then (optionally a write whose handler takes a while, then) the read, in one chunk.
    const answer = reply({ cmd: DMA_READ, msg_id: dma.message.msg_id }, { addr: 0x1000n, count: 4n, data: Uint8Array.of(7, 0, 0, 0) });
    const read = command(REGION_READ, 3, { offset: 0n, region: 0, count: 1 });
    if (slowWrite) peer.send(together(command(REGION_WRITE, 2, { offset: 4n, region: 0, count: 1, data: Uint8Array.of(2) }), answer, read));
    else peer.send(together(answer, read));
    if (slowWrite) t.is((await peer.next()).message.msg_id, 2);
    const got = await peer.next();
    t.is(got.message.kind, 'reply');
    t.is(got.message.msg_id, 3);
    t.deepEqual((got.message.body as { data: Uint8Array }).data, Uint8Array.of(7), 'the read sees the finished DMA');
  });
}

test('the example device in the qemu dialect: a DMA_STATUS read right behind the DMA_READ reply reads DMA_DONE', async (t) => {
  const device = new ExampleDevice({ mmap: false });
  t.teardown(() => device.close());
  const server = new Server(device, { dialect: 'qemu', clientDialect: 'qemu', twinSocket: false, timeoutMs: 5000 });
  const [a, b] = channelPair();
  server.accept(b);
  const peer = new RawPeer(a);
  t.teardown(() => peer.close());
  let id = 0;
  const u32 = (x: number): Uint8Array => Uint8Array.of(x & 0xff, (x >> 8) & 0xff, (x >> 16) & 0xff, x >>> 24);
  const json = new TextEncoder().encode(emitVersionJson({ capabilities: { max_msg_fds: 16, write_multiple: true } }));
  const ask = async (m: Message): Promise<Message> => {
    peer.send(m);
    const r = await peer.next();
    t.is(r.message.kind, 'reply', `reply to ${m.cmd}`);
    return r.message;
  };
  await ask(command(1, id++, { major: 0, minor: 0, data: json, json: null }));
  await ask(command(REGION_WRITE, id++, { offset: BigInt(CFG.COMMAND), region: CONFIG, count: 2, data: Uint8Array.of(COMMAND_MEMORY | COMMAND_BUS_MASTER, 0) }));
  await ask(command(2, id++, { argsz: 32, flags: 3, offset: 0n, addr: 0x10000n, size: 0x1000n }));
  // The guest's register writes, posted as QEMU posts them when no region is mmap-able.
  for (const [reg, value] of [[REG.DMA_ADDR_LO, 0x10000], [REG.DMA_ADDR_HI, 0], [REG.DMA_LEN, 4], [REG.DMA_OFFSET, 0x1800], [REG.DMA_CMD, DMA_TO_DEVICE]] as const) {
    peer.send(command(REGION_WRITE, id++, { offset: BigInt(reg), region: BAR0, count: 4, data: u32(value) }, { noReply: true }));
  }
  const dma = await peer.next();
  t.is(dma.message.kind, 'command');
  t.is(dma.message.cmd, DMA_READ);
  // QEMU's reply and the guest's status read, back to back in one read.
  const answer = encode(reply({ cmd: DMA_READ, msg_id: dma.message.msg_id }, { offset: 0x10000n, count: 4, data: Uint8Array.of(1, 2, 3, 4) }), { dialect: 'qemu' });
  const status = command(REGION_READ, id++, { offset: BigInt(REG.DMA_STATUS), region: BAR0, count: 4 });
  peer.send(together(answer, status));
  const got = await peer.next();
  t.is(got.message.kind, 'reply');
  t.is(got.message.cmd, REGION_READ);
  t.deepEqual((got.message.body as { data: Uint8Array }).data, u32(DMA_DONE));
});
