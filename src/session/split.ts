/**
 * Sending a message whose body ends in a large data tail (REGION_WRITE,
 * REGION_READ reply, DMA_READ reply, DMA_WRITE, MIG_DATA_WRITE) without
 * copying the tail: the header and struct are encoded on their own (with a
 * zero count and no data), then msg_size and the count field are set to the
 * tail's length, and the channel writes head and tail with one sendmsg of
 * an iovec. Which messages qualify, and where their count field is, comes
 * from spec/commands.ts and spec/structs.ts; a message a dialect lays out
 * differently (spec/dialects.ts) is encoded whole.
 */
import { commands, dialects, structs } from '../spec.js';
import type { Message } from '../../generated/ts/messages.js';
import { encode, HEADER_SIZE } from '../codec.js';
import type { ResolvedOptions } from '../options.js';

/** Tails shorter than this are encoded with the message (a copy costs less than a second iovec entry then). */
export const SPLIT_MIN_TAIL = 16 * 1024;

const SIZE: Readonly<Record<string, number>> = { u8: 1, u16: 2, u32: 4, s32: 4, u64: 8 };

interface DataTail {
  /** Body key of the tail. */
  readonly name: string;
  /** Body key of the count field, its offset in the body and its size (4 or 8). */
  readonly field: string;
  readonly at: number;
  readonly size: number;
}

/** Key: cmd * 2 + (1 for a reply). */
const tails = new Map<number, DataTail>();
for (const c of commands) {
  for (const [which, body] of [
    ['request', c.request],
    ['reply', c.reply],
  ] as const) {
    const t = body.kind === 'struct' ? body.tail : undefined;
    if (body.kind !== 'struct' || t?.kind !== 'bytes' || t.atLeast === true || t.when !== undefined || t.length === 'rest' || !('field' in t.length)) continue;
    const lengthField = t.length.field;
    const struct = structs.find((s) => s.name === body.struct);
    if (struct === undefined || !struct.packed) continue;
    let at = 0;
    let found: DataTail | null = null;
    for (const f of struct.fields) {
      const size = SIZE[f.type];
      if (size === undefined) break;
      if (f.name === lengthField && (size === 4 || size === 8)) found = { name: t.name, field: f.name, at, size };
      at += size;
    }
    if (found !== null) tails.set(c.cmd * 2 + (which === 'reply' ? 1 : 0), found);
  }
}

/** Messages each dialect lays out its own way, by the same key. */
const overridden = new Map<string, Set<number>>(dialects.map((d) => [d.name, new Set(d.overrides.map((o) => o.cmd * 2 + (o.message === 'reply' ? 1 : 0)))]));

const EMPTY = new Uint8Array(0);

/**
 * The head (header and struct, msg_size and count covering the tail) and the
 * tail of `message`, or null when it has no data tail of at least
 * {@link SPLIT_MIN_TAIL} bytes, or the dialect lays it out its own way, or
 * its count disagrees with its data (encode() then reports that).
 */
export function splitTail(message: Message, opt: ResolvedOptions, dialect: string): { head: Uint8Array; tail: Uint8Array } | null {
  if (message.kind !== 'command' && message.kind !== 'reply') return null;
  const key = message.cmd * 2 + (message.kind === 'reply' ? 1 : 0);
  const t = tails.get(key);
  if (t === undefined || overridden.get(dialect)?.has(key) === true) return null;
  const body = message.body as Record<string, unknown> | null;
  if (body === null) return null;
  const data = body[t.name];
  const count = body[t.field];
  if (!(data instanceof Uint8Array) || data.length < SPLIT_MIN_TAIL) return null;
  if (count !== (t.size === 8 ? BigInt(data.length) : data.length)) return null;
  const head = encode({ ...message, body: { ...body, [t.name]: EMPTY, [t.field]: t.size === 8 ? 0n : 0 } } as unknown as Message, opt);
  const v = new DataView(head.buffer, head.byteOffset, head.length);
  v.setUint32(4, head.length + data.length, true);
  if (t.size === 8) v.setBigUint64(HEADER_SIZE + t.at, BigInt(data.length), true);
  else v.setUint32(HEADER_SIZE + t.at, data.length, true);
  return { head, tail: data };
}
