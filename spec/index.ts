/**
 * The vfio-user protocol as plain typed data: the single source of every
 * fact the package states about the protocol.
 */
export type * from './types.js';
export { structs, unions, header } from './structs.js';
export { constSets } from './constants.js';
export { commands } from './commands.js';
export { limits, WRITE_MULTI_DATA_MAX } from './limits.js';
export { dialects, DEFAULT_DIALECT, interopSamples } from './dialects.js';
export { capabilities } from './capabilities.js';
export { errorCodes } from './errors.js';
export { errno, errnoNames } from './errno.js';
export { conversations, edgeCases, exampleSession, fixtures, invalidFixtures } from './fixtures/index.js';
export { migration } from './migration.js';
export type { ErrorCode, ErrorCodeSpec, ErrorClassName } from './errors.js';
