/**
 * The decoder's cold paths. The generated decode and decodeMessage
 * (generated/ts/messages.ts) decode commands, replies and error replies of
 * known commands; everything else comes here: a whole message of the wrong
 * size, an error reply out of range or typed as a command, raw messages
 * (allowUnknownCommands), and the refusal of a bad type or an unknown command.
 */
import { VFIO_USER_F_ERROR, VFIO_USER_F_TYPE_COMMAND, VFIO_USER_F_TYPE_MASK, VFIO_USER_F_TYPE_REPLY } from '../generated/ts/constants.js';
import { vfio_user_header_SIZE } from '../generated/ts/structs.js';
import type { Message } from '../generated/ts/messages.js';
import { ERROR_TYPED_AS_COMMAND } from './encode-paths.js';
import { invalid, needMore, VfioUserLimitError } from './errors.js';
import type { ResolvedOptions } from './options.js';

const HDR = vfio_user_header_SIZE;
const TYPE_MASK = VFIO_USER_F_TYPE_MASK;
const TYPE_COMMAND = VFIO_USER_F_TYPE_COMMAND;
const TYPE_REPLY = VFIO_USER_F_TYPE_REPLY;
const F_ERROR = VFIO_USER_F_ERROR;

/** An error reply, a raw message, or the refusal of a bad type or unknown command; `buf` is the buffer behind `v`. */
export function decodeOther(v: DataView, buf: ArrayBufferLike, m0: number, msgSize: number, opt: ResolvedOptions): Message {
  const msg_id = v.getUint16(m0, true);
  const cmd = v.getUint16(m0 + 2, true);
  const flags = v.getUint32(m0 + 8, true);
  const error_no = v.getUint32(m0 + 12, true);
  const type = flags & TYPE_MASK;
  const o = m0 + HDR;
  const n = msgSize - HDR;
  if ((flags & F_ERROR) !== 0 && (type === TYPE_REPLY || (type === TYPE_COMMAND && ERROR_TYPED_AS_COMMAND.has(opt.dialect)))) {
    if (error_no > opt.limits.maxErrorNo) errnoRange(cmd, msg_id, error_no, opt);
    return { kind: 'error', cmd, msg_id, flags, error_no, body: new Uint8Array(buf, o, n) };
  }
  if (type > TYPE_REPLY || (flags & F_ERROR) !== 0) badType(cmd, msg_id, flags);
  if (opt.allowUnknownCommands) return { kind: 'raw', cmd, msg_id, flags, error_no, body: new Uint8Array(buf, o, n) };
  return unknownOnWire(cmd, msg_id);
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

/**
 * The refusal of `bytes` given to decode as one whole message: fewer bytes than a header, a msg_size out of
 * range, or a msg_size other than the bytes given, checked in that order.
 */
export function refuseSize(bytes: Uint8Array, opt: ResolvedOptions): never {
  const avail = bytes.length;
  if (avail < HDR) return needMore(`a header needs 16 bytes, ${avail} given`, 0, HDR, avail);
  const v = new DataView(bytes.buffer, bytes.byteOffset, avail);
  const msgSize = v.getUint32(4, true);
  const cmd = v.getUint16(2, true);
  checkMsgSize(msgSize, cmd, v.getUint16(0, true), opt, 0);
  if (avail < msgSize) return needMore(`msg_size is ${msgSize}, ${avail} bytes given`, avail, msgSize, avail, cmd);
  return invalid('ERR_MSG_SIZE_MISMATCH', `msg_size is ${msgSize}, ${avail} bytes given`, msgSize, { cmd, needed: msgSize, available: avail });
}
