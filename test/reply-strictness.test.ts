/**
 * Replies are held to the same rules on flags and reserved words as
 * commands: the garbage BIND reply of libvfio-user PR #833's unfixed server
 * (pointer fragments in argsz and flags, out_devid 22015) is refused by
 * decode, by the client (ERR_BAD_REPLY, cause ERR_BAD_FLAGS, and its tap
 * still sees the bytes) and by the checker.
 */
import test from 'ava';
import { Conversation, decode, encode, VfioUserError } from '../src/index.js';
import { command, reply } from '../src/build.js';
import { channelPair, Client, VfioUserSessionError, type TapEvent } from '../src/unix/index.js';
import { RawPeer } from './helpers/session-peer.js';

/** A BIND reply as the unfixed PR #833 server sent it (the numbers seen on the wire). */
function garbageBind(msgId: number): Uint8Array {
  const bytes = new Uint8Array(32);
  const v = new DataView(bytes.buffer);
  v.setUint16(0, msgId, true);
  v.setUint16(2, 24, true);
  v.setUint32(4, 32, true);
  v.setUint32(8, 1, true); // REPLY
  v.setUint32(16, 0xf9d2e080, true); // argsz: a pointer fragment
  v.setUint32(20, 0x55cb, true); // flags: the pointer's high half
  v.setInt32(24, -103660896, true);
  v.setUint32(28, 22015, true); // out_devid
  return bytes;
}

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as VfioUserError).code;
  }
};

test('decode refuses reply flags and reserved words a command would not carry', (t) => {
  t.is(codeOf(() => decode(garbageBind(5))), 'ERR_BAD_FLAGS');
  // The fixed server's reply (argsz 0, flags 0, out_devid 1) decodes.
  const good = encode(reply({ cmd: 24, msg_id: 5 }, { argsz: 0, flags: 0, iommufd: 0, out_devid: 1 }));
  t.is(decode(good).kind, 'reply');
  const cases: [string, Uint8Array][] = [
    ['ALLOC_IOAS reserved', encode(reply({ cmd: 19, msg_id: 1 }, { argsz: 16, flags: 0, out_ioas_id: 1, __reserved: 7 }))],
    ['ALLOC_IOAS flags', encode(reply({ cmd: 19, msg_id: 1 }, { argsz: 16, flags: 2, out_ioas_id: 1, __reserved: 0 }))],
    ['IOAS_MAP flags', encode(reply({ cmd: 21, msg_id: 1 }, { argsz: 48, flags: 0x100, ioas_id: 1, __reserved: 0, user_va: 0n, length: 0x1000n, iova: 0x1000n, offset: 0n }))],
    ['IOAS_MAP reserved', encode(reply({ cmd: 21, msg_id: 1 }, { argsz: 48, flags: 3, ioas_id: 1, __reserved: 1, user_va: 0n, length: 0x1000n, iova: 0x1000n, offset: 0n }))],
    ['DEVICE_GET_INFO flags', encode(reply({ cmd: 4, msg_id: 1 }, { argsz: 16, flags: 0x80000000, num_regions: 9, num_irqs: 5 }))],
    ['GET_IRQ_INFO flags', encode(reply({ cmd: 7, msg_id: 1 }, { argsz: 16, flags: 0x100, index: 0, count: 1 }))],
  ];
  for (const [what, bytes] of cases) t.is(codeOf(() => decode(bytes)), 'ERR_BAD_FLAGS', what);
  // Commands: the same words.
  t.is(codeOf(() => decode(encode(command(24, 1, { argsz: 16, flags: 1, iommufd: -1, out_devid: 0 })))), 'ERR_BAD_FLAGS');
  t.is(codeOf(() => decode(encode(command(19, 1, { argsz: 16, flags: 0, out_ioas_id: 0, __reserved: 3 })))), 'ERR_BAD_FLAGS');
});

test('the client refuses the garbage BIND reply with ERR_BAD_REPLY, and its tap still sees it', async (t) => {
  const [a, b] = channelPair();
  const server = new RawPeer(b);
  const taps: TapEvent[] = [];
  const connecting = Client.connect(a, { capabilities: { iommufd: { supported: true } }, twinSocket: false, tap: (e) => void taps.push(e) });
  const version = await server.next();
  server.send(reply({ cmd: 1, msg_id: version.message.msg_id }, { major: 0, minor: 2, data: new TextEncoder().encode('{"capabilities":{"iommufd":{"supported":true}}}'), json: null }));
  const client = await connecting;
  t.teardown(() => client.close());
  const binding = client.bind();
  const bind = await server.next();
  server.send(garbageBind(bind.message.msg_id));
  const e = await t.throwsAsync(binding);
  t.true(e instanceof VfioUserSessionError);
  t.is((e as VfioUserSessionError).code, 'ERR_BAD_REPLY');
  t.is(((e as VfioUserSessionError).cause as VfioUserError | undefined)?.code, 'ERR_BAD_FLAGS');
  const refused = taps.find((x) => x.rejected !== undefined);
  t.is(refused?.message.kind, 'raw');
  t.is(refused?.message.cmd, 24);
  t.is(refused?.rejected?.code, 'ERR_BAD_FLAGS');
  t.deepEqual(refused?.bytes, garbageBind(bind.message.msg_id));
  // The server crashes: the connection ends and what follows fails with ERR_CLOSED.
  server.close();
  await client.whenClosed;
  const after = await t.throwsAsync(client.allocIoas());
  t.is((after as VfioUserSessionError).code, 'ERR_CLOSED');
});

test('the checker refuses the garbage BIND reply', (t) => {
  const conv = new Conversation({ serverDialect: 'libvfio-user' });
  const seen = [
    conv.observe({ seq: 1, from: 'client', bytes: encode(command(1, 1, { major: 0, minor: 2, data: new TextEncoder().encode('{"capabilities":{"iommufd":{"supported":true}}}'), json: null })), fds: 0 }),
    conv.observe({ seq: 2, from: 'server', bytes: encode(reply({ cmd: 1, msg_id: 1 }, { major: 0, minor: 2, data: new TextEncoder().encode('{"capabilities":{"iommufd":{"supported":true}}}'), json: null })), fds: 0 }),
    conv.observe({ seq: 3, from: 'client', bytes: encode(command(24, 2, { argsz: 16, flags: 0, iommufd: -1, out_devid: 0 })), fds: 0 }),
    conv.observe({ seq: 4, from: 'server', bytes: garbageBind(2), fds: 0 }),
  ];
  t.deepEqual(seen.slice(0, 3).flatMap((o) => o.violations), []);
  t.deepEqual(seen[3]!.violations.map((v) => v.code), ['ERR_UNDECODABLE']);
  t.is(seen[3]!.error?.code, 'ERR_BAD_FLAGS');
});
