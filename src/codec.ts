/**
 * Whole-message decode and encode.
 *
 * decode() reads one complete message from a Uint8Array (any byteOffset)
 * and returns a typed Message whose tails are views into the input.
 * encodingLength() sizes a message, encodeInto() writes it into the
 * caller's buffer at an offset without allocating, encode() does both.
 */
import { COMMAND_NAMES, VFIO_USER_F_ERROR, VFIO_USER_F_NO_REPLY, VFIO_USER_F_TYPE_COMMAND, VFIO_USER_F_TYPE_MASK, VFIO_USER_F_TYPE_REPLY } from '../generated/ts/constants.js';
import { vfio_user_header_SIZE } from '../generated/ts/structs.js';
import {
  commandBodyLength, DIALECT_DECODERS, DRAFT_COMMANDS, encodeCommandBody, encodeReplyBody, NULL_BODY_EMPTY, replyBodyLength, type DecoderTable, type Message,
} from '../generated/ts/messages.js';
import { encodeError, invalid, needMore, VfioUserLimitError } from './errors.js';
import { resolveOptions, type CodecOptions, type ResolvedOptions } from './options.js';
import { dialects } from './spec.js';
import { badField, badShape, checkBytes, view, viewsOf } from './wire.js';

/** Size of the message header (vfio_user_header_SIZE). */
export const HEADER_SIZE = vfio_user_header_SIZE;
/** Type bits of vfio_user_header.flags (VFIO_USER_F_TYPE_MASK). */
export const FLAG_TYPE_MASK = VFIO_USER_F_TYPE_MASK;
const FLAG_TYPE_COMMAND = VFIO_USER_F_TYPE_COMMAND;
/** VFIO_USER_F_TYPE_REPLY. */
export const FLAG_TYPE_REPLY = VFIO_USER_F_TYPE_REPLY;
/** VFIO_USER_F_NO_REPLY. */
export const FLAG_NO_REPLY = VFIO_USER_F_NO_REPLY;
/** VFIO_USER_F_ERROR. */
export const FLAG_ERROR = VFIO_USER_F_ERROR;
// The constants the code below reads, unexported: V8 reads a module's own unexported constant with one load,
// and an exported or imported one with several, on every call.
const HDR = vfio_user_header_SIZE;
const TYPE_MASK = VFIO_USER_F_TYPE_MASK;
const TYPE_REPLY = VFIO_USER_F_TYPE_REPLY;
const F_ERROR = VFIO_USER_F_ERROR;
const ERROR_FLAGS_MASK = VFIO_USER_F_TYPE_MASK | VFIO_USER_F_ERROR;
const ERROR_FLAGS = VFIO_USER_F_TYPE_REPLY | VFIO_USER_F_ERROR;
const NULL_EMPTY = NULL_BODY_EMPTY;
const DECODERS = DIALECT_DECODERS;
const ENCODE_COMMAND = encodeCommandBody;
const ENCODE_REPLY = encodeReplyBody;

/**
 * Decodes one whole message. `bytes` must hold exactly one message
 * (msg_size bytes); use {@link FrameDecoder} for a stream.
 *
 * @throws VfioUserTruncatedError (ERR_NEED_MORE) when bytes end early;
 *   VfioUserInvalidError or VfioUserLimitError when the bytes are wrong.
 *   No other exception escapes, whatever the input.
 */
export function decode(bytes: Uint8Array, options?: CodecOptions): Message {
  const opt = resolveOptions(options);
  const avail = bytes.length;
  if (avail < HDR) shortHeader(avail);
  const { v } = viewsOf(bytes);
  const m0 = bytes.byteOffset;
  const msgSize = v.getUint32(m0 + 4, true);
  if (msgSize < HDR || msgSize > opt.limits.maxMessageSize) checkMsgSize(msgSize, v.getUint16(m0 + 2, true), v.getUint16(m0, true), opt, 0);
  if (avail !== msgSize) wrongSize(v, m0, msgSize, avail);
  return decodeAt(v, m0, msgSize, opt);
}

/**
 * Checks a header's msg_size: at least 16 and at most maxMessageSize.
 * `offset` is where the message starts in the caller's frame of reference.
 */
export function checkMsgSize(msgSize: number, cmd: number, msgId: number, opt: ResolvedOptions, offset: number): void {
  if (msgSize < HDR) invalid('ERR_MSG_SIZE_SMALL', `msg_size ${msgSize} is below the 16-byte header`, offset + 4, { cmd, value: msgSize, msgId });
  const max = opt.limits.maxMessageSize;
  if (msgSize > max) {
    throw new VfioUserLimitError('ERR_MESSAGE_TOO_LARGE', `msg_size ${msgSize} exceeds maxMessageSize ${max}`, offset + 4, {
      cmd,
      value: msgSize,
      limitName: 'maxMessageSize',
      limit: max,
      msgId,
    });
  }
}

/** Dialects whose error replies an implementation once typed as commands (ERROR with type bits 0). */
const ERROR_TYPED_AS_COMMAND: ReadonlySet<string> = new Set(dialects.filter((d) => d.errorTypedAsCommand !== undefined).map((d) => d.name));

/** Decodes the message of `msgSize` bytes at absolute offset `m0` of `v`'s buffer (header already size-checked). */
export function decodeAt(v: DataView, m0: number, msgSize: number, opt: ResolvedOptions): Message {
  const cmd = v.getUint16(m0 + 2, true);
  const flags = v.getUint32(m0 + 8, true);
  const type = flags & TYPE_MASK;
  // Commands and replies take the short path; error replies, raw and refused messages the cold one.
  if (type > TYPE_REPLY || (flags & F_ERROR) !== 0) return decodeOther(v, m0, msgSize, opt);
  const pair = opt.drafts || !isDraft(cmd) ? (DECODERS[opt.dialect] as DecoderTable)[cmd] : undefined;
  if (pair === undefined) return decodeOther(v, m0, msgSize, opt);
  // A header-only message whose body may be empty in every dialect does not call its decoder.
  const n = msgSize - HDR;
  const body = n === 0 && NULL_EMPTY[type]![cmd] === 1 ? null : pair[type]!(v, m0 + HDR, n, m0, opt);
  return { kind: type === FLAG_TYPE_COMMAND ? 'command' : 'reply', cmd, msg_id: v.getUint16(m0, true), flags, error_no: v.getUint32(m0 + 12, true), body } as Message;
}

/** An error reply, a raw message (allowUnknownCommands), or the refusal of a bad type or unknown command. */
function decodeOther(v: DataView, m0: number, msgSize: number, opt: ResolvedOptions): Message {
  const msg_id = v.getUint16(m0, true);
  const cmd = v.getUint16(m0 + 2, true);
  const flags = v.getUint32(m0 + 8, true);
  const error_no = v.getUint32(m0 + 12, true);
  const type = flags & TYPE_MASK;
  const o = m0 + HDR;
  const n = msgSize - HDR;
  if ((flags & F_ERROR) !== 0 && (type === TYPE_REPLY || (type === FLAG_TYPE_COMMAND && ERROR_TYPED_AS_COMMAND.has(opt.dialect)))) {
    if (error_no > opt.limits.maxErrorNo) errnoRange(cmd, msg_id, error_no, opt);
    return { kind: 'error', cmd, msg_id, flags, error_no, body: view(v, o, n) };
  }
  if (type > TYPE_REPLY || (flags & F_ERROR) !== 0) badType(cmd, msg_id, flags);
  if (opt.allowUnknownCommands) return { kind: 'raw', cmd, msg_id, flags, error_no, body: view(v, o, n) };
  return unknownOnWire(cmd, msg_id);
}

/**
 * Size in bytes of the message's body, after checking what chooses its
 * encoder: the message is an object, its kind agrees with its flags, and its
 * command is known (a draft one only with the `drafts` option).
 */
function bodyLength(m: Message, opt: ResolvedOptions): number {
  if (typeof m !== 'object' || m === null) return badShape('message must be an object');
  const { kind, flags } = m;
  if (kind !== 'command' && kind !== 'reply') return otherBodyLength(m, opt);
  if (flags >>> 0 !== flags) badField('vfio_user_header.flags', flags);
  if ((flags & (TYPE_MASK | F_ERROR)) !== (kind === 'command' ? FLAG_TYPE_COMMAND : TYPE_REPLY)) wrongType(kind, flags);
  const cmd = m.cmd;
  if (!opt.drafts && isDraft(cmd)) return unknownCommand(cmd);
  const len = kind === 'command' ? commandBodyLength(cmd, m.body, opt) : replyBodyLength(cmd, m.body, opt);
  return len < 0 ? unknownCommand(cmd) : len;
}

/** bodyLength() of an error reply, a raw message, or a message of no known kind (kept out of the common path). */
function otherBodyLength(m: Message, opt: ResolvedOptions): number {
  const { kind, flags } = m;
  if (flags >>> 0 !== flags) badField('vfio_user_header.flags', flags);
  const typeAndError = flags & (TYPE_MASK | F_ERROR);
  if (kind === 'error' ? typeAndError !== (TYPE_REPLY | F_ERROR) && !(typeAndError === F_ERROR && ERROR_TYPED_AS_COMMAND.has(opt.dialect)) : kind !== 'raw') wrongKind(kind, flags);
  return checkBytes('body', m.body).length;
}

/** Size in bytes of the encoded message, header included. */
export function encodingLength(message: Message, options?: CodecOptions): number {
  try {
    return HDR + bodyLength(message, resolveOptions(options));
  } catch (e) {
    return wrongJsType(e, message);
  }
}

/**
 * Writes the message into `target` at `offset`; returns the bytes written.
 * Allocates nothing. Every field is checked against its wire type, and
 * every length field against its tail; protocol rules are decode's job.
 *
 * @throws VfioUserEncodeError (ERR_ENCODE_SPACE when target is too small).
 */
export function encodeInto(message: Message, target: Uint8Array, offset = 0, options?: CodecOptions): number {
  const opt = resolveOptions(options);
  try {
    // Each kind goes straight to its writer. Error replies are tested first: their writer is a call (it does not inline).
    const kind = typeof message === 'object' && message !== null ? message.kind : undefined;
    return kind === 'error' ? writeError(message, target, offset, opt) : kind === 'command' || kind === 'reply' ? writeMessage(message, target, offset, opt) : writeOther(message, target, offset, opt);
  } catch (e) {
    return wrongJsType(e, message);
  }
}

/** Encodes the message into a new Uint8Array. */
export function encode(message: Message, options?: CodecOptions): Uint8Array {
  const opt = resolveOptions(options);
  try {
    const out = new Uint8Array(HDR + bodyLength(message, opt));
    if (message.kind === 'command' || message.kind === 'reply') writeMessage(message, out, 0, opt);
    else writeOther(message, out, 0, opt);
    return out;
  } catch (e) {
    return wrongJsType(e, message);
  }
}

/**
 * Rethrows the package's errors as they are; a TypeError raised by a field
 * of the wrong JavaScript type (a bigint where a number goes: `Cannot mix
 * BigInt and other types`) becomes ERR_ENCODE_FIELD, naming the header field
 * when it is one of them.
 */
function wrongJsType(e: unknown, message: Message): never {
  if (!(e instanceof TypeError)) throw e;
  const m = message as unknown as Record<string, unknown>;
  for (const f of ['msg_id', 'cmd', 'flags', 'error_no']) {
    if (typeof m?.[f] !== 'number') badField(`vfio_user_header.${f}`, m?.[f]);
  }
  return encodeError('ERR_ENCODE_FIELD', `a field has the wrong JavaScript type: ${e.message}`, { field: 'body' });
}

/**
 * Writes a command or reply (its kind already read) at `offset`; returns its size. It is
 * checked and written in one pass: its kind, flags and header fields, then
 * one generated switch on the command number that sizes the body, checks
 * the room, and checks and writes each field; the header is written last.
 * Every check that fails, and every rare case, leaves through one test to a
 * cold function, so that this one stays under V8's inlining budget.
 */
function writeMessage(m: Message, target: Uint8Array, offset: number, opt: ResolvedOptions): number {
  const { msg_id, cmd, flags, error_no } = m;
  const reply = m.kind === 'reply' ? 1 : 0;
  // The checks of checkHeader, in its order; any that fails (or a command number in the draft range) replays them there.
  if (
    flags >>> 0 !== flags ||
    (flags & (TYPE_MASK | F_ERROR)) !== (reply === 1 ? TYPE_REPLY : FLAG_TYPE_COMMAND) ||
    typeof cmd !== 'number' ||
    (cmd >= FIRST_DRAFT && !opt.drafts) ||
    (msg_id & 0xffff) !== msg_id ||
    (cmd & 0xffff) !== cmd ||
    error_no >>> 0 !== error_no
  ) {
    checkHeader(m, opt);
  }
  const room = target.length - offset - HDR;
  if (!(offset >= 0 && room >= 0) || !Number.isInteger(offset)) return noRoomFor(m, offset, target, opt);
  const { v, b } = viewsOf(target);
  const o = target.byteOffset + offset;
  const body = m.body;
  // A header-only message (most replies to writes and maps) does not call the body switch.
  const n = body === null && NULL_EMPTY[reply][cmd] === 1 ? 0 : (reply === 0 ? ENCODE_COMMAND : ENCODE_REPLY)(cmd, v, b, o + HDR, room, body, opt);
  if (n < 0) return bodyRefused(n, cmd, offset, target);
  return writeHeader(v, o, msg_id, cmd, HDR + n, flags, error_no);
}

/** Writes a header whose fields are checked, at absolute offset `o`; returns msg_size. */
function writeHeader(v: DataView, o: number, msg_id: number, cmd: number, len: number, flags: number, error_no: number): number {
  if (len > 0xffffffff) tooLarge(len);
  v.setUint16(o, msg_id, true);
  v.setUint16(o + 2, cmd, true);
  v.setUint32(o + 4, len, true);
  v.setUint32(o + 8, flags, true);
  v.setUint32(o + 12, error_no, true);
  return len;
}

/**
 * The header checks of a command or reply, in order: flags fit and agree
 * with the kind, the command is known (a draft one only with the `drafts`
 * option), msg_id, cmd and error_no fit their fields. Throws for the first
 * that fails.
 */
function checkHeader(m: Message, opt: ResolvedOptions): void {
  const { kind, msg_id, cmd, flags, error_no } = m;
  if (flags >>> 0 !== flags) badField('vfio_user_header.flags', flags);
  if ((flags & (TYPE_MASK | F_ERROR)) !== (kind === 'command' ? FLAG_TYPE_COMMAND : TYPE_REPLY)) wrongType(kind, flags);
  // A cmd that is not a number is an unknown command, whatever it converts to.
  if (typeof cmd !== 'number' || (!opt.drafts && isDraft(cmd))) unknownCommand(cmd);
  if ((msg_id & 0xffff) !== msg_id || (cmd & 0xffff) !== cmd || error_no >>> 0 !== error_no) badHeader(msg_id, cmd, error_no);
}

/** The target has no room for the header at `offset`: names the whole message's size. */
function noRoomFor(m: Message, offset: number, target: Uint8Array, opt: ResolvedOptions): never {
  return noRoom(HDR + bodyLength(m, opt), offset, target.length);
}

/** A body switch's refusal: -1 for an unknown command, -2 - needed for a body that does not fit. */
function bodyRefused(n: number, cmd: number, offset: number, target: Uint8Array): never {
  return n === -1 ? unknownCommand(cmd) : noRoom(HDR - 2 - n, offset, target.length);
}

/**
 * writeMessage() of an error reply (its kind already read). One whose flags
 * are REPLY | ERROR, whose body is a Uint8Array and whose fields all fit is
 * written here; anything else goes to writeOther, which checks in order and
 * throws for the first failure.
 */
function writeError(m: Message, target: Uint8Array, offset: number, opt: ResolvedOptions): number {
  const { msg_id, cmd, flags, error_no, body } = m;
  if (flags >>> 0 !== flags || (flags & ERROR_FLAGS_MASK) !== ERROR_FLAGS || !(body instanceof Uint8Array)) return writeOther(m, target, offset, opt);
  const len = HDR + body.length;
  if (!(offset >= 0 && offset + len <= target.length) || !Number.isInteger(offset) || (msg_id & 0xffff) !== msg_id || (cmd & 0xffff) !== cmd || error_no >>> 0 !== error_no) {
    return writeOther(m, target, offset, opt);
  }
  const { v, b } = viewsOf(target);
  const o = target.byteOffset + offset;
  if (len !== HDR) b.set(body, o + HDR);
  return writeHeader(v, o, msg_id, cmd, len, flags, error_no);
}

/**
 * writeMessage() of a raw message, a message of no known kind, a value that
 * is not a message, or an error reply that writeError does not take. Checks in
 * order (the kind and flags, the body, the room, then the header fields) and
 * throws for the first failure.
 */
function writeOther(m: Message, target: Uint8Array, offset: number, opt: ResolvedOptions): number {
  if (typeof m !== 'object' || m === null) return badShape('message must be an object');
  const { kind, msg_id, cmd, flags, error_no, body } = m;
  // The common case, an error reply with flags REPLY | ERROR, is checked inline; anything else by otherBodyLength.
  if (kind !== 'error' || flags >>> 0 !== flags || (flags & (TYPE_MASK | F_ERROR)) !== (TYPE_REPLY | F_ERROR)) otherBodyLength(m, opt);
  const len = HDR + (body instanceof Uint8Array ? body : checkBytes('body', body)).length;
  if (!(offset >= 0 && offset + len <= target.length && len <= 0xffffffff) || !Number.isInteger(offset)) noRoom(len, offset, target.length);
  if ((msg_id & 0xffff) !== msg_id || (cmd & 0xffff) !== cmd || error_no >>> 0 !== error_no) badHeader(msg_id, cmd, error_no);
  const { v, b } = viewsOf(target);
  const o = target.byteOffset + offset;
  b.set(body as Uint8Array, o + HDR);
  return writeHeader(v, o, msg_id, cmd, len, flags, error_no);
}

/** The C name of a command number, or `UNKNOWN(n)`. */
export function commandName(cmd: number): string {
  return COMMAND_NAMES[cmd] ?? `UNKNOWN(${cmd})`;
}

/** Draft command numbers are few and above the base ones: a comparison keeps the Set lookup off the common path. */
const FIRST_DRAFT = Math.min(...DRAFT_COMMANDS);
function isDraft(cmd: number): boolean {
  return cmd >= FIRST_DRAFT && DRAFT_COMMANDS.has(cmd);
}

// Cold paths: error messages built here keep bodyLength, writeMessage and encodeInto small enough to inline.
function wrongType(kind: string, flags: number): never {
  return kind === 'error'
    ? badShape(`an error reply needs flags type REPLY and ERROR, got 0x${flags.toString(16)}`)
    : badShape(`a ${kind} needs flags type ${kind === 'command' ? 'COMMAND' : 'REPLY'} without ERROR, got 0x${flags.toString(16)}`);
}
function unknownCommand(cmd: unknown): never {
  return badShape(`unknown command ${String(cmd)}${DRAFT_COMMANDS.has(cmd as number) ? ' (a draft command: set the drafts option)' : ''}`);
}
/** An error reply whose flags are not REPLY with ERROR, or a kind that does not exist. */
function wrongKind(kind: unknown, flags: number): never {
  return kind === 'error' ? wrongType(kind, flags) : badShape(`unknown message kind ${String(kind)}`);
}
function noSpace(len: number, offset: number, available: number): never {
  return encodeError('ERR_ENCODE_SPACE', `a ${len}-byte message does not fit at offset ${offset} of ${available} bytes`, { needed: len, available: available - offset });
}
/** Throws for the first of msg_id, cmd and error_no that does not fit its field. */
function badHeader(msg_id: number, cmd: number, error_no: number): never {
  if ((msg_id & 0xffff) !== msg_id) badField('vfio_user_header.msg_id', msg_id);
  if ((cmd & 0xffff) !== cmd) badField('vfio_user_header.cmd', cmd);
  return badField('vfio_user_header.error_no', error_no);
}
/** The target cannot take the message: no space at that offset, or more bytes than msg_size can say. */
function noRoom(len: number, offset: number, available: number): never {
  if (!Number.isInteger(offset) || offset < 0 || offset + len > available) noSpace(len, offset, available);
  return tooLarge(len);
}
function tooLarge(len: number): never {
  return encodeError('ERR_ENCODE_SPACE', `message of ${len} bytes exceeds msg_size's range`, { needed: len });
}
function wrongSize(v: DataView, m0: number, msgSize: number, avail: number): never {
  const cmd = v.getUint16(m0 + 2, true);
  if (avail < msgSize) return needMore(`msg_size is ${msgSize}, ${avail} bytes given`, avail, msgSize, avail, cmd);
  return invalid('ERR_MSG_SIZE_MISMATCH', `msg_size is ${msgSize}, ${avail} bytes given`, msgSize, { cmd, needed: msgSize, available: avail });
}
function shortHeader(avail: number): never {
  return needMore(`a header needs 16 bytes, ${avail} given`, 0, HDR, avail);
}
function errnoRange(cmd: number, msgId: number, errorNo: number, opt: ResolvedOptions): never {
  return invalid('ERR_ERRNO_RANGE', `error_no ${errorNo} exceeds ${opt.limits.maxErrorNo}`, 12, { cmd, value: errorNo, msgId });
}
function badType(cmd: number, msgId: number, flags: number): never {
  const type = flags & TYPE_MASK;
  return invalid('ERR_BAD_TYPE', `flags 0x${flags.toString(16)}: type ${type}${type <= 1 ? ' with ERROR' : ''} is not a message type`, 8, { cmd, value: flags, msgId });
}
function unknownOnWire(cmd: number, msgId: number): never {
  return invalid('ERR_UNKNOWN_COMMAND', `unknown command ${cmd}`, 2, { cmd, value: cmd, msgId });
}
