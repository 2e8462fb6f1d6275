/**
 * The runtime's one door to spec/: the protocol facts it reads as data
 * (commands, structs, flag sets, dialects, limits, errors, capabilities,
 * the migration state machine). Every other module of src/ imports them
 * from here or uses generated/ts; a test keeps it so. The fixture catalogue
 * is not runtime data and stays out.
 */
export type * from '../spec/types.js';
export { capabilities } from '../spec/capabilities.js';
export { commands } from '../spec/commands.js';
export { constSets } from '../spec/constants.js';
export { DEFAULT_DIALECT, dialects, interopSamples } from '../spec/dialects.js';
export { errno, errnoNames } from '../spec/errno.js';
export { errorCodes } from '../spec/errors.js';
export { limits, sessionLimits } from '../spec/limits.js';
export { migration } from '../spec/migration.js';
export { structs, unions } from '../spec/structs.js';
