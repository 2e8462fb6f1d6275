import test from 'ava';
import { throwsCode } from './helpers/errors.js';
import { FrameDecoder, encode, command, reply, type Frame, type Message } from '../src/index.js';
import { POISON_BYTE } from '../src/frame.js';

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

/** Feeds `bytes` to `d` the way a transport does: each read of at most `step` bytes lands in receiveBuffer(). */
function receive(d: FrameDecoder, bytes: Uint8Array, step: number): Frame[] {
  const out: Frame[] = [];
  for (let o = 0; o < bytes.length; ) {
    const into = d.receiveBuffer();
    const n = Math.min(step, into.length, bytes.length - o);
    into.set(bytes.subarray(o, o + n));
    d.push(into.subarray(0, n));
    o += n;
    out.push(...drain(d));
  }
  return out;
}

function bigWrite(msgId: number, fill: number): Uint8Array {
  return encode(command(10, msgId, { offset: 0n, region: 0, count: 200_000, data: new Uint8Array(200_000).fill(fill) }));
}

test('recycle: the buffer a split message was assembled in receives the next one in place', (t) => {
  const d = new FrameDecoder();
  const [first] = receive(d, bigWrite(1, 1), 50_000);
  t.true(first!.bytes.byteOffset === 0 && first!.bytes.buffer.byteLength === first!.bytes.length, 'assembled in a buffer of its own');
  const buffer = first!.bytes.buffer;
  d.recycle(first!);
  // Between messages the next read goes into the recycled buffer, at its start.
  const into = d.receiveBuffer();
  t.is(into.buffer, buffer);
  t.is(into.byteOffset, 0);
  const [second] = receive(d, bigWrite(2, 2), 50_000);
  t.is(second!.bytes.buffer, buffer);
  t.is(second!.message.msg_id, 2);
  const body = second!.message.body as { data: Uint8Array };
  t.true(body.data.every((b) => b === 2));
  t.is(body.data.buffer, buffer);
});

test('recycle: a frame not recycled keeps its buffer; small messages read into a recycled buffer stay valid', (t) => {
  const d = new FrameDecoder();
  const [first] = receive(d, bigWrite(1, 1), 70_000);
  const [second] = receive(d, bigWrite(2, 2), 70_000);
  t.not(second!.bytes.buffer, first!.bytes.buffer);
  d.recycle(second!);
  // Small whole messages read into the recycled buffer are views of it, and it is not reused after that.
  const small = receive(d, concat(A, B, C), 1000);
  t.deepEqual(small.map((f) => f.message.cmd), [10, 2, 13]);
  t.is(small[0]!.bytes.buffer, second!.bytes.buffer);
  const [third] = receive(d, bigWrite(3, 3), 70_000);
  t.not(third!.bytes.buffer, second!.bytes.buffer);
  t.not(third!.bytes.buffer, first!.bytes.buffer);
  t.deepEqual((small[0]!.message.body as { data: Uint8Array }).data, Uint8Array.of(1, 2, 3, 4));
  t.true((first!.message.body as { data: Uint8Array }).data.every((b) => b === 1));
  t.true((third!.message.body as { data: Uint8Array }).data.every((b) => b === 3));
});

test('recycle with poison overwrites the frame\'s bytes', (t) => {
  const d = new FrameDecoder();
  const [big] = receive(d, bigWrite(1, 1), 64_000);
  const data = (big!.message.body as { data: Uint8Array }).data;
  d.recycle(big!, true);
  t.true(data.every((b) => b === POISON_BYTE));
  const [small] = receive(d, A, 1000);
  const smallData = (small!.message.body as { data: Uint8Array }).data;
  d.recycle(small!, true);
  t.true(smallData.every((b) => b === POISON_BYTE));
});

test('bytes of a split message copied out of the receive slab free that space for the next reads', (t) => {
  const d = new FrameDecoder();
  const first = d.receiveBuffer();
  const frames = receive(d, concat(A, bigWrite(5, 5), B), 30_000);
  t.deepEqual(frames.map((f) => f.message.msg_id), [7, 5, 8]);
  // The write (A) stays a view of the slab's first bytes; B was read where the big message's first bytes had been.
  t.is(frames[0]!.bytes.buffer, first.buffer);
  t.is(frames[2]!.bytes.buffer, first.buffer);
  t.is(frames[2]!.bytes.byteOffset, A.length);
  t.deepEqual((frames[0]!.message.body as { data: Uint8Array }).data, Uint8Array.of(1, 2, 3, 4));
});

test('recycle: once every message decoded in the slab is handed back and no byte waits, reads go to the slab\'s start again', (t) => {
  const d = new FrameDecoder();
  const start = d.receiveBuffer();
  const [a] = receive(d, A, 1000);
  const [b] = receive(d, B, 1000);
  t.is(b!.bytes.byteOffset, A.length);
  d.recycle(a!);
  // b is still out: its bytes are kept.
  t.is(d.receiveBuffer().byteOffset, A.length + B.length);
  d.recycle(b!);
  const again = d.receiveBuffer();
  t.is(again.buffer, start.buffer);
  t.is(again.byteOffset, 0);
  const [c] = receive(d, C, 1000);
  t.is(c!.message.cmd, 13);
  t.is(c!.bytes.byteOffset, 0);
});

test('recycle: the slab is not read into from its start while bytes wait or after an error handed out a view of it', (t) => {
  const d = new FrameDecoder();
  const [a, b] = receive(d, concat(A, B.subarray(0, 10)), 1000);
  t.is(b, undefined);
  d.recycle(a!);
  // B's first 10 bytes wait in the slab: the next read goes after them.
  t.is(d.receiveBuffer().byteOffset, A.length + 10);
  const [whole] = receive(d, B.subarray(10), 1000);
  t.is(whole!.message.cmd, 2);

  const strict = new FrameDecoder();
  const bare = encode(reply(command(12, 3, { addr: 0n, count: 0n, data: new Uint8Array(0) }), null), { dialect: 'qemu' });
  const into = strict.receiveBuffer();
  into.set(bare);
  strict.push(into.subarray(0, bare.length));
  const err = throwsCode(t, () => strict.next(), 'ERR_BODY_SHORT');
  t.is(err.bytes?.buffer, into.buffer);
  const [c] = receive(strict, C, 1000);
  strict.recycle(c!);
  // The error's bytes stay as they came.
  t.is(strict.receiveBuffer().byteOffset, bare.length + C.length);
  t.deepEqual(err.bytes, bare);
});
