/**
 * Builders for messages with the right header flags: a command, its reply,
 * an error reply.
 */
import type { CommandByCmd, ErrorReply, ReplyByCmd } from '../generated/ts/messages.js';
import { FLAG_ERROR, FLAG_NO_REPLY, FLAG_TYPE_REPLY } from './codec.js';

/** A command number this package knows. */
export type KnownCmd = keyof CommandByCmd;

/**
 * A command message: flags type COMMAND, plus NO_REPLY when `noReply`.
 * @example command(2, 7, { argsz: 32, flags: 3, offset: 0n, addr: 0x10000n, size: 0x1000n })
 */
export function command<C extends KnownCmd>(cmd: C, msg_id: number, body: CommandByCmd[C]['body'], options: { noReply?: boolean } = {}): CommandByCmd[C] {
  return { kind: 'command', cmd, msg_id, flags: options.noReply === true ? FLAG_NO_REPLY : 0, error_no: 0, body } as CommandByCmd[C];
}

/** The reply to `request`: same cmd and msg_id, flags type REPLY. */
export function reply<C extends KnownCmd>(request: { cmd: C; msg_id: number }, body: ReplyByCmd[C]['body']): ReplyByCmd[C] {
  return { kind: 'reply', cmd: request.cmd, msg_id: request.msg_id, flags: FLAG_TYPE_REPLY, error_no: 0, body } as ReplyByCmd[C];
}

/** An error reply to `request` with `errno` (Linux numbering) and, rarely, a body. */
export function errorReply(request: { cmd: number; msg_id: number }, errno: number, body: Uint8Array = new Uint8Array(0)): ErrorReply {
  return { kind: 'error', cmd: request.cmd, msg_id: request.msg_id, flags: FLAG_TYPE_REPLY | FLAG_ERROR, error_no: errno, body };
}
