/**
 * vfio-user-protocol: the vfio-user protocol's messages as typed data, and
 * zero-copy codecs for them.
 *
 * @example
 * import { decode, encode, command } from 'vfio-user-protocol';
 * import { VFIO_USER_DEVICE_GET_INFO } from 'vfio-user-protocol/constants';
 * const bytes = encode(command(VFIO_USER_DEVICE_GET_INFO, 1, { argsz: 16, flags: 0, num_regions: 0, num_irqs: 0 }));
 * const msg = decode(bytes);
 */
export { decode, decodeAt, encode, encodeInto, encodingLength, commandName, HEADER_SIZE, FLAG_ERROR, FLAG_NO_REPLY, FLAG_TYPE_MASK, FLAG_TYPE_REPLY } from './codec.js';
export { FrameDecoder, type Frame } from './frame.js';
export { command, reply, errorReply, type KnownCmd } from './build.js';
export {
  VfioUserError,
  VfioUserTruncatedError,
  VfioUserInvalidError,
  VfioUserLimitError,
  VfioUserEncodeError,
  VfioUserProtocolError,
  VfioUserCaptureError,
  type ErrorCode,
  type ErrorDetails,
} from './errors.js';
export { DEFAULT_LIMITS, resolveOptions, type CodecOptions, type DialectName, type Limits, type ResolvedOptions } from './options.js';
export {
  effectiveCapabilities,
  emitVersionJson,
  negotiate,
  parseVersionJson,
  parseVersionJsonFull,
  type Capabilities,
  type DirectionLimits,
  type EffectiveCapabilities,
  type IommufdCapability,
  type MigrationCapability,
  type Negotiated,
  type NegotiateOptions,
  type TwinSocketCapability,
  type VersionJson,
} from './capabilities.js';
export { bitmapBytes, createBitmap, dirtyPages, isDirty, setDirty } from './bitmap.js';
export { Conversation, checkIommufdGate, type ConversationOptions, type Observation, type ObservedMessage, type Side, type SocketName, type Violation } from './conversation.js';
export { migrationPath } from './migration.js';
export type * from '../generated/ts/messages.js';
export type * from '../generated/ts/structs.js';
