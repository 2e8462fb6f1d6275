/**
 * Decoding a capture: each message with the dialect of the side that sent
 * it, a decoding error kept in place of the message.
 */
import { commands } from '../spec.js';
import type { Message } from '../../generated/ts/messages.js';
import { decode, FLAG_TYPE_MASK, HEADER_SIZE } from '../codec.js';
import type { Side } from '../conversation.js';
import { VfioUserError } from '../errors.js';
import type { DialectName } from '../options.js';
import type { CaptureRecord, Direction } from './capture.js';

/** The dialect each side writes; `unknown` is used for messages whose sender the capture does not name. */
export interface Dialects {
  readonly client: DialectName;
  readonly server: DialectName;
  readonly unknown: DialectName;
}

/** The header fields, read without decoding the rest (null when the message is shorter than a header). */
export interface RawHeader {
  readonly msg_id: number;
  readonly cmd: number;
  readonly msg_size: number;
  readonly flags: number;
  readonly error_no: number;
}

/** One capture message and what decoding it gave. */
export interface Decoded {
  readonly record: CaptureRecord;
  readonly dialect: DialectName;
  /** Whether the draft commands were known when decoding. */
  readonly drafts: boolean;
  /** The message, or null when it did not decode. */
  readonly message: Message | null;
  /** The decoding error, when there was one. */
  readonly error: VfioUserError | null;
  readonly header: RawHeader | null;
}

/** The side that sent a message in direction `dir`. */
export function sideOf(dir: Direction): Side {
  return dir === 'c2s' ? 'client' : 'server';
}

/** The dialect of the sender of a message in direction `dir`. */
export function dialectOf(dialects: Dialects, dir: Direction | null): DialectName {
  return dir === null ? dialects.unknown : dialects[sideOf(dir)];
}

/** The header of `bytes`, or null when there are fewer than 16 bytes. */
export function rawHeader(bytes: Uint8Array): RawHeader | null {
  if (bytes.length < HEADER_SIZE) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  return { msg_id: v.getUint16(0, true), cmd: v.getUint16(2, true), msg_size: v.getUint32(4, true), flags: v.getUint32(8, true), error_no: v.getUint32(12, true) };
}

/**
 * Decodes one capture message with the dialect of its sender; with
 * `drafts`, the package's draft commands are known too.
 */
export function decodeRecord(record: CaptureRecord, dialects: Dialects, drafts = false): Decoded {
  const dialect = dialectOf(dialects, record.dir);
  const header = rawHeader(record.bytes);
  try {
    return { record, dialect, drafts, message: decode(record.bytes, { dialect, drafts }), error: null, header };
  } catch (e) {
    if (!(e instanceof VfioUserError)) throw e;
    return { record, dialect, drafts, message: null, error: e, header };
  }
}

const senderOf = new Map(commands.map((c) => [c.cmd, c.sender]));

/**
 * The side that sent a message whose capture does not say: the sender of a
 * command as spec/commands.ts names it, the other side for a reply; the
 * client when the header cannot be read or the command is unknown.
 */
export function inferSide(bytes: Uint8Array): Side {
  const h = rawHeader(bytes);
  if (h === null) return 'client';
  const sender = senderOf.get(h.cmd) ?? 'client';
  const isCommand = (h.flags & FLAG_TYPE_MASK) === 0;
  if (isCommand) return sender;
  return sender === 'client' ? 'server' : 'client';
}
