/**
 * The errors of a session, the `session` class of the error catalogue
 * (spec/errors.ts): the peer answered with an error reply, the connection went
 * away, a reply took too long or was not one the protocol allows, a DMA
 * address matched no mapping, something was not negotiated. Rules a local
 * caller breaks (too many fds, an iommufd command before negotiation, a
 * transfer above the peer's limit) are the codec's own
 * {@link VfioUserProtocolError}s.
 *
 * Match on `code`, never on the message text.
 */
import { errno as errnoTable, errnoNames, errorCodes } from '../spec.js';
import { ERRNO, type SessionErrorCode } from '../../generated/ts/types.js';

export { ERRNO } from '../../generated/ts/types.js';
import { commandName } from '../codec.js';
import type { VfioUserError } from '../errors.js';

export type { SessionErrorCode } from '../../generated/ts/types.js';

function byName(name: string): number {
  const n = errnoTable[name];
  if (n === undefined) throw new Error(`spec/errno.ts has no ${name}`);
  return n;
}

/** The errno of each session code, from the catalogue. */
const DEFAULT_ERRNO = new Map<string, number>(errorCodes.filter((e) => e.class === 'session').map((e) => [e.code, byName(e.errno)]));

/** What a session error is about. */
export interface SessionErrorDetails {
  /** Command number of the request concerned. */
  readonly cmd?: number;
  /** msg_id of the request concerned. */
  readonly msgId?: number;
  /** errno (Linux numbering): the peer's error_no for ERR_REMOTE; otherwise what a server answers with. */
  readonly errno?: number;
  /** The codec error behind an ERR_BAD_REPLY. */
  readonly cause?: VfioUserError | Error;
  /** The session limit an ERR_SESSION_LIMIT is about (spec/limits.ts sessionLimits). */
  readonly limitName?: string;
  /** Its value. */
  readonly limit?: number;
}

/**
 * A session failed: see {@link SessionErrorCode}. `errno` is the errno a
 * server answers with when the failure is a request's (ERR_DMA_FAULT:
 * EFAULT), or the peer's own error_no (ERR_REMOTE).
 */
export class VfioUserSessionError extends Error {
  override readonly name: string = 'VfioUserSessionError';
  readonly code: SessionErrorCode;
  readonly errno: number;
  readonly cmd: number | undefined;
  readonly msgId: number | undefined;
  /** The session limit of an ERR_SESSION_LIMIT. */
  readonly limitName: string | undefined;
  readonly limit: number | undefined;

  constructor(code: SessionErrorCode, message: string, details: SessionErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.errno = details.errno ?? DEFAULT_ERRNO.get(code)!;
    this.cmd = details.cmd;
    this.msgId = details.msgId;
    this.limitName = details.limitName;
    this.limit = details.limit;
  }
}

/** The peer answered a request with an error reply (`code` ERR_REMOTE, `errno` its error_no). */
export class VfioUserRemoteError extends VfioUserSessionError {
  override readonly name = 'VfioUserRemoteError';

  constructor(cmd: number, msgId: number, errno: number) {
    super('ERR_REMOTE', `${commandName(cmd)} (msg_id ${msgId}) failed: ${errnoNames[errno] ?? 'errno'} (${errno})`, { cmd, msgId, errno });
  }
}

/**
 * What a device handler throws to answer a request with an error reply:
 * `new ErrnoError(ERRNO.ENOENT, 'no such window')`. Any other exception a
 * handler throws is answered with EINVAL, or with its `errno` when it has a
 * numeric one (the package's errors do).
 */
export class ErrnoError extends Error {
  override readonly name = 'ErrnoError';
  readonly errno: number;

  constructor(errno: number, message?: string) {
    super(message ?? `${errnoNames[errno] ?? 'errno'} (${errno})`);
    this.errno = errno;
  }
}


/**
 * The errno to answer a request with for `error` thrown by its handler: its
 * numeric `errno` (Node's system errors carry it negated, as libuv does on
 * Linux), else EINVAL.
 */
export function errnoOf(error: unknown): number {
  const e = (error as { errno?: unknown } | null)?.errno;
  if (typeof e !== 'number' || !Number.isInteger(e)) return ERRNO.EINVAL;
  const n = Math.abs(e);
  return n > 0 && n <= 4096 ? n : ERRNO.EINVAL;
}
