/**
 * The encoder's cold paths. The generated encodeInto (generated/ts/messages.ts)
 * tests a message with one condition per step and, when it fails, comes
 * here: these functions check in order and throw the error of the first
 * check that fails. Kept apart so that the encoder's own code is only the
 * common case.
 */
import { DRAFT_COMMANDS, VFIO_USER_F_ERROR, VFIO_USER_F_TYPE_COMMAND, VFIO_USER_F_TYPE_MASK, VFIO_USER_F_TYPE_REPLY } from '../generated/ts/constants.js';
import { vfio_user_header_SIZE } from '../generated/ts/structs.js';
import type { Message } from '../generated/ts/messages.js';
import { encodeError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { dialects } from './spec.js';
import { badField, badShape, checkBytes, viewsOf } from './wire.js';

const HDR = vfio_user_header_SIZE;
const TYPE_MASK = VFIO_USER_F_TYPE_MASK;
const TYPE_COMMAND = VFIO_USER_F_TYPE_COMMAND;
const TYPE_REPLY = VFIO_USER_F_TYPE_REPLY;
const F_ERROR = VFIO_USER_F_ERROR;

/** Dialects whose error replies an implementation once typed as commands (ERROR with type bits 0). */
export const ERROR_TYPED_AS_COMMAND: ReadonlySet<string> = new Set(dialects.filter((d) => d.errorTypedAsCommand !== undefined).map((d) => d.name));

/** Draft command numbers are few and above the base ones: a comparison keeps the Set lookup off the common path. */
const FIRST_DRAFT = Math.min(...DRAFT_COMMANDS);

/** Whether `cmd` is a command of the draft extension. */
export function isDraft(cmd: number): boolean {
  return cmd >= FIRST_DRAFT && DRAFT_COMMANDS.has(cmd);
}

/**
 * The header checks of a command or reply, in order: flags fit and agree
 * with the kind, the command is known (a draft one only with the `drafts`
 * option), msg_id, cmd and error_no fit their fields. Throws for the first
 * that fails.
 */
export function checkHeader(m: Message, opt: ResolvedOptions): void {
  const { kind, msg_id, cmd, flags, error_no } = m;
  if (flags >>> 0 !== flags) badField('vfio_user_header.flags', flags);
  if ((flags & (TYPE_MASK | F_ERROR)) !== (kind === 'command' ? TYPE_COMMAND : TYPE_REPLY)) wrongType(kind, flags);
  // A cmd that is not a number is an unknown command, whatever it converts to.
  if (typeof cmd !== 'number' || (!opt.drafts && isDraft(cmd))) unknownCommand(cmd);
  if ((msg_id & 0xffff) !== msg_id || (cmd & 0xffff) !== cmd || error_no >>> 0 !== error_no) badHeader(msg_id, cmd, error_no);
}

/** The body size of an error reply, a raw message, or a message of no known kind, after checking its kind and flags. */
export function otherBodyLength(m: Message, opt: ResolvedOptions): number {
  const { kind, flags } = m;
  if (flags >>> 0 !== flags) badField('vfio_user_header.flags', flags);
  const typeAndError = flags & (TYPE_MASK | F_ERROR);
  if (kind === 'error' ? typeAndError !== (TYPE_REPLY | F_ERROR) && !(typeAndError === F_ERROR && ERROR_TYPED_AS_COMMAND.has(opt.dialect)) : kind !== 'raw') wrongKind(kind, flags);
  return checkBytes('body', m.body).length;
}

/**
 * encodeInto() of a raw message, a message of no known kind, a value that
 * is not a message, or an error reply that encodeInto does not take. Checks
 * in order (the kind and flags, the body, the room, then the header fields)
 * and throws for the first failure.
 */
export function encodeOther(m: Message, target: Uint8Array, offset: number, opt: ResolvedOptions): number {
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
  v.setUint16(o, msg_id, true);
  v.setUint16(o + 2, cmd, true);
  v.setUint32(o + 4, len, true);
  v.setUint32(o + 8, flags, true);
  v.setUint32(o + 12, error_no, true);
  return len;
}

/**
 * Rethrows the package's errors as they are; a TypeError raised by a field
 * of the wrong JavaScript type (a bigint where a number goes: `Cannot mix
 * BigInt and other types`) becomes ERR_ENCODE_FIELD, naming the header field
 * when it is one of them.
 */
export function wrongJsType(e: unknown, message: Message): never {
  if (!(e instanceof TypeError)) throw e;
  const m = message as unknown as Record<string, unknown>;
  for (const f of ['msg_id', 'cmd', 'flags', 'error_no']) {
    if (typeof m?.[f] !== 'number') badField(`vfio_user_header.${f}`, m?.[f]);
  }
  return encodeError('ERR_ENCODE_FIELD', `a field has the wrong JavaScript type: ${e.message}`, { field: 'body' });
}

/** A command or reply whose flags do not agree with its kind. */
export function wrongType(kind: string, flags: number): never {
  return kind === 'error'
    ? badShape(`an error reply needs flags type REPLY and ERROR, got 0x${flags.toString(16)}`)
    : badShape(`a ${kind} needs flags type ${kind === 'command' ? 'COMMAND' : 'REPLY'} without ERROR, got 0x${flags.toString(16)}`);
}

/** A command number this package does not know (or a draft one without the `drafts` option). */
export function unknownCommand(cmd: unknown): never {
  return badShape(`unknown command ${String(cmd)}${DRAFT_COMMANDS.has(cmd as number) ? ' (a draft command: set the drafts option)' : ''}`);
}

/** An error reply whose flags are not REPLY with ERROR, or a kind that does not exist. */
function wrongKind(kind: unknown, flags: number): never {
  return kind === 'error' ? wrongType(kind, flags) : badShape(`unknown message kind ${String(kind)}`);
}

/** Throws for the first of msg_id, cmd and error_no that does not fit its field. */
function badHeader(msg_id: number, cmd: number, error_no: number): never {
  if ((msg_id & 0xffff) !== msg_id) badField('vfio_user_header.msg_id', msg_id);
  if ((cmd & 0xffff) !== cmd) badField('vfio_user_header.cmd', cmd);
  return badField('vfio_user_header.error_no', error_no);
}

/** The target cannot take the `len`-byte message: no space at that offset, or more bytes than msg_size can say. */
export function noRoom(len: number, offset: number, available: number): never {
  if (!Number.isInteger(offset) || offset < 0 || offset + len > available) {
    encodeError('ERR_ENCODE_SPACE', `a ${len}-byte message does not fit at offset ${offset} of ${available} bytes`, { needed: len, available: available - offset });
  }
  return tooLarge(len);
}

/** A message of more bytes than msg_size can say. */
export function tooLarge(len: number): never {
  return encodeError('ERR_ENCODE_SPACE', `message of ${len} bytes exceeds msg_size's range`, { needed: len });
}
