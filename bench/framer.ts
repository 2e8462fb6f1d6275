/**
 * FrameDecoder throughput: 16-byte (DEVICE_RESET command), 64-byte
 * (IOMMUFD_IOAS_MAP command) and 1 MiB (REGION_WRITE command) messages,
 * arriving whole or cut into 4 KiB chunks.
 *
 * Every chunk is its own ArrayBuffer, as Node's sockets deliver them.
 * Small messages: 64 KiB of stream, a 24-byte REGION_WRITE_MULTI reply
 * first (so that 4 KiB boundaries fall inside messages), then as many
 * messages as fit, then one REGION_WRITE that pads the stream to 64 KiB.
 * "Whole" pushes it in chunks of up to 4 KiB that end on message boundaries
 * (as when each read returns whole messages); "4 KiB chunks" pushes 16
 * chunks of exactly 4 KiB, each of which cuts a message in two. 1 MiB messages: msg_size 1048576
 * (1048544 bytes of data), one chunk per message or 256 chunks of 4 KiB.
 * Counts and rates include the two framing messages of each 64 KiB.
 */
import { encode } from '../src/codec.js';
import { command, reply } from '../src/build.js';
import { FrameDecoder } from '../src/frame.js';
import type { ResolvedOptions } from '../src/options.js';
import type { Message } from '../generated/ts/messages.js';
import { sink, type Op } from './harness.js';

/** One FrameDecoder configuration. */
export interface FramerCase {
  readonly name: string;
  /** Size of the representative message. */
  readonly msgSize: number;
  readonly split: boolean;
  /** The chunks of one pass over the stream, each its own ArrayBuffer. */
  readonly chunks: readonly Uint8Array[];
  /** Messages in one pass. */
  readonly messages: number;
  /** Bytes in one pass. */
  readonly bytes: number;
}

function own(bytes: Uint8Array): Uint8Array {
  const c = new Uint8Array(new ArrayBuffer(bytes.length));
  c.set(bytes);
  return c;
}

/** Chunks of at most `size` bytes that end on message boundaries (`sizes` are the message sizes in order). */
function cutWhole(stream: Uint8Array, sizes: readonly number[], size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  let at = 0;
  for (const n of sizes) {
    if (at + n - start > size) {
      out.push(own(stream.subarray(start, at)));
      start = at;
    }
    at += n;
  }
  out.push(own(stream.subarray(start, at)));
  return out;
}

function cut(stream: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < stream.length; i += size) out.push(own(stream.subarray(i, Math.min(stream.length, i + size))));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function smallStream(msg: Message, opt: ResolvedOptions): { stream: Uint8Array; messages: number; sizes: number[] } {
  const total = 64 * 1024;
  const one = encode(msg, opt);
  const prefix = encode(reply({ cmd: 15, msg_id: 0 }, { wr_cnt: 0n }), opt);
  const count = Math.floor((total - prefix.length - 32) / one.length);
  const pad = total - prefix.length - count * one.length - 32;
  const filler = encode(command(10, 0, { offset: 0n, region: 0, count: pad, data: new Uint8Array(pad) }), opt);
  const parts = [prefix, ...Array.from({ length: count }, () => one), filler];
  const stream = concat(parts);
  if (stream.length !== total) throw new Error(`stream is ${stream.length} bytes`);
  return { stream, messages: count + 2, sizes: parts.map((p) => p.length) };
}

/** The six configurations. */
export function framerCases(opt: ResolvedOptions): FramerCase[] {
  const out: FramerCase[] = [];
  const small: [string, Message][] = [
    ['16 B', command(13, 1, null)],
    ['64 B', command(21, 1, { argsz: 48, flags: 3, ioas_id: 1, __reserved: 0, user_va: 0x7f0000000000n, length: 0x200000n, iova: 0n, offset: 0n })],
  ];
  for (const [label, msg] of small) {
    const { stream, messages, sizes } = smallStream(msg, opt);
    const msgSize = encode(msg, opt).length;
    out.push({ name: `${label} whole`, msgSize, split: false, chunks: cutWhole(stream, sizes, 4096), messages, bytes: stream.length });
    out.push({ name: `${label} 4 KiB chunks`, msgSize, split: true, chunks: cut(stream, 4096), messages, bytes: stream.length });
  }
  const big = encode(command(10, 1, { offset: 0n, region: 1, count: (1 << 20) - 32, data: new Uint8Array((1 << 20) - 32).fill(0x5a) }), opt);
  out.push({ name: '1 MiB whole', msgSize: big.length, split: false, chunks: [own(big)], messages: 1, bytes: big.length });
  out.push({ name: '1 MiB 4 KiB chunks', msgSize: big.length, split: true, chunks: cut(big, 4096), messages: 1, bytes: big.length });
  return out;
}

/** An Op whose unit is one pass over the stream; returns frames seen (checksum). */
export function framerOp(c: FramerCase, opt: ResolvedOptions): Op {
  const fd = new FrameDecoder(opt);
  const chunks = c.chunks;
  return (n) => {
    let s = 0;
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < chunks.length; i++) {
        fd.push(chunks[i]!);
        for (let f = fd.next(); f !== null; f = fd.next()) {
          sink[s & 1] = f;
          s++;
        }
      }
    }
    return s;
  };
}

/**
 * An Op whose unit is one chunk (taken in turn, round the stream), for
 * measuring allocation in batches small enough to stay clear of a
 * young-generation collection; divide by `messagesPerChunk`.
 */
export function framerChunkOp(c: FramerCase, opt: ResolvedOptions): { op: Op; messagesPerChunk: number } {
  const fd = new FrameDecoder(opt);
  const chunks = c.chunks;
  let next = 0;
  const op: Op = (n) => {
    let s = 0;
    for (let r = 0; r < n; r++) {
      fd.push(chunks[next]!);
      next = (next + 1) % chunks.length;
      for (let f = fd.next(); f !== null; f = fd.next()) {
        sink[s & 1] = f;
        s++;
      }
    }
    return s;
  };
  return { op, messagesPerChunk: c.messages / chunks.length };
}

/**
 * Per pass: frames whose bytes are a view of the chunk they arrived in, and
 * frames assembled into a copy (split across chunks); whether every tail
 * (REGION_WRITE data) is a view of its frame's bytes, i.e. no second copy.
 */
export function copiesOf(c: FramerCase, opt: ResolvedOptions): { views: number; assembled: number; tailsAreViews: boolean } {
  const fd = new FrameDecoder(opt);
  let views = 0;
  let assembled = 0;
  let tailsAreViews = true;
  let frames = 0;
  for (const ch of c.chunks) {
    fd.push(ch);
    for (let f = fd.next(); f !== null; f = fd.next()) {
      frames++;
      if (c.chunks.some((x) => x.buffer === f.bytes.buffer)) views++;
      else assembled++;
      const body = f.message.body as { data?: unknown } | null;
      if (body !== null && body.data instanceof Uint8Array && body.data.length > 0 && body.data.buffer !== f.bytes.buffer) tailsAreViews = false;
    }
  }
  if (frames !== c.messages) throw new Error(`${c.name}: ${frames} frames, expected ${c.messages}`);
  return { views, assembled, tailsAreViews };
}
