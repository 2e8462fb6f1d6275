/**
 * The session limits: what a peer can make a client or server hold
 * (connections, fds, DMA windows, IOAS objects, queued commands and output,
 * dirty-bitmap memory, migration data) and how long it may take (handshake,
 * idle, request timeouts). Defaults and documentation are in spec/limits.ts
 * (`sessionLimits`), beside the codec's limits.
 */
import { errno as errnoTable, sessionLimits as specs } from '../spec.js';
import { VfioUserSessionError } from './errors.js';

export type { SessionLimits } from '../../generated/ts/types.js';
import type { SessionLimits } from '../../generated/ts/types.js';

/** The name of a session limit. */
export type SessionLimitName = keyof SessionLimits;

/** The default session limits. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = Object.freeze(Object.fromEntries(specs.map((l) => [l.name, l.default])) as unknown as SessionLimits);

const ERRNO_OF = new Map(specs.map((l) => [l.name, l.errno === undefined ? undefined : errnoTable[l.errno]]));

/**
 * The defaults with `overrides` applied.
 * @throws TypeError for an unknown limit or a value that is not a non-negative number.
 */
export function resolveSessionLimits(overrides: Partial<SessionLimits> | undefined): SessionLimits {
  if (overrides === undefined) return DEFAULT_SESSION_LIMITS;
  for (const [k, x] of Object.entries(overrides)) {
    if (!(k in DEFAULT_SESSION_LIMITS)) throw new TypeError(`unknown session limit ${k}`);
    if (typeof x !== 'number' || !(x >= 0)) throw new TypeError(`session limit ${k} must be a non-negative number`);
  }
  return Object.freeze({ ...DEFAULT_SESSION_LIMITS, ...overrides });
}

/**
 * The error of a request refused by session limit `name`: ERR_SESSION_LIMIT
 * with the limit's errno, which the server answers the command with.
 */
export function overSessionLimit(name: SessionLimitName, limit: number, what: string, cmd?: number): VfioUserSessionError {
  return new VfioUserSessionError('ERR_SESSION_LIMIT', `${what}: the ${name} limit is ${limit}`, {
    limitName: name,
    limit,
    ...(ERRNO_OF.get(name) === undefined ? {} : { errno: ERRNO_OF.get(name)! }),
    ...(cmd === undefined ? {} : { cmd }),
  });
}
