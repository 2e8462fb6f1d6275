/**
 * The session layer: a vfio-user client and server over any channel that
 * carries bytes and file descriptors. `vfio-user-protocol/unix` exports it
 * together with the Unix-socket channel.
 */
export { channelPair, reopenFd, type Channel, type ChannelHandlers, type ChannelPairOptions, type TwinPair } from './channel.js';
export { Client, DEFAULT_CLIENT_CAPABILITIES, type ClientDmaHandler, type ClientOptions, type DmaMapArgs, type IoasMapArgs, type RegionInfo, type RegionIoFds } from './client.js';
export type { DmaWindow } from './dma.js';
export type { Answer, CommandControl, EndpointOptions, Outcome, RequestOptions, Tap, TapEvent } from './endpoint.js';
export { ERRNO, ErrnoError, errnoOf, VfioUserRemoteError, VfioUserSessionError, type SessionErrorCode, type SessionErrorDetails } from './errors.js';
export { closeFds, preadFd, pwriteFd } from './fds.js';
export { DEFAULT_SESSION_LIMITS, type SessionLimitName, type SessionLimits } from './limits.js';
export {
  DEFAULT_SERVER_CAPABILITIES,
  Server,
  ServerConnection,
  WithFds,
  type CommandHandler,
  type CommandHandlers,
  type HandlerOutcome,
  type Device,
  type DeviceMigration,
  type IoFdsSpec,
  type IrqSpec,
  type RegionSpec,
  type ServerOptions,
} from './server.js';
