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
import { commandBodyLength, decode, decodeMessage, encodeInto, replyBodyLength, type Message } from '../generated/ts/messages.js';
import { checkMsgSize } from './decode-paths.js';
import { isDraft, otherBodyLength, unknownCommand, wrongJsType, wrongType } from './encode-paths.js';
import { resolveOptions, type CodecOptions, type ResolvedOptions } from './options.js';
import { badField, badShape, bufferOf } from './wire.js';

/**
 * Writes the message into `target` at `offset`; returns the bytes written.
 * Allocates nothing. The encoder is generated (generated/ts/messages.ts): one
 * function, whose switch on the command number holds each body's code.
 */
export { encodeInto };

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

/**
 * Decodes one whole message; generated (generated/ts/messages.ts) as one
 * function whose switch on the command number holds each body's code.
 */
export { decode };

/** Checks a header's msg_size: at least 16 and at most maxMessageSize (src/decode-paths.ts). */
export { checkMsgSize };

/** Decodes the message of `msgSize` bytes at absolute offset `m0` of `v`'s buffer (header already size-checked). */
export function decodeAt(v: DataView, m0: number, msgSize: number, opt: ResolvedOptions): Message {
  return decodeMessage(v, bufferOf(v), m0, msgSize, opt);
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

/** Size in bytes of the encoded message, header included. */
export function encodingLength(message: Message, options?: CodecOptions): number {
  try {
    return HDR + bodyLength(message, resolveOptions(options));
  } catch (e) {
    return wrongJsType(e, message);
  }
}

/** Encodes the message into a new Uint8Array. */
export function encode(message: Message, options?: CodecOptions): Uint8Array {
  const opt = resolveOptions(options);
  let out: Uint8Array;
  try {
    out = new Uint8Array(HDR + bodyLength(message, opt));
  } catch (e) {
    return wrongJsType(e, message);
  }
  encodeInto(message, out, 0, opt);
  return out;
}

/** The C name of a command number, or `UNKNOWN(n)`. */
export function commandName(cmd: number): string {
  return COMMAND_NAMES[cmd] ?? `UNKNOWN(${cmd})`;
}
