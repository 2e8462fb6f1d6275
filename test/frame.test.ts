import test from 'ava';
import { throwsCode } from './helpers/errors.js';
import { FrameDecoder, encode, command, reply, type Frame, type Message } from '../src/index.js';

const write = command(10, 7, { offset: 0x1000n, region: 1, count: 4, data: Uint8Array.of(1, 2, 3, 4) });
const map = command(2, 8, { argsz: 32, flags: 3, offset: 0n, addr: 0x10000n, size: 0x1000n });
const reset = command(13, 9, null);
const A = encode(write);
const B = encode(map);
const C = encode(reset);

function drain(d: FrameDecoder): Frame[] {
  const out: Frame[] = [];
  for (let f = d.next(); f !== null; f = d.next()) out.push(f);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function sameMessage(t: import('ava').ExecutionContext, got: Message, want: Message): void {
  t.is(got.cmd, want.cmd);
  t.is(got.msg_id, want.msg_id);
  t.deepEqual(encode(got), encode(want));
}

test('one message split at every point, fds with the first byte', (t) => {
  for (let cut = 0; cut <= A.length; cut++) {
    const d = new FrameDecoder();
    d.push(A.subarray(0, cut), cut > 0 ? [5] : []);
    const first = drain(d);
    d.push(A.subarray(cut), cut === 0 ? [5] : []);
    const frames = [...first, ...drain(d)];
    t.is(frames.length, 1, `cut ${cut}`);
    sameMessage(t, frames[0]!.message, write);
    t.deepEqual(frames[0]!.fds, [5], `cut ${cut}`);
    t.is(frames[0]!.offset, 0);
    t.is(d.buffered, 0);
  }
});

test('two back-to-back messages split at every point keep their own fds', (t) => {
  // Each message's fds travel with its first byte, so B's fd comes with the chunk
  // where B starts: every cut from 1 to A.length puts B's start in the second chunk.
  // (A cut past A.length would put both starts in one read, which Linux does not do
  // when both carry fds: a read ends right after the segment that carries fds.)
  const stream = concat(A, B);
  for (let cut = 1; cut <= A.length; cut++) {
    const d = new FrameDecoder();
    d.push(stream.subarray(0, cut), [3]);
    const frames = drain(d);
    d.push(stream.subarray(cut), [4]);
    frames.push(...drain(d));
    t.is(frames.length, 2, `cut ${cut}`);
    sameMessage(t, frames[0]!.message, write);
    sameMessage(t, frames[1]!.message, map);
    t.deepEqual(frames[0]!.fds, [3], `cut ${cut}`);
    t.deepEqual(frames[1]!.fds, [4], `cut ${cut}`);
    t.is(frames[1]!.offset, A.length);
  }
});

test('one read holding a message without fds and the start of one with fds: the fds are the later message\'s', (t) => {
  // Linux ends a stream read after the segment carrying fds, so a read can hold A (no fds)
  // and the first part of B (with fds): the fds belong to the last message starting in it.
  const stream = concat(A, B, C);
  for (let cut = A.length + 1; cut <= A.length + B.length; cut++) {
    const d = new FrameDecoder();
    d.push(stream.subarray(0, cut), [9]);
    const frames = drain(d);
    d.push(stream.subarray(cut));
    frames.push(...drain(d));
    t.deepEqual(
      frames.map((f) => [f.message.cmd, f.fds]),
      [
        [10, []],
        [2, [9]],
        [13, []],
      ],
      `cut ${cut}`,
    );
  }
});

test('three back-to-back messages cut into three chunks at every first cut point', (t) => {
  const stream = concat(A, B, C);
  for (let i = 0; i <= stream.length; i++) {
    for (let j = i; j <= stream.length; j += 7) {
      const d = new FrameDecoder();
      const frames: Frame[] = [];
      for (const part of [stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)]) {
        d.push(part);
        frames.push(...drain(d));
      }
      t.deepEqual(
        frames.map((f) => f.message.cmd),
        [10, 2, 13],
        `cuts ${i},${j}`,
      );
    }
  }
});

test('a message whole inside one chunk is decoded in place (its data is a view of the chunk)', (t) => {
  const chunk = concat(B, A);
  const d = new FrameDecoder();
  d.push(chunk);
  const frames = drain(d);
  t.is(frames.length, 2);
  const m = frames[1]!.message;
  if (m.kind !== 'command' || m.cmd !== 10) return t.fail();
  t.is(m.body.data.buffer, chunk.buffer);
  t.is(frames[1]!.bytes.buffer, chunk.buffer);
});

test('a split message is assembled into one buffer of its msg_size', (t) => {
  const d = new FrameDecoder();
  d.push(A.subarray(0, 20));
  t.is(d.next(), null);
  d.push(A.subarray(20));
  const f = d.next();
  t.truthy(f);
  t.is(f!.bytes.length, A.length);
  t.is(f!.bytes.buffer.byteLength, A.length);
});

test('msg_size below 16 is fatal and hands back the fds', (t) => {
  const bad = Uint8Array.from(A);
  bad[4] = 8;
  bad[5] = 0;
  const d = new FrameDecoder();
  d.push(concat(bad, B), [11, 12]);
  const err = throwsCode(t, () => d.next(), 'ERR_MSG_SIZE_SMALL');
  t.is(err.offset, 4);
  t.is(err.streamOffset, 0);
  t.true(err.fatal);
  t.deepEqual(err.fds, [11, 12]);
  const again = throwsCode(t, () => d.next(), 'ERR_MSG_SIZE_SMALL');
  t.is(again, err);
});

test('a message above maxMessageSize is skipped without buffering, and the stream goes on', (t) => {
  const big = encode(command(10, 1, { offset: 0n, region: 0, count: 100, data: new Uint8Array(100) }));
  const d = new FrameDecoder({ limits: { maxMessageSize: 64 } });
  d.push(big.subarray(0, 30), [7]);
  const err = throwsCode(t, () => d.next(), 'ERR_MESSAGE_TOO_LARGE');
  t.is(err.details.limit, 64);
  t.is(err.details.value, big.length);
  t.false(err.fatal);
  t.deepEqual(err.fds, [7]);
  t.is(d.next(), null);
  d.push(big.subarray(30));
  d.push(B, [9]);
  const frames = drain(d);
  t.is(frames.length, 1);
  t.is(frames[0]!.message.cmd, 2);
  t.deepEqual(frames[0]!.fds, [9]);
  t.is(frames[0]!.offset, big.length);
});

test('a message with a bad body is consumed, its fds handed back, and the next one decodes', (t) => {
  const bad = Uint8Array.from(A);
  bad[16 + 12] = 9; // count 9 but 4 data bytes
  const d = new FrameDecoder();
  d.push(bad, [1]);
  d.push(B);
  const err = throwsCode(t, () => d.next(), 'ERR_TAIL_LENGTH');
  t.is(err.offset, 16 + 12);
  t.is(err.streamOffset, 0);
  t.false(err.fatal);
  t.deepEqual(err.fds, [1]);
  const f = d.next();
  t.is(f?.message.cmd, 2);
  t.deepEqual(f?.fds, []);
});

test('more fds than maxMsgFds: ERR_LIMIT with the fds and the msg_id, stream goes on', (t) => {
  const d = new FrameDecoder({ limits: { maxMsgFds: 1 } });
  d.push(B, [1, 2]);
  d.push(C);
  const err = throwsCode(t, () => d.next(), 'ERR_LIMIT');
  t.is(err.details.limitName, 'maxMsgFds');
  t.is(err.details.msgId, 8);
  t.is(err.cmd, 2);
  t.deepEqual(err.fds, [1, 2]);
  t.is(d.next()?.message.cmd, 13);
});

test('fds on a chunk where no message starts are handed back as ERR_FD_COUNT', (t) => {
  const d = new FrameDecoder();
  d.push(A.subarray(0, 10));
  d.push(A.subarray(10), [42]);
  t.is(d.next()?.message.cmd, 10);
  const err = throwsCode(t, () => d.next(), 'ERR_FD_COUNT');
  t.deepEqual(err.fds, [42]);
  t.is(err.streamOffset, A.length);
  t.is(d.next(), null);
});

test('the reply decodes with the sending side dialect', (t) => {
  // QEMU replies to DMA_WRITE with a bare header.
  const bare = encode(reply(command(12, 3, { addr: 0n, count: 0n, data: new Uint8Array(0) }), null), { dialect: 'qemu' });
  t.is(bare.length, 16);
  const qemu = new FrameDecoder({ dialect: 'qemu' });
  qemu.push(bare);
  t.is(qemu.next()?.message.kind, 'reply');
  const strict = new FrameDecoder();
  strict.push(bare);
  throwsCode(t, () => strict.next(), 'ERR_BODY_SHORT');
});
