/**
 * The errors of the package: a closed set of classes under {@link VfioUserError}.
 * Tests and callers match on `code`, never on the message text.
 */
import { errno as ERRNO, errorCodes } from './spec.js';
import type { ErrorCode } from '../generated/ts/types.js';

export type { ErrorCode } from '../generated/ts/types.js';

const errnoOf = new Map<string, number>(errorCodes.map((e) => [e.code, ERRNO[e.errno] ?? 22]));

/** The numbers an error is about. */
export interface ErrorDetails {
  /** Command number, when known. */
  readonly cmd?: number;
  /** Bytes (or items) needed. */
  readonly needed?: number;
  /** Bytes (or items) available. */
  readonly available?: number;
  /** The offending value. */
  readonly value?: number | bigint | string;
  /** The C name of the field involved, `struct.field`. */
  readonly field?: string;
  /** The limit that was exceeded (a key of `Limits`). */
  readonly limitName?: string;
  /** The limit's value. */
  readonly limit?: number;
  /** msg_id of the message, when its header was read (so a server can answer it). */
  readonly msgId?: number;
}

/** The header fields of a message the FrameDecoder rejected (vfio_user_header). */
export interface FrameHead {
  readonly msg_id: number;
  readonly cmd: number;
  readonly msg_size: number;
  readonly flags: number;
}

/**
 * Base class of every error the package throws.
 * `offset` is the byte offset within the message (or stream) where the problem is.
 */
export abstract class VfioUserError extends Error {
  /** Stable identifier; see the error catalogue in spec/errors.ts. */
  readonly code: ErrorCode;
  /** Byte offset within the message (decode) or the stream (FrameDecoder). */
  readonly offset: number;
  /** Command number, when known. */
  readonly cmd: number | undefined;
  /** The errno (Linux numbering) a server answers a message failing this way with. */
  readonly errno: number;
  readonly details: ErrorDetails;
  /**
   * FrameDecoder only: the file descriptors that arrived with the rejected
   * message (or with no message at all). The caller owns them and should close them.
   */
  fds: number[] = [];
  /** FrameDecoder only: true when the stream cannot go on after this error. */
  fatal = false;
  /** FrameDecoder only: offset in the stream of the first byte of the message concerned. */
  streamOffset: number | undefined = undefined;
  /** FrameDecoder only: the header of the rejected message, when it arrived whole. */
  head: FrameHead | undefined = undefined;
  /** FrameDecoder only: the whole message it refused, when all of it arrived (a view: copy it to keep it). */
  bytes: Uint8Array | undefined = undefined;

  constructor(code: ErrorCode, message: string, offset: number, details: ErrorDetails = {}) {
    super(message);
    this.code = code;
    this.offset = offset;
    this.cmd = details.cmd;
    this.errno = errnoOf.get(code) ?? 22;
    this.details = details;
  }
}

/** More bytes are needed: the input ends before the message does. */
export class VfioUserTruncatedError extends VfioUserError {
  override readonly name = 'VfioUserTruncatedError';
}

/** The bytes are wrong: no amount of further input makes this message valid. */
export class VfioUserInvalidError extends VfioUserError {
  override readonly name = 'VfioUserInvalidError';
}

/** A length taken from the wire exceeds a configured limit. */
export class VfioUserLimitError extends VfioUserError {
  override readonly name = 'VfioUserLimitError';
}

/** A message value cannot be encoded. */
export class VfioUserEncodeError extends VfioUserError {
  override readonly name = 'VfioUserEncodeError';
}

/** A conversation breaks a protocol rule (order, negotiation, gate). */
export class VfioUserProtocolError extends VfioUserError {
  override readonly name = 'VfioUserProtocolError';
}

/** A capture file cannot be read (`ERR_CAPTURE_FORMAT`, `ERR_CAPTURE_LINE_LENGTH`). */
export class VfioUserCaptureError extends VfioUserError {
  override readonly name = 'VfioUserCaptureError';
}

/** Throws a {@link VfioUserInvalidError}. */
export function invalid(code: ErrorCode, message: string, offset: number, details?: ErrorDetails): never {
  throw new VfioUserInvalidError(code, message, offset, details);
}

/** Throws a {@link VfioUserTruncatedError} (`ERR_NEED_MORE`). */
export function needMore(message: string, offset: number, needed: number, available: number, cmd?: number): never {
  throw new VfioUserTruncatedError('ERR_NEED_MORE', message, offset, cmd === undefined ? { needed, available } : { needed, available, cmd });
}

/** Throws a {@link VfioUserLimitError} (`ERR_LIMIT`). */
export function overLimit(limitName: string, limit: number, value: number, offset: number, cmd?: number): never {
  const details: ErrorDetails = cmd === undefined ? { limitName, limit, value } : { limitName, limit, value, cmd };
  throw new VfioUserLimitError('ERR_LIMIT', `${limitName} exceeded: ${value} > ${limit}`, offset, details);
}

/** Throws a {@link VfioUserEncodeError}. */
export function encodeError(code: ErrorCode, message: string, details?: ErrorDetails): never {
  throw new VfioUserEncodeError(code, message, 0, details);
}
